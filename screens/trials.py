"""Trials: the list, a trial with its hearings, a hearing with the observer's
header, and the forms for each.

In discreet mode a trial is shown by case number and court (a trial's title
usually names the defendant) and defendants by codename.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hrd_tui.sanitize import plural
from hrd_tui.screens import attachments as attachments_screen
from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.demarches import TRIAL, DemarchesScreen, demarches_text
from hrd_tui.screens.filtered_list import FilteredListScreen
from hrd_tui.screens.forms import FormScreen, choices
from hrd_tui.screens.places import Placed
from hrd_tui.screens.sections import Section
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.record_form import FieldSpec
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import base, checklists, reference, trial_assessment, trials
from hrd_tui.services.trials import TrialRow
from hrd_tui.vocab import TrialStatus

#: (header, least width): 78 columns with the padding, for 80x24; the title takes the rest.
COLUMNS = (("Trial", 16), ("Case no.", 10), ("Defendants", 11), ("Court", 10), ("Status", 9), ("Next", 10))
STATUS_CYCLE: tuple[TrialStatus | None, ...] = (None, *TrialStatus)


def trial_cell(row: TrialRow, discreet: bool) -> str:
    """The title, hidden in discreet mode (it usually names the defendant)."""
    return "(hidden)" if discreet else row.title


def defendants_cell(row: TrialRow, discreet: bool) -> str:
    return ", ".join(codename if discreet else name for name, codename in row.defendants) or "-"


def when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "-"


@dataclass(frozen=True)
class TrialFilter:
    """What the trials list shows: the search, and one status (f cycles) or all."""

    query: str = ""
    status: TrialStatus | None = None


class TrialsScreen(FilteredListScreen[TrialRow, TrialFilter]):
    CSS_PATH = "trials.tcss"
    BINDINGS = [
        Binding("slash", "focus_filter", "Find", id="trials.search", key_display="/", tooltip="Search trials"),
        Binding("n", "new", "New", id="trials.new", tooltip="New trial"),
        Binding("e", "edit", "Edit", id="trials.edit", tooltip="Edit the trial"),
        Binding("f", "status", "Status", id="trials.status", tooltip="Show trials of one status (f again: the next)"),
        Binding("enter", "open", "Open", id="trials.open", show=False, tooltip="Open the trial"),
    ]
    id_prefix = list_id = "trials"
    placeholder = "/ to search titles, case numbers, courts, charges..."
    columns = COLUMNS
    side, side_text = "status", "all statuses"
    filters_line = False

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.filter = TrialFilter()

    def fetch(self, offset: int, limit: int) -> list[TrialRow]:
        """Every trial at once: an embassy follows tens, not thousands."""
        return trials.trial_rows(
            self.shell,
            self.filter.query,
            today=self.shell.today(),
            status=self.filter.status,
            discreet=self.shell.discreet,
        )

    def cells(self, rows: Sequence[TrialRow]) -> Iterable[tuple[str, ...]]:
        discreet = self.shell.discreet
        return [
            (
                trial_cell(row, discreet),
                row.case_number or "-",
                defendants_cell(row, discreet),
                row.court or "-",
                reference.short_label("trial_status", row.status),
                str(row.next_hearing or "-"),
            )
            for row in rows
        ]

    def action_status(self) -> None:
        status = STATUS_CYCLE[(STATUS_CYCLE.index(self.filter.status) + 1) % len(STATUS_CYCLE)]
        self.filter = replace(self.filter, status=status)
        label = reference.label("trial_status", status).lower() if status else "all statuses"
        self.query_one("#trials-status", Static).update(f"status: {label}" if status else label)
        self.reload()

    def open_row(self, key: str) -> None:
        self.app.push_screen(TrialScreen(key))

    def action_new(self) -> None:
        self.app.push_screen(
            TrialFormScreen(None), lambda trial_id: trial_id and self.app.push_screen(TrialScreen(trial_id))
        )

    def action_edit(self) -> None:
        key = self.selected_id()
        if key:
            self.app.push_screen(TrialFormScreen(key))


def assessment_lines(found: trial_assessment.Assessment, discreet: bool) -> list[str]:
    """The fair-trial assessment as the trial view shows it: each right's most serious
    finding in words (capitals, never colour alone) with the hearings behind it, and the
    conclusion. The evidence and the conclusion often name the defendant: hidden when discreet.
    The conclusion comes first, under the count: the officer's verdict is what is read
    first, and at 80x24 the rights behind it may run below the fold."""
    if not found.rights:
        lines = [f"No findings yet ({plural(found.hearings_observed, 'hearing')} with a fair-trial checklist)."]
    else:
        counts = ", ".join(f"{n} {checklists.finding_word(f)}" for f, n in found.counts().items() if n)
        lines = [f"Across {plural(found.hearings_observed, 'hearing')}, most serious per right: {counts}."]
    if found.conclusion:
        lines.append("Conclusion (the officer's): " + (HIDDEN if discreet else found.conclusion))
    else:
        lines.append("Conclusion: not written yet (f opens it with one proposed from the findings).")
    lines.append("")
    for right in found.rights:
        dates = ", ".join(when(ev.starts_at) if ev.hearing_id else "trial checklist" for ev in right.behind)
        lines.append(f"{checklists.finding_word(right.finding).upper()}: {trial_assessment.short_text(right.text)}")
        lines.append(f"  at {dates}")
        for ev in right.behind:
            evidence = [ev.note.strip(), *ev.attached] if ev.note.strip() else list(ev.attached)
            if evidence:
                lines.append("  Evidence: " + ("(hidden in discreet mode)" if discreet else " / ".join(evidence)))
    if found.unassessed:
        lines.append(f"No finding yet on {plural(len(found.unassessed), 'right')}.")
    return lines


class TrialScreen(ShellAccess, Placed, Screen[None]):
    """One trial: what it is about, who is on trial, its hearings, and the fair-trial
    assessment across them with the officer's conclusion."""

    CSS_PATH = "trials.tcss"
    BINDINGS = [
        Binding("n", "new_hearing", "New hearing", id="trial.hearing"),
        Binding("e", "edit", "Edit", id="trial.edit", tooltip="Edit the trial"),
        Binding("h", "changes", "Changes", id="trial.changes", tooltip="What changed in this trial's record"),
        Binding(
            "f",
            "conclusion",
            "Conclusion",
            id="trial.conclusion",
            tooltip="Write the conclusion on the trial's fairness (proposed from the findings)",
        ),
        Binding(
            "i",
            "demarches",
            "Démarches",
            id="trial.demarches",
            show=False,  # the footer keeps 80 columns: in F1, the palette and the heading
            tooltip="Démarches and meetings with officials about this trial: log, correct, unlink",
        ),
        Binding("enter", "open", "Open", id="trial.open", show=False, tooltip="Open the hearing"),
        attachments_screen.binding("trial"),
        Binding("escape,left", "back", "Back", id="trial.back"),
    ]

    def __init__(self, trial_id: str) -> None:
        super().__init__(classes="trial")
        self.trial_id = trial_id

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="trial-title", single_line=True)
        with VerticalScroll(id="trial-body"):
            yield VaultText("", id="trial-facts")
            yield Static("Hearings (Enter opens, n adds one)", classes="trial-heading", markup=False)
            yield fixed_table("trial-hearings", [("Starts", 16), ("Court, chamber", 30), ("Next hearing", 12)])
            yield Static("Fair-trial assessment (f: the conclusion)", classes="trial-heading", markup=False)
            yield VaultText("", id="trial-assessment")
            yield Static("Démarches and meetings with officials (i)", classes="trial-heading", markup=False)
            yield VaultText("", id="trial-demarches")
            yield Static(attachments_screen.HEADING, classes="trial-heading", markup=False)
            yield VaultText("", id="trial-attachments")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show)
        self.query_one("#trial-hearings", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show(self.shell.discreet)

    def show(self, discreet: bool) -> None:
        if self.shell.locked:
            return
        t = trials.trial_view(self.shell, self.trial_id)
        people = ", ".join(codename if discreet else f"{name} ({codename})" for name, codename in t.defendants) or "-"
        title = f"Case {t.case_number or '(no number)'}, {t.court or '(no court)'}" if discreet else t.title
        facts = [
            f"Status: {reference.label('trial_status', t.status)}",
            f"Court: {t.court or '-'}    Case number: {t.case_number or '-'}",
            f"Defendants: {people}",
            f"Counsel: {'(hidden in discreet mode)' if discreet and t.counsel else t.counsel or '-'}",
            f"Threat case: {t.threat_case if t.threat_case and not discreet else ('linked' if t.threat_case else '-')}",
            # Charges often spell out the defendant's name.
            "Charges:",
            (HIDDEN if discreet and t.charges else t.charges or "-"),
        ]
        if t.notes and not discreet:
            facts += ["Notes:", t.notes]
        if t.attendance:
            # Attending as the embassy is an action on their behalf: their consent, in words.
            facts.append("Consent to attend as the embassy: " + ", ".join(f"{c} {s}" for c, s in t.attendance))
        facts.append(base.id_line(t.id))
        hearings = [
            (
                h.id,
                when(h.starts_at),
                ", ".join(x for x in (h.court, h.chamber) if x) or "-",
                str(h.next_hearing_on or "-"),
            )
            for h in t.hearings
        ]
        self.query_one("#trial-title", VaultText).set_text(title)
        self.query_one("#trial-facts", VaultText).set_text("\n".join(facts))
        table = self.query_one("#trial-hearings", DataTable)
        table.clear()
        for key, *cells in hearings:
            table.add_row(*[literal(c, single_line=True) for c in cells], key=key)
        found = trial_assessment.trial_assessment(self.shell, self.trial_id)
        self.query_one("#trial-assessment", VaultText).set_text("\n".join(assessment_lines(found, discreet)))
        self.query_one("#trial-demarches", VaultText).set_text(
            demarches_text(self.shell, TRIAL, self.trial_id, discreet)
        )
        self.query_one("#trial-attachments", VaultText).set_text(
            attachments_screen.section_text(self.shell, "trial", self.trial_id, discreet)
        )

    def _hearing_id(self) -> str | None:
        table = self.query_one("#trial-hearings", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @on(DataTable.RowSelected, "#trial-hearings")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        hearing_id = self._hearing_id()
        if hearing_id:
            self.app.push_screen(HearingScreen(hearing_id))

    def action_new_hearing(self) -> None:
        self.app.push_screen(
            HearingFormScreen(None, self.trial_id),
            lambda hearing_id: hearing_id and self.app.push_screen(HearingScreen(hearing_id)),
        )

    def action_edit(self) -> None:
        self.app.push_screen(TrialFormScreen(self.trial_id))

    def action_conclusion(self) -> None:
        self.app.push_screen(ConclusionFormScreen(self.trial_id))

    def action_demarches(self) -> None:
        self.app.push_screen(DemarchesScreen(TRIAL, self.trial_id))

    def action_attachments(self) -> None:
        attachments_screen.open_attachments(self, "trial", self.trial_id)

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        self.app.push_screen(
            ChangesScreen(
                trials.TRIAL_RECORD,
                self.trial_id,
                trials.trial_changes_label,
                frozenset({"title", "charges", "counsel", "notes"}),
            )
        )

    def action_back(self) -> None:
        self.app.pop_screen()


#: The observer's header of a hearing, in the order a report gives it.
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("court", "Court"),
    ("chamber", "Chamber"),
    ("judges", "Judges"),
    ("prosecutor", "Prosecutor"),
    ("defence_counsel", "Defence"),
    ("interpreter", "Interpreter"),
    ("public_count", "Public present"),
    ("press_count", "Press present"),
    ("diplomats_count", "Diplomats present"),
    ("observing_missions", "Observing missions"),
    ("observers_admitted", "Observers admitted"),
    ("security_presence", "Security presence"),
    ("refused_entry", "Refusals of entry"),
    ("outcome", "Outcome"),
    ("next_hearing_on", "Next hearing"),
)


#: Header fields that name people (or may): hidden in discreet mode.
PEOPLE_FIELDS = frozenset(
    {"judges", "prosecutor", "defence_counsel", "interpreter", "refused_entry", "observing_missions", "outcome"}
)
HIDDEN = "(hidden in discreet mode)"


class HearingScreen(ShellAccess, Placed, Screen[None]):
    """One hearing: the observer's header, and the way to its notes and checklist."""

    CSS_PATH = "trials.tcss"
    BINDINGS = [
        Binding("w", "notes", "Notes", id="hearing.notes", tooltip="Take notes at this hearing"),
        Binding(
            "f", "checklist", "Fair trial", id="hearing.checklist", tooltip="The fair-trial checklist of this hearing"
        ),
        Binding("e", "edit", "Edit", id="hearing.edit", tooltip="Edit the observer's header"),
        Binding("h", "changes", "Changes", id="hearing.changes", tooltip="What changed in this hearing's record"),
        attachments_screen.binding("hearing", show=True),
        Binding("escape,left", "back", "Back", id="hearing.back"),
    ]

    def __init__(self, hearing_id: str) -> None:
        super().__init__(classes="hearing")
        self.hearing_id = hearing_id

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="hearing-title", single_line=True)
        with VerticalScroll(id="hearing-body"):
            yield VaultText("", id="hearing-header")
            yield Static(attachments_screen.HEADING, classes="trial-heading", markup=False)
            yield VaultText("", id="hearing-attachments")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show)
        self.query_one("#hearing-body").focus()

    def on_screen_resume(self) -> None:
        self.show(self.shell.discreet)

    def show(self, discreet: bool) -> None:
        if self.shell.locked:
            return
        hearing = trials.hearing_view(self.shell, self.hearing_id, discreet=discreet)
        lines = [f"Starts: {when(hearing.starts_at)}    Ends: {when(hearing.ends_at)}"]
        for field, title in HEADER_FIELDS:
            value = hearing.fields[field]
            if isinstance(value, bool):
                value = "yes" if value else "no"
            if discreet and field in PEOPLE_FIELDS and value:
                value = HIDDEN
            lines.append(f"{title}: {'-' if value in (None, '') else value}")
        lines.append("")
        lines.append(
            "Fair-trial checklist: "
            + ("started (f opens it)" if hearing.checklist_started else "not started (f starts it)")
        )
        lines.append("w takes notes; each line is saved with its time when Enter is pressed.")
        lines.append(base.id_line(hearing.id))
        self.query_one("#hearing-title", VaultText).set_text(hearing.label)
        self.query_one("#hearing-header", VaultText).set_text("\n".join(lines))
        self.query_one("#hearing-attachments", VaultText).set_text(
            attachments_screen.section_text(self.shell, "hearing", self.hearing_id, discreet)
        )

    def action_notes(self) -> None:
        self.shell.open_notes(self.hearing_id)

    def action_attachments(self) -> None:
        attachments_screen.open_attachments(self, "hearing", self.hearing_id)

    def action_checklist(self) -> None:
        from hrd_tui.screens.checklists import WalkthroughScreen

        run_id = attempt(self, lambda: trials.fair_trial_run_id(self.shell, self.hearing_id), kept=False)
        if run_id is REFUSED:
            return
        self.app.push_screen(WalkthroughScreen(run_id))

    def action_edit(self) -> None:
        self.app.push_screen(HearingFormScreen(self.hearing_id, trials.trial_of_hearing(self.shell, self.hearing_id)))

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        self.app.push_screen(
            ChangesScreen(trials.HEARING_RECORD, self.hearing_id, trials.hearing_changes_label, PEOPLE_FIELDS)
        )

    def action_back(self) -> None:
        self.app.pop_screen()


