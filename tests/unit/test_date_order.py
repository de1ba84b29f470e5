"""Dates in order (issue 22): one rule, base.DATE_ORDER, for every pair of a record's
dates that has an order, applied by base.validate to every create and update, the
refusal under the later field. A walk over the models checks each pair of dates is
either ordered there or listed in base.DATES_WITHOUT_ORDER with its reason."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any, get_args

import pytest
from sqlmodel import SQLModel

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.models import metadata
from hrd_tui.services import base, contacts, threats, trials
from hrd_tui.vocab import ReferralStatus

#: The fewest fields each ordered table needs to be valid, the pair aside.
MINIMAL: dict[str, dict[str, Any]] = {
    "threat_case": {"title": "Case", "status": "closed"},
    "referral": {
        "case_id": "c" * 32,
        "resource_id": "r",
        "purpose": "legal_fees",
        "shared": ["identity"],
        "status": "granted",
        "consent_record_id": "k" * 32,
    },
    "hearing": {"trial_id": "t" * 32},
    "checklist_run": {"template_id": "t", "template_version": 1},
    "report": {"type": "regular"},
    "consent_record": {"contact_id": "c" * 32, "scope": "contact", "value": "granted"},
}
EARLY, LATE = date(2026, 11, 1), date(2026, 12, 2)


def _model(table: str) -> type[SQLModel]:
    return next(
        m.class_
        for m in SQLModel._sa_registry.mappers  # type: ignore[attr-defined]
        if m.local_table.name == table
    )


def _as(field: str, model: type[SQLModel], day: date) -> date | datetime:
    annotation = model.model_fields[field].annotation
    if datetime in (annotation, *get_args(annotation)):
        return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return day


PAIRS = [(table, pair) for table, pairs in base.DATE_ORDER.items() for pair in pairs]


@pytest.mark.parametrize(("table", "pair"), PAIRS, ids=[f"{t}.{p.later}" for t, p in PAIRS])
def test_every_ordered_pair_is_refused_the_wrong_way_round_under_the_later_field(
    table: str, pair: base.DateOrder
) -> None:
    model = _model(table)
    data = dict(MINIMAL[table])
    for p in base.DATE_ORDER[table]:  # every other pair in order, so only this one is wrong
        data.setdefault(p.earlier, _as(p.earlier, model, EARLY))
        data.setdefault(p.later, _as(p.later, model, LATE))
    base.validate(model, data)
    with pytest.raises(ValidationError) as refused:
        base.validate(
            model, {**data, pair.earlier: _as(pair.earlier, model, LATE), pair.later: _as(pair.later, model, EARLY)}
        )
    assert pair.later in refused.value.errors
    message = refused.value.errors[pair.later]
    assert "2026-11-01" in message and "2026-12-02" in message and "is before" in message
    base.validate(
        model, {**data, pair.earlier: _as(pair.earlier, model, LATE), pair.later: _as(pair.later, model, LATE)}
    )  # the same day is in order


def test_every_pair_of_dates_in_the_models_is_ordered_or_said_to_have_no_order() -> None:
    ordered = {(t, p.earlier, p.later) for t, pairs in base.DATE_ORDER.items() for p in pairs}
    unordered = set(base.DATES_WITHOUT_ORDER)
    missing = []
    for table in metadata.sorted_tables:
        dated = sorted(
            c.name
            for c in table.columns
            if c.type.python_type in (date, datetime) and c.name not in ("created_at", "updated_at")
        )
        for a, b in itertools.combinations(dated, 2):
            if not ({(table.name, a, b), (table.name, b, a)} & (ordered | unordered)):
                missing.append(f"{table.name}: {a} / {b}")
    assert missing == [], "add each to base.DATE_ORDER or base.DATES_WITHOUT_ORDER"


def test_a_case_closed_before_it_was_opened_is_refused_under_closed_on(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        who = contacts.create_contact(s, {"name": "A", "codename": "Kite-1"})
        case = threats.open_case(s, {"title": "Case", "opened_on": LATE}, [who], plan=False)
        with pytest.raises(ValidationError) as refused:
            threats.close_case(s, case, "Ended", EARLY)
        assert refused.value.errors == {"closed_on": "2026-11-01 is before the day the case was opened, 2026-12-02"}
        threats.update_case(s, case, {"opened_on": EARLY})  # no closing date yet: any opening
        threats.close_case(s, case, "Ended", LATE)
        with pytest.raises(ValidationError) as refused:
            threats.update_case(s, case, {"opened_on": LATE + timedelta(days=1)})
        assert list(refused.value.errors) == ["closed_on"]


def test_a_hearing_ending_before_it_starts_and_its_next_date_before_it(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial = trials.create_trial(s, {"title": "Trial"})
        starts = datetime(2026, 11, 20, 9, tzinfo=UTC)
        hearing = trials.add_hearing(s, trial, {"starts_at": starts})
        s.commit()
        s.refresh(hearing)  # read back as the vault stores it
        with pytest.raises(ValidationError) as refused:
            trials.update_hearing(s, hearing, {"ends_at": starts - timedelta(hours=1)})
        assert list(refused.value.errors) == ["ends_at"]
        with pytest.raises(ValidationError) as refused:
            trials.update_hearing(s, hearing, {"next_hearing_on": date(2026, 11, 19)})
        assert list(refused.value.errors) == ["next_hearing_on"]
        trials.update_hearing(
            s, hearing, {"ends_at": starts + timedelta(hours=2), "next_hearing_on": date(2026, 12, 1)}
        )


def test_a_referral_decided_before_it_was_sent(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        who = contacts.create_contact(s, {"name": "A", "codename": "Kite-1"})
        case = threats.open_case(s, {"title": "Case", "opened_on": EARLY}, [who], plan=False)
        resource = next(r for r in threats.resources(s) if r.kind == "emergency-fund")  # money goes to a fund
        with pytest.raises(ValidationError) as refused:
            threats.add_referral(
                s,
                case,
                {
                    "resource_id": resource.id,
                    "purpose": "legal_fees",
                    "shared": ["identity"],
                    "status": ReferralStatus.DECLINED,
                    "sent_on": LATE,
                    "decision_on": EARLY,
                    "emergency_justification": "No time to ask",
                },
            )
        assert list(refused.value.errors) == ["decision_on"]
