"""Where vaults live, and the file hygiene every file we write goes through.

One place owns file creation so that every file is 0600, every directory 0700,
and every replacement atomic (write a temp file, fsync, rename, fsync the
directory), as KeePassXC saves its databases.
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from hrd_tui.errors import HrdError, NoVault, PermissionProblem, from_os_error

if TYPE_CHECKING:
    import ctypes  # imported by _libc only when it is called

APP_NAME = "hrd-tui"
VAULT_ENV = "HRD_TUI_VAULT"
HEADER_NAME = "vault.hdr"
DB_NAME = "vault.db"
#: The officer's keymap (binding id to keys), optional, next to settings.json in the config
#: directory; read and checked by hrd_tui.keymap.
KEYMAP_NAME = "keymap.toml"


def vault_exists(vault_dir: Path) -> bool:
    """A vault exists once its header does (cheap: no crypto or database import)."""
    return (vault_dir / HEADER_NAME).is_file()


PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3


def harden_process() -> None:
    """umask 077 so SQLite's -wal/-shm and every other file start private; no core dumps;
    on Linux, not dumpable either (``prctl(PR_SET_DUMPABLE, 0)``): no core even if the
    limit is raised again, and gcore, ptrace and /proc/PID/mem are refused to other
    processes of the same user (root can still read our memory)."""
    os.umask(0o077)
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):  # pragma: no cover - platform refuses; not fatal
        pass
    libc = _libc()
    if libc is not None:
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def dumpable() -> int | None:
    """PR_GET_DUMPABLE on Linux (0: not dumpable); None elsewhere."""
    libc = _libc()
    return None if libc is None else int(libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """libc, looked up once: find_library may run ldconfig."""
    import sys

    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:  # pragma: no cover - no libc to call: umask and the core limit still hold
        return None


def wipe_buffer(buffer: bytes | bytearray | None) -> None:
    """Overwrite ``buffer`` with zeros in place. A bytearray is simply zeroed; a bytes
    object (immutable to Python, yet the one a C API was handed) is zeroed with
    ctypes.memset. Never call it on a bytes object still in use: every holder of
    that object sees zeros from now on. Cannot reach the copies others made."""
    if not buffer:
        return
    if isinstance(buffer, bytearray):
        buffer[:] = bytes(len(buffer))
        return
    if type(buffer) is not bytes or len(buffer) < 2:
        return  # b"" and one-byte objects are shared singletons: never write into them
    import ctypes
    import sys

    offset = sys.getsizeof(b"") - 1  # the header before the bytes (CPython's PyBytesObject)
    ctypes.memset(id(buffer) + offset, 0, len(buffer))


def default_vault_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "vault"


def default_demo_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo"


def resolve_vault_dir(cli_value: str | os.PathLike[str] | None) -> Path:
    """--vault beats HRD_TUI_VAULT beats the platform default."""
    if cli_value:
        return Path(cli_value).expanduser()
    if os.environ.get(VAULT_ENV):
        return Path(os.environ[VAULT_ENV]).expanduser()
    return default_vault_dir()


def make_private_dir(path: Path) -> None:
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    except OSError as exc:
        raise from_os_error(exc, f"creating {path}") from exc


def enforce_private(path: Path) -> list[str]:
    """Check the vault directory and its files; tighten any that are too open.

    Returns the warnings to show (what was fixed). Refuses a vault that belongs
    to another user, since fixing someone else's files is not ours to do.
    """
    warnings: list[str] = []
    if not path.is_dir():
        raise NoVault(f"No vault at {path}.")
    entries = [path, *path.rglob("*")]
    for entry in entries:
        try:
            st = entry.lstat()
        except FileNotFoundError:
            continue  # a -shm that vanished between listing and stat
        except OSError as exc:
            raise from_os_error(exc, f"checking {entry}") from exc
        if stat.S_ISLNK(st.st_mode):
            raise PermissionProblem(f"Refusing a symbolic link inside the vault: {entry}.")
        if st.st_uid != os.getuid():
            raise PermissionProblem(f"{entry} belongs to another user; refusing to open the vault.")
        wanted = 0o700 if stat.S_ISDIR(st.st_mode) else 0o600
        if stat.S_IMODE(st.st_mode) & 0o077:
            try:
                os.chmod(entry, wanted)
            except OSError as exc:
                raise from_os_error(exc, f"fixing permissions of {entry}") from exc
            warnings.append(f"{entry} was readable by others; its mode is now {wanted:o}.")
    return warnings


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: all or nothing, 0600, durable."""
    with atomic_writer(path) as write:
        write(data)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[Callable[[bytes | memoryview], None]]:
    """``atomic_write`` for a file written piece by piece (a handover bundle with its
    attachments, never whole in memory): the pieces go to a temp file (0600) in the same
    folder, which replaces ``path`` once the block ends; on any error it is removed."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(fd, 0o600)  # a stale temp file keeps its old mode through O_TRUNC

            def write(data: bytes | memoryview) -> None:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]

            yield write
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise from_os_error(exc, f"writing {path.name}") from exc
        raise


def open_private_output(path: Path) -> int:
    """A new 0600 file for a plain-text export; refuses to follow a symlink."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise from_os_error(exc, f"creating {path}") from exc
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its mode on O_TRUNC: tighten it
        return fd
    except OSError as exc:
        os.close(fd)
        raise from_os_error(exc, f"creating {path}") from exc


def write_private_file(path: Path, data: bytes) -> None:
    """A plain-text export written with mode 0600 and fsynced; a partial file is removed."""
    fd = open_private_output(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise from_os_error(exc, f"writing {path}") from exc


_export_vault_id: str | None = None


def export_root() -> Path:
    """The folder holding every vault's export folder (and older exports, from before
    exports had a folder per vault)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "exports"


def set_export_vault(vault_id: str | None) -> None:
    """The vault whose exports ``default_export_dir()`` means from now on (set at unlock and create)."""
    global _export_vault_id
    _export_vault_id = vault_id if vault_id and all(c in "0123456789abcdef" for c in vault_id) else None


def default_export_dir(vault_id: str | None = None) -> Path:
    """Where the screens offer to save plain-text exports: a private folder of the
    vault's own (``exports/<vault id>``), so stale exports can be found and offered
    for removal, and a wipe of one vault removes its exports and no other's.

    ``vault_id`` defaults to the vault last unlocked or created in this process;
    with none, the shared folder (where exports went before they had one per vault).
    """
    vault_id = vault_id or _export_vault_id
    return export_root() / vault_id if vault_id else export_root()


def read_secret_file(path: str) -> str:
    """Read a passphrase from a file (or '-' for stdin): first line, newline stripped."""
    import sys

    try:
        if path == "-":
            line = sys.stdin.readline()
        else:
            with open(path, encoding="utf-8") as fh:
                line = fh.readline()
    except OSError as exc:
        raise from_os_error(exc, f"reading {path}") from exc
    except UnicodeDecodeError as exc:
        raise HrdError(f"{path} is not UTF-8 text.") from exc
    return line.rstrip("\r\n")
