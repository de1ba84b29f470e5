"""Report layouts as data: the section structure a Country Reports, TIP or IRF draft
follows, read from a versioned TOML file that says which edition it follows.

The shipped layouts are package data (data/report_layouts/*.toml). A post adds its
own, for a new edition, with ``hrd-tui layout import FILE``: checked (with file and
line in every error, bounded in size as checklist templates are: templates.load_toml)
and kept in the vault (models.ReportLayout: nothing readable beside the vault),
never over a shipped one. The newest edition of a report type is its default (a
post's own layout before a shipped one of the same edition); the officer can choose
another on the reports screen or with ``hrd-tui report --layout KEY``.

Schema 1:

    schema = 1
    id = "crhrp-2025"            # lowercase letters, digits and dashes; not a shipped layout's
    report = "crhrp"             # crhrp, tip or irf (the regular report's structure is the app's)
    edition = 2025               # the edition's year: the newest is the default
    title = "Country Reports on Human Rights Practices, 2025 edition"
    changes = "..."              # optional: what this edition changed
    checked = "..."              # optional: what was confirmed against the edition, and where
    unchecked = "..."            # optional: what could not be
    sources = ["https://..."]    # optional
    [[section]]                  # one or more, in the order of the report
    heading = "Liberty"
    level = 2                    # 2, 3 or 4 (a heading followed by deeper ones groups them)
    receives = ["1d", "1e"]      # optional: the content keys whose records land here
    own = true                   # optional: a subsection that is hrd-tui's, not the edition's
    checked = false              # optional: the heading's wording is not confirmed
    guidance = "..."             # optional: one line under the heading for the drafter

The content keys are the report code's own (reports.CONTENT_KEYS): a section names
the ones it receives, each key in at most one section of a layout; a group heading
receives nothing. Records whose key no section of the layout receives are not lost:
the draft lists them under a last section that says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.models.monitoring import ReportLayout
from hrd_tui.services import templates
from hrd_tui.vocab import ReportType

SCHEMA = 1
#: Report types whose structure is a layout (the regular report's is the app's).
LAID_OUT = (ReportType.CRHRP, ReportType.TIP, ReportType.IRF)
TOP_KEYS: dict[str, type] = {
    "schema": int,
    "id": str,
    "report": str,
    "edition": int,
    "title": str,
    "changes": str,
    "checked": str,
    "unchecked": str,
    "sources": list,
    "section": list,
}
REQUIRED_TOP = ("schema", "id", "report", "edition", "title", "section")
SECTION_KEYS: dict[str, type] = {
    "heading": str,
    "level": int,
    "receives": list,
    "own": bool,
    "checked": bool,
    "guidance": str,
}
MAX_ID = 100
MAX_TITLE = 300
MAX_HEADING = 300
MAX_TEXT = 4000
MAX_SECTIONS = 200
MAX_SOURCES = 50
LEVELS = (2, 3, 4)
WHAT = "a report layout"


class LayoutError(ValidationError):
    """A layout file that cannot be used: where, and what is wrong."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        where = f"{source}:{line}" if line else source
        super().__init__({"layout": f"{where}: {problem}"})
        self.message = f"{where}: {problem}"
        self.source, self.line, self.problem = source, line, problem


@dataclass(frozen=True)
class Section:
    heading: str
    level: int
    receives: tuple[str, ...] = ()
    own: bool = False  # hrd-tui's own, not the edition's
    checked: bool = True  # the heading's wording confirmed against the edition
    guidance: str = ""


@dataclass(frozen=True)
class Layout:
    key: str
    report: ReportType
    edition: int
    title: str
    sections: tuple[Section, ...]
    changes: str = ""
    checked: str = ""
    unchecked: str = ""
    sources: tuple[str, ...] = ()
    shipped: bool = True
    retired_on: date | None = None

    def groups(self, n: int) -> bool:
        """Section ``n`` only groups the deeper ones after it."""
        return n + 1 < len(self.sections) and self.sections[n + 1].level > self.sections[n].level

    @property
    def origin(self) -> str:
        return "shipped with hrd-tui" if self.shipped else "the post's own"

    @property
    def unchecked_headings(self) -> int:
        return sum(1 for s in self.sections if not s.checked)


