"""Text bars for progress and mastery, drawn with block characters."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar(value: float, total: float, width: int) -> str:
    """A bar `width` cells wide, filled in eighths of a cell; the rest drawn as a light track."""
    share = 0.0 if total <= 0 else max(0.0, min(1.0, value / total))
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text + "░" * (width - len(text))


SPARKS = "▁▂▃▄▅▆▇█"


def spark(values: list[float]) -> str:
    """One character per value, scaled from zero to the largest, so a low round looks low."""
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, round(v / top * (len(SPARKS) - 1)))] for v in values)


class TopicBars(Widget):
    """One line per topic: its name, a bar of its accuracy, the share and how many answers."""

    DEFAULT_CSS = """
    TopicBars { height: auto; }
    TopicBars > Static { height: 1; }
    """

    def __init__(self, rows: list[tuple[str, float, int]], width: int = 24, **kwargs):
        super().__init__(**kwargs)
        self.rows = rows
        self.bar_width = width

    def compose(self) -> ComposeResult:
        name_width = max((len(name) for name, _, _ in self.rows), default=0)
        for name, ratio, answered in self.rows:
            style = "$success" if ratio >= 0.8 else "$warning" if ratio >= 0.5 else "$error"
            yield Static(Content.assemble(
                (name.ljust(name_width), ""), "  ",
                (bar(ratio, 1.0, self.bar_width), style),
                f" {ratio:4.0%}  ", (f"{answered} answered", "dim"),
            ))
