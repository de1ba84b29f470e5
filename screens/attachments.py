"""Evidence files in the app (issue 20): the attachments of a contact, a threat case, a
trial, a hearing or an observation.

Each of those screens shows its attachments in a section (name, type, size, the first
16 hex of the SHA-256, when added) and opens :class:`AttachmentsScreen` on ``A``: the
list as a table, with a line under it saying the selected one in full, and the keys to
add (a path typed, Tab or the greyed suggestion completing it), view, export and delete.

Intake and export run on a worker (a 200 MiB file takes seconds): the screen keeps
drawing, the keys typed meanwhile wait for the answer (as every import does), and a
refusal goes under the field with what was typed left in it. Esc during an intake
(or a lock) cancels it between two chunks, and nothing of the file is kept: a 4 GiB
file takes a minute, which neither the officer nor the lock should wait for. In
discreet mode an original name that names a contact is shown as ``[name hidden].jpg``
everywhere this module shows it (services.attachments.name_hider): the app's own
filter cannot see a name inside ``Amina_Yusuf_injuries.jpg``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import DataTable, Footer, Header, Input, Static

from hrd_tui import paths
from hrd_tui.errors import HrdError, ValidationError
from hrd_tui.sanitize import for_display, plural
from hrd_tui.screens.calls import REFUSED, attempt, hand_back
from hrd_tui.screens.places import Placed
from hrd_tui.screens.shell import Shell, ShellAccess, shell_of
from hrd_tui.screens.widgets.confirm import ConfirmModal
from hrd_tui.screens.widgets.dialog import Dialog
from hrd_tui.screens.widgets.record_form import ERROR_MARK
from hrd_tui.screens.widgets.tables import fixed_table
from hrd_tui.screens.widgets.toggles import MarkedCheckbox
from hrd_tui.screens.widgets.vault_text import VaultText, literal
from hrd_tui.services import attachments, file_metadata
from hrd_tui.services.attachments import AttachmentView, Exported, Owner

#: The key every record's screen opens its attachments with (free on all five).
KEY = "A"
#: Each kind of record as the screens name it.
NOUNS = {
    "contact": "contact",
    "case": "threat case",
    "trial": "trial",
    "hearing": "hearing",
    "observation": "observation",
}
HEADING = "Attachments: evidence files (A: add, view, export, delete)"
NONE_YET = "None yet (A, then n: a summons, a photo of injuries, a court document)."
EXPORT_WARNING = (
    "The exported file is NOT ENCRYPTED (mode 0600): anyone who can read it reads it. "
    "Keep it encrypted, never e-mail it, and delete it when done."
)
#: Entries of one folder looked at for a completion (a huge folder is not listed whole).
MAX_ENTRIES = 5000


def binding(prefix: str, *, show: bool = False) -> Binding:
    """The same key, words and palette entry on each record's screen (its own id); in the
    footer where it has room (``show``), else in F1, the palette and the section's heading."""
    return Binding(
        KEY,
        "attachments",
        "Files",
        id=f"{prefix}.attachments",
        show=show,
        tooltip="Attachments: evidence files kept with this record (add, view, export, delete)",
    )


def name_filter(shell: Shell, discreet: bool) -> Callable[[str], str]:
    """How original names are shown now: as kept, or with a contact's name hidden."""
    return attachments.name_hider(shell) if discreet else (lambda name: name)


def when(view: AttachmentView) -> str:
    return view.added_at.astimezone().strftime("%Y-%m-%d %H:%M")


def found_text(view: AttachmentView, discreet: bool) -> str:
    """The identifying metadata found at intake, in words (its values hidden in discreet mode)."""
    found = view.found_metadata
    if not found:
        return "no identifying metadata found"
    if discreet:
        return "identifying metadata found: " + ", ".join(found) + " (values hidden in discreet mode)"
    return "identifying metadata found: " + "; ".join(f"{k}: {v}" for k, v in found.items())


def lines_of(rows: list[AttachmentView], shown: Callable[[str], str]) -> list[str]:
    """Two lines an attachment, so 80 columns show it whole: what it is, then how to cite it."""
    lines: list[str] = []
    for a in rows:
        lines.append(f"{shown(a.name)}  ({a.media_type}, {a.size_text})  added {when(a)}")
        metadata = f"  metadata: {', '.join(a.found_metadata)}" if a.found_metadata else ""
        lines.append(f"  id {a.short_id}  SHA-256 {a.sha256[:16]}{metadata}")
        if a.note:
            lines.append(f"  note: {a.note}")
    return lines or [NONE_YET]


