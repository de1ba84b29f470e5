"""Active threats: the case list, and a case with everything done for the defender.

The list is ordered by urgency, then risk, then last activity; an emergency is
marked in words and signs (``!! EMERGENCY``), not by colour alone. A case shows
the consent it rests on before anything else, because acting for a defender
without their consent can itself endanger them.

In discreet mode a case is named by its defenders' codenames, and every name of
its defenders inside free text (summary, notes, timeline) is replaced by the
codename.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static

from hrd_tui.sanitize import plural
from hrd_tui.screens import attachments as attachments_screen
from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.case_forms import (
    ActionModal,
    AnalysisFormScreen,
    CaseFormScreen,
    CloseModal,
    CoordinationModal,
    EventModal,
    FeedbackModal,
    ReferralFormScreen,
    RiskFormScreen,
    SourceModal,
    consent_lines,
)
from hrd_tui.screens.demarches import CASE, DemarchesScreen, demarches_text
from hrd_tui.screens.filtered_list import FilterChoiceModal, FilteredListScreen, check, radio
from hrd_tui.screens.places import Placed
from hrd_tui.screens.sections import Section
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.pick import PickModal
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import (
    accountability,
    base,
    case_list,
    consent,
    mechanisms,
    plan,
    redaction,
    reference,
    risk,
    threats,
)
from hrd_tui.services.case_list import CaseFilter, CaseRow
from hrd_tui.vocab import (
    DEFAULT_ACTION_SCOPE,
    MECHANISM_PURPOSES,
    ActionStatus,
    CaseStatus,
    FocusArea,
    Perpetrator,
    ReferralStatus,
    ThreatType,
    Urgency,
)

PAGE_SIZE = 100
PAGE_AHEAD = 20  # the next page loads when the cursor comes this close to the last loaded row
MAX_SEEK = 5000  # back from a case: pages loaded to find it again, at most
#: (header, least width): 76 columns with the padding, for 80x24; the case's title takes the rest.
COLUMNS = (("Urgency", 12), ("Case", 20), ("Risk", 8), ("Status", 10), ("Last", 5), ("Next due", 11))


def urgency_cell(urgency: Urgency) -> str:
    """Words and signs, so an emergency stands out in 16 colours and in none."""
    mark = case_list.urgency_mark(urgency)
    label = "EMERGENCY" if urgency == Urgency.EMERGENCY else reference.label("urgency", urgency).lower()
    return f"{mark} {label}".strip() if mark else f"   {label}"


def case_cell(row: CaseRow, discreet: bool) -> str:
    if not discreet:
        return row.title
    return "Case of " + (", ".join(codename for _, codename in row.defenders) or "(no defender)")


def ago(moment: datetime, today: date) -> str:
    days = (today - moment.astimezone().date()).days
    if days <= 0:
        return "today"
    return f"{days}d" if days < 100 else f"{days // 30}mo"


def due_cell(row: CaseRow) -> str:
    if row.next_due is None:
        return "-"
    return ("!" if row.overdue_actions else " ") + row.next_due.isoformat()


class ThreatsScreen(FilteredListScreen[CaseRow, CaseFilter]):
    CSS_PATH = "threats.tcss"
    BINDINGS = [
        Binding(
            "slash",
            "focus_filter",
            "Find",
            id="threats.search",
            key_display="/",
            tooltip="Search cases (titles, summaries, outcomes, defenders)",
        ),
        Binding("n", "new", "New case", id="threats.new", tooltip="New threat case"),
        Binding("f", "filters", "Filters", id="threats.filters", tooltip="Filter cases by status, urgency, threat..."),
        Binding("x", "clear", "Clear", id="threats.clear", tooltip="Clear the search and filters"),
        Binding("enter", "open", "Open", id="threats.open", show=False, tooltip="Open the case"),
        Binding(
            "p",
            "plan",
            "Plan",
            id="threats.plan",
            show=False,
            tooltip="Case plan: the owners and due days new cases plan their actions with",
        ),
        Binding(
            "u",
            "resources",
            "Resources",
            id="threats.resources",
            show=False,
            tooltip="Resources: the guidelines' list and the post's own",
        ),
    ]
    id_prefix = list_id = "threats"
    placeholder = "/ to search cases and defenders..."
    columns = COLUMNS
    flex = 1
    noun = "case"
    page_size, page_ahead, max_seek = PAGE_SIZE, PAGE_AHEAD, MAX_SEEK

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.filter = CaseFilter()

    def fetch(self, offset: int, limit: int) -> list[CaseRow]:
        return self.page_of(
            case_list.read_cases(self.shell, self.filter, today=self.shell.today(), offset=offset, limit=limit + 1),
            limit,
        )

    def cells(self, rows: Sequence[CaseRow]) -> Iterable[tuple[str, ...]]:
        discreet = self.shell.discreet
        day = self.shell.today()
        return [
            (
                urgency_cell(row.urgency),
                case_cell(row, discreet),
                reference.label("risk_level", row.risk).lower() if row.risk else "not yet",
                reference.short_label("case_status", row.status),
                ago(row.last_activity, day),
                due_cell(row),
            )
            for row in rows
        ]

    def filters_text(self) -> str:
        f = self.filter
        parts = [
            "all statuses"
            if f.include_closed and f.status is None
            else reference.label("case_status", f.status).lower()
            if f.status
            else "open cases"
        ]
        for vocabulary, value in (
            ("urgency", f.urgency),
            ("threat_type", f.threat_type),
            ("perpetrator", f.perpetrator),
            ("focus_area", f.focus_area),
        ):
            if value is not None:
                parts.append(reference.label(vocabulary, value).lower())
        return "Showing: " + ", ".join(parts) + "   (f filters, x clears)"

    def open_row(self, key: str) -> None:
        self.app.push_screen(CaseScreen(key))

    def action_new(self) -> None:
        self.app.push_screen(
            CaseFormScreen(None), lambda case_id: case_id and self.app.push_screen(CaseScreen(case_id))
        )

    def action_filters(self) -> None:
        def chosen(flt: CaseFilter | None) -> None:
            self.refilter(None if flt is None else replace(flt, query=self.filter.query))

        self.app.push_screen(CaseFilterModal(self.filter), chosen)

    def action_clear(self) -> None:
        self.start_over(CaseFilter())

    def action_plan(self) -> None:
        from hrd_tui.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen())

    def action_resources(self) -> None:
        from hrd_tui.screens.resources import ResourcesScreen

        self.app.push_screen(ResourcesScreen())


class CaseFilterModal(FilterChoiceModal[CaseFilter]):
    """Status, urgency, threat type, perpetrator, focus area: one list, Enter picks, a applies."""

    CSS_PATH = "threats.tcss"
    BINDINGS = [
        Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="case_filters.cancel"),
        Binding("a", "apply", "Apply", id="case_filters.apply"),
        Binding("x", "clear", "Clear all", id="case_filters.clear"),
    ]
    box_id, options_id = "case-filter-box", "case-filter-options"
    heading = "Filter cases: Enter picks, a applies, x clears, Esc cancels"

    def add_options(self, options: OptionList, c: CaseFilter) -> None:
        def group(name: str, current: object, vocabulary: str, values: list[object], any_label: str) -> None:
            options.add_option(radio(current is None, any_label, f"{name}:"))
            for value in values:
                options.add_option(radio(current == value, reference.label(vocabulary, str(value)), f"{name}:{value}"))
            options.add_option(None)

        status_any = "Every status, closed included" if c.include_closed else "Open cases (not closed)"
        options.add_option(check(c.include_closed, "Include closed cases", "closed"))
        group("status", c.status, "case_status", list(CaseStatus), status_any)
        group("urgency", c.urgency, "urgency", list(Urgency), "Any urgency")
        group("threat", c.threat_type, "threat_type", list(ThreatType), "Any threat type")
        group("perpetrator", c.perpetrator, "perpetrator", list(Perpetrator), "Any perpetrator")
        group("focus", c.focus_area, "focus_area", list(FocusArea), "Any focus area of the defender")

    def picked(self, c: CaseFilter, name: str, value: str) -> CaseFilter:
        if name == "closed":
            return replace(c, include_closed=not c.include_closed)
        field, kind = {
            "status": ("status", CaseStatus),
            "urgency": ("urgency", Urgency),
            "threat": ("threat_type", ThreatType),
            "perpetrator": ("perpetrator", Perpetrator),
            "focus": ("focus_area", FocusArea),
        }[name]
        chosen: dict[str, Any] = {field: kind(value) if value else None}
        return replace(c, **chosen)

    def cleared(self) -> CaseFilter:
        return CaseFilter()


#: Case fields whose text often names people: hidden in the changes view in discreet mode.
CASE_FREE_TEXT = frozenset({"title", "summary", "outcome", "perpetrator_note"})
ACTION_MARK = {
    ActionStatus.PLANNED: "[ ]",
    ActionStatus.DOING: "[~]",
    ActionStatus.DONE: "[x]",
    ActionStatus.NOT_APPLICABLE: "[-]",
}
#: What space moves an action on to (the service's rule).
NEXT_STATUS = threats.NEXT_STATUS


class CaseScreen(Placed, ShellAccess, Screen[None]):
    """One case. The tables (actions, referrals, sources, analyses) take Enter to edit
    their row; Tab moves between them; the keys in the footer add to the case.

    The case reads top to bottom like a page: Home, End, PageUp and PageDown move the page
    even from inside a table (its rows keep the arrows), and v jumps to the timeline."""

    CSS_PATH = "threats.tcss"
    BINDINGS = [
        Binding("g", "risk", "Risk", id="case.risk", tooltip="Risk worksheet: reassess the risk"),
        Binding("n", "event", "Event", id="case.event", tooltip="Add a timeline event in one line"),
        Binding("l", "action", "Action", id="case.action", tooltip="Add an action"),
        Binding(
            "space",
            "advance",
            "Move on",
            id="case.advance",
            tooltip="Move the selected action on: planned, doing, done",
        ),
        Binding("f", "referral", "Referral", id="case.referral", tooltip="Refer to a protection or emergency resource"),
        # The footer keeps 80 columns for the keys above; these are in F1, the palette and the headings.
        Binding("s", "source", "Source", id="case.source", show=False, tooltip="Add a source with its ratings"),
        Binding(
            "p",
            "consent",
            "Consent",
            id="case.consent",
            show=False,
            tooltip="Record a defender's consent for a kind of action (the selected action's first)",
        ),
        Binding("y", "analysis", "Analysis", id="case.analysis", tooltip="Analyse a threat in five steps", show=False),
        Binding(
            "j",
            "coordination",
            "Missions",
            id="case.coordination",
            show=False,
            tooltip="Coordination with like-minded missions",
        ),
        Binding("u", "feedback", "Told", id="case.feedback", show=False, tooltip="Record what the defender was told"),
        Binding(
            "i",
            "demarches",
            "Démarches",
            id="case.demarches",
            show=False,
            tooltip="Démarches and meetings with officials about this case: log, correct, unlink",
        ),
        Binding(
            "b",
            "accountability",
            "Accountability",
            id="case.accountability",
            show=False,
            tooltip="After the attack: complaint, investigation, charges, conviction, remedy",
        ),
        Binding("e", "edit", "Edit", id="case.edit", show=False, tooltip="Edit the case"),
        Binding(
            "x", "close", "Close", id="case.close", show=False, tooltip="Close the case with its outcome (or reopen it)"
        ),
        Binding("h", "changes", "Changes", id="case.changes", show=False, tooltip="What changed in this case's record"),
        attachments_screen.binding("case"),
        Binding("escape,left,ctrl+g", "back", "Back", id="case.back", priority=True, key_display="esc"),
        Binding(
            "v",
            "timeline",
            "Timeline",
            id="case.timeline",
            show=False,
            tooltip="Jump to the timeline at the bottom of the case",
        ),
        # Before the tables' own: in a case these move the page, not a table's cursor.
        Binding("home", "page('home')", "Top", id="case.top", show=False, priority=True, tooltip="Top of the case"),
        Binding(
            "end",
            "page('end')",
            "Bottom",
            id="case.bottom",
            show=False,
            priority=True,
            tooltip="Bottom of the case (the timeline)",
        ),
        Binding("pageup", "page('up')", "Page up", id="case.page_up", show=False, priority=True),
        Binding("pagedown", "page('down')", "Page down", id="case.page_down", show=False, priority=True),
    ]

    def __init__(self, case_id: str) -> None:
        super().__init__(classes="case")
        self.case_id = case_id
        self.closed = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="case-title", single_line=True)
        yield VaultText("", id="case-warning")
        with VerticalScroll(id="case-body"):
            yield VaultText("", id="case-facts")
            yield Static("Consent for each kind of action (p records it)", classes="case-heading", markup=False)
            yield VaultText("", id="case-consent")
            yield Static("Risk (g reassesses)", classes="case-heading", markup=False)
            yield VaultText("", id="case-risk")
            yield Static("Actions (Enter edits, space moves on, l adds)", classes="case-heading", markup=False)
            # At least 76 columns with the padding (80x24); the action, the resource take the rest.
            yield fixed_table(
                "case-actions", [("", 3), ("Action", 23), ("Owner", 6), ("Due", 15), ("Consent", 18)], flex=1
            )
            yield VaultText("", id="case-action-detail")
            yield Static(plan.PLAN_NOTE, id="case-plan-note", markup=False)
            yield Static("Referrals (Enter edits, f adds)", classes="case-heading", markup=False)
            yield fixed_table(
                "case-referrals",
                [("Resource", 11), ("For", 10), ("Status", 12), ("Amounts", 9), ("Answer due", 15), ("Gate", 7)],
                flex=0,
            )
            yield Static("Sources (Enter edits, s adds)", classes="case-heading", markup=False)
            yield VaultText("", id="case-source-warning")
            yield fixed_table("case-sources", [("Received", 10), ("Rating", 6), ("Source", 54)])
            yield Static("Threat analysis, five steps (Enter edits, y adds)", classes="case-heading", markup=False)
            yield fixed_table("case-analyses", [("Threat", 20), ("Facts", 52)])
            yield Static("Like-minded missions (j adds)", classes="case-heading", markup=False)
            yield VaultText("", id="case-coordination")
            yield Static("What the defender was told (u records)", classes="case-heading", markup=False)
            yield VaultText("", id="case-feedback")
            yield Static("Démarches and meetings with officials (i)", classes="case-heading", markup=False)
            yield VaultText("", id="case-demarches")
            yield Static("After the attack: accountability (b records)", classes="case-heading", markup=False)
            yield VaultText("", id="case-accountability")
            yield Static(attachments_screen.HEADING, classes="case-heading", markup=False)
            yield VaultText("", id="case-attachments")
            yield Static(
                "Timeline, newest first (n adds an event; v jumps here)",
                id="case-timeline-heading",
                classes="case-heading",
                markup=False,
            )
            yield VaultText("", id="case-timeline")
            yield VaultText("", id="case-id")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show)
        # The top of the case first; tab goes to the actions (and shows them) before space can move one.
        self.query_one("#case-body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space moves an action on only when the actions are in front of the officer."""
        if action == "advance":
            return self.query_one("#case-actions", DataTable).has_focus or None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        self.show(self.shell.discreet)

    # -- showing ---------------------------------------------------------------------------
    def show(self, discreet: bool) -> None:
        if self.shell.locked:
            return
        day = self.shell.today()
        d = threats.read_case(self.shell, self.case_id, today=day)
        consent = consent_lines(d.consents, discreet)
        self.closed = d.status == CaseStatus.CLOSED
        # Names of the people of the case inside free text become codenames in discreet mode.
        text = self._discreet_text(d.people if discreet else ())
        mark = urgency_cell(d.urgency).strip()
        self.query_one("#case-title", VaultText).set_text(f"{mark} | {d.label(discreet=discreet)}")
        self._show_warning(d, day)
        self.query_one("#case-facts", VaultText).set_text(self._facts(d, discreet, text))
        self.query_one("#case-id", VaultText).set_text(base.id_line(d.id))
        self.query_one("#case-consent", VaultText).set_text(consent or "-")
        self.query_one("#case-risk", VaultText).set_text(self._risk(d, day, text))
        self._fill(
            "#case-actions",
            [
                (
                    a.id,
                    ACTION_MARK[a.status],
                    text(a.title),
                    a.owner or "-",
                    (str(a.due_on) if a.due_on else "-") + (" LATE" if a.overdue else ""),
                    self._gate(a),
                )
                for a in d.actions
            ],
            "No actions.",
        )
        self._fill(
            "#case-referrals",
            [
                (
                    r.id,
                    r.resource,
                    reference.short_label("referral_purpose", r.purpose),
                    self._referral_status(r),
                    "no money"
                    if r.purpose in MECHANISM_PURPOSES
                    else self._amounts(r.amount_requested, r.amount_granted),
                    self._answer_due(r.answer_due, day),
                    self._referral_gate(r),
                )
                for r in d.referrals
            ],
            "No referrals.",
        )
        warning = d.source_warning
        self.query_one("#case-source-warning", VaultText).set_text(f"! {warning}" if warning else "")
        self.query_one("#case-source-warning", VaultText).display = bool(warning)
        self._fill(
            "#case-sources",
            [(s.id, str(s.received_on), s.rating, text(s.description)) for s in d.sources],
            "No sources.",
        )
        self._fill(
            "#case-analyses",
            [
                (
                    a.id,
                    reference.label("threat_type", a.threat_type) if a.threat_type else "(general)",
                    text(a.facts) or "-",
                )
                for a in d.analyses
            ],
            "Not analysed yet (y).",
        )
        self.query_one("#case-coordination", VaultText).set_text(
            "\n".join(
                f"{x.on_date}  {reference.label('coordination_kind', x.kind)}: {text(x.missions)}"
                + (f" — {text(x.role)}" if x.role else "")
                for x in d.coordination
            )
            or "None yet."
        )
        self.query_one("#case-feedback", VaultText).set_text(
            "\n".join(f"{f.told_on}  {text(f.what)}" + (f" ({text(f.how)})" if f.how else "") for f in d.feedback)
            or "Nothing recorded: tell the defender what was done, and record it (u)."
        )
        self.query_one("#case-timeline", VaultText).set_text(
            "\n".join(f"{e.occurred_at.astimezone():%Y-%m-%d %H:%M}  {text(e.text)}" for e in d.timeline) or "-"
        )
        self.query_one("#case-demarches", VaultText).set_text(demarches_text(self.shell, CASE, self.case_id, discreet))
        self._show_accountability(day, discreet)
        self.query_one("#case-attachments", VaultText).set_text(
            attachments_screen.section_text(self.shell, "case", self.case_id, discreet)
        )

    def _show_accountability(self, day: date, discreet: bool) -> None:
        """The state after the attack in words, and LATE when no investigation came in time."""
        view = accountability.read_accountability(self.shell, case_id=self.case_id, discreet=discreet)
        n = len(view.steps)
        lines = [view.state + (f"; {n} step{'s' if n != 1 else ''} (b shows them)." if n else ".")]
        if view.late(day):
            lines.append(f"LATE: an attack with no investigation recorded {view.days} days or more after.")
        elif not view.is_attack and not view.steps:
            lines = ["Not an attack by the app's definition; b records steps all the same."]
        self.query_one("#case-accountability", VaultText).set_text("\n".join(lines))

    @staticmethod
    def _discreet_text(people: Sequence[threats.Person]) -> Callable[[str], str]:
        """Free text with these people's names as their codenames (none: as written)."""
        return redaction.as_codenames([(p.name, p.codename) for p in people])

    def _show_warning(self, d: threats.CaseView, day: date) -> None:
        """What must not be missed, above everything: missing consent, stale risk."""
        lines = []
        blocked = [a for a in d.actions if a.status in threats.OPEN_ACTION and a.gate == "needs consent"]
        if d.status != CaseStatus.CLOSED and blocked:
            held = {e.person.id for e in d.consents if e.granted}
            if any(p.id not in held for p in d.defenders):
                lines.append(
                    "NO CONSENT on record to act for every defender: on-behalf actions need it, "
                    "or an emergency justification."
                )
            states = sorted({a.consent for a in blocked})
            lines.append(
                f"{plural(len(blocked), 'open action')} without the consent its kind needs "
                f"({', '.join(states)}): they cannot start or finish."
            )
        latest = d.latest
        if d.status != CaseStatus.CLOSED:
            if latest is None:
                lines.append("Risk NOT ASSESSED yet: g opens the risk worksheet.")
            elif (day - latest.assessed_on).days > threats.REASSESS_DAYS:
                lines.append(f"Risk last assessed {(day - latest.assessed_on).days} days ago: reassess (g).")
            if latest is not None and (now := self._under_current_rule(latest)):
                lines.append(now)
        if d.status == CaseStatus.CLOSED:
            lines.append(f"CLOSED on {d.closed_on} (x reopens).")
        warning = self.query_one("#case-warning", VaultText)
        warning.set_text("\n".join(lines))
        warning.display = bool(lines)

    @staticmethod
    def _under_current_rule(latest: threats.AssessmentView) -> str:
        """One line when the latest assessment was made under an earlier risk rule and the
        current one would give another level (its own level stays as it was given)."""
        now = risk.rule_change(
            latest.risk_level, latest.threat, latest.vulnerability, latest.capacity, latest.rule_version
        )
        if now is None:
            return ""
        return (
            f"The latest assessment ({reference.label('risk_level', latest.risk_level).upper()}) was made under "
            f"the earlier risk rule; it would now be {reference.label('risk_level', now).upper()}: reassess (g)."
        )

    @staticmethod
    def _facts(d: threats.CaseView, discreet: bool, text: Callable[[str], str]) -> str:
        c = d
        people = ", ".join(p.codename if discreet else f"{p.name} ({p.codename})" for p in d.defenders) or "-"
        types = ", ".join(reference.label("threat_type", t) for t in d.threat_types) or "-"
        lines = [
            f"Status: {reference.label('case_status', c.status)}    Urgency: {reference.label('urgency', c.urgency)}"
            f"    Opened: {c.opened_on}" + (f"    Closed: {c.closed_on}" if c.closed_on else ""),
            f"Defenders: {people}",
            f"Threats: {types}",
            f"Alleged perpetrator: {reference.label('perpetrator', c.perpetrator)}"
            + (f" ({text(c.perpetrator_note)})" if c.perpetrator_note else ""),
        ]
        if c.summary:
            lines += ["", text(c.summary)]
        if c.outcome:
            lines += ["", "Outcome: " + text(c.outcome)]
        return "\n".join(lines)

    @staticmethod
    def _risk(d: threats.CaseView, day: date, text: Callable[[str], str]) -> str:
        latest = d.latest
        if latest is None:
            return "Not assessed yet."
        when = f"{reference.label('risk_level', latest.risk_level).upper()} on {latest.assessed_on} "
        lines = [
            when + f"({plural((day - latest.assessed_on).days, 'day')} ago)",
            risk.risk_reasoning(latest.threat, latest.vulnerability, latest.capacity, latest.rule_version),
        ]
        if latest.reasoning:
            lines.append("Why: " + text(latest.reasoning))
        if len(d.assessments) > 1:
            trend = " -> ".join(f"{a.assessed_on:%m-%d} {a.risk_level.value}" for a in d.assessments[-5:])
            lines.append(f"Trend ({len(d.assessments)} assessments): {trend}")
        return "\n".join(lines)

    @staticmethod
    def _gate(action: threats.ActionView) -> str:
        """The kind of action and whether its consent holds, in words: "démarche ok",
        "statement MISSING", "trial WITHDRAWN", "referral JUSTIFIED"; "-" when not on
        the defender's behalf."""
        if action.scope is None:
            return "-"
        return f"{consent.SHORT.get(action.scope, action.scope.value)} {action.consent}"

    @staticmethod
    def _referral_gate(referral: threats.ReferralView) -> str:
        if referral.justified:
            return "JUSTIF."
        return "consent" if referral.with_consent else "-"

    @staticmethod
    def _amounts(asked: float | None, granted: float | None) -> str:
        def amount(value: float | None) -> str:
            return "-" if value is None else f"{value:,.0f}"

        return f"{amount(asked)}/{amount(granted)}"

    @staticmethod
    def _referral_status(referral: threats.ReferralView) -> str:
        """A mechanism referral under way shows its stage (its status says less)."""
        if referral.stage and referral.status in (ReferralStatus.SENT, ReferralStatus.UNDER_REVIEW):
            return mechanisms.stage_short(referral.purpose, referral.stage)
        return reference.label("referral_status", referral.status)

    @staticmethod
    def _answer_due(due: date | None, day: date) -> str:
        if due is None:
            return "-"
        return str(due) + (" LATE" if due < day else "")

    def _fill(self, selector: str, rows: list[tuple[str, ...]], empty: str) -> None:
        table = self.query_one(selector, DataTable)
        cursor = table.cursor_row
        table.clear()
        for key, *cells in rows:
            table.add_row(*[literal(cell, single_line=True) for cell in cells], key=key)
        if not rows:
            main = getattr(table, "flex", 1)  # the widest column says so, not cut
            table.add_row(*[literal(empty if n == main else "") for n in range(len(table.columns))], key="")
        table.move_cursor(row=min(cursor, table.row_count - 1))

    @on(DataTable.RowHighlighted, "#case-actions")
    def _action_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_action_detail(str(event.row_key.value or ""))

    def _show_action_detail(self, action_id: str) -> None:
        """The whole of the selected action: its title in full, note, and what it rests on."""
        detail = self.query_one("#case-action-detail", VaultText)
        if not action_id or self.shell.locked:
            detail.set_text("")
            return
        a = threats.read_action(self.shell, action_id)
        if a is None:
            return
        gate = a.gate
        text = self._discreet_text(a.people if self.shell.discreet else ())
        lines = [f"> {text(a.title)}"]
        if a.note:
            lines.append(f"  Note: {text(a.note)}")
        if a.on_behalf:
            kind = reference.label("consent_scope", a.scope).lower() if a.scope else ""
            if gate == "justified":
                lines.append(
                    f"  Done without consent, justified (the mission's own rule): {text(a.emergency_justification)}"
                )
            elif gate == "consent":
                lines.append(f"  On the defender's behalf ({kind}), with their recorded consent.")
            else:
                lines.append(
                    f"  On the defender's behalf ({kind}): consent {a.consent}; record it (p) or a justification "
                    "to go on."
                )
        if a.done_on:
            lines.append(f"  Done on {a.done_on}.")
        detail.set_text("\n".join(lines))

    # -- acting ------------------------------------------------------------------------------
    def _selected_key(self, selector: str) -> str | None:
        table = self.query_one(selector, DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key else None

    def _then_show(self, _result: object = None) -> None:
        self.show(self.shell.discreet)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if not key:
            return
        editors: dict[str, Callable[[], Screen[str | None]]] = {
            "case-actions": lambda: ActionModal(self.case_id, str(key)),
            "case-referrals": lambda: ReferralFormScreen(self.case_id, str(key)),
            "case-sources": lambda: SourceModal(self.case_id, str(key)),
            "case-analyses": lambda: AnalysisFormScreen(self.case_id, str(key)),
        }
        editor = editors.get(str(event.data_table.id))
        if editor is not None:
            self.app.push_screen(editor(), self._then_show)

    def action_advance(self) -> None:
        """Space: the selected action moves on; if the consent gate refuses, the action
        opens with the reason under the justification field."""
        action_id = self._selected_key("#case-actions")
        if action_id is None or not self.query_one("#case-actions", DataTable).has_focus:
            return
        moved = attempt(
            self, lambda: threats.advance_action(self.shell, action_id, today=self.shell.today()), kept=False
        )
        if moved is REFUSED:
            return
        if moved.status is None:
            self.app.notify("This action is finished; Enter edits it.", markup=False)
            return
        if moved.refusal:
            self.app.push_screen(ActionModal(self.case_id, action_id, moved.status, moved.refusal), self._then_show)
            return
        status = moved.status
        self.app.notify(f"Action {reference.label('action_status', status).lower()}.", markup=False)
        self.show(self.shell.discreet)

    def action_risk(self) -> None:
        self.app.push_screen(RiskFormScreen(self.case_id), self._then_show)

    def action_event(self) -> None:
        self.app.push_screen(EventModal(self.case_id), self._then_show)

    def action_action(self) -> None:
        self.app.push_screen(ActionModal(self.case_id), self._then_show)

    def action_referral(self) -> None:
        self.app.push_screen(ReferralFormScreen(self.case_id), self._then_show)

    def action_source(self) -> None:
        self.app.push_screen(SourceModal(self.case_id), self._then_show)

    def action_analysis(self) -> None:
        self.app.push_screen(AnalysisFormScreen(self.case_id), self._then_show)

    def action_coordination(self) -> None:
        self.app.push_screen(CoordinationModal(self.case_id), self._then_show)

    def action_feedback(self) -> None:
        self.app.push_screen(FeedbackModal(self.case_id), self._then_show)

    def action_demarches(self) -> None:
        self.app.push_screen(DemarchesScreen(CASE, self.case_id), self._then_show)

    def action_edit(self) -> None:
        self.app.push_screen(CaseFormScreen(self.case_id, closed=self.closed), self._then_show)

    def action_accountability(self) -> None:
        from hrd_tui.screens.accountability import AccountabilityScreen

        self.app.push_screen(AccountabilityScreen("case", self.case_id))

    def action_consent(self) -> None:
        from hrd_tui.screens.contact_form import ConsentModal

        discreet = self.shell.discreet
        people = [
            (p.id, p.codename if discreet else f"{p.name} ({p.codename})")
            for p in threats.case_defenders(self.shell, self.case_id)
        ]

        # The kind of action of the selected action (an action on their behalf), else a démarche.
        scope = DEFAULT_ACTION_SCOPE.value
        selected = self._selected_key("#case-actions")
        detail = threats.read_action(self.shell, selected) if selected else None
        if detail is not None and detail.scope is not None:
            scope = detail.scope.value

        def record(index: int | None) -> None:
            if index is not None:
                self.app.push_screen(ConsentModal(people[index][0], scope=scope), self._then_show)

        if len(people) == 1:
            record(0)
        elif people:
            self.app.push_screen(PickModal("Whose consent?", [label for _, label in people]), record)

    def action_close(self) -> None:
        if not self.closed:
            self.app.push_screen(CloseModal(self.case_id), self._then_show)
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            attempt(self, lambda: threats.reopen(self.shell, self.case_id), kept=False)
            self._then_show()

        self.app.push_screen(
            ConfirmModal("Reopen this case? Its outcome stays in its history.", yes="Reopen"), answered
        )

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        self.app.push_screen(ChangesScreen(threats.CHANGES_RECORD, self.case_id, threats.changes_label, CASE_FREE_TEXT))

    def action_attachments(self) -> None:
        attachments_screen.open_attachments(self, "case", self.case_id)

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- reading the page ----------------------------------------------------------------
    def action_page(self, where: str) -> None:
        """The page moves, and takes the focus (arrows then scroll it too; Tab goes back
        to the tables)."""
        body = self.query_one("#case-body", VerticalScroll)
        body.focus(scroll_visible=False)
        if where == "home":
            body.scroll_home(animate=False)
        elif where == "end":
            body.scroll_end(animate=False)
        elif where == "up":
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)

    def action_timeline(self) -> None:
        body = self.query_one("#case-body", VerticalScroll)
        body.focus(scroll_visible=False)
        body.scroll_to_widget(self.query_one("#case-timeline-heading"), animate=False, top=True)
