"""Referrals that are not money (issue 19, part C) on a real vault: a referral to one of
the mechanisms the guidelines name asks for no money, goes to that mechanism's resource,
records its stage (of that mechanism only) with the day reached, each change on the case
timeline and in the history, a stage corrected back, and concluded at a stage that ends it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FROZEN_DAY
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.models import TimelineEvent
from hrd_tui.services import consent, contacts, history, mechanisms, reference, resources, threats
from hrd_tui.vocab import MECHANISM_PURPOSES, ConsentScope, ReferralStatus

GIVEN = FROZEN_DAY - timedelta(days=40)
SENT = FROZEN_DAY - timedelta(days=30)


def _case(s):  # type: ignore[no-untyped-def]
    who = contacts.create_contact(s, {"name": "Ana Field", "codename": "Lark-3"})
    case = threats.open_case(s, {"title": "Land defenders", "opened_on": GIVEN}, [who], ["business_linked"], plan=False)
    consent.record_decision(
        s,
        who,
        {
            "scope": ConsentScope.REFERRAL,
            "value": "granted",
            "given_on": GIVEN,
            "resource_ids": ["oecd-ncp", "un-special-procedures", "lifeline"],
            "shared": ["identity", "case_facts"],
        },
        today=FROZEN_DAY,
    )
    return case


def _timeline(s, case_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.text for e in s.exec(select(TimelineEvent).where(TimelineEvent.case_id == case_id))]


def test_every_mechanism_purpose_has_stages_a_resource_and_labels() -> None:
    found = mechanisms.mechanisms()
    assert set(found) == set(MECHANISM_PURPOSES) and mechanisms.data_version() == 1
    shipped = mechanisms.shipped_resource_ids()
    for purpose, m in found.items():
        assert m.stages[0].id == "submitted" and any(s.ends for s in m.stages), purpose
        assert len({s.id for s in m.stages}) == len(m.stages)
        assert all(len(s.short) <= 12 for s in m.stages), purpose
        assert set(m.resources) <= shipped, purpose
        assert reference.label("referral_purpose", purpose) != purpose


def test_a_mechanism_referral_moves_through_its_stages_and_the_timeline_says_so(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case = _case(s)
        data = {"resource_id": "oecd-ncp", "purpose": "oecd_specific_instance", "shared": ["case_facts"]}
        referral = threats.add_referral(s, case, data)
        assert referral.stage is None and referral.status == ReferralStatus.DRAFT
        threats.update_referral(s, referral, {"status": "sent", "sent_on": SENT})
        assert (referral.stage, referral.stage_on, referral.consent_record_id is not None) == ("submitted", SENT, True)
        # Due a check when it has waited the mechanism's days at one stage (the app's policy).
        assert threats.referral_due_on(referral) == SENT + timedelta(days=90)
        threats.update_referral(s, referral, {"stage": "good_offices", "stage_on": FROZEN_DAY - timedelta(days=5)})
        assert referral.status == ReferralStatus.SENT  # the stage says where it is
        threats.update_referral(s, referral, {"stage": "initial_assessment"})  # corrected back, reached today
        assert (referral.stage, referral.stage_on) == ("initial_assessment", FROZEN_DAY)
        threats.update_referral(s, referral, {"stage_on": FROZEN_DAY - timedelta(days=20)})
        threats.update_referral(s, referral, {"stage": "final_statement", "outcome": "Statement issued."})
        assert (referral.status, referral.decision_on) == (ReferralStatus.CONCLUDED, FROZEN_DAY)
        assert threats.referral_due_on(referral) is None
        threats.update_referral(s, referral, {"stage": "good_offices"})  # the statement was a draft: back
        assert (referral.status, referral.decision_on) == (ReferralStatus.UNDER_REVIEW, None)
        lines = _timeline(s, case.id)
        changes = [c.field for c in history.history_of(s, referral).changes]
    name = "OECD National Contact Points"
    assert f"Referral to {name}: sent (with consent). Stage: 'Submitted to the National Contact Point', " in "\n".join(
        lines
    )
    assert any("stage moved on to 'Good offices or mediation between the parties'" in line for line in lines)
    assert any("stage corrected back to 'Initial assessment" in line for line in lines)
    assert any("the day it reached 'Initial assessment" in line and "corrected to" in line for line in lines)
    assert any(f"Referral to {name}: concluded (with consent). Stage: 'Final statement" in line for line in lines)
    assert any(f"Referral to {name}: under review (with consent). Stage: 'Good offices" in line for line in lines)
    assert "stage" in changes and "stage_on" in changes


def test_a_mechanism_referral_asks_for_no_money_and_goes_to_its_own_mechanism(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case = _case(s)
        oecd = {"resource_id": "oecd-ncp", "purpose": "oecd_specific_instance", "shared": ["case_facts"]}
        with pytest.raises(ValidationError, match="amount_requested: a specific instance at an oecd ncp asks for no"):
            threats.add_referral(s, case, {**oecd, "amount_requested": 500})
        with pytest.raises(ValidationError, match="resource_id: a complaint to the dfc iam goes to DFC Independent"):
            threats.add_referral(s, case, {**oecd, "purpose": "dfc_iam_complaint"})
        with pytest.raises(ValidationError, match="purpose: OECD National Contact Points funds nothing"):
            threats.add_referral(s, case, {**oecd, "purpose": "legal_fees"})
        with pytest.raises(ValidationError, match="stage: only a referral to a mechanism has stages"):
            threats.add_referral(s, case, {"resource_id": "lifeline", "purpose": "medical", "stage": "submitted"})
        with pytest.raises(ValidationError, match="stage: it has not been submitted yet"):
            threats.add_referral(s, case, {**oecd, "stage": "submitted", "stage_on": SENT})
        referral = threats.add_referral(s, case, {**oecd, "status": "sent", "sent_on": SENT})
        with pytest.raises(ValidationError, match="stage: 'eligibility' is not a stage of a specific instance"):
            threats.update_referral(s, referral, {"stage": "eligibility"})  # the DFC's, not the NCP's
        with pytest.raises(ValidationError, match="status: a mechanism does not grant or decline"):
            threats.update_referral(s, referral, {"status": "granted"})
        with pytest.raises(ValidationError, match="status: concluded only at a stage that ends it"):
            threats.update_referral(s, referral, {"status": "concluded"})
        with pytest.raises(ValidationError, match="stage_on: is before the day it was sent"):
            threats.update_referral(s, referral, {"stage": "good_offices", "stage_on": SENT - timedelta(days=1)})
        with pytest.raises(ValidationError, match="stage_on: is in the future"):
            threats.update_referral(s, referral, {"stage": "good_offices", "stage_on": FROZEN_DAY + timedelta(days=1)})
        money = threats.add_referral(s, case, {"resource_id": "lifeline", "purpose": "medical", "shared": ["identity"]})
        with pytest.raises(ValidationError, match="status: only a referral to a mechanism is concluded"):
            threats.update_referral(s, money, {"status": "concluded"})
        # The post's own resource of the mechanism's kind (not in the shipped file) will do.
        ncp = resources.add(s, {"name": "Norland NCP", "kind": "accountability-mechanism"})
        shelter = resources.add(s, {"name": "Safe house", "kind": "shelter"})
        assert mechanisms.fits(ncp, mechanisms.mechanisms()[referral.purpose])
        mine = threats.add_referral(s, case, {**oecd, "resource_id": ncp.id})
        assert mine.purpose == "oecd_specific_instance"
        with pytest.raises(ValidationError, match="or the post's own resource of that kind, not to Safe house"):
            threats.add_referral(s, case, {**oecd, "resource_id": shelter.id})


def test_the_schema_refuses_amounts_on_a_mechanism_referral_and_a_stage_without_its_day(opened: vault.Vault) -> None:
    with opened.store.raw() as conn:
        conn.execute(
            "INSERT INTO threat_case (id, created_at, updated_at, title, status, urgency, perpetrator, "
            "perpetrator_note, summary, opened_on, outcome) VALUES ('k', '2026-01-01', '2026-01-01', 'C', "
            "'new', 'urgent', 'unknown', '', '', '2026-01-01', '')"
        )
        base = (
            "INSERT INTO referral (id, created_at, updated_at, case_id, resource_id, purpose, status, currency, "
            "outcome, emergency_justification, shared, amount_requested, stage, stage_on) VALUES "
            "(?, '2026-01-01', '2026-01-01', 'k', 'oecd-ncp', ?, 'draft', 'USD', '', '', '[]', ?, ?, ?)"
        )
        for row in (
            ("a", "oecd_specific_instance", 10, None, None),
            ("b", "oecd_specific_instance", None, "submitted", None),
            ("c", "medical", None, "submitted", "2026-01-01"),
        ):
            with pytest.raises(Exception, match="CHECK constraint failed"):
                conn.execute(base, row)
        conn.execute(base, ("d", "oecd_specific_instance", None, "submitted", "2026-01-01"))


def test_the_case_export_and_the_report_say_the_stage_and_no_money(opened: vault.Vault) -> None:
    from hrd_tui.services import case_export, reports

    with opened.store.session() as s:
        case = _case(s)
        referral = threats.add_referral(
            s,
            case,
            {
                "resource_id": "un-special-procedures",
                "purpose": "un_communication",
                "shared": ["case_facts"],
                "status": "sent",
                "sent_on": SENT,
            },
        )
        threats.update_referral(s, referral, {"stage": "communication_sent", "stage_on": SENT + timedelta(days=9)})
        export = case_export.export_case_markdown(s, case.id, real_names=False)
        report = reports.render_report(s, "regular", GIVEN, FROZEN_DAY)
    assert (
        "- UN special rapporteurs and other protection mechanisms: Communication to UN special procedures (status "
        f"sent; sent {SENT}; stage 'Communication sent to the government (an urgent appeal or allegation letter)' "
        f"reached {SENT + timedelta(days=9)})"
    ) in export
    assert (
        "UN special rapporteurs and other protection mechanisms: Communication to UN special procedures, sent, at "
        "stage 'Communication sent to the government"
    ) in report
    assert "USD" not in export.split("## Referrals")[1].split("##")[0]


def test_today_shows_a_mechanism_referral_waiting_long_at_one_stage(opened: vault.Vault) -> None:
    from hrd_tui.services import today

    with opened.store.session() as s:
        case = _case(s)
        data = {"resource_id": "oecd-ncp", "purpose": "oecd_specific_instance", "shared": ["case_facts"]}
        long_ago = FROZEN_DAY - timedelta(days=120)
        referral = threats.add_referral(s, case, {**data, "status": "sent", "sent_on": long_ago})
        threats.update_referral(s, referral, {"stage": "good_offices", "stage_on": long_ago + timedelta(days=20)})
        (due,) = today.referrals_due(s, FROZEN_DAY, discreet=True)
        assert (due.stage, due.overdue, due.due_on) == ("Mediation", True, long_ago + timedelta(days=110))
        threats.update_referral(s, referral, {"stage_on": FROZEN_DAY - timedelta(days=3)})  # it moved recently
        assert today.referrals_due(s, FROZEN_DAY, discreet=True) == []


def test_every_way_in_checks_the_stage_not_only_the_forms() -> None:
    """A handover bundle goes through base.validate only: a stage of another mechanism,
    or a stage on a request for money, is refused there under its field."""
    from hrd_tui.models import Referral
    from hrd_tui.services import base

    row = {"case_id": "k", "resource_id": "oecd-ncp", "purpose": "oecd_specific_instance", "sent_on": SENT}
    base.validate(Referral, {**row, "stage": "good_offices", "stage_on": SENT})
    for wrong in ({"stage": "eligibility"}, {"purpose": "medical", "resource_id": "lifeline", "stage": "submitted"}):
        with pytest.raises(ValidationError) as refused:
            base.validate(Referral, {**row, "stage_on": SENT, **wrong})
        assert refused.value.errors == {"stage": "is not a stage of its mechanism (data/mechanisms.toml)"}
    with pytest.raises(ValidationError) as refused:
        base.validate(Referral, {**row, "stage": "submitted", "stage_on": SENT - timedelta(days=1)})
    assert list(refused.value.errors) == ["stage_on"]
