"""'hrd-tui export trial' (issue 18): the trial report with its fair-trial assessment, run as
a user or a script would: the file and its mode, the warnings, redaction by default, the
short id, and one clear line (and its exit code) for every mistake."""

from __future__ import annotations

import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli

from hrd_tui import vault, wallclock
from hrd_tui.services import checklists, contacts, trial_assessment, trials
from hrd_tui.vocab import Finding

NAME = "Ximena Quarshie-Vold"


@pytest.fixture
def trial_vault(tmp_path: Path) -> tuple[Path, str]:
    """A closed vault with a trial against a defendant who never consented to be named,
    a violation found at its hearing with her name in the evidence and the conclusion."""
    vault_dir = tmp_path / "v"
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session() as s:
        defendant = contacts.create_contact(s, {"name": NAME, "codename": "Orchid-990"})
        trial = trials.create_trial(
            s,
            {"title": f"Prosecutor v. {NAME}", "court": "Port Calder District Court", "case_number": "2026/114"},
            [defendant],
        )
        start = wallclock.local_now().replace(hour=9, minute=30, second=0, microsecond=0) - timedelta(days=1)
        hearing = trials.add_hearing(s, trial, {"starts_at": start})
        run = trials.fair_trial_run(s, hearing)
        assert run is not None
        checklists.set_item(
            s, run, "presumption-innocence", note=f"{NAME.split()[0]} kept in a cage\x1b]52;c;ZXZpbA==\x07"
        )
        checklists.set_finding(s, run, "presumption-innocence", Finding.VIOLATION)
        trial_assessment.save_conclusion(s, trial, f"Ms {NAME.split()[1]} was not tried fairly.")
        trial_id = trial.id
    return vault_dir, trial_id


def cli(vault_dir: Path, passfile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), *args)


def test_export_trial_to_a_private_file_redacted_and_warned_about(
    tmp_path: Path, trial_vault: tuple[Path, str], passfile: Path
) -> None:
    vault_dir, trial_id = trial_vault
    out = tmp_path / "trial.md"
    result = cli(vault_dir, passfile, "export", "trial", trial_id[:8], "--format", "md", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "PLAIN TEXT" in result.stderr and "naming consent" in result.stderr and "mode 0600" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    report = out.read_text("utf-8")
    assert report.startswith("# Trial report: Prosecutor v. Defendant 1\n")
    assert ": violation" in report and "Defendant 1 kept in a cage]52;c;ZXZpbA==" in report
    assert "Ms Defendant 1 was not tried fairly." in report
    folded = report.casefold()
    assert "ximena" not in folded and "quarshie" not in folded and "vold" not in folded and "orchid" not in folded
    assert "\x1b" not in report and "\x07" not in report

    full = tmp_path / "full.md"
    result = cli(vault_dir, passfile, "export", "trial", trial_id, "--format", "md", "--real-names", "-o", str(full))
    assert result.returncode == 0, result.stderr
    assert "WARNING: --real-names" in result.stderr and "endanger" in result.stderr
    assert f"# Trial report: Prosecutor v. {NAME}" in full.read_text("utf-8")

    shown = cli(vault_dir, passfile, "export", "trial", trial_id, "--format", "md")  # to standard output
    assert shown.returncode == 0, shown.stderr
    assert "Defendant 1" in shown.stdout and "quarshie" not in shown.stdout.casefold()


def test_unknown_trial_is_exit_12_in_one_line(tmp_path: Path, trial_vault: tuple[Path, str], passfile: Path) -> None:
    out = tmp_path / "none.md"
    result = cli(trial_vault[0], passfile, "export", "trial", "0123456789abcdef", "--format", "md", "-o", str(out))
    assert result.returncode == 12, result.stderr
    assert "No trial with id 0123456789abcdef." in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["export", "trial", "abc", "--format", "json"],
        ["export", "trial", "--format", "md"],
        ["export", "trial", "abc", "--format", "csv", "--real-names"],
    ],
)
def test_bad_combinations_are_usage_errors_before_the_vault_is_opened(
    tmp_path: Path, passfile: Path, args: list[str]
) -> None:
    result = cli(tmp_path / "no-vault", passfile, *args)  # no vault there: opened first, this would be exit 4
    assert result.returncode == 2, result.stderr
    assert "Export a trial report as Markdown: hrd-tui export trial ID --format md" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
