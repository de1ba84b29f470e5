"""The help screen (F1 or ?): every binding of the current screen and the global ones.

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

#: The box's width (app.tcss #help-box), and the columns of key and place inside it.
BOX_WIDTH = 76
KEY_WIDTH = 16
WHERE_WIDTH = 11


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    #help-table {
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    """
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__(id="help")
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys (q, Esc or F1 closes)", id="help-title", markup=False)
            table: DataTable[Text] = DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            # Inside the border, less the scrollbar and each column's padding of 2.
            inner = min(BOX_WIDTH, self.app.size.width) - 2 - 1
            action_width = max(10, inner - KEY_WIDTH - WHERE_WIDTH - 3 * 2)
            table.add_column("Key", width=KEY_WIDTH)
            table.add_column("Action", width=action_width)
            table.add_column("Where", width=WHERE_WIDTH)
            for row in self.rows:
                table.add_row(*(Text(cell) for cell in row), height=None)  # wraps: as many lines as it takes
            yield table

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
