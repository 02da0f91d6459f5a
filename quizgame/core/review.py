"""Spaced review on FSRS: each answered question has a card the `fsrs` package schedules.

Everything here is pure: times come in as arguments (from the injected clock or from the
answer event), and cards are plain dicts kept in the player's progress snapshot.

How an answer becomes an FSRS rating:
- wrong (or a blitz timeout) rates Again;
- picked, not typed (multiple choice, a picked cloze term), a right pick rates Hard: recognising
  the answer among four is weaker evidence than producing it, so it grows the interval slowly;
  once the question has been typed, a right pick leaves the card alone (Progress._card);
- a typed partial answer rates Hard, a typed correct one Good;
- a correct recall typed within FAST_RECALL_SECONDS rates Easy.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from quizgame.core.model import CORRECT, PARTIAL, WRONG

if TYPE_CHECKING:  # fsrs is imported on first use: the title screen does not need it
    from fsrs import Card, Scheduler

# FSRS ratings, as fsrs.Rating numbers them.
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

# Typing a one- or two-sentence answer at an ordinary 40 words a minute takes 10-15 s; an
# answer in at most 20 s was recalled without searching for it (Anki's "Easy").
FAST_RECALL_SECONDS = 20.0
# FSRS stability is the number of days until recall odds fall to 90%. Ten days needs two good
# recalls on different days (2.3 days after the first, 11 after the second with the default
# parameters); one fast recall alone reaches 8.3 days, not enough.
MASTERY_STABILITY_DAYS = 10.0
FORECAST_DAYS = 7

PICKED_KINDS = ("mc",)


@lru_cache(maxsize=1)
def scheduler() -> Scheduler:
    """The FSRS scheduler with its default (trained) parameters and 90% desired retention.

    No learning steps: a card is due on whole days, since a round already repeats a missed
    question soon; no fuzzing, so replaying the same answers gives the same schedule.
    """
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def utc(moment: datetime) -> datetime:
    """FSRS wants UTC; a naive time (a test clock) is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def was_picked(event: dict[str, Any]) -> bool:
    """Whether the answer was picked among options rather than typed.

    Cloze answers can be either: the event says so; an old event that does not say counts
    as picked, the weaker evidence.
    """
    kind = event.get("kind", "mc")
    if kind in PICKED_KINDS:
        return True
    if kind == "cloze":
        return bool(event.get("picked", True))
    return False


def rating_for(event: dict[str, Any], verdict: str) -> int:
    """The FSRS rating (AGAIN, HARD, GOOD or EASY) this answer earns."""
    if verdict == WRONG:
        return AGAIN
    if was_picked(event) or verdict == PARTIAL:
        return HARD
    seconds = event.get("seconds")
    if (event.get("kind") == "recall" and verdict == CORRECT and isinstance(seconds, (int, float))
            and 0 <= seconds <= FAST_RECALL_SECONDS):
        return EASY
    return GOOD


def _card(data: dict[str, Any] | None) -> Card:
    from fsrs import Card, State

    if not data:
        return Card(card_id=0)
    return Card(
        card_id=0, state=State(data["state"]), step=data.get("step"), stability=data["stability"],
        difficulty=data["difficulty"], due=datetime.fromisoformat(data["due"]),
        last_review=datetime.fromisoformat(data["last_review"]) if data.get("last_review") else None,
    )


def review(data: dict[str, Any] | None, rating: int, at: datetime) -> dict[str, Any]:
    """The card after one review at `at`; `data` is the card before (None for a new one)."""
    from fsrs import Rating

    card, _ = scheduler().review_card(_card(data), Rating(rating), utc(at))
    return {
        "state": int(card.state), "step": card.step, "stability": round(float(card.stability or 0.0), 4),
        "difficulty": round(float(card.difficulty or 0.0), 4), "due": card.due.isoformat(timespec="seconds"),
        "last_review": card.last_review.isoformat(timespec="seconds") if card.last_review else None,
        "reviewed_ts": card.last_review.timestamp() if card.last_review else None,  # for forgetting()
    }


def retrievability(data: dict[str, Any], now: datetime) -> float:
    """FSRS's odds (0-1) that the player recalls the answer now."""
    return float(scheduler().get_card_retrievability(_card(data), utc(now)))


def forgetting(data: dict[str, Any], now_ts: float) -> float:
    """Whole days since the last review over stability: FSRS's retrievability falls as this
    grows (R = (1 + F·t/S)^−d), so sorting by it orders cards as R does, without building
    an fsrs Card for each one: a queue of 20,000 cards sorts in milliseconds. `now_ts` is the
    POSIX timestamp of now."""
    last = data.get("reviewed_ts")
    if last is None:
        if not data.get("last_review"):
            return float("inf")
        last = datetime.fromisoformat(data["last_review"]).timestamp()
    days = (now_ts - last) // 86400  # whole days, as fsrs counts them (timedelta.days)
    return float(max(days, 0.0) / max(float(data["stability"]), 1e-6))


def due_at(data: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(data["due"])


def end_of_day(day: date, like: datetime) -> datetime:
    """The last moment of `day` in the time zone of `like` (the clock's zone)."""
    moment = datetime.combine(day + timedelta(days=1), time(0), tzinfo=like.tzinfo)
    return utc(moment) - timedelta(microseconds=1)


def due_today(cards: dict[str, dict[str, Any]], now: datetime, known: set[str] | None = None) -> list[str]:
    """Question ids due by the end of today, most overdue first."""
    limit = end_of_day(now.date(), now).isoformat(timespec="seconds")
    # ISO times in UTC with the same format sort as text: no parsing for most cards.
    due = [(card["due"], qid) for qid, card in cards.items()
           if (known is None or qid in known) and card["due"] <= limit]
    due.sort()
    return [qid for _, qid in due]


def forecast(cards: dict[str, dict[str, Any]], now: datetime, days: int = FORECAST_DAYS,
             known: set[str] | None = None) -> list[tuple[date, int]]:
    """Reviews due on each of the next `days` days; today's count includes any overdue."""
    today = now.date()
    limits = [end_of_day(today + timedelta(days=n), now).isoformat(timespec="seconds") for n in range(days)]
    counts = [0] * days
    for qid, card in cards.items():
        if known is not None and qid not in known:
            continue
        for n, limit in enumerate(limits):
            if card["due"] <= limit:
                counts[n] += 1
                break
    return [(today + timedelta(days=n), counts[n]) for n in range(days)]


def is_stable(data: dict[str, Any] | None) -> bool:
    return bool(data) and float(data["stability"]) >= MASTERY_STABILITY_DAYS  # type: ignore[index]
