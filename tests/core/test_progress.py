"""Points, progress events, streaks, unlocks, weak-topic practice and statistics."""
from __future__ import annotations

import random
from datetime import date

import pytest

from quizgame.core.clock import FixedClock
from quizgame.core.practice import UNSEEN_SHARE, weak_selection, weak_topics
from quizgame.core.progress import EventError, Outcome, Progress, RoundOutcome
from quizgame.core.rounds import plan_round
from quizgame.core.scoring import base_points, points_for, streak_bonus
from quizgame.core.stats import (
    UNLOCK_SHARE, accuracy_by_section, accuracy_by_topic, current_day_streak, leaderboard, needed_to_unlock_next,
    overall_accuracy, section_states, unlocked_sections,
)

from .helpers import answer_event, master, round_event

# -- scoring ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tier, base", [(0, 100), (1, 150), (2, 200), (3, 250)])
def test_base_grows_50_per_section_tier(tier, base):
    assert base_points(tier) == base
    assert points_for(tier, 1.0, True, 0) == base


@pytest.mark.parametrize("streak, bonus", [(0, 0), (1, 20), (2, 40), (4, 80), (5, 100), (6, 100), (50, 100)])
def test_streak_bonus_is_20_per_prior_correct_answer_capped_at_100(streak, bonus):
    assert streak_bonus(streak) == bonus
    assert points_for(0, 1.0, True, streak) == 100 + bonus
    assert points_for(3, 1.0, True, streak) == 250 + bonus


@pytest.mark.parametrize("tier, score, expected", [(0, 0.5, 50), (1, 0.58, 87), (2, 0.25, 50), (3, 0.75, 188)])
def test_partial_earns_rounded_share_of_base_and_no_bonus(tier, score, expected):
    assert points_for(tier, score, False, 4) == expected == round(base_points(tier) * score)


def test_wrong_earns_nothing():
    assert points_for(3, 0.0, False, 5) == 0


def test_points_through_progress_streak_partial_and_wrong():
    p = Progress()
    earned = [p.apply(answer_event("q1", tier=1)).points,               # 150, streak 1
              p.apply(answer_event("q2", tier=1)).points,               # 150 + 20, streak 2
              p.apply(answer_event("q3", "partial", 0.5, tier=1)).points,  # 75, streak held at 2
              p.apply(answer_event("q4", tier=1)).points,               # 150 + 40, streak 3
              p.apply(answer_event("q5", "wrong", tier=1)).points,      # 0, streak reset
              p.apply(answer_event("q6", tier=1)).points]               # 150, streak 1
    assert earned == [150, 170, 75, 190, 0, 150]
    assert p.points == sum(earned)
    assert (p.streak, p.best_streak, p.answers) == (1, 3, 6)


def test_outcome_reports_the_streak():
    p = Progress()
    outcomes = [p.apply(answer_event(f"q{n}")) for n in range(7)]
    assert [o.streak for o in outcomes] == [1, 2, 3, 4, 5, 6, 7]
    assert [o.points for o in outcomes] == [100, 120, 140, 160, 180, 200, 200]
    assert outcomes[-1].best_streak == 7
    assert isinstance(outcomes[0], Outcome) and outcomes[0].answer.startswith("answer-")


# -- events ----------------------------------------------------------------------------------------------


def test_answer_updates_question_stats():
    p = Progress()
    p.apply(answer_event("q1", "partial", 0.5, at="2024-05-01T10:00:00+00:00"))
    p.apply(answer_event("q1", "correct", at="2024-05-01T11:00:00+00:00"))
    stat = p.questions["q1"]
    assert (stat.attempts, stat.correct, stat.score) == (2, 1, 1.5)
    assert (stat.last_verdict, stat.last_at) == ("correct", "2024-05-01T11:00:00+00:00")
    assert p.applied == 2


def test_override_of_the_latest_answer_rescores_it():
    p = Progress()
    p.apply(answer_event("q1"))
    p.apply(answer_event("q2"))
    wrong = p.apply(answer_event("q3", "wrong", id="last"))
    assert (wrong.points, p.streak, p.points) == (0, 0, 220)
    fixed = p.apply({"type": "override", "answer": "last", "verdict": "correct", "score": 1.0,
                     "at": "2024-05-01T09:01:00+00:00"})
    assert (fixed.answer, fixed.verdict, fixed.points) == ("last", "correct", 140)  # streak of 2 before it
    assert (p.points, p.streak, p.best_streak, p.answers, p.overrides) == (360, 3, 3, 3, 1)
    assert (p.questions["q3"].attempts, p.questions["q3"].correct, p.questions["q3"].score) == (1, 1, 1.0)


