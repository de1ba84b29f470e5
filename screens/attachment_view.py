"""One attachment read inside the app (issue 20): what it is, the metadata found at intake,
then its text (a text file, or a PDF's) in a scrollable read-only area, or a rough
preview of an image in character cells.

The text is shown as literal text, never parsed as markup: ``[bold red]x[/]`` reads as
typed, and control characters (an ESC starting a terminal sequence) are dropped first
(sanitize.for_display), then names go through discreet mode's filter like every other
vault text. A long text is cut at ``VIEW_LIMIT`` characters, and says so. The preview
uses rich-pixels (half blocks, two pixels a cell) when it is installed and the terminal
shows colour; it is never needed: without it the screen says "no preview" and shows
the rest.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TextArea

from hrd_tui.errors import HrdError
from hrd_tui.sanitize import for_display
from hrd_tui.screens.attachments import export_attachment, found_text, name_filter, when
from hrd_tui.screens.calls import REFUSED, attempt, hand_back
from hrd_tui.screens.places import Placed
from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.vault_text import VaultText
from hrd_tui.services import attachments, filetypes
from hrd_tui.services.attachments import AttachmentView

#: Characters of a text the viewer shows (the rest: export the file).
VIEW_LIMIT = 200_000
#: Lines put in the text area in one turn of the event loop (as the report preview does).
PART_LINES = 500
#: The preview's largest size in cells (two pixels a cell, top and bottom); smaller on a
#: smaller screen, so it is seen whole.
PREVIEW_COLUMNS, PREVIEW_ROWS = 120, 40


def preview_of(image: Any) -> Any | None:
    """A Rich renderable of the image in half blocks, or None without rich-pixels."""
    try:
        from rich_pixels import Pixels
    except ImportError:
        return None
    return Pixels.from_image(image)


class AttachmentViewScreen(Placed, ShellAccess, Screen[None]):
    CSS_PATH = "attachments.tcss"
    BINDINGS = [
        Binding(
            "x",
            "export",
            "Export",
            id="attachment_view.export",
            tooltip="Export a copy of the attachment (not encrypted; without its metadata if asked)",
        ),
        Binding(
            "p",
            "preview",
            "Show preview",
            id="attachment_view.preview",
            tooltip="In discreet mode: draw the image's preview (hidden, as a photo can show a face or a place)",
        ),
        Binding("escape,left,ctrl+g", "back", "Back", id="attachment_view.back", key_display="esc"),
    ]

    def __init__(self, attachment_id: str) -> None:
        super().__init__(classes="attachment-view")
        self.attachment_id = attachment_id
        self.view: AttachmentView | None = None
        self.content_for: bool | None = None  # the discreet mode the content was shown in
        self.reveal = False  # p: the image's preview drawn in discreet mode too

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield VaultText("", id="view-title", single_line=True)
        yield VaultText("", id="view-facts")
        yield Static("", id="view-status", markup=False)
        yield TextArea("", id="view-text", read_only=True, soft_wrap=True, show_line_numbers=False, compact=True)
        with VerticalScroll(id="view-preview-box"):
            yield Static("", id="view-preview", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Attachment"
        self.query_one("#view-text").display = False
        self.query_one("#view-preview-box").display = False
        self.watch(self.app, "discreet", self.show)

    def show(self, discreet: bool) -> None:
        if self.shell.locked:
            return
        found = attempt(self, lambda: attachments.find(self.shell, self.attachment_id), kept=False)
        if found is REFUSED:
            return
        a = self.view = found
        shown = name_filter(self.shell, discreet)(a.name)
        self.query_one("#view-title", VaultText).set_text(f"{shown}  ({a.media_type}, {a.size_text})")
        facts = [
            f"Added {when(a)}; id {a.short_id}; SHA-256 {a.sha256}",
            found_text(a, discreet)[:1].upper() + found_text(a, discreet)[1:] + ".",
        ]
        if a.note:
            facts.append(f"Note: {a.note}")
        self.query_one("#view-facts", VaultText).set_text("\n".join(facts))
        if self.content_for != discreet:
            self.content_for = discreet
            self.load_content(a, discreet)
        self.refresh_bindings()

    def load_content(self, a: AttachmentView, discreet: bool) -> None:
        status = self.query_one("#view-status", Static)
        if filetypes.is_readable_text(a.media_type):
            status.update("Reading the text ...")
            self.run_worker(lambda: self._read_text(a.id), thread=True, group="view", exclusive=True)
        elif filetypes.is_image(a.media_type):
            if discreet and not self.reveal:  # a photo can show a face or a place: not drawn unasked
                self.query_one("#view-preview-box").display = False
                status.update("Preview hidden in discreet mode: p shows it, x exports the image.")
                return
            if self.app.console.color_system is None:
                status.update("No preview: this terminal shows no colour. x exports the image to open it.")
                return
            status.update("Drawing a preview ...")
            # What the screen has room for below the facts, in cells of two pixels each.
            width = max(8, min(PREVIEW_COLUMNS, self.size.width - 4))
            height = max(4, min(PREVIEW_ROWS, self.size.height - 11))
            self.run_worker(
                lambda: self._read_image(a.id, width, height * 2), thread=True, group="view", exclusive=True
            )
        else:
            status.update(f"No text or preview for a {a.media_type} file: x exports it to open it elsewhere.")

    # -- text -------------------------------------------------------------------------------------
    def _read_text(self, attachment_id: str) -> None:
        try:
            text = attachments.readable_text(self.shell, attachment_id, VIEW_LIMIT + 1)
        except HrdError as exc:
            hand_back(self, self._no_content, str(exc))
            return
        cut = len(text) > VIEW_LIMIT
        shown = self.shell.discreet_text(for_display(text[:VIEW_LIMIT]))
        hand_back(self, self._show_text, shown, cut)

    def _show_text(self, text: str, cut: bool) -> None:
        area = self.query_one("#view-text", TextArea)
        lines = text.split("\n")
        area.load_text("\n".join(lines[:PART_LINES]))
        area.display = True
        self.query_one("#view-preview-box").display = False
        self.query_one("#view-status", Static).update(
            (f"The first {VIEW_LIMIT:,} characters (x exports the whole file). " if cut else "")
            + "The text as it is in the file (arrows, PageUp and PageDown scroll)."
        )
        area.focus()
        if len(lines) > PART_LINES:
            self.run_worker(self._load_rest(lines), group="view-rest", exclusive=True)

    async def _load_rest(self, lines: list[str]) -> None:
        area = self.query_one("#view-text", TextArea)
        for start in range(PART_LINES, len(lines), PART_LINES):
            await asyncio.sleep(0)  # keys, the idle lock and drawing between two parts
            area.insert("\n" + "\n".join(lines[start : start + PART_LINES]), area.document.end)

    # -- image ------------------------------------------------------------------------------------
    def _read_image(self, attachment_id: str, width: int, height: int) -> None:
        try:
            image = attachments.preview_image(self.shell, attachment_id, width, height)
        except HrdError as exc:
            hand_back(self, self._no_content, f"No preview: {exc}")
            return
        hand_back(self, self._show_image, image)

    def _show_image(self, image: Any) -> None:
        preview = preview_of(image)
        status = self.query_one("#view-status", Static)
        if preview is None:
            status.update("No preview (the rich-pixels library is not installed): the metadata is above.")
            return
        self.query_one("#view-preview", Static).update(preview)
        self.query_one("#view-preview-box").display = True
        self.query_one("#view-text").display = False
        colours = " in 16 colours" if self.app.console.color_system == "standard" else ""
        status.update(f"A rough preview{colours} ({image.width}x{image.height} pixels): x exports the image itself.")

    def _no_content(self, message: str) -> None:
        self.query_one("#view-status", Static).update(for_display(message))

    # -- actions ----------------------------------------------------------------------------------
    def action_export(self) -> None:
        if self.view is not None:
            export_attachment(self, self.view, name_filter(self.shell, self.shell.discreet))

    def action_preview(self) -> None:
        if self.view is not None and filetypes.is_image(self.view.media_type) and not self.reveal:
            self.reveal = True
            self.load_content(self.view, self.shell.discreet)
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """p only where it does something: an image whose preview discreet mode hides."""
        if action == "preview":
            shown = self.view is not None and filetypes.is_image(self.view.media_type)
            return shown and self.shell.discreet and not self.reveal
        return True

    def action_back(self) -> None:
        self.app.pop_screen()
