"""The reports screen: a type and a period, the draft shown, saved as a 0600 file; the
same bytes as `hrd-tui report` for the same arguments. The real app on a real vault."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, run_cli, unlock
from helpers.app import until_gone
from textual.widgets import Input, Select, Static, TextArea

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.screens.reports import ReportsScreen, SaveModal
from hrd_tui.services import contacts, monitoring, redaction, reports
from hrd_tui.vocab import ReportType

TODAY = FROZEN_DAY
NAME = "Ana Núñez-Quispe"


@pytest.fixture
def app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        ana = contacts.create_contact(
            session, {"name": NAME, "codename": "Heron-101", "kind": "defender"}, ["land_environment"]
        )
        monitoring.add_observation(
            session,
            {
                "observed_on": date(2026, 10, 14),
                "category": "attacks_reprisals",
                "description": f"{NAME} beaten by police after the march",
                "location": "Her house by the river",
                "location_sensitive": True,
            },
            links=[{"contact_id": ana.id}],
        )
        monitoring.add_observation(
            session, {"observed_on": date(2026, 11, 2), "category": "dialogue", "description": "Outside the period"}
        )
    opened.close()
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: TODAY)


async def test_the_draft_the_saved_file_and_the_cli_are_the_same_text(
    app, vault_dir: Path, tmp_path: Path, passfile: Path
) -> None:
    target = tmp_path / "out" / "crhrp.md"
    target.parent.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        # The regular period is offered: last month.
        assert screen.query_one("#report-from", Input).value == "2026-10-01"
        assert screen.query_one("#report-to", Input).value == "2026-10-31"
        screen.query_one("#report-type", Select).value = ReportType.CRHRP.value
        await pilot.press("f2")
        await app.workers.wait_for_complete()  # drafted on a worker
        await pilot.pause()
        shown = screen.query_one("#report-preview", TextArea).text
        with app.session("test") as s:
            assert shown == reports.render_report(s, ReportType.CRHRP, date(2026, 10, 1), date(2026, 10, 31))
        assert "beaten by police" in shown and "Outside the period" not in shown
        assert "nunez" not in redaction.fold(shown) and "river" not in shown  # no consent; a sensitive place
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, SaveModal)
        app.screen.query_one("#report-save-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # written on a worker
        await pilot.pause()
        assert isinstance(app.screen, ReportsScreen)
    assert target.read_text("utf-8") == shown
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    cli_out = tmp_path / "out" / "cli.md"
    done = run_cli(
        "--vault",
        str(vault_dir),
        "--passphrase-file",
        str(passfile),
        "report",
        "--type",
        "crhrp",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-31",
        "-o",
        str(cli_out),
    )
    assert done.returncode == 0, done.stderr
    assert cli_out.read_bytes() == target.read_bytes()


async def test_a_bad_period_is_refused_and_what_was_typed_stays(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#report-from", Input).value = "2026-10-31"
        screen.query_one("#report-to", Input).value = "2026-10-01"
        await pilot.press("f2")
        await pilot.pause()
        assert "is before" in str(screen.query_one("#reports-error").render())
        assert screen.query_one("#report-from", Input).value == "2026-10-31"
        assert screen.query_one("#report-preview", TextArea).text == ""
        screen.query_one("#report-to", Input).value = "someday"
        await pilot.press("f2")
        await pilot.pause()
        assert "to: use YYYY-MM-DD" in str(screen.query_one("#reports-error").render())
        screen.query_one("#report-to", Input).value = "2026-11-31"  # issue 22: a day that does not exist says so
        await pilot.press("f2")
        await pilot.pause()
        assert "to: 2026-11-31: November 2026 has 30 days" in str(screen.query_one("#reports-error").render())
        await pilot.press("f3")  # nothing drafted: nothing to save
        await pilot.pause()
        assert isinstance(app.screen, ReportsScreen)


async def test_old_exports_are_offered_for_removal_at_unlock_and_reports_save_there(
    vault_dir: Path, tmp_path: Path
) -> None:
    import os

    from hrd_tui.screens.widgets.confirm import ConfirmModal

    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o700)
    old, fresh = folder / "report-regular-old.md", folder / "report-new.md"
    for path, hours in ((old, 30), (fresh, 1)):
        path.write_text("Ana Núñez")  # aged from its own mtime: file ages are the real clock's, not the vault's
        written = path.stat().st_mtime
        os.utime(path, (written - hours * 3600,) * 2)
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: TODAY, export_dir=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "1 plain-text export older than 24 hours" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        await pilot.pause()
        assert not old.exists() and fresh.exists()
        await pilot.press("r", "f2")
        await app.workers.wait_for_complete()  # drafted on a worker
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, SaveModal)
        target = app.screen.query_one("#report-save-path", Input).value
        assert target == str(folder / "report-regular-2026-10-01-2026-10-31.md")
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # written on a worker
        await pilot.pause()
    assert stat.S_IMODE(Path(target).stat().st_mode) == 0o600


def _drafts_vault(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        monitoring.add_observation(
            session,
            {"observed_on": date(2026, 10, 14), "category": "attacks_reprisals", "description": "Offices raided"},
        )
    opened.close()
    folder = tmp_path / "exports"
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: TODAY, export_dir=folder)
    return app, folder / "report-crhrp-2026-10-01-2026-10-31.md"


async def _draft_and_save_crhrp(app, pilot, crhrp_file: Path) -> str:  # type: ignore[no-untyped-def]
    await unlock(app, pilot)
    await pilot.press("r")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReportsScreen)
    screen.query_one("#report-type", Select).value = ReportType.CRHRP.value
    await pilot.press("f2")
    await app.workers.wait_for_complete()  # drafted on a worker
    await pilot.pause()
    crhrp = screen.query_one("#report-preview", TextArea).text
    assert crhrp.startswith("# Draft: Country Reports on Human Rights Practices, 2026-10-01 to 2026-10-31")
    await pilot.press("f3")
    await pilot.pause()
    assert isinstance(app.screen, SaveModal)
    assert app.screen.query_one("#report-save-path", Input).value == str(crhrp_file)
    await pilot.press("enter")
    await app.workers.wait_for_complete()  # written on a worker
    await pilot.pause()
    assert crhrp_file.read_text("utf-8") == crhrp
    return crhrp


async def test_f3_saves_the_draft_shown_not_the_type_picked_since(vault_dir: Path, tmp_path: Path) -> None:
    """Issue 22: the Country Reports drafted and saved; TIP picked, F3 without F2, "replace?"
    answered yes: the file held the TIP draft under the Country Reports name (returning from
    the dialog drafted anew from the type picked). F3 saves the draft on screen, the very
    text under its own name, and the preview stays that draft."""
    app, crhrp_file = _drafts_vault(vault_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        crhrp = await _draft_and_save_crhrp(app, pilot, crhrp_file)
        screen = app.screen
        screen.query_one("#report-type", Select).value = ReportType.TIP.value
        await pilot.press("f3", "enter")  # the path offered
        await pilot.pause()
        await pilot.press("y")  # replace
        await app.workers.wait_for_complete()  # written on a worker
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#report-preview", TextArea).text == crhrp  # not redrafted as TIP
    assert crhrp_file.read_text("utf-8") == crhrp
    assert "Trafficking in Persons" not in crhrp


async def test_the_draft_shown_is_said_when_the_type_above_differs(vault_dir: Path, tmp_path: Path) -> None:
    """The status line says the preview is not the type, period or layout above; the save dialog
    says which report it saves; the question before replacing names the file and what it holds."""
    from hrd_tui.screens.widgets.confirm import ConfirmModal

    app, crhrp_file = _drafts_vault(vault_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _draft_and_save_crhrp(app, pilot, crhrp_file)
        crhrp_file.write_text(
            "# Draft: Country Reports on Human Rights Practices, 2026-10-01 to 2026-10-31\nedited by hand\n", "utf-8"
        )
        screen = app.screen
        status = screen.query_one("#reports-status", Static)
        assert "not the type, period or layout above" not in str(status.render())
        screen.query_one("#report-type", Select).value = ReportType.TIP.value
        await pilot.pause()
        assert "not the type, period or layout above" in str(status.render())
        screen.query_one("#report-type", Select).value = ReportType.CRHRP.value
        screen.query_one("#report-to", Input).value = "2026-10-30"  # the period, too
        await pilot.pause()
        assert "not the type, period or layout above" in str(status.render())
        screen.query_one("#report-to", Input).value = "2026-10-31"
        await pilot.pause()
        assert "not the type, period or layout above" not in str(status.render())
        screen.query_one("#report-type", Select).value = ReportType.TIP.value
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, SaveModal)
        what = str(app.screen.query_one("#report-save-what", Static).render())
        assert "The draft shown: Country Reports on Human Rights Practices, 2026-10-01 to 2026-10-31" in what
        assert "Not the type, period or layout above, chosen since" in what
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        question = str(app.screen.query_one("#confirm-question").render())
        assert f"{crhrp_file} exists" in question
        assert (
            "It holds the draft of the Country Reports on Human Rights Practices, 2026-10-01 to 2026-10-31" in question
        )
        assert "Replace it with the draft of the Country Reports" in question
        await pilot.press("n")
        await pilot.pause()
    assert "edited by hand" in crhrp_file.read_text("utf-8")


async def test_the_question_before_replacing_says_a_file_is_no_report(app, tmp_path: Path) -> None:
    """A file that is not a draft: the question says so, with its first line (shown as typed)."""
    from hrd_tui.screens.widgets.confirm import ConfirmModal

    target = tmp_path / "notes.md"
    target.write_text("\n[bold]My own notes[/bold]\nmore\n", "utf-8")
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("r", "f2")
        await app.workers.wait_for_complete()  # drafted on a worker
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#report-save-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "no report draft (" in question and 'its first line: "[bold]My own notes[/bold]"' in question
        assert "Replace it with the draft of the Regular report on the civic space environment, 2026-10-01" in question
        await pilot.press("n")
        await pilot.pause()
    assert target.read_text("utf-8") == "\n[bold]My own notes[/bold]\nmore\n"


async def test_discreet_mode_changes_how_the_draft_is_shown_not_which(vault_dir: Path, tmp_path: Path) -> None:
    """Discreet mode on and off with TIP picked since the draft: the preview is the same
    Country Reports draft (it re-drafted from the type picked, as coming back did), names as codenames."""
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        ana = contacts.create_contact(session, {"name": NAME, "codename": "Heron-101", "kind": "defender"}, [])
        contacts.record_consent(session, ana, {"scope": "naming", "value": "named", "given_on": date(2026, 1, 1)})
        monitoring.add_observation(
            session,
            {"observed_on": date(2026, 10, 14), "category": "attacks_reprisals", "description": f"{NAME} detained"},
            links=[{"contact_id": ana.id}],
        )
    opened.close()
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#report-type", Select).value = ReportType.CRHRP.value
        await pilot.press("f2")
        await app.workers.wait_for_complete()  # drafted on a worker
        await pilot.pause()
        preview = screen.query_one("#report-preview", TextArea)
        assert preview.text.startswith("# Draft: Country Reports") and f"{NAME} detained" in preview.text
        screen.query_one("#report-type", Select).value = ReportType.TIP.value
        preview.focus()
        await pilot.press("d")
        await pilot.pause()
        assert app.discreet
        assert preview.text.startswith("# Draft: Country Reports") and "Heron-101 detained" in preview.text
        assert "Núñez" not in preview.text
        await pilot.press("d")
        await pilot.pause()
        assert preview.text.startswith("# Draft: Country Reports") and f"{NAME} detained" in preview.text


async def test_coming_back_from_saving_keeps_the_draft(vault_dir: Path, tmp_path: Path) -> None:
    """Back from the save dialog and its question the draft is the one shown, not drafted
    again: a busy year takes seconds to draft, and the vault did not change. Back from
    anything else, the same report is drafted again."""
    app, crhrp_file = _drafts_vault(vault_dir, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _draft_and_save_crhrp(app, pilot, crhrp_file)
        screen = app.screen
        draft = screen.draft
        await pilot.press("f3", "enter")  # the same file: replace?
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()  # written on a worker
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen and screen.draft is draft  # not drafted again
        await pilot.press("f3", "escape")
        await pilot.pause()
        assert screen.draft is draft
        await pilot.press("f1")  # help, and back: drafted again (the same report), as before
        await pilot.pause()
        assert app.screen is not screen
        await pilot.press("escape")
        await app.workers.wait_for_complete()  # drafted again on a worker
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen and screen.draft is not draft and screen.draft == draft


async def test_while_drafting_the_screen_says_so_and_f2_f3_start_nothing(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: the draft is made on a worker (the app keeps drawing); while it is, the
    status line says so, and F2 or F3 pressed again start no second draft and no save."""
    import threading

    release = threading.Event()
    asked: list[tuple[object, ...]] = []
    draft_report = reports.draft_report

    def held(tx, *request):  # type: ignore[no-untyped-def]
        asked.append(request)
        release.wait(30)
        return draft_report(tx, *request)

    monkeypatch.setattr(reports, "draft_report", held)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert "Drafting the report" in str(screen.query_one("#reports-status", Static).render())
        await pilot.press("f2", "f3")
        await pilot.pause()
        assert app.screen is screen and len(asked) == 1
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one("#report-preview", TextArea).text.startswith("# Draft: Regular")
        assert "lines. F3 (^o) saves it" in str(screen.query_one("#reports-status", Static).render())


