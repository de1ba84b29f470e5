"""Key slots and the header: policy, integrity, recovery codes (no database)."""

from __future__ import annotations

import json
import time

import pytest

from hrd_tui import keyslots
from hrd_tui.errors import UnlockFailed, VaultDamaged
from hrd_tui.keyslots import Header, KdfParams

PASS = b"correct horse battery staple"


def make() -> tuple[bytes, bytes, str]:
    header, key = keyslots.new_header(PASS, keyslots.new_recovery_code(), KdfParams(**keyslots.TEST_PARAMS))
    return header.to_bytes(key), key, header.vault_id


def test_passphrase_slot_opens_and_returns_the_data_key() -> None:
    raw, key, _ = make()
    header, body, mac = Header.parse(raw)
    assert keyslots.open_slot(header, body, mac, "passphrase", PASS) == key


def test_wrong_passphrase_fails_with_the_generic_message() -> None:
    raw, _, _ = make()
    header, body, mac = Header.parse(raw)
    with pytest.raises(UnlockFailed) as exc:
        keyslots.open_slot(header, body, mac, "passphrase", b"wrong")
    assert str(exc.value) == UnlockFailed.MESSAGE


def test_recovery_code_opens_in_any_reasonable_spelling() -> None:
    code = keyslots.new_recovery_code()
    header, key = keyslots.new_header(PASS, code, KdfParams(**keyslots.TEST_PARAMS))
    parsed, body, mac = Header.parse(header.to_bytes(key))
    sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert keyslots.open_slot(parsed, body, mac, "recovery", keyslots.normalise_recovery_code(sloppy)) == key
    assert len(code.replace("-", "")) * 5 == 160  # 160 random bits


def test_flipping_any_header_byte_makes_unlock_fail_cleanly() -> None:
    raw, _, _ = make()
    for i in range(len(raw)):
        for bit in (0x01, 0x20, 0x80):
            damaged = bytearray(raw)
            damaged[i] ^= bit
            with pytest.raises((VaultDamaged, UnlockFailed)):
                header, body, mac = Header.parse(bytes(damaged))
                keyslots.open_slot(header, body, mac, "passphrase", PASS)


def _with_kdf(raw: bytes, **kdf: int) -> bytes:
    body = json.loads(raw.split(b"\n")[0])
    slot = next(s for s in body["slots"] if s["type"] == "passphrase")
    slot["kdf"].update(kdf)
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode() + b"\n" + raw.split(b"\n")[1] + b"\n"


@pytest.mark.parametrize("kdf", [{"memory_kib": 8 * 1024 * 1024}, {"time_cost": 10_000}, {"parallelism": 1000}])
def test_absurd_kdf_parameters_are_refused_before_any_work(kdf: dict[str, int]) -> None:
    header, body, mac = Header.parse(_with_kdf(make()[0], **kdf))
    start = time.perf_counter()
    with pytest.raises(VaultDamaged, match="absurd"):
        keyslots.open_slot(header, body, mac, "passphrase", PASS)
    assert time.perf_counter() - start < 5  # sanity only: 8 GiB of Argon2 would not come back at all


def test_parameters_below_the_floor_are_refused_outside_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    raw, _, _ = make()  # test parameters: below the floor
    header, body, mac = Header.parse(raw)
    monkeypatch.delenv(keyslots.TEST_KDF_ENV)
    with pytest.raises(VaultDamaged, match="below the safety floor"):
        keyslots.open_slot(header, body, mac, "passphrase", PASS)


def test_lowering_the_parameters_in_the_header_breaks_the_slot() -> None:
    header, key = keyslots.new_header(PASS, keyslots.new_recovery_code(), KdfParams(2, 16, 1))
    forged = _with_kdf(header.to_bytes(key), time_cost=1)
    parsed, body, mac = Header.parse(forged)
    with pytest.raises(UnlockFailed):
        keyslots.open_slot(parsed, body, mac, "passphrase", PASS)


def test_real_calibration_never_goes_below_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keyslots.TEST_KDF_ENV)
    params = keyslots.calibrate()
    assert params.time_cost >= keyslots.FLOOR_TIME_COST
    assert params.memory_kib >= keyslots.FLOOR_MEMORY_KIB
    assert not params.is_test
    params.check_policy()


def test_test_setting_gives_tiny_parameters_and_says_so() -> None:
    params = keyslots.calibrate()
    assert params == KdfParams(**keyslots.TEST_PARAMS)
    assert "TEST PARAMETERS" in params.describe()


def test_header_holds_no_key_material_in_clear() -> None:
    raw, key, _ = make()
    assert key not in raw and key.hex().encode() not in raw
    assert keyslots.database_key(key).hex().encode() not in raw
