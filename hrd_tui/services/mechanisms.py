"""Referrals that are not money (issue 19): the mechanisms the guidelines name and
each one's stages, read from data/mechanisms.toml.

A referral to a mechanism (a communication to the UN special procedures, a specific
instance at an OECD National Contact Point, a complaint to the DFC Independent
Accountability Mechanism, a free trade agreement submission) asks for no money: it
records where the CSO's own filing stands. The stage names are the app's summary of
each mechanism's public procedure, not the guidelines' (the file says so), kept as
data so that wording and stages can change without code; a stored stage is an ``id``
that is never renamed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui.errors import ValidationError
from hrd_tui.models import Referral, Resource
from hrd_tui.services import reference
from hrd_tui.vocab import MECHANISM_PURPOSES, ReferralPurpose, ReferralStatus, ResourceOrigin


@dataclass(frozen=True)
class Stage:
    id: str
    short: str  # at most 12 characters: the case's table of referrals
    label: str
    ends: bool  # reaching it ends the procedure: the referral is concluded


@dataclass(frozen=True)
class Mechanism:
    purpose: ReferralPurpose
    resources: tuple[str, ...]  # the shipped resources (data/resources.toml ids) it goes to
    post_kinds: tuple[str, ...]  # kinds of the post's own resources it may go to instead
    check_after_days: int  # the app's policy: waiting longer at one stage is shown
    stages: tuple[Stage, ...]

    @property
    def first(self) -> Stage:
        return self.stages[0]

    def stage(self, stage_id: str | None) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def index(self, stage_id: str | None) -> int:
        """Where a stage comes in the procedure (-1: not one of its stages)."""
        return next((n for n, s in enumerate(self.stages) if s.id == stage_id), -1)


@cache
def data_version() -> int:
    """The version of data/mechanisms.toml (raised when its stages change)."""
    return int(_data()["version"])


@cache
def _data() -> dict[str, Any]:
    return reference.load_data("mechanisms.toml")


@cache
def mechanisms() -> dict[ReferralPurpose, Mechanism]:
    """Every mechanism, by the referral purpose that is its procedure."""
    found: dict[ReferralPurpose, Mechanism] = {}
    for entry in _data().get("mechanism", []):
        purpose = ReferralPurpose(entry["purpose"])
        found[purpose] = Mechanism(
            purpose,
            tuple(entry.get("resources", ())),
            tuple(entry.get("post_kinds", ())),
            int(entry["check_after_days"]),
            tuple(Stage(s["id"], s["short"], s["label"], bool(s.get("ends", False))) for s in entry["stage"]),
        )
    return found


def mechanism(purpose: str | None) -> Mechanism | None:
    """The mechanism a referral's purpose is the procedure of; None for money."""
    if purpose is None or purpose not in MECHANISM_PURPOSES:
        return None
    return mechanisms()[ReferralPurpose(purpose)]


def stage_label(purpose: str | None, stage_id: str | None) -> str:
    """A stage in words (its id when the data no longer lists it; "-" for none)."""
    if not stage_id:
        return "-"
    found = mechanism(purpose)
    stage = found.stage(stage_id) if found else None
    return stage.label if stage else stage_id


def stage_short(purpose: str | None, stage_id: str | None) -> str:
    found = mechanism(purpose)
    stage = found.stage(stage_id) if found else None
    return stage.short if stage else (stage_id or "-")


def stage_choices(purpose: str) -> tuple[tuple[str, str], ...]:
    """(id, label) of each stage of the mechanism, in the procedure's order."""
    found = mechanism(purpose)
    return tuple((s.id, s.label) for s in found.stages) if found else ()


def stage_check_on(purpose: str | None, stage_on: date | None) -> date | None:
    """When a referral waiting at one stage since ``stage_on`` is due a check."""
    found = mechanism(purpose)
    if found is None or stage_on is None:
        return None
    return stage_on + timedelta(days=found.check_after_days)


def shipped_resource_ids() -> frozenset[str]:
    return frozenset(str(e["id"]) for e in reference.resource_entries())


def mechanism_resources(session: Session, purpose: str) -> list[Resource]:
    """The resources a referral of this mechanism can go to: its shipped ones, and the
    post's own of its kinds."""
    found = mechanism(purpose)
    if found is None:
        return []
    return [r for r in session.exec(select(Resource).order_by(col(Resource.name))) if fits(r, found)]


def fits(resource: Resource, found: Mechanism) -> bool:
    """The resource is this mechanism: one of its shipped ones, or one of the post's own
    of the kinds it names (the host country's National Contact Point)."""
    if resource.id in found.resources:
        return True
    return resource.origin == ResourceOrigin.POST and resource.kind in found.post_kinds


def is_mechanism_resource(resource: Resource) -> bool:
    """A resource that is a mechanism's: it takes no request for money."""
    return any(fits(resource, m) for m in mechanisms().values())


