"""What the screens get from a service is plain: the view tests' one check."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlmodel import SQLModel


def assert_plain(value: Any) -> None:
    """No ORM instance anywhere in ``value`` (a view, a list of views, a mapping, all the
    way down): nothing a screen holds may outlive the session it was read in."""
    assert not isinstance(value, SQLModel), value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            assert_plain(getattr(value, field.name))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            assert_plain(key)
            assert_plain(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            assert_plain(item)
