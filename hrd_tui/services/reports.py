"""Report drafts for a period (guidelines section IV), as Markdown.

Four kinds (vocab.ReportType), each drawn from the vault's records of the period and
grouped the way that report is read:

* ``regular``, the regular report to Washington: civic space by the ten section-I
  categories; defenders under threat (each case's status, urgency, latest risk, actions
  done and referrals); trials and hearings observed; engagement with civil society
  (interactions by kind, and whether concerns were conveyed to embassy counterparts).
* ``crhrp``, the Country Reports on Human Rights Practices: each case is placed under
  the content keys its threat types belong to (:data:`CRHRP_THREATS`), each observation
  under its category's (:data:`CRHRP_CIVIC`), trials and hearings under the fair-trial
  key. The Country Reports do not describe what the U.S. government does, so
  interactions, case actions and referrals are left out of it.
* ``tip``, the Trafficking in Persons Report: prosecution, protection, prevention, the
  trafficking profile (:data:`TIP_CIVIC`) and the civil society working on trafficking,
  the challenges it faces and the mission's engagement with it; drawn only from records
  linked to contacts whose focus areas include trafficking in persons.
* ``irf``, the International Religious Freedom Report: the legal framework, government
  practices, societal respect (:data:`IRF_CIVIC`, :data:`IRF_PERPETRATORS`) and U.S.
  government policy and engagement (interactions); drawn only from records linked to
  contacts with the religious-freedom focus area.

The sections of those three are not here but in their layouts, one TOML file per report
and edition (services/report_layouts.py, data/report_layouts/): each section says which
content keys (:data:`CONTENT_KEYS`) it receives, the newest edition is the default, and
the draft's header says which layout it follows.

What a period holds: observations made in it; threat cases opened in it or still open
during it (opened on or before its last day and not closed before its first); trials
with a hearing in it (and those hearings); interactions in it. Days are the officer's
local days, both ends included. A record "linked to" a contact (tip, irf) is an
observation linked to them (directly, or through a case they are a defender in or a
trial they are a defendant in), a case they are a defender in, a trial they are a
defendant in, an interaction they took part in. A section with nothing in it says
so (:data:`NOTHING`) rather than disappearing.

Every statement ends with the record it came from: ``[obs 3f2a9c1e]``, ``[case ...]``,
``[trial ...]``, ``[hearing ...]`` or ``[interaction ...]``, the first 8 characters of
its id, so the officer can check it in the vault before sending.

Redaction is the default. A person is named only when their naming consent is
"named". Otherwise they are described, never by codename (a report leaves the mission,
the Country Reports are published, and a codename is a stable handle that ties every
mention of one person together while telling a reader nothing): "anonymised" gives
their kind and first focus area ("a land-rights defender"); "never", or no recorded
decision, their kind alone ("a defender", "a journalist", "an organisation"), since
"never" means not even a description that could identify them
(:data:`KIND_WORDING`, :data:`FOCUS_WORDING`). The same holds inside every piece of
free text (titles, descriptions, summaries, notes, outcomes): each withheld name, each
part of it and the codename are replaced (redaction.ReportText), the description fitted
to its sentence ("the Heron-101 hearings": "the land-rights defender hearings", with a
capital where a sentence starts: redaction.fitted), for the people the
records link to and for any other contact of the vault the text names. Locations marked
sensitive are left out, always; the case number of a trial is left out too (it
identifies the defendants as surely as a name), and so are sources' identities and
what they said (only how many there are and how they are rated). The report ends with
what was withheld and why. ``real_names`` writes every name as stored and says so at
the top and the end.

The text depends only on the vault and the arguments (no time of writing), so the
command line and the screen produce the same bytes. Reading only: nothing is written,
so it works on a vault opened read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from hrd_tui import collector, paths
from hrd_tui.errors import ValidationError
from hrd_tui.models import (
    CaseAction,
    CaseDefender,
    CivicObservation,
    ConsentRecord,
    Contact,
    ContactFocusArea,
    FollowUp,
    Hearing,
    Interaction,
    InteractionParticipant,
    ObservationLink,
    Referral,
    RiskAssessment,
    Source,
    ThreatCase,
    Trial,
    TrialDefendant,
)
from hrd_tui.sanitize import for_display
from hrd_tui.services import (
    accountability,
    contacts,
    interaction_about,
    markdown,
    mechanisms,
    redaction,
    reference,
    report_layouts,
    threats,
    trials,
)
from hrd_tui.services.base import Transactions
from hrd_tui.services.redaction import Naming
from hrd_tui.services.report_layouts import Layout
from hrd_tui.vocab import (
    ActionStatus,
    CivicCategory,
    ConsentScope,
    ConsentValue,
    ContactKind,
    FocusArea,
    InteractionKind,
    Perpetrator,
    ReferralStatus,
    ReportType,
    ThreatType,
)

#: The longest period one report covers, in days (both ends counted).
MAX_PERIOD_DAYS = 400
#: What a section with nothing in it says.
NOTHING = "Nothing recorded in the period."
#: After the heading of a layout's section that is hrd-tui's own, not the edition's.
OWN_MARK = "(hrd-tui)"

#: The title of each report.
REPORT_TITLES: dict[ReportType, str] = {
    ReportType.REGULAR: "Regular report on the civic space environment",
    ReportType.CRHRP: "Country Reports on Human Rights Practices",
    ReportType.TIP: "Trafficking in Persons Report",
    ReportType.IRF: "International Religious Freedom Report",
}

# -- how a person who is not named is described ------------------------------------------------

#: Each kind of contact as a neutral description: (article, noun).
KIND_WORDING: dict[ContactKind, tuple[str, str]] = {
    ContactKind.DEFENDER: ("a", "defender"),
    ContactKind.CSO: ("an", "organisation"),
    ContactKind.COALITION: ("a", "coalition"),
    ContactKind.INTERNATIONAL_CSO: ("an", "international organisation"),
    ContactKind.JOURNALIST: ("a", "journalist"),
    ContactKind.LAWYER: ("a", "lawyer"),
    ContactKind.GOVERNMENT_OFFICIAL: ("an", "official"),
    ContactKind.LIKE_MINDED_MISSION: ("a", "diplomat"),
    ContactKind.UN_MULTILATERAL: ("an", "international official"),
    ContactKind.BUSINESS: ("a", "business"),
    ContactKind.OTHER: ("a", "person"),
}
#: Each focus area as the adjective before the noun: (article, adjective).
FOCUS_WORDING: dict[FocusArea, tuple[str, str]] = {
    FocusArea.LAND_ENVIRONMENT: ("a", "land-rights"),
    FocusArea.WOMEN_GIRLS: ("a", "women's rights"),
    FocusArea.LGBTQI: ("an", "LGBTQI+ rights"),
    FocusArea.DISABILITIES: ("a", "disability-rights"),
    FocusArea.INDIGENOUS: ("an", "indigenous-rights"),
    FocusArea.MINORITIES: ("a", "minority-rights"),
    FocusArea.LABOUR: ("a", "labour-rights"),
    FocusArea.JOURNALISM_MEDIA: ("a", "media-freedom"),
    FocusArea.ANTI_CORRUPTION: ("an", "anti-corruption"),
    FocusArea.ACCESS_TO_JUSTICE: ("an", "access-to-justice"),
    FocusArea.RELIGIOUS_FREEDOM: ("a", "religious-freedom"),
    FocusArea.TRAFFICKING: ("an", "anti-trafficking"),
    FocusArea.BUSINESS_HUMAN_RIGHTS: ("a", "business and human rights"),
    FocusArea.DIGITAL_RIGHTS: ("a", "digital-rights"),
}
#: The kinds a focus area describes ("a land-rights lawyer"); for the others (an official,
#: a diplomat, a business ...) what they work on says nothing useful.
FOCUS_QUALIFIES: frozenset[ContactKind] = frozenset(
    {
        ContactKind.DEFENDER,
        ContactKind.CSO,
        ContactKind.COALITION,
        ContactKind.JOURNALIST,
        ContactKind.LAWYER,
    }
)
#: A focus area that only repeats the kind: left out ("a journalist", not "a media-freedom journalist").
FOCUS_REDUNDANT: frozenset[tuple[ContactKind, FocusArea]] = frozenset(
    {
        (ContactKind.JOURNALIST, FocusArea.JOURNALISM_MEDIA),
    }
)

# -- where a record goes in each report ----------------------------------------------------------

# Each report places a record's statement under one or more content keys (the tables
# below); its layout (services/report_layouts.py, data/report_layouts/*.toml) says which
# section receives which keys. A key no section receives still shows, under a last
# section saying so. A new key goes in CONTENT_KEYS, then in the shipped layouts.

#: The Country Reports' content key(s) of a threat case, by each of its threat types:
#: named after the 2023 edition's sections ("1c": Section 1.c). (No threat type stands
#: for transnational repression: "1f" is there for the drafter.)
CRHRP_THREATS: dict[ThreatType, tuple[str, ...]] = {
    ThreatType.RISK_TO_LIFE: ("1a",),
    ThreatType.ENFORCED_DISAPPEARANCE: ("1b",),
    ThreatType.TORTURE: ("1c",),
    ThreatType.SEXUAL_VIOLENCE: ("1c",),
    ThreatType.PHYSICAL_ATTACK: ("1c", "5hrd"),
    ThreatType.ARBITRARY_DETENTION: ("1d",),
    ThreatType.UNFAIR_TRIAL: ("1e",),
    ThreatType.JUDICIAL_HARASSMENT: ("1e", "5hrd"),
    ThreatType.SURVEILLANCE: ("1g",),
    ThreatType.HACKING_SEIZURE: ("1g",),
    ThreatType.THREATS_TO_FAMILY: ("1g", "5hrd"),
    ThreatType.SMEAR_CAMPAIGN: ("2a", "5hrd"),
    ThreatType.FUNDING_REGISTRATION: ("2b",),
    ThreatType.TRAVEL_BAN: ("2d",),
    ThreatType.INTIMIDATION: ("5hrd",),
    ThreatType.REPRISAL_UN: ("5un",),
    ThreatType.BUSINESS_LINKED: ("5hrd",),
}
#: Where a case with no threat type recorded goes: it is about a defender under threat.
CRHRP_CASE_FALLBACK: tuple[str, ...] = ("5hrd",)
#: Where trials and their hearings go.
CRHRP_TRIALS: tuple[str, ...] = ("1e",)
#: Where an official's response to a démarche goes: the authorities' protection and remedy (issue 19).
CRHRP_RESPONSES: tuple[str, ...] = ("5remedy",)
#: The Country Reports' section(s) of an observation, by its section-I category.
CRHRP_CIVIC: dict[CivicCategory, tuple[str, ...]] = {
    CivicCategory.RESTRICTIONS_ON_FREEDOMS: ("2a", "2b"),
    CivicCategory.FUNDING_REGISTRATION: ("2b",),
    CivicCategory.ATTACKS_REPRISALS: ("5hrd",),
    CivicCategory.SPURIOUS_LEGAL_ACTION: ("1e",),
    CivicCategory.PROTECTION_REMEDY: ("5remedy",),
    CivicCategory.SURVEILLANCE: ("1g",),
    CivicCategory.HACKING_SEIZURE: ("1g",),
    CivicCategory.DIALOGUE: ("5dialogue",),
    CivicCategory.PUBLIC_PARTICIPATION: ("3",),
    CivicCategory.BUSINESS_CONDUCT: ("7",),
}

#: Where an observation linked to those working on trafficking goes, by its category:
#: whether the authorities investigate and give remedy bears on prosecution and
#: protection; dialogue and public participation on prevention; business conduct
#: (forced labour, supply chains) on the trafficking profile; the rest are challenges
#: civil society faces. Their threat cases and trials are challenges too; interactions
#: with them, engagement.
TIP_CIVIC: dict[CivicCategory, tuple[str, ...]] = {
    CivicCategory.PROTECTION_REMEDY: ("prosecution", "protection"),
    CivicCategory.DIALOGUE: ("prevention",),
    CivicCategory.PUBLIC_PARTICIPATION: ("prevention",),
    CivicCategory.BUSINESS_CONDUCT: ("profile",),
    CivicCategory.RESTRICTIONS_ON_FREEDOMS: ("challenges",),
    CivicCategory.FUNDING_REGISTRATION: ("challenges",),
    CivicCategory.ATTACKS_REPRISALS: ("challenges",),
    CivicCategory.SPURIOUS_LEGAL_ACTION: ("challenges",),
    CivicCategory.SURVEILLANCE: ("challenges",),
    CivicCategory.HACKING_SEIZURE: ("challenges",),
}

#: Where an observation linked to those working on religious freedom goes, by category:
#: attacks can come from the state or from society; business conduct is society's;
#: registration rules and public participation laws are the legal framework; the rest
#: is what the government does.
IRF_CIVIC: dict[CivicCategory, tuple[str, ...]] = {
    CivicCategory.RESTRICTIONS_ON_FREEDOMS: ("government",),
    CivicCategory.FUNDING_REGISTRATION: ("legal",),
    CivicCategory.ATTACKS_REPRISALS: ("government", "societal"),
    CivicCategory.SPURIOUS_LEGAL_ACTION: ("government",),
    CivicCategory.PROTECTION_REMEDY: ("government",),
    CivicCategory.SURVEILLANCE: ("government",),
    CivicCategory.HACKING_SEIZURE: ("government",),
    CivicCategory.DIALOGUE: ("government",),
    CivicCategory.PUBLIC_PARTICIPATION: ("legal",),
    CivicCategory.BUSINESS_CONDUCT: ("societal",),
}
#: Where their threat cases go, by the alleged perpetrator (unknown: both, for the
#: drafter to decide). Their trials are government practice; interactions with them,
#: U.S. engagement.
IRF_PERPETRATORS: dict[Perpetrator, tuple[str, ...]] = {
    Perpetrator.STATE_SECURITY: ("government",),
    Perpetrator.POLICE: ("government",),
    Perpetrator.JUDICIARY: ("government",),
    Perpetrator.LOCAL_AUTHORITY: ("government",),
    Perpetrator.NON_STATE_ARMED_GROUP: ("societal",),
    Perpetrator.COMPANY_PRIVATE_SECURITY: ("societal",),
    Perpetrator.UNKNOWN: ("government", "societal"),
}
#: Where trials go in the TIP and IRF reports, and interactions.
TIP_TRIALS: tuple[str, ...] = ("challenges",)
TIP_CASES: tuple[str, ...] = ("challenges",)
TIP_TALKS: tuple[str, ...] = ("engagement",)
IRF_TRIALS: tuple[str, ...] = ("government",)
IRF_TALKS: tuple[str, ...] = ("us",)


def _keys(*groups: Iterable[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(key for group in groups for keys in group for key in keys)


#: Every content key each laid-out report places records under: what a layout's
#: sections may receive. "1f" (transnational repression) and "profile" have no
#: record of their own yet and are there for the drafter.
CONTENT_KEYS: dict[ReportType, frozenset[str]] = {
    ReportType.CRHRP: _keys(CRHRP_THREATS.values(), CRHRP_CIVIC.values(), [CRHRP_CASE_FALLBACK, CRHRP_TRIALS]) | {"1f"},
    ReportType.TIP: _keys(TIP_CIVIC.values(), [TIP_CASES, TIP_TRIALS, TIP_TALKS]) | {"profile"},
    ReportType.IRF: _keys(IRF_CIVIC.values(), IRF_PERPETRATORS.values(), [IRF_TRIALS, IRF_TALKS]),
}

#: The focus area whose contacts a report is drawn from (the others draw on everything).
REPORT_FOCUS: dict[ReportType, FocusArea] = {
    ReportType.TIP: FocusArea.TRAFFICKING,
    ReportType.IRF: FocusArea.RELIGIOUS_FREEDOM,
}

_REF_KINDS = ("obs", "case", "trial", "hearing", "interaction")


# -- what a draft is, and what a file on disk holds --------------------------------------------------


def draft_title(report_type: ReportType, start: date, end: date) -> str:
    """What a draft is, as its first line says it (without "# Draft: "): the report's
    title and its period."""
    return f"{REPORT_TITLES[report_type]}, {start} to {end}"


#: The start of every draft's first line (_header).
DRAFT_HEADING = "# Draft: "
#: How much of a file on disk is read to say what it holds.
_PEEK = 4096


def what_file_holds(path: Path) -> str:
    """What an existing file holds, said before it is replaced: a report draft's title and
    period from its first line, else that it is no draft, with its first line; and its
    size. Reads at most the first 4 KB. The text is the file's, untrusted: show it as such."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(_PEEK).decode("utf-8", errors="replace")
    except OSError as exc:
        return f"a file that cannot be read ({exc.strerror or exc})"
    first = next((line.strip() for line in head.splitlines() if line.strip()), "")
    first = for_display(first)[:100]
    amount = f"{size} bytes" if size < 1024 else f"{size / 1024:.1f} KB"
    if first.startswith(DRAFT_HEADING):
        return f"the draft of the {first[len(DRAFT_HEADING) :]} ({amount})"
    if not first:
        return f"no report draft ({amount}, no text)"
    return f'no report draft ({amount}; its first line: "{first}")'


