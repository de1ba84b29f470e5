"""The frozen day and clock every test runs under (conftest's ``frozen_clock``): what
the vault stamps comes from it, in this process and in a subprocess given
HRD_TUI_TEST_NOW, and that setting means nothing without HRD_TUI_TEST_KDF=1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_DAY, FROZEN_NOW, run_cli
from sqlmodel import select

from hrd_tui import vault, wallclock
from hrd_tui.models import Contact
from hrd_tui.services import contacts, threats

SOON = timedelta(minutes=1)  # the frozen clock runs on from its instant while a test runs


def test_records_carry_the_frozen_instant_and_day(opened: vault.Vault, frozen_clock: datetime) -> None:
    assert frozen_clock == FROZEN_NOW and wallclock.today() == FROZEN_DAY
    with opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Ana", "codename": "F-1"})
        case = threats.open_case(s, {"title": "Case"}, [ana])
        assert FROZEN_NOW <= ana.created_at < FROZEN_NOW + SOON
        assert case.opened_on == FROZEN_DAY
    assert FROZEN_NOW <= datetime.fromisoformat(opened.header.created) < FROZEN_NOW + SOON


def test_the_clock_runs_on_from_its_instant_so_records_keep_their_order() -> None:
    first = wallclock.now()
    assert wallclock.now() >= first and first.tzinfo is UTC


def test_frozen_nests_and_gives_the_clock_back() -> None:
    with wallclock.frozen("2030-06-15T08:00:00-04:00") as at:
        assert at == datetime(2030, 6, 15, 12, 0, tzinfo=UTC)
        assert at <= wallclock.now() < at + SOON
    assert FROZEN_NOW <= wallclock.now() < FROZEN_NOW + SOON
    with pytest.raises(ValueError, match="UTC offset"):
        wallclock.freeze("2030-06-15T08:00:00")  # a wall time with no zone is no instant


def test_the_setting_is_honoured_only_with_the_test_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wallclock.TEST_NOW_ENV, "2030-06-15T12:00:00+00:00")
    wallclock.thaw()  # only the environment left (the fixture restores its clock after the test)
    assert datetime(2030, 6, 15, 12, tzinfo=UTC) <= wallclock.now() < datetime(2030, 6, 15, 12, tzinfo=UTC) + SOON
    monkeypatch.delenv("HRD_TUI_TEST_KDF")
    before = datetime.now(UTC)  # the real clock, read only to bracket the vault's
    assert before <= wallclock.now() <= datetime.now(UTC)


def test_a_cli_subprocess_stamps_the_frozen_instant(tmp_path: Path) -> None:
    vault_dir = tmp_path / "demo"
    result = run_cli("--vault", str(vault_dir), "demo", "--create-only")
    assert result.returncode == 0, result.stderr
    with vault.unlock(vault_dir, vault.Secret("demo"), readonly=True) as opened, opened.store.session() as s:
        stamps = s.exec(select(Contact.created_at)).all()
        assert stamps and all(FROZEN_NOW <= t < FROZEN_NOW + SOON for t in stamps)
    assert FROZEN_NOW <= datetime.fromisoformat(opened.header.created) < FROZEN_NOW + SOON
