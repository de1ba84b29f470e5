"""Key slots: the vault's random data key, wrapped under each secret that may open it.

The design follows LUKS and KeePassXC (see shared/SECURITY.md):

* one random 256-bit *data key*; the database is never keyed by a passphrase;
* a header file holds *key slots*, each wrapping the data key with AES-256-GCM
  under a key derived from one secret: the passphrase (Argon2id, per-slot salt,
  parameters stored in the slot) or the recovery code (HKDF: the code carries
  160 random bits, a slow KDF would add nothing);
* each slot's metadata (vault id, slot type, KDF parameters, salt) is the AEAD's
  associated data, so editing the parameters makes the slot fail to open;
* the whole header carries an HMAC under a key derived from the data key, so
  flipping any byte of it makes unlock fail cleanly;
* KDF parameters are checked against the policy *before* any work is done, so a
  forged header cannot ask for a weak KDF, nor for more than this machine's
  calibration would pick (at most twice its memory cap, at most 4x its time,
  predicted from one measured pass over 64 MiB).

Changing the passphrase replaces one slot and re-MACs the header; the
database bytes are untouched. Destroying the header makes the data unreadable.
``rekey`` changes the data key itself (below).

Workstation binding (opt-in, after 1Password's two-secret model): the
passphrase slot may also need a 32-byte random secret kept in the OS keyring
(keyring_binding.py). Its key-encryption key is then

    KEK = HKDF-SHA256(ikm=Argon2id(passphrase, slot salt), salt=keyring secret,
                      info="hrd-tui/passphrase-slot/workstation-bound/v1")

so a copy of the vault taken elsewhere cannot be brute-forced with guesses of
the passphrase alone. The slot's ``binding`` ({"kind": "keyring", "id": ...})
is part of its associated data, so removing it from a copied header makes the
slot fail. The recovery slot is never bound. A header with a bound slot is
written as version 2; one without is byte-for-byte the version 1 format, so
existing vaults open unchanged and an older hrd-tui refuses a bound vault by
its version instead of failing as if the passphrase were wrong.

Header file layout (issue 15): the key slots are never replaced by writing a
new file and renaming it, which would leave the earlier slots in the disk's
freed blocks, where the old passphrase still unwraps the data key. The file
``vault.hdr`` has a fixed size (HEADER_FILE_SIZE, two areas of AREA_SIZE) and
is only ever overwritten in place, at the same offsets, then fsynced. Each area
holds the payload above (body line, mac line), a line
``seq:<20 digits> sum:<SHA-256 of payload and seq>``, and zeros to the area's
end. The checksum needs no key: it tells a whole area from one a crash tore;
the HMAC still authenticates the payload at unlock. The whole area with the
highest sequence number is in force. A write puts the new payload (sequence
+1) in the area *not* in force, fsync, then the same bytes in the other area,
fsync: a cut during the first write leaves the earlier header in force, a cut
during the second the new one; and once both are written no byte of the
earlier slots is left in the file. A vault created before this layout (a
variable-size header) opens unchanged and is moved to the layout in place at
its first write: area 1, past the old bytes, first; then area 0 over them.
New files (``init``, ``backup``) are written whole, every area alike.

Rekey (``Vault.rekey``): the order keeps a vault that opens at every instant.
1. the current header plus a ``rekey`` slot (the next data key wrapped under the
current one, authenticated by the header MAC) is written in place; 2. the
database is re-encrypted with SQLCipher's ``PRAGMA rekey`` (one commit; the
automatic backups' databases likewise); 3. the header is written with slots
for the next key alone. A cut before 2 commits: the database opens with the
current key, and the next writer removes the rekey slot. A cut after: the
database opens with the next key (unlock tries it), and ``hrd-tui rekey`` run
again writes step 3 (it needs the passphrase and the recovery code, since
hrd-tui never keeps either; so the slots for the next key are written last,
not first).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hrd_tui import wallclock
from hrd_tui.errors import UnlockFailed, VaultDamaged
from hrd_tui.testmode import TEST_KDF_ENV as TEST_KDF_ENV  # named by the CLI and the tests
from hrd_tui.testmode import test_kdf_enabled as test_kdf_enabled

FORMAT = "hrd-tui-vault"
FORMAT_VERSION = 1  # every slot plain: the original format
BOUND_FORMAT_VERSION = 2  # a workstation-bound passphrase slot
READABLE_VERSIONS = (FORMAT_VERSION, BOUND_FORMAT_VERSION)
BINDING_SECRET_BYTES = 32
BINDING_KIND = "keyring"
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12

# Policy (shared/SECURITY.md, requirement 4): RFC 9106's low-memory option is
# the floor; anything above 4 GiB is refused as absurd before any work is done.
FLOOR_TIME_COST = 3
FLOOR_MEMORY_KIB = 64 * 1024
CEILING_MEMORY_KIB = 4 * 1024 * 1024
CEILING_TIME_COST = 64
CEILING_PARALLELISM = 16
# Calibration: memory first (it is what makes GPUs expensive), capped so a
# vault still opens on a modest workstation; then passes.
CALIBRATION_TARGET_SECONDS = (0.5, 1.0)
CALIBRATION_MAX_MEMORY_KIB = 512 * 1024
DEFAULT_PARALLELISM = 4
# What a header may ask for is bounded by what calibration picks on this machine
# (check_policy): memory at most twice calibration's cap, and at most
# POLICY_COST_FACTOR times calibration's time (its upper target), predicted from a
# measured rate before the header's own KDF runs.
POLICY_MAX_MEMORY_KIB = 2 * CALIBRATION_MAX_MEMORY_KIB
POLICY_COST_FACTOR = 4
POLICY_MAX_SECONDS = POLICY_COST_FACTOR * CALIBRATION_TARGET_SECONDS[1]
# Below this cost (KiB x passes: calibration's cheapest full-memory pick) nothing is measured.
POLICY_FREE_COST = CALIBRATION_MAX_MEMORY_KIB * FLOOR_TIME_COST
RATE_PROBE_MEMORY_KIB = 64 * 1024

TEST_PARAMS = {"time_cost": 1, "memory_kib": 8, "parallelism": 1}

#: A slot only present while ``hrd-tui rekey`` runs (see "Rekey" above).
REKEY_SLOT = "rekey"

RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
RECOVERY_GROUPS = 8
RECOVERY_GROUP_LEN = 4


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    @property
    def is_test(self) -> bool:
        return self.time_cost < FLOOR_TIME_COST or self.memory_kib < FLOOR_MEMORY_KIB

    def check_policy(self) -> None:
        """Refuse parameters outside the policy, before deriving anything."""
        values = (self.time_cost, self.memory_kib, self.parallelism)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise VaultDamaged("The vault header is damaged: bad KDF parameters.")
        if (
            self.memory_kib > CEILING_MEMORY_KIB
            or self.time_cost > CEILING_TIME_COST
            or self.parallelism > CEILING_PARALLELISM
        ):
            raise VaultDamaged("The vault header asks for absurd KDF parameters; refusing to run them.")
        if self.parallelism < 1 or self.time_cost < 1 or self.memory_kib < 8 * self.parallelism:
            raise VaultDamaged("The vault header is damaged: bad KDF parameters.")
        if self.memory_kib > POLICY_MAX_MEMORY_KIB:
            raise VaultDamaged(
                f"The vault header asks for {self.describe()}: more memory than hrd-tui ever picks "
                f"(at most {CALIBRATION_MAX_MEMORY_KIB // 1024} MiB); refusing to run it."
            )
        if self.memory_kib * self.time_cost > POLICY_FREE_COST:
            seconds = self.memory_kib * self.time_cost / RATE_PROBE_MEMORY_KIB * probe_seconds(self.parallelism)
            if seconds > POLICY_MAX_SECONDS:
                raise VaultDamaged(
                    f"The vault header asks for {self.describe()}, about {seconds:.0f} s of work on this machine: "
                    f"more than {POLICY_COST_FACTOR}x what calibration picks here "
                    f"({CALIBRATION_TARGET_SECONDS[0]}-{CALIBRATION_TARGET_SECONDS[1]:.0f} s); refusing to run it. "
                    "If the vault was made on a much faster machine, open it there and run 'hrd-tui passwd'."
                )
        if self.is_test and not test_kdf_enabled():
            raise VaultDamaged(
                "The vault header asks for KDF parameters below the safety floor "
                f"(Argon2id t>={FLOOR_TIME_COST}, {FLOOR_MEMORY_KIB // 1024} MiB); refusing."
            )

    def describe(self) -> str:
        mem = f"{self.memory_kib // 1024} MiB" if self.memory_kib >= 1024 else f"{self.memory_kib} KiB"
        text = f"Argon2id t={self.time_cost} m={mem} p={self.parallelism}"
        return text + (" (TEST PARAMETERS: insecure)" if self.is_test else "")


_probe_cache: dict[int, float] = {}


def probe_seconds(parallelism: int) -> float:
    """Seconds one Argon2id pass over 64 MiB takes here (measured once per process):
    fixed parameters, never the header's, so a forged header costs at most this."""
    if parallelism not in _probe_cache:
        start = time.perf_counter()
        hash_secret_raw(b"policy", b"\0" * SALT_BYTES, 1, RATE_PROBE_MEMORY_KIB, parallelism, KEY_BYTES, Type.ID)
        _probe_cache[parallelism] = time.perf_counter() - start
    return _probe_cache[parallelism]


