"""What one passphrase guess costs an attacker who copied ``key.json``.

Each guess is one Argon2id derivation with the parameters the key file
stores (store/keys.py) plus one AES-GCM open. Prints the time per guess,
guesses per second per core, and the ratio against one SHA-256 of the same
passphrase measured in the same run (what an unsalted hash would cost), so
the figure means something on a shared, noisy machine.
Run: .venv/bin/python bench/bench_kdf.py [ROUNDS]
"""

from __future__ import annotations

import contextlib
import hashlib
import statistics
import sys
import time

from sosku_desktop.store import keys


def per_call(fn: object, rounds: int) -> float:
    """Median seconds per call over ``rounds`` calls."""
    assert callable(fn)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(rounds: int = 7) -> None:
    document = keys.wrap_key(b"\x07" * keys.KEY_BYTES, "kissa koira talo auto")
    guess = "kissa koira talo aut0"

    def argon_guess() -> None:
        with contextlib.suppress(keys.WrongKeyError):
            keys.unwrap_key(document, guess)

    def sha_guess() -> None:
        hashlib.sha256(guess.encode()).digest()

    argon = per_call(argon_guess, rounds)
    sha = per_call(sha_guess, rounds * 1000)
    memory = keys.ARGON2_MEMORY_KIB // 1024
    print(
        f"argon2id m={memory} MiB t={keys.ARGON2_ITERATIONS} p={keys.ARGON2_LANES}: "
        f"{argon * 1000:.0f} ms per guess, {1 / argon:.1f} guesses/s per core"
    )
    print(f"ratio argon2id / sha256 guess: {argon / sha:,.0f}x")
    # 4 random words from a 7,776-word list, or 12 random characters of 70 kinds:
    for label, space in (("4 diceware words", 7776**4), ("12 random chars", 70**12)):
        years = space / 2 / (1 / argon) / 3600 / 24 / 365
        print(f"{label}: half the space at one core = {years:.2e} core-years")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
