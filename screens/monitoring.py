"""Civic space: observations in the ten section-I categories, and their trend by month.

The list shows the day, the category, the observation and where it happened, newest
first. A location marked sensitive (the default) never shows in the list; in discreet
mode no location shows at all, and the names of the contacts an observation is linked
to are replaced by their codenames in its text. ``g`` draws the last twelve months as
a chart: one row per category, one column per month, each cell a bar scaled to the
busiest cell and its count, so it reads in 16 colours and in none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from hrd_tui.screens import attachments as attachments_screen
from hrd_tui.screens.filtered_list import FilteredListScreen
from hrd_tui.screens.forms import FORM_BINDINGS, FormScreen, choices
from hrd_tui.screens.places import Placed
from hrd_tui.screens.sections import Section
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.pick import PickModal
from hrd_tui.screens.widgets.record_form import FieldSpec, RecordForm
from hrd_tui.screens.widgets.vault_text import VaultText
from hrd_tui.services import accountability, monitoring, redaction, reference
from hrd_tui.services.monitoring import ObservationFilter, ObservationRow, Trend
from hrd_tui.vocab import CivicCategory, Credibility, Reliability

PAGE_SIZE = 100
PAGE_AHEAD = 20  # the next page loads when the cursor comes this close to the last loaded row
MAX_SEEK = 5000  # after an edit: pages loaded to find the row again, at most
#: (header, least width): 76 columns with the padding, for 80x24; the observation takes the rest.
COLUMNS = (("Date", 10), ("Category", 12), ("Observation", 30), ("Where", 11), ("Src", 3))
SHORT_WIDTH = 12
#: Labels for a 12-column cell, where the taxonomy's own (data/taxonomies.toml) are longer.
SHORT: dict[CivicCategory, str] = {
    CivicCategory.RESTRICTIONS_ON_FREEDOMS: "Freedoms",
    CivicCategory.FUNDING_REGISTRATION: "Funding/reg.",
    CivicCategory.ATTACKS_REPRISALS: "Attacks",
    CivicCategory.SPURIOUS_LEGAL_ACTION: "Legal action",
    CivicCategory.PROTECTION_REMEDY: "Protection",
    CivicCategory.SURVEILLANCE: "Surveillance",
    CivicCategory.HACKING_SEIZURE: "Hacking",
    CivicCategory.DIALOGUE: "Dialogue",
    CivicCategory.PUBLIC_PARTICIPATION: "Public part.",
    CivicCategory.BUSINESS_CONDUCT: "Business",
}
#: What p cycles through: (label, days back, today included; None = all). Every period rolls
#: back from today, and says so: "last 365 days", not "12 months" that read as since 1 January.
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("all dates", None),
    ("last 30 days", 30),
    ("last 90 days", 90),
    ("last 365 days", 365),
)
SENSITIVE = "(sensitive)"
HIDDEN = "(hidden)"


def category_short(category: CivicCategory) -> str:
    label = reference.short_label("civic_category", category)
    return label if len(label) <= SHORT_WIDTH else SHORT[category]


def period_start(index: int, today: date) -> date | None:
    days = PERIODS[index][1]
    if days is None:
        return None
    return today - timedelta(days=days - 1)


def discreet_text(row: ObservationRow, discreet: bool) -> Callable[[str], str]:
    """The text with the linked contacts' names as their codenames (discreet mode)."""
    return redaction.as_codenames(row.people if discreet else ())


def where_cell(row: ObservationRow, discreet: bool) -> str:
    if not row.location:
        return "-"
    if discreet:
        return HIDDEN
    return SENSITIVE if row.location_sensitive else row.location


