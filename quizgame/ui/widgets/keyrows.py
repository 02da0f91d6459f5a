"""The keys of a screen with many of them, on as many rows as the width needs (two at 80 columns).

Textual's Footer keeps to one row and cuts whatever does not fit, so at 80 columns the
section map lost its last keys (Esc among them). This is KeyBar, drawing each key with its
name, never splitting the two, and starting a new row where the next key would not fit.
"""
from __future__ import annotations

from textual.content import Content
from textual.events import Resize

from quizgame.ui.widgets.keybar import KeyBar

KEY_GAP = "  "  # between two keys on a row, as KeyBar and Textual's compact Footer space them


def pack_rows(keys: list[tuple[str, str]], width: int) -> list[list[tuple[str, str]]]:
    """Keys (key, name) packed greedily into rows of at most `width` cells; a key too wide for
    any row gets a row of its own."""
    rows: list[list[tuple[str, str]]] = [[]]
    used = 0
    for key, name in keys:
        cells = len(key) + 1 + len(name)
        needed = cells if not rows[-1] else used + len(KEY_GAP) + cells
        if rows[-1] and needed > width:
            rows.append([])
            needed = cells
        rows[-1].append((key, name))
        used = needed
    return [row for row in rows if row]


class KeyRows(KeyBar):
    DEFAULT_CSS = """
    KeyRows { height: auto; max-height: 3; }
    """
    FIXED_HEIGHT = False

    def on_resize(self, event: Resize) -> None:
        self._shown = ()  # the same keys may need other rows at the new width
        self._draw()

    def keys_content(self, shown: tuple[tuple[str, str], ...]) -> Content:
        width = max(self.screen.size.width - 2, 20)  # the bar's padding
        return Content("\n").join(Content(KEY_GAP).join(super(KeyRows, self).keys_content((key,))
                                                        for key in row)
                                  for row in pack_rows(list(shown), width))
