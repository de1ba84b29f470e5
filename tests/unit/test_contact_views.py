"""The contact services' tx-taking functions a screen calls (issue 17: screens hold no
session): each opens its own transaction and returns plain values, never an ORM instance
that would outlive its session."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlmodel import SQLModel

from hrd_tui.services import contact_list, contacts

from conftest import FROZEN_DAY


def plain(value: Any) -> None:
    """No ORM instance anywhere in ``value`` (dataclass fields, lists, tuples, dicts)."""
    assert not isinstance(value, SQLModel), value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        assert type(value).__dataclass_params__.frozen, type(value)  # type: ignore[attr-defined]
        for f in dataclasses.fields(value):
            plain(getattr(value, f.name))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            plain(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            plain(key)
            plain(item)


def test_read_page_is_one_page_of_plain_rows(opened) -> None:  # type: ignore[no-untyped-def]
    with opened.store.session("t") as s:
        for n in range(3):
            contacts.create_contact(s, {"name": f"Person {n}", "codename": f"Kite-{n}"})
    page = contact_list.read_page(opened.store, contact_list.ContactFilter(query="Person"), today=FROZEN_DAY,
                                  limit=2)
    assert page.total == 3 and [r.codename for r in page.rows] == ["Kite-0", "Kite-1"]
    for row in page.rows:
        plain(row)
