"""Issue 22's typing, in the real program in a real terminal (tmux, 80x24): the unlock
screen's recovery code, the settings form, and the contact detail's corrections (a
channel retired on a day, an interaction's summary edited). Keys are sent together in
one ``send-keys`` call, text as a bracketed paste (``paste-buffer -p``); what was saved
is read back from the vault (or the settings file) once the program has quit."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE, vault_session
from helpers.tmux import closed, needs_tmux, paste, program, screen, send, terminal, unlock, wait_for, wait_until
from sqlmodel import select

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.models import Interaction, SecureChannel
from hrd_tui.services import contacts

pytestmark = needs_tmux

RETIRED_ON = "2026-11-20"  # a week before the frozen day
SUMMARY = ["Talked about the eviction", "and the appeal on 3 December"]


@pytest.fixture
def vault(tmp_path: Path) -> tuple[Path, str]:
    """Ana with a preferred Signal channel and a meeting; Boris besides. The vault and its recovery code."""
    vault_dir = tmp_path / "vault"
    opened, code = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session("test data") as session:
        ana = contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
        boris = contacts.create_contact(session, {"name": "Борис Петров", "codename": "Cedar-202"})
        contacts.add_channel(session, ana, {"kind": "signal", "handle": "+15550100", "preferred": True})
        contacts.log_interaction(
            session,
            {"kind": "meeting", "occurred_at": wallclock.now() - timedelta(hours=2), "summary": "Met at the office"},
            [ana, boris],
            [],
        )
    return vault_dir, code


@pytest.fixture
def app(vault: tuple[Path, str], tmp_path: Path) -> Iterator[str]:
    """The program started on the vault, still locked: its tmux session."""
    with terminal(program(vault[0], tmp_path), "hrd-typing22") as session:
        wait_for(session, "the vault is locked")
        yield session


def settings_file(tmp_path: Path) -> Path:
    """Where the program under ``program(vault, tmp_path)`` keeps its settings (XDG_CONFIG_HOME)."""
    return tmp_path / "config" / "hrd-tui" / "settings.json"


def quit_app(session: str) -> None:
    """q from a section (never right after an Escape: the two would read as alt+q)."""
    send(session, "q")
    assert closed(session), f"still running after q; the screen was:\n{screen(session)}"


# -- the recovery code on the unlock screen -----------------------------------------------


def recovery_mode(session: str) -> None:
    send(session, "C-r")
    wait_for(session, "Recovery code")


def never_in_clear(session: str, code: str) -> str:
    """The screen once the code's dots are in the field; the code (or any group of it) not on it."""
    shown = wait_for(session, "•" * len(code), timeout=5)
    assert "•" * (len(code) + 1) not in shown
    assert not any(group in shown for group in code.split("-")), shown
    return shown


def test_a_pasted_recovery_code_stays_hidden_until_asked_and_unlocks(app: str, vault: tuple[Path, str]) -> None:
    code = vault[1]
    recovery_mode(app)
    paste(app, code)
    never_in_clear(app, code)
    time.sleep(0.3)  # a settle: what a paste that submitted or showed the code would show by now
    shown = screen(app)
    assert code not in shown and "the vault is locked" in shown and "Deriving" not in shown
    send(app, "C-t")
    wait_for(app, code, "Recovery code (shown: ctrl+t hides it)")
    send(app, "C-t")
    never_in_clear(app, code)
    send(app, "Enter")
    shown = wait_for(app, "[t Today]")
    assert code not in shown


def test_a_recovery_code_typed_in_one_burst_is_hidden_and_unlocks(app: str, vault: tuple[Path, str]) -> None:
    code = vault[1].lower()  # any case is accepted
    send(app, "C-r", code)  # the switch and the code together
    never_in_clear(app, code)
    assert "Recovery code" in screen(app)
    send(app, "C-t")
    wait_for(app, code, "Recovery code (shown: ctrl+t hides it)")
    send(app, "C-t")
    never_in_clear(app, code)
    send(app, "Enter")
    wait_for(app, "[t Today]")


def test_a_recovery_code_sent_with_its_enter_is_never_on_screen_and_unlocks(app: str, vault: tuple[Path, str]) -> None:
    """The switch, the code and Enter in one burst: every frame polled until the vault is open."""
    code = vault[1]
    send(app, "C-r", code, "Enter")
    frames: list[str] = []
    shown = wait_until(app, lambda shown: frames.append(shown) or "[t Today]" in shown, "the vault open")
    assert not any(group in frame for frame in frames for group in code.split("-")), shown


