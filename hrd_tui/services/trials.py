"""Trials, hearings, and the notes typed during a hearing (corrections keep the original)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui.errors import ValidationError
from hrd_tui.models import Contact, Hearing, Trial, TrialDefendant, TrialNote
from hrd_tui.services import base
from hrd_tui.vocab import NoteTag

#: Shorthand typed at the start of a note line, and the tag it sets.
SHORTHAND: dict[str, NoteTag] = {
    "a": NoteTag.ACCESS,
    "p": NoteTag.PROCEDURE,
    "t": NoteTag.TESTIMONY,
    "e": NoteTag.EVIDENCE,
    "d": NoteTag.TREATMENT,
    "q": NoteTag.QUOTE,
}


def create_trial(session: Session, data: Mapping[str, Any], defendants: Sequence[Contact] = ()) -> Trial:
    trial = base.create(session, Trial, data)
    for contact in defendants:
        session.add(TrialDefendant(trial_id=trial.id, contact_id=contact.id))
    session.flush()
    return trial


def add_hearing(session: Session, trial: Trial, data: Mapping[str, Any]) -> Hearing:
    return base.create(session, Hearing, {**data, "trial_id": trial.id})


def parse_line(line: str) -> tuple[NoteTag | None, str]:
    """``t: the witness said...`` -> (testimony, "the witness said...")."""
    head, sep, rest = line.partition(":")
    if sep and head.strip().lower() in SHORTHAND and rest.strip():
        return SHORTHAND[head.strip().lower()], rest.strip()
    return None, line.strip()


def add_note(session: Session, hearing: Hearing, line: str, **extra: Any) -> TrialNote:
    tag, body = parse_line(line)
    if not body:
        raise ValidationError({"text": "an empty line is not a note"})
    return base.create(session, TrialNote, {"tag": tag, **extra, "text": body, "hearing_id": hearing.id})


def correct_note(session: Session, original: TrialNote, line: str) -> TrialNote:
    """A correction is a new note pointing at the original, which stays as it was."""
    return add_note(session, base.get(session, Hearing, original.hearing_id), line, corrects_id=original.id, noted_at=original.noted_at)


def notes_of(session: Session, hearing_id: str) -> list[TrialNote]:
    stmt = select(TrialNote).where(TrialNote.hearing_id == hearing_id).order_by(col(TrialNote.noted_at), col(TrialNote.created_at))
    return list(session.exec(stmt))
