"""A vault: a private directory holding the key-slot header and the encrypted database.

    VAULT/            0700
      vault.hdr       key slots + header MAC (keyslots.py)         0600
      vault.db        SQLCipher database (+ -wal, -shm while open)  0600
      vault.lock      held (flock) by the one process writing       0600
      unlock-failures failed unlocks in a row, the wipe setting     0600
      backups/        automatic encrypted backups before upgrades   0700

This module composes the pieces: file hygiene (paths.py), key slots
(keyslots.py), the workstation keyring (keyring_binding.py), the emergency
wipe and the failure counter (wipe.py), the hardened engine (store.py) and
migrations. It imports no UI.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from hrd_tui import keyring_binding, keyslots, migrations, vault_hooks
from hrd_tui import wipe as wipe_mod
from hrd_tui.errors import (
    CheckFailed,
    HrdError,
    NotARecoveryCode,
    NoVault,
    UnlockFailed,
    VaultBusy,
    VaultDamaged,
    from_db_error,
    from_os_error,
)
from hrd_tui.keyring_binding import KeyringUnavailable
from hrd_tui.keyslots import Header, KdfParams, Slot
from hrd_tui.paths import (
    DB_NAME,
    HEADER_NAME,
    atomic_write,
    enforce_private,
    fsync_dir,
    harden_process,
    make_private_dir,
    set_export_vault,
    vault_exists,
    wipe_buffer,
)
from hrd_tui.store import Store, connect_raw
from hrd_tui.wipe import (  # named by the CLI and the tests as vault.<NAME>
    BACKUPS_NAME as BACKUPS_NAME,
)
from hrd_tui.wipe import (
    DB_SIDECARS,
    LOCK_NAME,
    WIPED_MARKER,
    VaultWiped,
)
from hrd_tui.wipe import (
    FAILURES_NAME as FAILURES_NAME,
)

# Growing delay after failed unlocks: 1 s, 2 s, 4 s ... capped at 30 s, enforced
# before the next attempt (also across processes: the count is on disk).
FAILURE_DELAY_BASE = 1.0
FAILURE_DELAY_CAP = 30.0
TEST_FAILURE_DELAY_BASE = 0.02


@dataclass(frozen=True)
class Secret:
    """What the user typed to unlock: a passphrase or the recovery code."""

    value: str
    kind: str = "passphrase"  # or "recovery"

    def material(self) -> bytes:
        if self.kind == "recovery":
            return keyslots.normalise_recovery_code(self.value)
        return self.value.encode("utf-8")

    def __repr__(self) -> str:  # never print a secret, even in a traceback's locals
        return f"Secret(kind={self.kind!r}, value=<hidden>)"


def header_path(vault_dir: Path) -> Path:
    return vault_dir / HEADER_NAME


def db_path(vault_dir: Path) -> Path:
    return vault_dir / DB_NAME


exists = vault_exists


# -- the single-writer lock ---------------------------------------------------


class WriterLock:
    """flock on vault.lock: released by the kernel if the process dies."""

    def __init__(self, vault_dir: Path) -> None:
        path = vault_dir / LOCK_NAME
        try:
            self.fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            raise from_os_error(exc, "opening the vault lock") from exc
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(self.fd, 32).decode("ascii", errors="replace").strip() or "unknown"
            os.close(self.fd)
            self.fd = None
            raise VaultBusy(
                f"The vault at {vault_dir} is open in another hrd-tui process (pid {holder}). "
                "Close that one first; only one may write at a time."
            ) from None
        try:
            os.ftruncate(self.fd, 0)
            os.write(self.fd, str(os.getpid()).encode("ascii"))
        except OSError as exc:  # a full disk: the lock is held all the same, but say why the open fails
            self.release()
            raise from_os_error(exc, "writing the vault lock") from exc

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


# -- failed-unlock throttling ------------------------------------------------
# The counter (and the optional wipe after N failures in a row) lives in
# wipe.py, a light module the unlock screen can read without this one.


def _failure_state(vault_dir: Path) -> tuple[int, float]:
    state = wipe_mod.read_failures(vault_dir)
    return state.count, state.last


def failure_count(vault_dir: Path) -> int:
    return _failure_state(vault_dir)[0]


def _delay_for(count: int) -> float:
    if count <= 0:
        return 0.0
    base = TEST_FAILURE_DELAY_BASE if keyslots.test_kdf_enabled() else FAILURE_DELAY_BASE
    # The exponent is bounded: past about 1,025 failures 2 ** count overflows a float, and the
    # cap is reached long before 64 (1 s doubles past 30 s at the sixth failure).
    return min(base * 2.0 ** min(count - 1, 64), FAILURE_DELAY_CAP)


def unlock_delay(vault_dir: Path) -> float:
    """Seconds to wait before the next unlock attempt may run (0 when none)."""
    count, last = _failure_state(vault_dir)
    return max(0.0, _delay_for(count) - (time.time() - last))


def _failed_unlock(vault_dir: Path) -> HrdError:
    """Count a failed unlock; the error to raise (after the wipe, when the setting says so)."""
    state = wipe_mod.record_failure(vault_dir)
    if state.problem is not None:  # a setting that is not authentic never wipes: it is reported
        return UnlockFailed(
            f"{UnlockFailed.MESSAGE} " + wipe_mod.NOT_AUTHENTIC.format(name=wipe_mod.FAILURES_NAME, why=state.problem)
        )
    if state.wipe_after is None:
        return UnlockFailed()
    left = state.wipe_after - state.counted
    if left > 0:
        return UnlockFailed(f"{UnlockFailed.MESSAGE} {wipe_mod.attempts_left_text(left)}")
    try:
        wipe_mod.wipe(vault_dir)  # no lock, no wait: the setting is an order
    except HrdError as exc:
        return HrdError(
            f"Could not unlock; {state.counted} failures in a row, so the vault was to be wiped, but: {exc}"
        )
    return VaultWiped(
        f"Could not unlock, and that was failure {state.counted} in a row: as set, this vault has been wiped "
        "(key slots destroyed, files removed). Nothing can open it any more."
    )


def _reset_failures(vault_dir: Path) -> None:
    wipe_mod.reset_failures(vault_dir)


# -- the open vault -----------------------------------------------------------


@dataclass
class Vault:
    dir: Path
    header: Header
    store: Store
    _data_key: bytearray = field(repr=False)
    lock: WriterLock | None = None
    warnings: list[str] = field(default_factory=list)
    migrated_from: str | None = None
    needs_upgrade: bool = False
    #: While a rekey is unfinished (the database already under the next key, the
    #: slots still wrapping ``_data_key``): the next data key, which keys the database.
    _next_key: bytearray | None = field(default=None, repr=False)

    @property
    def is_open(self) -> bool:
        return self.store.is_open

    def close(self) -> None:
        """Close the database, zero the keys in place, release the lock. Idempotent."""
        self.store.close()
        wipe_buffer(getattr(self, "_engine_key", None))  # the SQLCipher key, as handed to the engine
        for i in range(len(self._data_key)):
            self._data_key[i] = 0
        if self._next_key is not None:
            for i in range(len(self._next_key)):
                self._next_key[i] = 0
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- key management ---------------------------------------------------
    def _writable(self, what: str) -> None:
        if self.lock is None:
            raise HrdError(f"The vault is open read-only; cannot {what}.")

    def _write_slot(self, slot: Slot) -> None:
        """Put ``slot`` in the header and write it (here and in the automatic backups).

        The in-memory header changes only once the file is written.
        """
        header = Header(self.header.vault_id, self.header.created, list(self.header.slots))
        header.set_slot(slot)
        self._write_header(header)

    def _write_header(self, header: Header, key: bytes | None = None) -> None:
        """Write ``header`` over the live header file and the automatic backups' ones, in place.

        In place (keyslots.write_header_in_place): the same blocks are
        overwritten, so the earlier slots are not left in freed blocks as a
        rename would leave them. The in-memory header changes once the live file is written.
        """
        raw = header.to_bytes(key if key is not None else bytes(self._data_key))
        _write_header_file(header_path(self.dir), raw)
        self.header = header
        # The automatic backups inside the vault hold the same data key: left
        # with the old slot, the old passphrase would still open them (and, with
        # their header, this database). They get the new header too.
        for old in sorted((self.dir / BACKUPS_NAME).glob(f"*/{HEADER_NAME}")):
            _write_header_file(old, raw)

    def change_passphrase(
        self,
        new_passphrase: str,
        params: KdfParams | None = None,
        *,
        unbind_if_unreachable: bool = False,
        keyring_timeout: float | None = None,
    ) -> str | None:
        """Rewrap the data key under a new passphrase. The database is not touched.

        A workstation-bound vault stays bound (the keyring secret is read
        again). When the keyring cannot be reached, KeyringUnavailable, unless
        ``unbind_if_unreachable``: the new passphrase slot is then not bound,
        and the returned notice says so (show it). None otherwise.
        """
        self._writable("change the passphrase")
        params = params or keyslots.calibrate()
        current = self.header.slot("passphrase")
        binding, binding_secret, notice = None, None, None
        if current is not None and current.binding is not None:
            try:
                binding_secret = keyring_binding.fetch_secret(
                    self.header.vault_id, current.binding["id"], keyring_timeout
                )
                binding = current.binding
            except KeyringUnavailable as exc:
                if not unbind_if_unreachable:
                    raise KeyringUnavailable(
                        exc.reason,
                        f"This vault's passphrase is bound to a workstation keyring, which cannot be used here: "
                        f"{exc.reason}. Change the passphrase on the bound workstation, or set it without the binding. "
                        "Nothing was changed.",
                    ) from None
                notice = (
                    f"Workstation binding is now off ({exc.reason}): the new passphrase opens this vault "
                    "without the keyring. Turn binding on again on the workstation you keep it on."
                )
        slot = keyslots.make_slot(
            self.header.vault_id,
            "passphrase",
            new_passphrase.encode("utf-8"),
            bytes(self._data_key),
            params,
            binding=binding,
            binding_secret=binding_secret,
        )
        self._write_slot(slot)
        return notice

    def _keyring_secret(self, slot: Slot, keyring_timeout: float | None, advice: str) -> bytes | None:
        """The keyring secret a bound slot needs (None for a plain one); KeyringUnavailable gives ``advice``."""
        if slot.binding is None:
            return None
        try:
            return keyring_binding.fetch_secret(self.header.vault_id, slot.binding["id"], keyring_timeout)
        except KeyringUnavailable as exc:
            raise KeyringUnavailable(
                exc.reason, f"The workstation keyring cannot be used here ({exc.reason}){advice} Nothing was changed."
            ) from None

    def _db_key(self) -> bytes:
        """The SQLCipher key: from the data key, or from the next one while a rekey is unfinished."""
        return keyslots.database_key(bytes(self._next_key if self._next_key is not None else self._data_key))

    def new_recovery_code(self) -> str:
        """A new recovery code (returned: show it once); the old recovery slot is
        overwritten in place, so the old code opens nothing. The data key does not change."""
        self._writable("change the recovery code")
        code = keyslots.new_recovery_code()
        self._write_slot(
            keyslots.make_slot(
                self.header.vault_id, "recovery", keyslots.normalise_recovery_code(code), bytes(self._data_key)
            )
        )
        return code

    def _check_recovery_code(self, code: str) -> None:
        key = bytes(self._data_key)
        header, body, mac = Header.parse(self.header.to_bytes(key))
        try:
            opened = keyslots.open_slot(header, body, mac, "recovery", keyslots.normalise_recovery_code(code))
        except UnlockFailed:
            opened = b""
        if opened != key:
            raise UnlockFailed("That is not this vault's recovery code; nothing was changed.")

    def rekey(self, passphrase: str, recovery_code: str | None, *, keyring_timeout: float | None = None) -> str | None:
        """A new random data key: the database (and the automatic backups') re-encrypted
        with SQLCipher's ``PRAGMA rekey``, every slot rewrapped.

        Each slot is rewrapped under its own secret, which hrd-tui never keeps: so
        the passphrase and the recovery code are both needed (checked before
        anything changes), or ``recovery_code=None`` for a new recovery code,
        returned (show it once). Crash-safe order (keyslots.py, "Rekey"): the
        next key is first written wrapped under the current one beside the
        current slots; then the databases are re-encrypted (each one commit);
        only then are the slots rewritten for the next key alone. Run again, it
        finishes a rekey that was interrupted.
        """
        self._writable("rekey the vault")
        vault_id = self.header.vault_id
        current = self.header.slot("passphrase")
        if current is None:
            raise VaultDamaged("The vault header has no passphrase slot.")
        binding_secret = self._keyring_secret(current, keyring_timeout, "; rekey on the bound workstation.")
        self._check_passphrase(passphrase, binding_secret)
        new_code = None
        if recovery_code is None:
            new_code = recovery_code = keyslots.new_recovery_code()
        else:
            self._check_recovery_code(recovery_code)
        old_key = bytes(self._data_key)
        next_key = bytes(self._next_key) if self._next_key is not None else secrets.token_bytes(keyslots.KEY_BYTES)
        final = Header(vault_id, self.header.created, [])
        final.set_slot(
            keyslots.make_slot(
                vault_id,
                "passphrase",
                passphrase.encode("utf-8"),
                next_key,
                current.kdf_params(),
                binding=current.binding,
                binding_secret=binding_secret,
            )
        )
        final.set_slot(
            keyslots.make_slot(vault_id, "recovery", keyslots.normalise_recovery_code(recovery_code), next_key)
        )
        limit = self.wipe_after
        if self._next_key is None:
            # 1. The next key, wrapped under the current one, beside the current slots.
            pending = Header(
                vault_id, self.header.created, [s for s in self.header.slots if s.type != keyslots.REKEY_SLOT]
            )
            pending.set_slot(keyslots.make_rekey_slot(vault_id, old_key, next_key))
            self._write_header(pending)
            # 2. The database re-encrypted: one commit; from here it opens with the next key.
            self.store.close()
            _rekey_database(db_path(self.dir), old_key, next_key)
            self._next_key = bytearray(next_key)
            engine_key = keyslots.database_key(next_key)
            self.store = Store(db_path(self.dir), engine_key)
            wipe_buffer(getattr(self, "_engine_key", None))
            self._engine_key = engine_key  # zeroed at close, as unlock's
        for backup in sorted((self.dir / BACKUPS_NAME).glob(f"*/{DB_NAME}")):
            _rekey_database(backup, old_key, next_key)  # each one commit; done ones are skipped
        # 3. The slots for the next key alone, over the earlier ones in place.
        self._write_header(final, next_key)
        self._data_key[:] = next_key
        self._next_key = None
        if limit is not None:
            self.set_wipe_after(limit)  # the setting is signed with the data key: sign it anew
        return new_code

    @property
    def workstation_bound(self) -> bool:
        return self.header.bound

    def _check_passphrase(self, passphrase: str, binding_secret: bytes | None) -> None:
        """The passphrase opens the current slot (so a typo cannot lock it out)."""
        key = bytes(self._data_key)
        header, body, mac = Header.parse(self.header.to_bytes(key))
        try:
            opened = keyslots.open_slot(header, body, mac, "passphrase", passphrase.encode("utf-8"), binding_secret)
        except UnlockFailed:
            opened = b""
        if opened != key:
            raise UnlockFailed("That is not this vault's passphrase; nothing was changed.")

    def set_workstation_binding(self, on: bool, passphrase: str, *, keyring_timeout: float | None = None) -> str:
        """Bind the passphrase slot to this workstation's keyring (``on``) or unbind it.

        Needs the current passphrase (checked first) since the passphrase slot is
        rewrapped; the recovery slot, the data key and the database do not
        change. Returns the text to show. Raises KeyringUnavailable (no usable
        keyring, timeout) or UnlockFailed (wrong passphrase); nothing is changed then.
        """
        self._writable("change the workstation binding")
        current = self.header.slot("passphrase")
        if current is None:
            raise VaultDamaged("The vault header has no passphrase slot.")
        vault_id = self.header.vault_id
        if on == (current.binding is not None):
            return f"Workstation binding is already {'on' if on else 'off'}; nothing was changed."
        old_secret = self._keyring_secret(
            current,
            keyring_timeout,
            ", so the passphrase cannot be checked against the bound slot. Turn binding "
            "off on the bound workstation, or set a new passphrase without the binding.",
        )
        self._check_passphrase(passphrase, old_secret)
        params = current.kdf_params()
        if on:
            binding, secret = keyslots.new_binding()
            backend = keyring_binding.store_secret(vault_id, binding["id"], secret, keyring_timeout)
            try:
                slot = keyslots.make_slot(
                    vault_id,
                    "passphrase",
                    passphrase.encode("utf-8"),
                    bytes(self._data_key),
                    params,
                    binding=binding,
                    binding_secret=secret,
                )
                self._write_slot(slot)
            except BaseException:
                try:
                    keyring_binding.delete_secret(vault_id, binding["id"], keyring_timeout)
                except KeyringUnavailable:
                    pass  # the header was not written: the stray secret opens nothing
                raise
            return (
                f"Workstation binding is ON (keyring: {backend}). The passphrase now opens this vault only together "
                "with a secret kept in this workstation's keyring, so a copy taken elsewhere cannot be attacked by "
                "guessing the passphrase. On any other machine, or if this keyring is lost or reset, only the "
                "recovery code opens the vault: make sure you still have it."
            )
        slot = keyslots.make_slot(vault_id, "passphrase", passphrase.encode("utf-8"), bytes(self._data_key), params)
        self._write_slot(slot)
        text = "Workstation binding is off: the passphrase alone opens this vault again, on any machine."
        assert current.binding is not None  # turning it off: it was on (checked above)
        try:
            keyring_binding.delete_secret(vault_id, current.binding["id"], keyring_timeout)
            text += " The secret was removed from the keyring: backups made while bound now open only with the recovery code."
        except KeyringUnavailable as exc:
            text += f" The old secret could not be removed from the keyring ({exc.reason})."
        return text

    # -- wipe after failed unlocks -------------------------------------------
    @property
    def wipe_after(self) -> int | None:
        return wipe_mod.wipe_after(self.dir)

    def set_wipe_after(self, limit: int | None) -> str:
        """Wipe after ``limit`` (3-20) failed unlocks in a row, or never (None). Returns the text to show."""
        self._writable("change the wipe setting")
        return wipe_mod.set_wipe_after(self.dir, limit, bytes(self._data_key))  # the key signs the setting

    def header_bytes(self) -> bytes:
        return self.header.to_bytes(bytes(self._data_key))

    # -- maintenance -------------------------------------------------------
    def backup(self, dest: Path) -> Path:
        """A consistent, encrypted, verified copy of the vault at ``dest`` (a new directory).

        VACUUM INTO reads one snapshot (WAL lets the app keep writing) and
        writes an encrypted copy under the same key; the header is copied with
        it, so the backup opens with the passphrase in force when it was made.
        Written to a temp directory, fsynced, verified by reopening, then renamed.
        """
        dest = dest.expanduser().absolute()
        if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
            raise HrdError(f"{dest} already exists; a backup never overwrites anything.")
        if not dest.parent.exists():
            make_private_dir(dest.parent)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))  # 0700, unpredictable
        except OSError as exc:
            raise from_os_error(exc, "starting the backup") from exc
        try:
            with self.store.raw() as conn:
                conn.execute("VACUUM INTO ?", (str(db_path(tmp)),))
            fd = os.open(db_path(tmp), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            atomic_write(
                header_path(tmp), keyslots.frame_header(self.header_bytes())
            )  # a new file: nothing to overwrite
            problems = _integrity_problems(db_path(tmp), self._db_key())
            if problems:
                raise CheckFailed("The backup did not verify: " + "; ".join(problems[:3]))
            if dest.exists():
                dest.rmdir()
            os.replace(tmp, dest)
            fsync_dir(dest.parent)
        except OSError as exc:
            raise from_os_error(exc, "writing the backup") from exc
        except Exception as exc:
            if not isinstance(exc, HrdError):
                raise from_db_error(exc, "writing the backup") from exc
            raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return dest

    def check(self) -> list[str]:
        """Every integrity problem found (empty when the vault is sound)."""
        return self.check_report().problems

    def check_report(self) -> IntegrityReport:
        """The checks that could run now, and the problems they found.

        cipher_integrity_check reads the database file page by page beside
        SQLite's locking: while another process writes (the app, open in
        another window), a checkpoint can rewrite a page as it is read and a
        sound vault would be reported damaged. So the raw page check runs only
        when no one else can write: as the writer, or under the writer lock
        taken for the check. When the app holds the vault, every page in use
        is still read (and its HMAC verified) through one consistent snapshot
        by integrity_check; the unused pages wait for the app to close.
        """
        if self.lock is not None:
            self.store.checkpoint()  # a writer completes pending WAL work first
            return self._integrity(full=True)
        try:
            lock = WriterLock(self.dir)
        except VaultBusy:
            return self._integrity(full=False)
        try:
            return self._integrity(full=True)
        finally:
            lock.release()

    def _integrity(self, *, full: bool) -> IntegrityReport:
        problems = _integrity_problems(db_path(self.dir), self._db_key(), readonly=True, raw_pages=full)
        return IntegrityReport(problems, full=full)

    def schema_revision(self) -> str | None:
        with self.store.session("reading the schema revision") as session:
            return migrations.current_revision(session.connection())


def _rekey_database(path: Path, old_key: bytes, next_key: bytes) -> None:
    """Re-encrypt the database at ``path`` from ``old_key`` to ``next_key`` (one commit);
    nothing to do when it already opens with ``next_key``."""
    if _opens_with(path, next_key):
        return
    conn = connect_raw(path, keyslots.database_key(old_key))
    try:
        conn.execute(f"PRAGMA rekey = \"x'{keyslots.database_key(next_key).hex()}'\"")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the pages under the old key overwritten in place
    except Exception as exc:  # noqa: BLE001 - mapped to one user error
        raise from_db_error(exc, "re-encrypting the vault") from exc
    finally:
        conn.close()


def _opens_with(path: Path, key: bytes) -> bool:
    try:
        connect_raw(path, keyslots.database_key(key), readonly=True).close()
    except VaultDamaged:
        return False
    return True


@dataclass(frozen=True)
class IntegrityReport:
    """What ``Vault.check_report`` found; ``full`` when the raw page check ran too."""

    problems: list[str]
    full: bool


def _integrity_problems(path: Path, db_key: bytes, readonly: bool = False, raw_pages: bool = True) -> list[str]:
    problems: list[str] = []
    try:
        conn = connect_raw(path, db_key, readonly=readonly)
    except HrdError as exc:
        return [str(exc)]
    try:
        if raw_pages:
            problems += [f"cipher_integrity_check: {row[0]}" for row in conn.execute("PRAGMA cipher_integrity_check")]
        conn.execute("BEGIN")  # one snapshot for both checks, however the writer moves on
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems += [f"integrity_check: {r}" for r in result]
        problems += [f"foreign_key_check: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
        conn.execute("COMMIT")
    except Exception as exc:  # noqa: BLE001 - a damaged file can fail in many ways
        problems.append(str(from_db_error(exc, "checking the vault")))
    finally:
        conn.close()
    return problems


# -- create and unlock ---------------------------------------------------------


def create(vault_dir: Path, passphrase: str, *, params: KdfParams | None = None) -> tuple[Vault, str]:
    """Create a new vault; returns it (open for writing) and the recovery code (show it once)."""
    harden_process()
    vault_hooks.require()  # before anything is made: a vault is created with what the services keep in it
    if exists(vault_dir):
        raise HrdError(f"A vault already exists at {vault_dir}.")
    if (vault_dir / WIPED_MARKER).exists():
        raise VaultWiped(
            "This folder holds a vault whose wipe was started. Finish it with 'hrd-tui wipe' before creating a vault there."
        )
    if db_path(vault_dir).exists():
        raise VaultDamaged(
            f"{db_path(vault_dir)} exists without its header: an unfinished or damaged vault. "
            "Move it away (it cannot be opened without its header) and try again."
        )
    make_private_dir(vault_dir)
    lock = WriterLock(vault_dir)
    store: Store | None = None
    try:
        recovery_code = keyslots.new_recovery_code()
        material = passphrase.encode("utf-8")
        try:
            header, data_key = keyslots.new_header(material, recovery_code, params or keyslots.calibrate())
        finally:
            wipe_buffer(material)  # zeroed once the KDF has it (the str itself cannot be wiped)
        db_key = keyslots.database_key(data_key)
        store = Store(db_path(vault_dir), db_key)
        _prepare_schema(store, new=True)
        # The vault exists from here; a new file (nothing to overwrite), in the fixed layout.
        atomic_write(header_path(vault_dir), keyslots.frame_header(header.to_bytes(data_key)))
    except BaseException:
        if store is not None:
            store.close()
        if not exists(vault_dir):
            try:
                remove_database_files(vault_dir)
            except HrdError:
                pass  # the original error is the one to report
        lock.release()
        raise
    vault = Vault(vault_dir, header, store, bytearray(data_key), lock)
    vault._engine_key = db_key  # the very object the engine holds: zeroed at close
    wipe_buffer(data_key)  # the vault keeps its own copy, zeroed at close
    set_export_vault(header.vault_id)  # its exports go to a folder of its own (paths.default_export_dir)
    return vault, recovery_code


def read_header(vault_dir: Path) -> tuple[Header, bytes, str]:
    try:
        raw = header_path(vault_dir).read_bytes()
    except FileNotFoundError:
        if (vault_dir / WIPED_MARKER).exists():
            raise VaultWiped(wipe_mod.WIPED_MESSAGE) from None
        if db_path(vault_dir).exists():
            raise VaultDamaged(
                f"The vault header {header_path(vault_dir)} is missing; restore it from a backup."
            ) from None
        raise NoVault(f"No vault at {vault_dir}. Create one with 'hrd-tui init' (or try 'hrd-tui demo').") from None
    except OSError as exc:
        raise from_os_error(exc, "reading the vault header") from exc
    if len(raw) > 1 << 20:
        raise VaultDamaged("The vault header is damaged (far too large).")
    return Header.parse(keyslots.header_payload(raw)[0])


def _write_header_file(path: Path, payload: bytes) -> None:
    try:
        keyslots.write_header_in_place(path, payload)
    except OSError as exc:
        raise from_os_error(exc, f"writing {path.name}") from exc


def unlock(vault_dir: Path, secret: Secret, *, readonly: bool = False, wait: bool = True) -> Vault:
    """Open a vault with a passphrase or recovery code.

    Writers take the single-writer lock and run pending migrations (after an
    automatic encrypted backup). ``readonly`` opens never lock, so backup,
    check and export work while the app is running.
    """
    harden_process()
    if not readonly:
        vault_hooks.require()  # a writer prepares the vault as it opens (_open_schema)
    if secret.kind == "recovery" and not keyslots.is_recovery_code(secret.value):
        raise NotARecoveryCode()  # before the attempt lock: not an attempt, not counted
    warnings = _checked_before_unlock(vault_dir)
    lock = None if readonly else WriterLock(vault_dir)
    try:
        # One attempt at a time (wipe.attempt_lock): the delay, the key derivation and
        # the count of its result, so that parallel guesses all wait and all count.
        with wipe_mod.attempt_lock(vault_dir):
            header, body, mac = read_header(vault_dir)  # again: a parallel attempt may have wiped it
            delay = unlock_delay(vault_dir)
            if delay and wait:
                time.sleep(delay)
            binding_secret = _binding_secret(header, secret)
            material = secret.material()
            try:
                data_key = keyslots.open_slot(header, body, mac, secret.kind, material, binding_secret)
            except UnlockFailed:
                raise _failed_unlock(vault_dir) from None
            finally:
                wipe_buffer(material)  # the typed secret's bytes, zeroed once the KDF has run
            warnings += wipe_mod.confirm_after_unlock(vault_dir, data_key)
        # A rekey in progress (see Vault.rekey): the database is under whichever key opens it.
        next_key = keyslots.open_rekey_slot(header, data_key)
        rekeyed_key = next_key if next_key is not None and _opens_with(db_path(vault_dir), next_key) else None
        db_key = keyslots.database_key(data_key if rekeyed_key is None else rekeyed_key)
        store = Store(db_path(vault_dir), db_key, readonly=readonly)
        vault = Vault(
            vault_dir,
            header,
            store,
            bytearray(data_key),
            lock,
            warnings,
            _next_key=None if rekeyed_key is None else bytearray(rekeyed_key),
        )
        vault._engine_key = db_key  # the very object the engine holds: zeroed at close
        try:
            _open_schema(vault)
            if next_key is not None:
                _interrupted_rekey(vault)
        except BaseException:
            vault.close()
            raise
        finally:
            wipe_buffer(data_key)  # the vault keeps its own copy (a bytearray), zeroed at close
        return vault
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _checked_before_unlock(vault_dir: Path) -> list[str]:
    """The folder, its modes, the header and the database, checked before any lock is taken.

    A parallel attempt may be wiping the vault at this very moment (its header
    overwritten, its files going): what is seen then is a passing state, not damage.
    So a failed check is made again under the unlock-attempt lock, which the wiping
    attempt holds to the end: the answer is then the settled one (no vault, wiped,
    or the damage that is really there).
    """

    def checks() -> list[str]:
        if not vault_dir.is_dir():
            raise NoVault(f"No vault at {vault_dir}. Create one with 'hrd-tui init' (or try 'hrd-tui demo').")
        warnings = enforce_private(vault_dir)
        read_header(vault_dir)
        check_database_present(vault_dir)
        return warnings

    try:
        return checks()
    except (NoVault, VaultWiped):
        raise
    except (HrdError, OSError):
        with wipe_mod.attempt_lock(vault_dir):
            return checks()


def check_database_present(vault_dir: Path) -> None:
    """A header without its database, or with an empty one, is a damaged vault: never a new one."""
    path = db_path(vault_dir)
    try:
        size = path.stat().st_size if path.is_file() else None
    except OSError as exc:
        raise from_os_error(exc, "reading the vault database") from exc
    if size is None:
        raise VaultDamaged(f"The vault database {path} is missing; restore it from a backup.")
    if size == 0:
        raise VaultDamaged(
            f"The vault database {path} is empty (0 bytes): the vault is damaged, and is not "
            "started again empty. Restore it from a backup."
        )


def _interrupted_rekey(vault: Vault) -> None:
    """A header still holding a rekey slot: undone by a writer when the database was
    not re-encrypted yet; otherwise ``hrd-tui rekey`` must finish it (it needs both secrets)."""
    if vault._next_key is not None:
        vault.warnings.append(
            "A rekey was interrupted after the database was re-encrypted: run 'hrd-tui rekey' "
            "to finish it (until then the header holds both keys)."
        )
    elif vault.lock is not None:
        vault._write_header(
            Header(
                vault.header.vault_id,
                vault.header.created,
                [s for s in vault.header.slots if s.type != keyslots.REKEY_SLOT],
            )
        )


def _binding_secret(header: Header, secret: Secret) -> bytes | None:
    """The keyring secret a bound passphrase slot needs (bounded by the keyring timeout).

    Not reaching it is not a failed attempt: no guess was tried.
    """
    slot = header.slot(secret.kind)
    if secret.kind != "passphrase" or slot is None or slot.binding is None:
        return None
    try:
        return keyring_binding.fetch_secret(header.vault_id, slot.binding["id"])
    except KeyringUnavailable as exc:
        raise keyring_binding.BoundElsewhere(exc.reason) from None


def _open_schema(vault: Vault) -> None:
    """Bring the schema to head (backing up first) or refuse a vault from the future.

    Read-only opens never change the file: they report ``needs_upgrade`` and
    leave the upgrade to the next writer (so a backup stays as it was taken).
    """
    current = vault.schema_revision()
    head = migrations.head_revision()
    if current is not None and current not in migrations.all_revisions():
        raise VaultDamaged(f"This vault was written by a newer hrd-tui (schema {current}); upgrade hrd-tui to open it.")
    if current is None:
        with vault.store.raw() as conn:
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if not tables:  # a vault is created with its schema: an empty database is damage, never a new vault
            raise VaultDamaged(
                f"The vault database {db_path(vault.dir)} is empty: the vault is damaged, and is not "
                "started again empty. Restore it from a backup."
            )
    if vault.lock is None:
        vault.needs_upgrade = current != head
        return
    # Finish any checkpoint a crash or a full disk interrupted, so the main
    # file is whole again before anything else reads it page by page.
    vault.store.checkpoint()
    if current != head:
        _upgrade_in_place(vault, current)
        return
    with vault.store.session("loading reference data") as session:
        vault_hooks.run(vault_hooks.ON_OPEN, session)  # the reference data (hrd_tui/services/__init__.py)


def _upgrade_in_place(vault: Vault, current: str | None) -> None:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    vault.backup(vault.dir / BACKUPS_NAME / f"pre-upgrade-{current or 'empty'}-{stamp}")
    _prepare_schema(vault.store)
    vault.migrated_from = current or "empty"
    with vault.store.session("checking codenames") as session:
        for check in list(vault_hooks.ON_UPGRADE):  # codenames that clash (hrd_tui/services/__init__.py)
            vault.warnings += check(session)


def _prepare_schema(store: Store, *, new: bool = False) -> None:
    """Migrate to head (a new vault: made at head), load reference data, rebuild the
    search index: one transaction.

    The data and the index are the services' (registered in hrd_tui.vault_hooks by
    hrd_tui/services/__init__.py): the vault imports no service."""
    with store.schema_session("creating the vault" if new else "upgrading the vault") as session:
        if new:
            migrations.create_head(session.connection())
        else:
            migrations.upgrade(session.connection())
        vault_hooks.run(vault_hooks.ON_OPEN, session)
        vault_hooks.run(vault_hooks.ON_MIGRATION, session)


def remove_database_files(vault_dir: Path) -> None:
    """The database and its -wal/-shm/-journal companions (SECURITY.md: never leave them)."""
    for suffix in ("", *DB_SIDECARS):
        try:
            Path(str(db_path(vault_dir)) + suffix).unlink(missing_ok=True)
        except OSError as exc:
            raise from_os_error(exc, "removing database files") from exc


def count_rows(vault: Vault) -> dict[str, int]:
    from hrd_tui.models import EXPORT_TABLES

    counts: dict[str, int] = {}
    with vault.store.session("counting records") as session:
        conn = session.connection()
        present = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
        for name, model in EXPORT_TABLES.items():
            if model.__tablename__ in present:  # an older schema may lack a table
                counts[name] = conn.execute(text(f"SELECT count(*) FROM {model.__tablename__}")).scalar_one()
    return counts
