"""Store benchmark: an encrypted vault (SQLCipher, real Argon2id) beside plain SQLite.

Run: python bench/bench_store.py [--contacts 10000 --interactions 50000 --notes 100000] [--quick]

Builds 10,000 contacts, 50,000 interactions (1-2 participants each) and 100,000
trial notes over ~200 hearings of ~50 trials, in batches of ~1,000 rows per
``store.session()`` (so the history and search-index hooks run), then times
unlock, search, contact listing and single-note commits. The same data (fixed
seed), batches and queries run on an unencrypted SQLite database with the same
tables, hooks and pragmas. ``--quick`` divides all sizes by 100 and times fewer
extra batches and commits: a smoke run (the test suite runs it) whose figures mean little.

Also the cost of ``PRAGMA cipher_memory_security = ON`` (store.py sets it: SQLCipher
then zeroes and mlocks its allocations). The setting is process-wide and cannot be
turned off once on, so the same workload (the searches, listings and note commits
above, on the built vault) runs in fresh child processes, alternately with it off and
on, twice each; the best of each is printed ("cipher_memory_security ON vs OFF").

Targets (printed as PASS/MISS, never asserted):
  * search p95 < 30 ms at full size (search.search and contacts.list_contacts);
  * SQLCipher within 1.5x of plain SQLite on the same operations;
  * a quick-note commit p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import create_engine, event
from sqlalchemy.pool import QueuePool
from sqlmodel import SQLModel

from hrd_tui import keyslots, migrations
from hrd_tui import vault as vaultmod
from hrd_tui.models import Contact, Hearing, Interaction, InteractionParticipant, Trial, TrialNote
from hrd_tui.services import contacts, reference, search, trials
from hrd_tui.services.search import normalise
from hrd_tui.store import Store
from hrd_tui.vault import Secret
from hrd_tui.vocab import ContactKind, InteractionKind, NoteTag, TrialStatus

Row = dict[str, Any]
Builder = Callable[[Row], list[list[SQLModel]]]
SEED = 20240611
PASSPHRASE = "bench passphrase"
EXTRA_BATCHES = 5
BATCH = 1000
COMMITS = 500
PLAIN_PRAGMAS = (
    "journal_mode = WAL",
    "synchronous = FULL",
    "secure_delete = ON",
    "foreign_keys = ON",
    "temp_store = MEMORY",
    "trusted_schema = OFF",
    "busy_timeout = 5000",
)

NAMES: dict[str, tuple[list[str], list[str]]] = {
    "latin": (
        [
            "José",
            "María",
            "François",
            "Zoë",
            "Łukasz",
            "Søren",
            "João",
            "Gülşen",
            "Çağlar",
            "Ana",
            "Peter",
            "Amina",
            "Chidi",
            "Renée",
            "Iñaki",
            "Björn",
            "Agnès",
            "Nguyễn Thị",
            "Đặng Văn",
            "Émile",
        ],
        [
            "García",
            "Müller",
            "Dubois",
            "Kowalski",
            "Nørgaard",
            "Gonçalves",
            "Yılmaz",
            "Öztürk",
            "Okafor",
            "Smith",
            "Hernández",
            "Lefèvre",
            "Ibáñez",
            "Åberg",
            "Novák",
            "Mensah",
            "Castaño",
            "Ferré",
        ],
    ),
    "cyrillic": (
        ["Иван", "Ольга", "Дмитрий", "Наталья", "Сергей", "Анна", "Юрий", "Ксения", "Алексей", "Мария"],
        ["Иванов", "Петрова", "Смирнов", "Кузнецова", "Соколов", "Попова", "Лебедев", "Морозова"],
    ),
    "arabic": (
        ["محمد", "فاطمة", "أحمد", "ليلى", "يوسف", "مريم", "خالد", "نور"],
        ["الحسن", "عبد الله", "المصري", "الخطيب", "حداد", "النجار"],
    ),
    "cjk": (
        ["秀英", "伟", "建华", "小明", "芳", "健太", "花子", "민준", "서연"],
        ["王", "李", "张", "刘", "陈", "佐藤", "鈴木", "김", "이"],
    ),
}
ORGS = [
    "Legal Aid Centre",
    "Centre for Media Freedom",
    "Land Rights Watch",
    "Asociación Pro Derechos Humanos",
    "Observatoire des libertés",
    "Фонд защиты прав",
    "Правозащитный центр",
    "جمعية حقوق الإنسان",
    "مركز العدالة",
    "人权律师协会",
    "女性权益中心",
    "Women's Justice Network",
    "Indigenous Peoples Forum",
    "Journalists in Danger",
    "Anti-Corruption Alliance",
    "Labour Solidarity Union",
    "Digital Defenders Lab",
]
CITIES = ["Lagos", "Bogotá", "Tbilisi", "Almaty", "Tunis", "Kyiv", "Manila", "Yangon", "Quito", "Nairobi"]
WORDS = [
    "witness",
    "judge",
    "prosecutor",
    "testimony",
    "defendant",
    "evidence",
    "adjourned",
    "interpreter",
    "courtroom",
    "counsel",
    "objection",
    "detention",
    "torture",
    "allegation",
    "cross-examination",
    "verdict",
    "appeal",
    "press",
    "observers",
    "denied",
    "access",
    "procès",
    "témoin",
    "audiencia",
    "свидетель",
    "судья",
    "شاهد",
    "法官",
    "证人",
    "bail",
    "handcuffed",
    "closed",
    "hearing",
    "session",
    "diplomats",
    "recess",
    "statement",
    "retracted",
    "coerced",
    "medical",
    "report",
    "lawyer",
    "family",
    "gallery",
    "police",
]
ROLES = ["director", "lawyer", "journalist", "coordinator", "researcher", "activist", "spokesperson"]


# -- deterministic data --------------------------------------------------------


def rid(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def when(rng: random.Random) -> datetime:
    return datetime(2019, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))


def words(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def person(rng: random.Random) -> str:
    script = rng.choices(list(NAMES), weights=[5, 2, 2, 2])[0]
    first, last = (rng.choice(part) for part in NAMES[script])
    return f"{last}{first}" if script == "cjk" and rng.random() < 0.7 else f"{first} {last}"


def make_data(n_contacts: int, n_interactions: int, n_notes: int) -> dict[str, list[Row]]:
    rng = random.Random(SEED)
    # A démarche needs its official and message (a CHECK): the bench's meetings are the other
    # kinds, the same five as before issue 19, so the figures stay comparable.
    ikinds = [k for k in InteractionKind if k != InteractionKind.DEMARCHE]
    kinds, tags = list(ContactKind), [*NoteTag, None]
    people = [
        dict(
            id=rid(rng),
            name=person(rng),
            codename=f"C-{i:06d}",
            kind=rng.choice(kinds),
            organisation=f"{rng.choice(ORGS)} {rng.choice(CITIES)}" if rng.random() < 0.8 else None,
            role=rng.choice(ROLES),
            country=rng.choice(CITIES),
            tags=rng.sample(WORDS, 2),
            notes=words(rng, 5, 30),
        )
        for i in range(n_contacts)
    ]
    ids = [p["id"] for p in people]
    inter = [
        dict(
            id=rid(rng),
            kind=rng.choice(ikinds),
            occurred_at=when(rng),
            location=rng.choice(CITIES),
            summary=words(rng, 10, 40),
            who=rng.sample(ids, rng.randint(1, 2)),
        )
        for _ in range(n_interactions)
    ]
    n_trials = max(1, n_notes // 2000)
    trial_rows = [
        dict(
            id=rid(rng),
            title=f"Prosecution of {person(rng)}",
            court=f"{rng.choice(CITIES)} City Court",
            case_number=f"{rng.randrange(1, 9999)}/{rng.randrange(2019, 2025)}",
            charges=words(rng, 3, 8),
            status=rng.choice(list(TrialStatus)),
        )
        for _ in range(n_trials)
    ]
    hearings = [
        dict(id=rid(rng), trial_id=t["id"], starts_at=when(rng), court=t["court"]) for t in trial_rows for _ in range(4)
    ]
    notes = [
        dict(
            id=rid(rng),
            hearing_id=rng.choice(hearings)["id"],
            noted_at=when(rng),
            tag=rng.choice(tags),
            text=words(rng, 8, 25),
        )
        for _ in range(n_notes)
    ]
    extra = [
        dict(id=rid(rng), hearing_id=rng.choice(hearings)["id"], noted_at=when(rng), tag=None, text=words(rng, 8, 25))
        for _ in range(EXTRA_BATCHES * BATCH)
    ]
    return {
        "contacts": people,
        "interactions": inter,
        "trials": trial_rows,
        "hearings": hearings,
        "notes": notes,
        "extra": extra,
    }


def make_queries(data: dict[str, list[Row]], n: int = 200) -> list[str]:
    rng = random.Random(SEED + 1)
    names = [c["name"] for c in data["contacts"]]
    by_script = {s: [x for x in names if any(x.startswith(f) or x.endswith(f) for f in NAMES[s][0])] for s in NAMES}
    longest = lambda s: max(s.split(), key=len)  # noqa: E731
    groups: list[Callable[[], str]] = [
        lambda: rng.choice(names),  # full names
        lambda: (w := longest(rng.choice(names)))[: max(3, len(w) - 2)],  # partial names, 3+ chars
        lambda: rng.choice(names)[:2],  # 2-char prefixes
        lambda: normalise(rng.choice(NAMES["latin"][0] + NAMES["latin"][1])),  # accent-free: jose, muller
        lambda: normalise(rng.choice(by_script["cyrillic"] or names)),  # Cyrillic lower case
        lambda: (rng.choice(NAMES["cjk"][1]) + rng.choice(NAMES["cjk"][0]))[: rng.choice((2, 3))],  # CJK
        lambda: rng.choice(ORGS),  # organisations
        lambda: rng.choice(WORDS),  # words from notes
        lambda: f"{rng.choice(WORDS)} {rng.choice(WORDS)}",  # multi-word
        lambda: f"{longest(rng.choice(names))} {rng.choice(CITIES)}",  # multi-word name + place
    ]
    queries = [groups[i % len(groups)]() for i in range(n - 2)]
    return [*queries, "xqzvkj", "qq"]  # no hits (long and short)


def chunks(rows: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


# -- building ------------------------------------------------------------------


def insert_batches(store: Store, rows: Sequence[Row], build: Builder) -> int:
    """Each chunk is one transaction; ``build`` returns parents then children (flushed in that order)."""
    count = 0
    for chunk in chunks(rows):
        with store.session("bench insert") as session:
            layers: list[list[SQLModel]] = [[], []]
            for row in chunk:
                for i, objs in enumerate(build(row)):
                    layers[i].extend(objs)
            for layer in layers:
                if layer:
                    session.add_all(layer)
                    session.flush()
                    count += len(layer)
    return count


def build_interaction(row: Row) -> list[list[SQLModel]]:
    fields = {k: v for k, v in row.items() if k != "who"}
    return [
        [Interaction(**fields)],
        [InteractionParticipant(interaction_id=row["id"], contact_id=c) for c in row["who"]],
    ]


def build_note(row: Row) -> list[list[SQLModel]]:
    return [[TrialNote(**row)]]


def populate(store: Store, data: dict[str, list[Row]]) -> dict[str, tuple[float, int]]:
    """Phase -> (seconds, rows inserted)."""
    by_trial: dict[str, list[Row]] = {}
    for h in data["hearings"]:
        by_trial.setdefault(h["trial_id"], []).append(h)
    phases: list[tuple[str, Sequence[Row], Builder]] = [
        ("contacts", data["contacts"], lambda r: [[Contact(**r)]]),
        ("interactions+participants", data["interactions"], build_interaction),
        ("trials+hearings", data["trials"], lambda r: [[Trial(**r)], [Hearing(**h) for h in by_trial[r["id"]]]]),
        ("trial notes", data["notes"], build_note),
    ]
    timings: dict[str, tuple[float, int]] = {}
    for name, rows, build in phases:
        counted: list[int] = []
        secs = timed(lambda counted=counted, rows=rows, build=build: counted.append(insert_batches(store, rows, build)))
        timings[name] = (secs, counted[0])
        print(f"    {name:<28} {counted[0]:>8} rows {secs:8.1f} s {counted[0] / secs:9.0f} rows/s", flush=True)
    return timings


def build_all(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    phases: dict[str, tuple[float, int]] = {}
    total = timed(lambda: phases.update(populate(store, data)))
    # one batch is a single, noisy sample: time several and keep the median
    chunks = [data["extra"][i * BATCH : (i + 1) * BATCH] for i in range(EXTRA_BATCHES)]
    extra = statistics.median(timed(lambda c=c: insert_batches(store, c, build_note)) for c in chunks)
    print(
        f"    one more {BATCH}-note batch at final size, real hooks (median of {EXTRA_BATCHES}): {extra:.2f} s",
        flush=True,
    )
    batches = sum(-(-len(data[k]) // BATCH) for k in ("contacts", "interactions", "trials", "notes"))
    return {"build": phases, "build_total": total, "extra": extra, "batches": batches}


def plain_store(path: Path) -> Store:
    """A Store over the same SQLite engine with encryption off (sqlcipher3 with no key
    writes a plain SQLite file), same engine shape, session and hooks: only the
    cipher differs. (The stdlib's older SQLite plans the FTS sub-select differently.)"""

    def creator() -> sqlcipher3.Connection:
        conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
        for pragma in PLAIN_PRAGMAS:
            conn.execute(f"PRAGMA {pragma}").fetchall()
        return conn

    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
    )
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return Store.on_engine(path, engine)