def section_text(shell: Shell, kind: str, owner_id: str, discreet: bool) -> str:
    """The attachments section of a record's screen."""
    rows = attachments.views(shell, Owner(kind, owner_id))
    return "\n".join(lines_of(rows, name_filter(shell, discreet) if rows else str))


def summary_line(shell: Shell, kind: str, owner_id: str, discreet: bool) -> str:
    """A record's attachments in one line, for a detail pane short of room ("" with none)."""
    rows = attachments.views(shell, Owner(kind, owner_id))
    if not rows:
        return ""
    shown = name_filter(shell, discreet)
    return f"Attachments (A lists them): {', '.join(f'{shown(a.name)} ({a.size_text})' for a in rows)}"


# -- completing a path --------------------------------------------------------------------------


def complete_path(typed: str) -> tuple[str, list[str]]:
    """``typed`` completed as far as the folder's entries agree (a folder gets its "/"),
    and the entries that start so (at most ``MAX_ENTRIES`` looked at). "~" is kept as typed."""
    if not typed:
        return typed, []
    folder_part, _, start = typed.rpartition("/")
    folder = Path(os.path.expanduser(folder_part + "/" if folder_part or typed.startswith("/") else "."))
    matches: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder) as entries:
            for n, entry in enumerate(entries):
                if n >= MAX_ENTRIES:
                    break
                if entry.name.startswith(start) and (start.startswith(".") or not entry.name.startswith(".")):
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    matches.append((entry.name, is_dir))
    except OSError:
        return typed, []
    if not matches:
        return typed, []
    matches.sort()
    names = [name + ("/" if is_dir else "") for name, is_dir in matches]
    common = os.path.commonprefix(names)
    head = typed[: len(typed) - len(start)]
    return head + common, names


