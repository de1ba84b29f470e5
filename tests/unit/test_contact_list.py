"""The contact list service: the overdue rule, risk from open cases, sorting,
filters and paging; the today lists; the record of what changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import FROZEN_DAY

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.services import contact_list, contacts, history, threats, today
from hrd_tui.services.contact_list import ContactFilter
from hrd_tui.vocab import ContactKind, FocusArea, RiskLevel

DAY = FROZEN_DAY


def add(session, name: str, codename: str, **fields):  # type: ignore[no-untyped-def]
    areas = fields.pop("areas", [])
    return contacts.create_contact(session, {"name": name, "codename": codename, **fields}, areas)


def test_overdue_counts_from_the_last_real_contact_not_the_planned_follow_up(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        due = add(
            s,
            "Due",
            "A-1",
            cadence_days=30,
            last_contact_on=DAY - timedelta(days=31),
            next_follow_up_on=DAY + timedelta(days=5),
        )  # a planned follow-up does not count as contact
        edge = add(s, "Edge", "A-2", cadence_days=30, last_contact_on=DAY - timedelta(days=30))  # due today: not late
        never = add(s, "Never", "A-3", cadence_days=30)  # a cadence and no contact ever: overdue
        add(s, "No cadence", "A-4", last_contact_on=DAY - timedelta(days=900))
        assert [contacts.is_overdue(c, DAY) for c in (due, edge, never)] == [True, False, True]
        page = contact_list.page(s, ContactFilter(overdue=True), today=DAY)
        assert [r.name for r in page.rows] == ["Due", "Never"] and page.total == 2
        # Logging an interaction is real contact: no longer overdue.
        contacts.log_interaction(s, {"kind": "call", "occurred_at": wallclock.now()}, [due])
        assert [r.name for r in contact_list.page(s, ContactFilter(overdue=True), today=DAY).rows] == ["Never"]


def test_risk_is_the_latest_assessment_of_open_cases_only(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = add(s, "Ana", "R-1")
        boris = add(s, "Boris", "R-2")
        add(s, "Chen", "R-3")
        case = threats.open_case(s, {"title": "Threats after the march", "opened_on": DAY}, [ana])
        threats.assess_risk(
            s, case, {"assessed_on": DAY - timedelta(days=10), "threat": 5, "vulnerability": 5, "capacity": 1}
        )
        threats.assess_risk(s, case, {"assessed_on": DAY, "threat": 2, "vulnerability": 2, "capacity": 4})  # lower now
        closed = threats.open_case(s, {"title": "Old case", "opened_on": DAY - timedelta(days=400)}, [boris])
        threats.assess_risk(
            s, closed, {"assessed_on": DAY - timedelta(days=399), "threat": 5, "vulnerability": 5, "capacity": 1}
        )
        threats.close_case(s, closed, "Resolved", DAY - timedelta(days=300))
        rows = {r.name: r for r in contact_list.page(s, today=DAY).rows}
        assert rows["Ana"].risk == RiskLevel.LOW and rows["Ana"].open_cases == 1
        assert rows["Boris"].risk is None and rows["Boris"].open_cases == 0  # closed cases do not count
        assert [r.name for r in contact_list.page(s, ContactFilter(min_risk=RiskLevel.LOW), today=DAY).rows] == ["Ana"]
        assert contact_list.page(s, ContactFilter(min_risk=RiskLevel.MEDIUM), today=DAY).total == 0
        assert [r.name for r in contact_list.page(s, today=DAY, sort="risk", descending=True).rows][0] == "Ana"


def test_sort_by_every_column_and_discreet_sorts_by_codename(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        add(
            s,
            "Zoe",
            "Alpha-1",
            kind="defender",
            last_contact_on=DAY - timedelta(days=1),
            areas=["labour"],
            next_follow_up_on=DAY,
        )
        add(
            s, "Adam", "Zulu-9", kind="lawyer", last_contact_on=DAY - timedelta(days=9), areas=["women_girls", "lgbtqi"]
        )
        add(s, "émile", "Mike-5", kind="journalist")

        def order(**kw) -> list[str]:  # type: ignore[no-untyped-def]
            return [r.name for r in contact_list.page(s, today=DAY, **kw).rows]

        assert order() == ["Adam", "émile", "Zoe"]  # case-insensitive, accents after plain letters
        assert order(discreet=True) == ["Zoe", "émile", "Adam"]  # Alpha, Mike, Zulu
        assert order(sort="kind") == ["Zoe", "émile", "Adam"]  # defender, journalist, lawyer
        assert order(sort="last_contact", descending=True) == ["Zoe", "Adam", "émile"]
        assert order(sort="next_follow_up") == ["Zoe", "Adam", "émile"]  # a date first, then by name
        assert [r.focus_areas for r in contact_list.page(s, today=DAY).rows][0] == (
            FocusArea.WOMEN_GIRLS,
            FocusArea.LGBTQI,
        )
        assert order(sort="focus") == ["Adam", "Zoe", "émile"]  # women (2nd in the vocabulary), labour (7th), none
        with pytest.raises(ValidationError):
            contact_list.page(s, today=DAY, sort="name; DROP TABLE contact")


def test_filters_combine_and_pages_add_up(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        for n in range(25):
            add(
                s,
                f"Person {n:02d}",
                f"P-{n:02d}",
                kind="defender" if n % 2 else "lawyer",
                areas=["labour"] if n % 3 == 0 else [],
                organisation="Unión Obrera" if n < 5 else None,
            )
        flt = ContactFilter(kind=ContactKind.DEFENDER, focus_area=FocusArea.LABOUR)
        assert [r.name for r in contact_list.page(s, flt, today=DAY).rows] == [
            "Person 03",
            "Person 09",
            "Person 15",
            "Person 21",
        ]
        assert contact_list.page(s, ContactFilter(query="union"), today=DAY).total == 5  # accent-insensitive
        assert contact_list.page(s, ContactFilter(query="un"), today=DAY).total == 5  # short terms: names and orgs
        seen = []
        for offset in range(0, 25, 10):
            page = contact_list.page(s, today=DAY, offset=offset, limit=10)
            assert page.total == 25
            seen += [r.id for r in page.rows]
        assert len(seen) == len(set(seen)) == 25


def test_today_lists_follow_ups_due_within_a_week_latest_first(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = add(s, "Ana", "T-1", cadence_days=7)
        contacts.log_interaction(
            s,
            {"kind": "meeting", "occurred_at": wallclock.now()},
            [ana],
            [
                {"description": "late", "due_on": DAY - timedelta(days=2)},
                {"description": "soon", "due_on": DAY + timedelta(days=7)},
                {"description": "later", "due_on": DAY + timedelta(days=8)},
            ],
        )
        due = today.follow_ups_due(s, DAY)
        assert [d.follow_up.description for d in due] == ["late", "soon"]
        assert due[0].days_late(DAY) == 2 and due[0].contact is not None and due[0].contact.id == ana.id
        contacts.complete_follow_up(s, due[0].follow_up.id, DAY)
        assert [d.follow_up.description for d in today.follow_ups_due(s, DAY)] == ["soon"]


def test_changes_show_each_edit_field_by_field_newest_first(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = add(s, "Ana", "H-1", role="Organiser")
    with opened.store.session("t") as s:
        ana = contacts.base.get(s, contacts.Contact, ana.id)
        contacts.update_contact(s, ana, {"role": "Coordinator"})
    with opened.store.session("t") as s:
        ana = contacts.base.get(s, contacts.Contact, ana.id)
        contacts.update_contact(s, ana, {"role": "Director", "phone": "+1555"})
    with opened.store.session("t") as s:
        ana = contacts.base.get(s, contacts.Contact, ana.id)
        found = [(c.field, c.before, c.after) for c in history.changes(s, ana)]
        assert found == [
            ("role", "Coordinator", "Director"),
            ("phone", None, "+1555"),
            ("role", "Organiser", "Coordinator"),
        ]


def test_blank_codename_on_edit_gets_a_new_one_and_consent_values_fit_their_scope(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = add(s, "Ana", "C-1")
        contacts.update_contact(s, ana, {"codename": "  "})
        assert ana.codename.strip() and ana.codename != "C-1"
        with pytest.raises(ValidationError) as refused:
            contacts.record_consent(s, ana, {"scope": "naming", "value": "granted", "given_on": DAY})
        assert "value" in refused.value.errors
        contacts.record_consent(s, ana, {"scope": "naming", "value": "named", "given_on": DAY})
        contacts.record_consent(s, ana, {"scope": "contact", "value": "granted", "given_on": DAY})
        assert contacts.naming_consent(s, ana.id) == "named"


def test_the_day_of_a_contact_is_the_officers_local_day(opened, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time
    from datetime import datetime, timezone

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        with opened.store.session("t") as s:
            ana = contacts.create_contact(s, {"name": "Ana", "codename": "L-1"})
            evening = datetime(2026, 1, 1, 21, 0, tzinfo=timezone(timedelta(hours=-5)))  # 02:00 UTC on the 2nd
            contacts.log_interaction(s, {"kind": "call", "occurred_at": evening}, [ana])
            assert ana.last_contact_on == date(2026, 1, 1)
            with pytest.raises(ValidationError):
                contacts.log_interaction(s, {"kind": "call", "occurred_at": wallclock.now() + timedelta(days=2)}, [ana])
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