def argon2id(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(secret, salt, params.time_cost, params.memory_kib, params.parallelism, KEY_BYTES, Type.ID)


def calibrate(target: tuple[float, float] = CALIBRATION_TARGET_SECONDS) -> KdfParams:
    """Pick Argon2id parameters that take about ``target`` seconds here.

    Never below the floor; with the test setting on, the tiny test parameters.
    """
    if test_kdf_enabled():
        return KdfParams(**TEST_PARAMS)
    low, high = target
    params = KdfParams(FLOOR_TIME_COST, FLOOR_MEMORY_KIB, DEFAULT_PARALLELISM)
    salt = os.urandom(16)

    def timed(p: KdfParams) -> float:
        start = time.perf_counter()
        argon2id(b"calibration", salt, p)
        return time.perf_counter() - start

    elapsed = timed(params)
    while elapsed < low / 2 and params.memory_kib * 2 <= CALIBRATION_MAX_MEMORY_KIB:
        params = KdfParams(params.time_cost, params.memory_kib * 2, params.parallelism)
        elapsed = timed(params)
    if elapsed < low:
        # Time grows linearly with passes: aim for the middle of the window.
        wanted = (low + high) / 2
        passes = max(FLOOR_TIME_COST, round(params.time_cost * wanted / max(elapsed, 1e-3)))
        params = KdfParams(min(passes, CEILING_TIME_COST), params.memory_kib, params.parallelism)
    return params


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise VaultDamaged("The vault header is damaged.")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise VaultDamaged("The vault header is damaged.") from exc


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _hkdf(key: bytes, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(key)


def database_key(data_key: bytes) -> bytes:
    """The raw SQLCipher key: derived, so the header MAC key is a separate key."""
    return _hkdf(data_key, b"hrd-tui/sqlcipher-key/v1")


def _mac_key(data_key: bytes) -> bytes:
    return _hkdf(data_key, b"hrd-tui/header-mac/v1")


# -- recovery codes ---------------------------------------------------------


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN))
    return "-".join(chars[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(chars), RECOVERY_GROUP_LEN))


