"""Fields whose unfinished text is never lost.

While it changes, the app saves it (encrypted, in the vault) at most every two
seconds; a lock, a dropped SSH link or SIGTERM saves it at once; when the
screen comes back after an unlock or a restart, the text is put back with a
notice. Screens give each one a stable ``draft_key`` ("note:<hearing id>").
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.widgets import Input, TextArea

from hrd_tui.screens.shell import ShellAccess
from hrd_tui.screens.widgets.veiled import Veiled

#: The CSS class of every field whose text is a draft: the app saves them all at a
#: lock, a hang-up or an exit (each has ``draft_key`` and ``draft_text``).
DRAFT_FIELD = "draft-field"


class Drafted(ShellAccess):
    """What both kinds of field do; each says how its text is read and set."""

    draft_key: str

    @property
    def draft_text(self) -> str:
        raise NotImplementedError

    @draft_text.setter
    def draft_text(self, text: str) -> None:
        raise NotImplementedError

    def _put_back(self) -> None:
        text, from_before = self.shell.draft_for(self.draft_key)
        if text:
            self.draft_text = text
        if text and from_before:
            self.shell.say_recovered()  # one notice for every field, after the screen is up

    def _report(self) -> None:
        self.shell.draft_changed(self.draft_key, self.draft_text)

    def committed(self) -> None:
        """Call when the text has been saved for real: the draft is no longer needed."""
        self.shell.discard_draft(self.draft_key)


class DraftInput(Drafted, Input):
    def __init__(self, draft_key: str, **kwargs: Any) -> None:
        # Never select the whole text on focus: the next key would replace what was
        # recovered or typed, and the draft with it two seconds later.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(**kwargs)
        self.draft_key = draft_key
        self.add_class(DRAFT_FIELD)

    @property
    def draft_text(self) -> str:
        return self.value

    @draft_text.setter
    def draft_text(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)

    def on_mount(self) -> None:
        self._put_back()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input is self:
            self._report()


class DraftTextArea(Drafted, Veiled):
    """The same for text of several lines (notes, charges, an outcome); in discreet
    mode shown with codenames until revealed (Veiled): the draft is the real text."""

    def __init__(self, draft_key: str, text: str = "", **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.draft_key = draft_key
        self.add_class(DRAFT_FIELD)

    @property
    def draft_text(self) -> str:
        return self.real_text

    @draft_text.setter
    def draft_text(self, text: str) -> None:
        self.set_real_text(text)

    def on_mount(self) -> None:
        self._put_back()

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        if event.text_area is self and not self.veiled:  # the discreet version is never a draft
            self._report()
