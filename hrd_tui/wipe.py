"""Emergency wipe, and the failed-unlock counter that can trigger it.

A wipe runs in two steps, as LUKS's ``luksErase`` does, so the data is
unreadable from the end of the first one:

1. ``destroy_key_slots``: every key-slot header in the vault directory (the
   live one, the automatic backups' in ``backups/``, and any temp header a
   crash left behind) is overwritten in place with random bytes, fsynced and
   unlinked; a ``wiped`` marker is left so that what remains says what
   happened; then the first page of each database (which holds SQLCipher's
   salt) is overwritten too, so even the old data key no longer opens it. No
   lock is taken and nothing is waited for: the emergency may be real while
   another process has the vault open.
2. ``finish_wipe``: the keyring secret of a workstation-bound vault is deleted
   (bounded by the keyring timeout; harmless if it fails, since the slots it
   opened are gone), then the databases with their -wal/-shm, the backups
   folder, the lock, the counter, the marker and the directory are removed.
   Anything else found in the directory is left in place and reported.

The counter of failed unlocks lives here too (``unlock-failures``, JSON, no
secret), with the optional setting that wipes the vault after N failures in a
row. This module is light (no database import) so that the unlock screen can
show the attempts left.

Attempts are serialised, and the wipe setting is signed (issue 15, an
attacker's pass; SECURITY.md requirement 19):

* ``attempt_lock``: every unlock attempt holds ``flock`` on ``unlock.lock`` in
  the vault folder from the delay check through the key derivation to the
  recording of its result. A parallel attempt waits for it, then runs with the
  delay and the count the earlier ones left: N parallel guesses count N, and
  with "wipe after 3" the third wipes the vault and the ones still waiting
  find nothing left to try (they are never evaluated).
* The setting is *signed*: turning it on (on an unlocked vault) writes
  ``{"vault_id", "wipe_after", "nonce", "pub", "sig"}``, an Ed25519 signature
  by a key derived from the data key (HKDF, its own label) over the vault id,
  N and a fresh nonce. A failed unlock does not know the data key, but it can
  check the signature against the public key in the file and the vault id
  against ``vault.hdr``; a successful unlock also checks that the public key
  is this vault's own. A setting that fails a check, is unsigned (written by
  an older hrd-tui, or planted, such as ``{"count":2,"last":0,"wipe_after":3}``)
  or belongs to another vault is *never* acted on: it is reported (the failed
  unlock's message says so, and a successful unlock warns and removes it).
  Setting it again on the unlocked vault signs it.
* The counter cannot be signed: it must be raised before the result of the
  key derivation is known. It is bound to the setting instead: it carries the
  nonce of the setting it counts against (``for``), and every successful
  unlock re-signs the setting with a new nonce. A count written for another
  nonce (planted, copied from a backup or another vault, left from before)
  adds to the delay only; the wipe counts only failures recorded, under the
  lock, against the signed setting in force.

What this cannot do, said plainly: at a failed unlock the process knows
nothing an attacker who can read and write the vault folder does not know
(the typed guess aside), so no file there can be proven genuine at that moment.
Such a person who also knows this format can write their own key pair and
signature (caught only at the next successful unlock) or raise the count next
to a genuine setting. That person can equally delete ``vault.hdr``: write
access to the vault folder is already the power to destroy it. What the
design does guarantee is that a file not written by hrd-tui for this vault
and this setting (a plant of the old format, a copy from another vault or a
backup, an edited N) never wipes anything, and that guessing in parallel
gains no attempt.

What a wipe cannot reach: copies made elsewhere (``hrd-tui backup DEST``,
disk images, snapshots, cloud sync), blocks an SSD or a copy-on-write
filesystem keeps after an overwrite, and the memory of a process that still
has the vault open.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from hrd_tui.errors import HrdError, NoVault, ValidationError, from_os_error
from hrd_tui.paths import DB_NAME, HEADER_NAME, atomic_write, fsync_dir, set_export_vault

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

LOCK_NAME = "vault.lock"
FAILURES_NAME = "unlock-failures"
BACKUPS_NAME = "backups"
WIPED_MARKER = "wiped"
DB_SIDECARS = ("-wal", "-shm", "-journal")
DB_FIRST_PAGE = 4096  # SQLCipher 4's page size: the salt is the file's first 16 bytes

WIPE_AFTER_MIN = 3
WIPE_AFTER_MAX = 20

WIPED_MESSAGE = (
    "This vault was wiped: its key slots are destroyed, so nothing opens it any more "
    "(neither the passphrase nor the recovery code)."
)


class VaultWiped(NoVault):
    """The vault was wiped (or its wipe was started): there is nothing left to open."""


# -- the failed-unlock counter and the wipe-after setting ----------------------------

ATTEMPT_LOCK_NAME = "unlock.lock"
SETTING_SIGNING_INFO = b"hrd-tui/wipe-after-setting/ed25519/v1"
NOT_AUTHENTIC = (
    "The wipe-after setting in {name} is not authentic ({why}); it was ignored: no wipe. "
    "Set it again on the unlocked vault if you want it."
)


@dataclass(frozen=True)
class FailureState:
    count: int = 0
    last: float = 0.0
    #: N, only when the setting is signed, for this vault (see the module's docstring)
    wipe_after: int | None = None
    #: failures recorded against that signed setting (what the wipe counts)
    counted: int = 0
    #: why a setting found in the file is not acted on (None: none found, or authentic)
    problem: str | None = None
    nonce: str | None = None
    raw_setting: Mapping[str, object] | None = field(default=None, compare=False, repr=False)


def _valid_limit(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and WIPE_AFTER_MIN <= value <= WIPE_AFTER_MAX


def _canonical(obj: object) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _setting_message(vault_id: str, limit: int, nonce: str) -> bytes:
    return _canonical({"purpose": "hrd-tui wipe-after", "vault_id": vault_id, "wipe_after": limit, "nonce": nonce})


def _signing_key(data_key: bytes) -> Ed25519PrivateKey:
    """The setting's signing key, from the data key (cryptography imported late: this module stays light)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    seed = bytearray(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SETTING_SIGNING_INFO).derive(bytes(data_key))
    )
    try:
        return Ed25519PrivateKey.from_private_bytes(bytes(seed))
    finally:
        seed[:] = bytes(len(seed))


