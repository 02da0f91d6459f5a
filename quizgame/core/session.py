"""A round being played: judge each response, keep the round's tally, summarise at the end.

The session never saves anything: it hands out answer and round events for a store to
record, and takes back the outcomes the store computed.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from quizgame.core.clock import Clock
from quizgame.core.grading import CORRECT, PARTIAL, WRONG, Exemplar, Grade, grade
from quizgame.core.model import Bank, Section
from quizgame.core.progress import Outcome, Progress
from quizgame.core.rounds import Cloze, Item, RoundPlan
from quizgame.core.stats import accuracy_by_topic, section_states
from quizgame.core.text import content_stems, typo_budget, within_edits

# A cloze term picked from four options earns half of a typed one: recognising a term is
# easier than recalling it (the answer event says how="picked", so mastery can count it less).
PICKED_CLOZE_SCORE = 0.5
PICKED, TYPED, SHOWN = "picked", "typed", "shown"


@dataclass(frozen=True, slots=True)
class Judgement:
    item: Item
    response: str          # what the player typed or the option they picked
    picked: int | None     # the option index, for choices
    grade: Grade
    event: dict[str, Any]  # the answer event to record

    @property
    def shown(self) -> bool:
        """The player gave up and asked for the answer."""
        return self.event.get("how") == SHOWN


@dataclass(frozen=True, slots=True)
class TopicMove:
    topic: str
    before: float | None
    after: float | None


@dataclass(frozen=True, slots=True)
class RoundSummary:
    points: int
    answered: int
    correct: int
    best_streak: int
    new_unlocks: tuple[Section, ...]
    new_bests: tuple[str, ...]
    topic_moves: tuple[TopicMove, ...]

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None


class RoundSession:
    def __init__(self, plan: RoundPlan, bank: Bank, clock: Clock,
                 exemplars: dict[str, list[Exemplar]] | None = None):
        self.plan, self.bank, self.clock = plan, bank, clock
        # The player's overridden answers per question: a close answer is graded like them.
        self.exemplars: dict[str, list[Exemplar]] = exemplars if exemplars is not None else {}
        self.index = 0
        self.outcomes: list[Outcome] = []
        self.streak = self.best_streak = 0
        # One id per item, kept across retries: a retry of an answer already saved is not counted twice.
        self._answer_ids: dict[int, str] = {}
        self.shown_at = clock.now()  # when the current question appeared: answer time, blitz countdown

    def start_timer(self) -> None:
        """Time the current question from now (the screen calls this when it shows it)."""
        self.shown_at = self.clock.now()

    def elapsed(self) -> float:
        """Seconds since the question appeared, from the clock's start time: no drift."""
        return max(0.0, (self.clock.now() - self.shown_at).total_seconds())

    def remaining(self) -> float:
        """Blitz: seconds left on the current question (0 when it has run out)."""
        return max(0.0, self.plan.limit - self.elapsed())

    def timed_out(self) -> bool:
        return self.plan.limit > 0 and self.elapsed() >= self.plan.limit

    @property
    def current(self) -> Item | None:
        return self.plan.items[self.index] if self.index < len(self.plan.items) else None

    @property
    def total(self) -> int:
        return len(self.plan.items)

    @property
    def points(self) -> int:
        return sum(o.points for o in self.outcomes)

    def grade_typed(self, text: str) -> Grade:
        """What typed text would earn on the current recall item, graded as judge() grades it.
        The screen grades the answer in advance while the player pauses, and hands the grade
        back to judge() if the text is still the same when they press Enter."""
        item = self.current
        if item is None or item.kind != "recall":
            raise ValueError("only a recall item's typed answer is graded in advance")
        return grade(item.question, text, self.bank, exemplars=self.exemplars.get(item.question.id, ()))

    def judge(self, response: int | str | None, graded: Grade | None = None) -> Judgement:
        """Grade a picked option (int) or typed text (str) for the current item; None when a
        blitz question ran out of time (wrong, and the round goes on). `graded` is
        grade_typed(response), already computed for this item, if any."""
        item = self.current
        if item is None:
            raise IndexError("the round is over")
        seconds = self.elapsed()
        picked = response if isinstance(response, int) else None
        timeout = self.timed_out() or response is None
        if timeout:
            text, result, seconds = "", Grade(WRONG, 0.0), self.plan.limit
        elif item.kind == "mc":
            assert item.choice is not None and picked is not None  # an mc item is answered by picking
            text = item.choice.options[picked]
            result = Grade(CORRECT if picked == item.choice.correct else WRONG,
                           1.0 if picked == item.choice.correct else 0.0)
        elif item.kind == "cloze" and picked is not None:
            assert item.cloze is not None  # a cloze item always carries its blank
            text = item.cloze.choices[picked]
            result = Grade(CORRECT if picked == item.cloze.correct else WRONG,
                           PICKED_CLOZE_SCORE if picked == item.cloze.correct else 0.0)
        elif item.kind == "cloze":
            assert item.cloze is not None  # a cloze item always carries its blank
            text = str(response)
            ok = any(_same_term(text, term) for term in item.cloze.accepted) or _with_neighbour(text, item.cloze)
            result = Grade(CORRECT if ok else WRONG, 1.0 if ok else 0.0)
        else:
            text = str(response)
            result = graded if graded is not None else self.grade_typed(text)
        return self._judgement(item, text, picked, result, PICKED if picked is not None else TYPED, seconds, timeout)

    def show_answer(self) -> Judgement:
        """The player gives up on the current recall or cloze item: wrong, with nothing typed."""
        item = self.current
        if item is None:
            raise IndexError("the round is over")
        missed = tuple(idea.label for idea in item.question.ideas) if item.kind == "recall" else ()
        return self._judgement(item, "", None, Grade(WRONG, 0.0, (), missed), SHOWN, self.elapsed(), False)

    def _judgement(self, item: Item, text: str, picked: int | None, result: Grade, how: str,
                   seconds: float, timeout: bool) -> Judgement:
        event = {
            "type": "answer", "id": self._answer_ids.setdefault(self.index, uuid.uuid4().hex),
            "question": item.question.id,
            "section": item.question.section, "tier": self.bank.section_of(item.question).tier,
            "kind": item.kind, "mode": self.plan.mode, "round": self.plan.id,
            "verdict": result.verdict, "score": result.score,
            "at": self.clock.now().isoformat(timespec="seconds"), "text": text, "how": how,
            "seconds": round(seconds, 3), "picked": picked is not None,
        }
        if self.plan.limit:
            event.update(limit=self.plan.limit, timeout=timeout or seconds >= self.plan.limit)
        if self.plan.day:
            event["daily"] = self.plan.day
        return Judgement(item, text, picked, result, event)

    def override_event(self, outcome: Outcome, verdict: str, judgement: Judgement | None = None) -> dict[str, Any]:
        """The event that records the player's own verdict on their latest answer. With the
        judgement, it carries the question and the typed text: an exemplar for later answers."""
        event = {"type": "override", "id": uuid.uuid4().hex, "answer": outcome.answer, "verdict": verdict,
                 "score": 1.0 if verdict == CORRECT else 0.5 if verdict == PARTIAL else 0.0,
                 "at": self.clock.now().isoformat(timespec="seconds")}
        if judgement is not None and judgement.item.kind == "recall":
            event.update(question=judgement.item.question.id, text=judgement.response,
                         grader_verdict=judgement.grade.verdict)
            self.exemplars.setdefault(judgement.item.question.id, []).append(
                Exemplar(judgement.response, verdict, "this round"))
        return event

    def undo_event(self, outcome: Outcome, judgement: Judgement) -> dict[str, Any]:
        """The event that takes an override back: the grader's verdict stands again."""
        mine = self.exemplars.get(judgement.item.question.id, [])
        self.exemplars[judgement.item.question.id] = [e for e in mine if e.text != judgement.response]
        return {"type": "override", "id": uuid.uuid4().hex, "answer": outcome.answer, "undo": True,
                "verdict": judgement.grade.verdict, "score": judgement.grade.score,
                "at": self.clock.now().isoformat(timespec="seconds")}

    def recorded(self, outcome: Outcome) -> None:
        """Take in the outcome of the latest answer (or a new outcome for it after an override)."""
        if self.outcomes and self.outcomes[-1].answer == outcome.answer:
            self.outcomes[-1] = outcome
        else:
            self.outcomes.append(outcome)
        self._recount()

    def advance(self) -> Item | None:
        self.index += 1
        self.start_timer()
        return self.current

    def _recount(self) -> None:
        streak = best = 0
        for o in self.outcomes:
            if o.verdict == CORRECT:
                streak += 1
                best = max(best, streak)
            elif o.verdict == WRONG:
                streak = 0
        self.streak, self.best_streak = streak, best

    def round_event(self) -> dict[str, Any]:
        return {
            "type": "round", "id": self.plan.id, "section": self.plan.filed, "mode": self.plan.mode,
            "points": self.points, "answered": len(self.outcomes),
            "correct": sum(o.verdict == CORRECT for o in self.outcomes),
            "at": self.clock.now().isoformat(timespec="seconds"),
            **({"daily": self.plan.day} if self.plan.day else {}),
        }

    def summary(self, before: Progress, after: Progress, new_bests: tuple[str, ...]) -> RoundSummary:
        was_open = {s.section.id for s in section_states(self.bank, before) if s.unlocked}
        unlocks = tuple(s.section for s in section_states(self.bank, after)
                        if s.unlocked and s.section.id not in was_open)
        topics = dict.fromkeys(t for item in self.plan.items for t in item.question.topics)
        old, new = accuracy_by_topic(self.bank, before), accuracy_by_topic(self.bank, after)
        moves = tuple(
            TopicMove(t, old[t].ratio if t in old else None, new[t].ratio if t in new else None)
            for t in (self.plan.focus or topics)
        )
        return RoundSummary(self.points, len(self.outcomes), sum(o.verdict == CORRECT for o in self.outcomes),
                            self.best_streak, unlocks, new_bests, moves)


def _with_neighbour(typed: str, cloze: Cloze) -> bool:
    """"raw" typed before "inputs" makes "raw inputs", an accepted term: the typed word counts
    when, read with the word beside the blank, it names the term (and the neighbour alone does not)."""
    for joined, alone in ((f"{typed} {cloze.after}", cloze.after), (f"{cloze.before} {typed}", cloze.before)):
        if alone and any(_same_term(joined, t) and not _same_term(alone, t) for t in cloze.accepted):
            return True
    return False


def _same_term(typed: str, term: str) -> bool:
    """A typed cloze answer names the term: the same words, typos tolerated, in any order."""
    want = [s for _, s in content_stems(term)]
    got = [s for _, s in content_stems(typed)]
    if not want or len(got) > len(want) + 2:
        return False
    return all(any(within_edits(w, g, typo_budget(w)) for g in got) for w in want)