def test_override_down_to_wrong_undoes_points_and_streak():
    p = Progress()
    p.apply(answer_event("q1"))
    p.apply(answer_event("q2", id="last"))
    p.apply({"type": "override", "answer": "last", "verdict": "wrong", "score": 0.0, "at": "2024-05-01T09:00:00"})
    assert (p.points, p.streak, p.best_streak) == (100, 0, 1)
    assert (p.questions["q2"].attempts, p.questions["q2"].correct, p.questions["q2"].score) == (1, 0, 0.0)


def test_only_the_latest_answer_can_be_overridden():
    p = Progress()
    with pytest.raises(EventError):
        p.apply({"type": "override", "answer": "x", "verdict": "correct", "score": 1.0, "at": "2024-05-01T09:00:00"})
    p.apply(answer_event("q1", "wrong", id="first"))
    p.apply(answer_event("q2", "wrong", id="second"))
    before = p.to_dict()
    with pytest.raises(EventError, match="latest"):
        p.apply({"type": "override", "answer": "first", "verdict": "correct", "score": 1.0,
                 "at": "2024-05-01T09:00:00"})
    assert p.to_dict() == before  # nothing half-applied


@pytest.mark.parametrize("event", [
    {"type": "bogus"},
    {"type": "answer", "question": "q1"},
    {"type": "answer", "id": "a", "question": "q1", "tier": 0, "verdict": "great", "score": 1.0, "at": "2024-05-01"},
    {"type": "answer", "id": "a", "question": "q1", "tier": 0, "verdict": "correct", "score": 1.5, "at": "2024-05-01"},
    {"type": "round", "section": "s"},
])
def test_malformed_events_raise_event_error(event):
    with pytest.raises(EventError):
        Progress().apply(event)


@pytest.mark.parametrize("change", [{"at": "yesterday"}, {"tier": "top"}, {"score": "lots"}, {"verdict": None}])
def test_bad_event_changes_nothing(change):
    p = Progress()
    p.apply(answer_event("q1"))
    before = p.to_dict()
    with pytest.raises(EventError):
        p.apply({**answer_event("q2"), **change})
    assert p.to_dict() == before


def test_round_best_per_section_and_mode():
    p = Progress()
    assert p.apply(round_event("basics", "mc", 300)) == RoundOutcome(("basics/mc",))
    assert p.apply(round_event("basics", "mc", 300)).new_bests == ()   # a tie is not a new best
    assert p.apply(round_event("basics", "mc", 200)).new_bests == ()
    assert p.apply(round_event("basics", "recall", 100)).new_bests == ("basics/recall",)
    assert p.apply(round_event("basics", "mc", 301)).new_bests == ("basics/mc",)
    assert p.best_rounds == {"basics/mc": 301, "basics/recall": 100}
    assert len(p.rounds) == 5 and p.rounds[-1]["points"] == 301


def test_replaying_events_gives_the_same_progress():
    events = [answer_event("q1"), answer_event("q2", "partial", 0.5), answer_event("q3", "wrong", id="w"),
              {"type": "override", "answer": "w", "verdict": "correct", "score": 1.0, "at": "2024-05-02T09:00:00"},
              round_event("s", "mc", 400)]
    a, b = Progress(), Progress()
    for e in events:
        a.apply(e)
    for e in events:
        b.apply(dict(e))
    assert a.to_dict() == b.to_dict()
    assert Progress.from_dict(a.to_dict()).to_dict() == a.to_dict()


# -- day streaks ------------------------------------------------------------------------------------------


def play_at(p: Progress, clock: FixedClock, qid: str = "q") -> None:
    p.apply(answer_event(qid, at=clock.now()))


def test_day_streak_across_days(fixed_clock):
    p = Progress()
    play_at(p, fixed_clock)
    assert (p.day_streak, p.best_day_streak, p.last_day) == (1, 1, "2024-05-01")
    fixed_clock.advance(hours=5)                      # same day
    play_at(p, fixed_clock)
    assert p.day_streak == 1
    fixed_clock.advance(days=1)                       # next day
    play_at(p, fixed_clock)
    assert (p.day_streak, p.last_day) == (2, "2024-05-02")
    fixed_clock.advance(days=1)
    play_at(p, fixed_clock)
    assert p.day_streak == 3
    fixed_clock.advance(days=3)                       # a gap starts again
    play_at(p, fixed_clock)
    assert (p.day_streak, p.best_day_streak, p.last_day) == (1, 3, "2024-05-06")
    fixed_clock.advance(days=1)
    play_at(p, fixed_clock)
    assert (p.day_streak, p.best_day_streak) == (2, 3)


