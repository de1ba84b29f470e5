"""'hrd-tui demarche', run as a user or a script would (issue 19, part A): a démarche logged
about a case and a trial, listed on both, corrected when the response comes (the
timeline follows), deleted; codenames only; mistakes are one line, asked before any
passphrase."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli

from hrd_tui import vault
from hrd_tui.services import contacts, threats, trials


@pytest.fixture
def raised(tmp_path: Path) -> tuple[Path, str, str]:
    """A vault with a defender's case and trial, and an official; closed."""
    vault_dir = tmp_path / "v"
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session() as s:
        heron = contacts.create_contact(s, {"name": "Ana Ruiz-Vega", "codename": "Heron-1"})
        contacts.create_contact(s, {"name": "Minister Olt", "codename": "Slate-9", "kind": "government_official"})
        case = threats.open_case(s, {"title": "Detention"}, [heron], plan=False)
        trial = trials.create_trial(s, {"title": "State v. R", "case_number": "CR-77"}, [heron])
        ids = case.id, trial.id
    return vault_dir, *ids


def _run(vault_dir: Path, passfile: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "demarche", *args, input=stdin)


def test_log_list_correct_and_delete(raised: tuple[Path, str, str], passfile: Path) -> None:
    vault_dir, case_id, trial_id = raised
    logged = _run(
        vault_dir,
        passfile,
        "log",
        "--case",
        case_id[:8],
        "--trial",
        "CR-77",
        "--official",
        "Slate-9",
        "--message",
        "-",
        "--follow-up",
        "Ask for the visit dates",
        "--due",
        "2026-12-10",
        stdin="Asked that Ana Ruiz-Vega see her lawyer.\n",
    )
    assert logged.returncode == 0, logged.stderr
    assert logged.stdout.startswith("Logged: ") and "Démarche with Slate-9" in logged.stdout
    assert (
        "Minister Olt" not in logged.stdout and "Follow-up (due 2026-12-10): Ask for the visit dates" in logged.stdout
    )
    interaction = logged.stdout.split()[1]
    for option, value in (("--case", case_id[:8]), ("--trial", "CR-77")):
        listed = _run(vault_dir, passfile, "list", option, value)
        assert listed.returncode == 0, listed.stderr
        assert "1 interaction linked" in listed.stdout and "Response: (none recorded yet)" in listed.stdout
    corrected = _run(vault_dir, passfile, "edit", interaction, "--response", "Promised an answer.")
    assert corrected.returncode == 0, corrected.stderr
    assert "| Response: Promised an answer." in corrected.stdout
    opened = vault.unlock(vault_dir, vault.Secret(PASSPHRASE))
    with opened, opened.store.session() as s:
        (event,) = [e for e in threats.timeline(s, case_id) if e.ref_id]
        assert event.text.endswith("Response: Promised an answer.")
    deleted = _run(vault_dir, passfile, "delete", interaction, "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert "0 interactions linked" in _run(vault_dir, passfile, "list", "--case", case_id[:8]).stdout


def test_a_refused_demarche_says_why_under_its_field(raised: tuple[Path, str, str], passfile: Path) -> None:
    vault_dir, case_id, _trial = raised
    done = _run(vault_dir, passfile, "log", "--case", case_id[:8], "--official", "Nobody-0", "--message", "x")
    assert done.returncode == 11 and "official" in done.stderr and "Nobody-0" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("log", "--official", "Slate-9", "--message", "x"), "--case or the --trial"),
        (("log", "--case", "abcd1234", "--message", "x"), "--official CODENAME and --message"),
        (("list",), "--case ID or --trial ID"),
        (("edit",), "INTERACTION's id"),
        (
            ("log", "--case", "x", "--official", "S", "--message", "x", "--follow-up", "y", "--due", "2026-02-30"),
            "February 2026",
        ),
    ],
)
def test_mistakes_are_one_line_and_ask_no_passphrase(tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    done = run_cli("--vault", str(tmp_path / "none"), "demarche", *args)
    assert done.returncode == 2 and says in done.stderr and len(done.stderr.strip().splitlines()) == 1
