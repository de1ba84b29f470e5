"""The bundle file: its format and its crypto. No vault and no SQL here.

Bundle file format (versions 1 and 2)
-------------------------------------
::

    HRDTUI-BUNDLE\\n                                 magic, 14 bytes
    {"cipher":{...},"compression":"zlib",...}\\n     header: canonical JSON, ASCII, one line (< 4 KiB)
    <ciphertext>                                    exactly header["length"] bytes
    <attachment segments>                           version 2 only (see ``segments``)

The header holds no data and no secret, only how to open the rest::

    {"cipher": {"name": "aes-256-gcm", "nonce": "<base64, 12 bytes>"},
     "compression": "zlib",
     "format": "hrd-tui-bundle",
     "kdf": {"name": "argon2id", "memory_kib": 65536, "parallelism": 4,
             "salt": "<base64, 16 bytes>", "time_cost": 3},
     "length": <bytes of ciphertext, GCM tag included>,
     "version": 1 or 2}

* Version 1 is the document alone: nothing after its ciphertext. Version 2 (issue 20)
  is followed by the bytes of the document's attachments, in encrypted segments
  (``segments``: their layout comes from the document, nothing of it in the header).
  A bundle that carries no attachment is written as version 1, which every hrd-tui
  reads; one that does is version 2.

* The key is Argon2id(passphrase, salt, parameters), then HKDF-SHA256 with the info
  ``hrd-tui/bundle/v1`` (the attachments' segments have a key of their own: the same
  Argon2id output through HKDF with the info ``hrd-tui/bundle/v2/attachments``).
  The passphrase is made for the bundle (never the vault's): 32 characters of Crockford base32 in eight groups of four, 160 random bits, read
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
* Written with ``paths.atomic_writer`` (temp file in the same folder, fsync, rename),
  mode 0600; the plaintext exists only in memory, never in a temp file.
"""

from __future__ import annotations

import base64
import json
import math
import os
import secrets
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hrd_tui import keyslots, limits
from hrd_tui.keyslots import KdfParams
from hrd_tui.services.handover.errors import BundleError, BundleTooNew, BundleUnlockFailed

MAGIC = b"HRDTUI-BUNDLE\n"
BUNDLE_FORMAT = "hrd-tui-bundle"
BUNDLE_VERSION = 2  # the newest this reads; 1 (the document alone) is still written when no file travels
DOCUMENT_ONLY_VERSION = 1
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
SEGMENT_INFO = b"hrd-tui/bundle/v2/attachments"

PASSPHRASE_ALPHABET = keyslots.RECOVERY_ALPHABET  # Crockford base32: no I, L, O, U
PASSPHRASE_GROUPS = 8
PASSPHRASE_GROUP_LEN = 4
PASSPHRASE_BITS = PASSPHRASE_GROUPS * PASSPHRASE_GROUP_LEN * math.log2(len(PASSPHRASE_ALPHABET))


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


