"""Quick notes at a hearing: type, Enter, and the line is in the vault with its time.

The line being typed is a draft: saved (encrypted, in the vault) at most every
two seconds while it changes, and at once on a lock, a hang-up or SIGTERM; after
a crash the next unlock opens this screen with the text back in the line.
Committing a line is one small transaction and never waits for anything else.

The screen shows no names: the hearing is given by case number, court and time
unless discreet mode is off and the officer asks for names (ctrl+n). Earlier
lines can be corrected (the original is kept and shown as corrected) and
attached to the current item of the hearing's fair-trial checklist with one key.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from hrd_tui.errors import HrdError
from hrd_tui.sanitize import for_display
from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.places import Placed
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.draft_input import DraftInput
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import reference, trials
from hrd_tui.services.trials import NoteView

SHORTHAND_OF = {tag: key for key, tag in trials.SHORTHAND.items()}
TAGS_HELP = "a: access  p: procedure  t: testimony  e: evidence  d: defendant  q: quote"


def line_label(line: NoteView, item_numbers: dict[str, int]) -> Content:
    tag = f"[{reference.short_label('note_tag', line.tag)}] " if line.tag else ""
    corrected = " (corrected)" if line.corrected else ""
    item = f"  -> item {item_numbers[line.item_id]}" if line.item_id in item_numbers else ""
    return literal(f"{line.noted_at.astimezone():%H:%M} {tag}{line.text}{corrected}{item}")


def numbered(item_ids: tuple[str, ...]) -> dict[str, int]:
    """Each item of the fair-trial checklist by its number, from 1."""
    return {item_id: n + 1 for n, item_id in enumerate(item_ids)}


class NoteLog(OptionList):
    """The earlier lines. A printable key here goes on into the line being typed: the
    shorthand letters are also the section keys, and a "t:" typed with the log in
    focus must not leave the hearing."""

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character != "c":
            event.stop()
            event.prevent_default()
            screen = self.screen
            if isinstance(screen, NoteScreen):
                screen.type_into_line(event.character)


class NoteLineInput(DraftInput):
    """The line being typed. A paste of several lines is that many notes (the app
    hands a one-line field a multi-line paste through ``paste_lines``)."""

    def paste_lines(self, lines: list[str]) -> bool:
        screen = self.screen
        return isinstance(screen, NoteScreen) and screen.save_pasted(lines)


class NoteScreen(ShellAccess, Placed, Screen[None]):
    CSS_PATH = "trials.tcss"
    BINDINGS = [
        Binding("up", "to_log", "Earlier lines", id="notes.log", tooltip="Go to earlier lines (Enter corrects one)"),
        Binding(
            "c",
            "attach",
            "Attach",
            id="notes.attach",
            tooltip="Attach the highlighted line to the current fair-trial checklist item",
        ),
        Binding("ctrl+n", "names", "Names", id="notes.names", tooltip="Show or hide names (never in discreet mode)"),
        Binding("escape,ctrl+g", "back", "Back", id="notes.back"),
    ]

    def __init__(self, hearing_id: str) -> None:
        super().__init__(classes="notes")
        self.hearing_id = hearing_id
        self.lines: list[NoteView] = []
        self.correcting: int | None = None  # index in self.lines
        self.show_names = False
        self.item_numbers: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield VaultText("", id="notes-title", single_line=True)
        yield Static(TAGS_HELP, id="notes-tags", markup=False)
        yield NoteLog(id="notes-log")
        yield Static("", id="notes-status", markup=False)
        yield NoteLineInput(f"note:{self.hearing_id}", id="note-line", placeholder="type, then Enter", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    @property
    def fix_key(self) -> str:
        """The draft that remembers which line is being corrected, so that a crash in
        the middle of a correction does not turn it into a new line."""
        return f"note-fix:{self.hearing_id}"

    def on_mount(self) -> None:
        self.watch(self.app, "discreet", self.show_title)
        self.load()
        fixing, _ = self.shell.draft_for(self.fix_key)
        index = next((n for n, line in enumerate(self.lines) if line.id == fixing), None)
        if index is not None and self.query_one("#note-line", DraftInput).value:
            self._start_correction(index, keep_text=True)
        self.set_focus(self.query_one("#note-line", DraftInput))

    def type_into_line(self, character: str) -> None:
        field = self.query_one("#note-line", DraftInput)
        self.set_focus(field)
        field.insert_text_at_cursor(character)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "attach":  # a letter: only while the log, not the line, has the focus
            return self.query_one("#notes-log", OptionList).has_focus
        if action == "to_log":
            return self.query_one("#note-line", DraftInput).has_focus
        return True

    # -- showing -------------------------------------------------------------------
    def show_title(self, discreet: bool) -> None:
        if self.shell.locked:
            return
        if discreet:
            self.show_names = False  # names come back only when asked again
        label = trials.hearing_title(self.shell, self.hearing_id, discreet=discreet or not self.show_names)
        self.query_one("#notes-title", VaultText).set_text(f"Notes: {label}")

    def load(self) -> None:
        page = trials.note_page(self.shell, self.hearing_id)
        self.lines = list(page.lines)
        self.item_numbers = numbered(page.item_ids)
        log = self.query_one("#notes-log", OptionList)
        log.clear_options()
        log.add_options([Option(line_label(line, self.item_numbers)) for line in self.lines])
        log.scroll_end(animate=False)
        self.query_one("#notes-status", Static).update(
            f"{len(self.lines)} lines. Enter saves a line; up goes to earlier ones."
        )

    # -- writing ----------------------------------------------------------------------
    @on(DraftInput.Submitted, "#note-line")
    def _commit(self, event: DraftInput.Submitted) -> None:
        text = event.value
        if not text.strip():
            return
        if self.correcting is not None:
            self._save_correction(text)
        elif self._save_new([text]):
            self._line_done("Saved", self.lines[-1])

    def save_pasted(self, lines: list[str]) -> bool:
        """Every pasted line a note, in order, the first joined to what was typed before
        the cursor and the last to what follows it. A correction takes one line: no."""
        if self.correcting is not None:
            return False
        field = self.query_one("#note-line", DraftInput)
        lines = list(lines)
        lines[0] = field.value[: field.cursor_position] + lines[0]
        lines[-1] = lines[-1] + field.value[field.cursor_position :]
        texts = [line for line in lines if line.strip()]
        if self._save_new(texts):
            self._line_done(f"{len(texts)} pasted lines saved" if len(texts) > 1 else "Saved", self.lines[-1])
            self.app.notify(f"{len(texts)} lines saved.", markup=False)
        else:
            field.value = " ".join(line.strip() for line in texts)  # kept, as a draft, until it can be saved
            field.cursor_position = len(field.value)
        return True

    def _save_new(self, texts: list[str]) -> bool:
        """The lines as notes, in one transaction (all or none); False, said, if not saved.
        On the UI thread, never in a worker: each Enter or paste is saved before the next
        key is handled, so lines keep the order they were typed in."""
        try:
            saved = trials.save_note_lines(self.shell, self.hearing_id, texts)
        except HrdError as exc:  # a full disk: the line stays where it is, as a draft
            self.app.notify(f"{exc} The line is kept.", severity="error", markup=False, timeout=10)
            return False
        log = self.query_one("#notes-log", OptionList)
        self.lines.extend(saved)
        log.add_options([Option(line_label(line, self.item_numbers)) for line in saved])
        log.scroll_end(animate=False)
        return True

    def _save_correction(self, text: str) -> None:
        assert self.correcting is not None
        original = self.lines[self.correcting]
        try:
            fix = trials.save_note_correction(self.shell, original.id, text)
        except HrdError as exc:
            self.app.notify(f"{exc} The line is kept.", severity="error", markup=False, timeout=10)
            return
        saved = original.corrected_to(fix)
        self.lines[self.correcting] = saved
        self.query_one("#notes-log", OptionList).replace_option_prompt_at_index(
            self.correcting, line_label(saved, self.item_numbers)
        )
        self._end_correction()
        self._line_done("Saved", saved)

    def _line_done(self, what: str, line: NoteView) -> None:
        field = self.query_one("#note-line", DraftInput)
        field.value = ""
        field.committed()
        self.query_one("#notes-status", Static).update(
            f"{len(self.lines)} lines. {what} {line.noted_at.astimezone():%H:%M}."
        )

    # -- earlier lines ---------------------------------------------------------------------
    def action_to_log(self) -> None:
        log = self.query_one("#notes-log", OptionList)
        if log.option_count:
            log.highlighted = log.option_count - 1
            self.set_focus(log)

    @on(OptionList.OptionSelected, "#notes-log")
    def _correct(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one("#note-line", DraftInput)
        if field.value.strip():
            what = "the correction" if self.correcting is not None else "the line being typed"
            self.app.notify(f"Save or clear {what} first (Esc clears a correction).", severity="warning")
            self.set_focus(field)
            return
        self._start_correction(event.option_index, keep_text=False)
        self.set_focus(field)

    def _start_correction(self, index: int, *, keep_text: bool) -> None:
        field = self.query_one("#note-line", DraftInput)
        self.correcting = index
        line = self.lines[index]
        if not keep_text:
            field.value = (f"{SHORTHAND_OF[line.tag]}: " if line.tag else "") + line.text
        field.cursor_position = len(field.value)
        self.shell.draft_changed(self.fix_key, line.id)
        self.query_one("#notes-status", Static).update(
            f"Correcting the {line.noted_at.astimezone():%H:%M} line (the original is kept). Enter saves, Esc cancels."
        )

    def _end_correction(self) -> None:
        self.correcting = None
        self.shell.draft_changed(self.fix_key, "")

    def action_attach(self) -> None:
        index = self.query_one("#notes-log", OptionList).highlighted
        if index is None:
            return
        line = self.lines[index]
        attached = attempt(
            self, lambda: trials.attach_note_to_current_item(self.shell, self.hearing_id, line.id), kept=False
        )
        if attached is REFUSED:
            return
        self.item_numbers = numbered(attached.item_ids)
        self.lines[index] = line.attached_to(attached.item_id)
        self.query_one("#notes-log", OptionList).replace_option_prompt_at_index(
            index, line_label(self.lines[index], self.item_numbers)
        )
        self.app.notify(
            for_display(f"Attached to item {self.item_numbers[attached.item_id]}: {attached.item_text}"), markup=False
        )
        self.set_focus(self.query_one("#note-line", DraftInput))

    def action_names(self) -> None:
        if self.shell.discreet:
            self.app.notify("Discreet mode is on: no names (d turns it off).", severity="warning")
            return
        self.show_names = not self.show_names
        self.show_title(False)

    def action_back(self) -> None:
        log = self.query_one("#notes-log", OptionList)
        field = self.query_one("#note-line", DraftInput)
        if self.correcting is not None:
            self._end_correction()
            field.value = ""
            self.query_one("#notes-status", Static).update("Correction cancelled.")
            self.set_focus(field)
        elif log.has_focus:
            self.set_focus(field)
        else:
            self.app.pop_screen()  # what is typed stays a draft, back when the screen opens again
