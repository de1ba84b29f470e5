"""Workstation binding: the second secret of a bound vault, kept in the OS keyring.

A bound vault's passphrase slot needs the passphrase *and* 32 random bytes kept
in this workstation's keyring (keyslots.py has the derivation), so a copy of
the vault taken elsewhere cannot be brute-forced with the passphrase alone;
the recovery code still opens it anywhere.

The keyring is never required, and never trusted blindly (shared/SECURITY.md):

* on an SSH session there is usually no backend at all (``NoKeyringError``);
  the feature then says so and everything else works as before;
* a locked desktop collection can block forever, so every call (backend
  discovery included) runs in a daemon thread and is abandoned after
  ``TIMEOUT_SECONDS``; while an abandoned call still hangs, later calls fail
  at once instead of piling up threads;
* a backend that stores secrets in plain text, or asks for a password on the
  terminal (which would corrupt the TUI), is refused: anything with priority
  below 1 (keyring's own bar for "recommended"), every keyrings.alt and
  keyrings.cryptfile backend, and the null/fail backends.

Entries: service ``hrd-tui``, user name ``vault <vault id> binding <binding id>``,
value the secret in base64. A new binding always gets a new entry, so turning
binding off and on never overwrites the secret an older backup was bound to
before that binding's entry is deleted on purpose.
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from hrd_tui.errors import HrdError

SERVICE = "hrd-tui"
TIMEOUT_SECONDS = 3.0
MIN_PRIORITY = 1.0
SECRET_BYTES = 32

#: Backends refused by name, whatever priority they claim.
REFUSED_BACKENDS = frozenset(
    {
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
        "keyrings.alt.file.PlaintextKeyring",
        "keyrings.alt.file.EncryptedKeyring",
    }
)
#: Whole families refused: keyrings.alt is "alternate, less secure" by its own
#: description; keyrings.cryptfile prompts for its password on the terminal.
REFUSED_MODULE_PREFIXES = ("keyrings.alt", "keyrings.cryptfile")

T = TypeVar("T")

_hung_lock = threading.Lock()
_hung: set[threading.Thread] = set()


class KeyringUnavailable(HrdError):
    """No usable keyring here: none at all, a refused one, a timeout, or no entry."""

    exit_code = 1

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or f"The workstation keyring cannot be used: {reason}.")
        self.reason = reason


class BoundElsewhere(KeyringUnavailable):
    """A bound vault's passphrase was tried where its keyring secret cannot be had."""

    exit_code = 3  # could not unlock

    def __init__(self, reason: str) -> None:
        super().__init__(
            reason,
            "This vault is bound to a workstation: its passphrase opens it only with a secret from that "
            f"workstation's keyring, and {reason}. Use the recovery code on this machine, or unlock on the "
            "bound workstation.",
        )


@dataclass(frozen=True)
class KeyringStatus:
    available: bool
    backend: str  # the backend's name, or "" when there is none
    reason: str  # why it cannot be used ("" when available)

    def describe(self) -> str:
        if self.available:
            return f"Workstation keyring available ({self.backend})."
        return f"No usable workstation keyring here: {self.reason}. Workstation binding cannot be turned on."


def entry_name(vault_id: str, binding_id: str) -> str:
    return f"vault {vault_id} binding {binding_id}"


def backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def refusal(backend: Any) -> str | None:
    """Why ``backend`` must not hold a vault secret, or None when it may."""
    name = backend_name(backend)
    if name in REFUSED_BACKENDS or name.startswith(REFUSED_MODULE_PREFIXES):
        return f"the keyring backend {name} stores secrets unsafely or prompts on the terminal; it is refused"
    try:
        priority = float(type(backend).priority)
    except Exception:  # noqa: BLE001 - keyring backends signal "not viable" by raising here
        return f"the keyring backend {name} is not usable here"
    if priority < MIN_PRIORITY:
        return f"the keyring backend {name} (priority {priority:g}) is not a recommended, secure one; it is refused"
    return None


