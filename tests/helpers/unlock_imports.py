"""``python -P unlock_imports.py OUT.json [hrd-tui arguments]``: run the real command
line (hrd_tui.cli.main) up to the unlock screen, headless, and write to OUT.json which
top-level packages are loaded when that screen is composed and when it is mounted.

The app warms the vault's modules up on a timer after mount, so the moment that
matters is the unlock screen's compose and mount. stdin and stdout must be a
terminal (the command line refuses to start the app otherwise): the test gives a pty.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator

from textual.app import App
from textual.widget import Widget

from hrd_tui.screens.unlock import UnlockScreen

out_path, argv = sys.argv[1], sys.argv[2:]
seen: dict[str, object] = {}


def loaded() -> list[str]:
    return sorted({name.split(".")[0] for name in sys.modules})


compose, on_mount = UnlockScreen.compose, UnlockScreen.on_mount


def noting_compose(self: UnlockScreen) -> Iterator[Widget]:
    seen["compose"] = loaded()
    yield from compose(self)


def noting_on_mount(self: UnlockScreen) -> None:
    on_mount(self)
    seen["mount"] = loaded()
    self.app.exit()


UnlockScreen.compose = noting_compose  # type: ignore[method-assign]
UnlockScreen.on_mount = noting_on_mount  # type: ignore[method-assign]
App.run = lambda self, **_: asyncio.run(self.run_async(headless=True, size=(80, 24)))  # type: ignore[method-assign]

from hrd_tui.cli import main  # noqa: E402  (after the hooks, as the console script would import it)

seen["exit"] = main(argv)
with open(out_path, "w") as fh:
    json.dump(seen, fh)
