"""The real hrd-tui in a real terminal (tmux): unlock, move, lock via the palette,
then kill the terminal (SIGHUP): the process is gone within 2 s and the vault checks clean."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli
from helpers.tmux import env_settings, gone_within, needs_tmux, pane_pid, program, send, start, tmux, unlock, wait_for

pytestmark = needs_tmux

DRAFT_APP = Path(__file__).parent.parent / "helpers" / "draft_app.py"


def test_unlock_navigate_lock_and_hang_up(tmp_path: Path) -> None:
    vault_dir = tmp_path / "demo"
    assert run_cli("--vault", str(vault_dir), "demo", "--create-only").returncode == 0
    # 16 colours, as on a Linux console or an SSH client that drops COLORTERM
    session = start(program(vault_dir, tmp_path, "TERM=xterm", "TEXTUAL_COLOR_SYSTEM=standard"))
    try:
        screen = unlock(session, "demo", "Follow-ups due")
        assert "[t Today]" in screen and "r Reports" in screen  # every section in the bar at 80 columns
        send(session, "c")
        screen = wait_for(session, "[c Contacts]")
        assert "Ирина Волкова" in wait_for(
            session, "overdue for a check-in"
        )  # the list, real names (discreet mode off)
        send(session, "C-p")
        wait_for(session, "Search for commands")
        send(session, "Lock")
        wait_for(session, "Lock the vault now")  # the command is found before Enter picks it
        send(session, "Enter")
        screen = wait_for(session, "the vault is locked")
        assert "Ирина" not in screen
        pid = pane_pid(session)
        send(session, "demo", "Enter")
        wait_for(session, "[c Contacts]")  # back where the officer was
    finally:
        tmux("kill-session", "-t", session)  # the terminal goes away: SIGHUP
    assert gone_within(pid, 2), "the app kept running after its terminal went away"
    assert not (vault_dir / "vault.db-wal").exists()  # closed cleanly, WAL checkpointed
    pw = tmp_path / "pw"
    pw.write_text("demo\n")
    assert run_cli("--vault", str(vault_dir), "--passphrase-file", str(pw), "check").returncode == 0


@pytest.mark.parametrize("how", ["hangup", "sigterm"])
def test_text_being_typed_survives_a_hangup_or_sigterm(tmp_path: Path, how: str) -> None:
    from conftest import find_markers

    vault_dir = tmp_path / "demo"
    assert run_cli("--vault", str(vault_dir), "demo", "--create-only").returncode == 0
    command = f"env {env_settings()} {sys.executable} {DRAFT_APP} {vault_dir} {tmp_path / 'settings.json'}"

    def start_and_unlock() -> str:
        session = start(command, "hrd-e2e-draft")
        unlock(session, "demo", "test screen with a text field")
        return session

    session = start_and_unlock()
    send(session, "HALF-TYPED-LINE")
    wait_for(session, "HALF-TYPED-LINE")
    pid = pane_pid(session)
    if how == "hangup":
        tmux("kill-session", "-t", session)
    else:
        os.kill(pid, 15)
    assert gone_within(pid, 2), f"still running after {how}"
    tmux("kill-session", "-t", session)
    assert find_markers([vault_dir], ["HALF-TYPED-LINE"]) == []  # saved encrypted, not in clear
    session = start_and_unlock()
    try:
        wait_for(session, "HALF-TYPED-LINE")
        wait_for(session, "Recovered")  # the notice says so
    finally:
        tmux("kill-session", "-t", session)


@pytest.mark.parametrize("how", ["kill-9", "hangup"])
def test_a_quick_note_line_survives_kill_9_and_a_dropped_link(tmp_path: Path, how: str) -> None:
    """The real program at a hearing: half a line typed, then kill -9 (nothing runs
    to save it: only the 2-second autosave) or the terminal killed (SIGHUP); the next
    start and unlock opens the note screen with the line back."""
    from conftest import find_markers

    vault_dir = tmp_path / "demo"
    assert run_cli("--vault", str(vault_dir), "demo", "--create-only").returncode == 0  # a hearing today
    command = program(vault_dir, tmp_path)

    session = start(command, "hrd-e2e-note")
    unlock(session, "demo", "[t Today]")
    send(session, "w")
    wait_for(session, "type, then Enter")
    send(session, "HALFTYPED witness said")
    wait_for(session, "HALFTYPED witness said")
    time.sleep(2.6)  # the autosave runs at most every 2 seconds while the line changes
    pid = pane_pid(session)
    if how == "kill-9":
        os.kill(pid, 9)
    else:
        tmux("kill-session", "-t", session)
    assert gone_within(pid, 2), f"still running after {how}"
    tmux("kill-session", "-t", session)
    assert find_markers([vault_dir], ["HALFTYPED"]) == []  # saved encrypted, never in clear
    session = start(command, "hrd-e2e-note")
    try:
        screen = unlock(session, "demo", "HALFTYPED witness said")
        assert "Notes:" in screen  # straight back to the note screen, not just the text somewhere
        wait_for(session, "Recovered")  # and a notice says so
    finally:
        tmux("kill-session", "-t", session)
