"""Civic-space observations (section I of the guidelines)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session

from hrd_tui.models import CivicObservation, ObservationLink, Source
from hrd_tui.services import base


def add_observation(
    session: Session,
    data: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]] = (),
    links: Sequence[Mapping[str, str]] = (),
) -> CivicObservation:
    observation = base.create(session, CivicObservation, data)
    for source in sources:
        base.create(session, Source, {"received_on": observation.observed_on, **source, "observation_id": observation.id})
    for link in links:
        base.create(session, ObservationLink, {**link, "observation_id": observation.id})
    return observation
