"""The vault's own commands: create it (init), describe it (info), check it, back it up."""

from __future__ import annotations

import argparse
from pathlib import Path

from hrd_tui import paths
from hrd_tui.cli.common import err, new_passphrase, open_vault, show_recovery_code
from hrd_tui.errors import HrdError


def cmd_init(args: argparse.Namespace) -> int:
    import hrd_tui.services  # noqa: F401 - registers what every vault holds (hrd_tui.vault_hooks)
    from hrd_tui import vault

    vault_dir = paths.resolve_vault_dir(args.vault)
    if vault.exists(vault_dir):
        raise HrdError(f"A vault already exists at {vault_dir}.")
    passphrase = new_passphrase(args.passphrase_file)
    err("calibrating the key derivation for this machine (a few seconds)...")
    opened, recovery_code = vault.create(vault_dir, passphrase)
    with opened:
        slot = opened.header.slot("passphrase")
        assert slot is not None  # a new vault has its passphrase slot
        err(f"created the vault at {vault_dir} ({slot.kdf_params().describe()}).")
        show_recovery_code(recovery_code)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from hrd_tui import keyslots, migrations, vault

    with open_vault(args, readonly=True) as opened:
        header = opened.header
        rows = [
            ("vault", str(opened.dir)),
            ("vault id", header.vault_id),
            ("created", header.created),
            ("header format", f"{keyslots.FORMAT} v{keyslots.FORMAT_VERSION}"),
            (
                "schema revision",
                f"{opened.schema_revision()} (this hrd-tui: {migrations.head_revision()})"
                + (": upgraded at the next writing open" if opened.needs_upgrade else ""),
            ),
        ]
        for slot in header.slots:
            kdf = slot.kdf_params().describe() if slot.type == "passphrase" else "HKDF-SHA256 (160-bit random code)"
            rows.append((f"key slot: {slot.type}", kdf))
        with opened.store.raw() as conn:
            rows.append(("sqlcipher", conn.execute("PRAGMA cipher_version").fetchone()[0]))
        for name, count in vault.count_rows(opened).items():
            rows.append((name, str(count)))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from hrd_tui.errors import CheckFailed
    from hrd_tui.services import attachments

    with open_vault(args, readonly=True) as opened:
        report = opened.check_report()
        # Every evidence file re-hashed against the SHA-256 taken at intake (chain of custody);
        # a vault of an older schema (read-only here, not upgraded) has none yet.
        files = attachments.check(opened.store) if not (report.problems or opened.needs_upgrade) else None
    problems = report.problems + (files.problems if files else [])
    if problems:
        for problem in problems[:50]:
            err(problem)
        raise CheckFailed(f"The vault failed its checks ({len(problems)} problem(s)). Restore a backup.")
    if report.full:
        print("ok: cipher_integrity_check, integrity_check and foreign_key_check all pass")
    else:
        print(
            "ok: integrity_check and foreign_key_check pass; every page in use was read and verified in one snapshot.\n"
            "Another hrd-tui process is writing to this vault, so the raw page check (cipher_integrity_check, which "
            "also covers unused pages) was left out: run 'check' again once that process is closed."
        )
    if files is not None:
        print(
            f"ok: {files.checked} attachment{' verified against its' if files.checked == 1 else 's verified against their'} SHA-256"
        )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with open_vault(args, readonly=True) as opened:
        dest = opened.backup(Path(args.dest))
    print(f"Encrypted backup written and verified: {dest}")
    print("It opens with the passphrase (or recovery code) in force now: hrd-tui --vault DEST info")
    return 0
