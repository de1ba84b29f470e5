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
WHAT = {"email": "e-mail addresses", "tel": "phone numbers", "fn": "names (FN)", "note": "notes",
        "org": "organisations (ORG)", "title": "titles", "adr": "addresses"}


def _cards(text: str) -> Iterator[tuple[int, int, str | None]]:
    """(card number, first line, the card's text, or None when it has no END:VCARD)."""
    number, start, lines = 0, 0, None
    for lineno, line in enumerate(_LINE_BREAK.split(text), start=1):
        if _BEGIN.fullmatch(line):
            if lines is not None:
                yield number, start, None
            number, start, lines = number + 1, lineno, [line]
        elif lines is not None:
            lines.append(line)
            if _END.fullmatch(line):
                yield number, start, "\r\n".join(lines) + "\r\n"
                lines = None
    if lines is not None:
        yield number, start, None


def records(text: str) -> Iterator[tuple[int, dict[str, Any], list[str], str | None]]:
    """(card number, raw fields by CSV column, remarks, problem) for every card."""
    import vobject

    from hrd_tui.services.contact_io import ContactFileError

    found = False
    for number, start, card_text in _cards(text):
        found = True
        if card_text is None:
            yield number, {}, [], f"not a valid vCard (it starts on line {start}): END:VCARD is missing"
            continue
        try:
            card = vobject.readOne(card_text)
            raw, notes = _fields(card)
        except Exception:  # noqa: BLE001 - vobject raises many kinds; the card is reported, the rest go on
            yield number, {}, [], f"not a valid vCard (it starts on line {start}): a line could not be read"
            continue
        yield number, raw, notes, None
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
        name = " ".join(_text(getattr(n, part), " ") for part in ("prefix", "given", "additional", "family", "suffix")
                        if _text(getattr(n, part), " "))
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
    raw["tags"] = [_text(v) for line in contents.get("categories", []) for v in (line.value if isinstance(line.value, list) else [line.value])]
    return raw, notes


def write(rows: Sequence[tuple[Contact, list[str]]], *, real_names: bool) -> str:
    """vCard 3.0 (RFC 2426), written here rather than by vobject, which takes ~0.5 ms a card;
    the tests read every export back with vobject."""
    out: list[str] = []
    for contact, areas in rows:
        lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:" + _esc(contact.name if real_names else contact.codename), "N:;;;;",
                 "X-HRD-CODENAME:" + _esc(contact.codename), "X-HRD-KIND:" + contact.kind.value]
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
        for prop, value in (("X-HRD-LAST-CONTACT", contact.last_contact_on), ("X-HRD-CADENCE-DAYS", contact.cadence_days),
                            ("X-HRD-NEXT-FOLLOW-UP", contact.next_follow_up_on)):
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
