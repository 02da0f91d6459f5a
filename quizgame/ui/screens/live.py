"""`quizgame leaderboard --live`: the room's leaderboard on a projector, updated as answers land.

It watches the saves rather than reading them: every WATCH_INTERVAL it asks the store for a
change stamp (for the saves on disk, a stat of each player's progress file, which is written
once an answer is safely logged), and reads only when that changed, and then only the events
logged since the last look. An answer saved by any process, a terminal game or a browser
tab, shows within WATCH_INTERVAL plus one read.
"""
from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from quizgame.core.clock import Clock, SystemClock
from quizgame.core.model import CORRECT, PARTIAL, Bank
from quizgame.core.progress import Progress
from quizgame.core.room import RoomView, event_day, room_view
from quizgame.store.base import Store
from quizgame.ui.widgets.footer import Footer

# Seconds between two looks at the saves: well inside the 2 s a room notices, and a few
# dozen stat() calls each time, so an idle board costs nothing measurable.
WATCH_INTERVAL = 0.5
# Events read back per player when the board opens, to find today's: ten hours of
# non-stop play at a 10-question round every two minutes is 3,000 answers; a day with
# more than this counts only its latest LOOKBACK events.
LOOKBACK = 3000


class TodayFeed:
    """Each player's events logged today, read incrementally from the store."""

    def __init__(self, store: Store, bank_id: str, lookback: int = LOOKBACK) -> None:
        self.store = store
        self.bank_id = bank_id
        self.lookback = lookback
        self.seen: dict[str, int] = {}
        self.events: dict[str, list[dict[str, object]]] = {}

    def update(self, everyone: dict[str, Progress], today: date) -> None:
        for player, progress in everyone.items():
            seen = self.seen.get(player)
            if seen is None or seen > progress.applied:  # new to us, or a save restored from a backup
                seen = max(0, progress.applied - self.lookback)
                self.events[player] = []
            if progress.applied > seen:
                new = self.store.events_after(player, self.bank_id, seen)
                self.events[player] = self.events.get(player, []) + new
                self.seen[player] = max([progress.applied, *(e["seq"] for e in new if isinstance(e.get("seq"), int))])
            else:
                self.seen[player] = seen
            self.events[player] = [e for e in self.events.get(player, []) if event_day(e) == today]
        for gone in set(self.events) - set(everyone):
            del self.events[gone], self.seen[gone]


class LiveBoardScreen(Screen[None]):
    DEFAULT_CSS = """
    LiveBoardScreen #live-title { padding: 1 2 0 2; height: auto; }
    LiveBoardScreen #today { margin: 1 2 0 2; height: auto; max-height: 1fr; }
    LiveBoardScreen #today-empty { padding: 1 2 0 2; height: auto; }
    LiveBoardScreen #recent-box { height: auto; padding: 1 2 0 2; }
    LiveBoardScreen #recent-title { text-style: bold; }
    LiveBoardScreen #recent { height: auto; }
    LiveBoardScreen #resting { padding: 1 2 0 2; height: auto; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh_board", "Refresh"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "app.quit", "Quit", show=False),
    ]

    def __init__(self, bank: Bank, store: Store, clock: Clock) -> None:
        super().__init__()
        self.bank = bank
        self.store = store
        self.clock = clock
        self.feed = TodayFeed(store, bank.id)
        self.view: RoomView | None = None
        self._stamp: object = None
        self.refreshes = 0  # boards drawn so far (tests wait on it)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="live-title")
        yield DataTable(id="today", cursor_type="none", zebra_stripes=True, show_cursor=False)
        yield Static(id="today-empty")
        with Vertical(id="recent-box"):
            yield Static("Recent answers", id="recent-title")
            yield Static(id="recent")
        yield Static(id="resting")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"Live leaderboard · {self.bank.title}"
        table = self.query_one("#today", DataTable)
        for label, key in [("#", "rank"), ("Player", "player"), ("Today", "points"), ("Right", "right"),
                           ("Streak", "streak"), ("Days", "days"), ("Total", "total")]:
            table.add_column(label, key=key)
        self.action_refresh_board()
        self.set_interval(WATCH_INTERVAL, self._look)

    def _look(self) -> None:
        """Redraw when a save changed, or when the day turned over."""
        stamp = self.store.change_stamp()
        if stamp != self._stamp or (self.view is not None and self.view.day != self.clock.now().date()):
            self.action_refresh_board()

    def action_refresh_board(self) -> None:
        self._stamp = self.store.change_stamp()  # before reading: a save during the read shows next look
        today = self.clock.now().date()
        everyone = self.store.everyone(self.bank.id)
        self.feed.update(everyone, today)
        self.view = view = room_view(self.bank, everyone, self.feed.events, today)
        self._draw(view)
        self.refreshes += 1

    def _draw(self, view: RoomView) -> None:
        self.query_one("#live-title", Static).update(Content.from_markup(
            "[b]Today's top players[/b]  ·  $day  ·  updated $time",
            day=f"{view.day:%A} {view.day.day} {view.day:%B}", time=f"{self.clock.now():%H:%M:%S}"))
        table = self.query_one("#today", DataTable)
        table.clear()
        for row in view.rows:
            table.add_row(
                Text(str(row.rank), justify="right"), Text(row.player), Text(f"{row.points:,}", justify="right"),
                Text(f"{row.correct}/{row.answers}", justify="right"),
                Text(f"{row.streak}" + (" 🔥" if row.streak >= 3 else ""), justify="right"),
                Text(str(row.day_streak), justify="right"), Text(f"{row.total:,}", justify="right"),
                key=row.player)
        table.display = bool(view.rows)
        empty = self.query_one("#today-empty", Static)
        empty.update("No answers yet today. The board updates by itself as people play.")
        empty.display = not view.rows
        recent = self.query_one("#recent", Static)
        if view.recent:
            lines = [Content.styled("✓ " if a.verdict == CORRECT else "~ " if a.verdict == PARTIAL else "✗ ",
                                    "green" if a.verdict == CORRECT else "yellow" if a.verdict == PARTIAL else "red")
                     + Content(a.line) for a in view.recent]
            recent.update(Content("\n").join(lines))
        else:
            recent.update(Content("—"))
        resting = self.query_one("#resting", Static)
        resting.update(Content("Not played yet today: " + ", ".join(view.resting)) if view.resting else Content(""))
        resting.display = bool(view.resting)


class LiveBoardApp(App[None]):
    """The live board on its own, for `quizgame leaderboard --live` (in a terminal or a browser tab)."""

    TITLE = "quizgame"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, bank: Bank, store: Store, clock: Clock | None = None) -> None:
        super().__init__()
        self.bank = bank
        self.store = store
        self.clock = clock or SystemClock()

    def get_default_screen(self) -> LiveBoardScreen:
        return LiveBoardScreen(self.bank, self.store, self.clock)
