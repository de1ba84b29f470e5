"""Handover between officers: an encrypted bundle of the vault (or of part of it) and its import.

An officer leaving a post, or sharing a case with a colleague, exports a *bundle*:
one encrypted file holding the whole vault, or selected contacts, threat cases and
trials with what they need to make sense. The receiving officer imports it into
their own vault after a preview that lists what is new, what is already there, and
every *conflict* (the same record, by its stable id, edited differently in the two
vaults), each decided as "mine" or "theirs". Nothing in the receiving vault is lost:
taking "theirs" goes through an update, so the earlier version stays in the history.

Bundle file format (version 1)
------------------------------
::

    HRDTUI-BUNDLE\\n                                 magic, 14 bytes
    {"cipher":{...},"compression":"zlib",...}\\n     header: canonical JSON, ASCII, one line (< 4 KiB)
    <ciphertext>                                    exactly header["length"] bytes, nothing after

The header holds no data and no secret, only how to open the rest::

    {"cipher": {"name": "aes-256-gcm", "nonce": "<base64, 12 bytes>"},
     "compression": "zlib",
     "format": "hrd-tui-bundle",
     "kdf": {"name": "argon2id", "memory_kib": 65536, "parallelism": 4,
             "salt": "<base64, 16 bytes>", "time_cost": 3},
     "length": <bytes of ciphertext, GCM tag included>,
     "version": 1}

* The key is Argon2id(passphrase, salt, parameters), then HKDF-SHA256 with the info
  ``hrd-tui/bundle/v1``. The passphrase is made for the bundle (never the vault's):
  32 characters of Crockford base32 in eight groups of four, 160 random bits, read
  as the recovery code is (any case, dashes and spaces ignored, O read as 0, I and L
  as 1). The parameters are the policy floor (t=3, 64 MiB, p=4: ample for 160 random
  bits), or the tiny test ones with ``HRD_TUI_TEST_KDF=1``; a reader refuses
  parameters below the floor or above the ceilings of ``keyslots`` (4 GiB ...)
  before doing any KDF work.
* The ciphertext is AES-256-GCM of the zlib-compressed UTF-8 JSON *document*; its
  associated data is the magic and the whole header line, so a changed parameter,
  nonce or length makes the bundle fail to open.
* ``length`` lets a cut file be reported as truncated before any key is derived. A
  wrong passphrase and a damaged ciphertext give the same message (as KeePassXC does).
* Written with ``paths.atomic_write`` (temp file in the same folder, fsync, rename),
  mode 0600; the plaintext exists only in memory, never in a temp file.

The document (version 1) has the per-table shape of ``services/export.py``: ``format``
(``"hrd-tui-handover"``), ``version`` (1), ``exported_at``, ``schema_revision``,
``vault_id`` (of the sending vault), ``selection`` (``null`` for the whole vault, else
``{"contacts": [ids], "cases": [ids], "trials": [ids]}``), then one list per table
under its ``EXPORT_TABLES`` key, each record with its fields by name.

What a selection carries
------------------------
* a **threat case**: the case, its defenders, threat types, risk assessments, threat
  analyses, sources, actions, referrals, feedback to the defenders, coordination,
  timeline and checklist runs;
* a **trial**: the trial, its defendants, hearings, their notes, and the checklist
  runs of the trial and its hearings (the fair-trial checklist);
* a **contact**: the contact, their secure channels, relationships whose two ends are
  both in the bundle, interactions they took part in (with only the participants who
  are in the bundle), their follow-ups (and those of their interactions that concern
  no one outside the bundle) and their checklist runs.

Every contact in the bundle (selected, a defender, a defendant, or the person whose
consent a carried action or referral rests on) comes with their focus areas and
their consent records: the consent gate and the naming rules need them. Other
contacts are never carried: a source or a feedback entry that names someone outside
the bundle keeps that link only if the receiving vault already knows that person
(else the link is left empty, and the preview says so). Resources and checklist
templates (reference data) always travel whole. Civic-space observations and
reports travel only with the whole vault.

Not carried: **drafts** are unsaved text typed in the sending vault, meaningful only
on the screen and to the officer that typed it (and possibly never meant to be kept);
**record_versions** are the sending vault's own history, numbered by that vault: they
would mix two histories and carry back text that its officer replaced or purged. The
receiving vault keeps its own history, including the version before each "theirs".

Import
------
Records are matched by their stable ids (random UUIDs, the same in every vault),
link tables by their key columns, and records with a unique key besides their id
(a relationship's two ends and kind, a checklist run's item) by that key too. A
contact's codename is *not* a matching key (another vault's ``Heron-123`` can be
someone else): a new contact whose codename is taken gets a new one. A new preferred
channel for a contact who already has one here is added as not preferred. Records
are inserted parents first; deletions are never carried (a record missing from the
bundle is left alone). Everything runs in the caller's session: one transaction.
"""

from __future__ import annotations

import base64
import json
import math
import os
import secrets
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import ForeignKeyConstraint, UniqueConstraint
from sqlmodel import Session, SQLModel, col, select

from hrd_tui import keyslots, limits, migrations
from hrd_tui.errors import HrdError, UnlockFailed, ValidationError, from_os_error
from hrd_tui.keyslots import KdfParams
from hrd_tui.models import (
    EXPORT_TABLES,
    CaseAction,
    CaseCoordination,
    CaseDefender,
    CaseThreatType,
    ChecklistItemState,
    ChecklistRun,
    ConsentRecord,
    Contact,
    ContactFocusArea,
    DefenderFeedback,
    FollowUp,
    Hearing,
    Interaction,
    InteractionParticipant,
    Referral,
    Relationship,
    RiskAssessment,
    SecureChannel,
    Source,
    ThreatAnalysis,
    ThreatCase,
    TimelineEvent,
    Trial,
    TrialDefendant,
    TrialNote,
    utcnow,
)
from hrd_tui.paths import atomic_write
from hrd_tui.sanitize import codename_key, for_display
from hrd_tui.services import base, contacts, history
from hrd_tui.services.contacts import clean_input as contacts_clean
from hrd_tui.services.history import jsonable

MAGIC = b"HRDTUI-BUNDLE\n"
BUNDLE_FORMAT = "hrd-tui-bundle"
BUNDLE_VERSION = 1
DOCUMENT_FORMAT = "hrd-tui-handover"
DOCUMENT_VERSION = 1
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
MAX_HEADER_BYTES = 4096
#: Limits checked before anything is parsed (SECURITY.md, requirement 18). The
#: document is inflated in pieces and refused once past MAX_DOCUMENT_BYTES (a zlib
#: bomb never grows further); its nesting and its number of objects are counted
#: from its brackets before json sees it (json recurses: deep nesting would crash it).
MAX_DOCUMENT_BYTES = 256 << 20
MAX_FILE_BYTES = MAX_DOCUMENT_BYTES + (1 << 20)  # compressed and sealed: never much more than the document
MAX_DEPTH = 32  # a document is 3 deep (document, table, record), 5 with a list in a field
MAX_RECORDS = 2_000_000  # objects: records, and any object inside one
HEADER_DEPTH = 4
HKDF_INFO = b"hrd-tui/bundle/v1"

