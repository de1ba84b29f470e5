"""Full-text search over the encrypted FTS5 index: case- and accent-insensitive.

Text is normalised here, in Python, both when indexed and when queried
(NFKD, combining marks dropped, case-folded), so ``jose`` finds ``José`` and
``иван`` finds ``Иван``; the trigram tokenizer finds text inside words, which
CJK needs. Every term must match. Terms of three characters or more search the
whole text of a record; shorter ones (trigrams cannot) match its *key*: names,
codenames, organisations and titles, which is what filter-as-you-type needs.

Each kind of record has its own FTS table (migration 0002), so filtering the
contact list never touches the 100,000 trial notes, and results come newest
first, which lets SQLite stop at the limit instead of ranking every match.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from hrd_tui.models import CivicObservation, Contact, Interaction, Record, ThreatCase, Trial, TrialNote


@dataclass(frozen=True)
class Indexed:
    model: type[Record]  # every indexed kind is a Record: found again by its id
    fields: tuple[str, ...]  # the searchable text
    key_fields: tuple[str, ...]  # what one- and two-character terms match

    def table(self, kind: str) -> str:
        return f"search_{kind}"


#: What is indexed, by kind. The FTS table of each kind is created by a migration.
INDEXED: dict[str, Indexed] = {
    "contact": Indexed(
        Contact,
        ("name", "codename", "organisation", "role", "country", "region", "tags", "notes"),
        ("name", "codename", "organisation"),
    ),
    "case": Indexed(ThreatCase, ("title", "summary", "outcome"), ("title",)),
    "interaction": Indexed(Interaction, ("summary",), ()),
    "trial": Indexed(Trial, ("title", "case_number", "court", "charges", "notes"), ("title", "case_number")),
    "trial_note": Indexed(TrialNote, ("text",), ()),
    "observation": Indexed(CivicObservation, ("description",), ()),
}
KIND_OF: dict[type[Record], str] = {spec.model: kind for kind, spec in INDEXED.items()}
MIN_TRIGRAM = 3


def normalise(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped.casefold())


def _joined(obj: SQLModel, fields: Iterable[str]) -> str:
    parts: list[str] = []
    for field in fields:
        value = getattr(obj, field, None)
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    return normalise("\n".join(parts))


def document(obj: Record) -> tuple[str, str]:
    """(full text, key) of a record, normalised."""
    spec = INDEXED[KIND_OF[type(obj)]]
    return _joined(obj, spec.fields), _joined(obj, spec.key_fields)


def index_objects(
    session: Session, new: Iterable[Record], changed: Iterable[Record], deleted: Iterable[Record]
) -> None:
    """Keep the index in step with a flush: one FTS row per record, found by rowid."""
    conn = session.connection()
    find = text("SELECT id FROM search_map WHERE kind = :k AND ref = :r")
    for obj in deleted:
        kind = KIND_OF[type(obj)]
        row = conn.execute(find, {"k": kind, "r": obj.id}).first()
        if row is not None:
            conn.execute(text(f"DELETE FROM search_{kind} WHERE rowid = :id"), {"id": row[0]})
            conn.execute(text("DELETE FROM search_map WHERE id = :id"), {"id": row[0]})
    for obj in changed:
        kind = KIND_OF[type(obj)]
        row = conn.execute(find, {"k": kind, "r": obj.id}).first()
        if row is None:
            new = [*new, obj]
            continue
        body, key = document(obj)
        conn.execute(text("UPDATE search_map SET key = :key WHERE id = :id"), {"key": key, "id": row[0]})
        conn.execute(text(f"DELETE FROM search_{kind} WHERE rowid = :id"), {"id": row[0]})
        conn.execute(text(f"INSERT INTO search_{kind} (rowid, text) VALUES (:id, :t)"), {"id": row[0], "t": body})
    add_map = text("INSERT INTO search_map (kind, ref, key) VALUES (:k, :r, :key) RETURNING id")
    for obj in new:
        kind = KIND_OF[type(obj)]
        body, key = document(obj)
        rowid = conn.execute(add_map, {"k": kind, "r": obj.id, "key": key}).scalar_one()
        conn.execute(text(f"INSERT INTO search_{kind} (rowid, text) VALUES (:id, :t)"), {"id": rowid, "t": body})


def rebuild(session: Session) -> int:
    """Re-index everything (after a migration, or to repair). Returns the count."""
    conn = session.connection()
    for kind in INDEXED:
        conn.execute(text(f"DELETE FROM search_{kind}"))
    conn.execute(text("DELETE FROM search_map"))
    count = 0
    for spec in INDEXED.values():
        batch = list(session.exec(select(spec.model)))
        index_objects(session, batch, (), ())
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


def _keyless(q: Query, kind: str) -> bool:
    """Whether ``q`` can match nothing of ``kind``: its short terms match keys, and this
    kind has none. Raises ValueError for a kind that is not indexed."""
    if kind not in INDEXED:
        raise ValueError(f"unknown search kind {kind!r}")
    return bool(q.likes) and not INDEXED[kind].key_fields


def _key_likes(q: Query, alias: str) -> tuple[list[str], dict[str, str]]:
    """The short terms, each a LIKE on the key of the search_map row ``alias``."""
    params = {f"like{i}": like for i, like in enumerate(q.likes)}
    return [f"{alias}.key LIKE :{name} ESCAPE '\\'" for name in params], params


def _refs_sql(q: Query, kind: str, *, ordered: bool = True) -> tuple[str, dict[str, str]]:
    """SQL selecting (kind, ref) of the records of ``kind`` matching ``q``, newest first
    (``ordered``; a sub-select under IN needs no order, and a sort has a cost)."""
    if _keyless(q, kind):
        return "SELECT NULL AS kind, NULL AS ref WHERE 0", {}
    likes, params = _key_likes(q, "m")
    if q.match:
        params["match"] = q.match
        where = " AND ".join([f"search_{kind} MATCH :match", *likes])
        sql = (
            f"SELECT m.kind, m.ref FROM search_{kind} JOIN search_map m ON m.id = search_{kind}.rowid "
            f"WHERE {where}" + (f" ORDER BY search_{kind}.rowid DESC" if ordered else "")
        )
    else:
        params["search_kind"] = kind
        where = " AND ".join(["m.kind = :search_kind", *likes])
        sql = f"SELECT m.kind, m.ref FROM search_map m WHERE {where}" + (" ORDER BY m.id DESC" if ordered else "")
    return sql, params


@dataclass(frozen=True)
class Hit:
    kind: str
    ref: str


def search(session: Session, query: str, kinds: Sequence[str] | None = None, limit: int = 50) -> list[Hit]:
    """Matching records of every kind (or of ``kinds``), each kind newest first."""
    q = parse_query(query)
    if q.empty:
        return []
    hits: list[Hit] = []
    for kind in kinds or INDEXED:
        if len(hits) >= limit:
            break
        if q.likes and not INDEXED[kind].key_fields:
            continue
        sql, params = _refs_sql(q, kind)
        rows = session.connection().execute(text(sql + " LIMIT :limit"), {**params, "limit": limit - len(hits)})
        hits += [Hit(k, r) for k, r in rows]
    return hits


def map_row_matches_sql(query: str, kind: str, alias: str) -> tuple[str, dict[str, str]] | None:
    """A condition on a ``search_map`` row already joined as ``alias``, for a list that
    joins the map anyway (its sort key): no sub-select of every matching ref to build,
    which is 5 to 10 times cheaper under cipher_memory_security (see contact_list)."""
    q = parse_query(query)
    if q.empty:
        return None
    if _keyless(q, kind):
        return "0", {}
    parts, params = _key_likes(q, alias)
    if q.match:
        parts.append(f"{alias}.id IN (SELECT rowid FROM search_{kind} WHERE search_{kind} MATCH :match)")
        params["match"] = q.match
    return " AND ".join(parts), params


def matching_refs_sql(query: str, kind: str) -> tuple[str, dict[str, str]] | None:
    """A sub-select of the refs of ``kind`` matching ``query``, for list filters."""
    q = parse_query(query)
    if q.empty:
        return None
    sql, params = _refs_sql(q, kind, ordered=False)
    return f"SELECT ref FROM ({sql})", params
