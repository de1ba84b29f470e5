"""The app and its vault for the Pilot tests: the passphrase every test vault has,
vaults set up outside any app (demo data, one transaction), and the unlock screen
typed through in Pilot. The test KDF and the frozen clock are set by conftest
before any of this runs (HRD_TUI_TEST_KDF=1, ``frozen_clock``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hrd_tui import vault as vault_mod

PASSPHRASE = "correct horse battery staple"


def demo_vault_at(vault_dir: Path, extra: Callable[[Any], None] | None = None) -> Path:
    """A new vault holding the demo's fictional data (and what ``extra`` writes in the
    same transaction): the whole product's screens have something to show."""
    from hrd_tui import demo

    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    try:
        with opened.store.session("demo data") as session:
            demo.populate(session)
            if extra is not None:
                extra(session)
    finally:
        opened.close()
    return vault_dir


@contextmanager
def vault_session(vault_dir: Path, what: str = "test set-up") -> Iterator[object]:
    """One transaction on a vault no app has open (test data set-up)."""
    opened = vault_mod.unlock(vault_dir, vault_mod.Secret(PASSPHRASE))
    try:
        with opened.store.session(what) as session:
            yield session
    finally:
        opened.close()


async def unlock(app, pilot, passphrase: str = PASSPHRASE) -> None:  # type: ignore[no-untyped-def]
    """Type the passphrase on the app's unlock screen and wait until the vault is open
    (the unlock worker done, the section drawn). Cursors stop blinking for snapshots."""
    from textual.widgets import Input

    for _ in range(100):  # the first prompt is the bottom screen: composed in the app's first turns
        if app.screen.query("#secret"):
            break
        await pilot.pause()
    for field in app.screen.query(Input):
        field.cursor_blink = False
    app.screen.query_one("#secret", Input).value = passphrase
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until_gone(app, pilot, screen_type: type, turns: int = 200) -> None:  # type: ignore[no-untyped-def]
    """Wait, at most ``turns`` turns of 50 ms, until the top screen is no longer a
    ``screen_type``: a form that saves on a worker is dismissed only once the worker's
    result has been handled, which on a loaded machine (CI) can be after a first wait for
    the workers found none left."""
    for _ in range(turns):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        if not isinstance(app.screen, screen_type):
            return
