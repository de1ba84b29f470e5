"""The today view's threat-case lists (services/today.py): open emergency and urgent
cases in order, case actions and referrals due (horizon edges, overdue flags, the
consent gate coming), cases to reassess (14 days still in time, 15 not; never
assessed), closed cases left out, labels by codename in discreet mode, and a
query count that does not grow with the number of cases."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from hrd_tui.services import contacts, threats, today
from hrd_tui.vocab import ActionStatus, ReferralStatus, RiskLevel, Urgency

DAY = date(2026, 11, 28)
#: (threat, vulnerability, capacity) giving each level (data/risk.toml).
RATINGS = {
    RiskLevel.LOW: (1, 1, 1),
    RiskLevel.MEDIUM: (2, 2, 1),
    RiskLevel.HIGH: (3, 3, 1),
    RiskLevel.CRITICAL: (5, 5, 1),
}
JUSTIFIED = {"emergency_justification": "Detained; could not be asked."}


def person(s, name: str, codename: str):  # type: ignore[no-untyped-def]
    return contacts.create_contact(s, {"name": name, "codename": codename})


def case(s, title: str, defenders, opened_on: date = DAY - timedelta(days=30), **fields):  # type: ignore[no-untyped-def]
    return threats.open_case(s, {"title": title, "opened_on": opened_on, **fields}, defenders, plan=False)


def assess(s, target, level: RiskLevel, on: date = DAY):  # type: ignore[no-untyped-def]
    t, v, c = RATINGS[level]
    assessment = threats.assess_risk(s, target, {"assessed_on": on, "threat": t, "vulnerability": v, "capacity": c})
    assert assessment.risk_level == level
    return assessment


def action(s, target, title: str, due: date | None, **fields):  # type: ignore[no-untyped-def]
    return threats.add_action(s, target, {"title": title, "due_on": due, **fields})


def referral(s, target, **fields):  # type: ignore[no-untyped-def]
    return threats.add_referral(
        s, target, {"resource_id": "lifeline", "purpose": "legal_fees", "shared": ["identity"], **JUSTIFIED, **fields}
    )


def close(s, target) -> None:  # type: ignore[no-untyped-def]
    threats.close_case(s, target, "Released.", on=DAY - timedelta(days=1))


# -- emergencies and urgent cases ---------------------------------------------------------


def test_case_alerts_are_open_emergency_and_urgent_cases_emergencies_first_then_by_risk(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana Quintero", "Heron-101")
        made = {
            title: case(s, title, [ana], urgency=urgency)
            for title, urgency in (
                ("U-medium", Urgency.URGENT),
                ("E-low", Urgency.EMERGENCY),
                ("R-critical", Urgency.ROUTINE),
                ("U-none", Urgency.URGENT),
                ("E-critical", Urgency.EMERGENCY),
                ("U-high", Urgency.URGENT),
                ("E-none", Urgency.EMERGENCY),
                ("E-closed", Urgency.EMERGENCY),
                ("U-closed", Urgency.URGENT),
            )
        }
        for title, level in (
            ("U-medium", RiskLevel.MEDIUM),
            ("E-low", RiskLevel.LOW),
            ("R-critical", RiskLevel.CRITICAL),
            ("E-critical", RiskLevel.CRITICAL),
            ("U-high", RiskLevel.HIGH),
            ("E-closed", RiskLevel.CRITICAL),
        ):
            assess(s, made[title], level)
        close(s, made["E-closed"])
        close(s, made["U-closed"])
        alerts = today.case_alerts(s, DAY, discreet=False)
        assert [a.label for a in alerts] == ["E-critical", "E-none", "E-low", "U-high", "U-none", "U-medium"]
        by_label = {a.label: a for a in alerts}
        assert by_label["E-none"].risk is None and by_label["U-high"].risk == RiskLevel.HIGH
        assert by_label["E-low"].urgency == Urgency.EMERGENCY and by_label["E-low"].case_id == made["E-low"].id
        assert by_label["E-low"].marker == "!! EMERGENCY" and by_label["U-none"].marker == "! urgent"
        assert "!!" not in by_label["U-none"].marker


def test_case_alerts_rank_by_the_latest_assessment_by_date_not_by_when_it_was_typed(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana Quintero", "Heron-101")
        calmer = case(s, "Was critical, now low", [ana], urgency=Urgency.URGENT)
        assess(s, calmer, RiskLevel.LOW, on=DAY)  # typed first ...
        assess(s, calmer, RiskLevel.CRITICAL, on=DAY - timedelta(days=10))  # ... an older one typed later
        other = case(s, "Medium", [ana], urgency=Urgency.URGENT)
        assess(s, other, RiskLevel.MEDIUM)
        alerts = today.case_alerts(s, DAY, discreet=False)
        assert [(a.label, a.risk) for a in alerts] == [
            ("Medium", RiskLevel.MEDIUM),
            ("Was critical, now low", RiskLevel.LOW),
        ]


def test_discreet_labels_are_the_defenders_codenames(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana Quintero", "Heron-101")
        boris = person(s, "Boris Lind", "Cedar-202")
        target = case(s, "Detention of Ana Quintero and Boris Lind", [boris, ana], urgency=Urgency.EMERGENCY)
        action(s, target, "Visit Ana Quintero", DAY)
        referral(s, target, status=ReferralStatus.SENT, sent_on=DAY - timedelta(days=5), expected_decision_on=DAY)
        for discreet, expected in (
            (True, "Case of Cedar-202, Heron-101"),
            (False, "Detention of Ana Quintero and Boris Lind"),
        ):
            labels = {
                today.case_alerts(s, DAY, discreet=discreet)[0].label,
                today.actions_due(s, DAY, discreet=discreet)[0].label,
                today.referrals_due(s, DAY, discreet=discreet)[0].label,
                today.cases_to_reassess(s, DAY, discreet=discreet)[0].label,
            }
            assert labels == {expected}


# -- actions due --------------------------------------------------------------------------


def test_actions_due_are_open_actions_of_open_cases_by_the_horizon_most_overdue_first(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana Quintero", "Heron-101")
        target = case(s, "Open case", [ana])
        shut = case(s, "Closed case", [ana])
        action(s, target, "edge of the horizon", DAY + timedelta(days=7))
        action(s, target, "past the horizon", DAY + timedelta(days=8))
        action(s, target, "due today", DAY, status=ActionStatus.DOING)
        action(s, target, "three days late", DAY - timedelta(days=3))
        action(s, target, "done", DAY - timedelta(days=5), status=ActionStatus.DONE)
        action(s, target, "not applicable", DAY - timedelta(days=5), status=ActionStatus.NOT_APPLICABLE)
        action(s, target, "no due date", None)
        action(s, target, "yesterday", DAY - timedelta(days=1))
        action(s, shut, "of a closed case", DAY - timedelta(days=9))
        close(s, shut)
        due = today.actions_due(s, DAY, discreet=False)
        assert [(a.title, a.overdue) for a in due] == [
            ("three days late", True),
            ("yesterday", True),
            ("due today", False),
            ("edge of the horizon", False),
        ]
        assert due[0].days_late(DAY) == 3 and due[0].due_on == DAY - timedelta(days=3)
        assert {a.case_id for a in due} == {target.id} and {a.label for a in due} == {"Open case"}
        assert due[0].owner == threats.DEFAULT_OWNER
        assert [a.title for a in today.actions_due(s, DAY, discreet=False, horizon_days=0)] == [
            "three days late",
            "yesterday",
            "due today",
        ]


def test_actions_due_say_when_the_consent_gate_is_coming(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana Quintero", "Heron-101")
        boris = person(s, "Boris Lind", "Cedar-202")
        alone = case(s, "Ana's case", [ana])
        both = case(s, "Joint case", [ana, boris])
        action(s, alone, "a: on behalf, no consent", DAY, on_behalf=True)
        action(s, alone, "b: on behalf, justified", DAY, on_behalf=True, status=ActionStatus.DOING, **JUSTIFIED)
        action(s, alone, "c: not on behalf", DAY)
        action(s, both, "d: on behalf of both", DAY, on_behalf=True)

        def gate() -> dict[str, tuple[bool, bool]]:
            return {a.title: (a.on_behalf, a.consent_missing) for a in today.actions_due(s, DAY, discreet=False)}

        assert gate() == {
            "a: on behalf, no consent": (True, True),
            "b: on behalf, justified": (True, False),
            "c: not on behalf": (False, False),
            "d: on behalf of both": (True, True),
        }
        contacts.record_consent(
            s, ana, {"scope": "private_demarche", "value": "granted", "given_on": DAY - timedelta(days=2)}
        )
        assert gate()["a: on behalf, no consent"] == (True, False)
        assert gate()["d: on behalf of both"] == (True, True)  # Boris has not consented
        contacts.record_consent(
            s, boris, {"scope": "private_demarche", "value": "granted", "given_on": DAY - timedelta(days=2)}
        )
        assert gate()["d: on behalf of both"] == (True, False)
        contacts.record_consent(
            s, boris, {"scope": "private_demarche", "value": "refused", "given_on": DAY}
        )  # changed his mind
        assert gate()["d: on behalf of both"] == (True, True)


# -- referrals due ------------------------------------------------------------------------


def test_referrals_due_are_pending_answers_by_the_horizon_with_the_resource_named(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana Quintero", "Heron-101")
        target = case(s, "Open case", [ana])
        shut = case(s, "Closed case", [ana])
        sent = {"status": ReferralStatus.SENT, "sent_on": DAY - timedelta(days=10)}
        late = referral(s, target, **sent, expected_decision_on=DAY - timedelta(days=1))
        edge = referral(
            s,
            target,
            status=ReferralStatus.UNDER_REVIEW,
            sent_on=DAY - timedelta(days=3),
            expected_decision_on=DAY + timedelta(days=7),
            purpose="relocation",
            resource_id="freedom-house",
        )
        referral(s, target, **sent, expected_decision_on=DAY + timedelta(days=8))  # past the horizon
        chase_today = referral(
            s, target, status=ReferralStatus.SENT, sent_on=DAY - timedelta(days=threats.REFERRAL_CHASE_DAYS)
        )
        chase_late = referral(
            s, target, status=ReferralStatus.SENT, sent_on=DAY - timedelta(days=threats.REFERRAL_CHASE_DAYS + 1)
        )
        referral(s, target, **sent, expected_decision_on=DAY - timedelta(days=4))  # answered below
        referral(s, target, status=ReferralStatus.DRAFT)  # not sent: nothing to wait for
        referral(s, shut, **sent, expected_decision_on=DAY - timedelta(days=5))
        close(s, shut)
        answered = next(
            r for r in threats.referrals_of(s, target.id) if r.expected_decision_on == DAY - timedelta(days=4)
        )
        threats.update_referral(s, answered, {"status": ReferralStatus.GRANTED, "amount_granted": 100})
        due = today.referrals_due(s, DAY, discreet=False)
        assert [(r.referral_id, r.due_on, r.overdue, r.chase) for r in due] == [
            (late.id, DAY - timedelta(days=1), True, False),
            (chase_late.id, DAY - timedelta(days=1), True, True),
            (chase_today.id, DAY, False, True),
            (edge.id, DAY + timedelta(days=7), False, False),
        ]
        by_id = {r.referral_id: r for r in due}
        assert by_id[late.id].resource == "Lifeline Embattled CSO Assistance Fund"
        assert (
            by_id[edge.id].resource.startswith("Freedom House") and by_id[edge.id].status == ReferralStatus.UNDER_REVIEW
        )
        assert by_id[late.id].days_late(DAY) == 1 and {r.case_id for r in due} == {target.id}
        assert [r.referral_id for r in today.referrals_due(s, DAY, discreet=False, horizon_days=0)] == [
            r.referral_id for r in due[:3]
        ]


# -- cases to reassess ---------------------------------------------------------------------


def test_cases_to_reassess_after_fourteen_days_or_never_assessed_oldest_first(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = person(s, "Ana Quintero", "Heron-101")
        made = {
            title: case(s, title, [ana], opened_on=DAY - timedelta(days=ago))
            for title, ago in (
                ("14 days", 60),
                ("15 days", 60),
                ("30 days", 60),
                ("never, opened today", 0),
                ("never, opened long ago", 90),
                ("reassessed", 60),
                ("older typed later", 60),
                ("closed, never", 90),
                ("closed, stale", 90),
            )
        }
        for title, ago in (
            ("14 days", 14),
            ("15 days", 15),
            ("30 days", 30),
            ("reassessed", 40),
            ("reassessed", 2),
            ("older typed later", 1),
            ("older typed later", 50),
            ("closed, stale", 40),
        ):
            assess(s, made[title], RiskLevel.HIGH, on=DAY - timedelta(days=ago))
        close(s, made["closed, never"])
        close(s, made["closed, stale"])
        stale = today.cases_to_reassess(s, DAY, discreet=False)
        assert [c.label for c in stale] == ["never, opened long ago", "never, opened today", "30 days", "15 days"]
        by_label = {c.label: c for c in stale}
        assert by_label["never, opened today"].assessed_on is None and by_label["never, opened today"].risk is None
        assert by_label["never, opened today"].describe(DAY) == "never assessed"
        assert by_label["15 days"].describe(DAY) == "15 days ago" and by_label["15 days"].risk == RiskLevel.HIGH
        assert by_label["15 days"].assessed_on == DAY - timedelta(days=15)
        assert by_label["30 days"].case_id == made["30 days"].id
        assert [c.label for c in today.cases_to_reassess(s, DAY, discreet=False, days=20)] == [
            "never, opened long ago",
            "never, opened today",
            "30 days",
        ]
        assert threats.REASSESS_DAYS == 14  # the default the tests above are written for


# -- bounded queries --------------------------------------------------------------------------


def test_the_lists_take_the_same_number_of_queries_for_5_cases_as_for_40(opened) -> None:  # type: ignore[no-untyped-def]
    def busy_cases(s, n: int, start: int) -> None:  # type: ignore[no-untyped-def]
        for i in range(start, start + n):
            p = person(s, f"Person {i}", f"Code-{i}")
            c = case(s, f"Case {i}", [p], urgency=Urgency.EMERGENCY if i % 2 else Urgency.URGENT)
            if i % 3:
                assess(s, c, RiskLevel.HIGH, on=DAY - timedelta(days=20))
            action(s, c, "late, on behalf", DAY - timedelta(days=1), on_behalf=True)
            referral(s, c, status=ReferralStatus.SENT, sent_on=DAY - timedelta(days=3), expected_decision_on=DAY)

    def queries(s) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        statements: list[str] = []

        def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        engine = s.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            rows = sum(
                len(f(s, DAY, discreet=True))
                for f in (today.case_alerts, today.actions_due, today.referrals_due, today.cases_to_reassess)
            )
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements), rows

    with opened.store.session("t") as s:
        busy_cases(s, 5, 0)
        few, few_rows = queries(s)
        busy_cases(s, 35, 5)
        many, many_rows = queries(s)
    assert (few_rows, many_rows) == (5 * 4, 40 * 4)  # every case is in all four lists
    assert many == few, (few, many)
