"""What importing a bundle would do, worked out without writing anything: new
records, identical ones, and conflicts (the same record, different content).

Records are matched by their stable ids (random UUIDs, the same in every vault),
link tables by their key columns, and records with a unique key besides their id
(a relationship's two ends and kind, a checklist run's item) by that key too. A
contact's codename is *not* a matching key (another vault's ``Heron-123`` can be
someone else): a new contact whose codename is taken gets a new one. A new preferred
channel for a contact who already has one here is added as not preferred. Records
are inserted parents first; deletions are never carried (a record missing from the
bundle is left alone). Everything runs in the caller's session: one transaction.

Attachments are never a conflict: what was taken in never changes. One already here
(same id, same SHA-256) is left as it is, deleted here or not (a bundle never undoes
a deletion, as it never carries one); the same id with other contents refuses the
whole import (one of the two copies was altered); a new one is added with its bytes.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, SQLModel, select

from hrd_tui import migrations
from hrd_tui.models import EXPORT_TABLES, Attachment, Contact
from hrd_tui.sanitize import for_display
from hrd_tui.services import contacts
from hrd_tui.services.attachments import size_text
from hrd_tui.services.base import short_id
from hrd_tui.services.contacts import clean_input as contacts_clean
from hrd_tui.services.handover.document import Bundle
from hrd_tui.services.handover.errors import BundleError, BundleTooNew
from hrd_tui.services.handover.labels import Labels
from hrd_tui.services.handover.tables import (
    CARRIED,
    DERIVED,
    IGNORED_FIELDS,
    TABLE_ORDER,
    Key,
    columns,
    fks,
    is_reference,
    key_of,
    natural_keys,
    pk_cols,
    rows_in,
)
from hrd_tui.services.history import jsonable
from hrd_tui.transactions import Transactions


@dataclass(frozen=True)
class FieldDiff:
    """One field of a conflict: this vault's value and the bundle's (JSON form), and how to show them."""

    field: str  # (which hides dataclasses.field in this class body: named in full below)
    mine: Any = dataclasses.field(repr=False)
    theirs: Any = dataclasses.field(repr=False)
    mine_shown: str = dataclasses.field(repr=False, compare=False, default="")
    theirs_shown: str = dataclasses.field(repr=False, compare=False, default="")
    #: The values whole, as the officer reads them (nothing cut, lines kept, local times,
    #: vocabulary labels, people by codename): for the merge screen and its view that scrolls.
    mine_whole: str = dataclasses.field(repr=False, compare=False, default="")
    theirs_whole: str = dataclasses.field(repr=False, compare=False, default="")

    @property
    def label(self) -> str:
        return self.field.replace("_", " ")


@dataclass(frozen=True)
class Conflict:
    """The same record in both vaults, with different content. ``key`` is what ``choices`` use."""

    key: str
    table: str
    label: str
    diffs: tuple[FieldDiff, ...]
    record_key: Key = field(repr=False)  # the record's primary key in this vault

    def lines(self) -> list[str]:
        """For a preview: the label, then each differing field; safe for a terminal."""
        out = [for_display(f"{self.label} ({self.key})", single_line=True)]
        for diff in self.diffs:
            out.append(
                for_display(f"  {diff.label}: mine {diff.mine_shown} | theirs {diff.theirs_shown}", single_line=True)
            )
        return out

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(d.field for d in self.diffs)


@dataclass
class ImportPlan:
    bundle: Bundle = field(repr=False)
    new: dict[str, list[dict[str, Any]]] = field(repr=False)
    identical: dict[str, int]
    conflicts: list[Conflict]
    notes: list[str]

    @property
    def new_counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.new.items() if rows}

    @property
    def is_empty(self) -> bool:
        return not self.new_counts and not self.conflicts

    @property
    def new_files_size(self) -> int:
        """The bytes of the attachments this import would add."""
        return sum(self.bundle.files[row["id"]].size for row in self.new.get("attachments", []))

    def summary(self) -> list[str]:
        """Counts per table (no data), then the notes: safe to print."""
        lines = [f"new {name.replace('_', ' ')}: {n}" for name, n in self.new_counts.items()]
        if self.bundle.files:
            lines.append(
                f"attachments in the bundle: {len(self.bundle.files)}, {size_text(self.bundle.files_size)} "
                f"(each checked against its SHA-256); to add: {len(self.new['attachments'])}, "
                f"{size_text(self.new_files_size)}"
            )
        same = sum(self.identical.values())
        lines.append(f"already here and identical: {same}")
        lines.append(f"conflicts: {len(self.conflicts)}")
        return lines + [for_display(note, single_line=True) for note in self.notes]


class _Planner:
    def __init__(self, session: Session, bundle: Bundle) -> None:
        self.session = session
        self.bundle = bundle
        self.labels = Labels(session, bundle)
        self.remap: dict[str, dict[Key, Key]] = defaultdict(dict)
        self.available: dict[str, set[Key]] = defaultdict(set)  # keys that exist once imported
        self.in_vault: dict[str, dict[Key, bool]] = defaultdict(dict)
        self.new: dict[str, list[dict[str, Any]]] = {name: [] for name in CARRIED}
        self.identical: dict[str, int] = {name: 0 for name in CARRIED}
        self.conflicts: list[Conflict] = []
        self.notes: list[str] = []

    # -- lookups -------------------------------------------------------------
    def _existing(self, name: str, keys: list[Key]) -> dict[Key, Any]:
        """This vault's rows with these primary keys (by the first key column, then filtered)."""
        model = EXPORT_TABLES[name]
        pk = pk_cols(model)
        wanted = set(keys)
        rows = rows_in(self.session, model, getattr(model, pk[0]), [k[0] for k in wanted])
        return {k: row for row in rows if (k := key_of(row)) in wanted}

    def _exists(self, name: str, key: Key) -> bool:
        if key in self.available[name]:
            return True
        cache = self.in_vault[name]
        if key not in cache:
            cache[key] = self.session.get(EXPORT_TABLES[name], key if len(key) > 1 else key[0]) is not None
        return cache[key]

    def _prefetch(self, name: str, keys: Iterable[Key]) -> None:
        todo = [k for k in set(keys) if k not in self.available[name] and k not in self.in_vault[name]]
        if not todo:
            return
        found = self._existing(name, todo)
        for k in todo:
            self.in_vault[name][k] = k in found

    def _by_natural_key(self, name: str, row: dict[str, Any]) -> Any:
        model = EXPORT_TABLES[name]
        for cols in natural_keys(model):
            if any(row.get(c) is None for c in cols):
                continue
            stmt = select(model)
            for c in cols:
                stmt = stmt.where(getattr(model, c) == row[c])
            found = self.session.exec(stmt).first()
            if found is not None:
                return found
        return None

    # -- the plan ------------------------------------------------------------
    def _shape(self, name: str, row: dict[str, Any]) -> dict[str, Any]:
        model = EXPORT_TABLES[name]
        row = {k: v for k, v in row.items() if k not in DERIVED}  # recomputed here, whatever the bundle says
        if set(row) - set(columns(model)) or any(c not in row for c in pk_cols(model)):
            raise BundleError(f"The bundle is damaged: a record of {name.replace('_', ' ')} has an unknown shape.")
        out = dict(row)
        if model is Contact:  # the names as any other way in stores them: no invisible characters
            out.update({k: v for k, v in contacts_clean(out).items() if k in ("name", "codename")})
        for fk in fks(model):
            value = tuple(out.get(c) for c in fk.cols)
            target = self.remap.get(fk.target, {}).get(value)
            if target is not None:
                out.update(zip(fk.cols, target, strict=True))
        return out

    def _dangling(self, name: str, row: dict[str, Any], mine: dict[str, Any] | None) -> bool:
        """Fix links to records neither in the bundle nor here; False when the row must be skipped."""
        model = EXPORT_TABLES[name]
        for fk in fks(model):
            value = tuple(row.get(c) for c in fk.cols)
            if any(v is None for v in value) or self._exists(fk.target, value):
                continue
            label = self.labels.record(name, row)
            target = fk.target.replace("_", " ")
            if mine is not None:
                row.update({c: mine.get(c) for c in fk.cols})
                self.notes.append(f"{label}: its link to {target} not in the bundle is left as it is here.")
            elif fk.nullable:
                row.update(dict.fromkeys(fk.cols))
                self.notes.append(f"{label}: its link to {target} is in neither vault nor bundle; left empty.")
            else:
                self.notes.append(f"{label}: skipped, it belongs to {target} that is in neither vault nor bundle.")
                return False
        return True

    def plan(self) -> ImportPlan:
        for name in TABLE_ORDER:
            if name == "attachments":
                self._plan_attachments()
            else:
                self._plan_table(name)
        return ImportPlan(self.bundle, self.new, self.identical, self.conflicts, self.notes)

    def _plan_table(self, name: str) -> None:
        model = EXPORT_TABLES[name]
        pk = pk_cols(model)
        rows = [self._shape(name, r) for r in self.bundle.tables.get(name, [])]
        existing = self._existing(name, [tuple(r[c] for c in pk) for r in rows])
        for fk in fks(model):
            if fk.target == name:  # a record pointing at another of its table (a correction)
                self.available[name] |= {tuple(r[c] for c in pk) for r in rows}
            else:
                self._prefetch(fk.target, (tuple(r.get(c) for c in fk.cols) for r in rows))
        seen: set[Key] = set()
        for row in rows:
            key = tuple(row[c] for c in pk)
            if key in seen:
                continue
            seen.add(key)
            mine_obj = existing.get(key)
            if mine_obj is None and not is_reference(name, row):
                mine_obj = self._by_natural_key(name, row)
                if mine_obj is not None:
                    self.remap[name][key] = key_of(mine_obj)
            if mine_obj is None:
                if self._dangling(name, row, None):
                    self.new[name].append(row)
                    self.available[name].add(key)
                    self._warn_new(name, row)
                continue
            self.available[name].add(key_of(mine_obj))
            if is_reference(name, row):
                self.identical[name] += 1  # reference data: this vault's version is kept
                continue
            mine = jsonable(mine_obj.model_dump(exclude=DERIVED))
            self._dangling(name, row, mine)
            if (
                name == "contacts"
                and row.get("codename") != mine.get("codename")
                and _codename_taken(self.session, row.get("codename"), mine_obj.id)
            ):
                # Renamed here at an earlier import because another contact had the
                # codename: not a choice anyone can make, so not a conflict.
                self.notes.append(
                    f"contact {mine.get('codename')} is {row.get('codename')} in the bundle "
                    "(that codename belongs to another contact here)."
                )
                row["codename"] = mine.get("codename")
            diffs = tuple(
                _diff(self.labels, model, f, mine.get(f), row[f])
                for f in columns(model)  # in the table's order, so a preview reads the same every time
                if f in row and f not in pk and f not in IGNORED_FIELDS and mine.get(f) != row[f]
            )
            if not diffs:
                self.identical[name] += 1
                continue
            self.conflicts.append(
                Conflict(
                    key=f"{name}/{'/'.join(str(k) for k in key)}",
                    table=name,
                    label=self.labels.record(name, {**row, **{c: mine.get(c) for c in pk}}),
                    diffs=diffs,
                    record_key=key_of(mine_obj),
                )
            )

    def _plan_attachments(self) -> None:
        """New attachments, and those already here (see the module docstring); never a conflict."""
        name = "attachments"
        rows = self.bundle.tables.get(name, [])
        if rows and not self.bundle.files:
            self.notes.append(
                f"{len(rows)} attachment record(s) came without their files (the bundle was written by an "
                "earlier hrd-tui): not imported."
            )
            return
        rows = [self._shape(name, r) for r in rows]
        existing = self._existing(name, [(r["id"],) for r in rows])
        links = fks(Attachment)
        for fk in links:
            self._prefetch(fk.target, (tuple(r.get(c) for c in fk.cols) for r in rows))
        for row in rows:
            key = (row["id"],)
            short = short_id(str(row["id"]))
            shown = f"attachment {short}"
            mine = existing.get(key)
            if mine is not None:
                if mine.sha256 != row.get("sha256") or mine.size != row.get("size"):
                    raise BundleError(
                        f"Attachment {short} is in this vault with other contents (SHA-256 "
                        f"{mine.sha256[:12]}... here, {str(row.get('sha256'))[:12]}... in the bundle): an attachment "
                        "never changes once added, so one of the two copies was altered. Nothing was imported."
                    )
                self.identical[name] += 1
                if mine.deleted_at is not None:
                    self.notes.append(f"{shown} is deleted here: it stays deleted.")
                continue
            owners = [fk for fk in links if all(row.get(c) is not None for c in fk.cols)]
            if row.get("deleted_at") is not None or len(owners) != 1:
                self.notes.append(f"{shown}: skipped, the bundle's record of it is not one this vault takes.")
                continue
            if not self._exists(owners[0].target, tuple(row[c] for c in owners[0].cols)):
                self.notes.append(f"{shown}: skipped, the record it belongs to is in neither vault nor bundle.")
                continue
            self.new[name].append(row)
            self.available[name].add(key)

    def _warn_new(self, name: str, row: dict[str, Any]) -> None:
        if name == "contacts":
            if contacts.codename_owner(self.session, str(row.get("codename") or "")) is not None:
                self.notes.append(
                    f"a new contact has the codename {row.get('codename')}, which another contact here has: "
                    "it will get a new codename."
                )


