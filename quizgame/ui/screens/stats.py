"""A player's statistics: totals, streaks, sections, mastery per topic and recent rounds."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from quizgame.core import stats as st
from quizgame.core.printable import printable
from quizgame.core.study import forecast
from quizgame.ui.widgets.bars import TopicBars, bar, spark
from quizgame.ui.widgets.today import today_line
from quizgame.ui.widgets.footer import Footer
from quizgame.ui.game import GameScreen


class StatsScreen(GameScreen[None]):
    DEFAULT_CSS = """
    StatsScreen #stats-box { padding: 1 2; }
    StatsScreen #stats-title, StatsScreen #stats-totals { margin-bottom: 1; }
    StatsScreen .stats-head { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("q", "app.pop_screen", "Back", show=False)]

    def __init__(self, player: str):
        super().__init__()
        self.player = player
        self.sub_title = f"{printable(player)} · statistics"

    def compose(self) -> ComposeResult:
        bank = self.game.bank
        progress = self.game.store.progress(self.player, bank.id)
        overall = st.overall_accuracy(bank, progress).ratio
        days = st.current_day_streak(progress, self.game.clock.now().date())
        yield Header()
        with VerticalScroll(id="stats-box"):
            yield Static(Content.from_markup("[b]$player[/b]  ·  $bank", player=printable(self.player), bank=printable(bank.title)),
                         id="stats-title")
            yield Static(Content.from_markup(
                "$points points  ·  $answers answers  ·  accuracy $accuracy\n"
                "answer streak $streak (longest $best)  ·  day streak $days (longest $best_days)",
                points=f"{progress.points:,}", answers=progress.answers,
                accuracy="—" if overall is None else f"{overall:.0%}", streak=progress.streak,
                best=progress.best_streak, days=days, best_days=progress.best_day_streak), id="stats-totals")
            yield Static(today_line(bank, progress, self.game.clock.now()), id="stats-today")
            ahead = forecast(bank, progress, self.game.clock.now())
            yield Static(Content.assemble(("Reviews due  ", "bold"), Content("  ·  ").join([
                Content.assemble(("today" if i == 0 else f"{d:%a}", "dim"), f" {n}") for i, (d, n) in enumerate(ahead)
            ])), id="stats-forecast")
            recent = [r["points"] for r in progress.rounds]
            if recent:
                yield Static(Content.assemble(
                    ("Recent rounds  ", "bold"), (spark(recent), "$accent"),
                    (f"  last {len(recent)} · best {max(recent):,} · latest {recent[-1]:,} points", "dim"),
                ), id="rounds-sparkline")
            else:
                yield Static(Content.from_markup("[b]Recent rounds[/b]  [dim]none finished yet[/dim]"))
            yield Static(Content.from_markup("[b]Sections[/b]"), classes="stats-head")
            by_section = st.accuracy_by_section(bank, progress)
            width = max(len(s.title) for s in bank.sections) + 2
            for state in st.section_states(bank, progress):
                ratio = by_section[state.section.id].ratio
                yield Static(Content.assemble(
                    ("✔  " if state.unlocked else "🔒 "), (printable(state.section.title).ljust(width), "bold" if state.unlocked else "dim"),
                    bar(state.mastered, state.total, 10), f" {state.mastered}/{state.total} mastered",
                    ("  accuracy " + ("—" if ratio is None else f"{ratio:.0%}"), "dim"),
                ), classes="stats-section")
            yield Static(Content.from_markup("[b]Mastery by topic[/b] [dim](weakest first)[/dim]"), classes="stats-head")
            topics = st.accuracy_by_topic(bank, progress)
            rows = sorted(((printable(t), ratio, a.answered) for t, a in topics.items() if (ratio := a.ratio) is not None),
                          key=lambda r: (r[1], r[0]))
            if rows:
                yield TopicBars(rows, id="topic-bars")
            else:
                yield Static(Content.from_markup("[dim]Play a round to see your topics here.[/dim]"))
        yield Footer(compact=True)
