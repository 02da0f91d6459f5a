"""The local leaderboard: players ranked by total points in the current bank."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quizgame.core.rounds import ALL_SECTIONS
from quizgame.core.stats import leaderboard


class LeaderboardScreen(Screen):
    DEFAULT_CSS = """
    LeaderboardScreen #board-title { padding: 1 2 0 2; height: auto; }
    LeaderboardScreen #board { margin: 1 2; height: auto; max-height: 1fr; }
    LeaderboardScreen #board-empty { padding: 0 2; }
    """
    SUB_TITLE = "Leaderboard"
    BINDINGS = [
        Binding("r", "refresh_board", "Refresh"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.pop_screen", "Back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="board-title")
        yield DataTable(id="board", cursor_type="row", zebra_stripes=True)
        yield Static(id="board-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.action_refresh_board()

    def action_refresh_board(self) -> None:
        """Re-read every player's saves, so results from another game process show up."""
        bank = self.app.bank
        rows = leaderboard(bank, self.app.store.everyone(bank.id))
        self.app.report_save_damage()
        self.query_one("#board-title", Static).update(Content.from_markup(
            "[b]Leaderboard[/b]  ·  $bank  ·  best round per section, and in mixed rounds", bank=bank.title))
        table = self.query_one("#board", DataTable)
        table.clear(columns=True)
        table.add_column("#", key="rank")
        table.add_column("Player", key="player")
        table.add_column("Points", key="points")
        columns = [(s.id, s.label) for s in bank.sections] + [(ALL_SECTIONS, "Mixed")]
        for key, label in columns:
            table.add_column(Text(label), key=f"s:{key}")
        table.add_column("Blitz", key="blitz")
        table.add_column("Streak", key="streak")
        table.add_column("Accuracy", key="accuracy")
        for row in rows:
            accuracy = "—" if row.accuracy is None else f"{row.accuracy:.0%}"
            # Text(...) keeps names literal: DataTable would read a plain str as markup.
            table.add_row(
                Text(str(row.rank), justify="right"), Text(row.player), Text(f"{row.points:,}", justify="right"),
                *[Text(f"{row.best_rounds.get(key, 0):,}", justify="right") for key, _ in columns],
                Text(f"{row.blitz_best:,}", justify="right"),
                Text(str(row.longest_streak), justify="right"), Text(accuracy, justify="right"),
            )
        empty = self.query_one("#board-empty", Static)
        empty.update("" if rows else "No players yet.")
        empty.display = not rows
        table.focus()
