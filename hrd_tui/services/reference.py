"""Reference data shipped in hrd_tui.data, loaded into the vault.

Resources and built-in checklist templates are synced at every writable open,
so a newer hrd-tui brings its newer lists. A template version already in the
vault is never rewritten (runs point at it); a new version is added beside it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sqlmodel import Session, select

from hrd_tui.errors import ValidationError
from hrd_tui.models import ChecklistTemplate, Resource
from hrd_tui.models.threats import POST_RESOURCE_PREFIX
from hrd_tui.services import templates
from hrd_tui.services.templates import Template
from hrd_tui.vocab import VOCABULARIES, RiskLevel


def load_data(name: str) -> dict[str, Any]:
    """A TOML file shipped in hrd_tui.data, parsed (the one reader of the app's data files)."""
    return tomllib.loads(resources.files("hrd_tui.data").joinpath(name).read_text("utf-8"))


def resource_entries() -> list[dict[str, Any]]:
    return list(load_data("resources.toml").get("resource", []))


def taxonomy_labels() -> dict[str, dict[str, dict[str, str]]]:
    data = load_data("taxonomies.toml")
    return {name: data.get(name, {}) for name in VOCABULARIES}


def label(vocabulary: str, value: str) -> str:
    """The human label of a vocabulary code (the code itself if unknown)."""
    entry = _labels().get(vocabulary, {}).get(str(value))
    return entry["label"] if entry else str(value)


def short_label(vocabulary: str, value: str) -> str:
    """A label short enough for a narrow table column (the full label if none is given)."""
    entry = _labels().get(vocabulary, {}).get(str(value))
    return entry.get("short", entry["label"]) if entry else str(value)


_LABELS: dict[str, dict[str, dict[str, str]]] | None = None


def _labels() -> dict[str, dict[str, dict[str, str]]]:
    global _LABELS
    if _LABELS is None:
        _LABELS = taxonomy_labels()
    return _LABELS


def builtin_templates() -> list[Template]:
    """Every shipped template, checked (a broken one raises TemplateError with file and line)."""
    folder = resources.files("hrd_tui.data").joinpath("checklists")
    return [
        templates.parse(entry.read_text("utf-8"), f"data/checklists/{entry.name}")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    ]


def resource_name(session: Session, resource_id: str) -> str:
    """A resource's name, or its id when the data file no longer has it."""
    resource = session.get(Resource, resource_id)
    return resource.name if resource else resource_id


def require_resource(session: Session, resource_id: str, field: str) -> None:
    """A resource named by an officer exists, said against ``field`` otherwise."""
    if session.get(Resource, resource_id) is None:
        raise ValidationError({field: f"no resource '{resource_id}' (shipped or the post's own)"})


#: The columns of a shipped resource that data/resources.toml sets (and ``as_of``, None when not given).
SHIPPED_FIELDS = ("name", "kind", "funds", "eligibility", "how_to_refer", "url", "as_of")


def sync(session: Session) -> None:
    """The shipped resources as the file has them (the post's own are never touched:
    their ids start with POST_RESOURCE_PREFIX, which a shipped id may not), and the
    built-in checklist templates."""
    for entry in resource_entries():
        if str(entry["id"]).startswith(POST_RESOURCE_PREFIX):
            raise ValueError(f"data/resources.toml: id '{entry['id']}' takes the post's own prefix")
        row = session.get(Resource, entry["id"]) or Resource(id=entry["id"], name=entry["name"])
        changed = False
        for key in SHIPPED_FIELDS:
            value = entry.get(key, None if key == "as_of" else "")
            if getattr(row, key) != value:
                setattr(row, key, value)
                changed = True
        if changed or row not in session:
            session.add(row)
    existing = {(t.id, t.version) for t in session.exec(select(ChecklistTemplate))}
    for tpl in builtin_templates():
        if (tpl.id, tpl.version) not in existing:
            session.add(template_row(tpl, builtin=True))


def template_row(tpl: Template, *, builtin: bool) -> ChecklistTemplate:
    return ChecklistTemplate(
        id=tpl.id, version=tpl.version, title=tpl.title, section=tpl.section, builtin=builtin, items=tpl.items
    )


#: The three factors of the risk worksheet, in the order they are rated.
RISK_FACTORS = ("threat", "vulnerability", "capacity")


@dataclass(frozen=True)
class RiskFactor:
    name: str
    title: str
    guidance: dict[int, str]  # rating 1-5 -> what that level looks like


@dataclass(frozen=True)
class RiskBand:
    level: RiskLevel
    below: float | None  # scores under this are this level; None: everything above
    meaning: str


@cache
def risk_factors() -> tuple[RiskFactor, ...]:
    """The worksheet's guidance per factor and rating (data/risk.toml)."""
    data = load_data("risk.toml")
    return tuple(
        RiskFactor(name, data[name]["title"], {n: data[name][str(n)] for n in range(1, 6)}) for name in RISK_FACTORS
    )


@cache
def risk_bands() -> tuple[RiskBand, ...]:
    """Score bands, rising, the last open-ended (data/risk.toml)."""
    return tuple(RiskBand(RiskLevel(b["level"]), b.get("below"), b["meaning"]) for b in load_data("risk.toml")["band"])


@dataclass(frozen=True)
class RiskFloor:
    """A level the risk does not go below when threat and vulnerability are at least
    these ratings, whatever the capacity (present danger is not bargained down)."""

    level: RiskLevel
    threat: int
    vulnerability: int
    reason: str
    since: int  # the rule version that brought it in


@cache
def risk_rule_version() -> int:
    """The version of the risk rule new assessments are made under (data/risk.toml)."""
    return int(load_data("risk.toml")["rule"])


@cache
def risk_floors() -> tuple[RiskFloor, ...]:
    """The floors for present danger, in the order data/risk.toml lists them."""
    return tuple(
        RiskFloor(RiskLevel(f["level"]), int(f["threat"]), int(f["vulnerability"]), f["reason"], int(f["since"]))
        for f in load_data("risk.toml").get("floor", [])
    )


@dataclass(frozen=True)
class Edition:
    """Which edition of the guidelines the app encodes (data/guidelines.toml)."""

    title: str
    publisher: str
    edition: str  # ISO date of the release
    words: str
    checked_on: str


@cache
def guidelines_edition() -> Edition:
    entry = load_data("guidelines.toml")["guidelines"]
    return Edition(entry["title"], entry["publisher"], entry["edition"], entry["edition_words"], entry["checked_on"])


def dated_facts() -> list[tuple[str, str]]:
    """(resource name, as of) for each shipped resource whose outside facts carry a date."""
    return [(str(e["name"]), str(e["as_of"])) for e in resource_entries() if e.get("as_of")]


def sources_note() -> str:
    """What the help screen and the README say about the app's sources, in one paragraph:
    outside facts grouped by the day they were last checked, to stay short at 80x24."""
    ed = guidelines_edition()
    text = f"Encodes the {ed.publisher}'s {ed.title}, {ed.words}."
    by_day: dict[str, list[str]] = {}
    for name, day in dated_facts():
        by_day.setdefault(day, []).append(name)
    for day, names in sorted(by_day.items()):
        text += f" Outside facts as of {day}: " + ", ".join(names) + "."
    return text
