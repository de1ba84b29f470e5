"""Consent for each kind of action (issue 18) on a real vault: the gate checks the
consent the action's kind needs, an end date is the last day a consent holds, a
withdrawal stops what is not yet done (and says so on the case's timeline), and the
mission's emergency rule leaves a follow-up to tell the defender."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FROZEN_DAY
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.models import ConsentRecord, Contact, FollowUp, Referral
from hrd_tui.services import base, consent, contacts, templates, threats, trials
from hrd_tui.vocab import ACTION_SCOPES, ActionStatus, ConsentScope

GIVEN = FROZEN_DAY - timedelta(days=10)


def _case(s, people: int = 1):  # type: ignore[no-untyped-def]
    defenders = [contacts.create_contact(s, {"name": f"Defender {n}", "codename": f"Wren-{n}"}) for n in range(people)]
    case = threats.open_case(s, {"title": "Case", "opened_on": GIVEN}, defenders, ["intimidation"], plan=False)
    return case, defenders


#: What a grant of these kinds names (consent.NAMES), unless a test says otherwise.
NAMED = {
    ConsentScope.REFERRAL: {"resource_ids": ["lifeline"], "shared": ["identity", "case_facts"]},
    ConsentScope.SHARE_WITH_MISSIONS: {"missions": ["Norland"]},
}


def _grant(s, who, scope, *, ends_on=None, value="granted", given_on=GIVEN, **names):  # type: ignore[no-untyped-def]
    data = {"scope": scope, "value": value, "given_on": given_on}
    if value == "granted":
        data |= names or NAMED.get(scope, {})
    if ends_on is not None:
        data["ends_on"] = ends_on
    return consent.record_decision(s, who, data, today=FROZEN_DAY)


@pytest.mark.parametrize("scope", ACTION_SCOPES)
def test_the_gate_checks_the_consent_of_the_actions_kind_only(opened: vault.Vault, scope: ConsentScope) -> None:
    """Every other kind granted opens nothing: the guidelines' consent "before taking any
    actions on their behalf" is asked for this kind of action."""
    with opened.store.session() as s:
        case, (who,) = _case(s)
        for other in ACTION_SCOPES:
            if other != scope:
                _grant(s, who, other)
        action = threats.add_action(s, case, {"title": "Act", "on_behalf": True, "consent_scope": scope})
        assert action.consent_scope == scope
        with pytest.raises(ValidationError, match=r"Wren-0's consent .*\(none recorded\) for "):
            threats.update_action(s, action, {"status": "doing"})
        granted = _grant(s, who, scope)
        threats.update_action(s, action, {"status": "doing"})
        assert action.consent_record_id == granted.id


