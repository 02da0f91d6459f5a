"""A blitz round: multiple choice against a countdown bar, Kahoot's points.

The countdown is computed from the injected clock's time when the question appeared, never
by adding up ticks, so it cannot drift; the tick only decides how often it is redrawn.
"""
from __future__ import annotations

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from quizgame.core.printable import printable
from quizgame.core.rounds import Item
from quizgame.ui.screens.round import RoundScreen
from quizgame.ui.widgets.bars import bar

# Redraw ten times a second: the bar moves smoothly and a timeout is seen within 100 ms.
TICK_SECONDS = 0.1
BAR_WIDTH = 50


class Countdown(Static):
    DEFAULT_CSS = """
    Countdown { height: 1; width: 1fr; padding: 0 1; }
    """

    def show(self, remaining: float, limit: float) -> None:
        style = "$success" if remaining > limit / 2 else "$warning" if remaining > limit / 5 else "$error"
        self.update(Content.assemble(("⏱ ", ""), (bar(remaining, limit, BAR_WIDTH), style),
                                     (f" {remaining:4.1f} s", "bold")),
                    layout=False)  # one fixed row, redrawn ten times a second: never a layout


class BlitzScreen(RoundScreen):
    def on_mount(self) -> None:
        self._ticker: Timer | None = None
        self.mount(Countdown(id="countdown"), after="#round-bar")
        super().on_mount()
        self._ticker = self.set_interval(TICK_SECONDS, self.tick)

    def show_item(self) -> None:
        super().show_item()
        item = self.session.current
        if item is None:
            return
        self.session.start_timer()
        self.tick()

    def where(self, item: Item) -> Content:
        section = self.game.bank.section_of(item.question)
        return Content.from_markup(
            "[b]$n[/b]/$total  ·  $section  ·  Blitz, $limit s", n=self.session.index + 1,
            total=self.session.total, section=printable(section.title), limit=f"{self.session.plan.limit:g}")

    def tick(self) -> None:
        if self.judgement is not None or self.session.current is None:
            return
        countdown = self.query("#countdown")
        if countdown:
            countdown.first(Countdown).show(self.session.remaining(), self.session.plan.limit)
        if self.session.timed_out():
            self.submit(None)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "override":
            return False  # picked or timed out: nothing typed to re-judge
        return super().check_action(action, parameters)
