"""Packaging and layering: what ships in the wheel, and what the core may import."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_screens_and_data_ship_inside_the_package_only() -> None:
    assert importlib.util.find_spec("hrd_tui.screens") is not None
    assert importlib.util.find_spec("hrd_tui.data") is not None
    code = "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('screens') is None and importlib.util.find_spec('data') is None else 1)"
    assert subprocess.run([sys.executable, "-c", code], cwd="/").returncode == 0


def test_core_imports_no_ui_toolkit() -> None:
    code = (
        "import sys, hrd_tui.cli, hrd_tui.vault, hrd_tui.services.export, hrd_tui.demo;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency"
    result = subprocess.run([lint, str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


SCREEN_FORBIDDEN = ("sqlalchemy", "sqlmodel", "sqlcipher3", "sqlite3", "hrd_tui.store", "hrd_tui.vault")


def test_screens_reach_the_store_only_through_services() -> None:
    """Screens import services (and the app shell), never SQL or the store."""
    import ast

    offenders = []
    for path in (ROOT / "screens").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(SCREEN_FORBIDDEN)]
    assert offenders == []


@pytest.mark.slow
def test_the_wheel_holds_the_package_the_data_and_the_migrations(tmp_path: Path) -> None:
    # Built from a copy: building in the checkout leaves build/ and an egg-info there,
    # which the next test would take for an installed package.
    import shutil

    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("hrd_tui", "screens", "data"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(source)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    wheel = next(tmp_path.glob("hrd_tui-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"hrd_tui", next(n.split("/")[0] for n in names if ".dist-info" in n)}, top
    for needed in (
        "hrd_tui/screens/__init__.py",
        "hrd_tui/data/taxonomies.toml",
        "hrd_tui/data/resources.toml",
        "hrd_tui/data/checklists/fair-trial.toml",
        "hrd_tui/migrations/versions/0001_initial_schema.py",
        "hrd_tui/migrations/versions/0002_search_index.py",
        "hrd_tui/migrations/script.py.mako",
    ):
        assert needed in names, needed
    # Every module of the source tree is in the wheel, at its package path.
    expected = {f"hrd_tui/{p.relative_to(ROOT / 'hrd_tui')}" for p in (ROOT / "hrd_tui").rglob("*.py")}
    expected |= {f"hrd_tui/screens/{p.relative_to(ROOT / 'screens')}" for p in (ROOT / "screens").rglob("*.py")}
    expected |= {f"hrd_tui/data/{p.relative_to(ROOT / 'data')}" for p in (ROOT / "data").rglob("*.py")}
    expected |= {f"hrd_tui/screens/{p.relative_to(ROOT / 'screens')}" for p in (ROOT / "screens").rglob("*.tcss")}
    expected |= {f"hrd_tui/data/{p.relative_to(ROOT / 'data')}" for p in (ROOT / "data").rglob("*.toml")}
    missing = sorted(n for n in expected if "__pycache__" not in n and n not in names)
    assert missing == [], f"not in the wheel: {missing}"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "hrd-tui = hrd_tui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_an_installed_package_uses_nothing_from_the_source_tree() -> None:
    """In CI the package is installed (not editable): it must run from site-packages alone."""
    import json
    from importlib import metadata, resources

    import hrd_tui

    direct = metadata.distribution("hrd-tui").read_text("direct_url.json")
    if direct and json.loads(direct).get("dir_info", {}).get("editable"):
        pytest.skip("editable install (a developer's checkout): nothing to prove here")
    assert Path(hrd_tui.__file__).resolve().parent != ROOT / "hrd_tui"
    assert "site-packages" in Path(hrd_tui.__file__).resolve().parts
    assert resources.files("hrd_tui.data").joinpath("resources.toml").is_file()
    assert Path(str(resources.files("hrd_tui.data"))).resolve() != ROOT / "data"
