"""Textual's Footer, without the memory it keeps of every key it ever showed.

Footer rebuilds its keys (a FooterKey widget each) whenever the screen's bindings may have
changed: every focus move, every refresh_bindings(). Each FooterKey data-binds `compact` to
the footer, which stores a watcher (the key and a setter) on the footer; Textual prunes that
list only when `compact` changes, which it never does here. So every rebuild kept the old
keys, their styles and their render caches alive for as long as the screen lived
(Textualize/textual#6666, open in 8.2.8): 118 dead keys after one round, and a served game
left open for an evening kept growing. After each rebuild this footer drops the watchers of
keys no longer on screen, which lets Python free them.
"""
from __future__ import annotations

from textual.widgets import Footer as TextualFooter

# Where Textual's reactive module keeps an object's watchers (textual/reactive.py, `_watch`):
# {attribute: [(watching node, callback), ...]}. Textual is pinned (pyproject.toml).
WATCHERS = "__watchers"


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, WATCHERS, {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries
                          if getattr(node, "is_attached", True)]
