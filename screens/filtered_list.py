"""One list screen for the sections that are a searchable list of records: contacts,
threats, trials and civic-space observations.

A search field runs the filter as each key is typed (FilterInput), the rows are a
RowList loaded a page at a time as the cursor nears the end (End loads the rest),
and a line beside the search field counts what matched. The keys are the same on
each: / searches, Esc or Down goes back to the list, Enter on a row opens it. Back
from a record, the cursor finds it again, loading pages until it is there.

A subclass says only what differs: the ids of its widgets (its tcss names them),
its columns and cells, its service call for a page, its filter line, and what
opening a row does. Its BINDINGS stay its own, so each key keeps its binding id.
FilterChoiceModal is the filters' modal (f) the same way: one list of options.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import Field, replace
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from hrd_tui.errors import HrdError
from hrd_tui.screens.sections import Section, SectionScreen
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.filter_input import FilterInput
from hrd_tui.screens.widgets.row_list import RowList, header_text
from hrd_tui.screens.widgets.toggles import PointerOptionList


class Keyed(Protocol):
    @property
    def id(self) -> str: ...


class Searched(Protocol):
    """A filter with the text typed in the search field: a frozen dataclass (replace makes the next)."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def query(self) -> str: ...


#: End: rows read on the worker at a time, and put in the list in one turn of the event loop.
REST_READ_ROWS = 1000
REST_PART_ROWS = 250

RowT = TypeVar("RowT", bound=Keyed)
FilterT = TypeVar("FilterT", bound=Searched)


