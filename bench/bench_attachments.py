"""Attachments benchmark (issue 20): a large file attached and exported, and ``check`` over many.

Run: python bench/bench_attachments.py [--size-mib 200] [--count 1000] [--runs 3] [--experiments] [--quick]

Through the code a user runs, on a real vault (SQLCipher, the app's pragmas; the
unlock uses the test KDF, HRD_TUI_TEST_KDF=1, since the KDF is not what is measured):
  * services.attachments.attach of a random file of --size-mib MiB (written chunk by
    chunk, never whole in memory), then services.attachments.export_to of it to a new
    file, each in a fresh process: wall and CPU time, MiB/s, and peak memory above the
    process's baseline (its RSS after imports and the unlock, before the file is
    touched; the peak is VmHWM, reset at that point where Linux allows it);
  * the same file copied through Python's ``cryptography`` alone (AES-256-GCM, 1 MiB
    records, fsync at the end), encrypting for the attach's comparison and decrypting
    for the export's; ``openssl enc -aes-256-gcm`` is tried too (OpenSSL's enc refuses
    AEAD ciphers: what it says is printed, and ``-aes-256-ctr`` timed for reference);
  * the real command line: ``hrd-tui attach`` and ``export attachment`` (whole
    processes: start, unlock, work, exit; peak RSS above that of ``hrd-tui attachments``);
  * services.attachments.check, and ``hrd-tui check``, over --count attachments of
    4-64 KiB (added in one session with add_stream).
  * ``--experiments``: copies of the service's intake and export loops with one change
    each (chunk size, incremental blob I/O, one cursor, cipher_memory_security off) and
    the same loop on plain SQLite, so a change can be weighed before it is made.
Each step runs --runs times (a fresh vault each run) and the median is printed. The CPU
time is the steadier figure on a shared machine: the wall time stretches with the load.
``--quick`` (the test suite runs it): 2 MiB, 5 attachments, one run, experiments
included: the figures mean little.

Aims (printed as HIT/MISS, never asserted), at full size:
  * attach and export each under 64 MiB of memory above the baseline;
  * attach and export each within 2x the time of the ``cryptography`` copy.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ["HRD_TUI_TEST_KDF"] = "1"  # before the package reads it: the unlock is not what is timed

HERE = Path(__file__).resolve().parent
# The tests' helpers (tests/helpers): the same CLI runner as the command-line tests;
# and this folder, for bench_store's plain-SQLite pragmas.
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from bench_store import PLAIN_PRAGMAS  # noqa: E402
from helpers.cli import run_hrd  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from hrd_tui import vault as vaultmod  # noqa: E402
from hrd_tui.models import Attachment, new_id  # noqa: E402
from hrd_tui.models.attachments import OWNER_COLUMNS, attachment_chunk  # noqa: E402
from hrd_tui.services import attachments, base, contacts, filetypes  # noqa: E402
from hrd_tui.vault import Secret  # noqa: E402

MIB = 1 << 20
SEED = 20261128
PASSPHRASE = "bench attachments passphrase"
RECORD = MIB  # the cryptography copy's plaintext per AES-GCM record, as the store's chunks
MEMORY_AIM_MIB = 64
TIME_AIM = 2.0


# -- memory and time, inside a child process -------------------------------------------


def status_kib(field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(found.group(1)) if found else 0


def reset_peak() -> bool:
    """Linux: VmHWM back to the current RSS (needs write access to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def cpu_seconds() -> float:
    """This process's user and system time: unlike the wall clock, not stretched by other
    processes on a shared machine (but blind to waiting on the disk)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measured(step: Callable[[], Any]) -> dict[str, Any]:
    """Run ``step`` (the process has done its imports and unlock): seconds, RSS before, peak during."""
    baseline = status_kib("VmRSS")
    was_reset = reset_peak()
    cpu = cpu_seconds()
    start = time.perf_counter()
    value = step()
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    peak = status_kib("VmHWM")
    lifetime = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "baseline_kib": baseline,
        "peak_kib": peak,
        "peak_reset": was_reset,
        "lifetime_peak_kib": lifetime,
        "value": value,
    }


@contextmanager
def unlocked(vdir: Path) -> Iterator[vaultmod.Vault]:
    opened = vaultmod.unlock(vdir, Secret(PASSPHRASE))
    try:
        yield opened
    finally:
        opened.close()


def child_attach(args: argparse.Namespace) -> dict[str, Any]:
    with unlocked(args.vault_dir) as opened:
        owner = attachments.Owner("contact", args.owner)
        got = measured(
            lambda: attachments.attach(opened.store, args.path, owner, max_bytes=args.path.stat().st_size).id
        )
        start = time.perf_counter()
    got["close_seconds"] = time.perf_counter() - start  # the lock's checkpoint of what the WAL holds
    return got


def child_export(args: argparse.Namespace) -> dict[str, Any]:
    with unlocked(args.vault_dir) as opened:
        return measured(lambda: attachments.export_to(opened.store, args.ident, args.dest).sha256)


def child_check(args: argparse.Namespace) -> dict[str, Any]:
    with unlocked(args.vault_dir) as opened:
        got = measured(lambda: attachments.check(opened.store))
    verified = got.pop("value")
    got["value"] = {"checked": verified.checked, "problems": len(verified.problems)}
    return got


def aes_copy(src: Path, dest: Path, key: bytes, *, decrypt: bool) -> int:
    """The file through AES-256-GCM in RECORD-sized records (nonce and tag with each), fsynced."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(key)
    size = RECORD + 12 + 16 if decrypt else RECORD
    written = 0
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(src, "rb", buffering=0) as fin, os.fdopen(fd, "wb") as out:
        for seq in itertools.count():
            block = fin.read(size)
            if not block:
                break
            if decrypt:
                data = aead.decrypt(block[:12], block[12:], seq.to_bytes(8, "big"))
            else:
                nonce = os.urandom(12)
                data = nonce + aead.encrypt(nonce, block, seq.to_bytes(8, "big"))
            out.write(data)
            written += len(data)
        out.flush()
        os.fsync(out.fileno())
    return written


def child_aes(args: argparse.Namespace, decrypt: bool) -> dict[str, Any]:
    import cryptography.hazmat.primitives.ciphers.aead  # noqa: F401 - imported before the baseline

    key = bytes.fromhex(sys.stdin.read().strip())
    return measured(lambda: aes_copy(args.path, args.dest, key, decrypt=decrypt))


def child_cli(args: argparse.Namespace) -> dict[str, Any]:
    """One run of the real program: wall time and its peak RSS (this process's only child)."""
    start = time.perf_counter()
    done = run_hrd(*json.loads(sys.stdin.read()), timeout=3600)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "lifetime_peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "returncode": done.returncode,
        "stdout": done.stdout[-2000:],
        "stderr": done.stderr[-2000:],
    }