PASSPHRASE_ALPHABET = keyslots.RECOVERY_ALPHABET  # Crockford base32: no I, L, O, U
PASSPHRASE_GROUPS = 8
PASSPHRASE_GROUP_LEN = 4
PASSPHRASE_BITS = PASSPHRASE_GROUPS * PASSPHRASE_GROUP_LEN * math.log2(len(PASSPHRASE_ALPHABET))

#: Tables that never travel (see the module docstring for why).
NOT_CARRIED = frozenset({"drafts", "record_versions"})
CARRIED: tuple[str, ...] = tuple(name for name in EXPORT_TABLES if name not in NOT_CARRIED)
#: Reference data: merged without conflicts (what this vault has is kept).
REFERENCE_TABLES = frozenset({"resources", "checklist_templates"})
#: Bookkeeping that may differ without the records differing.
IGNORED_FIELDS = frozenset({"updated_at", "loaded_at"})

Choice = Literal["mine", "theirs"]
Key = tuple[Any, ...]


# -- errors ---------------------------------------------------------------------

class BundleError(HrdError):
    """The file cannot be used as a bundle: not one, truncated, damaged, or refused."""

    exit_code = 11


class BundleTooNew(HrdError):
    """Written by a newer hrd-tui (format or schema): upgrade to import it."""

    exit_code = 5


class BundleUnlockFailed(UnlockFailed):
    """Wrong bundle passphrase or damaged ciphertext: one message for both."""

    MESSAGE = "Could not open the bundle: wrong bundle passphrase, or the bundle is damaged."


def _truncated(detail: str) -> BundleError:
    return BundleError(f"The bundle is truncated ({detail}): it was cut short in copying. Ask for it again.")


_DAMAGED = "The bundle is damaged: its header cannot be read."


# -- passphrase, key, sealing ------------------------------------------------------

def new_bundle_passphrase() -> str:
    """160 random bits as eight groups of four Crockford base32 characters (easy to read aloud)."""
    chars = "".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(PASSPHRASE_GROUPS * PASSPHRASE_GROUP_LEN))
    return "-".join(chars[i : i + PASSPHRASE_GROUP_LEN] for i in range(0, len(chars), PASSPHRASE_GROUP_LEN))


def default_params() -> KdfParams:
    """The policy floor (the passphrase carries 160 random bits), or the test parameters."""
    if keyslots.test_kdf_enabled():
        return KdfParams(**keyslots.TEST_PARAMS)
    return KdfParams(keyslots.FLOOR_TIME_COST, keyslots.FLOOR_MEMORY_KIB, keyslots.DEFAULT_PARALLELISM)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any, size: int) -> bytes:
    if not isinstance(value, str):
        raise BundleError(_DAMAGED)
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise BundleError(_DAMAGED) from exc
    if len(raw) != size:
        raise BundleError(_DAMAGED)
    return raw


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _check_params(params: KdfParams) -> None:
    """The vault's KDF policy, with messages about a bundle; before any work is done."""
    values = (params.time_cost, params.memory_kib, params.parallelism)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise BundleError(_DAMAGED)
    if (
        params.memory_kib > keyslots.CEILING_MEMORY_KIB
        or params.time_cost > keyslots.CEILING_TIME_COST
        or params.parallelism > keyslots.CEILING_PARALLELISM
    ):
        raise BundleError("The bundle asks for absurd key-derivation parameters; refusing to run them.")
    if params.parallelism < 1 or params.time_cost < 1 or params.memory_kib < 8 * params.parallelism:
        raise BundleError(_DAMAGED)
    if params.is_test and not keyslots.test_kdf_enabled():
        raise BundleError(
            "The bundle asks for key-derivation parameters below the safety floor "
            f"(Argon2id t>={keyslots.FLOOR_TIME_COST}, {keyslots.FLOOR_MEMORY_KIB // 1024} MiB); refusing."
        )


def _bundle_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    # keyslots.argon2id is the vault's own Argon2id call (argon2-cffi's low-level API).
    stretched = keyslots.argon2id(keyslots.normalise_recovery_code(passphrase), salt, params)
    return HKDF(algorithm=hashes.SHA256(), length=keyslots.KEY_BYTES, salt=None, info=HKDF_INFO).derive(stretched)


@dataclass(frozen=True)
class _Header:
    params: KdfParams
    salt: bytes
    nonce: bytes
    length: int


def seal_document(document: Mapping[str, Any], passphrase: str, params: KdfParams | None = None) -> bytes:
    """The bundle bytes for ``document`` under ``passphrase`` (format in the module docstring)."""
    params = params or default_params()
    _check_params(params)
    plain = zlib.compress(
        json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8"), 6
    )
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    header = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "kdf": {
            "name": "argon2id",
            "time_cost": params.time_cost,
            "memory_kib": params.memory_kib,
            "parallelism": params.parallelism,
            "salt": _b64(salt),
        },
        "cipher": {"name": "aes-256-gcm", "nonce": _b64(nonce)},
        "compression": "zlib",
        "length": len(plain) + TAG_BYTES,
    }
    prefix = MAGIC + _canonical(header) + b"\n"
    ciphertext = AESGCM(_bundle_key(passphrase, salt, params)).encrypt(nonce, plain, prefix)
    return prefix + ciphertext


def _parse_header(data: bytes) -> tuple[_Header, int]:
    """The header and where the ciphertext starts; no secret needed, no KDF run."""
    if not data:
        raise BundleError("The file is empty: it is not an hrd-tui bundle.")
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):
            raise _truncated(f"{len(data)} bytes, cut inside its first line")
        raise BundleError("This file is not an hrd-tui bundle.")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES)
    if end < 0:
        if len(data) < len(MAGIC) + MAX_HEADER_BYTES:
            raise _truncated(f"{len(data)} bytes, cut inside its header")
        raise BundleError(_DAMAGED)
    line = data[len(MAGIC) : end]
    if not line.isascii():
        raise BundleError(_DAMAGED)
    obj = limits.load_json(line, max_depth=HEADER_DEPTH, max_records=None, too_deep=lambda _n: BundleError(_DAMAGED),
                           too_many=lambda _n: BundleError(_DAMAGED), damaged=lambda: BundleError(_DAMAGED))
    if not isinstance(obj, dict) or obj.get("format") != BUNDLE_FORMAT:
        raise BundleError("This file is not an hrd-tui bundle.")
    version = obj.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError(_DAMAGED)
    if version > BUNDLE_VERSION:
        raise BundleTooNew(
            f"This bundle uses format version {version}, from a newer hrd-tui; this one reads "
            f"version {BUNDLE_VERSION}. Upgrade hrd-tui to import it."
        )
    if _canonical(obj) != line:
        raise BundleError(_DAMAGED)  # edited by hand, or damaged
    kdf, cipher = obj.get("kdf"), obj.get("cipher")
    if not isinstance(kdf, dict) or not isinstance(cipher, dict):
        raise BundleError(_DAMAGED)
    if kdf.get("name") != "argon2id" or cipher.get("name") != "aes-256-gcm" or obj.get("compression") != "zlib":
        raise BundleError("The bundle names an algorithm this hrd-tui does not know.")
    params = KdfParams(kdf.get("time_cost"), kdf.get("memory_kib"), kdf.get("parallelism"))  # type: ignore[arg-type]
    _check_params(params)
    length = obj.get("length")
    if not isinstance(length, int) or isinstance(length, bool) or not TAG_BYTES < length <= MAX_FILE_BYTES:
        raise BundleError(_DAMAGED)
    header = _Header(params, _unb64(kdf.get("salt"), SALT_BYTES), _unb64(cipher.get("nonce"), NONCE_BYTES), length)
    return header, end + 1


