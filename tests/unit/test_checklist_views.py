"""The checklist functions the screens call (services.checklists, issue 17): each opens its
own transaction on the real encrypted store and hands back plain values, never an ORM
instance that would outlive its session."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from helpers.views import assert_plain
from test_checklists import GOOD  # the template the service tests import

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.services import checklists
from hrd_tui.vocab import ItemStatus


def test_templates_choices_and_a_started_run_are_plain(opened: vault.Vault) -> None:
    row = checklists.import_template_text(opened.store, GOOD, "visit.toml")
    assert_plain(row)
    assert (row.id, row.title, row.items) == ("my-visit", "Prison visit", 2)
    with pytest.raises(ValidationError):
        checklists.import_template_text(opened.store, GOOD, "visit.toml")  # the same version again

    found = checklists.start_choices(opened.store, discreet=True)
    assert_plain(found)
    assert checklists.TemplateRow("my-visit", "Prison visit", 2) in found.templates
    assert found.attachments[0] == ("Not attached", {})

    assert checklists.run_rows(opened.store) == []
    run_id = checklists.start_checklist(opened.store, "my-visit", {})
    rows = checklists.run_rows(opened.store)
    assert_plain(rows)
    assert [(r.id, r.title, r.settled, r.total) for r in rows] == [(run_id, "Prison visit", 0, 2)]


def test_the_walkthrough_reads_and_saves_plain_values(opened: vault.Vault, tmp_path: Path) -> None:
    checklists.import_template_text(opened.store, GOOD, "visit.toml")
    run_id = checklists.start_checklist(opened.store, "my-visit", {"title": "Visit to Block C"})
    view = checklists.run_view(opened.store, run_id)
    assert_plain(view)
    assert (view.title, view.template_version, view.hearing_id, view.current_item) == (
        "Visit to Block C",
        1,
        None,
        "permission",
    )
    assert [item["id"] for item in view.items] == ["permission", "consent"]
    assert dict(view.status) == {"permission": ItemStatus.OPEN, "consent": ItemStatus.OPEN}

    checklists.set_run_item(opened.store, run_id, "consent", ItemStatus.DONE)
    checklists.set_run_item(opened.store, run_id, "consent", note="given freely")
    with pytest.raises(ValidationError):
        checklists.set_run_item(opened.store, run_id, "no-such-item", ItemStatus.DONE)
    view = checklists.run_view(opened.store, run_id)
    assert (view.status["consent"], view.notes["consent"], view.current_item) == (
        ItemStatus.DONE,
        "given freely",
        "consent",
    )
    checklists.remember_item(opened.store, run_id, "permission")
    assert checklists.run_view(opened.store, run_id).current_item == "permission"

    target = tmp_path / "exports" / "run.md"
    checklists.export_run_file(opened.store, run_id, target, own_folder=True)
    with opened.store.session("t") as s:
        assert target.read_text("utf-8") == checklists.export_markdown(s, checklists.get_run(s, run_id))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
