"""The end-of-period feedback's questions (phrase keys), shared by the printed form,
the end-of-period dialog that records the answers, and the final evaluation.

Apart from ``feedback`` (the form's PDF: reportlab) so that the dialog can ask
them without importing reportlab.
"""

from __future__ import annotations

STATEMENTS = (
    "feedback.q_help",
    "feedback.q_goals",
    "feedback.q_often",
    "feedback.q_places",
    "feedback.q_respect",
    "feedback.q_group",
    "feedback.q_everyday",
    "feedback.q_after",
)
OPEN_QUESTIONS = ("feedback.open_helped", "feedback.open_differently", "feedback.open_other")
