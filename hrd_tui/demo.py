"""Fictional demo data: a vault that shows every screen with something in it.

Why this exists: a newcomer's first look at hrd-tui (``hrd-tui demo``) should
show contacts, overdue check-ins, active threats, a hearing happening today and
a report draft, not a row of empty tables. Screens and tests use the same data,
so it goes through the services (the consent gate, history and the search index
all apply) and is deterministic: dates are relative to ``wallclock.today()`` and
nothing is random except record ids.

Everything here is invented. The Republic of Veridia does not exist, and no
name, codename, organisation, number or address belongs to a real person.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, select

from hrd_tui import wallclock
from hrd_tui.models import CaseAction, Contact, Hearing, Report, ThreatCase, Trial
from hrd_tui.services import (
    accountability,
    attachments,
    base,
    checklists,
    consent,
    contacts,
    demarches,
    drafts,
    monitoring,
    plan,
    report_layouts,
    reports,
    resources,
    threats,
    trials,
)
from hrd_tui.vocab import ActionCategory as Cat
from hrd_tui.vocab import (
    ActionStatus,
    CaseStatus,
    Credibility,
    InteractionKind,
    ItemStatus,
    Perpetrator,
    ReferralStatus,
    Reliability,
    ReportType,
    TrialStatus,
    Urgency,
)
from hrd_tui.vocab import CivicCategory as Civ
from hrd_tui.vocab import ConsentScope as Scope
from hrd_tui.vocab import ContactKind as Kind

FICTIONAL = "fictional demo data"
COUNTRY = "Republic of Veridia"
CAPITAL = "Port Calder"


def populate(session: Session) -> bool:
    """Fill an open vault with demo data; False (and nothing written) if it has contacts."""
    if session.exec(select(Contact.id)).first() is not None:
        return False
    today = wallclock.today()
    people = _contacts(session, today)
    _interactions(session, today, people)
    cases = _cases(session, today, people)
    trial, hearing = _trials(session, today, people, cases["detention"])
    _demarches(session, today, cases["detention"], trial)
    _monitoring(session, today, people, cases, trial)
    _accountability(session, today, cases)
    _report(session, today)
    _post_plan(session)
    _post_layout(session)
    _post_resources(session, today, cases["calls"])
    _attachments(session, people, cases["detention"], hearing)
    # Unfinished text, as a dropped link leaves it: back in the interaction form when it
    # is opened for this contact (i), with a notice.
    drafts.save(session, f"interaction:{people['irina'].id}:summary", "Call cut off after she said the editor was")
    session.flush()
    return True


def _day(today: date, offset: int) -> date:
    """``offset`` days from today (negative: in the past)."""
    return today + timedelta(days=offset)


def _at(today: date, offset: int, hour: int, minute: int = 0) -> datetime:
    """Local wall-clock time on that day, made aware (the vault stores aware datetimes as UTC)."""
    return datetime.combine(_day(today, offset), time(hour, minute)).astimezone()


# -- contacts -----------------------------------------------------------------

#: key -> (contact fields, focus areas). Country, a "fictional" tag and note are added.
CONTACTS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "jose": (
        {
            "kind": Kind.DEFENDER,
            "name": "José Ñúñez-Vidal",
            "codename": "Heron-101",
            "organisation": "Calder Basin Water Guardians",
            "role": "Community spokesperson",
            "region": "Calder Basin",
            "languages": ["es", "en"],
            "cadence_days": 7,
        },
        ["land_environment", "indigenous"],
    ),
    "irina": (
        {
            "kind": Kind.JOURNALIST,
            "name": "Ирина Волкова",
            "codename": "Lantern-202",
            "organisation": "The Calder Ledger",
            "role": "Investigative reporter",
            "region": CAPITAL,
            "languages": ["ru", "en"],
            "cadence_days": 14,
        },
        ["journalism_media", "digital_rights", "anti_corruption"],
    ),
    "layla": (
        {
            "kind": Kind.DEFENDER,
            "name": "ليلى حداد",
            "codename": "Orchid-303",
            "organisation": "Women's Legal Aid Circle",
            "role": "Founder, lawyer",
            "region": "Eastern Veridia",
            "languages": ["ar", "fr", "en"],
            "cadence_days": 30,
        },
        ["women_girls", "access_to_justice"],
    ),
    "meiling": (
        {
            "kind": Kind.INTERNATIONAL_CSO,
            "name": "陳美玲",
            "codename": "Quartz-404",
            "organisation": "Open Shield Digital Safety Collective",
            "role": "Regional digital-security lead",
            "region": "Regional (remote)",
            "languages": ["zh", "en"],
            "cadence_days": 30,
        },
        ["digital_rights"],
    ),
    "tomasz": (
        {
            "kind": Kind.LAWYER,
            "name": "Tomasz Okonkwo-Lindqvist",
            "codename": "Cedar-505",
            "organisation": "Okonkwo-Lindqvist & Partners",
            "role": "Defence counsel",
            "region": CAPITAL,
            "languages": ["en", "pl"],
            "cadence_days": 30,
        },
        ["access_to_justice", "land_environment"],
    ),
    "coalition": (
        {
            "kind": Kind.COALITION,
            "name": "Veridian Coalition for Land and Water",
            "codename": "Delta-606",
            "role": "Network of 23 community groups",
            "region": "Calder Basin",
            "languages": ["es", "en"],
            "cadence_days": 30,
        },
        ["land_environment", "indigenous", "business_human_rights"],
    ),
    "arcoiris": (
        {
            "kind": Kind.CSO,
            "name": "Casa Arcoíris Port Calder",
            "codename": "Willow-707",
            "role": "Community centre and shelter",
            "region": CAPITAL,
            "languages": ["es"],
            "cadence_days": 45,
            "direct_contact_safe": False,
            "notes": "Direct contact is NOT safe: the centre's phones are believed monitored. Only through Aster-808.",
        },
        ["lgbtqi"],
    ),
    "aroha": (
        {
            "kind": Kind.DEFENDER,
            "name": "Aroha Mbeki-Santos",
            "codename": "Aster-808",
            "organisation": "Access Veridia",
            "role": "Disability rights campaigner",
            "region": CAPITAL,
            "languages": ["en", "es"],
            "cadence_days": 60,
        },
        ["disabilities", "labour"],
    ),
    "quist": (
        {
            "kind": Kind.GOVERNMENT_OFFICIAL,
            "name": "Halvard Quist-Amadi",
            "codename": "Basalt-909",
            "organisation": "Ministry of Interior",
            "role": "Deputy Director, Public Order Directorate",
            "region": CAPITAL,
            "languages": ["en"],
            "cadence_days": 90,
        },
        [],
    ),
    "norland": (
        {
            "kind": Kind.LIKE_MINDED_MISSION,
            "name": "Ingrid Faelan-Moreau",
            "codename": "Fjord-110",
            "organisation": "Embassy of the Kingdom of Norland",
            "role": "First Secretary, human rights",
            "region": CAPITAL,
            "languages": ["en", "fr"],
            "cadence_days": 30,
        },
        [],
    ),
    "un": (
        {
            "kind": Kind.UN_MULTILATERAL,
            "name": "Amara Delacroix-Oyelaran",
            "codename": "Comet-111",
            "organisation": "UN Resident Coordinator's Office",
            "role": "Human rights adviser",
            "region": CAPITAL,
            "languages": ["en", "fr"],
            "cadence_days": 60,
        },
        ["access_to_justice"],
    ),
    "company": (
        {
            "kind": Kind.BUSINESS,
            "name": "Calder Basin Mining Consortium",
            "codename": "Garnet-112",
            "role": "Community relations office (Piet Vandermolen-Achebe)",
            "region": "Calder Basin",
            "languages": ["en"],
        },
        ["business_human_rights", "land_environment"],
    ),
}

#: (contact, channel kind, handle, preferred). Numbers use the unassigned +999 prefix.
CHANNELS = (
    ("jose", "signal", "+999 555 0101", True),
    ("jose", "intermediary", "through Cedar-505, his lawyer", False),
    ("irina", "signal", "+999 555 0102", True),
    ("irina", "pgp_email", "lantern@example.org (key 0xDEMO0202)", False),
    ("layla", "wire", "@orchid-demo", True),
    ("layla", "in_person", "Women's Legal Aid Circle office", False),
    ("meiling", "signal", "+999 555 0104", True),
    ("tomasz", "signal", "+999 555 0105", True),
    ("tomasz", "phone", "+999 555 0155 (office)", False),
    ("coalition", "pgp_email", "office@vclw.example.org", True),
    ("arcoiris", "intermediary", "only via Aster-808", True),
    ("aroha", "signal", "+999 555 0108", True),
    ("quist", "phone", "+999 555 0109 (office)", True),
    ("norland", "wire", "@fjord-demo", True),
    ("un", "pgp_email", "hr-adviser@rco.example.org", True),
    ("company", "phone", "+999 555 0112 (switchboard)", True),
)

#: (contact, scope, value, days ago, how[, what a grant names: consent.NAMES]).
CONSENTS = (
    ("jose", Scope.CONTACT, "granted", 60, "in person"),
    ("jose", Scope.NAMING, "named", 60, "in person: wants his case public"),
    ("jose", Scope.PRIVATE_DEMARCHE, "granted", 22, "through his lawyer, confirmed in writing"),
    (
        "jose",
        Scope.REFERRAL,
        "granted",
        22,
        "through his lawyer: legal-fee funds may have the court file; the coalition's NCP filing the facts",
        {"resource_ids": ["lifeline", "oecd-ncp"], "shared": ["identity", "case_facts", "documents"]},
    ),
    ("jose", Scope.TRIAL_ATTENDANCE, "granted", 22, "through his lawyer"),
    ("jose", Scope.PUBLIC_STATEMENT, "granted", 22, "through his lawyer: wants his case public"),
    ("jose", Scope.SHARE_WITH_MISSIONS, "granted", 22, "through his lawyer", {"missions": ["Norland"]}),
    ("irina", Scope.CONTACT, "granted", 90, "Signal"),
    ("irina", Scope.NAMING, "anonymised", 90, "Signal"),
    ("irina", Scope.SHARE_WITH_MISSIONS, "refused", 20, "Signal: no other mission told yet"),
    ("layla", Scope.CONTACT, "granted", 150, "in person"),
    ("layla", Scope.NAMING, "anonymised", 150, "in person"),
    ("layla", Scope.PRIVATE_DEMARCHE, "granted", 118, "Wire call"),
    (
        "layla",
        Scope.REFERRAL,
        "granted",
        118,
        "Wire call: name and case summary only",
        {"resource_ids": ["freedom-house", "un-special-procedures"], "shared": ["identity", "case_facts"]},
    ),
    ("layla", Scope.PUBLIC_STATEMENT, "refused", 100, "in person, after the threats to her family"),
    ("layla", Scope.NAMING, "never", 100, "in person, after the threats to her family"),
    ("meiling", Scope.NAMING, "anonymised", 200, "PGP e-mail"),
    ("tomasz", Scope.NAMING, "named", 60, "public counsel; asked to be named"),
    ("coalition", Scope.NAMING, "named", 200, "board decision"),
    ("arcoiris", Scope.CONTACT, "granted", 180, "via intermediary"),
    ("arcoiris", Scope.NAMING, "never", 180, "via intermediary"),
    ("aroha", Scope.NAMING, "anonymised", 50, "Signal"),
)


def _contacts(session: Session, today: date) -> dict[str, Contact]:
    people: dict[str, Contact] = {}
    for key, (fields, areas) in CONTACTS.items():
        note = fields.get("notes", "")
        data = {
            "country": COUNTRY,
            **fields,
            "tags": [FICTIONAL],
            "notes": f"{note}\n\n({FICTIONAL}: an invented person or body.)".strip(),
        }
        people[key] = contacts.create_contact(session, data, areas)
    for key, kind, handle, preferred in CHANNELS:
        contacts.add_channel(session, people[key], {"kind": kind, "handle": handle, "preferred": preferred})
    for key, scope, value, ago, how, *names in CONSENTS:
        data = {
            "scope": scope,
            "value": value,
            "given_on": _day(today, -ago),
            "how": how,
            **(names[0] if names else {}),
        }
        consent.record_decision(session, people[key], data, today=today)
    contacts.relate(
        session,
        {
            "from_contact_id": people["tomasz"].id,
            "to_contact_id": people["jose"].id,
            "kind": "lawyer_for",
            "certainty": "confirmed",
        },
    )
    contacts.relate(
        session,
        {
            "from_contact_id": people["jose"].id,
            "to_contact_id": people["coalition"].id,
            "kind": "member_of",
            "certainty": "confirmed",
        },
    )
    contacts.relate(
        session,
        {
            "from_contact_id": people["aroha"].id,
            "to_contact_id": people["arcoiris"].id,
            "kind": "works_with",
            "certainty": "probable",
            "note": "Our only safe route to Willow-707.",
        },
    )
    return people


#: (days ago, hour, kind, participants, location or None, location sensitive, conveyed, summary,
#:  follow-ups as (text, due offset, done offset or None)).
INTERACTIONS = (
    (
        62,
        10,
        "meeting",
        ["layla"],
        None,
        True,
        False,
        "Travel ban still in force; her brother was summoned for questioning.",
        [("Ask Comet-111 how to report a reprisal to the UN", -55, -57)],
    ),
    (
        45,
        9,
        "site_visit",
        ["coalition", "company"],
        "Public road by the Calder Basin mine gate",
        False,
        False,
        "Walked the expansion site with the coalition; the consortium described its grievance mechanism.",
        [("Ask the consortium for grievance-mechanism statistics", -10, None)],
    ),
    (
        40,
        15,
        "meeting",
        ["coalition", "jose"],
        "Coalition office, Port Calder",
        True,
        False,
        "Briefing on the mine expansion and the planned march; asked about protection resources.",
        [("Share Lifeline eligibility notes with the coalition", -33, -34)],
    ),
    (
        23,
        18,
        "call",
        ["tomasz"],
        None,
        True,
        False,
        "Heron-101 arrested at 06:00; held at Central Precinct, no counsel for 30 hours.",
        [("Ask the court registry for the hearing schedule", -16, -17)],
    ),
    (
        20,
        21,
        "secure_message",
        ["irina"],
        None,
        True,
        False,
        "Accounts taken over; a car parked outside her flat three nights running.",
        [("Introduce her to Quartz-404 for a device check", -18, -19)],
    ),
    (
        18,
        11,
        "meeting",
        ["quist"],
        "Ministry of Interior, Port Calder",
        False,
        True,
        "Raised the detention of Heron-101 and access to counsel; told it is 'a matter for the courts'.",
        [("Send a follow-up note on access to counsel", -5, None)],
    ),
    (
        15,
        14,
        "event",
        ["norland", "un"],
        "Embassy of Norland, Port Calder",
        False,
        True,
        "Like-minded coordination: agreed to observe the Heron-101 hearings in rotation.",
        [("Circulate the draft joint statement", 4, None)],
    ),
    (
        7,
        16,
        "meeting",
        ["aroha", "arcoiris"],
        None,
        True,
        False,
        "Through Aster-808: municipal inspectors visited the centre; it wants no public attention.",
        [("Check in again via Aster-808", 7, None)],
    ),
    (
        3,
        8,
        "call",
        ["meiling"],
        None,
        True,
        False,
        "Device check for Lantern-202 found a suspicious profile; recommends new handsets.",
        [("Confirm the Digital Defenders application was received", 5, None)],
    ),
)


def _interactions(session: Session, today: date, people: dict[str, Contact]) -> None:
    for ago, hour, kind, keys, location, sensitive, conveyed, summary, follow_ups in INTERACTIONS:
        data = {
            "kind": InteractionKind(kind),
            "occurred_at": _at(today, -ago, hour),
            "location": location,
            "location_sensitive": sensitive,
            "summary": summary,
            "conveyed_to_counterparts": conveyed,
        }
        items = [
            {"description": text, "due_on": _day(today, due), "done_on": None if done is None else _day(today, done)}
            for text, due, done in follow_ups
        ]
        contacts.log_interaction(session, data, [people[k] for k in keys], items)
    # Later edits, so the history screen has something to show.
    contacts.update_contact(
        session,
        people["jose"],
        {"notes": people["jose"].notes + "\nDetained since the Calder Basin march; contact through Cedar-505."},
    )
    contacts.update_contact(
        session, people["irina"], {"next_follow_up_on": _day(today, 2), "role": "Investigative reporter (on leave)"}
    )


def _demarches(session: Session, today: date, case: ThreatCase, trial: Trial) -> None:
    """A démarche on the detention case and its trial, logged the day it was made and
    corrected when the Ministry's answer came (the history shows both)."""
    it = demarches.log(
        session,
        None,
        {
            "kind": InteractionKind.DEMARCHE,
            "occurred_at": _at(today, -9, 10),
            "official": "Basalt-909",
            "message": "Asked that Heron-101 see his lawyer in private and be released pending trial; "
            "said Norland and the UN observe every hearing.",
            "location": "Ministry of Interior, Port Calder",
            "location_sensitive": False,
            "conveyed_to_counterparts": True,
            "cases": [case.id],
            "trials": [trial.id],
            "follow_up": "Ask the Ministry whether counsel visits are now private",
            "follow_up_due": _day(today, 20),
        },
        today=today,
    )
    demarches.correct(
        session,
        it.id,
        None,
        {"response": "Counsel visits allowed since Tuesday, in a guard's presence; release is 'for the court'."},
        today=today,
    )


