"""'hrd-tui plan', run as an officer would: the list says whose each owner and due day
is, set and reset change one item for the cases opened after, and a mistake is one
clear line before the passphrase is asked."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli

from hrd_tui import vault
from hrd_tui.services import plan

MEET = "threat-immediate:meet-or-connect-securely"


@pytest.fixture
def closed_vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "v"
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    opened.close()
    return vault_dir


def cli(vault_dir: Path, passfile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "plan", *args)


def _line(output: str, key: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(key + " "))


def test_list_set_and_reset_one_item(closed_vault: Path, passfile: Path) -> None:
    listed = cli(closed_vault, passfile)
    assert listed.returncode == 0, listed.stderr
    assert plan.PLAN_NOTE in listed.stdout
    assert "HRO, 2 d  (app's suggestion; suggested HRO, 2 d)" in _line(listed.stdout, MEET)
    assert len([ln for ln in listed.stdout.splitlines() if ln.startswith("threat-")]) == 14

    days = cli(closed_vault, passfile, "set", MEET, "--due-days", "1")
    assert days.returncode == 0, days.stderr
    owner = cli(closed_vault, passfile, "set", MEET, "--owner", "Political officer")
    assert owner.returncode == 0, owner.stderr  # the days set before stay
    assert "Political officer, 1 d  (post's plan; suggested HRO, 2 d)" in _line(owner.stdout, MEET)
    again = cli(closed_vault, passfile)
    assert "Political officer, 1 d  (post's plan" in _line(again.stdout, MEET)

    reset = cli(closed_vault, passfile, "reset", MEET)
    assert reset.returncode == 0, reset.stderr
    assert "HRO, 2 d  (app's suggestion" in _line(reset.stdout, MEET)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("set", MEET), "needs --owner and/or --due-days"),
        (("set",), "needs the ITEM"),
        (("reset", MEET, "--owner", "X"), "takes no --owner"),
        ((MEET,), "unknown command"),  # the parser never echoes what was typed
        (("set", MEET, "--due-days", "soon"), "due_days: a whole number"),
        (("set", MEET, "--due-days", "4000"), "due_days: from 0 to 3650"),
    ],
)
def test_mistakes_are_one_line_and_ask_no_passphrase(closed_vault: Path, args: tuple[str, ...], says: str) -> None:
    # No passphrase file and no terminal: had the passphrase been asked, it would fail on that instead.
    done = run_cli("--vault", str(closed_vault), "plan", *args)
    assert done.returncode in (2, 11), done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_item_is_named(closed_vault: Path, passfile: Path) -> None:
    done = cli(closed_vault, passfile, "set", "threat-immediate:nothing", "--owner", "X")
    assert done.returncode == 12
    assert "threat-immediate:nothing" in done.stderr
