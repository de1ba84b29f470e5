"""Report drafts for a period (services/reports.py), on a real vault: each type's sections
in order with each record under the right one and its reference; a name without naming
consent nowhere in any type (not in free text either, whatever the accents or case);
a named person named; sensitive locations never; the period's edges exact; the same text
every time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.services import contacts, monitoring, redaction, report_layouts, reports, threats, trials
from hrd_tui.services.reports import NOTHING, render_report
from hrd_tui.vocab import (
    ActionStatus,
    CivicCategory,
    ContactKind,
    FocusArea,
    Perpetrator,
    ReferralStatus,
    ReportType,
    ThreatType,
)

START, END = date(2025, 3, 1), date(2025, 3, 31)
NEVER = "Marisol Ñúñez-Vidal"  # naming consent "never"
ANON = "Joaquín Arévalo"  # "anonymised": a land-rights defender
NAMED = "Tomasz Okonkwo"  # "named"
NOCONSENT = "Lucía Brenner"  # nothing recorded: a journalist
ORG = "Asociación Tierra Libre"  # an organisation, "never"
UNLINKED = "Renata Oyelaran"  # linked to nothing, only typed into free text
#: Every part of every withheld name, and their codenames, folded (redaction.fold).
WITHHELD = (
    "marisol",
    "nunez",
    "vidal",
    "orchid",
    "joaquin",
    "arevalo",
    "lantern",
    "lucia",
    "brenner",
    "quartz",
    "asociacion",
    "tierra",
    "libre",
    "willow",
    "renata",
    "oyelaran",
    "comet",
)
TYPES = list(ReportType)


def at(day: date, hour: int = 12) -> datetime:
    """Local wall-clock time on ``day``, aware."""
    return datetime.combine(day, time(hour)).astimezone()


def build(s) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A vault with records inside March 2025 and one day either side of it; returns ids."""

    def person(name: str, codename: str, kind: str, areas: list[str], consent: str | None):  # type: ignore[no-untyped-def]
        contact = contacts.create_contact(s, {"name": name, "codename": codename, "kind": kind}, areas)
        if consent:
            contacts.record_consent(s, contact, {"scope": "naming", "value": consent, "given_on": date(2025, 1, 1)})
        return contact

    never = person(NEVER, "Orchid-990", "defender", ["land_environment", "trafficking", "religious_freedom"], "never")
    # An earlier decision to be named, recorded after the later one: the later one given is in force.
    contacts.record_consent(s, never, {"scope": "naming", "value": "named", "given_on": date(2024, 6, 1)})
    anon = person(ANON, "Lantern-202", "defender", ["land_environment", "trafficking"], "anonymised")
    named = person(NAMED, "Cedar-505", "lawyer", ["religious_freedom"], "named")
    journalist = person(NOCONSENT, "Quartz-404", "journalist", ["journalism_media"], None)
    org = person(ORG, "Willow-707", "cso", ["trafficking"], "never")
    person(UNLINKED, "Comet-111", "defender", [], None)
    ids: dict[str, str] = {}

    def obs(key: str, day: date, category: str, description: str, about, **extra) -> None:  # type: ignore[no-untyped-def]
        ids[key] = monitoring.add_observation(
            s,
            {"observed_on": day, "category": category, "description": description, **extra},
            links=[{"contact_id": about.id}],
            sources=extra.pop("sources", ()),
        ).id

    obs("first", START, "surveillance", "Phones of two CSOs tapped (FIRST-DAY).", org)
    ids["attack"] = monitoring.add_observation(
        s,
        {
            "observed_on": date(2025, 3, 5),
            "category": "attacks_reprisals",
            "location": "Calle Sensible 5",
            "location_sensitive": True,
            "description": "MARISOL ÑUÑEZ-VIDAL was beaten by police outside her office.",
        },
        sources=[
            {
                "contact_id": journalist.id,
                "description": "Told by Lucía Brenner.",
                "reliability": "B",
                "credibility": "2",
            }
        ],
        links=[{"contact_id": never.id}],
    ).id
    obs(
        "assembly",
        date(2025, 3, 10),
        "restrictions_on_freedoms",
        "Protest dispersed in the capital; Joaquín was kettled.",
        org,
        location="Central Square",
        location_sensitive=False,
    )
    obs("dialogue", date(2025, 3, 12), "dialogue", f"Ministry met CSOs; {UNLINKED} and Okonkwo attended.", named)
    obs(
        "remedy",
        date(2025, 3, 15),
        "protection_remedy",
        "Prosecutor opened an investigation into the attack on the shelter.",
        org,
    )
    obs("business", date(2025, 3, 16), "business_conduct", "Garment factory audit shared with CSOs.", anon)
    obs("last", END, "public_participation", "Consultation law enforced (LAST-DAY).", named)
    obs("before", date(2025, 2, 28), "attacks_reprisals", "OUTSIDE-OBS-BEFORE", never)
    obs("after", date(2025, 4, 1), "attacks_reprisals", "OUTSIDE-OBS-AFTER", never)

    detention = threats.open_case(
        s,
        {
            "title": f"Detention of {NEVER}",
            "opened_on": date(2025, 2, 20),
            "status": "responding",
            "perpetrator": Perpetrator.POLICE,
            "summary": f"Nunez Vidal held incommunicado; {NAMED} is her lawyer.",
        },
        [never],
        ["arbitrary_detention", "torture"],
        plan=False,
    )
    threats.assess_risk(s, detention, {"assessed_on": date(2025, 3, 2), "threat": 5, "vulnerability": 4, "capacity": 2})
    threats.assess_risk(s, detention, {"assessed_on": date(2025, 4, 5), "threat": 1, "vulnerability": 1, "capacity": 5})
    threats.add_action(
        s,
        detention,
        {"title": "Raise the detention with the Ministry", "status": ActionStatus.DONE, "done_on": date(2025, 3, 15)},
    )
    threats.add_action(
        s, detention, {"title": "OUTSIDE-ACTION", "status": ActionStatus.DONE, "done_on": date(2025, 2, 25)}
    )
    threats.add_referral(
        s,
        detention,
        {
            "resource_id": "lifeline",
            "purpose": "legal_fees",
            "shared": ["identity"],
            "status": ReferralStatus.SENT,
            "sent_on": date(2025, 3, 8),
            "emergency_justification": "Held incommunicado.",
        },
    )
    ids["detention"] = detention.id
    smear = threats.open_case(
        s,
        {
            "title": "Smear campaign against a reporter",
            "opened_on": date(2025, 3, 20),
            "summary": "Comet 111 saw the posts; Brenner's articles were targeted.",
        },
        [journalist],
        ["smear_campaign", "reprisal_un"],
        plan=False,
    )
    ids["smear"] = smear.id
    on_start = threats.open_case(s, {"title": "CLOSED-ON-START", "opened_on": date(2025, 1, 10)}, [anon], plan=False)
    threats.close_case(s, on_start, "Relocated.", on=START)
    ids["on_start"] = on_start.id
    before = threats.open_case(s, {"title": "CLOSED-BEFORE", "opened_on": date(2025, 1, 10)}, [anon], plan=False)
    threats.close_case(s, before, "Relocated.", on=date(2025, 2, 28))
    threats.open_case(s, {"title": "OPENED-AFTER", "opened_on": date(2025, 4, 1)}, [never], plan=False)

    trial = trials.create_trial(
        s,
        {
            "title": "Prosecutor v. Ñúñez-Vidal",
            "court": "Port Calder District Court",
            "case_number": "2025/114",
            "charges": "Unlawful assembly.",
            "status": "ongoing",
        },
        [never, named],
    )
    ids["trial"] = trial.id
    ids["hearing"] = trials.add_hearing(
        s,
        trial,
        {
            "starts_at": at(date(2025, 3, 18), 10),
            "observers_admitted": False,
            "refused_entry": "Two diplomats",
            "outcome": "Adjourned; Vidal returned to custody.",
            "next_hearing_on": date(2025, 4, 20),
        },
    ).id
    trials.add_hearing(s, trial, {"starts_at": at(date(2025, 4, 1), 10), "outcome": "OUTSIDE-HEARING"})
    outside = trials.create_trial(s, {"title": "OUTSIDE-TRIAL"}, [anon])
    trials.add_hearing(s, outside, {"starts_at": at(date(2025, 2, 28), 10)})

    ids["meeting"] = contacts.log_interaction(
        s,
        {
            "kind": "meeting",
            "occurred_at": at(date(2025, 3, 7)),
            "location": "Safe house Calle Nueve",
            "location_sensitive": True,
            "conveyed_to_counterparts": True,
            "summary": "marisol said Joaquín fears arrest; Orchid 990 asked for help.",
        },
        [never, anon],
    ).id
    ids["call"] = contacts.log_interaction(
        s,
        {
            "kind": "call",
            "occurred_at": at(date(2025, 3, 25)),
            "location": "Embassy annex",
            "location_sensitive": False,
            "summary": "Okonkwo (cedar 505) briefed us on the trial.",
        },
        [named],
    ).id
    contacts.log_interaction(
        s, {"kind": "meeting", "occurred_at": at(date(2025, 4, 1)), "summary": "OUTSIDE-INTERACTION"}, [anon]
    )
    contacts.log_interaction(
        s, {"kind": "call", "occurred_at": at(date(2025, 2, 28)), "summary": "OUTSIDE-INTERACTION"}, [anon]
    )
    return ids


