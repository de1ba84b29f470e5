"""Plain-text exports left lying around: found at unlock and offered for removal.

A report or a contact list saved from a screen goes to the vault's own private
folder (paths.default_export_dir: ``exports/<vault id>``, mode 0700), so that a
wipe of one vault removes that vault's exports and no other's. Exports saved
before that went to the shared ``exports`` folder itself: they cannot be told
apart by vault, so a wipe leaves them (and lists them), and they are still
looked at here, at any vault's unlock. Files older than a set time (24
hours by default) are stale: the officer is asked at unlock whether to remove
them. Removal overwrites each file with zeros before unlinking it, which helps
on spinning disks and some filesystems but not on SSDs or copy-on-write
filesystems (the README says so): the real protection is not leaving them.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from hrd_tui.errors import HrdError, from_os_error
from hrd_tui.paths import export_root

STALE_HOURS = 24.0


def stale(folder: Path, *, hours: float = STALE_HOURS, now: float | None = None) -> list[Path]:
    """Regular files in ``folder`` last written more than ``hours`` ago, oldest first.
    Symlinks and folders are left alone (never followed)."""
    cutoff = (time.time() if now is None else now) - hours * 3600
    found: list[tuple[float, Path]] = []
    folders = [folder]
    if folder.parent == export_root():  # a vault's own folder: the older, shared exports too
        folders.append(folder.parent)
    entries = []
    for one in folders:
        try:
            entries += list(os.scandir(one))
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise from_os_error(exc, f"reading {one}") from exc
    for entry in entries:
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
            found.append((info.st_mtime, Path(entry.path)))
    return [path for _, path in sorted(found)]


def remove(paths: list[Path]) -> list[str]:
    """Overwrite with zeros, then unlink, each file; the problems, one line each."""
    problems: list[str] = []
    for path in paths:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
            try:
                size = os.fstat(fd).st_size
                chunk = b"\0" * 65536
                written = 0
                while written < size:
                    written += os.write(fd, chunk[: min(len(chunk), size - written)])
                os.fsync(fd)
            finally:
                os.close(fd)
            path.unlink()
        except OSError as exc:
            problems.append(str(HrdError(f"{path.name}: {exc.strerror or exc}")))
    return problems