# -- the period --------------------------------------------------------------------------------------


def check_period(start: date, end: date) -> None:
    """ValidationError, field by field, unless ``start``..``end`` (both included) is a
    period a report can cover: ``to`` not before ``from``, at most MAX_PERIOD_DAYS days."""
    errors: dict[str, str] = {}
    if not isinstance(start, date):
        errors["from"] = "is not a date"
    if not isinstance(end, date):
        errors["to"] = "is not a date"
    if not errors:
        if end < start:
            errors["to"] = "is before from"
        elif (days := (end - start).days + 1) > MAX_PERIOD_DAYS:
            errors["to"] = f"makes the period {days} days long; a report covers at most {MAX_PERIOD_DAYS} days"
    if errors:
        raise ValidationError(errors)


# -- how people appear -----------------------------------------------------------------------------


def describe(kind: ContactKind, areas: Sequence[FocusArea] = (), *, with_focus: bool = False) -> str:
    """A neutral description of a person: their kind, and with ``with_focus`` their
    first focus area when it says something ("a land-rights defender")."""
    article, noun = KIND_WORDING.get(ContactKind(kind), KIND_WORDING[ContactKind.OTHER])
    if with_focus and kind in FOCUS_QUALIFIES and areas and (kind, areas[0]) not in FOCUS_REDUNDANT:
        article, adjective = FOCUS_WORDING[areas[0]]
        return f"{article} {adjective} {noun}"
    return f"{article} {noun}"


