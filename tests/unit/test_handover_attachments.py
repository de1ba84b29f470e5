"""Handover bundles carry the attachments of the records they carry (issue 20): exported
from one real vault and imported into another (SQLCipher, the real Argon2id with the
test parameters), their bytes in encrypted segments after the document, checked when
the bundle is read and hashed again as they are written. No mocks: every bundle is a
file on disk, every import a transaction, every damage a byte changed in that file."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE, find_markers, run_cli
from helpers.evidence import add, stored, with_markers
from sqlalchemy import func, update
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.models import Attachment
from hrd_tui.models.attachments import attachment_chunk
from hrd_tui.services import attachments, contacts, handover, threats, trials
from hrd_tui.services.attachments import Owner
from hrd_tui.services.export import export_document
from hrd_tui.services.handover import sealing, segments
from hrd_tui.services.handover.applying import ImportResult
from hrd_tui.services.handover.errors import BundleError
from hrd_tui.services.handover.selection import Selection

MIB = 1 << 20
NAME = "Ирина Волкова"
CODENAME = "Heron-404"
TEXT_MARKER = "Summons for Ирина Волкова, Calder Basin"
BINARY_MARKER = b"EVIDENCE-MARKER-7f3a9c"


# -- helpers ----------------------------------------------------------------------


def _vault(path: Path) -> Iterator[vault.Vault]:
    opened, _ = vault.create(path, PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def a(tmp_path: Path) -> Iterator[vault.Vault]:
    yield from _vault(tmp_path / "vault-a")


@pytest.fixture
def b(tmp_path: Path) -> Iterator[vault.Vault]:
    yield from _vault(tmp_path / "vault-b")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def binary(size: int) -> bytes:
    """Random bytes (not compressible) with a marker that must never show in a bundle."""
    return with_markers(size, BINARY_MARKER)


def export(v: vault.Vault, path: Path, selection: Selection | None = None) -> str:
    with v.store.session() as s:
        return handover.export_bundle(s, path, selection=selection, vault_id=v.header.vault_id)


def import_bundle(v: vault.Vault, path: Path, passphrase: str) -> ImportResult:
    bundle = handover.read_bundle(path, passphrase)
    with v.store.session() as s:
        return handover.apply_import(s, handover.plan_import(s, bundle), {}, default="mine")


def attachment_rows(v: vault.Vault) -> dict[str, dict[str, Any]]:
    """Every attachment's record as the plain export lists it, by id."""
    with v.store.session() as s:
        return {r["id"]: r for r in export_document(s, v.header.vault_id)["attachments"]}


def chunk_rows(v: vault.Vault) -> int:
    with v.store.session() as s:
        return int(s.exec(select(func.count()).select_from(attachment_chunk)).one())


def state(v: vault.Vault) -> tuple[dict[str, int], dict[str, str], int]:
    return vault.count_rows(v), stored(v), chunk_rows(v)


@pytest.fixture
def evidence(a: vault.Vault) -> dict[str, Any]:
    """A contact and a threat case (she is its defender), each with a file: a text and a
    3 MiB binary that ends mid-segment."""
    with a.store.session() as s:
        irina = contacts.create_contact(s, {"name": NAME, "codename": CODENAME})
        case = threats.open_case(s, {"title": "Raid on the Calder Basin office"}, [irina], plan=False)
        ids = {"contact": irina.id, "case": case.id}
    text = f"{TEXT_MARKER}\nto appear on 3 December.\n".encode()
    data = binary(3 * MIB + 12_345)
    ids["text"] = add(a, Owner("contact", ids["contact"]), "summons.txt", text, note="from her lawyer")
    ids["binary"] = add(a, Owner("case", ids["case"]), "recording.bin", data)
    return {"ids": ids, "text": text, "binary": data}


@pytest.fixture
def sent(a: vault.Vault, evidence: dict[str, Any], out: Path) -> tuple[Path, str]:
    path = out / "all.hrdb"
    return path, export(a, path)


# -- round trip -----------------------------------------------------------------------