# -- threat cases ---------------------------------------------------------------


def _cases(session: Session, today: date, people: dict[str, Contact]) -> dict[str, ThreatCase]:
    return {
        "detention": _detention_case(session, today, people),
        "surveillance": _surveillance_case(session, today, people),
        "travel_ban": _travel_ban_case(session, today, people),
        "calls": _threatening_calls_case(session, today, people),
    }


def _event(session: Session, case: ThreatCase, text: str, when: datetime) -> None:
    """A timeline event that happened before it was logged."""
    threats.add_event(session, case, text, occurred_at=when)


def _assessments(
    session: Session, today: date, case: ThreatCase, ratings: Sequence[tuple[int, int, int, int, str]]
) -> None:
    for ago, threat, vulnerability, capacity, reasoning in ratings:
        threats.assess_risk(
            session,
            case,
            {
                "assessed_on": _day(today, -ago),
                "threat": threat,
                "vulnerability": vulnerability,
                "capacity": capacity,
                "reasoning": reasoning,
            },
        )


def _action(session: Session, case: ThreatCase, title: str, category: Cat, **fields: Any) -> CaseAction:
    return threats.add_action(session, case, {"title": title, "category": category, "owner": "HRO", **fields})


def _detention_case(session: Session, today: date, people: dict[str, Contact]) -> ThreatCase:
    case = threats.open_case(
        session,
        {
            "title": "Detention of a land defender after the Calder Basin march",
            "status": CaseStatus.ASSESSING,
            "urgency": Urgency.EMERGENCY,
            "perpetrator": Perpetrator.POLICE,
            "perpetrator_note": "Public Order Directorate; consortium guards present at the arrest.",
            "summary": "Heron-101 arrested at home the morning after a peaceful march against the mine expansion.",
            "opened_on": _day(today, -24),
        },
        [people["jose"]],
        ["arbitrary_detention", "judicial_harassment", "risk_to_life", "business_linked"],
        plan=False,
    )
    _event(session, case, "Arrested at home at 06:00 by plain-clothes police.", _at(today, -24, 6))
    _event(session, case, "Moved to Northgate prison, four hours from his family.", _at(today, -12, 15))
    _assessments(
        session,
        today,
        case,
        [
            (24, 5, 4, 2, "Held incommunicado; no lawyer; threats by guards."),
            (12, 5, 5, 2, "Moved to a remote prison; health worsening."),
            (2, 4, 4, 3, "Lawyer has access; observers at every hearing."),
        ],
    )
    threats.analyse(
        session,
        case,
        {
            "threat_type": "arbitrary_detention",
            "facts": "Arrested without a warrant; charges filed 30 hours later.",
            "pattern": "Third arrest of a basin organiser since the expansion permit was granted.",
            "objective": "Stop the coalition's campaign before the next permit hearing.",
            "who": "Police, reportedly at the request of local officials close to the consortium.",
            "feasibility": "High: he is in custody and pre-trial detention can be extended for months.",
        },
    )
    for contact, description, reliability, credibility, ago in [
        ("tomasz", "His lawyer, after the first prison visit.", Reliability.B, Credibility.PROBABLY_TRUE, 22),
        (None, "His sister, by phone, on the arrest.", Reliability.C, Credibility.PROBABLY_TRUE, 24),
        (None, "Police statement on state television.", Reliability.D, Credibility.DOUBTFUL, 23),
    ]:
        threats.add_source(
            session,
            case,
            {
                "contact_id": contact and people[contact].id,
                "description": description,
                "reliability": reliability,
                "credibility": credibility,
                "received_on": _day(today, -ago),
            },
        )
    _action(
        session,
        case,
        "Verify the facts with a variety of credible sources",
        Cat.IMMEDIATE,
        status=ActionStatus.DONE,
        done_on=_day(today, -22),
    )
    raise_it = _action(
        session,
        case,
        "Raise the detention with the Ministry of Interior",
        Cat.IMMEDIATE,
        on_behalf=True,
        due_on=_day(today, -18),
    )
    threats.set_action_status(
        session, raise_it, ActionStatus.DONE, done_on=_day(today, -18), note="Met Basalt-909; no commitment."
    )
    _action(session, case, "Observe every hearing with like-minded missions", Cat.IMMEDIATE, status=ActionStatus.DOING)
    _action(
        session,
        case,
        "Fund the coalition's protection plan and digital-security training",
        Cat.LONGER_TERM,
        due_on=_day(today, 30),
    )
    base.update(session, case, {"status": CaseStatus.RESPONDING})
    referral = threats.add_referral(
        session,
        case,
        {
            "resource_id": "lifeline",
            "purpose": "legal_fees",
            "shared": ["identity", "case_facts", "documents"],
            "status": ReferralStatus.SENT,
            "amount_requested": 4000,
            "sent_on": _day(today, -20),
            "expected_decision_on": _day(today, -10),
        },
    )
    base.update(
        session,
        referral,
        {
            "status": ReferralStatus.GRANTED,
            "amount_granted": 3500,
            "decision_on": _day(today, -12),
            "outcome": "Covers defence costs to the first-instance verdict.",
        },
    )
    # Not money (issue 19): the coalition filed a specific instance against the consortium
    # with the officer's advice; it is at the NCP's initial assessment.
    specific_instance = threats.add_referral(
        session,
        case,
        {
            "resource_id": "oecd-ncp",
            "purpose": "oecd_specific_instance",
            "shared": ["case_facts"],
            "status": ReferralStatus.SENT,
            "sent_on": _day(today, -18),
            "outcome": "Filed by the Calder Basin coalition against the mine consortium; we advised on the form.",
        },
    )
    threats.update_referral(session, specific_instance, {"stage": "initial_assessment", "stage_on": _day(today, -6)})
    threats.add_coordination(
        session,
        case,
        {
            "kind": "engaged",
            "missions": "Embassy of Norland (Fjord-110)",
            "on_date": _day(today, -21),
            "role": "Norland observes every hearing with us; we raise the detention with the Ministry.",
        },
    )
    threats.add_coordination(
        session,
        case,
        {
            "kind": "joint_statement",
            "missions": "Norland, and two other like-minded missions",
            "on_date": _day(today, -15),
            "role": "Joint local statement on the right to peaceful protest; no names.",
        },
    )
    threats.record_feedback(
        session,
        case,
        {
            "contact_id": people["jose"].id,
            "told_on": _day(today, -17),
            "what": "The Ministry meeting and the Lifeline application.",
            "how": "Through Cedar-505, in person.",
        },
    )
    return case


