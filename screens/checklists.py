"""Checklists: runs in progress, starting a run, and the keyboard walkthrough.

Every change is saved the moment a key is pressed (one transaction each);
leaving and coming back resumes at the item last worked on. States are shown
as marks ([x] done, [-] not applicable, [!] blocked, [ ] open), never by
colour alone. A fair-trial run also records a finding per item (R respected,
C concern, V violation, O not observed, - clears it), written in words before
the item's text, apart from its state; the item's note is its evidence. x exports a run as Markdown, the very text 'hrd-tui export
checklist RUN' writes (a plain-text file, mode 0600, never over another file
without asking); the run's id is shown in the list and on the walkthrough.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    OptionList,
    ProgressBar,
    Static,
)
from textual.widgets.option_list import Option

from hrd_tui import paths
from hrd_tui.errors import HrdError
from hrd_tui.sanitize import plural
from hrd_tui.screens.calls import REFUSED, attempt, attempt_in_worker
from hrd_tui.screens.places import Placed
from hrd_tui.screens.reports import SaveModal
from hrd_tui.screens.sections import Section, SectionScreen
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.draft_input import DraftInput
from hrd_tui.screens.widgets.file_import import FileImportModal
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.toggles import PointerOptionList
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import base, checklists, trials
from hrd_tui.vocab import Finding, ItemStatus

EXPORT_WARNING = (
    "The file is plain text: anyone who can read it reads the run, its notes included. "
    "Keep it encrypted, never e-mail it, and delete it when done."
)


class ExportRunModal(SaveModal):
    """Where to write a run's Markdown: the report dialog's path field and Enter, its own words."""

    def compose(self) -> ComposeResult:
        with Vertical(id="report-save-box"):
            yield Static("Export the checklist run as Markdown (Enter saves, Esc cancels)", markup=False)
            yield Static(EXPORT_WARNING, markup=False)
            yield Input(self.suggested, id="report-save-path", compact=True)


class ExportsRun(ShellAccess, Screen[None]):
    """x on a screen showing a run: ask where, ask before replacing a file, then read
    and write in a worker (services.checklists.export_markdown, as the CLI)."""

    def export_run(self, run_id: str) -> None:
        folder = self.shell.export_dir or paths.default_export_dir()
        suggested = folder / f"checklist-{base.short_id(run_id)}.md"

        def chosen(target: str | None) -> None:
            if not target:
                return
            path = Path(target).expanduser()

            def go(yes: bool | None = True) -> None:
                if yes:
                    self._write_run(run_id, path, path.parent == folder)

            if path.exists():
                self.app.push_screen(ConfirmModal(f"{path} exists. Replace it?", yes="Replace", no="Keep it"), go)
            else:
                go()

        self.app.push_screen(ExportRunModal(str(suggested)), chosen)

    def _write_run(self, run_id: str, path: Path, own_folder: bool) -> None:
        def written(_: None) -> None:
            self.app.notify(f"Exported to {path} (mode 0600, plain text).", markup=False)

        attempt_in_worker(
            self,
            lambda: checklists.export_run_file(self.shell, run_id, path, own_folder=own_folder),
            written,
            what="exporting the run",
            kept=False,
        )


class ChecklistsScreen(ExportsRun, SectionScreen):
    BINDINGS = [
        Binding("s", "start", "Start checklist", id="checklists.start"),
        Binding("i", "import_template", "Import template", id="checklists.import"),
        Binding(
            "x",
            "export",
            "Export",
            id="checklists.export",
            tooltip="Export the run as Markdown (plain text, mode 0600)",
        ),
        Binding("enter", "open", "Open", id="checklists.open", show=False),
    ]

    def __init__(self, section: Section) -> None:
        super().__init__(section)

    def compose(self) -> ComposeResult:
        yield self.section_bar()
        with Vertical(id="section-body"):
            yield Static("Checklists in progress (Enter opens, s starts a new one)", id="section-title", markup=False)
            # Id: the start of the run's id, as 'hrd-tui export checklist RUN' takes it.
            yield fixed_table("runs", [("Checklist", 35), ("Progress", 8), ("Last change", 16), ("Id", 8)], flex=0)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#runs", DataTable).focus()

    def reload(self) -> None:
        if self.shell.locked:
            return
        table = self.query_one("#runs", DataTable)
        table.clear()
        for run in checklists.run_rows(self.shell):
            table.add_row(
                literal(run.title, single_line=True),
                f"{run.settled}/{run.total}",
                f"{run.updated_at:%Y-%m-%d %H:%M}",
                base.short_id(run.id),
                key=run.id,
            )

    def _highlighted_run(self) -> str | None:
        table = self.query_one("#runs", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_open(self) -> None:
        run_id = self._highlighted_run()
        if run_id:
            self.app.push_screen(WalkthroughScreen(run_id))

    def action_export(self) -> None:
        run_id = self._highlighted_run()
        if run_id is None:
            self.app.notify("No checklist in progress to export.", severity="warning", markup=False)
            return
        self.export_run(run_id)

    @on(DataTable.RowSelected, "#runs")
    def _run_selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(WalkthroughScreen(str(event.row_key.value)))

    def action_start(self) -> None:
        found = checklists.start_choices(self.shell, discreet=self.shell.discreet)
        choices = [(t.id, f"{t.title} ({plural(t.items, 'item')})") for t in found.templates]
        self.app.push_screen(StartChecklistModal(choices, list(found.attachments)), self._start)

    def action_import_template(self) -> None:
        self.app.push_screen(ImportTemplateModal())

    def _start(self, choice: tuple[str, dict[str, Any]] | None) -> None:
        if not choice:
            return
        template_id, attachment = choice
        run_id = attempt(self, lambda: checklists.start_checklist(self.shell, template_id, attachment), kept=False)
        if run_id is REFUSED:
            return
        self.reload()
        self.app.push_screen(WalkthroughScreen(run_id))


class StartChecklistModal(ModalScreen[tuple[str, dict[str, Any]] | None]):
    """Pick a template, then what the run is attached to (or nothing)."""

    BINDINGS = [Binding("escape,left", "dismiss(None)", "Cancel", id="start.cancel")]

    def __init__(self, choices: list[tuple[str, str]], attachments: list[tuple[str, dict[str, Any]]]) -> None:
        super().__init__()
        self.choices, self.attachments = choices, attachments
        self.template_id: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="start-box"):
            yield Static("Start which checklist? (Enter chooses, Esc or Left cancels)", id="start-prompt", markup=False)
            yield PointerOptionList(
                *[Option(literal(label, single_line=True), id=tid) for tid, label in self.choices], id="templates"
            )
            yield PointerOptionList(
                *[Option(literal(label, single_line=True), id=str(n)) for n, (label, _) in enumerate(self.attachments)],
                id="attach",
            )

    def on_mount(self) -> None:
        self.query_one("#attach").display = False

    @on(OptionList.OptionSelected, "#templates")
    def _template_chosen(self, event: OptionList.OptionSelected) -> None:
        self.template_id = event.option.id
        self.query_one("#templates").display = False
        self.query_one("#start-prompt", Static).update("Attach it to? (Enter starts)")
        attach = self.query_one("#attach", OptionList)
        attach.display = True
        attach.highlighted = 0
        attach.focus()

    @on(OptionList.OptionSelected, "#attach")
    def _attachment_chosen(self, event: OptionList.OptionSelected) -> None:
        assert self.template_id is not None
        self.dismiss((self.template_id, self.attachments[int(event.option.id or 0)][1]))


class ImportTemplateModal(FileImportModal):
    """Import an officer's own template from a TOML file; errors keep what was typed."""

    BINDINGS = [Binding("escape,ctrl+g", "dismiss(False)", "Cancel", id="template_import.cancel")]
    PROMPT = "Import a checklist template: path of the TOML file (Enter imports, Esc cancels)"
    PLACEHOLDER = "~/templates/prison-visit.toml"

    def run_import(self, path: Path) -> str:
        row = checklists.import_template_file(self.shell, path)
        return f"Imported '{row.title}' ({plural(row.items, 'item')})."


