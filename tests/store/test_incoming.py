"""Converting a remote bundle's ops: the plain-op loop gives exactly what the exact loop gives.

``incoming.convert_ops`` takes nearly every pulled bundle through a loop
that only plainly accepts ops; anything else goes through the exact loop,
which names the reason a bundle is refused. Hypothesis mixes plain ops
with every kind of irregular one (unknown table or column, a missing or
wrongly typed member, a value that does not fit, deletes, conflict
decisions, repeated columns); both must agree, result or reason.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sosku_desktop.store import incoming
from sosku_desktop.store.incoming import BundleRejected

ROWS = ["r1", "r2", "r3"]
#: Columns of a few tables, with values that fit and values that do not.
FITTING: dict[tuple[str, str], list[Any]] = {
    ("clients", "first_name"): ["Aino", ""],
    ("clients", "phone"): [None, "040 1"],
    ("clients", "deleted"): [True, False, 0],
    ("meetings", "starts_at"): ["2024-03-01T09:00:00"],
    ("meetings", "methods"): [["walk"], []],
    ("meetings", "notes"): ["Sovittiin.", None],
    ("audit_log", "at"): ["2024-03-01T09:00:00"],
    ("audit_log", "device_id"): ["dev-1"],
}
MISFITS: dict[tuple[str, str], list[Any]] = {
    ("clients", "first_name"): [None, 5, b"x"],
    ("meetings", "starts_at"): ["not a time", 17, None],
    ("audit_log", "at"): [[1], "2024-13-01T00:00:00"],
}


def plain_op() -> st.SearchStrategy[dict[str, Any]]:
    def build(key: tuple[str, str], row: str, value: Any, base: list[Any]) -> dict[str, Any]:
        op = {"t": key[0], "r": row, "c": key[1], "v": value}
        if base:
            op["b"] = base[0]
        return op

    return st.sampled_from(sorted(FITTING)).flatmap(
        lambda key: st.builds(
            build,
            st.just(key),
            st.sampled_from(ROWS),
            st.sampled_from(FITTING[key]),
            st.lists(st.sampled_from(FITTING[key]), max_size=1),
        )
    )


def irregular_op() -> st.SearchStrategy[Any]:
    misfit = st.sampled_from(sorted(MISFITS)).flatmap(
        lambda key: st.sampled_from(MISFITS[key]).map(
            lambda v: {"t": key[0], "r": "r1", "c": key[1], "v": v}
        )
    )
    return st.one_of(
        misfit,
        st.just({"t": "nope", "r": "r1", "c": "x", "v": 1}),
        st.just({"t": "clients", "r": "r1", "c": "nope", "v": 1}),
        st.just({"t": "clients", "r": "r1", "c": "id", "v": "other"}),
        st.just({"t": "clients", "r": "r1", "d": True}),
        st.just({"t": "clients", "r": "r2", "d": True, "c": "first_name"}),
        st.just({"t": "clients", "r": "r1", "c": "first_name"}),
        st.just({"t": "clients", "r": 5, "c": "first_name", "v": "A"}),
        st.just({"t": "clients", "c": "first_name", "v": "A"}),
        st.just({"t": ["clients"], "r": "r1", "c": "first_name", "v": "A"}),
        st.just({"t": "clients", "r": "r1", "c": "first_name", "v": "A", "x": "hlc"}),
        st.just({"t": "clients", "r": "r1", "c": "first_name", "v": "A", "x": 5}),
        st.just({"t": "clients", "r": "r1", "c": "first_name", "v": "A", "y": 1}),
    )


def outcome(convert: Any, ops: list[Any]) -> Any:
    try:
        return convert(ops)
    except BundleRejected as exc:
        return ("rejected", exc.reason)
    except (TypeError, AttributeError) as exc:  # shapes open_bundle refuses before this
        return ("raised", type(exc).__name__)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(plain_op(), plain_op(), irregular_op()), max_size=12))
def test_plain_loop_agrees_with_exact_loop(ops: list[Any]) -> None:
    assert outcome(incoming.convert_ops, ops) == outcome(incoming._convert_exact, ops)


def test_a_created_row_comes_out_grouped_and_converted() -> None:
    ops = [
        {"t": "meetings", "r": "m1", "c": "starts_at", "v": "2024-03-01T09:00:00"},
        {"t": "audit_log", "r": "a1", "c": "device_id", "v": "dev-1"},
        {"t": "meetings", "r": "m1", "c": "notes", "v": "Sovittiin.", "b": None},
    ]
    (key_m, m_ops), (key_a, a_ops) = incoming.convert_ops(ops)
    assert (key_m, key_a) == (("meetings", "m1"), ("audit_log", "a1"))
    assert [(op.col, op.has_base) for op in m_ops] == [("starts_at", False), ("notes", True)]
    assert m_ops[0].value.isoformat() == "2024-03-01T09:00:00"
    assert m_ops[0].wire == "2024-03-01T09:00:00"
    assert [(op.col, op.value) for op in a_ops] == [("device_id", "dev-1")]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"t": "meetings", "r": "m1", "c": "starts_at", "v": "soon"}, "malformed"),
        ({"t": "meetings", "r": "m1", "c": "mood", "v": "good"}, "unknown_column"),
    ],
)
def test_one_misfit_refuses_the_bundle_with_its_reason(bad: dict[str, Any], reason: str) -> None:
    good = {"t": "clients", "r": "c1", "c": "first_name", "v": "Aino"}
    with pytest.raises(BundleRejected) as caught:
        incoming.convert_ops([good, bad, good])
    assert caught.value.reason == reason