def _public_hex(private: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


class SignedSetting(TypedDict):
    """The wipe setting as written to the failures file, signed with the vault's key."""

    vault_id: str
    wipe_after: int
    nonce: str
    pub: str
    sig: str


def sign_setting(vault_id: str, limit: int, data_key: bytes) -> SignedSetting:
    """The signed setting, with a fresh nonce (only an unlocked vault has ``data_key``)."""
    private = _signing_key(data_key)
    nonce = os.urandom(16).hex()
    return {
        "vault_id": vault_id,
        "wipe_after": limit,
        "nonce": nonce,
        "pub": _public_hex(private),
        "sig": private.sign(_setting_message(vault_id, limit, nonce)).hex(),
    }


def header_vault_id(vault_dir: Path) -> str | None:
    """The vault id in ``vault.hdr``, read as plain JSON (no secret, no crypto import)."""
    return _vault_id_in(vault_dir / HEADER_NAME)


def _vault_id_in(header: Path) -> str | None:
    try:
        vault_id = json.loads(header.read_bytes().split(b"\n", 1)[0])["vault_id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return vault_id if isinstance(vault_id, str) and re.fullmatch(r"[0-9a-f]{32}", vault_id) else None


def _setting_problem(setting: object, vault_id: str | None) -> str | None:
    """None when ``setting`` is signed and for ``vault_id``; else why it is not acted on."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not isinstance(setting, dict) or set(setting) != {"vault_id", "wipe_after", "nonce", "pub", "sig"}:
        return "not signed"
    limit, nonce = setting["wipe_after"], setting["nonce"]
    if not _valid_limit(limit) or not isinstance(nonce, str) or not re.fullmatch(r"[0-9a-f]{32}", nonce):
        return "malformed"
    if vault_id is None or setting["vault_id"] != vault_id:
        return "written for another vault"
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(setting["pub"])).verify(
            bytes.fromhex(setting["sig"]), _setting_message(vault_id, limit, nonce)
        )
    except (InvalidSignature, ValueError, TypeError):
        return "its signature does not verify"
    return None


def read_failures(vault_dir: Path) -> FailureState:
    """The count (for the delay, whatever wrote it) and the setting, acted on only when authentic."""
    try:
        data = json.loads((vault_dir / FAILURES_NAME).read_text("ascii"))
        count, last = int(data["count"]), float(data["last"])
    except (OSError, ValueError, KeyError, TypeError):
        return FailureState()
    count = max(count, 0)
    if "setting" not in data and "wipe_after" not in data:
        return FailureState(count, last)
    setting = data.get("setting", {"wipe_after": data.get("wipe_after")})  # the old, unsigned format too
    problem = _setting_problem(setting, header_vault_id(vault_dir))
    if problem is not None:
        return FailureState(count, last, problem=problem, raw_setting=setting if isinstance(setting, dict) else None)
    counted = data.get("counted", 0)
    if data.get("for") != setting["nonce"] or not isinstance(counted, int) or isinstance(counted, bool):
        counted = 0  # counted against another setting (or planted): delay only
    return FailureState(
        count, last, setting["wipe_after"], max(0, min(counted, count)), None, setting["nonce"], setting
    )


def _write_failures(vault_dir: Path, state: FailureState) -> None:
    data: dict[str, object] = {"count": state.count, "last": state.last}
    if state.raw_setting is not None:  # one that is not authentic is kept, to be reported until an unlock removes it
        data["setting"] = state.raw_setting
        if state.problem is None:
            data.update(counted=state.counted, **{"for": state.nonce})
    atomic_write(vault_dir / FAILURES_NAME, json.dumps(data).encode())


@contextmanager
def attempt_lock(vault_dir: Path) -> Iterator[None]:
    """Hold the unlock-attempt lock (waits for a parallel attempt: never skips the count).

    Raises NoVault when the folder is gone (a parallel attempt wiped it).
    """
    path = Path(vault_dir) / ATTEMPT_LOCK_NAME
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except FileNotFoundError:
            raise NoVault(f"No vault at {vault_dir}.") from None
        except OSError as exc:
            raise from_os_error(exc, "opening the unlock lock") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False  # removed by a wipe while we waited
            if same or not path.parent.exists():
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # a stale lock file: lock the one now in place
    try:
        yield
    finally:
        os.close(fd)  # releases the lock


def record_failure(vault_dir: Path) -> FailureState:
    """Count one more failed unlock (call it under ``attempt_lock``); returns the new state
    (counted even if the disk is full)."""
    old = read_failures(vault_dir)
    counted = old.counted + 1 if old.wipe_after is not None else 0
    state = FailureState(old.count + 1, time.time(), old.wipe_after, counted, old.problem, old.nonce, old.raw_setting)
    try:
        _write_failures(vault_dir, state)
    except HrdError:
        pass  # a full disk must not turn a wrong passphrase into another error
    return state


def confirm_after_unlock(vault_dir: Path, data_key: bytes) -> list[str]:
    """After a successful unlock (the data key known): the count starts again; a signed
    setting is checked against this vault's own key and signed anew with a new nonce
    (which ends any count written for the old one); one that is not authentic is
    removed. Returns the warnings to show."""
    state = read_failures(vault_dir)
    vault_id = header_vault_id(vault_dir)
    set_export_vault(vault_id)  # this vault's exports go to its own folder (see finish_wipe)
    warnings: list[str] = []
    problem = state.problem
    if (
        problem is None
        and state.raw_setting is not None
        and state.raw_setting.get("pub") != _public_hex(_signing_key(data_key))
    ):
        problem = "signed by a key that is not this vault's"
    try:
        if state.raw_setting is not None and problem is None and vault_id is not None:
            fresh = sign_setting(vault_id, state.wipe_after, data_key)  # type: ignore[arg-type]
            _write_failures(vault_dir, FailureState(0, 0.0, state.wipe_after, 0, None, fresh["nonce"], fresh))
        elif state.count or state.last or problem is not None:
            (vault_dir / FAILURES_NAME).unlink(missing_ok=True)
    except (HrdError, OSError):
        pass  # the unlock itself succeeded; the count is only advice for the delay
    if problem is not None:
        warnings.append(
            NOT_AUTHENTIC.format(name=FAILURES_NAME, why=problem).replace(
                "; it was ignored", "; it was ignored and removed"
            )
        )
    return warnings


def reset_failures(vault_dir: Path) -> None:
    """The count starts again; the setting stays as it is (use ``confirm_after_unlock`` after an unlock)."""
    state = read_failures(vault_dir)
    if state.wipe_after is None:
        (vault_dir / FAILURES_NAME).unlink(missing_ok=True)
    elif state.count or state.last:
        _write_failures(vault_dir, FailureState(0, 0.0, state.wipe_after, 0, None, state.nonce, state.raw_setting))


def wipe_after(vault_dir: Path) -> int | None:
    """N when the vault is wiped after N failed unlocks in a row (signed setting); None when off."""
    return read_failures(vault_dir).wipe_after


def attempts_left(vault_dir: Path) -> int | None:
    """Failed unlocks still allowed before the wipe; None when the setting is off (or not authentic)."""
    state = read_failures(vault_dir)
    return None if state.wipe_after is None else max(0, state.wipe_after - state.counted)


def attempts_left_text(left: int) -> str:
    return f"{left} attempt{'s' if left != 1 else ''} left before this vault is wiped."


def set_wipe_after(vault_dir: Path, limit: int | None, data_key: bytes | None = None) -> str:
    """Turn the setting on (``limit`` from 3 to 20) or off (None); returns the text to show.

    Call it on an unlocked vault only (``Vault.set_wipe_after`` checks that and
    passes the data key, which signs the setting).
    """
    if limit is not None and not _valid_limit(limit):
        raise ValidationError({"wipe_after": f"a whole number from {WIPE_AFTER_MIN} to {WIPE_AFTER_MAX}, or off"})
    if limit is not None and data_key is None:
        raise HrdError("The wipe setting is signed with the vault's key: set it on an unlocked vault.")
    state = read_failures(vault_dir)
    vault_id = header_vault_id(vault_dir)
    if limit is not None and vault_id is None:
        raise HrdError("The vault header cannot be read; the wipe setting was not changed.")
    if limit is None and not state.count:
        try:
            (vault_dir / FAILURES_NAME).unlink(missing_ok=True)
        except OSError as exc:
            raise from_os_error(exc, "changing the wipe setting") from exc
    elif limit is None:
        _write_failures(vault_dir, FailureState(state.count, state.last))
    else:
        setting = sign_setting(vault_id, limit, data_key)  # type: ignore[arg-type]
        _write_failures(vault_dir, FailureState(state.count, state.last, limit, 0, None, setting["nonce"], setting))
    if limit is None:
        return "Wipe after failed unlocks is off: wrong passphrases only make the next try wait."
    return (
        f"Wipe after failed unlocks is ON: {limit} wrong passphrases or recovery codes in a row will destroy "
        "this vault for good (its key slots first, then every file), with no way back. Anyone at this keyboard "
        "can trigger it, you too when tired or in a hurry; a backup kept elsewhere is then the only copy. "
        "It does not protect a copy of the vault taken from this disk, and someone able to change files in "
        "the vault folder can turn it off (a setting that is not signed by this vault's key never wipes)."
    )


# -- the wipe ------------------------------------------------------------------------


@dataclass
class WipeReport:
    vault_dir: Path
    key_slots_destroyed: list[Path] = field(default_factory=list)
    databases_scrambled: list[Path] = field(default_factory=list)
    keyring: str = "not bound: no keyring secret to delete"
    removed: list[Path] = field(default_factory=list)
    left: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    writer_pid: int | None = None  # another process that had the vault open
    key_slots_seconds: float = 0.0
    seconds: float = 0.0
    finished: bool = False
    bindings: list[tuple[str, str]] = field(default_factory=list)  # (vault id, binding id) in the keyring
    vault_id: str | None = None  # read from a header before step 1: names the vault's exports folder
    exports_left: list[Path] = field(default_factory=list)  # older exports in the shared folder
    _started: float = field(default=0.0, repr=False)

    @property
    def complete(self) -> bool:
        return self.finished and not self.problems and not self.left

    def lines(self) -> list[str]:
        """What was done, one line each (no secret, no vault data)."""
        out = [
            (
                f"Key slots destroyed: {len(self.key_slots_destroyed)} header file(s) overwritten and removed "
                f"in {self.key_slots_seconds * 1000:.0f} ms; the data is unreadable from that moment."
            )
        ]
        if self.finished:
            out.append(f"Keyring: {self.keyring}.")
            out.append(
                f"Files removed: {len(self.removed)}; the vault folder {'is gone' if not self.vault_dir.exists() else 'is still there'}."
            )
        out += [f"Left in place (not hrd-tui's): {p}" for p in self.left]
        if self.exports_left:
            out.append(
                f"Left in place: {len(self.exports_left)} older export(s) in {self.exports_left[0].parent}, saved before "
                "exports had a folder per vault, so they cannot be told apart by vault. Remove them if they are this vault's."
            )
        out += [f"Problem: {p}" for p in self.problems]
        if self.writer_pid is not None:
            out.append(
                f"Process {self.writer_pid} had the vault open: it still holds the key in memory until it ends. Quit it."
            )
        if self.finished:
            out.append(f"Wipe done in {self.seconds:.2f} s.")
        return out


def _walk_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, _dirs, files in os.walk(root, followlinks=False):
        found += [Path(dirpath) / name for name in files]
    return found


def _is_header(path: Path) -> bool:
    return path.name == HEADER_NAME or path.name.startswith(f".{HEADER_NAME}.tmp-")


def _overwrite(path: Path, limit: int | None = None) -> None:
    """Random bytes over the file (or its first ``limit`` bytes), in place, then fsync.

    A symlink is never followed (its target is not ours): it is only unlinked.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return
        raise
    try:
        size = os.fstat(fd).st_size
        end = size if limit is None else min(size, limit)
        done = 0
        while done < end:
            done += os.pwrite(fd, os.urandom(min(1 << 20, end - done)), done)
        os.fsync(fd)
    finally:
        os.close(fd)


def _bindings_in(headers: list[Path]) -> list[tuple[str, str]]:
    """(vault id, binding id) of each bound header: read as plain JSON, without
    importing the crypto modules, so that step 1 starts at once."""
    found: set[tuple[str, str]] = set()
    for path in headers:
        try:
            body = json.loads(path.read_bytes().split(b"\n", 1)[0])
            vault_id = body["vault_id"]
            ids = [s["binding"]["id"] for s in body["slots"] if isinstance(s, dict) and s.get("binding")]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # a damaged header: nothing to learn from it
        found |= {
            (vault_id, i)
            for i in ids
            if isinstance(vault_id, str)
            and re.fullmatch(r"[0-9a-f]{32}", vault_id)
            and isinstance(i, str)
            and re.fullmatch(r"[0-9a-f]{32}", i)
        }
    return sorted(found)


def _writer_pid(vault_dir: Path) -> int | None:
    """The pid of another process holding the writer lock (never waits, never keeps the lock)."""
    try:
        fd = os.open(vault_dir / LOCK_NAME, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                pid = int(os.read(fd, 32).decode("ascii", errors="replace").strip())
            except ValueError:
                return None
            return None if pid == os.getpid() else pid
        except OSError:
            return None
        return None
    finally:
        os.close(fd)  # releases the lock if we got it


def ensure_vault(vault_dir: Path) -> None:
    """NoVault unless ``vault_dir`` holds a vault (or the remains of a started wipe):
    for the command line, before it asks for confirmation."""
    vault_dir = Path(vault_dir)
    if not vault_dir.is_dir():
        raise NoVault(f"No vault at {vault_dir}; nothing was wiped.")
    if (
        not any(_is_header(p) or p.name == DB_NAME for p in _walk_files(vault_dir))
        and not (vault_dir / WIPED_MARKER).exists()
    ):
        raise NoVault(f"No vault at {vault_dir}; nothing was wiped.")


def destroy_key_slots(vault_dir: Path) -> WipeReport:
    """Step 1: make the vault unreadable now (see the module's docstring).

    Raises NoVault when there is no vault, HrdError (one line) when a header
    could not be destroyed; in that case the others were still destroyed.
    """
    started = time.perf_counter()
    vault_dir = Path(vault_dir)
    ensure_vault(vault_dir)
    files = _walk_files(vault_dir)
    headers = [p for p in files if _is_header(p)]
    databases = [p for p in files if p.name == DB_NAME]
    report = WipeReport(
        vault_dir=vault_dir,
        bindings=_bindings_in(headers),
        _started=started,
        vault_id=next(filter(None, (_vault_id_in(p) for p in headers)), None),
    )
    failed: list[str] = []
    for path in sorted(headers, key=lambda p: (p.parent != vault_dir, str(p))):  # the live header first
        try:
            _overwrite(path)
            path.unlink()
            report.key_slots_destroyed.append(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            failed.append(f"{path.relative_to(vault_dir)}: {exc.strerror or exc}")
    for folder in sorted({p.parent for p in report.key_slots_destroyed}):
        try:
            fsync_dir(folder)
        except OSError:
            pass  # the overwrite itself was fsynced; the unlink is the lesser part
    try:
        os.close(os.open(vault_dir / WIPED_MARKER, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600))
    except OSError:
        pass  # only a courtesy: what remains would otherwise read as "header missing"
    report.key_slots_seconds = time.perf_counter() - started
    if failed:
        raise HrdError(
            f"Could not destroy every key slot ({'; '.join(failed)}); the vault may still open. "
            "Remove the folder by other means now."
        )
    for path in databases:  # the salt: the old data key no longer opens what is left
        try:
            _overwrite(path, DB_FIRST_PAGE)
            report.databases_scrambled.append(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            report.problems.append(f"{path.relative_to(vault_dir)}: {exc.strerror or exc}")
    report.writer_pid = _writer_pid(vault_dir)
    return report


def _delete_keyring_secrets(report: WipeReport, timeout: float | None) -> None:
    if not report.bindings:
        return
    from hrd_tui import keyring_binding

    outcomes = []
    for vault_id, binding_id in report.bindings:
        try:
            deleted = keyring_binding.delete_secret(vault_id, binding_id, timeout)
            outcomes.append(
                "deleted the workstation secret (a copy of this vault elsewhere, such as a backup, now opens only "
                "with its recovery code)"
                if deleted
                else "no workstation secret was left"
            )
        except keyring_binding.KeyringUnavailable as exc:
            outcomes.append(
                f"could not delete the workstation secret ({exc.reason}); without the key slots it opens nothing"
            )
    report.keyring = "; ".join(outcomes)


def _remove(report: WipeReport, path: Path) -> None:
    try:
        is_dir = path.is_dir() and not path.is_symlink()
        for file in _walk_files(path) if is_dir else [path]:
            if _is_header(file):  # written since step 1 (by another process): overwritten too
                _overwrite(file)
        if is_dir:
            shutil.rmtree(path)
        else:
            path.unlink()
        report.removed.append(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        report.problems.append(f"{path.name}: {exc.strerror or exc}")


def _ours(name: str) -> bool:
    known = {
        DB_NAME,
        *(DB_NAME + s for s in DB_SIDECARS),
        LOCK_NAME,
        ATTEMPT_LOCK_NAME,
        FAILURES_NAME,
        BACKUPS_NAME,
        WIPED_MARKER,
        HEADER_NAME,
    }
    temps = (f".{HEADER_NAME}.tmp-", f".{FAILURES_NAME}.tmp-", f".{DB_NAME}")
    return name in known or name.startswith(temps)


def finish_wipe(
    report: WipeReport, *, keyring_timeout: float | None = None, exports_dir: Path | None = None
) -> WipeReport:
    """Step 2: the keyring secret, then the files and the folder. Never raises for a
    file it could not remove: each problem is one line in ``report.problems``.

    ``exports_dir``: where the officer's plain-text exports are saved
    (``paths.default_export_dir()``, or the shared ``exports`` folder holding each
    vault's folder); None leaves exports alone. Only this vault's own folder
    (``<vault id>``) is overwritten and removed; files in a folder shared by
    vaults (older exports) are left and listed, since they cannot be told apart.
    """
    vault_dir = report.vault_dir
    _delete_keyring_secrets(report, keyring_timeout)
    try:
        entries = sorted(vault_dir.iterdir()) if vault_dir.is_dir() else []
    except OSError as exc:
        report.problems.append(str(from_os_error(exc, f"listing {vault_dir}")))
        entries = []
    # The database first, the marker last: until the end, what is left says "wiped".
    for path in sorted(entries, key=lambda p: (p.name == WIPED_MARKER, p.name != DB_NAME, p.name)):
        if _ours(path.name):
            _remove(report, path)
        else:
            report.left.append(path)
    if vault_dir.is_dir() and not report.left:
        try:
            vault_dir.rmdir()
            fsync_dir(vault_dir.parent)
        except OSError as exc:
            report.problems.append(str(from_os_error(exc, f"removing {vault_dir}")))
    if exports_dir is not None:
        _remove_exports(report, exports_dir)
    report.finished = True
    report.seconds = time.perf_counter() - (report._started or time.perf_counter())
    return report


def _remove_exports(report: WipeReport, folder: Path) -> None:
    """This vault's exports folder (``folder`` itself, or ``folder/<vault id>``), overwritten
    and removed; loose files in a shared folder only listed (``exports_left``)."""
    vault_id = report.vault_id
    own = folder if vault_id is not None and folder.name == vault_id else (folder / vault_id if vault_id else None)
    shared = None if own == folder else folder
    if own is not None and own.is_dir() and not own.is_symlink():
        for path in _files_in(report, own):
            try:
                _overwrite(path)
                path.unlink()
                report.removed.append(path)
            except OSError as exc:
                report.problems.append(f"{path.name}: {exc.strerror or exc}")
        try:
            own.rmdir()
            report.removed.append(own)
        except OSError as exc:
            report.problems.append(f"{own}: {exc.strerror or exc}")
    if shared is not None:
        report.exports_left += _files_in(report, shared)


def _files_in(report: WipeReport, folder: Path) -> list[Path]:
    try:
        return sorted(Path(e.path) for e in os.scandir(folder) if e.is_file(follow_symlinks=False))
    except FileNotFoundError:
        return []
    except OSError as exc:
        report.problems.append(str(from_os_error(exc, f"reading {folder}")))
        return []


def wipe(vault_dir: Path, *, keyring_timeout: float | None = None, exports_dir: Path | None = None) -> WipeReport:
    """The whole emergency wipe: key slots first, then the rest. Takes no lock.

    Raises NoVault (no vault there) or HrdError (a key slot could not be
    destroyed); later problems are listed in the report.
    """
    report = destroy_key_slots(vault_dir)
    return finish_wipe(report, keyring_timeout=keyring_timeout, exports_dir=exports_dir)
