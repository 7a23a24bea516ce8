"""The goal tree and its progress."""

from __future__ import annotations

import pytest

from sosku_desktop.domain import codes
from sosku_desktop.domain.goals import (
    GoalNode,
    achieved_count,
    build_tree,
    child_level,
    descendants,
    flatten,
    is_smart,
    mark_achieved,
    next_position,
    progress_history,
    progress_of,
    reopen,
    rolled_up_progress,
    smart_missing,
    with_smart_flags,
)
from sosku_desktop.domain.models import GoalProgress
from tests.domain.builders import d, goal

SUB = codes.GOAL_SUB
STEP = codes.GOAL_STEP


def sample_goals():
    return [
        goal("main2", position=1, progress=10),
        goal("main1", position=0),
        goal("sub1b", "main1", SUB, progress=80, position=1),
        goal("sub1a", "main1", SUB, position=0),
        goal("step1", "sub1a", STEP, progress=20, position=0),
        goal("step2", "sub1a", STEP, progress=60, position=1),
        goal("gone", "main1", SUB, progress=0, position=2, deleted=True),
    ]


def test_tree_is_ordered_by_position_and_skips_deleted():
    tree = build_tree(sample_goals())
    assert [n.goal.id for n in tree] == ["main1", "main2"]
    assert [n.goal.id for n in tree[0].children] == ["sub1a", "sub1b"]
    assert [n.goal.id for n in tree[0].children[0].children] == ["step1", "step2"]
    assert [(depth, g.id) for depth, g in flatten(tree)] == [
        (0, "main1"),
        (1, "sub1a"),
        (2, "step1"),
        (2, "step2"),
        (1, "sub1b"),
        (0, "main2"),
    ]


def test_tree_of_one_period_only():
    goals = [*sample_goals(), goal("elsewhere", period_id="p2")]
    assert "elsewhere" not in [g.id for _, g in flatten(build_tree(goals, "p1"))]
    assert [n.goal.id for n in build_tree(goals, "p2")] == ["elsewhere"]


def test_roll_up_is_the_mean_of_children_recursively():
    tree = build_tree(sample_goals())
    main1 = tree[0]
    assert main1.children[0].progress == 40  # (20 + 60) / 2
    assert main1.progress == 60  # (40 + 80) / 2
    assert tree[1].progress == 10  # no children: own progress
    assert progress_of("main1", sample_goals()) == 60
    assert progress_of("missing", sample_goals()) is None


def test_roll_up_rounds_half_up_and_ignores_dropped_children():
    goals = [
        goal("m", progress=99),
        goal("a", "m", SUB, progress=0),
        goal("b", "m", SUB, progress=1),
        goal("c", "m", SUB, progress=100, status=codes.GOAL_DROPPED),
    ]
    assert progress_of("m", goals) == 1  # 0.5 rounds up
    only_dropped = [goal("m", progress=30), goal("c", "m", SUB, status=codes.GOAL_DROPPED)]
    assert progress_of("m", only_dropped) == 30


def test_achieved_counts_as_full_progress():
    goals = [
        goal("m"),
        goal("a", "m", SUB, progress=40, status=codes.GOAL_ACHIEVED),
        goal("b", "m", SUB, progress=0),
    ]
    assert progress_of("m", goals) == 50
    achieved_main = [goal("m", status=codes.GOAL_ACHIEVED), goal("b", "m", SUB)]
    assert progress_of("m", achieved_main) == 100


def test_out_of_range_progress_is_clamped_in_the_roll_up():
    node = GoalNode(goal("m", progress=140))
    assert rolled_up_progress(node) == 100
    assert GoalNode(goal("m", progress=-5)).progress == 0


def test_orphans_and_loops_still_show_once():
    goals = [
        goal("orphan", "deleted-parent", SUB),
        goal("x", "y", SUB),
        goal("y", "x", SUB),
        goal("z", "x", STEP),
        goal("self", "self", SUB),
    ]
    tree = build_tree(goals)
    ids = [g.id for _, g in flatten(tree)]
    assert sorted(ids) == sorted(g.id for g in goals)
    assert {n.goal.id for n in tree} == {"orphan", "x", "y", "self"}
    x = next(n for n in tree if n.goal.id == "x")
    assert [c.goal.id for c in x.children] == ["z"]


def test_smart_missing():
    g = goal("m", specific=True, timed=True)
    assert smart_missing(g) == ["measurable", "achievable", "relevant"]
    assert not is_smart(g)
    full = goal("m", specific=True, measurable=True, achievable=True, relevant=True, timed=True)
    assert smart_missing(full) == []
    assert is_smart(full)
    assert smart_missing(goal("m")) == list(codes.SMART_FLAGS)


