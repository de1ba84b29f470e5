"""The active-threats case list: filtered, searched and ranked in SQL.

The list is the officer's triage: the case to act on first comes first. Rows
are ordered by

1. urgency: emergency, urgent, routine;
2. risk, from each case's *latest* assessment (latest ``assessed_on``, then the
   latest recorded): critical, high, **unassessed**, medium, low. A case with no
   assessment yet is a risk not yet known, not a low one: it ranks below a known
   high risk but above a known medium one, so that it is not buried under
   assessed routine work and gets assessed;
3. last activity, most recent first: the latest timeline event of the case
   (else when the case was last changed);
4. opened on, newest first; then the id, so the order is stable.

Like the contact list, the work is done in SQL: one query filters, matches
the search, computes each case's sort keys and columns (correlated subqueries
over the indexed case_id columns) and sorts; two more fetch the defenders and
threat types of the rows returned, never one query per row.

The search matches, term by term, the case's own index (title, summary,
outcome) or the index entry of one of its defenders (name, codename,
organisation ...), so typing a defender's name or codename finds their cases,
and "ana detention" finds Ana's detention case.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from hrd_tui.models import ThreatCase
from hrd_tui.services import base, search
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import (
    ActionStatus,
    CaseStatus,
    FocusArea,
    Perpetrator,
    RiskLevel,
    ThreatType,
    Urgency,
)

#: Urgency by rank: 0 comes first.
URGENCY_RANK: dict[Urgency, int] = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}
#: Risk by rank: 0 comes first; ``None`` (not yet assessed) sits between high and medium.
RISK_RANK: dict[RiskLevel | None, int] = {
    RiskLevel.CRITICAL: 0,
    RiskLevel.HIGH: 1,
    None: 2,
    RiskLevel.MEDIUM: 3,
    RiskLevel.LOW: 4,
}
#: What an urgency shows as, in text rather than colour alone.
URGENCY_MARKS: dict[Urgency, str] = {Urgency.EMERGENCY: "!!", Urgency.URGENT: "!", Urgency.ROUTINE: ""}

#: Actions still to do: only these give a case a next due date or an overdue count.
_OPEN_ACTIONS = f"('{ActionStatus.PLANNED.value}', '{ActionStatus.DOING.value}')"

# Per case, each computed once per row in one correlated subquery (the indexes on
# case_id find the few rows of the case). A scalar subquery yields one value, so
# where two belong together they travel as "first second" and _split() parts them.

#: The latest assessment, by the same order as threats.latest_assessment: "level date", or NULL.
_LATEST_SQL = (
    "(SELECT r.risk_level || ' ' || r.assessed_on FROM risk_assessment r WHERE r.case_id = tc.id"
    " ORDER BY r.assessed_on DESC, r.created_at DESC LIMIT 1)"
)
#: Timestamps are stored as UTC text of one fixed format, so MAX and ORDER BY compare them correctly.
_LAST_ACTIVITY_SQL = (
    "COALESCE((SELECT MAX(e.occurred_at) FROM timeline_event e WHERE e.case_id = tc.id), tc.updated_at)"
)
#: Actions still to do: "earliest-due-date count-overdue" (the date empty when none has one).
_ACTIONS_SQL = (
    "(SELECT COALESCE(MIN(a.due_on), '') || ' ' || COALESCE(SUM(a.due_on < :today), 0)"
    f" FROM case_action a WHERE a.case_id = tc.id AND a.status IN {_OPEN_ACTIONS})"
)
_URGENCY_RANK_SQL = "CASE urgency " + " ".join(f"WHEN '{u.value}' THEN {n}" for u, n in URGENCY_RANK.items()) + " END"
_RISK_RANK_SQL = (
    "CASE substr(latest, 1, instr(latest, ' ') - 1) "
    + " ".join(f"WHEN '{r.value}' THEN {n}" for r, n in RISK_RANK.items() if r is not None)
    + f" ELSE {RISK_RANK[None]} END"
)
_ORDER = f"{_URGENCY_RANK_SQL}, {_RISK_RANK_SQL}, activity DESC, opened_on DESC, id"

_STATUS = {m.value: m for m in CaseStatus}
_URGENCY = {m.value: m for m in Urgency}
_RISK = {m.value: m for m in RiskLevel}
_PERPETRATOR = {m.value: m for m in Perpetrator}
_THREAT = {m.value: m for m in ThreatType}
_THREAT_ORDER = {m: n for n, m in enumerate(ThreatType)}


def urgency_mark(urgency: Urgency) -> str:
    """ "!!" for an emergency, "!" when urgent, "" for routine: readable without colour."""
    return URGENCY_MARKS[urgency]


@dataclass(frozen=True)
class CaseFilter:
    """What the officer narrowed the list to; the default is every open case."""

    status: CaseStatus | None = None  # None: every case not closed; closed is a status like the others
    include_closed: bool = False  # with status None: every status
    urgency: Urgency | None = None
    threat_type: ThreatType | None = None
    perpetrator: Perpetrator | None = None
    focus_area: FocusArea | None = None  # of any defender of the case
    query: str = ""

    @property
    def active(self) -> bool:
        """Whether any filter besides the search is set (the screen says so, and offers to clear)."""
        return bool(
            self.status
            or self.include_closed
            or self.urgency
            or self.threat_type
            or self.perpetrator
            or self.focus_area
        )

    def describe(self) -> str:
        parts = [
            f"{name}={value.value}"
            for name, value in (
                ("status", self.status),
                ("urgency", self.urgency),
                ("threat", self.threat_type),
                ("perpetrator", self.perpetrator),
                ("focus", self.focus_area),
            )
            if value is not None
        ]
        if self.include_closed and self.status is None:
            parts.append("closed included")
        return ", ".join(parts)


@dataclass(frozen=True)
class CaseRow:
    id: str
    title: str
    defenders: tuple[tuple[str, str], ...]  # (name, codename), by codename
    status: CaseStatus
    urgency: Urgency
    risk: RiskLevel | None  # of the latest assessment; None: not yet assessed
    assessed_on: date | None
    threat_types: tuple[ThreatType, ...]
    perpetrator: Perpetrator
    last_activity: datetime  # aware UTC
    next_due: date | None  # earliest due date of the actions still to do
    overdue_actions: int  # actions still to do whose due date has passed
    opened_on: date


def _renamed(sql: str, params: dict[str, str], prefix: str) -> tuple[str, dict[str, str]]:
    """Give a sub-select's parameters names of their own, so several can share one statement."""
    for name in sorted(params, key=len, reverse=True):
        sql = re.sub(rf":{re.escape(name)}\b", f":{prefix}{name}", sql)
    return sql, {f"{prefix}{name}": value for name, value in params.items()}