# -- experiments: copies of the service's logic with one thing changed ---------------------
#
# Not the app's code: each is services/attachments.py's intake or export loop, copied,
# with the one change its name says, run through the same vault, session and pragmas,
# so that a change which helps can be measured before it is made in the service.


def insert_chunk(connection: Any, ident: str, seq: int, block: bytes) -> None:
    """As the service writes a chunk: one INSERT with the bytes bound."""
    connection.execute(insert(attachment_chunk), {"attachment_id": ident, "seq": seq, "data": block})


def blob_chunk(connection: Any, ident: str, seq: int, block: bytes) -> None:
    """The row inserted with zeroblob(n), then the bytes written through SQLite's incremental
    blob I/O (sqlcipher3's open_blob): SQLite makes no copy of the chunk of its own, which
    SQLCipher's memory security would overwrite on freeing."""
    stmt = insert(attachment_chunk).values(attachment_id=ident, seq=seq, data=func.zeroblob(len(block)))
    row = connection.execute(stmt).lastrowid
    blob = connection.connection.dbapi_connection.open_blob("attachment_chunk", "data", row, False, "main")
    try:
        blob.write(block)
    finally:
        blob.close()


WRITERS = {"insert": insert_chunk, "blob": blob_chunk}


def add_copy(session: Any, path: Path, owner: attachments.Owner, writer: str, chunk: int) -> str:
    """services.attachments.add's loop (read, hash, write each chunk; the record last)."""
    write, connection, ident = WRITERS[writer], session.connection(), new_id()
    digest, size, head = hashlib.sha256(), 0, b""
    with open(path, "rb", buffering=0) as stream:
        for seq, block in enumerate(iter(lambda: stream.read(chunk), b"")):
            head = head or block[: filetypes.SNIFF_BYTES]
            digest.update(block)
            size += len(block)
            write(connection, ident, seq, block)
    fields = {
        "id": ident,
        "name": path.name,
        "media_type": filetypes.detect(head),
        "size": size,
        "sha256": digest.hexdigest(),
        "found_metadata": {},  # random bytes: the service's inspect finds nothing, reading nothing
        OWNER_COLUMNS[owner.kind]: owner.id,
    }
    session.add(base.validate(Attachment, fields))
    session.flush()
    return ident