def open_sealed(data: bytes, passphrase: str) -> dict[str, Any]:
    """The document inside bundle bytes; every failure is one clear error."""
    header, start = _parse_header(data)
    body = memoryview(data)[start:]  # not a copy
    if len(body) < header.length:
        raise _truncated(f"{len(body)} of its {header.length} encrypted bytes are there")
    if len(body) > header.length:
        raise BundleError("The bundle is damaged: it has bytes after its end.")
    key = _bundle_key(passphrase, header.salt, header.params)
    try:
        plain = AESGCM(key).decrypt(header.nonce, body, data[:start])
    except InvalidTag:
        raise BundleUnlockFailed() from None
    raw = limits.inflate(
        plain, MAX_DOCUMENT_BYTES,
        too_large=lambda: BundleError(
            f"The bundle's content is too large (over {MAX_DOCUMENT_BYTES >> 20} MiB once decompressed); refusing it "
            "(hand over a selection instead of the whole vault)."),
        damaged=lambda: BundleError("The bundle is damaged: its content does not decompress."),
    )
    del plain
    document = limits.load_json(
        raw, max_depth=MAX_DEPTH, max_records=MAX_RECORDS,
        too_deep=lambda n: BundleError(f"The bundle's content nests deeper than {n} levels: it is not a "
                                       "handover document; refusing it."),
        too_many=lambda n: BundleError(f"The bundle holds more than {n:,} records; refusing it."),
        damaged=lambda: BundleError("The bundle is damaged: its content is not a handover document."),
    )
    if not isinstance(document, dict):
        raise BundleError("The bundle is damaged: its content is not a handover document.")
    return document


# -- the bundle ------------------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """What to hand over, by id: contacts, threat cases, trials (see the module docstring)."""

    contacts: Sequence[str] = ()
    cases: Sequence[str] = ()
    trials: Sequence[str] = ()

    def as_dict(self) -> dict[str, list[str]]:
        return {"contacts": list(self.contacts), "cases": list(self.cases), "trials": list(self.trials)}


@dataclass(frozen=True)
class Bundle:
    """A handover document, read and checked. ``tables`` is never shown in a repr."""

    exported_at: str
    schema_revision: str | None
    vault_id: str
    selection: dict[str, list[str]] | None
    tables: dict[str, list[dict[str, Any]]] = field(repr=False)
    name: str = ""  # the file it was read from, to say where a merged change came from

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items() if rows}

    @property
    def label(self) -> str:
        """How the history names this bundle: its file, and when it was exported."""
        exported = f"exported {self.exported_at[:10]}" if self.exported_at else "undated"
        return f"{self.name} ({exported})" if self.name else f"a bundle {exported}"

    def people(self) -> list[tuple[str, str]]:
        """(name, codename) of the bundle's contacts: discreet mode hides these names too."""
        return [(str(r["name"]), str(r["codename"])) for r in self.tables.get("contacts", [])
                if isinstance(r.get("name"), str) and isinstance(r.get("codename"), str) and r["name"] and r["codename"]]