def _one_line(value: str, name: str, limit: int, source: str, line: int | None) -> str:
    value = value.strip()
    if not value:
        raise LayoutError(source, line, f"'{name}' is empty")
    if "\n" in value or "\r" in value:
        raise LayoutError(source, line, f"'{name}' must be one line")
    if len(value) > limit:
        raise LayoutError(source, line, f"'{name}' is longer than {limit} characters")
    return value


def parse(text: str, source: str, content_keys: Mapping[ReportType, frozenset[str]]) -> Layout:
    """Parse and check one layout; LayoutError naming the file and line. ``content_keys``:
    what each report type places its records under (reports.CONTENT_KEYS)."""
    data, lines = templates.load_toml(text, source, what=WHAT, error=LayoutError)
    line_of = lines.of
    for key in data:
        if key not in TOP_KEYS:
            raise LayoutError(source, line_of(key), f"unknown key '{key}'")
    for key in REQUIRED_TOP:
        if key not in data:
            raise LayoutError(
                source, None, f"missing '{key}'" + (" (at least one [[section]])" if key == "section" else "")
            )
    for key, kind in TOP_KEYS.items():
        if key in data and (not isinstance(data[key], kind) or isinstance(data[key], bool)):
            raise LayoutError(source, line_of(key), f"'{key}' must be a {kind.__name__}")
    if data["schema"] != SCHEMA:
        raise LayoutError(
            source, line_of("schema"), f"schema {data['schema']} is not known (this hrd-tui reads {SCHEMA})"
        )
    if not templates.SLUG.match(data["id"]) or len(data["id"]) > MAX_ID:
        raise LayoutError(
            source, line_of("id"), f"'id' must be lowercase letters, digits and dashes, at most {MAX_ID} characters"
        )
    types = ", ".join(t.value for t in LAID_OUT)
    try:
        report = ReportType(data["report"])
    except ValueError:
        raise LayoutError(source, line_of("report"), f"'report' must be one of {types}") from None
    if report not in LAID_OUT:
        raise LayoutError(
            source, line_of("report"), f"the regular report has no layout file; 'report' is one of {types}"
        )
    if not 1900 <= data["edition"] <= 9999:
        raise LayoutError(source, line_of("edition"), "'edition' must be a year (1900 to 9999)")
    title = _one_line(data["title"], "title", MAX_TITLE, source, line_of("title"))
    for key in ("changes", "checked", "unchecked"):
        if len(data.get(key, "")) > MAX_TEXT:
            raise LayoutError(source, line_of(key), f"'{key}' is longer than {MAX_TEXT} characters")
    sources = data.get("sources", [])
    if len(sources) > MAX_SOURCES or not all(isinstance(s, str) and len(s) <= 2000 for s in sources):
        raise LayoutError(source, line_of("sources"), f"'sources' must be at most {MAX_SOURCES} texts")
    if not data["section"]:
        raise LayoutError(source, None, "a layout needs at least one [[section]]")
    if len(data["section"]) > MAX_SECTIONS:
        raise LayoutError(source, line_of("section", MAX_SECTIONS), f"more than {MAX_SECTIONS} sections")
    sections = _sections(data["section"], report, content_keys.get(report, frozenset()), source, lines)
    return Layout(
        key=data["id"],
        report=report,
        edition=data["edition"],
        title=title,
        sections=sections,
        changes=data.get("changes", "").strip(),
        checked=data.get("checked", "").strip(),
        unchecked=data.get("unchecked", "").strip(),
        sources=tuple(sources),
    )