def _surveillance_case(session: Session, today: date, people: dict[str, Contact]) -> ThreatCase:
    case = threats.open_case(
        session,
        {
            "title": "Surveillance and account takeover of an investigative journalist",
            "status": CaseStatus.RESPONDING,
            "urgency": Urgency.URGENT,
            "perpetrator": Perpetrator.STATE_SECURITY,
            "perpetrator_note": "Suspected only: nothing confirms who is behind it yet.",
            "summary": "Lantern-202's accounts were hijacked during her procurement investigation; a car watches her flat.",
            "opened_on": _day(today, -20),
        },
        [people["irina"]],
        ["surveillance", "hacking_seizure", "smear_campaign", "intimidation"],
        plan=False,
    )
    _assessments(
        session,
        today,
        case,
        [
            (20, 3, 3, 3, "Accounts hijacked; no physical threat yet."),
            (4, 4, 4, 2, "Smear posts from her own accounts; a criminal defamation charge filed."),
        ],
    )
    threats.analyse(
        session,
        case,
        {
            "threat_type": "surveillance",
            "facts": "Her own account only, with screenshots.",
            "pattern": "Began the week her first article ran.",
            "objective": "Discredit her and identify her sources.",
            "who": "Unknown; the tools suggest a state actor.",
            "feasibility": "Already happening online; physical follow-up plausible.",
        },
    )
    threats.add_source(
        session,
        case,
        {
            "contact_id": people["irina"].id,
            "received_on": _day(today, -20),
            "reliability": Reliability.B,
            "credibility": Credibility.POSSIBLY_TRUE,
            "description": "Her own account by Signal. The ONLY source so far: corroborate before acting publicly.",
        },
    )
    _action(
        session,
        case,
        "Ask the platform to lock her hijacked accounts",
        Cat.IMMEDIATE,
        on_behalf=True,
        status=ActionStatus.DOING,
        emergency_justification="Unreachable for 48 hours while her accounts messaged her sources; acting now limits harm to them. "
        "Consent to be sought at first contact.",
    )
    _action(
        session,
        case,
        "Refer to a digital-security helpline",
        Cat.IMMEDIATE,
        status=ActionStatus.DONE,
        done_on=_day(today, -19),
    )
    _action(
        session,
        case,
        "Discuss relocation options if the surveillance escalates",
        Cat.LONGER_TERM,
        due_on=_day(today, 14),
    )
    threats.add_referral(
        session,
        case,
        {
            "resource_id": "digital-defenders",
            "purpose": "equipment",
            "shared": ["identity", "contact_details"],
            "status": ReferralStatus.SENT,
            "amount_requested": 1800,
            "sent_on": _day(today, -3),
            "expected_decision_on": _day(today, 10),
            "emergency_justification": "Her devices are compromised and she could not be asked safely; "
            "only the fact of the hijack was shared.",
        },
    )
    threats.record_feedback(
        session,
        case,
        {
            "contact_id": people["irina"].id,
            "told_on": _day(today, -3),
            "how": "Signal call",
            "what": "Told her we asked the platform to act before she could agree, and why; she accepted.",
        },
    )
    return case


