"""'hrd-tui accountability', run as an officer would (the test clock's day, 2026-11-28):
steps recorded, listed with the state in words, corrected and deleted, the attacks
without an investigation counted, and a mistake one clear line before the passphrase."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli

from hrd_tui import vault
from hrd_tui.services import contacts, monitoring, threats
from hrd_tui.vocab import CivicCategory, ThreatType

DAY = date(2026, 11, 28)


@pytest.fixture
def attacked(tmp_path: Path) -> tuple[Path, str, str]:
    """A vault with an attack case opened 40 days ago and an attack observed 35 days ago."""
    vault_dir = tmp_path / "v"
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        case = threats.open_case(
            s, {"title": "Ana beaten", "opened_on": DAY - timedelta(days=40)}, [ana], [ThreatType.PHYSICAL_ATTACK]
        )
        obs = monitoring.add_observation(
            s,
            {
                "observed_on": DAY - timedelta(days=35),
                "category": CivicCategory.ATTACKS_REPRISALS,
                "description": "Office burnt",
            },
            (),
            (),
        )
        return vault_dir, case.id, obs.id


def cli(vault_dir: Path, passfile: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "accountability", *args)


def test_record_list_correct_count_and_delete(attacked: tuple[Path, str, str], passfile: Path) -> None:
    vault_dir, case_id, obs_id = attacked
    count = cli(vault_dir, passfile, "count")
    assert count.returncode == 0, count.stderr
    assert "2 attacks without an investigation 30 days or more after (as of 2026-11-28):" in count.stdout
    assert f"2026-10-19  40 d  case {case_id[:8]}  Case of Heron-101  [No step recorded]" in count.stdout
    assert "Ana" not in count.stdout  # named as discreet mode names them

    added = cli(
        vault_dir, passfile, "add", "--case", case_id[:8], "--step", "complaint_filed", "--on", "2026-10-20",
        "--source", "Lawyer",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    step_id = added.stdout.split()[1]
    assert added.stdout.startswith("Recorded: ") and "2026-10-20  Complaint filed" in added.stdout

    listed = cli(vault_dir, passfile, "list", "--case", case_id)
    assert "State: Complaint filed (2026-10-20); no investigation recorded" in listed.stdout
    assert f"{step_id}  2026-10-20  Complaint filed  source: Lawyer" in listed.stdout

    fixed = cli(vault_dir, passfile, "edit", step_id, "--step", "investigation_opened", "--note", "Prosecutor's office")
    assert fixed.returncode == 0, fixed.stderr
    count = cli(vault_dir, passfile, "count", "--days", "30")
    assert count.stdout.startswith("1 attack without") and f"observation {obs_id[:8]}" in count.stdout
    # As of an earlier day, with fewer days.
    earlier = cli(vault_dir, passfile, "count", "--on", "2026-10-27", "--days", "3")
    assert earlier.stdout.startswith("1 attack without") and "as of 2026-10-27" in earlier.stdout

    gone = cli(vault_dir, passfile, "delete", step_id, "--yes")
    assert gone.returncode == 0, gone.stderr
    assert "Deleted the step 'Investigation opened' of 2026-10-20" in gone.stdout
    assert "No step recorded." in cli(vault_dir, passfile, "list", "--case", case_id).stdout

    future = cli(vault_dir, passfile, "add", "--observation", obs_id, "--step", "charged", "--on", "2026-12-25",
                 "--source", "x")  # fmt: skip
    assert future.returncode == 11 and "on_date: is in the future" in future.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("add", "--step", "charged", "--source", "x"), "takes --case ID or --observation ID"),
        (("add", "--case", "k", "--step", "charged"), "needs --step and --source"),
        (("add", "--case", "k", "--step", "acquitted", "--source", "x"), "--step is one of complaint_filed"),
        (("add", "--case", "k", "--step", "charged", "--source", "x", "--on", "2026-02-30"), "February 2026 has 28"),
        (("edit",), "needs the STEP's id"),
        (("edit", "abcd"), "needs at least one of"),
        (("count", "--days", "0"), "--days must be 1 or more"),
        (("list", "--case", "k", "--days", "3"), "go with 'accountability count'"),
    ],
)
def test_mistakes_are_one_line_and_ask_no_passphrase(tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    done = run_cli("--vault", str(tmp_path / "none"), "accountability", *args)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr
