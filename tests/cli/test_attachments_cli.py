"""'hrd-tui attach', 'attachments', 'export attachment', and what check, export --format
json and purge do with evidence files (issue 20), run as an officer would: the real
program in a subprocess, a real vault.

What must hold: no byte of a file in clear anywhere on disk (vault, backups, TMPDIR,
the settings folder), the chain of custody (the exact bytes back, the record never
changed), the identifying metadata listed at intake and removed on request, and every
bad file or full disk one clear line with nothing half-added."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSPHRASE, find_markers, frozen_settings, run_cli
from helpers.cli import assert_one_line_failure
from helpers.evidence import jpeg_with_exif
from sqlalchemy import func, text
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.models import Attachment, RecordVersion
from hrd_tui.models.attachments import CHUNK_SIZE, attachment_chunk
from hrd_tui.services import contacts, threats
from hrd_tui.vault import Secret
from hrd_tui.vocab import ThreatType

MIB = 1 << 20


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """One vault for the tests that only add files (each test counts what it added itself):
    a contact and a threat case to attach to, a passphrase file and a settings folder."""
    root = tmp_path_factory.mktemp("attachments")
    made = _vault(root / "vault")
    passfile = root / "pass.txt"
    passfile.write_text(PASSPHRASE + "\n")
    config = root / "config"
    config.mkdir()
    return {"root": root, "vault": root / "vault", "passfile": passfile, "config": config, **made}


def _vault(vault_dir: Path) -> dict[str, str]:
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session() as s:
        ana = contacts.create_contact(s, {"name": "Amina Yusuf", "codename": "Heron-101"})
        case = threats.open_case(s, {"title": "Threats by phone"}, [ana], [ThreatType.PHYSICAL_ATTACK])
        return {"case": case.id, "contact": ana.id}


@pytest.fixture
def own(tmp_path: Path, passfile: Path) -> dict[str, Path | str]:
    """A vault of the test's own (for the tests that tamper, delete, purge or fill the disk)."""
    config = tmp_path / "config"
    config.mkdir()
    return {"root": tmp_path, "vault": tmp_path / "vault", "passfile": passfile, "config": config,
            **_vault(tmp_path / "vault")}  # fmt: skip


def hrd(
    where: dict[str, Path | str], *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "--vault", str(where["vault"]), "--passphrase-file", str(where["passfile"]), *args,
        env={"XDG_CONFIG_HOME": str(where["config"]), **(env or {})}, input=input,
    )  # fmt: skip


def attached_id(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("Id: ")]
    return line.removeprefix("Id: ")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count_attachments(vault_dir: Path) -> tuple[int, int]:
    """(attachment rows, chunk rows), read in this process."""
    with vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        rows = s.exec(select(func.count()).select_from(Attachment)).one()
        chunks = s.exec(select(func.count()).select_from(attachment_chunk)).one()
        return int(rows), int(chunks)