def normalise_recovery_code(code: str) -> bytes:
    """Accept the code as people copy it: any case, spaces or dashes, O for 0, I/L for 1."""
    cleaned = code.upper().replace("-", "").replace(" ", "").strip()
    cleaned = cleaned.translate(str.maketrans("OILU", "011V"))
    return cleaned.encode("ascii", errors="replace")


def is_recovery_code(code: str) -> bool:
    """Shaped like a recovery code once normalised: 32 characters of its alphabet."""
    cleaned = normalise_recovery_code(code).decode("ascii")
    return len(cleaned) == RECOVERY_GROUPS * RECOVERY_GROUP_LEN and all(c in RECOVERY_ALPHABET for c in cleaned)


# -- header -----------------------------------------------------------------


@dataclass
class Slot:
    type: str  # "passphrase" | "recovery"
    kdf: dict[str, Any]
    salt: str
    nonce: str
    wrapped: str
    #: {"kind": "keyring", "id": <32 hex>} when the slot also needs the keyring secret
    binding: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.binding is None:
            del data["binding"]  # a plain slot is written exactly as in version 1
        return data

    @property
    def binding_id(self) -> str | None:
        return None if self.binding is None else self.binding["id"]

    def associated_data(self, vault_id: str) -> bytes:
        ad: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "vault_id": vault_id,
            "type": self.type,
            "kdf": self.kdf,
            "salt": self.salt,
        }
        if self.binding is not None:
            ad["binding"] = self.binding
        return _canonical(ad)

    def kdf_params(self) -> KdfParams:
        try:
            params = KdfParams(
                time_cost=self.kdf["time_cost"], memory_kib=self.kdf["memory_kib"], parallelism=self.kdf["parallelism"]
            )
        except (KeyError, TypeError) as exc:
            raise VaultDamaged("The vault header is damaged: bad KDF parameters.") from exc
        return params


