"""What a screen may use of the game's App, as a typed protocol.

Screens reach the banks, the store, the clock and the player's preferences through
`self.game`, typed as `Game`, never through `self.app.<anything>`: they depend on this
small surface, not on QuizApp, and a test can hand them any App that provides it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol, TypeVar, cast

from textual.screen import ModalScreen, Screen

from quizgame.core.clock import Clock
from quizgame.core.model import Bank
from quizgame.prefs import Prefs
from quizgame.store.base import Store

ResultT = TypeVar("ResultT")


class Game(Protocol):
    banks: list[Bank]
    bank: Bank
    store: Store
    clock: Clock
    cursor_blink: bool
    prefs: Prefs
    save_dir: Path | None

    def report_save_damage(self) -> None: ...

    def choose_player(self, player: str | None) -> None: ...

    def choose_bank(self, bank: Bank) -> None: ...


class GameScreen(Screen[ResultT]):
    @property
    def game(self) -> Game:
        return cast(Game, self.app)


class GameModal(ModalScreen[ResultT]):
    @property
    def game(self) -> Game:
        return cast(Game, self.app)