def _search_clauses(query: str, params: dict[str, Any]) -> list[str]:
    """One clause per term: the case itself or one of its defenders matches it."""
    clauses = []
    for n, term in enumerate(search.normalise(query).split()):
        own = search.matching_refs_sql(term, "case")
        people = search.matching_refs_sql(term, "contact")
        if own is None or people is None:
            continue
        own_sql, own_params = _renamed(*own, f"q{n}c_")
        people_sql, people_params = _renamed(*people, f"q{n}p_")
        params.update(own_params)
        params.update(people_params)
        clauses.append(
            f"(tc.id IN ({own_sql}) OR tc.id IN (SELECT cd.case_id FROM case_defender cd"
            f" WHERE cd.contact_id IN ({people_sql})))"
        )
    return clauses


def _where(flt: CaseFilter, params: dict[str, Any]) -> str:
    clauses = ["1"]
    if flt.status is not None:
        clauses.append("tc.status = :status")
        params["status"] = flt.status.value
    elif not flt.include_closed:
        clauses.append("tc.status != :closed")
        params["closed"] = CaseStatus.CLOSED.value
    if flt.urgency is not None:
        clauses.append("tc.urgency = :urgency")
        params["urgency"] = flt.urgency.value
    if flt.perpetrator is not None:
        clauses.append("tc.perpetrator = :perpetrator")
        params["perpetrator"] = flt.perpetrator.value
    if flt.threat_type is not None:
        clauses.append("EXISTS (SELECT 1 FROM case_threat_type t WHERE t.case_id = tc.id AND t.threat_type = :threat)")
        params["threat"] = flt.threat_type.value
    if flt.focus_area is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM case_defender cd JOIN contact_focus_area f ON f.contact_id = cd.contact_id"
            " WHERE cd.case_id = tc.id AND f.area = :focus)"
        )
        params["focus"] = flt.focus_area.value
    clauses += _search_clauses(flt.query, params)
    return " AND ".join(clauses)


