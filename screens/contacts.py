"""Contacts: the list that replaces the officer's spreadsheet.

Filter-as-you-type over the encrypted full-text index, filters (kind, focus
area, risk, overdue), sort by any column, and pages of rows loaded as the
cursor nears the end, so 10,000 contacts cost the same keystroke as ten. In
discreet mode the name column shows codenames and sorts by them. Overdue and
risk are shown as text ("!" and the level), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from textual.binding import Binding
from textual.widgets import OptionList

from hrd_tui.sanitize import plural
from hrd_tui.screens.filtered_list import FilterChoiceModal, FilteredListScreen, check, radio
from hrd_tui.screens.sections import Section
from hrd_tui.services import contact_list, reference
from hrd_tui.services.contact_list import ContactFilter, ContactRow
from hrd_tui.vocab import ContactKind, FocusArea, RiskLevel

PAGE_SIZE = 40  # two screens' worth at 80x24: every row added costs the redraw
#: Load the next page when the cursor is this close to the last loaded row.
PAGE_AHEAD = 10

#: (sort key, header, least width): 78 columns with the cell padding, for 80x24; the name takes the rest.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "Name", 19),
    ("kind", "Kind", 9),
    ("focus", "Focus", 12),
    ("risk", "Risk", 5),
    ("last_contact", "Last", 11),
    ("next_follow_up", "Next", 10),
)
RISK_SHORT = {RiskLevel.LOW: "low", RiskLevel.MEDIUM: "med", RiskLevel.HIGH: "HIGH", RiskLevel.CRITICAL: "CRIT"}


def focus_cell(areas: tuple[FocusArea, ...]) -> str:
    if not areas:
        return "-"
    more = f" +{len(areas) - 1}" if len(areas) > 1 else ""
    return reference.short_label("focus_area", areas[0]) + more


def risk_cell(row: ContactRow) -> str:
    if row.risk is not None:
        return RISK_SHORT[row.risk]
    return "case" if row.open_cases else "-"  # an open case not yet assessed


def row_cells(row: ContactRow, discreet: bool) -> tuple[str, ...]:
    return (
        row.label(discreet),
        reference.short_label("contact_kind", row.kind),
        focus_cell(row.focus_areas),
        risk_cell(row),
        (row.last_contact_on.isoformat() if row.last_contact_on else "never") + ("!" if row.overdue else ""),
        row.next_follow_up_on.isoformat() if row.next_follow_up_on else "-",
    )


class ContactsScreen(FilteredListScreen[ContactRow, ContactFilter]):
    CSS_PATH = "contacts.tcss"
    # Short words for the footer at 80 columns; the tooltip names the action in help and the palette.
    BINDINGS = [
        Binding(
            "slash",
            "focus_filter",
            "Find",
            id="contacts.search",
            key_display="/",
            tooltip="Search contacts (filter as you type)",
        ),
        Binding("n", "new", "New", id="contacts.new", tooltip="New contact"),
        Binding("enter", "open", "Open", id="contacts.open", show=False, tooltip="Open the contact"),
        Binding("e", "edit", "Edit", id="contacts.edit", tooltip="Edit the contact"),
        Binding("i", "interaction", "Log", id="contacts.interaction", tooltip="Log an interaction"),
        Binding("f", "filters", "Filter", id="contacts.filters", tooltip="Filter by kind, focus area, risk, overdue"),
        Binding("x", "clear_filters", "Clear filters", id="contacts.clear", show=False),
        Binding("s", "sort", "Sort", id="contacts.sort", tooltip="Sort by the next column"),
        Binding("S", "reverse", "Reverse sort", id="contacts.reverse", show=False),
        Binding("l", "import_file", "Import", id="contacts.import", tooltip="Import contacts (CSV or vCard)"),
    ]
    id_prefix = list_id = "contacts"
    placeholder = "/ to search names, organisations, notes..."
    columns = tuple((header, width) for _, header, width in COLUMNS)
    page_size = PAGE_SIZE
    page_ahead = PAGE_AHEAD
    max_seek = None
    keeps_cursor = False  # a new search starts at the top; back from a contact, the cursor stays on it
    status_layout = False  # fixed sizes (contacts.tcss)

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.filter = ContactFilter()
        self.sort = "name"
        self.descending = False
        self.total = 0

    def resumed(self) -> None:
        self.reload(select=self.selected_id())  # back from a contact: the cursor stays on it

    # -- loading -------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self.shell.today()

    def fetch(self, offset: int, limit: int) -> list[ContactRow]:
        page = contact_list.read_page(
            self.shell,
            self.filter,
            today=self.today,
            sort=self.sort,
            descending=self.descending,
            discreet=self.shell.discreet,
            offset=offset,
            limit=limit,
        )
        self.total = page.total
        self.more = offset + len(page.rows) < page.total
        return page.rows

    def cells(self, rows: Sequence[ContactRow]) -> Iterable[tuple[str, ...]]:
        discreet = self.shell.discreet
        return [row_cells(row, discreet) for row in rows]

    def header_labels(self) -> list[str]:
        label = "Codename" if self.shell.discreet else "Name"
        return [
            (label if key == "name" else header) + ((" v" if self.descending else " ^") if key == self.sort else "")
            for key, header, _ in COLUMNS
        ]

    def count_text(self) -> str:
        shown = f"{self.loaded:,} of " if self.loaded < self.total else ""
        return shown + plural(self.total, "contact")

    def filters_text(self) -> str:
        described = self.filter.describe()
        return (
            f"Filters: {described} (x clears)  |  ! = overdue"
            if described
            else "f filters, s sorts, S reverses  |  ! = overdue for a check-in"
        )

    # -- filter and sort ---------------------------------------------------------------
    def action_sort(self) -> None:
        keys = [key for key, _, _ in COLUMNS]
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        # The most useful end first: highest risk, most recent contact.
        self.descending = self.sort in ("risk", "last_contact")
        self.reload()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.reload()

    def action_filters(self) -> None:
        self.app.push_screen(FilterModal(self.filter), self.refilter)

    def action_clear_filters(self) -> None:
        self.filter = ContactFilter(self.filter.query)
        self.reload()

    # -- actions on a contact -------------------------------------------------------------
    def open_row(self, key: str) -> None:
        from hrd_tui.screens.contact_detail import ContactDetailScreen

        self.app.push_screen(ContactDetailScreen(key))

    def action_new(self) -> None:
        from hrd_tui.screens.contact_form import ContactFormScreen

        self.app.push_screen(ContactFormScreen(None), self._saved)

    def action_edit(self) -> None:
        from hrd_tui.screens.contact_form import ContactFormScreen

        contact_id = self.selected_id()
        if contact_id:
            self.app.push_screen(ContactFormScreen(contact_id), self._saved)

    def _saved(self, contact_id: str | None) -> None:
        self.reload(select=self.selected_id())
        if contact_id:  # a new contact: show where it landed
            self.seek(contact_id)
            self.show_status()

    def action_interaction(self) -> None:
        from hrd_tui.screens.contact_form import InteractionModal

        contact_id = self.selected_id()
        if contact_id:
            self.app.push_screen(InteractionModal(contact_id), lambda _: self.reload(select=self.selected_id()))

    def action_import_file(self) -> None:
        from hrd_tui.screens.contact_import import ImportContactsScreen

        self.app.push_screen(ImportContactsScreen(), lambda _: self.reload())


class FilterModal(FilterChoiceModal[ContactFilter]):
    """Kind, focus area, minimum risk and overdue: one list, Enter toggles, a applies."""

    BINDINGS = [
        Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="filters.cancel"),
        Binding("a", "apply", "Apply", id="filters.apply"),
        Binding("x", "clear", "Clear all", id="filters.clear"),
    ]
    box_id, options_id = "filter-box", "filter-options"
    heading = "Filter contacts: Enter picks, a applies, x clears, Esc cancels"

    def add_options(self, options: OptionList, c: ContactFilter) -> None:
        options.add_option(check(c.overdue, "Overdue for a check-in only", "overdue"))
        options.add_option(None)
        options.add_option(radio(c.kind is None, "Any kind", "kind:"))
        for kind in ContactKind:
            options.add_option(radio(c.kind == kind, reference.label("contact_kind", kind), f"kind:{kind.value}"))
        options.add_option(None)
        options.add_option(radio(c.focus_area is None, "Any focus area", "focus:"))
        for area in FocusArea:
            options.add_option(radio(c.focus_area == area, reference.label("focus_area", area), f"focus:{area.value}"))
        options.add_option(None)
        options.add_option(radio(c.min_risk is None, "Any risk", "risk:"))
        for level in RiskLevel:
            options.add_option(
                radio(c.min_risk == level, f"Risk {level.value} or higher (open cases)", f"risk:{level.value}")
            )

    def picked(self, c: ContactFilter, group: str, value: str) -> ContactFilter:
        if group == "overdue":
            return replace(c, overdue=not c.overdue)
        if group == "kind":
            return replace(c, kind=ContactKind(value) if value else None)
        if group == "focus":
            return replace(c, focus_area=FocusArea(value) if value else None)
        if group == "risk":
            return replace(c, min_risk=RiskLevel(value) if value else None)
        return c

    def cleared(self) -> ContactFilter:
        return ContactFilter(self.choice.query)
