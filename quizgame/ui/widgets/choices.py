"""The numbered options of a multiple-choice or cloze item.

Each option has its number in a gutter, and a long option wraps under its own text rather
than under the number. The options are drawn as the lines of one widget, wrapped here with
that hanging indent: a row of widgets per option (a gutter and a text each) made the screen's
layout after every answer several times dearer (benchmarks/RESULTS.md). A row's state
(highlighted, right, picked) is drawn into its line rather than toggled as CSS classes, and
each option is styled once per state and kept (as Textual's OptionList does): marking the
verdict restyles the one or two options it marks, not all of them.
"""
from __future__ import annotations

from bisect import bisect_right

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from quizgame.core.printable import printable

MARKS = {"right": ("✔", "bold $success"), "picked": ("✘", "bold $error"), "cursor": ("›", "bold $accent"),
         "": (" ", "")}
GUTTER = 5  # "✔ 1" and two spaces


class Choices(Widget, can_focus=True):
    """Options numbered 1–4: arrows move, Enter picks; after the answer, right and picked are marked."""

    ALLOW_SELECT = False  # as Textual's OptionList: a click picks, it selects no text

    DEFAULT_CSS = """
    Choices { height: auto; padding: 1 1; background: $boost; text-wrap: nowrap; }  /* wrapped here */
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("enter", "select", "Pick", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None)

    class Chosen(Message):
        def __init__(self, index: int):
            super().__init__()
            self.index = index

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.options: list[str] = []
        self.revealed = False
        self._states: dict[int, str] = {}
        self._starts: list[int] = []  # the first line of each option, for clicks
        self._cache: tuple[int, list[Content]] | None = None
        self._wraps: tuple[int, list[list[str]]] | None = None  # the options' lines by width, unstyled
        self._drawn: dict[tuple[int, str, int], list[Strip]] = {}  # by option, its state and the width

    def show(self, options: list[str]) -> None:
        shown = self.display
        width = self.content_size.width if shown else 0
        before = self.rows(width) if width else -1
        self.options = [printable(option, lines=True) for option in options]
        self.revealed = False
        self._states = {}
        self._cache = self._wraps = None
        self._drawn.clear()
        self.display = bool(options)
        self.set_reactive(Choices.highlighted, None)  # nothing looks picked before the player moves
        if not options and not shown:
            return  # hidden before and after (a typed question after another): nothing to draw
        # As many lines as the last options: a repaint; else the screen's layout must make room.
        self.refresh(layout=not width or self.rows(width) != before)

    def reveal(self, correct: int, picked: int | None) -> None:
        self.revealed = True
        before = set(self._states)
        self._states = {correct: "right"} | ({picked: "picked"} if picked is not None and picked != correct else {})
        self._cache = None
        # Bold text takes the same cells: no layout, and only the marked options' rows are repainted.
        self._refresh_options(before | set(self._states))

    def _refresh_options(self, indexes: set[int]) -> None:
        width = self.content_size.width
        if not width:
            self.refresh()
            return
        self._lines(width)  # where each option starts, even if these options were never drawn yet
        ends = [*self._starts[1:], self.content_size.height]
        for index in indexes:
            if 0 <= index < len(self._starts):
                self.refresh(Region(0, self._starts[index], width, ends[index] - self._starts[index]))

    def watch_highlighted(self) -> None:
        if not self.revealed:
            self._states = {} if self.highlighted is None else {self.highlighted: "cursor"}
            self._cache = None
            self.refresh()

    def _wrapped(self, width: int) -> list[list[str]]:
        """Each option's text cut into lines at this width; a new state keeps the cuts."""
        if self._wraps is None or self._wraps[0] != width:
            self._wraps = (width, [[line.plain for line in Content(text).wrap(max(1, width - GUTTER))] or [""]
                                   for text in self.options])
        return self._wraps[1]

    def _lines(self, width: int) -> list[Content]:
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        lines: list[Content] = []
        self._starts = []
        for index, cut in enumerate(self._wrapped(width)):
            state = self._states.get(index, "")
            mark, style = MARKS[state]
            # Every piece carries a style: Textual drops the leading spaces of unstyled lines.
            body_style = "bold" if state == "right" else "not bold"
            wrapped = [Content.styled(line, body_style) for line in cut]
            self._starts.append(len(lines))
            lines.append(Content.assemble((mark, style or "not bold"), (" ", "not bold"), (f"{index + 1}", "bold"),
                                          ("  ", "not bold"), wrapped[0]))
            lines.extend(Content.styled(" " * GUTTER, "not bold") + line for line in wrapped[1:])
        self._cache = (width, lines)
        return lines

    def rows(self, width: int) -> int:
        """The lines the options take at this width (without padding)."""
        return len(self._lines(width)) if self.options else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._lines(width)
        index = bisect_right(self._starts, y) - 1
        if not 0 <= y < len(lines) or index < 0:
            return Strip.blank(width, self.visual_style.rich_style)
        key = (index, self._states.get(index, ""), width)
        strips = self._drawn.get(key)
        if strips is None:
            start, end = self._starts[index], ([*self._starts[1:], len(lines)])[index]
            strips = self._drawn[key] = Visual.to_strips(self, Content("\n").join(lines[start:end]), width, None,
                                                         self.visual_style)
        return strips[y - self._starts[index]]

    def notify_style_update(self) -> None:
        self._drawn.clear()  # a new theme or CSS: the kept options have the old colours
        super().notify_style_update()

    def on_click(self, event: events.Click) -> None:
        line = event.y - self.styles.padding.top
        for index in reversed(range(len(self._starts))):
            if line >= self._starts[index]:
                self.choose(index)
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Once revealed, the arrows and Enter go on to the round (which scrolls the feedback).
        return not self.revealed if action in ("move", "select") else True

    def action_move(self, step: int) -> None:
        rows = len(self.options)
        if rows and not self.revealed:
            start = -1 if step > 0 else 0
            self.highlighted = ((start if self.highlighted is None else self.highlighted) + step) % rows

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.choose(self.highlighted)

    def choose(self, index: int) -> None:
        if not self.revealed and 0 <= index < len(self.options):
            self.post_message(self.Chosen(index))
