"""The round's top row: where the round is on the left, the player's score on the right.

One widget of one fixed row that lays out its two halves itself: the score keeps its room and
the left half is cut with an ellipsis. Two widgets (one of them as wide as its text) cost a
layout of the whole screen whenever the score changed length, that is after every answer.
"""
from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

GAP = 3  # columns between the cut left half and the score


class RoundBar(Widget):
    DEFAULT_CSS = """
    RoundBar { height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.where = Content("")
        self.score = Content("")

    def show(self, where: Content | None = None, score: Content | None = None) -> None:
        """Change either half; the row keeps its size, so this repaints it and nothing else."""
        self.where = self.where if where is None else where
        self.score = self.score if score is None else score
        self.refresh()

    def render(self) -> Content:
        width = self.content_size.width
        score = self.score.truncate(width, ellipsis=True)
        room = width - score.cell_length - GAP
        if room <= 0:
            return score
        where = self.where.truncate(room, ellipsis=True)
        return where + " " * (width - where.cell_length - score.cell_length) + score
