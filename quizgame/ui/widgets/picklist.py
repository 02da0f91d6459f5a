"""A short list to pick from with the arrow keys and Enter.

Lighter than OptionList, which costs the title screen a noticeable part of its start-up:
a handful of Static rows is all a list of players needs.
"""
from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class PickRow(Static):
    def __init__(self, label: Content, key: str):
        super().__init__(label)
        self.key = key

    def on_click(self) -> None:
        if isinstance(self.parent, PickList):
            self.parent.pick(self.key)


class PickList(VerticalScroll, can_focus=True):
    """Scrolls when the rows outgrow its height; the highlighted row is always kept in view."""

    DEFAULT_CSS = """
    PickList { height: auto; background: $boost; padding: 0 1; scrollbar-size-vertical: 1; }
    PickList > PickRow { padding: 0 1; }
    PickList > PickRow.-highlight { background: $block-cursor-blurred-background; }
    PickList:focus > PickRow.-highlight {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    highlighted: reactive[int] = reactive(0)

    class Picked(Message):
        def __init__(self, key: str):
            super().__init__()
            self.key = key

    def rows(self, items: list[tuple[str, Content]]) -> list[PickRow]:
        """The rows for (key, label) pairs, for a screen's compose; labels are Content,
        so player names stay plain text."""
        return [PickRow(label, key) for key, label in items]

    def on_mount(self) -> None:
        self.call_after_refresh(self._paint)

    def set_items(self, items: list[tuple[str, Content]], highlight: str | None = None) -> None:
        self.remove_children()
        self.mount_all(self.rows(items))
        keys = [key for key, _ in items]
        self.highlighted = keys.index(highlight) if highlight in keys else 0
        self.call_after_refresh(self._paint)

    @property
    def highlighted_key(self) -> str | None:
        rows = list(self.query(PickRow))
        return rows[self.highlighted].key if 0 <= self.highlighted < len(rows) else None

    def watch_highlighted(self) -> None:
        self._paint()

    def _paint(self) -> None:  # also called by a screen after it resizes the list
        for index, row in enumerate(self.query(PickRow)):
            row.set_class(index == self.highlighted, "-highlight")
            if index == self.highlighted:
                self.scroll_to_widget(row, animate=False)

    def action_move(self, step: int) -> None:
        rows = len(self.query(PickRow))
        if rows:
            self.highlighted = (self.highlighted + step) % rows

    def action_choose(self) -> None:
        rows = list(self.query(PickRow))
        if rows:
            self.pick(rows[self.highlighted].key)

    def pick(self, key: str) -> None:
        self.post_message(self.Picked(key))