def _naming_consents(session: Session, ids: Sequence[str]) -> dict[str, ConsentValue]:
    """The naming consent in force for each of ``ids`` that has one (as
    contacts.naming_consent decides it: the latest given, then the latest recorded),
    read in a few queries rather than one per person."""
    found: dict[str, tuple[date, datetime, ConsentValue]] = {}
    for chunk in range(0, len(ids), 500):
        stmt = select(ConsentRecord).where(
            ConsentRecord.scope == ConsentScope.NAMING, col(ConsentRecord.contact_id).in_(ids[chunk : chunk + 500])
        )
        for record in session.exec(stmt):
            key = (record.given_on, record.created_at, record.value)
            if record.contact_id not in found or key[:2] > found[record.contact_id][:2]:
                found[record.contact_id] = key
    return {contact_id: value for contact_id, (_, _, value) in found.items()}


def report_naming(session: Session, people: Sequence[Contact], *, real_names: bool = False) -> list[Naming]:
    """How each person appears in a report, by their naming consent: "named" -> the
    name; "anonymised" -> kind and first focus area; "never" or nothing recorded ->
    kind alone (see the module's docstring). ``real_names`` names everyone as stored."""
    found: list[Naming] = []
    consents = _naming_consents(session, [p.id for p in people])
    for person in people:
        consent = consents.get(person.id, ConsentValue.NEVER)
        if real_names or consent == ConsentValue.NAMED:
            found.append(Naming(person, consent, person.name))
        elif consent == ConsentValue.ANONYMISED:
            areas = contacts.focus_areas(session, person.id)
            found.append(Naming(person, consent, describe(person.kind, areas, with_focus=True), "anonymised"))
        else:
            found.append(Naming(person, consent, describe(person.kind), "no naming consent"))
    return found


# -- what a period holds ------------------------------------------------------------------------------


