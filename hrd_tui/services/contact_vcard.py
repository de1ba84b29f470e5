"""The vCard half of contact import and export (contact_io.py holds the rest).

Reads vCard 3.0 and 4.0 with vobject, one card at a time so that a broken card
is reported as that card's error while the others still import. Writes vCard
3.0 itself (escaping and folding are all it takes, and vobject's writer costs
half a millisecond a card); the tests read every export back with vobject. Standard properties carry what they can (FN, EMAIL, TEL, ORG, TITLE, NOTE,
CATEGORIES, LANG, ADR region and country); the rest travels in X-HRD-*
properties so that an export imports back unchanged:

    X-HRD-CODENAME  X-HRD-KIND  X-HRD-FOCUS (codes, ;-separated)
    X-HRD-DIRECT-CONTACT-SAFE  X-HRD-LAST-CONTACT  X-HRD-CADENCE-DAYS  X-HRD-NEXT-FOLLOW-UP

A codenames-only export writes the codename as FN (address books need a name);
on import, an FN equal to the card's codename counts as no name. vCard text
cannot hold a carriage return: one inside a field comes back as a line feed.

Before vobject sees a card, its properties are unfolded one by one and only the
ones read here are kept (KEPT): a PHOTO, LOGO, SOUND or KEY, or any property
marked base64 or binary, is left out with a remark and never decoded, and a
property longer than contact_io.MAX_PROPERTY_CHARS makes that card an error.
contact_io checks the file's size, line lengths and number of cards first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from hrd_tui.models import Contact

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # never str.splitlines: \x0b, \x1c, \x85, \u2028 ... are data
_BEGIN = re.compile(r"BEGIN[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)
_END = re.compile(r"END[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)

#: X-HRD property -> contact field, for the values that are single text.
X_FIELDS = {
    "x-hrd-codename": "codename",
    "x-hrd-kind": "kind",
    "x-hrd-direct-contact-safe": "direct_contact_safe",
    "x-hrd-last-contact": "last_contact_on",
    "x-hrd-cadence-days": "cadence_days",
    "x-hrd-next-follow-up": "next_follow_up_on",
}
WHAT = {
    "email": "e-mail addresses",
    "tel": "phone numbers",
    "fn": "names (FN)",
    "note": "notes",
    "org": "organisations (ORG)",
    "title": "titles",
    "adr": "addresses",
}


#: Properties read into a contact; every other one is left out before vobject sees the
#: card (vobject would decode a 20 MB PHOTO, taking gigabytes; nothing here uses it).
KEPT = frozenset(
    {
        "begin",
        "end",
        "version",
        "fn",
        "n",
        "org",
        "title",
        "role",
        "note",
        "email",
        "tel",
        "adr",
        "lang",
        "categories",
        "x-hrd-focus",
        *X_FIELDS,
    }
)
#: Left out with a remark: binary data (pictures, sounds, keys) is never decoded.
BINARY = frozenset({"photo", "logo", "sound", "key"})
_NAME = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")
_ENCODED = re.compile(r";[ \t]*(?:ENCODING[ \t]*=[ \t]*\"?(?:B|BASE64)\b|VALUE[ \t]*=[ \t]*\"?BINARY\b)", re.IGNORECASE)


def count_cards(text: str) -> int:
    return len(re.findall(r"^BEGIN[ \t]*:[ \t]*VCARD[ \t]*\r?$", text, re.IGNORECASE | re.MULTILINE))


class _Card:
    """One card's lines as they are read: unfolded properties kept or left out one by one."""

    def __init__(self, number: int, start: int, first: str, max_property: int) -> None:
        self.number, self.start, self.max_property = number, start, max_property
        self.lines: list[str] = [first]
        self.keep = True  # the current property is kept
        self.size = 0  # characters of the current property
        self.left_out: dict[str, None] = {}
        self.too_long = False

    def add(self, line: str) -> None:
        if line[:1] in (" ", "\t"):  # a folded continuation of the current property
            if self.keep:
                self.size += len(line)
                if self.size > self.max_property:
                    self.too_long, self.keep = True, False
                else:
                    self.lines.append(line)
            return
        match = _NAME.match(line)
        name = match.group(1).lower() if match else ""
        head = line.split(":", 1)[0]
        self.keep = name in KEPT and not _ENCODED.search(head)
        if not self.keep:
            if name in BINARY or _ENCODED.search(head):
                self.left_out[name.upper()] = None
            return
        self.size = len(line)
        if self.size > self.max_property:
            self.too_long, self.keep = True, False
            return
        self.lines.append(line)

    def text(self) -> str:
        return "\r\n".join(self.lines) + "\r\n"

    def notes(self) -> list[str]:
        if not self.left_out:
            return []
        return [
            f"{', '.join(sorted(self.left_out))} left out: pictures, sounds, keys and other binary data are not imported"
        ]


def _cards(text: str, max_property: int) -> Iterator[tuple[_Card, bool]]:
    """(the card, whether it has its END:VCARD), with only the properties that are read."""
    card: _Card | None = None
    number = 0
    for lineno, line in enumerate(_LINE_BREAK.split(text), start=1):
        if _BEGIN.fullmatch(line):
            if card is not None:
                yield card, False
            number += 1
            card = _Card(number, lineno, line, max_property)
        elif card is not None:
            if _END.fullmatch(line):
                card.lines.append(line)
                yield card, True
                card = None
            else:
                card.add(line)
    if card is not None:
        yield card, False


