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
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

os.environ["HRD_TUI_TEST_KDF"] = "1"
os.environ.pop("HRD_TUI_VAULT", None)
# Never touch the real user's vault: the platform default points into a temp dir.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="hrd-tui-tests-xdg-")
atexit.register(shutil.rmtree, os.environ["XDG_DATA_HOME"], True)  # leave nothing behind in /tmp

# The app factory and the CLI runner live in helpers/ (bench/ uses them too); the
# tests import them from here, as before.
from helpers.app import PASSPHRASE, demo_vault_at, unlock, vault_session  # noqa: E402
from helpers.cli import frozen_settings, run_cli  # noqa: E402

import hrd_tui.services  # noqa: E402,F401 (registers what a vault is prepared with as it opens: hrd_tui.vault_hooks)
from hrd_tui import vault as vault_mod  # noqa: E402
from hrd_tui import wallclock  # noqa: E402

__all__ = [
    "FROZEN_DAY",
    "FROZEN_NOW",
    "PASSPHRASE",
    "demo_vault_at",
    "find_markers",
    "frozen_settings",
    "run_cli",
    "unlock",
    "vault_session",
]

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


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Two workers per core for ``-n auto``: a worker spends much of a test waiting
    (the real program in tmux, a CLI subprocess, a vault worker thread), so one per
    core left the CPU a third idle (148% of 200% in a full run, 19 min). Measured
    in the commit that set this."""
    return 2 * (os.cpu_count() or 1)
