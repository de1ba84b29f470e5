"""Carrying out an import plan with the officer's choices, in the caller's session
(one transaction): conflicts first (mine, theirs, or field by field), then the new
records, parents first. Nothing is lost: a replaced value and a declined one both
go into the history. A new attachment's bytes are streamed from the bundle file into
the vault (services.attachments.add_stream), each segment checked as it is read and
the whole file hashed as it is written: a mismatch fails the import, which then
leaves nothing behind (one transaction).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session, SQLModel, col, select

from hrd_tui.errors import HrdError, ValidationError, from_os_error
from hrd_tui.models import EXPORT_TABLES, ConsentRecord, Contact, Referral, SecureChannel
from hrd_tui.models.attachments import OWNER_COLUMNS
from hrd_tui.models.common import table_name
from hrd_tui.sanitize import codename_key
from hrd_tui.services import attachments, base, history, threats
from hrd_tui.services.handover.errors import BundleError
from hrd_tui.services.handover.planning import Conflict, ImportPlan, plan_import
from hrd_tui.services.handover.tables import NAME_OF_TABLE, TABLE_ORDER, fks
from hrd_tui.transactions import Transactions

Choice = Literal["mine", "theirs"]


@dataclass
class ImportResult:
    """Conflicts by key: every differing field kept here (``kept_mine``), every one
    taken from the bundle (``took_theirs``), or some of each (``mixed``)."""

    inserted: dict[str, int]
    identical: int
    kept_mine: list[str]
    took_theirs: list[str]
    notes: list[str]
    mixed: list[str] = field(default_factory=list)

    @property
    def total_inserted(self) -> int:
        return sum(self.inserted.values())


def _signature(plan: ImportPlan) -> tuple[Any, ...]:
    return (
        tuple((c.key, c.diffs) for c in plan.conflicts),
        tuple((name, len(rows)) for name, rows in plan.new.items()),
    )


def _self_ordered(model: type[SQLModel], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows pointing at another row of the same table (a correction) after that row."""
    self_fks = [fk.cols[0] for fk in fks(model) if fk.target == NAME_OF_TABLE[table_name(model)] and len(fk.cols) == 1]
    if not self_fks:
        return rows
    pending = {r["id"]: r for r in rows}
    done: list[dict[str, Any]] = []
    placed: set[Any] = set()

    def place(row: dict[str, Any], depth: int = 0) -> None:
        if row["id"] in placed or depth > len(rows):
            return
        for column in self_fks:
            parent = pending.get(row.get(column))
            if parent is not None and parent is not row:
                place(parent, depth + 1)
        placed.add(row["id"])
        done.append(row)

    for row in rows:
        place(row)
    return done


#: Where the history hook (services/history.py) reads the source of a session's changes.
CHANGE_SOURCE = "change_source"
_UNSET = object()

#: A conflict's decision: one side for the whole record, or a side for each differing field.
FieldChoices = Mapping[str, Choice]
Decision = Choice | FieldChoices


def _decide(
    conflicts: Sequence[Conflict], choices: Mapping[str, Decision], default: Choice | None
) -> dict[str, dict[str, Choice]]:
    """Each conflict's side for each of its fields; ValidationError for any choice that
    is not one, or any field left undecided with no default."""
    by_key = {c.key: c for c in conflicts}
    bad: dict[str, str] = {}
    for key, choice in choices.items():
        conflict = by_key.get(key)
        if conflict is None:
            bad[key] = "is not a conflict of this import"
        elif isinstance(choice, Mapping):
            wrong = [f for f in choice if f not in conflict.fields]
            if wrong:
                bad[key] = f"{', '.join(map(str, wrong))}: not a field that differs"
            elif any(v not in ("mine", "theirs") for v in choice.values()):
                bad[key] = "choose mine or theirs for each field"
        elif choice not in ("mine", "theirs"):
            bad[key] = "choose mine or theirs"
    if bad:
        raise ValidationError(bad)
    decided: dict[str, dict[str, Choice]] = {}
    unresolved: dict[str, str] = {}
    for conflict in conflicts:
        decision = choices[conflict.key] if conflict.key in choices else default
        per_field = dict(decision) if isinstance(decision, Mapping) else dict.fromkeys(conflict.fields, decision)
        left = [d.label for d in conflict.diffs if per_field.get(d.field, default) is None]
        if left:
            unresolved[conflict.key] = f"{conflict.label}: {', '.join(left)} differ; choose mine or theirs"
            continue
        decided[conflict.key] = {f: per_field.get(f) or default for f in conflict.fields}  # type: ignore[misc]
    if unresolved:
        raise ValidationError(unresolved)
    return decided


def import_bundle(tx: Transactions, plan: ImportPlan, choices: Mapping[str, Decision]) -> ImportResult:
    """``apply_import`` in one transaction of its own (the whole bundle or nothing): for a screen."""
    with tx.session("importing the bundle") as session:
        return apply_import(session, plan, choices)


