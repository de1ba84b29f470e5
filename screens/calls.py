"""Running a service call for a screen, and showing its refusal where the officer looks.

A service refuses with an ``HrdError``. A ``ValidationError`` names its fields,
so with a form at hand each message goes under its own field; anything else
becomes one notice. Either way, what the officer typed stays where it was.

``attempt`` runs the call on the UI thread (quick reads and single-record saves).
``attempt_in_worker`` runs it on a thread worker, for anything that can take more
than about 100 ms (a report's draft, an export, a large import): the event loop keeps
drawing, the idle lock keeps counting and a hang-up is still handled meanwhile. Its
result is handed back only if the screen is still shown (``hand_back``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, Final, TypeVar

from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from hrd_tui.errors import HrdError, ValidationError
from hrd_tui.screens.widgets.record_form import RecordForm

T = TypeVar("T")

KEPT = " What you typed is still here."


class _Refused(Enum):
    REFUSED = "refused"


#: What ``attempt`` returns when the service refused (its message is already shown).
REFUSED: Final = _Refused.REFUSED


def show_refusal(node: MessagePump, exc: HrdError, *, form: RecordForm | None = None, kept: bool = True) -> None:
    """Each field's message under its field when there is a form, else one error notice."""
    if form is not None and isinstance(exc, ValidationError) and exc.errors:
        form.show_errors(exc.errors)
        return
    node.app.notify(f"{exc}{KEPT if kept else ''}", severity="error", markup=False)


def attempt(
    node: MessagePump, call: Callable[[], T], *, form: RecordForm | None = None, kept: bool = True
) -> T | _Refused:
    """``call()``, or REFUSED with the refusal shown (see ``show_refusal``)."""
    try:
        return call()
    except HrdError as exc:
        show_refusal(node, exc, form=form, kept=kept)
        return REFUSED


def attempt_in_worker(
    screen: Screen[Any],
    call: Callable[[], T],
    done: Callable[[T], None],
    *,
    what: str,
    form: RecordForm | None = None,
    kept: bool = True,
    refused: Callable[[HrdError], None] | None = None,
) -> Worker[None]:
    """``call()`` on a thread worker; ``done(result)`` back on the UI thread.

    A refusal is shown as ``attempt`` shows it (then ``refused(exc)``, if given, may
    tidy up: a "working..." line, a busy flag). A screen gone meanwhile (left, or
    popped by a lock) gets nothing. Any other exception ends the app as an
    unexpected error does, which saves the unfinished text first."""

    def refuse(exc: HrdError) -> None:
        show_refusal(screen, exc, form=form, kept=kept)
        if refused is not None:
            refused(exc)

    def work() -> None:
        try:
            result = call()
        except HrdError as exc:
            hand_back(screen, refuse, exc)
            return
        hand_back(screen, done, result)

    return screen.run_worker(work, thread=True, group=f"call:{what}", description=what)


def hand_back(screen: Screen[Any], callback: Callable[..., None], *args: object) -> None:
    """From a worker thread, after its vault session is closed (a lock waits for open
    sessions on the UI thread: waiting on that thread inside one would hang)."""
    if not get_current_worker().is_cancelled:
        screen.app.call_from_thread(_if_shown, screen, callback, *args)


def _if_shown(screen: Screen[Any], callback: Callable[..., None], *args: object) -> None:
    # On the stack too: a lock pops the screens at once and Textual detaches them later, so
    # a dialog's worker ending just after a lock would have dismissed the unlock prompt.
    if screen.is_attached and screen in screen.app.screen_stack:
        callback(*args)
