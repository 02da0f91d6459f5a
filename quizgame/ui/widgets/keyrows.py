"""The keys of a screen with many of them, on as many rows as the width needs (two at 80 columns).

Textual's Footer keeps to one row and cuts whatever does not fit, so at 80 columns the
section map lost its last keys (Esc among them). This draws each key with its name, never
splitting the two, and starts a new row where the next key would not fit.
"""
from __future__ import annotations

from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

KEY_GAP = "  "  # between two keys on a row, as Textual's compact Footer spaces them


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


class KeyRows(Static):
    DEFAULT_CSS = """
    KeyRows {
        dock: bottom; height: auto; max-height: 3; width: 1fr; padding: 0 1;
        background: $footer-background; color: $footer-description-foreground;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._drawn: tuple[tuple[tuple[str, str], ...], int] = ((), 0)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._draw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self, event: Resize) -> None:
        self._draw()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._draw()

    def _draw(self) -> None:
        keys: dict[str, tuple[str, str]] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and enabled and binding.action not in keys:
                keys[binding.action] = (self.app.get_key_display(binding), binding.description)
        width = max(self.screen.size.width - 2, 20)  # the bar's padding
        drawn = (tuple(keys.values()), width)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        rows = pack_rows(list(keys.values()), width)
        self.update(Content("\n").join(
            Content(KEY_GAP).join(Content.assemble((key, "bold $footer-key-foreground"), " ", name)
                                  for key, name in row)
            for row in rows))
