"""The one way to make a small read-only table: rows as a cursor, columns that share the width.

Every column keeps at least its given width (and never less than its header); the width
left over goes first to the main column (the title or the name: the widest given, unless
said) up to its longest text (or 40), then to the other columns up to theirs, and what still
remains to the main column again (``share_width``). Recomputed on every resize and as rows
come, so 80 columns show what fits and 200 show more.
Whatever is cut ends in an ellipsis (a 10,000-character name is cut, never allowed to push
the other columns off the screen); the whole text is one key away (Enter opens the record,
or a line under the table shows the selected row in full).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text, TextType
from textual.content import Content
from textual.widgets import DataTable
from textual.widgets._data_table import RowRenderables
from textual.widgets.data_table import RowKey

from hrd_tui.screens.widgets.row_list import share_width


def ellipsis_cell(cell: object) -> object:
    """A cell that ends in … when its column is too narrow (plain text and Rich Text;
    anything styled otherwise is left as it is)."""
    if isinstance(cell, Content) and not cell.spans:
        return Text(cell.plain, no_wrap=True, overflow="ellipsis", end="")
    if isinstance(cell, Text):
        text = cell.copy()
        text.no_wrap, text.overflow, text.end = True, "ellipsis", ""
        return text
    return cell


class FlexTable(DataTable[object]):
    DEFAULT_CSS = """
    FlexTable {
        width: 1fr;
    }
    """

    def __init__(self, columns: Sequence[tuple[str, int]], *, flex: int | None = None, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.min_widths = [max(width, cell_len(label)) for label, width in columns]
        widest = max(range(len(columns)), key=lambda n: columns[n][1]) if columns else 0
        self.flex = widest if flex is None else flex
        self.longest = list(self.min_widths)  # the longest text seen in each column (never shrinks: no jumps)
        for (label, _), width in zip(columns, self.min_widths, strict=True):
            self.add_column(label, width=width)

    def add_row(
        self, *cells: object, height: int | None = 1, key: str | None = None, label: TextType | None = None
    ) -> RowKey:
        for n, cell in enumerate(cells[: len(self.longest)]):
            self.longest[n] = max(self.longest[n], cell_len(str(cell)))
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self.fit_columns()
        return row_key

    def on_resize(self) -> None:
        self.fit_columns()

    def fit_columns(self) -> None:
        """Share the width out again, less a vertical scrollbar when there are more rows than
        lines (the height follows the rows up to the table's max-height, with a resize)."""
        width, height = self.size
        if not self.min_widths or not width:
            return
        scrolls = self.row_count + (1 if self.show_header else 0) > height
        padding = 2 * self.cell_padding
        room = width - (self.styles.scrollbar_size_vertical if scrolls else 0) - len(self.min_widths) * (padding - 2)
        widths = share_width(self.min_widths, self.longest, self.flex, room)
        changed = False
        for column, width in zip(self.ordered_columns, widths, strict=False):
            if column.width != width:
                column.width, changed = width, True
        if changed:
            self._require_update_dimensions = True  # DataTable's own way after a column change
            self._update_count += 1  # its render caches are keyed by this
            self.refresh()

    def _compute_row_renderables(self, row_index: int) -> RowRenderables:
        # DataTable crops a cell at its column's edge; ours say that they were cut.
        renderables = super()._compute_row_renderables(row_index)
        if row_index == -1:
            return renderables
        return RowRenderables(renderables.label, [ellipsis_cell(cell) for cell in renderables.cells])  # type: ignore[misc]


def fixed_table(table_id: str, columns: Sequence[tuple[str, int]], *, flex: int | None = None) -> FlexTable:
    """A table of (header, least width) columns; ``flex`` (default: the widest) takes the rest."""
    return FlexTable(columns, flex=flex, id=table_id)