def test_the_files_arrive_byte_for_byte_with_their_chain_of_custody(
    a: vault.Vault, b: vault.Vault, evidence: dict[str, Any], sent: tuple[Path, str], out: Path
) -> None:
    path, passphrase = sent
    ids = evidence["ids"]
    bundle = handover.read_bundle(path, passphrase)
    assert set(bundle.files) == {ids["text"], ids["binary"]}
    assert bundle.files_size == len(evidence["text"]) + len(evidence["binary"])
    with b.store.session() as s:
        preview = handover.plan_import(s, bundle)
    assert preview.new_counts["attachments"] == 2 and preview.new_files_size == bundle.files_size
    assert "attachments in the bundle: 2, 3.0 MiB (each checked against its SHA-256); to add: 2, 3.0 MiB" in (
        preview.summary()
    )

    result = import_bundle(b, path, passphrase)
    assert result.inserted["attachments"] == 2 and result.notes == []
    assert stored(b) == {
        ids["text"]: hashlib.sha256(evidence["text"]).hexdigest(),
        ids["binary"]: hashlib.sha256(evidence["binary"]).hexdigest(),
    }
    assert attachment_rows(b) == attachment_rows(a)  # id, owner, name, type, size, hash, note, metadata, times
    assert attachments.check(b.store) == attachments.Verified(2, [])
    copy = attachments.export_to(b.store, ids["binary"], out / "copy.bin")
    assert copy.sha256 == hashlib.sha256(evidence["binary"]).hexdigest()
    assert (out / "copy.bin").read_bytes() == evidence["binary"]

    # Nothing readable in the bundle: names, the text file's words, the binary's marker.
    markers = [NAME, CODENAME, TEXT_MARKER, "Calder Basin", BINARY_MARKER.decode(), "recording.bin"]
    assert find_markers([path], markers) == []
    # A second import finds them here, the same: nothing to add, nothing to choose.
    again = handover.read_bundle(path, passphrase)
    with b.store.session() as s:
        second = handover.plan_import(s, again)
    assert second.is_empty and second.identical["attachments"] == 2
    assert any("to add: 0, 0 B" in line for line in second.summary())


def test_a_selection_carries_the_files_of_what_it_carries_and_nothing_else(a: vault.Vault, out: Path) -> None:
    with a.store.session() as s:
        defender = contacts.create_contact(s, {"name": "Dário Çelik", "codename": "Fjord-5"})
        bystander = contacts.create_contact(s, {"name": "Жанна Ёлкина", "codename": "Sparrow-9"})
        case = threats.open_case(s, {"title": "Raid"}, [defender], plan=False)
        trial = trials.create_trial(s, {"title": "Prosecutor v. Çelik"}, [bystander])
        hearing = trials.add_hearing(s, trial, {"starts_at": datetime(2026, 3, 10, 9, 0).astimezone()})
        owners = {
            "defender": Owner("contact", defender.id),
            "bystander": Owner("contact", bystander.id),
            "case": Owner("case", case.id),
            "trial": Owner("trial", trial.id),
            "hearing": Owner("hearing", hearing.id),
        }
    files = {key: add(a, owner, f"{key}.txt", f"the {key}'s file\n".encode()) for key, owner in owners.items()}
    gone = add(a, owners["case"], "withdrawn.txt", b"deleted before the handover\n")
    attachments.remove(a.store, gone)

    def carried(selection: Selection | None, name: str) -> set[str]:
        path = out / name
        bundle = handover.read_bundle(path, export(a, path, selection))
        assert set(bundle.files) == {r["id"] for r in bundle.tables["attachments"]}
        return set(bundle.files)

    # The case carries its defender (and so her file), not the bystander nor the trial.
    assert carried(Selection(cases=[owners["case"].id]), "case.hrdb") == {files["case"], files["defender"]}
    assert carried(Selection(contacts=[owners["bystander"].id]), "one.hrdb") == {files["bystander"]}
    assert carried(Selection(trials=[owners["trial"].id]), "trial.hrdb") == {
        files["trial"],
        files["hearing"],
        files["bystander"],  # the defendant travels with the trial
    }
    # The whole vault: every file but the deleted one (neither its record nor its bytes).
    assert carried(None, "all.hrdb") == set(files.values())


