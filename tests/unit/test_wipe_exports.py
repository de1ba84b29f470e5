"""A wipe removes that vault's exports and no other vault's (issue 15)."""

from __future__ import annotations

from pathlib import Path

from conftest import PASSPHRASE, run_cli

from hrd_tui import exports, paths, vault, wipe


def _two_vaults(tmp_path: Path) -> tuple[Path, str, Path, str]:
    ids = []
    for name in ("a", "b"):
        opened, _ = vault.create(tmp_path / name, PASSPHRASE)
        ids.append(opened.header.vault_id)
        opened.close()
    return tmp_path / "a", ids[0], tmp_path / "b", ids[1]


def _save(root: Path, vault_id: str, name: str) -> Path:
    (root / vault_id).mkdir(parents=True, exist_ok=True)
    path = root / vault_id / name
    path.write_text(f"plain text of {vault_id}\n")
    return path


def test_each_vault_saves_to_its_own_folder(tmp_path: Path) -> None:
    a, id_a, b, id_b = _two_vaults(tmp_path)
    assert paths.default_export_dir() == paths.export_root() / id_b  # the last created
    with vault.unlock(a, vault.Secret(PASSPHRASE), readonly=True):
        assert paths.default_export_dir() == paths.export_root() / id_a
    assert paths.default_export_dir(id_b) == paths.export_root() / id_b


def test_wiping_one_vault_leaves_the_other_vaults_exports(tmp_path: Path) -> None:
    a, id_a, b, id_b = _two_vaults(tmp_path)
    root = tmp_path / "exports"
    mine, theirs = _save(root, id_a, "report.md"), _save(root, id_b, "report.md")
    older = root / "contacts.csv"  # saved before exports had a folder per vault
    older.write_text("name\nWipe Marker Person\n")
    report = wipe.wipe(a, exports_dir=root)  # the command line passes the shared folder
    assert not mine.exists() and not (root / id_a).exists() and mine in report.removed
    assert theirs.read_text() == f"plain text of {id_b}\n"
    assert older.exists() and report.exports_left == [older]
    assert any("1 older export(s)" in line and "cannot be told apart" in line for line in report.lines())
    report = wipe.wipe(b, exports_dir=root / id_b)  # the app passes the vault's own folder
    assert not theirs.exists() and not (root / id_b).exists() and report.exports_left == []
    assert older.exists()


def test_the_wipe_command_removes_only_that_vaults_exports(tmp_path: Path) -> None:
    a, id_a, b, id_b = _two_vaults(tmp_path)
    xdg = tmp_path / "xdg"
    root = xdg / "hrd-tui" / "exports"
    mine, theirs = _save(root, id_a, "report.md"), _save(root, id_b, "report.md")
    older = root / "report-regular-2026-01-01-2026-03-31.md"  # an older export: whose, nobody can tell
    older.write_text("plain text\n")
    done = run_cli("--vault", str(a), "wipe", "--yes", env={"XDG_DATA_HOME": str(xdg)})
    assert done.returncode == 0, done.stderr
    assert older.exists() and "1 older export(s)" in done.stdout + done.stderr
    assert not mine.exists() and theirs.exists()
    with vault.unlock(b, vault.Secret(PASSPHRASE), readonly=True) as still:
        assert still.is_open


def test_stale_exports_are_found_in_the_vaults_folder_and_the_older_shared_one(tmp_path: Path) -> None:
    root = paths.export_root()
    own = root / ("c" * 32)
    own.mkdir(parents=True, exist_ok=True)
    (own / "new.md").write_text("x")
    (root / "old.md").write_text("x")
    try:
        found = exports.stale(own, hours=0, now=10**11)
        assert own / "new.md" in found and root / "old.md" in found
    finally:
        (own / "new.md").unlink()
        (root / "old.md").unlink()
