"""What a player's progress means for one bank: accuracy, mastery, unlocks, leaderboards.

Questions the bank no longer has are skipped, so editing the bank never breaks a save.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from quizgame.core.model import Bank, Section
from quizgame.core.progress import Progress

UNLOCK_SHARE = 0.7  # share of a section's questions answered correctly at least once
UNLOCK_RULE = (
    f"A section unlocks when you have answered {round(UNLOCK_SHARE * 100)}% of the questions "
    "of the section before it correctly at least once."
)


@dataclass(frozen=True, slots=True)
class Accuracy:
    answered: int      # answers given
    score: float       # sum of their scores

    @property
    def ratio(self) -> float | None:
        return self.score / self.answered if self.answered else None


@dataclass(frozen=True, slots=True)
class SectionState:
    section: Section
    unlocked: bool
    mastered: int       # questions answered correctly at least once
    needed: int         # how many of them unlock the next section

    @property
    def total(self) -> int:
        return len(self.section.questions)


def mastered(progress: Progress, section: Section) -> int:
    stats = progress.questions
    return sum(1 for q in section.questions if q.id in stats and stats[q.id].correct > 0)


def needed_to_unlock_next(section: Section) -> int:
    total = len(section.questions)
    return max(1, -(-int(UNLOCK_SHARE * 100) * total // 100))  # ceil without floats


def section_states(bank: Bank, progress: Progress) -> list[SectionState]:
    states = []
    unlocked = True
    for section in bank.sections:
        count = mastered(progress, section)
        states.append(SectionState(section, unlocked, count, needed_to_unlock_next(section)))
        unlocked = unlocked and count >= needed_to_unlock_next(section)
    return states


def unlocked_sections(bank: Bank, progress: Progress) -> list[Section]:
    return [s.section for s in section_states(bank, progress) if s.unlocked]


def accuracy_by_topic(bank: Bank, progress: Progress) -> dict[str, Accuracy]:
    totals: dict[str, list[float]] = {}
    for qid, stat in progress.questions.items():
        question = bank.question(qid)
        if question is None or not stat.attempts:
            continue
        for topic in question.topics:
            entry = totals.setdefault(topic, [0, 0.0])
            entry[0] += stat.attempts
            entry[1] += stat.score
    return {t: Accuracy(int(n), s) for t, (n, s) in sorted(totals.items())}


def accuracy_by_section(bank: Bank, progress: Progress) -> dict[str, Accuracy]:
    result = {}
    for section in bank.sections:
        answered = score = 0.0
        for q in section.questions:
            stat = progress.questions.get(q.id)
            if stat:
                answered += stat.attempts
                score += stat.score
        result[section.id] = Accuracy(int(answered), score)
    return result


def overall_accuracy(bank: Bank, progress: Progress) -> Accuracy:
    parts = accuracy_by_section(bank, progress).values()
    return Accuracy(sum(a.answered for a in parts), sum(a.score for a in parts))


def current_day_streak(progress: Progress, today: date) -> int:
    """The day streak still counts if the player last played today or yesterday."""
    if not progress.last_day:
        return 0
    last = date.fromisoformat(progress.last_day)
    return progress.day_streak if today - last <= timedelta(days=1) else 0


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    rank: int
    player: str
    points: int
    best_rounds: dict[str, int]   # section id -> best round points, any mode
    longest_streak: int
    accuracy: float | None
    answers: int


def leaderboard(bank: Bank, everyone: dict[str, Progress]) -> list[LeaderboardRow]:
    rows = []
    ordered = sorted(everyone.items(), key=lambda item: (-item[1].points, item[0].casefold()))
    for rank, (player, progress) in enumerate(ordered, 1):
        best: dict[str, int] = {}
        for key, points in progress.best_rounds.items():
            section = key.rsplit("/", 1)[0]
            best[section] = max(best.get(section, 0), points)
        overall = overall_accuracy(bank, progress)
        rows.append(LeaderboardRow(rank, player, progress.points, best, progress.best_streak,
                                   overall.ratio, progress.answers))
    return rows