def record_of(vault_dir: Path, ident: str) -> dict[str, object]:
    with vault.unlock(vault_dir, Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        return s.get(Attachment, ident).model_dump()  # type: ignore[union-attr]


# -- files ----------------------------------------------------------------------------------------------


def png_with_text(path: Path, comment: str) -> Path:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", comment)  # a text chunk: the same bytes whatever the pixels
    Image.new("RGB", (16, 16), (0, 90, 0)).save(path, format="PNG", pnginfo=info)
    return path


def pdf_with_author(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Inspector Grey", "/Creator": "Ministry Scanner 3000"})
    with path.open("wb") as f:
        writer.write(f)
    return path


# -- attach, list, export: the chain of custody and the metadata ----------------------------------------------


def test_a_photo_lists_what_it_gives_away_and_comes_back_exact_or_stripped(shared: dict[str, Path | str]) -> None:
    root = Path(shared["root"])
    photo = jpeg_with_exif(root / "injuries.jpg")
    added = hrd(shared, "attach", str(photo), "--to", f"case:{str(shared['case'])[:8]}", "--note", "from the lawyer")
    ident = attached_id(added)
    assert f"SHA-256: {sha256_of(photo)}" in added.stdout
    assert f"Attached injuries.jpg to case:{str(shared['case'])[:8]}: image/jpeg" in added.stdout
    for shown in (
        "GPS position: 48.85833, 2.35000",
        "camera make: Canon",
        "camera model: EOS 5D",
        "artist: Jane Owner",
    ):
        assert f"  {shown}" in added.stdout
    before = record_of(Path(shared["vault"]), ident)

    listed = hrd(shared, "attachments", "--to", f"case:{str(shared['case'])[:8]}")
    assert listed.returncode == 0, listed.stderr
    (row,) = [line for line in listed.stdout.splitlines() if line.startswith(ident[:8])]
    assert "injuries.jpg" in row and "image/jpeg" in row and f"case:{str(shared['case'])[:8]}" in row
    assert sha256_of(photo)[:16] in row and sha256_of(photo)[:17] not in row
    assert "2026-11-28" in row  # added on the test's day

    exact = root / "exact.jpg"
    done = hrd(shared, "export", "attachment", ident[:8], "-o", str(exact))
    assert done.returncode == 0, done.stderr
    assert exact.read_bytes() == photo.read_bytes()
    assert (exact.stat().st_mode & 0o777) == 0o600
    assert f"SHA-256: {sha256_of(photo)}" in done.stdout and "an exact copy" in done.stdout
    assert "NOT ENCRYPTED. Keep it encrypted, never e-mail it, and delete it when done." in done.stderr

    again = hrd(shared, "export", "attachment", ident[:8], "-o", str(exact))  # never over a file
    assert_one_line_failure(again, 11, "already exists: an export never overwrites a file")
    assert exact.read_bytes() == photo.read_bytes()

    clean = root / "clean.jpg"
    stripped = hrd(shared, "export", "attachment", ident, "-o", str(clean), "--strip-metadata")
    assert stripped.returncode == 0, stripped.stderr
    assert "Removed: GPS position, artist, camera make, camera model." in stripped.stdout
    assert "re-encoded" in stripped.stdout and f"SHA-256: {sha256_of(clean)}" in stripped.stdout
    from PIL import Image

    with Image.open(clean) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and 0x010F not in exif and 0x013B not in exif
        assert image.size == (48, 32)
    assert (clean.stat().st_mode & 0o777) == 0o600

    assert hrd(shared, "check").returncode == 0
    assert record_of(Path(shared["vault"]), ident) == before  # export and check changed nothing


def test_a_pdf_lists_its_author_and_creator_and_exports_without_them(shared: dict[str, Path | str]) -> None:
    from pypdf import PdfReader

    root = Path(shared["root"])
    pdf = pdf_with_author(root / "summons.pdf")
    added = hrd(shared, "attach", str(pdf), "--to", f"contact:{str(shared['contact'])[:8]}")
    ident = attached_id(added)
    assert "application/pdf" in added.stdout
    assert "  author: Inspector Grey" in added.stdout and "  creator: Ministry Scanner 3000" in added.stdout

    out = root / "summons-clean.pdf"
    done = hrd(shared, "export", "attachment", ident[:8], "-o", str(out), "--strip-metadata")
    assert done.returncode == 0, done.stderr
    assert "Removed: author, creator" in done.stdout  # (and pypdf's own producer)
    meta = PdfReader(out).metadata or {}
    assert "/Author" not in meta and "/Creator" not in meta
    assert len(PdfReader(out).pages) == 1


def test_the_type_comes_from_the_content_and_a_text_file_cannot_be_stripped(shared: dict[str, Path | str]) -> None:
    root = Path(shared["root"])
    disguised = png_with_text(root / "photo.txt", "just a comment")
    added = hrd(shared, "attach", str(disguised), "--to", f"case:{str(shared['case'])[:8]}")
    assert attached_id(added) and "image/png" in added.stdout

    note = root / "note.txt"
    note.write_text("met the lawyer at noon\n")
    plain = hrd(shared, "attach", str(note), "--to", f"case:{str(shared['case'])[:8]}")
    ident = attached_id(plain)
    assert "text/plain" in plain.stdout and "No identifying metadata found in the file." in plain.stdout
    refused = hrd(shared, "export", "attachment", ident[:8], "-o", str(root / "note-out.txt"), "--strip-metadata")
    assert_one_line_failure(refused, 11, "cannot remove metadata from a text/plain file; nothing was written")
    assert not (root / "note-out.txt").exists()

    to_terminal = hrd(shared, "export", "attachment", ident[:8])
    assert_one_line_failure(to_terminal, 2, "give -o FILE")


def test_bad_files_are_one_clear_line_and_nothing_is_added(shared: dict[str, Path | str]) -> None:
    root = Path(shared["root"])
    config = root / "small-limit"
    config.mkdir()
    (config / "hrd-tui").mkdir()
    (config / "hrd-tui" / "settings.json").write_text(json.dumps({"attachment_max_mib": 1}))
    big = root / "big.bin"
    big.write_bytes(os.urandom(2 * MIB))
    fifo = root / "a.fifo"
    os.mkfifo(fifo)
    empty = root / "empty.txt"
    empty.touch()
    before = count_attachments(Path(shared["vault"]))
    to = f"case:{str(shared['case'])[:8]}"

    too_big = hrd(shared, "attach", str(big), "--to", to, env={"XDG_CONFIG_HOME": str(config)})
    assert_one_line_failure(too_big, 11, "is 2.0 MiB, over the limit of 1.0 MiB a file (the setting attachment_max_mib")
    cases = [
        (fifo, 11, "is a named pipe (FIFO), not a file"),
        (root, 11, "is a directory, not a file"),
        (Path("/dev/null"), 11, "is a character device, not a file"),
        (root / "missing.jpg", 12, f"No file {root / 'missing.jpg'}."),
        (empty, 11, "is empty: there is nothing to keep"),
    ]
    for path, code, said in cases:
        assert_one_line_failure(hrd(shared, "attach", str(path), "--to", to), code, said)
    # A mistake in --to is said before any passphrase is asked (there is no terminal to ask on).
    no_passphrase = run_cli(
        "--vault", str(shared["vault"]), "attach", str(empty), "--to", "kase:1234",
        env={"XDG_CONFIG_HOME": str(shared["config"])},
    )  # fmt: skip
    assert_one_line_failure(no_passphrase, 11, "'kase' is not something a file can be attached to")
    assert_one_line_failure(
        hrd(shared, "attach", str(big), "--to", "case:ffffffff"), 12, "No threat case with id ffffffff."
    )
    assert count_attachments(Path(shared["vault"])) == before


def test_the_same_file_attached_again_says_where_it_is_already_kept(shared: dict[str, Path | str]) -> None:
    """Two records of one piece of evidence are allowed (a photo kept with the case and the
    hearing), but the officer is told, so that one file is never taken for two."""
    root = Path(shared["root"])
    scan = root / "medical-report.txt"
    scan.write_text("Bruising on both wrists, consistent with restraints.\n")
    first = attached_id(hrd(shared, "attach", str(scan), "--to", f"case:{str(shared['case'])[:8]}"))
    again = hrd(shared, "attach", str(scan), "--to", f"contact:{str(shared['contact'])[:8]}")
    assert attached_id(again) != first
    assert f"The same file (same SHA-256) is already kept: {first[:8]} on case:{str(shared['case'])[:8]}." in (
        again.stdout
    )


def test_a_file_piped_in_is_kept_under_the_name_given(shared: dict[str, Path | str]) -> None:
    """'gpg -d f.gpg | hrd-tui attach - --name f.txt': never a decrypted copy on disk."""
    to = f"case:{str(shared['case'])[:8]}"
    piped = "A statement decrypted on the fly.\n" * 1000
    added = hrd(shared, "attach", "-", "--name", "../../statement.txt", "--to", to, input=piped)
    ident = attached_id(added)
    assert f"SHA-256: {hashlib.sha256(piped.encode()).hexdigest()}" in added.stdout
    assert "Attached statement.txt" in added.stdout and "text/plain" in added.stdout
    assert record_of(Path(shared["vault"]), ident)["size"] == len(piped)

    config = Path(shared["root"]) / "limit-for-pipes"
    (config / "hrd-tui").mkdir(parents=True)
    (config / "hrd-tui" / "settings.json").write_text(json.dumps({"attachment_max_mib": 1}))
    before = count_attachments(Path(shared["vault"]))
    too_much = hrd(shared, "attach", "-", "--name", "x.txt", "--to", to, input="y" * (3 * MIB),
                   env={"XDG_CONFIG_HOME": str(config)})  # fmt: skip
    assert_one_line_failure(too_much, 11, "x.txt is over the limit of 1.0 MiB a file")
    assert count_attachments(Path(shared["vault"])) == before
    assert_one_line_failure(hrd(shared, "attach", "-", "--to", to, input="z"), 2, "needs its name")
    both = run_cli("--vault", str(shared["vault"]), "--passphrase-file", "-", "attach", "-", "--name", "a.txt",
                   "--to", to, input=PASSPHRASE + "\nz")  # fmt: skip
    assert_one_line_failure(both, 2, "give the passphrase with --passphrase-file FILE (not '-')")


def test_a_hostile_file_name_cannot_drive_the_terminal(shared: dict[str, Path | str]) -> None:
    root = Path(shared["root"])
    hostile = root / "ev\x1b]52;c;QQ==\x07\x1b[31m.txt"
    hostile.write_text("text\n")
    added = hrd(shared, "attach", str(hostile), "--to", f"case:{str(shared['case'])[:8]}")
    attached_id(added)
    listed = hrd(shared, "attachments")
    assert "\x1b" not in added.stdout + listed.stdout and "\x07" not in listed.stdout
    assert "ev]52;c;QQ==[31m.txt" in listed.stdout


def test_a_file_name_that_names_a_contact_is_hidden_in_the_list(shared: dict[str, Path | str]) -> None:
    root = Path(shared["root"])
    named = root / "Amina_Yusuf_statement.txt"
    named.write_text("statement\n")
    ident = attached_id(hrd(shared, "attach", str(named), "--to", f"contact:{str(shared['contact'])[:8]}"))
    listed = hrd(shared, "attachments", "--to", f"contact:{str(shared['contact'])[:8]}")
    (row,) = [line for line in listed.stdout.splitlines() if line.startswith(ident[:8])]
    assert "Amina" not in listed.stdout and "[name hidden].txt" in row
    assert "--real-names shows them" in listed.stdout
    shown = hrd(shared, "attachments", "--real-names", "--to", f"contact:{str(shared['contact'])[:8]}")
    assert "Amina_Yusuf_statement.txt" in shown.stdout


# -- delete, purge, check, export json: a vault of each test's own -------------------------------------------------


def test_delete_keeps_the_hash_and_purge_removes_the_bytes_for_good(own: dict[str, Path | str]) -> None:
    root = Path(own["root"])
    source = root / "threat.txt"
    source.write_bytes(b"PURGE-ME " * 300_000)  # 2.6 MiB: three chunks
    ident = attached_id(hrd(own, "attach", str(source), "--to", f"case:{str(own['case'])[:8]}"))

    unasked = hrd(own, "attachments", "delete", ident[:8])  # a script without --yes
    assert_one_line_failure(unasked, 2, "Nothing was deleted: there is no terminal to confirm on. Pass --yes.")
    gone = hrd(own, "attachments", "delete", ident[:8], "--yes")
    assert gone.returncode == 0, gone.stderr
    assert f"SHA-256 {sha256_of(source)}, is kept" in gone.stdout and "purge" in gone.stdout
    assert ident[:8] not in hrd(own, "attachments").stdout
    deleted = hrd(own, "attachments", "--deleted").stdout
    assert ident[:8] in deleted and "DELETED 2026-11-28" in deleted
    assert count_attachments(Path(own["vault"])) == (1, 3)  # the bytes stay until the purge

    purged = hrd(own, "purge", "--older-than", "0", "--yes")
    assert purged.returncode == 0, purged.stderr
    assert "Removed 1 deleted attachment(s) for good" in purged.stdout
    assert count_attachments(Path(own["vault"])) == (0, 0)
    with vault.unlock(Path(own["vault"]), Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        (tombstone,) = s.exec(
            select(RecordVersion).where(RecordVersion.entity_id == ident, RecordVersion.deleted == True)  # noqa: E712
        ).all()
        assert tombstone.data["sha256"] == sha256_of(source) and tombstone.data["name"] == "threat.txt"
    assert hrd(own, "check").returncode == 0
    assert find_markers([Path(own["vault"])], ["PURGE-ME PURGE-ME"]) == []


def test_check_finds_a_tampered_chunk_and_names_the_attachment(own: dict[str, Path | str]) -> None:
    root = Path(own["root"])
    (root / "a.txt").write_text("first file\n")
    (root / "b.txt").write_text("second file\n")
    first = attached_id(hrd(own, "attach", str(root / "a.txt"), "--to", f"case:{str(own['case'])[:8]}"))
    second = attached_id(hrd(own, "attach", str(root / "b.txt"), "--to", f"contact:{str(own['contact'])[:8]}"))
    clean = hrd(own, "check")
    assert clean.returncode == 0 and "ok: 2 attachments verified against their SHA-256" in clean.stdout

    with vault.unlock(Path(own["vault"]), Secret(PASSPHRASE)) as v, v.store.session() as s:
        s.connection().execute(
            text("UPDATE attachment_chunk SET data = :data WHERE attachment_id = :id"),
            {"data": b"second fil3\n", "id": second},
        )
    failed = hrd(own, "check")
    assert failed.returncode == 10, failed.stderr
    assert f"attachment {second[:8]} (b.txt) no longer matches its SHA-256" in failed.stderr
    assert first[:8] not in failed.stderr and "Traceback" not in failed.stderr
    exported = hrd(own, "export", "attachment", second[:8], "-o", str(root / "b-out.txt"))
    assert exported.returncode == 1 and "Nothing was exported" in exported.stderr
    assert not (root / "b-out.txt").exists()


def test_export_json_lists_the_attachments_without_their_contents(own: dict[str, Path | str]) -> None:
    root = Path(own["root"])
    marker = "JSON-EXPORT-CONTENT-MARKER-5521"
    (root / "witness.txt").write_text(f"{marker}\n" * 10)
    ident = attached_id(hrd(own, "attach", str(root / "witness.txt"), "--to", f"case:{str(own['case'])[:8]}",
                            "--note", "given by the witness"))  # fmt: skip
    out = root / "vault.json"
    assert hrd(own, "export", "--format", "json", "-o", str(out)).returncode == 0
    (listed,) = json.loads(out.read_text())["attachments"]
    assert listed["id"] == ident and listed["name"] == "witness.txt" and listed["size"] == len(marker) * 10 + 10
    assert listed["sha256"] == sha256_of(root / "witness.txt") and listed["note"] == "given by the witness"
    assert listed["case_id"] == own["case"] and listed["media_type"] == "text/plain"
    assert find_markers([out], [marker]) == []
    assert "attachment_chunk" not in out.read_text()


def test_a_disk_that_fills_mid_way_leaves_nothing_half_added(own: dict[str, Path | str]) -> None:
    root = Path(own["root"])
    source = root / "video.bin"
    source.write_bytes(os.urandom(8 * MIB))
    vault_dir = Path(own["vault"])
    largest = max(p.stat().st_size for p in vault_dir.iterdir() if p.is_file())
    limit = largest + 2 * MIB  # room to start, not for the whole file

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    env = {**os.environ, **frozen_settings(), "XDG_CONFIG_HOME": str(own["config"])}
    env.pop("HRD_TUI_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-P", "-m", "hrd_tui", "--vault", str(vault_dir), "--passphrase-file", str(own["passfile"]),
         "attach", str(source), "--to", f"case:{str(own['case'])[:8]}"],
        capture_output=True, text=True, env=env, preexec_fn=small_disk, timeout=120,
    )  # fmt: skip
    assert_one_line_failure(result, 7, "The disk is full")
    assert "The file was not added: nothing of it was kept." in result.stderr
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        assert v.check() == []
    assert count_attachments(vault_dir) == (0, 0)
    assert hrd(own, "check").returncode == 0


# -- no plaintext on disk, ever -----------------------------------------------------------------------------------

MARKERS = ["EVIDENCE-TEXT-MARKER-8812", "IMAGE-TEXT-CHUNK-MARKER-4471", "BIG-FILE-MARKER-3390"]


def big_file_with_markers(path: Path, size: int, marker: bytes) -> list[int]:
    """``size`` random bytes with ``marker`` at the start, across the first chunk boundary,
    in the middle and at the end; written a chunk at a time. Returns the offsets."""
    offsets = [0, CHUNK_SIZE - len(marker) // 2, size // 2, size - len(marker)]
    with path.open("wb") as f:
        for start in range(0, size, CHUNK_SIZE):
            f.write(os.urandom(min(CHUNK_SIZE, size - start)))
        for offset in offsets:
            f.seek(offset)
            f.write(marker)
    return offsets


def test_no_byte_of_an_attachment_is_readable_on_disk(own: dict[str, Path | str]) -> None:
    root = Path(own["root"])
    sources = root / "sources"
    sources.mkdir()
    tmpdir = root / "tmpdir"
    tmpdir.mkdir()
    env = {"TMPDIR": str(tmpdir)}
    (sources / "statement.txt").write_text(f"The statement: {MARKERS[0]}\n")
    png_with_text(sources / "bruises.png", MARKERS[1])
    big = sources / "recording.bin"
    big_file_with_markers(big, 50 * MIB, MARKERS[2].encode())
    assert len(find_markers([sources], MARKERS)) == 3  # the markers are there to be found

    to = f"case:{str(own['case'])[:8]}"
    ids = [attached_id(hrd(own, "attach", str(sources / name), "--to", to, env=env))
           for name in ("statement.txt", "bruises.png", "recording.bin")]  # fmt: skip
    backups = root / "backups"
    assert hrd(own, "backup", str(backups / "b1"), env=env).returncode == 0
    checked = hrd(own, "check", env=env)
    assert checked.returncode == 0 and "ok: 3 attachments verified" in checked.stdout
    outside = root / "exports"
    outside.mkdir()
    assert hrd(own, "export", "--format", "json", "-o", str(outside / "vault.json"), env=env).returncode == 0
    exact = outside / "recording.bin"
    assert hrd(own, "export", "attachment", ids[2][:8], "-o", str(exact), env=env).returncode == 0
    assert sha256_of(exact) == sha256_of(big)  # the chain of custody: the exact bytes back

    roots = [Path(own["vault"]), backups, tmpdir, Path(own["config"])]
    assert any(p.is_file() for p in backups.rglob("*"))
    assert find_markers(roots, MARKERS) == []
