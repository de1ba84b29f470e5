"""On/off choices that read without colour: ``[x]`` ticked, ``[ ]`` not, ``>`` the focus.

Textual draws a tick box as ``▐X▌`` and tells ticked from unticked by the colour
of the X alone; in 16 colours or none at all every box looks ticked. These draw
the state as text, and mark the focused box (or the highlighted row of a focused
list) with ``>`` so the focus does not hang on a background colour either.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Button, Checkbox, LoadingIndicator, OptionList, Select, SelectionList
from textual.widgets._select import SelectCurrent, SelectOverlay  # Select's own parts, to swap its list
from textual.widgets.option_list import OptionDoesNotExist

TICKED = "[x]"
UNTICKED = "[ ]"
FOCUS = ">"


def box(on: bool) -> str:
    return TICKED if on else UNTICKED


class MarkedCheckbox(Checkbox):
    """``> [x] label`` when focused, ``  [ ] label`` when not."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        marker = FOCUS if self.has_focus else " "
        return Content.assemble(f"{marker} ", (box(self.value), style))

    def _on_focus(self, event: events.Focus) -> None:  # Textual runs Widget's too (handlers go by the MRO)
        self.refresh(layout=False)

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh(layout=False)


class MarkedSelectionList(SelectionList[str]):
    """Each row ``[x] label`` or ``[ ] label``; the highlighted row of the focused list ``>``."""

    def _get_left_gutter_width(self) -> int:
        return len(f"{FOCUS}{TICKED} ")

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        index = self.scroll_offset.y + y  # one line per choice (nowrap), as SelectionList assumes
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        component = "selection-list--button"
        if selection.value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        underlying = next(iter(line)).style or self.rich_style
        meta = Style(meta={"option": index})  # a click on the box toggles it, as in SelectionList
        button = self.get_component_rich_style(component) + meta
        marker = FOCUS if self.has_focus and self.highlighted == index else " "
        return Strip(
            [
                Segment(marker, underlying + meta),
                Segment(box(selection.value in self._selected), button),
                Segment(" ", underlying),
                *line,
            ]
        )

    def _on_focus(self, event: events.Focus) -> None:  # Textual runs Widget's too (handlers go by the MRO)
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()


class Pointer:
    """For option lists: the highlighted option starts with ``>``, the item a key will act
    on, shown in characters as well as by the highlight's colour."""

    def _get_left_gutter_width(self) -> int:
        return len(f"{FOCUS} ")

    def render_line(self, y: int) -> Strip:
        assert isinstance(self, OptionList)
        line: Strip = super().render_line(y)  # type: ignore[misc]
        try:
            index, offset = self._lines[self.scroll_offset.y + y]  # the option on this line, its line in it
        except IndexError:
            return line  # below the last option: already a blank line as wide as the list
        style = next(iter(line)).style or self.rich_style
        marker = FOCUS if index == self.highlighted and offset == 0 else " "
        return Strip([Segment(f"{marker} ", style), *line])


class PointerOptionList(Pointer, OptionList):
    pass


class PointerSelectOverlay(Pointer, SelectOverlay):
    pass


class MarkedSelect(Select[str]):
    """A drop-down whose open list marks the highlighted choice with ``>``."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield PointerSelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)


class PointerCommandList(Pointer, CommandList):
    pass


class PointerCommandPalette(CommandPalette):
    """Textual's command palette, the command Enter runs marked ``>`` (its highlight is a
    background colour only, and option styles cannot be reverse video)."""

    def compose(self) -> ComposeResult:
        # CommandPalette.compose (Textual 8.2.8, pinned) with our list; the palette finds it by type.
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield CommandInput(placeholder=self._placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield PointerCommandList()
                yield LoadingIndicator()
