"""Issue 22, dead ends: the small records around a contact can be corrected. A follow-up
marked done is opened again; an interaction (with who took part), a secure channel and a
relationship are edited or removed; a channel is retired on a day and reinstated. Every
change leaves the earlier version, and every removal its last state, in the history.
On the real encrypted store."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from conftest import FROZEN_DAY
from sqlmodel import select

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.models import FollowUp, Interaction, InteractionParticipant, RecordVersion, Relationship, SecureChannel
from hrd_tui.services import base, contacts, history, today

DAY = FROZEN_DAY


def add(session, name: str, codename: str, **fields):  # type: ignore[no-untyped-def]
    return contacts.create_contact(session, {"name": name, "codename": codename, "kind": "defender", **fields})


def tombstones(session, entity: str) -> list[RecordVersion]:  # type: ignore[no-untyped-def]
    return list(session.exec(select(RecordVersion).where(RecordVersion.entity == entity, RecordVersion.deleted)))


def earlier(session, obj, field: str) -> list[object]:  # type: ignore[no-untyped-def]
    """The field's value in each earlier version, oldest first."""
    return [v.data[field] for v in history.versions(session, type(obj).__tablename__, obj.id) if not v.deleted]


def test_a_follow_up_marked_done_opens_again_and_the_history_keeps_both(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = add(s, "Ana", "H-1")
        contacts.log_interaction(
            s,
            {"kind": "meeting", "occurred_at": wallclock.now()},
            [ana],
            [{"description": "send the list", "due_on": DAY}],
        )
        (due,) = today.follow_ups_due(s, DAY)
        today.complete(s, due.key, DAY)
        assert today.follow_ups_due(s, DAY) == []
        today.reopen(s, due.key, due.due_on)
        (again,) = today.follow_ups_due(s, DAY)
        follow_up = base.get(s, FollowUp, again.key)
        assert follow_up.done_on is None
        assert earlier(s, follow_up, "done_on") == [None, DAY.isoformat()]  # open, then done: both kept
        # A planned follow-up date cleared by mistake is set again.
        contacts.update_contact(s, ana, {"next_follow_up_on": DAY + timedelta(days=2)})
        planned = next(d for d in today.follow_ups_due(s, DAY) if d.follow_up is None)
        today.complete(s, planned.key, DAY)
        assert ana.next_follow_up_on is None
        today.reopen(s, planned.key, planned.due_on)
        assert ana.next_follow_up_on == DAY + timedelta(days=2)


def test_an_interaction_is_corrected_with_who_took_part(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = add(s, "Ana", "H-1", last_contact_on=DAY - timedelta(days=20))
        boris = add(s, "Boris", "C-2", last_contact_on=DAY - timedelta(days=40))
        chen = add(s, "Chen", "A-3")
        it = contacts.log_interaction(
            s, {"kind": "meeting", "occurred_at": wallclock.now(), "summary": "wrong"}, [ana, boris]
        )
        assert boris.last_contact_on == DAY
        three_days_ago = datetime.combine(DAY - timedelta(days=3), time(10, 0)).astimezone()
        contacts.update_interaction(s, it, {"summary": "met at the clinic", "occurred_at": three_days_ago}, [ana, chen])
        assert [c.codename for c in contacts.participants_of(s, it.id)] == ["A-3", "H-1"]
        assert it.summary == "met at the clinic" and earlier(s, it, "summary") == ["wrong"]
        # Boris was not there: his last contact is his own again (none logged: none), the gone row kept.
        assert boris.last_contact_on is None
        assert [v.entity_id for v in tombstones(s, "interaction_participant")] == [f"{it.id}/{boris.id}"]
        assert ana.last_contact_on == DAY - timedelta(days=3) and chen.last_contact_on == DAY - timedelta(days=3)
        with pytest.raises(ValidationError) as err:
            contacts.update_interaction(s, it, {}, [])
        assert "participants" in err.value.errors
        with pytest.raises(ValidationError) as err:
            contacts.update_interaction(s, it, {"occurred_at": wallclock.now() + timedelta(days=1)})
        assert "occurred_at" in err.value.errors


def test_an_interaction_removed_takes_its_follow_ups_and_leaves_tombstones(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = add(s, "Ana", "H-1")
        older = datetime.combine(DAY - timedelta(days=10), time(9, 0)).astimezone()
        contacts.log_interaction(s, {"kind": "call", "occurred_at": older}, [ana])
        it = contacts.log_interaction(
            s,
            {"kind": "meeting", "occurred_at": wallclock.now(), "summary": "by mistake"},
            [ana],
            [{"description": "call back", "due_on": DAY}],
        )
        assert ana.last_contact_on == DAY
        contacts.delete_interaction(s, it)
        assert s.get(Interaction, it.id) is None
        assert s.exec(select(FollowUp)).all() == [] and len(s.exec(select(InteractionParticipant)).all()) == 1
        (gone,) = tombstones(s, "interaction")
        assert gone.data["summary"] == "by mistake"
        assert len(tombstones(s, "follow_up")) == 1 and len(tombstones(s, "interaction_participant")) == 1
        assert ana.last_contact_on == DAY - timedelta(days=10)  # the call before it


def test_a_channel_is_corrected_retired_with_its_day_and_reinstated(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = add(s, "Ana", "H-1")
        signal = contacts.add_channel(s, ana, {"kind": "signal", "handle": "+1555", "preferred": True})
        mail = contacts.add_channel(s, ana, {"kind": "pgp_email", "handle": "a@example.org"})
        contacts.update_channel(s, signal, {"handle": "+15550100", "note": "new number"})
        assert earlier(s, signal, "handle") == ["+1555"]
        # Compromised: retired on a day, no longer preferred (the schema's rule), listed last.
        contacts.retire_channel(s, signal, DAY - timedelta(days=1), DAY)
        assert signal.retired_on == DAY - timedelta(days=1) and not signal.preferred
        assert [c.id for c in contacts.channels(s, ana.id)] == [mail.id, signal.id]
        assert earlier(s, signal, "retired_on")[-1] is None
        with pytest.raises(ValidationError) as err:
            contacts.update_channel(s, signal, {"preferred": True})
        assert "reinstate" in err.value.errors["preferred"]
        with pytest.raises(ValidationError) as err:
            contacts.retire_channel(s, mail, DAY + timedelta(days=1), DAY)
        assert "future" in err.value.errors["retired_on"]
        contacts.reinstate_channel(s, signal)
        contacts.update_channel(s, signal, {"preferred": True})
        contacts.update_channel(s, mail, {"preferred": True})  # one preferred at a time
        assert [c.preferred for c in (signal, mail)] == [False, True]
        contacts.delete_channel(s, signal)
        assert s.get(SecureChannel, signal.id) is None
        (gone,) = tombstones(s, "secure_channel")
        assert gone.data["handle"] == "+15550100"


def test_a_relationship_is_corrected_or_removed(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana, org, other = add(s, "Ana", "H-1"), add(s, "Tierra Viva", "O-1"), add(s, "Luz", "L-1")
        rel = contacts.relate(s, {"from_contact_id": ana.id, "to_contact_id": org.id, "kind": "member_of"})
        contacts.relate(s, {"from_contact_id": ana.id, "to_contact_id": other.id, "kind": "family_of"})
        contacts.update_relationship(s, rel, {"kind": "works_with", "certainty": "confirmed"})
        assert earlier(s, rel, "kind") == ["member_of"]
        with pytest.raises(ValidationError) as err:
            contacts.update_relationship(s, rel, {"to_contact_id": ana.id})
        assert "themselves" in err.value.errors["other"]
        with pytest.raises(ValidationError) as err:
            contacts.update_relationship(s, rel, {"to_contact_id": other.id, "kind": "family_of"})
        assert "already" in err.value.errors["kind"]
        contacts.delete_relationship(s, rel)
        assert s.get(Relationship, rel.id) is None and len(tombstones(s, "contact_relationship")) == 1
