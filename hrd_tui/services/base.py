"""Validation and the create/update/get steps every service shares.

Input is validated at the edge, against the model's own field rules, and bad
input comes back as field-level messages (errors.ValidationError) so a form can
show each beside its field while keeping what was typed.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

import pydantic
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel, select

from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.models.common import table_name
from hrd_tui.transactions import Transactions as Transactions  # what service functions take first
from hrd_tui.vocab import SharedInfo

M = TypeVar("M", bound=SQLModel)
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

#: Fields no caller sets: identity and bookkeeping.
PROTECTED = frozenset({"id", "created_at", "updated_at"})


#: Pydantic's messages by error type, in the words a form shows under the field.
PLAIN: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda ctx: "is required",
    "greater_than_equal": lambda ctx: f"must be {ctx['ge']} or more",
    "greater_than": lambda ctx: f"must be more than {ctx['gt']}",
    "less_than_equal": lambda ctx: f"must be {ctx['le']} or less",
    "less_than": lambda ctx: f"must be less than {ctx['lt']}",
    "string_too_short": lambda ctx: (
        "is required" if ctx["min_length"] == 1 else f"must have at least {ctx['min_length']:,} characters"
    ),
    "string_too_long": lambda ctx: f"is too long: at most {ctx['max_length']:,} characters",
    "enum": lambda ctx: f"must be one of {ctx['expected']}",
    "int_parsing": lambda ctx: "must be a whole number",
    "int_from_float": lambda ctx: "must be a whole number",
    "date_parsing": lambda ctx: "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": lambda ctx: "must be a date (YYYY-MM-DD)",
}


def no_such_day(value: str) -> str | None:
    """What is wrong with a date that has the shape YYYY-MM-DD but is no day of the calendar
    ("2026-02-30: February 2026 has 28 days"); None for any other text."""
    found = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", value)
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        return f"{found.group()}: there is no month {month} (months are 01 to 12)"
    days = calendar.monthrange(max(year, 1), month)[1]
    if not 1 <= day <= days:
        return f"{found.group()}: {calendar.month_name[month]} {year} has {days} days"
    return None


def field_errors(exc: pydantic.ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "input"
        plain = PLAIN.get(err["type"])
        message = plain(err.get("ctx") or {}) if plain else err["msg"].removeprefix("Value error, ")
        errors.setdefault(field, message)
    return errors


@dataclass(frozen=True)
class DateOrder:
    """Two dates of one record where ``later`` may not come before ``earlier`` (the same
    day or time is fine); a refusal is said under ``later``, the field typed last."""

    earlier: str
    later: str
    earlier_is: str  # "... is before {earlier_is}, 2026-12-02"


#: Every pair of dates that has an order, by table: the one rule behind "a case closed
#: before it was opened" and its kin (base.validate applies it to every create and
#: update). Pairs of dates with no order are in DATES_WITHOUT_ORDER, saying why; a
#: test walks the models so a new date is put in one or the other.
DATE_ORDER: dict[str, tuple[DateOrder, ...]] = {
    "threat_case": (DateOrder("opened_on", "closed_on", "the day the case was opened"),),
    "referral": (
        DateOrder("sent_on", "decision_on", "the day it was sent"),
        DateOrder("sent_on", "expected_decision_on", "the day it was sent"),
        DateOrder("sent_on", "stage_on", "the day it was sent"),
        DateOrder("stage_on", "decision_on", "the day its stage was reached"),
    ),
    "hearing": (
        DateOrder("starts_at", "ends_at", "the hearing starts"),
        DateOrder("starts_at", "next_hearing_on", "this hearing"),
    ),
    "checklist_run": (DateOrder("period_start", "period_end", "the start of the period"),),
    "report": (DateOrder("period_start", "period_end", "the start of the period"),),
    "consent_record": (DateOrder("given_on", "ends_on", "the day it was given"),),
}

#: Pairs of dates on one record that are rightly in either order.
DATES_WITHOUT_ORDER: dict[tuple[str, str, str], str] = {
    ("case_action", "due_on", "done_on"): "done early is done",
    ("follow_up", "due_on", "done_on"): "done early is done",
    ("contact", "last_contact_on", "next_follow_up_on"): "a follow-up can be overdue",
    ("referral", "expected_decision_on", "decision_on"): "a decision can come early or late",
    ("resource", "as_of", "retired_on"): "when a fact was checked and when it was retired are unrelated",
    ("referral", "expected_decision_on", "stage_on"): "a mechanism's stage comes when it comes",
    ("hearing", "ends_at", "next_hearing_on"): "the next hearing is after this one starts (DATE_ORDER)",
    ("checklist_run", "period_start", "finished_at"): "a run about a period can be finished during it",
    ("checklist_run", "period_end", "finished_at"): "a run about a period can be finished during it",
}


@dataclass(frozen=True)
class RecordRule:
    """A rule over several fields of one record that the schema holds as a CHECK: said
    here first, in plain words, under ``field``."""

    field: str
    holds: Callable[[Any], bool]
    message: str


def _set(*values: Any) -> int:
    return sum(v is not None for v in values)


#: What is shared is a JSON list, not a CHECK: said here for every way in (forms, handover),
#: for both tables that keep one.
_KNOWN_SHARED = RecordRule(
    "shared",
    lambda r: all(item in SharedInfo.__members__.values() for item in r.shared or ()),
    "lists something the app does not know to share",
)


def _known_stage(referral: Any) -> bool:
    """A referral's stage is one of its own mechanism's (stages are data, so no CHECK
    can say it: a handover bundle is checked here, as the forms are by the service)."""
    from hrd_tui.services import mechanisms  # imported when a referral is checked: base is below it

    if referral.stage is None:
        return True
    found = mechanisms.mechanism(str(referral.purpose))
    return found is not None and found.stage(referral.stage) is not None


#: The schema's CHECK rules over several fields (models), by table, checked by base.validate
#: on every create and update so the officer reads a sentence, never "CHECK constraint failed".
def _readable_layout(layout: Any) -> bool:
    """A post's report layout is one hrd-tui can read (a handover bundle is checked here,
    as an import is by the layout service): its text parses, as the report it says."""
    from hrd_tui.services import report_layouts, reports  # imported when a layout is checked: base is below them

    try:
        parsed = report_layouts.parse(layout.text or "", "the layout", reports.CONTENT_KEYS)
    except ValidationError:
        return False
    return bool(parsed.key == layout.key and parsed.report == layout.report_type and parsed.edition == layout.edition)


RECORD_RULES: dict[str, tuple[RecordRule, ...]] = {
    "threat_case": (
        RecordRule(
            "closed_on",
            lambda r: (r.status == "closed") == (r.closed_on is not None),
            "a closed case has the day it was closed, and only a closed case has one "
            "(x on the case closes or reopens it)",
        ),
    ),
    "contact_relationship": (
        RecordRule(
            "to_contact_id", lambda r: r.from_contact_id != r.to_contact_id, "a contact cannot be related to themselves"
        ),
    ),
    "secure_channel": (
        RecordRule(
            "preferred",
            lambda r: r.retired_on is None or not r.preferred,
            "a retired channel cannot be the preferred one",
        ),
    ),
    "source": (
        RecordRule(
            "case_id",
            lambda r: _set(r.case_id, r.observation_id) == 1,
            "a source belongs to one threat case or one observation",
        ),
    ),
    "accountability_step": (
        RecordRule(
            "case_id",
            lambda r: _set(r.case_id, r.observation_id) == 1,
            "an accountability step belongs to one threat case or one observation",
        ),
    ),
    "observation_link": (
        RecordRule(
            "links",
            lambda r: _set(r.contact_id, r.case_id, r.trial_id) == 1,
            "give exactly one of a contact, a threat case or a trial",
        ),
    ),
    "interaction": (
        RecordRule(
            "official_id",
            lambda r: str(r.kind) != "demarche" or r.official_id is not None,
            "a démarche names the official met (by codename)",
        ),
        RecordRule(
            "message",
            lambda r: str(r.kind) != "demarche" or bool((r.message or "").strip()),
            "a démarche says what message was delivered",
        ),
    ),
    "resource": (
        RecordRule(
            "id",
            lambda r: (str(r.origin) == "post") == str(r.id).lower().startswith("post-"),
            "only a post's own resource has an id starting 'post-' (a shipped key never does)",
        ),
    ),
    "consent_record": (_KNOWN_SHARED,),
    "referral": (
        _KNOWN_SHARED,
        RecordRule("stage", lambda r: _known_stage(r), "is not a stage of its mechanism (data/mechanisms.toml)"),
    ),
    "report_layout": (
        RecordRule("report_type", lambda r: str(r.report_type) != "regular", "the regular report has no layout"),
        RecordRule("text", _readable_layout, "is not a report layout this hrd-tui can read, or not the one it says"),
    ),
    "checklist_run": (
        RecordRule(
            "period_end",
            lambda r: (r.period_start is None) == (r.period_end is None),
            "a period has both a first and a last day",
        ),
        RecordRule(
            "attached_to",
            lambda r: _set(r.case_id, r.trial_id, r.hearing_id, r.contact_id, r.period_start) <= 1,
            "a checklist run is about one thing at most: a case, a trial, a hearing, a contact or a period",
        ),
    ),
}


def record_rule_errors(table: str, record: Any) -> dict[str, str]:
    """The RECORD_RULES of ``table`` that ``record`` breaks, each under its field."""
    errors: dict[str, str] = {}
    for rule in RECORD_RULES.get(table, ()):
        if rule.field not in errors and not rule.holds(record):
            errors[rule.field] = rule.message
    return errors


def _instant(value: date | datetime, other: date | datetime) -> date | datetime:
    """``value`` comparable with ``other``: a datetime beside a date is its local day; a
    datetime as read back from the vault (naive, UTC) beside an aware one is aware."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        if not isinstance(other, datetime):
            return aware.astimezone().date()
        return aware if other.tzinfo or value.tzinfo else value
    return value


