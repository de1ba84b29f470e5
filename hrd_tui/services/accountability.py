"""What happened after an attack (issue 19): accountability steps on threat cases and
civic-space observations, the state they add up to, and the attacks without an
investigation after a number of days.

The guidelines ask posts to monitor "the extent to which local authorities work to
protect human rights defenders and investigate attacks against them, as well as provide
effective access to judicial and administrative proceedings, including redress and
remedy" (section I), to "Encourage investigations and prosecution of those who harass
and attack human rights defenders" (section II), and to raise "impunity for attacks
against civil society actors" with officials (section III). What counts as an attack,
and after how many days an attack with no investigation is counted, is the app's own
policy, kept in data/accountability.toml (the guidelines name no number).

A step is on one case or one observation; correcting or deleting it keeps the earlier
version in the history (the session's hooks), and on a case each of the three is said
in the timeline too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.models import AccountabilityStep, CaseThreatType, CivicObservation, ThreatCase
from hrd_tui.services import base, monitoring, redaction, reference, threats
from hrd_tui.services.base import Transactions
from hrd_tui.vocab import INVESTIGATED_STEPS, CaseStatus, CivicCategory, ThreatType
from hrd_tui.vocab import AccountabilityStep as Step

CASE, OBSERVATION = "case", "observation"


# -- the policy: what an attack is, and after how many days it is counted -----------------------
@dataclass(frozen=True)
class Policy:
    """data/accountability.toml: the app's own definitions (see the module docstring)."""

    investigation_days: int
    attack_threat_types: frozenset[ThreatType]
    attack_categories: frozenset[CivicCategory]


@cache
def policy() -> Policy:
    raw = reference.load_data("accountability.toml")
    days = int(raw["investigation_days"])
    if days < 1:
        raise ValueError("data/accountability.toml: investigation_days must be 1 or more")
    return Policy(
        days,
        frozenset(ThreatType(t) for t in raw["attack_threat_types"]),
        frozenset(CivicCategory(c) for c in raw["attack_categories"]),
    )


def check_days(days: int | None) -> int:
    """The number of days asked for, or the policy's; refused under ``days`` if below 1."""
    if days is None:
        return policy().investigation_days
    if days < 1:
        raise ValidationError({"days": "must be 1 or more"})
    return days


# -- recording -------------------------------------------------------------------------------------
def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in data.items() if k not in ("case_id", "observation_id")}
    if "source" in fields:
        fields["source"] = str(fields["source"] or "").strip()
        if not fields["source"]:
            raise ValidationError({"source": "say who says so (a court registry, the lawyer, a news report ...)"})
    if "step" in fields and isinstance(fields["step"], str):
        fields["step"] = base.codes(Step, [fields["step"]], "step")[0]
    day = fields.get("on_date")
    if isinstance(day, date) and day > wallclock.today():
        raise ValidationError({"on_date": "is in the future"})
    return fields


def _describe(step: AccountabilityStep) -> str:
    return f"{reference.label('accountability_step', step.step)} on {step.on_date} (source: {step.source})"


def _case_event(session: Session, step: AccountabilityStep, what: str) -> None:
    if step.case_id is not None:
        case = base.get(session, ThreatCase, step.case_id)
        threats.add_event(session, case, f"Accountability: {what}", ref_id=step.id)


def add_step(
    session: Session, data: Mapping[str, Any], *, case_id: str | None = None, observation_id: str | None = None
) -> AccountabilityStep:
    """A step on a case (said in its timeline) or on an observation: exactly one of the two."""
    if (case_id is None) == (observation_id is None):
        raise ValidationError({"case_id": "a step belongs to one threat case or one observation"})
    if case_id is not None:
        base.get(session, ThreatCase, case_id)
    else:
        base.get(session, CivicObservation, observation_id)
    fields = {"on_date": wallclock.today(), **_clean(data), "case_id": case_id, "observation_id": observation_id}
    step = base.create(session, AccountabilityStep, fields)
    _case_event(session, step, _describe(step))
    return step


def update_step(session: Session, step: AccountabilityStep, changes: Mapping[str, Any]) -> AccountabilityStep:
    """A correction: the earlier version stays in the history, and the case's timeline says so."""
    before = _describe(step)
    base.update(session, step, _clean(changes))
    after = _describe(step)
    if after != before:
        _case_event(session, step, f"corrected: {before} -> {after}")
    return step