class MonitoringScreen(FilteredListScreen[ObservationRow, ObservationFilter]):
    CSS_PATH = "monitoring.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "focus_filter",
            "Find",
            id="monitoring.search",
            key_display="/",
            tooltip="Search observations (their text, and the contacts they are about)",
        ),
        Binding("n", "new", "New", id="monitoring.new", tooltip="New observation"),
        Binding("f", "category", "Category", id="monitoring.category", tooltip="Show one category of observation"),
        Binding(
            "p",
            "period",
            "Period",
            id="monitoring.period",
            tooltip="Period: the last 30, 90 or 365 days, or all dates (p again: the next)",
        ),
        Binding("x", "clear", "Clear", id="monitoring.clear", tooltip="Clear the search, category and period"),
        Binding("g", "trend", "Trend", id="monitoring.trend", tooltip="Observations per category per month (chart)"),
        Binding("e", "edit", "Edit", id="monitoring.edit", show=False, tooltip="Edit the observation"),
        Binding(
            "b",
            "accountability",
            "Accountability",
            id="monitoring.accountability",
            show=False,
            tooltip="After an attack: complaint, investigation, charges, conviction, remedy (the selected observation)",
        ),
        Binding(
            "h",
            "changes",
            "Changes",
            id="monitoring.changes",
            show=False,
            tooltip="What changed in this observation's record",
        ),
        attachments_screen.binding("monitoring"),
    ]
    id_prefix, list_id = "monitoring", "observations"
    placeholder = "/ to search observations..."
    columns = COLUMNS
    flex = 2
    noun = "observation"
    page_size, page_ahead, max_seek = PAGE_SIZE, PAGE_AHEAD, MAX_SEEK

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.filter = ObservationFilter()
        self.period = 0

    def compose_below(self) -> ComposeResult:
        yield VaultText("", id="monitoring-detail")

    # -- loading: a page at a time ------------------------------------------------------------
    def fetch(self, offset: int, limit: int) -> list[ObservationRow]:
        return self.page_of(
            monitoring.read_observations(self.shell, self.filter, offset=offset, limit=limit + 1), limit
        )

    def cells(self, rows: Sequence[ObservationRow]) -> Iterable[tuple[str, ...]]:
        discreet = self.shell.discreet
        return [
            (
                str(row.observed_on),
                category_short(row.category),
                discreet_text(row, discreet)(row.description),
                where_cell(row, discreet),
                str(row.sources) if row.sources else "-",
            )
            for row in rows
        ]

    def highlighted(self, key: str | None) -> None:
        self._show_detail(key)

    def _show_detail(self, key: str | None) -> None:
        """The highlighted observation in full: its text, where, who it is about, sources."""
        detail = self.query_one("#monitoring-detail", VaultText)
        row = self.rows.get(key or "")
        if row is None:
            detail.set_text("No observation here yet: n records one." if not self.loaded else "")
            return
        discreet = self.shell.discreet
        if not row.location:
            where = "Where: -"
        elif discreet:
            where = "Where: hidden in discreet mode"
        elif row.location_sensitive:
            where = f"Where (sensitive, never in reports): {row.location}"
        else:
            where = f"Where: {row.location}"
        people = [codename if discreet else f"{name} ({codename})" for name, codename in row.people]
        others = row.links - len(row.people)
        about = ", ".join(people + ([f"{others} case or trial link{'s' if others != 1 else ''}"] if others else []))
        detail.set_text(
            "\n".join(
                [
                    f"{where}  |  Sources: {row.sources}  |  About: {about or '-'}",
                ]
                # Before the text, which may run past the pane's five lines.
                + self._attachments_lines(row, discreet)
                + [
                    f"{reference.label('civic_category', row.category)}: {discreet_text(row, discreet)(row.description)}"
                ]
                + self._accountability_line(row)
            )
        )

    def _accountability_line(self, row: ObservationRow) -> list[str]:
        """For an attack, where accountability stands (b records its steps)."""
        if not accountability.is_attack_observation(row.category):
            return []
        view = accountability.read_accountability(self.shell, observation_id=row.id, discreet=self.shell.discreet)
        late = "  LATE: no investigation" if view.late(self.shell.today()) else ""
        return [f"After the attack (b): {view.state}{late}"]

    def _attachments_lines(self, row: ObservationRow, discreet: bool) -> list[str]:
        """The observation's evidence files in one line, when it has any (A lists them in full)."""
        line = attachments_screen.summary_line(self.shell, "observation", row.id, discreet)
        return [line] if line else []

    def filters_text(self) -> str:
        f = self.filter
        parts = [category_short(f.category) if f.category else "every category", PERIODS[self.period][0]]
        if f.start is not None:
            parts[-1] += f" (since {f.start})"
        return (
            "Showing: " + ", ".join(parts) + ("   (x clears)" if f.active or f.query else "   (f category, p period)")
        )

    # -- filters ----------------------------------------------------------------------------------
    def action_category(self) -> None:
        current = self.filter.category
        labels = [f"{'(*)' if current is None else '( )'} Every category"] + [
            f"{'(*)' if current == c else '( )'} {reference.label('civic_category', c)}" for c in CivicCategory
        ]

        def chosen(index: int | None) -> None:
            if index is not None:
                self.filter = replace(self.filter, category=None if index == 0 else list(CivicCategory)[index - 1])
                self.reload()

        self.app.push_screen(PickModal("Show which category?", labels), chosen)

    def action_period(self) -> None:
        self.period = (self.period + 1) % len(PERIODS)
        self.filter = replace(self.filter, start=period_start(self.period, self.shell.today()))
        self.reload()

    def action_clear(self) -> None:
        self.period = 0
        self.start_over(ObservationFilter())

    # -- recording and the trend -------------------------------------------------------------------
    def _saved(self, observation_id: str | None) -> None:
        self.reload(select=observation_id)

    def action_new(self) -> None:
        self.app.push_screen(ObservationFormScreen(None), self._saved)

    def open_row(self, key: str) -> None:
        self.app.push_screen(ObservationFormScreen(key), self._saved)

    def action_edit(self) -> None:
        key = self.selected_id()
        if key:
            self.open_row(key)

    def action_accountability(self) -> None:
        from hrd_tui.screens.accountability import AccountabilityScreen

        key = self.selected_id()
        if key:
            self.app.push_screen(AccountabilityScreen("observation", key))

    def action_attachments(self) -> None:
        attachments_screen.open_attachments(self, "observation", self.selected_id())

    def action_trend(self) -> None:
        self.app.push_screen(TrendScreen())

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        key = self.selected_id()
        if key:
            self.app.push_screen(
                ChangesScreen(monitoring.CHANGES_RECORD, key, monitoring.changes_label, OBSERVATION_FREE_TEXT)
            )


