"""Services on the real encrypted store: validation, constraints in the schema, history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import FROZEN_DAY
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.errors import ConstraintViolation, ValidationError
from hrd_tui.models import CaseAction, Contact, RecordVersion
from hrd_tui.services import base, checklists, contacts, drafts, threats, trials
from hrd_tui.vocab import ActionStatus, ItemStatus, NoteTag, RiskLevel


def test_validation_reports_every_bad_field_and_writes_nothing(opened: vault.Vault) -> None:
    with pytest.raises(ValidationError) as exc:
        with opened.store.session() as s:
            contacts.create_contact(s, {"name": "   ", "kind": "spy", "cadence_days": 0, "colour": "red"})
    assert set(exc.value.errors) == {"colour"}  # unknown fields are refused first
    with pytest.raises(ValidationError) as exc:
        with opened.store.session() as s:
            contacts.create_contact(s, {"name": "   ", "kind": "spy", "cadence_days": 0})
    assert set(exc.value.errors) == {"name", "kind", "cadence_days"}
    assert exc.value.errors["name"] == "must not be blank"
    with pytest.raises(ValidationError) as exc:
        with opened.store.session() as s:
            contacts.create_contact(s, {"name": "Valid"}, ["labour", "astrology", "palmistry"])
    assert exc.value.errors == {"focus_areas": "unknown value(s): astrology, palmistry"}
    with opened.store.session() as s:
        assert contacts.list_contacts(s) == []


def test_codename_is_generated_and_unique(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        a = contacts.create_contact(s, {"name": "A"})
        assert a.codename
        with pytest.raises(ValidationError, match="already used"):
            contacts.create_contact(s, {"name": "B", "codename": a.codename})


def test_schema_enforces_the_consent_gate_even_without_services(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        defender = contacts.create_contact(s, {"name": "Defender"})
        case = threats.open_case(s, {"title": "Threats after land protest"}, [defender], ["intimidation"])
        case_id = case.id
    with pytest.raises(ConstraintViolation, match="ck_case_action_consent_gate"):
        with opened.store.session() as s:
            s.add(CaseAction(case_id=case_id, title="Public statement", on_behalf=True, status=ActionStatus.DONE))
            s.flush()


def test_consent_gate_in_the_service(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        defender = contacts.create_contact(s, {"name": "Defender"})
        case = threats.open_case(s, {"title": "Case"}, [defender])
        action = threats.add_action(s, case, {"title": "Contact host government", "on_behalf": True})
        with pytest.raises(ValidationError, match="consent to act on their behalf .none recorded."):
            threats.set_action_status(s, action, ActionStatus.DOING)
        threats.set_action_status(
            s, action, ActionStatus.DOING, emergency_justification="Detained; no way to reach them"
        )
        contacts.record_consent(
            s, defender, {"scope": "private_demarche", "value": "granted", "given_on": FROZEN_DAY, "how": "in person"}
        )
        second = threats.add_action(s, case, {"title": "Issue statement", "on_behalf": True, "status": "done"})
        assert second.consent_record_id is not None
        third = threats.add_action(s, case, {"title": "Attend hearing", "on_behalf": True})
        threats.set_action_status(s, third, ActionStatus.DONE)
        assert third.consent_record_id is not None and third.done_on == FROZEN_DAY


def test_foreign_keys_are_enforced(opened: vault.Vault) -> None:
    with pytest.raises(ConstraintViolation, match="FOREIGN KEY"):
        with opened.store.session() as s:
            s.add(CaseAction(case_id="no-such-case", title="x"))
            s.flush()


def test_risk_levels() -> None:
    assert threats.risk_level(1, 1, 5) == RiskLevel.LOW
    assert threats.risk_level(3, 3, 3) == RiskLevel.MEDIUM
    assert threats.risk_level(4, 4, 2) == RiskLevel.HIGH
    assert threats.risk_level(5, 5, 1) == RiskLevel.CRITICAL


def test_every_edit_keeps_the_previous_version_and_deletes_leave_a_tombstone(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        c = contacts.create_contact(s, {"name": "First Name"})
    with opened.store.session() as s:
        c = base.get(s, Contact, c.id)
        contacts.update_contact(s, c, {"name": "Second Name"})
    with opened.store.session() as s:
        contacts.delete_contact(s, base.get(s, Contact, c.id))
    with opened.store.session() as s:
        versions = s.exec(select(RecordVersion).where(RecordVersion.entity_id == c.id).order_by(RecordVersion.id)).all()
    assert [(v.data["name"], v.deleted) for v in versions] == [("First Name", False), ("Second Name", True)]


def test_interaction_updates_last_contact_and_overdue_rule(opened: vault.Vault) -> None:
    today = date(2026, 6, 1)
    with opened.store.session() as s:
        c = contacts.create_contact(s, {"name": "Cadence", "cadence_days": 30})
        assert contacts.is_overdue(c, today)  # never contacted
        when = datetime(2026, 5, 10, 10, 0, tzinfo=UTC)
        contacts.log_interaction(
            s,
            {"kind": "meeting", "occurred_at": when, "summary": "met"},
            [c],
            [{"description": "send contacts of lawyer", "due_on": date(2026, 5, 20)}],
        )
        assert c.last_contact_on == date(2026, 5, 10)
        assert not contacts.is_overdue(c, today)
        assert contacts.is_overdue(c, today + timedelta(days=10))


def test_trial_notes_shorthand_and_corrections_keep_the_original(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        trial = trials.create_trial(s, {"title": "State v. Doe"})
        hearing = trials.add_hearing(s, trial, {"starts_at": datetime(2026, 6, 1, 9, 30, tzinfo=UTC)})
        note = trials.add_note(s, hearing, "t: the witness retracted")
        fixed = trials.correct_note(s, note, "t: the witness partly retracted")
        assert (note.tag, note.text) == (NoteTag.TESTIMONY, "the witness retracted")
        assert fixed.corrects_id == note.id
        assert [n.text for n in trials.notes_of(s, hearing.id)][0] == "the witness retracted"
        with pytest.raises(ValidationError):
            trials.add_note(s, hearing, "   ")


def test_checklist_run_from_the_shipped_template(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        run = checklists.start_run(s, "fair-trial")
        template = checklists.latest_template(s, "fair-trial")
        assert len(template.items) == 20
        first = template.items[0]["id"]
        checklists.set_item(s, run, first, ItemStatus.DONE, note="charges read in Veridian")
        assert run.current_item == first


def test_drafts_round_trip(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        drafts.save(s, "note:1", "half a line")
    with opened.store.session() as s:
        assert drafts.load(s, "note:1") == "half a line"
        drafts.discard(s, "note:1")
    with opened.store.session() as s:
        assert drafts.load(s, "note:1") is None


def test_deleting_a_contact_leaves_a_tombstone_for_everything_it_takes_with_it(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        c = contacts.create_contact(s, {"name": "Leaving"}, ["labour"])
        other = contacts.create_contact(s, {"name": "Staying"})
        contacts.add_channel(s, c, {"kind": "signal", "handle": "@leaving", "preferred": True})
        contacts.record_consent(s, c, {"scope": "naming", "value": "never", "given_on": FROZEN_DAY})
        contacts.relate(s, {"from_contact_id": other.id, "to_contact_id": c.id, "kind": "works_with"})
        case = threats.open_case(s, {"title": "Case"}, [other])
        threats.add_source(s, case, {"description": "told us", "contact_id": c.id})
        cid = c.id
    with opened.store.session() as s:
        contacts.delete_contact(s, base.get(s, Contact, cid))
    with opened.store.session() as s:
        gone = {
            (v.entity, v.deleted)
            for v in s.exec(select(RecordVersion).where(RecordVersion.changed_at.is_not(None)))
            if v.deleted
        }
        assert {e for e, _ in gone} >= {
            "contact",
            "secure_channel",
            "consent_record",
            "contact_relationship",
            "contact_focus_area",
        }
        nulled = [v for v in s.exec(select(RecordVersion).where(RecordVersion.entity == "source")) if not v.deleted]
        assert nulled and nulled[-1].data["contact_id"] == cid  # the source keeps its earlier version


def test_a_record_is_found_by_the_start_of_its_id_and_an_ambiguous_start_is_refused(opened: vault.Vault) -> None:
    from hrd_tui.errors import NotFound
    from hrd_tui.models import ThreatCase

    with opened.store.session() as s:
        defender = contacts.create_contact(s, {"name": "Defender"})
        ids = [
            threats.open_case(s, {"id": f"5a5a{tail * 28}", "title": f"Case {tail}"}, [defender], plan=False).id
            for tail in ("0", "1")
        ]
        assert base.resolve_id(s, ThreatCase, ids[0]) == ids[0]
        assert base.resolve_id(s, ThreatCase, " 5A5A1111 ") == ids[1]  # as reports cite it, any case
        with pytest.raises(
            ValidationError,
            match="'5a5a' is ambiguous: it starts the ids of several threat cases "
            r"\(5a5a0000, 5a5a1111\); give more characters",
        ):
            base.resolve_id(s, ThreatCase, "5a5a", "ID")
        with pytest.raises(NotFound, match="No threat case with id 5a5b."):
            base.resolve_id(s, ThreatCase, "5a5b")
        for odd in ("5a5", "5a5a%", "5a5a_", ""):  # too short, or what SQL would read as a pattern
            with pytest.raises(NotFound):
                base.resolve_id(s, ThreatCase, odd)
        assert base.ids_starting(s, ThreatCase, "5A5A0") == [ids[0]]
