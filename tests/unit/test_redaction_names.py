"""Redaction replaces names as names, never an ordinary word inside ordinary text (issue 22):
with a contact named "Test Person", a case titled "Dup codename test" read "Dup codename
a defender". A part of a name that is also a word is the name where written with a
capital; months are the month in a report; every other name is caught as before
(services/redaction.py). On a real vault for the reports and the case summary."""

from __future__ import annotations

from datetime import date

import pytest

from hrd_tui.services import case_export, contacts, redaction, reports, threats
from hrd_tui.services.redaction import Redactor
from hrd_tui.vocab import ReportType

#: (name, stand-in): the people of every case below.
PEOPLE = [("Test Person", "TP"), ("Will Smith", "WS"), ("Hope Grace", "HG"), ("Ana March", "AM")]

#: Ordinary words that are parts of their names: left as written, in a report and on screen.
WORDS = [
    "Dup codename test",
    "I will go to the hearing; she will too.",
    "We hope the court will listen.",
    "we hope grace prevails",  # the two words of a whole name, as words
    "A person was arrested at the march.",
    "Every test person was searched.",
    "It was a test.\nThe person left.",
]

#: Names that must still be replaced, whatever else changed.
NAMES = [
    ("Mr Person said so.", "Mr TP said so."),
    ("Test Person was detained.", "TP was detained."),
    ("Seen: TEST PERSON at the gate.", "Seen: TP at the gate."),
    ("Person's car was searched.", "TP's car was searched."),
    ("Police followed Person's brother.", "Police followed TP's brother."),
    ("Will Smith signed; I will go.", "WS signed; I will go."),
    ("Will signed the appeal.", "WS signed the appeal."),  # a capital at a sentence's start: the name
    ("saw smith at court", "saw WS at court"),  # a part that is no word: any case, as before
    ("We hope Grace is safe.", "We hope HG is safe."),  # "hope" the word, "Grace" the name
    ("Hope Grace spoke. Grace left.", "HG spoke. HG left."),
    ("Ms March said so in March.", "Ms AM said so in March."),
    ("Ana March was there.", "AM was there."),
    ("ana march was there", "AM was there"),  # the whole name: any case (not all ordinary words)
]


@pytest.mark.parametrize("text", WORDS)
def test_an_ordinary_word_inside_ordinary_text_is_left_as_written(text: str) -> None:
    assert Redactor(PEOPLE)(text) == text
    assert Redactor(PEOPLE, calendar_as_names=True)(text) == text  # on screen too


@pytest.mark.parametrize(("text", "redacted"), NAMES)
def test_names_are_still_replaced_as_names(text: str, redacted: str) -> None:
    assert Redactor(PEOPLE)(text) == redacted


def test_a_month_is_the_month_in_a_report_and_hidden_on_screen() -> None:
    """On screen (discreet mode) a capitalised "March" is hidden too: too much is safer there."""
    assert Redactor(PEOPLE)("The march in March, and in May.") == "The march in March, and in May."
    shown = redaction.as_codenames([(name, code) for name, code in PEOPLE])
    assert shown("The march in March.") == "The march in AM."
    assert shown("I will go; Will signed.") == "I will go; WS signed."


def test_the_old_name_tests_still_hold() -> None:
    """Parts that are no word: any case, accents optional, a part on its own."""
    redact = Redactor([("Marisol Ñúñez-Vidal", "a defender")])
    assert redact("MARISOL ÑUÑEZ-VIDAL was beaten") == "a defender was beaten"
    assert redact("nunez vidal held") == "a defender held"
    assert redact("Vidal's lawyer; marisol too") == "a defender's lawyer; a defender too"


def test_a_report_keeps_ordinary_words_and_hides_the_names(opened) -> None:  # type: ignore[no-untyped-def]
    """The issue's case: a contact named "Test Person", a case titled "Dup codename test"."""
    with opened.store.session("test") as s:
        person = contacts.create_contact(s, {"name": "Test Person", "codename": "Dup-001", "kind": "defender"}, [])
        will = contacts.create_contact(s, {"name": "Will Hope", "codename": "Dup-002", "kind": "defender"}, [])
        dup = threats.open_case(
            s,
            {
                "title": "Dup codename test",
                "opened_on": date(2026, 3, 2),
                "summary": "I will go and we hope for the best. Mr Person said Will Hope's "
                "phone was taken in March; Person's lawyer will appeal.",
            },
            [will],
            plan=False,
        )
        threats.open_case(
            s,
            {"title": "Threats after the march", "opened_on": date(2026, 3, 3), "summary": "A person was followed."},
            [person],
            plan=False,
        )
        text = reports.render_report(s, ReportType.REGULAR, date(2026, 3, 1), date(2026, 3, 31))
        summary = case_export.export_case_markdown(s, dup.id)
    assert "Dup codename test" in text and "Threats after the march" in text and "A person was followed." in text
    assert "I will go and we hope for the best." in text and "in March" in text
    assert "Mr a defender said a defender's phone" in text and "a defender's lawyer will appeal" in text
    folded = redaction.fold(text)
    assert "test person" not in folded and "mr person" not in folded
    assert "will hope" not in folded and "dup-00" not in folded
    # The case summary: its defender "Defender 1", the words as written.
    assert "Dup codename test" in summary and "I will go and we hope for the best." in summary
    assert "Defender 1's" in summary and "will hope" not in redaction.fold(summary)
