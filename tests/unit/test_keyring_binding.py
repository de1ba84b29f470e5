"""Workstation binding: real vaults, and keyring backends of the tests' own.

The backends are real ``keyring.backend.KeyringBackend`` subclasses, installed
with ``keyring.set_keyring``: one keeps secrets in a dict (a workstation's
keyring), one never answers (a locked desktop collection), two store in plain
text (refused), and keyring's own ``fail.Keyring`` stands for an SSH session.
Nothing here touches the keyring of the machine running the tests.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import keyring
import keyring.backend
import keyring.core
import pytest
from conftest import PASSPHRASE
from keyring.backends import chainer, fail
from keyring.compat import properties

from hrd_tui import keyring_binding, keyslots, vault, wallclock, wipe
from hrd_tui.errors import UnlockFailed
from hrd_tui.keyring_binding import BoundElsewhere, KeyringUnavailable
from hrd_tui.keyslots import Header, KdfParams
from hrd_tui.vault import Secret


class DictKeyring(keyring.backend.KeyringBackend):
    """A secure workstation keyring, as far as these tests are concerned."""

    @properties.classproperty
    def priority(cls) -> float:
        return 5

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


class HangingKeyring(DictKeyring):
    """A locked desktop collection: every call blocks until released."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(60)
        return None

    set_password = delete_password = get_password  # type: ignore[assignment]


class LowPriorityKeyring(DictKeyring):
    """Like keyrings.alt's PlaintextKeyring: priority 0.5, a file anyone with the disk can read."""

    @properties.classproperty
    def priority(cls) -> float:
        return 0.5


class PlaintextKeyring(DictKeyring):
    """A plain-text backend that claims a high priority: refused by its name."""

    @properties.classproperty
    def priority(cls) -> float:
        return 10


PlaintextKeyring.__module__ = "keyrings.alt.file"


class MixedChain(chainer.ChainerBackend):
    """keyring's chainer over a plain-text backend and a secure one (a desktop with keyrings.alt installed)."""

    members: ClassVar[list[keyring.backend.KeyringBackend]] = []

    @properties.classproperty
    def backends(cls) -> list[keyring.backend.KeyringBackend]:
        return cls.members


TEST_BACKENDS = (DictKeyring, HangingKeyring, LowPriorityKeyring, PlaintextKeyring, MixedChain)


@pytest.fixture(autouse=True, scope="module")
def _forget_test_backends() -> Iterator[None]:
    """keyring registers every backend class it sees: take ours out of its discovery afterwards."""
    yield
    for cls in TEST_BACKENDS:
        keyring.backend.KeyringBackend._classes.discard(cls)


