"""The real hrd-tui in a real terminal (tmux): unlock, move, lock via the palette,
then kill the terminal (SIGHUP): the process is gone within 2 s and the vault checks clean."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import frozen_settings, run_cli

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")


def env_settings() -> str:
    """HRD_TUI_TEST_KDF=1 and the frozen clock, for ``env`` on a tmux command line."""
    return " ".join(f"{name}={value}" for name, value in frozen_settings().items())


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def wait_for(session: str, text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


DRAFT_APP = Path(__file__).parent.parent / "helpers" / "draft_app.py"


def pane_pid(session: str) -> int:
    """The program in the pane (tmux execs it directly: no shell in between)."""
    return int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())


def _exited(pid: int) -> bool:
    """Gone, or a zombie (it has exited; tmux, its parent, reaps it in its own time)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _exited(pid):
            return True
        time.sleep(0.05)
    return False


def test_unlock_navigate_lock_and_hang_up(tmp_path: Path) -> None:
    vault_dir = tmp_path / "demo"
    assert run_cli("--vault", str(vault_dir), "demo", "--create-only").returncode == 0
    session = f"hrd-e2e-{os.getpid()}"
    hrd = Path(sys.executable).with_name("hrd-tui")
    # 16 colours, as on a Linux console or an SSH client that drops COLORTERM
    env = f"{env_settings()} XDG_CONFIG_HOME={tmp_path / 'config'} TERM=xterm TEXTUAL_COLOR_SYSTEM=standard"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", f"env {env} {hrd} --vault {vault_dir}")
    try:
        wait_for(session, "the vault is locked")
        tmux("send-keys", "-t", session, "demo", "Enter")
        screen = wait_for(session, "Follow-ups due")
        assert "[t Today]" in screen and "r Reports" in screen  # every section in the bar at 80 columns
        tmux("send-keys", "-t", session, "c")
        screen = wait_for(session, "[c Contacts]")
        assert "Ирина Волкова" in wait_for(session, "overdue for a check-in")  # the list, real names (discreet mode off)
        tmux("send-keys", "-t", session, "C-p")
        wait_for(session, "Search for commands")
        tmux("send-keys", "-t", session, "Lock")
        wait_for(session, "Lock the vault now")  # the command is found before Enter picks it
        tmux("send-keys", "-t", session, "Enter")
        screen = wait_for(session, "the vault is locked")
        assert "Ирина" not in screen
        pid = pane_pid(session)
        tmux("send-keys", "-t", session, "demo", "Enter")
        wait_for(session, "[c Contacts]")  # back where the officer was
    finally:
        tmux("kill-session", "-t", session)  # the terminal goes away: SIGHUP
    assert _gone_within(pid, 2), "the app kept running after its terminal went away"
    assert not (vault_dir / "vault.db-wal").exists()  # closed cleanly, WAL checkpointed
    pw = tmp_path / "pw"
    pw.write_text("demo\n")
    assert run_cli("--vault", str(vault_dir), "--passphrase-file", str(pw), "check").returncode == 0


@pytest.mark.parametrize("how", ["hangup", "sigterm"])
def test_text_being_typed_survives_a_hangup_or_sigterm(tmp_path: Path, how: str) -> None:
    from conftest import find_markers

    vault_dir = tmp_path / "demo"
    assert run_cli("--vault", str(vault_dir), "demo", "--create-only").returncode == 0
    session = f"hrd-e2e-draft-{os.getpid()}"
    command = f"env {env_settings()} {sys.executable} {DRAFT_APP} {vault_dir} {tmp_path / 'settings.json'}"

    def start_and_unlock() -> None:
        tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
        wait_for(session, "the vault is locked")
        tmux("send-keys", "-t", session, "demo", "Enter")
        wait_for(session, "test screen with a text field")

    start_and_unlock()
    tmux("send-keys", "-t", session, "HALF-TYPED-LINE")
    wait_for(session, "HALF-TYPED-LINE")
    pid = pane_pid(session)
    if how == "hangup":
        tmux("kill-session", "-t", session)
    else:
        os.kill(pid, 15)
    assert _gone_within(pid, 2), f"still running after {how}"
    tmux("kill-session", "-t", session)
    assert find_markers([vault_dir], ["HALF-TYPED-LINE"]) == []  # saved encrypted, not in clear
    start_and_unlock()
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
    session = f"hrd-e2e-note-{os.getpid()}"
    hrd = Path(sys.executable).with_name("hrd-tui")
    command = f"env {env_settings()} XDG_CONFIG_HOME={tmp_path / 'config'} {hrd} --vault {vault_dir}"

    def start_and_unlock(then: str) -> str:
        tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
        wait_for(session, "the vault is locked")
        tmux("send-keys", "-t", session, "demo", "Enter")
        return wait_for(session, then)

    start_and_unlock("[t Today]")
    tmux("send-keys", "-t", session, "w")
    wait_for(session, "type, then Enter")
    tmux("send-keys", "-t", session, "HALFTYPED witness said")
    wait_for(session, "HALFTYPED witness said")
    time.sleep(2.6)  # the autosave runs at most every 2 seconds while the line changes
    pid = pane_pid(session)
    if how == "kill-9":
        os.kill(pid, 9)
    else:
        tmux("kill-session", "-t", session)
    assert _gone_within(pid, 2), f"still running after {how}"
    tmux("kill-session", "-t", session)
    assert find_markers([vault_dir], ["HALFTYPED"]) == []  # saved encrypted, never in clear
    try:
        screen = start_and_unlock("HALFTYPED witness said")
        assert "Notes:" in screen  # straight back to the note screen, not just the text somewhere
        wait_for(session, "Recovered")  # and a notice says so
    finally:
        tmux("kill-session", "-t", session)
