"""The benchmarks cannot rot: every bench/bench_*.py runs in its --quick mode (tiny
sizes, seconds) against the installed package and prints its figures.

Only that each finishes and prints its figure lines is checked, never a value:
timings belong to the benchmarks' own output (README "Set up"). A new bench script
fails here until its figure lines are listed in FIGURES.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.terminal import installed

BENCH = Path(__file__).resolve().parent.parent / "bench"
HAS_TMUX = installed()

#: script -> (figure labels always printed, labels of the real-terminal figures, printed with tmux).
FIGURES: dict[str, tuple[list[str], list[str]]] = {
    "bench_attachments": (
        [
            "cryptography AES-256-GCM encrypt copy,",
            "attach memory above baseline <",
            "attach within 2x of the cryptography copy:",
            "export memory above baseline <",
            "export within 2x of the cryptography copy:",
            "attach variant, incremental blob I/O",
            "export variant, incremental blob I/O",
            "CLI `hrd-tui attach`,",
            "CLI `hrd-tui export attachment`,",
            "check (services.attachments.check),",
            "CLI `hrd-tui check`,",
        ],
        [],
    ),
    "bench_cases": (
        ["default view ", "each filter ", "each prefix typed ", "prefix, closed included "],
        ["screen, open the list:", "screen, keystroke to redraw:", "screen, Enter to a case:"],
    ),
    "bench_contact_io": (
        [
            "CSV import, 200 new rows",
            "export CSV (real names)",
            "export vCard 3.0 (real names)",
            "same CSV again, merge",
            "vCard import, 200 new cards",
            "exported CSV into a fresh vault",
        ],
        [],
    ),
    "bench_contacts": (
        ["service, each prefix typed:", "service, each sort column:", "service, filters:"],
        ["screen, open the list:", "screen, keystroke to redraw:", "bare Textual, key shown"],
    ),
    "bench_notes": (
        ["service, one note committed:"],
        [
            "screen, w to the note screen:",
            "screen, keystroke to screen:",
            "screen, Enter to saved line:",
            "bare Textual, key shown",
        ],
    ),
    "bench_rekey": (["rekey, ", "opens after rekey, passphrase and recovery code, check ok:"], []),
    "bench_reports": (
        [
            "trend, 12 months",
            "observations, first 100",
            "report regular, a quarter",
            "report irf, a year",
            "screen, F2 Country Reports a year, longest stall",
        ],
        [],
    ),
    "bench_startup": (
        [],
        [
            "bare Textual app, start -> prompt drawn",
            "hrd-tui, start -> unlock prompt drawn",
            "ratio hrd-tui / bare",
            "hrd-tui, Enter -> today view drawn",
        ],
    ),
    "bench_store": (
        [
            "build total",
            "unlock run 1",
            "KDF alone (Argon2id)",
            "search p95",
            "list_contacts p95",
            "note commit p95",
            "SQLCipher within 1.5x of plain",
            "cipher_memory_security ON vs OFF",
        ],
        [],
    ),
}
SCRIPTS = sorted(path.stem for path in BENCH.glob("bench_*.py"))


def test_every_bench_script_is_listed() -> None:
    assert sorted(FIGURES) == SCRIPTS, "list the new script's figure lines in FIGURES"


def test_benches_drive_the_terminal_and_cli_through_the_tests_helpers() -> None:
    """One tmux driver and one CLI runner (tests/helpers/terminal.py and cli.py) for the
    tests and the benches: a bench that runs tmux or the program itself has grown a copy."""
    for path in BENCH.glob("*.py"):
        text = path.read_text()
        assert '"tmux"' not in text and '"hrd-tui"' not in text, f"{path.name}: use helpers.terminal / helpers.cli"


@pytest.mark.slow
@pytest.mark.parametrize("name", SCRIPTS)
def test_bench_runs_quick_and_prints_its_figures(name: str, tmp_path: Path) -> None:
    always, terminal = FIGURES.get(name, ([], []))
    if name == "bench_startup" and not HAS_TMUX:
        pytest.skip("bench_startup needs tmux (CI installs it)")
    # As a user runs it: `python bench/NAME.py`, from elsewhere than the checkout so the
    # installed package is imported (as in CI), and with the real KDF unless the script
    # itself chooses the test KDF.
    # Nor the tests' frozen clock: a bench builds its data on the real one.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("HRD_TUI_TEST_KDF", "HRD_TUI_TEST_NOW", "PYTHONPATH")
    }
    result = subprocess.run(
        [sys.executable, str(BENCH / f"{name}.py"), "--quick"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    lines = result.stdout.splitlines()
    for label in always + (terminal if HAS_TMUX else []):
        shown = [line for line in lines if label in line]
        assert shown, f"{name} printed no {label!r} line:\n{result.stdout}"
        assert re.search(r"\d", shown[0].split(label, 1)[1]), f"{label!r} has no figure: {shown[0]}"
