"""The section map: a player's home, with each section open or locked, and how to play it."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from quizgame.core.printable import printable
from quizgame.core.rounds import ALL_SECTIONS, DEFAULT_SIZE, RoundError
from quizgame.core.stats import UNLOCK_RULE, section_states
from quizgame.ui.widgets.bars import bar
from quizgame.ui.widgets.today import today_line
from quizgame.ui.widgets.footer import Footer
from quizgame.ui.game import GameScreen


class MapScreen(GameScreen[None]):
    DEFAULT_CSS = """
    MapScreen #map-box { padding: 1 2; height: 1fr; }
    MapScreen #player-bar, MapScreen #bank-line, MapScreen #today-line { height: auto; }
    MapScreen #sections { height: auto; max-height: 1fr; margin-top: 1; }
    MapScreen #rule { margin-top: 1; height: auto; }
    """
    BINDINGS = [
        Binding("m", "play('mc')", "Choices"),
        Binding("r", "play('recall')", "Recall"),
        Binding("c", "play('cloze')", "Cloze"),
        Binding("w", "play('weak')", "Weak"),
        Binding("v", "play('review')", "Due"),
        Binding("d", "daily", "Daily"),
        Binding("t", "play('blitz')", "Blitz"),
        Binding("x", "play('testout')", "Test out", show=False),
        Binding("o", "browse", "Browse", show=False),
        Binding("slash", "browse(True)", "Search", show=False),
        Binding("g", "goal", "Goal", show=False),
        Binding("s", "stats", "Stats"),
        Binding("l", "leaderboard", "Board"),
        Binding("b", "next_bank", "Bank"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, player: str):
        super().__init__()
        self.player = player
        self.sub_title = f"{printable(player)} · section map"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="map-box"):
            yield Static(id="player-bar")
            yield Static(id="today-line")
            yield Static(id="bank-line")
            yield OptionList(id="sections")
            yield Static(Content.from_markup(
                "[dim]$rule Enter plays multiple choice; o browses the bank, / searches it; g sets your daily goal.[/dim]", rule=UNLOCK_RULE),
                         id="rule")
        # Ctrl+P is named in the help (F1): at 80 columns the footer needs its room for the keys.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_map()

    def on_screen_resume(self) -> None:
        self.refresh_map()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return True

    def refresh_map(self) -> None:
        bank = self.game.bank
        progress = self.game.store.progress(self.player, bank.id)
        self.game.report_save_damage()
        now = self.game.clock.now()
        self.query_one("#player-bar", Static).update(Content.from_markup(
            "[b]$player[/b]  ·  $points points  ·  answer streak $streak (best $best)",
            player=printable(self.player), points=f"{progress.points:,}", streak=progress.streak,
            best=progress.best_streak))
        self.query_one("#today-line", Static).update(today_line(bank, progress, now))
        bank_line = Content.from_markup("[dim]Bank:[/dim] $title", title=printable(bank.title))
        bank_line += Content.from_markup("  [dim](b switches bank)[/dim]" if len(self.game.banks) > 1
                                         else "  [dim](the only bank: `quizgame import` adds more)[/dim]")
        self.query_one("#bank-line", Static).update(bank_line)

        sections = self.query_one("#sections", OptionList)
        highlighted = sections.highlighted
        sections.clear_options()
        states = section_states(bank, progress)
        sections.add_option(Option(Content.from_markup(
            "[b]All unlocked sections[/b]  [dim]$n questions[/dim]",
            n=sum(s.total for s in states if s.unlocked)), id=ALL_SECTIONS))
        previous = None
        width = max(len(s.section.title) for s in states) + 2
        for state in states:
            best = max((v for k, v in progress.best_rounds.items() if k.startswith(f"{state.section.id}/")), default=0)
            if state.unlocked:
                line = Content.from_markup(
                    "   [b]$title[/b]$bar $mastered/$total mastered  [dim]best $best$how[/dim]",
                    how=" · tested out" if state.tested_out else "",
                    title=printable(state.section.title).ljust(width), bar=bar(state.mastered, state.total, 10),
                    mastered=state.mastered, total=state.total, best=f"{best:,}")
                sections.add_option(Option(line, id=state.section.id))
            else:
                assert previous is not None  # the first section is always open
                line = Content.from_markup(
                    "[dim]🔒 $title$bar $have/$need of $prev mastered[/dim]",
                    title=printable(state.section.title).ljust(width), bar=bar(previous.mastered, previous.needed, 10),
                    have=min(previous.mastered, previous.needed), need=previous.needed, prev=printable(previous.section.label))
                sections.add_option(Option(line, id=state.section.id, disabled=True))
            previous = state
        sections.highlighted = highlighted if highlighted is not None else 0
        sections.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_play("mc")

    def action_play(self, mode: str) -> None:
        sections = self.query_one("#sections", OptionList)
        option = sections.get_option_at_index(sections.highlighted or 0)
        self.start_round(mode, option.id, DEFAULT_SIZE, None)

    def action_daily(self) -> None:
        from quizgame.core.study import played_daily
        from quizgame.ui.screens.daily import DailyScreen

        progress = self.game.store.progress(self.player, self.game.bank.id)
        if played_daily(progress, self.game.clock.now().date()):
            self.app.push_screen(DailyScreen())
        else:
            self.start_round("daily", None, DEFAULT_SIZE, None)

    def start_round(self, mode: str, section: str | None, size: int, seed, seconds: float | None = None) -> None:
        from quizgame.core.study import DEFAULT_BLITZ_SECONDS, plan
        from quizgame.ui.screens.round import RoundScreen

        bank = self.game.bank
        progress = self.game.store.progress(self.player, bank.id)
        if mode in ("review", "testout", "daily", "blitz"):
            section = None if mode != "blitz" else section
        everyone = self.game.store.everyone(bank.id) if mode == "daily" else None
        try:
            round_plan = plan(bank, progress, mode, self.game.clock.now(), section, size, seed,
                              seconds or DEFAULT_BLITZ_SECONDS, everyone)
        except RoundError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        if not round_plan.items:
            self.notify("No questions to play here yet.", severity="warning")
            return
        if mode == "blitz":
            from quizgame.ui.screens.blitz import BlitzScreen

            self.app.push_screen(BlitzScreen(self.player, round_plan, progress))
        else:
            self.app.push_screen(RoundScreen(self.player, round_plan, progress))
        if len(round_plan.items) < size:
            where = ("the unlocked sections" if round_plan.section == ALL_SECTIONS
                     else printable(bank.section(round_plan.section).title))
            self.notify(f"You asked for {size} questions; {where} can give {len(round_plan.items)}, so this round "
                        f"has {len(round_plan.items)}.", title="A shorter round", timeout=8, markup=False)

    def play_questions(self, questions: list) -> None:
        """Practise just these questions, typed: from the browse screen."""
        from quizgame.core.study import practice_plan
        from quizgame.ui.screens.round import RoundScreen

        progress = self.game.store.progress(self.player, self.game.bank.id)
        self.app.push_screen(RoundScreen(self.player, practice_plan(self.game.bank, questions), progress))

    def action_browse(self, search: bool = False) -> None:
        from quizgame.ui.screens.browse import BrowseScreen

        def chosen(questions: list | None) -> None:
            if questions:
                self.play_questions(questions)

        self.app.push_screen(BrowseScreen(self.player, search), chosen)

    def action_goal(self) -> None:
        from quizgame.ui.screens.goal import GoalScreen

        def done(event: dict | None) -> None:
            if event:
                self.game.store.record_goal(self.player, self.game.bank.id, event)
                self.refresh_map()

        progress = self.game.store.progress(self.player, self.game.bank.id)
        self.app.push_screen(GoalScreen(progress.goal), done)

    def action_stats(self) -> None:
        from quizgame.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.player))

    def action_leaderboard(self) -> None:
        from quizgame.ui.screens.leaderboard import LeaderboardScreen

        self.app.push_screen(LeaderboardScreen())

    def action_next_bank(self) -> None:
        banks = self.game.banks
        if len(banks) == 1:
            self.notify("This is the only bank. Import another with `quizgame import FILE`, "
                        "then b switches between them.", title="One bank", timeout=6, markup=False)
            return
        self.game.choose_bank(banks[(banks.index(self.game.bank) + 1) % len(banks)])
        self.refresh_map()
