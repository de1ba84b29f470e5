"""The secrets that open the vault: change the passphrase or the recovery code
(passwd), re-encrypt under a new data key (rekey), bind the passphrase to this
workstation's keyring (bind-workstation).
"""

from __future__ import annotations

import argparse

from hrd_tui.cli.common import err, new_passphrase, open_vault, out, secret_from, show_recovery_code, unlock_secret
from hrd_tui.errors import UsageError


def cmd_passwd(args: argparse.Namespace) -> int:
    if args.new_recovery_code:
        if args.new_passphrase_file:
            raise UsageError("--new-recovery-code changes the recovery code only; change the passphrase apart.")
        with open_vault(args, readonly=False) as opened:
            code = opened.new_recovery_code()
            show_recovery_code(code)
        err("The old recovery code no longer opens the vault (its key slot was overwritten).")
        return 0
    with open_vault(args, readonly=False) as opened:
        new = new_passphrase(args.new_passphrase_file)
        err("deriving the new key (a few seconds)...")
        note = opened.change_passphrase(new)
    print("The passphrase was changed. The old one no longer opens the vault.")
    if note:
        print(note)
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    secret = unlock_secret(args)
    if secret.kind != "passphrase":
        raise UsageError(
            "rekey rewraps every slot: unlock with the passphrase, and give the recovery code with "
            "--recovery-code-file (or --new-recovery-code)."
        )
    if args.new_recovery_code and args.recovery_code_file:
        raise UsageError("Give the recovery code, or ask for a new one: not both.")
    if args.passphrase_file == "-" and args.recovery_code_file == "-":
        raise UsageError("Standard input can give one secret only: put the other in a file.")
    with open_vault(args, readonly=False, secret=secret) as opened:
        code = None if args.new_recovery_code else secret_from(args.recovery_code_file, "Recovery code: ")
        err("re-encrypting the vault under a new data key...")
        new_code = opened.rekey(secret.value, code)
        if new_code:
            show_recovery_code(new_code)
    print(
        "The vault was re-encrypted under a new data key; the passphrase and the "
        + ("new recovery code" if new_code else "recovery code")
        + " open it. Copies made before "
        "(hrd-tui backup DEST) keep the old key: destroy them if the old key was exposed.",
        flush=True,
    )
    return 0


def cmd_bind_workstation(args: argparse.Namespace) -> int:
    secret = unlock_secret(args)
    if secret.kind != "passphrase":
        raise UsageError("Binding changes the passphrase slot: unlock with the passphrase.")
    with open_vault(args, readonly=False, secret=secret) as opened:
        out(opened.set_workstation_binding(args.state == "on", secret.value))
    return 0