def test_mark_achieved_and_reopen_return_copies():
    g = goal("m", progress=70)
    done = mark_achieved(g, d("29.2.2024"))
    assert (done.status, done.achieved_on, done.progress) == (
        codes.GOAL_ACHIEVED,
        d("29.2.2024"),
        100,
    )
    assert (g.status, g.achieved_on, g.progress) == (codes.GOAL_OPEN, None, 70)
    again = reopen(done)
    assert (again.status, again.achieved_on, again.progress) == (codes.GOAL_OPEN, None, 100)


def test_child_level_descendants_and_positions():
    assert child_level(codes.GOAL_MAIN) == SUB
    assert child_level(SUB) == STEP
    assert child_level(STEP) is None
    goals = sample_goals()
    assert sorted(g.id for g in descendants("main1", goals)) == ["step1", "step2", "sub1a", "sub1b"]
    assert descendants("step1", goals) == []
    assert descendants("unknown", goals) == []
    assert next_position(goals, None, "p1") == 2
    assert next_position(goals, "main1", "p1") == 2  # the deleted one at 2 does not count
    assert next_position(goals, "step1", "p1") == 0


def test_progress_history_and_achieved_count():
    rows = [
        GoalProgress("r2", "m", d("17.1.2024"), 40),
        GoalProgress("r1", "m", d("4.1.2024"), 10),
        GoalProgress("r3", "m", d("24.1.2024"), 90, deleted=True),
        GoalProgress("r4", "other", d("5.1.2024"), 50),
    ]
    assert [r.id for r in progress_history(rows, "m")] == ["r1", "r2"]
    goals = [
        goal("a", status=codes.GOAL_ACHIEVED),
        goal("b"),
        goal("c", status=codes.GOAL_DROPPED),
        goal("e", status=codes.GOAL_ACHIEVED, deleted=True),
    ]
    assert achieved_count(goals) == (1, 2)


def test_the_smart_check_is_set_by_name_and_unknown_names_are_refused() -> None:
    checked = with_smart_flags(goal("g1"), {"specific": True, "timed": True})
    assert checked.smart_flags == {
        "specific": True,
        "measurable": False,
        "achievable": False,
        "relevant": False,
        "timed": True,
    }
    with pytest.raises(ValueError):
        with_smart_flags(goal("g1"), {"speedy": True})


def test_one_figure_per_goal_is_the_roll_up_for_every_goal() -> None:
    """Issue 12: list 75 %, slider 60 %, summary 60 % — one goal must have one number."""
    from sosku_desktop.domain.goals import progress_figures, takes_own_progress

    goals = sample_goals()
    figures = progress_figures(goals)
    tree = build_tree(goals)
    for root in tree:
        for _, node in root.walk():
            assert figures[node.goal.id] == node.progress == progress_of(node.goal.id, goals)
    assert figures == {"main1": 60, "sub1a": 40, "step1": 20, "step2": 60, "sub1b": 80, "main2": 10}
    assert "gone" not in figures
    # only goals without counted children take a typed-in number
    assert not takes_own_progress("main1", goals)
    assert not takes_own_progress("sub1a", goals)
    assert takes_own_progress("step1", goals) and takes_own_progress("sub1b", goals)
    only_dropped = [goal("m", progress=30), goal("c", "m", SUB, status=codes.GOAL_DROPPED)]
    assert takes_own_progress("m", only_dropped)


def test_nudged_progress_rolls_up_to_the_parents() -> None:
    from sosku_desktop.domain.goals import progress_figures, with_progress

    figures = progress_figures(with_progress(sample_goals(), {"step1": 90, "main2": 140}))
    assert figures["step1"] == 90 and figures["sub1a"] == 75 and figures["main1"] == 78
    assert figures["main2"] == 100  # clamped


def test_reached_counts_goals_whose_figure_is_100() -> None:
    """Issue 12: "Saavutettu 0/5" while two goals were at 100 %."""
    goals = [
        goal("m"),
        goal("a", "m", SUB, progress=100),
        goal("b", "m", SUB, progress=100),
        goal("x", progress=100),
        goal("y", progress=40),
        goal("z", status=codes.GOAL_ACHIEVED, progress=20),
        goal("dropped", progress=100, status=codes.GOAL_DROPPED),
    ]
    # m rolls up to 100 from a and b; x typed 100; z marked achieved; y not; dropped not counted
    assert achieved_count(goals) == (5, 6)