def cursor_chunks(session: Any, ident: str) -> Iterator[bytes]:
    """All the chunks from one query, stepped one row at a time."""
    stmt = select(attachment_chunk.c.data).where(attachment_chunk.c.attachment_id == ident)
    for (data,) in session.connection().execute(stmt.order_by(attachment_chunk.c.seq)):
        yield bytes(data)


def blob_chunks(session: Any, ident: str) -> Iterator[bytes]:
    """Each chunk read through incremental blob I/O (no SQLite-side copy of the value)."""
    connection = session.connection()
    stmt = select(attachment_chunk.c.id).where(attachment_chunk.c.attachment_id == ident)
    rows = [row for (row,) in connection.execute(stmt.order_by(attachment_chunk.c.seq))]
    raw = connection.connection.dbapi_connection
    for row in rows:
        blob = raw.open_blob("attachment_chunk", "data", row, True, "main")
        try:
            yield blob.read()
        finally:
            blob.close()


READERS: dict[str, Callable[[Any, str], Iterator[bytes]]] = {
    "per-query": attachments.chunks,  # the service's own
    "cursor": cursor_chunks,
    "blob": blob_chunks,
}


def export_copy(session: Any, ident: str, dest: Path, reader: str) -> str:
    """services.attachments.export's exact copy (O_EXCL 0600, hashed, fsynced, checked)."""
    attachment = session.get(Attachment, ident)
    digest, size = hashlib.sha256(), 0
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "wb") as out:
        for block in READERS[reader](session, ident):
            out.write(block)
            digest.update(block)
            size += len(block)
        out.flush()
        os.fsync(out.fileno())
    if (size, digest.hexdigest()) != (attachment.size, attachment.sha256):
        raise SystemExit(f"the {reader} export copy read back other bytes")
    return digest.hexdigest()


def memory_security_off() -> None:
    """store.py's engine less PRAGMA cipher_memory_security = ON (as bench_store measures it)."""
    from hrd_tui import store as store_mod

    pragma = store_mod._pragma
    store_mod._pragma = lambda conn, sql: [] if "cipher_memory_security = ON" in sql else pragma(conn, sql)