@dataclass
class _Obs:
    obs: CivicObservation
    contacts: list[Contact]
    case_ids: list[str]
    trial_ids: list[str]
    sources: list[Source]
    concerns: set[str]  # every contact it is about: linked, or defenders/defendants of a linked case/trial
    after: str = ""  # an attack's accountability at the period's end, in words (issue 19); "" if not an attack


@dataclass
class _Case:
    case: ThreatCase
    defenders: list[Contact]
    types: list[ThreatType]
    latest: RiskAssessment | None  # the latest on or before the period's end
    done: list[CaseAction]  # done in the period
    referrals: list[tuple[Referral, str]]  # sent by the period's end, with the resource's name
    after: str = ""  # an attack's accountability at the period's end, in words (issue 19); "" if not an attack


@dataclass
class _Trial:
    trial: Trial
    defendants: list[Contact]
    hearings: list[Hearing]  # in the period


@dataclass
class _Talk:
    interaction: Interaction
    day: date
    participants: list[Contact]
    about: tuple[str, ...] = ()  # a démarche's cases and trials, as references (issue 19)
    follow_ups: tuple[str, ...] = ()  # a démarche's follow-ups, as statements


@dataclass
class _Period:
    start: date
    end: date
    observations: list[_Obs] = field(default_factory=list)
    cases: list[_Case] = field(default_factory=list)
    trials: list[_Trial] = field(default_factory=list)
    talks: list[_Talk] = field(default_factory=list)
    attacks: accountability.Summary | None = None  # the period's attacks (issue 19)

    def people(self) -> list[Contact]:
        """Every contact the period's records link to, once each."""
        found: dict[str, Contact] = {}
        for group in (
            [o.contacts for o in self.observations]
            + [c.defenders for c in self.cases]
            + [t.defendants for t in self.trials]
            + [t.participants for t in self.talks]
        ):
            for person in group:
                found.setdefault(person.id, person)
        return sorted(found.values(), key=lambda c: c.id)


def _local_day(value: datetime) -> date:
    """A stored timestamp's day on the officer's clock (naive means UTC, as stored)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone().date()


def _by_id(people: Iterable[Contact]) -> list[Contact]:
    return sorted(people, key=lambda c: c.id)


def _contacts_by_id(session: Session, ids: Iterable[str]) -> dict[str, Contact]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {c.id: c for c in session.exec(select(Contact).where(col(Contact.id).in_(wanted)))}


def _gather(session: Session, start: date, end: date) -> _Period:
    period = _Period(start, end)
    _gather_observations(session, period)
    _gather_cases(session, period)
    _gather_trials(session, period)
    _gather_talks(session, period)
    _gather_accountability(session, period)
    return period


def _gather_accountability(session: Session, period: _Period) -> None:
    """Issue 19: each attack's state at the period's end, and the period's attacks counted."""
    states = accountability.state_at(session, period.end)
    for o in period.observations:
        o.after = states.get(o.obs.id, "")
    for c in period.cases:
        c.after = states.get(c.case.id, "")
    period.attacks = accountability.summary(session, period.start, period.end)


def _gather_observations(session: Session, period: _Period) -> None:
    rows = list(
        session.exec(
            select(CivicObservation)
            .where(CivicObservation.observed_on >= period.start, CivicObservation.observed_on <= period.end)
            .order_by(col(CivicObservation.observed_on), col(CivicObservation.id))
        )
    )
    ids = [o.id for o in rows]
    if not ids:
        return
    links = list(
        session.exec(
            select(ObservationLink)
            .where(col(ObservationLink.observation_id).in_(ids))
            .order_by(col(ObservationLink.id))
        )
    )
    sources = list(
        session.exec(
            select(Source).where(col(Source.observation_id).in_(ids)).order_by(col(Source.received_on), col(Source.id))
        )
    )
    people = _contacts_by_id(session, [link.contact_id for link in links if link.contact_id])
    case_ids = {link.case_id for link in links if link.case_id}
    trial_ids = {link.trial_id for link in links if link.trial_id}
    case_people: dict[str, set[str]] = {}
    if case_ids:
        for defender in session.exec(select(CaseDefender).where(col(CaseDefender.case_id).in_(sorted(case_ids)))):
            case_people.setdefault(defender.case_id, set()).add(defender.contact_id)
    trial_people: dict[str, set[str]] = {}
    if trial_ids:
        defendants = select(TrialDefendant).where(col(TrialDefendant.trial_id).in_(sorted(trial_ids)))
        for defendant in session.exec(defendants):
            trial_people.setdefault(defendant.trial_id, set()).add(defendant.contact_id)
    links_of: dict[str, list[ObservationLink]] = {}
    for link in links:
        links_of.setdefault(link.observation_id, []).append(link)
    sources_of: dict[str, list[Source]] = {}
    for source in sources:
        if source.observation_id:
            sources_of.setdefault(source.observation_id, []).append(source)
    for obs in rows:
        mine = links_of.get(obs.id, [])
        linked = _by_id(
            {people[link.contact_id].id: people[link.contact_id] for link in mine if link.contact_id in people}.values()
        )
        cases = sorted({link.case_id for link in mine if link.case_id})
        trial_list = sorted({link.trial_id for link in mine if link.trial_id})
        concerns = {c.id for c in linked}
        for case_id in cases:
            concerns |= case_people.get(case_id, set())
        for trial_id in trial_list:
            concerns |= trial_people.get(trial_id, set())
        period.observations.append(_Obs(obs, linked, cases, trial_list, sources_of.get(obs.id, []), concerns))


def _gather_cases(session: Session, period: _Period) -> None:
    stmt = (
        select(ThreatCase)
        .where(ThreatCase.opened_on <= period.end)
        .where((col(ThreatCase.closed_on).is_(None)) | (col(ThreatCase.closed_on) >= period.start))
        .order_by(col(ThreatCase.opened_on), col(ThreatCase.id))
    )
    for case in session.exec(stmt):
        latest = session.exec(
            select(RiskAssessment)
            .where(RiskAssessment.case_id == case.id, RiskAssessment.assessed_on <= period.end)
            .order_by(
                col(RiskAssessment.assessed_on).desc(),
                col(RiskAssessment.created_at).desc(),
                col(RiskAssessment.id).desc(),
            )
        ).first()
        done = list(
            session.exec(
                select(CaseAction)
                .where(
                    CaseAction.case_id == case.id,
                    CaseAction.status == ActionStatus.DONE,
                    col(CaseAction.done_on).is_not(None),
                    col(CaseAction.done_on) >= period.start,
                    col(CaseAction.done_on) <= period.end,
                )
                .order_by(col(CaseAction.done_on), col(CaseAction.id))
            )
        )
        referrals = []
        for referral in session.exec(
            select(Referral)
            .where(Referral.case_id == case.id, col(Referral.sent_on).is_not(None), col(Referral.sent_on) <= period.end)
            .order_by(col(Referral.sent_on), col(Referral.id))
        ):
            referrals.append((referral, reference.resource_name(session, referral.resource_id)))
        period.cases.append(
            _Case(
                case,
                _by_id(threats.defenders_of(session, case.id)),
                threats.threat_types_of(session, case.id),
                latest,
                done,
                referrals,
            )
        )


