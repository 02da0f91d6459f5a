"""A player's progress in one bank, built by applying events: answers, overrides, rounds, goals.

Events are plain dicts, so a store can log them and replay them; applying the same events
in the same order always gives the same progress, the same points and the same FSRS cards.
A snapshot written before cards existed is rebuilt by replaying the whole log (from_dict).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from quizgame.core import review
from quizgame.core.model import CORRECT, VERDICTS
from quizgame.core.scoring import blitz_points, points_for

RECENT_ROUNDS = 50
# Version 2 added FSRS cards, daily challenges, goals and test-outs: older snapshots are
# rebuilt from the log.
PROGRESS_VERSION = 2
# A test-out passes with 80% of its questions fully correct (Duolingo's placement bar); it
# asks 10 questions, or every question of a smaller section.
TESTOUT_SIZE = 10
TESTOUT_SHARE = 0.8
# The daily goal a new player starts with: ten answers is one round.
DEFAULT_GOAL: dict[str, Any] = {"unit": "answers", "amount": 10, "show_streak": True}
GOAL_UNITS = ("answers", "minutes")
# Toward a minutes goal, one answer counts at most two minutes: a player who walked away
# from an open question has not studied the whole time.
MAX_ANSWER_SECONDS = 120.0


@dataclass(slots=True)
class QuestionStat:
    attempts: int = 0
    correct: int = 0          # answers graded fully correct
    score: float = 0.0        # sum of scores, so partial answers count in part
    last_at: str = ""
    last_verdict: str = ""
    recalled: bool = False    # typed correctly in recall, and not missed since
    mastered: bool = False    # recalled with FSRS stability >= MASTERY_STABILITY_DAYS, ever: unlocks never undo


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
    rounds: list[dict[str, Any]] = field(default_factory=list)
    last_answer: dict[str, Any] | None = None  # enough to undo the latest answer on an override
    version: int = PROGRESS_VERSION
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)      # question id -> FSRS card
    legacy_correct: list[str] = field(default_factory=list)  # answered right before version 2
    tested_out: list[str] = field(default_factory=list)      # sections opened by a test-out
    daily: dict[str, dict[str, Any]] = field(default_factory=dict)     # day -> that day's challenge
    goal: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_GOAL))
    days: dict[str, dict[str, Any]] = field(default_factory=dict)      # day -> answers, seconds, goal met
    blitz_points: int = 0
    blitz_run: list[Any] = field(default_factory=lambda: ["", 0])  # blitz round id, answers right in a row
    rebuilt: bool = field(default=False, compare=False)      # set by from_dict; never saved

    # -- events ---------------------------------------------------------------------

    def apply(self, event: dict[str, Any]) -> Outcome | RoundOutcome | None:
        kind = event.get("type")
        result: Outcome | RoundOutcome | None
        try:
            if kind == "answer":
                result = self._answer(event)
            elif kind == "override":
                result = self._override(event)
            elif kind == "round":
                result = self._round(event)
            elif kind == "goal":
                self._goal(event)
                result = None
            else:
                raise EventError(f"unknown event type {kind!r}")
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, EventError):
                raise
            raise EventError(f"malformed {kind} event: {exc}") from None
        self.applied += 1
        return result

    def _answer(self, event: dict[str, Any]) -> Outcome:
        verdict, score = _verdict(event)
        at = datetime.fromisoformat(event["at"])  # a bad date fails here, before anything changes
        qid = event["question"]
        streak_before, best_before = self.streak, self.best_streak
        blitz = event.get("mode") == "blitz"
        if blitz:
            run = self.blitz_run[1] if self.blitz_run[0] == event.get("round") else 0
            points = blitz_points(float(event["seconds"]), float(event["limit"]), verdict == CORRECT, run)
            self.blitz_run = [event.get("round", ""), run + 1 if verdict == CORRECT else 0]
            self.blitz_points += points
        else:
            points = points_for(int(event["tier"]), score, verdict == CORRECT, streak_before)
            self.points += points
        card_before = self.cards.get(qid)
        stat_before = self.questions.get(qid)
        recalled_before = stat_before.recalled if stat_before else False
        mastered_before = stat_before.mastered if stat_before else False
        self._count(qid, verdict, score, event["at"], +1)
        self._card(event, qid, verdict, at)
        self.answers += 1
        self._streak_after(verdict)
        self._day(event["at"])
        self._activity(event, at)
        if event.get("daily"):
            entry = self.daily.setdefault(str(event["daily"]), {
                "points": 0, "answered": 0, "correct": 0, "questions": [], "done": False})
            entry["points"] += points
            entry["answered"] += 1
            entry["correct"] += verdict == CORRECT
            entry["questions"].append(qid)
        self.last_answer = {
            "id": event["id"], "question": qid, "tier": int(event["tier"]),
            "verdict": verdict, "score": score, "points": points,
            "streak_before": streak_before, "best_before": best_before,
            "card_before": card_before, "recalled_before": recalled_before, "mastered_before": mastered_before,
            "kind": event.get("kind", "mc"), "picked": event.get("picked"), "seconds": event.get("seconds"),
            "blitz": blitz, "daily": event.get("daily"), "at": event["at"],
        }
        return Outcome(event["id"], verdict, score, points, self.streak, self.best_streak)

    def _card(self, event: dict[str, Any], qid: str, verdict: str, at: datetime) -> None:
        """Review the question's FSRS card with the rating this answer earns."""
        card, rating, picked = self.cards.get(qid), review.rating_for(event, verdict), review.was_picked(event)
        # Once typed recall has been shown, a right pick adds nothing FSRS should count: its
        # Hard would only make the card look difficult. A wrong pick still rates Again.
        if not (picked and rating == review.HARD and card and card.get("typed")):
            typed = bool(card and card.get("typed")) or not picked
            self.cards[qid] = {**review.review(card, rating, at), "typed": typed}
        stat = self.questions[qid]
        if verdict != CORRECT:
            stat.recalled = False
        elif event.get("kind") == "recall":
            stat.recalled = True
        stat.mastered = stat.mastered or (stat.recalled and review.is_stable(self.cards[qid]))

    def _activity(self, event: dict[str, Any], at: datetime) -> None:
        day = self.days.setdefault(at.date().isoformat(), {"answers": 0, "seconds": 0.0, "met": False})
        day["answers"] += 1
        seconds = event.get("seconds")
        if isinstance(seconds, (int, float)) and seconds > 0:
            day["seconds"] = round(day["seconds"] + min(float(seconds), MAX_ANSWER_SECONDS), 1)
        day["met"] = day["met"] or goal_met(self.goal, day)

    def _goal(self, event: dict[str, Any]) -> None:
        unit, amount = event["unit"], int(event["amount"])
        if unit not in GOAL_UNITS or not 1 <= amount <= 1000:
            raise EventError(f"bad goal {amount!r} {unit!r}")
        day = datetime.fromisoformat(event["at"]).date().isoformat()
        self.goal = {"unit": unit, "amount": amount, "show_streak": bool(event.get("show_streak", True))}
        if day in self.days:
            self.days[day]["met"] = self.days[day]["met"] or goal_met(self.goal, self.days[day])

    def _override(self, event: dict[str, Any]) -> Outcome:
        last = self.last_answer
        if last is None or last["id"] != event["answer"]:
            raise EventError("only the latest answer can be overridden")
        if last.get("blitz"):
            raise EventError("a blitz answer cannot be overridden")
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
        # Review the card again from where it was, as if the answer had been judged so.
        qid = last["question"]
        if "card_before" in last:
            if last["card_before"] is None:
                self.cards.pop(qid, None)
            else:
                self.cards[qid] = last["card_before"]
            self.questions[qid].recalled = last["recalled_before"]
            self.questions[qid].mastered = last["mastered_before"]
            again = {"kind": last["kind"], "picked": last["picked"], "seconds": last["seconds"]}
            self._card(again, qid, verdict, datetime.fromisoformat(last["at"]))
        if last.get("daily") in self.daily:
            entry = self.daily[last["daily"]]
            entry["points"] += points - last["points"]
            entry["correct"] += (verdict == CORRECT) - (last["verdict"] == CORRECT)
        self.last_answer = {**last, "verdict": verdict, "score": score, "points": points}
        return Outcome(last["id"], verdict, score, points, self.streak, self.best_streak)

    def _round(self, event: dict[str, Any]) -> RoundOutcome:
        key = f"{event['section']}/{event['mode']}"
        points = int(event["points"])
        new_bests: tuple[str, ...] = ()
        if points > self.best_rounds.get(key, 0):
            new_bests = (key,)
            self.best_rounds[key] = points
        summary = {k: event[k] for k in ("at", "section", "mode", "points", "answered", "correct")}
        self.rounds = (self.rounds + [summary])[-RECENT_ROUNDS:]
        passed = event["mode"] == "testout" and testout_passed(int(event["answered"]), int(event["correct"]))
        if passed and event["section"] not in self.tested_out:
            self.tested_out.append(event["section"])
        if event.get("daily") in self.daily:
            self.daily[event["daily"]]["done"] = True
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

    def to_dict(self) -> dict[str, Any]:
        """The snapshot, for JSON: the nested dicts and lists are this progress's own, not
        copies (dataclasses.asdict deep-copied every one of them, about 2 ms of CPU per answer
        on the shipped bank). Serialise it at once, or copy it to keep it."""
        data = {name: getattr(self, name) for name in _SAVED_FIELDS}
        data["questions"] = {qid: {name: getattr(stat, name) for name in _STAT_FIELDS}
                             for qid, stat in self.questions.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Progress:
        if data and data.get("version", 1) < PROGRESS_VERSION:
            # Written before FSRS cards: start again from nothing, so the store replays the
            # whole log and builds the cards. The questions answered right so far are kept
            # aside, so every section the old rule had opened stays open.
            kept = sorted(q for q, s in data.get("questions", {}).items() if s.get("correct", 0) > 0)
            return cls(legacy_correct=kept, rebuilt=True)
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "rebuilt"}
        fields["questions"] = {q: QuestionStat(**s) for q, s in data.get("questions", {}).items()}
        progress = cls(**fields)
        progress._check_study_fields()
        return progress

    def _check_study_fields(self) -> None:
        """ValueError unless cards, days and the goal have the shape the screens read: a
        store then sets the snapshot aside and rebuilds it from the log."""
        for qid, card in self.cards.items():
            if not (isinstance(card, dict) and isinstance(card.get("due"), str)
                    and isinstance(card.get("stability"), (int, float)) and card["stability"] > 0
                    and isinstance(card.get("difficulty"), (int, float)) and card.get("state") in (1, 2, 3)):
                raise ValueError(f"card of {qid!r} is {card!r}")
            datetime.fromisoformat(card["due"])
        for day, entry in self.days.items():
            date.fromisoformat(day)
            if not (isinstance(entry, dict) and isinstance(entry.get("answers"), int)
                    and isinstance(entry.get("seconds"), (int, float)) and isinstance(entry.get("met"), bool)):
                raise ValueError(f"day {day!r} is {entry!r}")
        for day, entry in self.daily.items():
            date.fromisoformat(day)
            if not (isinstance(entry, dict) and isinstance(entry.get("questions"), list)
                    and all(isinstance(entry.get(k), int) for k in ("points", "answered", "correct"))):
                raise ValueError(f"daily challenge {day!r} is {entry!r}")
        if self.goal.get("unit") not in GOAL_UNITS or not isinstance(self.goal.get("amount"), int):
            raise ValueError(f"goal is {self.goal!r}")
        if not all(isinstance(x, str) for x in (*self.tested_out, *self.legacy_correct)):
            raise ValueError("section or question ids that are not text")


def testout_passed(answered: int, correct: int) -> bool:
    return answered > 0 and correct * 100 >= round(TESTOUT_SHARE * 100) * answered


def goal_met(goal: dict[str, Any], day: dict[str, Any]) -> bool:
    if goal["unit"] == "minutes":
        return bool(day["seconds"] >= 60 * goal["amount"])
    return bool(day["answers"] >= goal["amount"])


def _verdict(event: dict[str, Any]) -> tuple[str, float]:
    verdict, score = event["verdict"], float(event["score"])
    if verdict not in VERDICTS or not 0.0 <= score <= 1.0:
        raise EventError(f"bad verdict {verdict!r} or score {score!r}")
    return verdict, score


_STAT_FIELDS = tuple(f.name for f in fields(QuestionStat))
_SAVED_FIELDS = tuple(f.name for f in fields(Progress) if f.name != "rebuilt")