def test_current_day_streak_lapses_after_a_missed_day(fixed_clock):
    p = Progress()
    assert current_day_streak(p, date(2024, 5, 1)) == 0
    play_at(p, fixed_clock)
    fixed_clock.advance(days=1)
    play_at(p, fixed_clock)
    assert current_day_streak(p, date(2024, 5, 2)) == 2
    assert current_day_streak(p, date(2024, 5, 3)) == 2  # still alive until the day ends
    assert current_day_streak(p, date(2024, 5, 4)) == 0


# -- unlocks -----------------------------------------------------------------------------------------------


def test_unlock_needs_60_percent_of_the_previous_section_mastered(mini_bank):
    assert UNLOCK_SHARE == 0.6
    assert [needed_to_unlock_next(s) for s in mini_bank.sections] == [3, 2, 2]
    basics = mini_bank.section("basics").questions
    p = Progress()
    assert [s.id for s in unlocked_sections(mini_bank, p)] == ["basics"]
    master(p, basics[:2])
    p.apply(answer_event(basics[2].id, "partial", 0.75, kind="recall"))  # partial is not mastery
    p.apply(answer_event(basics[3].id, "wrong", kind="recall"))
    assert [s.id for s in unlocked_sections(mini_bank, p)] == ["basics"]
    master(p, basics[2:3], at="2024-05-10T09:00:00+00:00")
    assert [s.id for s in unlocked_sections(mini_bank, p)] == ["basics", "middle"]
    states = {s.section.id: s for s in section_states(mini_bank, p)}
    assert (states["basics"].mastered, states["basics"].needed, states["basics"].total) == (3, 3, 4)
    assert not states["hard"].unlocked


def test_right_answers_on_one_day_master_nothing(mini_bank):
    """The old rule unlocked on one right answer each; now it takes recall on two days."""
    p = Progress()
    for q in mini_bank.section("basics").questions:
        for kind in ("mc", "recall", "mc", "recall"):
            p.apply(answer_event(q.id, kind=kind, seconds=5.0))
    assert [s.mastered for s in section_states(mini_bank, p)] == [0, 0, 0]
    assert [s.id for s in unlocked_sections(mini_bank, p)] == ["basics"]


def test_mastery_is_not_undone_by_a_later_miss(mini_bank):
    p = Progress()
    master(p, mini_bank.section("basics").questions[:3])
    for q in mini_bank.section("basics").questions[:3]:
        p.apply(answer_event(q.id, "wrong", at="2024-05-05T09:00:00+00:00"))
    assert [s.id for s in unlocked_sections(mini_bank, p)] == ["basics", "middle"]


def test_sections_unlock_in_a_chain(mini_bank):
    p = Progress()
    master(p, mini_bank.section("middle").questions)  # mastered out of order: still locked behind basics
    assert [s.id for s in unlocked_sections(mini_bank, p)] == ["basics"]
    master(p, mini_bank.section("basics").questions[:3], at="2024-05-10T09:00:00+00:00")
    assert [s.id for s in unlocked_sections(mini_bank, p)] == ["basics", "middle", "hard"]


def test_shipped_unlock_thresholds(shipped_bank):
    assert [needed_to_unlock_next(s) for s in shipped_bank.sections] == [12, 9, 11, 8]


# -- weak-topic practice -----------------------------------------------------------------------------------


@pytest.fixture
def weak_player(shipped_bank):
    """Missed every activation-function and CNN question of foundation, got six others right."""
    foundation = shipped_bank.section("foundation").questions
    missed = [q for q in foundation if {"activation-functions", "cnn"} & set(q.topics)]
    right = [q for q in foundation if q not in missed][:6]
    p = Progress()
    for q in missed:
        p.apply(answer_event(q.id, "wrong"))
    master(p, right)
    return p, missed, right


def test_weak_topics_are_the_missed_ones(shipped_bank, weak_player):
    p, missed, _ = weak_player
    topics = weak_topics(shipped_bank, p, list(shipped_bank.section("foundation").questions))
    assert {"activation-functions", "cnn"} <= set(topics)
    assert len(topics) == 3


