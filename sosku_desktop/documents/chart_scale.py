"""Round axis scales shared by the PDF charts and the window's charts.

Apart from ``report_charts`` so that the window's charts scale their axes the
same way without importing reportlab.
"""

from __future__ import annotations

import math


def nice_top(highest: float, ticks: int = 5, integers: bool = True) -> tuple[float, float]:
    """A round axis top ≥ ``highest`` and a step giving about ``ticks`` gridlines.

    With ``integers`` (counts, euros) the step is a whole number: an axis
    saying 2.5 meetings reads as nonsense.
    """
    if highest <= 0:
        return 1.0, 1.0
    raw = highest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if integers else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in factors if m * magnitude >= raw)
    if integers:
        step = max(1.0, float(round(step)))
    return step * math.ceil(highest / step - 1e-9), step
