"""Shared fixtures: real vaults in temp directories, with the documented test KDF.

HRD_TUI_TEST_KDF=1 (README) gives Argon2id tiny parameters, so that a test
unlock takes milliseconds. Everything else is the real stack: SQLCipher, key
slots, migrations, services.

No test depends on the real date or clock: ``frozen_clock`` (autouse) starts the
vault's clock (hrd_tui.wallclock) at FROZEN_NOW, on FROZEN_DAY, for every test;
subprocesses get the same clock through HRD_TUI_TEST_NOW (``frozen_settings``), and
the app the same day through ``make_app(..., today=...)``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

os.environ["HRD_TUI_TEST_KDF"] = "1"
os.environ.pop("HRD_TUI_VAULT", None)
# Never touch the real user's vault: the platform default points into a temp dir.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="hrd-tui-tests-xdg-")
atexit.register(shutil.rmtree, os.environ["XDG_DATA_HOME"], True)  # leave nothing behind in /tmp

from hrd_tui import vault as vault_mod, wallclock  # noqa: E402

PASSPHRASE = "correct horse battery staple"

#: The officer's day in every test, and the instant every test starts at: noon of that
#: day in the process's local time, as far from either midnight as can be.
FROZEN_DAY = date(2026, 11, 28)
FROZEN_NOW = datetime.combine(FROZEN_DAY, time(12, 0)).astimezone().astimezone(UTC)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """Every test runs at FROZEN_NOW (the clock then runs on, so records keep their
    order); a subprocess inheriting the environment starts there too."""
    monkeypatch.setenv(wallclock.TEST_NOW_ENV, FROZEN_NOW.isoformat())
    with wallclock.frozen(FROZEN_NOW) as at:
        yield at


def frozen_settings() -> dict[str, str]:
    """The test settings for a subprocess: the test KDF, and the clock where it stands now
    (not back at FROZEN_NOW: what a subprocess writes comes after what the test wrote)."""
    return {"HRD_TUI_TEST_KDF": "1", wallclock.TEST_NOW_ENV: wallclock.now().isoformat()}


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def new_vault(vault_dir: Path) -> Iterator[tuple[vault_mod.Vault, str]]:
    opened, code = vault_mod.create(vault_dir, PASSPHRASE)
    try:
        yield opened, code
    finally:
        opened.close()


@pytest.fixture
def opened(new_vault: tuple[vault_mod.Vault, str]) -> vault_mod.Vault:
    return new_vault[0]


@pytest.fixture
def passfile(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n")
    return path


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real program (python -m hrd_tui) as a user would."""
    full_env = {**os.environ, **frozen_settings(), **(env or {})}
    full_env.pop("HRD_TUI_DEBUG", None)
    return subprocess.run(
        # -P: like the installed console script, never import from the working
        # directory (a checkout's hrd_tui/ lacks the screens/ and data/ mapping).
        [sys.executable, "-P", "-m", "hrd_tui", *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
    )


def find_markers(roots: list[Path], markers: list[str]) -> list[str]:
    """Every (file, marker, encoding) where a marker's bytes appear, UTF-8 or UTF-16."""
    hits: list[str] = []
    needles = [(m, enc, m.encode(enc)) for m in markers for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    for root in roots:
        if not root.exists():
            continue
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in files:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            hits += [f"{path}: {m} ({enc})" for m, enc, needle in needles if needle in data]
    return hits


def demo_vault_at(vault_dir: Path, extra: Callable[[Any], None] | None = None) -> Path:
    """A new vault holding the demo's fictional data (and what ``extra`` writes in the
    same transaction): the whole product's screens have something to show."""
    from hrd_tui import demo

    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    try:
        with opened.store.session("demo data") as session:
            demo.populate(session)
            if extra is not None:
                extra(session)
    finally:
        opened.close()
    return vault_dir


@contextmanager
def vault_session(vault_dir: Path, what: str = "test set-up") -> Iterator[object]:
    """One transaction on a vault no app has open (test data set-up)."""
    opened = vault_mod.unlock(vault_dir, vault_mod.Secret(PASSPHRASE))
    try:
        with opened.store.session(what) as session:
            yield session
    finally:
        opened.close()


async def unlock(app, pilot, passphrase: str = PASSPHRASE) -> None:  # type: ignore[no-untyped-def]
    """Type the passphrase on the app's unlock screen and wait until the vault is open
    (the unlock worker done, the section drawn). Cursors stop blinking for snapshots."""
    from textual.widgets import Input

    for _ in range(100):  # the first prompt is the bottom screen: composed in the app's first turns
        if app.screen.query("#secret"):
            break
        await pilot.pause()
    for field in app.screen.query(Input):
        field.cursor_blink = False
    app.screen.query_one("#secret", Input).value = passphrase
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Two workers per core for ``-n auto``: a worker spends much of a test waiting
    (the real program in tmux, a CLI subprocess, a vault worker thread), so one per
    core left the CPU a third idle (148% of 200% in a full run, 19 min). Measured
    in the commit that set this."""
    return 2 * (os.cpu_count() or 1)