def _bundle_of(document: dict[str, Any], file_name: str = "") -> Bundle:
    bad = BundleError("The bundle is damaged: its content is not a handover document.")
    if document.get("format") != DOCUMENT_FORMAT:
        raise bad
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise bad
    if version > DOCUMENT_VERSION:
        raise BundleTooNew(f"This bundle's content uses version {version}, from a newer hrd-tui; upgrade hrd-tui to import it.")
    revision = document.get("schema_revision")
    if revision is not None and (not isinstance(revision, str) or revision not in migrations.all_revisions()):
        raise BundleTooNew(f"This bundle was written by a newer hrd-tui (schema {revision}); upgrade hrd-tui to import it.")
    meta = {"format", "version", "exported_at", "schema_revision", "vault_id", "selection"}
    unknown = sorted(set(document) - meta - set(CARRIED))
    if unknown:
        raise BundleError(f"The bundle holds records this hrd-tui does not know ({', '.join(unknown)[:200]}).")
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in CARRIED:
        rows = document.get(name, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise bad
        tables[name] = rows
    selection = document.get("selection")
    return Bundle(
        exported_at=str(document.get("exported_at", "")),
        schema_revision=revision,
        vault_id=str(document.get("vault_id", "")),
        selection=selection if isinstance(selection, dict) else None,
        tables=tables,
        name=file_name,
    )


def read_bundle(path: Path, passphrase: str) -> Bundle:
    """Open and check a bundle. Errors: BundleError (not a bundle, truncated, damaged,
    refused parameters), BundleTooNew (format or schema from a newer hrd-tui),
    BundleUnlockFailed (wrong passphrase or damaged ciphertext: one message)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BundleError(f"{path.name} is far too large to be a bundle.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise HrdError(f"No file at {path}.") from None
    except IsADirectoryError:
        raise BundleError(f"{path} is a folder, not an hrd-tui bundle.") from None
    except OSError as exc:
        raise from_os_error(exc, f"reading {path.name}") from exc
    return _bundle_of(open_sealed(data, passphrase), path.name)


# -- export ----------------------------------------------------------------------

def _in(session: Session, model: type[SQLModel], column: Any, values: Iterable[Any]) -> list[Any]:
    """Rows whose ``column`` is one of ``values`` (chunked: SQLite limits parameters)."""
    wanted = list(dict.fromkeys(v for v in values if v is not None))
    found: list[Any] = []
    for i in range(0, len(wanted), 500):
        found += list(session.exec(select(model).where(col(column).in_(wanted[i : i + 500]))))
    return found


#: A case's records, each by its ``case_id``.
CASE_TABLES: dict[str, type[SQLModel]] = {
    "case_defenders": CaseDefender,
    "case_threat_types": CaseThreatType,
    "risk_assessments": RiskAssessment,
    "threat_analyses": ThreatAnalysis,
    "sources": Source,
    "case_actions": CaseAction,
    "referrals": Referral,
    "defender_feedback": DefenderFeedback,
    "case_coordination": CaseCoordination,
    "timeline_events": TimelineEvent,
}


def _select_rows(session: Session, sel: Selection) -> dict[str, list[Any]]:
    if not (sel.contacts or sel.cases or sel.trials):
        raise ValidationError({"selection": "choose at least one contact, threat case or trial"})
    rows: dict[str, dict[Key, Any]] = {name: {} for name in CARRIED}

    def add(name: str, objs: Iterable[Any]) -> None:
        for obj in objs:
            rows[name][_key_of(obj)] = obj

    explicit = [base.get(session, Contact, i) for i in dict.fromkeys(sel.contacts)]
    cases = [base.get(session, ThreatCase, i) for i in dict.fromkeys(sel.cases)]
    trials = [base.get(session, Trial, i) for i in dict.fromkeys(sel.trials)]
    explicit_ids = {c.id for c in explicit}
    carried_ids = set(explicit_ids)

    case_ids = [c.id for c in cases]
    add("threat_cases", cases)
    for name, model in CASE_TABLES.items():
        add(name, _in(session, model, model.case_id, case_ids))  # type: ignore[attr-defined]
    carried_ids |= {d.contact_id for d in rows["case_defenders"].values()}

    trial_ids = [t.id for t in trials]
    add("trials", trials)
    add("trial_defendants", _in(session, TrialDefendant, TrialDefendant.trial_id, trial_ids))
    carried_ids |= {d.contact_id for d in rows["trial_defendants"].values()}
    hearings = _in(session, Hearing, Hearing.trial_id, trial_ids)
    add("hearings", hearings)
    add("trial_notes", _in(session, TrialNote, TrialNote.hearing_id, [h.id for h in hearings]))

    # The consent a carried action or referral rests on, and so its giver.
    consent_refs = [r.consent_record_id for name in ("case_actions", "referrals") for r in rows[name].values()]
    carried_ids |= {c.contact_id for c in _in(session, ConsentRecord, ConsentRecord.id, consent_refs)}

    # The selected contacts' own records.
    add("secure_channels", _in(session, SecureChannel, SecureChannel.contact_id, explicit_ids))
    relations = _in(session, Relationship, Relationship.from_contact_id, explicit_ids)
    relations += _in(session, Relationship, Relationship.to_contact_id, explicit_ids)
    add("contact_relationships", [r for r in relations if r.from_contact_id in carried_ids and r.to_contact_id in carried_ids])
    taken_part = _in(session, InteractionParticipant, InteractionParticipant.contact_id, explicit_ids)
    interactions = _in(session, Interaction, Interaction.id, [p.interaction_id for p in taken_part])
    interaction_ids = {i.id for i in interactions}
    add("interactions", interactions)
    participants = _in(session, InteractionParticipant, InteractionParticipant.interaction_id, interaction_ids)
    add("interaction_participants", [p for p in participants if p.contact_id in carried_ids])
    follow_ups = _in(session, FollowUp, FollowUp.contact_id, explicit_ids)
    follow_ups += [
        f for f in _in(session, FollowUp, FollowUp.interaction_id, interaction_ids)
        if f.contact_id is None or f.contact_id in carried_ids
    ]
    add("follow_ups", follow_ups)

    runs = _in(session, ChecklistRun, ChecklistRun.case_id, case_ids)
    runs += _in(session, ChecklistRun, ChecklistRun.trial_id, trial_ids)
    runs += _in(session, ChecklistRun, ChecklistRun.hearing_id, [h.id for h in hearings])
    runs += _in(session, ChecklistRun, ChecklistRun.contact_id, explicit_ids)
    add("checklist_runs", runs)
    add("checklist_item_states", _in(session, ChecklistItemState, ChecklistItemState.run_id, [r.id for r in runs]))

    # Every carried contact, with their focus areas and consent records.
    add("contacts", _in(session, Contact, Contact.id, carried_ids))
    add("contact_focus_areas", _in(session, ContactFocusArea, ContactFocusArea.contact_id, carried_ids))
    add("consent_records", _in(session, ConsentRecord, ConsentRecord.contact_id, carried_ids))
    for name in REFERENCE_TABLES:
        add(name, session.exec(select(EXPORT_TABLES[name])))
    return {name: list(found.values()) for name, found in rows.items()}


def bundle_document(session: Session, *, selection: Selection | None = None, vault_id: str = "") -> dict[str, Any]:
    """The handover document (plain: it never leaves memory unencrypted)."""
    doc: dict[str, Any] = {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "exported_at": utcnow().isoformat(),
        "schema_revision": migrations.current_revision(session.connection()),
        "vault_id": vault_id,
        "selection": None if selection is None else selection.as_dict(),
    }
    if selection is None:
        chosen = {name: list(session.exec(select(EXPORT_TABLES[name]))) for name in CARRIED}
    else:
        chosen = _select_rows(session, selection)
    for name in CARRIED:
        doc[name] = [jsonable(row.model_dump(exclude=DERIVED)) for row in chosen[name]]
    return doc


def export_bundle(
    session: Session,
    path: Path,
    *,
    selection: Selection | None = None,
    vault_id: str = "",
    params: KdfParams | None = None,
) -> str:
    """Write an encrypted bundle of the vault (or of ``selection``) to ``path``.

    Returns the bundle's passphrase, made for it alone: show it once, and send it
    by another channel than the file. Never overwrites a file. ``params`` defaults
    to the policy floor (or the test parameters under HRD_TUI_TEST_KDF=1).
    """
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise HrdError(f"{path} already exists; a bundle never overwrites a file. Choose another name.")
    if not path.parent.is_dir():
        raise HrdError(f"The folder {path.parent} does not exist.")
    document = bundle_document(session, selection=selection, vault_id=vault_id)
    passphrase = new_bundle_passphrase()
    atomic_write(path, seal_document(document, passphrase, params))
    return passphrase


# -- table metadata ---------------------------------------------------------------

_NAME_OF_TABLE = {model.__tablename__: name for name, model in EXPORT_TABLES.items()}  # type: ignore[attr-defined]


def _pk_cols(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(c.name for c in model.__table__.primary_key.columns)  # type: ignore[attr-defined]


def _key_of(obj: SQLModel) -> Key:
    return tuple(jsonable(getattr(obj, c)) for c in _pk_cols(type(obj)))


#: Columns the vault computes from others (a contact's folded codename): never carried,
#: never compared, set again by the receiving vault.
DERIVED = frozenset({"codename_key"})


@cache
def _columns(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(c for c in model.__table__.columns.keys() if c not in DERIVED)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Fk:
    cols: tuple[str, ...]
    target: str  # export name
    nullable: bool


@cache
def _fks(model: type[SQLModel]) -> list[_Fk]:
    found = []
    for constraint in model.__table__.foreign_key_constraints:  # type: ignore[attr-defined]
        assert isinstance(constraint, ForeignKeyConstraint)
        target = _NAME_OF_TABLE.get(constraint.referred_table.name)
        if target is None or target in NOT_CARRIED:
            continue
        cols = tuple(c.name for c in constraint.columns)
        found.append(_Fk(cols, target, all(c.nullable for c in constraint.columns)))
    return found


@cache
def _natural_keys(model: type[SQLModel]) -> list[tuple[str, ...]]:
    """Unique keys besides the primary key that identify the same record in two vaults.
    A contact's codename is unique but is *not* one (another vault's Heron-123 may be someone else)."""
    keys: list[tuple[str, ...]] = []
    table = model.__table__  # type: ignore[attr-defined]
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            keys.append(tuple(c.name for c in constraint.columns))
    keys += [(c.name,) for c in table.columns if c.unique]
    keys += [tuple(c.name for c in index.columns) for index in table.indexes
             if index.unique and index.dialect_options["sqlite"].get("where") is None]
    if model is Contact:
        keys = [k for k in keys if k not in (("codename",), ("codename_key",))]
    return list(dict.fromkeys(keys))


def _table_order() -> list[str]:
    """Carried tables, parents before children (EXPORT_TABLES order where free)."""
    deps = {name: {fk.target for fk in _fks(EXPORT_TABLES[name]) if fk.target != name} for name in CARRIED}
    order: list[str] = []
    while len(order) < len(CARRIED):
        ready = next((n for n in CARRIED if n not in order and deps[n] <= set(order)), None)
        if ready is None:  # pragma: no cover - a schema change introduced a cycle
            raise HrdError("Internal error: the tables' links form a cycle.")
        order.append(ready)
    return order


TABLE_ORDER = _table_order()


# -- the plan ---------------------------------------------------------------------

@dataclass(frozen=True)
class FieldDiff:
    """One field of a conflict: this vault's value and the bundle's (JSON form), and how to show them."""

    field: str
    mine: Any = field(repr=False)
    theirs: Any = field(repr=False)
    mine_shown: str = field(repr=False, compare=False, default="")
    theirs_shown: str = field(repr=False, compare=False, default="")
    #: The values whole, as the officer reads them (nothing cut, lines kept, local times,
    #: vocabulary labels, people by codename): for the merge screen and its view that scrolls.
    mine_whole: str = field(repr=False, compare=False, default="")
    theirs_whole: str = field(repr=False, compare=False, default="")

    @property
    def label(self) -> str:
        return self.field.replace("_", " ")


@dataclass(frozen=True)
class Conflict:
    """The same record in both vaults, with different content. ``key`` is what ``choices`` use."""

    key: str
    table: str
    label: str
    diffs: tuple[FieldDiff, ...]
    record_key: Key = field(repr=False)  # the record's primary key in this vault

    def lines(self) -> list[str]:
        """For a preview: the label, then each differing field; safe for a terminal."""
        out = [for_display(f"{self.label} ({self.key})", single_line=True)]
        for diff in self.diffs:
            out.append(
                for_display(f"  {diff.label}: mine {diff.mine_shown} | theirs {diff.theirs_shown}", single_line=True)
            )
        return out

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(d.field for d in self.diffs)


@dataclass
class ImportPlan:
    bundle: Bundle = field(repr=False)
    new: dict[str, list[dict[str, Any]]] = field(repr=False)
    identical: dict[str, int]
    conflicts: list[Conflict]
    notes: list[str]

    @property
    def new_counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.new.items() if rows}

    @property
    def is_empty(self) -> bool:
        return not self.new_counts and not self.conflicts

    def summary(self) -> list[str]:
        """Counts per table (no data), then the notes: safe to print."""
        lines = [f"new {name.replace('_', ' ')}: {n}" for name, n in self.new_counts.items()]
        same = sum(self.identical.values())
        lines.append(f"already here and identical: {same}")
        lines.append(f"conflicts: {len(self.conflicts)}")
        return lines + [for_display(note, single_line=True) for note in self.notes]


def _whole(value: Any) -> str:
    """A field's value as text, whole: lines kept, nothing quoted or cut."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _shown(value: Any, limit: int = 60) -> str:
    """A field's value on one line, quoted, cut at ``limit`` (for the CLI's preview)."""
    text = _whole(value)
    if value is None or value == "" or value == [] or isinstance(value, bool):
        return text
    text = text.replace("\n", " ")
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