def open_checked(store: Store, first: bool = False) -> Store:
    """What create/unlock do after the KDF: connect, schema to head (or checked), reference data synced."""
    with store.session("bench schema") as session:
        if first:
            migrations.upgrade(session.connection())
        elif migrations.current_revision(session.connection()) != migrations.head_revision():
            raise RuntimeError("plain database schema is not at head")
        reference.sync(session)
        if first:
            search.rebuild(session)
    return store


# -- measuring -----------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def timed_opens(open_fn: Callable[[], Any], runs: int = 3) -> tuple[list[float], Any]:
    """Seconds per open (each closed again, untimed, before the next); returns the last one open."""
    times, opened = [], None
    for _ in range(runs):
        if opened is not None:
            opened.close()
        start = time.perf_counter()
        opened = open_fn()
        times.append(time.perf_counter() - start)
    return times, opened


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def latency(store: Store, queries: Sequence[str], fn: Callable[[Any, str], Any]) -> tuple[list[float], list[float]]:
    """Milliseconds per query: all queries, and those with any term shorter than 3 characters."""
    with store.session("bench search") as session:
        fn(session, "warm")
        every = [(q, 1000 * timed(lambda q=q: fn(session, q))) for q in queries]
    short = [ms for q, ms in every if any(len(t) < search.MIN_TRIGRAM for t in normalise(q).split())]
    return [ms for _, ms in every], short


