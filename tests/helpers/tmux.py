"""The real hrd-tui in a real terminal, for the end-to-end tests (tests/e2e).

A pane of 80x24 in tmux runs the installed program with the test settings
(``frozen_settings``: the test KDF and the frozen clock) and config, data, state
and cache folders of its own. The driver is helpers/terminal.py's ``Tmux``, shared
with bench/; here it is bound to the tests' own server (a socket per test process)
polled every 50 ms, and the functions below are its methods, as the tests name them.
"""

from __future__ import annotations

import shlex
import time
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from helpers.cli import frozen_settings
from helpers.terminal import HRD, Tmux, hrd_command, installed

needs_tmux = pytest.mark.skipif(not installed(), reason="tmux is not installed (.ci/run installs it)")

TESTS = Tmux.private("hrd-tests-tmux-")
SOCKET = TESTS.socket
run_tmux, tmux = TESTS.run, TESTS
send, paste, screen = TESTS.send, TESTS.paste, TESTS.screen
wait_until, wait_for, unlock, closed, pane_pid = (
    TESTS.wait_until,
    TESTS.wait_for,
    TESTS.unlock,
    TESTS.closed,
    TESTS.pane_pid,
)
__all__ = [
    "HRD",
    "SOCKET",
    "closed",
    "env_settings",
    "gone_within",
    "needs_tmux",
    "pane_pid",
    "paste",
    "program",
    "run_tmux",
    "screen",
    "send",
    "start",
    "terminal",
    "tmux",
    "unlock",
    "wait_for",
    "wait_until",
]


def env_settings() -> str:
    """HRD_TUI_TEST_KDF=1 and the frozen clock, for ``env`` on a tmux command line."""
    return " ".join(f"{name}={shlex.quote(value)}" for name, value in frozen_settings().items())


def program(vault_dir: Path, home: Path, *settings: str) -> str:
    """The command line of the installed hrd-tui on ``vault_dir``, its XDG folders
    under ``home``; ``settings`` are more NAME=value for its environment."""
    folders = {f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("CONFIG", "DATA", "STATE", "CACHE")}
    more = dict(setting.split("=", 1) for setting in settings)
    return hrd_command(vault_dir, {**frozen_settings(), **folders, **more})


def start(command: str, name: str = "hrd-e2e") -> str:
    """A new 80x24 terminal running ``command``; its session name."""
    return TESTS.start(command, name)


def terminal(command: str, name: str = "hrd-e2e") -> AbstractContextManager[str]:
    """``start``, and the terminal closed at the end whatever happened (SIGHUP to what still runs)."""
    return TESTS.terminal(command, name)


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
