"""Civic-space observations (section I of the guidelines): record, list, trend.

An observation is dated, in one of the ten section-I categories, with its
sources and what it is about (links to contacts, threat cases or trials). The
list is filtered and searched in SQL, newest first, a page at a time; the trend
counts observations per category per calendar month in one GROUP BY.

Search works term by term, as the case list does: each term must match the
observation's own text (its description) or the index entry of a contact it is
linked to (name, codename, organisation ...), so typing a defender's codename
finds the observations about them. Locations are not searched: they are
sensitive, and not indexed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import text
from sqlmodel import Session, col, select

from hrd_tui.errors import ValidationError
from hrd_tui.models import (
    CivicObservation,
    Contact,
    ObservationLink,
    Source,
    ThreatCase,
    Trial,
)
from hrd_tui.services import base, case_list, contacts, reference, search, trials
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import CivicCategory

#: What a link may point at: its field, the model, and how an error names it.
LINK_TARGETS: tuple[tuple[str, type[Any], str], ...] = (
    ("contact_id", Contact, "contact"),
    ("case_id", ThreatCase, "threat case"),
    ("trial_id", Trial, "trial"),
)
_CATEGORY = {m.value: m for m in CivicCategory}


# -- recording -----------------------------------------------------------------------------
def _check_links(session: Session, links: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Each link points at exactly one existing contact, case or trial; duplicates dropped.

    Errors are field-level: ``links.N`` (the Nth link, from 0) for a link that
    names no target or several, ``links.N.contact_id`` (etc.) for one that does
    not exist."""
    known = {field for field, _, _ in LINK_TARGETS}
    errors: dict[str, str] = {}
    clean: list[dict[str, str]] = []
    for n, link in enumerate(links):
        unknown = sorted(set(link) - known)
        if unknown:
            errors[f"links.{n}"] = f"unknown field(s): {', '.join(unknown)}"
            continue
        given = {k: str(v) for k, v in link.items() if v}
        if len(given) != 1:
            errors[f"links.{n}"] = "give exactly one of a contact, a threat case or a trial"
            continue
        ((field, target),) = given.items()
        model, noun = next((m, noun) for f, m, noun in LINK_TARGETS if f == field)
        if session.get(model, target) is None:
            errors[f"links.{n}.{field}"] = f"no {noun} with id {target}"
            continue
        if given not in clean:
            clean.append(given)
    if errors:
        raise ValidationError(errors)
    return clean


def _add_sources(session: Session, observation: CivicObservation, sources: Sequence[Mapping[str, Any]]) -> None:
    """Each source dated, by default, the day of the observation; errors as ``sources.N.field``."""
    for n, source in enumerate(sources):
        try:
            base.create(
                session, Source, {"received_on": observation.observed_on, **source, "observation_id": observation.id}
            )
        except ValidationError as exc:
            raise ValidationError({f"sources.{n}.{field}": message for field, message in exc.errors.items()}) from None


def _check_day(observed_on: object, today: date | None) -> None:
    if today is not None and isinstance(observed_on, date) and observed_on > today:
        raise ValidationError({"observed_on": "is in the future: record what has been observed"})


#: The only kinds of web link an observation keeps: a javascript:, data: or file: link
#: is no source anyone can open, and can run or read something when opened.
WEB_SCHEMES = ("http", "https")


def _check_web_links(links: object) -> None:
    """Every web link is an http:// or https:// address, with a host."""
    if not isinstance(links, list | tuple):
        return
    bad = []
    for link in links:
        text = str(link).strip()
        try:
            parts = urlsplit(text)
            ok = parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname) and not any(c.isspace() for c in text)
        except ValueError:
            ok = False
        if not ok:
            bad.append(str(link))
    if bad:
        shown = ", ".join(b if len(b) <= 40 else b[:39] + "…" for b in bad[:3]) + (", ..." if len(bad) > 3 else "")
        raise ValidationError({"links": f"only web addresses starting http:// or https:// are taken (not {shown})"})


def add_observation(
    session: Session,
    data: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]] = (),
    links: Sequence[Mapping[str, str]] = (),
    *,
    today: date | None = None,
) -> CivicObservation:
    """An observation with its sources and links, in the caller's transaction.

    ``links`` are ``{"contact_id": ...}``, ``{"case_id": ...}`` or
    ``{"trial_id": ...}``, exactly one each; checked before anything is written.
    With ``today``, an observation dated after it is refused."""
    checked = _check_links(session, links)
    _check_day(data.get("observed_on"), today)
    _check_web_links(data.get("links"))
    observation = base.create(session, CivicObservation, data)
    _add_sources(session, observation, sources)
    for link in checked:
        base.create(session, ObservationLink, {**link, "observation_id": observation.id})
    return observation


