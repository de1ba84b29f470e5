"""Unfinished text, kept encrypted in the vault until it is committed or discarded."""

from __future__ import annotations

from sqlmodel import Session, select

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


def load_all(session: Session) -> dict[str, str]:
    return {d.key: d.text for d in session.exec(select(Draft))}


def save_many(session: Session, texts: dict[str, str]) -> None:
    """Save each text; an empty one removes its draft."""
    for key, text in texts.items():
        if text:
            save(session, key, text)
        else:
            discard(session, key)