def apply_import(
    session: Session,
    plan: ImportPlan,
    choices: Mapping[str, Decision] | None = None,
    *,
    default: Choice | None = None,
    source: str | None = None,
) -> ImportResult:
    """Carry out ``plan`` in the caller's session (one transaction; nothing is committed here).

    ``choices`` maps each conflict's key to "mine" (keep this vault's record), "theirs"
    (take the bundle's), or to a side for each differing field (``{"role": "mine",
    "phone": "theirs"}``): exactly the fields chosen "theirs" are taken, so two officers
    who changed different fields both keep their edits. A field left out takes
    ``default``; with no default it is an error (ValidationError listing them) and
    nothing is written. The plan is made again first: if the vault changed since the
    preview, nothing is written.

    Nothing is lost: a value replaced by the bundle's goes into the history (the
    update's earlier version), and a bundle's value not taken is kept there too
    (history.record_declined). Both are marked with ``source``, by default
    "handover merge from <the bundle's file>".
    """
    choices = dict(choices or {})
    if default not in (None, "mine", "theirs"):
        raise ValidationError({"default": "is mine or theirs"})
    fresh = plan_import(session, plan.bundle)
    if _signature(fresh) != _signature(plan):
        raise HrdError("The vault changed since this import was previewed; preview it again. Nothing was imported.")
    decision = _decide(fresh.conflicts, choices, default)
    result = ImportResult(
        inserted={}, identical=sum(fresh.identical.values()), kept_mine=[], took_theirs=[], notes=list(fresh.notes)
    )
    by_table: dict[str, list[Conflict]] = defaultdict(list)
    for conflict in fresh.conflicts:
        by_table[conflict.table].append(conflict)
    source = source or f"handover merge from {plan.bundle.label}"
    before = session.info.get(CHANGE_SOURCE, _UNSET)
    session.info[CHANGE_SOURCE] = source
    try:
        _apply(session, fresh, by_table, decision, result, source)
    finally:
        if before is _UNSET:
            session.info.pop(CHANGE_SOURCE, None)
        else:
            session.info[CHANGE_SOURCE] = before
    return result


def _apply(
    session: Session,
    fresh: ImportPlan,
    by_table: Mapping[str, list[Conflict]],
    decision: Mapping[str, Mapping[str, Choice]],
    result: ImportResult,
    source: str,
) -> None:
    for name in TABLE_ORDER:
        if name == "attachments":  # never a conflict (planning): only new ones
            _add_files(session, fresh, result)
            continue
        model = EXPORT_TABLES[name]
        # Unique values kept in memory while the table is imported (a query per record
        # would flush the session each time): codename -> contact, contact -> preferred channel.
        codenames: dict[Any, Any] = (
            dict(session.exec(select(Contact.codename_key, Contact.id)).all()) if model is Contact else {}
        )
        preferred: dict[Any, Any] = {}
        if model is SecureChannel:
            stmt = select(SecureChannel.contact_id, SecureChannel.id).where(col(SecureChannel.preferred).is_(True))
            preferred = dict(session.exec(stmt).all())
        conflicts = list(by_table.get(name, []))
        # Changes that free a unique value (a channel no longer preferred) go first.
        conflicts.sort(
            key=lambda c: any(
                d.field == "preferred" and d.theirs and decision[c.key][d.field] == "theirs" for d in c.diffs
            )
        )
        for conflict in conflicts:
            sides = decision[conflict.key]
            taken = [d for d in conflict.diffs if sides[d.field] == "theirs"]
            declined = {
                d.field: d.theirs for d in conflict.diffs if sides[d.field] == "mine" and d.field not in base.PROTECTED
            }
            if not taken:
                result.kept_mine.append(conflict.key)
            elif len(taken) == len(conflict.diffs):
                result.took_theirs.append(conflict.key)
            else:
                result.mixed.append(conflict.key)
            obj: Any = session.get(
                model, conflict.record_key if len(conflict.record_key) > 1 else conflict.record_key[0]
            )
            if obj is None:  # pragma: no cover - the plan was just made in this session
                raise HrdError("The vault changed during the import; nothing was imported.")
            changes = {d.field: d.theirs for d in taken if d.field not in base.PROTECTED}
            if model is Contact and "codename" in changes:
                if codenames.get(codename_key(changes["codename"]), obj.id) != obj.id:
                    declined["codename"] = changes.pop("codename")
                    result.notes.append(
                        f"{conflict.label}: kept its codename here; the bundle's is another contact's here."
                    )
                else:
                    codenames.pop(obj.codename_key, None)
                    codenames[codename_key(changes["codename"])] = obj.id
            fixed, why = _fixed_here(obj)
            if frozen := fixed & set(changes):
                for field in sorted(frozen):
                    declined[field] = changes.pop(field)
                result.notes.append(f"{conflict.label}: {why} ({', '.join(sorted(frozen))} kept here).")
            if model is SecureChannel and "preferred" in changes:
                holder = preferred.get(obj.contact_id)
                if not changes["preferred"]:
                    if holder == obj.id:
                        del preferred[obj.contact_id]
                elif holder not in (None, obj.id):
                    declined["preferred"] = changes.pop("preferred")
                    result.notes.append(f"{conflict.label}: not made preferred; another channel of that contact is.")
                else:
                    preferred[obj.contact_id] = obj.id
            if changes:
                base.update(session, obj, changes)  # flushes: a value freed here is free for the next
            history.record_declined(session, obj, declined, source)  # the bundle's values not taken
        rows = _self_ordered(model, fresh.new[name])
        for row in rows:
            data = dict(row)
            if model is Contact:
                if codenames.get(codename_key(str(data.get("codename") or "")), data.get("id")) != data.get("id"):
                    old = data["codename"]
                    data["codename"] = _fresh_codename(codenames)
                    result.notes.append(f"new contact {old} is called {data['codename']} here: {old} was taken.")
                codenames[codename_key(data["codename"])] = data.get("id")
            if model is SecureChannel and data.get("preferred"):
                contact_id = data.get("contact_id")
                if preferred.get(contact_id, data.get("id")) != data.get("id"):
                    data["preferred"] = False
                    result.notes.append(
                        f"a new {data.get('kind')} channel of {_codename_of(session, contact_id)} "
                        "was added as not preferred: another channel is."
                    )
                else:
                    preferred[contact_id] = data.get("id")
            session.add(base.validate(model, data))
        session.flush()
        if rows:
            result.inserted[name] = len(rows)


