"""What changed in one record, as the changes screen shows it: plain text, read in one transaction.

The screen (screens/changes.py) holds no session: it hands the app to
``record_changes``, which reads the record's history (services/history.py) and
gives back every value already as text (field labels as the edit form gives them,
values as the form shows them, times in local time, where each change came from),
hidden in discreet mode where the field can name people.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, SQLModel

from hrd_tui.services import base, history
from hrd_tui.services.base import Transactions

HIDDEN = "(hidden in discreet mode)"
NEVER_CHANGED = "No change since it was created."
NOT_KEPT = "Changed before the oldest change kept here: purged, or made in another vault before a handover."
#: How a record is named in the changes screen's title: (session, record, discreet) -> label.
Labeller = Callable[[Session, Any, bool], str]


@dataclass(frozen=True)
class ChangeRow:
    """One change as the screen shows it: every value already text."""

    when: str
    field: str
    before: str
    after: str
    source: str
    declined: bool

    @property
    def source_cell(self) -> str:
        """Short enough for its column: which handover, and the value offered, are one key away."""
        return "not taken" if self.declined else self.source


@dataclass(frozen=True)
class RecordChanges:
    """A record's changes, newest first, with the title and the note above them."""

    title: str
    note: str  # why there is nothing to show, or why the oldest change is not the first
    rows: tuple[ChangeRow, ...]


def column_names(model: type[SQLModel]) -> list[str]:
    """The columns of ``model``'s table: the fields a change can name."""
    return [column.name for column in model.__table__.columns]  # type: ignore[attr-defined]


def change_rows(
    model: type[SQLModel],
    labels: Mapping[str, str],
    found: list[history.Change],
    hidden: frozenset[str],
    discreet: bool,
) -> list[ChangeRow]:
    """Each change as text; a field in ``hidden`` reads HIDDEN in discreet mode."""
    rows = []
    for change in found:
        secret = discreet and change.field in hidden
        before, after = (
            (HIDDEN, HIDDEN)
            if secret
            else (history.text(model, change.field, change.before), history.text(model, change.field, change.after))
        )
        rows.append(
            ChangeRow(
                history.when_text(change.when),
                labels.get(change.field, change.field.replace("_", " ").capitalize()),
                before,
                after,
                history.source_text(change.source),
                change.declined,
            )
        )
    return rows


def record_changes(
    tx: Transactions,
    model: type[SQLModel],
    record_id: str,
    label: Labeller,
    *,
    labels: Mapping[str, str],
    hidden: frozenset[str] = frozenset(),
    discreet: bool = False,
) -> RecordChanges:
    """Record ``record_id`` of ``model``'s changes, in one transaction; NotFound if it is gone."""
    with tx.session("reading the history") as session:
        record = base.get(session, model, record_id)
        found = history.history_of(session, record)
        name = label(session, record, discreet)
    title = (
        f"Changes to {name}: {len(found.changes)} "
        f"({found.kept} earlier version{'s' if found.kept != 1 else ''} kept until a purge)"
    )
    note = NOT_KEPT if found.earlier_not_kept else NEVER_CHANGED if not found.changes else ""
    return RecordChanges(title, note, tuple(change_rows(model, labels, found.changes, hidden, discreet)))
