"""Rounds for studying every day: due reviews, test-outs, blitz, one question or topic, and
the daily challenge; plus the day's goal, the streak and its freezes.

Pure: the time comes in as an argument (the injected clock's), nothing is written.
"""
from __future__ import annotations

import hashlib
import heapq
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from quizgame.core import review
from quizgame.core.choices import multiple_choice
from quizgame.core.model import Bank, Question, Section
from quizgame.core.progress import TESTOUT_SIZE, Progress, goal_met
from quizgame.core.rounds import ALL_SECTIONS, DEFAULT_SIZE, MAX_SIZE, Item, RoundError, RoundPlan, plan_round
from quizgame.core.stats import section_states, testout_section, unlocked_sections

DAILY_SIZE = 10
DEFAULT_BLITZ_SECONDS = 20.0
MIN_BLITZ_SECONDS, MAX_BLITZ_SECONDS = 5.0, 120.0
# Freezes as Duolingo gives them: one for each 7 days in a row the goal is met, at most 2 held.
FREEZE_EVERY = 7
MAX_FREEZES = 2


class StudyError(ValueError):
    """A study round that cannot be played now (nothing due, no locked section, played today)."""


# -- review ----------------------------------------------------------------------------------


def due_questions(bank: Bank, progress: Progress, now: datetime) -> list[Question]:
    """Questions of this bank due by the end of today, most overdue first."""
    ids = review.due_today(progress.cards, now)
    return [q for q in (bank.question(i) for i in ids) if q is not None]


def due_count(bank: Bank, progress: Progress, now: datetime) -> int:
    limit = review.end_of_day(now.date(), now).isoformat(timespec="seconds")
    question = bank.question
    return sum(1 for qid, card in progress.cards.items() if card["due"] <= limit and question(qid) is not None)


def forecast(bank: Bank, progress: Progress, now: datetime) -> list[tuple[date, int]]:
    known = {qid for qid in progress.cards if bank.question(qid) is not None}
    return review.forecast(progress.cards, now, known=known)


def review_selection(bank: Bank, progress: Progress, now: datetime, size: int) -> list[Question]:
    """Due questions, least likely to be recalled first (FSRS retrievability order); never
    two that overlap. One pass over the cards, and only the first few are sorted."""
    limit = review.end_of_day(now.date(), now).isoformat(timespec="seconds")
    now_ts = review.utc(now).timestamp()
    due: list[tuple[float, str]] = []
    append = due.append
    for qid, card in progress.cards.items():
        if card["due"] <= limit:
            last = card.get("reviewed_ts")
            if last is None:
                append((-review.forgetting(card, now_ts), qid))
            else:  # review.forgetting, spelled out: a player with 20,000 cards has 20,000 to rank
                days, stability = (now_ts - last) // 86400, float(card["stability"])
                append((-float((days if days > 0.0 else 0.0) / (stability if stability > 1e-6 else 1e-6)), qid))
    # Overlapping questions, or ones the bank no longer has, are skipped: take a margin, and
    # sort everything only if the margin was not enough.
    for whole in (False, True):  # the whole list is sorted only if need be
        ranked = sorted(due) if whole else heapq.nsmallest(4 * size + 10, due)
        picked: list[Question] = []
        taken: set[str] = set()
        for _, qid in ranked:
            q = bank.question(qid)
            if q is not None and qid not in taken:
                picked.append(q)
                taken.update({qid, *q.overlaps})
            if len(picked) == size:
                return picked
        if len(ranked) == len(due):
            return picked
    return picked


def retrievability_of(progress: Progress, question_id: str, now: datetime) -> float | None:
    card = progress.cards.get(question_id)
    return None if card is None else review.retrievability(card, now)


# -- test-out ---------------------------------------------------------------------------------


def testout_selection(bank: Bank, progress: Progress, rng: random.Random) -> tuple[Section, list[Question]]:
    section = testout_section(bank, progress)
    if section is None:
        raise StudyError("every section is already open: there is nothing to test out of")
    pool = list(section.questions)
    rng.shuffle(pool)
    picked: list[Question] = []
    taken: set[str] = set()
    for q in pool:
        if q.id not in taken:
            picked.append(q)
            taken.update({q.id, *q.overlaps})
    if len(picked) < TESTOUT_SIZE:  # overlapping questions too, rather than a shorter test
        picked += [q for q in pool if q not in picked][: TESTOUT_SIZE - len(picked)]
    return section, picked[:TESTOUT_SIZE]