class NoteModal(ModalScreen[str | None]):
    """The note of one item; what is typed survives a lock like any draft."""

    BINDINGS = [Binding("escape,ctrl+g", "dismiss(None)", "Cancel", id="note.cancel")]

    def __init__(self, draft_key: str, item_text: str, note: str) -> None:
        super().__init__()
        self.draft_key, self.item_text, self.note = draft_key, item_text, note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield VaultText(self.item_text, id="note-item")
            yield Static("Note (Enter saves, Esc cancels)", markup=False)
            yield DraftInput(self.draft_key, value=self.note, id="note")

    @on(DraftInput.Submitted, "#note")
    def _note_submitted(self, event: DraftInput.Submitted) -> None:
        field = self.query_one("#note", DraftInput)
        self.dismiss(event.value)
        field.committed()


class WalkthroughScreen(ExportsRun, Placed):
    BINDINGS = [
        Binding("j", "move(1)", "Down", id="walk.down", show=False),
        Binding("k", "move(-1)", "Up", id="walk.up", show=False),
        Binding("space", "mark('done')", "Done", id="walk.done"),
        Binding("n", "mark('not_applicable')", "N/A", id="walk.na"),
        Binding("b", "mark('blocked')", "Blocked", id="walk.blocked"),
        Binding("u", "mark('open')", "Reopen", id="walk.open"),
        Binding("enter", "note", "Note", id="walk.note"),
        Binding(
            "x", "export", "Export", id="walk.export", tooltip="Export the run as Markdown (plain text, mode 0600)"
        ),
        Binding("escape,left", "back", "Back", id="walk.back"),
        # Fair-trial findings: capitals, free on every screen (the lower-case letters go to
        # sections), and plain keys that SSH and tmux pass on. In help and the palette.
        Binding("R", "find('respected')", "Respected", id="walk.respected", show=False, tooltip="Finding: respected"),
        Binding("C", "find('concern')", "Concern", id="walk.concern", show=False, tooltip="Finding: concern"),
        Binding("V", "find('violation')", "Violation", id="walk.violation", show=False, tooltip="Finding: violation"),
        Binding(
            "O",
            "find('not_observed')",
            "Not observed",
            id="walk.not_observed",
            show=False,
            tooltip="Finding: not observed",
        ),
        Binding(
            "minus",
            "find('')",
            "No finding",
            id="walk.no_finding",
            key_display="-",
            show=False,
            tooltip="Clear the finding",
        ),
    ]

    def __init__(self, run_id: str) -> None:
        super().__init__(classes="walkthrough")
        self.run_id = run_id
        self.items: list[dict[str, Any]] = []
        self.status: dict[str, ItemStatus] = {}
        self.notes: dict[str, str] = {}
        self.findings: dict[str, Finding] = {}
        self.records_findings = False  # a fair-trial run
        self.attached: dict[str, list[str]] = {}  # hearing notes attached to each item

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="walk-title", single_line=True)
        with Horizontal(id="walk-top"):
            yield ProgressBar(id="walk-progress", show_eta=False, show_percentage=False)
            yield Static("", id="walk-counts", markup=False)
        with Horizontal(id="walk-body"):
            yield PointerOptionList(id="walk-items")  # > on the item the keys act on
            with VerticalScroll(id="walk-side"):
                yield VaultText("", id="walk-guidance")
                yield VaultText("", id="walk-note")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        run = checklists.run_view(self.shell, self.run_id)
        self.items = list(run.items)
        self.status, self.notes = dict(run.status), dict(run.notes)
        self.findings, self.records_findings = dict(run.findings), run.records_findings
        current = run.current_item
        if run.hearing_id:
            self.attached = {
                item_id: [f"{line.noted_at.astimezone():%H:%M} {line.text}" for line in lines]
                for item_id, lines in trials.attached_notes(self.shell, self.run_id).items()
            }
        # The id first: a long title is cut at the right, and the id is what the CLI takes.
        self.query_one("#walk-title", VaultText).set_text(
            f"Id: {base.short_id(run.id)}  {run.title} (v{run.template_version})"
        )
        items = self.query_one("#walk-items", OptionList)
        items.add_options([Option(self._label(n, item), id=item["id"]) for n, item in enumerate(self.items)])
        index = next((n for n, item in enumerate(self.items) if item["id"] == current), 0)
        items.highlighted = index
        items.focus()
        self._refresh_progress()
        self._show(index)

    def _label(self, n: int, item: dict[str, Any]) -> Content:
        finding = self.findings.get(item["id"])
        found = f"{checklists.finding_word(finding).upper()}: " if finding else ""  # words, never colour alone
        return literal(
            f"{checklists.MARKS[self.status.get(item['id'], ItemStatus.OPEN)]} {n + 1}. {found}{item['text']}"
        )

    def _refresh_progress(self) -> None:
        total = len(self.items)
        counts = {s: sum(1 for v in self.status.values() if v == s) for s in ItemStatus}
        settled = counts[ItemStatus.DONE] + counts[ItemStatus.NOT_APPLICABLE]
        self.query_one("#walk-progress", ProgressBar).update(total=total or 1, progress=settled)
        self.query_one("#walk-counts", Static).update(
            f" {settled}/{total}  done {counts[ItemStatus.DONE]}  n/a {counts[ItemStatus.NOT_APPLICABLE]}  "
            f"blocked {counts[ItemStatus.BLOCKED]}  open {counts[ItemStatus.OPEN]}"
        )

    def _show(self, index: int | None) -> None:
        if index is None or not self.items:
            return
        item = self.items[index]
        how = f"How: {item['guidance']}"
        note = self.notes.get(item["id"], "")
        if self.records_findings:  # the finding first: a long guidance must not push it off the screen
            word = checklists.finding_word(self.findings.get(item["id"]))
            how = f"Finding: {word} (keys R C V O; - clears)\n\n{how}"
            text = f"Evidence (note): {note}" if note else "No evidence noted (Enter adds a note)."
        else:
            text = f"Note: {note}" if note else "No note (Enter adds one)."
        self.query_one("#walk-guidance", VaultText).set_text(how)
        attached = self.attached.get(item["id"], [])
        if attached:
            text += "\n\nHearing notes attached here:\n" + "\n".join(attached)
        self.query_one("#walk-note", VaultText).set_text(text)

    @property
    def current(self) -> int | None:
        return self.query_one("#walk-items", OptionList).highlighted

    @on(OptionList.OptionHighlighted, "#walk-items")
    def _item_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    @on(OptionList.OptionSelected, "#walk-items")
    def _item_selected(self) -> None:
        self.action_note()

    def action_move(self, delta: int) -> None:
        items = self.query_one("#walk-items", OptionList)
        items.action_cursor_down() if delta > 0 else items.action_cursor_up()

    def action_mark(self, status: str) -> None:
        index = self.current
        if index is None:
            return
        item_id = self.items[index]["id"]
        # Refused: nothing changed; said, and the screen kept as it was.
        if (
            attempt(
                self, lambda: checklists.set_run_item(self.shell, self.run_id, item_id, ItemStatus(status)), kept=False
            )
            is REFUSED
        ):
            return
        self.status[item_id] = ItemStatus(status)
        self.query_one("#walk-items", OptionList).replace_option_prompt_at_index(
            index, self._label(index, self.items[index])
        )
        self._refresh_progress()
        if status != "open" and index + 1 < len(self.items):
            self.action_move(1)

    def action_find(self, finding: str) -> None:
        """The highlighted item's finding ('' clears it), saved at once; the cursor stays,
        so that Enter can add the evidence next."""
        index = self.current
        if index is None:
            return
        if not self.records_findings:
            self.app.notify("Findings are recorded on fair-trial checklists only.", markup=False)
            return
        item_id = self.items[index]["id"]
        chosen = Finding(finding) if finding else None
        if (
            attempt(self, lambda: checklists.set_run_finding(self.shell, self.run_id, item_id, chosen), kept=False)
            is REFUSED
        ):
            return
        if chosen is None:
            self.findings.pop(item_id, None)
        else:
            self.findings[item_id] = chosen
        self.query_one("#walk-items", OptionList).replace_option_prompt_at_index(
            index, self._label(index, self.items[index])
        )
        self._show(index)

    def action_note(self) -> None:
        index = self.current
        if index is None:
            return
        item = self.items[index]

        def save(note: str | None) -> None:
            if note is None:
                return
            try:
                checklists.set_run_item(self.shell, self.run_id, item["id"], note=note)
            except HrdError as exc:
                self.app.notify(f"{exc} The note is kept as a draft.", severity="error", markup=False)
                self.shell.draft_changed(key, note)
                return
            self.notes[item["id"]] = note
            self._show(index)

        key = f"checklist-note:{self.run_id}:{item['id']}"
        self.app.push_screen(NoteModal(key, item["text"], self.notes.get(item["id"], "")), save)

    def action_export(self) -> None:
        self.export_run(self.run_id)

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_screen_suspend(self) -> None:
        """Leaving (back, another section): remember the item to resume at."""
        self.save_state()

    def save_state(self) -> None:
        """Called by the app before a lock or an exit, too, while the vault is open."""
        if self.shell.locked or not self.items:
            return
        index = self.current
        if index is None:
            return
        checklists.remember_item(self.shell, self.run_id, self.items[index]["id"])
