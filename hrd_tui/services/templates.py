"""Checklist templates as data: the TOML schema, checked with file and line in every error.

Schema 1 (data/checklists/*.toml, and templates an officer imports):

    schema = 1
    id = "fair-trial"             # lowercase letters, digits and dashes
    version = 1                   # a whole number >= 1; a run keeps the version it started from
    title = "Fair-trial observation"
    section = "II ..."            # where in the guidelines it comes from
    sources = ["..."]             # optional
    [[item]]                      # one or more
    id = "charges-informed"       # unique within the template
    text = "Informed promptly of the charges ..."
    guidance = "What to look for ..."
    # Optional, for the templates a threat case plans its actions from:
    due_days = 2                  # due this many days after the case opens (0 to 3650)
    owner = "HRO"                 # who does it, by role
    on_behalf = true              # done on the defender's behalf: behind the consent gate
    consent_scope = "referral"    # the consent it needs (vocab.ACTION_SCOPES; default private_demarche)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrd_tui.errors import HrdError, ValidationError
from hrd_tui.vocab import ACTION_SCOPES

SCHEMA = 1
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_KEYS = {"schema": int, "id": str, "version": int, "title": str, "section": str, "sources": list, "item": list}
REQUIRED_TOP = ("schema", "id", "version", "title", "section", "item")
ITEM_KEYS = ("id", "text", "guidance")
#: Optional item keys and their types (the case plan: see the module docstring).
PLAN_KEYS: dict[str, type] = {"due_days": int, "owner": str, "on_behalf": bool, "consent_scope": str}
MAX_DUE_DAYS = 3650


class TemplateError(ValidationError):
    """A template file that cannot be used: where, and what is wrong."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        where = f"{source}:{line}" if line else source
        super().__init__({"template": f"{where}: {problem}"})
        self.message = f"{where}: {problem}"
        self.source, self.line, self.problem = source, line, problem


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    title: str
    section: str
    items: list[dict[str, Any]]
    sources: list[str] = field(default_factory=list)


_KEY_LINE = re.compile(r"^[ \t]*(?:\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]|([A-Za-z0-9_-]+)[ \t]*=)")
MAX_BYTES = 1 << 20
MAX_ID = 100
MAX_VERSION = 2**31 - 1


class KeyLines:
    """Where each key is written, found in one pass (``key =`` or ``[[key]]``): the line
    an error names (report layouts use it too)."""

    def __init__(self, text: str) -> None:
        self.found: list[tuple[int, str]] = []
        for number, line in enumerate(text.splitlines(), 1):
            match = _KEY_LINE.match(line)
            if match:
                self.found.append((number, match.group(1) or match.group(2)))

    def of(self, key: str, occurrence: int = 0, after: int = 0) -> int | None:
        lines = [n for n, k in self.found if k == key and n > after]
        return lines[occurrence] if occurrence < len(lines) else None


