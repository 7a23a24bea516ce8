"""The rule for new passphrases: 12 characters or four words, and not guessed at once."""

from __future__ import annotations

import pytest

from sosku_desktop.domain import passphrase as rule


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", rule.TOO_SHORT),
        ("demo", rule.TOO_SHORT),
        ("Kissa123!", rule.TOO_SHORT),  # 9 characters, one word
        ("ab cd ef", rule.TOO_SHORT),  # three words
        ("aaaaaaaaaaaaaaaa", rule.TOO_EASY),  # long, but a repeat
        ("123456789012", rule.TOO_EASY),  # long, but a sequence
        ("passwordpassword", rule.TOO_EASY),
        ("talo metsä ja järvi", None),  # four words
        ("Ut9#kq2LmZ!x", None),  # twelve characters, random
        ("sininen kahvi juoksee metsään", None),
    ],
)
def test_new_passphrase_rule(text: str, problem: str | None) -> None:
    assert rule.passphrase_problem(text) == problem


def test_strength_hint_grows_with_the_phrase_and_weak_ones_never_look_strong() -> None:
    scores = [rule.strength(t) for t in ("", "kissa", "kissa koira", "kissa koira talo auto")]
    assert scores == sorted(scores) and scores[0] == 0 and scores[-1] >= 3
    assert rule.strength("Xy7#") <= 1  # refused by the rule: never shown as strong
    assert rule.strength_key("kissa koira talo auto") in rule.STRENGTH_KEYS
    assert rule.word_count("yksi-kaksi kolme.neljä") == 4
