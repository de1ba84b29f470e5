"""Discreet mode (issue 16): one rule for every screen. Walks every screen and dialog
of the demo vault in discreet mode, collects every piece of text it shows (tables,
labels, lists, fields, titles, notices), and finds no contact's name in it: not a
whole name, not a part of one, not a defendant's name inside a trial title, not a
name an officer typed into a note. The real app, the real vault.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, demo_vault_at, unlock
from sqlmodel import select
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Static, TextArea

from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import Contact, Hearing, ThreatCase
from hrd_tui.screens.widgets.discreet_badge import DiscreetBadge
from hrd_tui.services import redaction, trials

#: Keys from a section that reach each screen and dialog (demo data).
WALKS: tuple[tuple[str, ...], ...] = (
    ("t",),
    ("c",),
    ("c", "enter"),
    ("c", "enter", "h"),
    ("c", "e"),
    ("c", "i"),
    ("c", "enter", "p"),
    ("c", "enter", "l"),
    ("a",),
    ("a", "enter"),
    ("a", "enter", "l"),
    ("a", "enter", "f"),
    ("a", "enter", "e"),
    ("a", "enter", "h"),
    ("a", "enter", "p"),
    ("a", "enter", "u"),
    ("a", "enter", "g"),
    ("a", "enter", "b"),
    ("a", "enter", "b", "n"),
    ("a", "enter", "i"),
    ("a", "enter", "i", "enter"),
    ("a", "enter", "A"),  # the case's evidence files: a summons named after the defender
    ("a", "enter", "A", "down"),
    ("a", "enter", "A", "down", "v"),  # its text names him too
    ("a", "enter", "A", "down", "x"),  # the export dialog suggests a name
    ("a", "enter", "A", "down", "delete"),  # the question names the file
    ("a", "enter", "A", "v"),  # the photo: metadata values hidden, no preview
    ("a", "enter", "A", "n"),
    ("a", "n"),
    ("a", "u"),
    ("a", "p"),
    ("o",),
    ("o", "enter"),
    ("o", "enter", "i"),
    ("o", "e"),
    ("o", "enter", "h"),
    ("o", "enter", "enter"),
    ("o", "enter", "enter", "w"),
    ("o", "enter", "enter", "e"),
    ("o", "enter", "enter", "f"),
    ("o", "enter", "enter", "A"),  # a hearing's evidence files
    ("k",),
    ("k", "s"),
    ("k", "enter"),
    ("m",),
    ("m", "enter"),
    ("m", "n"),
    ("m", "g"),
    ("m", "b"),
    ("r",),
    ("r", "f2"),
)
TYPED_NOTE = "Jose Nunez-Vidal says guards beat him"  # accents left out, as typed in a hurry


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def names_typed_in_text(session) -> None:  # type: ignore[no-untyped-def]
        for hearing in session.exec(select(Hearing)).all():
            trials.add_note(session, hearing, TYPED_NOTE)
        case = session.exec(select(ThreatCase)).first()
        assert case is not None
        case.summary = (case.summary or "") + "\nIrina said she met Jose Nunez-Vidal twice."
        session.add(case)

    return demo_vault_at(tmp_path_factory.mktemp("demo") / "vault", names_typed_in_text)


def names(vault_dir: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    """People (by whole name or any part of it) and organisations (by whole name: their
    words, "Port Calder", are ordinary words and places, and stay)."""
    with (
        vault_mod.unlock(vault_dir, vault_mod.Secret(PASSPHRASE), readonly=True) as opened,
        opened.store.session() as session,
    ):
        everyone = session.exec(select(Contact)).all()
        return (
            [(c.name, c.name, "") for c in everyone if not redaction.is_organisation(c)],  # codenames are allowed
            [c.name for c in everyone if redaction.is_organisation(c)],
        )


def leaks(text: str, people: list[tuple[str, str, str]], organisations: list[str]) -> list[str]:
    folded = " ".join(redaction.fold(text).split())
    return redaction.mentioned(text, people) + [
        o for o in organisations if " ".join(redaction.fold(o).split()) in folded
    ]


def shown_text(screen: Screen) -> str:  # type: ignore[type-arg]
    """Everything the screen shows in words, scrolled out of view or not."""
    parts = [screen.app.title, screen.sub_title or "", screen.title or ""]
    for widget in screen.query("*"):
        if isinstance(widget, Footer):
            continue
        if isinstance(widget, DataTable):
            parts += [str(col.label) for col in widget.columns.values()]
            parts += [str(cell) for row in range(widget.row_count) for cell in widget.get_row_at(row)]
        elif isinstance(widget, OptionList):
            parts += [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]
        elif isinstance(widget, Input):
            parts.append("" if widget.password else widget.value)
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    parts += [n.message for n in screen.app._notifications]
    return "\n".join(parts)


async def walk(app, pilot, keys: tuple[str, ...]) -> Screen:  # type: ignore[no-untyped-def,type-arg]
    for key in keys:
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
    return app.screen


@pytest.mark.parametrize("keys", WALKS, ids=["-".join(k) for k in WALKS])
async def test_no_name_on_any_screen_in_discreet_mode(demo_vault: Path, tmp_path: Path, keys: tuple[str, ...]) -> None:
    app = make_app(
        demo_vault, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY, export_dir=tmp_path / "exports"
    )
    people, organisations = names(demo_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("d")  # discreet mode on, as an officer would
        await pilot.pause()
        assert app.discreet
        screen = await walk(app, pilot, keys)
        text = shown_text(screen)
        found = leaks(text, people, organisations)
        assert not found, f"{type(screen).__name__} after {keys} shows {found}:\n{text}"
        badge = screen.query_one(DiscreetBadge)  # drawn on top, at the top right, on this very screen
        assert badge.display and badge.region.right == 80 and badge.region.y == 0
        assert screen.get_widget_at(badge.region.x, 0)[0] is badge, f"the badge is hidden on {type(screen).__name__}"
        for bar in screen.query("#section-bar"):  # and it hides no section's key
            assert len(str(bar.render()).rstrip()) < badge.region.x


async def test_a_multi_line_field_shows_codenames_until_revealed_and_saves_the_real_text(
    demo_vault: Path, tmp_path: Path
) -> None:
    import shutil

    from hrd_tui.screens.case_forms import CaseFormScreen
    from hrd_tui.screens.widgets.record_form import RecordForm

    vault_dir = tmp_path / "vault"
    shutil.copytree(demo_vault, vault_dir)
    app = make_app(
        vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY, export_dir=tmp_path / "exports"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        await pilot.press("d")
        screen = await walk(app, pilot, ("a", "enter", "e"))
        assert isinstance(screen, CaseFormScreen)
        summary = screen.query_one("#field-summary", TextArea)
        real = screen.query_one(RecordForm).raw("summary")
        assert "Jose Nunez-Vidal" in real  # what the field holds
        assert "Nunez" not in summary.text and summary.read_only  # what the screen shows
        assert "Nunez" not in "".join(app.drafts.values())  # the discreet version is never a draft
        summary.focus()
        await pilot.press("ctrl+r")  # this field only
        await pilot.pause()
        assert summary.text == real and not summary.read_only
        await pilot.press("X", "f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        with app.session() as session:
            case = session.get(ThreatCase, screen.case_id)  # type: ignore[attr-defined]
            assert case is not None and case.summary == "X" + real
