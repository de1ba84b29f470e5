"""Today: what needs the officer now. Follow-ups due (the late ones marked LATE),
contacts overdue for a check-in, and hearings in the next 14 days. Enter opens
the contact or the hearing; space marks a follow-up done. Later sections
(emergencies, referrals) join here as their issues land.
"""

from __future__ import annotations


from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from hrd_tui.errors import HrdError
from hrd_tui.screens.sections import Section, SectionScreen
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.vault_text import literal
from hrd_tui.services import today


class TodayScreen(SectionScreen):
    CSS_PATH = "today.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="today.open", show=False, tooltip="Open the contact or the hearing"),
        Binding("space", "done", "Follow-up done", id="today.done"),
        Binding("tab", "app.focus_next", "Next list", id="today.next", show=False),
    ]

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.follow_up_contact: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield self.section_bar()
        with Vertical(id="today-body"):
            yield Static("", id="today-date", markup=False)
            yield Static("Follow-ups due (space marks done, Enter opens the contact)", classes="today-heading",
                         markup=False)
            yield fixed_table("today-follow-ups", [("Due", 11), ("Contact", 16), ("To do", 42)])
            yield Static("", id="today-overdue-heading", classes="today-heading", markup=False)
            yield fixed_table("today-overdue", [("Contact", 24), ("Last contact", 12), ("Every", 9), ("Next follow-up", 14)])
            yield Static("Hearings in the next 14 days (Enter opens the hearing)", classes="today-heading", markup=False)
            yield fixed_table("today-hearings", [("Starts", 16), ("Hearing", 56)])
        yield Static("", id="discreet-indicator", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#today-follow-ups", DataTable).focus()

    def reload(self) -> None:
        if self.app.locked or not self.is_mounted:  # type: ignore[attr-defined]
            return
        day = self.app.today()  # type: ignore[attr-defined]
        discreet = self.app.discreet  # type: ignore[attr-defined]
        self.query_one("#today-date", Static).update(f"{day:%A %d %B %Y}")
        follow = self.query_one("#today-follow-ups", DataTable)
        overdue = self.query_one("#today-overdue", DataTable)
        follow.clear()
        overdue.clear()
        self.follow_up_contact = {}
        with self.app.session("reading today's list") as session:  # type: ignore[attr-defined]
            for item in today.follow_ups_due(session, day):
                c = item.contact
                due = f"{item.due_on}" + (" LATE" if item.days_late(day) > 0 else "")
                name = (c.codename if discreet else c.name) if c else "-"
                follow.add_row(due, literal(name, single_line=True), literal(item.description, single_line=True),
                               key=item.key)
                if c is not None:
                    self.follow_up_contact[item.key] = c.id
            page = today.overdue_contacts(session, day, discreet=discreet)
            hearings = today.upcoming_hearings(session, day, discreet=discreet)
        heading = "Contacts overdue for a check-in (cadence passed since the last contact)"
        if page.total > len(page.rows):
            heading += f": the first {len(page.rows)} of {page.total} (f in Contacts filters them all)"
        self.query_one("#today-overdue-heading", Static).update(heading)
        for row in page.rows:
            overdue.add_row(literal(row.label(discreet), single_line=True), str(row.last_contact_on or "never"),
                            f"{row.cadence_days} d", str(row.next_follow_up_on or "-"), key=row.id)
        upcoming = self.query_one("#today-hearings", DataTable)
        upcoming.clear()
        for item in hearings:
            upcoming.add_row(f"{item.hearing.starts_at.astimezone():%Y-%m-%d %H:%M}", literal(item.label, single_line=True),
                             key=item.hearing.id)
        if not upcoming.row_count:
            upcoming.add_row("", "No hearing in the next 14 days.", key="")
        if not follow.row_count:
            follow.add_row("", "", "Nothing due this week.", key="")
        if not overdue.row_count:
            overdue.add_row("No one is overdue.", "", "", "", key="")

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
        if table == "today-hearings":
            from hrd_tui.screens.trials import HearingScreen

            self.app.push_screen(HearingScreen(key))
            return
        contact_id = self.follow_up_contact.get(key) if table == "today-follow-ups" else key
        if contact_id:
            from hrd_tui.screens.contact_detail import ContactDetailScreen

            self.app.push_screen(ContactDetailScreen(contact_id))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_done(self) -> None:
        found = self._focused_key()
        if found is None or found[0] != "today-follow-ups":
            return
        try:
            with self.app.session("marking the follow-up done") as session:  # type: ignore[attr-defined]
                today.complete(session, found[1], self.app.today())  # type: ignore[attr-defined]
        except HrdError as exc:
            self.app.notify(str(exc), severity="error", markup=False)
            return
        self.app.notify("Follow-up marked done.")
        self.reload()
