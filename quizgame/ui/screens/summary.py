"""The end of a round: score, accuracy, best streak, unlocks, personal bests, topic moves."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from quizgame.core.printable import printable
from quizgame.core.rounds import ALL_SECTIONS, MODE_NAMES, RoundPlan
from quizgame.core.session import RoundSummary
from quizgame.ui.screens.review import Mistake
from quizgame.ui.widgets.today import round_note
from quizgame.ui.memory import give_back_memory
from quizgame.ui.widgets.footer import Footer
from quizgame.ui.game import GameScreen


class SummaryScreen(GameScreen[None]):
    DEFAULT_CSS = """
    SummaryScreen #summary-box { padding: 1 2; }
    SummaryScreen #summary-title, SummaryScreen #summary-score { margin-bottom: 1; }
    SummaryScreen .topics-head, SummaryScreen #summary-keys { margin-top: 1; }
    """
    SUB_TITLE = "Round complete"
    BINDINGS = [
        Binding("enter", "again", "Play again", priority=True),
        Binding("m", "map", "Map"),
        Binding("l", "leaderboard", "Leaders"),
        Binding("s", "stats", "Stats"),
        Binding("v", "review", "Mistakes"),
        Binding("escape", "map", "Back", show=False),
    ]

    def __init__(self, player: str, plan: RoundPlan, summary: RoundSummary, mistakes: tuple[Mistake, ...] = ()):
        super().__init__()
        self.player, self.plan, self.summary = player, plan, summary
        self.mistakes = mistakes

    def compose(self) -> ComposeResult:
        s, bank = self.summary, self.game.bank
        yield Header()
        with VerticalScroll(id="summary-box"):
            yield Static(Content.from_markup("[b]Round complete[/b]  ·  $mode", mode=MODE_NAMES[self.plan.mode]),
                         id="summary-title")
            accuracy = "—" if s.accuracy is None else f"{s.accuracy:.0%}"
            yield Static(Content.from_markup(
                "[b]$points[/b] points   ·   $correct of $answered correct ($accuracy)   ·   best streak $streak",
                points=f"{s.points:,}", correct=s.correct, answered=s.answered, accuracy=accuracy,
                streak=s.best_streak), id="summary-score")
            note = round_note(self.plan.mode, self.plan.section, bank,
                              self.game.store.progress(self.player, bank.id), self.game.clock.now(), s.correct, s.answered)
            if note is not None:
                yield Static(note, id="summary-study")
            for section in s.new_unlocks:
                yield Static(Content.from_markup("[b $success]🔓 Unlocked: $title![/]", title=printable(section.title)),
                             classes="unlock")
            for key in s.new_bests:
                section_id, mode = key.rsplit("/", 1)
                best_in = bank.section(section_id)
                where = "all unlocked sections" if section_id == ALL_SECTIONS or best_in is None else printable(best_in.title)
                yield Static(Content.from_markup("[b $accent]★ New personal best:[/] $where · $mode",
                                                 where=where, mode=MODE_NAMES.get(mode, mode)), classes="best")
            if s.topic_moves:
                heading = "Focus topics" if self.plan.focus else "Topics in this round"
                yield Static(Content.from_markup("[b]$heading[/b]", heading=heading), classes="topics-head")
                for move in s.topic_moves:
                    yield Static(_move_line(move), classes="topic-move")
            keys = "Enter plays another round like this one."
            if self.mistakes:
                keys += f"  v reviews the {len(self.mistakes)} question{'s' if len(self.mistakes) != 1 else ''} you missed."
            yield Static(Content.styled(keys, "dim"), id="summary-keys")
        yield Footer(compact=True, show_command_palette=False)  # room for the keys at 80 columns

    def on_mount(self) -> None:
        self.call_after_refresh(give_back_memory)  # the round's screen is gone: return its memory
        for section in self.summary.new_unlocks:
            self.notify(f"{printable(section.title)} is now open.", title="Section unlocked", markup=False)

    def action_again(self) -> None:
        from quizgame.ui.screens.map import MapScreen

        self.app.pop_screen()
        screen = self.app.screen
        if isinstance(screen, MapScreen):
            screen.start_round(self.plan.mode, self.plan.section, len(self.plan.items), None,
                               self.plan.limit or None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.mistakes) if action == "review" else True

    def action_review(self) -> None:
        from quizgame.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.mistakes))

    def action_map(self) -> None:
        self.app.pop_screen()

    def action_leaderboard(self) -> None:
        from quizgame.ui.screens.leaderboard import LeaderboardScreen

        self.app.push_screen(LeaderboardScreen())

    def action_stats(self) -> None:
        from quizgame.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.player))


def _move_line(move) -> Content:
    def pct(value):
        return "new" if value is None else f"{value:.0%}"

    arrow, style = "→", "dim"
    if move.before is not None and move.after is not None:
        if move.after > move.before + 0.005:
            arrow, style = "▲", "$success"
        elif move.after < move.before - 0.005:
            arrow, style = "▼", "$error"
    return Content.assemble(f"  {printable(move.topic):<22} {pct(move.before):>4} ", (arrow, style), f" {pct(move.after)}")