def _day_bounds(period: _Period) -> tuple[datetime, datetime]:
    """The period as instants: local midnight of its first day to that after its last."""
    return trials.day_start(period.start), trials.day_start(period.end + timedelta(days=1))


def _gather_trials(session: Session, period: _Period) -> None:
    low, high = _day_bounds(period)
    hearings = session.exec(
        select(Hearing)
        .where(Hearing.starts_at >= low, Hearing.starts_at < high)
        .order_by(col(Hearing.starts_at), col(Hearing.id))
    )
    by_trial: dict[str, list[Hearing]] = {}
    for hearing in hearings:
        by_trial.setdefault(hearing.trial_id, []).append(hearing)
    for trial_id, held in by_trial.items():  # in the order of their first hearing in the period
        trial = session.get(Trial, trial_id)
        if trial is not None:
            period.trials.append(_Trial(trial, _by_id(trials.defendants_of(session, trial_id)), held))


def _gather_talks(session: Session, period: _Period) -> None:
    low, high = _day_bounds(period)
    rows = list(
        session.exec(
            select(Interaction)
            .where(Interaction.occurred_at >= low, Interaction.occurred_at < high)
            .order_by(col(Interaction.occurred_at), col(Interaction.id))
        )
    )
    if not rows:
        return
    links = list(
        session.exec(
            select(InteractionParticipant).where(col(InteractionParticipant.interaction_id).in_([i.id for i in rows]))
        )
    )
    people = _contacts_by_id(session, [link.contact_id for link in links])
    for interaction in rows:
        participants = _by_id(
            people[link.contact_id]
            for link in links
            if link.interaction_id == interaction.id and link.contact_id in people
        )
        period.talks.append(
            _Talk(
                interaction, _local_day(interaction.occurred_at), participants, *_demarche_extras(session, interaction)
            )
        )


def _demarche_extras(session: Session, interaction: Interaction) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a démarche's statement cites besides itself: the cases and trials it was about,
    and its follow-ups (issue 19). Nothing for other interactions (their statement is as before)."""
    if interaction.kind != InteractionKind.DEMARCHE:
        return (), ()
    about = tuple(ref("case", i) for i in interaction_about.case_ids(session, interaction.id)) + tuple(
        ref("trial", i) for i in interaction_about.trial_ids(session, interaction.id)
    )
    rows = session.exec(
        select(FollowUp).where(FollowUp.interaction_id == interaction.id).order_by(col(FollowUp.due_on))
    )
    return about, tuple(f"{f.description} ({f'done {f.done_on}' if f.done_on else f'due {f.due_on}'})" for f in rows)


def _focused(session: Session, period: _Period, area: FocusArea) -> _Period:
    """Only the records linked to contacts with ``area`` among their focus areas."""
    ids = set(session.exec(select(ContactFocusArea.contact_id).where(ContactFocusArea.area == area)))
    cases = [c for c in period.cases if any(d.id in ids for d in c.defenders)]
    trials = [t for t in period.trials if any(d.id in ids for d in t.defendants)]
    # A démarche about one of their cases or trials is linked to them too (issue 19).
    about = {ref("case", c.case.id) for c in cases} | {ref("trial", t.trial.id) for t in trials}
    return _Period(
        period.start,
        period.end,
        observations=[o for o in period.observations if o.concerns & ids],
        cases=cases,
        trials=trials,
        talks=[t for t in period.talks if any(p.id in ids for p in t.participants) or about.intersection(t.about)],
    )


# -- writing ------------------------------------------------------------------------------------------


@dataclass
class _Text(redaction.ReportText):
    """Vault text into the report (redaction.ReportText), and the codename of a person
    who is named replaced by their name as well: a codename is the mission's own
    handle, which means nothing to a reader and ties the report to the vault."""

    def __post_init__(self) -> None:
        super().__post_init__()
        for n in self.naming:
            if n.withheld is None and n.shown != n.contact.codename:
                self.codenames.setdefault(redaction._codename_key(n.contact.codename), n.shown)
        self.index_codenames()


@dataclass
class _Collector(redaction.ReportText):
    """A first pass through the report: writes text as it is, and keeps it, to find
    whom it names before the real pass replaces them."""

    seen: list[str] = field(default_factory=list)

    def clean(self, value: object) -> str:
        text = for_display("" if value is None else str(value))
        self.seen.append(text)
        return text


def ref(kind: str, record_id: str) -> str:
    """The reference a statement ends with: "[obs 3f2a9c1e]"."""
    assert kind in _REF_KINDS
    return f"[{kind} {markdown.inline(record_id[:8])}]"


def _with_stop(text: str) -> str:
    """A piece of free text as a sentence: a full stop added unless it ends with one."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?…:;" else text + "."


