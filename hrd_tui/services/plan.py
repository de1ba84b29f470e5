"""The plan a new threat case starts with: each action's owner and due days, the post's way.

The guidelines list the actions for a defender under threat (a first step and eight
short-term actions, then the longer-term ones) but give no owner and no deadline: the
owners and due days in data/checklists/threat-*.toml are the app's suggestions. A post
that staffs or paces its response otherwise sets its own here (``plan_setting``), item
by item; every case opened after is planned with them, and every screen that shows a
planned owner or due day says whose it is. Cases already open keep their actions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.models import PlanSetting
from hrd_tui.services import base, checklists
from hrd_tui.services.base import Transactions
from hrd_tui.services.templates import MAX_DUE_DAYS
from hrd_tui.vocab import ActionCategory

#: The templates a new case plans its actions from, and the category each gives.
PLAN_TEMPLATES: tuple[tuple[str, ActionCategory], ...] = (
    ("threat-immediate", ActionCategory.IMMEDIATE),
    ("threat-longer-term", ActionCategory.LONGER_TERM),
)
#: Who does an action whose template names nobody.
DEFAULT_OWNER = "HRO"
#: Whose the owner and due days of a planned action are, in words (never colour alone).
SUGGESTED = "app's suggestion"
POSTS = "post's plan"
#: Said wherever planned owners and due days are shown.
PLAN_NOTE = (
    "Planned owners and due days are the app's suggestions, or the post's own plan "
    "(p on the threat list): the guidelines set neither."
)
MAX_OWNER = 200


@dataclass(frozen=True)
class PlanItem:
    """One planned action: what the template suggests, what the post set, what a new case gets."""

    template_id: str
    item_id: str
    text: str
    category: ActionCategory
    on_behalf: bool
    consent_scope: str | None
    suggested_owner: str
    suggested_days: int | None
    post_owner: str | None  # None: the post keeps the suggestion
    post_days: int | None

    @property
    def key(self) -> str:
        """``template:item``: how a case's action names the item it was planned from."""
        return f"{self.template_id}:{self.item_id}"

    @property
    def owner(self) -> str:
        return self.post_owner if self.post_owner is not None else self.suggested_owner

    @property
    def due_days(self) -> int | None:
        return self.post_days if self.post_days is not None else self.suggested_days

    @property
    def whose(self) -> str:
        return POSTS if self.post_owner is not None or self.post_days is not None else SUGGESTED


def _settings(session: Session) -> dict[tuple[str, str], PlanSetting]:
    return {(s.template_id, s.item_id): s for s in session.exec(select(PlanSetting))}


def plan_items(session: Session) -> list[PlanItem]:
    """Every item the threat templates plan, in the templates' order, with the post's settings."""
    settings = _settings(session)
    items: list[PlanItem] = []
    for template_id, category in PLAN_TEMPLATES:
        try:
            template = checklists.latest_template(session, template_id)
        except NotFound:
            continue
        for item in template.items:
            setting = settings.get((template_id, item["id"]))
            items.append(
                PlanItem(
                    template_id=template_id,
                    item_id=item["id"],
                    text=item["text"],
                    category=category,
                    on_behalf=bool(item.get("on_behalf", False)),
                    consent_scope=item.get("consent_scope"),
                    suggested_owner=item.get("owner") or DEFAULT_OWNER,
                    suggested_days=item.get("due_days"),
                    post_owner=setting.owner if setting else None,
                    post_days=setting.due_days if setting else None,
                )
            )
    return items


def find_item(session: Session, key: str) -> PlanItem:
    for item in plan_items(session):
        if item.key == key:
            return item
    raise NotFound(f"No planned action '{key}' in the threat templates.")


def parse_setting(owner: str | None, due_days: str | int | None) -> dict[str, Any]:
    """The post's owner and due days as typed: blank keeps the suggestion. Errors by field."""
    errors: dict[str, str] = {}
    clean_owner = None if owner is None or not owner.strip() else owner.strip()
    if clean_owner is not None and (len(clean_owner) > MAX_OWNER or "\n" in clean_owner):
        errors["owner"] = f"one line of at most {MAX_OWNER} characters"
    days: int | None = None
    if isinstance(due_days, int):
        days = due_days
    elif due_days is not None and due_days.strip():
        try:
            days = int(due_days.strip())
        except ValueError:
            errors["due_days"] = "a whole number of days after the case opens"
    if days is not None and not 0 <= days <= MAX_DUE_DAYS:
        errors["due_days"] = f"from 0 to {MAX_DUE_DAYS} days after the case opens"
    if errors:
        raise ValidationError(errors)
    return {"owner": clean_owner, "due_days": days}


def set_item(session: Session, key: str, owner: str | None, due_days: str | int | None) -> PlanItem:
    """The post's owner and due days for one item; both blank is back to the app's suggestion.
    A value equal to the suggestion is kept as the post's: the post chose it. An item keeps
    one row once set, emptied rather than deleted, so its history reads as one record."""
    item = find_item(session, key)
    values = parse_setting(owner, due_days)
    setting = _settings(session).get((item.template_id, item.item_id))
    if setting is None:
        if values["owner"] is not None or values["due_days"] is not None:
            base.create(session, PlanSetting, {"template_id": item.template_id, "item_id": item.item_id, **values})
    elif (setting.owner, setting.due_days) != (values["owner"], values["due_days"]):
        base.update(session, setting, values)
    return find_item(session, key)


def reset_item(session: Session, key: str) -> PlanItem:
    """Back to the app's suggestion; what the post had set stays in the history."""
    return set_item(session, key, None, None)


def setting_id(session: Session, key: str) -> str | None:
    """The row that holds the post's choices for ``key`` (its history), if it ever set one."""
    item = find_item(session, key)
    setting = _settings(session).get((item.template_id, item.item_id))
    return setting.id if setting else None


#: What the changes screen (h) reads the post's choices for one item from.
CHANGES_RECORD = PlanSetting


def changes_label(session: Session, setting: PlanSetting, discreet: bool) -> str:
    """How the changes screen names an item of the plan: the action it plans."""
    try:
        return f"Case plan: {find_item(session, f'{setting.template_id}:{setting.item_id}').text}"
    except NotFound:  # an item a newer template no longer has
        return f"Case plan: {setting.template_id}:{setting.item_id}"


def case_plan(tx: Transactions) -> list[PlanItem]:
    with tx.session("reading the case plan") as session:
        return plan_items(session)


def history_id(tx: Transactions, key: str) -> str | None:
    with tx.session("reading the case plan") as session:
        return setting_id(session, key)


def change_plan(tx: Transactions, key: str, values: Mapping[str, Any]) -> PlanItem:
    with tx.session("changing the case plan") as session:
        return set_item(session, key, values.get("owner"), values.get("due_days"))
