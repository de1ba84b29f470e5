"""The post's plan: the owners and due days new threat cases plan their actions with.

The guidelines give no owner and no deadline for their actions; the templates' are the
app's suggestions. A post sets its own, item by item; new cases plan with them, open
cases keep theirs, and every change is in the history.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.models import PlanSetting
from hrd_tui.services import contacts, history, plan, reference, threats
from hrd_tui.vocab import ActionCategory

OPENED = date(2026, 11, 20)
MEET = "threat-immediate:meet-or-connect-securely"


def _open(s: object) -> threats.ThreatCase:
    defender = contacts.create_contact(s, {"name": "Defender", "codename": contacts.new_codename(s)})  # type: ignore[arg-type]
    return threats.open_case(s, {"title": "Case", "opened_on": OPENED}, [defender], ["intimidation"])  # type: ignore[arg-type]


def _action(s: object, case_id: str, key: str) -> threats.CaseAction:
    return next(a for a in threats.actions_of(s, case_id) if a.template_item == key)  # type: ignore[arg-type]


def test_every_planned_item_starts_as_the_apps_suggestion(opened: vault.Vault) -> None:
    shipped = {t.id: t for t in reference.builtin_templates()}
    with opened.store.session() as s:
        items = plan.plan_items(s)
    expected = [(tid, item["id"]) for tid, _ in plan.PLAN_TEMPLATES for item in shipped[tid].items]
    assert [(i.template_id, i.item_id) for i in items] == expected
    assert {i.whose for i in items} == {plan.SUGGESTED}
    meet = next(i for i in items if i.key == MEET)
    assert (meet.owner, meet.due_days, meet.category) == ("HRO", 2, ActionCategory.IMMEDIATE)


def test_a_post_plan_plans_new_cases_and_leaves_open_ones_alone(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        before = _open(s)
        item = plan.set_item(s, MEET, "Political officer", "1")
        assert (item.owner, item.due_days, item.whose) == ("Political officer", 1, plan.POSTS)
        assert (item.suggested_owner, item.suggested_days) == ("HRO", 2)
        after = _open(s)
        new = _action(s, after.id, MEET)
        assert (new.owner, new.due_on) == ("Political officer", OPENED + timedelta(days=1))
        old = _action(s, before.id, MEET)
        assert (old.owner, old.due_on) == ("HRO", OPENED + timedelta(days=2))  # an open case keeps its plan


def test_owner_or_days_alone_and_back_to_the_suggestion(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        only_days = plan.set_item(s, MEET, "", 5)
        assert (only_days.owner, only_days.due_days, only_days.post_owner) == ("HRO", 5, None)
        back = plan.reset_item(s, MEET)
        assert (back.owner, back.due_days, back.whose) == ("HRO", 2, plan.SUGGESTED)
        (kept,) = s.exec(select(PlanSetting)).all()  # emptied, not deleted: one record, one history
        assert (kept.owner, kept.due_days) == (None, None)


def test_every_change_of_the_plan_is_in_the_history(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        plan.set_item(s, MEET, "DCM", 3)
        setting = s.exec(select(PlanSetting)).one()
        setting_id = setting.id
        plan.set_item(s, MEET, "DCM", 4)
        assert any(c.field == "due_days" and c.before == 3 for c in history.changes(s, setting))
        plan.reset_item(s, MEET)
        plan.set_item(s, MEET, "", 6)
        assert plan.setting_id(s, MEET) == setting_id  # the same record all along
        fields = [(c.field, c.before, c.after) for c in history.changes(s, setting)]
        assert fields == [
            ("due_days", None, 6),
            ("owner", "DCM", None),
            ("due_days", 4, None),
            ("due_days", 3, 4),
        ]


@pytest.mark.parametrize(
    ("owner", "days", "field"),
    [
        ("x" * 201, None, "owner"),
        ("two\nlines", None, "owner"),
        (None, "-1", "due_days"),
        (None, "3651", "due_days"),
        (None, "soon", "due_days"),
    ],
)
def test_bad_values_are_refused_by_field_and_nothing_changes(
    opened: vault.Vault, owner: str | None, days: str | None, field: str
) -> None:
    with opened.store.session() as s:
        with pytest.raises(ValidationError) as refused:
            plan.set_item(s, MEET, owner, days)
        assert set(refused.value.errors) == {field}
        assert not s.exec(select(PlanSetting)).all()


def test_an_item_the_templates_do_not_plan_is_not_found(opened: vault.Vault) -> None:
    with opened.store.session() as s, pytest.raises(NotFound, match="threat-immediate:nothing"):
        plan.set_item(s, "threat-immediate:nothing", "HRO", 1)
