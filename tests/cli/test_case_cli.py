"""'hrd-tui export case', run as a user or a script would: the file, its mode, the
warnings, redaction by default (a name without naming consent nowhere, not even
inside the summary, the notes or the timeline), real names on request, and one
clear line for every mistake."""

from __future__ import annotations

import stat
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, run_cli
from helpers.cli import assert_one_line_failure

from hrd_tui import vault
from hrd_tui.services import contacts, threats
from hrd_tui.vocab import ActionStatus

NEVER = "Ximena Quarshie-Vold"
NAMED = "Tomasz Okonkwo"


@pytest.fixture
def case_vault(tmp_path: Path) -> tuple[Path, str]:
    """A closed vault with one case about a defender who never consented to be named
    (her name in the title, the summary, an action's note and the timeline) and one
    who consented to be named."""
    vault_dir = tmp_path / "v"
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    day = FROZEN_DAY
    with opened, opened.store.session() as s:
        never = contacts.create_contact(s, {"name": NEVER, "codename": "Orchid-990"})
        named = contacts.create_contact(s, {"name": NAMED, "codename": "Cedar-505"})
        contacts.record_consent(s, never, {"scope": "naming", "value": "never", "given_on": day})
        contacts.record_consent(s, named, {"scope": "naming", "value": "named", "given_on": day})
        case = threats.open_case(
            s,
            {
                "title": f"Detention of {NEVER}",
                "urgency": "emergency",
                "opened_on": day - timedelta(days=9),
                "summary": f"{NEVER.split()[1]} arrested at home; {NAMED} was there.",
            },
            [never, named],
            ["arbitrary_detention"],
            plan=False,
            first_event=f"{NEVER.split()[0]} moved to Northgate prison.\x1b]52;c;ZXZpbA==\x07",
            first_event_at=datetime(2026, 3, 1, 15, 0, tzinfo=UTC),
        )
        threats.assess_risk(
            s,
            case,
            {
                "assessed_on": day - timedelta(days=2),
                "threat": 5,
                "vulnerability": 4,
                "capacity": 2,
                "reasoning": "Held incommunicado.",
            },
        )
        threats.add_action(
            s,
            case,
            {
                "title": "Raise the detention with the Ministry",
                "on_behalf": True,
                "status": ActionStatus.DOING,
                "emergency_justification": "She cannot be reached.",
                "note": f"Vold's family asked us to; {NAMED} agreed.",
            },
        )
        case_id = case.id
    return vault_dir, case_id


def cli(vault_dir: Path, passfile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), *args)


def _without_time_written(report: str) -> list[str]:
    return [line for line in report.splitlines() if " UTC by hrd-tui." not in line]


def test_export_case_to_a_private_file_redacted_and_warned_about(
    tmp_path: Path, case_vault: tuple[Path, str], passfile: Path
) -> None:
    vault_dir, case_id = case_vault
    out = tmp_path / "case.md"
    result = cli(vault_dir, passfile, "export", "case", case_id, "--format", "md", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "PLAIN TEXT" in result.stderr and "naming consent" in result.stderr and "mode 0600" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    report = out.read_text("utf-8")
    assert report.startswith("# Threat case: Detention of Defender 1\n")
    assert f"Defender 1 arrested at home; {NAMED} was there." in report
    assert f"Note: Defender 1's family asked us to; {NAMED} agreed." in report
    assert "[Event] Defender 1 moved to Northgate prison.]52;c;ZXZpbA==" in report
    for part in ("ximena", "quarshie", "vold", "orchid"):
        assert part not in report.casefold(), part
    assert "\x1b" not in report and "\x07" not in report
    assert "1 name withheld: Defender 1 (no naming consent)." in report

    full = tmp_path / "full.md"
    result = cli(vault_dir, passfile, "export", "case", case_id, "--format", "md", "--real-names", "-o", str(full))
    assert result.returncode == 0, result.stderr
    assert "WARNING: --real-names" in result.stderr and "endanger" in result.stderr
    text = full.read_text("utf-8")
    assert text.startswith(f"# Threat case: Detention of {NEVER}\n") and "Real names:" in text
    assert stat.S_IMODE(full.stat().st_mode) == 0o600

    shown = cli(vault_dir, passfile, "export", "case", case_id, "--format", "md")  # to standard output
    assert shown.returncode == 0, shown.stderr
    assert _without_time_written(shown.stdout) == _without_time_written(report)


def test_unknown_case_is_exit_12_in_one_line(tmp_path: Path, case_vault: tuple[Path, str], passfile: Path) -> None:
    out = tmp_path / "none.md"
    result = cli(case_vault[0], passfile, "export", "case", "0123456789abcdef", "--format", "md", "-o", str(out))
    assert_one_line_failure(result, 12, "No threat case with id 0123456789abcdef.")
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export", "case", "abc", "--format", "json"],
            "Export a threat case as Markdown: hrd-tui export case ID --format md",
        ),
        (["export", "case", "--format", "md"], "Export a threat case as Markdown: hrd-tui export case ID --format md"),
        (["export", "case", "abc", "--format", "csv", "--real-names"], "Export a threat case as Markdown"),
        (["export", "--format", "json", "--real-names"], "'hrd-tui export case'"),
    ],
)
def test_bad_combinations_are_usage_errors_before_the_vault_is_opened(
    tmp_path: Path, passfile: Path, args: list[str], message: str
) -> None:
    # No vault there: had the vault been opened first, this would be exit 4.
    assert_one_line_failure(cli(tmp_path / "no-vault", passfile, *args), 2, message)


def test_a_case_is_taken_by_the_short_id_reports_cite(
    tmp_path: Path, case_vault: tuple[Path, str], passfile: Path
) -> None:
    """Issue 16: every command that takes a record id takes its first 8 characters (export, handover)."""
    vault_dir, case_id = case_vault
    full = cli(vault_dir, passfile, "export", "case", case_id, "--format", "md")
    short = cli(vault_dir, passfile, "export", "case", case_id[:8], "--format", "md")
    assert short.returncode == 0, short.stderr
    assert short.stdout == full.stdout
    bundle = tmp_path / "handover.bundle"
    handed = cli(vault_dir, passfile, "handover", "export", str(bundle), "--cases", case_id[:8])
    assert handed.returncode == 0, handed.stderr
    assert bundle.exists()
    missing = cli(vault_dir, passfile, "handover", "export", str(tmp_path / "other.bundle"), "--cases", "ffffffff")
    assert_one_line_failure(missing, 12, "No threat case with id ffffffff.")
