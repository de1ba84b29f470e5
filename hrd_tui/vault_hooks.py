"""What the services keep in every vault, registered with the store layer below them.

The vault and the store import no service (the layers contract in pyproject.toml),
yet every vault must hold, from the moment it opens, the reference data the code
ships and a search index in step with its records. The services register those
here; the vault (as it opens) and its sessions (at each flush) call what is
registered. Importing ``hrd_tui.services`` registers them, before any service can
run (hrd_tui/services/__init__.py); a vault opened for writing with nothing
registered is refused (:func:`require`), so no path can skip them unseen.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

Prepare = Callable[["Session"], object]
Check = Callable[["Session"], list[str]]


@dataclass(frozen=True)
class Index:
    """A derived table kept in step with the records at each flush (the search index)."""

    kinds: Collection[type]  # the models it holds
    update: Callable[[Session, list[Any], list[Any], list[Any]], None]  # (new, changed, deleted)


#: Run at every writable open of a vault at the head schema, and in the transaction
#: that creates or migrates a schema (the reference data the code ships).
ON_OPEN: list[Prepare] = []
#: Run in the transaction that creates or migrates a schema, after ON_OPEN (the search index rebuilt).
ON_MIGRATION: list[Prepare] = []
#: Run after an existing vault was upgraded: what the officer is told (codenames that clash).
ON_UPGRADE: list[Check] = []
#: Kept in step with the records at each flush of a vault session.
INDEXES: list[Index] = []


def _add(hooks: list[Any], hook: Any) -> None:
    if hook not in hooks:  # registering twice (a module reloaded, a test) runs it once
        hooks.append(hook)


def on_open(prepare: Prepare) -> None:
    _add(ON_OPEN, prepare)


def on_migration(prepare: Prepare) -> None:
    _add(ON_MIGRATION, prepare)


def on_upgrade(check: Check) -> None:
    _add(ON_UPGRADE, check)


def keep_index(kinds: Collection[type], update: Callable[[Session, list[Any], list[Any], list[Any]], None]) -> None:
    _add(INDEXES, Index(kinds, update))


def require() -> None:
    """Refuse to prepare a vault without what the services keep in it."""
    if not ON_OPEN or not INDEXES:
        raise RuntimeError(
            "No vault preparation is registered: import hrd_tui.services before opening a vault "
            "for writing (it registers the reference data and the search index)."
        )


def run(hooks: Iterable[Prepare], session: Session) -> None:
    for prepare in list(hooks):
        prepare(session)
