"""CSV cells that must stay text when a Finnish Calc or Excel opens the file.

Opened in a Finnish LibreOffice Calc, "tammikuu 2026" becomes the date
1.1.2026 and a dates column turns into a date on the rows with a single
date ("4.1.2026") while the rows with several ("4.1. ja 17.1.2026") stay
text. A label cell is therefore written as the formula ``="…"``, which
both Calc and Excel show as exactly that text and never convert; numbers
(counts, euro amounts) stay plain so they can be summed. The rule is
checked by ``tests/documents/test_csv_cells.py`` (with LibreOffice
headless when it is installed).

Text a person typed (a group's, a client's or a worker's name) is written
as it is, unless it begins like a formula (``=``, ``+``, ``-``, ``@``):
Calc and Excel would compute ``=1+1`` as 2, Excel shows ``+60 ryhmä`` as
#NAME?, and a name synced in from a teammate's device could carry a live
link. Such a cell is written with ``as_text`` too (``free_text``).
"""

from __future__ import annotations


def as_text(value: str) -> str:
    """``="tammikuu 2026"``: the cell is text in Calc and Excel; empty stays empty."""
    if not value:
        return ""
    return '="' + value.replace('"', '""') + '"'


def from_text(cell: str) -> str:
    """The text of a cell written by ``as_text`` (as a spreadsheet shows it)."""
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    return cell


#: What makes Calc or Excel read a cell as a formula rather than text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def free_text(value: str) -> str:
    """Typed text as is; as ``as_text`` when it begins like a formula (see above)."""
    if value.startswith(FORMULA_START):
        return as_text(value)
    return value
