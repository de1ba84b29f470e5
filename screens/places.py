"""Where the officer was: the screens open above a section, brought back after a
lock, an idle lock, a hang-up, SIGTERM or a crash.

A screen that can come back is built from ids alone (a case's id, a contact's id,
a form for a new record): :class:`Placed` records the arguments it was built
with, when they are plain values, and the app keeps that list (as JSON in the
vault's encrypted drafts) with what each form holds, the focused field and the
cursor. Nothing else is needed to rebuild it, and nothing in it is run: only a
:class:`Placed` screen of this package is rebuilt from it.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, OptionList

from hrd_tui.screens.widgets.record_form import RecordForm
from hrd_tui.screens.widgets.row_list import RowList

PLAIN = (str, int, float, bool, type(None))
PACKAGE = "hrd_tui.screens."


class Placed:
    """A screen the app can rebuild where the officer left it (see the module)."""

    _place_args: tuple[list[Any], dict[str, Any]] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        @functools.wraps(init)
        def recording(self: Placed, *args: Any, **kw: Any) -> None:
            if "_place_args" not in self.__dict__:  # the outermost __init__ records: a subclass's own arguments
                plain = all(isinstance(v, PLAIN) for v in (*args, *kw.values()))
                self._place_args = ([*args], dict(kw)) if plain else None
            init(self, *args, **kw)

        setattr(cls, "__init__", recording)  # noqa: B010 (the class's own __init__, wrapped: a method mypy cannot retype)


def _cursor(widget: Widget | None) -> int | str | None:
    if isinstance(widget, RowList):
        return widget.cursor_key  # the record, not the row: the list may be paged or reordered
    if isinstance(widget, OptionList):
        return widget.highlighted
    if isinstance(widget, DataTable):
        return widget.cursor_coordinate.row
    return None


def _set_cursor(widget: Widget, cursor: int | str) -> None:
    if isinstance(widget, RowList) and isinstance(cursor, str):
        if widget.index_of(cursor) is None and widget.load_rest is not None:
            widget.load_rest()  # beyond the pages loaded so far
        index = widget.index_of(cursor)
        if index is not None:
            widget.move_cursor(index)
    elif not isinstance(cursor, int):
        return
    elif isinstance(widget, OptionList) and cursor < widget.option_count:
        widget.highlighted = cursor
    elif isinstance(widget, DataTable) and cursor < widget.row_count:
        widget.move_cursor(row=cursor)


def place_of(screen: Screen[Any]) -> dict[str, Any] | None:
    """What rebuilds this screen as it is now; None for one that cannot come back
    (a dialog about something passing, a screen built from more than ids)."""
    if not isinstance(screen, Placed) or screen._place_args is None:
        return None
    args, kwargs = screen._place_args
    entry: dict[str, Any] = {
        "screen": f"{type(screen).__module__}:{type(screen).__qualname__}",
        "args": args,
        "kwargs": kwargs,
        **focus_of(screen),
    }
    forms = list(screen.query(RecordForm))
    if forms:
        entry["fields"] = forms[0].snapshot()
    return entry


def focus_of(screen: Screen[Any]) -> dict[str, Any]:
    """The focused widget and its cursor (a list's record, an option): also kept for the
    section screen, which is built anew, not rebuilt from arguments."""
    focused = screen.focused
    return {"focus": focused.id if focused is not None else None, "cursor": _cursor(focused)}


def rebuild(entry: dict[str, Any]) -> Screen[Any] | None:
    """The screen an entry describes, or None if it names anything but a Placed screen here."""
    module_name, _, qualname = str(entry.get("screen", "")).partition(":")
    if not module_name.startswith(PACKAGE) or not qualname.isidentifier():
        return None
    try:
        cls = getattr(importlib.import_module(module_name), qualname, None)
    except ImportError:
        return None
    if not (isinstance(cls, type) and issubclass(cls, Placed) and issubclass(cls, Screen)):
        return None
    args, kwargs = entry.get("args", []), entry.get("kwargs", {})
    if not (
        isinstance(args, list)
        and isinstance(kwargs, dict)
        and all(isinstance(v, PLAIN) for v in (*args, *kwargs.values()))
    ):
        return None
    screen: Screen[Any] = cls(*args, **kwargs)
    return screen


def put_back(screen: Screen[Any], entry: dict[str, Any]) -> None:
    """Once the rebuilt screen is up: the form's text, the focus and the cursor."""
    fields = entry.get("fields")
    forms = screen.query(RecordForm)
    if forms:  # once the form has composed every field (in its own turn)
        forms.first().call_after_refresh(_fields_back, screen, fields if isinstance(fields, dict) else {}, entry)
    else:  # after the focus its own on_mount asked for (that goes through the app's queue)
        screen.call_after_refresh(screen.app.call_later, _focus_back, screen, entry)


def _fields_back(screen: Screen[Any], fields: dict[str, Any], entry: dict[str, Any]) -> None:
    screen.query_one(RecordForm).restore(fields)
    _focus_back(screen, entry)


def _focus_back(screen: Screen[Any], entry: dict[str, Any]) -> None:
    focus, cursor = entry.get("focus"), entry.get("cursor")
    if isinstance(focus, str):
        for widget in screen.query(f"#{focus}")[:1]:
            if widget.focusable:
                screen.set_focus(widget)
                if isinstance(cursor, (int, str)) and not isinstance(cursor, bool):
                    _set_cursor(widget, cursor)