def update_observation(
    session: Session,
    obs: CivicObservation,
    changes: Mapping[str, Any],
    *,
    links: Sequence[Mapping[str, str]] | None = None,
    new_sources: Sequence[Mapping[str, Any]] = (),
    today: date | None = None,
) -> CivicObservation:
    """Edit an observation (the history keeps the earlier version). ``links``, when
    given, replaces the whole set (links no longer wanted are deleted, leaving a
    tombstone); ``new_sources`` are added beside the existing ones."""
    checked = _check_links(session, links) if links is not None else None
    _check_day(changes.get("observed_on"), today)
    _check_web_links(changes.get("links"))
    base.update(session, obs, changes)
    if checked is not None:
        current = links_of(session, obs.id)
        wanted = [tuple(sorted(link.items())) for link in checked]
        for link in current:
            if _link_key(link) not in wanted:
                base.delete(session, link)
        have = {_link_key(link) for link in current}
        for values in checked:
            if tuple(sorted(values.items())) not in have:
                base.create(session, ObservationLink, {**values, "observation_id": obs.id})
    _add_sources(session, obs, new_sources)
    session.flush()
    return obs


def _link_key(link: ObservationLink) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted((field, value) for field in ("contact_id", "case_id", "trial_id") if (value := getattr(link, field)))
    )


def links_of(session: Session, observation_id: str) -> list[ObservationLink]:
    stmt = (
        select(ObservationLink)
        .where(ObservationLink.observation_id == observation_id)
        .order_by(col(ObservationLink.created_at), col(ObservationLink.id))
    )
    return list(session.exec(stmt))


def linked_contacts(session: Session, observation_id: str) -> list[Contact]:
    """The contacts an observation is about, by codename."""
    stmt = (
        select(Contact)
        .join(ObservationLink, col(ObservationLink.contact_id) == Contact.id)
        .where(ObservationLink.observation_id == observation_id)
        .order_by(col(Contact.codename))
    )
    return list(session.exec(stmt))


def sources_of(session: Session, observation_id: str) -> list[Source]:
    stmt = (
        select(Source)
        .where(Source.observation_id == observation_id)
        .order_by(col(Source.received_on), col(Source.created_at))
    )
    return list(session.exec(stmt))


# -- the list ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ObservationFilter:
    """What the officer narrowed the list to; the default is every observation."""

    category: CivicCategory | None = None
    start: date | None = None  # observed on or after
    end: date | None = None  # observed on or before
    query: str = ""

    @property
    def active(self) -> bool:
        """Whether anything besides the search narrows the list."""
        return bool(self.category or self.start or self.end)


@dataclass(frozen=True)
class ObservationRow:
    id: str
    observed_on: date
    category: CivicCategory
    description: str
    location: str | None
    location_sensitive: bool
    sources: int
    links: int
    people: tuple[tuple[str, str], ...] = ()  # (name, codename) of the linked contacts, by codename


def _renamed(sql: str, params: dict[str, str], prefix: str) -> tuple[str, dict[str, str]]:
    """A sub-select's parameters under names of their own, so several share one statement."""
    for name in sorted(params, key=len, reverse=True):
        sql = re.sub(rf":{re.escape(name)}\b", f":{prefix}{name}", sql)
    return sql, {f"{prefix}{name}": value for name, value in params.items()}


def _where(flt: ObservationFilter, params: dict[str, Any]) -> str:
    clauses = ["1"]
    if flt.category is not None:
        clauses.append("o.category = :category")
        params["category"] = flt.category.value
    if flt.start is not None:
        clauses.append("o.observed_on >= :start")
        params["start"] = flt.start.isoformat()
    if flt.end is not None:
        clauses.append("o.observed_on <= :end")
        params["end"] = flt.end.isoformat()
    for n, term in enumerate(search.normalise(flt.query).split()):
        people = search.matching_refs_sql(term, "contact")
        if people is None:
            continue
        people_sql, params_p = _renamed(*people, f"q{n}p_")
        params.update(params_p)
        linked = f"o.id IN (SELECT l.observation_id FROM observation_link l WHERE l.contact_id IN ({people_sql}))"
        # A term under three characters matches names only (the index has no key for an
        # observation's text): it finds observations through the contacts they are about.
        own = search.matching_refs_sql(term, "observation") if len(term) >= search.MIN_TRIGRAM else None
        if own is None:
            clauses.append(linked)
            continue
        own_sql, params_o = _renamed(*own, f"q{n}o_")
        params.update(params_o)
        clauses.append(f"(o.id IN ({own_sql}) OR {linked})")
    return " AND ".join(clauses)