async def test_the_layout_is_chosen_by_keys_and_the_draft_follows_it(app) -> None:  # type: ignore[no-untyped-def]
    """Issue 19 (layouts as data): the layout row offers the chosen type's layouts, the
    newest edition first; another is picked by keys (Tab to it, Enter, down, Enter) and
    the draft, its header and the status line follow it; the regular report has none."""
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        layout = screen.query_one("#report-layout", Select)
        assert layout.disabled and layout.value == "-"  # the regular report: no layout
        screen.query_one("#report-type", Select).value = ReportType.CRHRP.value
        await pilot.pause()
        assert not layout.disabled and layout.value == "crhrp-2024"  # the newest edition
        layout.focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert layout.value == "crhrp-2023"
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen.query_one("#report-preview", TextArea).text
        with app.session("test") as s:
            expected = reports.render_report(
                s, ReportType.CRHRP, date(2026, 10, 1), date(2026, 10, 31), layout="crhrp-2023"
            )
        assert shown == expected and "(crhrp-2023, shipped with hrd-tui)" in shown
        assert "## Section 1. Respect for the Integrity of the Person" in shown
        status = str(screen.query_one("#reports-status", Static).content)
        assert "(crhrp-2023)" in status and "not the type, period or layout above" not in status
        layout.value = "crhrp-2024"
        await pilot.pause()
        assert "not the type, period or layout above" in str(screen.query_one("#reports-status", Static).content)


