"""The contact services' tx-taking functions a screen calls (issue 17: screens hold no
session): each opens its own transaction and returns plain values, never an ORM instance
that would outlive its session."""

from __future__ import annotations

import dataclasses
from typing import Any

from conftest import FROZEN_DAY
from sqlmodel import SQLModel

from hrd_tui.services import contact_list, contacts


def plain(value: Any, *, frozen: bool = True) -> None:
    """No ORM instance anywhere in ``value`` (dataclass fields, lists, tuples, dicts); with
    ``frozen``, every dataclass in it is a frozen view."""
    assert not isinstance(value, SQLModel), value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        assert not frozen or type(value).__dataclass_params__.frozen, type(value)  # type: ignore[attr-defined]
        for f in dataclasses.fields(value):
            plain(getattr(value, f.name), frozen=frozen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            plain(item, frozen=frozen)
    elif isinstance(value, dict):
        for key, item in value.items():
            plain(key, frozen=frozen)
            plain(item, frozen=frozen)


def test_read_page_is_one_page_of_plain_rows(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        for n in range(3):
            contacts.create_contact(s, {"name": f"Person {n}", "codename": f"Kite-{n}"})
    page = contact_list.read_page(opened.store, contact_list.ContactFilter(query="Person"), today=FROZEN_DAY, limit=2)
    assert page.total == 3 and [r.codename for r in page.rows] == ["Kite-0", "Kite-1"]
    for row in page.rows:
        plain(row)


def test_read_detail_is_everything_the_detail_shows_as_plain_values(opened) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from hrd_tui.services import threats, trials

    with opened.store.session("t") as s:
        dana = contacts.create_contact(s, {"name": "Dana Quill", "codename": "Wren-1", "languages": ["fr"]}, ["lgbtqi"])
        eve = contacts.create_contact(s, {"name": "Eve Stone", "codename": "Wren-2"})
        contacts.add_channel(s, dana, {"kind": "signal", "handle": "+100", "preferred": True})
        contacts.record_consent(s, dana, {"scope": "naming", "value": "named", "given_on": FROZEN_DAY})
        contacts.relate(s, {"from_contact_id": eve.id, "to_contact_id": dana.id, "kind": "member_of"})
        contacts.log_interaction(
            s,
            {"kind": "meeting", "summary": "Met at the office", "occurred_at": datetime(2026, 1, 5, 9, 0, tzinfo=UTC)},
            [dana],
            [{"description": "Send the letter", "due_on": FROZEN_DAY + timedelta(days=3)}],
        )
        threats.open_case(s, {"title": "Detention of Dana Quill", "opened_on": FROZEN_DAY}, [dana], plan=False)
        trials.create_trial(s, {"title": "State v. Quill"}, [dana])
        dana_id = dana.id

    d = contacts.read_detail(opened.store, dana_id)
    plain(d)
    assert (d.contact.name, d.contact.codename, d.contact.languages) == ("Dana Quill", "Wren-1", ("fr",))
    assert [a.value for a in d.focus_areas] == ["lgbtqi"]
    assert [(ch.handle, ch.preferred) for ch in d.channels] == [("+100", True)]
    assert [(c.scope.value, c.value.value) for c in d.consents] == [("naming", "named")]
    assert d.in_force()[d.consents[0].scope] is d.consents[0]
    (rel,) = d.relationships
    assert (rel.outgoing, rel.other.codename, rel.other.who(True), rel.from_contact_id) == (
        False,
        "Wren-2",
        "Wren-2",
        rel.other.id,
    )
    assert [it.summary for it in d.interactions] == ["Met at the office"]
    assert [f.description for f in d.follow_ups] == ["Send the letter"]
    (case,) = d.cases
    assert (case.title, case.discreet_label) == ("Detention of Dana Quill", "Case of Wren-1")
    assert [t.title for t in d.trials] == ["State v. Quill"]
    assert contacts.read_person(opened.store, dana_id).who(False) == "Dana Quill (Wren-1)"


def test_a_form_reads_and_saves_through_its_own_transaction(opened) -> None:  # type: ignore[no-untyped-def]
    contact_id = contacts.save_contact(
        opened.store, None, {"name": "Fay", "codename": "Lark-1", "focus_areas": ["lgbtqi"]}
    )
    other_id = contacts.save_contact(opened.store, None, {"name": "Gus", "codename": "Lark-2"})
    values = contacts.contact_values(opened.store, contact_id)
    plain(values)
    assert (values["name"], values["focus_areas"]) == ("Fay", ["lgbtqi"])
    contacts.save_contact(opened.store, contact_id, {"role": "editor", "focus_areas": []})
    assert contacts.contact_values(opened.store, contact_id)["focus_areas"] == []

    it_id = contacts.log_contact_interaction(
        opened.store, contact_id, {"summary": "Call", "kind": "call", "others": ["Lark-2"]}
    )
    values = contacts.interaction_values(opened.store, it_id, contact_id)
    plain(values)
    assert (values["summary"], values["others"]) == ("Call", ["Lark-2"])

    channel_id = contacts.add_contact_channel(opened.store, contact_id, {"kind": "signal", "handle": "@fay"})
    values = contacts.channel_values(opened.store, channel_id)
    plain(values)
    assert values["handle"] == "@fay"

    rel_id = contacts.relate_to_codename(opened.store, contact_id, {"kind": "member_of", "other": "Lark-2"})
    values = contacts.relationship_values(opened.store, rel_id)
    plain(values)
    assert (values["other"], values["to_contact_id"]) == ("Lark-2", other_id)
    assert contacts.read_interaction_links(opened.store, it_id) == (2, 0)


def test_an_import_is_previewed_then_written_each_in_its_own_transaction(opened, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hrd_tui.services import contact_io

    contacts.save_contact(opened.store, None, {"name": "Hana", "codename": "Moth-1"})
    path = tmp_path / "people.csv"
    path.write_text("codename,name\nMoth-1,Hana\nMoth-2,Ivo\n", encoding="utf-8")
    plan = contact_io.preview_file(opened.store, path)
    plain(plan, frozen=False)  # the plan is plain data the screen keeps until it is written
    assert [(r.data["codename"], r.is_duplicate) for r in plan.rows] == [("Moth-1", True), ("Moth-2", False)]
    result = contact_io.import_planned(opened.store, plan, "skip")
    assert (result.created, result.skipped) == (1, 1)
    page = contact_list.read_page(opened.store, today=FROZEN_DAY)
    assert [r.codename for r in page.rows] == ["Moth-1", "Moth-2"]
