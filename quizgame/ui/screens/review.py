"""Review mistakes: the questions missed in the round just played, with what was said and the answer."""
from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from quizgame.core.grading import PARTIAL
from quizgame.core.model import Question
from quizgame.ui.widgets.footer import Footer


@dataclass(frozen=True, slots=True)
class Mistake:
    question: Question
    response: str   # what the player typed or picked ("" when they asked for the answer)
    verdict: str    # "wrong" or "partial"
    shown: bool     # they asked to see the answer


class ReviewScreen(Screen):
    DEFAULT_CSS = """
    ReviewScreen { align-horizontal: center; }
    ReviewScreen #review-box { padding: 1 2; max-width: 100; }
    ReviewScreen .review-prompt { text-style: bold; margin-top: 1; }
    ReviewScreen .review-answer { padding-left: 2; }
    """
    SUB_TITLE = "Review mistakes"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("q", "app.pop_screen", "Back", show=False)]

    def __init__(self, mistakes: tuple[Mistake, ...]) -> None:
        super().__init__()
        self.mistakes = mistakes

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-box"):
            count = len(self.mistakes)
            yield Static(Content.from_markup("[b]$n question$s to look at again[/b]",
                                            n=count, s="" if count == 1 else "s"))
            for n, mistake in enumerate(self.mistakes, 1):
                yield Static(Content.assemble(f"{n}. ", mistake.question.prompt), classes="review-prompt")
                said = ("you asked to see the answer" if mistake.shown
                        else f"{'partly right' if mistake.verdict == PARTIAL else 'you said'}: {mistake.response}")
                yield Static(Content.styled(said, "dim italic"), classes="review-answer")
                yield Static(Content(mistake.question.answer), classes="review-answer")
        yield Footer(compact=True)