@dataclass
class Header:
    vault_id: str
    created: str
    slots: list[Slot]

    @property
    def version(self) -> int:
        return BOUND_FORMAT_VERSION if any(s.binding is not None for s in self.slots) else FORMAT_VERSION

    @property
    def bound(self) -> bool:
        """Whether the passphrase slot also needs the workstation's keyring secret."""
        slot = self.slot("passphrase")
        return slot is not None and slot.binding is not None

    # -- (de)serialisation --------------------------------------------------
    def body(self) -> bytes:
        return _canonical(
            {
                "format": FORMAT,
                "version": self.version,
                "vault_id": self.vault_id,
                "created": self.created,
                "slots": [s.as_dict() for s in self.slots],
            }
        )

    def to_bytes(self, data_key: bytes) -> bytes:
        body = self.body()
        mac = hmac.new(_mac_key(data_key), body, hashlib.sha256).hexdigest()
        return body + b"\nmac:" + mac.encode("ascii") + b"\n"

    @classmethod
    def parse(cls, raw: bytes) -> tuple[Header, bytes, str]:
        """Parse without any secret; returns (header, body bytes, mac hex)."""
        damaged = VaultDamaged("The vault header is damaged or is not an hrd-tui vault header.")
        lines = raw.split(b"\n")
        if len(lines) != 3 or lines[2] != b"" or not lines[1].startswith(b"mac:"):
            raise damaged
        body, mac_bytes = lines[0], lines[1][4:]
        if not re.fullmatch(rb"[0-9a-f]{64}", mac_bytes):
            raise damaged
        mac = mac_bytes.decode("ascii")
        try:
            obj = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise damaged from exc
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise damaged
        if obj.get("version") not in READABLE_VERSIONS:
            raise VaultDamaged(
                f"This vault uses header version {obj.get('version')!r}; this hrd-tui reads versions "
                f"{FORMAT_VERSION} to {BOUND_FORMAT_VERSION}."
            )
        try:
            slots = [
                Slot(
                    type=s["type"],
                    kdf=dict(s["kdf"]),
                    salt=s["salt"],
                    nonce=s["nonce"],
                    wrapped=s["wrapped"],
                    binding=_parse_binding(s.get("binding", None), s["type"]),
                )
                for s in obj["slots"]
            ]
            header = cls(vault_id=str(obj["vault_id"]), created=str(obj["created"]), slots=slots)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise damaged from exc
        if header.body() != body:
            raise damaged  # not canonical (the version must match the slots, too): edited by hand or damaged
        return header, body, mac

    # -- slots ----------------------------------------------------------------
    def slot(self, type_: str) -> Slot | None:
        return next((s for s in self.slots if s.type == type_), None)

    def set_slot(self, slot: Slot) -> None:
        self.slots = [s for s in self.slots if s.type != slot.type] + [slot]


