"""What an answer earned: the verdict, points and streak, the ideas covered and missed,
and the reference answer.

The box keeps one size from the question to its feedback (it fills the rows the question
leaves, empty until the answer), and it draws and scrolls its own lines. Showing a verdict is
then a repaint of this box alone, with no layout of the screen: a box that grew with its text
(or a scroll container whose children change size) cost two layouts of the whole screen per
answer, most of the CPU of a key press (benchmarks/RESULTS.md).
"""
from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget

from quizgame.core.grading import CORRECT, PARTIAL, WRONG
from quizgame.core.printable import printable
from quizgame.core.progress import Outcome
from quizgame.core.session import Judgement

HEADLINES = {
    CORRECT: ("✔ Correct", "bold $success"),
    PARTIAL: ("◐ Partly right", "bold $warning"),
}
# The parts of the feedback, in order; a blank line goes before the ones in SPACED.
PARTS = ("hint", "headline", "response", "solution", "covered", "missed", "remarks", "reference-head", "reference", "keys")
SPACED = frozenset({"reference-head", "keys"})
WHEEL_LINES = 3  # lines per mouse-wheel notch, as Textual's scroll views move


class Feedback(Widget, can_focus=True):
    """The verdict and the reference answer; ↑↓, PgUp/PgDn, Home/End and the wheel scroll it."""

    DEFAULT_CSS = """
    Feedback { height: 1fr; min-height: 3; padding: 0 1; border: round $primary; text-wrap: nowrap; }
    Feedback:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("up", "scroll_by(-1)", show=False),
        Binding("down", "scroll_by(1)", show=False),
        Binding("pageup", "scroll_page(-1)", show=False),
        Binding("pagedown", "scroll_page(1)", show=False),
        Binding("home", "scroll_by(-1000000)", show=False),
        Binding("end", "scroll_by(1000000)", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.parts: dict[str, Content] = {}  # what is shown, by part name (empty before an answer)
        self.offset_y = 0  # the first line shown
        self._cache: tuple[int, list[Content]] | None = None
        self._drawn = 0  # the rows that the last render filled (the rest of the box is blank)

    # -- content ----------------------------------------------------------------------

    def clear(self, hint: str = "") -> None:
        """Empty the box for a new question; `hint` says what to do meanwhile."""
        self._set_parts({"hint": Content.styled(hint, "dim italic")} if hint else {})

    def _set_parts(self, parts: dict[str, Content]) -> None:
        self.parts = parts
        self.offset_y = 0
        self._cache = None
        width, height = self.content_size
        if not height:
            self.refresh()
            return
        # The same size: a repaint, never a layout; and only of the rows that had or get text,
        # since Textual styles (border, padding, colours) every repainted row one by one.
        rows = max(self._drawn, min(height, len(self.lines(width))))
        if rows:
            self.refresh(Region(0, 0, width, rows))

    def show(self, judgement: Judgement, outcome: Outcome, overridden: bool, last: bool) -> None:
        self._set_parts(feedback_parts(judgement, outcome, overridden, last))

    def text(self, part: str) -> str:
        """The plain text of one part ("" when it is not shown)."""
        content = self.parts.get(part)
        return content.plain if content is not None else ""

    # -- drawing ----------------------------------------------------------------------

    def lines(self, width: int) -> list[Content]:
        """Every line of the feedback wrapped to `width`, cached until the content changes."""
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        lines: list[Content] = []
        for name in PARTS:
            content = self.parts.get(name)
            if content is None:
                continue
            if name in SPACED and lines:
                lines.append(Content(""))
            lines.extend(content.wrap(max(1, width)) or [Content("")])
        self._cache = (width, lines)
        return lines

    def _max_offset(self) -> int:
        return max(0, len(self.lines(self.content_size.width)) - self.content_size.height)

    def render(self) -> Content:
        width, height = self.content_size
        lines = self.lines(width)
        self.offset_y = min(self.offset_y, max(0, len(lines) - height))
        shown = lines[self.offset_y:self.offset_y + height]
        self._drawn = len(shown)
        below = len(lines) - self.offset_y - len(shown)
        if below > 0 and shown:  # say that there is more, on the last row
            shown[-1] = Content.styled(f"↓ {below + 1} more lines (↓ or PgDn)", "italic $text-muted")
        return Content("\n").join(shown)

    # -- scrolling --------------------------------------------------------------------

    def scroll_lines(self, step: int) -> None:
        offset = max(0, min(self._max_offset(), self.offset_y + step))
        if offset != self.offset_y:
            self.offset_y = offset
            self.refresh()

    def action_scroll_by(self, step: int) -> None:
        self.scroll_lines(step)

    def action_scroll_page(self, direction: int) -> None:
        self.scroll_lines(direction * max(1, self.content_size.height - 1))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_lines(WHEEL_LINES)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_lines(-WHEEL_LINES)


def feedback_parts(judgement: Judgement, outcome: Outcome, overridden: bool, last: bool) -> dict[str, Content]:
    """The feedback's parts for one verdict; every text from the bank or the player stays plain."""
    parts: dict[str, Content] = {}
    item, result = judgement.item, judgement.grade
    headline, style = HEADLINES.get(outcome.verdict, ("✘ Not quite", "bold $error"))
    streak = f"streak {outcome.streak}" if outcome.verdict != PARTIAL else f"streak held at {outcome.streak}"
    line = Content.assemble((headline, style), "   ", (f"+{outcome.points} points", "bold"), f"  ·  {streak}")
    if overridden:
        line += Content.assemble("  ", ("(your verdict)", "italic dim"))
    parts["headline"] = line
    if judgement.shown:
        parts["response"] = Content.styled("You asked to see the answer: no points this time.", "italic")
    elif judgement.event.get("timeout"):
        parts["response"] = Content.assemble(("⏱ Time's up", "bold $error"), " — counted as wrong; the round goes on.")
    elif judgement.picked is None:
        parts["response"] = Content.assemble(("Your answer: ", "bold"), printable(judgement.response))
    if item.kind == "mc" and outcome.verdict != CORRECT and item.choice is not None:
        parts["solution"] = Content.assemble(("Right answer: ", "bold"),
                                             printable(item.choice.options[item.choice.correct]))
    elif item.kind == "cloze" and item.cloze is not None:
        solution = Content.assemble(("Missing term: ", "bold"), printable(item.cloze.term))
        if judgement.picked is not None and outcome.verdict == CORRECT:
            solution += Content.styled("  (picked from the list: half points; typing it earns full)", "dim")
        parts["solution"] = solution
    if item.kind == "recall":
        if result.matched:
            parts["covered"] = Content.assemble(("Covered: ", "bold $success"), printable("; ".join(result.matched)))
        if result.missed:
            label = ("Also worth saying: ", "bold") if outcome.verdict == CORRECT else ("Missed: ", "bold $warning")
            parts["missed"] = Content.assemble(label, printable("; ".join(result.missed)))
        if result.remarks:
            parts["remarks"] = Content("\n").join(
                Content.assemble(("Note: ", "bold"), printable(remark)) for remark in result.remarks)
    parts["reference-head"] = Content.styled("Reference answer", "bold underline")
    parts["reference"] = Content(printable(item.question.answer, lines=True))
    keys = "Enter: see your results" if last else "Enter: next question"
    if item.kind != "mc" and judgement.picked is None and not overridden and not judgement.shown:
        keys += "   ·   y: I was right" if outcome.verdict != CORRECT else ""
        keys += "   ·   n: I was wrong" if outcome.verdict != WRONG else ""
    elif overridden:
        keys += "   ·   u: undo my verdict"
    parts["keys"] = Content.styled(keys, "dim")
    return parts
