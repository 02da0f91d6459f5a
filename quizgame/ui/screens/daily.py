"""The daily challenge's boards: today's ranking and the past days'."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from quizgame.core.study import DAILY_SIZE, daily_board, daily_history
from quizgame.ui.game import GameScreen
from quizgame.ui.widgets.footer import Footer


class DailyScreen(GameScreen[None]):
    DEFAULT_CSS = """
    DailyScreen #daily-box { padding: 1 2; }
    DailyScreen .daily-head { margin-top: 1; }
    """
    SUB_TITLE = "Daily challenge"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("q", "app.pop_screen", "Back", show=False)]

    def compose(self) -> ComposeResult:
        bank = self.game.bank
        everyone = self.game.store.everyone(bank.id)
        today = self.game.clock.now().date()
        yield Header()
        with VerticalScroll(id="daily-box"):
            yield Static(Content.from_markup(
                "[b]Daily challenge[/b]  ·  $day  ·  the same $n questions for everyone today, once each",
                day=today.isoformat(), n=DAILY_SIZE), id="daily-title")
            rows = daily_board(everyone, today)
            if rows:
                for row in rows:
                    yield Static(_row(row), classes="daily-today")
            else:
                yield Static(Content.from_markup("[dim]Nobody has played today's challenge yet: d on the map.[/dim]"))
            history = daily_history(everyone, today)
            if history:
                yield Static(Content.from_markup("[b]Past days[/b]"), classes="daily-head")
                for day, board in history:
                    winner = board[0]
                    others = ", ".join(f"{r.player} {r.points:,}" for r in board[1:4])
                    yield Static(Content.assemble(
                        (day.isoformat(), "bold"), "  🏆 ", winner.player, f" {winner.points:,}",
                        (f"  ·  {others}" if others else "", "dim"),
                    ), classes="daily-past")
        yield Footer(compact=True)


def _row(row) -> Content:
    state = "" if row.done else "  (left early)"
    return Content.assemble(f"{row.rank:>2}. ", (row.player, "bold"), f"  {row.points:,} points  ·  ",
                            f"{row.correct}/{row.answered} right", (state, "dim"))
