"""The numbered options of a multiple-choice or cloze item.

Each option is a row with its number in a gutter, so a long option wraps under its own
text rather than under the number.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class ChoiceRow(Horizontal):
    DEFAULT_CSS = """
    ChoiceRow { height: auto; padding: 0 1; }
    ChoiceRow > .mark { width: 2; }
    ChoiceRow > .number { width: 3; text-style: bold; }
    ChoiceRow > .text { width: 1fr; }
    """

    def __init__(self, index: int, text: str):
        super().__init__()
        self.index = index
        self.mark = Static("", classes="mark")
        self.body = Static(Content(text), classes="text")

    def compose(self) -> ComposeResult:
        yield self.mark
        yield Static(str(self.index + 1), classes="number")
        yield self.body

    def reset(self, text: str) -> None:
        self.body.update(Content(text))
        self.mark.update("")
        self.remove_class("-right", "-picked", "-highlight")

    def on_click(self) -> None:
        self.parent.choose(self.index)


class Choices(Vertical, can_focus=True):
    """Options numbered 1–4: arrows move, Enter picks; after the answer, right and picked are marked."""

    DEFAULT_CSS = """
    Choices { height: auto; padding: 1 0; background: $boost; }
    Choices:focus ChoiceRow.-highlight { background: $block-cursor-background; color: $block-cursor-foreground; }
    Choices ChoiceRow.-highlight { background: $block-cursor-blurred-background; }
    Choices.-revealed ChoiceRow.-highlight { background: transparent; }
    Choices ChoiceRow.-right .mark { color: $success; text-style: bold; }
    Choices ChoiceRow.-picked .mark { color: $error; text-style: bold; }
    Choices ChoiceRow.-right .text { text-style: bold; }
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

    def show(self, options: list[str]) -> None:
        self.remove_class("-revealed")
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
        self._paint()

    def reveal(self, correct: int, picked: int | None) -> None:
        self.add_class("-revealed")
        for row in self.query(ChoiceRow):
            if row.index == correct:
                row.add_class("-right")
                row.mark.update("✔")
            elif row.index == picked:
                row.add_class("-picked")
                row.mark.update("✘")
            else:
                row.mark.update("")

    def watch_highlighted(self) -> None:
        self._paint()

    def _paint(self) -> None:
        for row in self.query(ChoiceRow):
            row.set_class(row.index == self.highlighted, "-highlight")
            if not self.has_class("-revealed"):
                row.mark.update("›" if row.index == self.highlighted else "")

    def action_move(self, step: int) -> None:
        rows = len(self.query(ChoiceRow))
        if rows and not self.has_class("-revealed"):
            start = -1 if step > 0 else 0
            self.highlighted = ((start if self.highlighted is None else self.highlighted) + step) % rows

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.choose(self.highlighted)

    def choose(self, index: int) -> None:
        if not self.has_class("-revealed"):
            self.post_message(self.Chosen(index))