class _Labels:
    """Human labels for records, by codename, never by name."""

    def __init__(self, session: Session, bundle: Bundle) -> None:
        self.session = session
        self.theirs = {name: rows for name, rows in bundle.tables.items()}
        self.codenames = {r.get("id"): r.get("codename") for r in self.theirs.get("contacts", [])}
        self.by_id: dict[str, dict[str, dict[str, Any]]] = {}

    def _row(self, name: str, ident: Any) -> dict[str, Any] | None:
        if name not in self.by_id:
            self.by_id[name] = {r.get("id"): r for r in self.theirs.get(name, [])}
        row = self.by_id[name].get(ident)
        if row is None and ident is not None:
            obj = self.session.get(EXPORT_TABLES[name], ident)
            row = jsonable(obj.model_dump(exclude=DERIVED)) if obj is not None else None
        return row

    def codename(self, contact_id: Any) -> str:
        contact = self.session.get(Contact, contact_id) if contact_id else None
        return contact.codename if contact else str(self.codenames.get(contact_id) or "an unknown contact")

    def _people(self, link: str, model: Any, column: str, owner: Any) -> str:
        ids = {r.get("contact_id") for r in self.theirs.get(link, []) if r.get(column) == owner}
        ids |= set(self.session.exec(select(model.contact_id).where(getattr(model, column) == owner)))
        return ", ".join(sorted(self.codename(i) for i in ids)) or "nobody"

    def case(self, case_id: Any) -> str:
        row = self._row("threat_cases", case_id)
        opened = f" (opened {row.get('opened_on')})" if row else ""
        return f"case of {self._people('case_defenders', CaseDefender, 'case_id', case_id)}{opened}"

    def trial(self, trial_id: Any) -> str:
        row = self._row("trials", trial_id)
        if row and row.get("case_number"):
            return f"trial {row['case_number']}"
        return f"trial of {self._people('trial_defendants', TrialDefendant, 'trial_id', trial_id)}"

    def hearing(self, hearing_id: Any) -> str:
        row = self._row("hearings", hearing_id)
        if not row:
            return "a hearing"
        return f"hearing of {self.trial(row.get('trial_id'))} at {str(row.get('starts_at'))[:16]}"

    def record(self, name: str, row: Mapping[str, Any]) -> str:
        what = EXPORT_TABLES[name].__tablename__.replace("_", " ")  # type: ignore[attr-defined]
        if name == "contacts":
            return f"contact {self.codename(row.get('id'))}"
        if name == "contact_relationships":
            return (f"relationship {self.codename(row.get('from_contact_id'))} {row.get('kind')} "
                    f"{self.codename(row.get('to_contact_id'))}")
        if name == "consent_records":
            return f"consent ({row.get('scope')}, {row.get('given_on')}) of {self.codename(row.get('contact_id'))}"
        if name == "secure_channels":
            return f"{row.get('kind')} channel of {self.codename(row.get('contact_id'))}"
        if name == "interactions":
            return f"interaction ({row.get('kind')}, {str(row.get('occurred_at'))[:10]})"
        if name == "threat_cases":
            return self.case(row.get("id"))
        if name == "trials":
            return self.trial(row.get("id"))
        if name == "hearings":
            return self.hearing(row.get("id"))
        if name == "trial_notes":
            return f"note of {str(row.get('noted_at'))[:16]} in {self.hearing(row.get('hearing_id'))}"
        if name == "checklist_runs":
            return f"checklist run '{row.get('title') or row.get('template_id')}'"
        if name == "checklist_item_states":
            run = self._row("checklist_runs", row.get("run_id"))
            title = (run or {}).get("title") or (run or {}).get("template_id") or "?"
            return f"item '{row.get('item_id')}' of checklist run '{title}'"
        if "case_id" in row and row.get("case_id"):
            return f"{what} of {self.case(row.get('case_id'))}"
        if "contact_id" in row and row.get("contact_id"):
            return f"{what} of {self.codename(row.get('contact_id'))}"
        return f"{what} {str(row.get('id', ''))[:8]}"

    def value(self, model: type[SQLModel], column: str, value: Any, *, whole: bool = False) -> str:
        for fk in _fks(model):
            if fk.cols == (column,) and fk.target == "contacts" and value is not None:
                return self.codename(value)
        if not whole:
            return _shown(value)
        return "(empty)" if value is None or value == "" or value == [] else history.text(model, column, value)

    def diff(self, model: type[SQLModel], column: str, mine: Any, theirs: Any) -> FieldDiff:
        return FieldDiff(column, mine, theirs, self.value(model, column, mine), self.value(model, column, theirs),
                         self.value(model, column, mine, whole=True), self.value(model, column, theirs, whole=True))