def _check_revision(bundle_revision: str | None, vault_revision: str | None) -> None:
    known = migrations.all_revisions()
    if bundle_revision is None:
        return
    if bundle_revision not in known:
        raise BundleTooNew(
            f"This bundle was written by a newer hrd-tui (schema {bundle_revision}); upgrade hrd-tui to import it."
        )
    if vault_revision in known and known.index(bundle_revision) > known.index(vault_revision):
        raise BundleTooNew(
            f"This bundle has schema {bundle_revision}, newer than this vault's ({vault_revision}); "
            "open the vault for writing once (it upgrades), then import."
        )


def plan_bundle(tx: Transactions, bundle: Bundle) -> ImportPlan:
    """``plan_import`` in a transaction of its own: for a screen, which holds no session."""
    with tx.session("reading the bundle") as session:
        return plan_import(session, bundle)


def plan_import(session: Session, bundle: Bundle) -> ImportPlan:
    """What importing ``bundle`` would do: new records, identical ones, conflicts. Writes nothing."""
    _check_revision(bundle.schema_revision, migrations.current_revision(session.connection()))
    return _Planner(session, bundle).plan()


def _codename_taken(session: Session, codename: Any, own_id: Any) -> bool:
    other = contacts.codename_owner(session, str(codename or ""))
    return other is not None and other != own_id


def _diff(labels: Labels, model: type[SQLModel], column: str, mine: Any, theirs: Any) -> FieldDiff:
    return FieldDiff(
        column,
        mine,
        theirs,
        labels.value(model, column, mine),
        labels.value(model, column, theirs),
        labels.value(model, column, mine, whole=True),
        labels.value(model, column, theirs, whole=True),
    )