def check_resource(session: Session, purpose: str, resource_id: str) -> None:
    """A mechanism referral goes to that mechanism; a request for money never goes to a
    mechanism (it funds nothing). Said against the field the officer chose last."""
    resource = session.get(Resource, resource_id)
    if resource is None:
        return  # reference.require_resource says so
    found = mechanism(purpose)
    if found is not None and not fits(resource, found):
        names = ", ".join(reference.resource_name(session, r) for r in found.resources)
        raise ValidationError(
            {
                "resource_id": (
                    f"a {reference.label('referral_purpose', purpose).lower()} goes to {names}"
                    + (" or the post's own resource of that kind" if found.post_kinds else "")
                    + f", not to {resource.name}"
                )
            }
        )
    if found is None and purpose != ReferralPurpose.OTHER and is_mechanism_resource(resource):
        raise ValidationError(
            {
                "purpose": (
                    f"{resource.name} funds nothing: choose what is submitted to it "
                    f"({', '.join(reference.label('referral_purpose', m.purpose) for m in mechanisms().values() if fits(resource, m))})"
                )
            }
        )


def check_target(session: Session, fields: Mapping[str, Any], before: Referral | None) -> None:
    """Where a referral goes fits what it is for, checked when either is chosen (a stored
    one not changed is left as it was recorded)."""
    purpose, resource_id = str(fields.get("purpose") or ""), str(fields.get("resource_id") or "")
    if not resource_id or not purpose:
        return
    if before is None or before.purpose != purpose or before.resource_id != resource_id:
        check_resource(session, purpose, resource_id)


def settle(fields: dict[str, Any], before: Referral | None, given: Collection[str], today: date) -> None:
    """A mechanism referral's stage, and what follows from it, or a refusal naming the
    field. ``fields`` is the whole referral as it will be (sent_on filled in), ``given``
    the names the officer set in this save. A request for money has no stage; a
    mechanism referral asks for no money, is not granted or declined, has a stage of its
    own mechanism from when it is sent (the first, on the day it was sent, unless said),
    and is concluded when a stage ends the procedure (back to under review when the
    officer corrects that stage back). Its status stays as the officer set it otherwise:
    the stage says where the procedure is."""
    purpose = str(fields.get("purpose") or "")
    found = mechanism(purpose)
    status = ReferralStatus(fields.get("status") or ReferralStatus.DRAFT)
    if found is None:
        if fields.get("stage") or fields.get("stage_on"):
            raise ValidationError({"stage": "only a referral to a mechanism has stages"})
        if status == ReferralStatus.CONCLUDED:
            raise ValidationError(
                {"status": "only a referral to a mechanism is concluded: a request for money is granted or declined"}
            )
        fields["stage"] = fields["stage_on"] = None
        return
    what = reference.label("referral_purpose", purpose)
    for amount in ("amount_requested", "amount_granted"):
        if fields.get(amount) is not None:
            raise ValidationError({amount: f"a {what.lower()} asks for no money: leave it empty"})
    if status in (ReferralStatus.GRANTED, ReferralStatus.DECLINED):
        raise ValidationError(
            {"status": "a mechanism does not grant or decline: move its stage (a stage that ends it concludes it)"}
        )
    sent_on = fields.get("sent_on")
    if status == ReferralStatus.DRAFT or sent_on is None:
        if fields.get("stage") and "stage" in given:
            raise ValidationError({"stage": "it has not been submitted yet: mark it sent to record its stage"})
        fields["stage"] = fields["stage_on"] = None
        return
    stage = found.stage(str(fields.get("stage") or found.first.id))
    if stage is None:
        raise ValidationError(
            {
                "stage": f"'{fields.get('stage')}' is not a stage of a {what.lower()}: "
                + ", ".join(s.id for s in found.stages)
            }
        )
    moved = before is None or before.stage != stage.id
    on = fields.get("stage_on")
    if moved and "stage_on" not in given or on is None:
        on = sent_on if stage is found.first else today
    if on < sent_on:
        raise ValidationError({"stage_on": f"is before the day it was sent ({sent_on})"})
    if on > today:
        raise ValidationError({"stage_on": "is in the future"})
    fields["stage"], fields["stage_on"] = stage.id, on
    if stage.ends and status in (ReferralStatus.SENT, ReferralStatus.UNDER_REVIEW, ReferralStatus.CONCLUDED):
        status = ReferralStatus.CONCLUDED
        fields["decision_on"] = on
    elif status == ReferralStatus.CONCLUDED:
        if "status" in given:
            ends = ", ".join(s.label for s in found.stages if s.ends)
            raise ValidationError({"status": f"concluded only at a stage that ends it: {ends}"})
        status, fields["decision_on"] = ReferralStatus.UNDER_REVIEW, None
    fields["status"] = status


def stage_event(resource: str, referral: Referral, before_stage: str | None, before_on: date | None) -> str | None:
    """What the case timeline says of a stage change (None when there was none): moved
    on, corrected back, or its day corrected."""
    found = mechanism(referral.purpose)
    if found is None or (referral.stage == before_stage and referral.stage_on == before_on):
        return None
    head = f"Referral to {resource} ({reference.label('referral_purpose', referral.purpose).lower()})"
    label = stage_label(referral.purpose, referral.stage)
    if referral.stage is None:
        return f"{head}: no stage (was {stage_label(referral.purpose, before_stage)})."
    if referral.stage == before_stage:
        return f"{head}: the day it reached '{label}' corrected to {referral.stage_on} (was {before_on})."
    if before_stage is None:
        return f"{head}: stage '{label}', reached {referral.stage_on}."
    back = found.index(referral.stage) < found.index(before_stage)
    verb = "corrected back to" if back else "moved on to"
    return (
        f"{head}: stage {verb} '{label}', reached {referral.stage_on} "
        f"(was '{stage_label(referral.purpose, before_stage)}')."
    )