def child_variant(args: argparse.Namespace) -> dict[str, Any]:
    """One experiment: ``attach:WRITER:CHUNK_KIB[:memsec-off]`` or ``export:READER[:memsec-off]``."""
    step, how, *rest = args.variant.split(":")
    if "memsec-off" in rest:
        memory_security_off()
    with unlocked(args.vault_dir) as opened:
        if step == "attach":
            owner = attachments.Owner("contact", args.owner)

            def run() -> str:
                with opened.store.session("bench variant") as session:
                    return add_copy(session, args.path, owner, how, int(rest[0]) * 1024)

        else:

            def run() -> str:
                with opened.store.session("bench variant") as session:
                    return export_copy(session, args.ident, args.dest, how)

        got = measured(run)
        if step == "attach":  # untimed: what the variant wrote reads back through the service, hash and all
            with opened.store.session("bench variant check") as session:
                problem = attachments.verify(session, session.get(Attachment, got["value"]))
            if problem:
                raise SystemExit(f"the {args.variant} variant stored other bytes: {problem}")
        with opened.store.raw() as conn:
            memsec = str(conn.execute("PRAGMA cipher_memory_security").fetchone()[0])
    if memsec != ("0" if "memsec-off" in rest else "1"):
        raise SystemExit(f"cipher_memory_security is {memsec} in the {args.variant} run")
    return got


def child_plain(args: argparse.Namespace) -> dict[str, Any]:
    """The floor: the same chunk table and loop on plain SQLite (sqlcipher3 with no key,
    no memory security), the app's other pragmas; attach (with the checkpoint), then export."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(args.vault_dir / "plain.db"), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    for pragma in PLAIN_PRAGMAS:
        conn.execute(f"PRAGMA {pragma}").fetchall()
    if str(conn.execute("PRAGMA cipher_memory_security").fetchone()[0]) != "0":
        raise SystemExit("cipher_memory_security is on in the plain SQLite run")
    conn.execute(
        "CREATE TABLE chunk (id INTEGER PRIMARY KEY, attachment_id TEXT NOT NULL, seq INTEGER NOT NULL, "
        "data BLOB NOT NULL)"
    )
    conn.execute("CREATE UNIQUE INDEX ux ON chunk (attachment_id, seq)")

    def attach() -> str:
        digest = hashlib.sha256()
        conn.execute("BEGIN")
        with open(args.path, "rb", buffering=0) as stream:
            for seq, block in enumerate(iter(lambda: stream.read(MIB), b"")):
                digest.update(block)
                conn.execute("INSERT INTO chunk (attachment_id, seq, data) VALUES ('a', ?, ?)", (seq, block))
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return digest.hexdigest()

    def export() -> str:
        digest = hashlib.sha256()
        fd = os.open(args.dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            for (block,) in conn.execute("SELECT data FROM chunk WHERE attachment_id = 'a' ORDER BY seq"):
                out.write(block)
                digest.update(block)
            out.flush()
            os.fsync(out.fileno())
        return digest.hexdigest()

    got = {"attach": measured(attach), "export": measured(export)}
    conn.close()
    return got


CHILDREN: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "attach": child_attach,
    "export": child_export,
    "check": child_check,
    "aes-encrypt": lambda args: child_aes(args, decrypt=False),
    "aes-decrypt": lambda args: child_aes(args, decrypt=True),
    "cli": child_cli,
    "variant": child_variant,
    "plain": child_plain,
}


def in_child(step: str, *, stdin: str = "", **paths: Any) -> dict[str, Any]:
    """Run one step in a fresh process of this script; what it measured."""
    argv = [sys.executable, __file__, "--child", step]
    for name, value in paths.items():
        argv += [f"--{name.replace('_', '-')}", str(value)]
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0 or "CHILD " not in done.stdout:
        raise SystemExit(f"the {step} step failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.split("CHILD ", 1)[1]))


# -- the data ----------------------------------------------------------------------------


def write_random(path: Path, size: int, rng: random.Random) -> None:
    """``size`` random bytes, a MiB at a time (never the whole file in memory)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        left = size
        while left:
            part = min(MIB, left)
            out.write(rng.randbytes(part))
            left -= part
        out.flush()
        os.fsync(out.fileno())


