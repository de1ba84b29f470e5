"""The protection resources a post refers defenders to: the shipped list and the post's own.

The guidelines ask officers to "help access and/or provide referrals to host government
and/or international protection mechanisms" and to "provide referrals to emergency
assistance resources such as the Lifeline Embattled CSO Fund"; their list ships in
data/resources.toml and is read-only here (reference.sync rewrites it from the file at
each writable open). Beside it a post keeps its own (issue 19): a national protection
mechanism, trusted lawyers, shelters, local funds. Those are records like any other:
added, edited, retired (never deleted: referrals and consents name them) and
reinstated, every change kept in the history by the session's hooks (Resource is a
Record, so its changes read as any record's do). Whose a resource is, is said in words
("post's own"), never by colour alone. A post's contact notes stay in the vault: no
report or Markdown export reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.models import Resource, new_id
from hrd_tui.models.threats import POST_RESOURCE_PREFIX
from hrd_tui.services import base, reference
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import ResourceKind, ResourceOrigin

#: What the officer types for a post's resource (the form's fields, the CLI's options).
FIELDS = ("name", "kind", "funds", "eligibility", "how_to_refer", "url", "contact_notes", "as_of")
#: The kinds a post's own resource is usually of, first in the form's choice.
POST_KINDS = (
    ResourceKind.NATIONAL_PROTECTION_MECHANISM,
    ResourceKind.LAWYER,
    ResourceKind.SHELTER,
    ResourceKind.LOCAL_FUND,
)
READ_ONLY = (
    "a shipped resource is read-only: it comes from data/resources.toml and is rewritten from it at each "
    "open; add the post's own resource instead"
)
#: How the list marks whose a resource is (in words: never by colour alone).
ORIGIN_WORDS = {ResourceOrigin.SHIPPED: "shipped", ResourceOrigin.POST: "post's own"}


def is_post(resource: Resource) -> bool:
    return resource.origin == ResourceOrigin.POST


def short_id(resource_id: str) -> str:
    """As lists show an id and commands take it: a shipped key whole, a post's by its start."""
    if resource_id.startswith(POST_RESOURCE_PREFIX):
        return resource_id[: len(POST_RESOURCE_PREFIX) + base.SHORT_ID]
    return resource_id


def resolve(session: Session, typed: str) -> Resource:
    """The resource an officer names: a shipped key, or a post's id whole or by its start
    (with or without "post-"; at least 4 characters of the random part)."""
    text = typed.strip().lower()
    found = session.get(Resource, text)
    if found is not None:
        return found
    start = text.removeprefix(POST_RESOURCE_PREFIX)
    if len(start) < base.MIN_ID_PREFIX or not start.isalnum():
        raise NotFound(f"No resource '{typed.strip()}' (give a shipped resource's key, or a post resource's id).")
    ids = base.ids_starting(session, Resource, POST_RESOURCE_PREFIX + start)
    if not ids:
        raise NotFound(f"No resource '{typed.strip()}'.")
    if len(ids) > 1:
        raise ValidationError({"id": f"'{typed.strip()}' starts several resources' ids: give more of it"})
    return base.get(session, Resource, ids[0])


def listed(session: Session, *, retired: bool = False) -> list[Resource]:
    """Every resource by name, shipped and the post's side by side; retired ones only if asked."""
    stmt = select(Resource).order_by(col(Resource.name), col(Resource.id))
    if not retired:
        stmt = stmt.where(col(Resource.retired_on).is_(None))
    return list(session.exec(stmt))


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """What was typed, checked at the edge: known fields, text trimmed, a known kind."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValidationError(
            {name: "retire or reinstate it instead" if name == "retired_on" else "unknown field" for name in unknown}
        )
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    if "kind" in fields:
        kind = str(fields["kind"] or "")
        if kind not in ResourceKind.__members__.values():
            known = ", ".join(k.value for k in ResourceKind)
            raise ValidationError({"kind": f"'{kind}' is not a kind of resource the app knows ({known})"})
    if fields.get("as_of") == "":
        fields["as_of"] = None
    return fields


def add(session: Session, data: Mapping[str, Any]) -> Resource:
    """A post's own resource; its id is "post-" and a random id (never a shipped key)."""
    fields = _clean(data)
    fields.setdefault("kind", ResourceKind.OTHER.value)
    return base.create(
        session, Resource, {**fields, "id": POST_RESOURCE_PREFIX + new_id(), "origin": ResourceOrigin.POST}
    )


def _own(resource: Resource, field: str = "name") -> None:
    if not is_post(resource):
        raise ValidationError({field: READ_ONLY})


def edit(session: Session, resource: Resource, changes: Mapping[str, Any]) -> Resource:
    """Correct a post's resource (a shipped one is refused: the file is read-only)."""
    _own(resource)
    fields = _clean(changes)
    return base.update(session, resource, {k: v for k, v in fields.items() if getattr(resource, k) != v})


def retire(session: Session, resource: Resource, on: date) -> Resource:
    """No longer offered for new referrals; kept, with what refers to it."""
    _own(resource, "retired_on")
    if resource.retired_on is not None:
        raise ValidationError({"retired_on": f"already retired on {resource.retired_on.isoformat()}"})
    return base.update(session, resource, {"retired_on": on})


