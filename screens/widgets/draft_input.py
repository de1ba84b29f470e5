"""An input whose unfinished text is never lost.

While it changes, the app saves it (encrypted, in the vault) at most every two
seconds; a lock, a dropped SSH link or SIGTERM saves it at once; when the
screen comes back after an unlock or a restart, the text is put back with a
notice. Screens give each one a stable ``draft_key`` ("note:<hearing id>").
"""

from __future__ import annotations

from textual import on
from textual.widgets import Input


class DraftInput(Input):
    def __init__(self, draft_key: str, **kwargs: object) -> None:
        # Never select the whole text on focus: the next key would replace what was
        # recovered or typed, and the draft with it two seconds later.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.draft_key = draft_key

    def on_mount(self) -> None:
        text, from_before = self.app.draft_for(self.draft_key)  # type: ignore[attr-defined]
        if text:
            self.value = text
            self.cursor_position = len(text)
        if text and from_before:
            # after the screen is up, so the notice lands on it and not on the unlock screen
            self.call_after_refresh(self.notify, "Unsaved text from before was put back.", title="Recovered")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input is self:
            self.app.draft_changed(self.draft_key, self.value)  # type: ignore[attr-defined]

    def committed(self) -> None:
        """Call when the text has been saved for real: the draft is no longer needed."""
        self.app.discard_draft(self.draft_key)  # type: ignore[attr-defined]