def commit_latency(store: Store, hearing_id: str) -> list[float]:
    with store.session("bench") as session:
        hearing = session.get(Hearing, hearing_id)

    def one(i: int) -> None:
        with store.session("quick note") as session:
            trials.add_note(session, hearing, f"t: quick note {i} the witness was interrupted")

    return [1000 * timed(lambda i=i: one(i)) for i in range(COMMITS)]


def measure(store: Store, queries: Sequence[str], hearing_id: str) -> dict[str, list[float]]:
    s_all, s_short = latency(store, queries, lambda s, q: search.search(s, q, limit=50))
    c_all, c_short = latency(store, queries, lambda s, q: contacts.list_contacts(s, q, limit=200))
    return {
        "search": s_all,
        "search <3ch": s_short,
        "list_contacts": c_all,
        "list_contacts <3ch": c_short,
        "note commit": commit_latency(store, hearing_id),
    }


# -- report --------------------------------------------------------------------


def line(label: str, enc: float, plain: float | None, unit: str) -> str:
    ratio = f"{enc / plain:6.2f}x" if plain else "    n/a"
    plain_s = f"{plain:12.1f}" if plain is not None else f"{'-':>12}"
    return f"  {label:<38} {enc:12.1f} {plain_s}  {ratio}  {unit}"


