"""SQL functions the Clients list sorts by, registered on every connection (``engine``).

The list is sorted by the database over every match (a lazy list of 50 rows
a page cannot be sorted by the rows read so far). SQLite compares text by
code point: "aalto" after "Zetterberg", "Åberg" before "Äijälä". ``sort_key``
turns a name into a text whose code-point order is the Finnish alphabetical
order (CLDR ``fi``) as far as one key can: case and accents are ignored
except å, ä, ö, which come after z in that order (æ and ę with ä; ø, ő, œ
and ô with ö; ü and ű with y). ``period_end`` is the domain's
``period_end`` for a row of ``periods`` (the one-year limit comes from the
organisation's rules, so it is a parameter).
"""

from __future__ import annotations

import functools
import unicodedata
from datetime import date

from sosku_desktop.domain.periods import block_end

#: SQL names of the functions (registered in ``engine``).
SORT_KEY_FUNCTION = "sosku_sort_key"
PERIOD_END_FUNCTION = "sosku_period_end"

#: Letters that Finnish sorts as their own (after z) or with another letter.
_FINNISH = {
    "å": "{",
    "ä": "|",
    "æ": "|",
    "ę": "|",
    "ö": "}",
    "ø": "}",
    "ő": "}",
    "œ": "}",
    "ô": "}",
    "ü": "y",
    "ű": "y",
}


def sort_key(text: str | None) -> str | None:
    """``text`` as a key whose code-point order is the Finnish alphabetical order.

    SQLite calls it for every row sorted (10,000 clients: 20,000 calls a
    page), and names repeat: plain ASCII is only lower-cased, the rest is
    remembered.
    """
    if text is None:
        return None
    if text.isascii():
        return text.lower()
    return _non_ascii_key(text)


@functools.lru_cache(maxsize=16384)
def _non_ascii_key(text: str) -> str:
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text).casefold():
        mapped = _FINNISH.get(ch)
        if mapped is None:
            decomposed = unicodedata.normalize("NFKD", ch)
            mapped = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(mapped)
    return "".join(out)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def period_end(
    start: str | None, planned_end: str | None, ended_on: str | None, months: int | None
) -> str | None:
    """ISO day a period ends: its end, never past the limit of ``months`` (``period_end``)."""
    first, planned, ended = _day(start), _day(planned_end), _day(ended_on)
    end = ended or planned
    if first is None or end is None:
        return None
    if months is not None and months >= 1:
        end = min(end, block_end(first, int(months)))
    return end.isoformat()