def _threatening_calls_case(session: Session, today: date, people: dict[str, Contact]) -> ThreatCase:
    """Opened yesterday: the guidelines' actions planned, not assessed yet, no consent to act."""
    return threats.open_case(
        session,
        {
            "title": "Threatening calls to a disability-rights campaigner after the budget protest",
            "status": CaseStatus.NEW,
            "urgency": Urgency.URGENT,
            "perpetrator": Perpetrator.UNKNOWN,
            "opened_on": _day(today, -1),
            "summary": "Aster-808 received three anonymous calls naming her home street after she spoke at the budget protest.",
        },
        [people["aroha"]],
        ["intimidation"],
        first_event="Third anonymous call; the caller named her street.",
        first_event_at=_at(today, -1, 21, 30),
    )


def _travel_ban_case(session: Session, today: date, people: dict[str, Contact]) -> ThreatCase:
    case = threats.open_case(
        session,
        {
            "title": "Travel ban and threats to the family of a women's rights lawyer",
            "status": CaseStatus.MONITORING,
            "urgency": Urgency.URGENT,
            "perpetrator": Perpetrator.STATE_SECURITY,
            "summary": "Orchid-303 stopped at the airport on her way to a UN session; her brother summoned.",
            "opened_on": _day(today, -120),
        },
        [people["layla"]],
        ["travel_ban", "threats_to_family", "reprisal_un"],
        plan=False,
    )
    _event(session, case, "Stopped at Port Calder airport; passport held for six hours.", _at(today, -121, 7, 45))
    _assessments(
        session,
        today,
        case,
        [
            (120, 4, 3, 2, "Ban in force; family threatened."),
            (75, 3, 3, 3, "Family moved; legal challenge filed."),
            (25, 2, 2, 4, "Ban lifted; no new incidents."),
        ],
    )
    threats.analyse(
        session,
        case,
        {
            "threat_type": "reprisal_un",
            "facts": "Ban issued two days before her UN briefing.",
            "pattern": "Same measure used on two other women's rights lawyers this year.",
            "objective": "Keep her from speaking at the UN.",
            "who": "State security, via the border police.",
            "feasibility": "Easy to impose, hard to defend once challenged publicly.",
        },
    )
    threats.add_source(
        session,
        case,
        {
            "contact_id": people["layla"].id,
            "description": "Her own account, with the border notice.",
            "reliability": Reliability.B,
            "credibility": Credibility.CONFIRMED,
            "received_on": _day(today, -120),
        },
    )
    threats.add_source(
        session,
        case,
        {
            "contact_id": people["un"].id,
            "description": "UN adviser confirmed the ban listing.",
            "reliability": Reliability.A,
            "credibility": Credibility.CONFIRMED,
            "received_on": _day(today, -115),
        },
    )
    demarche = _action(session, case, "Raise the travel ban with the Foreign Ministry", Cat.IMMEDIATE, on_behalf=True)
    threats.set_action_status(session, demarche, ActionStatus.DONE, done_on=_day(today, -110))
    _action(
        session,
        case,
        "Help the family find safe housing",
        Cat.LONGER_TERM,
        status=ActionStatus.DONE,
        done_on=_day(today, -80),
    )
    threats.add_referral(
        session,
        case,
        {
            "resource_id": "freedom-house",
            "purpose": "relocation",
            "shared": ["identity", "case_facts"],
            "status": ReferralStatus.GRANTED,
            "amount_requested": 2500,
            "amount_granted": 2500,
            "sent_on": _day(today, -105),
            "decision_on": _day(today, -92),
            "outcome": "Three months' rent for the family.",
        },
    )
    # Not money (issue 19): a communication to the UN special procedures about the reprisal.
    communication = threats.add_referral(
        session,
        case,
        {
            "resource_id": "un-special-procedures",
            "purpose": "un_communication",
            "shared": ["identity", "case_facts"],
            "status": ReferralStatus.SENT,
            "sent_on": _day(today, -112),
        },
    )
    for stage, days_ago in (("communication_sent", -90), ("reply_received", -60), ("made_public", -30)):
        threats.update_referral(session, communication, {"stage": stage, "stage_on": _day(today, days_ago)})
    threats.update_referral(
        session, communication, {"outcome": "Urgent appeal sent; the government's reply denied a ban; both public."}
    )
    threats.record_feedback(
        session,
        case,
        {
            "contact_id": people["layla"].id,
            "told_on": _day(today, -20),
            "how": "Wire",
            "what": "Told her the case would be closed and contact kept every 30 days; she agreed.",
        },
    )
    threats.close_case(
        session,
        case,
        "Travel ban lifted after the court challenge; no threats to the family since. Keep in touch monthly.",
        on=_day(today, -14),
    )
    return case


