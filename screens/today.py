"""Today: what needs the officer now, most pressing first. Open emergency and urgent
cases (marked "!! EMERGENCY" or "! urgent", never by colour alone), follow-ups
due (the late ones marked LATE), case actions and referrals due, cases whose risk
assessment is too old, contacts overdue for a check-in, and hearings in the next
14 days, then the attacks with no investigation after the post's number of days (issue
19). Enter opens the case, the contact or the hearing; space marks a
follow-up done, and the same key opens it again (the row stays, marked "done",
while the day lasts). The body scrolls and every table has a bounded height, so the
view works at 80x24.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.sections import Section, SectionScreen
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import literal
from hrd_tui.services import accountability, reference, threats, today

#: The tables whose rows are (or belong to) a threat case: Enter opens the case.
CASE_TABLES = ("today-cases", "today-actions", "today-referrals", "today-reassess")


def _due(day: date, late: bool) -> str:
    return f"{day}" + (" LATE" if late else "")


class TodayBody(VerticalScroll, can_focus=False):
    """Scrolls to whichever table has the focus; never takes the focus itself (Tab
    goes from table to table)."""


class TodayScreen(ShellAccess, SectionScreen):
    CSS_PATH = "today.tcss"
    BINDINGS = [
        Binding(
            "enter", "open", "Open", id="today.open", show=False, tooltip="Open the case, the contact or the hearing"
        ),
        Binding("space", "done", "Done/reopen", id="today.done", tooltip="Mark the follow-up done, or open it again"),
        Binding("tab", "app.focus_next", "Next list", id="today.next", show=False),
    ]

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.follow_up_contact: dict[str, str] = {}
        #: Follow-ups marked done here (key -> the row and the day): still listed, as done,
        #: so that space on the same row opens them again.
        self.done_here: dict[str, tuple[today.FollowUpRow, date]] = {}
        #: Row key -> case id, for the tables whose rows are an action or a referral.
        self.row_case: dict[str, str] = {}
        #: Record id -> "case" or "observation", for the attacks without investigation.
        self.unaccounted: dict[str, str] = {}
        self._focus_chosen = False

    def compose(self) -> ComposeResult:
        yield self.section_bar()
        with TodayBody(id="today-body"):
            yield Static("", id="today-date", markup=False)
            yield Static("Emergencies and urgent cases (Enter opens the case)", classes="today-heading", markup=False)
            yield fixed_table("today-cases", [("Urgency", 12), ("Risk", 12), ("Status", 10), ("Case", 34)])
            yield Static(
                "Follow-ups due (space: done, or open again; Enter opens the contact)",
                classes="today-heading",
                markup=False,
            )
            yield fixed_table("today-follow-ups", [("Due", 15), ("Contact", 16), ("To do", 38)])
            yield Static("Case actions due (Enter opens the case)", classes="today-heading", markup=False)
            yield fixed_table(
                "today-actions", [("Due", 15), ("Case", 17), ("Action", 21), ("Owner", 6), ("Consent", 8)]
            )
            yield Static("Referrals awaiting an answer (Enter opens the case)", classes="today-heading", markup=False)
            yield fixed_table("today-referrals", [("Answer due", 15), ("Case", 18), ("Resource", 22), ("Status", 12)])
            yield Static("", id="today-reassess-heading", classes="today-heading", markup=False)
            yield fixed_table("today-reassess", [("Last assessed", 14), ("When", 14), ("Risk", 10), ("Case", 30)])
            yield Static("", id="today-overdue-heading", classes="today-heading", markup=False)
            yield fixed_table(
                "today-overdue", [("Contact", 24), ("Last contact", 12), ("Every", 9), ("Next follow-up", 14)]
            )
            yield Static(
                "Hearings in the next 14 days (Enter opens the hearing)", classes="today-heading", markup=False
            )
            yield fixed_table("today-hearings", [("Starts", 16), ("Hearing", 56)])
            yield Static("", id="today-unaccounted-heading", classes="today-heading", markup=False)
            yield fixed_table("today-unaccounted", [("Since", 10), ("Days", 5), ("Attack", 33), ("State", 20)], flex=2)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # No super().on_mount(): Textual runs SectionScreen's on_mount itself.
        # Not scrolled to: the body starts at its top, where the first tables are.
        self.query_one("#today-follow-ups", DataTable).focus(scroll_visible=False)

    def reload(self) -> None:
        if self.shell.locked or not self.is_mounted:
            return
        day = self.shell.today()
        discreet = self.shell.discreet
        self.query_one("#today-date", Static).update(f"{day:%A %d %B %Y}")
        shown = today.read_today(self.shell, day, discreet=discreet)
        alerts, page, hearings = shown.alerts, shown.overdue, shown.hearings
        self.row_case = {}
        self._show_alerts(alerts)
        self._show_follow_ups(shown.follow_ups, day, discreet)
        self._show_actions(shown.actions)
        self._show_referrals(shown.referrals)
        self._show_reassess(shown.reassess, day)
        heading = "Contacts overdue for a check-in (cadence passed since the last contact)"
        if page.total > len(page.rows):
            heading += f": the first {len(page.rows)} of {page.total} (f in Contacts filters them all)"
        self.query_one("#today-overdue-heading", Static).update(heading)
        overdue = self.query_one("#today-overdue", DataTable)
        overdue.clear()
        for row in page.rows:
            overdue.add_row(
                literal(row.label(discreet), single_line=True),
                str(row.last_contact_on or "never"),
                f"{row.cadence_days} d",
                str(row.next_follow_up_on or "-"),
                key=row.id,
            )
        if not overdue.row_count:
            overdue.add_row("No one is overdue.", "", "", "", key="")
        upcoming = self.query_one("#today-hearings", DataTable)
        upcoming.clear()
        for item in hearings:
            upcoming.add_row(
                f"{item.starts_at.astimezone():%Y-%m-%d %H:%M}",
                literal(item.label, single_line=True),
                key=item.hearing_id,
            )
        if not upcoming.row_count:
            upcoming.add_row("", "No hearing in the next 14 days.", key="")
        self._show_unaccounted(shown.unaccounted)
        if not self._focus_chosen:
            # The first time: an emergency or urgent case comes before everything else.
            self._focus_chosen = True
            if alerts:
                # Without scrolling to it: the table is at the top, and a scroll asked for
                # before the first layout settles (the tables fill and grow) would leave
                # the body a few lines down. The body goes home once laid out instead.
                self.query_one("#today-cases", DataTable).focus(scroll_visible=False)
                body = self.query_one(TodayBody)
                self.call_after_refresh(body.scroll_home, animate=False)

    def _show_alerts(self, alerts: list[today.CaseAlert]) -> None:
        table = self.query_one("#today-cases", DataTable)
        table.clear()
        for alert in alerts:
            risk = reference.label("risk_level", alert.risk) if alert.risk else "not assessed"
            table.add_row(
                alert.marker,
                risk,
                reference.label("case_status", alert.status),
                literal(alert.label, single_line=True),
                key=alert.case_id,
            )
        if not table.row_count:
            table.add_row("", "", "", "No emergency or urgent case open.", key="")

    def _show_follow_ups(self, items: list[today.FollowUpRow], day: date, discreet: bool) -> None:
        follow = self.query_one("#today-follow-ups", DataTable)
        was = self._focused_key()
        follow.clear()
        self.follow_up_contact = {}
        open_keys = {item.key for item in items}
        # Done here today and not opened again elsewhere: kept in the list, marked done.
        self.done_here = {k: (item, on) for k, (item, on) in self.done_here.items() if on == day and k not in open_keys}
        rows = sorted(
            [(item, False) for item in items] + [(item, True) for item, _ in self.done_here.values()],
            key=lambda row: row[0].due_on,
        )
        for item, done in rows:
            name = item.who(discreet)
            due = f"{item.due_on} done" if done else _due(item.due_on, item.days_late(day) > 0)
            follow.add_row(
                due,
                literal(name, single_line=True),
                literal(("[x] " if done else "") + item.description, single_line=True),
                key=item.key,
            )
            if item.contact_id is not None:
                self.follow_up_contact[item.key] = item.contact_id
        if not follow.row_count:
            follow.add_row("", "", "Nothing due this week.", key="")
        if was is not None and was[0] == "today-follow-ups" and was[1] in {item.key for item, _ in rows}:
            follow.move_cursor(row=follow.get_row_index(was[1]))  # space again acts on the same follow-up

    def _show_actions(self, actions: list[today.ActionDue]) -> None:
        table = self.query_one("#today-actions", DataTable)
        table.clear()
        for action in actions:
            if not action.on_behalf:
                consent = "-"
            else:
                consent = "MISSING" if action.consent_missing else "ok"
            table.add_row(
                _due(action.due_on, action.overdue),
                literal(action.label, single_line=True),
                literal(action.title, single_line=True),
                literal(action.owner, single_line=True),
                consent,
                key=action.action_id,
            )
            self.row_case[action.action_id] = action.case_id
        if not table.row_count:
            table.add_row("", "", "None due this week.", "", "", key="")

    def _show_referrals(self, referrals: list[today.ReferralDue]) -> None:
        table = self.query_one("#today-referrals", DataTable)
        table.clear()
        for item in referrals:
            table.add_row(
                _due(item.due_on, item.overdue),
                literal(item.label, single_line=True),
                literal(item.resource, single_line=True),
                # A mechanism referral waiting at one stage says which (issue 19).
                item.stage or reference.label("referral_status", item.status),
                key=item.referral_id,
            )
            self.row_case[item.referral_id] = item.case_id
        if not table.row_count:
            table.add_row("", "", "None due this week.", "", key="")

    def _show_reassess(self, cases: list[today.CaseToReassess], day: date) -> None:
        self.query_one("#today-reassess-heading", Static).update(
            f"Cases to reassess (no risk assessment in the last {threats.REASSESS_DAYS} days)"
        )
        table = self.query_one("#today-reassess", DataTable)
        table.clear()
        for item in cases:
            risk = reference.label("risk_level", item.risk) if item.risk else "-"
            table.add_row(
                str(item.assessed_on or "-"),
                item.describe(day),
                risk,
                literal(item.label, single_line=True),
                key=item.case_id,
            )
        if not table.row_count:
            table.add_row("", "", "", "Every open case is assessed.", key="")

    def _show_unaccounted(self, rows: list[accountability.UnaccountedRow]) -> None:
        """Attacks with no investigation after the post's number of days: the guidelines ask
        posts to "Encourage investigations and prosecution of those who harass and attack"."""
        days = accountability.policy().investigation_days
        self.query_one("#today-unaccounted-heading", Static).update(
            f"Attacks without an investigation after {days} days: {len(rows)} (Enter opens; b on a case records steps)"
        )
        table = self.query_one("#today-unaccounted", DataTable)
        table.clear()
        self.unaccounted = {row.record_id: row.kind for row in rows}
        for row in rows:
            table.add_row(
                str(row.counted_from),
                f"{row.days} d",
                literal(row.label, single_line=True),
                literal(row.state, single_line=True),
                key=row.record_id,
            )
        if not table.row_count:
            table.add_row("", "", "None: every attack has an investigation or is recent.", "", key="")

    def _focused_key(self) -> tuple[str, str] | None:
        focused = self.focused
        if not isinstance(focused, DataTable) or not focused.row_count:
            return None
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        return (str(focused.id), str(key)) if key else None

    def action_open(self) -> None:
        found = self._focused_key()
        if found is None:
            return
        table, key = found
        if table in CASE_TABLES:
            self._open_case(self.row_case.get(key, key))
            return
        if table == "today-unaccounted":
            self._open_attack(key)
            return
        if table == "today-hearings":
            from hrd_tui.screens.trials import HearingScreen

            self.app.push_screen(HearingScreen(key))
            return
        contact_id = self.follow_up_contact.get(key) if table == "today-follow-ups" else key
        if contact_id:
            from hrd_tui.screens.contact_detail import ContactDetailScreen

            self.app.push_screen(ContactDetailScreen(contact_id))

    def _open_attack(self, record_id: str) -> None:
        """A case opens as a case (b there records its steps); an observation opens its steps."""
        if self.unaccounted.get(record_id) == accountability.CASE:
            self._open_case(record_id)
            return
        from hrd_tui.screens.accountability import AccountabilityScreen

        self.app.push_screen(AccountabilityScreen(accountability.OBSERVATION, record_id))

    def _open_case(self, case_id: str) -> None:
        self.shell.open_case(case_id)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_done(self) -> None:
        """Space: an open follow-up done, a follow-up done here open again (a planned
        date set back); each edit keeps the earlier version in the history."""
        found = self._focused_key()
        if found is None or found[0] != "today-follow-ups":
            return
        key, day = found[1], self.shell.today()
        done = self.done_here.get(key)
        if done is not None:
            due_on = done[0].due_on
            if attempt(self, lambda: today.reopen_follow_up(self.shell, key, due_on), kept=False) is REFUSED:
                self._changed_meanwhile(key)
                return
            del self.done_here[key]
            self.app.notify("Follow-up open again.")
        else:
            item = attempt(self, lambda: today.mark_follow_up_done(self.shell, key, day), kept=False)
            if item is REFUSED:
                self._changed_meanwhile(key)
                return
            self.done_here[key] = (item, day)
            self.app.notify("Follow-up marked done (space opens it again).")
        self.reload()

    def _changed_meanwhile(self, key: str) -> None:
        """The follow-up was changed or removed elsewhere (the refusal is shown): the list is read again."""
        self.done_here.pop(key, None)
        self.reload()