class _Planner:
    def __init__(self, session: Session, bundle: Bundle) -> None:
        self.session = session
        self.bundle = bundle
        self.labels = _Labels(session, bundle)
        self.remap: dict[str, dict[Key, Key]] = defaultdict(dict)
        self.available: dict[str, set[Key]] = defaultdict(set)  # keys that exist once imported
        self.in_vault: dict[str, dict[Key, bool]] = defaultdict(dict)
        self.new: dict[str, list[dict[str, Any]]] = {name: [] for name in CARRIED}
        self.identical: dict[str, int] = {name: 0 for name in CARRIED}
        self.conflicts: list[Conflict] = []
        self.notes: list[str] = []

    # -- lookups -------------------------------------------------------------
    def _existing(self, name: str, keys: list[Key]) -> dict[Key, Any]:
        """This vault's rows with these primary keys (by the first key column, then filtered)."""
        model = EXPORT_TABLES[name]
        pk = _pk_cols(model)
        wanted = set(keys)
        rows = _in(self.session, model, getattr(model, pk[0]), [k[0] for k in wanted])
        return {k: row for row in rows if (k := _key_of(row)) in wanted}

    def _exists(self, name: str, key: Key) -> bool:
        if key in self.available[name]:
            return True
        cache = self.in_vault[name]
        if key not in cache:
            cache[key] = self.session.get(EXPORT_TABLES[name], key if len(key) > 1 else key[0]) is not None
        return cache[key]

    def _prefetch(self, name: str, keys: Iterable[Key]) -> None:
        todo = [k for k in set(keys) if k not in self.available[name] and k not in self.in_vault[name]]
        if not todo:
            return
        found = self._existing(name, todo)
        for k in todo:
            self.in_vault[name][k] = k in found

    def _by_natural_key(self, name: str, row: dict[str, Any]) -> Any:
        model = EXPORT_TABLES[name]
        for cols in _natural_keys(model):
            if any(row.get(c) is None for c in cols):
                continue
            stmt = select(model)
            for c in cols:
                stmt = stmt.where(getattr(model, c) == row[c])
            found = self.session.exec(stmt).first()
            if found is not None:
                return found
        return None

    # -- the plan ------------------------------------------------------------
    def _shape(self, name: str, row: dict[str, Any]) -> dict[str, Any]:
        model = EXPORT_TABLES[name]
        row = {k: v for k, v in row.items() if k not in DERIVED}  # recomputed here, whatever the bundle says
        if set(row) - set(_columns(model)) or any(c not in row for c in _pk_cols(model)):
            raise BundleError(f"The bundle is damaged: a record of {name.replace('_', ' ')} has an unknown shape.")
        out = dict(row)
        if model is Contact:  # the names as any other way in stores them: no invisible characters
            out.update({k: v for k, v in contacts_clean(out).items() if k in ("name", "codename")})
        for fk in _fks(model):
            value = tuple(out.get(c) for c in fk.cols)
            target = self.remap.get(fk.target, {}).get(value)
            if target is not None:
                out.update(zip(fk.cols, target, strict=True))
        return out

    def _dangling(self, name: str, row: dict[str, Any], mine: dict[str, Any] | None) -> bool:
        """Fix links to records neither in the bundle nor here; False when the row must be skipped."""
        model = EXPORT_TABLES[name]
        for fk in _fks(model):
            value = tuple(row.get(c) for c in fk.cols)
            if any(v is None for v in value) or self._exists(fk.target, value):
                continue
            label = self.labels.record(name, row)
            target = fk.target.replace("_", " ")
            if mine is not None:
                row.update({c: mine.get(c) for c in fk.cols})
                self.notes.append(f"{label}: its link to {target} not in the bundle is left as it is here.")
            elif fk.nullable:
                row.update(dict.fromkeys(fk.cols))
                self.notes.append(f"{label}: its link to {target} is in neither vault nor bundle; left empty.")
            else:
                self.notes.append(f"{label}: skipped, it belongs to {target} that is in neither vault nor bundle.")
                return False
        return True

    def plan(self) -> ImportPlan:
        for name in TABLE_ORDER:
            self._plan_table(name)
        return ImportPlan(self.bundle, self.new, self.identical, self.conflicts, self.notes)

    def _plan_table(self, name: str) -> None:
        model = EXPORT_TABLES[name]
        pk = _pk_cols(model)
        rows = [self._shape(name, r) for r in self.bundle.tables.get(name, [])]
        existing = self._existing(name, [tuple(r[c] for c in pk) for r in rows])
        for fk in _fks(model):
            if fk.target == name:  # a record pointing at another of its table (a correction)
                self.available[name] |= {tuple(r[c] for c in pk) for r in rows}
            else:
                self._prefetch(fk.target, (tuple(r.get(c) for c in fk.cols) for r in rows))
        seen: set[Key] = set()
        for row in rows:
            key = tuple(row[c] for c in pk)
            if key in seen:
                continue
            seen.add(key)
            mine_obj = existing.get(key)
            if mine_obj is None and name not in REFERENCE_TABLES:
                mine_obj = self._by_natural_key(name, row)
                if mine_obj is not None:
                    self.remap[name][key] = _key_of(mine_obj)
            if mine_obj is None:
                if self._dangling(name, row, None):
                    self.new[name].append(row)
                    self.available[name].add(key)
                    self._warn_new(name, row)
                continue
            self.available[name].add(_key_of(mine_obj))
            if name in REFERENCE_TABLES:
                self.identical[name] += 1  # reference data: this vault's version is kept
                continue
            mine = jsonable(mine_obj.model_dump(exclude=DERIVED))
            self._dangling(name, row, mine)
            if name == "contacts" and row.get("codename") != mine.get("codename") and _codename_taken(
                self.session, row.get("codename"), mine_obj.id  # type: ignore[attr-defined]
            ):
                # Renamed here at an earlier import because another contact had the
                # codename: not a choice anyone can make, so not a conflict.
                self.notes.append(
                    f"contact {mine.get('codename')} is {row.get('codename')} in the bundle "
                    "(that codename belongs to another contact here)."
                )
                row["codename"] = mine.get("codename")
            diffs = tuple(
                self.labels.diff(model, f, mine.get(f), row[f])
                for f in _columns(model)  # in the table's order, so a preview reads the same every time
                if f in row and f not in pk and f not in IGNORED_FIELDS and mine.get(f) != row[f]
            )
            if not diffs:
                self.identical[name] += 1
                continue
            self.conflicts.append(Conflict(
                key=f"{name}/{'/'.join(str(k) for k in key)}",
                table=name,
                label=self.labels.record(name, {**row, **{c: mine.get(c) for c in pk}}),
                diffs=diffs,
                record_key=_key_of(mine_obj),
            ))

    def _warn_new(self, name: str, row: dict[str, Any]) -> None:
        if name == "contacts":
            if contacts.codename_owner(self.session, str(row.get("codename") or "")) is not None:
                self.notes.append(
                    f"a new contact has the codename {row.get('codename')}, which another contact here has: "
                    "it will get a new codename."
                )