class TrialFormScreen(FormScreen):
    masked_when_discreet = ("title", "counsel")

    def __init__(self, trial_id: str | None) -> None:
        super().__init__(classes="form-screen")
        self.trial_id = trial_id
        self.editing = trial_id is not None
        self.title_text = "Edit trial" if trial_id else "New trial"
        self.draft_prefix = f"trial:{trial_id or 'new'}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("title", "Title (shown only when discreet mode is off)", required=True, draft=True),
            FieldSpec("court", "Court", draft=True),
            FieldSpec("case_number", "Case number", draft=True),
            FieldSpec("status", "Status", "choice", choices("trial_status", TrialStatus), required=True),
            FieldSpec(
                "defendants", "Defendants (codenames, comma-separated)", "list", draft=True, errors_from=("defendants",)
            ),
            FieldSpec("counsel", "Defence counsel", draft=True),
            FieldSpec("charges", "Charges", "long", draft=True),
            FieldSpec("notes", "Notes", "long", draft=True),
        ]

    def initial_values(self) -> dict[str, Any]:
        if self.trial_id is None:
            return {"status": TrialStatus.PRE_TRIAL.value}
        return trials.trial_form_values(self.shell, self.trial_id)

    def save(self, values: dict[str, Any]) -> str:
        return trials.save_trial(self.shell, self.trial_id, values)


