"""The unlock throttle under attack (issue 15): parallel guesses, planted counter and setting files."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import PASSPHRASE, frozen_settings

from hrd_tui import vault, wipe
from hrd_tui.errors import UnlockFailed
from hrd_tui.vault import Secret


def _guess(vault_dir: str, barrier) -> str:  # in a forked process: one wrong guess, all at once
    barrier.wait()
    try:
        vault.unlock(Path(vault_dir), Secret("not the passphrase"), readonly=True, wait=False)
    except Exception as exc:  # noqa: BLE001 - the outcome is what is compared
        return type(exc).__name__ + ": " + str(exc)
    return "opened"


def _parallel_guesses(vault_dir: Path, n: int) -> list[str]:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Manager().Barrier(n)
    with ctx.Pool(n) as pool:
        return pool.starmap(_guess, [(str(vault_dir), barrier)] * n)


@pytest.mark.parametrize("n", [6, 10])
def test_parallel_wrong_guesses_all_count(vault_dir: Path, opened: vault.Vault, n: int) -> None:
    opened.close()
    outcomes = _parallel_guesses(vault_dir, n)
    assert all(o.startswith("UnlockFailed") for o in outcomes), outcomes
    assert vault.failure_count(vault_dir) == n


def test_parallel_guesses_stop_at_the_wipe(vault_dir: Path, opened: vault.Vault) -> None:
    opened.set_wipe_after(3)
    opened.close()
    outcomes = _parallel_guesses(vault_dir, 10)
    evaluated = [o for o in outcomes if o.startswith("UnlockFailed") or "failure 3 in a row" in o]
    assert len(evaluated) == 3, outcomes
    assert sum("failure 3 in a row" in o for o in outcomes) == 1
    assert all(o.startswith(("UnlockFailed", "VaultWiped", "NoVault")) for o in outcomes), outcomes
    assert not vault_dir.exists()


@pytest.mark.parametrize("readonly", [True, False])
def test_an_attempt_that_meets_a_wipe_half_done_reports_the_wipe(
    vault_dir: Path, opened: vault.Vault, readonly: bool
) -> None:
    """The window the parallel test hits only under load, held open: the header already
    overwritten by a wiping attempt (which holds the attempt lock), no marker yet."""
    opened.close()
    outcome: list[str] = []

    def attempt() -> None:
        try:
            vault.unlock(vault_dir, Secret("not the passphrase"), readonly=readonly, wait=False)
            outcome.append("opened")
        except Exception as exc:  # noqa: BLE001 - the outcome is what is compared
            outcome.append(type(exc).__name__ + ": " + str(exc))

    with wipe.attempt_lock(vault_dir):
        wipe._overwrite(vault.header_path(vault_dir))  # the wipe's first step, mid-way
        thread = threading.Thread(target=attempt)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive() and outcome == []  # waits for the wipe instead of calling the vault damaged
        wipe.finish_wipe(wipe.destroy_key_slots(vault_dir))
    thread.join(10)
    assert len(outcome) == 1 and outcome[0].startswith(("NoVault", "VaultWiped")), outcome


def _popen(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-P", "-m", "hrd_tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **frozen_settings()},
    )


def test_parallel_cli_guesses_all_count(tmp_path: Path, vault_dir: Path, opened: vault.Vault) -> None:
    opened.close()
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase\n")
    procs = [_popen("--vault", str(vault_dir), "--passphrase-file", str(wrong), "info") for _ in range(6)]
    results = [(p.wait(120), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert [rc for rc, _ in results] == [3] * 6, results
    assert vault.failure_count(vault_dir) == 6
    assert not any("waiting 0 s" in err for _, err in results)


def _plant(vault_dir: Path, data: dict) -> None:
    (vault_dir / wipe.FAILURES_NAME).write_text(json.dumps(data))


def _signed(vault_dir: Path, limit: int, key: bytes) -> dict:
    return wipe.sign_setting(wipe.header_vault_id(vault_dir) or "", limit, key)


@pytest.mark.parametrize("plant", ["old format", "edited N", "forged signature", "other vault"])
def test_a_planted_setting_never_wipes_and_is_reported(vault_dir: Path, opened: vault.Vault, plant: str) -> None:
    key = bytes(opened._data_key)
    opened.set_wipe_after(20)
    genuine = json.loads((vault_dir / wipe.FAILURES_NAME).read_text())
    opened.close()
    if plant == "old format":
        _plant(vault_dir, {"count": 2, "last": 0, "wipe_after": 3})
    elif plant == "edited N":
        setting = dict(genuine["setting"], wipe_after=3)
        _plant(vault_dir, {"count": 2, "last": 0, "setting": setting, "counted": 2, "for": setting["nonce"]})
    elif plant == "forged signature":
        setting = dict(genuine["setting"], wipe_after=3, sig="00" * 64)
        _plant(vault_dir, {"count": 2, "last": 0, "setting": setting, "counted": 2, "for": setting["nonce"]})
    else:
        setting = wipe.sign_setting("f" * 32, 3, key)
        _plant(vault_dir, {"count": 2, "last": 0, "setting": setting, "counted": 2, "for": setting["nonce"]})
    assert wipe.attempts_left(vault_dir) is None and wipe.wipe_after(vault_dir) is None
    for _ in range(3):
        with pytest.raises(UnlockFailed, match="not authentic.*no wipe"):
            vault.unlock(vault_dir, Secret("a typo"), wait=False)
    assert vault.exists(vault_dir) and (vault_dir / vault.DB_NAME).exists()
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as again:  # reported, and removed
        assert any("not authentic" in w for w in again.warnings)
        assert again.wipe_after is None
    assert not (vault_dir / wipe.FAILURES_NAME).exists()


def test_a_setting_signed_with_another_key_is_caught_at_the_next_unlock(vault_dir: Path, opened: vault.Vault) -> None:
    opened.close()
    setting = _signed(vault_dir, 3, os.urandom(32))  # an attacker's own key pair: verifies, but is not ours
    _plant(vault_dir, {"count": 0, "last": 0, "setting": setting, "counted": 0, "for": setting["nonce"]})
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as again:
        assert any("not this vault's" in w for w in again.warnings) and again.wipe_after is None


def test_a_planted_count_only_adds_delay(vault_dir: Path, opened: vault.Vault) -> None:
    opened.set_wipe_after(3)
    data = json.loads((vault_dir / wipe.FAILURES_NAME).read_text())
    opened.close()
    # counted against another setting (a nonce not in force): a long delay, no wipe
    _plant(vault_dir, {**data, "count": 8, "last": time.time(), "counted": 8, "for": "0" * 32})
    assert wipe.attempts_left(vault_dir) == 3 and vault.unlock_delay(vault_dir) > 1
    with pytest.raises(UnlockFailed, match="2 attempts left"):
        vault.unlock(vault_dir, Secret("a typo"), wait=False)
    assert vault.exists(vault_dir) and vault.failure_count(vault_dir) == 9


def test_a_long_run_of_failures_keeps_the_delay_at_its_cap(vault_dir: Path, opened: vault.Vault) -> None:
    """Past 1,025 failures in a row (some 8 hours of guessing at the capped delay), 2 ** count
    no longer fits a float: the delay stays at its cap, and the right passphrase still opens."""
    opened.close()
    _plant(vault_dir, {"count": 5000, "last": time.time()})
    assert 0 < vault.unlock_delay(vault_dir) <= vault.FAILURE_DELAY_CAP
    _plant(vault_dir, {"count": 5000, "last": 0.0})
    vault.unlock(vault_dir, Secret(PASSPHRASE), wait=False).close()
    assert vault.failure_count(vault_dir) == 0


def test_a_successful_unlock_re_signs_the_setting_with_a_new_nonce(vault_dir: Path, opened: vault.Vault) -> None:
    opened.set_wipe_after(3)
    before = json.loads((vault_dir / wipe.FAILURES_NAME).read_text())
    opened.close()
    with pytest.raises(UnlockFailed):
        vault.unlock(vault_dir, Secret("a typo"), wait=False)
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as again:
        assert again.warnings == [] and again.wipe_after == 3
    after = json.loads((vault_dir / wipe.FAILURES_NAME).read_text())
    assert after["setting"]["nonce"] != before["setting"]["nonce"] and after["count"] == 0
    # the old count, replayed next to the new setting, counts for the delay only
    _plant(vault_dir, {**after, "count": 2, "counted": 2, "for": before["setting"]["nonce"]})
    assert wipe.attempts_left(vault_dir) == 3


@pytest.mark.parametrize(("delay", "said"), [(0.4, None), (1.2, "waiting 2 s"), (3.0, "waiting 3 s")])
def test_the_cli_never_says_waiting_0_s(
    vault_dir: Path,
    opened: vault.Vault,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    delay: float,
    said: str | None,
) -> None:
    import argparse

    from hrd_tui.cli import common as cli_common

    opened.close()
    monkeypatch.setattr(vault, "unlock_delay", lambda _dir: delay)
    args = argparse.Namespace(vault=str(vault_dir), passphrase_file=None)
    cli_common.open_vault(args, readonly=True, secret=Secret(PASSPHRASE)).close()
    err = capsys.readouterr().err
    assert ("waiting" not in err) if said is None else (said in err), err


@pytest.mark.parametrize("typed", ["x", "1234", "ABCD-EFGH", "not a recovery code at all, just a passphrase"])
def test_a_malformed_recovery_code_is_refused_and_never_counted(
    vault_dir: Path, opened: vault.Vault, typed: str
) -> None:
    """Issue 22: with wipe-after 3, two wrong passphrases and a one-character "code"
    wiped the vault. Input not shaped like a code is refused before any attempt."""
    from hrd_tui import keyslots
    from hrd_tui.errors import NotARecoveryCode

    opened.set_wipe_after(3)
    opened.close()
    for _ in range(2):
        with pytest.raises(UnlockFailed):
            vault.unlock(vault_dir, Secret("a typo"), wait=False)
    with pytest.raises(NotARecoveryCode, match="does not count"):
        vault.unlock(vault_dir, Secret(typed, kind="recovery"), wait=False)
    assert vault.exists(vault_dir) and vault.failure_count(vault_dir) == 2
    shaped_but_wrong = keyslots.new_recovery_code()
    with pytest.raises(wipe.VaultWiped, match="3 in a row"):  # a code of the right shape is an attempt
        vault.unlock(vault_dir, Secret(shaped_but_wrong.lower().replace("-", " "), kind="recovery"), wait=False)
    assert not vault_dir.exists()
