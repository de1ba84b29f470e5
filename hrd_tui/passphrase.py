"""A passphrase strength estimate that gives a reason, not just a number.

Deliberately simple and explainable (length, variety, repetition, common
patterns); the Argon2id cost does the rest. The app shell shows the reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MIN_LENGTH = 8
GOOD_BITS = 60.0
COMMON = ("password", "passwort", "qwerty", "azerty", "123456", "letmein", "welcome", "embassy", "admin", "iloveyou")


@dataclass(frozen=True)
class Strength:
    bits: float
    acceptable: bool
    reason: str

    @property
    def label(self) -> str:
        if self.bits >= 80:
            return "strong"
        if self.bits >= GOOD_BITS:
            return "good"
        return "weak" if self.acceptable else "too weak"


def estimate(passphrase: str) -> Strength:
    if len(passphrase) < MIN_LENGTH:
        return Strength(0.0, False, f"shorter than {MIN_LENGTH} characters")
    lowered = passphrase.lower()
    for word in COMMON:
        if word in lowered and len(passphrase) < len(word) + 8:
            return Strength(10.0, False, f"built around a common password ('{word}')")
    if len(set(passphrase)) <= 3:
        return Strength(5.0, False, "too few different characters")
    pool = 0
    pool += 26 if re.search(r"[a-z]", passphrase) else 0
    pool += 26 if re.search(r"[A-Z]", passphrase) else 0
    pool += 10 if re.search(r"[0-9]", passphrase) else 0
    pool += 33 if re.search(r"[^a-zA-Z0-9]", passphrase) else 0
    pool += 100 if re.search(r"[^\x00-\x7f]", passphrase) else 0
    distinct_ratio = len(set(passphrase)) / len(passphrase)
    bits = len(passphrase) * math.log2(max(pool, 2)) * min(1.0, 0.5 + distinct_ratio)
    words = len(re.findall(r"[A-Za-z]{3,}", passphrase))
    if bits < GOOD_BITS:
        hint = "add a few more unrelated words" if words else "make it longer; several unrelated words are easiest"
        return Strength(bits, True, f"guessable with effort: {hint}")
    return Strength(bits, True, "long and varied enough")
