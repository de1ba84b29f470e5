"""Rekey benchmark: ``Vault.rekey`` (a new data key, SQLCipher's PRAGMA rekey over the
whole database, every slot rewrapped) on a vault of 100,000 trial notes.

Run: python bench/bench_rekey.py [--notes 100000] [--quick]

Builds the vault with bench_store's data and batches (fixed seed; 10,000 contacts,
50,000 interactions and the notes), then times one rekey with the real Argon2id
(the passphrase slot is rewrapped with the parameters it has, so one KDF run is
part of the figure) and a check that both secrets open the result. ``--quick``
divides the sizes by 100: a smoke run (the test suite runs it).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import PASSPHRASE, make_data, populate  # noqa: E402

from hrd_tui import vault as vaultmod  # noqa: E402
from hrd_tui.vault import Secret  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="a smoke run: sizes /100")
    args = parser.parse_args()
    scale = 100 if args.quick else 1
    notes = args.notes // scale
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-rekey-"))
    try:
        vdir = root / "vault"
        opened, code = vaultmod.create(vdir, PASSPHRASE)
        print(f"building: {notes} notes ({opened.header.slot('passphrase').kdf_params().describe()})", flush=True)
        with opened:
            populate(opened.store, make_data(10_000 // scale, 50_000 // scale, notes))
        size = (vdir / vaultmod.DB_NAME).stat().st_size
        with vaultmod.unlock(vdir, Secret(PASSPHRASE)) as opened:
            start = time.perf_counter()
            opened.rekey(PASSPHRASE, code)
            seconds = time.perf_counter() - start
        print(f"rekey, {notes} notes ({size / 2**20:.0f} MiB database): {seconds:.2f} s", flush=True)
        for secret in (Secret(PASSPHRASE), Secret(code, kind="recovery")):
            with vaultmod.unlock(vdir, secret, readonly=True) as opened:
                problems = opened.check()
                if problems:
                    raise SystemExit(f"the rekeyed vault fails its check: {problems[:3]}")
        print(f"opens after rekey, passphrase and recovery code, check ok: {2} of 2", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
