"""Multi-line fields in discreet mode: names hidden until the officer shows them.

A case summary, notes or charges often name people. In discreet mode such a field
shows its text with every contact's name written as their codename (the same rule
as everywhere else, vault_text.on_screen), read-only; ctrl+r shows the real text
in that field only, to read or edit it. What the form saves, and the unfinished
text kept across a lock, is always the real text, never the discreet version.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import TextArea

from hrd_tui.screens.widgets.vault_text import on_screen


class Veiled(TextArea):
    BINDINGS = [Binding("ctrl+r", "reveal", "Show names", id="field.reveal", tooltip="Show the names in this field")]

    _real: str | None = None  # the real text while the discreet version is shown
    _revealed = False  # shown by the officer: stays so until discreet mode is turned off
    #: False for a view that only shows text (a value to read whole): read-only even when shown.
    EDITABLE = True

    def discreet_version(self, real: str) -> str:
        """What discreet mode shows of ``real``: every contact's name as their codename."""
        return on_screen(real)

    @property
    def real_text(self) -> str:
        """What the field holds, whatever is on screen."""
        return self._real if self._real is not None else self.text

    @property
    def veiled(self) -> bool:
        return self._real is not None

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self._discreet_changed)  # now, and on every change

    def _discreet_changed(self, on: bool) -> None:
        if not on:
            self._revealed = False
            self._unveil()
        elif not self._revealed:
            self._veil()

    def _veil(self) -> None:
        real = self.real_text
        shown = self.discreet_version(real)
        if shown == real:
            return
        self._real = real
        self.read_only = True
        self.load_text(shown)

    def _unveil(self) -> None:
        if self._real is None:
            return
        real, self._real = self._real, None
        self.load_text(real)
        self.read_only = not self.EDITABLE

    def set_real_text(self, text: str) -> None:
        """Put text in the field (a restored snapshot): veiled again if it names someone."""
        self._real = None
        self.read_only = not self.EDITABLE
        self.load_text(text)
        if getattr(self.app, "discreet", False) and not self._revealed:
            self._veil()

    def action_reveal(self) -> None:
        self._revealed = True
        self._unveil()

    def on_focus(self) -> None:
        if self.veiled:
            self.notify("Names are hidden here (discreet mode): ctrl+r shows them in this field.", markup=False)