def list_observations(
    session: Session, flt: ObservationFilter = ObservationFilter(), *, limit: int | None = None, offset: int = 0
) -> list[ObservationRow]:
    """Observations matching ``flt``, newest first (then latest recorded). Two queries
    whatever the number of rows: the observations with their counts, then the
    contacts linked to the rows returned."""
    params: dict[str, Any] = {"limit": -1 if limit is None else limit, "offset": offset}
    where = _where(flt, params)
    found = (
        session.connection()
        .execute(
            text(
                "SELECT o.id, o.observed_on, o.category, o.description, o.location, o.location_sensitive,"
                " (SELECT COUNT(*) FROM source s WHERE s.observation_id = o.id),"
                " (SELECT COUNT(*) FROM observation_link l WHERE l.observation_id = o.id)"
                f" FROM civic_observation o WHERE {where}"
                " ORDER BY o.observed_on DESC, o.created_at DESC, o.id LIMIT :limit OFFSET :offset"
            ),
            params,
        )
        .all()
    )
    if not found:
        return []
    people: dict[str, list[tuple[str, str]]] = {}
    for observation_id, name, codename in session.connection().execute(
        text(
            "SELECT l.observation_id, c.name, c.codename FROM observation_link l JOIN contact c ON c.id = l.contact_id"
            " WHERE l.observation_id IN (SELECT value FROM json_each(:ids))"
            " ORDER BY c.codename COLLATE NOCASE, c.codename"
        ),
        {"ids": json.dumps([r[0] for r in found])},
    ):
        people.setdefault(observation_id, []).append((name, codename))
    return [
        ObservationRow(
            id=r[0],
            observed_on=date.fromisoformat(r[1]),
            category=_CATEGORY[r[2]],
            description=r[3],
            location=r[4],
            location_sensitive=bool(r[5]),
            sources=int(r[6]),
            links=int(r[7]),
            people=tuple(people.get(r[0], ())),
        )
        for r in found
    ]


# -- the trend -----------------------------------------------------------------------------
def month_start(day: date, shift: int = 0) -> date:
    """The first day of ``day``'s month, moved ``shift`` months (negative: back)."""
    index = day.year * 12 + day.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Trend:
    """Observations per category per calendar month, oldest month first."""

    months: list[date]  # the first day of each month
    counts: dict[CivicCategory, list[int]]  # every category, one count per month

    @property
    def category_totals(self) -> dict[CivicCategory, int]:
        return {category: sum(row) for category, row in self.counts.items()}

    @property
    def month_totals(self) -> list[int]:
        return (
            [sum(column) for column in zip(*self.counts.values(), strict=True)]
            if self.counts
            else [0] * len(self.months)
        )

    @property
    def total(self) -> int:
        return sum(self.month_totals)

    @property
    def peak(self) -> int:
        """The largest count of one category in one month (what a chart scales to)."""
        return max((n for row in self.counts.values() for n in row), default=0)


def trend(session: Session, today: date, months: int = 12) -> Trend:
    """The last ``months`` calendar months, ending with today's month (all of it), in one
    GROUP BY query. Dates are stored as ``YYYY-MM-DD`` text: the month is its first
    seven characters, and comparing the text compares the dates."""
    if months < 1:
        raise ValidationError({"months": "must be at least 1"})
    first = month_start(today, -(months - 1))
    columns = [month_start(first, n) for n in range(months)]
    index = {f"{m:%Y-%m}": n for n, m in enumerate(columns)}
    counts = {category: [0] * months for category in CivicCategory}
    rows = session.connection().execute(
        text(
            "SELECT substr(observed_on, 1, 7) AS month, category, COUNT(*) FROM civic_observation"
            " WHERE observed_on >= :first AND observed_on < :after GROUP BY month, category"
        ),
        {"first": first.isoformat(), "after": month_start(today, 1).isoformat()},
    )
    for month, category, count in rows:
        counts[_CATEGORY[category]][index[month]] = int(count)
    return Trend(columns, counts)


