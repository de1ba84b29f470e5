"""What goes wrong with a bundle: each error with its exit code (errors.py) and one clear message."""

from __future__ import annotations

from hrd_tui.errors import HrdError, UnlockFailed


class BundleError(HrdError):
    """The file cannot be used as a bundle: not one, truncated, damaged, or refused."""

    exit_code = 11


class BundleTooNew(HrdError):
    """Written by a newer hrd-tui (format or schema): upgrade to import it."""

    exit_code = 5


class BundleUnlockFailed(UnlockFailed):
    """Wrong bundle passphrase or damaged ciphertext: one message for both."""

    MESSAGE = "Could not open the bundle: wrong bundle passphrase, or the bundle is damaged."
