"""Evidence files in the app (issue 20), by keys alone: the real app on a real encrypted
vault (Pilot). A file added by its typed path (Tab completing it; a refusal under the
field with the path kept), the list on the contact, the case, the trial, the hearing
and the observation, an export that gives back the exact bytes (0600) or the photo
without its EXIF, a delete that asks, the text of a text file and of a PDF shown as
literal text, an image previewed, and discreet mode hiding a file name that names a
contact everywhere the app shows it."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE, demo_vault_at, unlock, vault_session
from helpers.evidence import jpeg_with_exif
from sqlalchemy import func
from sqlmodel import select
from textual import events
from textual.widgets import DataTable, Input, Static, TextArea
from textual.worker import WorkerState

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.app import make_app
from hrd_tui.models import CivicObservation, Hearing, ThreatCase, Trial
from hrd_tui.models.attachments import attachment_chunk
from hrd_tui.screens.attachment_view import AttachmentViewScreen
from hrd_tui.screens.attachments import (
    AddAttachmentModal,
    AttachmentsScreen,
    ExportAttachmentModal,
    PathInput,
    complete_path,
)
from hrd_tui.screens.contact_detail import ContactDetailScreen
from hrd_tui.screens.threats import CaseScreen
from hrd_tui.screens.trials import HearingScreen, TrialScreen
from hrd_tui.screens.unlock import UnlockScreen
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.services import attachments, contacts
from hrd_tui.services.attachments import Owner

NAMED = "Amina Yusuf"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One demo vault for the module, with a contact whose name files will carry; each
    test works on its own copy (the KDF and the demo data once)."""
    vault_dir = tmp_path_factory.mktemp("attachments") / "vault"
    owners: dict[str, str] = {}

    def extra(session: Any) -> None:
        owners["contact"] = contacts.create_contact(session, {"name": NAMED, "codename": "Heron-707"}).id

    demo_vault_at(vault_dir, extra)
    with vault_session(vault_dir) as session:
        owners["case"] = session.exec(select(ThreatCase.id)).first()  # type: ignore[attr-defined]
        owners["trial"] = session.exec(select(Trial.id)).first()  # type: ignore[attr-defined]
        owners["hearing"] = session.exec(select(Hearing.id)).first()  # type: ignore[attr-defined]
        owners["observation"] = session.exec(select(CivicObservation.id)).first()  # type: ignore[attr-defined]
    return vault_dir, owners


@pytest.fixture
def place(template: tuple[Path, dict[str, str]], tmp_path: Path) -> dict[str, Any]:
    vault_dir = tmp_path / "vault"
    shutil.copytree(template[0], vault_dir)
    files = tmp_path / "files"
    files.mkdir()
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o700)
    return {"vault": vault_dir, "owners": template[1], "files": files, "exports": exports, "tmp": tmp_path}


def app_for(place: dict[str, Any], **settings: Any) -> Any:
    path = place["tmp"] / "settings.json"
    if settings:
        path.write_text(json.dumps(settings))
    return make_app(place["vault"], settings_path=path, today=wallclock.today, export_dir=place["exports"])


def attach(place: dict[str, Any], path: Path, kind: str = "contact", note: str = "") -> str:
    with vault_session(place["vault"]) as session:
        return attachments.add(session, path, Owner(kind, place["owners"][kind]), note=note).id  # type: ignore[arg-type]


def rows_of(app: Any) -> list[list[str]]:
    table = app.screen.query_one("#attachments", DataTable)
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def settle(app: Any, pilot: Any) -> None:
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.workers:
            return


async def open_list(
    app: Any, pilot: Any, place: dict[str, Any], kind: str = "contact", *, from_palette: bool = False
) -> None:
    """The record's screen, then its attachments: by A, or by the palette's command."""
    screens = {"contact": ContactDetailScreen, "case": CaseScreen, "trial": TrialScreen, "hearing": HearingScreen}
    app.push_screen(screens[kind](place["owners"][kind]))
    await pilot.pause()
    if from_palette:
        (command,) = [c for c in app.get_system_commands(app.screen) if c.title.startswith("Attachments:")]
        assert command.help == "On this screen (A)"
        app.call_later(command.callback)  # as the palette runs it
    else:
        await pilot.press("A")
    await pilot.pause()
    assert isinstance(app.screen, AttachmentsScreen)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- adding ------------------------------------------------------------------------------------------


