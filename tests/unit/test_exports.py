"""Stale plain-text exports: found by age, removed with their bytes overwritten."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import FROZEN_NOW

from hrd_tui import exports


def test_stale_exports_are_found_by_age_and_removed(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o700)
    now = FROZEN_NOW.timestamp()  # passed to stale(): no real clock involved
    old, fresh, older = folder / "report-old.md", folder / "report-fresh.md", folder / "contacts.csv"
    for path, hours in ((old, 25), (fresh, 2), (older, 72)):
        path.write_text("Ana Núñez\n" * 100)
        os.utime(path, (now - hours * 3600, now - hours * 3600))
    (folder / "sub").mkdir()
    os.utime(folder / "sub", (now - 100 * 3600, now - 100 * 3600))
    (folder / "link").symlink_to(tmp_path / "elsewhere")
    assert exports.stale(folder, now=now) == [older, old]  # oldest first; the folder and the link left alone
    assert exports.stale(folder, hours=1, now=now) == [older, old, fresh]
    assert exports.stale(tmp_path / "none", now=now) == []
    keep = old.open("rb")  # an open handle sees the overwrite: the bytes are gone, not only the name
    assert exports.remove([older, old]) == []
    assert not older.exists() and not old.exists() and fresh.exists()
    assert set(keep.read()) <= {0}
    keep.close()
    assert exports.remove([old])[0].startswith("report-old.md: ")
