"""Validation problems as data: a field, a translation key and parameters.

The domain never builds user-facing sentences itself; the edge translates
``message_key`` with ``sosku_desktop.i18n`` so every message exists in
Finnish, Swedish and English and no client data ends up in an exception
text by accident.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One validation problem, attached to a form field."""

    field: str
    message_key: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)


class ValidationError(ValueError):
    """Raised when an entity breaks a rule; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        keys = ", ".join(f"{p.field}:{p.message_key}" for p in self.problems)
        super().__init__(f"validation failed ({keys})")

    def for_field(self, name: str) -> list[Problem]:
        return [p for p in self.problems if p.field == name]
