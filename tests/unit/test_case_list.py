"""The active-threats case list: triage order (urgency, risk with unassessed between
high and medium, last activity, opened on), closed cases, every filter, search
through the case and its defenders, and the actions' next due date and overdue count."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, date, timedelta

from sqlalchemy import text

from hrd_tui.models import utcnow
from hrd_tui.services import base, case_list, contacts, threats
from hrd_tui.services.case_list import CaseFilter
from hrd_tui.vocab import (
    CaseStatus,
    FocusArea,
    Perpetrator,
    RiskLevel,
    ThreatType,
    Urgency,
)

DAY = date(2026, 11, 28)
#: (threat, vulnerability, capacity) giving each level (threats.RISK_BANDS).
RATINGS = {
    RiskLevel.LOW: (1, 1, 1),
    RiskLevel.MEDIUM: (2, 2, 1),
    RiskLevel.HIGH: (3, 3, 1),
    RiskLevel.CRITICAL: (5, 5, 1),
}


def person(s, name: str, codename: str, areas: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return contacts.create_contact(s, {"name": name, "codename": codename}, list(areas))


_DAYS = itertools.count()


def case(s, title: str, defenders, types: tuple[str, ...] = (), **fields):  # type: ignore[no-untyped-def]
    """A case opened a day after the one made before it: among cases made later (so with
    later activity), the opened-on tie-break agrees, and no order hangs on a clock tick."""
    opened_on = DAY - timedelta(days=1000) + timedelta(days=next(_DAYS))
    return threats.open_case(s, {"title": title, "opened_on": opened_on, **fields}, defenders, types)


def assess(s, target, level: RiskLevel, on: date = DAY):  # type: ignore[no-untyped-def]
    t, v, c = RATINGS[level]
    assessment = threats.assess_risk(s, target, {"assessed_on": on, "threat": t, "vulnerability": v, "capacity": c})
    assert assessment.risk_level == level
    return assessment


ALL_OPEN = CaseFilter()


def titles(s, flt: CaseFilter = ALL_OPEN, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.title for r in case_list.list_cases(s, flt, today=DAY, **kw)]


def test_urgency_first_then_risk_with_unassessed_between_high_and_medium(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana", "A-1")
        # Made in an order that matches none of the keys, so only the ranking can sort them.
        made = {
            "U-medium": case(s, "U-medium", [ana], urgency="urgent"),
            "R-critical": case(s, "R-critical", [ana], urgency="routine"),
            "E-low": case(s, "E-low", [ana], urgency="emergency"),
            "U-none": case(s, "U-none", [ana], urgency="urgent"),
            "U-high": case(s, "U-high", [ana], urgency="urgent"),
            "E-critical": case(s, "E-critical", [ana], urgency="emergency"),
            "R-low": case(s, "R-low", [ana], urgency="routine"),
        }
        for title, level in (
            ("U-medium", RiskLevel.MEDIUM),
            ("R-critical", RiskLevel.CRITICAL),
            ("E-low", RiskLevel.LOW),
            ("U-high", RiskLevel.HIGH),
            ("E-critical", RiskLevel.CRITICAL),
            ("R-low", RiskLevel.LOW),
        ):
            assess(s, made[title], level)
        assert titles(s) == ["E-critical", "E-low", "U-high", "U-none", "U-medium", "R-critical", "R-low"]
        rows = {r.title: r for r in case_list.list_cases(s, ALL_OPEN, today=DAY)}
        assert rows["U-none"].risk is None and rows["U-none"].assessed_on is None
        assert rows["U-high"].risk == RiskLevel.HIGH and rows["U-high"].assessed_on == DAY
        assert [case_list.urgency_mark(rows[t].urgency) for t in ("E-low", "U-none", "R-low")] == ["!!", "!", ""]
        assert titles(s, limit=3) == ["E-critical", "E-low", "U-high"]
        assert titles(s, limit=3, offset=3) == ["U-none", "U-medium", "R-critical"]  # a screen's next page


def test_same_urgency_and_risk_most_recent_activity_first_then_newest_opened(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana", "A-1")
        busy = case(s, "Busy", [ana])  # made first: by creation alone it would come last
        quiet = case(s, "Quiet", [ana])
        older = case(s, "Tied, opened earlier", [ana], opened_on=DAY - timedelta(days=90))
        newer = case(s, "Tied, opened later", [ana], opened_on=DAY - timedelta(days=5))
        for each in (busy, quiet, older, newer):
            assess(s, each, RiskLevel.HIGH)
        # Minutes after "Case opened." (now), within the few minutes a clock may be fast.
        soon = utcnow() + timedelta(minutes=6)
        threats.add_event(s, quiet, "Call with the lawyer.", occurred_at=soon)
        threats.add_event(s, busy, "Defender detained again.", occurred_at=soon + timedelta(minutes=2))
        tie = soon - timedelta(minutes=2)  # the same last activity: opened on decides
        threats.add_event(s, older, "Visit.", occurred_at=tie)
        threats.add_event(s, newer, "Visit.", occurred_at=tie)
        assert titles(s) == ["Busy", "Quiet", "Tied, opened later", "Tied, opened earlier"]
        first = case_list.list_cases(s, ALL_OPEN, today=DAY)[0]
        assert first.last_activity == soon + timedelta(minutes=2) and first.last_activity.tzinfo == UTC


def test_closed_cases_are_left_out_unless_asked_for(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana", "A-1")
        case(s, "Open threat", [ana])
        done = case(s, "Resolved threat", [ana], urgency="emergency")
        threats.close_case(s, done, "Relocated safely", DAY - timedelta(days=1))
        assert titles(s) == ["Open threat"]
        assert titles(s, CaseFilter(status=CaseStatus.CLOSED)) == ["Resolved threat"]
        assert titles(s, CaseFilter(include_closed=True)) == ["Resolved threat", "Open threat"]  # emergency first
        assert titles(s, CaseFilter(status=CaseStatus.NEW, include_closed=True)) == ["Open threat"]
        assert titles(s, CaseFilter(query="resolved")) == []
        assert titles(s, CaseFilter(query="relocated", include_closed=True)) == ["Resolved threat"]  # the outcome
        assert titles(s, CaseFilter(query="resolved", status=CaseStatus.CLOSED)) == ["Resolved threat"]


def test_every_filter_and_their_combination(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        land = person(s, "Land defender", "L-1", ("land_environment", "indigenous"))
        press = person(s, "Reporter", "P-1", ("journalism_media",))
        case(
            s,
            "Eviction",
            [land],
            ("intimidation", "physical_attack"),
            status="responding",
            urgency="emergency",
            perpetrator="company_private_security",
        )
        case(
            s,
            "Raid on the newsroom",
            [press],
            ("hacking_seizure", "surveillance"),
            status="assessing",
            perpetrator="police",
        )
        case(
            s,
            "Joint case",
            [press, land],
            ("surveillance",),
            status="responding",
            urgency="routine",
            perpetrator="police",
        )
        case(
            s,
            "Charges filed",
            [press],
            ("judicial_harassment",),
            status="monitoring",
            urgency="emergency",
            perpetrator="judiciary",
        )
        assert titles(s, CaseFilter(status=CaseStatus.RESPONDING)) == ["Eviction", "Joint case"]
        assert titles(s, CaseFilter(urgency=Urgency.EMERGENCY)) == ["Charges filed", "Eviction"]  # the later activity
        assert titles(s, CaseFilter(urgency=Urgency.URGENT)) == ["Raid on the newsroom"]
        assert titles(s, CaseFilter(threat_type=ThreatType.SURVEILLANCE)) == ["Raid on the newsroom", "Joint case"]
        assert titles(s, CaseFilter(threat_type=ThreatType.TORTURE)) == []
        assert titles(s, CaseFilter(perpetrator=Perpetrator.POLICE)) == ["Raid on the newsroom", "Joint case"]
        assert titles(s, CaseFilter(focus_area=FocusArea.INDIGENOUS)) == ["Eviction", "Joint case"]  # any defender
        assert titles(
            s,
            CaseFilter(
                focus_area=FocusArea.JOURNALISM_MEDIA, perpetrator=Perpetrator.POLICE, status=CaseStatus.RESPONDING
            ),
        ) == ["Joint case"]
        assert titles(s, CaseFilter(focus_area=FocusArea.LGBTQI)) == []
        assert not CaseFilter(query="eviction").active
        assert CaseFilter(perpetrator=Perpetrator.POLICE).active and CaseFilter(include_closed=True).active


def test_the_row_names_defenders_by_codename_and_its_threat_types(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        adam = person(s, "Adam", "Bravo-1")
        zoe = person(s, "Zoe", "alpha-1")
        case(
            s,
            "Two defenders",
            [adam, zoe],
            ("surveillance", "intimidation"),
            perpetrator="police",
            opened_on=DAY - timedelta(days=3),
        )
        (row,) = case_list.list_cases(s, ALL_OPEN, today=DAY)
        assert row.defenders == (("Zoe", "alpha-1"), ("Adam", "Bravo-1"))  # codename order, any case
        assert row.threat_types == (ThreatType.INTIMIDATION, ThreatType.SURVEILLANCE)  # the vocabulary's order
        assert (row.status, row.urgency, row.perpetrator, row.opened_on) == (
            CaseStatus.NEW,
            Urgency.URGENT,
            Perpetrator.POLICE,
            DAY - timedelta(days=3),
        )


def test_search_finds_a_case_by_its_words_or_by_a_defender(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        hoa = person(s, "Nguyễn Thị Hoa", "Falcon-7")
        ivan = person(s, "Иван Петров", "Heron-2")
        case(s, "Amenazas contra José", [ivan], summary="Anonymous calls at night.")
        case(s, "Detention after the protest", [hoa])
        case(s, "Smear campaign", [ivan, hoa])
        assert titles(s, CaseFilter(query="jose")) == ["Amenazas contra José"]  # accents and case optional
        assert titles(s, CaseFilter(query="AMENAZ")) == ["Amenazas contra José"]
        assert titles(s, CaseFilter(query="anonymous")) == ["Amenazas contra José"]  # the summary
        assert titles(s, CaseFilter(query="falcon")) == ["Smear campaign", "Detention after the protest"]  # codename
        assert titles(s, CaseFilter(query="nguyen thi")) == ["Smear campaign", "Detention after the protest"]  # name
        assert titles(s, CaseFilter(query="иван")) == ["Smear campaign", "Amenazas contra José"]
        assert titles(s, CaseFilter(query="Fa")) == ["Smear campaign", "Detention after the protest"]  # short: keys
        assert titles(s, CaseFilter(query="hoa detention")) == ["Detention after the protest"]  # each term, either
        assert titles(s, CaseFilter(query="hoa amenazas")) == []
        assert titles(s, CaseFilter(query="zzz")) == []
        assert titles(s, CaseFilter(query="falcon", threat_type=ThreatType.SURVEILLANCE)) == []


def test_next_due_and_overdue_count_only_actions_still_to_do(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana", "A-1")
        busy = case(s, "With actions", [ana], urgency="emergency")
        case(s, "Without", [ana])
        # Opening a case may plan the guidelines' actions: start from none, so these are the only ones.
        s.connection().execute(text("DELETE FROM case_action"))
        for title, status, due in (
            ("late", "planned", DAY - timedelta(days=2)),
            ("late, started", "doing", DAY - timedelta(days=1)),
            ("due today", "planned", DAY),
            ("later", "planned", DAY + timedelta(days=4)),
            ("no date", "planned", None),
            ("finished", "done", DAY - timedelta(days=10)),
            ("dropped", "not_applicable", DAY - timedelta(days=20)),
        ):
            extra = {"done_on": DAY - timedelta(days=9)} if status == "done" else {}
            threats.add_action(s, busy, {"title": title, "status": status, "due_on": due, **extra})
        rows = case_list.list_cases(s, ALL_OPEN, today=DAY)
        assert [(r.title, r.next_due, r.overdue_actions) for r in rows] == [
            ("With actions", DAY - timedelta(days=2), 2),
            ("Without", None, 0),
        ]
        later = case_list.list_cases(s, ALL_OPEN, today=DAY + timedelta(days=1))[0]
        assert later.overdue_actions == 3  # what was due today is late tomorrow


def test_the_latest_assessment_is_by_assessed_date_not_by_when_recorded(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana", "A-1")
        lowered = case(s, "Lowered", [ana])
        other = case(s, "Medium", [ana])
        assess(s, lowered, RiskLevel.CRITICAL, DAY - timedelta(days=20))
        assess(s, lowered, RiskLevel.LOW, DAY - timedelta(days=2))  # the newest by date
        assess(s, lowered, RiskLevel.CRITICAL, DAY - timedelta(days=5))  # recorded last, but an older assessment
        assess(s, other, RiskLevel.MEDIUM, DAY - timedelta(days=40))
        rows = case_list.list_cases(s, ALL_OPEN, today=DAY)
        assert [(r.title, r.risk, r.assessed_on) for r in rows] == [
            ("Medium", RiskLevel.MEDIUM, DAY - timedelta(days=40)),
            ("Lowered", RiskLevel.LOW, DAY - timedelta(days=2)),
        ]


def test_last_activity_without_events_is_when_the_case_last_changed(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana", "A-1")
        only = case(s, "Quiet case", [ana])
        time.sleep(0.01)
        base.update(s, only, {"summary": "Edited later."})
        s.connection().execute(text("DELETE FROM timeline_event WHERE case_id = :id"), {"id": only.id})
        (row,) = case_list.list_cases(s, ALL_OPEN, today=DAY)
        assert only.updated_at > only.created_at
        assert row.last_activity == only.updated_at and row.last_activity.tzinfo == UTC