def write_passfile(root: Path) -> Path:
    """The passphrase for the command line's --passphrase-file (0600, in the 0700 temp dir)."""
    path = root / "pass"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(PASSPHRASE + "\n")
    return path


def new_vault(root: Path, name: str) -> tuple[Path, str]:
    """A vault with one contact to attach to: its directory and the contact's id."""
    vdir = root / name
    opened, _code = vaultmod.create(vdir, PASSPHRASE)
    with opened, opened.store.session("bench contact") as session:
        return vdir, contacts.create_contact(session, {"name": "Bench Witness", "kind": "defender"}).id


def fill(vdir: Path, owner_id: str, count: int, rng: random.Random) -> float:
    """``count`` attachments of 4-64 KiB in one session (add_stream): seconds taken."""
    owner = attachments.Owner("contact", owner_id)
    start = time.perf_counter()
    with unlocked(vdir) as opened, opened.store.session("bench fill") as session:
        for i in range(count):
            data = rng.randbytes(rng.randint(4, 64) * 1024)
            attachments.add_stream(session, io.BytesIO(data), f"evidence-{i:04d}.bin", owner)
    return time.perf_counter() - start


# -- the parent ----------------------------------------------------------------------------


def mib(kib: float) -> float:
    return kib / 1024


def median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(run[key] for run in runs))


def above(runs: list[dict[str, Any]]) -> tuple[float, float, float]:
    """Medians of (baseline, peak, peak above baseline), MiB."""
    return (
        mib(median(runs, "baseline_kib")),
        mib(median(runs, "peak_kib")),
        mib(statistics.median(r["peak_kib"] - r["baseline_kib"] for r in runs)),
    )


def hit(ok: bool) -> str:
    return "HIT " if ok else "MISS"


def openssl_gcm(src: Path, root: Path) -> str:
    """What ``openssl enc -aes-256-gcm`` says (it normally refuses AEAD ciphers)."""
    if shutil.which("openssl") is None:
        return "openssl is not installed"
    done = subprocess.run(
        ["openssl", "enc", "-aes-256-gcm", "-K", "00" * 32, "-iv", "00" * 12, "-in", str(src), "-out", str(root / "o")],
        capture_output=True,
        text=True,
    )
    (root / "o").unlink(missing_ok=True)
    first = (done.stderr.strip().splitlines() or [""])[0]
    return (
        f"exit {done.returncode}: {first}"
        if done.returncode
        else "accepted (not timed: the baseline is the cryptography copy)"
    )


def openssl_ctr(src: Path, dest: Path) -> float | None:
    """Seconds for ``openssl enc -aes-256-ctr`` of the file, and an fsync of the result."""
    if shutil.which("openssl") is None:
        return None
    start = time.perf_counter()
    subprocess.run(
        ["openssl", "enc", "-aes-256-ctr", "-K", os.urandom(32).hex(), "-iv", os.urandom(16).hex()]
        + ["-in", str(src), "-out", str(dest)],
        check=True,
        capture_output=True,
    )
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    seconds = time.perf_counter() - start
    dest.unlink()
    return seconds


def one_run(root: Path, src: Path, n: int) -> dict[str, dict[str, Any]]:
    """One of each large-file step, on a fresh vault; the outputs removed after."""
    got: dict[str, dict[str, Any]] = {}
    vdir, owner = new_vault(root, f"big{n}")
    got["attach"] = in_child("attach", vault_dir=vdir, path=src, owner=owner)
    ident = got["attach"]["value"]
    out = root / f"export{n}"
    got["export"] = in_child("export", vault_dir=vdir, ident=ident, dest=out)
    same = got["export"]["value"] == file_sha256(src)
    out.unlink()
    if not same:
        raise SystemExit("the exported file does not hash as the source: the bench measured a broken export")
    key = os.urandom(32).hex()
    sealed = root / f"sealed{n}"
    got["aes-encrypt"] = in_child("aes-encrypt", stdin=key, path=src, dest=sealed)
    got["aes-decrypt"] = in_child("aes-decrypt", stdin=key, path=sealed, dest=out)
    sealed.unlink()
    out.unlink()
    got["vault"] = {"db_mib": (vdir / vaultmod.DB_NAME).stat().st_size / MIB}
    shutil.rmtree(vdir)
    return got


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(MIB), b""):
            digest.update(block)
    return digest.hexdigest()