def _check_revision(bundle_revision: str | None, vault_revision: str | None) -> None:
    known = migrations.all_revisions()
    if bundle_revision is None:
        return
    if bundle_revision not in known:
        raise BundleTooNew(f"This bundle was written by a newer hrd-tui (schema {bundle_revision}); upgrade hrd-tui to import it.")
    if vault_revision in known and known.index(bundle_revision) > known.index(vault_revision):  # type: ignore[arg-type]
        raise BundleTooNew(
            f"This bundle has schema {bundle_revision}, newer than this vault's ({vault_revision}); "
            "open the vault for writing once (it upgrades), then import."
        )


def plan_import(session: Session, bundle: Bundle) -> ImportPlan:
    """What importing ``bundle`` would do: new records, identical ones, conflicts. Writes nothing."""
    _check_revision(bundle.schema_revision, migrations.current_revision(session.connection()))
    return _Planner(session, bundle).plan()


# -- apply ------------------------------------------------------------------------

@dataclass
class ImportResult:
    """Conflicts by key: every differing field kept here (``kept_mine``), every one
    taken from the bundle (``took_theirs``), or some of each (``mixed``)."""

    inserted: dict[str, int]
    identical: int
    kept_mine: list[str]
    took_theirs: list[str]
    notes: list[str]
    mixed: list[str] = field(default_factory=list)

    @property
    def total_inserted(self) -> int:
        return sum(self.inserted.values())


def _signature(plan: ImportPlan) -> tuple[Any, ...]:
    return (
        tuple((c.key, c.diffs) for c in plan.conflicts),
        tuple((name, len(rows)) for name, rows in plan.new.items()),
    )


