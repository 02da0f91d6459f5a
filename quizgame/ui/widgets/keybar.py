"""The keys of the current screen in one line of text: a footer that costs next to nothing.

Textual's Footer rebuilds a widget per key whenever the bindings may have changed: every
focus change and every refresh_bindings(). In a round that happens on every answer and every
next question, and rebuilding the footer cost more than the rest of the feedback (profiled in
benchmarks/RESULTS.md). This bar draws the same keys as text, and only when they change. In a round the keys flip
between two sets (the question's, the verdict's) at every key: each set's row is styled once
per size and theme and kept, instead of restyling its twenty-odd pieces at every key.
"""
from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.strip import Strip
from textual.visual import Visual
from textual.widgets import Static

Keys = tuple[tuple[str, str], ...]  # (key as shown, what it does), in the bar's order
KEPT_ROWS = 8  # sets of keys whose drawn rows are kept: a screen shows two or three in turn


class KeyBar(Static):
    ALLOW_SELECT = False  # as Textual's Footer: a row of keys, nothing to copy
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: 1; width: 1fr; padding: 0 1;
        background: $footer-background; color: $footer-description-foreground;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: Keys = ()
        self._rows: dict[tuple[Keys, Size], list[Strip]] = {}  # drawn rows, by keys and size

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._draw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._draw()

    # One fixed row: new keys never change the screen's layout (a subclass with rows of its own
    # sets this False).
    FIXED_HEIGHT = True

    def _draw(self) -> None:
        keys: dict[str, tuple[str, str]] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and enabled and binding.action not in keys:
                keys[binding.action] = (self.app.get_key_display(binding), binding.description)
        shown = tuple(keys.values())
        if shown == self._shown:
            return  # the same keys: nothing to redraw
        self._shown = shown
        self.update(self.keys_content(shown), layout=not self.FIXED_HEIGHT)

    def render_line(self, y: int) -> Strip:
        key = (self._shown, self.size)
        rows = self._rows.get(key)
        if rows is None:
            if len(self._rows) >= KEPT_ROWS:
                self._rows.clear()
            # As Textual's Widget draws its content, once per set of keys.
            rows = self._rows[key] = Visual.to_strips(self, self.visual, *self.size, self.visual_style)
        return rows[y] if y < len(rows) else Strip.blank(self.size.width, self.visual_style.rich_style)

    def notify_style_update(self) -> None:
        self._rows.clear()  # a new theme or CSS: the kept rows have the old colours
        super().notify_style_update()

    def keys_content(self, shown: Keys) -> Content:
        """The keys as drawn: each key in bold, then what it does."""
        return Content("  ").join(
            Content.assemble((key, "bold $footer-key-foreground"), " ", description) for key, description in shown)
