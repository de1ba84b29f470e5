"""The contact list: one page of rows at a time, filtered and sorted in SQL.

The list must answer a keystroke within 50 ms with 10,000 contacts, so it never
loads every contact: one query finds the ids of the page (filters, full-text
match and the sort key computed in SQL), a second fills in those rows only.
Risk comes from the latest assessment of each *open* threat case the contact is
a defender in; "overdue" means the keep-in-touch cadence has passed, counted
from the last real contact (an interaction), never from a planned follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from hrd_tui.errors import ValidationError
from hrd_tui.services import search
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import ContactKind, FocusArea, RiskLevel

_FOCUS_ORDER = list(FocusArea)
#: Risk levels by rank, for sorting and "at least" filters; 0 is no open case.
RISK_RANK: dict[RiskLevel, int] = {level: n for n, level in enumerate(RiskLevel, start=1)}

#: Why the SQL below avoids windows, sub-selects under IN, and sorts it does not need:
#: the store runs with cipher_memory_security on, so SQLite locks and wipes every
#: allocation, and temporary tables and sorters cost 20 to 30 times more than
#: without it (bench/bench_contacts.py prints the figures).

#: The rank of a case's latest risk assessment (``cd`` is its case_defender row).
_LATEST_RANK = (
    "(SELECT CASE ra.risk_level WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 END"
    " FROM risk_assessment ra WHERE ra.case_id = cd.case_id ORDER BY ra.assessed_on DESC, ra.created_at DESC LIMIT 1)"
)
_OPEN_CASES = "FROM case_defender cd JOIN threat_case tc ON tc.id = cd.case_id AND tc.status != 'closed'"

#: Open cases per defender, with the risk of each case's latest assessment
#: (unassessed open cases rank 0: they still count as a case, not as a risk).
_RISK_CTE = f"""
risk AS (
    SELECT cd.contact_id AS contact_id, MAX(COALESCE({_LATEST_RANK}, 0)) AS rank, COUNT(*) AS open_cases
    {_OPEN_CASES}
    GROUP BY cd.contact_id
)"""

#: A contact's first focus area in the vocabulary's order (what the list shows first):
#: one primary-key probe per area in that order, not MIN() over a sub-select (an
#: aggregate allocates its context for every contact).
_FIRST_FOCUS = (
    "(CASE "
    + " ".join(
        f"WHEN EXISTS (SELECT 1 FROM contact_focus_area f WHERE f.contact_id = c.id AND f.area = '{a.value}') THEN {n}"
        for n, a in enumerate(FocusArea)
    )
    + " END)"
)

#: Every contact has its row in the search map (search.py keeps it with the contact).
_MAP_JOIN = "LEFT JOIN search_map sm ON sm.kind = 'contact' AND sm.ref = c.id"

#: Day arithmetic as numbers (julianday), not as text: date(x, '+' || n || ' days')
#: builds two strings per contact, each an allocation that is locked and wiped.
_OVERDUE_SQL = (
    "(c.cadence_days IS NOT NULL AND (c.last_contact_on IS NULL OR "
    "julianday(c.last_contact_on) + c.cadence_days < julianday(:today)))"
)

#: The next follow-up: the planned date on the contact, or the earliest open follow-up
#: from an interaction, whichever comes first (the list shows one date, the real next one).
_NEXT_SQL = (
    "NULLIF(MIN(COALESCE(c.next_follow_up_on, '9999-12-31'), COALESCE((SELECT MIN(f.due_on) FROM follow_up f"
    " WHERE f.contact_id = c.id AND f.done_on IS NULL), '9999-12-31')), '9999-12-31')"
)

#: Sortable columns: the SQL of each key, with the name (or codename) as tie-break.
#: Names sort by their search key (case and accents folded: "Émile" beside "Emma").
SORTS: dict[str, str] = {
    "name": "{label}",
    "kind": "c.kind",
    "focus": f"COALESCE({_FIRST_FOCUS}, 99)",
    "risk": "COALESCE(risk.rank, -1)",
    "last_contact": "COALESCE(c.last_contact_on, '0000')",
    "next_follow_up": f"COALESCE({_NEXT_SQL}, '9999')",
}


@dataclass(frozen=True)
class ContactFilter:
    """What the officer narrowed the list to; empty means everyone."""

    query: str = ""
    kind: ContactKind | None = None
    focus_area: FocusArea | None = None
    min_risk: RiskLevel | None = None  # at least this risk in an open case
    overdue: bool = False

    def describe(self) -> str:
        parts = []
        if self.kind:
            parts.append(f"kind={self.kind.value}")
        if self.focus_area:
            parts.append(f"focus={self.focus_area.value}")
        if self.min_risk:
            parts.append(f"risk>={self.min_risk.value}")
        if self.overdue:
            parts.append("overdue")
        return ", ".join(parts)


@dataclass(frozen=True)
class ContactRow:
    id: str
    name: str
    codename: str
    kind: ContactKind
    focus_areas: tuple[FocusArea, ...]
    risk: RiskLevel | None  # highest latest risk among open cases
    open_cases: int
    last_contact_on: date | None
    next_follow_up_on: date | None
    overdue: bool
    cadence_days: int | None = None

    def label(self, discreet: bool) -> str:
        return self.codename if discreet else self.name


@dataclass
class ContactPage:
    rows: list[ContactRow] = field(default_factory=list)
    total: int = 0  # how many contacts match, of which ``rows`` is one page


def _where(flt: ContactFilter, params: dict[str, Any]) -> str:
    """The filters, on ``contact c`` joined to its ``search_map sm`` row."""
    clauses = ["1"]
    match = search.map_row_matches_sql(flt.query, "contact", "sm")
    if match is not None:
        sql, match_params = match
        clauses.append(sql)
        params.update(match_params)
    if flt.kind:
        clauses.append("c.kind = :kind")
        params["kind"] = flt.kind.value
    if flt.focus_area:
        clauses.append("EXISTS (SELECT 1 FROM contact_focus_area f WHERE f.contact_id = c.id AND f.area = :focus)")
        params["focus"] = flt.focus_area.value
    if flt.min_risk:
        clauses.append("COALESCE(risk.rank, -1) >= :min_risk")
        params["min_risk"] = RISK_RANK[flt.min_risk]
    if flt.overdue:
        clauses.append(_OVERDUE_SQL)
    return " AND ".join(clauses)


def page(
    session: Session,
    flt: ContactFilter = ContactFilter(),
    *,
    today: date,
    sort: str = "name",
    descending: bool = False,
    discreet: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> ContactPage:
    """One page of the list, and how many contacts match in all.

    Two short queries: the ids of the page with the count of all matches
    (joining only what the filters and the sort need), then the details of
    those ids alone, so the cost of a keystroke does not grow with what is shown. In discreet mode
    names are neither shown nor used to sort: sorting by name would give away
    the order of the hidden names.
    """
    if sort not in SORTS:
        raise ValidationError({"sort": f"unknown column {sort!r}"})
    params: dict[str, Any] = {"today": today.isoformat()}
    where = _where(flt, params)
    label = "c.codename COLLATE NOCASE" if discreet else "sm.key"
    direction = "DESC" if descending else "ASC"
    key = SORTS[sort].format(label=label)
    order = f"{key} {direction}, {label} {direction}, c.id"
    needs_risk = flt.min_risk is not None or sort == "risk"
    with_ = f"WITH {_RISK_CTE} " if needs_risk else ""
    joins = ["LEFT JOIN risk ON risk.contact_id = c.id"] if needs_risk else []
    joins.append(_MAP_JOIN)
    conn = session.connection()
    ids = [
        r[0]
        for r in conn.execute(
            text(
                f"{with_}SELECT c.id FROM contact c {' '.join(joins)} WHERE {where} ORDER BY {order}"
                " LIMIT :limit OFFSET :offset"
            ),
            {**params, "limit": limit, "offset": offset},
        )
    ]
    # The count on its own, not as a window over the page query (COUNT(*) OVER ()):
    # a window stores every matching row in a temporary table, one allocation per row,
    # and with cipher_memory_security each allocation is locked and wiped (about 20x
    # the cost: 222 ms against 13 ms for the two queries at 10,000 contacts).
    count_with = f"WITH {_RISK_CTE} " if flt.min_risk else ""
    count_joins = "LEFT JOIN risk ON risk.contact_id = c.id " if flt.min_risk else ""
    total = conn.execute(
        text(f"{count_with}SELECT COUNT(*) FROM contact c {count_joins}{_MAP_JOIN} WHERE {where}"), params
    ).scalar_one()
    return ContactPage(rows=_rows(session, ids, today), total=int(total))


def read_page(
    tx: Transactions,
    flt: ContactFilter = ContactFilter(),
    *,
    today: date,
    sort: str = "name",
    descending: bool = False,
    discreet: bool = False,
    offset: int = 0,
    limit: int = 100,
    what: str = "reading contacts",
) -> ContactPage:
    """``page`` in its own transaction, for a screen (its rows are plain values)."""
    with tx.session(what) as session:
        return page(
            session, flt, today=today, sort=sort, descending=descending, discreet=discreet, offset=offset, limit=limit
        )


def _rows(session: Session, ids: list[str], today: date) -> list[ContactRow]:
    """The list's columns for ``ids``, in that order."""
    if not ids:
        return []
    marks = ", ".join(f":id{n}" for n in range(len(ids)))
    params: dict[str, Any] = {f"id{n}": ident for n, ident in enumerate(ids)}
    params["today"] = today.isoformat()
    found = (
        session.connection()
        .execute(
            text(
                "SELECT c.id, c.name, c.codename, c.kind,"
                " (SELECT group_concat(area, ';') FROM contact_focus_area f WHERE f.contact_id = c.id),"
                f" (SELECT MAX(COALESCE({_LATEST_RANK}, 0)) {_OPEN_CASES} WHERE cd.contact_id = c.id),"
                f" (SELECT COUNT(*) {_OPEN_CASES} WHERE cd.contact_id = c.id),"
                f" c.last_contact_on, {_NEXT_SQL}, {_OVERDUE_SQL},"
                f" c.cadence_days FROM contact c WHERE c.id IN ({marks})"
            ),
            params,
        )
        .all()
    )
    levels = list(RiskLevel)
    by_id = {
        r[0]: ContactRow(
            id=r[0],
            name=r[1],
            codename=r[2],
            kind=ContactKind(r[3]),
            focus_areas=tuple(sorted((FocusArea(a) for a in (r[4] or "").split(";") if a), key=_FOCUS_ORDER.index)),
            risk=levels[r[5] - 1] if r[5] else None,
            open_cases=int(r[6]),
            last_contact_on=date.fromisoformat(r[7]) if r[7] else None,
            next_follow_up_on=date.fromisoformat(r[8]) if r[8] else None,
            overdue=bool(r[9]),
            cadence_days=r[10],
        )
        for r in found
    }
    return [by_id[i] for i in ids if i in by_id]


def next_follow_up(session: Session, contact_id: str) -> date | None:
    """A contact's next follow-up, as the list shows it (the detail view shows the same)."""
    found = (
        session.connection()
        .execute(text(f"SELECT {_NEXT_SQL} FROM contact c WHERE c.id = :id"), {"id": contact_id})
        .scalar_one_or_none()
    )
    return date.fromisoformat(found) if found else None
