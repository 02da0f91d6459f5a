"""The room's live view: today's top players, the latest answers and streaks.

Built from each player's progress and the events they logged today (answers carry the
points the store recorded; an override replaces its answer's verdict and points), so
every process that saves an answer is counted, whichever machine or tab it came from.
Pure: the caller reads the saves and passes today's date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from quizgame.core.model import CORRECT, PARTIAL, Bank
from quizgame.core.progress import Progress
from quizgame.core.stats import current_day_streak

# Answers shown in the "recent" list: what fits beside the table on an 80x24 screen and
# still reads from the back of a room.
RECENT_ANSWERS = 8
# Characters of a question's prompt quoted in a recent answer: one line on a projector.
PROMPT_CHARS = 40


@dataclass(frozen=True, slots=True)
class RecentAnswer:
    player: str
    question: str   # a short quote of the prompt
    verdict: str
    points: int
    at: str         # ISO time of the answer

    @property
    def line(self) -> str:
        """'Ana got "What does LoRA…" right, +150' (plain text: never markup)."""
        said = {CORRECT: "right", PARTIAL: "partly right"}.get(self.verdict, "wrong")
        earned = f", +{self.points}" if self.points else ""
        return f"{self.player} got {self.question} {said}{earned}"


@dataclass(frozen=True, slots=True)
class TodayRow:
    rank: int
    player: str
    points: int         # earned today
    answers: int        # answered today
    correct: int        # fully correct today
    streak: int         # current answer streak
    day_streak: int     # consecutive days played, still alive today
    total: int          # all-time points


@dataclass(frozen=True, slots=True)
class RoomView:
    day: date
    rows: tuple[TodayRow, ...]          # players who answered today, most points first
    recent: tuple[RecentAnswer, ...]    # newest first
    resting: tuple[str, ...]            # players who have not answered today


def event_day(event: dict[str, object]) -> date | None:
    """The day an event was logged (in the offset it was logged with), None if unreadable."""
    at = event.get("at")
    if not isinstance(at, str):
        return None
    try:
        return datetime.fromisoformat(at).date()
    except ValueError:
        return None


def quote(bank: Bank, question_id: str) -> str:
    question = bank.question(question_id)
    if question is None:
        return "a question"
    prompt = " ".join(question.prompt.split())
    return f"“{prompt if len(prompt) <= PROMPT_CHARS else prompt[:PROMPT_CHARS - 1].rstrip() + '…'}”"


def room_view(bank: Bank, everyone: dict[str, Progress], events: dict[str, list[dict[str, object]]],
              today: date, recent: int = RECENT_ANSWERS) -> RoomView:
    """Today's standings from each player's progress and logged events (any days; others are skipped)."""
    rows: list[tuple[int, str, int, int, int]] = []
    answers: list[tuple[str, int, RecentAnswer]] = []
    for player, logged in events.items():
        today_answers: dict[str, RecentAnswer] = {}
        order: list[str] = []
        for event in logged:
            if event_day(event) != today:
                continue
            kind, points = event.get("type"), _int(event.get("points"))
            if kind == "answer" and isinstance(event.get("id"), str):
                answer_id = str(event["id"])
                today_answers[answer_id] = RecentAnswer(
                    player, quote(bank, str(event.get("question", ""))), str(event.get("verdict", "")),
                    points, str(event.get("at")))
                order.append(answer_id)
            elif kind == "override" and event.get("answer") in today_answers:
                answer_id = str(event["answer"])
                was = today_answers[answer_id]
                today_answers[answer_id] = RecentAnswer(player, was.question, str(event.get("verdict", "")),
                                                        points, was.at)
        if not order:
            continue
        given = [today_answers[a] for a in order]
        rows.append((sum(a.points for a in given), player, len(given),
                     sum(a.verdict == CORRECT for a in given), 0))
        # Newest last within a player: the log's order, which is the order they were saved.
        answers.extend((a.at, i, a) for i, a in enumerate(given))
    rows.sort(key=lambda r: (-r[0], r[1].casefold()))
    table = []
    for rank, (points, player, count, correct, _) in enumerate(rows, 1):
        progress = everyone.get(player, Progress())
        table.append(TodayRow(rank, player, points, count, correct, progress.streak,
                              current_day_streak(progress, today), progress.points))
    answers.sort(key=lambda item: (item[0], item[1]), reverse=True)
    playing = {r.player for r in table}
    resting = tuple(sorted((p for p in everyone if p not in playing), key=str.casefold))
    return RoomView(today, tuple(table), tuple(a for _, _, a in answers[:recent]), resting)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