# -- for the screens: one transaction per call, plain values back ------------------------------
# The screens hold no session (issue 17): each function below opens its own transaction on
# ``tx`` (the app, or the command line's store) and returns plain values or frozen views,
# never ORM instances. The session-taking functions above stay the steps (the command line,
# the reports and the tests call them).

#: The record the changes screen reads for an observation.
CHANGES_RECORD = CivicObservation


def changes_label(session: Session, obs: CivicObservation, discreet: bool) -> str:
    """How the changes screen names an observation: its day and category."""
    return f"Observation of {obs.observed_on}: {reference.label('civic_category', obs.category)}"


def read_observations(
    tx: Transactions, flt: ObservationFilter, *, offset: int = 0, limit: int | None = None
) -> list[ObservationRow]:
    """A page of the list (``list_observations``), in a transaction of its own."""
    with tx.session("reading the observations") as session:
        return list_observations(session, flt, offset=offset, limit=limit)


def read_trend(tx: Transactions, today: date, months: int = 12) -> Trend:
    """The trend (``trend``), in a transaction of its own."""
    with tx.session("counting the observations") as session:
        return trend(session, today, months)


@dataclass(frozen=True)
class ObservationForm:
    """An observation as its edit form starts: the fields' values, and its sources so far."""

    values: dict[str, Any]
    sources: int


def observation_form(tx: Transactions, observation_id: str) -> ObservationForm:
    """What the edit form shows: the observation's fields, the codenames of the contacts
    it is about, the short ids of its cases and trials (as reports cite them)."""
    with tx.session("reading the observation") as session:
        obs = base.get(session, CivicObservation, observation_id)
        values = obs.model_dump()
        values["contacts"] = [c.codename for c in linked_contacts(session, obs.id)]
        linked = links_of(session, obs.id)
        values["cases"] = [link.case_id[:8] for link in linked if link.case_id]
        values["trials"] = [link.trial_id[:8] for link in linked if link.trial_id]
        return ObservationForm(values, len(sources_of(session, obs.id)))


def save_observation(
    tx: Transactions,
    observation_id: str | None,
    values: dict[str, Any],
    sources: Sequence[Mapping[str, Any]],
    *,
    today: date,
) -> str:
    """A new observation (``observation_id`` None) or an edit, as the form typed it: who
    it is about as codenames or names, cases and trials as typed (each must find one);
    the links not retyped in an edit stay. The observation's id; ValidationError to refuse."""
    with tx.session("saving the observation") as session:
        entries = values.pop("contacts", None)
        people = contacts.resolve_people(session, entries, "contacts") if entries is not None else None
        case_entries, trial_entries = values.pop("cases", None), values.pop("trials", None)
        cases = (
            case_list.resolve_cases(session, case_entries, "cases", today=today) if case_entries is not None else None
        )
        found_trials = (
            trials.resolve_trials(session, trial_entries, "trials", today=today) if trial_entries is not None else None
        )
        if "description" in values and not values["description"].strip():
            raise ValidationError({"description": "is required"})
        if "location" in values:
            values["location"] = values["location"] or None
        if observation_id is None:
            links = (
                [{"contact_id": p.id} for p in people or []]
                + [{"case_id": c} for c in cases or []]
                + [{"trial_id": t} for t in found_trials or []]
            )
            return add_observation(session, values, sources, links, today=today).id
        obs = base.get(session, CivicObservation, observation_id)
        changed_links = None
        if people is not None or cases is not None or found_trials is not None:
            current = links_of(session, obs.id)
            changed_links = (
                (
                    [{"contact_id": p.id} for p in people]
                    if people is not None
                    else [{"contact_id": link.contact_id} for link in current if link.contact_id]
                )
                + (
                    [{"case_id": c} for c in cases]
                    if cases is not None
                    else [{"case_id": link.case_id} for link in current if link.case_id]
                )
                + (
                    [{"trial_id": t} for t in found_trials]
                    if found_trials is not None
                    else [{"trial_id": link.trial_id} for link in current if link.trial_id]
                )
            )
        return update_observation(session, obs, values, links=changed_links, new_sources=sources, today=today).id
