"""The real command line (``python -P -m hrd_tui``) in a subprocess, as a user runs it:
for the tests (``run_cli``, with the test settings) and the benchmarks (``run_hrd``,
with the environment they choose).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from hrd_tui import wallclock


def frozen_settings() -> dict[str, str]:
    """The test settings for a subprocess: the test KDF, and the clock where it stands now
    (not back at FROZEN_NOW: what a subprocess writes comes after what the test wrote)."""
    return {"HRD_TUI_TEST_KDF": "1", wallclock.TEST_NOW_ENV: wallclock.now().isoformat()}


def run_hrd(
    *args: str,
    env: Mapping[str, str] | None = None,
    unset: tuple[str, ...] = (),
    input: str | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run the real program with this process's environment, less ``unset`` and
    HRD_TUI_DEBUG (a traceback instead of the user's message), and ``env`` over it."""
    dropped = {"HRD_TUI_DEBUG", *unset}
    full_env = {name: value for name, value in os.environ.items() if name not in dropped} | dict(env or {})
    return subprocess.run(
        # -P: like the installed console script, never import from the working
        # directory (a checkout's hrd_tui/ lacks the screens/ and data/ mapping).
        [sys.executable, "-P", "-m", "hrd_tui", *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
        check=check,
    )


def run_cli(
    *args: str,
    input: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the real program (python -m hrd_tui) as a user would, with the test settings."""
    return run_hrd(*args, env={**frozen_settings(), **(env or {})}, input=input, cwd=cwd, timeout=timeout)


def assert_one_line_failure(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    """A refusal as the command line must give it: its exit code, one line on stderr
    naming the problem, no traceback, and nothing on stdout."""
    assert result.returncode == code, (result.returncode, result.stderr)
    assert text in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""