def cli_runs(root: Path, src: Path, runs: int) -> dict[str, list[dict[str, Any]]]:
    """``hrd-tui attach`` and ``export attachment`` as a user runs them, with the peak RSS of each
    and of a command that only unlocks and lists (the CLI's baseline)."""
    passfile = write_passfile(root)
    got: dict[str, list[dict[str, Any]]] = {"list": [], "attach": [], "export": []}
    for n in range(runs):
        vdir, owner = new_vault(root, f"cli{n}")
        common = ["--vault", str(vdir), "--passphrase-file", str(passfile)]
        got["list"].append(in_child("cli", stdin=json.dumps([*common, "attachments"])))
        attach = [*common, "attach", str(src), "--to", f"contact:{owner}"]
        got["attach"].append(in_child("cli", stdin=json.dumps(attach)))
        if got["attach"][-1]["returncode"] != 0:
            raise SystemExit(f"hrd-tui attach failed: {got['attach'][-1]['stderr']}")
        with unlocked(vdir) as opened:
            ident = attachments.views(opened.store)[0].id
        out = root / f"cli-export{n}"
        got["export"].append(
            in_child("cli", stdin=json.dumps([*common, "export", "attachment", ident, "-o", str(out)]))
        )
        if got["export"][-1]["returncode"] != 0:
            raise SystemExit(f"hrd-tui export attachment failed: {got['export'][-1]['stderr']}")
        out.unlink()
        shutil.rmtree(vdir)
    return got


def report_large(size_mib: int, runs: list[dict[str, dict[str, Any]]], quick: bool) -> None:
    steps = {name: [run[name] for run in runs] for name in ("attach", "export", "aes-encrypt", "aes-decrypt")}
    wall = {name: median(values, "seconds") for name, values in steps.items()}
    cpu = {name: median(values, "cpu_seconds") for name, values in steps.items()}
    close = median(steps["attach"], "close_seconds")
    print(f"  (median of {len(runs)} run(s); the vault database ends at {runs[0]['vault']['db_mib']:.0f} MiB)")
    for name, label in (
        ("attach", "attach"),
        ("export", "export"),
        ("aes-encrypt", "cryptography AES-256-GCM encrypt copy"),
        ("aes-decrypt", "cryptography AES-256-GCM decrypt copy"),
    ):
        base, peak, more = above(steps[name])
        print(
            f"  {label + f', {size_mib} MiB:':<46} {wall[name]:6.2f} s {size_mib / wall[name]:6.1f} MiB/s "
            f"(CPU {cpu[name]:5.2f} s)  memory: baseline {base:5.1f} MiB, peak {peak:5.1f} MiB, "
            f"above baseline {more:5.1f} MiB"
        )
    print(f"  {'attach, then the close (WAL checkpoint):':<46} {close:6.2f} s")
    if not all(run[name]["peak_reset"] for run in runs for name in steps):
        print("  (VmHWM could not be reset here: the peaks are the whole process's, unlock included)")
    print("  aims" + (" (QUICK run: they apply at full size)" if quick else "") + ":")
    for name, base in (("attach", "aes-encrypt"), ("export", "aes-decrypt")):
        more = above(steps[name])[2]
        print(f"  {hit(more < MEMORY_AIM_MIB)}  {name} memory above baseline < {MEMORY_AIM_MIB} MiB: {more:.1f} MiB")
        ratio = wall[name] / wall[base]
        print(
            f"  {hit(ratio <= TIME_AIM)}  {name} within {TIME_AIM:.0f}x of the cryptography copy: {ratio:.2f}x "
            f"(CPU time: {cpu[name] / cpu[base]:.2f}x)"
        )