def _parse_binding(raw: Any, slot_type: Any) -> dict[str, str] | None:
    if raw is None:
        return None
    if (
        slot_type != "passphrase"
        or not isinstance(raw, dict)
        or set(raw) != {"kind", "id"}
        or raw["kind"] != BINDING_KIND
        or not isinstance(raw["id"], str)
        or not re.fullmatch(r"[0-9a-f]{32}", raw["id"])
    ):
        raise ValueError("bad binding")
    return {"kind": raw["kind"], "id": raw["id"]}


def new_binding() -> tuple[dict[str, str], bytes]:
    """A fresh binding (its id names the keyring entry) and its 32-byte secret."""
    return {"kind": BINDING_KIND, "id": secrets.token_hex(16)}, secrets.token_bytes(BINDING_SECRET_BYTES)


def _kek_for(slot: Slot, secret: bytes, binding_secret: bytes | None = None) -> bytes:
    salt = _unb64(slot.salt)
    if len(salt) != SALT_BYTES or len(_unb64(slot.nonce)) != NONCE_BYTES:
        raise VaultDamaged("The vault header is damaged: a key slot has a bad salt or nonce.")
    if slot.type == "passphrase":
        if slot.kdf.get("name") != "argon2id":
            raise VaultDamaged("The vault header names an unknown KDF.")
        params = slot.kdf_params()
        params.check_policy()
        if slot.binding is not None and (binding_secret is None or len(binding_secret) != BINDING_SECRET_BYTES):
            raise UnlockFailed()  # vault.unlock fetches the keyring secret first; never derive without it
        stretched = argon2id(secret, salt, params)
        if slot.binding is None:
            return stretched
        return _hkdf(stretched, b"hrd-tui/passphrase-slot/workstation-bound/v1", salt=binding_secret)
    if slot.type == "recovery":
        if slot.kdf.get("name") != "hkdf-sha256":
            raise VaultDamaged("The vault header names an unknown KDF.")
        return _hkdf(secret, b"hrd-tui/recovery-slot/v1", salt=salt)
    if slot.type == REKEY_SLOT:  # the secret is the data key the other slots wrap
        if slot.kdf.get("name") != "hkdf-sha256":
            raise VaultDamaged("The vault header names an unknown KDF.")
        return _hkdf(secret, b"hrd-tui/rekey-slot/v1", salt=salt)
    raise VaultDamaged("The vault header holds an unknown key slot type.")


def make_slot(
    vault_id: str,
    type_: str,
    secret: bytes,
    data_key: bytes,
    params: KdfParams | None = None,
    *,
    binding: dict[str, str] | None = None,
    binding_secret: bytes | None = None,
) -> Slot:
    """A new slot wrapping ``data_key``; a passphrase slot may be bound (``binding`` and its secret)."""
    if type_ == "passphrase":
        assert params is not None
        params.check_policy()
        kdf: dict[str, Any] = {"name": "argon2id", **asdict(params)}
    else:
        kdf = {"name": "hkdf-sha256"}
    if binding is not None:
        assert type_ == "passphrase" and binding_secret is not None and len(binding_secret) == BINDING_SECRET_BYTES
        binding = _parse_binding(binding, type_)
    slot = Slot(
        type=type_,
        kdf=kdf,
        salt=_b64(os.urandom(SALT_BYTES)),
        nonce=_b64(os.urandom(NONCE_BYTES)),
        wrapped="",
        binding=binding,
    )
    kek = _kek_for(slot, secret, binding_secret)
    slot.wrapped = _b64(AESGCM(kek).encrypt(_unb64(slot.nonce), data_key, slot.associated_data(vault_id)))
    return slot


