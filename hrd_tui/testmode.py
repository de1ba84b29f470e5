"""The test suite's own setting, and the one place that reads it.

``HRD_TUI_TEST_KDF=1`` lets tests (and only tests) use tiny Argon2id parameters and
a frozen clock (``HRD_TUI_TEST_NOW``, read by hrd_tui.wallclock). It sits below both
the key slots and the clock, which each ask it, so neither imports the other for it.
"""

from __future__ import annotations

import os

#: Tests (and only tests) may set this to "1" to use tiny Argon2id parameters.
#: ``info`` reports such a vault as using test parameters.
TEST_KDF_ENV = "HRD_TUI_TEST_KDF"


def test_kdf_enabled() -> bool:
    return os.environ.get(TEST_KDF_ENV) == "1"