def report(enc: dict[str, Any], plain: dict[str, Any], quick: bool) -> None:
    print("\n" + "=" * 82)
    print(f"  {enc['about']}; plain: the same SQLite {sqlcipher3.sqlite_version} with no key (unencrypted)")
    print(f"  {'figure':<38} {'SQLCipher':>12} {'plain':>12}  {'ratio':>7}  unit")
    print("  " + "-" * 80)
    rows: list[tuple[str, float, float | None, str]] = []
    for phase, (secs, n) in enc["build"].items():
        psecs, pn = plain["build"][phase]
        rows += [(f"build {phase}", secs, psecs, "s"), ("  throughput", n / secs, pn / psecs, "rows/s")]
    rows.append(("build total", enc["build_total"], plain["build_total"], "s"))
    rows.append((f"+1 batch of {BATCH} notes (median of {EXTRA_BATCHES})", enc["extra"], plain["extra"], "s"))
    rows += [(f"unlock run {i + 1} (KDF+open+check)", t * 1000, None, "ms") for i, t in enumerate(enc["unlock"])]
    rows.append(("KDF alone (Argon2id)", enc["kdf"] * 1000, None, "ms"))
    rows.append(("open+schema check, no KDF (best of 3)", min(enc["open"]) * 1000, min(plain["open"]) * 1000, "ms"))
    for name in enc["lat"]:
        for stat, fn in (("p50", lambda v: pct(v, 50)), ("p95", lambda v: pct(v, 95)), ("max", max)):
            e, p = enc["lat"][name], plain["lat"][name]
            if e and p:
                rows.append((f"{name} {stat} (n={len(e)})", fn(e), fn(p), "ms"))
    for row in rows:
        print(line(*row))
    on, off = enc["memsec"]["on"], enc["memsec"]["off"]
    print(
        f"  cipher_memory_security ON vs OFF, same workload (searches, listings, commits): "
        f"{on:.2f} s vs {off:.2f} s ({on / off:.2f}x)"
    )
    print("  " + "-" * 80)
    print(
        "  targets"
        + (" (QUICK run, sizes /100: the search target applies at full size)" if quick else ", full size")
        + ":"
    )
    for name, limit in (("search", 30), ("list_contacts", 30), ("note commit", 20)):
        got = pct(enc["lat"][name], 95)
        print(f"  {'PASS' if got < limit else 'MISS'}  {name} p95 < {limit} ms (SQLCipher: {got:.1f} ms)")
    compared = [
        ("build total", enc["build_total"], plain["build_total"]),
        ("open+schema check", min(enc["open"]), min(plain["open"])),
        ("+1 note batch, real hooks", enc["extra"], plain["extra"]),
    ]
    compared += [(f"{n} p95", pct(enc["lat"][n], 95), pct(plain["lat"][n], 95)) for n in enc["lat"] if enc["lat"][n]]
    for what, e, p in compared:
        print(f"  {'PASS' if e <= 1.5 * p else 'MISS'}  SQLCipher within 1.5x of plain: {what} ({e / p:.2f}x)")
    print("=" * 82)


