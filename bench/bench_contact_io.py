"""Contact import/export benchmark on the real encrypted store (SQLCipher, history and search hooks).

Run: python bench/bench_contact_io.py [--rows 10000] [--quick]

Builds a CSV file of N fictional contacts (fixed seed; Latin, Cyrillic, Arabic and
CJK names, lists, focus areas, dates), then times, each in its own vault:
  * CSV import: preview (parse, validate, find duplicates), apply, commit;
  * CSV and vCard export of the N contacts (real names);
  * the same CSV again into the same vault with merge (N duplicates, nothing changes);
  * a CSV of N/10 changed rows merged in (one history version each);
  * vCard import of the exported N contacts into a fresh vault.
Vaults use HRD_TUI_TEST_KDF=1 (the unlock KDF is not what is measured). Prints figures only.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ["HRD_TUI_TEST_KDF"] = "1"

from hrd_tui import vault as vaultmod
from hrd_tui.services import contact_io
from hrd_tui.vocab import ContactKind, FocusArea

SEED = 20240611
PASSPHRASE = "bench passphrase"
FIRST = [
    "José",
    "María",
    "Zoë",
    "Łukasz",
    "Amina",
    "Chidi",
    "Иван",
    "Ольга",
    "محمد",
    "فاطمة",
    "秀英",
    "민준",
    "Peter",
    "Renée",
]
LAST = ["García", "Müller", "Okafor", "Nørgaard", "Иванов", "Петрова", "الحسن", "حداد", "王", "김", "Smith", "Mensah"]
ORGS = [
    "Legal Aid Centre",
    "Land Rights Watch",
    "Фонд защиты прав",
    "مركز العدالة",
    "女性权益中心",
    "Journalists in Danger",
]
CITIES = ["Lagos", "Bogotá", "Tbilisi", "Almaty", "Tunis", "Kyiv", "Manila", "Quito", "Nairobi"]
WORDS = ["witness", "hearing", "threat", "meeting", "signal", "detained", "released", "appeal", "press", "family"]


def make_csv(n: int, rng: random.Random) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    columns = contact_io.CSV_COLUMNS
    writer.writerow(columns)
    for i in range(n):
        row: dict[str, Any] = {
            "codename": f"B-{i:06d}" if i % 4 else "",  # a quarter get generated codenames
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
            "kind": rng.choice(list(ContactKind)).value,
            "organisation": rng.choice(ORGS),
            "role": rng.choice(["director", "lawyer", "journalist"]),
            "country": rng.choice(CITIES),
            "region": "",
            "languages": ";".join(rng.sample(["en", "fr", "ru", "ar", "zh"], 2)),
            "tags": ";".join(rng.sample(WORDS, 2)),
            "focus_areas": ";".join(a.value for a in rng.sample(list(FocusArea), 2)),
            "email": f"person{i}@example.org",
            "phone": f"+1 555 {i:07d}",
            "direct_contact_safe": rng.choice(["true", "false"]),
            "last_contact_on": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "cadence_days": str(rng.choice([14, 30, 90])),
            "next_follow_up_on": "",
            "notes": " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 30))),
        }
        writer.writerow([row[c] for c in columns])
    return out.getvalue()


@contextmanager
def fresh_vault(root: Path, name: str) -> Iterator[vaultmod.Vault]:
    opened, _code = vaultmod.create(root / name, PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def import_timed(opened: vaultmod.Vault, text: str, fmt: contact_io.Format, on_duplicate: str, label: str) -> None:
    start = time.perf_counter()
    with opened.store.session("bench import") as session:
        t_preview, plan = timed(lambda: contact_io.preview(session, text, fmt))
        t_apply, result = timed(lambda: contact_io.apply(session, plan, on_duplicate))  # type: ignore[arg-type]
        commit_start = time.perf_counter()
    t_commit = time.perf_counter() - commit_start
    total = time.perf_counter() - start
    print(
        f"  {label:<44} preview {t_preview:6.2f} s  apply {t_apply:6.2f} s  commit {t_commit:5.2f} s  "
        f"total {total:6.2f} s  ({result})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run at tiny sizes (the test suite runs it): the figures mean little",
    )
    args = parser.parse_args()
    if args.quick:
        args.rows = 200
    rng = random.Random(SEED)
    n = args.rows
    text = make_csv(n, rng)
    print(f"{n} contacts, CSV of {len(text.encode()) / 1e6:.1f} MB; seed {SEED}")
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-io-"))
    try:
        with fresh_vault(root, "a") as a:
            import_timed(a, text, "csv", "skip", f"CSV import, {n} new rows")
            with a.store.session("bench export") as s:
                t_csv, exported = timed(lambda: contact_io.export_csv(s, real_names=True))
                t_vcf, vcard = timed(lambda: contact_io.export_vcard(s, real_names=True))
                t_red, _ = timed(lambda: contact_io.export_csv(s))
            print(f"  {'export CSV (real names)':<44} {t_csv:6.2f} s  ({len(exported.encode()) / 1e6:.1f} MB)")
            print(f"  {'export CSV (codenames only)':<44} {t_red:6.2f} s")
            print(
                f"  {'export vCard 3.0 (real names)':<44} {t_vcf:6.2f} s  ({len(vcard.encode()) / 1e6:.1f} MB)",
                flush=True,
            )
            import_timed(a, exported, "csv", "merge", f"same CSV again, merge ({n} duplicates)")
            lines = exported.split("\r\n")
            changed = (
                "\r\n".join(
                    [lines[0]]
                    + [
                        line.replace(",true,", ",false,", 1)
                        if ",true," in line
                        else line.replace(",false,", ",true,", 1)
                        for line in lines[1 : n // 10 + 1]
                    ]
                )
                + "\r\n"
            )
            import_timed(a, changed, "csv", "merge", f"CSV of {n // 10} changed rows, merge")
        with fresh_vault(root, "b") as b:
            import_timed(b, vcard, "vcard", "skip", f"vCard import, {n} new cards")
            with b.store.session("bench export") as s:
                same = contact_io.export_vcard(s, real_names=True) == vcard
            print(f"  vCard export -> import -> export byte-identical: {'yes' if same else 'NO'}")
        with fresh_vault(root, "c") as c:
            import_timed(c, exported, "csv", "skip", "exported CSV into a fresh vault")
            with c.store.session("bench export") as s:
                same = contact_io.export_csv(s, real_names=True) == exported
            print(f"  CSV export -> import -> export byte-identical: {'yes' if same else 'NO'}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