async def test_a_file_is_added_by_its_typed_path_with_tab_completing_it(place: dict[str, Any]) -> None:
    summons = place["files"] / "summons-2026.txt"
    summons.write_text("Summons to appear on 3 December.\n")
    (place["files"] / "sub").mkdir()
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        assert "None" in text_of(app, "#attachment-detail") or not rows_of(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, AddAttachmentModal)
        field = app.screen.query_one("#path", PathInput)
        assert field.has_focus
        field.value = str(place["files"]) + "/s"
        field.cursor_position = len(field.value)
        await pilot.press("tab")  # as far as the entries agree: "su", and the two listed
        await pilot.pause()
        assert field.value == str(place["files"]) + "/su"
        assert "2 entries start so: sub/  summons-2026.txt" in text_of(app, "#path-choices")
        await pilot.press("b", "tab")  # one entry: completed, a folder with its slash
        await pilot.pause()
        assert field.value == str(place["files"]) + "/sub/"
        await pilot.press("backspace", "backspace", "m")  # ".../sum"
        await settle(app, pilot)  # the suggester's worker: the rest greyed after the cursor
        await pilot.press("right")  # takes it
        assert field.value == str(summons)
        assert field.has_focus
        await pilot.press("tab")  # nothing left to complete: on to the note
        assert app.screen.query_one("#note", Input).has_focus
        await pilot.press(*"from the court clerk", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AttachmentsScreen)
        (row,) = rows_of(app)
        assert row[0] == "summons-2026.txt" and row[1] == "text/plain" and row[2] == "33 B"
        assert row[3] == sha256(summons)[:16] and row[4] == "2026-11-28"
        detail = text_of(app, "#attachment-detail")
        assert f"SHA-256 {sha256(summons)}" in detail and "Note: from the court clerk" in detail
        first = app.screen.selected_id()
        assert first is not None
        await pilot.press("n")  # the same file again: kept, and the notice says where it already is
        await pilot.pause()
        app.screen.query_one("#path", PathInput).value = str(summons)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(rows_of(app)) == 2
        notices = [n.message for n in app._notifications]
        assert any(f"The same file is already kept: {first[:8]} on contact:" in n for n in notices), notices
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactDetailScreen)
        section = text_of(app, "#detail-attachments")
        assert "summons-2026.txt  (text/plain, 33 B)  added 2026-11-28" in section
        assert sha256(summons)[:16] in section
    with vault_session(place["vault"]) as session:
        kept, again = attachments.listed(session, Owner("contact", place["owners"]["contact"]))  # type: ignore[arg-type]
        assert kept.sha256 == again.sha256 == sha256(summons) and kept.note == "from the court clerk"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        ("missing", "No file {path}."),
        ("folder", "{path} is a directory, not a file"),
        ("large", "over the limit of 1.0 MiB a file"),
    ],
)
async def test_a_refused_file_is_said_under_the_field_and_the_path_stays(
    place: dict[str, Any], make: str, expected: str
) -> None:
    path = place["files"] / make
    if make == "folder":
        path.mkdir()
    elif make == "large":
        path.write_bytes(b"x" * (1024 * 1024 + 1))
    app = app_for(place, attachment_max_mib=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#path", PathInput).value = str(path)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AddAttachmentModal)  # still there, the path as typed
        assert app.screen.query_one("#path", PathInput).value == str(path)
        assert expected.format(path=path) in text_of(app, "#error-path")
        assert text_of(app, "#error-path").startswith("! ")  # an error without colour too
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AttachmentsScreen) and not rows_of(app)


def test_completion_offers_folders_with_a_slash_and_keeps_a_tilde(tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "photo.jpg").write_bytes(b"x")
    (tmp_path / ".hidden").write_bytes(b"x")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert complete_path("~/ev") == ("~/evidence/", ["evidence/"])
    assert complete_path("~/evidence/") == ("~/evidence/photo.jpg", ["photo.jpg"])
    assert complete_path("~/") == ("~/evidence/", ["evidence/"])  # a dot-file only when a dot is typed
    assert complete_path("~/.h") == ("~/.hidden", [".hidden"])
    assert complete_path("~/nothing") == ("~/nothing", [])


