"""Typing as it arrives over a real terminal: the installed hrd-tui in tmux, keys sent
together in one ``send-keys`` call (a stalled SSH link delivers them so) and text as a
bracketed paste (``paste-buffer -p``), into the note line, the new-contact and
new-case forms, the contacts filter and the unlock field; then the vault read back
through ``hrd-tui export --format json``: each key once, in the order typed."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE, run_cli
from helpers.tmux import closed, needs_tmux, paste, program, screen, send, terminal, unlock, wait_for, wait_until

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.services import contacts, trials

pytestmark = needs_tmux

NOTES = ["alpha one", "bravo two", "charlie three", "delta four", "echo five"]
PASTED = ["foxtrot six", "golf seven", "hotel eight"]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """Three contacts, and a trial with a hearing that started a moment ago (in progress)."""
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session("test data") as session:
        ana = contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
        contacts.create_contact(session, {"name": "Борис Петров", "codename": "Cedar-202"})
        contacts.create_contact(session, {"name": "Carla Mendes", "codename": "Wren-404"})
        trial = trials.create_trial(
            session,
            {"title": "State v. Ana Núñez", "court": "Port Calder District Court", "case_number": "2026/114"},
            [ana],
        )
        trials.add_hearing(session, trial, {"starts_at": wallclock.local_now(), "court": "Port Calder District Court"})
    return vault_dir


@pytest.fixture
def app(vault: Path, tmp_path: Path) -> Iterator[str]:
    """The program started on the vault, still locked: its tmux session."""
    with terminal(program(vault, tmp_path), "hrd-typing") as session:
        wait_for(session, "the vault is locked")
        yield session


def unlocked(session: str) -> None:
    unlock(session, PASSPHRASE, "[t Today]")


def quit_app(session: str) -> None:
    """q from a section (never right after an Escape: the two would read as alt+q)."""
    send(session, "q")
    assert closed(session), f"still running after q; the screen was:\n{screen(session)}"


def logged(shown: str) -> list[str]:
    """The note screen's log: each saved line's text, after its time."""
    return [m.group(1) for m in re.finditer(r"^ \d\d:\d\d (.+?)\s*$", shown, re.MULTILINE)]


def filter_field(shown: str) -> str:
    """What the contacts filter holds (the second row, left of the count, inside the field's side lines)."""
    return shown.splitlines()[1].rsplit("  ", 1)[0].strip().strip("│║").strip() if len(shown.splitlines()) > 1 else ""


def export(vault_dir: Path, tmp_path: Path) -> dict[str, Any]:
    passfile = tmp_path / "pw"
    passfile.write_text(PASSPHRASE + "\n")
    result = run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def by_name(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [c for c in doc["contacts"] if c["name"] == name]


def test_note_lines_sent_together_and_pasted_are_each_one_note_in_order(app: str, vault: Path, tmp_path: Path) -> None:
    unlocked(app)
    send(app, "w")
    wait_for(app, "type, then Enter")
    send(app, *(key for line in NOTES for key in (line, "Enter")))  # five lines in one send-keys
    wait_until(app, lambda shown: logged(shown) == NOTES, f"the log {NOTES}")
    paste(app, "".join(f"{line}\n" for line in PASTED))
    wait_until(app, lambda shown: logged(shown) == NOTES + PASTED, f"the log {NOTES + PASTED}")
    wait_for(app, "8 lines.", "3 lines saved.")
    send(app, "Escape")
    wait_for(app, "[t Today]")
    quit_app(app)
    notes = sorted(export(vault, tmp_path)["trial_notes"], key=lambda n: n["noted_at"])  # stable: ties in rowid order
    assert [n["text"] for n in notes] == NOTES + PASTED


def test_new_contact_typed_in_one_burst_is_saved_as_typed(app: str, vault: Path, tmp_path: Path) -> None:
    unlocked(app)
    send(app, "c")
    wait_for(app, "3 contacts")
    send(app, "n", "Zofia Brandt", "Tab", "Lark-303", "Enter")  # the form opens while its keys arrive
    wait_for(app, "4 contacts")  # saved, back on the list
    quit_app(app)
    doc = export(vault, tmp_path)
    assert [c["codename"] for c in by_name(doc, "Zofia Brandt")] == ["Lark-303"]
    assert len(doc["contacts"]) == 4


def test_new_case_stays_open_when_a_section_key_follows_the_burst(app: str, vault: Path, tmp_path: Path) -> None:
    unlocked(app)
    send(app, "a")
    wait_for(app, "[a Threats]")
    # Tab, then 1 (Today) on the urgency choice: refused, the form stays
    send(app, "n", "Raid on the Lark office", "Tab", "Heron-101", "Tab", "1")
    shown = wait_for(app, "Save (F2) or leave (Esc)", "Raid on the Lark office", "Heron-101")  # the notice wraps
    assert "New threat case" in shown and "[t Today]" not in shown
    send(app, "Tab", "Police searched the office", "F2")
    shown = wait_for(app, "Defenders: Ana Núñez (Heron-101)", "Raid on the Lark office")  # saved: the case opens
    assert "New threat case" not in shown
    quit_app(app)
    doc = export(vault, tmp_path)
    assert [c["title"] for c in doc["threat_cases"]] == ["Raid on the Lark office"]
    heron = next(c["id"] for c in doc["contacts"] if c["codename"] == "Heron-101")
    assert [d["contact_id"] for d in doc["case_defenders"]] == [heron]
    assert [e["text"] for e in doc["timeline_events"]].count("Police searched the office") == 1


def test_filter_typed_in_one_burst_shows_just_the_match(app: str) -> None:
    unlocked(app)
    send(app, "c")
    wait_for(app, "3 contacts")
    send(app, "/", "Carla")  # c and a are section keys too, outside the filter
    shown = wait_until(
        app,
        lambda shown: filter_field(shown) == "Carla" and "1 contact" in shown and "1 contacts" not in shown,
        "'Carla' in the filter, and one contact",
    )
    assert "[c Contacts]" in shown
    assert "Carla Mendes" in shown and "Ana Núñez" not in shown and "Борис Петров" not in shown


def test_a_section_key_sent_with_the_passphrase_goes_to_the_unlocked_app(app: str) -> None:
    send(app, PASSPHRASE, "Enter", "c")
    wait_for(app, "[c Contacts]")


def test_a_pasted_passphrase_with_its_newline_fills_the_field_and_waits_for_enter(app: str) -> None:
    """A password manager's copy often ends in a newline: the paste fills the field
    with the passphrase alone (no newline kept in it) and unlocks nothing by itself:
    Enter, pressed on purpose, does."""
    paste(app, PASSPHRASE + "\n")
    masked = "•" * len(PASSPHRASE)  # one dot a character: the newline is not one of them
    wait_for(app, masked)
    time.sleep(0.5)  # a settle: what a paste that submitted would show by now
    shown = screen(app)
    assert masked in shown and masked + "•" not in shown
    assert "the vault is locked" in shown and "Deriving" not in shown
    send(app, "Enter")
    wait_for(app, "[t Today]")


def test_two_pasted_lines_in_the_contact_name_are_joined_by_a_space(app: str, vault: Path, tmp_path: Path) -> None:
    unlocked(app)
    send(app, "c")
    wait_for(app, "3 contacts")
    send(app, "n")
    wait_for(app, "New contact")
    paste(app, "Maria José\nda Silva-Ortega")
    wait_for(app, "Maria José da Silva-Ortega", "2 pasted lines joined")  # and said
    send(app, "Enter")
    wait_for(app, "4 contacts")
    quit_app(app)
    assert len(by_name(export(vault, tmp_path), "Maria José da Silva-Ortega")) == 1


def test_lines_pasted_into_the_new_case_form_are_kept_whole(app: str, vault: Path, tmp_path: Path) -> None:
    """A title copied over two lines and a two-line account of what happened, each pasted
    into its one-line field: every word kept, the lines joined by a space, and said."""
    unlocked(app)
    send(app, "a")
    wait_for(app, "[a Threats]")
    send(app, "n")
    wait_for(app, "New threat case")
    paste(app, "Raid on the\nLark office")
    wait_for(app, "Raid on the Lark office", "2 pasted lines joined")
    send(app, "Tab", "Heron-101", "Tab", "Tab")
    paste(app, "Police searched the office\nand took two laptops")
    wait_for(app, "2 pasted lines joined")
    send(app, "F2")
    wait_for(app, "Defenders: Ana Núñez (Heron-101)")
    quit_app(app)
    doc = export(vault, tmp_path)
    assert [c["title"] for c in doc["threat_cases"]] == ["Raid on the Lark office"]
    assert [e["text"] for e in doc["timeline_events"]].count("Police searched the office and took two laptops") == 1


def test_a_name_pasted_into_the_filter_with_its_newline_filters_by_the_name(app: str) -> None:
    unlocked(app)
    send(app, "c")
    wait_for(app, "3 contacts")
    send(app, "/")
    paste(app, "Carla\n")  # copied from a list: the line's end comes along
    shown = wait_until(
        app,
        lambda shown: filter_field(shown) == "Carla" and "1 contact" in shown and "1 contacts" not in shown,
        "'Carla' in the filter, and one contact",
    )
    assert "Carla Mendes" in shown and "Ana Núñez" not in shown
    assert "[c Contacts]" in shown  # no key of the paste reached the section bar