def _shown(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone().strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def date_order_errors(table: str, record: Any) -> dict[str, str]:
    """The pairs of DATE_ORDER that ``record`` (of ``table``) has the wrong way round,
    each message keyed to the later field."""
    errors: dict[str, str] = {}
    for pair in DATE_ORDER.get(table, ()):
        first, then = getattr(record, pair.earlier, None), getattr(record, pair.later, None)
        if first is None or then is None or pair.later in errors:
            continue
        if _instant(then, first) < _instant(first, then):
            errors[pair.later] = f"{_shown(then)} is before {pair.earlier_is}, {_shown(first)}"
    return errors


def validate(model: type[M], data: Mapping[str, Any]) -> M:
    unknown = sorted(set(data) - set(model.model_fields))
    if unknown:
        raise ValidationError({name: "unknown field" for name in unknown})
    try:
        checked = model.model_validate(dict(data))
    except pydantic.ValidationError as exc:
        raise ValidationError(field_errors(exc)) from None
    table = getattr(model, "__tablename__", "")
    broken = {**date_order_errors(table, checked), **record_rule_errors(table, checked)}
    if broken:
        raise ValidationError(broken)
    return checked


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


def resolve_each(
    entries: Iterable[str], find: Callable[[str], list[T]], shown: Callable[[T], str], field: str, what: str
) -> list[T]:
    """Records from what an officer typed, one per entry: each must find exactly one.
    Every entry that finds nothing, or several, is named in the error, so nothing is
    linked by a guess."""
    found: list[T] = []
    problems: list[str] = []
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        matches = find(entry)
        if len(matches) == 1:
            if matches[0] not in found:
                found.append(matches[0])
        elif not matches:
            problems.append(f"no {what} matches '{entry}'")
        else:
            listed = ", ".join(shown(m) for m in matches[:5]) + (", ..." if len(matches) > 5 else "")
            problems.append(f"'{entry}' matches several ({listed}): be more precise")
    if problems:
        raise ValidationError({field: "; ".join(problems)})
    return found


def distinct(records: Iterable[T]) -> list[T]:
    """Records in order, each once (by id): the same person typed twice, by codename and by
    name, is one link, never a second row the schema's key refuses."""
    return list({getattr(r, "id"): r for r in records}.values())  # noqa: B009 (any record: T has no bound)


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
        raise NotFound(f"No {table_name(model).replace('_', ' ')} with id {ident}.")
    return obj


#: How many characters of an id a record shows and is cited by ("[hearing 91b97c96]").
SHORT_ID = 8
#: The fewest characters of an id a command takes: fewer would match by accident.
MIN_ID_PREFIX = 4


def short_id(ident: str) -> str:
    """The id as detail views show it and reports cite it."""
    return ident[:SHORT_ID]


def id_line(ident: str) -> str:
    """The line a detail view shows a record's id on."""
    return f"Id: {short_id(ident)} (as reports cite it, and as hrd-tui commands take it)"


def ids_starting(session: Session, model: type[M], prefix: str, limit: int = 6) -> list[str]:
    """The ids of ``model`` records that start with ``prefix``, in order, at most ``limit``:
    the one lookup behind every id typed short (commands, and the forms' links)."""
    column = model.__table__.c.id  # type: ignore[attr-defined]
    rows = session.exec(
        select(column).where(column.startswith(prefix.lower(), autoescape=True)).order_by(column).limit(limit)
    )
    return [str(r) for r in rows]


def resolve_id(session: Session, model: type[M], typed: str, field: str = "id") -> str:
    """The full id of the one ``model`` record whose id is ``typed`` or starts with it
    (what reports cite and detail views show is the first SHORT_ID characters).
    NotFound when none does; ValidationError when several do (ambiguous), naming them."""
    what = table_name(model).replace("_", " ")
    prefix = typed.strip().lower()
    if session.get(model, prefix) is not None:
        return prefix
    if len(prefix) < MIN_ID_PREFIX or not prefix.isalnum():
        raise NotFound(
            f"No {what} with id {typed.strip()} (give the id, or at least its first {MIN_ID_PREFIX} characters)."
        )
    found = ids_starting(session, model, prefix)
    if not found:
        raise NotFound(f"No {what} with id {prefix}.")
    if len(found) > 1:
        shown = max(SHORT_ID, len(os.path.commonprefix(found)) + 4)  # enough to tell them apart
        listed = ", ".join(i[:shown] for i in found[:5]) + (", ..." if len(found) > 5 else "")
        raise ValidationError(
            {field: f"'{prefix}' is ambiguous: it starts the ids of several {what}s ({listed}); give more characters"}
        )
    return str(found[0])


def _referencing(table: str) -> list[tuple[type[SQLModel], Any, str | None]]:
    """(model, column, ondelete) of every foreign key that points at ``table``."""
    found = []
    for mapper in SQLModel._sa_registry.mappers:
        for fk in mapper.local_table.foreign_keys:
            if fk.column.table.name == table and fk.constraint is not None and len(fk.constraint.columns) == 1:
                found.append((mapper.class_, fk.parent, fk.ondelete))
    return found


def _referrers_first(model: type[SQLModel], rows: list[Any]) -> list[Any]:
    """Rows of one table in an order they can be deleted in, when some point at others
    of the same batch (a trial note's correction points at the line it corrects, and
    the schema refuses to delete a line while its correction stands)."""
    table = model.__table__  # type: ignore[attr-defined]
    self_refs = [fk.parent.key for fk in table.foreign_keys if fk.column.table is table]
    if not self_refs:
        return rows
    ordered: list[Any] = []
    left = list(rows)
    while left:
        pointed_at = {getattr(r, ref) for r in left for ref in self_refs}
        free = [r for r in left if r.id not in pointed_at]
        if not free:  # a cycle: let the schema say no
            return ordered + left
        ordered += free
        left = [r for r in left if r.id in pointed_at]
    return ordered


def delete(session: Session, obj: SQLModel) -> None:
    """Delete a record *through the session*, with what the schema would cascade.

    The database would remove CASCADE children and null SET NULL references by
    itself, silently: done here instead, each change leaves its tombstone or
    earlier version (the history rule). RESTRICT references are left for the
    schema to refuse.
    """
    ident = inspect(obj).identity
    if ident is not None and len(ident) == 1:
        for model, column, ondelete in _referencing(table_name(type(obj))):
            rows = list(session.exec(select(model).where(column == ident[0])))
            for row in _referrers_first(model, rows) if ondelete == "CASCADE" else rows:
                if ondelete == "CASCADE":
                    delete(session, row)
                elif ondelete == "SET NULL":
                    setattr(row, column.key, None)
                    session.add(row)
    session.delete(obj)
    session.flush()
