"""The intake checklist's recommendation."""

from __future__ import annotations

from sosku_desktop import i18n
from sosku_desktop.domain import codes
from sosku_desktop.domain.intake import (
    INCOMPLETE,
    NEEDS,
    NOT_NOW,
    OFFER,
    PRECONDITIONS,
    recommend,
    unanswered,
)

ALL_OFFER = dict.fromkeys(codes.INTAKE_OFFER, True)


def test_preconditions_and_needs_split_the_offer_items():
    assert set(PRECONDITIONS) | set(NEEDS) == set(codes.INTAKE_OFFER)
    assert not set(PRECONDITIONS) & set(NEEDS)


def test_everything_ticked_offers():
    result = recommend(ALL_OFFER)
    assert result.outcome == OFFER
    assert result.reasons == codes.INTAKE_OFFER
    assert result.offer_unticked == ()


def test_preconditions_and_one_need_are_enough():
    answers = {**dict.fromkeys(PRECONDITIONS, True), "needs_resources": True, "can_commit": True}
    result = recommend(answers)
    assert result.outcome == OFFER
    assert "needs_resources" in result.reasons
    assert "risk_of_dropping_out" in result.offer_unticked


def test_missing_precondition_is_incomplete_with_reasons():
    answers = {**ALL_OFFER, "can_commit": False}
    result = recommend(answers)
    assert result.outcome == INCOMPLETE
    assert result.reasons == ("can_commit",)


def test_no_need_ticked_is_incomplete():
    result = recommend(dict.fromkeys(PRECONDITIONS, True))
    assert result.outcome == INCOMPLETE
    assert result.reasons == NEEDS


def test_any_not_now_item_wins():
    for item in codes.INTAKE_NOT_NOW:
        result = recommend({**ALL_OFFER, item: True})
        assert result.outcome == NOT_NOW
        assert result.reasons == (item,)
    both = recommend({"acute_crisis": True, "only_rent_debt": True, "no_acute_crisis": True})
    assert both.outcome == NOT_NOW
    assert both.not_now_ticked == ("acute_crisis", "only_rent_debt")


def test_empty_and_unknown_answers():
    result = recommend({})
    assert result.outcome == INCOMPLETE
    assert result.reasons == PRECONDITIONS
    assert recommend({**ALL_OFFER, "made_up": True}).outcome == OFFER
    assert recommend({**ALL_OFFER, "no_motivation": False}).outcome == OFFER


def test_unanswered_items():
    assert unanswered({}) == [*codes.INTAKE_OFFER, *codes.INTAKE_NOT_NOW]
    answered = {**ALL_OFFER, **dict.fromkeys(codes.INTAKE_NOT_NOW, False)}
    assert unanswered(answered) == []


def test_outcome_and_reason_labels_exist_in_every_language():
    for answers in (ALL_OFFER, {}, {"acute_crisis": True}):
        result = recommend(answers)
        for lang in i18n.LANGUAGES:
            catalogue = i18n.catalogue(lang)
            assert result.message_key in catalogue
            assert f"{result.message_key}.text" in catalogue
            for key in result.reason_keys:
                assert key in catalogue, (lang, key)