# -- the list on each of the five places ---------------------------------------------------------------


async def test_each_record_lists_its_attachments(place: dict[str, Any]) -> None:
    ids = {}
    for kind in ("contact", "case", "trial", "hearing", "observation"):
        path = place["files"] / f"{kind}-evidence.txt"
        path.write_text(f"evidence for the {kind}\n")
        ids[kind] = (attach(place, path, kind), sha256(path)[:16])
    sections = {
        "contact": "#detail-attachments",
        "case": "#case-attachments",
        "trial": "#trial-attachments",
        "hearing": "#hearing-attachments",
    }
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        for kind, selector in sections.items():
            await open_list(app, pilot, place, kind, from_palette=kind in ("case", "hearing"))
            mine = [row for row in rows_of(app) if row[0] == f"{kind}-evidence.txt"]  # (the demo's own too)
            assert len(mine) == 1 and mine[0][3] == ids[kind][1] and mine[0][1] == "text/plain"
            await pilot.press("escape")
            await pilot.pause()
            section = text_of(app, selector)
            assert f"{kind}-evidence.txt" in section and ids[kind][1] in section and "text/plain" in section
            app.pop_screen()
            await pilot.pause()
        # The observation: its line in the list's detail pane, and A on the highlighted one.
        await pilot.press("m")
        await settle(app, pilot)
        table = app.screen.query_one("#observations")
        observation = place["owners"]["observation"]
        table.move_cursor(table.index_of(observation))  # type: ignore[attr-defined]
        await pilot.pause()
        pane = text_of(app, "#monitoring-detail")
        assert "Attachments (A lists them): " in pane and "observation-evidence.txt (29 B)" in pane
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AttachmentsScreen) and app.screen.owner.id == observation
        assert "observation-evidence.txt" in [row[0] for row in rows_of(app)]


# -- export, delete ---------------------------------------------------------------------------------------


async def test_export_gives_back_the_exact_bytes_0600_and_never_over_a_file(place: dict[str, Any]) -> None:
    photo = jpeg_with_exif(place["files"] / "injuries.jpg")
    attach(place, photo)
    out = place["exports"] / "copy.jpg"
    taken = place["exports"] / "taken.jpg"
    taken.write_bytes(b"someone else's file")
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportAttachmentModal)
        assert "NOT ENCRYPTED" in text_of(app, "#export-warning")
        field = app.screen.query_one("#path", PathInput)
        assert field.value == str(place["exports"] / "injuries.jpg")  # the vault's export folder offered
        field.value = str(taken)
        await pilot.press("enter")
        await settle(app, pilot)
        assert f"{taken} already exists: an export never overwrites a file" in text_of(app, "#error-path")
        assert taken.read_bytes() == b"someone else's file" and field.value == str(taken)
        field.value = str(out)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AttachmentsScreen)
        assert out.read_bytes() == photo.read_bytes()
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        notices = [n.message for n in app._notifications]
        assert any(
            f"Exported injuries.jpg to {out} (mode 0600, NOT encrypted" in n and "an exact copy" in n for n in notices
        )


