"""Studying every day, with an injected clock across many simulated days: FSRS due dates,
mastery, unlocks, test-outs, the daily challenge, goals and freezes, blitz points and timer."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from quizgame.core import review, study
from quizgame.core.clock import FixedClock
from quizgame.core.progress import Progress
from quizgame.core.rounds import RoundError, plan_round
from quizgame.core.scoring import blitz_points
from quizgame.core.session import RoundSession
from quizgame.core.stats import is_mastered, leaderboard, section_states, unlocked_sections
from quizgame.store.base import MemoryStore

from .helpers import answer_event, master

DAY0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


def at(days: float = 0, **delta: float) -> str:
    return (DAY0 + timedelta(days=days, **delta)).isoformat(timespec="seconds")


def recall(p: Progress, qid: str, days: float, verdict: str = "correct", seconds: float = 40.0):
    return p.apply(answer_event(qid, verdict, at=at(days), kind="recall", seconds=seconds))


# -- FSRS ratings and due dates ------------------------------------------------------------------


@pytest.mark.parametrize("event, verdict, rating", [
    ({"kind": "recall", "seconds": 40.0}, "wrong", review.AGAIN),
    ({"kind": "recall", "seconds": 40.0}, "partial", review.HARD),
    ({"kind": "recall", "seconds": 40.0}, "correct", review.GOOD),
    ({"kind": "recall", "seconds": review.FAST_RECALL_SECONDS}, "correct", review.EASY),
    ({"kind": "mc", "seconds": 2.0}, "correct", review.HARD),   # picking is weaker evidence
    ({"kind": "mc", "seconds": 2.0}, "wrong", review.AGAIN),
    ({"kind": "cloze", "picked": True}, "correct", review.HARD),
    ({"kind": "cloze", "picked": False, "seconds": 3.0}, "correct", review.GOOD),  # typed cloze: never Easy
    ({"kind": "cloze"}, "correct", review.HARD),                # an old event that does not say: picked
])
def test_rating_from_the_answer(event, verdict, rating):
    assert review.rating_for(event, verdict) == rating


def test_due_dates_follow_fsrs_across_days(mini_bank):
    p = Progress()
    recall(p, "b-epoch", 0)
    card = p.cards["b-epoch"]
    assert card["due"] == "2024-05-03T09:00:00+00:00"  # Good on a new card: stability 2.3 days, due in 2
    assert study.due_count(mini_bank, p, DAY0) == 0
    assert study.due_count(mini_bank, p, DAY0 + timedelta(days=2)) == 1
    recall(p, "b-epoch", 2)
    assert p.cards["b-epoch"]["due"] == "2024-05-14T09:00:00+00:00"  # the second Good: 11 days
    recall(p, "b-epoch", 13, "wrong")
    assert p.cards["b-epoch"]["due"] == "2024-05-16T09:00:00+00:00"  # a lapse: back in 3 days, not 30
    assert p.cards["b-epoch"]["stability"] < 3


def test_picked_answers_grow_intervals_slower_than_typed(mini_bank):
    picked, typed = Progress(), Progress()
    for day in (0, 1, 4):
        picked.apply(answer_event("b-lr", at=at(day), kind="mc"))
        typed.apply(answer_event("b-lr", at=at(day), kind="recall", seconds=40.0))
    assert picked.cards["b-lr"]["stability"] < typed.cards["b-lr"]["stability"] / 2


def test_forecast_counts_each_card_once_on_its_due_day(mini_bank):
    p = Progress()
    recall(p, "b-epoch", 0)                            # due day 2
    p.apply(answer_event("b-lr", "wrong", at=at(0)))   # due day 1
    recall(p, "b-relu", 0, seconds=5.0)                # Easy: due day 8, beyond the week
    days = study.forecast(mini_bank, p, DAY0)
    assert [n for _, n in days] == [0, 1, 1, 0, 0, 0, 0]
    assert days[0][0] == date(2024, 5, 1)
    # Overdue cards count today.
    assert study.forecast(mini_bank, p, DAY0 + timedelta(days=3))[0][1] == 2


def test_review_round_asks_due_cards_as_recall_least_recallable_first(mini_bank):
    p = Progress()
    recall(p, "b-epoch", 0)
    p.apply(answer_event("b-lr", "wrong", at=at(0)))
    recall(p, "b-relu", 0, seconds=5.0)
    with pytest.raises(RoundError, match="nothing is due"):
        study.plan(mini_bank, p, "review", DAY0)
    plan = study.plan(mini_bank, p, "review", DAY0 + timedelta(days=3), seed=1)
    assert [(i.question.id, i.kind) for i in plan.items] == [("b-lr", "recall"), ("b-epoch", "recall")]


def test_override_rereviews_the_card_from_where_it_was():
    p = Progress()
    p.apply(answer_event("b-lr", "wrong", at=at(0), kind="recall", seconds=30.0, id="a1"))
    wrong_card = dict(p.cards["b-lr"])
    p.apply({"type": "override", "answer": "a1", "verdict": "correct", "score": 1.0, "at": at(0)})
    fresh = Progress()
    recall(fresh, "b-lr", 0, seconds=30.0)
    assert p.cards["b-lr"] == fresh.cards["b-lr"] != wrong_card
    assert p.questions["b-lr"].recalled


def test_weak_practice_ranks_by_retrievability(mini_bank):
    p = Progress()
    # b-lr was right more often, but long ago and by picking; b-epoch was just recalled.
    for day in (0, 1):
        p.apply(answer_event("b-lr", at=at(day), kind="mc"))
    p.apply(answer_event("b-epoch", "wrong", at=at(20), kind="recall"))
    recall(p, "b-epoch", 30)
    now = DAY0 + timedelta(days=30)
    assert study.retrievability_of(p, "b-lr", now) < study.retrievability_of(p, "b-epoch", now)
    plan = plan_round(mini_bank, p, "weak", "basics", 2, seed=3, now=now)
    seen = [i.question.id for i in plan.items if i.question.id in ("b-lr", "b-epoch")]
    assert seen == ["b-lr"]  # the weakest by recall odds, whatever its raw accuracy


# -- mastery, unlocks, test-out ---------------------------------------------------------------------


def test_mastery_needs_typed_recall_and_ten_days_of_stability(mini_bank):
    p = Progress()
    recall(p, "b-epoch", 0, seconds=5.0)       # Easy: stability 8.3 days, not yet
    assert not is_mastered(p, "b-epoch")
    recall(p, "b-epoch", 8)
    assert is_mastered(p, "b-epoch") and p.cards["b-epoch"]["stability"] >= review.MASTERY_STABILITY_DAYS
    # Picking the right option for weeks never masters a question.
    for day in range(0, 60, 5):
        p.apply(answer_event("b-lr", at=at(day), kind="mc"))
    assert p.cards["b-lr"]["stability"] >= review.MASTERY_STABILITY_DAYS and not is_mastered(p, "b-lr")


def test_a_miss_between_recalls_resets_the_way_to_mastery():
    p = Progress()
    recall(p, "b-epoch", 0)
    p.apply(answer_event("b-epoch", "wrong", at=at(2), kind="mc"))
    recall(p, "b-epoch", 3)
    assert not is_mastered(p, "b-epoch")


def test_test_out_opens_the_next_section_at_80_percent(shipped_bank):
    store = MemoryStore()
    store.add_player("Ana")
    clock = FixedClock(DAY0)
    plan = study.plan(shipped_bank, store.progress("Ana", shipped_bank.id), "testout", DAY0, seed=4)
    assert plan.section == "rl" and len(plan.items) == 10 and {i.kind for i in plan.items} == {"recall"}
    assert {i.question.section for i in plan.items} == {"rl"}

    def take(right: int) -> list[str]:
        p = store.progress("Ana", shipped_bank.id)
        session = RoundSession(study.plan(shipped_bank, p, "testout", clock.now(), seed=right), shipped_bank, clock)
        for n in range(len(session.plan.items)):
            text = session.current.question.answer if n < right else "I do not know"
            _, outcome = store.record_answer("Ana", shipped_bank.id, session.judge(text).event)
            session.recorded(outcome)
            session.advance()
        after, _ = store.record_round("Ana", shipped_bank.id, session.round_event())
        return [s.id for s in unlocked_sections(shipped_bank, after)]

    assert take(7) == ["foundation"]            # 70%: not enough
    assert take(8) == ["foundation", "rl"]      # 80%: open at once
    states = section_states(shipped_bank, store.progress("Ana", shipped_bank.id))
    assert states[1].tested_out and not states[2].unlocked


def test_old_saves_keep_the_sections_they_had_opened(mini_bank):
    """A version-1 snapshot: rebuilt from the log, and what the old rule opened stays open."""
    old = Progress()
    for q in mini_bank.section("basics").questions[:3]:
        old.apply(answer_event(q.id, kind="mc"))
    data = old.to_dict()
    for key in ("version", "cards", "legacy_correct", "tested_out", "daily", "goal", "days", "blitz_points",
                "blitz_run"):
        del data[key]
    migrated = Progress.from_dict(data)
    assert migrated.rebuilt and migrated.applied == 0 and migrated.cards == {}
    assert [s.id for s in unlocked_sections(mini_bank, migrated)] == ["basics", "middle"]
    # New answers under the new rule do not open more by themselves.
    for q in mini_bank.section("middle").questions:
        migrated.apply(answer_event(q.id, kind="mc"))
    assert [s.id for s in unlocked_sections(mini_bank, migrated)] == ["basics", "middle"]


def test_the_store_replays_an_old_save_into_cards(tmp_path, mini_bank):
    from quizgame.store.tinydb_store import TinyDBStore

    store = TinyDBStore(tmp_path / "saves", clock=FixedClock(DAY0))
    store.add_player("Ana")
    for day in (0, 3):
        store.record_answer("Ana", "mini", answer_event("b-epoch", at=at(day), kind="recall", seconds=40.0))
    path = next((tmp_path / "saves" / "players").glob("*/progress-mini.json"))
    import json

    doc = json.loads(path.read_text())
    snap = doc["progress"]["1"]
    for key in ("version", "cards", "legacy_correct"):
        del snap[key]
    path.write_text(json.dumps(doc))
    reopened = TinyDBStore(tmp_path / "saves", clock=FixedClock(DAY0))
    progress = reopened.progress("Ana", "mini")
    assert set(progress.cards) == {"b-epoch"} and progress.answers == 2 and progress.applied == 2
    assert is_mastered(progress, "b-epoch")
    assert json.loads(path.read_text())["progress"]["1"]["version"] == 2  # rebuilt once, then saved


# -- daily challenge -----------------------------------------------------------------------------------


def test_daily_seed_is_the_same_for_everyone_and_changes_each_day(shipped_bank):
    ana, bo = Progress(), Progress()
    master(bo, shipped_bank.section("foundation").questions)  # Bo has more open: the pool is the shared part
    day = date(2024, 5, 1)
    first = study.plan(shipped_bank, ana, "daily", DAY0, everyone={"Ana": ana, "Bo": bo})
    second = study.plan(shipped_bank, bo, "daily", DAY0 + timedelta(hours=5), everyone={"Ana": ana, "Bo": bo})
    ids = [i.question.id for i in first.items]
    assert ids == [i.question.id for i in second.items] and len(ids) == study.DAILY_SIZE
    assert [i.choice.options for i in first.items] == [i.choice.options for i in second.items]
    assert {i.question.section for i in first.items} == {"foundation"}
    assert study.daily_seed(day, shipped_bank) != study.daily_seed(day + timedelta(days=1), shipped_bank)
    tomorrow = study.plan(shipped_bank, ana, "daily", DAY0 + timedelta(days=1), everyone={"Ana": ana})
    assert [i.question.id for i in tomorrow.items] != ids
    assert first.day == "2024-05-01"


def test_daily_is_played_once_a_day_with_a_board_and_history(mini_bank):
    store = MemoryStore()
    clock = FixedClock(DAY0)
    for name in ("Ana", "Bo"):
        store.add_player(name)
    for scores in [{"Ana": 3, "Bo": 4}, {"Ana": 4, "Bo": 1}]:
        for name, right in scores.items():
            p = store.progress(name, mini_bank.id)
            plan = study.plan(mini_bank, p, "daily", clock.now(), everyone=store.everyone(mini_bank.id))
            session = RoundSession(plan, mini_bank, clock)
            for n in range(len(plan.items)):
                item = session.current
                pick = item.choice.correct if n < right else (item.choice.correct + 1) % 4
                _, outcome = store.record_answer(name, mini_bank.id, session.judge(pick).event)
                session.recorded(outcome)
                session.advance()
            store.record_round(name, mini_bank.id, session.round_event())
            with pytest.raises(RoundError, match="played today"):
                study.plan(mini_bank, store.progress(name, mini_bank.id), "daily", clock.now())
        clock.advance(days=1)
    everyone = store.everyone(mini_bank.id)
    board = study.daily_board(everyone, date(2024, 5, 2))
    assert [(r.rank, r.player, r.correct) for r in board] == [(1, "Ana", 4), (2, "Bo", 1)]
    history = study.daily_history(everyone, date(2024, 5, 3))
    assert [(d.isoformat(), rows[0].player) for d, rows in history] == [("2024-05-02", "Ana"), ("2024-05-01", "Bo")]


# -- goal, streak and freezes -----------------------------------------------------------------------------


def play_days(p: Progress, days: list[int], answers: int = 10) -> None:
    for day in days:
        for n in range(answers):
            p.apply(answer_event("b-lr", at=at(day, minutes=n), kind="mc", seconds=30.0))


def test_goal_streak_earns_a_freeze_every_7_days_at_most_2(mini_bank):
    p = Progress()
    play_days(p, list(range(21)))
    h = study.habit(p, date(2024, 5, 21))
    assert (h.streak, h.freezes, h.met_today) == (21, 2, True)  # 3 weeks, but 2 freezes at most


def test_a_missed_day_uses_a_freeze_instead_of_resetting(mini_bank):
    p = Progress()
    play_days(p, [*range(7), 8, 9])  # day 7 missed
    h = study.habit(p, date(2024, 5, 10))
    assert (h.streak, h.freezes, h.frozen_days) == (9, 0, (date(2024, 5, 8),))
    play_days(p, [11])  # day 10 missed with no freeze left
    assert study.habit(p, date(2024, 5, 12)).streak == 1


def test_today_unfinished_does_not_break_the_streak_and_goal_counts_progress(mini_bank):
    p = Progress()
    play_days(p, [0, 1])
    play_days(p, [2], answers=4)
    h = study.habit(p, date(2024, 5, 3))
    assert (h.streak, h.done_today, h.met_today) == (2, 4, False)
    assert study.habit(p, date(2024, 5, 4)).streak == 0  # day 2 ended short, no freeze


def test_minutes_goal_and_streak_display_setting(mini_bank):
    p = Progress()
    p.apply(study.goal_event("minutes", 5, False, DAY0, "g1"))
    play_days(p, [0], answers=9)  # 9 × 30 s = 4.5 minutes
    h = study.habit(p, date(2024, 5, 1))
    assert (h.unit, h.amount, h.done_today, h.met_today, h.show_streak) == ("minutes", 5, 4.5, False, False)
    play_days(p, [0], answers=1)
    assert study.habit(p, date(2024, 5, 1)).met_today


# -- blitz -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds, correct, run, points", [
    (0.0, True, 0, 1000),      # t = 0: full points
    (20.0, True, 0, 500),      # t = T: half
    (10.0, True, 0, 750),
    (5.0, True, 2, 875 + 200),
    (5.0, True, 9, 875 + 500),  # the streak bonus stops at +500
    (25.0, True, 0, 500),      # never below half for a right answer
    (3.0, False, 4, 0),
])
def test_blitz_points_kahoot_rule(seconds, correct, run, points):
    assert blitz_points(seconds, 20.0, correct, run) == points


def test_blitz_round_timeouts_are_wrong_and_the_round_goes_on(mini_bank):
    store = MemoryStore()
    store.add_player("Ana")
    clock = FixedClock(DAY0)
    plan = study.plan(mini_bank, store.progress("Ana", mini_bank.id), "blitz", DAY0, size=4, seed=2, seconds=20)
    assert plan.limit == 20.0 and all(i.kind == "mc" for i in plan.items)
    session = RoundSession(plan, mini_bank, clock)
    points = []
    for wait, pick_right in [(0.0, True), (20.0, True), (19.9, True), (4.0, True)]:
        session.start_timer()
        clock.advance(seconds=wait)
        item = session.current
        response = None if session.timed_out() else (item.choice.correct if pick_right else 0)
        judgement = session.judge(response)
        _, outcome = store.record_answer("Ana", mini_bank.id, judgement.event)
        session.recorded(outcome)
        points.append((judgement.grade.verdict, outcome.points, judgement.event.get("timeout")))
        session.advance()
    assert points == [("correct", 1000, False), ("wrong", 0, True), ("correct", 503, False),
                      ("correct", 900 + 100, False)]
    after, _ = store.record_round("Ana", mini_bank.id, session.round_event())
    assert after.points == 0 and after.blitz_points == 2503  # blitz keeps its own scale
    assert leaderboard(mini_bank, {"Ana": after})[0].blitz_best == 2503


def test_blitz_timer_has_no_drift_across_a_round(mini_bank):
    """Thousands of 100 ms ticks: the time left comes from the start, not from adding ticks."""
    clock = FixedClock(DAY0)
    plan = study.plan(mini_bank, Progress(), "blitz", DAY0, size=4, seed=1, seconds=20)
    session = RoundSession(plan, mini_bank, clock)
    for _ in range(4):
        session.start_timer()
        ticks = 0
        while not session.timed_out():
            clock.advance(seconds=0.1 + random.Random(ticks).uniform(-0.03, 0.03))  # uneven ticks
            ticks += 1
        assert 0.0 <= session.elapsed() - 20.0 < 0.14
        assert session.remaining() == 0.0
        session.judge(None)
        clock.advance(seconds=3)  # reading the feedback is not timed
        session.advance()


def test_blitz_seconds_are_checked(mini_bank):
    with pytest.raises(RoundError, match="seconds"):
        study.plan(mini_bank, Progress(), "blitz", DAY0, seconds=1)


def test_a_right_pick_after_typed_recall_leaves_the_card_alone():
    p = Progress()
    recall(p, "b-lr", 0)
    typed = dict(p.cards["b-lr"])
    p.apply(answer_event("b-lr", at=at(1), kind="mc"))
    assert p.cards["b-lr"] == typed  # no Hard piling up difficulty on a card already recalled
    p.apply(answer_event("b-lr", "wrong", at=at(1), kind="mc"))
    assert p.cards["b-lr"]["stability"] < typed["stability"]  # a wrong pick still counts


def test_the_simulated_month_runs_and_opens_sections_in_order():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "simulate_30_days.py"
    spec = importlib.util.spec_from_file_location("simulate_30_days", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines: list[str] = []
    opened = module.simulate(days=4, seed=5, out=lines.append)
    assert opened["foundation"] == 0 and opened["rl"] is None  # four days are not enough honestly
    assert lines[0].startswith("day  1") and "Reinforcement Learning: still locked" in lines


def test_queue_order_is_fsrs_retrievability_order():
    p = Progress()
    rng = random.Random(3)
    for n in range(40):
        qid = f"q{n}"
        for day in sorted(rng.sample(range(30), rng.randint(1, 4))):
            p.apply(answer_event(qid, rng.choice(["correct", "wrong", "partial"]), at=at(day), kind="recall",
                                 seconds=rng.uniform(5, 60)))
    now = DAY0 + timedelta(days=45)
    by_fsrs = sorted(p.cards, key=lambda q: (review.retrievability(p.cards[q], now), q))
    by_key = sorted(p.cards, key=lambda q: (-review.forgetting(p.cards[q], now.timestamp()), q))
    assert by_fsrs == by_key


@pytest.mark.parametrize("field, value", [
    ("cards", {"b-lr": "soon"}),
    ("cards", {"b-lr": {"due": "tomorrow", "stability": 2.0, "difficulty": 5.0, "state": 2}}),
    ("cards", {"b-lr": {"due": "2024-05-02T09:00:00+00:00", "stability": -1, "difficulty": 5.0, "state": 2}}),
    ("days", {"2024-05-01": {"answers": "ten"}}),
    ("daily", {"someday": {}}),
    ("goal", {"unit": "pages", "amount": 3}),
])
def test_a_snapshot_with_damaged_study_fields_is_refused(field, value):
    """The store sets such a snapshot aside and replays the log, instead of the map crashing."""
    data = Progress().to_dict()
    data[field] = value
    with pytest.raises(ValueError):
        Progress.from_dict(data)


def test_the_store_rebuilds_a_snapshot_with_a_damaged_card(tmp_path):
    import json

    from quizgame.store.tinydb_store import TinyDBStore

    store = TinyDBStore(tmp_path / "saves", clock=FixedClock(DAY0))
    store.add_player("Ana")
    store.record_answer("Ana", "mini", answer_event("b-epoch", at=at(0), kind="recall", seconds=40.0))
    path = next((tmp_path / "saves" / "players").glob("*/progress-mini.json"))
    doc = json.loads(path.read_text())
    doc["progress"]["1"]["cards"]["b-epoch"] = {"due": None}
    path.write_text(json.dumps(doc))
    progress = TinyDBStore(tmp_path / "saves", clock=FixedClock(DAY0)).progress("Ana", "mini")
    assert progress.cards["b-epoch"]["due"] == "2024-05-03T09:00:00+00:00" and progress.answers == 1


def test_browse_searches_prompts_answers_and_topics_and_caps_the_list(shipped_bank):
    p = Progress()
    views, found = study.browse(shipped_bank, p, DAY0, "")
    assert found == len(views) == len(shipped_bank.questions)
    views, found = study.browse(shipped_bank, p, DAY0, "", limit=5)
    assert (len(views), found) == (5, len(shipped_bank.questions))
    views, found = study.browse(shipped_bank, p, DAY0, "BACKPROPAGATION")
    assert found >= 1 and all("backpropagation" in " ".join((v.question.prompt, v.question.answer,
                                                             v.question.option, *v.question.topics)).casefold()
                              for v in views)
    assert study.browse(shipped_bank, p, DAY0, "zzzz-no-such-word") == ([], 0)
