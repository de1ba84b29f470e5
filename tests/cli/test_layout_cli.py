"""'hrd-tui layout' and 'hrd-tui report --layout', run as a user would: the list with
the default marked, a shipped layout's TOML to start from, a post's own imported (a
broken file refused with its line before the passphrase is asked), corrected only with
--replace, never over a shipped one, chosen for a report, retired and reinstated."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli

from hrd_tui import vault


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    path = tmp_path / "v"
    opened, _code = vault.create(path, PASSPHRASE)
    opened.close()
    return path


def layout(vault_dir: Path, passfile: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "layout", *args)


def test_a_post_adds_corrects_chooses_and_retires_its_layout(vault_dir: Path, passfile: Path, tmp_path: Path) -> None:
    listed = layout(vault_dir, passfile, "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("crhrp-2024  crhrp  edition 2024  shipped with hrd-tui  [default]")
    assert any(line.startswith("crhrp-2023  crhrp  edition 2023  shipped with hrd-tui  Country") for line in lines)
    shown = layout(vault_dir, passfile, "show", "crhrp-2024")
    assert shown.returncode == 0 and "edition = 2024" in shown.stdout
    mine = tmp_path / "crhrp-2025.toml"
    mine.write_text(
        shown.stdout.replace('id = "crhrp-2024"', 'id = "crhrp-2025"').replace("edition = 2024", "edition = 2025")
    )
    imported = layout(vault_dir, passfile, "import", str(mine))
    assert imported.returncode == 0, imported.stderr
    assert "Imported report layout 'crhrp-2025'" in imported.stdout
    again = layout(vault_dir, passfile, "import", str(mine))
    assert again.returncode == 11 and "--replace" in again.stderr
    assert layout(vault_dir, passfile, "import", str(mine), "--replace").returncode == 0
    assert "crhrp-2025  crhrp  edition 2025  the post's own  [default]" in layout(vault_dir, passfile, "list").stdout

    report = run_cli(
        "--vault", str(vault_dir), "--passphrase-file", str(passfile),
        "report", "--type", "crhrp", "--from", "2025-03-01", "--to", "2025-03-31",
    )  # fmt: skip
    assert report.returncode == 0 and "(crhrp-2025, the post's own)" in report.stdout
    older = run_cli(
        "--vault", str(vault_dir), "--passphrase-file", str(passfile),
        "report", "--type", "crhrp", "--from", "2025-03-01", "--to", "2025-03-31", "--layout", "crhrp-2023",
    )  # fmt: skip
    assert older.returncode == 0 and "## Section 1. Respect for the Integrity of the Person" in older.stdout
    wrong = run_cli(
        "--vault", str(vault_dir), "--passphrase-file", str(passfile),
        "report", "--type", "tip", "--from", "2025-03-01", "--to", "2025-03-31", "--layout", "crhrp-2023",
    )  # fmt: skip
    assert wrong.returncode == 11 and "is a layout of the crhrp report" in wrong.stderr

    retired = layout(vault_dir, passfile, "retire", "crhrp-2025", "--on", "2026-01-05")
    assert retired.returncode == 0 and "retired on 2026-01-05" in retired.stdout
    listed = layout(vault_dir, passfile, "list").stdout
    assert "crhrp-2024  crhrp  edition 2024  shipped with hrd-tui  [default]" in listed
    assert "[retired 2026-01-05]" in listed
    assert layout(vault_dir, passfile, "reinstate", "crhrp-2025").returncode == 0
    shipped = layout(vault_dir, passfile, "retire", "crhrp-2024")
    assert shipped.returncode == 11 and "shipped layout" in shipped.stderr


def test_a_broken_layout_is_refused_with_its_line_before_the_passphrase(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        'schema = 1\nid = "x-1"\nreport = "tip"\nedition = 2026\ntitle = "T"\n\n[[section]]\nheading = "A"\nlevel = 2\nreceives = ["nowhere"]\n'
    )
    refused = run_cli("--vault", str(tmp_path / "none"), "layout", "import", str(broken))  # no vault, no passphrase
    assert refused.returncode == 11
    assert f"{broken}:10: section 1: 'nowhere' is not a content key of the tip report" in refused.stderr
    assert run_cli("layout", "show").returncode == 2  # needs a key
    regular = run_cli(
        "--vault", str(tmp_path / "none"), "report", "--type", "regular", "--from", "2025-03-01",
        "--to", "2025-03-31", "--layout", "crhrp-2024",
    )  # fmt: skip
    assert regular.returncode == 2 and "--layout is for the crhrp, tip and irf reports" in regular.stderr
