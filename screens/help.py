"""The help screen (F1 or ?): every binding of the current screen and the global ones.

``i`` shows each binding's id under what it does: the name a keymap file
(``keymap.toml`` in the config directory, see the README) uses to give it other keys.

Under the table: which edition of the guidelines the app encodes, and the date of each
outside fact it states (funds that changed), from hrd_tui.data.

The table fits its box at any width from 80 columns: the key and place columns are
narrow, the action takes the rest, and long text wraps onto a second line instead of
running off to the side.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from hrd_tui.services import reference

#: The box's width (app.tcss #help-box), and the columns of key and place inside it.
BOX_WIDTH = 76
KEY_WIDTH = 16
WHERE_WIDTH = 11


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    #help-table {
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        height: 1fr;
    }
    #help-sources {
        height: auto;
        max-height: 7;
        color: $text-muted;
        border-top: solid $primary;
    }
    """
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("i", "toggle_ids", "Binding ids", id="help.ids", tooltip="Show each binding's id (for keymap.toml)"),
    ]

    def __init__(self, rows: list[tuple[str, ...]], ids: list[str] | None = None) -> None:
        super().__init__(id="help")
        self.rows = rows
        self.ids = ids if ids is not None and len(ids) == len(rows) else [""] * len(rows)
        self.showing_ids = False

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys (q, Esc or F1 closes; i shows binding ids)", id="help-title", markup=False)
            table: DataTable[Text] = DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            # Inside the border, less the scrollbar and each column's padding of 2.
            inner = min(BOX_WIDTH, self.app.size.width) - 2 - 1
            action_width = max(10, inner - KEY_WIDTH - WHERE_WIDTH - 3 * 2)
            table.add_column("Key", width=KEY_WIDTH)
            table.add_column("Action", width=action_width)
            table.add_column("Where", width=WHERE_WIDTH)
            self._fill(table)
            yield table
            # Which edition of the guidelines the app follows, and the date of each outside fact.
            yield Static(reference.sources_note(), id="help-sources", markup=False)

    def _fill(self, table: DataTable[Text]) -> None:
        for row, binding_id in zip(self.rows, self.ids, strict=True):
            cells = (row[0], f"{row[1]}\n  id: {binding_id or '(none)'}", *row[2:]) if self.showing_ids else row
            table.add_row(*(Text(cell) for cell in cells), height=None)  # wraps: as many lines as it takes

    def action_toggle_ids(self) -> None:
        """Each binding's id under what it does (the name keymap.toml gives keys to), or not."""
        table = self.query_one(DataTable)
        self.showing_ids = not self.showing_ids
        table.clear()
        self._fill(table)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
