"""Start-up stays fast: the vault's heavy modules (SQLAlchemy, SQLCipher, Alembic,
cryptography) are not imported before the unlock prompt is drawn, nor by --help or
an argument error; --help does not import Textual either.

Each check runs the real program in a fresh interpreter (``python -P``, as the
console script runs), since this test process has imported everything already.
Timings are bench/bench_startup.py's business, never asserted here.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from hrd_tui.cli import build_parser

#: The vault's stack: imported in the unlock worker (and a warm-up after the prompt).
HEAVY = {"sqlalchemy", "sqlmodel", "sqlcipher3", "alembic", "cryptography"}
HELPER = Path(__file__).parent.parent / "helpers" / "unlock_imports.py"


def imported_by(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``hrd-tui ARGS`` with -X importtime: every module imported, by top-level package."""
    result = subprocess.run(
        [sys.executable, "-P", "-X", "importtime", "-m", "hrd_tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HRD_TUI_TEST_KDF": "1"},
    )
    names = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    names.discard("imported package")  # the header line
    assert "hrd_tui" in names, result.stderr[-2000:]  # -X importtime did report
    return result, names


def commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.choices and "init" in a.choices)
    return sorted(sub.choices)


def test_help_imports_neither_the_vault_nor_textual() -> None:
    result, names = imported_by("--help")
    assert result.returncode == 0 and "usage: hrd-tui" in result.stdout
    assert names & (HEAVY | {"textual", "rich"}) == set()


@pytest.mark.parametrize("command", commands())
def test_command_help_imports_neither_the_vault_nor_textual(command: str) -> None:
    result, names = imported_by(command, "--help")
    assert result.returncode == 0 and f"usage: hrd-tui {command}" in result.stdout
    assert names & (HEAVY | {"textual", "rich"}) == set()


@pytest.mark.parametrize("args", [["--bogus"], ["export", "--format", "xml"], ["nosuchcommand"]])
def test_an_argument_error_imports_neither_the_vault_nor_textual(args: list[str]) -> None:
    result, names = imported_by(*args)
    assert result.returncode == 2 and "hrd-tui: error:" in result.stderr
    assert names & (HEAVY | {"textual", "rich"}) == set()


def test_the_unlock_screen_is_drawn_before_the_vault_is_imported(tmp_path: Path, passfile: Path) -> None:
    vault_dir = tmp_path / "vault"
    created = run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "init")
    assert created.returncode == 0, created.stderr
    out = tmp_path / "seen.json"
    env = {**os.environ, "HRD_TUI_TEST_KDF": "1", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    main, terminal = pty.openpty()  # the command line starts the app only on a terminal
    try:
        result = subprocess.run(
            [sys.executable, "-P", str(HELPER), str(out), "--vault", str(vault_dir)],
            stdin=terminal,
            stdout=terminal,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        os.close(terminal)
        os.close(main)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(out.read_text())
    assert seen["exit"] == 0
    assert "textual" in seen["compose"] and "hrd_tui" in seen["compose"]  # the hooks ran inside the app
    assert set(seen["compose"]) & HEAVY == set()
    assert set(seen["mount"]) & HEAVY == set()