# -- main ------------------------------------------------------------------------


def run_encrypted(root: Path, data: dict[str, Any], queries: Sequence[str], hearing_id: str) -> dict[str, Any]:
    vdir = root / "vault"
    print("SQLCipher vault: create (calibrating Argon2id) ...", flush=True)
    vault, _ = vaultmod.create(vdir, PASSPHRASE)
    built = build_all(vault.store, data)
    params = vault.header.slot("passphrase").kdf_params()
    vault.close()
    print(f"  KDF parameters: {params.describe()}")
    unlocks, vault = timed_opens(lambda: vaultmod.unlock(vdir, Secret(PASSPHRASE)))
    print("  unlock runs: " + ", ".join(f"{t * 1000:.0f} ms" for t in unlocks), flush=True)
    kdf = min(timed(lambda: keyslots.argon2id(PASSPHRASE.encode(), b"\0" * 16, params)) for _ in range(3))
    db_key = keyslots.database_key(bytes(vault._data_key))  # same key, to time the open without the KDF
    opens, store = timed_opens(lambda: open_checked(Store(vaultmod.db_path(vdir), db_key)))
    store.close()
    with vault.store.raw() as conn:
        versions = (
            conn.execute("SELECT sqlite_version()").fetchone()[0],
            conn.execute("PRAGMA cipher_version").fetchone()[0],
        )
    engine = f"SQLCipher {versions[1]} on SQLite {versions[0]}"
    print("  measuring search, list_contacts, note commits ...", flush=True)
    lat = measure(vault.store, queries, hearing_id)
    vault.close()
    memsec = memory_security_cost(vdir, db_key)
    return {
        **built,
        "unlock": unlocks,
        "kdf": kdf,
        "open": opens,
        "lat": lat,
        "about": f"{engine}; {params.describe()}",
        "memsec": memsec,
    }


