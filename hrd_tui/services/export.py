"""The whole vault as one JSON document: an explicit, plain-text act.

Shape (version 1): one object with ``format``, ``version``, ``exported_at``,
``schema_revision`` and ``vault_id``, then one list per table under its plural
snake_case name (``contacts``, ``threat_cases``, ``trials``, ``hearings``,
``trial_notes`` ...), each record with its ``id`` (or key columns) and its
fields by name. Dates are ISO 8601; vocabulary fields hold their codes.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from hrd_tui import migrations
from hrd_tui.models import EXPORT_TABLES, utcnow
from hrd_tui.services.history import jsonable

EXPORT_FORMAT = "hrd-tui-export"
EXPORT_VERSION = 1


def export_document(session: Session, vault_id: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utcnow().isoformat() + "Z",
        "schema_revision": migrations.current_revision(session.connection()),
        "vault_id": vault_id,
    }
    for name, model in EXPORT_TABLES.items():
        doc[name] = [jsonable(row.model_dump()) for row in session.exec(select(model))]
    return doc
