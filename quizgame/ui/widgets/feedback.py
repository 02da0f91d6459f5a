"""What an answer earned: the verdict, points and streak, the ideas covered and missed,
and the reference answer."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from quizgame.core.grading import CORRECT, PARTIAL, WRONG
from quizgame.core.printable import printable
from quizgame.core.progress import Outcome
from quizgame.core.session import Judgement

HEADLINES = {
    CORRECT: ("✔ Correct", "bold $success"),
    PARTIAL: ("◐ Partly right", "bold $warning"),
}
# The verdict's lines share one Static (.feedback-headline): a widget per line made the
# screen's layout after each answer several times dearer (benchmarks/RESULTS.md).
VERDICT_LINES = ("headline", "response", "solution", "covered", "missed", "remarks")
LINES = ("headline", "reference-head", "reference", "keys")


class Feedback(VerticalScroll, can_focus=True):
    """Scrolls with the arrow keys when the reference answer is long.

    Its lines are built once and updated for each answer: re-mounting widgets on every
    answer would cost more than the answer's own grading and saving.
    """

    DEFAULT_CSS = """
    Feedback { height: auto; max-height: 100%; padding: 0 1; border: round $primary; }
    Feedback:focus { border: round $accent; }
    Feedback .feedback-reference-head, Feedback .feedback-keys { margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        for name in LINES:
            yield Static(classes=f"feedback-line feedback-{name}")

    def clear(self) -> None:
        self.display = False

    def _set(self, name: str, content: Content | None) -> None:
        if name in VERDICT_LINES:
            self._verdict[name] = content
            if name != VERDICT_LINES[-1]:
                return
            lines = [self._verdict.get(n) for n in VERDICT_LINES]
            content = Content("\n").join(line for line in lines if line is not None)
            name = "headline"
        line = self.query_one(f".feedback-{name}", Static)
        line.display = content is not None
        if content is not None:
            line.update(content)

    def show(self, judgement: Judgement, outcome: Outcome, overridden: bool, last: bool) -> None:
        self.display = True
        self._verdict: dict[str, Content | None] = {}
        item, result = judgement.item, judgement.grade
        headline, style = HEADLINES.get(outcome.verdict, ("✘ Not quite", "bold $error"))
        streak = (f"streak {outcome.streak}" if outcome.verdict != PARTIAL
                  else f"streak held at {outcome.streak}")
        line = Content.assemble((headline, style), "   ", (f"+{outcome.points} points", "bold"), f"  ·  {streak}")
        if overridden:
            line += Content.assemble("  ", ("(your verdict)", "italic dim"))
        self._set("headline", line)
        if judgement.shown:
            response: Content | None = Content.styled("You asked to see the answer: no points this time.", "italic")
        elif judgement.event.get("timeout"):
            response = Content.assemble(("⏱ Time's up", "bold $error"), " — counted as wrong; the round goes on.")
        elif judgement.picked is None:
            response = Content.assemble(("Your answer: ", "bold"), printable(judgement.response))
        else:
            response = None
        self._set("response", response)
        solution = None
        if item.kind == "mc" and outcome.verdict != CORRECT:
            solution = Content.assemble(("Right answer: ", "bold"), printable(item.choice.options[item.choice.correct]))
        elif item.kind == "cloze":
            solution = Content.assemble(("Missing term: ", "bold"), printable(item.cloze.term))
            if judgement.picked is not None and outcome.verdict == CORRECT:
                solution += Content.styled("  (picked from the list: half points; typing it earns full)", "dim")
        self._set("solution", solution)
        recall = item.kind == "recall"
        self._set("covered", Content.assemble(("Covered: ", "bold $success"), printable("; ".join(result.matched)))
                  if recall and result.matched else None)
        label = ("Also worth saying: ", "bold") if outcome.verdict == CORRECT else ("Missed: ", "bold $warning")
        self._set("missed", Content.assemble(label, printable("; ".join(result.missed))) if recall and result.missed else None)
        remarks = [Content.assemble(("Note: ", "bold"), printable(remark)) for remark in result.remarks] if recall else []
        self._set("remarks", Content("\n").join(remarks) if remarks else None)
        self._set("reference-head", Content.assemble(("Reference answer", "bold underline")))
        self._set("reference", Content(printable(item.question.answer, lines=True)))
        keys = "Enter: see your results" if last else "Enter: next question"
        if item.kind != "mc" and judgement.picked is None and not overridden and not judgement.shown:
            keys += "   ·   y: I was right" if outcome.verdict != CORRECT else ""
            keys += "   ·   n: I was wrong" if outcome.verdict != WRONG else ""
        elif overridden:
            keys += "   ·   u: undo my verdict"
        self._set("keys", Content.assemble((keys, "dim")))
        self.scroll_home(animate=False)
