"""The rule for new passphrases and the strength hint shown while typing one.

The passphrase wraps the database key in ``key.json``; anyone who copies
that file can guess offline, slowed only by Argon2id (docs/security.md has
the measured cost). So a new passphrase needs at least ``MIN_LENGTH``
characters, or ``MIN_WORDS`` words (a phrase of ordinary words is easier
to remember and as hard to guess). The strength hint comes from zxcvbn,
which spots keyboard runs, repeats and common words that a length rule
cannot see. Existing passphrases keep working: the rule applies when a
passphrase is chosen, never when one is entered.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MIN_WORDS = 4
#: zxcvbn scores 0–1 mean "found within about a million guesses": refused.
MIN_SCORE = 2
#: A "word" of a phrase has at least this many letters.
MIN_WORD_LETTERS = 2
TOO_SHORT = "domain.passphrase.too_short"
TOO_EASY = "domain.passphrase.too_easy"
#: Strength levels 0–4, as zxcvbn scores them; the hint key names each.
STRENGTH_KEYS = (
    "domain.passphrase.strength.0",
    "domain.passphrase.strength.1",
    "domain.passphrase.strength.2",
    "domain.passphrase.strength.3",
    "domain.passphrase.strength.4",
)
#: zxcvbn slows down on very long input; beyond this the hint is "very strong" anyway.
_SCORED_PREFIX = 64


def word_count(passphrase: str) -> int:
    """Words of at least ``MIN_WORD_LETTERS`` letters, split at spaces, hyphens and dots."""
    return sum(1 for w in re.split(r"[\s\-_.,;]+", passphrase) if len(w) >= MIN_WORD_LETTERS)


def passphrase_problem(passphrase: str) -> str | None:
    """``None`` when ``passphrase`` may be chosen, else the translation key of why not."""
    if len(passphrase) < MIN_LENGTH and word_count(passphrase) < MIN_WORDS:
        return TOO_SHORT
    if _score(passphrase) < MIN_SCORE:
        return TOO_EASY  # long but guessed at once ("aaaaaaaaaaaa", "123456789012")
    return None


def _score(passphrase: str) -> int:
    return int(zxcvbn(passphrase[:_SCORED_PREFIX])["score"])


def strength(passphrase: str) -> int:
    """0 (guessed at once) … 4 (very hard to guess), zxcvbn's score."""
    if not passphrase:
        return 0
    score = _score(passphrase)
    if passphrase_problem(passphrase) is not None:
        return min(score, 1)
    return score


def strength_key(passphrase: str) -> str:
    """Translation key of the hint for ``passphrase`` (e.g. "fair: add a word")."""
    return STRENGTH_KEYS[strength(passphrase)]
