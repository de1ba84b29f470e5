"""The one way vault text reaches the screen: sanitised, never parsed as markup.

Names, notes and imports are untrusted: ``[bold red]X[/]`` must show as typed,
and control sequences (``ESC]52`` writing the clipboard, ``ESC]0;`` the window
title) must never reach the officer's terminal (SECURITY.md, requirement 6).
"""

from __future__ import annotations

from typing import Any

from textual._context import active_app
from textual.content import Content
from textual.widgets import Static

from hrd_tui.sanitize import for_display


def literal(value: object, *, single_line: bool = False) -> Content:
    """Vault text as literal Content: for tables, labels and titles alike. In discreet
    mode, with every contact's name written as their codename (HrdApp.discreet_names):
    the one place the rule is applied, so no screen can forget it."""
    return Content(on_screen(for_display(value, single_line=single_line)))


def on_screen(text: str) -> str:
    """``text`` as the running app may show it: through discreet mode's names filter."""
    show = getattr(active_app.get(None), "discreet_text", None)
    return show(text) if callable(show) else text


class VaultText(Static):
    def __init__(self, value: object = "", *, single_line: bool = False, **kwargs: Any) -> None:
        super().__init__(literal(value, single_line=single_line), markup=False, **kwargs)
        self.single_line = single_line

    def set_text(self, value: object) -> None:
        self.update(literal(value, single_line=self.single_line))
