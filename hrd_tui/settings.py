"""The small settings file: theme, idle lock, discreet mode, old exports, the attachment size
limit. No vault data in it.

Kept apart from the vault (the platform's config directory) so that the
unlock screen can honour the theme before any key exists. Mode 0600.

Every write changes only the keys it is given (:meth:`Settings.update`): the file is
read, those keys changed and the whole written back atomically, all under a lock on
its folder, so an edit made meanwhile by hand or by another running instance is kept.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import platformdirs

from hrd_tui.errors import ValidationError, from_os_error
from hrd_tui.paths import APP_NAME, atomic_write, make_private_dir

#: The numbers an officer may set, with their range and unit (the settings screen says them).
NUMBERS: dict[str, tuple[float, float, str]] = {
    "idle_lock_minutes": (1, 240, "minutes"),
    "stale_export_hours": (1, 720, "hours"),
    "attachment_max_mib": (1, 4096, "MiB"),
}


@dataclass
class Settings:
    theme: str = "hrd-dark"
    idle_lock_minutes: float = 5.0
    discreet: bool = False
    stale_export_hours: float = 24.0  # plain-text exports older than this are offered for removal at unlock
    attachment_max_mib: float = 256.0  # the largest file an attachment may be (services.attachments)

    @property
    def attachment_max_bytes(self) -> int:
        return int(self.attachment_max_mib * 1024 * 1024)

    @staticmethod
    def default_path() -> Path:
        return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.json"

    @classmethod
    def load(cls, path: Path) -> Settings:
        return cls.from_raw(_read(path))

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> Settings:
        """The settings a file holds; a value of the wrong type or out of range is left at its default."""
        settings = cls()
        if isinstance(raw.get("theme"), str):  # the app checks the name is a known theme
            settings.theme = raw["theme"]
        for name in NUMBERS:
            if name in raw and number_problem(name, raw[name]) is None:
                setattr(settings, name, float(raw[name]))
        settings.discreet = bool(raw.get("discreet", settings.discreet))
        return settings

    @staticmethod
    def update(path: Path, changes: Mapping[str, Any]) -> None:
        """Write ``changes`` and nothing else: read, change these keys, write back atomically
        (0600), under a lock on the folder. Other keys (set by hand, by another running
        instance, or by a later version) stay as they are in the file."""
        known = {f.name for f in fields(Settings)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"not a setting: {', '.join(sorted(unknown))}")
        make_private_dir(path.parent)
        with _folder_lock(path.parent):
            raw = _read(path)
            raw.update(changes)
            atomic_write(path, json.dumps(raw, indent=1, ensure_ascii=False).encode("utf-8"))


def number_problem(name: str, value: object) -> str | None:
    """Why ``value`` cannot be setting ``name`` (a number within its range); None when it can."""
    low, high, unit = NUMBERS[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return f"must be a number of {unit}, from {low:g} to {high:g}"
    if not low <= value <= high:  # worded as the forms word a whole number out of range
        return f"{value:g} is out of range: it must be from {low:g} to {high:g} {unit}"
    return None


def parse_number(name: str, typed: str) -> float:
    """A number typed for setting ``name`` ('5', '2.5'), checked against its range; the
    reason it is refused in ValidationError({name: ...}), said as the screen shows it."""
    try:
        value = float(typed.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    problem = number_problem(name, value)
    if problem is not None:
        raise ValidationError({name: problem})
    return value


def _read(path: Path) -> dict[str, Any]:
    """The file's keys as they are (unknown ones too); empty when there is none or it is not JSON."""
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the settings folder (flock on the directory itself: no lock file)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise from_os_error(exc, f"opening {folder}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
