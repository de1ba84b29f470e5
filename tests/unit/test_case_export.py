"""The threat-case summary in Markdown (services/case_export.py): every part of the case
in it, a person named only with "named" consent (codename when anonymised, a neutral
"Defender 1" / "Contact 1" otherwise, also inside every piece of free text), real
names on request, and vault text unable to break the document or the terminal."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from conftest import FROZEN_DAY

from hrd_tui.errors import NotFound
from hrd_tui.services import contacts, threats
from hrd_tui.services.case_export import export_case_markdown
from hrd_tui.vocab import ActionStatus, ReferralStatus

DAY = FROZEN_DAY
NEVER = "Ximena Quarshie-Vold"  # naming consent "never"
NAMED = "Tomasz Okonkwo"  # naming consent "named"
HIDDEN = "Lucía Brenner"  # a source with no naming decision recorded


def build(s):  # type: ignore[no-untyped-def]
    """A case about a defender who never consented to be named, with her name (or a part
    of it, or her codename) typed into every free-text field of the case."""
    never = contacts.create_contact(s, {"name": NEVER, "codename": "Orchid-990"})
    named = contacts.create_contact(s, {"name": NAMED, "codename": "Cedar-505"})
    anon = contacts.create_contact(s, {"name": "Ruth Abernathy", "codename": "Lantern-202"})
    source = contacts.create_contact(s, {"name": HIDDEN, "codename": "Quartz-404", "kind": "lawyer"})
    contacts.record_consent(s, never, {"scope": "naming", "value": "never", "given_on": DAY, "how": "in person"})
    contacts.record_consent(s, named, {"scope": "naming", "value": "named", "given_on": DAY, "how": "in writing"})
    contacts.record_consent(s, anon, {"scope": "naming", "value": "anonymised", "given_on": DAY})
    contacts.record_consent(
        s,
        named,
        {
            "scope": "private_demarche",
            "value": "granted",
            "given_on": DAY - timedelta(days=3),
            "how": f"by Signal, {NEVER.split()[0]} present",
        },
    )
    case = threats.open_case(
        s,
        {
            "title": f"Detention of {NEVER} and {NAMED}",
            "urgency": "emergency",
            "perpetrator": "police",
            "perpetrator_note": f"The unit that watched {NEVER.split()[1]} since May.",
            "summary": f"QUARSHIE-VOLD (Orchid-990) was arrested; {NAMED} saw it; Abernathy hid.\n# not a heading\n<!-- hide",
            "opened_on": DAY - timedelta(days=20),
        },
        [never, named, anon],
        ["arbitrary_detention", "risk_to_life"],
        plan=False,
        first_event="Ximena taken from her home; orchid 990 seen at the station.\x1b]52;c;ZXZpbA==\x07",
        first_event_at=datetime(2026, 1, 5, 6, 0, tzinfo=UTC),
    )
    for ago, ratings, reasoning in (
        (20, (5, 4, 2), f"{NEVER} held incommunicado."),
        (2, (3, 3, 3), "Lawyer has access."),
    ):
        threats.assess_risk(
            s,
            case,
            {
                "assessed_on": DAY - timedelta(days=ago),
                "threat": ratings[0],
                "vulnerability": ratings[1],
                "capacity": ratings[2],
                "reasoning": reasoning,
            },
        )
    threats.analyse(
        s,
        case,
        {
            "threat_type": "arbitrary_detention",
            "facts": "Vold arrested without a warrant.",
            "pattern": "Third arrest.",
            "objective": "Silence the coalition.",
            "who": "Police.",
            "feasibility": "High.",
        },
    )
    threats.add_source(
        s,
        case,
        {
            "contact_id": source.id,
            "description": f"{HIDDEN}, after visiting Quarshie.",
            "reliability": "B",
            "credibility": "2",
            "received_on": DAY - timedelta(days=19),
        },
    )
    threats.add_action(
        s,
        case,
        {
            "title": f"Raise {NEVER}'s detention with the Ministry",
            "on_behalf": True,
            "status": ActionStatus.DOING,
            "due_on": DAY - timedelta(days=1),
            "owner": "HRO",
            "emergency_justification": f"Ximena is held incommunicado; {HIDDEN} asked us to act.",
            "note": "Met the minister's aide.",
        },
    )
    threats.add_action(s, case, {"title": "Fund the relocation", "on_behalf": True, "due_on": DAY + timedelta(days=5)})
    threats.add_action(
        s,
        case,
        {"title": "Verify with a variety of sources", "status": ActionStatus.DONE, "done_on": DAY - timedelta(days=18)},
    )
    threats.add_referral(
        s,
        case,
        {
            "resource_id": "lifeline",
            "purpose": "legal_fees",
            "shared": ["identity"],
            "status": ReferralStatus.SENT,
            "amount_requested": 4000,
            "sent_on": DAY - timedelta(days=10),
            "expected_decision_on": DAY + timedelta(days=3),
            "emergency_justification": "Quarshie-Vold cannot be reached in custody.",
        },
    )
    threats.add_coordination(
        s,
        case,
        {
            "kind": "joint_statement",
            "missions": "Norland and Sudmark",
            "role": f"Statement on {NEVER}",
            "on_date": DAY - timedelta(days=8),
        },
    )
    threats.record_feedback(
        s,
        case,
        {
            "contact_id": never.id,
            "told_on": DAY - timedelta(days=6),
            "how": "via her lawyer",
            "what": "Told Ximena about the referral.",
        },
    )
    return case


@pytest.fixture
def case_id(opened) -> str:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        return build(s).id


def export(opened, case_id: str, **kw) -> str:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        return export_case_markdown(s, case_id, **kw)


def test_a_name_without_naming_consent_appears_nowhere_not_even_in_free_text(opened, case_id: str) -> None:  # type: ignore[no-untyped-def]
    report = export(opened, case_id)
    folded = report.casefold()
    for part in ("ximena", "quarshie", "vold", "orchid", "990", "lucía", "lucia", "brenner", "abernathy", "ruth"):
        assert part not in folded, part
    assert report.startswith(f"# Threat case: Detention of Defender 1 and {NAMED}\n")
    assert f"Defender 1 (Defender 1) was arrested; {NAMED} saw it; Lantern-202 hid." in report
    assert "| Defenders | Tomasz Okonkwo, Lantern-202, Defender 1 |" in report
    assert "| Alleged perpetrator | Police (The unit that watched Defender 1 since May.) |" in report
    assert "Defender 1 taken from her home; Defender 1 seen at the station." in report
    assert "- Reasoning: Defender 1 held incommunicado." in report
    assert "- The facts: Defender 1 arrested without a warrant." in report
    assert "from Contact 1: Contact 1, after visiting Defender 1." in report
    assert "emergency justification: Defender 1 is held incommunicado; Contact 1 asked us to act." in report
    assert "[In progress] Raise Defender 1's detention with the Ministry" in report
    assert "Statement on Defender 1" in report and "Told Defender 1 about the referral." in report
    # Consent is given for each kind of action (issue 18): one line per kind.
    expected = f"- {NAMED}:\n  - Raising privately with the authorities: granted on {DAY - timedelta(days=3)}, by Signal, Defender 1 present"
    assert expected in report
    assert "  - Public statements and posts: none recorded" in report
    assert (
        "3 names withheld: Lantern-202 (anonymised), Defender 1 (no naming consent), Contact 1 (no naming consent)."
    ) in report


def test_real_names_on_request_and_said_so(opened, case_id: str) -> None:  # type: ignore[no-untyped-def]
    report = export(opened, case_id, real_names=True)
    assert report.startswith(f"# Threat case: Detention of {NEVER} and {NAMED}\n")
    assert f"from {HIDDEN}: {HIDDEN}, after visiting Quarshie." in report
    assert "Ruth Abernathy" in report and "Real names: everyone linked to the case is named as stored" in report
    assert "withheld" not in report


def test_every_part_of_the_case_is_in_it_in_order(opened, case_id: str) -> None:  # type: ignore[no-untyped-def]
    report = export(opened, case_id)
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Case",
        "## Summary",
        "## Risk assessments",
        "## Threat analyses",
        "## Sources",
        "## Consent to act on their behalf",
        "## Actions",
        "## Referrals",
        "## Coordination with like-minded missions",
        "## Feedback to the defenders",
        "## After the attack: accountability",
        "## Timeline (oldest first)",
        "## Outcome",
        "## Redaction",
    ]
    assert "| Status | New |" in report and "| Urgency | Emergency |" in report
    assert f"| Opened | {DAY - timedelta(days=20)} |" in report and "| Closed | - |" in report
    assert "| Threat types | Arbitrary detention; Risk to life |" in report
    # Issue 18: 5/4/2 was high by the score; the floor for harm under way makes it critical.
    assert (
        f"Trend, oldest to newest: Critical ({DAY - timedelta(days=20)}) -> Medium ({DAY - timedelta(days=2)})."
        in report
    )
    assert (
        "T5 V4 C2, Critical. threat 5 x vulnerability 4 / capacity 2 = 10.0: High by the score, "
        "raised to critical: harm under way and the defender exposed." in report
    )
    assert "### 1. Arbitrary detention" in report and "- Who is behind it: Police." in report
    assert "**Warning:** Rests on a single source." in report
    assert "reliability B (Usually reliable), credibility 2 (Probably true)" in report
    assert "- Defender 1: none recorded" in report and "- Lantern-202: none recorded" in report
    assert f"(Short-term action; owner HRO; due {DAY - timedelta(days=1)})" not in report  # a free action
    assert f"(Other action; owner HRO; due {DAY - timedelta(days=1)})" in report
    assert "- On the defenders' behalf: NO consent; emergency justification:" in report
    assert "  - Note: Met the minister's aide." in report
    assert "- On the defenders' behalf: consent not recorded yet: needed before it starts" in report
    assert (
        f"[Done] Verify with a variety of sources (Other action; owner HRO; due -; done {DAY - timedelta(days=18)})"
        in report
    )
    assert (
        "- Lifeline Embattled CSO Assistance Fund, for legal fees (status sent; requested 4,000 USD; "
        f"sent {DAY - timedelta(days=10)}; decision expected {DAY + timedelta(days=3)})"
    ) in report
    assert "- Rests on: NO consent; emergency justification: Defender 1 cannot be reached in custody." in report
    assert f"- {DAY - timedelta(days=8)}, joint statement: Norland and Sudmark. Statement on Defender 1" in report
    assert (
        f"- {DAY - timedelta(days=6)}, told Defender 1 (via her lawyer): Told Defender 1 about the referral." in report
    )
    timeline = report[report.index("## Timeline") : report.index("## Outcome")].splitlines()
    events = [line for line in timeline if line.startswith("- ")]
    assert "Defender 1 taken from her home" in events[0]  # 2026-01-05: before the case was logged
    assert "[Status change] Case opened." in events[1]
    assert "[Feedback to defender] Defender told: Told Defender 1 about the referral." in events[-1]
    assert "The case is open." in report


def test_vault_text_cannot_break_the_document_or_the_terminal(opened, case_id: str) -> None:  # type: ignore[no-untyped-def]
    report = export(opened, case_id)
    assert "\x1b" not in report and "\x07" not in report
    assert "\n# not a heading" not in report and "\\# not a heading" in report
    assert re.search(r"(?<!\\)<", report) is None and "\\<!-- hide" in report


def test_a_closed_case_shows_its_outcome(opened, case_id: str) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        case = threats.case_detail(s, case_id).case
        threats.close_case(s, case, "Released on bail; Ximena left the country.", on=DAY)
    report = export(opened, case_id)
    assert f"| Closed | {DAY} |" in report and "| Status | Closed |" in report
    assert "## Outcome\n\nReleased on bail; Defender 1 left the country.\n" in report


def test_an_unknown_case_is_not_found(opened) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound, match="No threat case with id nope."), opened.store.session("t") as s:
        export_case_markdown(s, "nope")