# -- daily challenge ------------------------------------------------------------------------


def daily_seed(day: date, bank: Bank) -> str:
    return hashlib.sha256(f"{day.isoformat()}:{bank.id}".encode()).hexdigest()[:16]


def daily_pool(bank: Bank, everyone: dict[str, Progress]) -> list[Question]:
    """Questions of the sections every player has open; the first section when none is shared."""
    shared: list[Section] | None = None
    for progress in everyone.values():
        mine = unlocked_sections(bank, progress)
        shared = mine if shared is None else [s for s in shared if s in mine]
    sections = shared or [bank.sections[0]]
    return [q for s in sections for q in s.questions]


def daily_selection(bank: Bank, everyone: dict[str, Progress], day: date) -> list[Question]:
    """Today's ten questions, the same for everyone on this machine.

    The first player to finish today's challenge fixes them: later players get the same
    list even if the pool has changed since (a new player joined, a section opened).
    """
    key = day.isoformat()
    for progress in everyone.values():
        entry = progress.daily.get(key)
        if entry and entry.get("done"):
            found = [q for q in (bank.question(i) for i in entry["questions"]) if q is not None]
            if found:
                return found
    pool = daily_pool(bank, everyone)
    rng = random.Random(daily_seed(day, bank))
    picked: list[Question] = []
    taken: set[str] = set()
    for q in rng.sample(pool, len(pool)):
        if q.id not in taken:
            picked.append(q)
            taken.update({q.id, *q.overlaps})
        if len(picked) == DAILY_SIZE:
            break
    return picked


def played_daily(progress: Progress, day: date) -> bool:
    return day.isoformat() in progress.daily


@dataclass(frozen=True, slots=True)
class DailyRow:
    rank: int
    player: str
    points: int
    correct: int
    answered: int
    done: bool


def daily_board(everyone: dict[str, Progress], day: date) -> list[DailyRow]:
    key = day.isoformat()
    entries = [(p, prog.daily[key]) for p, prog in everyone.items() if key in prog.daily]
    entries.sort(key=lambda e: (-e[1]["points"], -e[1]["correct"], e[0].casefold()))
    return [DailyRow(n, p, e["points"], e["correct"], e["answered"], bool(e.get("done")))
            for n, (p, e) in enumerate(entries, 1)]


def daily_history(everyone: dict[str, Progress], before: date, days: int = 14) -> list[tuple[date, list[DailyRow]]]:
    """Past days' boards, newest first, for days someone played."""
    keys = sorted({k for prog in everyone.values() for k in prog.daily if k < before.isoformat()}, reverse=True)
    return [(date.fromisoformat(k), daily_board(everyone, date.fromisoformat(k))) for k in keys[:days]]


# -- goal and streak ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Habit:
    unit: str            # "answers" or "minutes"
    amount: int          # the goal
    done_today: float    # answers, or minutes, so far today
    met_today: bool
    streak: int          # days in a row the goal was met, freezes bridging missed days
    best_streak: int
    freezes: int         # held now, at most MAX_FREEZES
    frozen_days: tuple[date, ...]  # missed days a freeze covered
    show_streak: bool


def habit(progress: Progress, today: date) -> Habit:
    """The goal streak as of `today`: a day not yet over never breaks it."""
    goal = progress.goal
    streak = best = run = freezes = 0
    frozen: list[date] = []
    if progress.days:
        day = date.fromisoformat(min(progress.days))
        while day <= today:
            entry = progress.days.get(day.isoformat())
            if entry and entry["met"]:
                streak += 1
                run += 1
                best = max(best, streak)
                if run % FREEZE_EVERY == 0:
                    freezes = min(MAX_FREEZES, freezes + 1)
            elif day < today:
                run = 0
                if streak and freezes:
                    freezes -= 1
                    frozen.append(day)
                else:
                    streak = 0
            day += timedelta(days=1)
    entry = progress.days.get(today.isoformat(), {"answers": 0, "seconds": 0.0, "met": False})
    done = entry["seconds"] / 60 if goal["unit"] == "minutes" else entry["answers"]
    return Habit(goal["unit"], int(goal["amount"]), done, bool(entry["met"]) or goal_met(goal, entry),
                 streak, best, freezes, tuple(frozen), bool(goal.get("show_streak", True)))


def goal_event(unit: str, amount: int, show_streak: bool, at: datetime, event_id: str) -> dict[str, Any]:
    return {"type": "goal", "id": event_id, "unit": unit, "amount": amount, "show_streak": show_streak,
            "at": at.isoformat(timespec="seconds")}