class FilteredListScreen(ShellAccess, SectionScreen, Generic[RowT, FilterT]):
    """A section's list: search field, count, filter line, header and rows.

    Widget ids are ``{id_prefix}-body``, ``-top``, ``-filter``, ``-count`` (or the
    ``side`` name), ``-filters`` and ``-header``; the list is ``#{list_id}``."""

    id_prefix: ClassVar[str]
    list_id: ClassVar[str]
    placeholder: ClassVar[str]
    #: (header, least width); the ``flex`` column takes the width left over.
    columns: ClassVar[Sequence[tuple[str, int]]]
    flex: ClassVar[int] = 0
    #: The text right of the search field: the count (``-count``), or trials' status.
    side: ClassVar[str] = "count"
    side_text: ClassVar[str] = ""
    filters_line: ClassVar[bool] = True  # a line under the search saying what is shown
    noun: ClassVar[str] = "row"  # the count's word: "12 cases"
    page_size: ClassVar[int] = 100
    page_ahead: ClassVar[int] = 20  # the next page loads when the cursor comes this close to the last loaded row
    max_seek: ClassVar[int | None] = 5000  # back from a record: rows loaded to find it again, at most
    keeps_cursor: ClassVar[bool] = True  # a reload (a keystroke, a filter) keeps the cursor on its record
    #: Whether the status lines' updates ask for a layout pass (off where their sizes are fixed).
    status_layout: ClassVar[bool] = True

    filter: FilterT

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.loaded = 0
        self.more = False
        self.rows: dict[str, RowT] = {}
        self._texts: dict[str, str] = {}
        self._loading_rest = False  # End's worker is putting in the rest (_load_rest)

    # -- what a subclass says ----------------------------------------------------------
    def fetch(self, offset: int, limit: int) -> list[RowT]:
        """A page of rows from the service; sets ``more`` (rows beyond it match too)."""
        raise NotImplementedError

    def page_of(self, rows: list[RowT], limit: int) -> list[RowT]:
        """Rows read with one more than ``limit``: ``more`` says whether it came; the page without it."""
        self.more = len(rows) > limit
        return rows[:limit]

    def cells(self, rows: Sequence[RowT]) -> Iterable[tuple[str, ...]]:
        """Each row's cells, as shown (discreet mode included)."""
        raise NotImplementedError

    def open_row(self, key: str) -> None:
        """Enter on a row."""
        raise NotImplementedError

    def filters_text(self) -> str:
        return ""

    def count_text(self) -> str:
        more = "+" if self.more else ""
        return f"{self.loaded}{more} {self.noun}{'s' if self.loaded != 1 else ''}"

    def header_labels(self) -> list[str]:
        return [header for header, _ in self.columns]

    def highlighted(self, key: str | None) -> None:
        """The cursor is on this record (None: the list is empty)."""

    def compose_below(self) -> ComposeResult:
        """Widgets under the list."""
        return ()

    # -- the screen ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        p = self.id_prefix
        widths = [width for _, width in self.columns]
        yield self.section_bar()
        with Vertical(id=f"{p}-body"):
            with Horizontal(id=f"{p}-top"):
                yield FilterInput(self._typed, id=f"{p}-filter", placeholder=self.placeholder, compact=True)
                yield Static(self.side_text, id=f"{p}-{self.side}", markup=False)
            if self.filters_line:
                yield Static("", id=f"{p}-filters", markup=False)
            yield Static(header_text(self.header_labels(), widths), id=f"{p}-header", markup=False)
            yield RowList(widths, flex=self.flex, id=self.list_id)
            yield from self.compose_below()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # SectionScreen's on_mount runs after this one (Textual runs each class's): subclasses define none.
        table = self.row_list
        table.load_rest = self._load_rest
        table.focus()

    @property
    def row_list(self) -> RowList:
        return self.query_one(f"#{self.list_id}", RowList)

    @property
    def filter_input(self) -> Input:
        return self.query_one(f"#{self.id_prefix}-filter", Input)

    def selected_id(self) -> str | None:
        return self.row_list.cursor_key

    # -- loading: a page at a time, so a keystroke costs the same with 10,000 rows as with 20
    def reload(self, select: str | None = None) -> None:
        """Run the filter again from the first page (a keystroke, a filter, back from a
        record); the cursor goes to ``select``, or stays on its record (``keeps_cursor``)."""
        if self.shell.locked or not self.is_mounted:
            return
        table = self.row_list
        self._stop_loading_rest()  # the rest of the list as it was
        wanted = select or (table.cursor_key if self.keeps_cursor else None)
        rows = self.fetch(0, self.page_size)
        table.clear()
        self.loaded = 0
        self.rows = {}
        self._append(rows)
        self.seek(wanted)
        self.show_status()
        self.highlighted(table.cursor_key)

    def _append(self, rows: Sequence[RowT]) -> None:
        self.rows.update((row.id, row) for row in rows)
        self.row_list.add_rows(zip([row.id for row in rows], self.cells(rows), strict=True))
        self.loaded += len(rows)

    def seek(self, key: str | None) -> None:
        """Put the cursor on a record, loading pages until it is there (back from editing
        row 300, or a new record sorted far down); nothing if it no longer matches."""
        if key is None:
            return
        table = self.row_list
        while table.index_of(key) is None and self.more and (self.max_seek is None or self.loaded < self.max_seek):
            rows = self.fetch(self.loaded, self.page_size)
            if not rows:
                break
            self._append(rows)
        index = table.index_of(key)
        if index is not None:
            table.move_cursor(index)

    def _load_rest(self) -> None:
        """End: every remaining match, read on a worker and put in a part at a time (at
        10,000 contacts, read and put in at once, it held the event loop for 1.4 s). The
        keys typed meanwhile wait, then go to the list with its cursor on the very last
        row (End then Enter in one burst opens the last record, not the last loaded)."""
        if not self.more or self._loading_rest:
            return
        self._loading_rest = True
        self.shell.hold_keys()
        self.run_worker(self._load_rest_in_parts(), group="load-rest", exclusive=True, description="loading the list")

    async def _load_rest_in_parts(self) -> None:
        table = self.row_list
        try:
            while self.more:
                try:
                    rows = await asyncio.to_thread(self.fetch, self.loaded, REST_READ_ROWS)
                except HrdError:
                    break  # locked meanwhile: the list is read again after the unlock
                for start in range(0, len(rows), REST_PART_ROWS):
                    self._append(rows[start : start + REST_PART_ROWS])
                    self.show_status()
                    await asyncio.sleep(0)  # drawing, the idle lock and a hang-up between two parts
                if not rows:
                    break
            table.move_cursor(table.row_count - 1)
        finally:
            self._stop_loading_rest(cancel=False)

    def _stop_loading_rest(self, *, cancel: bool = True) -> None:
        """The loading ended or is given up (a reload, the screen gone): the keys go on.
        Here and not only in the worker's ``finally``: a worker cancelled before it
        started never runs its body, and the keys would wait HOLD_SECONDS."""
        if self._loading_rest:
            self._loading_rest = False
            if cancel:
                self.workers.cancel_group(self, "load-rest")
            self.shell.release_keys()

    def on_unmount(self) -> None:
        self._stop_loading_rest()

    @on(RowList.Highlighted)
    def _near_end(self, event: RowList.Highlighted) -> None:
        if self.more and not self._loading_rest and event.index >= self.loaded - self.page_ahead:
            self._append(self.fetch(self.loaded, self.page_size))
            self.show_status()
        self.highlighted(event.key)

    # -- the lines around the list ------------------------------------------------------------
    def show_status(self) -> None:
        """Header, count and filter line."""
        self.show_header()
        if self.side == "count":
            self._set_text(f"{self.id_prefix}-count", self.count_text())
        if self.filters_line:
            self._set_text(f"{self.id_prefix}-filters", self.filters_text())

    def show_header(self) -> None:
        self._set_text(f"{self.id_prefix}-header", self.row_list.header(self.header_labels()))

    def _set_text(self, widget_id: str, text: str) -> None:
        """Touched only when its text changed: an update of a label costs a layout pass of
        the screen, felt at every keystroke."""
        if self._texts.get(widget_id) != text:
            self._texts[widget_id] = text
            self.query_one(f"#{widget_id}", Static).update(text, layout=self.status_layout)

    @on(RowList.WidthsChanged)
    def _widths_changed(self) -> None:
        self.show_header()

    # -- the search field and the filters -----------------------------------------------------
    def action_focus_filter(self) -> None:
        # At once, not after a refresh (Widget.focus): what is typed right after "/"
        # belongs in the filter, not to the section keys.
        self.set_focus(self.filter_input)

    def _typed(self, value: str) -> None:
        """Each keystroke, in its own turn (FilterInput)."""
        if value != self.filter.query:
            self.filter = replace(self.filter, query=value)
            self.reload()

    @on(Input.Submitted)
    def _filter_done(self, event: Input.Submitted) -> None:
        if event.input is self.filter_input:
            self.row_list.focus()

    def key_escape(self) -> None:
        if self.filter_input.has_focus:
            self.row_list.focus()

    def key_down(self) -> None:
        if self.filter_input.has_focus:
            self.row_list.focus()

    def refilter(self, chosen: FilterT | None) -> None:
        """A filter modal's answer (None: cancelled)."""
        if chosen is not None:
            self.filter = chosen
            self.reload()

    def start_over(self, empty: FilterT) -> None:
        """x: the search and every filter cleared."""
        self.filter = empty
        self.filter_input.value = ""
        self.reload()

    # -- opening ----------------------------------------------------------------------------------
    @on(RowList.Selected)
    def _row_selected(self, event: RowList.Selected) -> None:
        self.open_row(event.key)

    def action_open(self) -> None:
        key = self.selected_id()
        if key:
            self.open_row(key)


