"""Contacts in and out of the vault: CSV and vCard, with a dry run before any write.

Import is two steps. :func:`preview` parses the file, checks every field with
the model's own rules and finds duplicates, and writes nothing; :func:`apply`
then writes the rows that passed, in the caller's transaction. A row with an
error is never written. Rows are numbered as the user sees them: in a CSV file
the header is row 1 and the first contact row 2 (a spreadsheet's numbering);
in a vCard file, cards are numbered 1, 2, 3 ...

A duplicate is a row with the same codename, e-mail (any case), phone (digits
and a leading + only) or name (ignoring case, accents and runs of spaces) as an
existing contact, or as an earlier row of the same file. It is merged (the
row's non-empty values go in through ``contacts.update_contact``, so the
history keeps the earlier version; lists and focus areas are unioned; the
codename is never changed) or skipped.

Export writes every contact, sorted by codename. By default (``real_names``
off) the columns that identify a person (name, e-mail, phone, notes) are left
empty: codenames only. Exporting with real names and importing the file again
gives the same contacts, and a second export of them is byte-identical. Text is
data, never markup: CSV cells are quoted per RFC 4180, and a cell a spreadsheet
would run as a formula gets a leading apostrophe that the import takes off
again (:func:`defuse`, :func:`restore`).
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import insert
from sqlmodel import Session, col, select

from hrd_tui import limits
from hrd_tui.errors import HrdError, UsageError, ValidationError, from_os_error
from hrd_tui.models import Contact, ContactFocusArea
from hrd_tui.models.common import table_of
from hrd_tui.sanitize import codename_key, plural, strip_invisible
from hrd_tui.services import base, contact_vcard, contacts, reference, search
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import ContactKind, FocusArea

Format = Literal["csv", "vcard"]
FORMATS: tuple[Format, ...] = ("csv", "vcard")

CSV_COLUMNS: tuple[str, ...] = (
    "codename",
    "name",
    "kind",
    "organisation",
    "role",
    "country",
    "region",
    "languages",
    "tags",
    "focus_areas",
    "email",
    "phone",
    "direct_contact_safe",
    "last_contact_on",
    "cadence_days",
    "next_follow_up_on",
    "notes",
)
#: Left empty in an export unless real names are asked for.
IDENTIFYING = contacts.IDENTIFYING

LIST_FIELDS = ("languages", "tags")
#: Text that is None (not "") when empty, as a new contact has it.
OPTIONAL_TEXT = ("organisation", "role", "country", "region", "email", "phone")
DATE_FIELDS = ("last_contact_on", "next_follow_up_on")
#: New contacts are written in flushes of this many (each flush runs the history and search hooks once).
CHUNK = 500
#: A cell may be as long as the longest field (notes: 1,000,000) and still be read, then refused by validation.
CSV_FIELD_LIMIT = 4_000_000
#: Limits checked before any parser sees the file (SECURITY.md, requirement 18): a crafted
#: file is refused in one line (exit 11), never parsed into gigabytes of memory.
MAX_FILE_BYTES = 64 << 20
#: A physical line; a CSV cell or a vCard property (unfolded) as long as the longest field
#: (notes: 1,000,000 characters), every character of it quoted, still fits.
MAX_LINE_CHARS = CSV_FIELD_LIMIT
MAX_PROPERTY_CHARS = CSV_FIELD_LIMIT
MAX_RECORDS = 50_000
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT = re.compile(r"[+-]?\d{1,9}")


class ContactFileError(ValidationError):
    """A file that cannot be imported at all (not CSV or vCard, no header, unknown columns)."""

    def __init__(self, problem: str) -> None:
        super().__init__({"file": problem})
        self.message = problem
        self.problem = problem


@dataclass
class RowIssue:
    row: int
    field: str
    message: str
    unit: str = "row"  # "card" in a vCard file

    def __str__(self) -> str:
        return f"{self.unit} {self.row}, {self.field}: {self.message}"


@dataclass
class ImportRow:
    row: int
    data: dict[str, Any]
    focus_areas: list[str] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    duplicate_of: str | None = None  # id of the existing contact it matches (directly or through an earlier row)
    duplicate_label: str = ""  # that contact's codename (never its name), or the earlier row's codename
    matched_on: str = ""  # "codename", "name", "email", "phone", or "earlier row N"
    notes: list[str] = field(default_factory=list)  # remarks that are not errors
    duplicate_row: int | None = None  # the earlier row of the same file it matches
    matched_field: str = ""  # the field that matched, also for an earlier row
    filled: set[str] = field(default_factory=set)  # fields the file left blank, filled in here (never merged)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None or self.duplicate_row is not None

    def describe_duplicate(self, unit: str = "row") -> str:
        """'duplicates contact Heron-123 (same e-mail)': codenames only."""
        same = f"same {FIELD_WORDS.get(self.matched_field, self.matched_field)}"
        if self.duplicate_of is not None and self.duplicate_row is None:
            return f"duplicates contact {self.duplicate_label} ({same})"
        into = f", itself a duplicate of contact {self.duplicate_label}" if self.duplicate_of else ""
        return f"duplicates {unit} {self.duplicate_row} ({same}{into})"


FIELD_WORDS = {"email": "e-mail", "phone": "phone", "name": "name", "codename": "codename"}


@dataclass
class ImportPlan:
    format: Format
    rows: list[ImportRow]

    @property
    def unit(self) -> str:
        return "card" if self.format == "vcard" else "row"

    @property
    def valid(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def duplicates(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok and r.is_duplicate]

    @property
    def new(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok and not r.is_duplicate]

    @property
    def issues(self) -> list[RowIssue]:
        return [issue for r in self.rows for issue in r.issues]

    def summary_lines(self) -> list[str]:
        dups = self.duplicates
        existing = sum(1 for r in dups if r.duplicate_row is None)
        parts = [f"{len(self.new)} new", f"{existing} {_plural(existing, 'duplicate')} of existing contacts"]
        if len(dups) > existing:
            parts.append(f"{len(dups) - existing} {_plural(len(dups) - existing, 'duplicate')} of earlier {self.unit}s")
        parts.append(f"{len(self.invalid)} with errors")
        lines = [f"{len(self.rows)} {_plural(len(self.rows), self.unit)}: " + ", ".join(parts)]
        remarked = sum(1 for r in self.rows if r.ok and r.notes)
        if remarked:
            lines.append(f"{remarked} {_plural(remarked, self.unit)} with remarks (not errors)")
        return lines


@dataclass
class ImportResult:
    created: int = 0
    merged: int = 0
    skipped: int = 0
    invalid: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.merged} merged into existing contacts, "
            f"{plural(self.skipped, 'duplicate')} skipped, {self.invalid} with errors not imported"
        )


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _shown(value: str, limit: int = 40) -> str:
    """A value quoted in a message: on one line, and cut short."""
    value = re.sub(r"[\r\n\t]", " ", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


# -- reading -------------------------------------------------------------------


def read_file(path: str | Path) -> str:
    """A file's text, exactly (no newline translation); a byte-order mark is dropped.
    A file over MAX_FILE_BYTES is refused before it is read."""
    too_large = ContactFileError(
        f"{path} is too large to be a contact file (more than {MAX_FILE_BYTES >> 20} MiB); "
        "nothing was read. Split it into smaller files."
    )
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise too_large
        with Path(path).open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # a file that grows, or a pipe, is cut at the limit too
    except OSError as exc:
        raise from_os_error(exc, f"reading {path}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise too_large
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise ContactFileError(f"{path} is not UTF-8 text (save it as UTF-8 and try again).") from None


def detect_format(filename: str, text: str) -> Format:
    """By extension (.csv, .vcf, .vcard), else by content."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".vcf", ".vcard"):
        return "vcard"
    head = text.lstrip("\ufeff \t\r\n")
    if head[:11].upper() == "BEGIN:VCARD":
        return "vcard"
    first = [cell.strip().lower() for cell in head.split("\n", 1)[0].split(",")]
    if "codename" in first or "name" in first:
        return "csv"
    raise UsageError(f"Cannot tell whether {filename} is CSV or vCard: give --format csv or --format vcard.")


