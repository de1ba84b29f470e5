"""Handing a thread worker's result back to the screen that started it.

Import screens read, match and write on worker threads (the UI stays responsive
to a large or crafted file). By the time a worker finishes, its screen may have
gone: cancelled by the officer, or popped by a lock. Its result is then dropped,
never applied to widgets that no longer exist (which would stop the app).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from hrd_tui.screens import calls


class HandsBack(Screen):  # type: ignore[type-arg]
    """A screen whose thread workers report through ``hand_back``; while ``busy`` (a
    write the officer confirmed is under way) it stays, so the result is seen."""

    busy = False

    def action_cancel(self) -> None:
        if self.busy:  # the officer confirmed: the import finishes, and says so
            self.notify("Importing: one moment.", markup=False)
            return
        self.dismiss(None)

    def hand_back(self, callback: Callable[..., None], *args: object) -> None:
        """From a worker thread: ``callback(*args)`` if this screen is still shown (calls.hand_back)."""
        calls.hand_back(self, callback, *args)