# -- browse -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionView:
    question: Question
    section: Section
    unlocked: bool
    mastered: bool
    answered: int
    due: datetime | None
    retrievability: float | None


def browse(bank: Bank, progress: Progress, now: datetime, query: str = "",
           limit: int | None = None) -> tuple[list[QuestionView], int]:
    """The bank in order, with the player's mastery and next due date; `query` filters by
    words found in the prompt, the answer or the topics. Returns the first `limit` views
    and how many questions match in all (a 20,000-question bank is not listed whole)."""
    from quizgame.core.stats import is_mastered

    words = query.casefold().split()
    open_ids = {s.section.id for s in section_states(bank, progress) if s.unlocked}
    views: list[QuestionView] = []
    found = 0
    for section in bank.sections:
        for q in section.questions:
            if words:
                text = " ".join((q.prompt, q.answer, q.option, *q.topics)).casefold()
                if not all(w in text for w in words):
                    continue
            found += 1
            if limit is not None and len(views) >= limit:
                continue
            card = progress.cards.get(q.id)
            stat = progress.questions.get(q.id)
            views.append(QuestionView(
                q, section, section.id in open_ids, is_mastered(progress, q.id), stat.attempts if stat else 0,
                review.due_at(card) if card else None, review.retrievability(card, now) if card else None))
    return views, found


# -- plans --------------------------------------------------------------------------------------

STUDY_MODES = ("review", "blitz", "testout", "daily")


def plan(bank: Bank, progress: Progress, mode: str, now: datetime, section: str | None = None,
         size: int = DEFAULT_SIZE, seed: int | str | None = None, seconds: float = DEFAULT_BLITZ_SECONDS,
         everyone: dict[str, Progress] | None = None) -> RoundPlan:
    """Any round: the study modes here, the others from plan_round. RoundError if it cannot be played."""
    if mode not in STUDY_MODES:
        return plan_round(bank, progress, mode, section, size, seed, now=now)
    if not 1 <= size <= MAX_SIZE:
        raise RoundError(f"a round has 1 to {MAX_SIZE} questions, not {size}")
    rng = random.Random(f"{seed}:round") if seed is not None else random.Random()
    item_seed: int | str = seed if seed is not None else rng.getrandbits(48)
    round_id = f"{rng.getrandbits(64):016x}"
    if mode == "review":
        questions = review_selection(bank, progress, now, size)
        if not questions:
            raise RoundError("nothing is due for review today: come back tomorrow, or play a round")
        return RoundPlan(round_id, mode, ALL_SECTIONS, tuple(Item(q, "recall") for q in questions))
    if mode == "testout":
        try:
            chosen, questions = testout_selection(bank, progress, rng)
        except StudyError as error:
            raise RoundError(str(error)) from None
        return RoundPlan(round_id, mode, chosen.id, tuple(Item(q, "recall") for q in questions))
    if mode == "daily":
        day = now.date()
        if played_daily(progress, day):
            raise RoundError("you have played today's challenge: a new one opens tomorrow")
        questions = daily_selection(bank, everyone or {"": progress}, day)
        daily = daily_seed(day, bank)
        items = tuple(Item(q, "mc", choice=multiple_choice(q, bank, daily)) for q in questions)
        return RoundPlan(f"daily-{day.isoformat()}-{round_id[:8]}", mode, ALL_SECTIONS, items, day=day.isoformat())
    if not MIN_BLITZ_SECONDS <= seconds <= MAX_BLITZ_SECONDS:
        raise RoundError(f"a blitz gives {MIN_BLITZ_SECONDS:g} to {MAX_BLITZ_SECONDS:g} seconds a question, "
                         f"not {seconds:g}")
    base = plan_round(bank, progress, "mc", section, size, item_seed)
    return RoundPlan(round_id, mode, base.section, base.items, limit=float(seconds))


def practice_plan(bank: Bank, questions: list[Question], seed: int | str | None = None) -> RoundPlan:
    """Just these questions, typed (recall): practice picked from the browse screen."""
    rng = random.Random(f"{seed}:round") if seed is not None else random.Random()
    questions = list(questions)
    rng.shuffle(questions)
    return RoundPlan(f"{rng.getrandbits(64):016x}", "recall", ALL_SECTIONS,
                     tuple(Item(q, "recall") for q in questions[:MAX_SIZE]))
