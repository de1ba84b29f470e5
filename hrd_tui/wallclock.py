"""The one source of the current time for data: "now" (aware UTC) and "today"
(the officer's local calendar day).

Everything the vault stamps on a record (created_at, a case opened today, the time a
report was written) asks this module, never ``datetime.now()`` or ``date.today()``,
so that a test can fix the day and the clock:

- in the test process, ``with wallclock.frozen(instant): ...`` (or ``freeze``/``thaw``);
- in a subprocess (the CLI, the real program in tmux), the environment setting
  ``HRD_TUI_TEST_NOW=2026-11-20T10:30:00+00:00`` (an ISO instant with its offset),
  honoured only together with ``HRD_TUI_TEST_KDF=1``: a real run never takes a
  fake time by accident.

A frozen clock starts at its instant and runs on with the real elapsed time
(monotonic), so records made one after the other keep their order, as in real use;
the day stays fixed for as long as a test runs. Timing that is not data (idle lock,
unlock delays, the age of files on disk) keeps its own clocks.

Named ``wallclock`` rather than ``clock``: ``make_app(clock=...)`` is the monotonic
idle-lock clock, a different thing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from hrd_tui.testmode import test_kdf_enabled

#: Tests only (with HRD_TUI_TEST_KDF=1): the instant the clock reads when the process starts.
TEST_NOW_ENV = "HRD_TUI_TEST_NOW"

# (instant, monotonic reading when it was fixed); None: the real clock.
_frozen: tuple[datetime, float] | None = None
_from_env: tuple[str, tuple[datetime, float]] | None = None


def _parse(instant: datetime | str) -> datetime:
    value = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
    if value.tzinfo is None:
        raise ValueError(f"a frozen instant needs its UTC offset: {instant!r}")
    return value.astimezone(UTC)


def _env_anchor() -> tuple[datetime, float] | None:
    """HRD_TUI_TEST_NOW, read once per value, and only under HRD_TUI_TEST_KDF=1."""
    global _from_env
    raw = os.environ.get(TEST_NOW_ENV)
    if not raw:
        return None
    if not test_kdf_enabled():
        return None
    if _from_env is None or _from_env[0] != raw:
        _from_env = (raw, (_parse(raw), time.monotonic()))
    return _from_env[1]


def now() -> datetime:
    """The current instant, aware, in UTC."""
    anchor = _frozen or _env_anchor()
    if anchor is None:
        return datetime.now(UTC)
    instant, since = anchor
    return instant + timedelta(seconds=time.monotonic() - since)


def local_now() -> datetime:
    """The current instant, aware, in the officer's local time zone."""
    return now().astimezone()


def today() -> date:
    """The officer's calendar day (local time)."""
    return local_now().date()


def freeze(instant: datetime | str) -> None:
    """Fix the clock at ``instant`` (aware, or an ISO string with its offset) from now on."""
    global _frozen
    _frozen = (_parse(instant), time.monotonic())


def thaw() -> None:
    """Back to the real clock (or HRD_TUI_TEST_NOW, where it applies)."""
    global _frozen
    _frozen = None


@contextmanager
def frozen(instant: datetime | str) -> Iterator[datetime]:
    """``with frozen(instant) as at:`` the clock starts at ``instant`` (in UTC: ``at``)."""
    global _frozen
    before = _frozen
    freeze(instant)
    try:
        yield _parse(instant)
    finally:
        _frozen = before
