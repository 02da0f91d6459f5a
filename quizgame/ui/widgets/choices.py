"""The numbered options of a multiple-choice or cloze item.

Each option is a row with its number in a gutter, so a long option wraps under its own
text rather than under the number. A row's state (highlighted, right, picked) is drawn
into its content rather than toggled as CSS classes: restyling the rows on every
question cost more than everything else the next question does.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

MARKS = {"right": ("✔", "bold $success"), "picked": ("✘", "bold $error"), "cursor": ("›", "bold $accent"),
         "": (" ", "")}


class ChoiceRow(Horizontal):
    DEFAULT_CSS = """
    ChoiceRow { height: auto; padding: 0 1; }
    ChoiceRow > .gutter { width: 5; }
    ChoiceRow > .text { width: 1fr; }
    """

    def __init__(self, index: int, text: str):
        super().__init__()
        self.index, self.text = index, text
        self.number = Static(classes="gutter")
        self.body = Static(classes="text")
        self.draw("")

    def compose(self) -> ComposeResult:
        yield self.number
        yield self.body

    def draw(self, state: str) -> None:
        mark, style = MARKS[state]
        # The gutter is always one row of five cells: redrawing it needs no layout.
        self.number.update(Content.assemble((mark, style), " ", (f"{self.index + 1}", "bold")), layout=False)
        self.body.update(Content.styled(self.text, "bold") if state == "right" else Content(self.text))

    def reset(self, text: str) -> None:
        self.text = text
        self.draw("")

    def on_click(self) -> None:
        self.parent.choose(self.index)


class Choices(Vertical, can_focus=True):
    """Options numbered 1–4: arrows move, Enter picks; after the answer, right and picked are marked."""

    DEFAULT_CSS = """
    Choices { height: auto; padding: 1 0; background: $boost; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("enter", "select", "Pick", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None)

    class Chosen(Message):
        def __init__(self, index: int):
            super().__init__()
            self.index = index

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.revealed = False

    def show(self, options: list[str]) -> None:
        self.revealed = False
        self.display = bool(options)
        rows = list(self.query(ChoiceRow))
        if len(rows) == len(options):
            # The same number of options as the last item: reuse the rows, it is faster.
            for row, text in zip(rows, options):
                row.reset(text)
        else:
            self.remove_children()
            self.mount_all([ChoiceRow(i, text) for i, text in enumerate(options)])
        self.highlighted = None  # nothing looks picked before the player moves

    def reveal(self, correct: int, picked: int | None) -> None:
        self.revealed = True
        for row in self.query(ChoiceRow):
            row.draw("right" if row.index == correct else "picked" if row.index == picked else "")

    def watch_highlighted(self) -> None:
        if not self.revealed:
            for row in self.query(ChoiceRow):
                row.draw("cursor" if row.index == self.highlighted else "")

    def action_move(self, step: int) -> None:
        rows = len(self.query(ChoiceRow))
        if rows and not self.revealed:
            start = -1 if step > 0 else 0
            self.highlighted = ((start if self.highlighted is None else self.highlighted) + step) % rows

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.choose(self.highlighted)

    def choose(self, index: int) -> None:
        if not self.revealed:
            self.post_message(self.Chosen(index))
