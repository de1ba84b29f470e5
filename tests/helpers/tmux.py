"""The real hrd-tui in a real terminal, for the end-to-end tests (tests/e2e).

A pane of 80x24 in tmux runs the installed program with the test settings
(``frozen_settings``: the test KDF and the frozen clock) and config, data, state
and cache folders of its own. Keys go in as a terminal sends them (``send``: one
``send-keys`` call, so that they arrive together), text as a bracketed paste
(``paste``), and the screen is polled for what a test expects: never a fixed sleep.

The tests' tmux server is their own (a socket per test process, no config file):
apart from the officer's sessions, and from a global environment some earlier
run left behind in a shared server.
"""

from __future__ import annotations

import atexit
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import pytest

from conftest import frozen_settings

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")

#: A socket in a folder of this process's own, removed at exit (tmux never removes its socket).
_SOCKET_DIR = tempfile.mkdtemp(prefix="hrd-tests-tmux-")
SOCKET = os.path.join(_SOCKET_DIR, "socket")
atexit.register(shutil.rmtree, _SOCKET_DIR, True)
#: The installed console script, as an officer starts it.
HRD = Path(sys.executable).with_name("hrd-tui")
_sessions = count(1)


def run_tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-S", SOCKET, "-f", os.devnull, *args], capture_output=True, text=True, check=False)


@atexit.register
def _end_server() -> None:
    """Whatever a failed test left running (run before the socket's folder goes)."""
    if os.path.exists(SOCKET):
        run_tmux("kill-server")


def tmux(*args: str) -> str:
    return run_tmux(*args).stdout


def env_settings() -> str:
    """HRD_TUI_TEST_KDF=1 and the frozen clock, for ``env`` on a tmux command line."""
    return " ".join(f"{name}={shlex.quote(value)}" for name, value in frozen_settings().items())


def program(vault_dir: Path, home: Path, *settings: str) -> str:
    """The command line of the installed hrd-tui on ``vault_dir``, its XDG folders
    under ``home``; ``settings`` are more NAME=value for its environment."""
    folders = [f"XDG_{kind}_HOME={shlex.quote(str(home / kind.lower()))}" for kind in ("CONFIG", "DATA", "STATE", "CACHE")]
    return " ".join(["env", env_settings(), *folders, *settings, str(HRD), "--vault", shlex.quote(str(vault_dir))])


def start(command: str, name: str = "hrd-e2e") -> str:
    """A new 80x24 terminal running ``command`` (tmux execs it: no shell in between); its session name."""
    session = f"{name}-{os.getpid()}-{next(_sessions)}"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    return session


@contextmanager
def terminal(command: str, name: str = "hrd-e2e") -> Iterator[str]:
    """``start``, and the terminal closed at the end whatever happened (SIGHUP to what still runs)."""
    session = start(command, name)
    try:
        yield session
    finally:
        tmux("kill-session", "-t", session)


def send(session: str, *keys: str) -> None:
    """Keys as the terminal sends them, all in one ``send-keys`` call (they arrive
    together, as over a stalled link): text, or key names such as Enter, Tab, Escape, F2."""
    tmux("send-keys", "-t", session, *keys)


def paste(session: str, text: str) -> None:
    """``text`` as a bracketed paste (the program asked the terminal for them), newlines
    arriving as a terminal sends them (CR)."""
    buffer = f"{session}-paste"
    tmux("set-buffer", "-b", buffer, "--", text)
    tmux("paste-buffer", "-p", "-d", "-b", buffer, "-t", session)


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_until(session: str, shows: Callable[[str], bool], what: str, timeout: float = 20) -> str:
    """The screen, once ``shows(screen)``: polled, as a frame may show some widgets
    already redrawn and others not yet."""
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(session)
        if shows(shown):
            return shown
        time.sleep(0.05)
    raise AssertionError(f"{what} never appeared; the screen was:\n{shown}")


def wait_for(session: str, *texts: str, timeout: float = 20) -> str:
    """The screen, once every one of ``texts`` is on it."""
    return wait_until(session, lambda shown: all(text in shown for text in texts),
                      " and ".join(map(repr, texts)), timeout)


def unlock(session: str, passphrase: str, then: str) -> str:
    """Type the passphrase on the unlock screen; the screen once ``then`` shows."""
    wait_for(session, "the vault is locked")
    send(session, passphrase, "Enter")
    return wait_for(session, then)


def closed(session: str, timeout: float = 10) -> bool:
    """True once the session is gone (its program exited, the pane closed with it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if run_tmux("has-session", "-t", session).returncode != 0:
            return True
        time.sleep(0.05)
    return False


def pane_pid(session: str) -> int:
    """The program in the pane (tmux execs it directly: no shell in between)."""
    return int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())


def exited(pid: int) -> bool:
    """Gone, or a zombie (it has exited; tmux, its parent, reaps it in its own time)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if exited(pid):
            return True
        time.sleep(0.05)
    return False
