"""What an answer earned: the verdict, points and streak, the ideas covered and missed,
and the reference answer."""
from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from quizgame.core.grading import CORRECT, PARTIAL
from quizgame.core.progress import Outcome
from quizgame.core.session import Judgement

HEADLINES = {
    CORRECT: ("✔ Correct", "bold $success"),
    PARTIAL: ("◐ Partly right", "bold $warning"),
}


class Feedback(VerticalScroll, can_focus=True):
    """Scrolls with the arrow keys when the reference answer is long."""

    def clear(self) -> None:
        self.remove_children()
        self.display = False

    def show(self, judgement: Judgement, outcome: Outcome, overridden: bool, last: bool) -> None:
        self.remove_children()
        self.display = True
        item, result = judgement.item, judgement.grade
        headline, style = HEADLINES.get(outcome.verdict, ("✘ Not quite", "bold $error"))
        streak = (f"streak {outcome.streak}" if outcome.verdict != PARTIAL
                  else f"streak held at {outcome.streak}")
        line = Content.assemble((headline, style), "   ", (f"+{outcome.points} points", "bold"), f"  ·  {streak}")
        if overridden:
            line += Content.assemble("  ", ("(your verdict)", "italic dim"))
        lines = [line]
        if judgement.picked is None:
            lines.append(Content.assemble(("Your answer: ", "bold"), judgement.response))
        if item.kind == "mc" and outcome.verdict != CORRECT:
            lines.append(Content.assemble(("Right answer: ", "bold"), item.choice.options[item.choice.correct]))
        if item.kind == "cloze":
            lines.append(Content.assemble(("Missing term: ", "bold"), item.cloze.term))
        if item.kind == "recall":
            if result.matched:
                lines.append(Content.assemble(("Covered: ", "bold $success"), "; ".join(result.matched)))
            if result.missed:
                label = ("Also worth saying: ", "bold") if outcome.verdict == CORRECT else ("Missed: ", "bold $warning")
                lines.append(Content.assemble(label, "; ".join(result.missed)))
            for remark in result.remarks:
                lines.append(Content.assemble(("Note: ", "bold"), remark))
        widgets = [Static(l, classes="feedback-line") for l in lines]
        widgets.append(Static(Content.assemble(("Reference answer", "bold underline")), classes="feedback-head"))
        widgets.append(Static(Content(item.question.answer), classes="reference"))
        keys = "Enter: see your results" if last else "Enter: next question"
        if item.kind != "mc" and judgement.picked is None and not overridden:
            keys += "   ·   y: I was right" if outcome.verdict != CORRECT else "   ·   n: I was wrong"
        widgets.append(Static(Content.assemble((keys, "dim")), classes="feedback-keys"))
        self.mount_all(widgets)
