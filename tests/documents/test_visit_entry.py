"""The visit entry (käyntikirjaus): who took part, and clean sentences to paste."""

from __future__ import annotations

import dataclasses

from sosku_desktop.documents import build_document
from sosku_desktop.domain import codes
from tests.documents.sample import GOALS, MEETINGS, context


def _entry(lang: str, **meeting: object) -> str:
    held = dataclasses.replace(MEETINGS[0], **meeting)  # type: ignore[arg-type]
    return build_document("visit-entry", context(lang, meeting=held), "txt").decode("utf-8")


def _participants(text: str) -> str:
    return next(
        line for line in text.splitlines() if line.startswith(("Osallistujat", "Deltagare"))
    )


def test_a_client_who_did_not_come_is_not_a_participant() -> None:
    """QA walk: a no-show's entry listed the client among the participants."""
    assert "Matti Meikäläinen" in _participants(_entry("fi"))
    for status in (codes.MEETING_NO_SHOW, codes.MEETING_CANCELLED):
        for lang in ("fi", "sv"):
            line = _participants(_entry(lang, status=status))
            assert "Meikäläinen" not in line and "Sanna Ohjaaja" in line, (status, lang)


def test_goals_ending_in_a_full_stop_join_without_doubled_punctuation() -> None:
    """'…pärjätä siellä.; Opettelen…' — the goals' own full stops stayed inside the list."""
    first = dataclasses.replace(GOALS[0], text="Käyn kaupassa itse kerran viikossa.")
    held = dataclasses.replace(MEETINGS[0], goal_ids=[GOALS[0].id, GOALS[1].id])
    ctx = context("fi", meeting=held, goals=[first, *GOALS[1:]])
    text = build_document("visit-entry", ctx, "txt").decode("utf-8")
    assert f"Työstetyt tavoitteet: Käyn kaupassa itse kerran viikossa; {GOALS[1].text}." in text
    assert ".;" not in text and ".." not in text
