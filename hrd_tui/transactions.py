"""What a service needs of its caller: a way to open one transaction.

Kept apart from the services and the store, and importing nothing at run time, so
the screens' contract with the app (screens/shell.py) can name it without loading
the database stack before the unlock prompt is drawn.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlmodel import Session


class Transactions(Protocol):
    """One transaction at a time, opened by the service that does the work.

    Screens never open a session: they hand the app (which satisfies this) to a
    service function, and the function opens the transaction, does its work and
    returns plain values or view objects, never ORM instances that would outlive
    their session. The command line hands its opened vault's store the same way.
    """

    def session(self, what: str = ...) -> AbstractContextManager[Session]: ...
