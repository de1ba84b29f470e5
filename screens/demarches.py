"""Démarches and meetings with officials about one case or one trial (issue 19).

Opened with ``i`` from a case and from a trial: what was raised with the authorities
about it, newest first. ``n`` logs a démarche (the official met, the message delivered,
their response, a follow-up with its due date), Enter corrects the selected one (a
response that came later), ``u`` takes it off this case or trial (it stays on the
contacts' pages), ``x`` removes it after asking. Each change is kept in the history,
and the case's timeline follows. In discreet mode people are shown by codename, in the
text too.

The interaction form on a contact's page (screens/contact_form.py) asks the same
démarche fields and the same links, from :func:`demarche_specs` and :func:`link_specs`.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.forms import ModalFormScreen, choices
from hrd_tui.screens.places import Placed
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.record_form import FieldSpec
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import base, demarches, reference, threats, trials
from hrd_tui.services.demarches import DemarcheView
from hrd_tui.vocab import InteractionKind

CASE, TRIAL = "case", "trial"

#: The guidelines' words this screen answers to (quoted as they are written).
GUIDELINES = (
    'Guidelines, section II: "Contact and meet regularly with local authorities to check on the status of '
    'specific human rights cases"; for a defender under threat, "Contact host government officials". '
    'Section III: "Speak directly with host government officials to express concerns".'
)


def demarche_specs() -> list[FieldSpec]:
    """The fields only a démarche has, shown while the kind is 'Démarche'."""
    shown = (InteractionKind.DEMARCHE.value,)
    return [
        FieldSpec(
            "official",
            "Démarche: the official met (codename)",
            depends_on="kind",
            shown_for=shown,
            errors_from=("official", "official_id"),
        ),
        FieldSpec("message", "Démarche: the message delivered", "long", depends_on="kind", shown_for=shown, draft=True),
        FieldSpec(
            "response",
            "Démarche: their response (blank: none yet)",
            "long",
            depends_on="kind",
            shown_for=shown,
            draft=True,
        ),
    ]


def link_specs() -> list[FieldSpec]:
    """What the interaction was about: it then shows on those cases and trials."""
    return [
        FieldSpec(
            "cases",
            "About threat cases: id, title words or a defender's codename; comma-separated",
            "list",
            errors_from=("cases",),
        ),
        FieldSpec(
            "trials", "About trials: case number, id or title words; comma-separated", "list", errors_from=("trials",)
        ),
    ]


def follow_up_specs() -> list[FieldSpec]:
    return [
        FieldSpec("follow_up", "Follow-up to do (optional)", draft=True, errors_from=("follow_up", "description")),
        FieldSpec(
            "follow_up_due",
            "Follow-up due",
            "date",
            placeholder="YYYY-MM-DD or +N days",
            errors_from=("follow_up_due", "due_on"),
        ),
    ]


def record_label(shell: Any, kind: str, record_id: str, discreet: bool) -> str:
    """A case as its page names it; a trial by its case number and court in discreet mode."""
    if kind == CASE:
        return "Case: " + threats.case_name(shell, record_id, discreet=discreet)
    t = trials.trial_view(shell, record_id)
    if discreet:
        return f"Trial: case {t.case_number or '(no number)'}, {t.court or '(no court)'}"
    return f"Trial: {t.title}"


def demarches_text(shell: Any, kind: str, record_id: str, discreet: bool) -> str:
    """What a case's or a trial's page shows of its démarches: one line each, newest
    first (names as codenames when discreet, in the text too)."""
    found = demarches.read_for_case(shell, record_id) if kind == CASE else demarches.read_for_trial(shell, record_id)
    shown = [demarches.line(d, discreet=discreet) for d in found]
    lines = [shell.discreet_text(line) if discreet else line for line in shown]
    return "\n".join(lines) or f"None yet: i logs a démarche about this {kind}."


class DemarcheModal(ModalFormScreen):
    """A démarche (or another interaction) about a case or a trial: logged, or corrected."""

    def __init__(self, kind: str, record_id: str, interaction_id: str | None = None) -> None:
        super().__init__()
        self.kind, self.record_id, self.interaction_id = kind, record_id, interaction_id
        self.editing = interaction_id is not None
        self.title_text = "Correct the démarche or meeting" if interaction_id else "Log a démarche"
        self.draft_prefix = f"demarche:{interaction_id or 'new:' + record_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("kind", "Kind", "choice", choices("interaction_kind", InteractionKind), required=True),
            *demarche_specs(),
            FieldSpec("occurred_at", "When", "datetime", placeholder="now, HH:MM or YYYY-MM-DD HH:MM"),
            FieldSpec(
                "others", "Also present (codenames, comma-separated)", "list", errors_from=("others", "participants")
            ),
            FieldSpec("summary", "Notes on the meeting (optional)", draft=True),
            *([] if self.editing else follow_up_specs()),
            *link_specs(),
            FieldSpec("conveyed_to_counterparts", "Concerns conveyed to embassy counterparts", "bool"),
            FieldSpec("location", "Where (leave blank if it could endanger anyone)"),
            FieldSpec("location_sensitive", "The location is sensitive (never in reports)", "bool"),
        ]

    def initial_values(self) -> dict[str, Any]:
        if self.interaction_id is not None:
            return demarches.form_values(self.shell, self.interaction_id, None)
        link = [base.short_id(self.record_id)]
        return {
            "kind": InteractionKind.DEMARCHE.value,
            "location_sensitive": True,
            "cases": link if self.kind == CASE else [],
            "trials": link if self.kind == TRIAL else [],
        }

    def who(self, discreet: bool) -> str:
        return record_label(self.shell, self.kind, self.record_id, discreet)

    def save(self, values: dict[str, Any]) -> str:
        return demarches.save(self.shell, None, self.interaction_id, values)


class DemarchesScreen(Placed, ShellAccess, Screen[None]):
    CSS_PATH = "demarches.tcss"
    BINDINGS = [
        Binding("n", "add", "Démarche", id="demarches.add", tooltip="Log a démarche about this case or trial"),
        Binding("enter", "edit", "Correct", id="demarches.edit", tooltip="Correct the selected one"),
        Binding(
            "u",
            "unlink",
            "Unlink",
            id="demarches.unlink",
            tooltip="Take the selected one off this case or trial (it stays on the contacts' pages)",
        ),
        Binding(
            "delete,x",
            "remove",
            "Remove",
            id="demarches.remove",
            key_display="x",
            tooltip="Remove the selected one, with its follow-ups (it stays in the history)",
        ),
        Binding(
            "h", "changes", "Changes", id="demarches.changes", show=False, tooltip="What changed in the selected one"
        ),
        Binding("escape,left,ctrl+g", "back", "Back", id="demarches.back", key_display="esc"),
    ]

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(classes="demarches")
        self.kind, self.record_id = kind, record_id
        self.found: dict[str, DemarcheView] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="demarches-title", single_line=True)
        with VerticalScroll(id="demarches-body"):
            yield Static(
                "Démarches and meetings, newest first (n logs, Enter corrects, u unlinks, x removes, h changes)",
                classes="demarches-heading",
                markup=False,
            )
            yield fixed_table("demarches-list", [("When", 16), ("Kind", 10), ("With", 14), ("What", 28)], flex=3)
            yield VaultText("", id="demarches-detail")
            yield Static(GUIDELINES, id="demarches-guidelines", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show)
        self.query_one("#demarches-list", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show(self.shell.discreet)

    def _read(self) -> tuple[DemarcheView, ...]:
        if self.kind == CASE:
            return demarches.read_for_case(self.shell, self.record_id)
        return demarches.read_for_trial(self.shell, self.record_id)

    def _text(self, value: str, discreet: bool) -> str:
        return self.shell.discreet_text(value) if discreet else value

    def show(self, discreet: bool) -> None:
        if self.shell.locked:
            return
        self.query_one("#demarches-title", VaultText).set_text(
            "Démarches | " + record_label(self.shell, self.kind, self.record_id, discreet)
        )
        found = self._read()
        self.found = {d.id: d for d in found}
        table = self.query_one("#demarches-list", DataTable)
        cursor = table.cursor_row
        table.clear()
        for d in found:
            who = d.official if d.is_demarche and d.official else (d.people[0] if d.people else None)
            what = d.message if d.is_demarche else d.summary
            table.add_row(
                demarches.when(d),
                reference.short_label("interaction_kind", d.kind),
                literal(who.codename if who else "-", single_line=True),
                literal(self._text(what, discreet) or "-", single_line=True),
                key=d.id,
            )
        if not found:
            table.add_row("", "", "", "None yet (n logs one).", key="")
        table.move_cursor(row=min(cursor, table.row_count - 1))
        self._show_detail(self._selected())

    def _selected(self) -> str | None:
        table = self.query_one("#demarches-list", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key else None

    @on(DataTable.RowHighlighted, "#demarches-list")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(str(event.row_key.value or "") or None)

    def _show_detail(self, interaction_id: str | None) -> None:
        """The selected one whole: the table cuts the message, and holds no response."""
        d = self.found.get(interaction_id or "")
        discreet = self.shell.discreet
        lines: list[str] = []
        if d is not None:
            lines.append("> " + self._text(demarches.line(d, discreet=discreet), discreet))
            if d.is_demarche:
                lines += [
                    "  Message: " + self._text(d.message, discreet),
                    "  Response: " + (self._text(d.response, discreet) or "none recorded yet"),
                ]
            if d.summary and d.is_demarche:
                lines.append("  Notes: " + self._text(d.summary, discreet))
            lines += [
                f"  Follow-up ({'done ' + str(f.done_on) if f.done_on else 'due ' + str(f.due_on)}): "
                + self._text(f.description, discreet)
                for f in d.follow_ups
            ]
            lines.append(f"  {base.id_line(d.id)}")
        self.query_one("#demarches-detail", VaultText).set_text("\n".join(lines))

    @on(DataTable.RowSelected, "#demarches-list")
    def _row_selected(self) -> None:
        self.action_edit()

    def _then_show(self, _result: object = None) -> None:
        self.show(self.shell.discreet)

    def action_add(self) -> None:
        self.app.push_screen(DemarcheModal(self.kind, self.record_id), self._then_show)

    def action_edit(self) -> None:
        interaction_id = self._selected()
        if interaction_id is not None:
            self.app.push_screen(DemarcheModal(self.kind, self.record_id, interaction_id), self._then_show)

    def action_unlink(self) -> None:
        interaction_id = self._selected()
        if interaction_id is None:
            return
        where = {"case_id": self.record_id} if self.kind == CASE else {"trial_id": self.record_id}
        if attempt(self, lambda: demarches.unlink(self.shell, interaction_id, **where), kept=False) is not REFUSED:
            self.app.notify(f"Taken off this {self.kind} (it stays on the contacts' pages).", markup=False)
        self._then_show()

    def action_remove(self) -> None:
        interaction_id = self._selected()
        if interaction_id is None:
            return
        shown = self._text(demarches.line(self.found[interaction_id], discreet=True), self.shell.discreet)

        def answered(yes: bool | None) -> None:
            if yes and attempt(self, lambda: demarches.remove(self.shell, interaction_id), kept=False) is not REFUSED:
                self.app.notify("Removed, with its follow-ups (it stays in the history).", markup=False)
            self._then_show()

        self.app.push_screen(
            ConfirmModal(f"Remove {shown}, with its follow-ups? It stays in the history.", yes="Remove"), answered
        )

    def action_changes(self) -> None:
        from hrd_tui.screens.changes import ChangesScreen

        interaction_id = self._selected()
        if interaction_id is not None:
            self.app.push_screen(
                ChangesScreen(demarches.CHANGES_RECORD, interaction_id, demarches.changes_label, demarches.FREE_TEXT)
            )

    def action_back(self) -> None:
        self.app.pop_screen()