def parse(text: str, fmt: Format) -> ImportPlan:
    """Read and check every row, without the vault: file-level problems raise
    ContactFileError; row-level ones are collected. Duplicates and generated
    codenames come from :func:`match`."""
    text = text.removeprefix("\ufeff")
    if fmt not in FORMATS:
        raise UsageError(f"Unknown import format {fmt!r}: csv or vcard.")
    check_limits(text, fmt)
    if fmt == "csv":
        return ImportPlan("csv", [_build_row(n, raw, notes, "row") for n, raw, notes in _csv_records(text)])
    if fmt == "vcard":
        rows = []
        for n, raw, notes, problem in contact_vcard.records(text, MAX_PROPERTY_CHARS):
            if problem:
                rows.append(ImportRow(n, {}, issues=[RowIssue(n, "card", problem, "card")]))
            else:
                rows.append(_build_row(n, raw, notes, "card"))
        return ImportPlan("vcard", rows)
    raise UsageError(f"Unknown import format {fmt!r}: csv or vcard.")


def check_limits(text: str, fmt: Format) -> None:
    """Line length and number of records, before the CSV reader or vobject sees the text."""
    line = limits.long_line(text, MAX_LINE_CHARS)
    if line is not None:
        raise ContactFileError(
            f"The file's line {line} is too long (more than {MAX_LINE_CHARS:,} characters): "
            "not a contact file this program reads; nothing was read."
        )
    if fmt == "vcard" and contact_vcard.count_cards(text) > MAX_RECORDS:
        raise _too_many()