# -- trials -----------------------------------------------------------------------

#: (minutes after the start, line as typed, shorthand tags included).
PAST_NOTES = (
    (2, "a: Observers held at the gate 20 minutes; two family members refused entry"),
    (6, "d: Defendant brought in handcuffs; removed only when the judge asked"),
    (9, "p: Charges read in Veridian; defendant confirms he understood"),
    (15, "p: Defence asks to exclude the police statement signed without counsel"),
    (24, "t: Police witness (officer 1) says 'about 400 people' blocked the road"),
    (31, "t: Under cross-examination officer 1 cannot say who organised the march"),
    (40, "e: Prosecution shows drone video; the defendant cannot be identified in it"),
    (52, 'q: "The courts are not a stage for foreign activists" (prosecutor)'),
    (68, "Judge retires to consider the detention review"),
    (170, "p: Detention extended 30 days; ruling on the police statement deferred"),
    (185, "Family allowed two minutes with him after the hearing"),
)
TODAY_NOTES = (
    (3, "a: Same observers admitted without delay today"),
    (5, "d: No handcuffs; he looks thinner than two weeks ago"),
    (12, "t: Defence witness, a basin farmer, describes a peaceful march"),
    (20, "p: Judge refuses to summon the consortium's security chief"),
)
#: Set on the first items of the fair-trial template (by position, not id).
CHECKLIST_STATES = (
    (ItemStatus.DONE, "Seen in court."),
    (ItemStatus.BLOCKED, "Held 30 hours before a judge; detention review not reasoned."),
    (ItemStatus.BLOCKED, "No confidential consultation: guards stayed in the room."),
    (ItemStatus.NOT_APPLICABLE, "Detention review only; revisit when the trial opens."),
    (ItemStatus.DONE, "Observers admitted after a delay; see the access note."),
)