def _sections(
    raw: list[Any], report: ReportType, known: frozenset[str], source: str, lines: templates.KeyLines
) -> tuple[Section, ...]:
    sections: list[Section] = []
    lines_of: list[int | None] = []
    received: dict[str, int] = {}
    for n, entry in enumerate(raw):
        line = lines.of("section", n)
        lines_of.append(line)
        where = f"section {n + 1}"
        if not isinstance(entry, dict):
            raise LayoutError(source, line, f"{where} is not a table")
        for key in entry:
            if key not in SECTION_KEYS:
                raise LayoutError(source, lines.of(key, 0, after=line or 0), f"{where}: unknown key '{key}'")
        for key, kind in SECTION_KEYS.items():
            if key in entry and (not isinstance(entry[key], kind) or (kind is int and isinstance(entry[key], bool))):
                shown = "true/false" if kind is bool else kind.__name__
                raise LayoutError(source, lines.of(key, 0, after=line or 0), f"{where}: '{key}' must be a {shown}")
        for key in ("heading", "level"):
            if key not in entry:
                raise LayoutError(source, line, f"{where}: missing '{key}'")
        heading = _one_line(entry["heading"], f"{where}: heading", MAX_HEADING, source, line)
        level = entry["level"]
        if level not in LEVELS:
            raise LayoutError(source, lines.of("level", 0, after=line or 0), f"{where}: 'level' must be 2, 3 or 4")
        previous = sections[-1].level if sections else 1
        if level > previous + 1:
            raise LayoutError(
                source,
                lines.of("level", 0, after=line or 0),
                f"{where}: level {level} after level {previous} skips one",
            )
        receives = entry.get("receives", [])
        for key in receives:
            if not isinstance(key, str) or key not in known:
                raise LayoutError(
                    source,
                    lines.of("receives", 0, after=line or 0),
                    f"{where}: '{key}' is not a content key of the {report.value} report "
                    f"(known: {', '.join(sorted(known))})",
                )
            if key in received:
                raise LayoutError(
                    source,
                    lines.of("receives", 0, after=line or 0),
                    f"{where}: '{key}' is already received by section {received[key] + 1}",
                )
            received[key] = n
        guidance = entry.get("guidance", "")
        if guidance:
            guidance = _one_line(guidance, f"{where}: guidance", MAX_TEXT, source, line)
        sections.append(
            Section(
                heading,
                level,
                tuple(receives),
                own=entry.get("own", False),
                checked=entry.get("checked", True),
                guidance=guidance,
            )
        )
    for n, section in enumerate(sections):
        if section.receives and n + 1 < len(sections) and sections[n + 1].level > section.level:
            raise LayoutError(
                source, lines_of[n], f"section {n + 1} groups the sections after it and cannot receive records itself"
            )
    return tuple(sections)


# -- the shipped layouts -------------------------------------------------------------------------


