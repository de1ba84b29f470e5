"""The one way vault text reaches the screen: sanitised, never parsed as markup.

Names, notes and imports are untrusted: ``[bold red]X[/]`` must show as typed,
and control sequences (``ESC]52`` writing the clipboard, ``ESC]0;`` the window
title) must never reach the officer's terminal (SECURITY.md, requirement 6).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from hrd_tui.sanitize import for_display


def literal(value: object, *, single_line: bool = False) -> Content:
    """Vault text as literal Content: for tables, labels and titles alike."""
    return Content(for_display(value, single_line=single_line))


class VaultText(Static):
    def __init__(self, value: object = "", *, single_line: bool = False, **kwargs: object) -> None:
        super().__init__(literal(value, single_line=single_line), markup=False, **kwargs)  # type: ignore[arg-type]
        self.single_line = single_line

    def set_text(self, value: object) -> None:
        self.update(literal(value, single_line=self.single_line))
