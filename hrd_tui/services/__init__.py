"""The services: what the screens and the CLI ask of a vault.

Importing this package registers, with the store layer below it, what the services
keep in every vault (hrd_tui.vault_hooks): the reference data the code ships,
loaded at each writable open and with each new schema; the search index, rebuilt
with each new schema and kept in step at each flush; and, after an upgrade, the
codenames that clash. A service cannot be imported without this running first, and
the vault refuses to open for writing without it (vault_hooks.require), so every
path that opens a vault (the CLI, the app's unlock, the demo, the tests) has them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hrd_tui import vault_hooks
from hrd_tui.services import reference, search

if TYPE_CHECKING:
    from sqlmodel import Session


def _codename_clashes(session: Session) -> list[str]:
    """What the officer is told after an upgrade: codenames that clash, left as they were
    (see migration 0004): the officer decides which one changes."""
    from hrd_tui.services import contacts  # only after an upgrade

    return [
        f"These codenames are one and the same once case and accents are set aside: "
        f"{', '.join(names)}. Give all but one a new codename."
        for names in contacts.codename_clashes(session)
    ]


vault_hooks.on_open(reference.sync)
vault_hooks.on_migration(search.rebuild)
vault_hooks.on_upgrade(_codename_clashes)
vault_hooks.keep_index(search.KIND_OF, search.index_objects)
