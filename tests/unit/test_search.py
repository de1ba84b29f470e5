"""Full-text search inside the encrypted database: case, accents, scripts, hostile queries."""

from __future__ import annotations

import pytest

from hrd_tui import vault
from hrd_tui.services import contacts, search

PEOPLE = ["José Ñúñez-Vidal", "Ирина Волкова", "ليلى حداد", "陳美玲", "Zoë O'Brien", "Mariam Ba"]


@pytest.fixture
def people(opened: vault.Vault) -> vault.Vault:
    with opened.store.session() as s:
        for i, name in enumerate(PEOPLE):
            contacts.create_contact(s, {"name": name, "codename": f"P{i}", "organisation": "Coalition for Land Rights"})
    return opened


def names(v: vault.Vault, query: str) -> set[str]:
    with v.store.session() as s:
        return {c.name for c in contacts.list_contacts(s, query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jose", {"José Ñúñez-Vidal"}),
        ("JOSÉ nunez", {"José Ñúñez-Vidal"}),
        ("ирина", {"Ирина Волкова"}),
        ("ВОЛК", {"Ирина Волкова"}),
        ("حداد", {"ليلى حداد"}),
        ("美玲", {"陳美玲"}),  # two characters inside a CJK name: no spaces to split on
        ("陳美", {"陳美玲"}),
        ("zoe", {"Zoë O'Brien"}),
        ("o'brien", {"Zoë O'Brien"}),
        ("ba", {"Mariam Ba"}),
        ("land rights", set(PEOPLE)),
        ("nobody-like-this", set()),
    ],
)
def test_search_is_case_and_accent_insensitive_in_every_script(
    people: vault.Vault, query: str, expected: set[str]
) -> None:
    assert names(people, query) == expected


@pytest.mark.parametrize(
    "query", ['"', "*", "AND", "OR NOT", "(", "a:b", "NEAR(x y)", "%", "_", "\\", "'; DROP TABLE contact; --"]
)
def test_query_syntax_is_never_interpreted(people: vault.Vault, query: str) -> None:
    names(people, query)  # must not raise
    assert names(people, "jose") == {"José Ñúñez-Vidal"}


def test_index_follows_edits_and_deletes(people: vault.Vault) -> None:
    with people.store.session() as s:
        jose = contacts.list_contacts(s, "jose")[0]
        contacts.update_contact(s, jose, {"name": "Joaquín Ruiz"})
    assert names(people, "jose") == set()
    assert names(people, "joaquin") == {"Joaquín Ruiz"}
    with people.store.session() as s:
        contacts.delete_contact(s, contacts.list_contacts(s, "joaquin")[0])
    assert names(people, "joaquin") == set()


def test_search_finds_across_kinds(people: vault.Vault) -> None:
    with people.store.session() as s:
        hits = search.search(s, "волкова")
    assert [h.kind for h in hits] == ["contact"]


def test_normalise() -> None:
    assert search.normalise("Ñúñez") == "nunez"
    assert search.normalise("İSTANBUL") == search.normalise("istanbul")


def test_short_terms_match_names_long_terms_match_all_text(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        contacts.create_contact(s, {"name": "Kim", "codename": "K1", "notes": "met at the xy workshop"})
    assert names(opened, "ki") == {"Kim"}  # two characters: names, codenames, organisations
    assert names(opened, "xy") == set()  # ... not notes
    assert names(opened, "workshop") == {"Kim"}  # three or more: the whole text
    assert names(opened, "ki workshop") == {"Kim"}


def test_each_kind_has_its_index_and_search_is_newest_first(opened: vault.Vault) -> None:
    from datetime import UTC, datetime

    from hrd_tui.services import trials

    with opened.store.session() as s:
        trial = trials.create_trial(s, {"title": "State v. Example"})
        hearing = trials.add_hearing(s, trial, {"starts_at": datetime(2026, 6, 1, 9, 30, tzinfo=UTC)})
        first = trials.add_note(s, hearing, "the judge entered late")
        second = trials.add_note(s, hearing, "the judge left early")
        hits = search.search(s, "judge")
        assert [(h.kind, h.ref) for h in hits] == [("trial_note", second.id), ("trial_note", first.id)]
        assert search.search(s, "judge", kinds=["contact"]) == []