# -- the settings form ----------------------------------------------------------------------


def idle_lock_field(shown: str) -> str:
    """What the idle-lock field holds: the row under its label, between the box's sides (the focused field's ║)."""
    lines = shown.splitlines()
    label = next((n for n, line in enumerate(lines) if "Lock after this many idle minutes" in line), None)
    if label is None or label + 1 >= len(lines) or lines[label + 1].count("║") != 2:
        return ""
    return lines[label + 1].split("║")[1].strip()


def test_idle_lock_minutes_sent_with_the_save_key_are_saved_as_typed(app: str, tmp_path: Path) -> None:
    unlock(app, PASSPHRASE, "[t Today]")
    send(app, ",", "C-u", "17", "Enter")  # the form opens while its keys arrive; Enter saves
    wait_for(app, "Settings saved.")
    assert "Lock after this many idle minutes" not in screen(app)
    assert json.loads(settings_file(tmp_path).read_text()) == {"idle_lock_minutes": 17}


def test_idle_lock_minutes_pasted_bad_then_good(app: str, tmp_path: Path) -> None:
    unlock(app, PASSPHRASE, "[t Today]")
    send(app, ",")
    wait_for(app, "Lock after this many idle minutes (1 to 240)")
    send(app, "C-u")
    paste(app, "-3")
    send(app, "F2")
    shown = wait_for(app, "-3 is out of range: it must be from 1 to 240 minutes")
    assert idle_lock_field(shown) == "-3", shown  # what was typed, kept in the field
    assert not settings_file(tmp_path).exists()  # refused: nothing written
    send(app, "C-u")
    paste(app, "42\n")  # a copy with its newline: the field takes the number alone
    wait_until(app, lambda shown: idle_lock_field(shown) == "42", "42 in the field")
    send(app, "F2")
    wait_for(app, "Settings saved.")
    assert json.loads(settings_file(tmp_path).read_text()) == {"idle_lock_minutes": 42}


# -- the contact detail's corrections ---------------------------------------------------------


def to_ana(session: str) -> None:
    unlock(session, PASSPHRASE, "[t Today]")
    send(session, "c")
    wait_for(session, "2 contacts")
    send(session, "/", "Heron", "Enter")  # Enter: from the filter to the list
    wait_until(session, lambda shown: "1 contact" in shown and "Борис" not in shown, "Ana alone")
    send(session, "Enter")
    wait_for(session, "Secure channels")


def back_and_quit(session: str) -> None:
    send(session, "Escape")
    wait_for(session, "[c Contacts]", "1 contact")  # the list again
    quit_app(session)


def test_a_channel_retired_on_a_day_typed_in_one_burst(app: str, vault: tuple[Path, str]) -> None:
    to_ana(app)
    send(app, "f")
    wait_for(app, "Correct which record?")
    send(app, "Enter")
    wait_for(app, "Retire it on a day")
    # "Retire it on a day", the date over the day it offers, and Enter to save: together,
    # the form opening while its keys arrive
    send(app, "Down", "Enter", *["BSpace"] * 10, RETIRED_ON, "Enter")
    wait_for(app, f"(retired {RETIRED_ON})")
    back_and_quit(app)
    with vault_session(vault[0]) as s:
        (channel,) = s.exec(select(SecureChannel)).all()  # type: ignore[attr-defined]
        assert channel.retired_on == date.fromisoformat(RETIRED_ON) and not channel.preferred


def test_an_interaction_summary_pasted_in_two_lines_keeps_both_in_order(app: str, vault: tuple[Path, str]) -> None:
    to_ana(app)
    send(app, "f")
    wait_for(app, "Correct which record?")
    send(app, "Down", "Enter")  # the channel, then the interaction
    wait_for(app, "What to do with this interaction?")
    send(app, "Enter")
    wait_for(app, "Correct the interaction")
    send(app, "C-u")
    paste(app, "\n".join(SUMMARY))
    wait_for(app, "2 pasted lines joined")
    send(app, "Enter")
    # Saved: the form gone, the detail back (the joined line was shown in the form itself,
    # so waiting for it let the next key in before the save on a loaded machine).
    wait_until(app, lambda shown: "Correct the interaction" not in shown and "Secure channels" in shown, "the save")
    back_and_quit(app)
    with vault_session(vault[0]) as s:
        (interaction,) = s.exec(select(Interaction)).all()  # type: ignore[attr-defined]
        assert interaction.summary == " ".join(SUMMARY)