class ConclusionFormScreen(FormScreen):
    """The officer's conclusion on the trial's fairness. It opens with the one written, or
    with the app's proposal from the findings when none is: the officer decides and edits."""

    masked_when_discreet = ()

    def __init__(self, trial_id: str) -> None:
        super().__init__(classes="form-screen")
        self.trial_id = trial_id
        self.editing = False  # saved as shown: accepting the proposal unchanged is a decision too
        self.title_text = "Conclusion on the trial"
        self.draft_prefix = f"trial-conclusion:{trial_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec(
                "conclusion",
                "Conclusion (yours: the app's proposal from the findings to start from)",
                "long",
                draft=True,
            )
        ]

    def initial_values(self) -> dict[str, Any]:
        return trial_assessment.conclusion_values(self.shell, self.trial_id)

    def save(self, values: dict[str, Any]) -> str:
        return trial_assessment.save_trial_conclusion(self.shell, self.trial_id, values.get("conclusion") or "")


class HearingFormScreen(FormScreen):
    masked_when_discreet = ("judges", "prosecutor", "defence_counsel", "interpreter", "refused_entry")

    def __init__(self, hearing_id: str | None, trial_id: str) -> None:
        super().__init__(classes="form-screen")
        self.hearing_id, self.trial_id = hearing_id, trial_id
        self.editing = hearing_id is not None
        self.title_text = "Observer's header" if hearing_id else "New hearing"
        self.draft_prefix = f"hearing:{hearing_id or 'new:' + trial_id}"

    def specs(self) -> list[FieldSpec]:
        text = [
            (f, t)
            for f, t in HEADER_FIELDS
            if f
            not in (
                "public_count",
                "press_count",
                "diplomats_count",
                "observers_admitted",
                "outcome",
                "next_hearing_on",
            )
        ]
        return [
            FieldSpec("starts_at", "Starts", "datetime", required=True, placeholder="now, HH:MM or YYYY-MM-DD HH:MM"),
            FieldSpec("ends_at", "Ends", "datetime", placeholder="HH:MM or YYYY-MM-DD HH:MM"),
            *[FieldSpec(f, t, draft=True) for f, t in text],
            FieldSpec("public_count", "Public present (number)", "int"),
            FieldSpec("press_count", "Press present (number)", "int"),
            FieldSpec("diplomats_count", "Diplomats present (number)", "int"),
            FieldSpec("observers_admitted", "Observers admitted", "choice", (("yes", "Yes"), ("no", "No"))),
            FieldSpec("outcome", "Outcome", "long", draft=True),
            FieldSpec("next_hearing_on", "Next hearing", "date", placeholder="YYYY-MM-DD or +N days"),
        ]

    def initial_values(self) -> dict[str, Any]:
        if self.hearing_id is None:
            return {"court": trials.trial_court(self.shell, self.trial_id), "starts_at": "now"}
        values = trials.hearing_values(self.shell, self.hearing_id)
        admitted = values.get("observers_admitted")
        values["observers_admitted"] = None if admitted is None else ("yes" if admitted else "no")
        return values

    def save(self, values: dict[str, Any]) -> str:
        if "observers_admitted" in values:
            values["observers_admitted"] = (
                None if values["observers_admitted"] is None else values["observers_admitted"] == "yes"
            )
        return trials.save_hearing(self.shell, self.hearing_id, self.trial_id, values)
