"""The cyclic garbage collector held off while a big piece of work runs.

A year's report holds thousands of contacts and their ORM state at once. While it is
drafted (on a worker thread), every full collection walks all of them, holding the
interpreter for 40-100 ms each time, and the app's event loop waits: keys and the
screen stall (bench/bench_reports.py prints the longest stall). Reference counting
frees everything such work leaves, as long as it makes no reference cycles (a test
checks the report's), so the collector has nothing to find there and is paused for
its length. Process-wide: the first pause turns it off, the last resume turns it on
again, and only if it was on before.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block (and for any other block paused meanwhile)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
