"""The game's App: holds the banks, the store and the clock, and opens the first screen."""
from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quizgame.core.clock import Clock, SystemClock
from quizgame.core.model import Bank
from quizgame.core.printable import printable
from quizgame.prefs import Prefs
from quizgame.store.base import Store
from quizgame.ui.screens.title import TitleScreen


class QuizApp(App):
    # Each screen and widget carries its own styles, parsed when it is first shown.
    CSS = ".hidden { display: none; }"
    TITLE = "quizgame"
    BINDINGS = [
        Binding("f1", "help", "Help", key_display="F1"),
        Binding("question_mark", "help", "Help", key_display="?", show=False),
        # Every answer is saved before its feedback shows, so Ctrl+C can simply quit.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("ctrl+q", "quit", "Quit", key_display="^q", priority=True),
    ]

    def __init__(self, banks: list[Bank], store: Store, clock: Clock | None = None,
                 start: dict | None = None, notices: list[str] | tuple[str, ...] = (),
                 cursor_blink: bool = True, save_dir: Path | None = None, prefs: Prefs | None = None):
        super().__init__()
        self.banks = banks
        self.bank = banks[0]
        self.store = store
        self.clock = clock or SystemClock()
        self.start = start
        self.notices = list(notices)
        self.cursor_blink = cursor_blink  # tests and snapshots turn it off
        self.save_dir = save_dir          # shown on the title screen
        self.prefs = prefs or Prefs()
        self.player: str | None = None    # who is playing, once chosen
        self._warnings_shown = 0

    def get_default_screen(self) -> TitleScreen:
        # The title screen is the base of the stack: no empty screen is drawn before it.
        return TitleScreen()

    def on_mount(self) -> None:
        self._preload_semantic()
        self.call_after_refresh(self._load_bank_behind)
        for notice in self.notices:
            self.notify(printable(notice), title="Saves", severity="warning", timeout=15, markup=False)
        self._warnings_shown = len(self.store.warnings)
        self.store.lock_notice = self._lock_notice
        if self.start:
            from quizgame.ui.screens.map import MapScreen

            start = self.start
            self.choose_player(start["player"])
            map_screen = MapScreen(start["player"])
            self.push_screen(map_screen)
            map_screen.start_round(start["mode"], start["section"], start["size"], start["seed"],
                                   start.get("seconds"))

    def _lock_notice(self, message: str) -> None:
        """Another process has held the saves' lock for seconds: say who, on screen. Saves wait
        in a worker thread, so the screen is live to show it; a wait on this thread is shown
        once it ends."""
        show = partial(self.notify, printable(f"Saving is waiting: {message}"), title="Saves",
                       severity="warning", timeout=20, markup=False)
        try:
            self.call_from_thread(show)
        except RuntimeError:  # called on the app's own thread
            show()

    def _preload_semantic(self) -> None:
        """The optional semantic extra's model (about 1 s, once per process) loads in a worker soon
        after the first screen is drawn, so that a round's first answer never shares the CPU with it
        (a round also starts the load, for `quizgame play`, which opens straight into one)."""
        from quizgame.semantic import PRELOAD_AFTER, enable, installed, wanted

        if wanted() and installed():
            self.set_timer(PRELOAD_AFTER, lambda: self.run_worker(enable, thread=True, group="semantic"))

    def _load_bank_behind(self) -> None:
        """A bank from the cache unpickles its questions on first use: with the first screen
        up, do it on a helper thread while the player reads it."""
        from quizgame.bankcache import load_in_background

        load_in_background(self.bank)

    def report_save_damage(self) -> None:
        """Show damage the store found since the last look (a file set aside while playing)."""
        for warning in self.store.warnings[self._warnings_shown:]:
            self.notify(printable(warning), title="Saves", severity="warning", timeout=15, markup=False)
        self._warnings_shown = len(self.store.warnings)

    def choose_bank(self, bank: Bank) -> None:
        self.bank = bank

    # -- the player's own choices ----------------------------------------------------------

    def choose_player(self, player: str | None) -> None:
        """The player now playing; their theme comes back with them."""
        self.player = player
        theme = self.prefs.theme(player) if player else None
        if theme and theme in self.available_themes and theme != self.theme:
            self.theme = theme

    def watch_theme(self, theme: str) -> None:
        if self.player:
            self.prefs.set_theme(self.player, theme)

    # -- help and commands -------------------------------------------------------------------

    def action_help(self) -> None:
        from quizgame.ui.screens.help import HelpScreen

        if type(self.screen).__name__ != "HelpScreen":
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Ctrl+P: the game's own commands first, then Textual's theme picker and quit."""
        from quizgame.ui.commands import game_commands

        yield from game_commands(self, screen)
        yield SystemCommand("Theme", "Change the colours (kept for this player)", self.action_change_theme)
        yield SystemCommand("Keys and scoring", "Every key of this screen, and how points are earned",
                            partial(self.action_help))
        yield SystemCommand("Quit", "Quit the game (every answer is already saved)", self.action_quit)
