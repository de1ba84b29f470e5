"""Checklist runs: started from a template version, one state per item."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.models import ChecklistItemState, ChecklistRun, ChecklistTemplate
from hrd_tui.services import base
from hrd_tui.vocab import ItemStatus


def latest_template(session: Session, template_id: str) -> ChecklistTemplate:
    stmt = select(ChecklistTemplate).where(ChecklistTemplate.id == template_id).order_by(col(ChecklistTemplate.version).desc())
    template = session.exec(stmt).first()
    if template is None:
        raise NotFound(f"No checklist template '{template_id}'.")
    return template


def start_run(session: Session, template_id: str, data: Mapping[str, Any] | None = None) -> ChecklistRun:
    template = latest_template(session, template_id)
    run = base.create(
        session,
        ChecklistRun,
        {"title": template.title, **(data or {}), "template_id": template.id, "template_version": template.version},
    )
    for item in template.items:
        session.add(ChecklistItemState(run_id=run.id, item_id=item["id"]))
    session.flush()
    return run


def set_item(session: Session, run: ChecklistRun, item_id: str, status: ItemStatus, note: str | None = None) -> ChecklistItemState:
    state = session.exec(
        select(ChecklistItemState).where(ChecklistItemState.run_id == run.id, ChecklistItemState.item_id == item_id)
    ).first()
    if state is None:
        raise ValidationError({"item_id": f"'{item_id}' is not an item of this checklist"})
    changes: dict[str, Any] = {"status": status}
    if note is not None:
        changes["note"] = note
    base.update(session, state, changes)
    base.update(session, run, {"current_item": item_id})
    return state
