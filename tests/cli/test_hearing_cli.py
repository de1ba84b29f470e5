"""'hrd-tui export hearing', run as a user or a script would: the file, its mode, the
warnings, redaction by default, and one clear line for every mistake."""

from __future__ import annotations

import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli
from helpers.cli import assert_one_line_failure

from hrd_tui import vault, wallclock
from hrd_tui.services import contacts, trials

NAME = "Ximena Quarshie-Vold"


@pytest.fixture
def hearing_vault(tmp_path: Path) -> tuple[Path, str]:
    """A closed vault with one hearing of a trial against a defendant who never
    consented to be named, and whose name is in the title and a note."""
    vault_dir = tmp_path / "v"
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session() as s:
        defendant = contacts.create_contact(s, {"name": NAME, "codename": "Orchid-990"})
        trial = trials.create_trial(
            s,
            {
                "title": f"Prosecutor v. {NAME}",
                "court": "Port Calder District Court",
                "case_number": "2026/114",
                "charges": "Unauthorised assembly.",
            },
            [defendant],
        )
        start = wallclock.local_now().replace(hour=9, minute=30, second=0, microsecond=0) - timedelta(days=1)
        hearing = trials.add_hearing(s, trial, {"starts_at": start, "judges": "Judge R. Castellane"})
        trials.add_note(
            s,
            hearing,
            f"d: {NAME.split()[0]} brought in handcuffs\x1b]52;c;ZXZpbA==\x07",
            noted_at=start + timedelta(minutes=4),
        )
        hearing_id = hearing.id
    return vault_dir, hearing_id


def cli(vault_dir: Path, passfile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), *args)


def test_export_hearing_to_a_private_file_redacted_and_warned_about(
    tmp_path: Path, hearing_vault: tuple[Path, str], passfile: Path
) -> None:
    vault_dir, hearing_id = hearing_vault
    out = tmp_path / "hearing.md"
    result = cli(vault_dir, passfile, "export", "hearing", hearing_id, "--format", "md", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "PLAIN TEXT" in result.stderr and "naming consent" in result.stderr and "mode 0600" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    report = out.read_text("utf-8")
    assert report.startswith("# Hearing report: Prosecutor v. Defendant 1\n")
    assert "| Judges | Judge R. Castellane |" in report and "| Case number | 2026/114 |" in report
    assert "[Treatment of the defendant] Defendant 1 brought in handcuffs]52;c;ZXZpbA==" in report
    assert "ximena" not in report.casefold() and "quarshie" not in report.casefold() and "vold" not in report.casefold()
    assert "\x1b" not in report and "\x07" not in report
    assert "1 name withheld: Defendant 1 (no naming consent)." in report

    full = tmp_path / "full.md"
    result = cli(
        vault_dir, passfile, "export", "hearing", hearing_id, "--format", "md", "--real-names", "-o", str(full)
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING: --real-names" in result.stderr and "endanger" in result.stderr
    assert f"# Hearing report: Prosecutor v. {NAME}" in full.read_text("utf-8")
    assert stat.S_IMODE(full.stat().st_mode) == 0o600

    shown = cli(vault_dir, passfile, "export", "hearing", hearing_id, "--format", "md")  # to standard output
    assert shown.returncode == 0, shown.stderr
    assert _without_time_written(shown.stdout) == _without_time_written(report)


def _without_time_written(report: str) -> list[str]:
    return [line for line in report.splitlines() if " UTC by hrd-tui." not in line]


def test_unknown_hearing_is_exit_12_in_one_line(
    tmp_path: Path, hearing_vault: tuple[Path, str], passfile: Path
) -> None:
    out = tmp_path / "none.md"
    result = cli(hearing_vault[0], passfile, "export", "hearing", "0123456789abcdef", "--format", "md", "-o", str(out))
    assert_one_line_failure(result, 12, "No hearing with id 0123456789abcdef.")
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export", "hearing", "abc", "--format", "json"],
            "Export a hearing report as Markdown: hrd-tui export hearing ID --format md",
        ),
        (
            ["export", "hearing", "--format", "md"],
            "Export a hearing report as Markdown: hrd-tui export hearing ID --format md",
        ),
        (["export", "hearing", "abc", "--format", "csv", "--real-names"], "Export a hearing report as Markdown"),
        (
            ["export", "checklist", "abc", "--format", "md", "--real-names"],
            "--real-names is for 'hrd-tui export contacts', 'hrd-tui export hearing' and 'hrd-tui export case' only.",
        ),
    ],
)
def test_bad_combinations_are_usage_errors_before_the_vault_is_opened(
    tmp_path: Path, passfile: Path, args: list[str], message: str
) -> None:
    # No vault there: had the vault been opened first, this would be exit 4.
    assert_one_line_failure(cli(tmp_path / "no-vault", passfile, *args), 2, message)


def test_a_hearing_is_exported_by_the_short_id_reports_cite(
    tmp_path: Path, hearing_vault: tuple[Path, str], passfile: Path
) -> None:
    """Issue 16: reports cite [hearing 91b97c96], and 'export hearing 91b97c96' said there was no such hearing."""
    vault_dir, hearing_id = hearing_vault
    full = cli(vault_dir, passfile, "export", "hearing", hearing_id, "--format", "md")
    short = cli(vault_dir, passfile, "export", "hearing", hearing_id[:8].upper(), "--format", "md")
    assert short.returncode == 0, short.stderr
    assert short.stdout == full.stdout and "Prosecutor v. Defendant 1" in short.stdout
    # Two hearings whose ids start alike: their common start is ambiguous, said in one line, exit 11.
    with vault.unlock(vault_dir, vault.Secret(PASSPHRASE)) as opened, opened.store.session() as s:
        trial = trials.create_trial(s, {"title": "Another trial"})
        for tail in ("0", "1"):
            trials.add_hearing(s, trial, {"id": "abcd1234" + tail * 24, "starts_at": wallclock.local_now()})
    out = tmp_path / "none.md"
    result = cli(vault_dir, passfile, "export", "hearing", "abcd1234", "--format", "md", "-o", str(out))
    assert_one_line_failure(result, 11, "'abcd1234' is ambiguous")
    assert "abcd12340000" in result.stderr and "abcd12341111" in result.stderr
    assert not out.exists()
    assert cli(vault_dir, passfile, "export", "hearing", "abcd12341", "--format", "md").returncode == 0
    assert_one_line_failure(
        cli(vault_dir, passfile, "export", "hearing", "abc", "--format", "md"),
        12,
        "No hearing with id abc (give the id, or at least its first 4 characters).",
    )