ATTACH_VARIANTS = {
    "attach:insert:1024": "copy of the service (INSERT, 1 MiB chunks)",
    "attach:insert:4096": "INSERT, 4 MiB chunks",
    "attach:blob:1024": "incremental blob I/O, 1 MiB chunks",
    "attach:insert:1024:memsec-off": "INSERT, cipher_memory_security OFF",
    "attach:blob:1024:memsec-off": "blob I/O, cipher_memory_security OFF",
}
EXPORT_VARIANTS = {
    "export:per-query": "copy of the service (one query a chunk)",
    "export:cursor": "one query, stepped row by row",
    "export:blob": "incremental blob I/O",
    "export:per-query:memsec-off": "one query a chunk, cipher_memory_security OFF",
    "export:blob:memsec-off": "blob I/O, cipher_memory_security OFF",
}


def experiments(root: Path, src: Path, runs: int) -> dict[str, list[dict[str, Any]]]:
    """Each variant ``runs`` times, interleaved (so a burst of load spreads over them all);
    every attach on a fresh vault, every export from one attached by the service."""
    got: dict[str, list[dict[str, Any]]] = {name: [] for name in [*ATTACH_VARIANTS, *EXPORT_VARIANTS, "plain"]}
    for _ in range(runs):
        for variant in ATTACH_VARIANTS:
            vdir, owner = new_vault(root, "variant")
            got[variant].append(in_child("variant", variant=variant, vault_dir=vdir, path=src, owner=owner))
            shutil.rmtree(vdir)
        vdir, owner = new_vault(root, "variant")
        ident = in_child("attach", vault_dir=vdir, path=src, owner=owner)["value"]
        for variant in EXPORT_VARIANTS:
            out = root / "variant-out"
            got[variant].append(in_child("variant", variant=variant, vault_dir=vdir, ident=ident, dest=out))
            out.unlink()
        shutil.rmtree(vdir)
        vdir.mkdir(mode=0o700)
        got["plain"].append(in_child("plain", vault_dir=vdir, path=src, dest=root / "variant-out"))
        (root / "variant-out").unlink()
        shutil.rmtree(vdir)
    return got


def report_experiments(
    size_mib: int, got: dict[str, list[dict[str, Any]]], large: list[dict[str, dict[str, Any]]]
) -> None:
    """Each variant against the faithful copy run beside it (first row), and against the
    cryptography copy; wall and CPU time (the CPU figure is the steadier on a busy machine)."""
    print("  experiments (copies of the service's loops, one change each; not the app's code):")
    for variants, step, crypto in (
        (ATTACH_VARIANTS, "attach", "aes-encrypt"),
        (EXPORT_VARIANTS, "export", "aes-decrypt"),
    ):
        base = median([run[crypto] for run in large], "seconds")
        rows = [(label, got[name]) for name, label in variants.items()]
        rows.append(("plain SQLite, no cipher (the floor)", [run[step] for run in got["plain"]]))
        copy_wall, copy_cpu = median(rows[0][1], "seconds"), median(rows[0][1], "cpu_seconds")
        for label, runs in rows:
            seconds, cpu = median(runs, "seconds"), median(runs, "cpu_seconds")
            print(
                f"    {step} variant, {label + ':':<46} {seconds:5.2f} s {size_mib / seconds:6.1f} MiB/s "
                f"{(seconds / copy_wall - 1) * 100:+4.0f}% (CPU {cpu:5.2f} s {(cpu / copy_cpu - 1) * 100:+4.0f}%), "
                f"{seconds / base:5.2f}x the cryptography copy, memory +{above(runs)[2]:.1f} MiB"
            )