def reinstate(session: Session, resource: Resource) -> Resource:
    _own(resource, "retired_on")
    if resource.retired_on is None:
        raise ValidationError({"retired_on": "is not retired"})
    return base.update(session, resource, {"retired_on": None})


def check_offered(session: Session, resource_id: str, field: str) -> None:
    """A new referral goes to a resource that exists and is not retired."""
    reference.require_resource(session, resource_id, field)
    resource = session.get(Resource, resource_id)
    if resource is not None and resource.retired_on is not None:
        raise ValidationError(
            {field: f"{resource.name} was retired on {resource.retired_on.isoformat()}: it takes no new referral"}
        )


# -- what screens and the command line read ---------------------------------------------------
@dataclass(frozen=True)
class ResourceView:
    """A resource as the referral form and the resources list explain it."""

    id: str
    name: str
    funds: str
    eligibility: str
    how_to_refer: str
    url: str
    kind: str = ""
    origin: str = ResourceOrigin.SHIPPED.value
    as_of: date | None = None
    retired_on: date | None = None
    contact_notes: str = ""

    @property
    def post(self) -> bool:
        return self.origin == ResourceOrigin.POST

    @property
    def whose(self) -> str:
        """Whose it is, in words."""
        return ORIGIN_WORDS[ResourceOrigin(self.origin)]

    @property
    def short_id(self) -> str:
        return short_id(self.id)

    @property
    def kind_label(self) -> str:
        return reference.label("resource_kind", self.kind) if self.kind else "-"

    @property
    def choice_label(self) -> str:
        """As a form's choice names it: the post's marked, a retired one said."""
        marks = (["post's own"] if self.post else []) + (["retired"] if self.retired_on else [])
        return self.name + (f" ({', '.join(marks)})" if marks else "")

    def as_of_text(self) -> str:
        """When an outside fact it states was last checked, or nothing."""
        return f"as of {self.as_of.isoformat()}" if self.as_of else ""

    def details(self, *, discreet: bool = False) -> str:
        """Every field in words, as the list's detail pane and the referral form's guide show it.
        Contact notes are the post's, shown to the officer only (never in a report), and not
        at all in discreet mode: they hold names and numbers of people who are no contacts."""
        status = f"retired on {self.retired_on.isoformat()}" if self.retired_on else "offered for new referrals"
        lines = [
            f"{self.name}  ({self.whose}; {self.kind_label}; {status})",
            f"Offers: {self.funds or '-'}" + (f" ({self.as_of_text()})" if self.as_of else ""),
            f"Eligible: {self.eligibility or '-'}",
            f"How to refer: {self.how_to_refer or '-'}",
        ]
        if self.contact_notes:
            lines.append(
                "Contact notes: hidden in discreet mode" if discreet else f"Contact notes: {self.contact_notes}"
            )
        if self.url:
            lines.append(self.url)
        return "\n".join(lines)


def view(resource: Resource) -> ResourceView:
    return ResourceView(
        resource.id,
        resource.name,
        resource.funds,
        resource.eligibility,
        resource.how_to_refer,
        resource.url,
        resource.kind,
        ResourceOrigin(resource.origin).value,
        resource.as_of,
        resource.retired_on,
        resource.contact_notes,
    )


def views(tx: Transactions, *, retired: bool = False) -> list[ResourceView]:
    """The resources list: shipped and the post's side by side, retired ones only if asked."""
    with tx.session("reading the resources") as session:
        return [view(r) for r in listed(session, retired=retired)]


def offered(tx: Transactions, keep: Iterable[str] = ()) -> list[ResourceView]:
    """What a form offers: every resource not retired, and those in ``keep`` (what the
    record being edited already names), retired or not."""
    kept = set(keep)
    with tx.session("reading the resources") as session:
        return [view(r) for r in listed(session, retired=True) if r.retired_on is None or r.id in kept]


def form_values(tx: Transactions, resource_id: str) -> dict[str, Any]:
    with tx.session("reading the resource") as session:
        resource = base.get(session, Resource, resource_id)
        return {name: getattr(resource, name) for name in FIELDS}


def save(tx: Transactions, resource_id: str | None, values: Mapping[str, Any]) -> str:
    """Add (``resource_id`` None) or correct a post's resource; its id."""
    with tx.session("saving the resource") as session:
        if resource_id is None:
            return add(session, values).id
        return edit(session, base.get(session, Resource, resource_id), values).id


def set_retired(tx: Transactions, resource_id: str, retired: bool, today: date) -> ResourceView:
    """Retire (today) or reinstate a post's resource."""
    with tx.session("retiring the resource" if retired else "reinstating the resource") as session:
        resource = base.get(session, Resource, resource_id)
        return view(retire(session, resource, today) if retired else reinstate(session, resource))


#: The history screen's record and title (screens/changes.py).
CHANGES_RECORD = Resource


def changes_label(session: Session, resource: Resource, discreet: bool) -> str:
    return f"resource {resource.name} ({ORIGIN_WORDS[ResourceOrigin(resource.origin)]})"