class _Writer:
    """Writes one report: the records as statements, each ending with its reference."""

    def __init__(self, w: redaction.ReportText, *, real_names: bool, layout: Layout | None = None) -> None:
        self.w = w
        self.out = w.lines
        self.real_names = real_names
        self.layout = layout  # the sections a Country Reports, TIP or IRF draft follows
        self.hidden_locations: set[str] = set()  # records whose sensitive location was left out

    # -- pieces
    def who(self, people: Sequence[Contact]) -> str:
        return ", ".join(markdown.inline(self.w.shown[p.id]) for p in people) or "no one recorded"

    def text(self, value: str, indent: str = "  ") -> str:
        return _with_stop(self.w.block(value, indent))

    def location(self, record_id: str, location: str | None, sensitive: bool) -> str:
        if not (location or "").strip():
            return ""
        if sensitive:
            self.hidden_locations.add(record_id)
            return ""
        return f" Location: {_with_stop(self.w.inline(location))}"

    # -- records
    def observation(self, o: _Obs, *, category: bool = True) -> list[str]:
        obs = o.obs
        head = f"- {obs.observed_on}"
        if category:
            head += f", {reference.label('civic_category', obs.category).lower()}"
        line = f"{head}: {self.text(obs.description)}"
        line += self.location(obs.id, obs.location, obs.location_sensitive)
        about = [markdown.inline(self.w.shown[c.id]) for c in o.contacts]
        about += [f"threat case {ref('case', case_id)}" for case_id in o.case_ids]
        about += [f"trial {ref('trial', trial_id)}" for trial_id in o.trial_ids]
        if about:
            line += f" Concerning: {'; '.join(about)}."
        if o.sources:
            ratings = ", ".join(f"{s.reliability.value}{s.credibility.value}" for s in o.sources)
            line += f" Sources: {len(o.sources)} (rated {ratings})."
        else:
            line += " Sources: none recorded."
        if o.after:
            line += f" After the attack: {o.after}."
        return [f"{line} {ref('obs', obs.id)}"]

    def case(self, c: _Case, *, detail: bool = False) -> list[str]:
        case = c.case
        status = reference.label("case_status", case.status)
        dates = f"opened {case.opened_on}" + (f", closed {case.closed_on}" if case.closed_on else "")
        perpetrator = reference.label("perpetrator", case.perpetrator)
        if case.perpetrator_note.strip():
            perpetrator += f" ({self.w.inline(case.perpetrator_note)})"
        types = "; ".join(reference.label("threat_type", t) for t in c.types) or "none recorded"
        if c.latest is not None:
            risk = f"{reference.label('risk_level', c.latest.risk_level)} (assessed {c.latest.assessed_on})"
        else:
            risk = "not assessed by the end of the period"
        lines = [
            (
                f"- Threat case, {dates}: {_with_stop(self.w.inline(case.title))} Defenders: {self.who(c.defenders)}. "
                f"Status: {status}; urgency: {reference.label('urgency', case.urgency).lower()}. "
                f"Threat types: {types}. Alleged perpetrator: {perpetrator}. Latest risk: {risk}. {ref('case', case.id)}"
            )
        ]
        if case.summary.strip():
            lines.append(f"  - Summary: {self.text(case.summary, ' ' * 4)}")
        if c.after:
            lines.append(f"  - After the attack: {c.after}.")
        if detail:
            done = "; ".join(f"{self.w.inline(a.title)} ({a.done_on})" for a in c.done) or "none"
            lines.append(f"  - Actions done in the period: {done}.")
            if c.referrals:
                shown = "; ".join(self._referral(r, name) for r, name in c.referrals)
                lines.append(f"  - Referrals: {shown}.")
            else:
                lines.append("  - Referrals: none sent.")
        return lines

    @staticmethod
    def _referral(referral: Referral, name: str) -> str:
        parts = [f"sent {referral.sent_on}"]
        if referral.decision_on:
            parts.append(f"decided {referral.decision_on}")
        status = reference.label("referral_status", referral.status).lower()
        if mechanisms.mechanism(referral.purpose) is not None:  # a mechanism's procedure (issue 19): its stage
            if referral.stage:
                status += f", at stage '{mechanisms.stage_label(referral.purpose, referral.stage)}'"
                parts.append(f"stage reached {referral.stage_on}")
            return (
                f"{markdown.inline(name)}: {reference.label('referral_purpose', referral.purpose)}, "
                f"{status} ({', '.join(parts)})"
            )
        if referral.status == ReferralStatus.SENT:
            status = "awaiting a decision"
        return (
            f"{markdown.inline(name)}, for {reference.label('referral_purpose', referral.purpose).lower()}: "
            f"{status} ({', '.join(parts)})"
        )

    def trial(self, t: _Trial) -> list[str]:
        trial = t.trial
        where = f", {self.w.inline(trial.court)}" if trial.court.strip() else ""
        line = (
            f"- Trial{where}: {_with_stop(self.w.inline(trial.title))} Defendants: {self.who(t.defendants)}. "
            f"Status: {reference.label('trial_status', trial.status)}."
        )
        if trial.charges.strip():
            line += f" Charges: {self.text(trial.charges)}"
        lines = [f"{line} {ref('trial', trial.id)}"]
        for hearing in t.hearings:
            lines.append(self.hearing(hearing))
        return lines

    def hearing(self, hearing: Hearing) -> str:
        admitted = {None: "not recorded", True: "yes", False: "no"}[hearing.observers_admitted]
        parts = [f"  - Hearing of {_local_day(hearing.starts_at)}"]
        if hearing.court.strip() or hearing.chamber.strip():
            parts[0] += ", " + ", ".join(self.w.inline(v) for v in (hearing.court, hearing.chamber) if v.strip())
        line = parts[0] + f". Observers admitted: {admitted}."
        if hearing.refused_entry.strip():
            line += f" Refused entry: {_with_stop(self.w.inline(hearing.refused_entry))}"
        if hearing.outcome.strip():
            line += f" Outcome: {self.text(hearing.outcome, ' ' * 4)}"
        line += f" Next hearing: {hearing.next_hearing_on or 'not set'}."
        return f"{line} {ref('hearing', hearing.id)}"

    def talk(self, t: _Talk, *, kind: bool = True) -> list[str]:
        if t.interaction.kind == InteractionKind.DEMARCHE:
            return self.demarche(t)
        interaction = t.interaction
        what = f", {reference.label('interaction_kind', interaction.kind).lower()}" if kind else ""
        line = f"- {t.day}{what} with {self.who(t.participants)}"
        line += f": {self.text(interaction.summary)}" if interaction.summary.strip() else "."
        line += self.location(interaction.id, interaction.location, interaction.location_sensitive)
        conveyed = "yes" if interaction.conveyed_to_counterparts else "no"
        line += f" Concerns conveyed to embassy counterparts: {conveyed}."
        return [f"{line} {ref('interaction', interaction.id)}"]

    def demarche(self, t: _Talk) -> list[str]:
        """A démarche (issue 19): who was met, what was said, what they answered, what
        follows, and the cases and trials it was about."""
        it = t.interaction
        official = [p for p in t.participants if p.id == it.official_id]
        others = [p for p in t.participants if p.id != it.official_id]
        line = f"- {t.day}, démarche with {self.who(official) if official else 'an official'}"
        line += (f" (also present: {self.who(others)})" if others else "") + "."
        line += self.location(it.id, it.location, it.location_sensitive)
        line += f" Message delivered: {self.text(it.message)}"
        line += f" Response: {self.text(it.response)}" if it.response.strip() else " No response recorded."
        line += "".join(f" Follow-up: {self.text(f)}" for f in t.follow_ups)
        line += f" About: {', '.join(t.about)}." if t.about else ""
        return [f"{line} {ref('interaction', it.id)}"]

    def response(self, t: _Talk) -> list[str]:
        """An official's response to concerns raised with them, for the Country Reports,
        which describe the government's conduct and not the mission's own (issue 19)."""
        it = t.interaction
        about = f" about {', '.join(t.about)}" if t.about else ""
        who = self.who([p for p in t.participants if p.id == it.official_id]) or "an official"
        return [f"- {t.day}: {who}, asked{about}, responded: {self.text(it.response)} {ref('interaction', it.id)}"]

    # -- structure
    def section(self, level: int, heading: str, blocks: Sequence[list[str]] | None, intro: Sequence[str] = ()) -> None:
        """A heading, then its statements (or NOTHING); ``blocks`` None: a heading that
        only groups the ones after it."""
        self.out += ["", f"{'#' * level} {heading}", ""]
        if intro:
            self.out += [*intro, ""]
        if blocks is None:
            self.out.pop()
            return
        for block in blocks:
            self.out += block
        if not blocks:
            self.out.append(NOTHING)

    def sections(self, layout: Layout | None, placed: Mapping[str, list[list[str]]]) -> None:
        """The layout's sections in order, each with the blocks placed under the content
        keys it receives (a block placed under two of them, once); a heading followed by
        deeper ones only groups them. Blocks under a key no section receives follow under
        a last section that says so: a post's layout never loses a record."""
        assert layout is not None, "a laid-out report is written with its layout"
        for n, section in enumerate(layout.sections):
            heading = markdown.inline(section.heading) + (f" {OWN_MARK}" if section.own else "")
            intro = [f"*{markdown.inline(section.guidance)}*"] if section.guidance else []
            if layout.groups(n):
                self.section(section.level, heading, None, intro)
                continue
            blocks = {id(b): b for key in section.receives for b in placed.get(key, [])}
            self.section(section.level, heading, list(blocks.values()), intro)
        received = {key for section in layout.sections for key in section.receives}
        left = {id(b): b for key, blocks in placed.items() if key not in received for b in blocks}
        if left:
            intro = [f"Records this layout ({markdown.inline(layout.key)}) has no section for: place them by hand."]
            self.section(2, "Not placed by the layout", list(left.values()), intro)