def test_weak_round_is_mostly_missed_questions_plus_some_unseen(shipped_bank, weak_player):
    p, missed, right = weak_player
    missed_ids, right_ids = {q.id for q in missed}, {q.id for q in right}
    for seed in range(10):
        plan = plan_round(shipped_bank, p, "weak", "foundation", 10, seed=seed)
        chosen = {i.question.id for i in plan.items}
        unseen = [i for i in plan.items if i.question.id not in p.questions]
        assert len(plan.items) == 10
        assert len(unseen) == round(10 * UNSEEN_SHARE) == 3
        assert all(i.kind == "mc" for i in unseen) and all(i.kind == "recall" for i in plan.items if i not in unseen)
        for q in missed:  # every missed question, unless an overlapping one stands in for it
            assert q.id in chosen or q.overlaps & chosen, (seed, q.id)
        assert len(chosen & missed_ids) > len(chosen & right_ids)
        assert {"activation-functions", "cnn"} <= set(plan.focus)


def test_weak_selection_without_unseen_questions(mini_bank):
    p = Progress()
    basics = list(mini_bank.section("basics").questions)
    p.apply(answer_event("b-lr", "wrong"))
    master(p, [q for q in basics if q.id != "b-lr"])
    picked, focus = weak_selection(mini_bank, p, basics, 2, random.Random(1))
    assert picked[0].id == "b-lr" or picked[1].id == "b-lr"
    assert focus[0] == "optimization"


def test_weak_selection_for_a_new_player_is_all_unseen(mini_bank):
    basics = list(mini_bank.section("basics").questions)
    picked, focus = weak_selection(mini_bank, Progress(), basics, 3, random.Random(1))
    assert len(picked) == 3 and focus == []


# -- statistics ----------------------------------------------------------------------------------------------


def test_accuracy_by_topic_section_and_overall(mini_bank):
    p = Progress()
    p.apply(answer_event("m-gamma"))
    p.apply(answer_event("m-policy", "partial", 0.5))
    p.apply(answer_event("b-lr", "wrong"))
    topics = accuracy_by_topic(mini_bank, p)
    assert (topics["rl-basics"].answered, topics["rl-basics"].score, topics["rl-basics"].ratio) == (2, 1.5, 0.75)
    assert topics["optimization"].ratio == 0.0
    assert "peft" not in topics
    sections = accuracy_by_section(mini_bank, p)
    assert (sections["middle"].answered, sections["middle"].ratio) == (2, 0.75)
    assert (sections["hard"].answered, sections["hard"].ratio) == (0, None)
    assert overall_accuracy(mini_bank, p).ratio == pytest.approx(1.5 / 3)


def test_stats_skip_questions_the_bank_no_longer_has(mini_bank):
    p = Progress()
    p.apply(answer_event("removed-question"))
    p.apply(answer_event("removed-question"))
    p.apply(answer_event("b-lr", "wrong"))
    assert set(accuracy_by_topic(mini_bank, p)) == {"optimization"}
    assert overall_accuracy(mini_bank, p).answered == 1
    assert sum(a.answered for a in accuracy_by_section(mini_bank, p).values()) == 1
    assert [s.mastered for s in section_states(mini_bank, p)] == [0, 0, 0]
    plan_round(mini_bank, p, "weak", seed=1)  # practice ignores it too
    (row,) = leaderboard(mini_bank, {"Ana": p})
    assert row.accuracy == 0.0


def test_leaderboard_ranks_by_points_then_name(mini_bank):
    ana, bo, cy = Progress(), Progress(), Progress()
    for progress, qids in ((ana, ["b-lr", "b-relu"]), (bo, ["b-lr"]), (cy, ["b-epoch"])):
        for qid in qids:
            progress.apply(answer_event(qid))
    ana.apply(round_event("basics", "mc", 220))
    ana.apply(round_event("basics", "recall", 120))
    ana.apply(round_event("all", "mc", 90))
    rows = leaderboard(mini_bank, {"cy": cy, "Bo": bo, "Ana": ana})
    assert [(r.rank, r.player, r.points) for r in rows] == [(1, "Ana", 220), (2, "Bo", 100), (3, "cy", 100)]
    assert rows[0].best_rounds == {"basics": 220, "all": 90}
    assert (rows[0].longest_streak, rows[0].accuracy, rows[0].answers) == (2, 1.0, 2)
    assert leaderboard(mini_bank, {}) == []
