"""The typing box of recall and cloze questions, which keeps the focus after the answer.

After the answer the box is locked: it keeps the typed text on screen, takes no more typing
and lets every key through to the round's own keys (y, n, u, f, Enter, the arrows that scroll
the feedback). Moving the focus elsewhere instead, or disabling the box, makes Textual restyle
every widget on the screen and repaint all of it: most of the CPU of an answer once the
layouts were gone (benchmarks/RESULTS.md).
"""
from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class AnswerInput(Input):
    # Textual's Input follows its text's width with its virtual size, a reactive that asks for a
    # layout of the whole screen: at every typed key, and when the next question empties the box.
    # This box keeps one size whatever it holds (it scrolls its text inside, as a ScrollView that
    # keeps its own virtual size through layouts): a repaint is enough.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.locked = False

    def set_locked(self, locked: bool) -> None:
        """Lock (after the answer) or unlock (for the next question) the box."""
        if locked == self.locked:
            return
        self.locked = locked
        if locked:
            self._pause_blink(visible=False)  # no cursor: nothing more to type here
        elif self.has_focus:
            self._restart_blink()
        # No CSS class for the locked look: restyling the box cost more than the rest of the verdict.

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return False if self.locked else super().check_action(action, parameters)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return not self.locked and super().check_consume_key(key, character)

    # Textual calls the handlers of every class in turn; prevent_default() skips Input's.
    async def _on_key(self, event: events.Key) -> None:
        if self.locked:
            event.prevent_default()  # not typed here: the key goes on to the round's bindings

    def _on_paste(self, event: events.Paste) -> None:
        if self.locked:
            event.prevent_default()
            event.stop()