# -- the four reports ----------------------------------------------------------------------------------


def _regular(rw: _Writer, period: _Period) -> None:
    rw.section(2, "Civic space", None)
    for category in CivicCategory:
        rw.section(
            3,
            reference.label("civic_category", category),
            [rw.observation(o, category=False) for o in period.observations if o.obs.category == category],
        )
    rw.section(2, "Defenders under threat", [rw.case(c, detail=True) for c in period.cases])
    attacks = accountability.summary_lines(period.attacks, ref) if period.attacks else []
    rw.section(2, "Accountability for attacks", [attacks] if attacks else [])  # section I: "investigate attacks"
    rw.section(2, "Trials and hearings observed", [rw.trial(t) for t in period.trials])
    demarches = [t for t in period.talks if t.interaction.kind == InteractionKind.DEMARCHE]
    # Section II: "Contact and meet regularly with local authorities to check on the status of specific human
    # rights cases"; section III: "Speak directly with host government officials to express concerns".
    rw.section(2, "Démarches and meetings with officials", [rw.demarche(t) for t in demarches])
    talks = [t for t in period.talks if t.interaction.kind != InteractionKind.DEMARCHE]
    conveyed = sum(1 for t in talks if t.interaction.conveyed_to_counterparts)
    intro = (
        [
            (
                f"{len(talks)} interaction{'s' if len(talks) != 1 else ''} in the period; concerns were "
                f"conveyed to embassy counterparts after {conveyed} of them."
            )
        ]
        if talks
        else []
    )
    rw.section(2, "Engagement with civil society", None, intro)
    for kind in (k for k in InteractionKind if k != InteractionKind.DEMARCHE):
        rw.section(
            3,
            reference.label("interaction_kind", kind),
            [rw.talk(t, kind=False) for t in talks if t.interaction.kind == kind],
        )


def _place(placed: dict[str, list[list[str]]], keys: Iterable[str], block: list[str]) -> None:
    for key in dict.fromkeys(keys):
        placed.setdefault(key, []).append(block)


def _crhrp(rw: _Writer, period: _Period) -> None:
    placed: dict[str, list[list[str]]] = {}
    for o in period.observations:
        _place(placed, CRHRP_CIVIC[o.obs.category], rw.observation(o))
    for c in period.cases:
        keys = [key for t in c.types for key in CRHRP_THREATS[t]] or list(CRHRP_CASE_FALLBACK)
        _place(placed, keys, rw.case(c))
    for t in period.trials:
        _place(placed, CRHRP_TRIALS, rw.trial(t))
    if period.attacks and (attacks := accountability.summary_lines(period.attacks, ref)):  # issue 19
        _place(placed, CRHRP_CIVIC[CivicCategory.PROTECTION_REMEDY], attacks)  # investigated and remedied?
    for talk in period.talks:  # only démarches answered (render_report): the authorities' own words
        _place(placed, CRHRP_RESPONSES, rw.response(talk))
    rw.sections(rw.layout, placed)


def _tip(rw: _Writer, period: _Period) -> None:
    placed: dict[str, list[list[str]]] = {}
    for o in period.observations:
        _place(placed, TIP_CIVIC[o.obs.category], rw.observation(o))
    for c in period.cases:
        _place(placed, TIP_CASES, rw.case(c))
    for t in period.trials:
        _place(placed, TIP_TRIALS, rw.trial(t))
    for talk in period.talks:
        _place(placed, TIP_TALKS, rw.talk(talk))
    rw.sections(rw.layout, placed)


def _irf(rw: _Writer, period: _Period) -> None:
    placed: dict[str, list[list[str]]] = {}
    for o in period.observations:
        _place(placed, IRF_CIVIC[o.obs.category], rw.observation(o))
    for c in period.cases:
        _place(placed, IRF_PERPETRATORS[c.case.perpetrator], rw.case(c))
    for t in period.trials:
        _place(placed, IRF_TRIALS, rw.trial(t))
    for talk in period.talks:
        _place(placed, IRF_TALKS, rw.talk(talk))
    rw.sections(rw.layout, placed)


_BODIES = {ReportType.REGULAR: _regular, ReportType.CRHRP: _crhrp, ReportType.TIP: _tip, ReportType.IRF: _irf}

_SCOPE = {
    ReportType.REGULAR: "the vault's civic-space observations, threat cases, trials and interactions",
    ReportType.CRHRP: (
        "the vault's civic-space observations, threat cases and trials (the Country Reports do not "
        "describe U.S. government action: interactions, case actions and referrals are left out)"
    ),
    ReportType.TIP: (
        "the records linked to contacts working on trafficking in persons (observations about them, "
        "their threat cases and trials, interactions with them)"
    ),
    ReportType.IRF: (
        "the records linked to contacts working on religious freedom (observations about them, "
        "their threat cases and trials, interactions with them)"
    ),
}


def _ref_kinds(report_type: ReportType) -> str:
    kinds = [f"[{k} ...]" for k in _REF_KINDS if not (k == "interaction" and report_type == ReportType.CRHRP)]
    return ", ".join(kinds[:-1]) + " or " + kinds[-1]