@pytest.fixture
def use_keyring() -> Iterator[object]:
    """Install a backend for one test; the one in force before comes back afterwards."""
    previous = keyring.core._keyring_backend
    installed: list[keyring.backend.KeyringBackend] = []

    def install(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
        installed.append(backend)
        keyring.set_keyring(backend)
        return backend

    yield install
    for backend in installed:
        if isinstance(backend, HangingKeyring):
            backend.release.set()
    for thread in list(keyring_binding._hung):
        thread.join(5)
    keyring.core._keyring_backend = previous


def bound_vault(vault_dir: Path, home: DictKeyring) -> str:
    """A closed vault bound to ``home``; returns its recovery code."""
    opened, code = vault.create(vault_dir, PASSPHRASE)
    with opened:
        text = opened.set_workstation_binding(True, PASSPHRASE)
        assert "Workstation binding is ON" in text and "recovery code" in text
        assert opened.workstation_bound
    return code


def header_json(vault_dir: Path) -> dict:
    return json.loads((vault_dir / vault.HEADER_NAME).read_bytes().split(b"\n")[0])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_binding_needs_the_keyring_secret_and_leaves_the_data_alone(vault_dir: Path, use_keyring) -> None:
    home = use_keyring(DictKeyring())
    opened, code = vault.create(vault_dir, PASSPHRASE)
    opened.backup(vault_dir / vault.BACKUPS_NAME / "pre-upgrade-x")
    opened.store.checkpoint()
    db_before = sha(vault_dir / vault.DB_NAME)
    opened.set_workstation_binding(True, PASSPHRASE)
    opened.close()
    assert sha(vault_dir / vault.DB_NAME) == db_before  # only the key slots change
    body = header_json(vault_dir)
    assert body["version"] == keyslots.BOUND_FORMAT_VERSION
    slot = next(s for s in body["slots"] if s["type"] == "passphrase")
    recovery = next(s for s in body["slots"] if s["type"] == "recovery")
    assert slot["binding"]["kind"] == "keyring" and "binding" not in recovery
    assert list(home.entries) == [("hrd-tui", f"vault {body['vault_id']} binding {slot['binding']['id']}")]
    assert (vault_dir / vault.BACKUPS_NAME / "pre-upgrade-x" / vault.HEADER_NAME).read_bytes() == (
        vault_dir / vault.HEADER_NAME
    ).read_bytes()
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as again:
        assert again.workstation_bound

    use_keyring(fail.Keyring())  # the same files, on a machine without this keyring (SSH)
    with pytest.raises(BoundElsewhere) as exc:
        vault.unlock(vault_dir, Secret(PASSPHRASE), wait=False)
    message = str(exc.value)
    assert "Use the recovery code on this machine, or unlock on the bound workstation." in message
    assert "no keyring backend" in message and exc.value.exit_code == 3 and "\n" not in message
    assert vault.failure_count(vault_dir) == 0  # no guess was tried: not a failed attempt
    with vault.unlock(vault_dir, Secret(code, kind="recovery")) as v:  # the recovery code opens it anywhere
        assert v.workstation_bound

    use_keyring(home)
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        text = v.set_workstation_binding(False, PASSPHRASE)
        assert "off" in text and "removed from the keyring" in text
    assert home.entries == {} and header_json(vault_dir)["version"] == keyslots.FORMAT_VERSION
    assert sha(vault_dir / vault.DB_NAME) == db_before
    use_keyring(fail.Keyring())
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:  # unbound: the passphrase alone, anywhere
        assert not v.workstation_bound


def test_a_copy_taken_elsewhere_does_not_open_with_the_passphrase_alone(
    tmp_path: Path, vault_dir: Path, use_keyring
) -> None:
    home = use_keyring(DictKeyring())
    code = bound_vault(vault_dir, home)
    stolen = tmp_path / "stolen"
    shutil.copytree(vault_dir, stolen)
    use_keyring(DictKeyring())  # another machine's keyring: no entry for this vault
    with pytest.raises(BoundElsewhere, match="holds no secret for this vault"):
        vault.unlock(stolen, Secret(PASSPHRASE), wait=False)
    header, body, mac = vault.read_header(stolen)
    for guess in (None, bytes(32), b"\x01" * 32):  # the passphrase with any other second secret
        with pytest.raises(UnlockFailed):
            keyslots.open_slot(header, body, mac, "passphrase", PASSPHRASE.encode(), guess)
    with vault.unlock(stolen, Secret(code, kind="recovery")):
        pass


def test_stripping_the_binding_from_a_copied_header_breaks_the_slot(vault_dir: Path, use_keyring) -> None:
    bound_vault(vault_dir, use_keyring(DictKeyring()))
    raw = (vault_dir / vault.HEADER_NAME).read_bytes()
    body, mac_line = raw.split(b"\n")[0], raw.split(b"\n")[1]
    obj = json.loads(body)
    obj["version"] = 1
    for slot in obj["slots"]:
        slot.pop("binding", None)
    forged = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode() + b"\n" + mac_line + b"\n"
    header, fbody, fmac = Header.parse(forged)  # well formed: an old-style header
    with pytest.raises(UnlockFailed):
        keyslots.open_slot(header, fbody, fmac, "passphrase", PASSPHRASE.encode())
    # and a version that does not match the slots is damage, not a downgrade
    obj["version"] = 2
    with pytest.raises(keyslots.VaultDamaged):
        Header.parse(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode() + b"\n" + mac_line + b"\n")


# A version-1 header written by hrd-tui before workstation binding existed (test KDF parameters).
OLD_HEADER = (
    b'{"created":"2026-11-28T19:50:45Z","format":"hrd-tui-vault","slots":[{"kdf":{"memory_kib":8,"name":"argon2id",'
    b'"parallelism":1,"time_cost":1},"nonce":"jUmEmn1OXiyCuSZE","salt":"D+39fzw2BckowW77u+V6cQ==","type":"passphrase",'
    b'"wrapped":"eFJv+9qHTekrDr2Q/FbA2kZ0RCOcdeGQm369UHVbp2Lr8e3rKzb0OTDUiw/TtNvs"},{"kdf":{"name":"hkdf-sha256"},'
    b'"nonce":"AUjx638Tagk87umd","salt":"OuUvNjGsOstN0OzbVO4Pnw==","type":"recovery",'
    b'"wrapped":"g2PFzaizILDUvDBsVHbaU2RGr/ddD94SXLIyaStqbebpdtW5Qudv3oJoGsNb5GbD"}],'
    b'"vault_id":"78b67c71c0c15f11b1cf27ecf23cd1e5","version":1}\n'
    b"mac:44513380466ffb6a021e5ad73c3b8330905617d39518788281fc31ef2b64e22c\n"
)
OLD_RECOVERY = "TGJF-PS8Q-STN4-WRSE-VSBV-P0GF-9ZGA-R8FK"
OLD_DATA_KEY = "5efe4841a20cdaf73f2c8078d71811f0449b531e508dbf48443032b3abde35b1"


def test_an_old_header_opens_unchanged_and_is_written_back_byte_for_byte() -> None:
    header, body, mac = Header.parse(OLD_HEADER)
    assert not header.bound and header.version == keyslots.FORMAT_VERSION
    key = keyslots.open_slot(header, body, mac, "passphrase", PASSPHRASE.encode())
    assert key.hex() == OLD_DATA_KEY
    assert keyslots.open_slot(header, body, mac, "recovery", keyslots.normalise_recovery_code(OLD_RECOVERY)) == key
    assert header.to_bytes(key) == OLD_HEADER


def test_a_new_unbound_vault_keeps_the_version_1_format(vault_dir: Path, opened: vault.Vault) -> None:
    raw = (vault_dir / vault.HEADER_NAME).read_bytes()
    assert b'"version":1' in raw and b"binding" not in raw
    assert not opened.workstation_bound


def test_a_keyring_that_never_answers_times_out_and_the_recovery_code_still_works(vault_dir: Path, use_keyring) -> None:
    code = bound_vault(vault_dir, use_keyring(DictKeyring()))
    use_keyring(HangingKeyring())
    start = time.perf_counter()
    with pytest.raises(BoundElsewhere, match=r"did not answer within 3 s") as exc:
        vault.unlock(vault_dir, Secret(PASSPHRASE), wait=False)
    elapsed = time.perf_counter() - start
    assert keyring_binding.TIMEOUT_SECONDS == 3.0 and 2.9 <= elapsed < 6, elapsed
    assert "Use the recovery code on this machine" in str(exc.value)
    start = time.perf_counter()  # while that call still hangs, the next one does not wait again
    assert not keyring_binding.status().available
    assert time.perf_counter() - start < 0.5
    with vault.unlock(vault_dir, Secret(code, kind="recovery")):  # no keyring call at all
        pass
    print(f"\nhanging keyring: unlock gave up after {elapsed:.2f} s")


def test_a_wipe_is_not_held_up_by_a_hanging_keyring(vault_dir: Path, use_keyring) -> None:
    bound_vault(vault_dir, use_keyring(DictKeyring()))
    use_keyring(HangingKeyring())
    report = wipe.wipe(vault_dir, keyring_timeout=0.3)
    assert not vault_dir.exists() and len(report.key_slots_destroyed) == 1
    assert "could not delete the workstation secret" in report.keyring and "did not answer" in report.keyring


def test_a_wipe_deletes_the_keyring_secret(vault_dir: Path, use_keyring) -> None:
    home = use_keyring(DictKeyring())
    bound_vault(vault_dir, home)
    assert len(home.entries) == 1
    report = wipe.wipe(vault_dir)
    assert home.entries == {} and report.keyring.startswith("deleted the workstation secret") and report.complete


@pytest.mark.parametrize("backend", [LowPriorityKeyring, PlaintextKeyring])
def test_plaintext_keyrings_are_refused(vault_dir: Path, opened: vault.Vault, use_keyring, backend) -> None:
    unsafe = use_keyring(backend())
    state = keyring_binding.status()
    assert not state.available and "refused" in state.reason and "cannot be turned on" in state.describe()
    before = (vault_dir / vault.HEADER_NAME).read_bytes()
    with pytest.raises(KeyringUnavailable, match="refused"):
        opened.set_workstation_binding(True, PASSPHRASE)
    assert unsafe.entries == {} and (vault_dir / vault.HEADER_NAME).read_bytes() == before
    assert not opened.workstation_bound


def test_a_chain_of_backends_uses_only_its_secure_member(vault_dir: Path, opened: vault.Vault, use_keyring) -> None:
    plain, secure = PlaintextKeyring(), DictKeyring()
    MixedChain.members = [plain, secure]  # the plain-text one first: the chainer would write there
    try:
        use_keyring(MixedChain())
        assert keyring_binding.status().backend.endswith("DictKeyring")
        opened.set_workstation_binding(True, PASSPHRASE)
        assert plain.entries == {} and len(secure.entries) == 1
        MixedChain.members = [plain]
        assert not keyring_binding.status().available
    finally:
        MixedChain.members = []


def test_without_any_keyring_everything_works_as_before(vault_dir: Path, use_keyring) -> None:
    use_keyring(fail.Keyring())
    state = keyring_binding.status()
    assert not state.available and "no keyring backend is available here" in state.reason
    opened, code = vault.create(vault_dir, PASSPHRASE)
    with opened:
        with pytest.raises(KeyringUnavailable, match="no keyring backend"):
            opened.set_workstation_binding(True, PASSPHRASE)
        assert opened.change_passphrase("another long passphrase", KdfParams(**keyslots.TEST_PARAMS)) is None
    with vault.unlock(vault_dir, Secret("another long passphrase")), pytest.raises(UnlockFailed):
        vault.unlock(vault_dir, Secret(code + "X", kind="recovery"), wait=False, readonly=True)


def test_a_wrong_passphrase_changes_no_binding(vault_dir: Path, opened: vault.Vault, use_keyring) -> None:
    home = use_keyring(DictKeyring())
    before = (vault_dir / vault.HEADER_NAME).read_bytes()
    with pytest.raises(UnlockFailed, match="not this vault's passphrase"):
        opened.set_workstation_binding(True, "not the passphrase")
    assert home.entries == {} and (vault_dir / vault.HEADER_NAME).read_bytes() == before
    assert "already off" in opened.set_workstation_binding(False, PASSPHRASE)


def test_a_passphrase_change_keeps_the_binding_or_says_it_could_not(vault_dir: Path, use_keyring) -> None:
    home = use_keyring(DictKeyring())
    bound_vault(vault_dir, home)
    params = KdfParams(**keyslots.TEST_PARAMS)
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        binding = v.header.slot("passphrase").binding
        assert v.change_passphrase("second long passphrase", params) is None
        assert v.header.slot("passphrase").binding == binding and len(home.entries) == 1
    with vault.unlock(vault_dir, Secret("second long passphrase")) as v:
        use_keyring(fail.Keyring())  # the keyring goes away while the vault is open
        with pytest.raises(KeyringUnavailable, match="Nothing was changed"):
            v.change_passphrase("third long passphrase", params)
        notice = v.change_passphrase("third long passphrase", params, unbind_if_unreachable=True)
        assert notice is not None and "binding is now off" in notice and not v.workstation_bound
    with vault.unlock(vault_dir, Secret("third long passphrase")):
        pass


async def test_the_unlock_screen_says_where_a_bound_vault_opens(tmp_path: Path, vault_dir: Path, use_keyring) -> None:
    from conftest import unlock
    from textual.widgets import Static

    from hrd_tui.app import make_app

    bound_vault(vault_dir, use_keyring(DictKeyring()))
    use_keyring(fail.Keyring())
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(app, pilot)
        assert app.locked
        status = str(app.screen.query_one("#unlock-status", Static).content)
        assert "Use the recovery code on this machine, or unlock on the bound workstation." in status
