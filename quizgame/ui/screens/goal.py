"""Set the daily goal (answers or minutes) and whether the streak is shown."""
from __future__ import annotations

import uuid

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from quizgame.core.progress import GOAL_UNITS
from quizgame.core.study import goal_event
from quizgame.ui.game import GameModal


class GoalScreen(GameModal[dict | None]):
    """Dismisses with the goal event to record, or None when cancelled."""

    DEFAULT_CSS = """
    GoalScreen { align: center middle; }
    GoalScreen #goal-box { width: 64; max-width: 100%; height: auto; padding: 1 2; border: round $accent;
                           background: $surface; }
    GoalScreen #goal-amount { margin: 1 0; }
    GoalScreen #goal-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "unit", "Answers/minutes", priority=True),
        Binding("f2", "streak", "Streak on/off", priority=True),
    ]

    def __init__(self, goal: dict):
        super().__init__()
        self.unit = goal["unit"]
        self.amount = int(goal["amount"])
        self.show_streak = bool(goal.get("show_streak", True))

    def compose(self) -> ComposeResult:
        with Vertical(id="goal-box"):
            yield Static(Content.from_markup("[b]Daily goal[/b]"))
            yield Static(id="goal-state")
            yield Input(str(self.amount), id="goal-amount", type="integer")
            yield Static("", id="goal-error")
            yield Static(Content.from_markup(
                "[dim]Enter saves · Tab switches answers/minutes · F2 shows or hides the streak · "
                "Esc cancels. Meet the goal 7 days in a row to earn a streak freeze (2 at most); "
                "a missed day uses one.[/dim]"))

    def on_mount(self) -> None:
        self.query_one("#goal-amount", Input).cursor_blink = self.game.cursor_blink
        self.query_one("#goal-amount", Input).focus()
        self.show_state()

    def show_state(self) -> None:
        self.query_one("#goal-state", Static).update(Content.from_markup(
            "Goal: $unit a day   ·   streak display: $streak", unit=self.unit,
            streak="on" if self.show_streak else "off"))

    def action_unit(self) -> None:
        self.unit = GOAL_UNITS[(GOAL_UNITS.index(self.unit) + 1) % len(GOAL_UNITS)]
        self.show_state()

    def action_streak(self) -> None:
        self.show_streak = not self.show_streak
        self.show_state()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            amount = int(event.value)
        except ValueError:
            amount = 0
        if not 1 <= amount <= 1000:
            self.query_one("#goal-error", Static).update("Type a number from 1 to 1000.")
            return
        self.dismiss(goal_event(self.unit, amount, self.show_streak, self.game.clock.now(), uuid.uuid4().hex))