def list_cases(
    session: Session, flt: CaseFilter = CaseFilter(), *, today: date, limit: int | None = None, offset: int = 0
) -> list[CaseRow]:
    """The cases matching ``flt`` in triage order (see the module's docstring).

    Three queries whatever the number of rows: the cases with their sort keys and
    columns, then their defenders, then their threat types. The first
    materialises the matching cases with their per-case values before sorting,
    so each correlated subquery runs once per case, not once per use in the
    sort. ``today`` decides which actions are overdue: a parameter, so that the
    screen and its tests agree on the day. ``limit`` and ``offset`` let a screen
    load a page at a time: the whole list costs about 25 us a row.
    """
    params: dict[str, Any] = {"limit": -1 if limit is None else limit, "offset": offset, "today": today.isoformat()}
    where = _where(flt, params)
    found = (
        session.connection()
        .execute(
            text(
                "WITH matching AS MATERIALIZED (SELECT tc.id, tc.title, tc.status, tc.urgency, tc.perpetrator, tc.opened_on,"
                f" {_LATEST_SQL} AS latest, {_LAST_ACTIVITY_SQL} AS activity, {_ACTIONS_SQL} AS actions"
                f" FROM threat_case tc WHERE {where})"
                f" SELECT id, title, status, urgency, perpetrator, opened_on, latest, activity, actions FROM matching"
                f" ORDER BY {_ORDER} LIMIT :limit OFFSET :offset"
            ),
            params,
        )
        .all()
    )
    if not found:
        return []
    defenders, types = _people_and_types(session, [r[0] for r in found])
    return [_row(r, defenders.get(r[0], ()), types.get(r[0], ())) for r in found]


def read_cases(
    tx: Transactions, flt: CaseFilter = CaseFilter(), *, today: date, limit: int | None = None, offset: int = 0
) -> list[CaseRow]:
    """list_cases in a transaction of its own: for the screens, which hold no session."""
    with tx.session("reading the cases") as session:
        return list_cases(session, flt, today=today, limit=limit, offset=offset)


def _people_and_types(
    session: Session, ids: list[str]
) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[ThreatType]]]:
    """The defenders (by codename) and threat types of the cases ``ids``: two queries in all."""
    conn = session.connection()
    params = {"ids": json.dumps(ids)}  # one parameter however many ids (SQLite caps their number)
    in_ids = "IN (SELECT value FROM json_each(:ids))"
    defenders: dict[str, list[tuple[str, str]]] = {}
    for case_id, name, codename in conn.execute(
        text(
            f"SELECT cd.case_id, c.name, c.codename FROM case_defender cd JOIN contact c ON c.id = cd.contact_id"
            f" WHERE cd.case_id {in_ids} ORDER BY c.codename COLLATE NOCASE, c.codename"
        ),
        params,
    ):
        defenders.setdefault(case_id, []).append((name, codename))
    types: dict[str, list[ThreatType]] = {}
    for case_id, code in conn.execute(
        text(f"SELECT case_id, threat_type FROM case_threat_type WHERE case_id {in_ids}"), params
    ):
        types.setdefault(case_id, []).append(_THREAT[code])
    return defenders, types


def _row(r: Any, defenders: Sequence[tuple[str, str]], types: Sequence[ThreatType]) -> CaseRow:
    risk, assessed_on = _split(r[6])
    next_due, overdue = _split(r[8])
    return CaseRow(
        id=r[0],
        title=r[1],
        defenders=tuple(defenders),
        status=_STATUS[r[2]],
        urgency=_URGENCY[r[3]],
        risk=_RISK[risk] if risk else None,
        assessed_on=date.fromisoformat(assessed_on) if assessed_on else None,
        threat_types=tuple(sorted(types, key=_THREAT_ORDER.__getitem__)),
        perpetrator=_PERPETRATOR[r[4]],
        last_activity=_utc(r[7]),
        next_due=date.fromisoformat(next_due) if next_due else None,
        overdue_actions=int(overdue or 0),
        opened_on=date.fromisoformat(r[5]),
    )


def _split(pair: str | None) -> tuple[str, str]:
    """The two values of a "first second" column; empty strings for NULL."""
    first, _, second = (pair or " ").partition(" ")
    return first, second


def _utc(stored: str) -> datetime:
    """A stored timestamp (UTC, without zone) as an aware datetime."""
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


_ID_PREFIX = re.compile(r"[0-9a-f]{8,32}")


def resolve_cases(session: Session, entries: Sequence[str], field: str, *, today: date) -> list[str]:
    """Threat cases (ids) from what an officer typed: the first characters of a case's id
    (as reports cite it: 582c42a5), or words of its title, summary or outcome, or a
    defender's name or codename; closed cases included. Each must find one case."""

    def find(entry: str) -> list[str]:
        if _ID_PREFIX.fullmatch(entry.lower()):
            rows = base.ids_starting(session, ThreatCase, entry)
            if rows:
                return rows
        return [
            row.id for row in list_cases(session, CaseFilter(query=entry, include_closed=True), today=today, limit=6)
        ]

    return base.resolve_each(entries, find, lambda case_id: case_id[:8], field, "threat case")
