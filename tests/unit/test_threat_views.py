"""What the threat screens read and save through (issue 17): each function opens its own
transaction on the store it is handed and gives back plain values or frozen views, never
an ORM instance that would outlive its session. On a real encrypted vault."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from conftest import FROZEN_DAY
from sqlmodel import SQLModel

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.services import case_list, contacts, threats
from hrd_tui.vocab import (
    ActionStatus,
    CaseStatus,
    ConsentScope,
    ConsentValue,
    ReferralStatus,
    RiskLevel,
    ThreatType,
    Urgency,
)

OPENED = date(2026, 3, 2)


def plain(value: Any) -> bool:
    """No ORM instance anywhere in ``value`` (a view, its tuples, a dict of form values)."""
    if isinstance(value, SQLModel):
        return False
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return all(plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return all(plain(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(plain(v) for v in value)
    return True


def _case(opened: vault.Vault) -> tuple[str, str, str]:
    """A case with two defenders (one has consented to be acted for), a source from a third
    person and a referral: (case id, the consenting defender's id, the source's contact id)."""
    with opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Ana Ruiz", "codename": "Kite"})
        bo = contacts.create_contact(s, {"name": "Bo Lind", "codename": "Heron"})
        witness = contacts.create_contact(s, {"name": "Cy Moss", "codename": "Wren"})
        case = threats.open_case(
            s,
            {"title": "Ana and Bo threatened", "opened_on": OPENED, "summary": "Ana Ruiz saw it"},
            [ana, bo],
            ["intimidation"],
        )
        contacts.record_consent(
            s, ana, {"scope": "private_demarche", "value": "granted", "given_on": OPENED, "how": "Signal"}
        )
        contacts.record_consent(
            s,
            ana,
            {
                "scope": "referral",
                "value": "granted",
                "resource_ids": ["lifeline", "freedom-house"],
                "shared": ["identity"],
                "given_on": OPENED,
            },
        )
        threats.add_source(
            s,
            case,
            {
                "description": "Cy Moss's account",
                "contact_id": witness.id,
                "reliability": "B",
                "credibility": "2",
                "received_on": OPENED,
            },
        )
        threats.add_referral(s, case, {"resource_id": "lifeline", "purpose": "medical", "shared": ["identity"]})
        return case.id, ana.id, witness.id


def test_the_case_is_read_as_plain_values(opened: vault.Vault) -> None:
    case_id, _, _ = _case(opened)
    view = threats.read_case(opened.store, case_id, today=FROZEN_DAY)
    assert plain(view)
    assert view.title == "Ana and Bo threatened" and view.status == CaseStatus.NEW
    assert view.opened_on == OPENED and view.urgency == Urgency.URGENT and view.summary == "Ana Ruiz saw it"
    assert [p.codename for p in view.defenders] == ["Heron", "Kite"]
    assert [p.codename for p in view.people] == ["Heron", "Kite", "Wren"]
    assert view.threat_types == (ThreatType("intimidation"),)
    consents = {c.person.codename: c for c in view.consents if c.scope == ConsentScope.PRIVATE_DEMARCHE}
    assert consents["Kite"].granted and consents["Kite"].value == ConsentValue.GRANTED
    assert consents["Kite"].how == "Signal" and consents["Kite"].given_on == OPENED
    assert not consents["Heron"].granted and consents["Heron"].value is None
    assert view.sources[0].rating == "B2" and view.sources[0].description == "Cy Moss's account"
    assert view.source_warning == "Rests on a single source."
    (referral,) = view.referrals
    assert referral.resource != "lifeline" and referral.status == ReferralStatus.DRAFT
    assert not referral.justified and not referral.with_consent
    # Planned from the templates, due from the opening: long past on the frozen day.
    assert len(view.actions) == 14 and all(a.overdue for a in view.actions if a.due_on)
    assert {a.gate for a in view.actions} <= {"", "justified", "consent", "needs consent"}
    assert view.timeline[-1].text == "Case opened." and isinstance(view.timeline[0].occurred_at, datetime)
    assert view.latest is None
    assert view.label(discreet=True) == "Case of Heron, Kite"
    assert view.label(discreet=False) == threats.case_name(opened.store, case_id, discreet=False)
    assert threats.case_name(opened.store, case_id, discreet=True) == "Case of Heron, Kite"


def test_an_action_in_full_and_moved_on_by_space(opened: vault.Vault) -> None:
    case_id, _, _ = _case(opened)
    view = threats.read_case(opened.store, case_id, today=FROZEN_DAY)
    behalf = next(a for a in view.actions if a.gate == "needs consent")
    detail = threats.read_action(opened.store, behalf.id)
    assert detail is not None and plain(detail)
    assert detail.on_behalf and detail.gate == "needs consent" and detail.title == behalf.title
    assert [p.codename for p in detail.people] == ["Heron", "Kite", "Wren"]  # the source's too
    assert threats.read_action(opened.store, "no-such-action") is None
    # Heron has not consented: the gate's reason comes back, the action stays planned.
    refused = threats.advance_action(opened.store, behalf.id, today=FROZEN_DAY)
    assert refused.status == ActionStatus.DOING and "Heron" in refused.refusal
    assert threats.action_form_values(opened.store, behalf.id)["status"] == ActionStatus.PLANNED
    # One not on anyone's behalf moves on, then is done on the day given, then is finished.
    own = threats.save_action(opened.store, case_id, None, {"title": "Call the lawyer", "on_behalf": False})
    assert threats.advance_action(opened.store, own, today=FROZEN_DAY) == threats.Advanced(ActionStatus.DOING)
    assert threats.advance_action(opened.store, own, today=FROZEN_DAY) == threats.Advanced(ActionStatus.DONE)
    assert threats.action_form_values(opened.store, own)["done_on"] == FROZEN_DAY
    assert threats.advance_action(opened.store, own, today=FROZEN_DAY) == threats.Advanced(None)


def test_the_forms_start_from_plain_values_and_save_through_their_own_transaction(opened: vault.Vault) -> None:
    case_id, ana_id, _ = _case(opened)
    tx = opened.store
    values = threats.case_form_values(tx, case_id)
    assert plain(values) and values["defenders"] == ["Heron", "Kite"] and values["threat_types"] == ["intimidation"]
    assert threats.save_case(tx, case_id, {"defenders": ["Kite"], "urgency": "emergency"}, today=FROZEN_DAY) == case_id
    assert [p.codename for p in threats.case_defenders(tx, case_id)] == ["Kite"]
    new = threats.save_case(
        tx,
        None,
        {"title": "New", "defenders": ["Kite"], "urgency": "urgent", "perpetrator": "unknown", "first_event": "A call"},
        today=FROZEN_DAY,
    )
    assert threats.read_case(tx, new, today=FROZEN_DAY).opened_on == FROZEN_DAY
    with pytest.raises(ValidationError) as unknown:
        threats.save_case(
            tx,
            None,
            {"title": "X", "defenders": ["Nobody"], "urgency": "urgent", "perpetrator": "unknown"},
            today=FROZEN_DAY,
        )
    assert "defenders" in unknown.value.errors
    assert threats.codename_of(tx, ana_id) == "Kite"
    assert {c.person.codename for c in threats.case_consents(tx, case_id)} == {"Kite"}
    assert threats.unshared_defenders(tx, case_id) == ["Kite"]

    assert threats.last_ratings(tx, case_id) == {}
    threats.save_assessment(
        tx, case_id, {"threat": "4", "vulnerability": "3", "capacity": "2", "assessed_on": FROZEN_DAY}
    )
    assert threats.last_ratings(tx, case_id) == {"threat": 4, "vulnerability": 3, "capacity": 2}
    assert threats.read_case(tx, case_id, today=FROZEN_DAY).latest.risk_level in RiskLevel  # type: ignore[union-attr]

    resources = threats.resource_views(tx)
    assert plain(resources) and "lifeline" in {r.id for r in resources}
    referral = threats.save_referral(
        tx, case_id, None, {"resource_id": "lifeline", "purpose": "legal_fees", "shared": ["identity"]}
    )
    threats.save_referral(tx, case_id, referral, {"status": "sent"})  # Kite alone now, and Kite consented
    assert threats.referral_form_values(tx, referral)["status"] == ReferralStatus.SENT

    assert threats.analysis_form_values(tx, case_id, None) == {"threat_type": "intimidation"}
    analysis = threats.save_analysis(tx, case_id, None, {"threat_type": "intimidation", "facts": "A call"})
    assert threats.analysis_form_values(tx, case_id, None) == {"threat_type": None}
    assert plain(threats.analysis_form_values(tx, case_id, analysis))

    source = threats.save_source(
        tx,
        case_id,
        None,
        {
            "description": "A neighbour",
            "contact": "Kite",
            "reliability": "C",
            "credibility": "3",
            "received_on": OPENED,
        },
    )
    assert threats.source_form_values(tx, source)["contact"] == "Kite"
    threats.save_source(tx, case_id, source, {"contact": ""})
    assert threats.source_form_values(tx, source)["contact"] == ""

    threats.log_event(tx, case_id, "Followed again", occurred_at=None)
    threats.log_coordination(tx, case_id, {"kind": "engaged", "missions": "Norland", "on_date": FROZEN_DAY})
    threats.log_feedback(tx, case_id, {"defender": "Kite", "what": "We called", "told_on": FROZEN_DAY})
    view = threats.read_case(tx, case_id, today=FROZEN_DAY)
    assert {"Followed again", "Defender told: We called"} <= {e.text for e in view.timeline}
    assert [x.missions for x in view.coordination] == ["Norland"] and [f.what for f in view.feedback] == ["We called"]

    threats.close_with_outcome(tx, case_id, "Relocated", FROZEN_DAY - timedelta(days=1))
    assert threats.read_case(tx, case_id, today=FROZEN_DAY).status == CaseStatus.CLOSED
    threats.reopen(tx, case_id)
    assert threats.read_case(tx, case_id, today=FROZEN_DAY).status == CaseStatus.ASSESSING


def test_the_case_list_reads_in_its_own_transaction(opened: vault.Vault) -> None:
    case_id, _, _ = _case(opened)
    rows = case_list.read_cases(opened.store, today=FROZEN_DAY)
    assert [r.id for r in rows] == [case_id] and plain(rows)
    with opened.store.session() as s:
        assert rows == case_list.list_cases(s, today=FROZEN_DAY)
    assert case_list.read_cases(opened.store, case_list.CaseFilter(query="Heron"), today=FROZEN_DAY, limit=1) == rows