def report_cli(size_mib: int, got: dict[str, list[dict[str, Any]]]) -> None:
    base = mib(median(got["list"], "lifetime_peak_kib"))
    print(
        f"  CLI `hrd-tui attachments` (start, unlock, list; its peak is the CLI baseline): "
        f"{median(got['list'], 'seconds'):.2f} s, peak {base:.1f} MiB"
    )
    for name, label in (("attach", "hrd-tui attach"), ("export", "hrd-tui export attachment")):
        seconds = median(got[name], "seconds")
        peak = mib(median(got[name], "lifetime_peak_kib"))
        print(
            f"  CLI `{label}`, {size_mib} MiB, whole process: {seconds:.2f} s  {size_mib / seconds:.1f} MiB/s  "
            f"peak {peak:.1f} MiB, above the CLI baseline {peak - base:.1f} MiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=200, help="the large file's size (default 200)")
    parser.add_argument("--count", type=int, default=1000, help="attachments for the check (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each large-file step; the median is printed")
    parser.add_argument(
        "--experiments", action="store_true", help="also time copies of the service's loops with one change each"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 2 MiB, 5 attachments, one run (experiments included)"
    )
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    for hidden in ("vault-dir", "path", "dest"):
        parser.add_argument(f"--{hidden}", type=Path, help=argparse.SUPPRESS)
    for hidden in ("owner", "ident", "variant"):
        parser.add_argument(f"--{hidden}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("CHILD " + json.dumps(CHILDREN[args.child](args)), flush=True)
        return
    if args.quick:
        args.size_mib, args.count, args.runs, args.experiments = 2, 5, 1, True
    rng = random.Random(SEED)
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-attach-"))  # 0700
    try:
        src = root / "evidence.bin"
        write_random(src, args.size_mib * MIB, rng)
        load = os.getloadavg()
        print(
            f"{args.size_mib} MiB random file, {args.count} small attachments, {args.runs} run(s); seed {SEED}; "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPU(s); "
            "vaults unlocked with the test KDF (HRD_TUI_TEST_KDF=1)",
            flush=True,
        )
        runs = [one_run(root, src, n) for n in range(args.runs)]
        report_large(args.size_mib, runs, args.quick)
        if args.experiments:
            report_experiments(args.size_mib, experiments(root, src, args.runs), runs)
        print(f"  openssl enc -aes-256-gcm: {openssl_gcm(src, root)}")
        ctr = openssl_ctr(src, root / "ctr")
        if ctr is not None:
            print(
                f"  openssl enc -aes-256-ctr (no authentication; reference only), {args.size_mib} MiB: "
                f"{ctr:.2f} s  {args.size_mib / ctr:.1f} MiB/s"
            )
        report_cli(args.size_mib, cli_runs(root, src, args.runs))
        src.unlink()
        vdir, owner = new_vault(root, "many")
        seconds = fill(vdir, owner, args.count, rng)
        print(f"  add_stream, {args.count} attachments of 4-64 KiB in one session: {seconds:.2f} s", flush=True)
        checks = [in_child("check", vault_dir=vdir) for _ in range(args.runs)]
        verified = checks[0]["value"]
        print(
            f"  check (services.attachments.check), {verified['checked']} attachments: "
            f"{median(checks, 'seconds'):.2f} s ({verified['problems']} problem(s))"
        )
        passfile = write_passfile(root)
        cli = [
            in_child("cli", stdin=json.dumps(["--vault", str(vdir), "--passphrase-file", str(passfile), "check"]))
            for _ in range(args.runs)
        ]
        if cli[0]["returncode"] != 0:
            raise SystemExit(f"hrd-tui check failed: {cli[0]['stderr']}")
        said = (cli[0]["stdout"].strip().splitlines() or [""])[-1][:100]
        print(
            f"  CLI `hrd-tui check`, {args.count} attachments, whole process: {median(cli, 'seconds'):.2f} s "
            f"(it said: {said})"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
