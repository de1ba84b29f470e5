"""Handover between officers: an encrypted bundle of the vault (or of part of it) and its import.

An officer leaving a post, or sharing a case with a colleague, exports a *bundle*:
one encrypted file holding the whole vault, or selected contacts, threat cases and
trials with what they need to make sense and the files attached to them. The
receiving officer imports it into their own vault after a preview that lists what
is new, what is already there, and every *conflict* (the same record, by its stable
id, edited differently in the two vaults), each decided as "mine" or "theirs".
Nothing in the receiving vault is lost: taking "theirs" goes through an update, so
the earlier version stays in the history.

The package, module by module (each says more in its own docstring):

* ``errors``: BundleError, BundleTooNew, BundleUnlockFailed.
* ``sealing``: the bundle file format and its crypto: the bundle passphrase,
  Argon2id + HKDF, AES-256-GCM over the zlib-compressed document, the header and
  the limits checked before anything is parsed (seal_document, open_sealed, open_file).
* ``segments``: the attachments' bytes after the document (format version 2): AES-256-GCM
  segments of 1 MiB in the STREAM construction, written and read one at a time.
* ``tables``: which tables travel and what the import needs to know of each
  (primary keys, links, unique keys, the order parents before children).
* ``selection``: what a selection of contacts, threat cases and trials carries.
* ``document``: the handover document, built from the vault (bundle_document,
  export_bundle) and read back and checked (read_bundle, Bundle).
* ``labels``: how a preview names records and values (by codename, never by name).
* ``planning``: what an import would do (plan_import: ImportPlan, Conflict, FieldDiff).
* ``applying``: carrying a plan out with the officer's choices (apply_import, ImportResult).

The names below are re-exported for the screens and the command line; new code
may as well import them from the module that holds them.
"""

from __future__ import annotations

from hrd_tui.services.handover.applying import Decision, FieldChoices, ImportResult, apply_import, import_bundle
from hrd_tui.services.handover.document import Bundle, bundle_document, export_bundle, read_bundle
from hrd_tui.services.handover.errors import BundleError, BundleTooNew, BundleUnlockFailed
from hrd_tui.services.handover.planning import Conflict, FieldDiff, ImportPlan, plan_bundle, plan_import
from hrd_tui.services.handover.sealing import default_params, new_bundle_passphrase, open_sealed, seal_document
from hrd_tui.services.handover.selection import Selection
from hrd_tui.services.handover.tables import record_class

__all__ = [
    "Bundle",
    "BundleError",
    "BundleTooNew",
    "BundleUnlockFailed",
    "Conflict",
    "Decision",
    "FieldChoices",
    "FieldDiff",
    "ImportPlan",
    "ImportResult",
    "Selection",
    "apply_import",
    "bundle_document",
    "default_params",
    "export_bundle",
    "import_bundle",
    "new_bundle_passphrase",
    "open_sealed",
    "plan_bundle",
    "plan_import",
    "read_bundle",
    "record_class",
    "seal_document",
]
