"""How an import's preview names records and values: people by codename, never by
name; records by what they belong to (a case by its defenders, a hearing by its trial).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, SQLModel, select

from hrd_tui.models import EXPORT_TABLES, CaseDefender, Contact, TrialDefendant
from hrd_tui.models.common import table_name
from hrd_tui.services import history
from hrd_tui.services.handover.document import Bundle
from hrd_tui.services.handover.tables import DERIVED, fks
from hrd_tui.services.history import jsonable


def _whole(value: Any) -> str:
    """A field's value as text, whole: lines kept, nothing quoted or cut."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _shown(value: Any, limit: int = 60) -> str:
    """A field's value on one line, quoted, cut at ``limit`` (for the CLI's preview)."""
    text = _whole(value)
    if value is None or value == "" or value == [] or isinstance(value, bool):
        return text
    text = text.replace("\n", " ")
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


class Labels:
    """Human labels for records, by codename, never by name."""

    def __init__(self, session: Session, bundle: Bundle) -> None:
        self.session = session
        self.theirs = {name: rows for name, rows in bundle.tables.items()}
        self.codenames = {r.get("id"): r.get("codename") for r in self.theirs.get("contacts", [])}
        self.by_id: dict[str, dict[Any, dict[str, Any]]] = {}  # by the rows' ids, as the bundle has them

    def _row(self, name: str, ident: Any) -> dict[str, Any] | None:
        if name not in self.by_id:
            self.by_id[name] = {r.get("id"): r for r in self.theirs.get(name, [])}
        row = self.by_id[name].get(ident)
        if row is None and ident is not None:
            obj = self.session.get(EXPORT_TABLES[name], ident)
            row = jsonable(obj.model_dump(exclude=set(DERIVED))) if obj is not None else None
        return row

    def codename(self, contact_id: Any) -> str:
        contact = self.session.get(Contact, contact_id) if contact_id else None
        return contact.codename if contact else str(self.codenames.get(contact_id) or "an unknown contact")

    def _people(self, link: str, model: Any, column: str, owner: Any) -> str:
        ids = {r.get("contact_id") for r in self.theirs.get(link, []) if r.get(column) == owner}
        ids |= set(self.session.exec(select(model.contact_id).where(getattr(model, column) == owner)))
        return ", ".join(sorted(self.codename(i) for i in ids)) or "nobody"

    def case(self, case_id: Any) -> str:
        row = self._row("threat_cases", case_id)
        opened = f" (opened {row.get('opened_on')})" if row else ""
        return f"case of {self._people('case_defenders', CaseDefender, 'case_id', case_id)}{opened}"

    def trial(self, trial_id: Any) -> str:
        row = self._row("trials", trial_id)
        if row and row.get("case_number"):
            return f"trial {row['case_number']}"
        return f"trial of {self._people('trial_defendants', TrialDefendant, 'trial_id', trial_id)}"

    def hearing(self, hearing_id: Any) -> str:
        row = self._row("hearings", hearing_id)
        if not row:
            return "a hearing"
        return f"hearing of {self.trial(row.get('trial_id'))} at {str(row.get('starts_at'))[:16]}"

    def record(self, name: str, row: Mapping[str, Any]) -> str:
        what = table_name(EXPORT_TABLES[name]).replace("_", " ")
        if name == "contacts":
            return f"contact {self.codename(row.get('id'))}"
        if name == "contact_relationships":
            return (
                f"relationship {self.codename(row.get('from_contact_id'))} {row.get('kind')} "
                f"{self.codename(row.get('to_contact_id'))}"
            )
        if name == "consent_records":
            return f"consent ({row.get('scope')}, {row.get('given_on')}) of {self.codename(row.get('contact_id'))}"
        if name == "secure_channels":
            return f"{row.get('kind')} channel of {self.codename(row.get('contact_id'))}"
        if name == "interactions":
            return f"interaction ({row.get('kind')}, {str(row.get('occurred_at'))[:10]})"
        if name == "threat_cases":
            return self.case(row.get("id"))
        if name == "trials":
            return self.trial(row.get("id"))
        if name == "hearings":
            return self.hearing(row.get("id"))
        if name == "trial_notes":
            return f"note of {str(row.get('noted_at'))[:16]} in {self.hearing(row.get('hearing_id'))}"
        if name == "checklist_runs":
            return f"checklist run '{row.get('title') or row.get('template_id')}'"
        if name == "resources":  # a post's own (a shipped one is never a conflict): by its name
            return f"the post's resource '{row.get('name')}'"
        if name == "checklist_item_states":
            run = self._row("checklist_runs", row.get("run_id"))
            title = (run or {}).get("title") or (run or {}).get("template_id") or "?"
            return f"item '{row.get('item_id')}' of checklist run '{title}'"
        if "case_id" in row and row.get("case_id"):
            return f"{what} of {self.case(row.get('case_id'))}"
        if "contact_id" in row and row.get("contact_id"):
            return f"{what} of {self.codename(row.get('contact_id'))}"
        return f"{what} {str(row.get('id', ''))[:8]}"

    def value(self, model: type[SQLModel], column: str, value: Any, *, whole: bool = False) -> str:
        for fk in fks(model):
            if fk.cols == (column,) and fk.target == "contacts" and value is not None:
                return self.codename(value)
        if not whole:
            return _shown(value)
        return "(empty)" if value is None or value == "" or value == [] else history.text(model, column, value)
