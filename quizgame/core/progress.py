"""A player's progress in one bank, built by applying events: answers, overrides, rounds.

Events are plain dicts, so a store can log them and replay them; applying the same events
in the same order always gives the same progress and the same points.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from quizgame.core.model import CORRECT, VERDICTS
from quizgame.core.scoring import points_for

RECENT_ROUNDS = 50


@dataclass(slots=True)
class QuestionStat:
    attempts: int = 0
    correct: int = 0          # answers graded fully correct
    score: float = 0.0        # sum of scores, so partial answers count in part
    last_at: str = ""
    last_verdict: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one answer earned, as shown on the feedback screen."""

    answer: str
    verdict: str
    score: float
    points: int
    streak: int
    best_streak: int


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    new_bests: tuple[str, ...]  # "section/mode" keys whose best round this one beat


class EventError(ValueError):
    """An event that cannot be applied (malformed, or an override of an answer not last)."""


@dataclass
class Progress:
    points: int = 0
    answers: int = 0
    streak: int = 0
    best_streak: int = 0
    day_streak: int = 0
    best_day_streak: int = 0
    last_day: str = ""
    overrides: int = 0
    applied: int = 0          # events applied so far: a store replays only later ones
    questions: dict[str, QuestionStat] = field(default_factory=dict)
    best_rounds: dict[str, int] = field(default_factory=dict)
    rounds: list[dict] = field(default_factory=list)
    last_answer: dict | None = None  # enough to undo the latest answer on an override

    # -- events ---------------------------------------------------------------------

    def apply(self, event: dict) -> Outcome | RoundOutcome:
        kind = event.get("type")
        try:
            if kind == "answer":
                result = self._answer(event)
            elif kind == "override":
                result = self._override(event)
            elif kind == "round":
                result = self._round(event)
            else:
                raise EventError(f"unknown event type {kind!r}")
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, EventError):
                raise
            raise EventError(f"malformed {kind} event: {exc}") from None
        self.applied += 1
        return result

    def _answer(self, event: dict) -> Outcome:
        verdict, score = _verdict(event)
        datetime.fromisoformat(event["at"])  # a bad date fails here, before anything changes
        streak_before, best_before = self.streak, self.best_streak
        points = points_for(int(event["tier"]), score, verdict == CORRECT, streak_before)
        self._count(event["question"], verdict, score, event["at"], +1)
        self.points += points
        self.answers += 1
        self._streak_after(verdict)
        self._day(event["at"])
        self.last_answer = {
            "id": event["id"], "question": event["question"], "tier": int(event["tier"]),
            "verdict": verdict, "score": score, "points": points,
            "streak_before": streak_before, "best_before": best_before,
        }
        return Outcome(event["id"], verdict, score, points, self.streak, self.best_streak)

    def _override(self, event: dict) -> Outcome:
        last = self.last_answer
        if last is None or last["id"] != event["answer"]:
            raise EventError("only the latest answer can be overridden")
        verdict, score = _verdict(event)
        # Undo the latest answer, then apply it again with the player's verdict.
        self._count(last["question"], last["verdict"], last["score"], "", 0, undo=True)
        self.points -= last["points"]
        self.streak, self.best_streak = last["streak_before"], last["best_before"]
        points = points_for(last["tier"], score, verdict == CORRECT, self.streak)
        self._count(last["question"], verdict, score, event["at"], 0)
        self.points += points
        self._streak_after(verdict)
        self.overrides += -1 if event.get("undo") else 1  # an undo takes an override back
        self.last_answer = {**last, "verdict": verdict, "score": score, "points": points}
        return Outcome(last["id"], verdict, score, points, self.streak, self.best_streak)

    def _round(self, event: dict) -> RoundOutcome:
        key = f"{event['section']}/{event['mode']}"
        points = int(event["points"])
        new_bests = ()
        if points > self.best_rounds.get(key, 0):
            new_bests = (key,)
            self.best_rounds[key] = points
        summary = {k: event[k] for k in ("at", "section", "mode", "points", "answered", "correct")}
        self.rounds = (self.rounds + [summary])[-RECENT_ROUNDS:]
        return RoundOutcome(new_bests)

    def _count(self, qid: str, verdict: str, score: float, at: str, attempts: int, undo: bool = False) -> None:
        stat = self.questions.setdefault(qid, QuestionStat())
        sign = -1 if undo else 1
        stat.attempts += attempts
        stat.correct += sign * (verdict == CORRECT)
        stat.score = round(stat.score + sign * score, 4)
        if not undo:
            stat.last_verdict = verdict
            stat.last_at = at or stat.last_at

    def _streak_after(self, verdict: str) -> None:
        # A partial answer holds the streak: it neither breaks it nor extends it.
        if verdict == CORRECT:
            self.streak += 1
            self.best_streak = max(self.best_streak, self.streak)
        elif verdict != "partial":
            self.streak = 0

    def _day(self, at: str) -> None:
        today = datetime.fromisoformat(at).date()
        if self.last_day:
            last = date.fromisoformat(self.last_day)
            if today <= last:  # the same day, or the clock stepped back: that day was counted already
                return
            self.day_streak = self.day_streak + 1 if today - last == timedelta(days=1) else 1
        else:
            self.day_streak = 1
        self.last_day = today.isoformat()
        self.best_day_streak = max(self.best_day_streak, self.day_streak)

    # -- persistence ------------------------------------------------------------------

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Progress:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["questions"] = {q: QuestionStat(**s) for q, s in data.get("questions", {}).items()}
        return cls(**fields)


def _verdict(event: dict) -> tuple[str, float]:
    verdict, score = event["verdict"], float(event["score"])
    if verdict not in VERDICTS or not 0.0 <= score <= 1.0:
        raise EventError(f"bad verdict {verdict!r} or score {score!r}")
    return verdict, score