def _add_files(session: Session, plan: ImportPlan, result: ImportResult) -> None:
    """The new attachments, their bytes streamed from the bundle one segment at a time,
    each kept with the id, time of intake and metadata found that it had in the vault it
    came from (its chain of custody travels with it)."""
    rows = plan.new["attachments"]
    bundle = plan.bundle
    if not rows:
        return
    if bundle.path is None:  # pragma: no cover - a plan with files was made from a bundle file
        raise BundleError("The bundle's file is not known: read it again.")
    try:
        stream = bundle.path.open("rb")
    except OSError as exc:
        raise from_os_error(exc, f"reading {bundle.name}") from exc
    with stream:
        for row in rows:
            carried = bundle.files[row["id"]]
            kind = next(kind for kind, column in OWNER_COLUMNS.items() if row.get(column) is not None)
            try:
                added_at = datetime.fromisoformat(str(row.get("created_at")))
            except ValueError:
                raise BundleError("The bundle is damaged: an attachment's time of intake is not a time.") from None
            added = attachments.add_stream(
                session,
                bundle.file_reader(carried, stream),  # type: ignore[arg-type]
                str(row.get("name") or ""),
                attachments.Owner(kind, row[OWNER_COLUMNS[kind]]),
                note=str(row.get("note") or ""),
                max_bytes=carried.size,
                expect_sha256=carried.sha256,
                attachment_id=carried.id,
                added_at=added_at,
                found_metadata=row.get("found_metadata"),
            )
            if added.media_type != row.get("media_type"):
                result.notes.append(
                    f"attachment {base.short_id(added.id)} is {added.media_type} by its content here, "
                    "not the type the sending vault recorded."
                )
    result.inserted["attachments"] = len(rows)


#: A consent decision is a record of what was agreed (a new decision is a new record).
CONSENT_FIXED = frozenset({"contact_id", "scope", "value", "given_on", "ends_on", "resource_ids", "shared", "missions"})


def _fixed_here(obj: Any) -> tuple[frozenset[str], str]:
    """The fields a merge never takes from a bundle, as the services never change them
    here, and why (the note the officer reads)."""
    if isinstance(obj, ConsentRecord):
        return CONSENT_FIXED, "a consent decision is kept as it was recorded; record a new one instead"
    if isinstance(obj, Referral) and obj.status != "draft":
        why = "a sent referral keeps the resource, purpose and what it shared; withdraw it and refer again"
        return frozenset(threats.SENT_REFERRAL_FIXED), why
    return frozenset(), ""


def _fresh_codename(taken: Mapping[Any, Any]) -> str:
    """A codename no contact has (as contacts.new_codename makes them), checked in memory."""
    from hrd_tui.services.contacts import CODENAME_WORDS

    for _ in range(1000):
        candidate = f"{secrets.choice(CODENAME_WORDS)}-{secrets.randbelow(900) + 100}"
        if codename_key(candidate) not in taken:
            return candidate
    while codename_key(candidate := f"Contact-{secrets.token_hex(4)}") in taken:
        pass
    return candidate


def _codename_of(session: Session, contact_id: Any) -> str:
    contact = session.get(Contact, contact_id) if contact_id else None
    return contact.codename if contact else "a contact"
