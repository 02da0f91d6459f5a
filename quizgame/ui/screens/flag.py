"""A small modal on the feedback: flag the item as having another right option, or as unclear.

It dismisses with the reason chosen, or None when the player changes their mind.
"""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from quizgame.core.flags import ALSO_RIGHT, REASONS, UNCLEAR


class FlagScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    FlagScreen { align: center middle; }
    FlagScreen > Vertical {
        width: 60; max-width: 100%; height: auto; padding: 1 2; border: round $warning; background: $surface;
    }
    FlagScreen #flag-title { text-style: bold; margin-bottom: 1; }
    FlagScreen #flag-keys { margin-top: 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose('also-right')", "Also right", show=False),
        Binding("2", "choose('unclear')", "Unclear", show=False),
        Binding("escape", "cancel", "Cancel", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Flag this question for the bank's author", id="flag-title")
            yield Static(Content.assemble(("1", "bold $accent"), "  ", REASONS[ALSO_RIGHT].capitalize()))
            yield Static(Content.assemble(("2", "bold $accent"), "  ", REASONS[UNCLEAR].capitalize()))
            yield Static("Esc: cancel", id="flag-keys")

    def action_choose(self, reason: str) -> None:
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