@cache
def _shipped_texts() -> tuple[tuple[str, str], ...]:
    folder = resources.files("hrd_tui.data").joinpath("report_layouts")
    return tuple(
        (f"data/report_layouts/{entry.name}", entry.read_text("utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    )


_SHIPPED: dict[int, tuple[Layout, ...]] = {}


def shipped(content_keys: Mapping[ReportType, frozenset[str]]) -> tuple[Layout, ...]:
    """Every shipped layout, checked (a broken one raises LayoutError with file and line);
    read once per process."""
    cached = _SHIPPED.get(id(content_keys))
    if cached is None:
        cached = tuple(parse(text, source, content_keys) for source, text in _shipped_texts())
        _SHIPPED[id(content_keys)] = cached
    return cached


# -- a post's own, in the vault ----------------------------------------------------------------------


def _from_row(row: ReportLayout, content_keys: Mapping[ReportType, frozenset[str]]) -> Layout:
    layout = parse(row.text, f"layout '{row.key}' in the vault", content_keys)
    return Layout(
        key=row.key,
        report=layout.report,
        edition=layout.edition,
        title=layout.title,
        sections=layout.sections,
        changes=layout.changes,
        checked=layout.checked,
        unchecked=layout.unchecked,
        sources=layout.sources,
        shipped=False,
        retired_on=row.retired_on,
    )


def all_layouts(
    session: Session, content_keys: Mapping[ReportType, frozenset[str]], *, retired: bool = False
) -> list[Layout]:
    """The shipped layouts and the post's own (retired ones only with ``retired``), by
    report type, newest edition first, a post's own before a shipped one of the same edition."""
    found = list(shipped(content_keys))
    for row in session.exec(select(ReportLayout).order_by(col(ReportLayout.key))):
        if retired or row.retired_on is None:
            try:
                found.append(_from_row(row, content_keys))
            except LayoutError:
                continue  # one this hrd-tui cannot read (a key it no longer knows): named, it says why
    order = {t: n for n, t in enumerate(ReportType)}
    return sorted(found, key=lambda lay: (order[lay.report], -lay.edition, lay.shipped, lay.key))


def choose(
    session: Session,
    report: ReportType,
    key: str | None,
    content_keys: Mapping[ReportType, frozenset[str]],
) -> Layout:
    """The layout a ``report`` draft follows: ``key`` when given (ValidationError if it is
    another report's layout, NotFound if there is none; a retired one still drafts when
    named), else the default, the newest edition (all_layouts' first)."""
    if key:
        for layout in all_layouts(session, content_keys, retired=True):
            if layout.key == key:
                if layout.report != report:
                    raise ValidationError({"layout": f"'{key}' is a layout of the {layout.report.value} report"})
                return layout
        row = session.exec(select(ReportLayout).where(ReportLayout.key == key)).first()
        if row is not None:
            _from_row(row, content_keys)  # LayoutError: why it cannot be read
        raise NotFound(f"No report layout '{key}' (hrd-tui layout list shows them).")
    for layout in all_layouts(session, content_keys):
        if layout.report == report:
            return layout
    raise NotFound(f"No layout for the {report.value} report.")  # pragma: no cover - one ships for each


def store(session: Session, layout: Layout, text: str, *, replace: bool = False) -> ReportLayout:
    """A post's layout, already checked, kept in the vault: never over a shipped one's
    key; over one of the post's own only with ``replace`` (its earlier text stays in the
    history), which also brings a retired one back."""
    if layout.key in _shipped_keys():
        raise ValidationError({"id": f"'{layout.key}' is a shipped layout; give yours another id"})
    row = session.exec(select(ReportLayout).where(ReportLayout.key == layout.key)).first()
    if row is not None and not replace:
        raise ValidationError(
            {"id": f"the vault already has a layout '{layout.key}'; import with --replace to correct it"}
        )
    row = row or ReportLayout(key=layout.key, report_type=layout.report, edition=layout.edition, title="", text="")
    row.report_type, row.edition, row.title, row.text = layout.report, layout.edition, layout.title, text
    row.retired_on = None
    session.add(row)
    session.flush()
    return row


def import_layout(session: Session, text: str, source: str, *, replace: bool = False) -> ReportLayout:
    """A post's layout from the text of ``source``: checked (LayoutError with the line),
    then kept (:func:`store`)."""
    from hrd_tui.services import reports  # the content keys are the report code's: reports sits above

    return store(session, parse(text, source, reports.CONTENT_KEYS), text, replace=replace)


@cache
def _shipped_keys() -> frozenset[str]:
    """The shipped layouts' ids: each file is named after its id (a test checks it)."""
    return frozenset(source.rsplit("/", 1)[1].removesuffix(".toml") for source, _text in _shipped_texts())


def retire(session: Session, key: str, on: date | None) -> ReportLayout:
    """Retire a post's layout on ``on`` (it stays on record, no longer offered or the
    default), or bring it back (``on`` None). A shipped layout cannot be retired."""
    if key in _shipped_keys():
        raise ValidationError({"id": f"'{key}' is a shipped layout: it cannot be retired"})
    row = session.exec(select(ReportLayout).where(ReportLayout.key == key)).first()
    if row is None:
        raise NotFound(f"No layout '{key}' of the post's own in the vault.")
    row.retired_on = on
    session.add(row)
    session.flush()
    return row


def read_file(path: Path) -> str:
    """A layout file's text, bounded as a checklist template's is."""
    return templates.read(path, what=WHAT, error=LayoutError)


def text_of_shipped(key: str) -> str | None:
    """A shipped layout's TOML (None: no such shipped layout)."""
    return next((text for source, text in _shipped_texts() if source.endswith(f"/{key}.toml")), None)


def text_of(session: Session, key: str) -> str:
    """A layout's TOML, shipped or the post's: a post starts its own from it."""
    shipped_text = text_of_shipped(key)
    if shipped_text is not None:
        return shipped_text
    row = session.exec(select(ReportLayout).where(ReportLayout.key == key)).first()
    if row is None:
        raise NotFound(f"No report layout '{key}' (hrd-tui layout list shows them).")
    return row.text
