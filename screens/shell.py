"""What a screen may ask of the app shell, as one typed contract.

Screens and widgets reach the app through ``self.shell`` (the ``ShellAccess``
mixin), typed as ``Shell``, instead of ``self.app.<name>  # type: ignore``: a
renamed or removed shell method is then a type error in every screen that uses
it, not an AttributeError at the officer's keyboard. ``HrdApp`` is checked
against this protocol by mypy (hrd_tui/app.py) and by a test.

The shell is also the screens' ``Transactions`` (hrd_tui.transactions): a screen hands
``self.shell`` to a service function, which opens its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from textual.message_pump import MessagePump

from hrd_tui.transactions import Transactions

if TYPE_CHECKING:
    from hrd_tui.settings import Settings


@runtime_checkable
class Shell(Transactions, Protocol):
    """The app as the screens see it: services' transactions, the day, discreet mode,
    drafts, navigation to a record, and the officer's settings."""

    # -- the vault: services open their transactions through session() (Transactions) --
    @property
    def locked(self) -> bool: ...

    # -- the day and the officer's settings -----------------------------------------
    def today(self) -> date: ...

    export_dir: Path | None
    settings: Settings

    def change_settings(self, changes: Mapping[str, Any]) -> None: ...

    # -- discreet mode ----------------------------------------------------------------
    discreet: bool

    def discreet_names(self) -> Callable[[str], str] | None: ...

    def discreet_text(self, text: str) -> str: ...

    # -- unfinished text (drafts) ----------------------------------------------------
    def draft_for(self, key: str) -> tuple[str | None, bool]: ...

    def draft_changed(self, key: str, text: str) -> None: ...

    def discard_draft(self, key: str) -> None: ...

    def flush_drafts(self) -> None: ...

    def say_recovered(self, what: str = ...) -> None: ...

    # -- keys -------------------------------------------------------------------------------
    def hold_keys(self, cancel: Callable[[], None] | None = None) -> None:
        """Keys typed from now on wait until ``release_keys`` (work they must come after);
        ``cancel`` stops that work early, on Esc or a lock (hrd_tui.keyboard)."""

    def release_keys(self, cancel: Callable[[], None] | None = None) -> None: ...

    # -- opening a record ---------------------------------------------------------------
    def open_case(self, case_id: str) -> None: ...

    def open_notes(self, hearing_id: str) -> bool: ...

    def copy_for_officer(self, text: str, what: str) -> None: ...

    # -- unlocking ------------------------------------------------------------------------
    def request_unlock(self, value: str, kind: str) -> None: ...

    def request_create(self, passphrase: str) -> None: ...

    def recovery_code_confirmed(self) -> None: ...

    # -- the vault's own settings ------------------------------------------------------------
    def set_wipe_after(self, limit: int | None) -> str: ...


def shell_of(node: MessagePump) -> Shell:
    """``node``'s app as the shell: for code that holds a widget it did not define."""
    return cast(Shell, node.app)


class ShellAccess(MessagePump):
    """Mixed into screens and widgets: ``self.shell`` is the app, typed as ``Shell``."""

    @property
    def shell(self) -> Shell:
        return shell_of(self)
