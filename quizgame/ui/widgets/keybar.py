"""The keys of the current screen in one line of text: a footer that costs next to nothing.

Textual's Footer rebuilds a widget per key whenever the bindings may have changed: every
focus change and every refresh_bindings(). In a round that happens on every answer and every
next question, and rebuilding the footer cost more than the rest of the feedback (profiled in
benchmarks/RESULTS.md). This bar draws the same keys as text, and only when they change.
"""
from __future__ import annotations

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: 1; width: 1fr; padding: 0 1;
        background: $footer-background; color: $footer-description-foreground;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: tuple[tuple[str, str], ...] = ()

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

    def keys_content(self, shown: tuple[tuple[str, str], ...]) -> Content:
        """The keys as drawn: each key in bold, then what it does."""
        return Content("  ").join(
            Content.assemble((key, "bold $footer-key-foreground"), " ", description) for key, description in shown)