def _stretch(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    # keyslots.argon2id is the vault's own Argon2id call (argon2-cffi's low-level API).
    return keyslots.argon2id(keyslots.normalise_recovery_code(passphrase), salt, params)


def _derive(stretched: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=keyslots.KEY_BYTES, salt=None, info=info).derive(stretched)


def _bundle_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return _derive(_stretch(passphrase, salt, params), HKDF_INFO)


@dataclass(frozen=True)
class _Header:
    params: KdfParams
    salt: bytes
    nonce: bytes
    length: int
    version: int = DOCUMENT_ONLY_VERSION


@dataclass(frozen=True)
class Sealed:
    """A sealed document: the bundle's first bytes, and the key of the segments that
    follow it (version 2; None for version 1)."""

    data: bytes = field(repr=False)
    segment_key: bytes | None = field(repr=False)


def seal_document(document: Mapping[str, Any], passphrase: str, params: KdfParams | None = None) -> bytes:
    """The bundle bytes for ``document`` under ``passphrase`` (format in the module docstring).

    A document listing attachments is sealed as version 2, whose segments must follow
    (``document.export_bundle`` writes them): alone, such bytes read as truncated."""
    return seal(document, passphrase, params).data


def seal(document: Mapping[str, Any], passphrase: str, params: KdfParams | None = None) -> Sealed:
    """``seal_document``, with the key of the attachments' segments when the document lists any."""
    params = params or default_params()
    _check_params(params)
    version = BUNDLE_VERSION if document.get("attachments") else DOCUMENT_ONLY_VERSION
    plain = zlib.compress(
        json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8"), 6
    )
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    header = {
        "format": BUNDLE_FORMAT,
        "version": version,
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
    stretched = _stretch(passphrase, salt, params)
    ciphertext = AESGCM(_derive(stretched, HKDF_INFO)).encrypt(nonce, plain, prefix)
    return Sealed(prefix + ciphertext, _derive(stretched, SEGMENT_INFO) if version > DOCUMENT_ONLY_VERSION else None)


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
    obj = limits.load_json(
        line,
        max_depth=HEADER_DEPTH,
        max_records=None,
        too_deep=lambda _n: BundleError(_DAMAGED),
        too_many=lambda _n: BundleError(_DAMAGED),
        damaged=lambda: BundleError(_DAMAGED),
    )
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
    header = _Header(
        params, _unb64(kdf.get("salt"), SALT_BYTES), _unb64(cipher.get("nonce"), NONCE_BYTES), length, version
    )
    return header, end + 1


AFTER_ITS_END = "The bundle is damaged: it has bytes after its end."


def open_sealed(data: bytes, passphrase: str) -> dict[str, Any]:
    """The document inside bundle bytes (a version 1 bundle, or a version 2 one cut
    after its document); every failure is one clear error."""
    header, start = _parse_header(data)
    body = memoryview(data)[start:]  # not a copy
    if len(body) < header.length:
        raise _truncated(f"{len(body)} of its {header.length} encrypted bytes are there")
    if len(body) > header.length:
        raise BundleError(AFTER_ITS_END)
    return _unseal(header, data[:start], body, _bundle_key(passphrase, header.salt, header.params))


@dataclass(frozen=True)
class Opened:
    """A bundle file's document, and where its attachments' segments start (version 2)."""

    document: dict[str, Any] = field(repr=False)
    version: int
    end: int  # the offset just after the document's ciphertext
    segment_key: bytes | None = field(repr=False)


def open_file(stream: BinaryIO, size: int, passphrase: str) -> Opened:
    """The document of the bundle in ``stream`` (``size`` bytes long), reading the header
    and then exactly the document's ciphertext: never the attachments after it, whose
    layout (and so the file's expected size) only the document gives."""
    head = stream.read(len(MAGIC) + MAX_HEADER_BYTES)
    header, start = _parse_header(head)
    end = start + header.length
    if size < end:
        raise _truncated(f"{size - start} of its {header.length} encrypted bytes are there")
    if size > end and header.version == DOCUMENT_ONLY_VERSION:
        raise BundleError(AFTER_ITS_END)
    stream.seek(start)
    body = stream.read(header.length)
    if len(body) != header.length:  # pragma: no cover - the file shrank while being read
        raise _truncated(f"{len(body)} of its {header.length} encrypted bytes are there")
    stretched = _stretch(passphrase, header.salt, header.params)
    document = _unseal(header, head[:start], body, _derive(stretched, HKDF_INFO))
    segment_key = _derive(stretched, SEGMENT_INFO) if header.version > DOCUMENT_ONLY_VERSION else None
    return Opened(document, header.version, end, segment_key)


def _unseal(header: _Header, prefix: bytes, body: bytes | memoryview, key: bytes) -> dict[str, Any]:
    try:
        plain = AESGCM(key).decrypt(header.nonce, body, prefix)
    except InvalidTag:
        raise BundleUnlockFailed() from None
    raw = limits.inflate(
        plain,
        MAX_DOCUMENT_BYTES,
        too_large=lambda: BundleError(
            f"The bundle's content is too large (over {MAX_DOCUMENT_BYTES >> 20} MiB once decompressed); refusing it "
            "(hand over a selection instead of the whole vault)."
        ),
        damaged=lambda: BundleError("The bundle is damaged: its content does not decompress."),
    )
    del plain
    document = limits.load_json(
        raw,
        max_depth=MAX_DEPTH,
        max_records=MAX_RECORDS,
        too_deep=lambda n: BundleError(
            f"The bundle's content nests deeper than {n} levels: it is not a handover document; refusing it."
        ),
        too_many=lambda n: BundleError(f"The bundle holds more than {n:,} records; refusing it."),
        damaged=lambda: BundleError("The bundle is damaged: its content is not a handover document."),
    )
    if not isinstance(document, dict):
        raise BundleError("The bundle is damaged: its content is not a handover document.")
    return document
