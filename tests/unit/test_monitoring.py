"""Civic-space observations on the real encrypted store: recording with sources and
links (each link checked), editing, the list's filters and search, and the trend per
category per calendar month, window edges included."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from hrd_tui.errors import ValidationError
from hrd_tui.models import CivicObservation, ObservationLink, RecordVersion, Source
from hrd_tui.services import base, contacts, monitoring, threats, trials
from hrd_tui.services.monitoring import ObservationFilter
from hrd_tui.vocab import CivicCategory as Civ
from hrd_tui.vocab import Credibility, Reliability

DAY = date(2026, 11, 28)


def observe(s, on: date, category: Civ, description: str = "Something observed", **kw):  # type: ignore[no-untyped-def]
    sources = kw.pop("sources", ())
    links = kw.pop("links", ())
    return monitoring.add_observation(
        s, {"observed_on": on, "category": category, "description": description, **kw}, sources, links
    )


EVERYTHING = ObservationFilter()


def descriptions(s, flt: ObservationFilter = EVERYTHING, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.description for row in monitoring.list_observations(s, flt, **kw)]


# -- recording -------------------------------------------------------------------------------
def test_an_observation_with_a_source_and_links_to_a_contact_a_case_and_a_trial(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        case = threats.open_case(s, {"title": "Detention", "opened_on": DAY}, [ana], [])
        trial = trials.create_trial(s, {"title": "State v. Ana"}, [ana])
        obs = observe(
            s,
            DAY,
            Civ.ATTACKS_REPRISALS,
            "Organiser arrested after the march",
            location="Riverside",
            sources=[
                {
                    "description": "Defence counsel",
                    "reliability": Reliability.B,
                    "credibility": Credibility.PROBABLY_TRUE,
                }
            ],
            links=[{"contact_id": ana.id}, {"case_id": case.id}, {"trial_id": trial.id}, {"contact_id": ana.id}],
        )  # the same contact twice is one link
        (source,) = monitoring.sources_of(s, obs.id)
        assert source.received_on == DAY and source.reliability == Reliability.B and source.case_id is None
        assert len(monitoring.links_of(s, obs.id)) == 3
        assert [c.codename for c in monitoring.linked_contacts(s, obs.id)] == ["Heron-101"]
        assert obs.location_sensitive is True  # a location is sensitive unless said otherwise
        (row,) = monitoring.list_observations(s)
        assert (row.sources, row.links, row.people) == (1, 3, (("Ana Núñez", "Heron-101"),))


@pytest.mark.parametrize(
    "link, key, message",
    [
        ({}, "links.0", "exactly one"),
        ({"contact_id": "", "case_id": ""}, "links.0", "exactly one"),
        ({"contact_id": "CONTACT", "case_id": "CASE"}, "links.0", "exactly one"),
        ({"contact_id": "0" * 32}, "links.0.contact_id", "no contact"),
        ({"case_id": "0" * 32}, "links.0.case_id", "no threat case"),
        ({"trial_id": "0" * 32}, "links.0.trial_id", "no trial"),
        ({"person": "x"}, "links.0", "unknown field"),
    ],
)
def test_each_link_points_at_exactly_one_existing_record(opened, link, key, message) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("set-up") as s:
        ana = contacts.create_contact(s, {"name": "Ana", "codename": "Heron-101"})
        case = threats.open_case(s, {"title": "Detention", "opened_on": DAY}, [ana], [])
    ids = {"CONTACT": ana.id, "CASE": case.id}
    link = {k: ids.get(v, v) for k, v in link.items()}
    with pytest.raises(ValidationError) as caught, opened.store.session("t") as s:
        observe(s, DAY, Civ.SURVEILLANCE, links=[link])
    assert list(caught.value.errors) == [key] and message in caught.value.errors[key]
    with opened.store.session("t") as s:
        assert s.exec(select(CivicObservation)).all() == []  # nothing half-written


def test_a_bad_source_is_named_by_its_place_and_nothing_is_kept(opened) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught, opened.store.session("t") as s:
        observe(s, DAY, Civ.SURVEILLANCE, sources=[{"description": "ok"}, {"description": ""}])
    assert list(caught.value.errors) == ["sources.1.description"]
    with opened.store.session("t") as s:
        assert s.exec(select(CivicObservation)).all() == [] and s.exec(select(Source)).all() == []


def test_missing_category_and_a_future_day_are_refused_by_field(opened) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught, opened.store.session("t") as s:
        monitoring.add_observation(s, {"observed_on": DAY, "description": "x"})
    assert "category" in caught.value.errors
    with pytest.raises(ValidationError) as caught, opened.store.session("t") as s:
        monitoring.add_observation(
            s, {"observed_on": DAY + timedelta(days=1), "category": Civ.DIALOGUE, "description": "x"}, today=DAY
        )
    assert list(caught.value.errors) == ["observed_on"]


def test_an_edit_keeps_the_earlier_version_and_replaces_the_links(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = contacts.create_contact(s, {"name": "Ana", "codename": "Heron-101"})
        boris = contacts.create_contact(s, {"name": "Boris", "codename": "Cedar-202"})
        case = threats.open_case(s, {"title": "Detention", "opened_on": DAY}, [ana], [])
        obs = observe(s, DAY, Civ.SURVEILLANCE, "First text", links=[{"contact_id": ana.id}, {"case_id": case.id}])
    with opened.store.session("t") as s:
        obs = base.get(s, CivicObservation, obs.id)
        monitoring.update_observation(
            s,
            obs,
            {"description": "Second text", "category": Civ.HACKING_SEIZURE},
            links=[{"contact_id": boris.id}, {"case_id": case.id}],
            new_sources=[{"description": "A second source"}],
        )
    with opened.store.session("t") as s:
        obs = base.get(s, CivicObservation, obs.id)
        assert (obs.description, obs.category) == ("Second text", Civ.HACKING_SEIZURE)
        assert [c.codename for c in monitoring.linked_contacts(s, obs.id)] == ["Cedar-202"]
        assert {link.case_id for link in monitoring.links_of(s, obs.id)} == {case.id, None}
        assert [src.description for src in monitoring.sources_of(s, obs.id)] == ["A second source"]
        versions = s.exec(select(RecordVersion).where(RecordVersion.entity_id == obs.id)).all()
        assert any(v.data.get("description") == "First text" for v in versions)
        gone = s.exec(
            select(RecordVersion).where(RecordVersion.entity == ObservationLink.__tablename__, RecordVersion.deleted)
        ).all()
        assert [v.data.get("contact_id") for v in gone] == [ana.id]  # the dropped link left a tombstone


# -- the list --------------------------------------------------------------------------------
def test_newest_first_and_every_filter(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        observe(s, DAY - timedelta(days=100), Civ.FUNDING_REGISTRATION, "old funding bill")
        observe(s, DAY - timedelta(days=10), Civ.SURVEILLANCE, "spyware on phones")
        observe(s, DAY, Civ.SURVEILLANCE, "followed home")
        observe(s, DAY - timedelta(days=30), Civ.DIALOGUE, "consultation held")
        assert descriptions(s) == ["followed home", "spyware on phones", "consultation held", "old funding bill"]
        assert descriptions(s, ObservationFilter(category=Civ.SURVEILLANCE)) == ["followed home", "spyware on phones"]
        assert descriptions(s, ObservationFilter(start=DAY - timedelta(days=30))) == [
            "followed home",
            "spyware on phones",
            "consultation held",
        ]
        assert descriptions(s, ObservationFilter(end=DAY - timedelta(days=10))) == [
            "spyware on phones",
            "consultation held",
            "old funding bill",
        ]
        assert descriptions(s, ObservationFilter(category=Civ.SURVEILLANCE, start=DAY - timedelta(days=5))) == [
            "followed home"
        ]
        assert descriptions(s, limit=2, offset=1) == ["spyware on phones", "consultation held"]
        assert not ObservationFilter(query="x").active and ObservationFilter(category=Civ.DIALOGUE).active


def test_search_by_description_and_by_a_linked_contact(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        observe(s, DAY, Civ.ATTACKS_REPRISALS, "Organiser detained after the march", links=[{"contact_id": ana.id}])
        observe(s, DAY, Civ.SPURIOUS_LEGAL_ACTION, "Defamation complaints against reporters")
        observe(s, DAY, Civ.ATTACKS_REPRISALS, "Another march dispersed")
        assert descriptions(s, ObservationFilter(query="DEFAMATION")) == ["Defamation complaints against reporters"]
        assert descriptions(s, ObservationFilter(query="nunez")) == ["Organiser detained after the march"]
        assert descriptions(s, ObservationFilter(query="heron march")) == ["Organiser detained after the march"]
        assert descriptions(s, ObservationFilter(query="march", category=Civ.ATTACKS_REPRISALS)) == [
            "Another march dispersed",
            "Organiser detained after the march",
        ]
        assert descriptions(s, ObservationFilter(query="nothing-like-this")) == []
        # One or two characters match names only: through the contacts an observation is about.
        assert descriptions(s, ObservationFilter(query="an")) == ["Organiser detained after the march"]
        assert descriptions(s, ObservationFilter(query="ma")) == []


# -- the trend -------------------------------------------------------------------------------
def test_trend_counts_per_category_per_calendar_month(opened) -> None:  # type: ignore[no-untyped-def]
    today = date(2026, 11, 28)
    with opened.store.session("t") as s:
        observe(s, date(2025, 11, 27), Civ.SURVEILLANCE)  # 12 months and a day ago: outside
        observe(s, date(2025, 11, 30), Civ.SURVEILLANCE)  # the last day before the window: outside
        observe(s, date(2025, 12, 1), Civ.SURVEILLANCE)  # the window's first day
        observe(s, date(2026, 1, 31), Civ.DIALOGUE)  # month boundaries: January ...
        observe(s, date(2026, 2, 1), Civ.DIALOGUE)  # ... then February
        observe(s, date(2026, 2, 28), Civ.DIALOGUE)
        observe(s, date(2026, 2, 28), Civ.BUSINESS_CONDUCT)
        observe(s, date(2026, 11, 1), Civ.SURVEILLANCE)
        observe(s, today, Civ.SURVEILLANCE)
        observe(s, today, Civ.ATTACKS_REPRISALS)
        observe(s, date(2026, 12, 1), Civ.SURVEILLANCE)  # next month: outside
        t = monitoring.trend(s, today)
    assert t.months[0] == date(2025, 12, 1) and t.months[-1] == date(2026, 11, 1) and len(t.months) == 12
    assert t.counts[Civ.SURVEILLANCE] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert t.counts[Civ.DIALOGUE] == [0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert t.counts[Civ.BUSINESS_CONDUCT] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert t.counts[Civ.ATTACKS_REPRISALS][-1] == 1
    assert set(t.counts) == set(Civ) and sum(t.counts[Civ.HACKING_SEIZURE]) == 0
    assert t.month_totals == [1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3]
    assert t.category_totals[Civ.SURVEILLANCE] == 3 and t.total == 8 and t.peak == 2


def test_trend_over_a_shorter_window_and_across_a_new_year(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        observe(s, date(2026, 12, 31), Civ.DIALOGUE)
        observe(s, date(2027, 1, 1), Civ.DIALOGUE)
        observe(s, date(2026, 10, 31), Civ.DIALOGUE)  # before the three months
        t = monitoring.trend(s, date(2027, 1, 15), months=3)
        empty = monitoring.trend(s, date(2020, 1, 1))
    assert t.months == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]
    assert t.counts[Civ.DIALOGUE] == [0, 1, 1]
    assert empty.total == 0 and empty.peak == 0 and empty.month_totals == [0] * 12


def test_the_trend_is_one_query(opened) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    statements: list[str] = []
    with opened.store.session("t") as s:
        for n in range(30):
            observe(s, DAY - timedelta(days=11 * n), list(Civ)[n % 10])
        s.flush()
        engine = s.get_bind()

        def listener(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", listener)
        try:
            t = monitoring.trend(s, DAY)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and "GROUP BY" in statements[0]
    assert t.total == sum(1 for n in range(30) if DAY - timedelta(days=11 * n) >= date(2025, 12, 1))


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "ftp://example.org",
        "example.org",
        "https://",
        " http:// x",
    ],
)
def test_a_web_link_other_than_http_or_https_is_refused(opened, link: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: an observation's web links took javascript: and the like."""
    with opened.store.session() as s:
        with pytest.raises(ValidationError) as refused:
            monitoring.add_observation(
                s,
                {
                    "observed_on": date(2026, 11, 1),
                    "category": "dialogue",
                    "description": "x",
                    "links": ["https://example.org", link],
                },
            )
        assert "http:// or https://" in refused.value.errors["links"]
        obs = monitoring.add_observation(
            s,
            {
                "observed_on": date(2026, 11, 1),
                "category": "dialogue",
                "description": "x",
                "links": ["https://example.org/a?b=1", "HTTP://x.org"],
            },
        )
        with pytest.raises(ValidationError):
            monitoring.update_observation(s, obs, {"links": [link]})
