"""The game loads the optional semantic model in a worker: soon after start, and when a recall round opens."""
from __future__ import annotations

import threading

import pytest

from quizgame import semantic as extra
from quizgame.core import semantic
from tests.core.test_semantic import WordCounts
from tests.ui.helpers import make_app, open_round, wait_for


async def test_a_recall_round_loads_the_model_off_the_ui_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    model = WordCounts()
    loaded_on: list[threading.Thread] = []

    def load() -> WordCounts:
        loaded_on.append(threading.current_thread())
        return model

    monkeypatch.setenv("QUIZGAME_SEMANTIC", "1")
    monkeypatch.setattr(extra, "installed", lambda: True)
    monkeypatch.setattr(extra, "load_model", load)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_round(pilot, "Ana", ["b-dropout"], "recall")
        await wait_for(pilot, lambda: semantic.active() is model, "the semantic model to be installed")
        assert loaded_on and loaded_on[0] is not threading.main_thread()


async def test_without_the_extra_a_recall_round_leaves_semantic_grading_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extra, "installed", lambda: False)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_round(pilot, "Ana", ["b-dropout"], "recall")
        await pilot.pause()
        assert semantic.active() is None


async def test_the_game_preloads_the_model_after_its_first_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    model = WordCounts()
    monkeypatch.setenv("QUIZGAME_SEMANTIC", "1")
    monkeypatch.setattr(extra, "installed", lambda: True)
    monkeypatch.setattr(extra, "load_model", lambda: model)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: semantic.active() is model, "the semantic model to be preloaded")
        assert type(app.screen).__name__ == "TitleScreen"