def delete_step(session: Session, step: AccountabilityStep) -> None:
    """Deleted (a tombstone stays in the history); the case's timeline says what went."""
    _case_event(session, step, f"deleted: {_describe(step)}")
    base.delete(session, step)


def steps_of(
    session: Session, *, case_id: str | None = None, observation_id: str | None = None
) -> list[AccountabilityStep]:
    """A case's or an observation's steps, oldest first."""
    stmt = select(AccountabilityStep)
    if case_id is not None:
        stmt = stmt.where(AccountabilityStep.case_id == case_id)
    else:
        stmt = stmt.where(AccountabilityStep.observation_id == observation_id)
    stmt = stmt.order_by(col(AccountabilityStep.on_date), col(AccountabilityStep.created_at))
    return list(session.exec(stmt))


# -- the state in words ------------------------------------------------------------------------------
_RANK = {s: n for n, s in enumerate(Step)}


def latest(steps: Iterable[AccountabilityStep], as_of: date | None = None) -> AccountabilityStep | None:
    """The step that says where things stand: the latest by date (on ``as_of`` or before),
    and on the same day the one further along (a conviction after the charge)."""
    kept = [s for s in steps if as_of is None or s.on_date <= as_of]
    return max(kept, key=lambda s: (s.on_date, _RANK[s.step]), default=None)


def investigated(steps: Iterable[AccountabilityStep], as_of: date | None = None) -> bool:
    """An investigation was opened (or someone charged or convicted) by ``as_of``."""
    return any(s.step in INVESTIGATED_STEPS and (as_of is None or s.on_date <= as_of) for s in steps)


def state_text(steps: Sequence[AccountabilityStep], as_of: date | None = None) -> str:
    """Where accountability stands, in words: "Someone charged (2026-05-02)", or
    "No step recorded"; "no investigation recorded" is added when a later step (a
    complaint, or a closure) stands without one."""
    last = latest(steps, as_of)
    if last is None:
        return "No step recorded"
    words = f"{reference.label('accountability_step', last.step)} ({last.on_date})"
    if not investigated(steps, as_of):
        words += "; no investigation recorded"
    return words


# -- attacks ----------------------------------------------------------------------------------------
def is_attack_case(types: Iterable[ThreatType]) -> bool:
    return bool(policy().attack_threat_types & set(types))


def is_attack_observation(category: CivicCategory) -> bool:
    return category in policy().attack_categories


@dataclass(frozen=True)
class Attack:
    """A case or an observation that counts as an attack, with its steps: ``on`` is the day
    the attack is counted from (the day the case was opened, the observation's day)."""

    kind: str  # CASE or OBSERVATION
    record_id: str
    on: date
    label: str
    closed: bool  # a closed case (an observation is never closed)
    steps: tuple[AccountabilityStep, ...]

    def investigated(self, as_of: date | None = None) -> bool:
        return investigated(self.steps, as_of)

    def state(self, as_of: date | None = None) -> str:
        return state_text(self.steps, as_of)

    def ended_without_result(self, as_of: date | None = None) -> bool:
        last = latest(self.steps, as_of)
        return last is not None and last.step == Step.CLOSED_WITHOUT_RESULT


def _grouped(session: Session, column: Any, ids: Sequence[str]) -> dict[str, list[AccountabilityStep]]:
    found: dict[str, list[AccountabilityStep]] = {}
    if not ids:
        return found
    rows = session.exec(
        select(AccountabilityStep)
        .where(col(column).in_(ids))
        .order_by(col(AccountabilityStep.on_date), col(AccountabilityStep.created_at))
    )
    for row in rows:
        found.setdefault(getattr(row, column.key), []).append(row)
    return found


def _observation_label(session: Session, obs: CivicObservation, discreet: bool) -> str:
    text = obs.description.strip().splitlines()[0] if obs.description.strip() else ""
    if discreet:
        people = monitoring.linked_contacts(session, obs.id)
        text = redaction.as_codenames([(p.name, p.codename) for p in people])(text)
    return f"{reference.short_label('civic_category', obs.category)}: {text[:200]}"