class PathSuggester(Suggester):
    """The rest of a path, greyed after the cursor (Right or End takes it): read anew each
    time, since files come and go."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        completed, _ = complete_path(value)
        return completed if completed != value else None


class PathInput(Input):
    """A path field: Tab completes it as far as it can (and lists the choices when there
    are several); with nothing to complete, Tab moves on as everywhere else."""

    BINDINGS = [Binding("tab", "complete", "Complete", id="path_input.complete", show=False)]

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        super().__init__(value, suggester=PathSuggester(), **kwargs)
        self.choices: list[str] = []

    def on_paste(self) -> None:
        """A path pasted into the empty field shows its end, the file's name, as typing
        would (Textual's Input does not scroll for its first change)."""
        self.call_after_refresh(self._reveal_cursor)

    def _reveal_cursor(self) -> None:
        at = self.cursor_position
        self.cursor_position = 0
        self.cursor_position = at

    def action_complete(self) -> None:
        completed, self.choices = complete_path(self.value)
        if completed != self.value:
            self.value = completed
            self.cursor_position = len(completed)
            self._reveal_cursor()
            self.choices = [] if len(self.choices) == 1 else self.choices
        elif len(self.choices) <= 1:
            self.screen.focus_next()
            return
        self.post_message(self.Completed(self, self.choices))

    class Completed(Message):
        """Tab completed the path, or found several entries that start so."""

        def __init__(self, field: PathInput, choices: list[str]) -> None:
            super().__init__()
            self.field = field
            self.choices = choices


def choices_text(choices: list[str], limit: int = 12) -> str:
    if len(choices) <= 1:
        return ""
    more = f" ... and {len(choices) - limit} more" if len(choices) > limit else ""
    return f"{plural(len(choices), 'entry', 'entries')} start so: " + "  ".join(choices[:limit]) + more


# -- adding and exporting: a path, then the work on a worker ---------------------------------------


class PathDialog(ShellAccess, Dialog[Any]):
    """A path to work on (add a file, write a copy): Enter runs ``work`` on a worker; a
    refusal goes under its field, what was typed stays, and keys typed meanwhile wait.
    ``cancellable``: Esc (or a lock) sets ``stop`` while it runs, which ``work`` heeds."""

    CSS_PATH = "attachments.tcss"
    BINDINGS = [
        Binding("f2,ctrl+o", "run", "Go", id="attachment_path.go", key_display="f2 ^o"),
        Binding("escape,ctrl+g", "cancel", "Cancel", id="attachment_path.cancel"),
    ]
    busy = False
    cancellable = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stop = threading.Event()  # a new one each run (action_run)

    def work(self) -> Any:  # pragma: no cover - each subclass says
        raise NotImplementedError

    def start(self) -> str | None:
        """On the UI thread, before the worker: the status line, or None to not go."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.query_one("#path", PathInput).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_run()

    @on(PathInput.Completed)
    def _completed(self, event: PathInput.Completed) -> None:
        self.query_one("#path-choices", Static).update(choices_text(event.choices))

    def error(self, field: str, message: str) -> None:
        self.query_one(f"#error-{field}", Static).update(f"{ERROR_MARK}{message}" if message else "")

    def action_run(self) -> None:
        if self.busy:
            return
        for node in self.query(".form-error").results(Static):
            node.update("")
        status = self.start()
        if status is None:
            return
        self.busy = True
        self.stop = threading.Event()
        self.query_one("#path-status", VaultText).set_text(status)
        self.shell.hold_keys(self._cancel_hold())
        self.run_worker(self._work, thread=True, group="attachment-path", description=status)

    def _work(self) -> None:
        try:
            result = self.work()
        except HrdError as exc:
            hand_back(self, self._refused, exc)
        else:
            hand_back(self, self._done, result)

    def _cancel_hold(self) -> Callable[[], None] | None:
        """What stops the work on Esc or a lock (hrd_tui.keyboard), if it can stop."""
        return self.stop.set if self.cancellable else None

    def _answered(self) -> None:
        if self.busy:
            self.busy = False
            self.shell.release_keys(self._cancel_hold())

    def on_unmount(self) -> None:
        self._answered()

    def _refused(self, exc: HrdError) -> None:
        self._answered()
        if isinstance(exc, attachments.IntakeCancelled):  # the focus stays: keys typed meanwhile follow
            self.query_one("#path-status", VaultText).set_text(str(exc))
            return
        self.query_one("#path-status", VaultText).set_text("")
        errors = exc.errors if isinstance(exc, ValidationError) and exc.errors else {"file": str(exc)}
        for field, message in errors.items():
            self.error("note" if field == "note" and self.query("#error-note") else "path", for_display(message))
        self.query_one("#path", PathInput).focus()

    def _done(self, result: Any) -> None:
        self._answered()
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
        elif self.cancellable:  # reached only once keys are no longer held (after HOLD_SECONDS)
            self.stop.set()


class AddAttachmentModal(PathDialog):
    """A file to attach, by its path, and an optional note; the officer's size limit."""

    cancellable = True

    def __init__(self, kind: str, owner_id: str) -> None:
        super().__init__(classes="attachment-add")
        self.owner = Owner(kind, owner_id)
        self.typed = Path()

    def compose(self) -> ComposeResult:
        limit = attachments.size_text(self.shell.settings.attachment_max_bytes)
        with Vertical(id="attachment-add-box"):
            yield Static(
                f"Attach a file to this {NOUNS[self.owner.kind]} (Enter or F2 adds, Tab completes, Esc cancels)",
                markup=False,
            )
            yield Static(
                f"Up to {limit} (setting attachment_max_mib). It is kept encrypted in the vault, "
                "with its SHA-256; the original stays where it is.",
                markup=False,
                classes="attachment-hint",
            )
            field = PathInput(id="path", placeholder="~/Documents/summons.pdf")
            field.border_title = "Path of the file *"
            yield field
            yield Static("", id="error-path", classes="form-error", markup=False)
            yield Static("", id="path-choices", classes="attachment-hint", markup=False)
            note = Input(id="note", placeholder="where it came from, who gave it (optional)")
            note.border_title = "Note"
            yield note
            yield Static("", id="error-note", classes="form-error", markup=False)
            yield VaultText("", id="path-status")

    def start(self) -> str | None:
        typed = self.query_one("#path", PathInput).value.strip()
        if not typed:
            self.error("path", "type the path of the file to attach")
            return None
        self.typed = Path(typed).expanduser()
        self.note = self.query_one("#note", Input).value
        shown = name_filter(self.shell, self.shell.discreet)(self.typed.name)
        return f"Adding {shown}: reading, hashing and encrypting it ... (Esc cancels)"

    def work(self) -> AttachmentView:
        return attachments.attach(
            self.shell,
            self.typed,
            self.owner,
            note=self.note,
            max_bytes=self.shell.settings.attachment_max_bytes,
            cancelled=self.stop.is_set,
        )


class ExportAttachmentModal(PathDialog):
    """Where to write a copy (never over a file), and whether without its metadata."""

    def __init__(self, attachment_id: str, suggested: str, shown_name: str, media_type: str) -> None:
        super().__init__(classes="attachment-export")
        self.attachment_id, self.suggested, self.shown_name = attachment_id, suggested, shown_name
        self.strippable = file_metadata.can_strip(media_type)
        self.media_type = media_type
        self.target = Path()
        self.strip = False

    def compose(self) -> ComposeResult:
        with Vertical(id="attachment-export-box"):
            yield VaultText(f"Export {self.shown_name} (Enter or F2 writes, Esc cancels)", id="export-what")
            yield Static(EXPORT_WARNING, id="export-warning", markup=False)
            field = PathInput(self.suggested, id="path")
            field.border_title = "Write to (a new file) *"
            yield field
            yield Static("", id="error-path", classes="form-error", markup=False)
            yield Static("", id="path-choices", classes="attachment-hint", markup=False)
            if self.strippable:
                yield MarkedCheckbox("Remove identifying metadata (GPS, device, owner, author)", id="strip")
                yield Static(
                    "Ticked (space), the copy is rewritten: not the exact bytes, so its SHA-256 differs.",
                    classes="attachment-hint",
                    markup=False,
                )
            else:
                yield Static(
                    f"Written exactly as kept: the app removes metadata only from images and PDFs, "
                    f"not from {self.media_type}.",
                    classes="attachment-hint",
                    markup=False,
                )
            yield VaultText("", id="path-status")

    def start(self) -> str | None:
        typed = self.query_one("#path", PathInput).value.strip()
        if not typed:
            self.error("path", "type where to write the copy")
            return None
        self.target = Path(typed).expanduser()
        if self.target.exists() or self.target.is_symlink():
            self.error("path", f"{self.target} already exists: an export never overwrites a file")
            return None
        self.strip = bool(self.strippable and self.query_one("#strip", MarkedCheckbox).value)
        return f"Writing {self.target} ..."

    def work(self) -> Exported:
        folder = self.shell.export_dir or paths.default_export_dir()
        if self.target.parent == folder:
            paths.make_private_dir(folder)
        return attachments.export_to(self.shell, self.attachment_id, self.target, strip=self.strip)


def exported_notice(done: Exported, shown_name: str, strip: bool) -> str:
    """What an export did, in the command line's words: exact, or what was removed."""
    head = f"Exported {shown_name} to {done.path} (mode 0600, NOT encrypted, {attachments.size_text(done.size)})."
    if not strip:
        return f"{head} Its SHA-256 equals the one recorded at intake: an exact copy."
    if done.removed:
        return f"{head} Removed: {', '.join(done.removed)}. The file changed: {done.note}."
    return f"{head} No identifying metadata was found to remove; still, {done.note}."


# -- the list ---------------------------------------------------------------------------------------


class AttachmentsScreen(Placed, ShellAccess, Screen[None]):
    """One record's attachments: a table whose columns fit 80 columns (the name takes
    what is left), the selected one in full below it."""

    CSS_PATH = "attachments.tcss"
    BINDINGS = [
        Binding("n", "add", "Add", id="attachments.add", tooltip="Attach a file: type its path (Tab completes)"),
        Binding(
            "v",
            "view",
            "View",
            id="attachments.view",
            tooltip="View the attachment: its text or a preview, and its metadata",
        ),
        Binding(
            "x",
            "export",
            "Export",
            id="attachments.export",
            tooltip="Export a copy of the attachment (not encrypted; without its metadata if asked)",
        ),
        Binding(
            "delete,ctrl+d",
            "delete",
            "Delete",
            id="attachments.delete",
            key_display="del",
            tooltip="Delete the attachment (asks first; its record and SHA-256 are kept)",
        ),
        Binding("escape,left", "back", "Back", id="attachments.back"),
    ]

    def __init__(self, kind: str, owner_id: str) -> None:
        super().__init__(classes="attachments")
        self.owner = Owner(kind, owner_id)
        self.rows: dict[str, AttachmentView] = {}
        self.shown: Callable[[str], str] = str

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="attachments-title", single_line=True)
        yield fixed_table(
            "attachments", [("Name", 16), ("Type", 10), ("Size", 9), ("SHA-256", 16), ("Added", 10)], flex=0
        )
        yield VaultText("", id="attachment-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Attachments"
        self.watch(self.app, "discreet", self.show)
        self.query_one("#attachments", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show(self.shell.discreet)

    def show(self, discreet: bool) -> None:
        """The list read again (one parameter: Textual's watch passes old and new to two)."""
        self.show_selecting(discreet, None)

    def show_selecting(self, discreet: bool, select: str | None) -> None:
        if self.shell.locked:
            return
        table = self.query_one("#attachments", DataTable)
        keep = select or self.selected_id()
        rows = attachments.views(self.shell, self.owner)
        self.rows = {a.id: a for a in rows}
        self.shown = name_filter(self.shell, discreet) if rows else str
        table.clear()
        for a in rows:
            cells = (self.shown(a.name), a.media_type, a.size_text, a.sha256[:16], when(a)[:10])
            table.add_row(*[literal(c, single_line=True) for c in cells], key=a.id)
        if keep in self.rows:
            table.move_cursor(row=list(self.rows).index(keep))
        noun = NOUNS[self.owner.kind]
        self.query_one("#attachments-title", VaultText).set_text(
            f"Attachments of this {noun} ({self.owner}): {plural(len(rows), 'file')}"
        )
        self.show_detail()

    def selected_id(self) -> str | None:
        table = self.query_one("#attachments", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def selected(self) -> AttachmentView | None:
        found = self.rows.get(self.selected_id() or "")
        if found is None:
            self.app.notify("No attachment here yet: n adds one.", severity="warning", markup=False)
        return found

    @on(DataTable.RowHighlighted, "#attachments")
    def show_detail(self) -> None:
        detail = self.query_one("#attachment-detail", VaultText)
        a = self.rows.get(self.selected_id() or "")
        if a is None:
            detail.set_text("No file attached yet: n adds one (type its path; Tab completes it).")
            return
        lines = [
            f"{self.shown(a.name)}: {a.media_type}, {a.size_text} ({a.size:,} bytes), added {when(a)}",
            f"SHA-256 {a.sha256}",
            f"Id {a.short_id}; {found_text(a, self.shell.discreet)}",
        ]
        if a.note:
            lines.append(f"Note: {a.note}")
        detail.set_text("\n".join(lines))

    @on(DataTable.RowSelected, "#attachments")
    def _open(self) -> None:
        self.action_view()

    # -- actions -------------------------------------------------------------------------------
    def action_add(self) -> None:
        def added(done: AttachmentView | None) -> None:
            if done is None:
                return
            self.show_selecting(self.shell.discreet, done.id)
            same = attempt(self, lambda: attachments.same_file(self.shell, done), kept=False)
            also = f" The same file is already kept: {', '.join(same)}." if same is not REFUSED and same else ""
            self.app.notify(
                f"Attached {self.shown(done.name)} ({done.size_text}), SHA-256 {done.sha256[:16]}..., "
                f"id {done.short_id}.{also}",
                markup=False,
            )

        self.app.push_screen(AddAttachmentModal(self.owner.kind, self.owner.id), added)

    def action_view(self) -> None:
        from hrd_tui.screens.attachment_view import AttachmentViewScreen

        a = self.selected()
        if a is not None:
            self.app.push_screen(AttachmentViewScreen(a.id))

    def action_export(self) -> None:
        a = self.selected()
        if a is not None:
            export_attachment(self, a, self.shown)

    def action_delete(self) -> None:
        a = self.selected()
        if a is None:
            return
        name = self.shown(a.name)

        def answered(yes: bool | None) -> None:
            if not yes or attempt(self, lambda: attachments.remove(self.shell, a.id), kept=False) is REFUSED:
                return
            self.show(self.shell.discreet)
            self.app.notify(
                f"Deleted {name}: no longer listed. Its record and SHA-256 are kept, and its bytes until a purge.",
                markup=False,
            )

        self.app.push_screen(
            ConfirmModal(
                f"Delete the attachment {name} ({a.size_text}, SHA-256 {a.sha256[:16]})? "
                "It leaves this list; its record with the hash stays, and a purge removes it for good.",
                yes="Delete",
                no="Keep",
            ),
            answered,
        )

    def action_back(self) -> None:
        self.app.pop_screen()


def export_attachment(screen: Screen[Any], a: AttachmentView, shown: Callable[[str], str]) -> None:
    """x on the list or the viewer: the path asked (the vault's export folder offered), then a notice."""
    shell = shell_of(screen)
    name = shown(a.name)
    folder = shell.export_dir or paths.default_export_dir()
    extension = Path(a.name).suffix[:9] if name != a.name else ""
    suggested = folder / (a.name if name == a.name else f"attachment-{a.short_id}{extension}")
    modal = ExportAttachmentModal(a.id, str(suggested), name, a.media_type)

    def written(done: Exported | None) -> None:
        if done is not None:
            screen.app.notify(exported_notice(done, name, modal.strip), markup=False, timeout=12)

    screen.app.push_screen(modal, written)


def open_attachments(screen: Screen[Any], kind: str, owner_id: str | None) -> None:
    """``A`` on a record's screen."""
    if owner_id:
        screen.app.push_screen(AttachmentsScreen(kind, owner_id))
    else:
        screen.app.notify(f"No {NOUNS[kind]} selected.", severity="warning", markup=False)
