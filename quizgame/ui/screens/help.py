"""Keys and scoring: every key of the screen underneath, what typing does, and how points are earned."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quizgame.core.scoring import (
    BASE_POINTS, BLITZ_POINTS, BLITZ_STREAK_CAP, BLITZ_STREAK_STEP, STREAK_CAP, STREAK_STEP, TIER_STEP,
)
from quizgame.core.stats import UNLOCK_RULE
from quizgame.ui.widgets.footer import Footer

# What the keys alone don't say, per screen: typing, arrows and Enter on lists.
TYPING = {
    "TitleScreen": "↑↓ choose a player, Enter plays as them. In the name box, type a name and Enter.",
    "MapScreen": "↑↓ choose a section (or all unlocked ones); Enter plays multiple choice.",
    "RoundScreen": "Multiple choice: 1–4, or ↑↓ and Enter. Recall: type the answer, Enter. "
                   "Cloze: type the missing term and Enter (full points), or press 1–4 to pick it (fewer points). "
                   "After the verdict, ↑↓ scroll a long answer.",
    "SummaryScreen": "↑↓ scroll the summary.",
    "LeaderboardScreen": "↑↓ move through the players.",
    "StatsScreen": "↑↓ scroll.",
}
KEY_NAMES = {"escape": "Esc", "enter": "Enter", "question_mark": "?", "up": "↑", "down": "↓",
             "pageup": "PgUp", "pagedown": "PgDn", "ctrl+q": "Ctrl+Q", "ctrl+c": "Ctrl+C", "ctrl+p": "Ctrl+P",
             "ctrl+g": "Ctrl+G", "f1": "F1"}


def scoring_rules() -> str:
    return (f"A fully correct answer earns {BASE_POINTS} points in the first section, {TIER_STEP} more per "
            f"harder section, plus {STREAK_STEP} per correct answer already in your streak (at most "
            f"+{STREAK_CAP}). A partly right recall answer earns a share of the base and holds the streak; "
            "a wrong one, or asking to see the answer, earns nothing and resets it. In a cloze, picking the "
            f"term from 1–4 earns half of what typing it does. In a blitz, a right answer in t of T seconds "
            f"earns round((1 − (t/T)/2) × {BLITZ_POINTS}), plus {BLITZ_STREAK_STEP} per answer already right in "
            f"a row (at most +{BLITZ_STREAK_CAP}). {UNLOCK_RULE}")


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-box {
        width: 90; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    HelpScreen .help-head { text-style: bold; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,question_mark,f1,q", "app.pop_screen", "Close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Content.from_markup("[b]Keys on this screen[/b]"))
            for line in self._key_lines():
                yield Static(line, classes="help-key")
            hint = TYPING.get(type(self.under).__name__)
            if hint:
                yield Static(Content(hint), classes="help-hint")
            yield Static("Anywhere", classes="help-head")
            yield Static(Content("Ctrl+P  commands: play any mode, leaderboard, stats, switch player, bank or theme\n"
                                 "F1 or ?  this help   ·   Ctrl+Q or Ctrl+C  quit (every answer is already saved)"))
            yield Static("Scoring", classes="help-head")
            yield Static(Content(scoring_rules()))
        yield Footer(compact=True)

    def _key_lines(self) -> list[Content]:
        """The screen's and the game's keys; a text box's editing keys are left out."""
        seen: dict[str, list[str]] = {}
        for key, active in self.under.active_bindings.items():
            binding = active.binding
            if active.node not in (self.under, self.app) or not binding.description:
                continue
            if binding.action in ("help", "command_palette", "quit", "focus_next", "focus_previous"):
                continue  # listed under "Anywhere"
            name = binding.key_display or KEY_NAMES.get(key, key)
            keys = seen.setdefault(binding.description, [])
            if name not in keys:
                keys.append(name)
        width = max((len(" / ".join(keys)) for keys in seen.values()), default=0)
        return [Content.assemble((" / ".join(keys).ljust(width), "bold $accent"), "  ", description)
                for description, keys in seen.items()]