async def test_the_post_imports_a_layout_on_the_screen_and_it_becomes_the_default(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 19: l asks for a layout file; a broken one is refused with its line and the
    path stays as typed; a good one is kept in the vault and, the newest edition, offered
    first for its report."""
    from hrd_tui.screens.reports import ImportLayoutModal
    from hrd_tui.services import report_layouts

    good = tmp_path / "irf-2026.toml"
    good.write_text(
        (report_layouts.text_of_shipped("irf-2023") or "")
        .replace('id = "irf-2023"', 'id = "irf-2026"')
        .replace("edition = 2023", "edition = 2026")
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace('receives = ["legal"]', 'receives = ["nowhere"]'))
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        screen.query_one("#report-preview", TextArea).focus()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ImportLayoutModal)
        app.screen.query_one("#path", Input).value = str(bad)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#import-status").render())
        assert "bad.toml:" in status and "'nowhere' is not a content key of the irf report" in status
        assert app.screen.query_one("#path", Input).value == str(bad)  # kept as typed
        app.screen.query_one("#path", Input).value = str(good)
        await pilot.press("enter")
        await until_gone(app, pilot, ImportLayoutModal)  # imported on a worker, then dismissed
        assert app.screen is screen
        screen.query_one("#report-type", Select).value = ReportType.IRF.value
        await pilot.pause()
        assert screen.query_one("#report-layout", Select).value == "irf-2026"
