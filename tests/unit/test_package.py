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


def _editable() -> bool:
    """This interpreter imports hrd_tui from a developer's checkout (pip install -e)."""
    import json
    from importlib import metadata

    direct = metadata.distribution("hrd-tui").read_text("direct_url.json")
    return bool(direct and json.loads(direct).get("dir_info", {}).get("editable"))


def test_import_contracts_hold(tmp_path: Path) -> None:
    """pyproject.toml's import contracts, checked against the package this interpreter
    imports: the layers (nothing imports upwards) and the core without Textual.

    lint-imports puts its working directory first on sys.path, so it runs from an empty
    one, the contracts given by path: from the checkout, the checkout's hrd_tui (without
    its screens) would hide an installed one. Installed (CI installs the package, not
    editable), hrd_tui.screens is a layer of the contract and is checked like the rest.
    In an editable checkout the screens stay in screens/, which the analysis cannot
    follow (the contract names their layer optional, so it still holds): there
    test_screens_import_only_downwards checks them."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency"
    result = subprocess.run(
        [lint, "--no-cache", str(ROOT / "pyproject.toml")], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout, result.stdout  # the layers, and no Textual in the core
    seen = subprocess.run(
        [sys.executable, "-c", "import grimp; print('hrd_tui.screens.today' in grimp.build_graph('hrd_tui').modules)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert seen.stdout.strip() == ("False" if _editable() else "True"), seen.stdout + seen.stderr


SCREEN_FORBIDDEN = (
    "sqlalchemy",
    "sqlmodel",
    "sqlcipher3",
    "sqlite3",
    "hrd_tui.store",
    "hrd_tui.vault",
    "hrd_tui.history_hooks",
    "hrd_tui.vault_hooks",
)
#: The layers above the screens' (pyproject.toml): in an editable checkout the contract cannot see the screens.
SCREEN_ABOVE = (
    "hrd_tui.__main__",
    "hrd_tui.cli",
    "hrd_tui.cli_lifecycle",
    "hrd_tui.cli_common",
    "hrd_tui.app",
    "hrd_tui.demo",
)


def _screen_imports() -> list[tuple[str, str]]:
    """(file, module) for every import of every screen, ``from a import b`` as both a and a.b."""
    import ast

    found = []
    for path in (ROOT / "screens").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found += [(path.name, a.name) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found += [(path.name, node.module)] + [(path.name, f"{node.module}.{a.name}") for a in node.names]
    return found


def test_screens_reach_the_store_only_through_services() -> None:
    """Screens import services (and the app shell), never SQL or the store."""
    offenders = [f"{name}: {n}" for name, n in _screen_imports() if n.startswith(SCREEN_FORBIDDEN)]
    assert offenders == []


def test_screens_import_only_downwards() -> None:
    """The screens' part of the layers contract, where import-linter cannot see them
    (an editable checkout): no screen imports the app shell, the CLI or the demo."""
    offenders = [
        f"{name}: {n}"
        for name, n in _screen_imports()
        if any(n == above or n.startswith(above + ".") for above in SCREEN_ABOVE)
    ]
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
        capture_output=True,
        text=True,
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
    from importlib import resources

    import hrd_tui

    if _editable():
        pytest.skip("editable install (a developer's checkout): nothing to prove here")
    assert Path(hrd_tui.__file__).resolve().parent != ROOT / "hrd_tui"
    assert "site-packages" in Path(hrd_tui.__file__).resolve().parts
    assert resources.files("hrd_tui.data").joinpath("resources.toml").is_file()
    assert Path(str(resources.files("hrd_tui.data"))).resolve() != ROOT / "data"
