"""The threat-case service on a real vault: actions planned from the templates with
due dates from the opening, the consent gate on actions and referrals, referrals
through their statuses, the source warning, the risk bands as data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import FROZEN_DAY
from sqlmodel import select

from hrd_tui import vault, wallclock
from hrd_tui.errors import ConstraintViolation, ValidationError
from hrd_tui.models import Referral
from hrd_tui.services import contacts, reference, templates, threats
from hrd_tui.vocab import (
    ActionCategory,
    ActionStatus,
    Credibility,
    ReferralStatus,
    Reliability,
    RiskLevel,
    TimelineKind,
)

OPENED = date(2026, 3, 2)


def _case(s, *, plan: bool = True, people: int = 1, first: int = 0):  # type: ignore[no-untyped-def]
    defenders = [
        contacts.create_contact(s, {"name": f"Defender {n}", "codename": f"Kite-{n}"})
        for n in range(first, first + people)
    ]
    return threats.open_case(
        s, {"title": "Case", "opened_on": OPENED}, defenders, ["intimidation"], plan=plan
    ), defenders


def test_a_new_case_plans_every_template_action_due_from_its_opening(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, _ = _case(s)
        planned = threats.actions_of(s, case.id)
        by_item = {a.template_item: a for a in planned}
        shipped = {t.id: t for t in reference.builtin_templates()}
        for template_id, category in threats.PLAN_TEMPLATES:
            for item in shipped[template_id].items:
                action = by_item[f"{template_id}:{item['id']}"]
                assert action.title == item["text"] and action.category == category
                assert action.due_on == OPENED + timedelta(days=item["due_days"])
                assert action.owner == item["owner"] and action.on_behalf == item["on_behalf"]
        assert len(planned) == 14
        assert sum(a.category == ActionCategory.IMMEDIATE for a in planned) == 9
        # Open actions by due date, so the next thing to do comes first.
        dues = [a.due_on for a in planned]
        assert dues == sorted(dues)


def test_a_case_without_a_plan_and_one_without_defenders(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, _ = _case(s, plan=False)
        assert threats.actions_of(s, case.id) == []
        with pytest.raises(ValidationError) as refused:
            threats.open_case(s, {"title": "x"}, [], ["not-a-threat"])
        assert set(refused.value.errors) == {"defenders", "threat_types"}  # both named at once


def test_template_plan_keys_are_checked_with_the_line() -> None:
    text = 'schema = 1\nid = "t"\nversion = 1\ntitle = "T"\nsection = "S"\n[[item]]\nid = "a"\ntext = "A"\nguidance = "G"\ndue_days = -1\n'
    with pytest.raises(templates.TemplateError, match=r"x.toml:6: item 1: 'due_days' must be between 0"):
        templates.parse(text, "x.toml")
    with pytest.raises(templates.TemplateError, match="'on_behalf' must be a true/false"):
        templates.parse(text.replace("due_days = -1", 'on_behalf = "yes"'), "x.toml")
    assert templates.parse(text.replace("due_days = -1", "due_days = 3"), "x.toml").items[0]["due_days"] == 3


def test_every_defender_must_consent_before_an_action_for_them_starts(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, (first, second) = _case(s, plan=False, people=2)
        action = threats.add_action(s, case, {"title": "Raise with the ministry", "on_behalf": True})
        contacts.record_consent(s, first, {"scope": "private_demarche", "value": "granted", "given_on": OPENED})
        with pytest.raises(ValidationError, match="Kite-1's consent to act on their behalf .none recorded."):
            threats.update_action(s, action, {"status": "doing"})
        contacts.record_consent(s, second, {"scope": "private_demarche", "value": "refused", "given_on": OPENED})
        with pytest.raises(ValidationError, match=r"Kite-1's consent .* \(refused\)"):
            threats.update_action(s, action, {"status": "done"})
        contacts.record_consent(
            s, second, {"scope": "private_demarche", "value": "granted", "given_on": OPENED + timedelta(days=1)}
        )
        threats.update_action(s, action, {"status": "done"})
        assert action.consent_record_id is not None and action.done_on == FROZEN_DAY
        threats.update_action(s, action, {"status": "doing"})  # back under way: no longer done
        assert action.done_on is None


def test_a_referral_leaves_the_draft_only_with_consent_or_a_justification(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, (defender,) = _case(s, plan=False)
        referral = threats.add_referral(
            s, case, {"resource_id": "lifeline", "purpose": "medical", "shared": ["identity"]}
        )
        assert referral.status == ReferralStatus.DRAFT and referral.sent_on is None
        with pytest.raises(ValidationError, match="Sending this referral needs Kite-0's consent"):
            threats.update_referral(s, referral, {"status": "sent"})
        threats.update_referral(s, referral, {"status": "sent", "emergency_justification": "In hiding, unreachable."})
        assert referral.sent_on == FROZEN_DAY and referral.consent_record_id is None
        expected = FROZEN_DAY + timedelta(days=10)  # a decision is expected after sending (base.DATE_ORDER)
        threats.update_referral(s, referral, {"status": "under_review", "expected_decision_on": expected})
        assert threats.referral_overdue(referral, expected + timedelta(days=1))
        assert not threats.referral_overdue(referral, expected)
        with pytest.raises(ValidationError, match="only a granted referral has an amount granted"):
            threats.update_referral(s, referral, {"amount_granted": 100})
        threats.update_referral(s, referral, {"status": "granted", "amount_granted": 100})
        assert referral.decision_on == FROZEN_DAY and threats.referral_due_on(referral) is None
        kinds = [e.kind for e in threats.timeline(s, case.id)]
        assert kinds.count(TimelineKind.REFERRAL) == 4  # drafted, sent, under review, granted
        with pytest.raises(ValidationError, match="no resource 'nowhere'"):
            threats.add_referral(s, case, {"resource_id": "nowhere", "purpose": "medical", "shared": ["identity"]})
        second = threats.add_referral(
            s, case, {"resource_id": "freedom-house", "purpose": "relocation", "shared": ["identity"]}
        )
        contacts.record_consent(
            s,
            defender,
            {
                "scope": "referral",
                "value": "granted",
                "resource_ids": ["lifeline", "freedom-house"],
                "shared": ["identity"],
                "given_on": OPENED,
            },
        )
        threats.update_referral(s, second, {"status": "sent", "sent_on": OPENED})
        assert second.consent_record_id is not None
        assert threats.referral_due_on(second) == OPENED + timedelta(days=threats.REFERRAL_CHASE_DAYS)


def test_the_schema_refuses_a_sent_referral_that_rests_on_nothing(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, _ = _case(s, plan=False)
        case_id = case.id
    with pytest.raises(ConstraintViolation, match="ck_referral_consent_gate"):
        with opened.store.session() as s:
            s.add(Referral(case_id=case_id, resource_id="lifeline", purpose="medical", status="sent"))
            s.flush()
    with opened.store.session() as s:
        assert s.exec(select(Referral)).all() == []


def test_the_source_warning(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, (defender,) = _case(s, plan=False)
        assert "No source" in (threats.source_warning([]) or "")
        threats.add_source(
            s,
            case,
            {
                "description": "Her own account",
                "contact_id": defender.id,
                "reliability": Reliability.B,
                "credibility": Credibility.POSSIBLY_TRUE,
            },
        )
        threats.add_source(
            s,
            case,
            {
                "description": "Her account again, a week later",
                "contact_id": defender.id,
                "reliability": Reliability.B,
                "credibility": Credibility.PROBABLY_TRUE,
            },
        )
        warning = threats.source_warning(threats.sources_of(s, case.id))
        assert warning == "Rests on a single source."  # the same person twice is one source
        threats.add_source(s, case, {"description": "A police statement", "credibility": Credibility.DOUBTFUL})
        assert threats.source_warning(threats.sources_of(s, case.id)) is None
        other, _ = _case(s, plan=False, first=5)
        threats.add_source(s, other, {"description": "Rumour A", "credibility": Credibility.POSSIBLY_TRUE})
        threats.add_source(s, other, {"description": "Rumour B", "credibility": Credibility.CANNOT_JUDGE})
        assert threats.source_warning(threats.sources_of(s, other.id)) == (
            "Unconfirmed: no source rated confirmed or probably true."
        )


def test_risk_bands_and_worksheet_guidance_come_from_the_data_file() -> None:
    bands = reference.risk_bands()
    limits = [b.below for b in bands]
    assert limits[-1] is None and all(a < b for a, b in zip(limits, limits[1:-1], strict=False))  # type: ignore[operator]
    assert [b.level for b in bands] == list(RiskLevel)
    for factor in reference.risk_factors():
        assert sorted(factor.guidance) == [1, 2, 3, 4, 5] and all(factor.guidance.values())
    assert threats.risk_level(2, 1, 1) == RiskLevel.LOW and threats.risk_level(3, 1, 1) == RiskLevel.MEDIUM
    # Issue 18: 5/5/5 was medium by the score alone; a floor makes it critical (tests/unit/test_risk.py).
    assert threats.risk_level(4, 3, 1) == RiskLevel.CRITICAL and threats.risk_level(5, 5, 5) == RiskLevel.CRITICAL
    assert threats.risk_reasoning(5, 4, 2).startswith("threat 5 x vulnerability 4 / capacity 2 = 10.0: High by the")


def test_closing_needs_an_outcome_and_reopening_keeps_it_in_the_history(opened: vault.Vault) -> None:
    from hrd_tui.services import history

    with opened.store.session() as s:
        case, _ = _case(s, plan=False)
        with pytest.raises(ValidationError, match="say how the case ended"):
            threats.close_case(s, case, "  ")
        with pytest.raises(ValidationError, match="close the case with its outcome"):
            threats.update_case(s, case, {"status": "closed"})
        threats.close_case(s, case, "Calls stopped.", OPENED + timedelta(days=9))
        threats.reopen_case(s, case)
        assert case.status == "assessing" and case.closed_on is None and case.outcome == "Calls stopped."
        assert any(c.field == "status" and c.before == "closed" for c in history.changes(s, case))
        assert [e.text for e in threats.timeline(s, case.id)][:2] == ["Case reopened.", "Case closed: Calls stopped."]


def test_the_gate_cannot_be_walked_around(opened: vault.Vault) -> None:
    """Each way past the consent gate a review found, closed."""
    with opened.store.session() as s:
        case, (defender,) = _case(s, plan=False)
        planned = threats.add_action(s, case, {"title": "Raise with the ministry", "on_behalf": True})
        with pytest.raises(ValidationError, match="consent_record_id: is set by the consent gate"):
            threats.update_action(s, planned, {"consent_record_id": "made-up"})
        with pytest.raises(ValidationError, match="consent_record_id"):
            threats.add_referral(
                s,
                case,
                {"resource_id": "lifeline", "purpose": "medical", "shared": ["identity"], "consent_record_id": "x"},
            )
        # Untick "on behalf" and start it in the same edit: refused, it stays on record.
        with pytest.raises(ValidationError, match="on_behalf: it was started on the defender's behalf"):
            threats.update_action(s, planned, {"status": "doing", "on_behalf": False})
        # Consent given, the action done; consent withdrawn later: a note can still be added,
        # and the action keeps the consent it rested on.
        granted = contacts.record_consent(
            s, defender, {"scope": "private_demarche", "value": "granted", "given_on": OPENED}
        )
        threats.update_action(s, planned, {"status": "done"})
        assert planned.consent_record_id == granted.id
        contacts.record_consent(
            s, defender, {"scope": "private_demarche", "value": "refused", "given_on": OPENED + timedelta(days=3)}
        )
        threats.update_action(s, planned, {"note": "Ministry promised an answer."})
        assert planned.consent_record_id == granted.id and planned.note == "Ministry promised an answer."
        # Without consent now: going ahead needs the justification, and the timeline says so.
        other = threats.add_action(s, case, {"title": "Ask the platform to lock her accounts", "on_behalf": True})
        threats.update_action(
            s, other, {"status": "doing", "emergency_justification": "Accounts used against her sources."}
        )
        assert other.consent_record_id is None
        texts = [e.text for e in threats.timeline(s, case.id)]
        assert (
            "Action in progress (without consent: emergency justification): Ask the platform to lock her accounts"
            in texts
        )
        assert "Action done (with consent): Raise with the ministry" in texts
        with pytest.raises(ValidationError, match="consent"):  # clearing the justification would leave it on nothing
            threats.update_action(s, other, {"emergency_justification": " "})


def test_a_sent_referral_stays_as_sent(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, _ = _case(s, plan=False)
        draft = threats.add_referral(s, case, {"resource_id": "lifeline", "purpose": "medical", "shared": ["identity"]})
        threats.update_referral(s, draft, {"status": "withdrawn"})  # never sent: no consent needed, no date
        assert draft.sent_on is None and draft.consent_record_id is None
        sent = threats.add_referral(
            s,
            case,
            {
                "resource_id": "lifeline",
                "purpose": "medical",
                "shared": ["identity"],
                "status": "sent",
                "emergency_justification": "In hiding.",
            },
        )
        with pytest.raises(ValidationError, match="cannot go back to a draft"):
            threats.update_referral(s, sent, {"status": "draft"})
        with pytest.raises(ValidationError, match="resource_id: cannot change once sent"):
            threats.update_referral(s, sent, {"resource_id": "freedom-house"})
        with pytest.raises(ValidationError, match="Sending this referral needs Kite-0's consent"):
            threats.update_referral(s, sent, {"emergency_justification": ""})
        threats.update_referral(s, sent, {"status": "withdrawn"})
        assert sent.sent_on is not None and sent.emergency_justification == "In hiding."


def test_feedback_events_defenders_and_coordination_on_the_timeline(opened: vault.Vault) -> None:

    with opened.store.session() as s:
        case, (defender,) = _case(s, plan=False)
        stranger = contacts.create_contact(s, {"name": "Someone else", "codename": "Moth-9"})
        with pytest.raises(ValidationError, match="say what they were told"):
            threats.record_feedback(s, case, {"what": "   ", "contact_id": defender.id})
        with pytest.raises(ValidationError, match="is not a defender of this case"):
            threats.record_feedback(s, case, {"what": "Told", "contact_id": stranger.id})
        with pytest.raises(ValidationError, match="occurred_at: is in the future"):
            threats.add_event(s, case, "Tomorrow's news", occurred_at=wallclock.now() + timedelta(hours=2))
        threats.update_case(s, case, {}, [defender, stranger], ["intimidation", "travel_ban"])
        threats.add_coordination(s, case, {"kind": "engaged", "missions": "Norland", "on_date": OPENED})
        texts = [e.text for e in threats.timeline(s, case.id)]
        assert "Defender added: Moth-9." in texts and "Threat types: Threats and intimidation, Travel ban." in texts
        assert "Mission engaged: Norland (without consent to share the case from Kite-0, Moth-9)" in texts
        assert [p.codename for p in threats.case_people(s, case.id)] == ["Kite-0", "Moth-9"]


def test_an_action_waiting_for_consent_is_covered_once_every_defender_consents(opened: vault.Vault) -> None:
    """Issue 16: what the case's actions list shows ("needs OK" or "consent") follows the
    consent in force, not only what an action already rested on when it was moved on."""
    with opened.store.session() as s:
        ana, boris = (contacts.create_contact(s, {"name": n}) for n in ("Ana", "Boris"))
        case = threats.open_case(s, {"title": "Case"}, [ana, boris], plan=False)
        waiting = threats.add_action(s, case, {"title": "Call the ministry", "on_behalf": True})
        own = threats.add_action(s, case, {"title": "Read the file", "on_behalf": False})

        def gate(action):  # type: ignore[no-untyped-def]
            return threats.action_gate(action, threats.consents(s, case.id))

        assert (gate(waiting), gate(own)) == ("needs consent", "")
        contacts.record_consent(s, ana, {"scope": "private_demarche", "value": "granted", "given_on": FROZEN_DAY})
        assert gate(waiting) == "needs consent"  # Boris has not consented
        contacts.record_consent(s, boris, {"scope": "private_demarche", "value": "granted", "given_on": FROZEN_DAY})
        assert gate(waiting) == "consent" and waiting.consent_record_id is None  # covered, before it is moved on
        contacts.record_consent(
            s, boris, {"scope": "private_demarche", "value": "refused", "given_on": FROZEN_DAY + timedelta(days=1)}
        )
        assert gate(waiting) == "needs consent"  # withdrawn: no longer covered
        threats.set_action_status(s, waiting, ActionStatus.DOING, emergency_justification="Detained")
        assert gate(waiting) == "justified"