@pytest.fixture
def ids(opened) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        return build(s)


def render(opened, report_type, start: date = START, end: date = END, **kw) -> str:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        return render_report(s, report_type, start, end, **kw)


def headings(report: str) -> list[str]:
    return [line for line in report.splitlines() if line.startswith("#")]


def section(report: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same level or higher."""
    lines = report.splitlines()
    start = lines.index(heading)
    level = len(heading.split()[0])
    end = next(
        (n for n in range(start + 1, len(lines)) if lines[n].startswith("#") and len(lines[n].split()[0]) <= level),
        len(lines),
    )
    return "\n".join(lines[start + 1 : end])


def ref(kind: str, ident: str) -> str:
    return f"[{kind} {ident[:8]}]"


def placed(report: str, where: dict[str, list[str]]) -> None:
    """Each reference under each heading given, and under no other leaf heading of the report."""
    for heading, refs in where.items():
        body = section(report, heading)
        for r in refs:
            assert r in body, (heading, r, body)


# -- each type: its sections in order, each record where it belongs ---------------------------------


def test_regular_report_sections_and_records(opened, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    report = render(opened, ReportType.REGULAR)
    assert headings(report) == [
        "# Draft: Regular report on the civic space environment, 2025-03-01 to 2025-03-31",
        "## Civic space",
        "### Association, assembly, speech",
        "### Funding and registration",
        "### Attacks and reprisals",
        "### Spurious legal actions",
        "### Protection and remedy",
        "### Surveillance",
        "### Hacking and device seizure",
        "### Dialogue with civil society",
        "### Public participation laws",
        "### Business conduct",
        "## Defenders under threat",
        "## Accountability for attacks",
        "## Trials and hearings observed",
        "## Démarches and meetings with officials",
        "## Engagement with civil society",
        "### Meeting",
        "### Call",
        "### Secure message",
        "### Event",
        "### Site visit",
        "## Redaction",
    ]
    placed(
        report,
        {
            "### Association, assembly, speech": [ref("obs", ids["assembly"])],
            "### Attacks and reprisals": [ref("obs", ids["attack"])],
            "### Protection and remedy": [ref("obs", ids["remedy"])],
            "### Surveillance": [ref("obs", ids["first"])],
            "### Dialogue with civil society": [ref("obs", ids["dialogue"])],
            "### Public participation laws": [ref("obs", ids["last"])],
            "### Business conduct": [ref("obs", ids["business"])],
            "## Defenders under threat": [ref("case", ids[k]) for k in ("on_start", "detention", "smear")],
            "## Trials and hearings observed": [ref("trial", ids["trial"]), ref("hearing", ids["hearing"])],
            "### Meeting": [ref("interaction", ids["meeting"])],
            "### Call": [ref("interaction", ids["call"])],
        },
    )
    for empty in (
        "### Funding and registration",
        "### Spurious legal actions",
        "### Hacking and device seizure",
        "### Secure message",
        "### Event",
        "### Site visit",
    ):
        assert section(report, empty).strip() == NOTHING, empty
    attack = next(line for line in report.splitlines() if ref("obs", ids["attack"]) in line)
    assert attack == (
        f"- 2025-03-05: a defender was beaten by police outside her office. Concerning: a defender. "
        f"Sources: 1 (rated B2). After the attack: No step recorded. {ref('obs', ids['attack'])}"
    )
    cases = section(report, "## Defenders under threat")
    assert (
        cases.index(ref("case", ids["on_start"]))
        < cases.index(ref("case", ids["detention"]))
        < cases.index(ref("case", ids["smear"]))
    )
    assert (
        "- Threat case, opened 2025-02-20: Detention of a defender. Defenders: a defender. Status: Responding; "
        "urgency: urgent. Threat types: Arbitrary detention; Torture or ill-treatment. Alleged perpetrator: Police. "
        f"Latest risk: Critical (assessed 2025-03-02). {ref('case', ids['detention'])}"  # 5/4/2: floored (issue 18)
    ) in cases
    assert f"  - Summary: a defender held incommunicado; {NAMED} is her lawyer." in cases
    assert "  - Actions done in the period: Raise the detention with the Ministry (2025-03-15)." in cases
    assert "  - Referrals: Lifeline" in cases and "for legal fees: awaiting a decision (sent 2025-03-08)." in cases
    assert "OUTSIDE-ACTION" not in report and "Low (assessed" not in report
    held = section(report, "## Trials and hearings observed")
    assert (
        "- Trial, Port Calder District Court: Prosecutor v. a defender. Defendants: " in held
        and "Status: Ongoing. Charges: Unlawful assembly." in held
    )
    assert (
        f"  - Hearing of 2025-03-18. Observers admitted: no. Refused entry: Two diplomats. Outcome: Adjourned; "
        f"a defender returned to custody. Next hearing: 2025-04-20. {ref('hearing', ids['hearing'])}"
    ) in held
    assert "2025/114" not in report  # a case number identifies the defendants
    engagement = section(report, "## Engagement with civil society")
    assert "2 interactions in the period; concerns were conveyed to embassy counterparts after 1 of them." in engagement
    meeting = section(report, "### Meeting")
    assert "a defender" in meeting and "a land-rights defender" in meeting
    assert "Concerns conveyed to embassy counterparts: yes." in meeting
    assert (
        f"- 2025-03-25 with {NAMED}: Okonkwo ({NAMED}) briefed us on the trial. Location: Embassy annex. Concerns conveyed "
        f"to embassy counterparts: no. {ref('interaction', ids['call'])}"
    ) in section(report, "### Call")


def test_crhrp_report_follows_the_country_reports_sections(opened, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """The 2023 edition's layout (issue 19: layouts as data; the 2024 edition's is the default, below)."""
    report = render(opened, "crhrp", layout="crhrp-2023")
    assert headings(report) == [
        "# Draft: Country Reports on Human Rights Practices, 2025-03-01 to 2025-03-31",
        "## Section 1. Respect for the Integrity of the Person",
        "### a. Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings",
        "### b. Disappearance",
        "### c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses",
        "### d. Arbitrary Arrest or Detention",
        "### e. Denial of Fair Public Trial",
        "### f. Transnational Repression",
        "### g. Arbitrary or Unlawful Interference with Privacy, Family, Home, or Correspondence",
        "## Section 2. Respect for Civil Liberties",
        "### a. Freedom of Expression, Including for Members of the Press and Other Media",
        "### b. Freedoms of Peaceful Assembly and Association",
        "### d. Freedom of Movement and the Right to Leave the Country",
        "## Section 3. Freedom to Participate in the Political Process",
        (
            "## Section 5. Governmental Posture Towards International and Nongovernmental Monitoring and Investigations "
            "of Alleged Abuses of Human Rights"
        ),
        "### Reprisals for engaging with the UN and other international bodies (hrd-tui)",
        "### Harassment of and attacks on human rights defenders (hrd-tui)",
        "### Dialogue with civil society (hrd-tui)",
        "### Protection and remedy (hrd-tui)",
        "## Section 7. Worker Rights",
        "## Redaction",
    ]
    where = {
        "### c. Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses": [
            ref("case", ids["detention"])
        ],
        "### d. Arbitrary Arrest or Detention": [ref("case", ids["detention"])],
        "### e. Denial of Fair Public Trial": [ref("trial", ids["trial"]), ref("hearing", ids["hearing"])],
        "### g. Arbitrary or Unlawful Interference with Privacy, Family, Home, or Correspondence": [
            ref("obs", ids["first"])
        ],
        "### a. Freedom of Expression, Including for Members of the Press and Other Media": [
            ref("obs", ids["assembly"]),
            ref("case", ids["smear"]),
        ],
        "### b. Freedoms of Peaceful Assembly and Association": [ref("obs", ids["assembly"])],
        "## Section 3. Freedom to Participate in the Political Process": [ref("obs", ids["last"])],
        "### Reprisals for engaging with the UN and other international bodies (hrd-tui)": [ref("case", ids["smear"])],
        "### Harassment of and attacks on human rights defenders (hrd-tui)": [
            ref("obs", ids["attack"]),
            ref("case", ids["smear"]),
            ref("case", ids["on_start"]),
        ],
        "### Dialogue with civil society (hrd-tui)": [ref("obs", ids["dialogue"])],
        "### Protection and remedy (hrd-tui)": [ref("obs", ids["remedy"])],
        "## Section 7. Worker Rights": [ref("obs", ids["business"])],
    }
    placed(report, where)
    # ... and nowhere else: each leaf heading holds exactly what the tables send there.
    leaves = [
        h
        for n, h in enumerate(headings(report)[1:-1], 1)
        if not (headings(report)[n + 1].startswith("#" * (len(h.split()[0]) + 1) + " "))
    ]
    for heading in leaves:
        body = section(report, heading)
        found = {
            r
            for key, ident in ids.items()
            for kind in ("obs", "case", "trial", "hearing")
            if (r := ref(kind, ident)) in body
        }
        assert found == set(where.get(heading, [])), heading
        if heading not in where:
            assert body.strip() == NOTHING, heading
    assert "[interaction " not in report  # the Country Reports do not describe what the U.S. does
    assert "Actions done" not in report and "Referrals:" not in report


def test_crhrp_report_follows_the_2024_edition_by_default(opened, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """The newest edition's layout is the default; its header says which it is, and the
    subsections that are the app's own say so in their heading."""
    report = render(opened, "crhrp")
    assert (
        "Layout: Country Reports on Human Rights Practices, 2024 edition (crhrp-2024, shipped with hrd-tui)." in report
    )
    assert headings(report)[1:4] == ["## Life", "### Extrajudicial Killings", "### Disappearance and Abduction"]
    assert "## Human rights defenders and civil society (hrd-tui)" in headings(report)
    placed(
        report,
        {
            "### Arbitrary Arrest or Detention": [ref("case", ids["detention"])],
            "### Torture and Cruel, Inhuman, or Degrading Treatment or Punishment": [ref("case", ids["detention"])],
            "### Denial of Fair Public Trial": [ref("trial", ids["trial"]), ref("hearing", ids["hearing"])],
            "### Political participation (hrd-tui)": [ref("obs", ids["last"])],
            "## Worker Rights": [ref("obs", ids["business"])],
            "### Harassment of and attacks on human rights defenders (hrd-tui)": [
                ref("obs", ids["attack"]),
                ref("case", ids["smear"]),
                ref("case", ids["on_start"]),
            ],
        },
    )
    assert "Not placed by the layout" not in report
    assert render(opened, "crhrp", layout="crhrp-2024") == report


