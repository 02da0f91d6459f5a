"""The game's App: holds the banks, the store and the clock, and opens the first screen."""
from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from quizgame.core.clock import Clock, SystemClock
from quizgame.core.model import Bank
from quizgame.store.base import Store
from quizgame.ui.screens.title import TitleScreen


class QuizApp(App):
    # Each screen and widget carries its own styles, parsed when it is first shown.
    CSS = ".hidden { display: none; }"
    TITLE = "quizgame"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True, show=False)]

    def __init__(self, banks: list[Bank], store: Store, clock: Clock | None = None,
                 start: dict | None = None, notices: list[str] | tuple[str, ...] = (),
                 cursor_blink: bool = True):
        super().__init__()
        self.banks = banks
        self.bank = banks[0]
        self.store = store
        self.clock = clock or SystemClock()
        self.start = start
        self.notices = list(notices)
        self.cursor_blink = cursor_blink  # tests and snapshots turn it off
        self._warnings_shown = 0

    def get_default_screen(self) -> TitleScreen:
        # The title screen is the base of the stack: no empty screen is drawn before it.
        return TitleScreen()

    def on_mount(self) -> None:
        for notice in self.notices:
            self.notify(notice, title="Saves", severity="warning", timeout=15, markup=False)
        self._warnings_shown = len(self.store.warnings)
        if self.start:
            from quizgame.ui.screens.map import MapScreen

            start = self.start
            map_screen = MapScreen(start["player"])
            self.push_screen(map_screen)
            map_screen.start_round(start["mode"], start["section"], start["size"], start["seed"],
                                   start.get("seconds"))

    def report_save_damage(self) -> None:
        """Show damage the store found since the last look (a file set aside while playing)."""
        for warning in self.store.warnings[self._warnings_shown:]:
            self.notify(warning, title="Saves", severity="warning", timeout=15, markup=False)
        self._warnings_shown = len(self.store.warnings)

    def choose_bank(self, bank: Bank) -> None:
        self.bank = bank