def _header(
    report_type: ReportType, start: date, end: date, *, real_names: bool, layout: Layout | None = None
) -> list[str]:
    lines = [
        f"{DRAFT_HEADING}{draft_title(report_type, start, end)}",
        "",
        (
            f"Assembled by hrd-tui from {_SCOPE[report_type]}, {start} to {end} (both days included, local dates). "
            f"Each statement ends with the record it came from: {_ref_kinds(report_type)} and the first 8 characters "
            "of the record's id; check each in the vault before sending."
        ),
        "",
    ]
    if layout is not None:
        lines += [layout_line(layout), ""]
    if real_names:
        lines.append(
            "**WARNING: REAL NAMES.** Everyone is named as stored, whatever their naming consent. "
            "This copy can endanger them: keep it as safe as the vault and do not send it as it is."
        )
    else:
        lines.append(
            "People are named only with their consent to be named; the others are described, in the text "
            'too ("a defender"; "a land-rights defender" when they agreed to appear anonymised). Sensitive '
            'locations, trial case numbers and sources\' identities are left out. See "Redaction" at the end.'
        )
    return lines


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _redaction(naming: Sequence[Naming], hidden_locations: int, *, real_names: bool) -> list[str]:
    locations = f"{_plural(hidden_locations, 'location')} left out as sensitive."
    if real_names:
        unconsented = sum(1 for n in naming if n.consent != ConsentValue.NAMED)
        return [
            (
                f"- Real names: {_plural(len(naming), 'person', 'people')} named as stored, whatever their naming consent "
                f"({unconsented} of them without consent to be named). This copy can endanger them: keep it as "
                "safe as the vault."
            ),
            f"- {locations}",
        ]
    withheld = [n for n in naming if n.withheld]
    never = sum(1 for n in withheld if n.withheld == "no naming consent")
    anonymised = len(withheld) - never
    named = len(naming) - len(withheld)
    lines = [
        (
            f"- {_plural(len(withheld), 'name')} withheld by naming consent: {never} with no consent to be named "
            f"(written as their kind only), {anonymised} anonymised (written as their kind and focus area). "
            'Each withheld name, each part of it (one that is also an ordinary word, such as "Hope", where it '
            "is written as a name, with a capital) and the person's codename are replaced wherever they appeared "
            f"in the text. {_plural(named, 'person', 'people')} named with their consent."
        ),
        f"- {locations}",
        "- Trial case numbers and who the sources are, and what they said, are left out.",
        (
            "- People named in free text who are not contacts in the vault (officials, relatives, counsel) are "
            "written as typed: check the draft before sending it."
        ),
    ]
    return lines


def layout_line(layout: Layout) -> str:
    """What a draft's header says of the layout it follows: which, whose, which edition,
    what is the app's own and how much of it could not be checked against the edition."""
    line = f"Layout: {markdown.inline(layout.title)} ({markdown.inline(layout.key)}, {layout.origin})."
    if any(section.own for section in layout.sections):
        line += f" Headings marked \"{OWN_MARK}\" are hrd-tui's own subsections, not the edition's."
    if layout.unchecked_headings:
        line += (
            f" {_plural(layout.unchecked_headings, 'heading')} could not be checked against the published "
            f"edition: see 'hrd-tui layout show {markdown.inline(layout.key)}'."
        )
    return line


def _write(
    report_type: ReportType, period: _Period, w: redaction.ReportText, *, real_names: bool, layout: Layout | None
) -> _Writer:
    rw = _Writer(w, real_names=real_names, layout=layout)
    rw.out += _header(report_type, period.start, period.end, real_names=real_names, layout=layout)
    _BODIES[report_type](rw, period)
    return rw


def render_report(
    session: Session,
    report_type: ReportType | str,
    start: date,
    end: date,
    *,
    real_names: bool = False,
    layout: str | None = None,
) -> str:
    """The draft of ``report_type`` for ``start``..``end`` (both included) in Markdown
    (see the module's docstring), the Country Reports, TIP and IRF reports following
    ``layout`` (a layout's key; None: the newest edition's, report_layouts.choose).
    ValidationError for a period check_period refuses, an unknown type or another
    report's layout; NotFound for no such layout. The same vault and arguments give
    the same text."""
    check_period(start, end)
    try:
        kind = ReportType(report_type)
    except ValueError:
        raise ValidationError({"type": f"is one of {', '.join(t.value for t in ReportType)}"}) from None
    chosen = report_layouts.choose(session, kind, layout, CONTENT_KEYS) if kind in CONTENT_KEYS else None
    period = _gather(session, start, end)
    if kind in REPORT_FOCUS:
        period = _focused(session, period, REPORT_FOCUS[kind])
    if kind == ReportType.CRHRP:  # the mission's own doings are not in it: only officials' responses
        period.talks = [
            t for t in period.talks if t.interaction.kind == InteractionKind.DEMARCHE and t.interaction.response.strip()
        ]
    linked = period.people()
    naming = report_naming(session, linked, real_names=real_names)
    # A first pass finds every other contact the text names, by name or codename: they
    # are hidden as the linked people are (and a codename of someone named is replaced
    # by their name).
    collector = _Collector(naming)
    _write(kind, period, collector, real_names=real_names, layout=chosen)
    known = {p.id for p in linked}
    others = [
        (i, n, c)
        for i, n, c in session.exec(select(Contact.id, Contact.name, Contact.codename).order_by(col(Contact.id)))
        if i not in known
    ]
    found = redaction.mentioned("\n".join(collector.seen), others)
    if found:
        people = _contacts_by_id(session, found)
        naming += report_naming(session, [people[i] for i in sorted(people)], real_names=real_names)
    rw = _write(kind, period, _Text(naming), real_names=real_names, layout=chosen)
    rw.out += ["", "## Redaction", ""]
    rw.out += _redaction(naming, len(rw.hidden_locations), real_names=real_names)
    return for_display("\n".join(rw.out)) + "\n"


def draft_report(
    tx: Transactions, report_type: ReportType | str, start: date, end: date, layout: str | None = None
) -> str:
    """``render_report`` in a transaction of its own: what the reports screen shows,
    the very text ``hrd-tui report`` writes. A screen holds no session, and runs this
    on a worker: a busy post's year takes seconds (bench/bench_reports.py), with the
    cyclic collector paused (hrd_tui.collector: its full passes over the report's
    thousands of rows held the app's event loop for up to 100 ms each)."""
    with collector.paused(), tx.session("drafting the report") as session:
        return render_report(session, report_type, start, end, layout=layout)


def layout_choices(tx: Transactions) -> dict[ReportType, list[tuple[str, str]]]:
    """What the reports screen offers for each laid-out report: (label, key) of each layout
    not retired, the default (the newest edition) first."""
    with tx.session("reading the report layouts") as session:
        found: dict[ReportType, list[tuple[str, str]]] = {kind: [] for kind in CONTENT_KEYS}
        for layout in report_layouts.all_layouts(session, CONTENT_KEYS):
            mine = "" if layout.shipped else ", the post's"
            found[layout.report].append((f"{layout.edition} edition ({layout.key}{mine})", layout.key))
        return found


def import_layout_file(tx: Transactions, path: Path) -> str:
    """The post's own layout from a file (read at most a layout's size, checked, kept:
    report_layouts.import_layout); what it is, for the notice. The reports screen runs
    it on a worker."""
    text = report_layouts.read_file(path)
    with tx.session("importing the report layout") as session:
        row = report_layouts.import_layout(session, text, str(path))
        return f"'{row.key}': {row.title}"


def save_report(path: Path, text: str, *, export_dir: Path) -> None:
    """``text`` written to ``path`` as a plain-text file with mode 0600 (HrdError to
    refuse); the folder is made private first when it is the vault's export folder."""
    if path.parent == export_dir:
        paths.make_private_dir(path.parent)
    paths.write_private_file(path, text.encode("utf-8"))
