"""The numbered options of a multiple-choice or cloze item."""
from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class Choices(OptionList):
    """Options numbered 1–4; after the answer, the right one and the pick are marked."""

    def show(self, options: list[str]) -> None:
        self.texts = options
        self.clear_options()
        self.display = bool(options)
        self.disabled = False
        self.add_options([Option(self._line(i, text)) for i, text in enumerate(options)])
        self.highlighted = 0 if options else None

    def reveal(self, correct: int, picked: int | None) -> None:
        self.clear_options()
        for i, text in enumerate(self.texts):
            if i == correct:
                mark = ("✔ ", "bold $success")
            elif i == picked:
                mark = ("✘ ", "bold $error")
            else:
                mark = ("  ", "")
            self.add_option(Option(Content.assemble(mark, self._line(i, text))))
        self.highlighted = None
        self.disabled = True

    @staticmethod
    def _line(index: int, text: str) -> Content:
        return Content.assemble((f"{index + 1}  ", "bold"), text)
