"""A real writer process for crash and disk-full tests: ``writer.py VAULT PASSFILE MODE [MARKER]``.

MODE ``loop``: commit one user action after another (a contact with two focus
areas, a channel and an interaction: one transaction each) until killed.
MODE ``fill``: cap the file size just above the database (RLIMIT_FSIZE) and
write ever larger notes until the disk is "full"; print the error it met.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from hrd_tui import vault, wallclock
from hrd_tui.errors import HrdError
from hrd_tui.services import contacts


def one_action(v: vault.Vault, i: int, marker: str) -> None:
    with v.store.session() as s:
        c = contacts.create_contact(
            s, {"name": f"{marker} person {i}", "notes": f"{marker} notes {i} " * 20}, ["land_environment", "labour"]
        )
        contacts.add_channel(s, c, {"kind": "signal", "handle": f"{marker}-handle-{i}", "preferred": True})
        contacts.log_interaction(
            s, {"kind": "call", "occurred_at": wallclock.now(), "summary": f"{marker} call {i}"}, [c]
        )


def main() -> int:
    vault_dir, passfile, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    marker = sys.argv[4] if len(sys.argv) > 4 else "CRASHTEST"
    v = vault.unlock(vault_dir, vault.Secret(Path(passfile).read_text().strip()))
    if mode == "loop":
        i = 0
        while True:
            one_action(v, i, marker)
            i += 1
            if i == 1:
                print("ready", flush=True)
    if mode == "fill":
        size = sum(p.stat().st_size for p in vault_dir.iterdir())
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 256 * 1024, resource.RLIM_INFINITY))
        try:
            for i in range(10_000):
                with v.store.session() as s:
                    contacts.create_contact(s, {"name": f"filler {i}", "notes": "x" * 200_000})
        except HrdError as exc:
            print(f"{type(exc).__name__}: {exc}", flush=True)
            v.close()
            return exc.exit_code
    v.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