def test_tip_report_draws_on_those_working_on_trafficking(opened, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    report = render(opened, ReportType.TIP)
    assert headings(report) == [
        "# Draft: Trafficking in Persons Report, 2025-03-01 to 2025-03-31",
        "## Prosecution",
        "## Protection",
        "## Prevention",
        "## Trafficking profile",
        "## Civil society working on trafficking (hrd-tui)",
        "### Challenges they face (hrd-tui)",
        "### Engagement with them (hrd-tui)",
        "## Redaction",
    ]
    placed(
        report,
        {
            "## Prosecution": [ref("obs", ids["remedy"])],
            "## Protection": [ref("obs", ids["remedy"])],
            "## Trafficking profile": [ref("obs", ids["business"])],
            "### Challenges they face (hrd-tui)": [ref("obs", ids[k]) for k in ("first", "attack", "assembly")]
            + [ref("case", ids["detention"]), ref("case", ids["on_start"]), ref("trial", ids["trial"])],
            "### Engagement with them (hrd-tui)": [ref("interaction", ids["meeting"])],
        },
    )
    for absent in (
        ref("obs", ids["dialogue"]),
        ref("obs", ids["last"]),
        ref("case", ids["smear"]),
        ref("interaction", ids["call"]),
    ):
        assert absent not in report, absent  # linked to no one working on trafficking
    assert ref("obs", ids["remedy"]) not in section(report, "## Prevention")
    assert section(report, "## Prevention").strip() == NOTHING  # business conduct: the trafficking profile


def test_irf_report_draws_on_those_working_on_religious_freedom(opened, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    report = render(opened, ReportType.IRF)
    assert headings(report) == [
        "# Draft: International Religious Freedom Report, 2025-03-01 to 2025-03-31",
        "## Section I. Religious Demography",
        "## Section II. Status of Government Respect for Religious Freedom",
        "### Legal Framework",
        "### Government Practices",
        "## Section III. Status of Societal Respect for Religious Freedom",
        "## Section IV. U.S. Government Policy and Engagement",
        "## Redaction",
    ]
    placed(
        report,
        {
            "### Legal Framework": [ref("obs", ids["last"])],  # public participation laws
            "### Government Practices": [ref("obs", ids[k]) for k in ("attack", "dialogue")]
            + [ref("case", ids["detention"]), ref("trial", ids["trial"])],
            "## Section III. Status of Societal Respect for Religious Freedom": [ref("obs", ids["attack"])],
            "## Section IV. U.S. Government Policy and Engagement": [
                ref("interaction", ids["meeting"]),
                ref("interaction", ids["call"]),
            ],
        },
    )
    societal = section(report, "## Section III. Status of Societal Respect for Religious Freedom")
    assert ref("case", ids["detention"]) not in societal  # the police: government practice
    for absent in ("first", "assembly", "remedy", "business"):
        assert ref("obs", ids[absent]) not in report, absent
    assert ref("case", ids["smear"]) not in report and ref("case", ids["on_start"]) not in report


# -- redaction ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("report_type", TYPES)
def test_a_name_without_consent_is_nowhere_in_any_report(opened, ids: dict[str, str], report_type: ReportType) -> None:  # type: ignore[no-untyped-def]
    report = render(opened, report_type)
    folded = redaction.fold(report)
    for part in WITHHELD:
        assert part not in folded, part
    # The text around the names is there: they were replaced, not dropped.
    assert "a defender was beaten by police outside her office." in report
    assert "Prosecutor v. a defender." in report
    real = render(opened, report_type, real_names=True)
    assert "MARISOL ÑUÑEZ-VIDAL was beaten" in real and "Prosecutor v. Ñúñez-Vidal" in real


def test_free_text_everywhere_is_redacted_and_named_people_named(opened, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    report = render(opened, ReportType.REGULAR)
    assert "Detention of a defender." in report  # a case title
    assert "  - Summary: a defender held incommunicado; Tomasz Okonkwo is her lawyer." in report  # a case summary
    assert "Outcome: Adjourned; a defender returned to custody." in report  # a hearing's outcome
    assert "a defender said a land-rights defender fears arrest; a defender asked for help." in report  # codename too
    assert "Ministry met CSOs; a defender and Okonkwo attended." in report  # a contact linked to nothing
    assert "  - Summary: a defender saw the posts; a journalist's articles were targeted." in report
    assert "Protest dispersed in the capital; a land-rights defender was kettled." in report
    assert "Defendants: " in report and NAMED in section(report, "## Trials and hearings observed")
    for report_type in TYPES:
        assert NAMED in render(opened, report_type), report_type
    assert (
        "- 5 names withheld by naming consent: 4 with no consent to be named (written as their kind only), "
        "1 anonymised (written as their kind and focus area)."
    ) in report
    assert "1 person named with their consent." in report


def test_real_names_on_request_and_said_so(opened, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    report = render(opened, ReportType.REGULAR, real_names=True)
    assert report.splitlines()[4].startswith("**WARNING: REAL NAMES.** Everyone is named as stored")
    for name in (NEVER, ANON, NOCONSENT, UNLINKED):
        assert name in report, name
    assert f"Detention of {NEVER}." in report
    assert "- Real names: 6 people named as stored, whatever their naming consent (5 of them without consent" in report
    assert "withheld by naming consent" not in report


@pytest.mark.parametrize("real_names", [False, True])
def test_sensitive_locations_never_appear(opened, ids: dict[str, str], real_names: bool) -> None:  # type: ignore[no-untyped-def]
    for report_type in TYPES:
        report = render(opened, report_type, real_names=real_names)
        assert (
            "sensible" not in report.casefold()
            and "safe house" not in report.casefold()
            and "nueve" not in report.casefold()
        )
    report = render(opened, ReportType.REGULAR, real_names=real_names)
    assert "Location: Central Square." in report and "Location: Embassy annex." in report
    assert "- 2 locations left out as sensitive." in report
    assert "- 1 location left out as sensitive." in render(opened, ReportType.CRHRP, real_names=real_names)


def test_neutral_descriptions() -> None:
    describe = reports.describe
    assert describe(ContactKind.DEFENDER, [FocusArea.LAND_ENVIRONMENT], with_focus=True) == "a land-rights defender"
    assert describe(ContactKind.DEFENDER, [FocusArea.LAND_ENVIRONMENT]) == "a defender"
    assert describe(ContactKind.CSO, [FocusArea.TRAFFICKING], with_focus=True) == "an anti-trafficking organisation"
    assert describe(ContactKind.CSO) == "an organisation"
    assert describe(ContactKind.JOURNALIST, [FocusArea.JOURNALISM_MEDIA], with_focus=True) == "a journalist"
    assert describe(ContactKind.LAWYER, [FocusArea.INDIGENOUS], with_focus=True) == "an indigenous-rights lawyer"
    assert describe(ContactKind.GOVERNMENT_OFFICIAL, [FocusArea.LABOUR], with_focus=True) == "an official"


def test_a_described_person_fits_the_sentence_for_every_kind() -> None:
    """Issue 16: "agreed to observe the a land-rights defender hearings"."""
    described = {reports.describe(kind, [area], with_focus=True) for kind in ContactKind for area in FocusArea} | {
        reports.describe(kind) for kind in ContactKind
    }
    for text in described:
        article, rest = text.split(" ", 1)
        assert article in ("a", "an"), text
        assert redaction.fitted("agreed to observe the ", text) == rest
        assert redaction.fitted("met their ", text) == rest
        assert redaction.fitted("Hearing adjourned. ", text) == f"{article.capitalize()} {rest}"
        assert redaction.fitted("Adjourned!\n", text) == f"{article.capitalize()} {rest}"
        for before in ("", "Prosecutor v. ", "met Dr. ", "J. ", "said that ", "told her ", "with "):
            assert redaction.fitted(before, text) == text, (before, text)
    assert redaction.fitted("the ", "[name withheld]") == "[name withheld]"


def test_described_people_read_as_sentences_in_a_report(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        anon = contacts.create_contact(
            s, {"name": ANON, "codename": "Lantern-202", "kind": "defender"}, ["land_environment"]
        )
        contacts.record_consent(s, anon, {"scope": "naming", "value": "anonymised", "given_on": START})
        official = contacts.create_contact(
            s, {"name": "Ilse Moreau", "codename": "Quartz-404", "kind": "government_official"}
        )
        monitoring.add_observation(
            s,
            {
                "observed_on": START,
                "category": "dialogue",
                "description": (
                    "Like-minded coordination: agreed to observe the Lantern-202 hearings in rotation. "
                    f"{ANON} was not told. The Quartz 404 office refused; Moreau's deputy came."
                ),
            },
            links=[{"contact_id": anon.id}, {"contact_id": official.id}],
        )
    report = render(opened, ReportType.REGULAR)
    assert (
        "agreed to observe the land-rights defender hearings in rotation. A land-rights defender was not told. "
        "The official office refused; an official's deputy came."
    ) in report


# -- the period -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("report_type", TYPES)
def test_a_record_one_day_outside_the_period_is_left_out(opened, ids: dict[str, str], report_type: ReportType) -> None:  # type: ignore[no-untyped-def]
    report = render(opened, report_type, real_names=True)
    for outside in ("OUTSIDE-", "CLOSED-BEFORE", "OPENED-AFTER"):
        assert outside not in report, outside


def test_the_period_edges_are_exact(opened, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    report = render(opened, ReportType.REGULAR)
    assert "FIRST-DAY" in report and "LAST-DAY" in report and "CLOSED-ON-START" in report
    later = render(opened, ReportType.REGULAR, start=date(2025, 3, 2))
    assert "FIRST-DAY" not in later and "CLOSED-ON-START" not in later and "LAST-DAY" in later
    earlier = render(opened, ReportType.REGULAR, end=date(2025, 3, 30))
    assert "LAST-DAY" not in earlier and "FIRST-DAY" in earlier
    assert ref("interaction", ids["call"]) not in render(opened, ReportType.REGULAR, end=date(2025, 3, 24))
    assert ref("interaction", ids["call"]) in render(opened, ReportType.REGULAR, start=date(2025, 3, 25))
    assert ref("hearing", ids["hearing"]) not in render(opened, ReportType.REGULAR, start=date(2025, 3, 19))
    assert ref("case", ids["smear"]) not in render(opened, ReportType.REGULAR, end=date(2025, 3, 19))


def test_check_period() -> None:
    reports.check_period(START, START)
    reports.check_period(START, START + timedelta(days=399))  # 400 days, both ends counted
    with pytest.raises(ValidationError) as err:
        reports.check_period(END, START)
    assert err.value.errors == {"to": "is before from"}
    with pytest.raises(ValidationError) as err:
        reports.check_period(START, START + timedelta(days=400))
    assert err.value.errors == {"to": "makes the period 401 days long; a report covers at most 400 days"}


def test_render_refuses_a_bad_period_or_type(opened) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        render(opened, ReportType.REGULAR, start=END, end=START)
    assert "to" in err.value.errors
    with pytest.raises(ValidationError) as err:
        render(opened, "annual")
    assert "type" in err.value.errors


# -- the same text every time; nothing in a section says so ----------------------------------------------


def test_the_same_vault_gives_the_same_text(opened, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for report_type in TYPES:
        first = render(opened, report_type)
        assert render(opened, report_type) == first
        assert " UTC" not in first and wallclock.local_now().strftime("%Y-%m-%d %H:") not in first


@pytest.mark.parametrize("report_type", TYPES)
def test_an_empty_vault_says_nothing_was_recorded_in_every_section(opened, report_type: ReportType) -> None:  # type: ignore[no-untyped-def]
    report = render(opened, report_type)
    heads = headings(report)
    leaves = [
        h for n, h in enumerate(heads[1:-1], 1) if not heads[n + 1].startswith("#" * (len(h.split()[0]) + 1) + " ")
    ]
    assert leaves
    for heading in leaves:  # under a layout's guidance for the drafter (in italics), if it has one
        body = [line for line in section(report, heading).splitlines() if not line.startswith("*")]
        assert "\n".join(body).strip() == NOTHING, heading
    assert report.count(NOTHING) == len(leaves)
    assert "0 names withheld" in report and "0 locations left out as sensitive." in report


def test_vault_text_cannot_break_the_report(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        person = contacts.create_contact(s, {"name": "Ana Test", "codename": "Ember-123"})
        monitoring.add_observation(
            s,
            {
                "observed_on": START,
                "category": "surveillance",
                "description": "# Injected heading\n<!-- hide the rest\n- a fake item\x1b]52;c;ZXZpbA==\x07",
            },
            links=[{"contact_id": person.id}],
        )
    report = render(opened, ReportType.CRHRP)
    assert "# Injected" not in headings(report)[-2] and not any(h.startswith("# Injected") for h in headings(report))
    assert "\\# Injected heading" in report and "\\<!-- hide the rest" in report and "  \\- a fake item" in report
    assert "\x1b" not in report and "\x07" not in report


# -- the tables --------------------------------------------------------------------------------------------


def test_every_code_has_a_place_in_every_report() -> None:
    """Every threat type, category and perpetrator has content keys; every content key of a
    report is received by a leaf section of each shipped layout of it (none is lost)."""
    assert set(reports.CRHRP_THREATS) == set(ThreatType)
    assert set(reports.CRHRP_CIVIC) == set(CivicCategory)
    for keys in [
        *reports.CRHRP_THREATS.values(),
        *reports.CRHRP_CIVIC.values(),
        reports.CRHRP_CASE_FALLBACK,
        reports.CRHRP_TRIALS,
    ]:
        assert keys and set(keys) <= reports.CONTENT_KEYS[ReportType.CRHRP], keys
    assert set(reports.TIP_CIVIC) == set(CivicCategory)
    assert set(reports.IRF_CIVIC) == set(CivicCategory)
    assert set(reports.IRF_PERPETRATORS) == set(Perpetrator)
    for layout in report_layouts.shipped(reports.CONTENT_KEYS):
        leaves = {key for n, s in enumerate(layout.sections) if not layout.groups(n) for key in s.receives}
        assert leaves == reports.CONTENT_KEYS[layout.report], layout.key
    assert set(reports.KIND_WORDING) == set(ContactKind) and set(reports.FOCUS_WORDING) == set(FocusArea)
    assert set(reports.REPORT_TITLES) == set(ReportType)


def test_mentioned_finds_names_and_codenames_as_the_redactor_would() -> None:
    people = [("a", "Marisol Ñúñez-Vidal", "Orchid-990"), ("b", "Ana Test", "Ember-123"), ("c", "陳美玲", "Quartz-404")]
    assert redaction.mentioned("Seen: NUNEZ at the gate.", people) == ["a"]
    assert redaction.mentioned("orchid 990 said so", people) == ["a"]
    assert redaction.mentioned("A banana; the test.", people) == ["b"]  # "Test" alone is a part of her name
    assert redaction.mentioned("Bananas only.", people) == []
    assert redaction.mentioned("今天陳美玲来了", people) == ["c"]


def test_what_a_file_holds_before_it_is_replaced(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Said in the question before a file is replaced (the reports screen's F3)."""
    draft = tmp_path / "draft.md"
    draft.write_text(f"{reports.DRAFT_HEADING}{reports.draft_title(ReportType.TIP, START, END)}\n\nText\n", "utf-8")
    assert reports.what_file_holds(draft) == (
        f"the draft of the Trafficking in Persons Report, 2025-03-01 to 2025-03-31 ({draft.stat().st_size} bytes)"
    )
    other = tmp_path / "other.md"
    other.write_bytes(b"\n  My notes \x1b[31m\xff\n" + b"x" * 2000)
    said = reports.what_file_holds(other)
    assert said.startswith("no report draft (2.0 KB; its first line: ") and "My notes" in said and "\x1b" not in said
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert reports.what_file_holds(empty) == "no report draft (0 bytes, no text)"
    assert reports.what_file_holds(tmp_path).startswith("a file that cannot be read")  # a folder


def test_draft_report_opens_its_own_transaction_and_gives_the_text_render_report_gives(  # type: ignore[no-untyped-def]
    opened, ids: dict[str, str]
) -> None:
    """Issue 17: the screen hands its shell (here the store) to draft_report, which holds
    the session; the text is plain, the very text render_report gives."""
    text = reports.draft_report(opened.store, ReportType.CRHRP, START, END)
    assert type(text) is str and text == render(opened, ReportType.CRHRP)


def test_save_report_writes_a_private_file_and_makes_the_export_folder_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import stat

    folder = tmp_path / "exports"
    target = folder / "report.md"
    reports.save_report(target, "# Draft: Ñ\n", export_dir=folder)
    assert target.read_bytes() == "# Draft: Ñ\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700


# -- what a draft leaves behind ---------------------------------------------------------------------------


@pytest.mark.parametrize("report_type", TYPES)
def test_a_draft_leaves_no_contact_in_a_reference_cycle(opened, ids: dict[str, str], report_type: ReportType) -> None:  # type: ignore[no-untyped-def]
    """Drafting runs with the cyclic collector paused (hrd_tui.collector): reference
    counting must free all it held. A contact caught in a cycle (the redactor holding
    a bound method of the report text that holds the contacts did that) stays alive
    until a full collection, and a year's draft left thousands of them for one."""
    import gc

    from hrd_tui.models import Contact
    from hrd_tui.services import reports

    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        reports.draft_report(opened.store, report_type, START, END)
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage if isinstance(o, Contact) or type(o).__name__ == "InstanceState"]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []
    assert "Contact" not in {type(o).__name__ for o in gc.get_objects()}  # nothing alive either


def test_the_collector_is_paused_for_the_length_of_a_draft_only() -> None:
    import gc

    from hrd_tui import collector

    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # another worker's pause meanwhile
            assert not gc.isenabled()
        assert not gc.isenabled()  # still the first's
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()