def _choose_backend() -> Any:
    """The backend to use (runs inside the timed thread: discovery can block too)."""
    import keyring
    from keyring.backends import chainer

    backend = keyring.get_keyring()
    if isinstance(backend, chainer.ChainerBackend):
        # The chainer would try each backend in turn, a plain-text one included:
        # use the best acceptable one directly, never the chain.
        for candidate in backend.backends:
            if refusal(candidate) is None:
                return candidate
        raise KeyringUnavailable("no secure keyring backend is available (a typical SSH session)")
    reason = refusal(backend)
    if reason is not None:
        if backend_name(backend) in ("keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"):
            reason = "no keyring backend is available here (a typical SSH session)"
        raise KeyringUnavailable(reason)
    return backend


def _timed(fn: Callable[[], T], timeout: float | None) -> T:
    """Run ``fn`` in a daemon thread; give up after ``timeout`` seconds."""
    limit = TIMEOUT_SECONDS if timeout is None else timeout
    with _hung_lock:
        _hung.difference_update({t for t in _hung if not t.is_alive()})
        if _hung:
            raise KeyringUnavailable("an earlier keyring call has not answered yet (a locked keyring?)")
    values: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            values.append(fn())
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=run, name="hrd-tui-keyring", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        with _hung_lock:
            _hung.add(thread)
        raise KeyringUnavailable(f"the keyring did not answer within {limit:g} s (is it locked?)")
    if errors:
        error = errors[0]
        if isinstance(error, HrdError):
            raise error
        raise KeyringUnavailable(_describe_error(error)) from None
    return values[0]


def _describe_error(error: BaseException) -> str:
    from keyring.errors import KeyringLocked, NoKeyringError

    if isinstance(error, NoKeyringError):
        return "no keyring backend is available here (a typical SSH session)"
    if isinstance(error, KeyringLocked):
        return "the keyring is locked"
    # The backend's own text may hold anything (D-Bus paths, service names): keep to its type.
    return f"the keyring failed ({type(error).__name__})"


def status(timeout: float | None = None) -> KeyringStatus:
    """Whether binding can be used here, without touching any entry."""
    try:
        backend = _timed(_choose_backend, timeout)
    except KeyringUnavailable as exc:
        return KeyringStatus(False, "", exc.reason)
    return KeyringStatus(True, backend_name(backend), "")


def store_secret(vault_id: str, binding_id: str, secret: bytes, timeout: float | None = None) -> str:
    """Store the secret, read it back to be sure it is kept; returns the backend's name."""
    if len(secret) != SECRET_BYTES:
        raise ValueError("a binding secret is 32 bytes")
    value = base64.b64encode(secret).decode("ascii")

    def run() -> str:
        backend = _choose_backend()
        backend.set_password(SERVICE, entry_name(vault_id, binding_id), value)
        if backend.get_password(SERVICE, entry_name(vault_id, binding_id)) != value:
            raise KeyringUnavailable("the keyring did not keep the secret it was given")
        return backend_name(backend)

    return _timed(run, timeout)


def fetch_secret(vault_id: str, binding_id: str, timeout: float | None = None) -> bytes:
    """The binding secret, or KeyringUnavailable (no keyring, refused, timeout, no entry)."""

    def run() -> str | None:
        value: str | None = _choose_backend().get_password(SERVICE, entry_name(vault_id, binding_id))
        return value

    value = _timed(run, timeout)
    if value is None:
        raise KeyringUnavailable("this workstation's keyring holds no secret for this vault")
    try:
        secret = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        secret = b""
    if len(secret) != SECRET_BYTES:
        raise KeyringUnavailable("the keyring's entry for this vault is not a valid secret")
    return secret


def delete_secret(vault_id: str, binding_id: str, timeout: float | None = None) -> bool:
    """Remove the entry; True when it was there. KeyringUnavailable when the keyring cannot be reached."""

    def run() -> bool:
        from keyring.errors import PasswordDeleteError

        backend = _choose_backend()
        if backend.get_password(SERVICE, entry_name(vault_id, binding_id)) is None:
            return False
        try:
            backend.delete_password(SERVICE, entry_name(vault_id, binding_id))
        except PasswordDeleteError:
            return False
        return True

    return _timed(run, timeout)