def _trials(session: Session, today: date, people: dict[str, Contact], case: ThreatCase) -> tuple[Trial, Hearing]:
    trial = trials.create_trial(
        session,
        {
            "title": "Prosecutor v. Ñúñez-Vidal",
            "court": "Port Calder Regional Criminal Court",
            "case_number": "CR-0417/B",
            "charges": "Organising an unauthorised assembly (Penal Code art. 212); obstructing public works (art. 301).",
            "counsel": "Tomasz Okonkwo-Lindqvist",
            "status": TrialStatus.ONGOING,
            "threat_case_id": case.id,
            "notes": FICTIONAL,
        },
        [people["jose"]],
    )
    past = trials.add_hearing(
        session,
        trial,
        {
            "starts_at": _at(today, -14, 10),
            "ends_at": _at(today, -14, 13, 15),
            "court": trial.court,
            "chamber": "Chamber 3 (criminal)",
            "judges": "Presiding judge R. Castellane-Obi; two lay assessors",
            "prosecutor": "Deputy prosecutor M. Strand-Oduya",
            "defence_counsel": "Tomasz Okonkwo-Lindqvist",
            "interpreter": "Calder-Basin dialect interpreter, present, partial",
            "public_count": 25,
            "press_count": 4,
            "diplomats_count": 3,
            "observing_missions": "US, Norland, UN Resident Coordinator's Office",
            "observers_admitted": True,
            "security_presence": "About 20 riot police outside; four armed officers in the courtroom",
            "refused_entry": "Two family members, 'for lack of space'",
        },
    )
    base.update(
        session,
        past,
        {"outcome": "Pre-trial detention extended 30 days; exclusion motion deferred.", "next_hearing_on": today},
    )
    hearing_today = trials.add_hearing(
        session,
        trial,
        {
            "starts_at": datetime.combine(today, time(9, 30)).astimezone(),
            "court": trial.court,
            "chamber": "Chamber 3 (criminal)",
            "observing_missions": "US, Norland",
        },
    )
    access_state = _fair_trial_run(session, past)
    notes = [
        trials.add_note(
            session,
            past,
            line,
            noted_at=past.starts_at + timedelta(minutes=m),
            checklist_item_state_id=access_state if line.startswith("a:") else None,
        )
        for m, line in PAST_NOTES
    ]
    trials.correct_note(session, notes[4], "t: Correction: officer 1 said 'about 40 people', not 400")
    for minutes, line in TODAY_NOTES:
        trials.add_note(session, hearing_today, line, noted_at=hearing_today.starts_at + timedelta(minutes=minutes))
    other = trials.create_trial(
        session,
        {
            "title": "Prosecutor v. Volkova",
            "court": "Port Calder Magistrates' Court",
            "case_number": "MC-2291",
            "charges": "Criminal defamation of a public official (Penal Code art. 188).",
            "counsel": "Public defender, to be confirmed",
            "status": TrialStatus.PRE_TRIAL,
            "notes": FICTIONAL,
        },
        [people["irina"]],
    )
    trials.add_hearing(
        session, other, {"starts_at": _at(today, 10, 10), "court": other.court, "chamber": "Courtroom 2"}
    )
    return trial, hearing_today


def _fair_trial_run(session: Session, hearing: Hearing) -> str | None:
    """A fair-trial checklist on the hearing; returns the state id of the last item set."""
    run = checklists.start_run(session, "fair-trial", {"hearing_id": hearing.id})
    item_ids = [item["id"] for item in checklists.latest_template(session, "fair-trial").items]
    state_id = None
    for item_id, (status, note) in zip(item_ids, CHECKLIST_STATES, strict=False):
        state_id = checklists.set_item(session, run, item_id, status, note).id
    return state_id


