"""'hrd-tui report', run as a user or a script would: the file (mode 0600, the very text
render_report gives for the same arguments), the plain-text warning, redaction by
default and real names on request, and one clear line (exit 2) for a bad date, period or
type, said before the vault is even opened."""

from __future__ import annotations

import stat
import subprocess
from datetime import date, datetime, time
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli
from helpers.cli import assert_one_line_failure

from hrd_tui import vault
from hrd_tui.services import contacts, monitoring, redaction, threats
from hrd_tui.services.reports import render_report

NAME = "Ximena Quarshie-Völd"
START, END = "2025-03-01", "2025-03-31"


@pytest.fixture
def report_vault(tmp_path: Path) -> Path:
    """A closed vault: a defender working on trafficking and religious freedom who never
    consented to be named, her name in an observation (with a sensitive location), a case
    and an interaction; and a record just outside the period."""
    vault_dir = tmp_path / "v"
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session() as s:
        her = contacts.create_contact(s, {"name": NAME, "codename": "Orchid-990"}, ["trafficking", "religious_freedom"])
        contacts.record_consent(s, her, {"scope": "naming", "value": "never", "given_on": date(2025, 1, 1)})
        monitoring.add_observation(
            s,
            {
                "observed_on": date(2025, 3, 3),
                "category": "attacks_reprisals",
                "description": f"{NAME} was followed home.\x1b]52;c;ZXZpbA==\x07",
                "location": "Rua Secreta 12",
                "location_sensitive": True,
            },
            links=[{"contact_id": her.id}],
        )
        monitoring.add_observation(
            s,
            {"observed_on": date(2025, 4, 1), "category": "surveillance", "description": "OUTSIDE-THE-PERIOD"},
            links=[{"contact_id": her.id}],
        )
        threats.open_case(
            s,
            {"title": f"Threats against {NAME.split()[1]}", "opened_on": date(2025, 3, 2), "perpetrator": "police"},
            [her],
            ["intimidation"],
            plan=False,
        )
        contacts.log_interaction(
            s,
            {
                "kind": "meeting",
                "summary": "Ximena asked for a safe meeting place.",
                "occurred_at": datetime.combine(date(2025, 3, 9), time(12)).astimezone(),
            },
            [her],
        )
    return vault_dir


def cli(vault_dir: Path, passfile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), *args)


def rendered(vault_dir: Path, report_type: str, *, real_names: bool = False) -> str:
    with vault.unlock(vault_dir, vault.Secret(PASSPHRASE), readonly=True) as opened, opened.store.session() as s:
        return render_report(s, report_type, date.fromisoformat(START), date.fromisoformat(END), real_names=real_names)


@pytest.mark.parametrize("report_type", ["regular", "crhrp", "tip", "irf"])
def test_report_to_a_private_file_is_the_text_render_report_gives(
    tmp_path: Path, report_vault: Path, passfile: Path, report_type: str
) -> None:
    out = tmp_path / f"{report_type}.md"
    result = cli(report_vault, passfile, "report", "--type", report_type, "--from", START, "--to", END, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "PLAIN TEXT" in result.stderr and "naming consent" in result.stderr and "mode 0600" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text("utf-8")
    assert text == rendered(report_vault, report_type)
    folded = redaction.fold(text)
    for part in ("ximena", "quarshie", "vold", "orchid", "secreta"):
        assert part not in folded, part
    assert "a defender was followed home." in text and "\x1b" not in text and "\x07" not in text
    assert "OUTSIDE-THE-PERIOD" not in text and "- 1 location left out as sensitive." in text

    shown = cli(report_vault, passfile, "report", "--type", report_type, "--from", START, "--to", END)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == text


def test_real_names_on_request_with_a_warning(tmp_path: Path, report_vault: Path, passfile: Path) -> None:
    out = tmp_path / "full.md"
    result = cli(
        report_vault,
        passfile,
        "report",
        "--type",
        "regular",
        "--from",
        START,
        "--to",
        END,
        "--real-names",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "PLAIN TEXT" in result.stderr and "WARNING: --real-names" in result.stderr and "endanger" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text("utf-8")
    assert f"{NAME} was followed home." in text and "**WARNING: REAL NAMES.**" in text
    assert "Rua Secreta" not in text  # sensitive locations stay out, real names or not
    assert text == rendered(report_vault, "regular", real_names=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--type", "regular", "--from", END, "--to", START],
            "Bad period (--from 2025-03-31, --to 2025-03-01): --to is before --from.",
        ),
        (
            ["--type", "tip", "--from", "2025-01-01", "--to", "2026-02-05"],
            "--to makes the period 401 days long; a report covers at most 400 days.",
        ),
        (["--type", "irf", "--from", "2025-3-1", "--to", END], "--from takes a date as YYYY-MM-DD"),
        (["--type", "irf", "--from", START, "--to", "2025-02-30"], "--to 2025-02-30: February 2025 has 28 days."),
        (["--type", "irf", "--from", "yesterday", "--to", END], "--from takes a date as YYYY-MM-DD"),
        (["--type", "annual", "--from", START, "--to", END], "--type is one of regular, crhrp, tip, irf."),
    ],
)
def test_bad_dates_periods_and_types_are_usage_errors_before_the_vault_is_opened(
    tmp_path: Path, passfile: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "r.md"
    # No vault there: had the vault been opened first, this would be exit 4.
    assert_one_line_failure(cli(tmp_path / "no-vault", passfile, "report", *args, "-o", str(out)), 2, message)
    assert not out.exists()


def test_a_period_of_400_days_is_accepted(tmp_path: Path, report_vault: Path, passfile: Path) -> None:
    out = tmp_path / "year.md"
    result = cli(
        report_vault,
        passfile,
        "report",
        "--type",
        "crhrp",
        "--from",
        "2025-01-01",
        "--to",
        "2026-02-04",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8").startswith(
        "# Draft: Country Reports on Human Rights Practices, 2025-01-01 to 2026-02-04\n"
    )
