"""Report layouts as data (services/report_layouts.py), on a real vault: the shipped files
check and say their edition; a post's own file is refused with its line when broken,
kept in the vault, never over a shipped one, corrected (the earlier text in the
history), retired and reinstated; the newest edition is the default; a draft follows
the layout asked for and loses no record a layout has no section for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.models import RecordVersion
from hrd_tui.services import contacts, monitoring, report_layouts, reports
from hrd_tui.services.report_layouts import LayoutError
from hrd_tui.vocab import ReportType

KEYS = reports.CONTENT_KEYS
START, END = date(2025, 3, 1), date(2025, 3, 31)

POST = """schema = 1
id = "crhrp-2025"
report = "crhrp"
edition = 2025
title = "Country Reports, 2025 edition (post's reading)"
checked = "Nothing yet."

[[section]]
heading = "Liberty"
level = 2

[[section]]
heading = "Arbitrary Arrest or Detention"
level = 3
receives = ["1d", "1c"]

[[section]]
heading = "Defenders"
level = 2
receives = ["5hrd"]
own = true
"""


def parse(text: str) -> report_layouts.Layout:
    return report_layouts.parse(text, "post.toml", KEYS)


def test_each_shipped_layout_is_named_after_its_id_and_says_its_edition() -> None:
    shipped = report_layouts.shipped(KEYS)
    assert {lay.key for lay in shipped} == {"crhrp-2023", "crhrp-2024", "tip-2025", "irf-2023"}
    for layout in shipped:
        assert layout.key == f"{layout.report.value}-{layout.edition}"
        assert layout.checked and layout.unchecked and layout.sources, layout.key  # what was confirmed, and not
    tip = next(lay for lay in shipped if lay.report == ReportType.TIP)
    assert [s.heading for s in tip.sections][:4] == ["Prosecution", "Protection", "Prevention", "Trafficking profile"]
    irf = next(lay for lay in shipped if lay.report == ReportType.IRF)
    assert "Legal Framework" in [s.heading for s in irf.sections]
    crhrp = next(lay for lay in shipped if lay.key == "crhrp-2024")
    assert {s.heading for s in crhrp.sections if s.own} >= {"Human rights defenders and civil society"}


@pytest.mark.parametrize(
    ("change", "line", "problem"),
    [
        (("edition = 2025", 'edition = 2025\ncolour = "red"'), 5, "unknown key 'colour'"),
        (('report = "crhrp"', 'report = "regular"'), 3, "the regular report has no layout file"),
        (('receives = ["1d", "1c"]', 'receives = ["1d", "9z"]'), 15, "'9z' is not a content key of the crhrp report"),
        (('receives = ["5hrd"]', 'receives = ["1d"]'), 20, "'1d' is already received by section 2"),
        (('heading = "Liberty"\nlevel = 2', 'heading = "Liberty"\nlevel = 2\nreceives = ["7"]'), 8, "groups"),
        (("level = 3", "level = 4"), 14, "level 4 after level 2 skips one"),
        (("level = 3", 'level = "3"'), 14, "'level' must be a int"),
        (("edition = 2025", "edition = 25"), 4, "'edition' must be a year"),
        (('id = "crhrp-2025"', 'id = "Crhrp 2025"'), 2, "lowercase letters"),
        (('title = "Country', 'title = = "Country'), 5, "not valid TOML"),
    ],
)
def test_a_broken_layout_is_refused_with_its_line(change: tuple[str, str], line: int, problem: str) -> None:
    with pytest.raises(LayoutError) as refused:
        parse(POST.replace(*change, 1))
    assert refused.value.line == line and problem in refused.value.problem, refused.value.message
    assert refused.value.message.startswith(f"post.toml:{line}: ")


def test_a_layout_too_large_or_too_deep_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (2 << 20))
    with pytest.raises(LayoutError, match="larger than 1024 KiB; not a report layout"):
        report_layouts.read_file(big)
    with pytest.raises(LayoutError, match="nested too deeply|not valid TOML"):
        parse("x = " + "[" * 100_000 + "]" * 100_000)


def test_a_post_adds_a_layout_for_a_new_edition_which_becomes_the_default(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        assert report_layouts.choose(s, ReportType.CRHRP, None, KEYS).key == "crhrp-2024"
        report_layouts.store(s, parse(POST), POST)
    with opened.store.session("t") as s:
        chosen = report_layouts.choose(s, ReportType.CRHRP, None, KEYS)
        assert (chosen.key, chosen.shipped, chosen.origin) == ("crhrp-2025", False, "the post's own")
        assert report_layouts.choose(s, ReportType.CRHRP, "crhrp-2023", KEYS).key == "crhrp-2023"  # another, chosen
        with pytest.raises(ValidationError, match="is a layout of the tip report"):
            report_layouts.choose(s, ReportType.CRHRP, "tip-2025", KEYS)
        with pytest.raises(NotFound):
            report_layouts.choose(s, ReportType.CRHRP, "crhrp-1999", KEYS)
        assert report_layouts.text_of(s, "crhrp-2025") == POST
        assert "[[section]]" in report_layouts.text_of(s, "crhrp-2024")


def test_a_shipped_layout_is_never_overwritten_and_a_post_s_own_only_when_corrected(opened) -> None:  # type: ignore[no-untyped-def]
    shipped_id = POST.replace('id = "crhrp-2025"', 'id = "crhrp-2024"')
    with opened.store.session("t") as s:
        with pytest.raises(ValidationError, match="is a shipped layout"):
            report_layouts.store(s, parse(shipped_id), shipped_id)
        with pytest.raises(ValidationError, match="is a shipped layout"):
            report_layouts.retire(s, "crhrp-2024", START)
        row = report_layouts.store(s, parse(POST), POST)
    corrected = POST.replace("(post's reading)", "(post's reading, corrected)")
    with opened.store.session("t") as s:
        with pytest.raises(ValidationError, match="already has a layout 'crhrp-2025'"):
            report_layouts.store(s, parse(corrected), corrected)
        report_layouts.store(s, parse(corrected), corrected, replace=True)
    with opened.store.session("t") as s:
        assert report_layouts.choose(s, ReportType.CRHRP, None, KEYS).title.endswith("corrected)")
        earlier = s.exec(select(RecordVersion).where(RecordVersion.entity_id == row.id)).all()
        assert [v.data["title"] for v in earlier] == ["Country Reports, 2025 edition (post's reading)"]


def test_a_retired_layout_is_no_longer_the_default_but_still_drafts_when_named(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        report_layouts.store(s, parse(POST), POST)
        report_layouts.retire(s, "crhrp-2025", date(2026, 1, 5))
    with opened.store.session("t") as s:
        assert report_layouts.choose(s, ReportType.CRHRP, None, KEYS).key == "crhrp-2024"
        assert report_layouts.choose(s, ReportType.CRHRP, "crhrp-2025", KEYS).retired_on == date(2026, 1, 5)
        assert "crhrp-2025" not in [lay.key for lay in report_layouts.all_layouts(s, KEYS)]
        report_layouts.retire(s, "crhrp-2025", None)
    with opened.store.session("t") as s:
        assert report_layouts.choose(s, ReportType.CRHRP, None, KEYS).key == "crhrp-2025"


def test_a_draft_follows_its_layout_and_loses_no_record_it_has_no_section_for(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        person = contacts.create_contact(s, {"name": "Ana Test", "codename": "Ember-123", "kind": "defender"})
        attack = monitoring.add_observation(
            s,
            {"observed_on": START, "category": "attacks_reprisals", "description": "Office raided."},
            links=[{"contact_id": person.id}],
        )
        tapped = monitoring.add_observation(
            s,
            {"observed_on": START, "category": "surveillance", "description": "Phones tapped."},
            links=[{"contact_id": person.id}],
        )
        report_layouts.store(s, parse(POST), POST)
    with opened.store.session("t") as s:
        report = reports.render_report(s, ReportType.CRHRP, START, END)
    assert "Layout: Country Reports, 2025 edition (post's reading) (crhrp-2025, the post's own)." in report
    defenders = report.split("## Defenders (hrd-tui)", 1)[1].split("\n## ", 1)[0]
    assert f"[obs {attack.id[:8]}]" in defenders
    unplaced = report.split("## Not placed by the layout", 1)[1].split("\n## ", 1)[0]
    assert "crhrp-2025" in unplaced and f"[obs {tapped.id[:8]}]" in unplaced  # surveillance: 1g, not received


def test_a_layout_heading_is_text_never_markdown(opened) -> None:  # type: ignore[no-untyped-def]
    hostile = POST.replace('heading = "Defenders"', 'heading = "# Injected \\u001b]52;c;eA==\\u0007"')
    with opened.store.session("t") as s:
        report_layouts.store(s, parse(hostile), hostile)
        report = reports.render_report(s, ReportType.CRHRP, START, END)
    assert "## \\# Injected" in report and "\x1b" not in report and "\x07" not in report


def test_the_demo_vault_shows_a_post_s_own_layout(opened) -> None:  # type: ignore[no-untyped-def]
    """The demo post has its working copy of the next TIP edition's layout: the TIP draft
    follows it (the newest edition), its own subsection under the profile marked."""
    from hrd_tui import demo

    with opened.store.session("demo") as s:
        assert demo.populate(s)
    with opened.store.session("t") as s:
        chosen = report_layouts.choose(s, ReportType.TIP, None, KEYS)
        assert (chosen.key, chosen.shipped) == ("tip-2026-port-calder", False)
        report = reports.render_report(s, ReportType.TIP, START, END)
    assert "(tip-2026-port-calder, the post's own)" in report
    assert "### Forced labour on the Calder Basin plantations (hrd-tui)" in report


def test_a_post_s_layout_travels_in_a_handover_bundle(opened, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A bundle carries the post's layout: the receiving vault drafts with it; the same
    key with another text there is a conflict shown field by field, never a silent overwrite."""
    from conftest import PASSPHRASE

    from hrd_tui import vault
    from hrd_tui.services import handover

    with opened.store.session("t") as s:
        report_layouts.store(s, parse(POST), POST)
        passphrase = handover.export_bundle(s, tmp_path / "b.hrdb", vault_id=opened.header.vault_id)
    other, _ = vault.create(tmp_path / "other", PASSPHRASE)
    theirs = POST.replace("(post's reading)", "(the other officer's reading)")
    with other:
        with other.store.session("t") as s:
            plan = handover.plan_import(s, handover.read_bundle(tmp_path / "b.hrdb", passphrase))
            assert plan.new_counts.get("report_layouts") == 1 and not plan.conflicts
            handover.apply_import(s, plan, {}, default="mine")
        with other.store.session("t") as s:
            assert report_layouts.choose(s, ReportType.CRHRP, None, KEYS).key == "crhrp-2025"
            report_layouts.store(s, parse(theirs), theirs, replace=True)
        with other.store.session("t") as s:
            plan = handover.plan_import(s, handover.read_bundle(tmp_path / "b.hrdb", passphrase))
            assert [c.table for c in plan.conflicts] == ["report_layouts"]