def attacks(
    session: Session, *, start: date | None = None, end: date | None = None, discreet: bool, labelled: bool = True
) -> list[Attack]:
    """Every attack counted from a day between ``start`` and ``end`` (either open), oldest
    first; ``labelled`` False leaves the labels empty (the reports cite records by id)."""
    p = policy()
    case_stmt = (
        select(ThreatCase)
        .join(CaseThreatType, col(CaseThreatType.case_id) == col(ThreatCase.id))
        .where(col(CaseThreatType.threat_type).in_([t.value for t in p.attack_threat_types]))
        .distinct()
    )
    obs_stmt = select(CivicObservation).where(
        col(CivicObservation.category).in_([c.value for c in p.attack_categories])
    )
    if start is not None:
        case_stmt = case_stmt.where(col(ThreatCase.opened_on) >= start)
        obs_stmt = obs_stmt.where(col(CivicObservation.observed_on) >= start)
    if end is not None:
        case_stmt = case_stmt.where(col(ThreatCase.opened_on) <= end)
        obs_stmt = obs_stmt.where(col(CivicObservation.observed_on) <= end)
    cases = list(session.exec(case_stmt))
    observations = list(session.exec(obs_stmt))
    case_steps = _grouped(session, AccountabilityStep.case_id, [c.id for c in cases])
    obs_steps = _grouped(session, AccountabilityStep.observation_id, [o.id for o in observations])
    found = [
        Attack(
            CASE,
            c.id,
            c.opened_on,
            threats.case_label(c, threats.defenders_of(session, c.id), discreet=discreet) if labelled else "",
            c.status == CaseStatus.CLOSED,
            tuple(case_steps.get(c.id, ())),
        )
        for c in cases
    ] + [
        Attack(
            OBSERVATION,
            o.id,
            o.observed_on,
            _observation_label(session, o, discreet) if labelled else "",
            False,
            tuple(obs_steps.get(o.id, ())),
        )
        for o in observations
    ]
    return sorted(found, key=lambda a: (a.on, a.kind, a.record_id))


def without_investigation(
    session: Session, as_of: date, *, days: int | None = None, discreet: bool, for_today: bool = False
) -> list[Attack]:
    """Attacks counted from ``days`` or more days before ``as_of`` with no investigation
    opened by then (nor anyone charged or convicted), oldest first. ``for_today``: what
    still needs the officer, so not a closed case nor one whose last step closed it
    without result (the reports count those too)."""
    cut = as_of - timedelta(days=check_days(days))
    found = [a for a in attacks(session, end=cut, discreet=discreet) if not a.investigated(as_of)]
    if for_today:
        found = [a for a in found if not a.closed and not a.ended_without_result(as_of)]
    return found


# -- the reports -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    """The attacks of a period and where accountability stood at its end."""

    as_of: date  # the period's last day
    days: int
    attacks: tuple[Attack, ...]  # counted from a day in the period

    def _counted(self) -> list[Attack]:
        return [a for a in self.attacks if (self.as_of - a.on).days >= self.days]

    @property
    def without(self) -> list[Attack]:
        """Counted from ``days`` or more before the period's end, with no investigation by then."""
        return [a for a in self._counted() if not a.investigated(self.as_of)]

    @property
    def recent(self) -> int:
        return len(self.attacks) - len(self._counted())

    def reached(self, *steps: Step) -> int:
        """How many of the period's attacks had reached one of ``steps`` by its end."""
        return sum(1 for a in self.attacks if any(s.step in steps and s.on_date <= self.as_of for s in a.steps))


def summary(session: Session, start: date, end: date, *, days: int | None = None) -> Summary:
    return Summary(end, check_days(days), tuple(attacks(session, start=start, end=end, discreet=True, labelled=False)))


def state_at(session: Session, end: date) -> dict[str, str]:
    """Every attack's state in words as of ``end``, by its case's or observation's id."""
    return {a.record_id: a.state(end) for a in attacks(session, end=end, discreet=True, labelled=False)}


def summary_lines(s: Summary, ref: Callable[[str, str], str]) -> list[str]:
    """The period's count, in the reports' words (``ref`` cites a record: kind "case" or "obs");
    none when the period has no attack."""
    n = len(s.attacks)
    if not n:
        return []  # the section then says nothing was recorded
    without = s.without
    cited = "; ".join(ref("case" if a.kind == CASE else "obs", a.record_id) for a in without)
    lines = [
        f"- Attacks recorded in the period: {n} (threat cases of violence against the person, and observations "
        f"of attacks and reprisals). As of {s.as_of}, {len(without)} had no investigation recorded "
        f"{s.days} days or more after" + (f": {cited}." if without else "."),
        f"  - Complaint filed: {s.reached(Step.COMPLAINT_FILED)}; investigation opened, someone charged or convicted: "
        f"{s.reached(*INVESTIGATED_STEPS)}; someone convicted: {s.reached(Step.CONVICTED)}; remedy or compensation: "
        f"{s.reached(Step.REMEDY)}; closed without result: {s.reached(Step.CLOSED_WITHOUT_RESULT)}; "
        f"within {s.days} days of the period's end (not counted yet): {s.recent}.",
    ]
    return lines


