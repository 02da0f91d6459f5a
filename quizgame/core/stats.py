"""What a player's progress means for one bank: accuracy, mastery, unlocks, leaderboards.

Questions the bank no longer has are skipped, so editing the bank never breaks a save.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from quizgame.core.model import Bank, Section
from quizgame.core.progress import Progress
from quizgame.core.review import MASTERY_STABILITY_DAYS

UNLOCK_SHARE = 0.6  # share of a section's questions mastered that opens the next one
UNLOCK_RULE = (
    f"A section opens when {round(UNLOCK_SHARE * 100)}% of the one before it is mastered: recalled "
    f"by typing, and due back in {MASTERY_STABILITY_DAYS:g}+ days. x tests out of the next section."
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
    mastered: int       # questions mastered (see is_mastered)
    needed: int         # how many of them unlock the next section
    tested_out: bool = False

    @property
    def total(self) -> int:
        return len(self.section.questions)


def is_mastered(progress: Progress, question_id: str) -> bool:
    """Recalled by typing (not picked) with FSRS stability of 10+ days, not missed in between.

    Once mastered, a question stays mastered for unlocking: a later miss brings it back into
    review sooner (FSRS), but never locks a section again.
    """
    stat = progress.questions.get(question_id)
    return bool(stat and stat.mastered)


def mastered(progress: Progress, section: Section) -> int:
    return sum(1 for q in section.questions if is_mastered(progress, q.id))


def needed_to_unlock_next(section: Section) -> int:
    total = len(section.questions)
    return max(1, -(-int(UNLOCK_SHARE * 100) * total // 100))  # ceil without floats


# The rule before FSRS cards: 70% of a section answered right once. Saves from then keep
# every section it had opened (progress.legacy_correct), and nothing more.
LEGACY_UNLOCK_SHARE = 0.7


def _legacy_open(section: Section, correct: set[str]) -> bool:
    need = max(1, -(-int(LEGACY_UNLOCK_SHARE * 100) * len(section.questions) // 100))
    return sum(q.id in correct for q in section.questions) >= need


def section_states(bank: Bank, progress: Progress) -> list[SectionState]:
    states = []
    unlocked = legacy = True
    old = set(progress.legacy_correct)
    for section in bank.sections:
        count = mastered(progress, section)
        tested = section.id in progress.tested_out
        is_open = unlocked or tested or legacy
        states.append(SectionState(section, is_open, count, needed_to_unlock_next(section),
                                   tested and not unlocked))
        legacy = legacy and bool(old) and _legacy_open(section, old)
        unlocked = is_open and count >= needed_to_unlock_next(section)
    return states


def unlocked_sections(bank: Bank, progress: Progress) -> list[Section]:
    return [s.section for s in section_states(bank, progress) if s.unlocked]


def testout_section(bank: Bank, progress: Progress) -> Section | None:
    """The first locked section: the one a test-out can open."""
    return next((s.section for s in section_states(bank, progress) if not s.unlocked), None)


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
    blitz_best: int = 0           # best blitz round: its own scale, kept out of the others


def leaderboard(bank: Bank, everyone: dict[str, Progress]) -> list[LeaderboardRow]:
    rows = []
    ordered = sorted(everyone.items(), key=lambda item: (-item[1].points, item[0].casefold()))
    for rank, (player, progress) in enumerate(ordered, 1):
        best: dict[str, int] = {}
        blitz = 0
        for key, points in progress.best_rounds.items():
            section, mode = key.rsplit("/", 1)
            if mode == "blitz":
                blitz = max(blitz, points)
            else:
                best[section] = max(best.get(section, 0), points)
        overall = overall_accuracy(bank, progress)
        rows.append(LeaderboardRow(rank, player, progress.points, best, progress.best_streak,
                                   overall.ratio, progress.answers, blitz))
    return rows
