"""A list of fixed-width rows drawn line by line: the contacts list at 10,000.

DataTable measures and renders every cell through Rich, which costs 25-30 ms a
redraw for a page of rows; the filter must redraw within 50 ms of a keystroke.
Here each row is turned into one Strip when added (cells sanitised, cropped
and padded to their column's width by terminal cells, so CJK and emoji keep
the columns straight), and drawing is copying the visible strips. The cursor
row is shown reversed by the theme and the cursor's row number is in the
messages, so nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rich.cells import set_cell_size
from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual import events

from hrd_tui.sanitize import for_display

Columns = Sequence[tuple[str, int]]  # (key, width in cells)


def fit(text: object, width: int) -> str:
    """Vault text made safe and exactly ``width`` cells wide (cropped or padded)."""
    return set_cell_size(for_display(text, single_line=True), width)


def header_text(labels: Sequence[str], widths: Sequence[int]) -> str:
    return "".join(" " + fit(label, width) + " " for label, width in zip(labels, widths))


class RowList(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    RowList {
        background: $surface;
    }
    RowList > .row-list--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    RowList:focus > .row-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """
    COMPONENT_CLASSES = {"row-list--cursor"}
    BINDINGS = [
        # Arrows only: single letters belong to the sections and the screens.
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class RowMessage(Message):
        def __init__(self, row_list: RowList, index: int, key: str) -> None:
            super().__init__()
            self.row_list, self.index, self.key = row_list, index, key

        @property
        def control(self) -> RowList:  # what @on(..., "#id") matches
            return self.row_list

    class Highlighted(RowMessage):
        """The cursor moved to a row."""

    class Selected(RowMessage):
        """Enter (or a double click) on a row."""

    def __init__(self, widths: Sequence[int], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.widths = list(widths)
        self._keys: list[str] = []
        self._cells: list[tuple[str, ...]] = []
        self._strips: list[Strip] = []
        self._index: dict[str, int] = {}
        #: Called before End moves to the last row: a paged list loads the rest here.
        self.load_rest: Callable[[], None] | None = None

    # -- content ---------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self._keys)

    def clear(self) -> None:
        self._keys, self._cells, self._strips, self._index = [], [], [], {}
        self.set_reactive(RowList.cursor_row, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._resized()

    def add_rows(self, rows: Iterable[tuple[str, Sequence[object]]]) -> None:
        """(key, cells) pairs; cells are shown literally, never as markup."""
        for key, cells in rows:
            fitted = tuple(fit(cell, width) for cell, width in zip(cells, self.widths))
            self._index[key] = len(self._keys)
            self._keys.append(key)
            self._cells.append(fitted)
            self._strips.append(Strip([Segment("".join(f" {cell} " for cell in fitted))]))
        self._resized()

    def _resized(self) -> None:
        self.virtual_size = Size(sum(w + 2 for w in self.widths), len(self._keys))
        self.refresh()

    def get_row_at(self, index: int) -> tuple[str, ...]:
        """The cells of a row as shown, without the padding."""
        return tuple(cell.rstrip() for cell in self._cells[index])

    def key_at(self, index: int) -> str:
        return self._keys[index]

    def index_of(self, key: str) -> int | None:
        return self._index.get(key)

    @property
    def cursor_key(self) -> str | None:
        return self._keys[self.cursor_row] if self._keys else None

    # -- drawing -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._strips):
            return Strip.blank(width, base)
        strip = self._strips[index]
        if index == self.cursor_row:
            strip = strip.apply_style(self.get_component_rich_style("row-list--cursor"))
        else:
            strip = strip.apply_style(base)
        return strip.crop_extend(self.scroll_offset.x, self.scroll_offset.x + width, base)

    # -- cursor ---------------------------------------------------------------------------
    def move_cursor(self, index: int) -> None:
        if self._keys:
            self.cursor_row = max(0, min(index, len(self._keys) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True)
        self.refresh()
        if self._keys:
            self.post_message(self.Highlighted(self, new, self._keys[new]))

    def action_move(self, delta: int) -> None:
        self.move_cursor(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        if self.load_rest is not None:
            self.load_rest()
        self.move_cursor(len(self._keys) - 1)

    def action_select(self) -> None:
        if self._keys:
            self.post_message(self.Selected(self, self.cursor_row, self._keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self._keys):
            if index == self.cursor_row and event.chain >= 2:
                self.action_select()
            self.move_cursor(index)