def open_slot(
    header: Header, body: bytes, mac: str, type_: str, secret: bytes, binding_secret: bytes | None = None
) -> bytes:
    """Return the data key, or raise UnlockFailed (the same for every cause).

    A bound passphrase slot also needs ``binding_secret`` (from the keyring).
    """
    slot = header.slot(type_)
    if slot is None:
        raise UnlockFailed()
    kek = _kek_for(slot, secret, binding_secret)
    try:
        data_key = AESGCM(kek).decrypt(_unb64(slot.nonce), _unb64(slot.wrapped), slot.associated_data(header.vault_id))
    except (InvalidTag, ValueError) as exc:
        raise UnlockFailed() from exc
    expected = hmac.new(_mac_key(data_key), body, hashlib.sha256).hexdigest()
    if len(data_key) != KEY_BYTES or not hmac.compare_digest(expected, mac):
        raise UnlockFailed()
    return data_key


def make_rekey_slot(vault_id: str, data_key: bytes, next_key: bytes) -> Slot:
    """The slot a rekey writes first: ``next_key`` wrapped under the key the other slots wrap."""
    return make_slot(vault_id, REKEY_SLOT, data_key, next_key)


def open_rekey_slot(header: Header, data_key: bytes) -> bytes | None:
    """The next data key of a rekey in progress (None when there is none).

    Call with the data key an ordinary slot gave (open_slot has checked the
    header's MAC with it, so the rekey slot is authentic).
    """
    slot = header.slot(REKEY_SLOT)
    if slot is None:
        return None
    try:
        key = AESGCM(_kek_for(slot, data_key)).decrypt(
            _unb64(slot.nonce), _unb64(slot.wrapped), slot.associated_data(header.vault_id)
        )
    except (InvalidTag, ValueError) as exc:
        raise VaultDamaged("The vault header's rekey slot is damaged.") from exc
    if len(key) != KEY_BYTES:
        raise VaultDamaged("The vault header's rekey slot is damaged.")
    return key


def new_header(passphrase: bytes, recovery_code: str, params: KdfParams) -> tuple[Header, bytes]:
    """A fresh header with a new random data key, a passphrase slot and a recovery slot."""
    data_key = secrets.token_bytes(KEY_BYTES)
    vault_id = secrets.token_hex(16)
    created = wallclock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    header = Header(vault_id=vault_id, created=created, slots=[])
    header.set_slot(make_slot(vault_id, "passphrase", passphrase, data_key, params))
    header.set_slot(make_slot(vault_id, "recovery", normalise_recovery_code(recovery_code), data_key))
    return header, data_key


# -- the header file: fixed size, two areas, updated in place -------------------
#
# See the module docstring ("Header file layout"). Header.to_bytes() is the
# *payload* (the version 1/2 text: body line, mac line); the file frames it.

AREA_SIZE = 16 * 1024
AREA_COUNT = 2
HEADER_FILE_SIZE = AREA_SIZE * AREA_COUNT
_TRAILER = re.compile(rb"seq:(\d{20}) sum:([0-9a-f]{64})")


def _area(payload: bytes, seq: int) -> bytes:
    stamp = b"seq:%020d" % seq
    content = payload + stamp + b" sum:" + hashlib.sha256(payload + stamp).hexdigest().encode("ascii") + b"\n"
    if len(content) > AREA_SIZE:
        raise VaultDamaged(f"The key slots do not fit in the header's {AREA_SIZE}-byte area; nothing was written.")
    return content + b"\0" * (AREA_SIZE - len(content))