def records(text: str, max_property: int) -> Iterator[tuple[int, dict[str, Any], list[str], str | None]]:
    """(card number, raw fields by CSV column, remarks, problem) for every card."""
    import vobject

    from hrd_tui.services.contact_io import ContactFileError

    found = False
    for card, complete in _cards(text, max_property):
        found = True
        number, start = card.number, card.start
        if not complete:
            yield number, {}, [], f"not a valid vCard (it starts on line {start}): END:VCARD is missing"
            continue
        if card.too_long:
            yield (
                number,
                {},
                [],
                (
                    f"not imported (it starts on line {start}): a property is too long "
                    f"(more than {max_property:,} characters)"
                ),
            )
            continue
        try:
            parsed = vobject.readOne(card.text())
            raw, notes = _fields(parsed)
        except Exception:  # noqa: BLE001 - vobject raises many kinds; the card is reported, the rest go on
            yield number, {}, [], f"not a valid vCard (it starts on line {start}): a line could not be read"
            continue
        yield number, raw, card.notes() + notes, None
    if not found:
        raise ContactFileError("Not a vCard file: no BEGIN:VCARD line.")


def _text(value: Any, sep: str = ", ") -> str:
    if isinstance(value, (list, tuple)):
        return sep.join(str(v) for v in value if v)
    return "" if value is None else str(value)


def _fields(card: Any) -> tuple[dict[str, Any], list[str]]:
    contents: dict[str, list[Any]] = card.contents
    notes: list[str] = []

    def first(name: str) -> Any:
        lines = contents.get(name, [])
        if len(lines) > 1:
            notes.append(f"{len(lines) - 1} more {WHAT.get(name, name)} left out: only the first is imported")
        return lines[0].value if lines else None

    raw: dict[str, Any] = {}
    for prop, column in X_FIELDS.items():
        value = first(prop)
        if value is not None:
            raw[column] = _text(value)
    focus = contents.get("x-hrd-focus", [])
    raw["focus_areas"] = [a for line in focus for a in re.split(r"[;,]", _text(line.value))]
    name = _text(first("fn"))
    if not name and "n" in contents:
        n = contents["n"][0].value
        name = " ".join(
            _text(getattr(n, part), " ")
            for part in ("prefix", "given", "additional", "family", "suffix")
            if _text(getattr(n, part), " ")
        )
    raw["name"] = "" if name == raw.get("codename") else name
    raw["organisation"] = _text(first("org"))
    raw["role"] = _text(first("title") if "title" in contents else first("role"))
    raw["notes"] = _text(first("note"))
    raw["email"] = _text(first("email"))
    phone = _text(first("tel"))
    raw["phone"] = phone[4:] if phone[:4].lower() == "tel:" else phone
    adr = first("adr")
    if adr is not None:
        raw["region"] = _text(getattr(adr, "region", ""), ",")
        raw["country"] = _text(getattr(adr, "country", ""), ",")
    raw["languages"] = [_text(line.value) for line in contents.get("lang", [])]
    raw["tags"] = [
        _text(v)
        for line in contents.get("categories", [])
        for v in (line.value if isinstance(line.value, list) else [line.value])
    ]
    return raw, notes


def write(rows: Sequence[tuple[Contact, list[str]]], *, real_names: bool) -> str:
    """vCard 3.0 (RFC 2426), written here rather than by vobject, which takes ~0.5 ms a card;
    the tests read every export back with vobject."""
    out: list[str] = []
    for contact, areas in rows:
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "FN:" + _esc(contact.name if real_names else contact.codename),
            "N:;;;;",
            "X-HRD-CODENAME:" + _esc(contact.codename),
            "X-HRD-KIND:" + contact.kind.value,
        ]
        if contact.organisation:
            lines.append("ORG:" + _esc(contact.organisation))
        if contact.role:
            lines.append("TITLE:" + _esc(contact.role))
        if contact.region or contact.country:
            lines.append(f"ADR:;;;;{_esc(contact.region or '')};;{_esc(contact.country or '')}")
        lines += ["LANG:" + _esc(language) for language in contact.languages]
        if contact.tags:
            lines.append("CATEGORIES:" + ",".join(_esc(tag) for tag in contact.tags))
        if areas:
            lines.append("X-HRD-FOCUS:" + _esc(";".join(areas)))
        lines.append("X-HRD-DIRECT-CONTACT-SAFE:" + ("true" if contact.direct_contact_safe else "false"))
        for prop, value in (
            ("X-HRD-LAST-CONTACT", contact.last_contact_on),
            ("X-HRD-CADENCE-DAYS", contact.cadence_days),
            ("X-HRD-NEXT-FOLLOW-UP", contact.next_follow_up_on),
        ):
            if value is not None:
                lines.append(f"{prop}:{value.isoformat() if isinstance(value, date) else value}")
        if real_names:
            for prop, text in (("EMAIL", contact.email), ("TEL", contact.phone), ("NOTE", contact.notes)):
                if text:
                    lines.append(f"{prop}:{_esc(text)}")
        lines.append("END:VCARD")
        out += [_fold(line) for line in lines]
    return "".join(out)


_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"}
_SPECIAL = re.compile(r"\r\n|[\\;,\r\n]")


def _esc(text: str) -> str:
    """RFC 2426 text escaping; a carriage return (alone or before a line feed) becomes \\n."""
    return _SPECIAL.sub(lambda m: _ESCAPES.get(m.group(), "\\n"), text)


def _fold(line: str) -> str:
    """The line with CRLF, folded so that no physical line passes 75 octets (never inside a character)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a UTF-8 continuation byte: back off
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # a continuation line begins with a space
    return "\r\n ".join(parts) + "\r\n"