# -- monitoring and reporting ---------------------------------------------------------


def _monitoring(
    session: Session, today: date, people: dict[str, Contact], cases: dict[str, ThreatCase], trial: Trial
) -> None:
    def source(key: str, description: str, reliability: Reliability, credibility: Credibility) -> dict[str, Any]:
        return {
            "contact_id": people[key].id,
            "description": description,
            "reliability": reliability,
            "credibility": credibility,
        }

    # (days ago, category, description, location, sensitive, web links, sources, links)
    Observation = tuple[int, Civ, str, str | None, bool, list[str], list[dict[str, Any]], list[dict[str, str]]]
    observations: tuple[Observation, ...] = (
        (
            165,
            Civ.FUNDING_REGISTRATION,
            "Draft foreign-funding bill: NGOs with over 20% foreign funds must register as 'foreign-influenced'.",
            "National Assembly, Port Calder",
            False,
            ["https://example.org/veridia/funding-bill"],
            [source("coalition", "Coalition legal analysis", Reliability.B, Credibility.CONFIRMED)],
            [{"contact_id": people["coalition"].id}],
        ),
        (
            130,
            Civ.SURVEILLANCE,
            "Three journalists report the same spyware profile on their phones after a procurement story.",
            None,
            True,
            [],
            [source("meiling", "Forensic check by an international CSO", Reliability.B, Credibility.PROBABLY_TRUE)],
            [{"contact_id": people["irina"].id}],
        ),
        (
            95,
            Civ.SPURIOUS_LEGAL_ACTION,
            "Wave of criminal defamation complaints by officials against reporters.",
            CAPITAL,
            False,
            [],
            [source("irina", "Reporter's account", Reliability.C, Credibility.POSSIBLY_TRUE)],
            [{"contact_id": people["irina"].id}],
        ),
        (
            60,
            Civ.DIALOGUE,
            "Ministry of Justice consulted civil society on the national human rights action plan; 14 CSOs invited.",
            "Ministry of Justice, Port Calder",
            False,
            [],
            [],
            [],
        ),
        (
            40,
            Civ.BUSINESS_CONDUCT,
            "Consortium guards photographed residents at a community meeting on the mine expansion.",
            "Calder Basin",
            False,
            [],
            [source("coalition", "Coalition members present", Reliability.C, Credibility.PROBABLY_TRUE)],
            [{"contact_id": people["company"].id}],
        ),
        (
            24,
            Civ.ATTACKS_REPRISALS,
            "Basin organiser arrested the morning after a peaceful march; two others questioned.",
            "Hamlet of San Teodoro, house by the river crossing",
            True,
            [],
            [source("tomasz", "Defence counsel", Reliability.B, Credibility.PROBABLY_TRUE)],
            [{"case_id": cases["detention"].id}, {"trial_id": trial.id}, {"contact_id": people["jose"].id}],
        ),
    )
    for ago, category, description, location, sensitive, urls, sources, links in observations:
        monitoring.add_observation(
            session,
            {
                "observed_on": _day(today, -ago),
                "category": category,
                "description": description,
                "location": location,
                "location_sensitive": sensitive,
                "links": urls,
            },
            sources,
            links,
        )


def _accountability(session: Session, today: date, cases: dict[str, ThreatCase]) -> None:
    """What happened after the attacks (issue 19): a complaint on the detention case (not yet
    30 days old), a radio station burnt 75 days ago with a complaint and no investigation
    (LATE on Today), and an assault that reached charges."""

    def attack(ago: int, description: str) -> str:
        return monitoring.add_observation(
            session,
            {"observed_on": _day(today, -ago), "category": Civ.ATTACKS_REPRISALS, "description": description},
            (),
            (),
        ).id

    def step(what: str, ago: int, source: str, note: str = "", **owner: str) -> None:
        data = {"step": what, "on_date": _day(today, -ago), "source": source, "note": note}
        accountability.add_step(session, data, **owner)

    step(
        "complaint_filed",
        22,
        "Defence counsel",
        "Unlawful arrest and ill-treatment in custody, filed with the regional prosecutor.",
        case_id=cases["detention"].id,
    )
    radio = attack(75, "Community radio station in the Calder Basin set on fire at night after threats to its staff.")
    step("complaint_filed", 74, "Station director", "Filed with the Calder police; no reply.", observation_id=radio)
    assault = attack(50, "Two women's rights activists beaten by unidentified men after a press conference.")
    step("complaint_filed", 49, "The activists' lawyer", observation_id=assault)
    step("investigation_opened", 40, "Police press statement", observation_id=assault)
    step("charged", 10, "Court registry", "Two men charged with assault; no hearing set.", observation_id=assault)


def _report(session: Session, today: date) -> None:
    end = today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    body = (
        f"# Veridia: regular reporting, {start:%B %Y}\n\n*Draft. {FICTIONAL}.*\n\n"
        "## Civic space\n- The foreign-funding bill is still before the Assembly.\n"
        "- Reprisals against land defenders in the Calder Basin continue.\n\n"
        "## Defenders under threat\n- **Heron-101**: detained after a peaceful march; trial observed with Norland.\n"
        "- **a journalist**: surveillance and a defamation charge; digital-security referral sent.\n\n"
        "## Recommendations\n1. Keep observing every hearing.\n2. Raise access to counsel at the next dialogue.\n"
    )
    base.create(
        session,
        Report,
        {
            "type": ReportType.REGULAR,
            "period_start": start,
            "period_end": end,
            "title": f"Regular reporting: {start:%B %Y}",
            "body": body,
        },
    )


def _post_plan(session: Session) -> None:
    """The post's own plan, set after the demo cases opened (they keep the app's suggestions):
    at this post the political officer makes the first contact, the next day."""
    plan.set_item(session, "threat-immediate:meet-or-connect-securely", "Political officer", 1)


