"""Crafted files given to the program: refused in one line with exit 11, never a
traceback, a RecursionError (exit 70) or gigabytes of memory."""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

from conftest import PASSPHRASE, run_cli

from hrd_tui import vault

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))
from test_crafted_files import BUNDLE_PASSPHRASE, deep_document, photo_vcard, sealed  # noqa: E402


def one_line_refusal(result, text: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 11, (result.returncode, result.stderr)
    assert text in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert "RecursionError" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_nested_bundles_are_refused_with_exit_11(tmp_path: Path, passfile: Path) -> None:
    opened, _ = vault.create(tmp_path / "v", PASSPHRASE)
    opened.close()
    secret = tmp_path / "bundle-pass"
    secret.write_text(BUNDLE_PASSPHRASE + "\n")
    for name, payload in (
        ("deep.bundle", zlib.compress(deep_document(20_000), 9)),
        ("small.bundle", zlib.compress(deep_document(100_000), 9)),
    ):
        path = tmp_path / name
        path.write_bytes(sealed(payload))
        if name == "small.bundle":
            assert path.stat().st_size < 1000
        result = run_cli(
            "--vault",
            str(tmp_path / "v"),
            "--passphrase-file",
            str(passfile),
            "handover",
            "import",
            str(path),
            "--bundle-passphrase-file",
            str(secret),
            "--yes",
        )
        one_line_refusal(result, "nests deeper")


def test_a_20_mb_csv_line_and_a_20_mb_photo_from_the_command_line(tmp_path: Path, passfile: Path) -> None:
    opened, _ = vault.create(tmp_path / "v", PASSPHRASE)
    opened.close()
    line = tmp_path / "line.csv"
    line.write_text("codename,name\nHeron-1," + "x" * (20 << 20) + "\n", encoding="utf-8")
    one_line_refusal(
        run_cli(
            "--vault", str(tmp_path / "v"), "--passphrase-file", str(passfile), "import", "contacts", str(line), "--yes"
        ),
        "too long",
    )
    result = run_cli(
        "--vault",
        str(tmp_path / "v"),
        "--passphrase-file",
        str(passfile),
        "import",
        "contacts",
        str(photo_vcard(tmp_path / "photo.vcf")),
        "--yes",
    )
    assert result.returncode == 0, result.stderr
    assert "PHOTO left out" in result.stdout and "1 created" in result.stdout
