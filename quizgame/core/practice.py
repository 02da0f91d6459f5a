"""Weak-topic practice: most of a round from the player's weakest topics and the questions
they are least likely to recall now (FSRS retrievability), with some unseen questions mixed
in so practice also widens coverage."""
from __future__ import annotations

import random
from datetime import datetime

from quizgame.core.model import Bank, Question
from quizgame.core.progress import Progress
from quizgame.core.review import retrievability

UNSEEN_SHARE = 0.3
FOCUS_TOPICS = 3


def _smoothed(score: float, attempts: int) -> float:
    # One imaginary right and one wrong answer keep a single miss from dominating.
    return (score + 1.0) / (attempts + 2.0)


def _recall_odds(progress: Progress, question_id: str, now: datetime | None) -> float:
    """FSRS's odds the player recalls the question now; smoothed accuracy without a card."""
    card = progress.cards.get(question_id)
    if card is not None and now is not None:
        return retrievability(card, now)
    stat = progress.questions[question_id]
    return _smoothed(stat.score, stat.attempts)


def _now(progress: Progress, now: datetime | None) -> datetime | None:
    if now is not None:
        return now
    stamps = [c["last_review"] for c in progress.cards.values() if c.get("last_review")]
    return datetime.fromisoformat(max(stamps)) if stamps else None


def weak_topics(bank: Bank, progress: Progress, pool: list[Question], limit: int = FOCUS_TOPICS,
                now: datetime | None = None) -> list[str]:
    """Topics of the pool the player has answered, least likely recalled first."""
    now = _now(progress, now)
    totals: dict[str, list[float]] = {}
    for q in pool:
        stat = progress.questions.get(q.id)
        if stat and stat.attempts:
            odds = _recall_odds(progress, q.id, now)
            for topic in q.topics:
                entry = totals.setdefault(topic, [0.0, 0])
                entry[0] += odds
                entry[1] += 1
    ranked = sorted(totals, key=lambda t: (totals[t][0] / totals[t][1], t))
    return ranked[:limit]


def weak_selection(bank: Bank, progress: Progress, pool: list[Question], size: int,
                   rng: random.Random, now: datetime | None = None) -> tuple[list[Question], list[str]]:
    now = _now(progress, now)
    focus = weak_topics(bank, progress, pool, now=now)
    focus_set = set(focus)
    answered = progress.questions
    seen = [q for q in pool if q.id in answered and answered[q.id].attempts]
    unseen = [q for q in pool if q.id not in answered or not answered[q.id].attempts]

    def need(q: Question) -> float:
        miss = 1.0 - _recall_odds(progress, q.id, now)
        return miss + (0.25 if focus_set & set(q.topics) else 0.0) + rng.random() * 0.05

    fresh = min(len(unseen), max(1, round(size * UNSEEN_SHARE))) if unseen else 0
    picked: list[Question] = []
    taken: set[str] = set()

    def take(questions: list[Question], count: int) -> None:
        for q in questions:
            if count <= 0 or len(picked) == size:
                return
            if q.id not in taken:
                picked.append(q)
                taken.update({q.id, *q.overlaps})
                count -= 1

    ranked = sorted(seen, key=need, reverse=True)
    take(ranked, size - fresh)
    # A sample a few times larger than needed leaves room for skipped overlaps.
    take(rng.sample(unseen, min(len(unseen), 3 * size + 10)), size - len(picked))
    take(ranked, size - len(picked))
    rng.shuffle(picked)
    return picked, focus