def test_a_referral_needs_the_referral_consent_and_an_action_defaults_to_a_demarche(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, (who,) = _case(s)
        _grant(s, who, ConsentScope.PRIVATE_DEMARCHE)
        referral = threats.add_referral(
            s, case, {"resource_id": "lifeline", "purpose": "medical", "shared": ["identity"]}
        )
        with pytest.raises(ValidationError, match="for referral to a resource"):
            threats.update_referral(s, referral, {"status": "sent"})
        _grant(s, who, ConsentScope.REFERRAL)
        threats.update_referral(s, referral, {"status": "sent"})
        # Said nothing about its kind: a private démarche; not on their behalf: none.
        plain = threats.add_action(s, case, {"title": "Call the ministry", "on_behalf": True})
        own = threats.add_action(s, case, {"title": "Read", "on_behalf": False, "consent_scope": "referral"})
        assert (plain.consent_scope, own.consent_scope) == (ConsentScope.PRIVATE_DEMARCHE, None)
        with pytest.raises(ValidationError, match="consent_scope: an action on their behalf is one of"):
            threats.add_action(s, case, {"title": "x", "on_behalf": True, "consent_scope": "naming"})


def test_an_end_date_is_the_last_day_the_consent_holds(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, (who,) = _case(s)
        action = threats.add_action(
            s, case, {"title": "Statement", "on_behalf": True, "consent_scope": "public_statement"}
        )
        _grant(s, who, ConsentScope.PUBLIC_STATEMENT, ends_on=FROZEN_DAY - timedelta(days=1))  # ended yesterday
        entries = threats.consents(s, case.id, today=FROZEN_DAY)
        assert threats.action_consent(action, entries) == "EXPIRED"
        with pytest.raises(ValidationError, match=rf"\(EXPIRED on {FROZEN_DAY - timedelta(days=1)}\)"):
            threats.update_action(s, action, {"status": "doing"})
        _grant(s, who, ConsentScope.PUBLIC_STATEMENT, ends_on=FROZEN_DAY, given_on=GIVEN + timedelta(days=1))
        assert threats.action_consent(action, threats.consents(s, case.id, today=FROZEN_DAY)) == "ok"  # last day
        assert threats.action_consent(action, threats.consents(s, case.id, today=FROZEN_DAY + timedelta(1))) == (
            "EXPIRED"
        )
        threats.update_action(s, action, {"status": "doing"})  # the frozen day is its last day: it holds
        # Only a grant ends; and not before it was given.
        with pytest.raises(ValidationError, match="ends_on: only a granted consent has an end date"):
            _grant(s, who, ConsentScope.REFERRAL, value="refused", ends_on=FROZEN_DAY)
        with pytest.raises(ValidationError, match="ends_on: ends before it was given"):
            _grant(s, who, ConsentScope.REFERRAL, ends_on=GIVEN - timedelta(days=1))
        with pytest.raises(ValidationError, match="scope: consent is now given for each kind of action"):
            _grant(s, who, ConsentScope.ACT_ON_BEHALF)


def test_a_withdrawal_stops_what_is_not_yet_done_and_done_stays_done(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, (who,) = _case(s)
        granted = _grant(s, who, ConsentScope.PRIVATE_DEMARCHE)
        done = threats.add_action(s, case, {"title": "Raised with the ministry", "on_behalf": True})
        threats.update_action(s, done, {"status": "done"})
        doing = threats.add_action(s, case, {"title": "Follow up with the prosecutor", "on_behalf": True})
        threats.update_action(s, doing, {"status": "doing"})
        planned = threats.add_action(s, case, {"title": "Ask the governor", "on_behalf": True})
        other = threats.add_action(s, case, {"title": "Refer", "on_behalf": True, "consent_scope": "referral"})
        _grant(s, who, ConsentScope.PRIVATE_DEMARCHE, value="withdrawn", given_on=FROZEN_DAY)
        entries = threats.consents(s, case.id, today=FROZEN_DAY)
        words = {a.title: threats.action_consent(a, entries) for a in (done, doing, planned, other)}
        assert words == {
            "Raised with the ministry": "ok",  # done on the consent it rested on then
            "Follow up with the prosecutor": "WITHDRAWN",
            "Ask the governor": "WITHDRAWN",
            "Refer": "MISSING",  # another kind: never consented to
        }
        assert done.consent_record_id == granted.id and done.status == ActionStatus.DONE
        with pytest.raises(ValidationError, match=r"\(WITHDRAWN on 2026-11-28\)"):
            threats.update_action(s, doing, {"status": "done"})  # under way: cannot be finished now
        with pytest.raises(ValidationError, match="WITHDRAWN"):
            threats.update_action(s, planned, {"status": "doing"})
        threats.update_action(s, done, {"note": "Answer promised."})  # a note on what was done is fine
        texts = [e.text for e in threats.timeline(s, case.id)]
        stop = next(t for t in texts if t.startswith("Consent withdrawn by Wren-0"))
        assert "raising privately with the authorities" in stop
        assert "Follow up with the prosecutor; Ask the governor" in stop and "Raised with the ministry" not in stop


def test_the_emergency_rule_leaves_a_follow_up_to_tell_the_defender(opened: vault.Vault) -> None:
    """Acting without consent is the mission's own rule (not the guidelines'): the defender is told after."""
    with opened.store.session() as s:
        case, (ana, bo) = _case(s, people=2)
        _grant(s, ana, ConsentScope.PUBLIC_STATEMENT)  # Bo has not consented
        action = threats.add_action(
            s, case, {"title": "Issue a statement", "on_behalf": True, "consent_scope": "public_statement"}
        )
        why = "Bo is held incommunicado; a statement now may stop a transfer."
        threats.update_action(s, action, {"status": "doing", "emergency_justification": why})
        threats.update_action(s, action, {"status": "done"})  # moved on again: still one follow-up
        rows = s.exec(select(FollowUp)).all()
        assert [r.contact_id for r in rows] == [bo.id]  # Ana consented: nothing to tell her after
        (follow_up,) = rows
        assert follow_up.due_on == FROZEN_DAY + timedelta(days=consent.TELL_AFTER_DAYS)
        assert "without their consent, and why: Issue a statement" in follow_up.description
        assert why in follow_up.description
        assert [f.id for f in contacts.follow_ups_of(s, bo.id)] == [follow_up.id]


def test_the_templates_say_which_consent_each_planned_action_needs(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case = threats.open_case(
            s, {"title": "Case", "opened_on": GIVEN}, [contacts.create_contact(s, {"name": "A"})], ["intimidation"]
        )
        needs = {a.template_item: a.consent_scope for a in threats.actions_of(s, case.id)}
    assert needs["threat-immediate:public-statement"] == ConsentScope.PUBLIC_STATEMENT
    assert needs["threat-immediate:attend-proceedings"] == ConsentScope.TRIAL_ATTENDANCE
    assert needs["threat-immediate:referral-emergency-assistance"] == ConsentScope.REFERRAL
    assert needs["threat-immediate:coordinate-like-minded"] == ConsentScope.SHARE_WITH_MISSIONS
    assert needs["threat-immediate:contact-host-government"] == ConsentScope.PRIVATE_DEMARCHE
    assert needs["threat-immediate:credible-sources"] is None  # not on their behalf
    text = 'schema = 1\nid = "t"\nversion = 1\ntitle = "T"\nsection = "S"\n[[item]]\nid = "a"\ntext = "A"\nguidance = "G"\n'
    with pytest.raises(templates.TemplateError, match="'consent_scope' must be one of private_demarche"):
        templates.parse(text + 'consent_scope = "naming"\n', "x.toml")


def test_the_trial_says_whether_each_defendant_consented_to_the_embassy_attending(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Ana", "codename": "Wren-0"})
        trial_id = trials.create_trial(s, {"title": "State v. Ana"}, [ana]).id
    assert trials.trial_view(opened.store, trial_id).attendance == (("Wren-0", "MISSING"),)
    with opened.store.session() as s:
        _grant(s, s.get(Contact, ana.id), ConsentScope.TRIAL_ATTENDANCE, ends_on=FROZEN_DAY - timedelta(days=1))
    assert trials.trial_view(opened.store, trial_id).attendance == (("Wren-0", "EXPIRED"),)
    with opened.store.session() as s:
        _grant(s, s.get(Contact, ana.id), ConsentScope.TRIAL_ATTENDANCE, given_on=FROZEN_DAY)
    assert trials.trial_view(opened.store, trial_id).attendance == (("Wren-0", "ok"),)


def test_a_referral_consent_names_the_resources_and_lists_what_may_be_shared(opened: vault.Vault) -> None:
    """Issue 18: consent to "refer them to a named resource, listing what is shared". A
    grant names both; the gate lets a referral through only to a named resource, sharing
    no more than the grant lists; anything else asks again (or the emergency rule)."""
    with opened.store.session() as s:
        case, (who,) = _case(s)
        for names, refusal in (
            ({"shared": ["identity"]}, "resource_ids: name the resources they agreed to be referred to"),
            ({"resource_ids": ["lifeline"]}, "shared: list what may be shared with them"),
            ({"resource_ids": ["nowhere"], "shared": ["identity"]}, "resource_ids: no resource 'nowhere'"),
            ({"resource_ids": ["lifeline"], "shared": ["passwords"]}, "shared: not something the app knows"),
            ({"resource_ids": ["lifeline"], "shared": ["identity"], "missions": ["Norland"]}, "missions: only"),
        ):
            with pytest.raises(ValidationError, match=refusal):
                _grant(s, who, ConsentScope.REFERRAL, **names)
        with pytest.raises(ValidationError, match="resource_ids: a refused decision covers all resources"):
            consent.record_decision(
                s,
                who,
                {"scope": "referral", "value": "refused", "given_on": GIVEN, "resource_ids": ["lifeline"]},
                today=FROZEN_DAY,
            )
        granted = _grant(
            s, who, ConsentScope.REFERRAL, resource_ids=["lifeline", "lifeline", " "], shared=["identity", "case_facts"]
        )
        assert (granted.resource_ids, granted.shared) == (["lifeline"], ["identity", "case_facts"])  # cleaned
        assert contacts.consent_names(s, granted) == (
            "resources: Lifeline Embattled CSO Assistance Fund; may share: name and identity, "
            "what happened: the threats and the case"
        )

        def send(resource: str, shared: list[str]):  # type: ignore[no-untyped-def]
            referral = threats.add_referral(s, case, {"resource_id": resource, "purpose": "medical", "shared": shared})
            return threats.update_referral(s, referral, {"status": "sent"})

        with pytest.raises(ValidationError, match="shared: say what this referral passes on about them"):
            send("lifeline", [])
        with pytest.raises(ValidationError, match=r"Wren-0's consent .*granted on .*, but not for Freedom House"):
            send("freedom-house", ["identity"])
        with pytest.raises(ValidationError, match="but not to share health and medical needs"):
            send("lifeline", ["identity", "health"])
        sent = send("lifeline", ["case_facts"])
        assert sent.consent_record_id == granted.id
        with pytest.raises(ValidationError, match="shared: cannot change once sent"):
            threats.update_referral(s, sent, {"shared": ["identity", "health"]})
        # Beyond the consent, the mission's emergency rule stands in, and the defender is told.
        referral = threats.add_referral(
            s, case, {"resource_id": "freedom-house", "purpose": "relocation", "shared": ["identity"]}
        )
        justified = threats.update_referral(
            s,
            referral,
            {"status": "sent", "shared": ["whereabouts"], "emergency_justification": "Raid expected tonight."},
        )
        assert justified.consent_record_id is None
        told = s.exec(select(FollowUp).where(FollowUp.contact_id == who.id)).all()
        assert [f.description.split(": ")[1].split(" (")[0] for f in told] == [
            "referral to Freedom House emergency assistance"
        ]


def test_sharing_with_missions_names_them_and_a_coordination_says_who_was_not_named(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        case, (wren, kite) = _case(s, people=2)
        _grant(s, wren, ConsentScope.SHARE_WITH_MISSIONS, missions=["Norland", "United Kingdom", "norland"])
        with pytest.raises(ValidationError, match="missions: name the missions they agreed to"):
            _grant(s, kite, ConsentScope.SHARE_WITH_MISSIONS, missions=[" "])
        _grant(s, kite, ConsentScope.SHARE_WITH_MISSIONS, missions=["UK"])
        assert [r.missions for r in (contacts.current_consent(s, wren.id, ConsentScope.SHARE_WITH_MISSIONS),)] == [
            ["Norland", "United Kingdom"]
        ]

        def note(missions: str) -> str:
            entry = threats.add_coordination(s, case, {"missions": missions, "on_date": FROZEN_DAY})
            return next(e.text for e in threats.timeline(s, case.id) if e.ref_id == entry.id)

        # A named mission covers one written more fully, word for word ("UK" is not "Ukraine").
        assert note("Embassy of the United Kingdom and the UK") == (
            "Mission engaged: Embassy of the United Kingdom and the UK (without consent to share the case from "
            "Wren-0: not the UK, Wren-1: not Embassy of the United Kingdom)"
        )
        assert "Wren-0: not Ukraine, Quist" in note("Norland, Ukraine; Quist")
        _grant(s, kite, ConsentScope.SHARE_WITH_MISSIONS, value="withdrawn", given_on=FROZEN_DAY)
        assert "Wren-1)" in note("Norland")  # withdrawn: not consented, whatever it named


def test_what_is_shared_is_checked_on_every_way_in_not_only_the_forms() -> None:
    """A handover bundle is validated by base.validate, not by the consent form: a list of
    what is shared holding something unknown is refused there too (it is JSON, no CHECK)."""
    for model, fields in (
        (ConsentRecord, {"contact_id": "c", "scope": "referral", "value": "granted", "given_on": GIVEN}),
        (Referral, {"case_id": "k", "resource_id": "lifeline", "purpose": "medical"}),
    ):
        with pytest.raises(ValidationError, match="shared: lists something the app does not know to share"):
            base.validate(model, {**fields, "shared": ["identity", "passwords"]})
        assert base.validate(model, {**fields, "shared": ["identity"]}).shared == ["identity"]


def test_mission_names_are_matched_by_their_words_and_a_vague_one_is_refused(opened: vault.Vault) -> None:
    """Word-for-word, what says "a mission" aside: a warning too many rather than one too few."""
    with opened.store.session() as s:
        case, (wren,) = _case(s)
        with pytest.raises(ValidationError, match="missions: name the mission itself, not only 'the Embassy'"):
            _grant(s, wren, ConsentScope.SHARE_WITH_MISSIONS, missions=["Norland", "the Embassy"])
        record = _grant(s, wren, ConsentScope.SHARE_WITH_MISSIONS, missions=["Norland", "United Kingdom"])
        unnamed = {
            text: consent.missions_not_named(record, consent.split_missions(text))
            for text in (
                "Embassy of Norland (Fjord-110)",  # what is in brackets is a note
                "the Embassy of the United Kingdom",
                "Norland-Quist",
                "Norland with Quist",
                "Norland or Quist\nAroha",
                "Norland | Quist",
                "other like-minded missions",
                ",",
            )
        }
    assert unnamed == {
        "Embassy of Norland (Fjord-110)": [],
        "the Embassy of the United Kingdom": [],
        "Norland-Quist": ["Norland-Quist"],
        "Norland with Quist": ["Quist"],
        "Norland or Quist\nAroha": ["Quist", "Aroha"],
        "Norland | Quist": ["Quist"],
        "other like-minded missions": ["other like-minded missions"],
        ",": [","],
    }


def test_a_referral_sent_before_referrals_said_what_they_share_can_still_move_on(opened: vault.Vault) -> None:
    """0009 gives a referral already sent an empty 'shared': it is decided, withdrawn or
    given an outcome without being asked what it shared (it cannot change once sent)."""
    with opened.store.session() as s:
        case, (who,) = _case(s)
        referral = threats.add_referral(
            s,
            case,
            {
                "resource_id": "lifeline",
                "purpose": "medical",
                "status": "sent",
                "shared": ["identity"],
                "emergency_justification": "Urgent.",
            },
        )
        referral.shared = []  # as migration 0009 leaves one sent before it
        s.flush()
        threats.update_referral(s, referral, {"outcome": "They called back."})
        threats.update_referral(s, referral, {"status": "withdrawn"})
        assert referral.shared == [] and referral.outcome == "They called back."


def test_what_a_sent_referral_shares_is_the_same_in_any_order(opened: vault.Vault) -> None:
    """The form lists what is shared sorted; the services keep one order: saving a sent
    referral with the same items in another order changes nothing and is not refused."""
    with opened.store.session() as s:
        case, (who,) = _case(s)
        _grant(s, who, ConsentScope.REFERRAL, resource_ids=["lifeline"], shared=["documents", "identity"])
        referral = threats.add_referral(
            s, case, {"resource_id": "lifeline", "purpose": "medical", "shared": ["documents", "identity"]}
        )
        threats.update_referral(s, referral, {"status": "sent"})
        assert referral.shared == ["identity", "documents"]  # vocab.SharedInfo's order
        threats.update_referral(s, referral, {"shared": ["documents", "identity"], "status": "under_review"})
        with pytest.raises(ValidationError, match="shared: cannot change once sent"):
            threats.update_referral(s, referral, {"shared": ["identity"]})


def test_a_consent_decision_with_no_known_scope_is_refused_under_its_field(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        _, (who,) = _case(s)
        for scope in (None, "everything", ["referral"]):
            with pytest.raises(ValidationError, match="scope: choose what the consent is for"):
                consent.record_decision(s, who, {"scope": scope, "value": "granted", "given_on": GIVEN}, today=GIVEN)
        with pytest.raises(ValidationError, match="ends_on: a day"):
            _grant(s, who, ConsentScope.PRIVATE_DEMARCHE, ends_on="2026-12-31")
