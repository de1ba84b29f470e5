"""Checklist templates as data, runs, versioning, export."""

from __future__ import annotations

import pytest

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.services import checklists, reference, templates
from hrd_tui.services.templates import TemplateError
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


def test_every_shipped_template_loads_with_the_guidelines_counts() -> None:
    counts = {t.id: len(t.items) for t in reference.builtin_templates()}
    expected = {
        "civic-space": 10,
        "engage": 7,
        "threat-immediate": 9,
        "threat-longer-term": 5,
        "diplomatic": 11,
        "reporting": 4,
        "fair-trial": 20,  # 17 of DOMAIN.md item 7, and the three issue 18 added
    }
    assert {k: counts.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("broken", "line", "problem"),
    [
        (GOOD.replace('title = "Prison visit"', 'title = "unclosed'), 4, "not valid TOML"),
        (GOOD.replace("schema = 1", "schema = 2"), 1, "schema 2 is not known"),
        (GOOD.replace('id = "my-visit"', 'id = "My Visit"'), 2, "lowercase"),
        (GOOD.replace('guidance = "Before anything else."\n', ""), 12, "item 2: 'guidance' is missing"),
        (GOOD.replace('id = "consent"', 'id = "permission"'), 13, "used twice"),
        (GOOD.replace('text = "Ask for permission"', 'text = "Ask"\ncolour = "red"'), 10, "unknown key 'colour'"),
        (GOOD.replace("version = 1", 'version = "one"'), 3, "'version' must be a int"),
    ],
)
def test_a_broken_template_names_the_file_line_and_problem(broken: str, line: int, problem: str) -> None:
    with pytest.raises(TemplateError) as exc:
        templates.parse(broken, "mine.toml")
    assert exc.value.line == line and problem in exc.value.problem, exc.value.message
    assert str(exc.value).startswith(f"mine.toml:{line}: ")


def test_import_run_and_versioning(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        checklists.import_template(s, GOOD, "mine.toml")
        with pytest.raises(ValidationError, match="already in the vault"):
            checklists.import_template(s, GOOD, "mine.toml")
        with pytest.raises(ValidationError, match="shipped template"):
            checklists.import_template(s, GOOD.replace("my-visit", "fair-trial"), "x.toml")
        old_run = checklists.start_run(s, "my-visit")
        checklists.import_template(
            s, GOOD.replace("version = 1", "version = 2").replace("Consent of", "Free consent of"), "v2.toml"
        )
        new_run = checklists.start_run(s, "my-visit")
        assert (old_run.template_version, new_run.template_version) == (1, 2)
        assert checklists.template_of(s, old_run).items[1]["text"] == "Consent of the detainee"  # never rewritten
        checklists.set_item(s, old_run, "permission", ItemStatus.DONE, note="granted by the warden")
        checklists.set_item(s, old_run, "consent", ItemStatus.BLOCKED)
        done = checklists.progress(s, old_run)
        assert (done.total, done.done, done.blocked, done.open) == (2, 1, 1, 0)
        assert old_run.current_item == "consent"
        md = checklists.export_markdown(s, old_run)
    assert "1. [x] Ask for permission (done)" in md and "Note: granted by the warden" in md
    assert "2. [!] Consent of the detainee (blocked)" in md and "version 1" in md


def test_odd_files_get_a_clear_refusal() -> None:
    assert templates.parse("\ufeff" + GOOD, "bom.toml").id == "my-visit"  # a byte-order mark is fine
    with pytest.raises(TemplateError, match="between 1 and"):
        templates.parse(GOOD.replace("version = 1", "version = 99999999999999999999"), "v.toml")
    with pytest.raises(TemplateError, match="longer than 100"):
        templates.parse(GOOD.replace('id = "my-visit"', f'id = "{"a" * 101}"'), "long.toml")
    with pytest.raises(TemplateError, match="nested too deeply"):
        templates.parse("x = " + "[" * 5000 + "]" * 5000 + "\n" + GOOD, "deep.toml")
    big = GOOD + "".join(f'\n[[item]]\nid = "i{n}"\ntext = "t"\nguidance = "g"\n' for n in range(2000))
    assert len(templates.parse(big, "big.toml").items) == 2002  # one pass, not one scan per item


def test_a_template_file_is_read_no_further_than_a_template_can_be(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A device that never ends (or a 20 GB file) is refused after MAX_BYTES + 1 bytes,
    never taken whole into memory (the screen and the CLI read through this)."""
    from pathlib import Path

    from hrd_tui.errors import HrdError

    with pytest.raises(TemplateError, match="larger than 1024 KiB"):
        templates.read(Path("/dev/zero"))
    good = tmp_path / "good.toml"
    good.write_text(GOOD, "utf-8")
    assert templates.parse(templates.read(good), str(good)).id == "my-visit"
    latin = tmp_path / "latin.toml"
    latin.write_bytes(GOOD.replace("Ask", "Ask \xe9").encode("latin-1"))
    with pytest.raises(HrdError, match="not UTF-8 text"):
        templates.read(latin)
    with pytest.raises(HrdError, match="Cannot read .*missing.toml: No such file"):
        templates.read(tmp_path / "missing.toml")


def test_exports_carry_no_control_sequences(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        checklists.import_template(
            s, GOOD.replace("Ask for permission", "Ask\\u001b]52;c;ZXZpbA==\\u0007 for permission"), "x.toml"
        )
        run = checklists.start_run(s, "my-visit")
        checklists.set_item(s, run, "permission", ItemStatus.DONE, note="ok\x1b]0;pwned\x07")
        md = checklists.export_markdown(s, run)
    assert "\x1b" not in md and "\x07" not in md and "Ask]52;c;ZXZpbA== for permission" in md


def test_an_item_changed_only_by_its_note_shows_when_it_changed(opened: vault.Vault) -> None:
    """Issue 22: an open item with a note had no 'Changed' line in the export."""
    with opened.store.session() as s:
        checklists.import_template(s, GOOD, "x.toml")
        run = checklists.start_run(s, "my-visit")
        checklists.set_item(s, run, "consent", note="asked through her lawyer")
        md = checklists.export_markdown(s, run)
    item = md[md.index("Consent of the detainee") :]
    assert "(open)" in item.splitlines()[0]
    assert "   - Note: asked through her lawyer\n   - Changed: " in item
    untouched = md[md.index("Ask for permission") : md.index("Consent of the detainee")]
    assert "Changed" not in untouched  # nothing done to it: no time