def _self_ordered(model: type[SQLModel], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows pointing at another row of the same table (a correction) after that row."""
    self_fks = [fk.cols[0] for fk in _fks(model) if fk.target == _NAME_OF_TABLE[model.__tablename__] and len(fk.cols) == 1]  # type: ignore[attr-defined]
    if not self_fks:
        return rows
    pending = {r["id"]: r for r in rows}
    done: list[dict[str, Any]] = []
    placed: set[Any] = set()

    def place(row: dict[str, Any], depth: int = 0) -> None:
        if row["id"] in placed or depth > len(rows):
            return
        for column in self_fks:
            parent = pending.get(row.get(column))
            if parent is not None and parent is not row:
                place(parent, depth + 1)
        placed.add(row["id"])
        done.append(row)

    for row in rows:
        place(row)
    return done


def _codename_taken(session: Session, codename: Any, own_id: Any) -> bool:
    other = contacts.codename_owner(session, str(codename or ""))
    return other is not None and other != own_id


#: Where the history hook (services/history.py) reads the source of a session's changes.
CHANGE_SOURCE = "change_source"
_UNSET = object()

#: A conflict's decision: one side for the whole record, or a side for each differing field.
FieldChoices = Mapping[str, Choice]
Decision = Choice | FieldChoices


def _decide(conflicts: Sequence[Conflict], choices: Mapping[str, Decision],
            default: Choice | None) -> dict[str, dict[str, Choice]]:
    """Each conflict's side for each of its fields; ValidationError for any choice that
    is not one, or any field left undecided with no default."""
    by_key = {c.key: c for c in conflicts}
    bad: dict[str, str] = {}
    for key, choice in choices.items():
        conflict = by_key.get(key)
        if conflict is None:
            bad[key] = "is not a conflict of this import"
        elif isinstance(choice, Mapping):
            wrong = [f for f in choice if f not in conflict.fields]
            if wrong:
                bad[key] = f"{', '.join(map(str, wrong))}: not a field that differs"
            elif any(v not in ("mine", "theirs") for v in choice.values()):
                bad[key] = "choose mine or theirs for each field"
        elif choice not in ("mine", "theirs"):
            bad[key] = "choose mine or theirs"
    if bad:
        raise ValidationError(bad)
    decided: dict[str, dict[str, Choice]] = {}
    unresolved: dict[str, str] = {}
    for conflict in conflicts:
        choice = choices.get(conflict.key, default)
        per_field = dict(choice) if isinstance(choice, Mapping) else dict.fromkeys(conflict.fields, choice)
        left = [d.label for d in conflict.diffs if per_field.get(d.field, default) is None]
        if left:
            unresolved[conflict.key] = f"{conflict.label}: {', '.join(left)} differ; choose mine or theirs"
            continue
        decided[conflict.key] = {f: per_field.get(f) or default for f in conflict.fields}  # type: ignore[misc]
    if unresolved:
        raise ValidationError(unresolved)
    return decided


def apply_import(
    session: Session,
    plan: ImportPlan,
    choices: Mapping[str, Decision] | None = None,
    *,
    default: Choice | None = None,
    source: str | None = None,
) -> ImportResult:
    """Carry out ``plan`` in the caller's session (one transaction; nothing is committed here).

    ``choices`` maps each conflict's key to "mine" (keep this vault's record), "theirs"
    (take the bundle's), or to a side for each differing field (``{"role": "mine",
    "phone": "theirs"}``): exactly the fields chosen "theirs" are taken, so two officers
    who changed different fields both keep their edits. A field left out takes
    ``default``; with no default it is an error (ValidationError listing them) and
    nothing is written. The plan is made again first: if the vault changed since the
    preview, nothing is written.

    Nothing is lost: a value replaced by the bundle's goes into the history (the
    update's earlier version), and a bundle's value not taken is kept there too
    (history.record_declined). Both are marked with ``source``, by default
    "handover merge from <the bundle's file>".
    """
    choices = dict(choices or {})
    if default not in (None, "mine", "theirs"):
        raise ValidationError({"default": "is mine or theirs"})
    fresh = plan_import(session, plan.bundle)
    if _signature(fresh) != _signature(plan):
        raise HrdError("The vault changed since this import was previewed; preview it again. Nothing was imported.")
    decision = _decide(fresh.conflicts, choices, default)
    result = ImportResult(inserted={}, identical=sum(fresh.identical.values()), kept_mine=[], took_theirs=[],
                          notes=list(fresh.notes))
    by_table: dict[str, list[Conflict]] = defaultdict(list)
    for conflict in fresh.conflicts:
        by_table[conflict.table].append(conflict)
    source = source or f"handover merge from {plan.bundle.label}"
    before = session.info.get(CHANGE_SOURCE, _UNSET)
    session.info[CHANGE_SOURCE] = source
    try:
        _apply(session, fresh, by_table, decision, result, source)
    finally:
        if before is _UNSET:
            session.info.pop(CHANGE_SOURCE, None)
        else:
            session.info[CHANGE_SOURCE] = before
    return result



def _apply(session: Session, fresh: ImportPlan, by_table: Mapping[str, list[Conflict]],
           decision: Mapping[str, Mapping[str, Choice]], result: ImportResult, source: str) -> None:
    for name in TABLE_ORDER:
        model = EXPORT_TABLES[name]
        # Unique values kept in memory while the table is imported (a query per record
        # would flush the session each time): codename -> contact, contact -> preferred channel.
        codenames: dict[Any, Any] = dict(session.exec(select(Contact.codename_key, Contact.id)).all()) if model is Contact else {}
        preferred: dict[Any, Any] = {}
        if model is SecureChannel:
            stmt = select(SecureChannel.contact_id, SecureChannel.id).where(col(SecureChannel.preferred).is_(True))
            preferred = dict(session.exec(stmt).all())
        conflicts = list(by_table.get(name, []))
        # Changes that free a unique value (a channel no longer preferred) go first.
        conflicts.sort(key=lambda c: any(d.field == "preferred" and d.theirs and decision[c.key][d.field] == "theirs"
                                         for d in c.diffs))
        for conflict in conflicts:
            sides = decision[conflict.key]
            taken = [d for d in conflict.diffs if sides[d.field] == "theirs"]
            declined = {d.field: d.theirs for d in conflict.diffs
                        if sides[d.field] == "mine" and d.field not in base.PROTECTED}
            if not taken:
                result.kept_mine.append(conflict.key)
            elif len(taken) == len(conflict.diffs):
                result.took_theirs.append(conflict.key)
            else:
                result.mixed.append(conflict.key)
            obj: Any = session.get(model, conflict.record_key if len(conflict.record_key) > 1 else conflict.record_key[0])
            if obj is None:  # pragma: no cover - the plan was just made in this session
                raise HrdError("The vault changed during the import; nothing was imported.")
            changes = {d.field: d.theirs for d in taken if d.field not in base.PROTECTED}
            if model is Contact and "codename" in changes:
                if codenames.get(codename_key(changes["codename"]), obj.id) != obj.id:
                    declined["codename"] = changes.pop("codename")
                    result.notes.append(f"{conflict.label}: kept its codename here; the bundle's is another contact's here.")
                else:
                    codenames.pop(obj.codename_key, None)
                    codenames[codename_key(changes["codename"])] = obj.id
            if model is SecureChannel and "preferred" in changes:
                holder = preferred.get(obj.contact_id)
                if not changes["preferred"]:
                    if holder == obj.id:
                        del preferred[obj.contact_id]
                elif holder not in (None, obj.id):
                    declined["preferred"] = changes.pop("preferred")
                    result.notes.append(f"{conflict.label}: not made preferred; another channel of that contact is.")
                else:
                    preferred[obj.contact_id] = obj.id
            if changes:
                base.update(session, obj, changes)  # flushes: a value freed here is free for the next
            history.record_declined(session, obj, declined, source)  # the bundle's values not taken
        rows = _self_ordered(model, fresh.new[name])
        for row in rows:
            data = dict(row)
            if model is Contact:
                if codenames.get(codename_key(str(data.get("codename") or "")), data.get("id")) != data.get("id"):
                    old = data["codename"]
                    data["codename"] = _fresh_codename(codenames)
                    result.notes.append(f"new contact {old} is called {data['codename']} here: {old} was taken.")
                codenames[codename_key(data["codename"])] = data.get("id")
            if model is SecureChannel and data.get("preferred"):
                contact_id = data.get("contact_id")
                if preferred.get(contact_id, data.get("id")) != data.get("id"):
                    data["preferred"] = False
                    result.notes.append(
                        f"a new {data.get('kind')} channel of {_codename_of(session, contact_id)} "
                        "was added as not preferred: another channel is."
                    )
                else:
                    preferred[contact_id] = data.get("id")
            session.add(base.validate(model, data))
        session.flush()
        if rows:
            result.inserted[name] = len(rows)


def _fresh_codename(taken: Mapping[Any, Any]) -> str:
    """A codename no contact has (as contacts.new_codename makes them), checked in memory."""
    from hrd_tui.services.contacts import CODENAME_WORDS

    for _ in range(1000):
        candidate = f"{secrets.choice(CODENAME_WORDS)}-{secrets.randbelow(900) + 100}"
        if codename_key(candidate) not in taken:
            return candidate
    while codename_key(candidate := f"Contact-{secrets.token_hex(4)}") in taken:
        pass
    return candidate


def _codename_of(session: Session, contact_id: Any) -> str:
    contact = session.get(Contact, contact_id) if contact_id else None
    return contact.codename if contact else "a contact"


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
    "new_bundle_passphrase",
    "open_sealed",
    "plan_import",
    "read_bundle",
    "seal_document",
]