# -- for the screens and the command line: one transaction per call, plain values back ------------
#: The record the changes screen lists the history of, for a step (that screen takes the model class).
CHANGES_RECORD = AccountabilityStep


def changes_label(session: Session, step: AccountabilityStep, discreet: bool) -> str:
    """How the changes screen names a step: what and when (its source may name someone)."""
    return f"Accountability step: {reference.label('accountability_step', step.step)} of {step.on_date}"


@dataclass(frozen=True)
class StepView:
    id: str
    step: Step
    on_date: date
    source: str
    note: str


@dataclass(frozen=True)
class AccountabilityView:
    """A case's or an observation's accountability, as its screen shows it."""

    kind: str  # CASE or OBSERVATION
    record_id: str
    label: str
    is_attack: bool
    counted_from: date  # the case's opening day, the observation's day
    state: str
    investigated: bool
    steps: tuple[StepView, ...]  # oldest first
    days: int  # the policy's number of days

    def late(self, today: date) -> bool:
        """An attack with no investigation ``days`` or more days after it was counted from."""
        return self.is_attack and not self.investigated and (today - self.counted_from).days >= self.days


def _view(step: AccountabilityStep) -> StepView:
    return StepView(step.id, step.step, step.on_date, step.source, step.note)


def read_accountability(
    tx: Transactions, *, case_id: str | None = None, observation_id: str | None = None, discreet: bool
) -> AccountabilityView:
    with tx.session("reading the accountability steps") as session:
        if case_id is not None:
            case = base.get(session, ThreatCase, case_id)
            steps = steps_of(session, case_id=case_id)
            label = threats.case_label(case, threats.defenders_of(session, case_id), discreet=discreet)
            attack, day, kind, ident = (
                is_attack_case(threats.threat_types_of(session, case_id)),
                case.opened_on,
                CASE,
                case_id,
            )
        else:
            obs = base.get(session, CivicObservation, observation_id)
            steps = steps_of(session, observation_id=obs.id)
            label = f"{obs.observed_on} {_observation_label(session, obs, discreet)}"
            attack, day, kind, ident = is_attack_observation(obs.category), obs.observed_on, OBSERVATION, obs.id
        return AccountabilityView(
            kind,
            ident,
            label,
            attack,
            day,
            state_text(steps),
            investigated(steps),
            tuple(_view(s) for s in steps),
            policy().investigation_days,
        )


def step_form_values(tx: Transactions, step_id: str) -> dict[str, Any]:
    with tx.session("reading the accountability step") as session:
        values: dict[str, Any] = base.get(session, AccountabilityStep, step_id).model_dump()
    return values


def save_step(
    tx: Transactions,
    step_id: str | None,
    values: Mapping[str, Any],
    *,
    case_id: str | None = None,
    observation_id: str | None = None,
) -> str:
    """A new step on the case or observation, or a correction of ``step_id``; its id."""
    with tx.session("saving the accountability step") as session:
        if step_id is None:
            return add_step(session, values, case_id=case_id, observation_id=observation_id).id
        return update_step(session, base.get(session, AccountabilityStep, step_id), values).id


def remove_step(tx: Transactions, step_id: str) -> None:
    with tx.session("deleting the accountability step") as session:
        delete_step(session, base.get(session, AccountabilityStep, step_id))


@dataclass(frozen=True)
class UnaccountedRow:
    """An attack without investigation, as Today lists it."""

    kind: str
    record_id: str
    counted_from: date
    days: int  # since it was counted from
    label: str
    state: str


def unaccounted_rows(
    session: Session, today: date, *, discreet: bool, days: int | None = None, for_today: bool = True
) -> list[UnaccountedRow]:
    """without_investigation as rows (the days counted to ``today``)."""
    return [
        UnaccountedRow(a.kind, a.record_id, a.on, (today - a.on).days, a.label, a.state(today))
        for a in without_investigation(session, today, days=days, discreet=discreet, for_today=for_today)
    ]


def read_without_investigation(
    tx: Transactions, today: date, *, discreet: bool, days: int | None = None, for_today: bool = True
) -> list[UnaccountedRow]:
    with tx.session("reading the attacks without investigation") as session:
        return unaccounted_rows(session, today, discreet=discreet, days=days, for_today=for_today)