def _plan(item: dict[str, Any], n: int, source: str, line: int | None) -> dict[str, Any]:
    """The optional case-plan keys of an item, checked."""
    plan: dict[str, Any] = {}
    for key, kind in PLAN_KEYS.items():
        if key not in item:
            continue
        value = item[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise TemplateError(
                source, line, f"item {n + 1}: '{key}' must be a {'true/false' if kind is bool else kind.__name__}"
            )
        if key == "due_days" and isinstance(value, int) and not 0 <= value <= MAX_DUE_DAYS:
            raise TemplateError(source, line, f"item {n + 1}: 'due_days' must be between 0 and {MAX_DUE_DAYS}")
        if key == "owner" and isinstance(value, str) and len(value) > 200:
            raise TemplateError(source, line, f"item {n + 1}: 'owner' is longer than 200 characters")
        if key == "consent_scope" and value not in {s.value for s in ACTION_SCOPES}:
            kinds = ", ".join(s.value for s in ACTION_SCOPES)
            raise TemplateError(source, line, f"item {n + 1}: 'consent_scope' must be one of {kinds}")
        plan[key] = value
    return plan


#: How a file that cannot be used is refused: (source, line or None, problem) -> the error.
FileError = Callable[[str, int | None, str], Exception]


def read(path: Path, *, what: str = "a checklist template", error: FileError = TemplateError) -> str:
    """A template file's text (or another TOML data file's: ``what`` it should be, and
    the ``error`` that refuses it). No more than MAX_BYTES + 1 is ever read: a file too
    large (or a device, a pipe that never ends) is refused without being taken whole
    into memory, with parse's message for a text too large."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise HrdError(f"Cannot read {path}: {exc.strerror or type(exc).__name__}.") from None
    if len(data) > MAX_BYTES:
        raise error(str(path), None, f"larger than {MAX_BYTES // 1024} KiB; not {what}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HrdError(f"Cannot read {path}: not UTF-8 text.") from None


def load_toml(
    text: str, source: str, *, what: str = "a checklist template", error: FileError = TemplateError
) -> tuple[dict[str, Any], KeyLines]:
    """A TOML data file's tables, and where each key is written; refused by ``error``
    with the line when too large, not TOML, or nested too deeply to be ``what``."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise error(source, None, f"larger than {MAX_BYTES // 1024} KiB; not {what}")
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise error(source, int(match.group(1)) if match else None, f"not valid TOML ({exc})") from None
    except RecursionError:
        raise error(source, None, f"nested too deeply to be {what}") from None
    return data, KeyLines(text)


def parse(text: str, source: str) -> Template:
    """Parse and check one template; raise TemplateError naming the file and line."""
    data, lines = load_toml(text, source)
    _line_of = lines.of
    for key in data:
        if key not in TOP_KEYS:
            raise TemplateError(source, _line_of(key), f"unknown key '{key}'")
    for key in REQUIRED_TOP:
        if key not in data:
            raise TemplateError(
                source, None, f"missing '{key}'" + (" (at least one [[item]])" if key == "item" else "")
            )
    for key, kind in TOP_KEYS.items():
        if key in data and (not isinstance(data[key], kind) or isinstance(data[key], bool)):
            raise TemplateError(source, _line_of(key), f"'{key}' must be a {kind.__name__}")
    if data["schema"] != SCHEMA:
        raise TemplateError(
            source, _line_of("schema"), f"schema {data['schema']} is not known (this hrd-tui reads {SCHEMA})"
        )
    if not SLUG.match(data["id"]):
        raise TemplateError(source, _line_of("id"), "'id' must be lowercase letters, digits and dashes")
    if not 1 <= data["version"] <= MAX_VERSION:
        raise TemplateError(source, _line_of("version"), f"'version' must be between 1 and {MAX_VERSION}")
    if len(data["id"]) > MAX_ID:
        raise TemplateError(source, _line_of("id"), f"'id' is longer than {MAX_ID} characters")
    if not data["title"].strip():
        raise TemplateError(source, _line_of("title"), "'title' is empty")
    if not data["item"]:
        raise TemplateError(source, None, "a template needs at least one [[item]]")
    seen: set[str] = set()
    items: list[dict[str, Any]] = []
    for n, item in enumerate(data["item"]):
        line = _line_of("item", n)
        if not isinstance(item, dict):
            raise TemplateError(source, line, f"item {n + 1} is not a table")
        for key in item:
            if key not in ITEM_KEYS and key not in PLAN_KEYS:
                raise TemplateError(source, _line_of(key, 0, after=line or 0), f"item {n + 1}: unknown key '{key}'")
        for key in ITEM_KEYS:
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                raise TemplateError(source, line, f"item {n + 1}: '{key}' is missing or empty")
        if not SLUG.match(item["id"]):
            raise TemplateError(
                source,
                _line_of("id", 0, after=line or 0),
                f"item {n + 1}: id '{item['id']}' must be lowercase letters, digits and dashes",
            )
        if len(item["id"]) > MAX_ID:
            raise TemplateError(
                source, _line_of("id", 0, after=line or 0), f"item {n + 1}: id longer than {MAX_ID} characters"
            )
        if item["id"] in seen:
            raise TemplateError(
                source, _line_of("id", 0, after=line or 0), f"item {n + 1}: id '{item['id']}' is used twice"
            )
        seen.add(item["id"])
        items.append({key: item[key] for key in ITEM_KEYS} | _plan(item, n, source, _line_of("item", n)))
    sources = [str(s) for s in data.get("sources", [])]
    return Template(data["id"], data["version"], data["title"], data["section"], items, sources)
