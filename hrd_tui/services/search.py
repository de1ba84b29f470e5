"""Full-text search over the encrypted FTS5 index: case- and accent-insensitive.

Text is normalised here, in Python, both when indexed and when queried
(NFKD, combining marks dropped, case-folded), so ``jose`` finds ``José`` and
``иван`` finds ``Иван``; the trigram tokenizer finds text inside words, which
CJK needs. Terms shorter than three characters cannot use trigrams and are
matched with LIKE over the same normalised text (a scan, still inside SQLite).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from hrd_tui.models import CivicObservation, Contact, Interaction, ThreatCase, Trial, TrialNote

#: What is indexed: kind name -> (model, fields joined into the indexed text).
INDEXED: dict[str, tuple[type[SQLModel], tuple[str, ...]]] = {
    "contact": (Contact, ("name", "codename", "organisation", "role", "country", "region", "tags", "notes")),
    "case": (ThreatCase, ("title", "summary", "outcome")),
    "interaction": (Interaction, ("summary",)),
    "trial": (Trial, ("title", "case_number", "court", "charges", "notes")),
    "trial_note": (TrialNote, ("text",)),
    "observation": (CivicObservation, ("description",)),
}
KIND_OF: dict[type[SQLModel], str] = {model: kind for kind, (model, _) in INDEXED.items()}
MIN_TRIGRAM = 3


def normalise(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped.casefold())


def document(obj: SQLModel) -> str:
    _, fields = INDEXED[KIND_OF[type(obj)]]
    parts: list[str] = []
    for field in fields:
        value = getattr(obj, field, None)
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    return normalise("\n".join(parts))


def index_objects(session: Session, upserts: Iterable[SQLModel], deletes: Iterable[SQLModel]) -> None:
    """Keep the index in step with a flush: one index row per record, found by rowid."""
    conn = session.connection()
    find = text("SELECT id FROM search_map WHERE kind = :k AND ref = :r")
    for obj in deletes:
        row = conn.execute(find, {"k": KIND_OF[type(obj)], "r": obj.id}).first()
        if row is not None:
            conn.execute(text("DELETE FROM search_index WHERE rowid = :id"), {"id": row[0]})
            conn.execute(text("DELETE FROM search_map WHERE id = :id"), {"id": row[0]})
    for obj in upserts:
        key = {"k": KIND_OF[type(obj)], "r": obj.id}
        row = conn.execute(find, key).first()
        if row is None:
            rowid = conn.execute(text("INSERT INTO search_map (kind, ref) VALUES (:k, :r) RETURNING id"), key).scalar_one()
        else:
            rowid = row[0]
            conn.execute(text("DELETE FROM search_index WHERE rowid = :id"), {"id": rowid})
        conn.execute(text("INSERT INTO search_index (rowid, text) VALUES (:id, :t)"), {"id": rowid, "t": document(obj)})


def rebuild(session: Session) -> int:
    """Re-index everything (after a migration, or to repair). Returns the count."""
    session.connection().execute(text("DELETE FROM search_index"))
    session.connection().execute(text("DELETE FROM search_map"))
    count = 0
    for kind, (model, _) in INDEXED.items():
        batch = list(session.exec(select(model)))
        index_objects(session, batch, ())
        count += len(batch)
    return count


@dataclass(frozen=True)
class Query:
    match: str | None
    likes: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return self.match is None and not self.likes


def parse_query(query: str) -> Query:
    """Every term must match (AND). Terms are quoted: no FTS syntax reaches SQLite."""
    terms = [t for t in normalise(query).split() if t]
    long_terms = [t for t in terms if len(t) >= MIN_TRIGRAM]
    short_terms = [t for t in terms if len(t) < MIN_TRIGRAM]
    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms) or None
    likes = tuple("%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for t in short_terms)
    return Query(match, likes)


def where_clause(q: Query, alias: str = "search_index") -> tuple[str, dict[str, str]]:
    """SQL condition on the index table for a parsed query, with its parameters."""
    clauses: list[str] = []
    params: dict[str, str] = {}
    if q.match:
        clauses.append(f"{alias} MATCH :match")
        params["match"] = q.match
    for i, like in enumerate(q.likes):
        clauses.append(f"{alias}.text LIKE :like{i} ESCAPE '\\'")
        params[f"like{i}"] = like
    return " AND ".join(clauses) or "1", params


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str


def search(session: Session, query: str, kinds: Sequence[str] | None = None, limit: int = 50) -> list[Hit]:
    q = parse_query(query)
    if q.empty:
        return []
    cond, params = where_clause(q)
    sql = f"SELECT m.kind, m.ref FROM search_index JOIN search_map m ON m.id = search_index.rowid WHERE {cond}"
    if kinds:
        names = ", ".join(f":kind{i}" for i in range(len(kinds)))
        sql += f" AND m.kind IN ({names})"
        params.update({f"kind{i}": k for i, k in enumerate(kinds)})
    sql += " ORDER BY rank" if q.match else ""
    sql += " LIMIT :limit"
    rows = session.connection().execute(text(sql), {**params, "limit": limit}).all()
    return [Hit(kind, ref) for kind, ref in rows]


def matching_refs_sql(query: str, kind: str) -> tuple[str, dict[str, str]] | None:
    """A sub-select of the refs of ``kind`` matching ``query``, for list filters."""
    q = parse_query(query)
    if q.empty:
        return None
    cond, params = where_clause(q)
    sql = f"SELECT m.ref FROM search_index JOIN search_map m ON m.id = search_index.rowid WHERE {cond} AND m.kind = :search_kind"
    return sql, {**params, "search_kind": kind}
