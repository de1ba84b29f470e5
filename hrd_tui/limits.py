"""Limits checked before a parser sees a file (SECURITY.md, requirement 18).

A crafted file must get a clear error, never a crash or gigabytes of memory:
Python's json recurses once per nesting level (a few hundred bytes of ``[``
raise RecursionError), zlib inflates a megabyte into gigabytes, and a single
20 MB line makes the csv module or vobject build huge intermediate objects.
Each helper here raises the error its caller gives, so that every format keeps
its own message and exit code (11: a file refused as input).
"""

from __future__ import annotations

import itertools
import json
import re
import zlib
from collections.abc import Callable
from typing import Any

#: Inflated in pieces of this size: the output never grows past the limit by more.
INFLATE_CHUNK = 1 << 20

#: Every byte but quotes and brackets: dropped before the structure is walked.
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'"[]{}')))
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


def inflate(data: bytes, limit: int, too_large: Callable[[], Exception], damaged: Callable[[], Exception]) -> bytearray:
    """zlib-decompress ``data`` in pieces, refusing (``too_large``) as soon as the
    output passes ``limit`` bytes: at most ``limit`` + one piece is ever inflated."""
    inflater = zlib.decompressobj()
    out = bytearray()
    pending = data
    try:
        while pending and not inflater.eof:
            out += inflater.decompress(pending, INFLATE_CHUNK)
            if len(out) > limit:
                raise too_large()
            pending = inflater.unconsumed_tail
        if not inflater.eof:
            out += inflater.flush()
    except zlib.error as exc:
        raise damaged() from exc
    if len(out) > limit:
        raise too_large()
    if not inflater.eof or inflater.unused_data:
        raise damaged()
    return out  # not copied into bytes: the document can be a quarter of a gigabyte


def json_shape(data: bytes | bytearray) -> tuple[int, int]:
    """(deepest nesting, number of objects) of UTF-8 JSON, counting only the
    brackets outside strings; every step runs at C speed (a 60 MB document
    takes about a second), none recurses.

    Escapes go first: in valid JSON a backslash only occurs in a string and
    starts a two-byte escape, so dropping the pairs ``\\\\`` then ``\\"`` leaves
    exactly the quotes that open and close strings ('"' and '\\' never occur
    inside a multi-byte UTF-8 character). Then only quotes and brackets are kept;
    removing two adjacent quotes leaves every bracket on the same side of a
    string boundary, so the empty pairs go, and what is left between quotes
    (brackets written inside strings) is cut out.
    """
    skeleton = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    while b'""' in skeleton:
        skeleton = skeleton.replace(b'""', b"")
    if b'"' in skeleton:
        skeleton = b"".join(skeleton.split(b'"')[::2])
    deepest = max(itertools.accumulate(map(_STEP.__getitem__, skeleton)), default=0)
    return deepest, skeleton.count(b"{")


def load_json(
    data: bytes | bytearray,
    *,
    max_depth: int,
    max_records: int | None,
    too_deep: Callable[[int], Exception],
    too_many: Callable[[int], Exception],
    damaged: Callable[[], Exception],
) -> Any:
    """json.loads, after checking nesting depth and record count; json's own
    RecursionError (or any parse error) never gets out."""
    deepest, objects = json_shape(data)
    if deepest > max_depth:
        raise too_deep(max_depth)
    if max_records is not None and objects > max_records:
        raise too_many(max_records)
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise damaged() from exc


def long_line(text: str, limit: int) -> int | None:
    """The number (from 1) of the first line longer than ``limit`` characters, or None.
    Lines end at CRLF, CR or LF."""
    if len(text) <= limit:
        return None
    start, number = 0, 1
    for brk in re.finditer(r"\r\n|\r|\n", text):
        if brk.start() - start > limit:
            return number
        start, number = brk.end(), number + 1
    return number if len(text) - start > limit else None