def _too_many() -> ContactFileError:
    return ContactFileError(
        f"The file holds more than {MAX_RECORDS:,} contacts; nothing was read. Split it into smaller files."
    )


def preview(session: Session, text: str, fmt: Format) -> ImportPlan:
    """The dry run: parse, validate, find duplicates. Writes nothing."""
    return match(session, parse(text, fmt))


def preview_file(tx: Transactions, path: Path) -> ImportPlan:
    """The dry run of a file, for a screen (on a worker: a large file takes seconds): read,
    parse and check it without the vault, then find duplicates in a transaction of its own.
    The plan holds plain values."""
    text = read_file(path)
    plan = parse(text, detect_format(path.name, text))
    del text
    with tx.session("previewing the import") as session:
        match(session, plan)
    return plan


def import_planned(tx: Transactions, plan: ImportPlan, on_duplicate: Literal["merge", "skip"]) -> ImportResult:
    """A previewed plan written in one transaction of its own: the whole file, or nothing."""
    with tx.session("importing contacts") as session:
        return apply(session, plan, on_duplicate)


def _csv_records(text: str) -> Iterator[tuple[int, dict[str, Any], list[str]]]:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 1
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ContactFileError("The file is empty: its first line must name the columns (codename,name,...).")
        names = [cell.strip().lower() for cell in header]
        known = set(CSV_COLUMNS)
        if not known & set(names):
            raise ContactFileError(
                "No header row: the first line must name the columns, for example "
                "codename,name,kind (see the README for all of them)."
            )
        unknown = [n or "(blank)" for n in names if n not in known]
        if unknown:
            raise ContactFileError(
                f"Unknown column(s): {', '.join(_shown(u) for u in unknown)}. The columns are: {','.join(CSV_COLUMNS)}."
            )
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ContactFileError(f"Column(s) named twice: {', '.join(_shown(r) for r in repeated)}.")
        if "codename" not in names and "name" not in names:
            raise ContactFileError("The file needs a codename or a name column.")
        for cells in reader:
            number += 1
            if number > MAX_RECORDS + 1:
                raise _too_many()
            if not any(cells):
                continue  # a blank line
            notes = []
            extra = [c for c in cells[len(names) :] if c]
            if extra:
                notes.append(f"{len(extra)} cell(s) beyond the last column left out")
            yield number, dict(zip(names, map(restore, cells), strict=False)), notes
    except csv.Error as exc:
        raise ContactFileError(f"Row {number + 1} is not valid CSV ({exc}); nothing was read.") from None


# -- one row: text to typed values, checked by the model ----------------------


def _build_row(number: int, raw: Mapping[str, Any], notes: list[str], unit: str) -> ImportRow:
    row = ImportRow(number, {}, notes=list(notes))

    def issue(name: str, message: str) -> None:
        row.issues.append(RowIssue(number, name, _shown(message, 300), unit))

    for name, value in raw.items():
        if value is None or value == "" or value == []:
            continue
        try:
            if name in LIST_FIELDS:
                items = _split_list(value)
                if items:
                    row.data[name] = items
            elif name == "focus_areas":
                row.focus_areas = [
                    a.value for a in base.codes(FocusArea, _vocab(_split_list(value), "focus_area"), name)
                ]
            elif name == "kind":
                if value.strip():
                    row.data[name] = base.codes(ContactKind, _vocab([value.strip()], "contact_kind"), name)[0]
            elif name == "direct_contact_safe":
                if value.strip():
                    row.data[name] = _boolean(value)
            elif name in DATE_FIELDS:
                if value.strip():
                    row.data[name] = _date(value)
            elif name == "cadence_days":
                if value.strip():
                    row.data[name] = _integer(value)
            elif name in ("name", "codename"):
                value = contacts.clean_input({name: value})[name]
                if value.strip():
                    row.data[name] = value
            else:
                row.data[name] = value
        except ValidationError as exc:
            issue(name, exc.errors.get(name, exc.message))
        except ValueError as exc:
            issue(name, str(exc))
    check = dict(row.data)
    check.setdefault("codename", "placeholder")  # generated later, by match()
    check.setdefault("name", check["codename"])
    try:
        base.validate(Contact, check)
    except ValidationError as exc:
        for name, message in exc.errors.items():
            issue(name, message)
    return row


