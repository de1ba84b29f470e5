"""The risk rule: threat x vulnerability / capacity against the bands, with floors
for present danger (data/risk.toml).

The protection manuals' formula is a guide for planning, not a verdict: when harm
is under way, capacity does not lower the risk. So the level from the score is
raised to a floor's level when threat and vulnerability reach that floor, and the
reasoning says which floor did it. The rule has a version; an assessment keeps the
level and the version it was made under, and ``rule_change`` says what the current
rule would make of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from hrd_tui.services import reference
from hrd_tui.services.reference import RiskBand, RiskFloor
from hrd_tui.vocab import RiskLevel

#: The levels, lowest first (the order of the bands in data/risk.toml).
ORDER = tuple(RiskLevel)


@dataclass(frozen=True)
class Judgement:
    """How a level follows from three ratings under one version of the rule."""

    threat: int
    vulnerability: int
    capacity: int
    score: float
    by_score: RiskLevel  # the band the score falls in
    level: RiskLevel  # by_score, or the floor's level when a floor raised it
    floor: RiskFloor | None  # the floor that raised the level, if one did

    @property
    def band(self) -> RiskBand:
        return band(self.level)


def current_rule() -> int:
    return reference.risk_rule_version()


def band(level: RiskLevel) -> RiskBand:
    """The band of a level: what that level calls for (its ``meaning``)."""
    return next(b for b in reference.risk_bands() if b.level == level)


def risk_score(threat: int, vulnerability: int, capacity: int) -> float:
    return threat * vulnerability / capacity


def _by_score(score: float) -> RiskLevel:
    for b in reference.risk_bands():
        if b.below is None or score < b.below:
            return b.level
    return RiskLevel.CRITICAL


def judge(threat: int, vulnerability: int, capacity: int, rule: int | None = None) -> Judgement:
    """The level of these ratings under ``rule`` (None: the current rule), and why."""
    rule = current_rule() if rule is None else rule
    score = risk_score(threat, vulnerability, capacity)
    by_score = _by_score(score)
    level, raised_by = by_score, None
    for floor in reference.risk_floors():
        applies = floor.since <= rule and threat >= floor.threat and vulnerability >= floor.vulnerability
        if applies and ORDER.index(floor.level) > ORDER.index(level):
            level, raised_by = floor.level, floor
    return Judgement(threat, vulnerability, capacity, score, by_score, level, raised_by)


def risk_level(threat: int, vulnerability: int, capacity: int, rule: int | None = None) -> RiskLevel:
    return judge(threat, vulnerability, capacity, rule).level


def floor_line(j: Judgement) -> str:
    """'raised to critical: <the floor's reason>', or '' when no floor raised the level."""
    if j.floor is None:
        return ""
    return f"raised to {reference.label('risk_level', j.level).lower()}: {j.floor.reason}"


def risk_reasoning(threat: int, vulnerability: int, capacity: int, rule: int | None = None) -> str:
    """How the level follows from the ratings, in words the officer can check."""
    j = judge(threat, vulnerability, capacity, rule)
    head = f"threat {threat} x vulnerability {vulnerability} / capacity {capacity} = {j.score:.1f}: "
    if j.floor is None:
        return head + f"{reference.label('risk_level', j.level)}. {j.band.meaning}"
    return (
        head + f"{reference.label('risk_level', j.by_score)} by the score, {floor_line(j)}. "
        f"{reference.label('risk_level', j.level)}: {j.band.meaning}"
    )


def rule_change(level: RiskLevel, threat: int, vulnerability: int, capacity: int, rule: int) -> RiskLevel | None:
    """For an assessment stored with ``level`` under an earlier ``rule``: the level the
    current rule gives its ratings, when that differs (None: nothing to tell)."""
    if rule >= current_rule():
        return None
    now = risk_level(threat, vulnerability, capacity)
    return now if now != level else None
