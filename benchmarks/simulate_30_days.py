"""A simulated month of one honest player, through the real engine and an injected clock.

    .venv/bin/python benchmarks/simulate_30_days.py [--days 30] [--seed 5]

Each evening the player does every review that is due (recall), one round of 10 recall
questions from the open sections, and the daily challenge (multiple choice). Whether they
recall an answer comes from a simple memory of their own, not from the game: each question
starts known with odds PRIOR_KNOWN; a success multiplies how long it is kept by GROWTH, a
miss (then reading the reference answer) starts it again at one day. Typed answers are the
reference answer (graded right) or "I am not sure" (graded wrong). Prints, per day, what was
done and, at the end, the day each section opened.
"""
from __future__ import annotations

import argparse
import math
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PRIOR_KNOWN = 0.5    # an interview candidate knows about half the bank cold
GROWTH = 2.5         # each success keeps the memory 2.5 times longer (the spacing effect)
START = datetime(2026, 12, 1, 19, 0, tzinfo=timezone.utc)


class Learner:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.memory: dict[str, tuple[float, datetime]] = {}  # question -> (days kept, last seen)

    def recalls(self, qid: str, now: datetime) -> bool:
        if qid not in self.memory:
            ok = self.rng.random() < PRIOR_KNOWN
        else:
            days, seen = self.memory[qid]
            odds = math.exp(-max((now - seen).total_seconds() / 86400, 0) / days)
            ok = self.rng.random() < odds
        days = self.memory.get(qid, (1.0, now))[0]
        self.memory[qid] = (days * GROWTH if ok else 1.0, now)
        return ok


def play(store, bank, clock, learner, plan, player: str) -> tuple[int, int]:
    from quizgame.core.session import RoundSession

    session = RoundSession(plan, bank, clock)
    right = 0
    while session.current is not None:
        item = session.current
        ok = learner.recalls(item.question.id, clock.now())
        clock.advance(seconds=learner.rng.uniform(15, 60))
        if item.kind == "mc":
            response: int | str = item.choice.correct if ok else (item.choice.correct + 1) % len(item.choice.options)
        else:
            response = item.question.answer if ok else "I am not sure"
        judgement = session.judge(response)
        _, outcome = store.record_answer(player, bank.id, judgement.event)
        session.recorded(outcome)
        right += judgement.grade.verdict == "correct"
        session.advance()
    store.record_round(player, bank.id, session.round_event())
    return right, len(plan.items)


def simulate(days: int = 30, seed: int = 5, out=print) -> dict[str, int | None]:
    from quizgame.core import study
    from quizgame.core.bank import load_bank
    from quizgame.core.clock import FixedClock
    from quizgame.core.rounds import RoundError, plan_round
    from quizgame.core.stats import section_states
    from quizgame.store.base import MemoryStore

    bank = load_bank()
    store = MemoryStore()
    player = store.add_player("Sim")
    clock = FixedClock(START)
    learner = Learner(random.Random(seed))
    opened: dict[str, int | None] = {s.id: None for s in bank.sections}
    opened[bank.sections[0].id] = 0
    for day in range(1, days + 1):
        clock.current = START + timedelta(days=day - 1)
        progress = store.progress(player, bank.id)
        due = study.due_count(bank, progress, clock.now())
        reviewed = review_right = 0
        while True:
            try:
                plan = study.plan(bank, store.progress(player, bank.id), "review", clock.now(), size=30,
                                  seed=f"{seed}-{day}-r{reviewed}")
            except RoundError:
                break
            r, n = play(store, bank, clock, learner, plan, player)
            review_right, reviewed = review_right + r, reviewed + n
            if reviewed >= 60:
                break
        plan = plan_round(bank, store.progress(player, bank.id), "recall", None, 10, f"{seed}-{day}", now=clock.now())
        new_right, new_n = play(store, bank, clock, learner, plan, player)
        daily = study.plan(bank, store.progress(player, bank.id), "daily", clock.now(),
                           everyone=store.everyone(bank.id))
        daily_right, daily_n = play(store, bank, clock, learner, daily, player)
        progress = store.progress(player, bank.id)
        states = section_states(bank, progress)
        for s in states:
            if s.unlocked and opened[s.section.id] is None:
                opened[s.section.id] = day
        habit = study.habit(progress, clock.now().date())
        mastered = " ".join(f"{s.mastered}/{s.total}" for s in states)
        out(f"day {day:2d} {clock.now():%a %b %d}: due {due:2d}, reviewed {review_right:2d}/{reviewed:2d} right, "
            f"new round {new_right}/{new_n}, daily {daily_right}/{daily_n}; mastered {mastered}; "
            f"goal streak {habit.streak}")
    out("")
    for s in bank.sections:
        day = opened[s.id]
        when = "open from the start" if day == 0 else f"opened on day {day}" if day else "still locked"
        out(f"{s.title}: {when}")
    return opened


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    simulate(args.days, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
