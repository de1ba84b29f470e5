"""Reports: pick a report type and a period, read the Markdown draft, save it.

The preview is the very text ``hrd-tui report`` writes for the same type and
period (one function makes both), shown as plain text: nothing in it is
interpreted, so a name typed as ``[bold]`` stays as typed. Saving writes a
plain-text file with mode 0600, after saying so; names follow each contact's
naming consent (the screen never writes real names).

F3 saves the draft on screen, the very text and under its own type and period,
never one drafted anew from the type and period typed since: the officer checks
what they read before it leaves the vault, and a report they have not read must
not go out under the name of one they have. When the type, period or layout above no
longer matches the draft, the status line says so and the save dialog says which
report it saves (F2 drafts the other). Coming back to the screen drafts the same
report again (the vault may have changed), and a file is replaced only after a
question naming it and what it holds.

The draft is made, and the file written, on a worker thread (calls.attempt_in_worker):
a busy post's year takes seconds, and the app keeps drawing, the idle lock counting
and a hang-up handled meanwhile. While it drafts, the status line says so and F2 or
F3 pressed again starts nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Select, Static, TextArea

from hrd_tui import paths
from hrd_tui.errors import HrdError, ValidationError
from hrd_tui.screens.calls import attempt_in_worker
from hrd_tui.screens.forms import choices
from hrd_tui.screens.sections import Section, SectionScreen
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.dialog import Dialog
from hrd_tui.screens.widgets.file_import import FileImportModal
from hrd_tui.screens.widgets.record_form import parse_date
from hrd_tui.screens.widgets.toggles import MarkedSelect
from hrd_tui.screens.widgets.vault_text import on_screen
from hrd_tui.services import base, reference, reports
from hrd_tui.vocab import ReportType

#: What a draft is asked for by: its type, period and layout (None: the report has none).
Request = tuple[ReportType, date, date, str | None]
#: The layout row's one choice for the regular report.
NO_LAYOUT = "-"

#: Lines of a draft put in the preview in one turn of the event loop (see show_preview).
PREVIEW_PART_LINES = 250

PLAIN_TEXT = (
    "The file is plain text: anyone who can read it reads the report. Names follow each "
    "contact's naming consent; check it before sending."
)


@dataclass(frozen=True)
class Draft:
    """A report as drafted: what the preview shows, and what F3 saves."""

    kind: ReportType
    start: date
    end: date
    text: str
    layout: str | None = None  # the layout's key (crhrp, tip, irf); None: the default

    @property
    def request(self) -> Request:
        return self.kind, self.start, self.end, self.layout

    @property
    def title(self) -> str:
        return reports.draft_title(self.kind, self.start, self.end)


def last_month(today: date) -> tuple[date, date]:
    """The regular reporting period: the previous calendar month."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class ReportsScreen(ShellAccess, SectionScreen):
    CSS_PATH = "reports.tcss"
    BINDINGS = [
        # ctrl+r drafts, ctrl+o saves (as in every form): for terminals without F-keys.
        Binding(
            "f2,ctrl+r",
            "preview",
            "Preview",
            id="reports.preview",
            key_display="f2 ^r",
            tooltip="Draft the report for this type and period",
        ),
        Binding(
            "f3,ctrl+o",
            "save",
            "Save",
            id="reports.save",
            key_display="f3 ^o",
            tooltip="Save the report as a plain-text file (mode 0600)",
        ),
        Binding(
            "l",
            "import_layout",
            "Import layout",
            id="reports.import_layout",
            tooltip="Add the post's own layout for a new edition, from a TOML file (hrd-tui layout show KEY)",
        ),
        Binding(
            "slash",
            "edit_period",
            "Period",
            id="reports.period",
            key_display="/",
            tooltip="Change the report type, period and layout",
        ),
    ]

    def __init__(self, section: Section) -> None:
        super().__init__(section)
        self.draft: Draft | None = None  # what the preview shows
        self._dialogs = 0  # own dialogs open (saving): coming back from one drafts nothing anew
        self.drafting = False  # a draft is being made on a worker: F2 and F3 wait for it
        self.layouts: dict[ReportType, list[tuple[str, str]]] = {}  # each laid-out report's, the default first

    def compose(self) -> ComposeResult:
        yield self.section_bar()
        with Vertical(id="reports-body"):
            with Horizontal(id="reports-form"):
                yield MarkedSelect(
                    [(label, code) for code, label in choices("report_type", ReportType)],  # > when open
                    value=ReportType.REGULAR.value,
                    allow_blank=False,
                    id="report-type",
                    compact=True,
                )
                yield Static(" from ", classes="reports-label", markup=False)
                yield Input(id="report-from", placeholder="YYYY-MM-DD", compact=True)
                yield Static(" to ", classes="reports-label", markup=False)
                yield Input(id="report-to", placeholder="YYYY-MM-DD", compact=True)
            with Horizontal(id="reports-layout-row"):
                yield Static("Layout ", classes="reports-label", markup=False)
                yield MarkedSelect(
                    [("none: the regular report's sections are the app's", NO_LAYOUT)],
                    value=NO_LAYOUT,
                    allow_blank=False,
                    id="report-layout",
                    compact=True,
                )
            yield Static("", id="reports-error", markup=False)
            yield TextArea(
                "", id="report-preview", read_only=True, soft_wrap=True, show_line_numbers=False, compact=True
            )
            yield Static(
                "F2 (^r) drafts the report for the type and period above; F3 (^o) saves it.",
                id="reports-status",
                markup=False,
            )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        start, end = last_month(self.shell.today())
        self.query_one("#report-from", Input).value = start.isoformat()
        self.query_one("#report-to", Input).value = end.isoformat()
        self.query_one("#report-type", Select).focus()
        self._read_layouts()

    def _read_layouts(self) -> None:
        attempt_in_worker(
            self,
            lambda: reports.layout_choices(self.shell),
            self._layouts_read,
            what="reading the report layouts",
            kept=False,
        )

    def action_import_layout(self) -> None:
        """The post's own layout from a TOML file (as 'hrd-tui layout import'): once
        imported, the layouts offered are read again (a newer edition becomes the default)."""
        self._ask(ImportLayoutModal(), lambda imported: self._read_layouts() if imported else None)

    def _layouts_read(self, layouts: dict[ReportType, list[tuple[str, str]]]) -> None:
        self.layouts = layouts
        self._offer_layouts()

    def _offer_layouts(self) -> None:
        """The layouts of the type chosen above, the newest edition first (the default);
        the regular report has none."""
        select = self.query_one("#report-layout", Select)
        kind = ReportType(str(self.query_one("#report-type", Select).value))
        offered = self.layouts.get(kind) or [("none: the regular report's sections are the app's", NO_LAYOUT)]
        select.set_options(offered)
        select.value = offered[0][1]
        select.disabled = kind not in self.layouts

    def _layout(self) -> str | None:
        value = str(self.query_one("#report-layout", Select).value)
        return None if value == NO_LAYOUT else value

    def resumed(self) -> None:
        """Back from the save dialog or its question, the vault is as it was: the draft
        stays (a busy year takes seconds to draft). Back from anything else (help, the
        palette, a quick note), it is drafted again."""
        if self._dialogs:
            self._dialogs -= 1
            return
        self.reload()

    def _ask(self, dialog: ModalScreen[Any], answered: Callable[[Any], None]) -> None:
        """Open one of this screen's own dialogs (saving): coming back from it keeps the draft."""
        self._dialogs += 1
        self.app.push_screen(dialog, answered)

    def reload(self) -> None:
        """Back on the screen, or the vault reopened: the draft follows the vault; the
        same report (type and period) as drafted, whatever the fields above say now."""
        if self.draft is not None and not self.shell.locked and not self.drafting:
            self._start_draft(self.draft.request)

    def refresh_discreet(self, on: bool) -> None:
        """Discreet mode changes only how the draft is shown, not the draft."""
        self.show_preview(on)

    # -- the period ------------------------------------------------------------------------------
    def _request(self) -> Request | None:
        """The type and period typed, or None with the problem shown (what was typed stays)."""
        today = self.shell.today()
        error = self.query_one("#reports-error", Static)
        problems: dict[str, str] = {}
        dates: dict[str, date] = {}
        for name in ("from", "to"):
            typed = self.query_one(f"#report-{name}", Input).value
            try:
                dates[name] = parse_date(typed, today)
            except (ValueError, OverflowError):
                problems[name] = base.no_such_day(typed) or "use YYYY-MM-DD, 'today' or +N/-N days"
        if not problems:
            try:
                reports.check_period(dates["from"], dates["to"])
            except ValidationError as exc:
                problems.update(exc.errors)
        if problems:
            error.update("; ".join(f"{name}: {message}" for name, message in problems.items()))
            first = next(iter(problems))
            target = f"#report-{first}" if first in ("from", "to") else "#report-from"
            self.query_one(target, Input).focus()
            return None
        error.update("")
        return ReportType(str(self.query_one("#report-type", Select).value)), dates["from"], dates["to"], self._layout()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_preview()

    @on(Select.Changed, "#report-type")
    def _type_changed(self) -> None:
        self._offer_layouts()
        self._asked_changed()

    @on(Select.Changed, "#report-layout")
    @on(Input.Changed, "#report-from, #report-to")
    def _asked_changed(self) -> None:
        if self.draft is not None:
            self.show_status()

    def _asked(self) -> Request | None:
        """The type and period the fields above ask for now (None: not a valid period), quietly."""
        today = self.shell.today()
        try:
            start, end = (parse_date(self.query_one(f"#report-{n}", Input).value, today) for n in ("from", "to"))
        except (ValueError, OverflowError):
            return None
        return ReportType(str(self.query_one("#report-type", Select).value)), start, end, self._layout()

    def stale(self) -> bool:
        """The fields above ask for another report than the draft shown."""
        return self.draft is not None and self._asked() != self.draft.request

    def action_edit_period(self) -> None:
        self.query_one("#report-type", Select).focus()

    # -- drafting and saving -----------------------------------------------------------------------
    def action_preview(self) -> None:
        if self._still_drafting():
            return
        request = self._request()
        if request is not None:
            self._start_draft(request)

    def _still_drafting(self) -> bool:
        """A draft is being made: said, and nothing else started (one draft at a time)."""
        if self.drafting:
            self.app.notify("Still drafting the report: it shows here when done.", severity="warning", markup=False)
        return self.drafting

    def _start_draft(self, request: Request) -> None:
        """On a worker: a year of a busy post takes seconds (bench/bench_reports.py)."""
        kind, start, end, layout = request
        self.drafting = True
        self.query_one("#reports-status", Static).update("Drafting the report (a busy year takes a few seconds)...")
        attempt_in_worker(
            self,
            lambda: reports.draft_report(self.shell, kind, start, end, layout),
            lambda text: self._drafted(Draft(kind, start, end, text, layout)),  # the text and what it is
            what="drafting the report",
            kept=False,
            refused=self._not_drafted,
        )

    def _drafted(self, draft: Draft) -> None:
        self.drafting = False
        self.draft = draft
        self.show_preview(self.shell.discreet)
        self.query_one("#report-preview", TextArea).focus()

    def _not_drafted(self, _exc: HrdError) -> None:
        self.drafting = False
        self.show_status()

    def show_preview(self, discreet: bool) -> None:
        """The draft on screen: in discreet mode with every name as a codename, whatever
        the consent (the screen may be seen); the file F3 saves follows each consent.

        A long draft goes in a part at a time, the event loop given a turn between two
        parts: a year's draft (thousands of lines) loaded at once held the loop for
        60-150 ms (bench_reports), and so did parts chained by call_after_refresh (the
        screen ran them one after the other within one turn). The first screenful is
        what the officer reads first."""
        if self.draft is None:
            return
        lines = on_screen(self.draft.text).split("\n")
        self.query_one("#report-preview", TextArea).load_text("\n".join(lines[:PREVIEW_PART_LINES]))
        # exclusive: a newer preview stops an older one's loading.
        self.run_worker(self._load_rest(lines), group="preview", exclusive=True, description="showing the draft")
        self.show_status(discreet)

    async def _load_rest(self, lines: list[str]) -> None:
        preview = self.query_one("#report-preview", TextArea)
        for start in range(PREVIEW_PART_LINES, len(lines), PREVIEW_PART_LINES):
            await asyncio.sleep(0)  # keys, the idle lock and drawing between two parts
            preview.insert(
                "\n" + "\n".join(lines[start : start + PREVIEW_PART_LINES]),
                preview.document.end,
                maintain_selection_offset=True,
            )

    def show_status(self, discreet: bool | None = None) -> None:
        """What the preview is; when the fields above ask for another report, that it is
        not that one (F3 saves the preview, F2 drafts the other)."""
        draft = self.draft
        if draft is None:
            return
        if discreet is None:
            discreet = self.shell.discreet
        shown = f"{reference.label('report_type', draft.kind)}, {draft.start} to {draft.end}"
        if draft.layout:
            shown += f" ({draft.layout})"
        if self.stale():
            status = (
                f"Shown: {shown}, not the type, period or layout above. F2 drafts that; F3 (^o) saves the one shown."
            )
        else:
            lines = draft.text.count("\n")
            hidden = (
                " Discreet mode: names hidden on screen; the saved file names those who consented." if discreet else ""
            )
            status = f"{shown}: {lines} lines. F3 (^o) saves it (plain text).{hidden}"
        self.query_one("#reports-status", Static).update(status)

    def default_path(self, draft: Draft) -> Path:
        return self.export_dir() / f"report-{draft.kind.value}-{draft.start}-{draft.end}.md"

    def export_dir(self) -> Path:
        return self.shell.export_dir or paths.default_export_dir()

    def action_save(self) -> None:
        if self._still_drafting():
            return
        draft = self.draft  # the draft on screen now: saved as it is, whatever happens after
        if draft is None:
            self.app.notify("Draft the report first (F2 or ^r).", severity="warning", markup=False)
            return
        what = f"The draft shown: {draft.title}."
        if self.stale():
            what += " Not the type, period or layout above, chosen since: Esc, then F2 drafts that one."
        self._ask(SaveModal(str(self.default_path(draft)), what=what), lambda target: self._save_to(draft, target))

    def _save_to(self, draft: Draft, target: str | None) -> None:
        if not target:
            return
        path = Path(target).expanduser()

        def write(yes: bool | None = True) -> None:
            if not yes:
                return
            attempt_in_worker(
                self,
                lambda: reports.save_report(path, draft.text, export_dir=self.export_dir()),
                lambda _none: self.app.notify(
                    f"Saved the {draft.title} to {path} (mode 0600, plain text).", markup=False
                ),
                what="saving the report",
                kept=False,
            )

        if path.exists():
            question = (
                f"{path} exists. It holds {reports.what_file_holds(path)}.\n"
                f"Replace it with the draft of the {draft.title}?"
            )
            self._ask(ConfirmModal(question, yes="Replace", no="Keep it"), write)
        else:
            write()