def test_a_layout_the_vault_holds_but_cannot_read_is_set_aside_and_says_why(opened) -> None:  # type: ignore[no-untyped-def]
    """A post's layout that no longer reads (a content key this hrd-tui does not know, as
    from a later release) never stops the other drafts; named, it says what is wrong."""
    from hrd_tui.models import ReportLayout

    with opened.store.session("t") as s:
        report_layouts.store(s, parse(POST), POST)
        row = s.exec(select(ReportLayout)).one()
        row.text = POST.replace('["5hrd"]', '["5future"]')
    with opened.store.session("t") as s:
        assert report_layouts.choose(s, ReportType.CRHRP, None, KEYS).key == "crhrp-2024"
        with pytest.raises(LayoutError, match="'5future' is not a content key"):
            report_layouts.choose(s, ReportType.CRHRP, "crhrp-2025", KEYS)


def test_a_layout_coming_from_elsewhere_is_checked_as_an_import_is() -> None:
    """What a handover bundle brings goes through base.validate's record rules: a layout
    row must read as the layout it says it is, and never be the regular report's."""
    from hrd_tui.models import ReportLayout
    from hrd_tui.services import base

    good = ReportLayout(key="crhrp-2025", report_type=ReportType.CRHRP, edition=2025, title="T", text=POST)
    assert base.record_rule_errors("report_layout", good) == {}
    forged = ReportLayout(key="crhrp-2025", report_type=ReportType.TIP, edition=2025, title="T", text=POST)
    assert "not the one it says" in base.record_rule_errors("report_layout", forged)["text"]
    broken = ReportLayout(key="crhrp-2025", report_type=ReportType.CRHRP, edition=2025, title="T", text="[[")
    assert "text" in base.record_rule_errors("report_layout", broken)
    regular = ReportLayout(key="r-2025", report_type=ReportType.REGULAR, edition=2025, title="T", text=POST)
    assert base.record_rule_errors("report_layout", regular)["report_type"] == "the regular report has no layout"
