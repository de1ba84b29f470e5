"""Validation and the create/update/get steps every service shares.

Input is validated at the edge, against the model's own field rules, and bad
input comes back as field-level messages (errors.ValidationError) so a form can
show each beside its field while keeping what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

import pydantic
from sqlmodel import Session, SQLModel

from hrd_tui.errors import NotFound, ValidationError

M = TypeVar("M", bound=SQLModel)
E = TypeVar("E", bound=StrEnum)

#: Fields no caller sets: identity and bookkeeping.
PROTECTED = frozenset({"id", "created_at", "updated_at"})


def field_errors(exc: pydantic.ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "input"
        message = err["msg"].removeprefix("Value error, ")
        errors.setdefault(field, message)
    return errors


def validate(model: type[M], data: Mapping[str, Any]) -> M:
    unknown = sorted(set(data) - set(model.model_fields))
    if unknown:
        raise ValidationError({name: "unknown field" for name in unknown})
    try:
        return model.model_validate(dict(data))
    except pydantic.ValidationError as exc:
        raise ValidationError(field_errors(exc)) from None


def codes(enum_cls: type[E], values: Iterable[str], field: str) -> list[E]:
    """Vocabulary codes from user input, de-duplicated in order; every bad one named."""
    found: list[E] = []
    bad: list[str] = []
    for value in values:
        try:
            found.append(enum_cls(value))
        except ValueError:
            bad.append(str(value))
    if bad:
        raise ValidationError({field: f"unknown value(s): {', '.join(bad)}"})
    return list(dict.fromkeys(found))


def create(session: Session, model: type[M], data: Mapping[str, Any]) -> M:
    protected = sorted(PROTECTED & set(data) - {"id"})
    if protected:
        raise ValidationError({name: "is set by the vault" for name in protected})
    obj = validate(model, data)
    session.add(obj)
    session.flush()
    return obj


def update(session: Session, obj: M, changes: Mapping[str, Any]) -> M:
    protected = sorted(PROTECTED & set(changes))
    if protected:
        raise ValidationError({name: "cannot be changed" for name in protected})
    merged = {**obj.model_dump(), **changes}
    checked = validate(type(obj), merged)
    for key in changes:
        setattr(obj, key, getattr(checked, key))
    session.add(obj)
    session.flush()
    return obj


def get(session: Session, model: type[M], ident: Any) -> M:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(f"No {model.__tablename__.replace('_', ' ')} with id {ident}.")
    return obj
