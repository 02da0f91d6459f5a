"""The game's commands for the command palette (Ctrl+P): play any mode of any open section,
leaderboard, statistics, switch player, switch bank."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from quizgame.core.rounds import ALL_SECTIONS, DEFAULT_SIZE, MODE_NAMES, MODES
from quizgame.core.stats import unlocked_sections

if TYPE_CHECKING:
    from quizgame.ui.app import QuizApp
    from quizgame.ui.screens.map import MapScreen


def _map_screen(app: QuizApp) -> MapScreen | None:
    from quizgame.ui.screens.map import MapScreen

    return next((s for s in reversed(app.screen_stack) if isinstance(s, MapScreen)), None)


def _back_to(app: QuizApp, screen: Screen) -> None:
    """Close every screen above `screen` (a round left this way keeps its saved answers)."""
    while app.screen is not screen and len(app.screen_stack) > 1:
        app.pop_screen()


def game_commands(app: QuizApp, screen: Screen) -> Iterable[SystemCommand]:
    from quizgame.ui.screens.leaderboard import LeaderboardScreen

    map_screen = _map_screen(app)
    if map_screen is not None:
        player = map_screen.player
        progress = app.store.progress(player, app.bank.id)
        sections = [(ALL_SECTIONS, "all unlocked sections")] + [
            (s.id, s.title) for s in unlocked_sections(app.bank, progress)]
        for mode in MODES:
            for section_id, title in sections:
                yield SystemCommand(f"Play {MODE_NAMES[mode].lower()}: {title}",
                                    f"A round of {DEFAULT_SIZE} questions for {player}",
                                    _play(app, map_screen, mode, section_id))
        yield SystemCommand("Statistics", f"{player}'s points, streaks and weak topics", _stats(app, player))
        for bank in app.banks:
            if bank is not app.bank:
                yield SystemCommand(f"Switch bank: {bank.title}", "Play another question bank",
                                    _bank(app, map_screen, bank))
    yield SystemCommand("Leaderboard", "Everyone on this machine, ranked",
                        lambda: app.push_screen(LeaderboardScreen()))
    if len(app.screen_stack) > 1:
        yield SystemCommand("Switch player", "Back to the list of players", lambda: _back_to(app, app.screen_stack[0]))


def _play(app: QuizApp, map_screen: MapScreen, mode: str, section: str) -> Callable[[], None]:
    def run() -> None:
        _back_to(app, map_screen)
        map_screen.start_round(mode, section, DEFAULT_SIZE, None)
    return run


def _stats(app: QuizApp, player: str) -> Callable[[], None]:
    def run() -> None:
        from quizgame.ui.screens.stats import StatsScreen

        app.push_screen(StatsScreen(player))
    return run


def _bank(app: QuizApp, map_screen: MapScreen, bank: object) -> Callable[[], None]:
    def run() -> None:
        _back_to(app, map_screen)
        app.choose_bank(bank)  # type: ignore[arg-type]
        map_screen.refresh_map()
    return run