SIZES: list[str] = []  # the command line's size arguments, for the child processes


def memory_security_cost(vdir: Path, db_key: bytes) -> dict[str, float]:
    """Seconds for the same workload with cipher_memory_security off and on (best of 2 each),
    each run in a fresh process (the setting is process-wide and sticky)."""
    import subprocess
    import sys

    best: dict[str, float] = {}
    print("  cipher_memory_security: the same workload in child processes, off and on ...", flush=True)
    for mode in ("off", "on", "off", "on"):
        done = subprocess.run(
            [sys.executable, __file__, *SIZES, "--memory-security-child", mode, "--vault-dir", str(vdir)],
            input=db_key.hex(),
            capture_output=True,
            text=True,
            check=True,
        )
        secs = float(done.stdout.split("CHILD-SECONDS ")[1].split()[0])
        best[mode] = min(best.get(mode, secs), secs)
    return best


def memory_security_child(mode: str, vdir: Path, data: dict[str, Any], queries: Sequence[str], hearing_id: str) -> None:
    import sys

    from hrd_tui import store as store_mod

    db_key = bytes.fromhex(sys.stdin.read().strip())
    if mode == "off":  # the engine exactly as store.py builds it, less that one setting
        pragma = store_mod._pragma
        store_mod._pragma = lambda conn, sql: [] if "cipher_memory_security" in sql else pragma(conn, sql)
    store = Store(vaultmod.db_path(vdir), db_key)
    with store.raw() as conn:
        got = str(conn.execute("PRAGMA cipher_memory_security").fetchone()[0])
    assert got == ("1" if mode == "on" else "0"), f"cipher_memory_security is {got} in the {mode} run"
    secs = timed(lambda: measure(store, queries, hearing_id))
    store.close()
    print(f"CHILD-SECONDS {secs:.4f}", flush=True)


def run_plain(root: Path, data: dict[str, Any], queries: Sequence[str], hearing_id: str) -> dict[str, Any]:
    path = root / "plain.db"
    print(f"plain SQLite {sqlcipher3.sqlite_version} (same engine, no key): build ...", flush=True)
    store = open_checked(plain_store(path), first=True)
    built = build_all(store, data)
    store.close()
    with open(path, "rb") as fh:  # the comparison is only fair if this one really is plain
        assert fh.read(15) == b"SQLite format 3", "the plain database is not plain SQLite"
    opens, store = timed_opens(lambda: open_checked(plain_store(path)))
    print("  measuring search, list_contacts, note commits ...", flush=True)
    lat = measure(store, queries, hearing_id)
    store.close()
    return {**built, "open": opens, "lat": lat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--interactions", type=int, default=50_000)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="a smoke run: sizes /100, one extra batch, 50 commits")
    parser.add_argument("--memory-security-child", choices=["on", "off"], help=argparse.SUPPRESS)
    parser.add_argument("--vault-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    SIZES[:] = [
        "--contacts",
        str(args.contacts),
        "--interactions",
        str(args.interactions),
        "--notes",
        str(args.notes),
        *(["--quick"] if args.quick else []),
    ]
    div = 100 if args.quick else 1
    if args.quick:
        global EXTRA_BATCHES, COMMITS
        EXTRA_BATCHES, COMMITS = 1, 50
    data = make_data(args.contacts // div, args.interactions // div, args.notes // div)
    queries = make_queries(data)
    hearing_id = data["hearings"][0]["id"]
    if args.memory_security_child:
        memory_security_child(args.memory_security_child, args.vault_dir, data, queries, hearing_id)
        return
    print(
        f"sizes: {len(data['contacts'])} contacts, {len(data['interactions'])} interactions, "
        f"{len(data['trials'])} trials, {len(data['hearings'])} hearings, {len(data['notes'])} notes; "
        f"{len(queries)} queries; seed {SEED}"
    )
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-"))
    try:
        enc = run_encrypted(root, data, queries, hearing_id)
        plain = run_plain(root, data, queries, hearing_id)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    report(enc, plain, args.quick)


if __name__ == "__main__":
    main()
