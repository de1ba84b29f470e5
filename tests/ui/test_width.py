"""Width (issue 16): every screen's footer fits 80 columns, with the screen's most used
keys shown and the rest in F1; tables share the width and grow with it; a case reads
top to bottom; every F-key has a ctrl+letter twin. The real app on the demo vault.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from hrd_tui import demo, screens as screens_package
from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app

from conftest import FROZEN_DAY, PASSPHRASE, unlock

#: Keys from the section screen that reach each screen with a footer (demo data).
WALKS: tuple[tuple[str, ...], ...] = (
    ("t",), ("c",), ("c", "f"), ("c", "enter"), ("c", "n"), ("c", "enter", "h"), ("c", "l"),
    ("a",), ("a", "f"), ("a", "enter"), ("a", "enter", "tab"), ("a", "n"), ("a", "enter", "g"),
    ("a", "enter", "f"), ("a", "enter", "y"),
    ("o",), ("o", "enter"), ("o", "enter", "enter"), ("o", "n"), ("o", "enter", "n"), ("o", "enter", "enter", "w"),
    ("k",), ("k", "enter"), ("m",), ("m", "n"), ("m", "g"), ("r",),
)
#: Bases that are never on screen themselves, and the screens before the vault is open
#: (their footers hold two keys and are checked by the walk's first step).
NOT_WALKED = {"SectionScreen", "FormScreen", "GuidedFormScreen", "HandsBack", "CreateScreen", "RecoveryCodeScreen",
              "HandoverImportScreen"}


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    vault_dir = tmp_path_factory.mktemp("demo") / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("demo data") as session:
        demo.populate(session)
    opened.close()
    return vault_dir


def demo_app(vault_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(vault_dir, settings_path=tmp_path / "settings.json", today=lambda: FROZEN_DAY,
                    export_dir=tmp_path / "exports")


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


def footer_overflow(screen: Screen, width: int) -> list[str]:  # type: ignore[type-arg]
    """The footer keys of this screen that end past ``width`` (none: it fits)."""
    past = []
    for footer in screen.query(Footer):
        for key in footer.query(FooterKey):
            if key.display and key.region.right > width:
                past.append(f"{key.key_display} {key.description} (ends at {key.region.right})")
    return past


def screen_classes() -> set[str]:
    """Every full screen the package defines (not dialogs), by class name."""
    names = set()
    for info in pkgutil.walk_packages(screens_package.__path__, screens_package.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (cls.__module__ == module.__name__ and issubclass(cls, Screen)
                    and not issubclass(cls, ModalScreen) and name != "HelpScreen"):
                names.add(name)
    return names


async def test_every_footer_fits_80_columns(demo_vault: Path, tmp_path: Path) -> None:
    seen: dict[str, list[str]] = {}
    for walk in WALKS:
        app = demo_app(demo_vault, tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            seen.setdefault(type(app.screen).__name__, footer_overflow(app.screen, 80))  # the unlock screen
            await unlock(app, pilot)
            for key in walk:
                await pilot.press(key)
                await settle(app, pilot)
            name = type(app.screen).__name__
            seen[f"{name} after {' '.join(walk)}"] = footer_overflow(app.screen, 80)
            seen.setdefault(name, [])
            if walk == ("c",):  # the handover import is reached from the palette only
                app.action_import_handover()
                await settle(app, pilot)
                seen["HandoverImportScreen"] = footer_overflow(app.screen, 80)
    assert {name: past for name, past in seen.items() if past} == {}
    missing = screen_classes() - set(seen) - (NOT_WALKED - {"HandoverImportScreen"})
    assert missing == set(), "screens the walk does not reach: add a walk for them"
