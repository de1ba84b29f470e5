"""Every error a user can meet, each with one clear line and a documented exit code.

The CLI prints ``str(error)`` and exits with ``error.exit_code``; nothing else
(no traceback, no SQL, no path to a key) reaches the terminal. The exit codes
are part of the command line's contract and are listed in the README.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping


class HrdError(Exception):
    """Base of every error meant for the user's eyes."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(HrdError):
    exit_code = 2


class UnlockFailed(HrdError):
    """Wrong passphrase, wrong recovery code or a key slot that does not open.

    Deliberately one message for all of them (as KeePassXC does): telling a
    wrong passphrase apart from a tampered slot only helps an attacker.
    """

    exit_code = 3
    MESSAGE = "Could not unlock: wrong passphrase, or the vault header is damaged."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.MESSAGE)


class NotARecoveryCode(UnlockFailed):
    """Typed as a recovery code, but not shaped like one: refused before any key
    derivation, and never counted as a failed unlock (with wipe-after set, a slip of
    the finger in the code field must not bring the wipe closer)."""

    MESSAGE = (
        "That is not a recovery code: it has 32 letters and digits, in 8 groups of 4 "
        "(XXXX-XXXX-...). Nothing was tried, and it does not count as a failed attempt."
    )


class NoVault(HrdError):
    exit_code = 4


class VaultDamaged(HrdError):
    exit_code = 5


class VaultBusy(HrdError):
    exit_code = 6


class StorageFull(HrdError):
    exit_code = 7


class PermissionProblem(HrdError):
    exit_code = 8


class UnsafeBuild(HrdError):
    exit_code = 9


class CheckFailed(HrdError):
    exit_code = 10


class ValidationError(HrdError):
    """Bad input, reported field by field so a form can show each message
    beside its field and keep what the user typed."""

    exit_code = 11

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        summary = "; ".join(f"{field}: {msg}" for field, msg in self.errors.items())
        super().__init__(f"Invalid input: {summary}")


class ConstraintViolation(HrdError):
    """The schema refused a change (a CHECK, UNIQUE or FOREIGN KEY rule):
    the last line of defence behind the services' own validation."""

    exit_code = 11


class NotFound(HrdError):
    exit_code = 12


def from_os_error(exc: OSError, what: str) -> HrdError:
    """Turn an OSError into the user-facing error it stands for."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StorageFull(f"The disk is full (or a file size limit was hit) while {what}; nothing was changed.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PermissionProblem(f"Permission denied while {what}: {exc.strerror}.")
    return HrdError(f"Could not complete {what}: {exc.strerror or exc}.")


def from_db_error(exc: BaseException, what: str = "writing to the vault") -> HrdError:
    """Map a SQLite/SQLCipher error (raw or wrapped by SQLAlchemy) to a user error.

    One place decides what a full disk or a damaged file looks like, so every
    caller reports it the same way.
    """
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).lower()
    if "disk is full" in text or "disk i/o error" in text or "database or disk is full" in text:
        return StorageFull(
            f"The disk is full or failed while {what}. Nothing was saved by this step; "
            "the vault itself is intact. Free some space and try again."
        )
    if "file is not a database" in text or "malformed" in text or "corrupt" in text:
        return VaultDamaged("The vault database is damaged or not an hrd-tui database. Restore a backup.")
    if "never changed after intake" in text:  # the attachment custody trigger (migration 0016)
        return ConstraintViolation(
            "An attachment is never changed after intake: keep a new version as a new attachment."
        )
    if "constraint failed" in text:
        # SQLite names the rule (constraint or table.column), never the values.
        return ConstraintViolation(f"The vault refused the change ({str(orig).splitlines()[0]}).")
    if "readonly" in text or "read-only" in text:
        return PermissionProblem(f"The vault is read-only; cannot complete {what}.")
    if "locked" in text or "busy" in text:
        return VaultBusy("The vault is busy (another process is writing); try again.")
    import sqlite3  # only once a database error is being translated

    if isinstance(orig, sqlite3.Error) or orig.__class__.__module__.startswith("sqlcipher3"):
        return HrdError(f"Database error while {what}.")
    return HrdError(f"Unexpected error while {what}.")