def _split_list(value: str | Sequence[str]) -> list[str]:
    """';'-separated (a \\; or \\\\ escapes), or already a list; items trimmed of spaces and tabs."""
    items = _split_escaped(value) if isinstance(value, str) else list(value)
    return [s for s in (item.strip(" \t") for item in items) if s]


def _split_escaped(value: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            current.append(nxt if nxt in ("\\", ";") else ch + nxt)
        elif ch == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return items


def _escape(item: str) -> str:
    return item.replace("\\", "\\\\").replace(";", "\\;")


@cache
def _vocab_lookup(vocabulary: str) -> dict[str, str]:
    labels = reference.taxonomy_labels()[vocabulary]
    found = {code.casefold(): code for code in labels}
    found.update({entry["label"].casefold(): code for code, entry in labels.items()})
    return found


def _vocab(values: Sequence[str], vocabulary: str) -> list[str]:
    """Codes, from codes or human labels in any case; unknown values pass through to be refused."""
    lookup = _vocab_lookup(vocabulary)
    return [lookup.get(v.strip().casefold(), v.strip()) for v in values]


def _boolean(value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"not true or false (true/false, yes/no, 1/0): {_shown(value)}")


def _date(value: str) -> date:
    text = value.strip()
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(base.no_such_day(text) or f"not a date (YYYY-MM-DD): {_shown(value)}")


def _integer(value: str) -> int:
    if not _INT.fullmatch(value.strip()):
        raise ValueError(f"not a whole number: {_shown(value)}")
    return int(value.strip())


# -- duplicates and codenames -----------------------------------------------------


def _name_key(name: str) -> str:
    return " ".join(search.normalise(strip_invisible(name)).split())


def _phone_key(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit() and ch.isascii())
    return ("+" + digits if phone.strip().startswith("+") else digits) if digits else ""


def _keys(codename: str | None, name: str | None, email: str | None, phone: str | None) -> list[tuple[str, str]]:
    """(field, key) in order of strength: codename, e-mail, phone, name."""
    keys = [
        ("codename", codename_key(codename or "")),
        ("email", (email or "").strip().lower()),
        ("phone", _phone_key(phone or "")),
        ("name", _name_key(name or "")),
    ]
    return [(f, k) for f, k in keys if k]


def _row_keys(row: ImportRow) -> list[tuple[str, str]]:
    d = {k: v for k, v in row.data.items() if k not in row.filled}
    return _keys(d.get("codename"), d.get("name"), d.get("email"), d.get("phone"))


def new_codename(taken: set[str]) -> str:
    """A codename in the app's style (Heron-123) whose key (sanitize.codename_key) is not in ``taken``: more digits as
    the three-digit ones run out, so a batch of any size needs no query per row."""
    for attempt in range(400):
        width = 3 + attempt // 20
        candidate = (
            f"{secrets.choice(contacts.CODENAME_WORDS)}-{secrets.randbelow(9 * 10 ** (width - 1)) + 10 ** (width - 1)}"
        )
        if codename_key(candidate) not in taken:
            return candidate
    raise HrdError("Could not find a free codename.")  # pragma: no cover - 10^20 candidates


def match(session: Session, plan: ImportPlan) -> ImportPlan:
    """Find each valid row's duplicate (existing contacts first, then earlier rows),
    and give new rows without a codename a fresh one. Reads only; call once per plan."""
    index: dict[tuple[str, str], tuple[str, str]] = {}
    known: dict[str, dict[str, str]] = {}
    taken: set[str] = set()
    for ident, codename, name, email, phone in session.exec(
        # sqlmodel's select() has overloads for at most four columns (its stubs, not this call, are short)
        select(Contact.id, Contact.codename, Contact.name, Contact.email, Contact.phone)  # type: ignore[call-overload]
    ):
        taken.add(codename_key(codename))
        known[ident] = dict(_keys(None, name, email, phone))
        for key in _keys(codename, name, email, phone):
            index.setdefault(key, (ident, codename))
    taken |= {codename_key(r.data["codename"]) for r in plan.rows if "codename" in r.data}
    earlier: dict[tuple[str, str], ImportRow] = {}
    for row in plan.rows:
        if not row.ok:
            continue
        keys = _row_keys(row)
        hit = next(((f, index[(f, k)]) for f, k in keys if (f, k) in index), None)
        if hit is not None:
            row.matched_field = row.matched_on = hit[0]
            row.duplicate_of, row.duplicate_label = hit[1]
            theirs = known[row.duplicate_of]
            differ = [FIELD_WORDS[f] for f, k in keys if f != "codename" and theirs.get(f, k) != k]
            if hit[0] == "codename" and differ:
                # Codenames are short and random: another vault's Heron-123 can be someone else.
                row.notes.append(
                    f"same codename as contact {row.duplicate_label}, but a different {' and '.join(differ)}: "
                    "make sure it is the same person before merging"
                )
        else:
            prior = next(((f, earlier[(f, k)]) for f, k in keys if (f, k) in earlier), None)
            if prior is not None:
                row.matched_field, first = prior
                row.duplicate_row = first.row
                row.matched_on = f"earlier {plan.unit} {first.row}"
                row.duplicate_of = first.duplicate_of
                row.duplicate_label = first.duplicate_label if first.duplicate_of else first.data.get("codename", "")
        if row.is_duplicate and row.data.get("codename", row.duplicate_label).strip() != row.duplicate_label:
            row.notes.append(f"its codename differs from {row.duplicate_label}: a merge keeps {row.duplicate_label}")
        if not row.is_duplicate:
            if "codename" not in row.data:
                row.data["codename"] = new_codename(taken)
                row.filled.add("codename")
                row.notes.append(f"codename left blank: {row.data['codename']} was generated")
            taken.add(codename_key(row.data["codename"]))
            if "name" not in row.data:
                row.data["name"] = row.data["codename"]
                row.filled.add("name")
                row.notes.append("name left blank: the codename is used")
        for key in _row_keys(row) or [("codename", row.data.get("codename", ""))]:
            earlier.setdefault(key, row)
    return plan


# -- writing ----------------------------------------------------------------------


def apply(session: Session, plan: ImportPlan, on_duplicate: Literal["merge", "skip"]) -> ImportResult:
    """Write a previewed plan in the caller's transaction; nothing is committed here.

    New rows first, in flushes of CHUNK contacts (the history and search hooks run
    once per flush); then the duplicates, in file order, merged through
    ``contacts.update_contact`` (a merge into an earlier row's contact finds it
    created) or skipped. Rows with errors are never written.
    """
    if on_duplicate not in ("merge", "skip"):
        raise UsageError("On a duplicate: merge or skip.")
    result = ImportResult(invalid=len(plan.invalid))
    new, duplicates = plan.new, plan.duplicates
    taken = set(session.exec(select(Contact.codename_key)))
    if any(codename_key(row.data["codename"]) in taken for row in new):
        raise HrdError("The vault changed since the preview (a codename is now taken): preview the file again.")
    created: dict[int, Contact] = {}
    areas: dict[str, list[str]] = {}
    for start in range(0, len(new), CHUNK):
        chunk = [(row, base.validate(Contact, row.data)) for row in new[start : start + CHUNK]]
        session.add_all([contact for _, contact in chunk])
        session.flush()
        links = [{"contact_id": c.id, "area": FocusArea(a)} for row, c in chunk for a in row.focus_areas]
        if links:  # plain rows, neither versioned nor indexed: one executemany
            session.connection().execute(insert(table_of(ContactFocusArea)), links)
        for row, contact in chunk:
            created[row.row] = contact
            areas[contact.id] = list(row.focus_areas)
    result.created = len(new)
    if on_duplicate == "skip":
        result.skipped = len(duplicates)
        return result
    targets = _load(session, {row.duplicate_of for row in duplicates if row.duplicate_of}, areas)
    for row in duplicates:
        target = targets.get(row.duplicate_of) if row.duplicate_of else created.get(row.duplicate_row or -1)
        if target is None:
            raise HrdError("The vault changed since the preview (a matched contact is gone): preview the file again.")
        _merge(session, target, row, areas)
        result.merged += 1
    return result


def _load(session: Session, ids: set[str], areas: dict[str, list[str]]) -> dict[str, Contact]:
    """The contacts with these ids, and their focus areas into ``areas``: a query per CHUNK, not per row."""
    found: dict[str, Contact] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        found.update((c.id, c) for c in session.exec(select(Contact).where(col(Contact.id).in_(chunk))))
        for contact_id in chunk:
            areas.setdefault(contact_id, [])
        links = session.exec(
            select(ContactFocusArea.contact_id, ContactFocusArea.area).where(
                col(ContactFocusArea.contact_id).in_(chunk)
            )
        )
        for contact_id, area in links:
            areas[contact_id].append(FocusArea(area).value)
    return found


def _merge(session: Session, contact: Contact, row: ImportRow, areas: dict[str, list[str]]) -> None:
    """The row's non-empty values into ``contact``; lists and focus areas unioned; the
    codename and the fields the file left blank untouched; the later last-contact date kept."""
    changes: dict[str, Any] = {}
    for key, value in row.data.items():
        if key in row.filled or key == "codename":
            continue
        current = getattr(contact, key)
        if key in LIST_FIELDS:
            value = list(dict.fromkeys([*current, *value]))
        elif key == "last_contact_on" and current is not None and value < current:
            continue
        if value != current:
            changes[key] = value
    if changes:
        contacts.update_contact(session, contact, changes)
    have = areas.get(contact.id, [])
    wanted = list(dict.fromkeys([*have, *row.focus_areas]))
    if len(wanted) != len(have):
        contacts.set_focus_areas(session, contact, wanted)
        areas[contact.id] = wanted


# -- export ----------------------------------------------------------------------


def _all_contacts(session: Session) -> list[tuple[Contact, list[str]]]:
    areas: dict[str, list[FocusArea]] = {}
    for contact_id, area in session.exec(select(ContactFocusArea.contact_id, ContactFocusArea.area)):
        areas.setdefault(contact_id, []).append(FocusArea(area))
    order = {a: i for i, a in enumerate(FocusArea)}
    rows = sorted(session.exec(select(Contact)), key=lambda c: c.codename)
    return [(c, [a.value for a in sorted(areas.get(c.id, []), key=order.__getitem__)]) for c in rows]


def _cell(contact: Contact, areas: list[str], column: str) -> str:
    if column == "focus_areas":
        return ";".join(areas)
    value = getattr(contact, column)
    if value is None:
        return ""
    if column in LIST_FIELDS:
        return ";".join(_escape(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value.value if isinstance(value, ContactKind) else value)


#: A cell a spreadsheet may run as a formula (OWASP, "CSV Injection"): it starts with one of
#: = + - @ tab or carriage return, after any apostrophes (see defuse).
_FORMULA = re.compile("'*[=+\\-@\t\r]")


def defuse(cell: str) -> str:
    """A leading apostrophe on a cell a spreadsheet could run as a formula.

    The rule is reversible: an apostrophe is added to every cell that is, after
    any apostrophes it already starts with, one of = + - @ tab CR; and an import
    removes one apostrophe from exactly those cells (:func:`restore`). So
    ``=SUM(A1)`` is written ``'=SUM(A1)``, a name that really is ``'=x`` is written
    ``''=x``, and ``'Abdul`` (no formula after the apostrophe) is left alone.
    """
    return "'" + cell if _FORMULA.match(cell) else cell


def restore(cell: str) -> str:
    """The cell as it was before :func:`defuse`."""
    return cell[1:] if cell[:1] == "'" and _FORMULA.match(cell, 1) else cell


def export_csv(session: Session, *, real_names: bool = False) -> str:
    """Every contact as CSV (RFC 4180, CRLF), by codename; codenames only unless ``real_names``."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for contact, areas in _all_contacts(session):
        writer.writerow(
            [defuse("" if c in IDENTIFYING and not real_names else _cell(contact, areas, c)) for c in CSV_COLUMNS]
        )
    return out.getvalue()


def export_vcard(session: Session, *, real_names: bool = False) -> str:
    """Every contact as vCard 3.0, by codename; codenames only unless ``real_names``."""
    return contact_vcard.write(_all_contacts(session), real_names=real_names)
