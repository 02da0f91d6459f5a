"""Small per-player choices that are not progress (the theme), in one JSON file in the save folder."""
from __future__ import annotations

import json
from pathlib import Path

from quizgame.core.readfile import read_regular_file

PREFS_FILE = "preferences.json"


class Prefs:
    """In memory when `path` is None (tests); else read once and written whole on each change."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._themes: dict[str, str] = {}
        if path is not None:
            try:
                data = json.loads(read_regular_file(path).decode("utf-8"))
                themes = data.get("themes", {}) if isinstance(data, dict) else {}
                self._themes = {k: v for k, v in themes.items() if isinstance(k, str) and isinstance(v, str)}
            except (OSError, ValueError):
                self._themes = {}  # a missing or unreadable file only costs the default theme

    def theme(self, player: str) -> str | None:
        return self._themes.get(player.casefold())

    def set_theme(self, player: str, theme: str) -> None:
        if self._themes.get(player.casefold()) == theme:
            return
        self._themes[player.casefold()] = theme
        self._write()

    def rename(self, old: str, new: str) -> None:
        """A renamed player keeps their theme."""
        theme = self._themes.pop(old.casefold(), None)
        if theme is not None:
            self._themes[new.casefold()] = theme
            self._write()

    def _write(self) -> None:
        if self.path is not None:
            from quizgame.store.files import write_atomic

            try:
                write_atomic(self.path, json.dumps({"themes": self._themes}, ensure_ascii=False, indent=1))
            except OSError:
                pass  # the theme is still applied for this session; nothing else depends on it
