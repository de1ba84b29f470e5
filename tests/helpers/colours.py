"""The screen as a 16-colour terminal shows it, and as plain characters (no colour at all).

``TEXTUAL_COLOR_SYSTEM=standard`` only acts where Rich writes to the terminal;
Textual's screenshots are always in true colour. ``sixteen_colours(app)`` puts a
line filter on the app (with Textual's own filters, which also act on
screenshots) that brings every colour down to the 16 standard ones, exactly as
Rich does for that terminal: a snapshot then shows the greys gone to black.
``screen_text(app)`` is the screen's characters only, what a terminal with no
colour, a screen reader or ``tmux capture-pane -p`` has to go on.
"""

from __future__ import annotations

import io

from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.filter import LineFilter


def _standard(style: Style) -> Style:
    color = style.color.downgrade(ColorSystem.STANDARD) if style.color else None
    bgcolor = style.bgcolor.downgrade(ColorSystem.STANDARD) if style.bgcolor else None
    return style + Style.from_color(color, bgcolor)


class SixteenColours(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, None if style is None else _standard(style), control) for text, style, control in segments
        ]


def sixteen_colours(app: App) -> App:
    """``app``, drawing in the 16 standard colours (call before it runs)."""
    app._filters.append(SixteenColours())  # Textual keeps its own (NO_COLOR's, ANSI's) in this list
    return app


def screen_text(app: App) -> str:
    """The running app's screen as characters, line by line (what export_screenshot draws)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)
