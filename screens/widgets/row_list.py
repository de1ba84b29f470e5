"""A list of fixed-width rows drawn line by line: the contacts list at 10,000.

DataTable measures and renders every cell through Rich, which costs 25-30 ms a
redraw for a page of rows; the filter must redraw within 50 ms of a keystroke.
Here each row is turned into one Strip when added (cells sanitised, cropped
and padded to their column's width by terminal cells, so CJK and emoji keep
the columns straight), and drawing is copying the visible strips. The cursor
row is shown reversed by the theme and the cursor's row number is in the
messages, so nothing depends on colour alone.

The columns share the width: each keeps at least its given width, and the main one
(``flex``: the name or the title) takes the rest, recomputed on resize (strips are made
again, lazily, for the rows drawn). Cut text ends in an ellipsis; Enter opens the record
with the whole of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hrd_tui.sanitize import for_display

Columns = Sequence[tuple[str, int]]  # (key, width in cells)


#: A column other than the main one grows to its longest text, but not past this.
OTHER_COLUMN_MAX = 40
#: The main column grows this far before the others have their turn.
MAIN_COLUMN_FIRST = 40


def share_width(least: Sequence[int], longest: Sequence[int], flex: int, room: int) -> list[int]:
    """Column widths (padding of 2 each excluded) for ``room`` cells: each at least
    ``least``; the spare goes to ``flex`` up to its longest text (at most MAIN_COLUMN_FIRST),
    then to the others up to theirs (at most OTHER_COLUMN_MAX), and the rest to ``flex``."""
    widths = list(least)
    spare = room - sum(w + 2 for w in widths)
    wants = [
        (n, min(longest[n], max(least[n], MAIN_COLUMN_FIRST if n == flex else OTHER_COLUMN_MAX)))
        for n in [flex] + [n for n in range(len(widths)) if n != flex]
    ]
    for n, want in wants:
        if spare <= 0:
            break
        grow = min(spare, max(0, want - widths[n]))
        widths[n] += grow
        spare -= grow
    if spare > 0 and widths:
        widths[flex] += spare
    return widths


def fit(text: object, width: int) -> str:
    """Vault text made safe and exactly ``width`` cells wide (padded, or cut with an ellipsis)."""
    return cut(for_display(text, single_line=True), width)


def cut(text: str, width: int) -> str:
    """Safe one-line text exactly ``width`` cells wide: padded, or cut and ending in …"""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""


def header_text(labels: Sequence[str], widths: Sequence[int]) -> str:
    return "".join(" " + fit(label, width) + " " for label, width in zip(labels, widths, strict=False))


class RowList(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    RowList {
        background: $surface;
        scrollbar-size-vertical: 1;
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
        Binding("up", "move(-1)", "Up", id="rows.up", show=False),
        Binding("down", "move(1)", "Down", id="rows.down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="rows.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="rows.page_down", show=False),
        Binding("home", "first", "First", id="rows.first", show=False),
        Binding("end", "last", "Last", id="rows.last", show=False),
        Binding("enter", "select", "Open", id="rows.open", show=False),
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

    class WidthsChanged(Message):
        """The columns were given new widths (a resize): the header above is drawn again."""

        def __init__(self, row_list: RowList) -> None:
            super().__init__()
            self.row_list = row_list

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(self, widths: Sequence[int], *, flex: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.min_widths = list(widths)
        self.widths = list(widths)  # as drawn now: the flex column's grows with the list
        self.flex = flex
        self.longest = list(widths)  # the longest text seen in each column (never shrinks: no jumps)
        self._keys: list[str] = []
        self._cells: list[tuple[str, ...]] = []  # sanitised, whole: cut when drawn
        self._strips: dict[int, Strip] = {}  # made when first drawn, at the current widths
        self._index: dict[str, int] = {}
        #: Called before End moves to the last row: a paged list loads the rest here.
        self.load_rest: Callable[[], None] | None = None

    # -- content ---------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self._keys)

    def clear(self) -> None:
        self._keys, self._cells, self._strips, self._index = [], [], {}, {}
        self.set_reactive(RowList.cursor_row, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._resized()

    def add_rows(self, rows: Iterable[tuple[str, Sequence[object]]]) -> None:
        """(key, cells) pairs; cells are shown literally, never as markup."""
        for key, cells in rows:
            self._index[key] = len(self._keys)
            self._keys.append(key)
            safe = tuple(for_display(cell, single_line=True) for cell in cells)
            self._cells.append(safe)
            for n, cell in enumerate(safe[: len(self.longest)]):
                self.longest[n] = max(self.longest[n], cell_len(cell))
        self._resized()

    def _resized(self) -> None:
        self._fit_columns()
        self.virtual_size = Size(sum(w + 2 for w in self.widths), len(self._keys))
        self.refresh()

    def on_resize(self) -> None:
        self._resized()

    def _fit_columns(self) -> None:
        """Share the width out again (tables.share_width), less the vertical scrollbar
        when there are more rows than lines."""
        width, height = self.size
        if not width:  # not laid out yet
            return
        room = width - (self.styles.scrollbar_size_vertical if len(self._keys) > height else 0)
        widths = share_width(self.min_widths, self.longest, self.flex, room)
        if widths != self.widths:
            self.widths = widths
            self._strips = {}
            self.post_message(self.WidthsChanged(self))

    def header(self, labels: Sequence[str]) -> str:
        """The header line for these labels at the current widths."""
        return header_text(labels, self.widths)

    def _strip(self, index: int) -> Strip:
        strip = self._strips.get(index)
        if strip is None:
            strip = Strip([Segment("".join(f" {cell} " for cell in self.fitted(index)))])
            self._strips[index] = strip
        return strip

    def fitted(self, index: int) -> tuple[str, ...]:
        """The cells of a row cut or padded to the current widths."""
        return tuple(cut(cell, width) for cell, width in zip(self._cells[index], self.widths, strict=False))

    def get_row_at(self, index: int) -> tuple[str, ...]:
        """The cells of a row as shown, without the padding."""
        return tuple(cell.rstrip() for cell in self.fitted(index))

    def full_row_at(self, index: int) -> tuple[str, ...]:
        """The cells of a row whole (made safe), as a tooltip or a detail line shows them."""
        return self._cells[index]

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
        if index >= len(self._keys):
            return Strip.blank(width, base)
        strip = self._strip(index)
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