def test_the_command_line_hands_a_case_over_with_its_files(
    a: vault.Vault, b: vault.Vault, evidence: dict[str, Any], out: Path, passfile: Path
) -> None:
    """'hrd-tui handover export --cases' then 'import': the preview says how many files
    and how large, the import how many were added and checked."""
    ids = evidence["ids"]
    a.close()
    b.close()
    path = out / "case.hrdb"
    sent = run_cli(
        "--vault", str(a.dir), "--passphrase-file", str(passfile), "handover", "export", str(path),
        "--cases", ids["case"][:8],
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    (out / "bundle-pw").write_text(sent.stdout.strip() + "\n")
    taken = run_cli(
        "--vault", str(b.dir), "--passphrase-file", str(passfile), "handover", "import", str(path),
        "--bundle-passphrase-file", str(out / "bundle-pw"), "--yes",
    )  # fmt: skip
    assert taken.returncode == 0, taken.stderr
    lines = taken.stdout.splitlines()
    assert "attachments in the bundle: 2, 3.0 MiB (each checked against its SHA-256); to add: 2, 3.0 MiB" in lines
    assert "2 attachment(s) added, each checked against its SHA-256 as it was written." in lines
    with vault.unlock(b.dir, vault.Secret(PASSPHRASE)) as received:
        assert set(stored(received)) == {ids["text"], ids["binary"]}  # the defender's file came with her
        assert attachments.check(received.store) == attachments.Verified(2, [])


def test_a_bundle_without_files_is_still_version_1(a: vault.Vault, b: vault.Vault, out: Path) -> None:
    """Any hrd-tui (before issue 20 too) reads a bundle that carries no file."""
    with a.store.session() as s:
        contacts.create_contact(s, {"name": "Ana", "codename": "Heron-1"})
    passphrase = export(a, out / "plain.hrdb")
    header = json.loads((out / "plain.hrdb").read_bytes().split(b"\n")[1])
    assert header["version"] == 1
    assert import_bundle(b, out / "plain.hrdb", passphrase).inserted == {"contacts": 1}


def test_a_bundle_of_an_earlier_hrd_tui_with_records_but_no_files_imports_the_rest(
    a: vault.Vault, b: vault.Vault, evidence: dict[str, Any], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the attachments' core and this format, a bundle listed their records
    (format version 1, no bytes): the records are not imported, the preview says so."""
    with a.store.session() as s:
        doc = handover.bundle_document(s)
    monkeypatch.setattr(sealing, "BUNDLE_VERSION", 1)
    passphrase = handover.new_bundle_passphrase()
    (out / "old.hrdb").write_bytes(handover.seal_document(doc, passphrase))
    monkeypatch.undo()
    result = import_bundle(b, out / "old.hrdb", passphrase)
    assert "attachments" not in result.inserted and result.inserted["contacts"] == 1
    assert any("2 attachment record(s) came without their files" in note for note in result.notes)
    assert chunk_rows(b) == 0


# -- what is already here ---------------------------------------------------------------


def test_a_file_already_here_is_left_as_it_is_and_a_deletion_here_stands(
    b: vault.Vault, evidence: dict[str, Any], sent: tuple[Path, str]
) -> None:
    path, passphrase = sent
    import_bundle(b, path, passphrase)
    attachments.remove(b.store, evidence["ids"]["text"])
    before = state(b)
    bundle = handover.read_bundle(path, passphrase)
    with b.store.session() as s:
        preview = handover.plan_import(s, bundle)
        assert preview.identical["attachments"] == 2 and not preview.new["attachments"]
        assert f"attachment {evidence['ids']['text'][:8]} is deleted here: it stays deleted." in preview.notes
        handover.apply_import(s, preview, {}, default="mine")
    assert state(b) == before
    assert attachment_rows(b)[evidence["ids"]["text"]]["deleted_at"] is not None


def test_the_same_id_with_other_contents_refuses_the_import(
    b: vault.Vault, evidence: dict[str, Any], sent: tuple[Path, str]
) -> None:
    path, passphrase = sent
    import_bundle(b, path, passphrase)
    with b.store.session() as s:  # what no service does, and the schema refuses: one copy altered
        s.connection().exec_driver_sql("DROP TRIGGER attachment_custody_fixed")
        s.execute(update(Attachment).where(Attachment.id == evidence["ids"]["binary"]).values(sha256="ab" * 32))
    before = state(b)
    with pytest.raises(BundleError) as refused:
        import_bundle(b, path, passphrase)
    message = str(refused.value)
    assert message.startswith(f"Attachment {evidence['ids']['binary'][:8]} is in this vault with other contents")
    assert "abababababab... here" in message and "Nothing was imported." in message and "\n" not in message
    assert state(b) == before


# -- damaged, cut, crafted ------------------------------------------------------------------


def segment_offsets(path: Path, passphrase: str, attachment_id: str) -> list[int]:
    """Where each segment of one attachment starts in the bundle file."""
    carried = handover.read_bundle(path, passphrase).files[attachment_id]
    step = segments.SEGMENT_BYTES + sealing.TAG_BYTES
    return [carried.offset + n * step for n in range(segments.segment_count(carried.size))]


def test_a_changed_byte_in_a_file_refuses_the_bundle_and_changes_nothing(
    b: vault.Vault, evidence: dict[str, Any], sent: tuple[Path, str], out: Path
) -> None:
    path, passphrase = sent
    data = path.read_bytes()
    starts = segment_offsets(path, passphrase, evidence["ids"]["binary"])
    before = state(b)
    short = evidence["ids"]["binary"][:8]
    flipped = bytearray(data)
    flipped[starts[1] + 1000] ^= 0x01
    (out / "flipped.hrdb").write_bytes(bytes(flipped))
    # Two whole segments of the same file swapped: each tag holds, the place does not.
    step = segments.SEGMENT_BYTES + sealing.TAG_BYTES
    swapped = bytearray(data)
    swapped[starts[0] : starts[0] + step], swapped[starts[1] : starts[1] + step] = (
        data[starts[1] : starts[1] + step],
        data[starts[0] : starts[0] + step],
    )
    (out / "swapped.hrdb").write_bytes(bytes(swapped))
    for name in ("flipped.hrdb", "swapped.hrdb"):
        with pytest.raises(BundleError) as damaged:
            import_bundle(b, out / name, passphrase)
        assert str(damaged.value) == (
            f"The bundle is damaged: the bytes of attachment {short} do not check (changed, or corrupted in "
            "copying). Nothing was imported; ask for the bundle again."
        )
        assert damaged.value.exit_code == 11
    assert state(b) == before


def test_a_file_changed_after_the_preview_fails_the_import_whole(
    b: vault.Vault, evidence: dict[str, Any], sent: tuple[Path, str]
) -> None:
    """Read and previewed, then the file changes under the officer: the segment that does
    not check stops the import, whose transaction leaves nothing (the text file, already
    written, goes too)."""
    path, passphrase = sent
    before = state(b)
    bundle = handover.read_bundle(path, passphrase)
    last = segment_offsets(path, passphrase, evidence["ids"]["binary"])[-1]
    with path.open("r+b") as f:
        f.seek(last + 5)
        byte = f.read(1)
        f.seek(last + 5)
        f.write(bytes([byte[0] ^ 0x80]))
    with pytest.raises(BundleError, match="damaged: the bytes of attachment"):
        with b.store.session() as s:
            handover.apply_import(s, handover.plan_import(s, bundle), {}, default="mine")
    assert state(b) == before
    assert attachments.check(b.store) == attachments.Verified(0, [])


def test_a_cut_or_lengthened_bundle_is_refused_before_any_file_is_read(
    b: vault.Vault, evidence: dict[str, Any], sent: tuple[Path, str], out: Path
) -> None:
    path, passphrase = sent
    data = path.read_bytes()
    last = segment_offsets(path, passphrase, evidence["ids"]["binary"])[-1]
    for size in (last, last + 100, len(data) - 1):  # a whole segment gone, cut inside one, one byte
        (out / "cut.hrdb").write_bytes(data[:size])
        with pytest.raises(BundleError, match=r"^The bundle is truncated \(") as cut:
            handover.read_bundle(out / "cut.hrdb", passphrase)
        assert f"{size:,} of its {len(data):,} bytes are there" in str(cut.value)
    (out / "long.hrdb").write_bytes(data + b"\0" * 16)
    with pytest.raises(BundleError, match="after its end"):
        handover.read_bundle(out / "long.hrdb", passphrase)
    assert vault.count_rows(b)["attachments"] == 0


def crafted(out: Path, rows: list[dict[str, Any]], tail: bytes = b"") -> tuple[Path, str]:
    """A bundle whose (authenticated) document lists ``rows`` as its attachments."""
    doc = {"format": "hrd-tui-handover", "version": 1, "attachments": rows}
    passphrase = handover.new_bundle_passphrase()
    path = out / "crafted.hrdb"
    path.write_bytes(handover.seal_document(doc, passphrase) + tail)
    return path, passphrase


def test_absurd_sizes_and_counts_are_refused_before_anything_is_read(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = {"id": "a" * 32, "size": 1 << 50, "sha256": "0" * 64}
    path, passphrase = crafted(out, [row])
    started = time.perf_counter()
    with pytest.raises(BundleError, match=r"declares an attachment of 1,125,899,906,842,624 bytes"):
        handover.read_bundle(path, passphrase)
    path, passphrase = crafted(out, [{**row, "size": 0}])
    with pytest.raises(BundleError, match="outside 1 byte to 4096 MiB"):
        handover.read_bundle(path, passphrase)
    for bad in ({**row, "size": "12"}, {**row, "sha256": "z" * 64}, {**row, "id": 7}, {"size": 1}):
        path, passphrase = crafted(out, [bad])
        with pytest.raises(BundleError, match="an attachment's record has an unknown shape"):
            handover.read_bundle(path, passphrase)
    path, passphrase = crafted(out, [{**row, "size": 10}, {**row, "size": 10}])  # one id twice
    with pytest.raises(BundleError, match="unknown shape"):
        handover.read_bundle(path, passphrase)
    # A declared size that the file does not have: truncated, without reading a byte of it.
    path, passphrase = crafted(out, [{**row, "size": 4096 << 20}], b"\0" * 100)
    with pytest.raises(BundleError, match="truncated"):
        handover.read_bundle(path, passphrase)
    monkeypatch.setattr(segments, "MAX_ATTACHMENTS", 3)
    rows = [{**row, "id": f"{n:032x}", "size": 10} for n in range(4)]
    path, passphrase = crafted(out, rows)
    with pytest.raises(BundleError, match="more than 3 attachments"):
        handover.read_bundle(path, passphrase)
    assert time.perf_counter() - started < 2.0


def test_a_stored_file_that_no_longer_matches_stops_the_export(
    a: vault.Vault, evidence: dict[str, Any], out: Path
) -> None:
    with a.store.session() as s:  # a damaged vault: one chunk changed under its hash
        s.execute(
            update(attachment_chunk)
            .where(attachment_chunk.c.attachment_id == evidence["ids"]["binary"], attachment_chunk.c.seq == 1)
            .values(data=b"x" * MIB)
        )
    with pytest.raises(Exception, match="no longer matches its SHA-256 in this vault, so no bundle was written"):
        export(a, out / "bad.hrdb")
    assert list(out.iterdir()) == []  # no bundle, no temp file


# -- memory -----------------------------------------------------------------------------------

MEASURE = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from hrd_tui import vault
    from hrd_tui.services import handover

    def status(field):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) / 1024

    def growth(work):
        \"\"\"How far the resident memory rose above where it was, while ``work`` ran (MiB).\"\"\"
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets the high-water mark (VmHWM) to the current size
        before = status("VmRSS")
        started = time.perf_counter()
        result = work()
        return status("VmHWM") - before, time.perf_counter() - started, result

    mode, vault_dir, path, secret = sys.argv[1:5]
    opened = vault.unlock(Path(vault_dir), vault.Secret(secret))

    def export():
        with opened.store.session() as s:
            return handover.export_bundle(s, Path(path), vault_id=opened.header.vault_id)

    def import_():
        bundle = handover.read_bundle(Path(path), sys.argv[5])
        with opened.store.session() as s:
            return handover.apply_import(s, handover.plan_import(s, bundle), {}).inserted

    grew, seconds, result = growth(export if mode == "export" else import_)
    whole, _, _ = growth(lambda: len(Path(path).read_bytes()))  # the yardstick: the file in memory once
    opened.close()
    print(json.dumps({"growth_mib": grew, "whole_mib": whole, "seconds": seconds, "result": result}))
""")


def measured(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-P", "-c", MEASURE, *args],  # -P: the installed package, not the checkout's
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HRD_TUI_TEST_KDF": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_40_mib_file_goes_out_and_in_without_the_whole_of_it_in_memory(
    a: vault.Vault, b: vault.Vault, out: Path
) -> None:
    """The bundle is written and read a segment at a time: the process grows by the same
    12 to 16 MiB whatever the file's size (measured with 8, 32 and 96 MiB: SQLCipher's page
    cache of 8 MiB, filled by the import's writes, and a few segments in flight), never by
    the file's size. 40 MiB, so that half the file is a bound with a margin."""
    with a.store.session() as s:
        owner = Owner("contact", contacts.create_contact(s, {"name": NAME, "codename": CODENAME}).id)
    size = 40 * MIB + 7
    source = out / "large.bin"
    source.write_bytes(binary(size))
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    attachments.attach(a.store, source, owner, max_bytes=64 * MIB)
    source.unlink()
    a.close()
    b.close()  # each measured in a process of its own, as the command line runs it
    path = out / "large.hrdb"
    sent = measured("export", str(a.dir), str(path), PASSPHRASE)
    taken = measured("import", str(b.dir), str(path), PASSPHRASE, sent["result"])
    print(
        f"40 MiB attachment: export grew {sent['growth_mib']:.1f} MiB in {sent['seconds']:.2f} s; "
        f"import (check, then write) grew {taken['growth_mib']:.1f} MiB in {taken['seconds']:.2f} s; "
        f"reading the bundle whole grows {sent['whole_mib']:.1f} MiB"
    )
    assert taken["result"]["attachments"] == 1
    assert sent["whole_mib"] > 38  # the measure sees a file held whole ...
    assert sent["growth_mib"] < 20 and taken["growth_mib"] < 20, (sent, taken)  # ... and these stay under half
    with vault.unlock(b.dir, vault.Secret(PASSPHRASE)) as again:
        assert list(stored(again).values()) == [digest]