class SaveModal(Dialog[str | None]):
    """Where to save: a path, with the warning that the file is plain text."""

    BINDINGS = [Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="report_save.cancel")]

    def __init__(self, suggested: str, *, what: str = "") -> None:
        super().__init__(classes="report-save")
        self.suggested = suggested
        self.what = what  # which report is saved

    def compose(self) -> ComposeResult:
        with Vertical(id="report-save-box"):
            yield Static("Save the report (Enter saves, Esc cancels)", markup=False)
            if self.what:
                yield Static(self.what, id="report-save-what", markup=False)
            yield Static(PLAIN_TEXT, markup=False)
            yield Input(self.suggested, id="report-save-path", compact=True)

    def on_mount(self) -> None:
        self.query_one("#report-save-path", Input).focus()

    @on(Input.Submitted, "#report-save-path")
    def _chosen(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class ImportLayoutModal(FileImportModal):
    """The post's own report layout from a TOML file: checked (a refusal names the line,
    the path stays as typed), kept in the vault, never over a shipped one."""

    BINDINGS = [Binding("escape,ctrl+g", "dismiss(False)", "Cancel", id="layout_import.cancel")]
    PROMPT = "Import a report layout: path of the TOML file (Enter imports, Esc cancels)"
    PLACEHOLDER = "~/layouts/crhrp-2025.toml"

    def run_import(self, path: Path) -> str:
        title = reports.import_layout_file(self.shell, path)
        return f"Imported the report layout {title}."