async def test_export_without_metadata_says_what_was_removed(place: dict[str, Any]) -> None:
    from PIL import Image

    photo = jpeg_with_exif(place["files"] / "injuries.jpg")
    attach(place, photo)
    out = place["exports"] / "clean.jpg"
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#path", PathInput).value = str(out)
        await pilot.press("tab")  # nothing to complete: on to the tick box
        await pilot.press("space", "ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, AttachmentsScreen)
        notices = " ".join(n.message for n in app._notifications)
        assert "Removed: " in notices and "gps" in notices.lower() and "re-encoded" in notices
    with Image.open(out) as clean:
        assert not clean.getexif()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


async def test_delete_asks_first_and_the_list_stops_showing_it(place: dict[str, Any]) -> None:
    path = place["files"] / "draft-statement.txt"
    path.write_text("a statement\n")
    ident = attach(place, path)
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Delete the attachment draft-statement.txt" in text_of(app, "#confirm-question")
        await pilot.press("n")  # kept
        await pilot.pause()
        assert len(rows_of(app)) == 1
        await pilot.press("delete", "y")
        await pilot.pause()
        assert isinstance(app.screen, AttachmentsScreen) and not rows_of(app)
        assert any("Deleted draft-statement.txt" in n.message for n in app._notifications)
    with vault_session(place["vault"]) as session:
        (gone,) = [a for a in attachments.listed(session, deleted=True) if a.id == ident]  # type: ignore[arg-type]
        assert gone.deleted_at is not None and gone.sha256 == sha256(path)


# -- reading inside the app -----------------------------------------------------------------------------


async def test_a_text_file_is_shown_literally_never_as_markup_or_escapes(place: dict[str, Any]) -> None:
    path = place["files"] / "threat-message.txt"
    # Three control characters in a few hundred: still a text file (services.filetypes).
    message = "You were warned [bold red]x[/] and [link=http://evil]here[/link]\n\x1b[31mred\x1b]0;title\x07\n"
    path.write_text(message + "We know where your office is. " * 12 + "\n")
    attach(place, path)
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, AttachmentViewScreen)
        shown = app.screen.query_one("#view-text", TextArea).text
        assert shown.startswith("You were warned [bold red]x[/] and [link=http://evil]here[/link]\n[31mred]0;title\n")
        assert "text/plain" in text_of(app, "#view-title")
        assert "\x1b" not in shown and "\x07" not in shown
        assert "threat-message.txt" in text_of(app, "#view-title")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AttachmentsScreen)


async def test_a_long_text_is_shown_up_to_a_bound_and_says_so(place: dict[str, Any]) -> None:
    from hrd_tui.screens.attachment_view import VIEW_LIMIT

    path = place["files"] / "transcript.txt"
    path.write_text(("w" * 99 + "\n") * 3000)  # 300,000 characters in 3,000 lines
    attach(place, path)
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("v")
        await settle(app, pilot)
        text = app.screen.query_one("#view-text", TextArea).text
        assert len(text) == VIEW_LIMIT == 200_000 and text.count("\n") == 2000  # every part loaded, no more
        assert "The first 200,000 characters (x exports the whole file)" in text_of(app, "#view-status")


async def test_the_text_of_a_pdf_is_readable_and_its_author_listed(place: dict[str, Any]) -> None:
    attach(place, pdf_with_text(place["files"] / "summons.pdf", "Summons to appear before the court"))
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        assert rows_of(app)[0][1] == "application/pdf"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AttachmentViewScreen)
        text = app.screen.query_one("#view-text", TextArea).text
        assert "--- page 1 ---" in text and "Summons to appear before the court" in text
        assert "author: Inspector Grey" in text_of(app, "#view-facts")


async def test_an_image_gets_a_rough_preview_and_its_metadata(place: dict[str, Any]) -> None:
    attach(place, jpeg_with_exif(place["files"] / "injuries.jpg"))
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("v")
        await settle(app, pilot)
        facts = text_of(app, "#view-facts")
        assert "GPS" in facts or "gps" in facts
        assert "rough preview" in text_of(app, "#view-status")
        assert app.screen.query_one("#view-preview-box").display
        screen = app.export_screenshot()  # what the terminal is sent: half blocks, two pixels a cell
        assert screen.count("▄") + screen.count("▀") >= 10


async def test_discreet_mode_draws_no_image_until_p(place: dict[str, Any]) -> None:
    """A photo of injuries can show a face or a place: in discreet mode the preview waits
    for p (shown in the footer only there), and turning discreet mode on hides it again."""
    attach(place, jpeg_with_exif(place["files"] / "injuries.jpg"))
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("d", "v")
        await settle(app, pilot)
        assert "Preview hidden in discreet mode: p shows it" in text_of(app, "#view-status")
        assert not app.screen.query_one("#view-preview-box").display
        assert "Show&#160;preview" in app.export_screenshot()  # in the footer
        await pilot.press("p")
        await settle(app, pilot)
        assert "rough preview" in text_of(app, "#view-status")
        assert app.screen.query_one("#view-preview-box").display
        assert "Show&#160;preview" not in app.export_screenshot()
        await pilot.press("escape", "d", "v")  # out of discreet mode: drawn at once, no p
        await settle(app, pilot)
        assert app.screen.query_one("#view-preview-box").display
        await pilot.press("d")
        await settle(app, pilot)
        assert not app.screen.query_one("#view-preview-box").display


