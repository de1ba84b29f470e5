"""The settings file (issue 22): written key by key, under a lock, atomically and 0600, so
an edit made meanwhile (by hand, by another running instance) is never undone. No Textual."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hrd_tui.errors import ValidationError
from hrd_tui.settings import Settings, parse_number


def test_an_update_writes_its_keys_and_keeps_every_other(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    Settings.update(path, {"theme": "hrd-high-contrast"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    path.write_text(json.dumps({**json.loads(path.read_text()), "idle_lock_minutes": 9, "from_a_later_version": [1]}))
    Settings.update(path, {"discreet": True})
    assert json.loads(path.read_text()) == {
        "theme": "hrd-high-contrast",
        "idle_lock_minutes": 9,
        "from_a_later_version": [1],
        "discreet": True,
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]  # no temp or lock file left
    loaded = Settings.load(path)
    assert (loaded.theme, loaded.idle_lock_minutes, loaded.discreet) == ("hrd-high-contrast", 9.0, True)
    with pytest.raises(ValueError):
        Settings.update(path, {"no_such_setting": 1})


WRITER = """
import sys
from pathlib import Path
from hrd_tui.settings import Settings
Settings.update(Path(sys.argv[1]), {"idle_lock_minutes": 7})
"""


def test_a_write_waits_for_another_instance_between_its_read_and_write(tmp_path: Path) -> None:
    """Another instance's read-modify-write holds the folder's lock: a second writer
    (another process) waits for it, so it reads what the first wrote and undoes nothing."""
    from hrd_tui.settings import _folder_lock

    path = tmp_path / "settings.json"
    Settings.update(path, {"theme": "ansi-dark"})
    with _folder_lock(tmp_path):  # as Settings.update holds it from its read to its write
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)])
        with pytest.raises(subprocess.TimeoutExpired):
            writer.wait(timeout=1.5)  # it waits for the lock
        assert json.loads(path.read_text()) == {"theme": "ansi-dark"}
        path.write_text(json.dumps({"theme": "ansi-dark", "discreet": True}))  # written in the lock
    assert writer.wait(timeout=60) == 0
    assert json.loads(path.read_text()) == {"theme": "ansi-dark", "discreet": True, "idle_lock_minutes": 7}


def test_values_out_of_range_are_refused_when_typed_and_ignored_in_the_file(tmp_path: Path) -> None:
    assert parse_number("idle_lock_minutes", " 2.5 ") == 2.5
    for typed, said in (
        ("-3", "-3 is out of range: it must be from 1 to 240 minutes"),
        ("0", "0 is out of range"),
        ("241", "241 is out of range"),
        ("abc", "must be a number of minutes, from 1 to 240"),
        ("nan", "must be a number of minutes"),
        ("", "must be a number of minutes"),
    ):
        with pytest.raises(ValidationError) as refused:
            parse_number("idle_lock_minutes", typed)
        assert said in refused.value.errors["idle_lock_minutes"]
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"idle_lock_minutes": 0.01, "stale_export_hours": "24", "discreet": 1, "theme": 3}))
    assert Settings.load(path) == Settings(discreet=True)
    path.write_text("[1, 2]")
    assert Settings.load(path) == Settings()