#: Observation fields that can name people or places: hidden in the changes view in discreet mode.
OBSERVATION_FREE_TEXT = frozenset({"description", "location", "links"})


# -- the form -----------------------------------------------------------------------------------
class ObservationFormScreen(FormScreen):
    """A new observation, or an edit: what, when, where (sensitive unless said otherwise),
    who it is about (codenames or names; F3 finds), and a source with its ratings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *FORM_BINDINGS,
        Binding("f3,ctrl+f", "find_contact", "Find contact", id="observation_form.find", key_display="f3 ^f"),
    ]
    masked_when_discreet = ("location",)

    def __init__(self, observation_id: str | None) -> None:
        super().__init__(classes="form-screen")
        self.observation_id = observation_id
        self.editing = observation_id is not None
        self.title_text = "Edit observation" if observation_id else "New observation"
        self.draft_prefix = f"observation:{observation_id or 'new'}"

    def specs(self) -> list[FieldSpec]:
        source = "Add a source" if self.editing else "Source"
        return [
            FieldSpec(
                "category", "Category (section I)", "choice", choices("civic_category", CivicCategory), required=True
            ),
            FieldSpec("description", "What was observed", "long", required=True, draft=True),
            FieldSpec(
                "observed_on",
                "Observed on",
                "date",
                required=True,
                placeholder="YYYY-MM-DD, today or -N days",
                errors_from=("sources.*.received_on",),
            ),
            FieldSpec("location", "Where", draft=True),
            FieldSpec("location_sensitive", "The location is sensitive (never in reports)", "bool"),
            FieldSpec(
                "contacts",
                "About: contacts by codename or name, comma-separated (F3 finds)",
                "list",
                draft=True,
                errors_from=("contacts", "links.*.contact_id"),
            ),
            FieldSpec(
                "cases",
                "Threat cases: id (as reports cite it), title words or a defender's codename; comma-separated",
                "list",
                draft=True,
                errors_from=("cases", "links.*.case_id"),
            ),
            FieldSpec(
                "trials",
                "Trials: case number, id or title words; comma-separated",
                "list",
                draft=True,
                errors_from=("trials", "links.*.trial_id"),
            ),
            FieldSpec("links", "Web links, comma-separated", "list"),
            FieldSpec(
                "source_description",
                f"{source} (optional): who or what, and what they said",
                draft=True,
                errors_from=("sources.*.description",),
            ),
            FieldSpec(
                "source_reliability",
                "Reliability of the source",
                "choice",
                choices("reliability", Reliability),
                required=True,
                errors_from=("sources.*.reliability",),
            ),
            FieldSpec(
                "source_credibility",
                "Credibility of the information",
                "choice",
                choices("credibility", Credibility),
                required=True,
                errors_from=("sources.*.credibility",),
            ),
        ]

    def initial_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "source_reliability": Reliability.F.value,
            "source_credibility": Credibility.CANNOT_JUDGE.value,
        }
        if self.observation_id is None:
            return {**values, "observed_on": self.shell.today(), "location_sensitive": True}
        form = monitoring.observation_form(self.shell, self.observation_id)
        values.update(form.values)
        count = form.sources
        self.title_text = f"Edit observation, {count} source{'s' if count != 1 else ''} so far"
        return values

    def on_mount(self) -> None:
        # The title is drawn before initial_values() counts the sources (FormScreen.compose).
        self.query_one("#form-title", Static).update(f"{self.title_text}  (Enter or F2 saves, Tab moves, Esc leaves)")

    def _source(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        """The source typed in, if any: its ratings are read as shown (an edit returns
        only changed fields)."""
        form = self.query_one(RecordForm)
        for name in ("source_description", "source_reliability", "source_credibility"):
            values.pop(name, None)
        description = form.raw("source_description").strip()
        if not description:
            return []
        return [
            {
                "description": description,
                "reliability": form.raw("source_reliability"),
                "credibility": form.raw("source_credibility"),
            }
        ]

    def save(self, values: dict[str, Any]) -> str:
        sources = self._source(values)
        return monitoring.save_observation(self.shell, self.observation_id, values, sources, today=self.shell.today())

    def _add_contact(self, codename: str | None) -> None:
        if not codename:
            return
        field = self.query_one("#field-contacts", Input)
        present = [p.strip() for p in field.value.split(",") if p.strip()]
        if codename not in present:
            field.value = ", ".join([*present, codename])
        field.focus()

    def action_find_contact(self) -> None:
        from hrd_tui.screens.contact_pick import ContactPickModal

        self.app.push_screen(ContactPickModal("Who is it about?"), self._add_contact)


# -- the trend ----------------------------------------------------------------------------------
BLOCKS = " ▁▂▃▄▅▆▇█"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CELL = 5  # " ▅ 12": a space, the bar, the count in three
TOTAL = 6
NONE_MARK = "·"
BAR_STYLE = "$primary"


def bar(count: int, peak: int) -> str:
    """The block for ``count`` against ``peak``: never empty for a count above zero."""
    if count <= 0 or peak <= 0:
        return " "
    return BLOCKS[max(1, min(8, -(-count * 8 // peak)))]


def count_text(count: int) -> str:
    return str(count) if count < 1000 else f"{count // 1000}k+"


def trend_chart(t: Trend) -> Content:
    """Rows of categories, columns of months, a total row and a total column: 78 cells wide
    for twelve months, readable without colour (the bars and the numbers say it all)."""
    parts: list[str | tuple[str, str]] = []

    def cells(counts: list[int], peak: int, style: str) -> None:
        for count in counts:
            if count:
                parts.extend([" ", (bar(count, peak), BAR_STYLE), (count_text(count).rjust(CELL - 2), style)])
            else:
                parts.append((" " * (CELL - 1) + NONE_MARK, "dim"))

    years = "".join(str(m.year).rjust(CELL) if n == 0 or m.month == 1 else " " * CELL for n, m in enumerate(t.months))
    parts += [" " * SHORT_WIDTH + years, "\n"]
    months = "".join(MONTHS[m.month - 1].rjust(CELL) for m in t.months)
    parts += [("Category".ljust(SHORT_WIDTH) + months + "Total".rjust(TOTAL), "bold"), "\n"]
    totals = t.category_totals
    for category, counts in t.counts.items():
        parts.append((category_short(category).ljust(SHORT_WIDTH), "" if totals[category] else "dim"))
        cells(counts, t.peak, "")
        parts += [(str(totals[category]).rjust(TOTAL), "bold"), "\n"]
    parts += ["─" * (SHORT_WIDTH + CELL * len(t.months) + TOTAL), "\n"]
    parts.append(("All".ljust(SHORT_WIDTH), "bold"))
    cells(t.month_totals, max(t.month_totals, default=0), "bold")
    parts.append((str(t.total).rjust(TOTAL), "bold"))
    return Content.assemble(*parts)


def trend_legend(t: Trend) -> str:
    if not t.total:
        return "No observation in these months yet. Esc goes back."
    legend = (
        f"Bars: each count against the largest ({BLOCKS[-1]} = {t.peak}; All: {max(t.month_totals)}); {NONE_MARK} none."
    )
    most = max(t.category_totals.values())
    busiest = [c for c, n in t.category_totals.items() if n == most]
    if len(busiest) == 1:  # a tie names no category: none of them stands out
        legend += f" Most observed: {reference.label('civic_category', busiest[0])} ({most})."
    return legend


class TrendScreen(Placed, ShellAccess, Screen[None]):
    """Observations per category per month over the last twelve months, drawn."""

    CSS_PATH = "monitoring.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,left,ctrl+g,g", "back", "Back", id="trend.back", priority=True, key_display="esc"),
    ]

    def __init__(self, months: int = 12) -> None:
        super().__init__(classes="trend")
        self.months = months
        self.trend: Trend | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="trend-title", markup=False)
        with VerticalScroll(id="trend-body"):
            yield Static("", id="trend-chart", markup=False)
            yield Static("", id="trend-legend", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.shell.locked:
            return
        self.trend = t = monitoring.read_trend(self.shell, self.shell.today(), self.months)
        first, last = t.months[0], t.months[-1]
        self.query_one("#trend-title", Static).update(
            f"Civic-space observations per month, {MONTHS[first.month - 1]} {first.year} to "
            f"{MONTHS[last.month - 1]} {last.year}: {t.total} in all"
        )
        self.query_one("#trend-chart", Static).update(trend_chart(t))
        self.query_one("#trend-legend", Static).update(trend_legend(t))
        self.query_one("#trend-body").focus()

    def action_back(self) -> None:
        self.app.pop_screen()
