"""Unfinished text, kept encrypted in the vault until it is committed or discarded."""

from __future__ import annotations

from sqlmodel import Session

from hrd_tui.models import Draft, utcnow


def save(session: Session, key: str, text: str) -> None:
    draft = session.get(Draft, key)
    if draft is None:
        session.add(Draft(key=key, text=text))
    else:
        draft.text, draft.updated_at = text, utcnow()
        session.add(draft)


def load(session: Session, key: str) -> str | None:
    draft = session.get(Draft, key)
    return draft.text if draft else None


def discard(session: Session, key: str) -> None:
    draft = session.get(Draft, key)
    if draft is not None:
        session.delete(draft)
