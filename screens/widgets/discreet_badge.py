"""The permanent sign that discreet mode is on: `DISCREET` in reverse video at the
top right of every screen, dialogs and forms included (the app puts one on each
screen it shows). Absolutely placed, so no screen loses a row to it at 80x24; in
reverse and bold, so it reads with no colour at all.
"""

from __future__ import annotations

from textual.widgets import Static

LABEL = "DISCREET"  # 8 columns: the section bar leaves them free at 80 columns


class DiscreetBadge(Static):
    #: Its layer is above every other widget: app.tcss gives every screen the layers
    #: ``default discreet-badge`` (a widget placed absolutely is otherwise drawn under
    #: the ones it overlaps).
    DEFAULT_CSS = """
    DiscreetBadge {
        position: absolute;
        layer: discreet-badge;
        width: 8;
        height: 1;
        text-style: reverse bold;
        background: $warning;
        color: $text;
    }
    """

    def __init__(self) -> None:
        super().__init__(LABEL, markup=False, classes="discreet-badge")

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self._shown)  # now, and on every change

    def _shown(self, on: bool) -> None:
        self.display = on
        self.place(self.app.size.width)

    def place(self, width: int) -> None:
        """At the right edge of a terminal ``width`` columns wide (over the title line)."""
        self.styles.offset = (max(0, width - len(LABEL)), 0)