def radio(on: bool, text: str, option_id: str) -> Option:
    """One of a group: (*) or ( ). Literal content: the brackets show as typed, not as markup."""
    return Option(Content(f"{'(*)' if on else '( )'} {text}"), id=option_id)


def check(on: bool, text: str, option_id: str) -> Option:
    """A toggle on its own: [x] or [ ]."""
    return Option(Content(f"{'[x]' if on else '[ ]'} {text}"), id=option_id)


class FilterChoiceModal(ModalScreen[FilterT | None]):
    """A list's filters as one list of options: Enter picks (or toggles), a applies,
    x clears, Esc cancels. A subclass says its options, what picking one does and what
    clearing leaves; its BINDINGS (and their ids) stay its own."""

    box_id: ClassVar[str]
    options_id: ClassVar[str]
    heading: ClassVar[str]

    def __init__(self, current: FilterT) -> None:
        super().__init__()
        self.choice = current

    def add_options(self, options: OptionList, choice: FilterT) -> None:
        """The options for this choice: ids ``group:value`` (``_picked`` splits them)."""
        raise NotImplementedError

    def picked(self, choice: FilterT, group: str, value: str) -> FilterT:
        raise NotImplementedError

    def cleared(self) -> FilterT:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id=self.box_id):
            yield Static(self.heading, markup=False)
            yield PointerOptionList(id=self.options_id)  # > on the choice Enter toggles
            yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._render_options()
        self.query_one(f"#{self.options_id}", OptionList).focus()

    def _render_options(self) -> None:
        options = self.query_one(f"#{self.options_id}", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.add_options(options, self.choice)
        options.highlighted = highlighted if highlighted is not None else 0

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        group, _, value = str(event.option.id).partition(":")
        self.choice = self.picked(self.choice, group, value)
        self._render_options()

    def action_apply(self) -> None:
        self.dismiss(self.choice)

    def action_clear(self) -> None:
        self.dismiss(self.cleared())