async def test_without_the_preview_library_the_screen_says_no_preview(
    place: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "rich_pixels", None)  # as if it were not installed
    attach(place, jpeg_with_exif(place["files"] / "injuries.jpg"))
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("v")
        await settle(app, pilot)
        assert "No preview" in text_of(app, "#view-status")
        assert "image/jpeg" in text_of(app, "#view-title") and "Added" in text_of(app, "#view-facts")


# -- discreet mode ---------------------------------------------------------------------------------------


async def test_discreet_mode_hides_a_file_name_that_names_a_contact(place: dict[str, Any]) -> None:
    named = place["files"] / "amina_YUSUF_injuries.txt"
    named.write_text("what happened\n")
    attach(place, named)
    plain = place["files"] / "court-summons.txt"
    plain.write_text("the summons\n")
    attach(place, plain)
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        assert [r[0] for r in rows_of(app)] == ["amina_YUSUF_injuries.txt", "court-summons.txt"]
        await pilot.press("d")
        await pilot.pause()
        assert [r[0] for r in rows_of(app)] == ["[name hidden].txt", "court-summons.txt"]
        assert "amina" not in text_of(app, "#attachment-detail").lower()
        await pilot.press("v")
        await settle(app, pilot)
        assert text_of(app, "#view-title").startswith("[name hidden].txt")
        await pilot.press("escape", "delete")
        await pilot.pause()
        question = text_of(app, "#confirm-question")
        assert "[name hidden].txt" in question and "amina" not in question.lower()
        await pilot.press("y")
        await pilot.pause()
        notices = [n.message for n in app._notifications]
        assert any("Deleted [name hidden].txt" in n for n in notices)
        assert not any("amina" in n.lower() for n in notices)
        await pilot.press("escape")
        await pilot.pause()
        assert "amina" not in text_of(app, "#detail-attachments").lower()


def test_the_name_rule_folds_case_and_accents_and_sees_joined_words(place: dict[str, Any]) -> None:
    with vault_session(place["vault"]) as session:
        contacts.create_contact(session, {"name": "José Núñez", "codename": "Kite-12"})  # type: ignore[arg-type]
    opened = vault_mod.unlock(place["vault"], vault_mod.Secret(PASSPHRASE))
    try:
        shown = attachments.name_hider(opened.store)
        assert shown("Amina_Yusuf_injuries.jpg") == "[name hidden].jpg"
        assert shown("AminaYusuf-2026.PNG") == "[name hidden].png"
        assert shown("aminayusuf.jpg") == "[name hidden].jpg"
        assert shown("jose-nunez statement.pdf") == "[name hidden].pdf"
        assert shown("NUNEZ.txt") == "[name hidden].txt"
        assert shown("summons-2026.pdf") == "summons-2026.pdf"
        assert shown("Heron-707.txt") == "Heron-707.txt"  # a codename may be shown
    finally:
        opened.close()


# -- files --------------------------------------------------------------------------------------------------


def pdf_with_text(path: Path, text: str) -> Path:
    """A one-page PDF whose page draws ``text`` in Helvetica, and names its author."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=400, height=200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Author": "Inspector Grey"})
    with path.open("wb") as f:
        writer.write(f)
    return path


# -- under stress ------------------------------------------------------------------------------------


def sparse(place: dict[str, Any], name: str = "video.bin", mib: int = 48) -> Path:
    """A file whose size is the point (the intake must still be running when a key
    comes), made in no time and no disk space."""
    path = place["files"] / name
    with path.open("wb") as f:
        f.truncate(mib * 1024 * 1024)
    return path


async def intake_running(app: Any, place: dict[str, Any], path: Path, note: str = "") -> Any:
    """The add dialog taking ``path`` in, its worker inside its transaction."""
    app.screen.query_one("#path", PathInput).value = str(path)
    app.screen.query_one("#note", Input).value = note
    app.screen.action_run()  # as Enter does (a key would wait for the keys held meanwhile)
    (intake,) = [w for w in app.workers if w.group == "attachment-path"]
    while intake.state is not WorkerState.RUNNING:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # writing chunks
    assert intake.state is WorkerState.RUNNING
    return intake


def kept_in(place: dict[str, Any], app: Any = None) -> tuple[list[str], int]:
    """The attachments' names and the number of chunks the vault holds (the demo's files
    among them); through the running ``app``'s store, if given (it holds the vault)."""
    with app.session("reading") if app is not None else vault_session(place["vault"]) as session:
        names = [a.name for a in attachments.listed(session, deleted=True)]
        chunks = session.exec(select(func.count()).select_from(attachment_chunk)).one()
    return names, int(chunks)


