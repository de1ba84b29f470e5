"""The small settings file: theme, idle lock, discreet mode. No vault data in it.

Kept apart from the vault (the platform's config directory) so that the
unlock screen can honour the theme before any key exists. Mode 0600.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

from hrd_tui.paths import APP_NAME, atomic_write, make_private_dir


@dataclass
class Settings:
    theme: str = "hrd-dark"
    idle_lock_minutes: float = 5.0
    discreet: bool = False
    stale_export_hours: float = 24.0  # plain-text exports older than this are offered for removal at unlock

    @staticmethod
    def default_path() -> Path:
        return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.json"

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        settings = cls(**{k: v for k, v in raw.items() if k in known})
        if not isinstance(settings.theme, str):  # the app checks the name is a known theme
            settings.theme = cls.theme
        if not isinstance(settings.idle_lock_minutes, (int, float)) or settings.idle_lock_minutes <= 0:
            settings.idle_lock_minutes = cls.idle_lock_minutes
        settings.discreet = bool(settings.discreet)
        if not isinstance(settings.stale_export_hours, (int, float)) or settings.stale_export_hours <= 0:
            settings.stale_export_hours = cls.stale_export_hours
        return settings

    def save(self, path: Path) -> None:
        make_private_dir(path.parent)
        atomic_write(path, json.dumps(asdict(self), indent=1).encode("utf-8"))
