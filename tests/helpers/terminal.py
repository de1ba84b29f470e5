"""The real hrd-tui in a real terminal: one tmux driver for the end-to-end tests
(helpers/tmux.py) and the benchmarks (bench/), so that both drive the program the
same way and a fix to one is a fix to both.

A ``Tmux`` is a tmux server of its own (a private socket, or a name of its own; no
config file), apart from the officer's sessions and from a global environment some
earlier run left behind in a shared server; it is killed at exit. Keys go in as a
terminal sends them (``send``: one ``send-keys`` call, so that they arrive together),
text as a bracketed paste (``paste``), and the screen is polled for what a caller
waits for, every ``poll`` seconds: never a fixed sleep. The tests poll every 50 ms;
the benchmarks every few ms or back to back, as the poll is their resolution.

Only the standard library: a benchmark imports this without pytest or the tests'
settings (the test KDF and the frozen clock are for the caller to put in ``env``).
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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from itertools import count
from pathlib import Path

#: The installed console script beside this Python, as an officer starts it.
HRD = Path(sys.executable).with_name("hrd-tui")
#: What the unlock screen shows until the vault is open.
LOCKED = "the vault is locked"


def installed() -> bool:
    """Whether tmux is on this machine (.ci/run installs it); without it, what needs a terminal is skipped."""
    return shutil.which("tmux") is not None


def hrd_command(vault_dir: Path, env: Mapping[str, str], unset: tuple[str, ...] = ()) -> str:
    """The command line of the installed hrd-tui on ``vault_dir`` with ``env`` set and
    ``unset`` removed: tmux starts a program with its server's environment, not ours,
    so say what is meant."""
    words = ["env", *(f"-u {name}" for name in unset), *(f"{name}={shlex.quote(value)}" for name, value in env.items())]
    return " ".join([*words, str(HRD), "--vault", shlex.quote(str(vault_dir))])


class Tmux:
    """A tmux server of our own and the terminals (sessions) on it, 80x24 unless told."""

    def __init__(self, *, socket: str | None = None, name: str | None = None, poll: float = 0.05) -> None:
        if (socket is None) == (name is None):
            raise ValueError("a socket path or a server name, one of them")
        self.socket = socket
        self.server = ["-S", socket] if socket is not None else ["-L", str(name)]
        self.poll = poll
        self._sessions = count(1)
        atexit.register(self.kill_server)  # whatever a failed run left running

    @classmethod
    def private(cls, prefix: str, poll: float = 0.05) -> Tmux:
        """On a socket in a folder of this process's own, removed at exit (tmux never
        removes its socket; the server is killed first, atexit runs in reverse)."""
        folder = tempfile.mkdtemp(prefix=prefix)
        atexit.register(shutil.rmtree, folder, True)
        return cls(socket=os.path.join(folder, "socket"), poll=poll)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", *self.server, "-f", os.devnull, *args], capture_output=True, text=True, check=False
        )

    def __call__(self, *args: str) -> str:
        """A tmux command on this server; what it printed."""
        return self.run(*args).stdout

    def kill_server(self) -> None:
        """The server and its terminals gone; a named server's socket too (tmux leaves it
        behind in /tmp; a private socket's folder is removed at exit)."""
        if self.socket is not None:
            if os.path.exists(self.socket):
                self.run("kill-server")
            return
        socket = self("display-message", "-p", "#{socket_path}").strip()  # empty: no server running
        self.run("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)

    def start(self, command: str, name: str, width: int = 80, height: int = 24) -> str:
        """A new terminal running ``command`` (tmux execs it: no shell in between); its session name."""
        session = f"{name}-{os.getpid()}-{next(self._sessions)}"
        self("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), command)
        return session

    def kill(self, session: str) -> None:
        """The terminal closed (SIGHUP to what still runs); nothing if it is gone already."""
        self("kill-session", "-t", session)

    @contextmanager
    def terminal(self, command: str, name: str) -> Iterator[str]:
        """``start``, and the terminal closed at the end whatever happened."""
        session = self.start(command, name)
        try:
            yield session
        finally:
            self.kill(session)

    def send(self, session: str, *keys: str) -> None:
        """Keys as the terminal sends them, all in one ``send-keys`` call (they arrive
        together, as over a stalled link): text, or key names such as Enter, Tab, Escape, F2."""
        self("send-keys", "-t", session, *keys)

    def paste(self, session: str, text: str) -> None:
        """``text`` as a bracketed paste (the program asked the terminal for them), newlines
        arriving as a terminal sends them (CR)."""
        buffer = f"{session}-paste"
        self("set-buffer", "-b", buffer, "--", text)
        self("paste-buffer", "-p", "-d", "-b", buffer, "-t", session)

    def screen(self, session: str) -> str:
        return self("capture-pane", "-p", "-t", session)

    def shown(self, session: str, shows: Callable[[str], bool], what: str, timeout: float = 20) -> tuple[str, float]:
        """The screen once ``shows(screen)``, and the moment it was captured (perf_counter):
        polled, as a frame may show some widgets already redrawn and others not yet."""
        deadline = time.perf_counter() + timeout
        screen = ""
        while time.perf_counter() < deadline:
            screen = self.screen(session)
            if shows(screen):
                return screen, time.perf_counter()
            if self.poll:
                time.sleep(self.poll)
        raise AssertionError(f"{what} never appeared; the screen was:\n{screen}")

    def wait_until(self, session: str, shows: Callable[[str], bool], what: str, timeout: float = 20) -> str:
        return self.shown(session, shows, what, timeout)[0]

    def wait_for(self, session: str, *texts: str, timeout: float = 20) -> str:
        """The screen, once every one of ``texts`` is on it."""
        return self.wait_until(
            session, lambda shown: all(text in shown for text in texts), " and ".join(map(repr, texts)), timeout
        )

    def moment(self, session: str, *texts: str, timeout: float = 20) -> float:
        """When (perf_counter) every one of ``texts`` was first seen on the screen: what a benchmark times."""
        return self.shown(
            session, lambda shown: all(text in shown for text in texts), " and ".join(map(repr, texts)), timeout
        )[1]

    def seconds_to(self, session: str, key: str, *texts: str, timeout: float = 20) -> float:
        """Seconds from sending ``key`` until every one of ``texts`` shows: a benchmark's figure."""
        start = time.perf_counter()
        self.send(session, key)
        return self.moment(session, *texts, timeout=timeout) - start

    def unlock(self, session: str, passphrase: str, then: str, timeout: float = 20) -> str:
        """Type the passphrase on the unlock screen; the screen once ``then`` shows."""
        self.wait_for(session, LOCKED, timeout=timeout)
        self.send(session, passphrase, "Enter")
        return self.wait_for(session, then, timeout=timeout)

    def closed(self, session: str, timeout: float = 10) -> bool:
        """True once the session is gone (its program exited, the pane closed with it)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.run("has-session", "-t", session).returncode != 0:
                return True
            time.sleep(self.poll)
        return False

    def pane_pid(self, session: str) -> int:
        """The program in the pane (tmux execs it directly: no shell in between)."""
        return int(self("display-message", "-p", "-t", session, "#{pane_pid}").strip())