def typed(app: Any, *keys: tuple[str, str | None]) -> None:
    """Keys arriving together, as from the terminal (Pilot's press waits for an idle
    process, which an intake's worker is not)."""
    for key, char in keys:
        app.post_message(events.Key(key, char))


async def test_locking_while_a_file_is_taken_in_cancels_it_and_shows_the_prompt(
    place: dict[str, Any],
) -> None:
    """The idle lock during an intake stops it between two chunks (the store's close
    waits for its transaction: a 4 GiB file would hold the lock a minute) and keeps
    nothing. The intake's worker then ends after the lock popped its dialog, still
    attached (Textual detaches it later): it must not dismiss the unlock prompt (the
    app stopped with an internal error). Before that, a named pipe is refused at once."""
    fifo = place["files"] / "pipe"
    os.mkfifo(fifo)
    video = sparse(place)
    before = kept_in(place)
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, AddAttachmentModal)
        app.screen.query_one("#path", PathInput).value = str(fifo)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "is a named pipe (FIFO), not a file" in text_of(app, "#error-path")
        intake = await intake_running(app, place, video)
        began = time.monotonic()
        app.action_lock()  # as the idle lock does
        assert time.monotonic() - began < 1.0  # not the rest of the intake
        assert isinstance(app.screen, UnlockScreen)
        await settle(app, pilot)  # raised WorkerFailed (ScreenStackError) before
        assert intake.state is WorkerState.SUCCESS
        assert isinstance(app.screen, UnlockScreen) and len(app.screen_stack) == 1
    assert kept_in(place) == before


async def test_escape_during_an_intake_cancels_it_and_keeps_what_was_typed(place: dict[str, Any]) -> None:
    """Esc typed after another key while a file is taken in (both held): it stops the
    intake, which keeps nothing, and is spent doing so (the dialog stays, with the path,
    the note and the word "Cancelled"); the key before it still reaches the field."""
    video = sparse(place)
    before = kept_in(place)
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("n")
        await pilot.pause()
        note = app.screen.query_one("#note", Input)
        note.focus()  # Enter typed in the note starts the intake
        await intake_running(app, place, video, note="from the [b]lawyer[/b]")
        note.cursor_position = len(note.value)
        typed(app, ("x", "x"), ("escape", None))
        await settle(app, pilot)
        assert isinstance(app.screen, AddAttachmentModal)
        assert text_of(app, "#path-status") == "Cancelled: nothing was kept."
        assert text_of(app, "#error-path") == ""
        assert app.screen.query_one("#path", PathInput).value == str(video)
        assert app.screen.focused is note and note.value == "from the [b]lawyer[/b]x"
        assert kept_in(place, app) == before
        await pilot.press("escape")  # now it closes the dialog, as ever
        assert isinstance(app.screen, AttachmentsScreen) and rows_of(app) == []


async def test_the_lock_key_during_an_intake_cancels_it_then_locks(place: dict[str, Any]) -> None:
    """ctrl+l typed while a file is taken in is not kept waiting behind the intake: it
    stops it, then locks."""
    video = sparse(place)
    before = kept_in(place)
    app = app_for(place)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await open_list(app, pilot, place)
        await pilot.press("n")
        await pilot.pause()
        intake = await intake_running(app, place, video)
        began = time.monotonic()
        typed(app, ("y", "y"), ("ctrl+l", None))
        while not isinstance(app.screen, UnlockScreen) and time.monotonic() - began < 5:
            await asyncio.sleep(0.01)
        assert isinstance(app.screen, UnlockScreen) and time.monotonic() - began < 1.0
        await settle(app, pilot)
        assert intake.state is WorkerState.SUCCESS and len(app.screen_stack) == 1
    assert kept_in(place) == before
