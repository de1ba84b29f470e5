"""The checklist functions the screens call (services.checklists, issue 17): each opens its
own transaction on the real encrypted store and hands back plain values, never an ORM
instance that would outlive its session."""

from __future__ import annotations

import dataclasses
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.services import checklists
from hrd_tui.vocab import ItemStatus

GOOD = """schema = 1
id = "my-visit"
version = 1
title = "Prison visit"
section = "II"

[[item]]
id = "permission"
text = "Ask for permission"
guidance = "In writing."

[[item]]
id = "consent"
text = "Consent of the detainee"
guidance = "Before anything else."
"""


def plain(value: Any) -> None:
    """No ORM instance anywhere in ``value`` (a view, a list of views, a mapping)."""
    assert not isinstance(value, SQLModel), value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            plain(getattr(value, field.name))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            plain(key)
            plain(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            plain(item)


def test_templates_choices_and_a_started_run_are_plain(opened: vault.Vault) -> None:
    row = checklists.import_template_text(opened.store, GOOD, "visit.toml")
    plain(row)
    assert (row.id, row.title, row.items) == ("my-visit", "Prison visit", 2)
    with pytest.raises(ValidationError):
        checklists.import_template_text(opened.store, GOOD, "visit.toml")  # the same version again

    found = checklists.start_choices(opened.store, discreet=True)
    plain(found)
    assert checklists.TemplateRow("my-visit", "Prison visit", 2) in found.templates
    assert found.attachments[0] == ("Not attached", {})

    assert checklists.run_rows(opened.store) == []
    run_id = checklists.start_checklist(opened.store, "my-visit", {})
    rows = checklists.run_rows(opened.store)
    plain(rows)
    assert [(r.id, r.title, r.settled, r.total) for r in rows] == [(run_id, "Prison visit", 0, 2)]


def test_the_walkthrough_reads_and_saves_plain_values(opened: vault.Vault, tmp_path: Path) -> None:
    checklists.import_template_text(opened.store, GOOD, "visit.toml")
    run_id = checklists.start_checklist(opened.store, "my-visit", {"title": "Visit to Block C"})
    view = checklists.run_view(opened.store, run_id)
    plain(view)
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
