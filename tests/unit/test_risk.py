"""The risk rule (issue 18): the score bands, with floors for present danger that no
capacity lowers, named in the reasoning; an assessment keeps the rule it was made under."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.models import RiskAssessment, TimelineEvent
from hrd_tui.services import contacts, reference, risk, threats
from hrd_tui.vocab import RiskLevel

LOW, MEDIUM, HIGH, CRITICAL = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL
RATINGS = range(1, 6)
EXPOSED = "raised to critical: harm under way and the defender exposed"


def at_least(level: RiskLevel, floor: RiskLevel) -> bool:
    return risk.ORDER.index(level) >= risk.ORDER.index(floor)


@pytest.mark.parametrize(
    ("ratings", "level", "floored"),
    [
        # threat 5 with vulnerability >= 4: critical, whatever the capacity
        ((5, 4, 5), CRITICAL, True),
        ((5, 4, 1), CRITICAL, False),  # 20.0: critical by the score already
        ((5, 5, 5), CRITICAL, True),
        # threat 5 with vulnerability 3: high at least, not critical
        ((5, 3, 5), HIGH, True),
        ((5, 1, 5), HIGH, True),
        ((5, 3, 1), CRITICAL, False),  # 15.0 by the score
        # vulnerability 5 with threat >= 4: critical
        ((4, 5, 5), CRITICAL, True),
        ((4, 5, 1), CRITICAL, False),
        # just under each floor: the score alone
        ((3, 5, 5), MEDIUM, False),
        ((4, 4, 5), MEDIUM, False),
        ((4, 4, 2), HIGH, False),
        ((4, 4, 1), CRITICAL, False),
        ((4, 1, 5), LOW, False),
    ],
)
def test_each_floor_at_its_edges(ratings: tuple[int, int, int], level: RiskLevel, floored: bool) -> None:
    j = risk.judge(*ratings)
    assert j.level == level and threats.risk_level(*ratings) == level  # the old name, the same rule
    assert (j.floor is not None) == floored
    if not floored:
        assert j.level == j.by_score


def test_no_rating_with_present_danger_is_below_its_floor() -> None:
    """All 125 ratings: threat 5 is never below high; threat 5 with vulnerability 4 or 5,
    and vulnerability 5 with threat 4 or 5, are never below critical."""
    for t, v, c in itertools.product(RATINGS, RATINGS, RATINGS):
        level = risk.risk_level(t, v, c)
        assert at_least(level, risk.judge(t, v, c).by_score), (t, v, c)  # a floor only raises
        if t == 5:
            assert at_least(level, HIGH), (t, v, c)
        if (t == 5 and v >= 4) or (t >= 4 and v == 5):
            assert level == CRITICAL, (t, v, c)
        if t < 4 or (t == 4 and v < 5):
            assert level == risk.judge(t, v, c).by_score, (t, v, c)  # no floor below present danger


def test_the_reasoning_names_the_floor_that_raised_the_level() -> None:
    reasoning = risk.risk_reasoning(5, 4, 5)
    assert reasoning.startswith("threat 5 x vulnerability 4 / capacity 5 = 4.0: Medium by the score, " + EXPOSED)
    assert reference.risk_bands()[-1].meaning in reasoning  # what critical calls for
    custody = risk.risk_reasoning(4, 5, 5)
    assert "raised to critical: the defender in custody or under the perpetrator's control" in custody
    assert "raised to high: harm under way or imminent" in risk.risk_reasoning(5, 2, 5)
    # A level the score gives by itself names no floor.
    assert "raised" not in risk.risk_reasoning(5, 4, 1) and "raised" not in risk.risk_reasoning(3, 5, 5)
    assert risk.risk_reasoning(3, 3, 1).startswith("threat 3 x vulnerability 3 / capacity 1 = 9.0: High. Act now")


def test_the_floors_and_the_rule_version_are_data() -> None:
    floors = reference.risk_floors()
    assert [(f.level, f.threat, f.vulnerability) for f in floors] == [(CRITICAL, 5, 4), (CRITICAL, 4, 5), (HIGH, 5, 1)]
    assert all(f.reason and f.since == 2 for f in floors)
    assert risk.current_rule() == reference.risk_rule_version() == 2


def test_an_earlier_rule_is_told_as_it_was() -> None:
    """Version 1 had the bands alone: an assessment made then is explained by that rule,
    and rule_change says what the current rule would make of it."""
    assert risk.risk_level(5, 5, 5, rule=1) == MEDIUM
    assert risk.risk_reasoning(5, 5, 5, rule=1).startswith("threat 5 x vulnerability 5 / capacity 5 = 5.0: Medium.")
    assert risk.rule_change(MEDIUM, 5, 5, 5, rule=1) == CRITICAL
    assert risk.rule_change(LOW, 2, 2, 2, rule=1) is None  # the same level now: nothing to tell
    assert risk.rule_change(MEDIUM, 5, 5, 5, rule=2) is None  # made under the current rule


def test_an_assessment_stores_its_level_and_the_rule_it_was_made_under(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Ana", "codename": "Kite-1"})
        case = threats.open_case(s, {"title": "Detention"}, [ana], plan=False)
        case_id = case.id
        made = threats.assess_risk(s, case, {"threat": 5, "vulnerability": 2, "capacity": 5})
        assert (made.risk_level, made.rule_version) == (HIGH, 2)
        events = s.exec(select(TimelineEvent).where(TimelineEvent.case_id == case.id)).all()
        assert any(e.text == "Risk assessed: High (T5 V2 C5)." for e in events)
    with opened.store.session() as s:  # an older assessment keeps its level: never recomputed
        row = s.exec(select(RiskAssessment)).one()
        row.risk_level, row.rule_version = LOW, 1
        s.add(row)
    with opened.store.session() as s:
        view = threats.latest_assessment(s, case_id)
        assert view is not None and (view.risk_level, view.rule_version) == (LOW, 1)
