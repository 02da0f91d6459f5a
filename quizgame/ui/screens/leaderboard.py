"""The local leaderboard: players ranked by total points in the current bank."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Header, Static

from quizgame.core.printable import printable
from quizgame.core.rounds import ALL_SECTIONS
from quizgame.core.stats import leaderboard
from quizgame.ui.game import GameScreen
from quizgame.ui.widgets.footer import Footer

NAME_WIDTH = 16  # below WIDE columns, longer names end in "…" (in full in `quizgame leaderboard`)
WIDE = 100       # from here the table fits with every name whole


def _head(label: str) -> Text:
    """A column heading on up to two lines, split at its middle space, after a one-space gap."""
    words = label.split()
    if len(words) > 1:
        cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
        label = " ".join(words[:cut]) + "\n " + " ".join(words[cut:])
    return Text(" " + label, style="bold")


def _cell(value: str) -> Text:
    return Text(" " + value, justify="right")


class LeaderboardScreen(GameScreen[None]):
    DEFAULT_CSS = """
    LeaderboardScreen #board-title { padding: 1 2 0 2; height: auto; }
    LeaderboardScreen #board { margin: 1 1 1 0; height: auto; max-height: 1fr; }
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
        # No cell padding and a one-space gap of our own, headers on two lines: the table for the
        # shipped bank's four sections fits 80 columns.
        yield DataTable(id="board", cursor_type="row", zebra_stripes=True, cell_padding=0, header_height=2)
        yield Static(id="board-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.action_refresh_board()

    def action_refresh_board(self) -> None:
        """Re-read every player's saves, so results from another game process show up."""
        bank = self.game.bank
        rows = leaderboard(bank, self.game.store.everyone(bank.id))
        self.game.report_save_damage()
        self.query_one("#board-title", Static).update(Content.from_markup(
            "[b]Leaderboard[/b]  ·  $bank  ·  best round per section, and in mixed rounds", bank=printable(bank.title)))
        table = self.query_one("#board", DataTable)
        table.clear(columns=True)
        table.add_column(_head("#"), key="rank")
        table.add_column(_head("Player"), key="player")
        table.add_column(_head("Points"), key="points")
        columns = [(s.id, s.label) for s in bank.sections] + [(ALL_SECTIONS, "Mixed")]
        for key, label in columns:
            table.add_column(_head(printable(label)), key=f"s:{key}")
        blitz = any(row.blitz_best for row in rows)  # a column only once someone has played a blitz
        if blitz:
            table.add_column(_head("Blitz"), key="blitz")
        table.add_column(_head("Longest streak"), key="streak")
        table.add_column(_head("Accuracy"), key="accuracy")
        for row in rows:
            accuracy = "—" if row.accuracy is None else f"{row.accuracy:.0%}"
            # Text(...) keeps names literal: DataTable would read a plain str as markup.
            cut = NAME_WIDTH if self.app.size.width < WIDE else len(row.player)
            shown = printable(row.player)
            name = shown if len(shown) <= cut else shown[:cut - 1] + "…"
            table.add_row(
                _cell(str(row.rank)), Text(" " + name), _cell(f"{row.points:,}"),
                *[_cell(f"{row.best_rounds.get(key, 0):,}") for key, _ in columns],
                *([_cell(f"{row.blitz_best:,}")] if blitz else []), _cell(str(row.longest_streak)), _cell(accuracy),
            )
        empty = self.query_one("#board-empty", Static)
        empty.update("" if rows else "No players yet.")
        empty.display = not rows
        table.focus()