def _read_area(area: bytes) -> tuple[int, bytes] | None:
    """(sequence number, payload) of a whole, checksummed area; None if torn, empty or not one."""
    content = area.rstrip(b"\0")
    if not content.endswith(b"\n"):
        return None
    head, _, last = content[:-1].rpartition(b"\n")
    match = _TRAILER.fullmatch(last)
    if not match or not head:
        return None
    payload = head + b"\n"
    if not hmac.compare_digest(hashlib.sha256(payload + b"seq:" + match[1]).hexdigest().encode("ascii"), match[2]):
        return None
    return int(match[1]), payload


def header_areas(raw: bytes) -> list[tuple[int, bytes] | None]:
    """Each area of a fixed-layout header file, read (None: torn or not an area)."""
    if len(raw) != HEADER_FILE_SIZE:
        return [None] * AREA_COUNT
    return [_read_area(raw[i * AREA_SIZE : (i + 1) * AREA_SIZE]) for i in range(AREA_COUNT)]


def _legacy_payload(raw: bytes) -> bytes:
    """A pre-layout header (the bare payload), maybe followed by the zeros of a migration cut short.

    Also what is left to try when no area checks out: area 0 without its
    trailer, so that Header.parse (and then the MAC) says what is wrong.
    """
    content = raw[:AREA_SIZE].split(b"\0", 1)[0] if len(raw) >= AREA_SIZE else raw
    head, _, last = content.rstrip(b"\n").rpartition(b"\n")
    if head and _TRAILER.fullmatch(last):
        return head + b"\n"
    return content


def header_payload(raw: bytes) -> tuple[bytes, bool]:
    """The payload in force in a header file's bytes, and whether the file is in the fixed layout.

    The whole area with the highest sequence number wins. A file in no layout
    at all is taken as an old (variable-size) header; if it is not one either,
    Header.parse says what is wrong with it.
    """
    valid = [area for area in header_areas(raw) if area is not None]
    if valid:
        return max(valid)[1], True
    return _legacy_payload(raw), False


def frame_header(payload: bytes, seq: int = 1) -> bytes:
    """A whole new header file: every area holding ``payload`` (for a file that does not exist yet)."""
    return _area(payload, seq) * AREA_COUNT


def write_header_in_place(path: os.PathLike[str] | str, payload: bytes) -> None:
    """Overwrite the header file at ``path`` with ``payload``, in place (same inode, same size).

    Crash-safe: the area *not* in force is written and fsynced first, so a torn
    write leaves the one in force whole; then the other area gets the same
    bytes, so no copy of the earlier key slots is left in the file. An old
    variable-size header is migrated: area 1 (past its bytes) first, then area
    0 over it, padded to the fixed size. Raises OSError (the caller maps it).
    """
    fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
    try:
        size = os.fstat(fd).st_size
        if size > 1 << 20:
            raise VaultDamaged("The vault header is damaged (far too large).")
        raw = os.pread(fd, size, 0)
        areas = header_areas(raw)
        valid = [(seq, i) for i, area in enumerate(areas) if area is not None for seq in (area[0],)]
        if valid:
            in_force = max(valid)[1]
            order = [i for i in range(AREA_COUNT) if i != in_force] + [in_force]
            seq = max(valid)[0] + 1
        else:
            legacy = len(_legacy_payload(raw))
            if size > HEADER_FILE_SIZE or legacy >= AREA_SIZE:
                raise VaultDamaged(
                    "The old vault header is too large to move to the fixed layout; nothing was written."
                )
            order, seq = list(range(AREA_COUNT - 1, -1, -1)), 1  # the old bytes (in area 0) last
        area = _area(payload, seq)
        for index in order:
            view, offset = memoryview(area), index * AREA_SIZE
            while view:
                written = os.pwrite(fd, view, offset)
                view, offset = view[written:], offset + written
            os.fsync(fd)
    finally:
        os.close(fd)
