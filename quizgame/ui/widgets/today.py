"""One line about today: reviews due, progress toward the daily goal, the streak and freezes."""
from __future__ import annotations

from datetime import datetime

from textual.content import Content

from quizgame.core.model import Bank
from quizgame.core.progress import Progress
from quizgame.core.study import due_count, habit


def today_line(bank: Bank, progress: Progress, now: datetime) -> Content:
    due = due_count(bank, progress, now)
    h = habit(progress, now.date())
    done = f"{h.done_today:.0f}" if h.unit == "minutes" else str(int(h.done_today))
    goal = "✔ goal met" if h.met_today else f"goal {done}/{h.amount} {h.unit}"
    line = Content.from_markup("[b]$due due today[/b]  ·  $goal", due=due, goal=goal)
    if h.show_streak and h.streak:  # no "0-day streak": nothing to lose is nothing to show
        line += Content.from_markup("  ·  🔥 $streak-day streak", streak=h.streak)
    if h.show_streak and h.freezes:
        line += Content.from_markup("  ·  ❄ $n freeze$s", n=h.freezes, s="s" if h.freezes > 1 else "")
    return line


def round_note(mode: str, section: str, bank: Bank, progress: Progress, now: datetime,
               correct: int, answered: int) -> Content | None:
    """What a finished study round means: reviews left, a test-out passed or not, the goal."""
    from quizgame.core.progress import TESTOUT_SHARE, testout_passed

    if mode == "review":
        left = due_count(bank, progress, now)
        return Content.from_markup("[b]$left[/b] still due today" if left else "[b $success]All caught up![/] "
                                   "Nothing else is due today.", left=left)
    if mode == "testout":
        chosen = bank.section(section)
        title = chosen.title if chosen else section
        if testout_passed(answered, correct):
            return Content.from_markup("[b $success]Test passed:[/] $title is open.", title=title)
        return Content.from_markup("[b $warning]Not this time:[/] $need of $n right opens $title.",
                                   need=round(TESTOUT_SHARE * answered), n=answered, title=title)
    if mode == "daily":
        return Content.from_markup("[dim]Today's challenge is done: d on the map shows today's board.[/dim]")
    return None