#: The post's own report layout: its working copy for the next TIP edition (fictional).
POST_LAYOUT = """schema = 1
id = "tip-2026-port-calder"
report = "tip"
edition = 2026
title = "Trafficking in Persons Report, 2026 edition (Port Calder's working copy)"
changes = "The post's reading: forced labour on the Calder Basin plantations is followed under the profile."
unchecked = "Everything: the 2026 instructions have not arrived. Fictional demo data."

[[section]]
heading = "Prosecution"
level = 2
receives = ["prosecution"]

[[section]]
heading = "Protection"
level = 2
receives = ["protection"]

[[section]]
heading = "Prevention"
level = 2
receives = ["prevention"]

[[section]]
heading = "Trafficking profile"
level = 2
checked = false

[[section]]
heading = "Forced labour on the Calder Basin plantations"
level = 3
receives = ["profile"]
own = true
guidance = "Business conduct observed about those working on trafficking."

[[section]]
heading = "Civil society working on trafficking"
level = 2
own = true

[[section]]
heading = "Challenges they face"
level = 3
receives = ["challenges"]
own = true

[[section]]
heading = "Engagement with them"
level = 3
receives = ["engagement"]
own = true
"""


def _post_layout(session: Session) -> None:
    """The post's own layout for the next TIP edition (hrd-tui layout list shows it): the
    newest edition, so the TIP draft follows it until the officer picks another."""
    layout = report_layouts.parse(POST_LAYOUT, "demo", reports.CONTENT_KEYS)
    report_layouts.store(session, layout, POST_LAYOUT)


def _post_resources(session: Session, today: date, case: ThreatCase) -> None:
    """The post's own resources beside the shipped list (issue 19): a national protection
    mechanism, a trusted lawyers' collective, a shelter (with contact notes that stay in the
    vault), and a local fund retired when it wound up. A draft referral of the calls case
    goes to the shelter. All fictional."""
    mechanism = {
        "name": "Veridia National Protection Mechanism for Human Rights Defenders",
        "kind": "national-protection-mechanism",
        "funds": "Risk assessments, police escorts, panic buttons and, rarely, temporary relocation inside the country.",
        "eligibility": "Defenders and journalists at risk in Veridia; slow outside the capital, and police-run.",
        "how_to_refer": "The defender applies; the post can accompany them to the intake interview with their consent. "
        "Weigh that the police run it before suggesting it where police are the threat.",
        "as_of": _day(today, -30),
    }
    lawyers = {
        "name": "Calder Legal Aid Collective",
        "kind": "lawyer",
        "funds": "Criminal defence for defenders charged for their work, habeas corpus filings within hours.",
        "eligibility": "Defenders and organisers in the Calder Basin and Port Calder.",
        "how_to_refer": "Through its coordinator, in person or on Signal; it decides on each case itself.",
        "contact_notes": "The coordinator at the Harbour Street office; Signal only (fictional).",
    }
    shelter = {
        "name": "Harbour safe-house network",
        "kind": "shelter",
        "funds": "Up to three weeks' safe stay for a defender and their family, inside Port Calder.",
        "eligibility": "Defenders at imminent risk whose home is known; no one under investigation by the network's "
        "own rules.",
        "how_to_refer": "The officer calls the duty contact; never by e-mail, never the address in writing.",
        "contact_notes": "Duty contact through the women's rights coalition's night line; ask for 'the harbour room' "
        "(fictional).",
        "as_of": _day(today, -7),
    }
    local_fund = {
        "name": "Port Calder Community Solidarity Fund",
        "kind": "local-fund",
        "funds": "Small grants for legal costs of local activists (wound up; kept for the referrals that named it).",
        "eligibility": "Local activists in Port Calder.",
        "how_to_refer": "No longer takes applications.",
    }
    for fields in (mechanism, lawyers):
        resources.add(session, fields)
    safe = resources.add(session, shelter)
    resources.retire(session, resources.add(session, local_fund), _day(today, -40))
    threats.add_referral(
        session,
        case,
        {
            "resource_id": safe.id,
            "purpose": "relocation",
            "status": ReferralStatus.DRAFT,
            "outcome": "To discuss with Aster-808 first: she has not asked to move.",
        },
    )


def _demo_photo() -> bytes:
    """A small picture of the kind a defender sends: with the EXIF a phone writes (a GPS
    position, the phone, its owner), which the attachments list shows and an export
    with --strip-metadata removes."""
    from PIL import Image  # only when a demo is made

    picture = Image.new("RGB", (96, 64), (150, 40, 40))
    for x in range(20, 76):
        for y in range(18, 46):
            picture.putpixel((x, y), (220, 180, 150))
    exif = Image.Exif()
    exif[0x010F] = "Fictional Phones"
    exif[0x0110] = "FP-7"
    exif.get_ifd(0x8769)[0xA430] = "Heron-101 family"  # camera owner
    exif[0x8825] = {1: "N", 2: (12.0, 30.0, 15.0), 3: "W", 4: (61.0, 12.0, 40.0)}  # a made-up place
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _demo_pdf(lines: list[str]) -> bytes:
    """A one-page PDF holding ``lines`` of text, written by hand (no PDF writer needed)."""
    text = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 11 Tf 50 780 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Author (Registry clerk, Port Calder court) /Creator (Fictional Office Suite) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _attachments(session: Session, people: dict[str, Contact], case: ThreatCase, hearing: Hearing) -> None:
    """Evidence files (issue 20): a photo with its EXIF, a summons whose file name holds
    the defender's name (discreet mode hides it), and the court's hearing notice."""
    jose = people["jose"]
    files = [
        (
            attachments.Owner("case", case.id),
            "injuries-after-arrest.jpg",
            _demo_photo(),
            "Sent by his sister over Signal.",
        ),
        (
            attachments.Owner("case", case.id),
            f"Summons - {jose.name}.txt",
            f"SUMMONS\n\n{jose.name} is to appear before the Port Calder Regional Criminal Court.\n"
            f"({FICTIONAL})\n".encode(),
            "Photographed at his home by his lawyer, transcribed.",
        ),
        (
            attachments.Owner("hearing", hearing.id),
            "hearing-notice.pdf",
            _demo_pdf(["Port Calder Regional Criminal Court", "Case CR-0417/B: notice of hearing", f"({FICTIONAL})"]),
            "",
        ),
    ]
    for owner, name, data, note in files:
        attachments.add_stream(session, io.BytesIO(data), name, owner, note=note)
