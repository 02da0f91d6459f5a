"""Whole rounds in tiny, huge and ordinary terminals: no exception, and the summary is reached.

The MC round is reached through the title and map screens by keys; the recall round opens
straight into the round (start=), as `quizgame play` does.
"""
from __future__ import annotations

import time

import pytest

from .helpers import answer_events, next_item, paste, play_mc_round, screen_text, wait_for, wait_screen

SIZES = [(40, 12), (80, 24), (300, 100)]
ids = [f"{w}x{h}" for w, h in SIZES]


@pytest.mark.parametrize("size", SIZES, ids=ids)
async def test_mc_round_from_title_to_summary(store, app_for, size):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("m")
        await wait_screen(pilot, "RoundScreen")
        assert app.screen.query_one("#prompt").region.height > 0  # the question is on screen
        await play_mc_round(pilot, [True, False, True, False])
        await wait_screen(pilot, "SummaryScreen")
        assert app.is_running and app.return_code is None
        assert "Round complete" in screen_text(app)
    assert len(answer_events(store, "Ana")) == 4


@pytest.mark.parametrize("size", SIZES, ids=ids)
async def test_recall_round_to_summary(store, app_for, size):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "recall", "section": "basics", "size": 2, "seed": 4})
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        screen = app.screen
        first = screen.session.current.question
        await paste(pilot, first.answer)  # a long answer: it must fit, or scroll, in a small box
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the first verdict")
        assert screen.judgement.grade.verdict == "correct"
        await next_item(pilot)
        await pilot.press(*"no", "enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the second verdict")
        feedback = screen.query_one("#feedback")
        await wait_for(pilot, lambda: feedback.display and feedback.region.height > 0, "the feedback")
        await pilot.press("y")  # the override works at every size too
        await wait_for(pilot, lambda: screen.overridden, "the override")
        await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
        assert app.is_running and app.return_code is None
        assert "Round complete" in screen_text(app)
    history = store.history("Ana", "mini")
    assert [e["type"] for e in history] == ["answer", "answer", "override", "round"]
    assert history[-1]["correct"] == 2


@pytest.mark.parametrize("size", [(40, 12), (300, 100)], ids=["40x12", "300x100"])
async def test_every_other_screen_opens(store, app_for, size):
    """Title, map, stats and leaderboard with a history to show, in extreme sizes."""
    from .helpers import seed_events

    seed_events(store)
    app = app_for(store)
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("l")
        await wait_screen(pilot, "LeaderboardScreen")
        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("s")
        await wait_screen(pilot, "StatsScreen")
        await pilot.press("escape")
        await wait_screen(pilot, "MapScreen")
        assert app.is_running and app.return_code is None


async def test_resizing_mid_round(store, app_for):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "mc", "section": "basics", "size": 2, "seed": 2})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        await pilot.resize_terminal(40, 12)
        await play_mc_round(pilot, [True])
        await pilot.resize_terminal(300, 100)
        await play_mc_round(pilot, [False])
        await wait_screen(pilot, "SummaryScreen")
        await pilot.resize_terminal(20, 6)
        await pilot.pause()
        assert app.is_running and app.return_code is None
    assert len(answer_events(store, "Ana")) == 2


async def settle_scroll(pilot, body, timeout: float = 5.0) -> None:
    """Wait until the round body has stopped scrolling (focus scrolls it with an animation)."""
    deadline = time.monotonic() + timeout
    seen = []
    while len(seen) < 4 or len(set(seen[-4:])) > 1:
        assert time.monotonic() < deadline, f"the round body kept scrolling: {seen}"
        await pilot.pause(0.05)
        await pilot.wait_for_scheduled_animations()
        seen.append(round(body.scroll_y, 2))


@pytest.mark.parametrize("mode, size", [("recall", (40, 12)), ("cloze", (80, 24))],
                         ids=["recall-40x12", "cloze-80x24"])
async def test_the_question_is_on_screen_when_asked(store, app_for, mode, size):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": mode, "section": "basics", "size": 2, "seed": 1})
    async with app.run_test(size=size) as pilot:
        await wait_screen(pilot, "RoundScreen")
        await settle_scroll(pilot, app.screen.query_one("#round-body"))
        prompt = app.screen.session.current.question.prompt
        assert " ".join(prompt.split()[:3]) in screen_text(app)


@pytest.mark.parametrize("mode, size", [("mc", (60, 14)), ("cloze", (80, 16))], ids=["mc-60x14", "cloze-80x16"])
async def test_the_question_is_on_screen_in_a_short_terminal(store, app_for, mode, size):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": mode, "section": "basics", "size": 3, "seed": 1})
    async with app.run_test(size=size) as pilot:
        await wait_screen(pilot, "RoundScreen")
        await settle_scroll(pilot, app.screen.query_one("#round-body"))
        prompt = app.screen.session.current.question.prompt
        assert " ".join(prompt.split()[:3]) in screen_text(app), screen_text(app)


def test_keys_pack_into_rows_without_splitting_a_key_from_its_name():
    from quizgame.ui.widgets.keyrows import pack_rows

    keys = [("m", "Choices"), ("r", "Recall"), ("esc", "Back"), ("F1", "Help")]
    assert pack_rows(keys, 80) == [keys]
    assert pack_rows(keys, 20) == [[("m", "Choices"), ("r", "Recall")], [("esc", "Back"), ("F1", "Help")]]
    assert pack_rows([("ctrl+q", "A name longer than the row")], 10) == [[("ctrl+q", "A name longer than the row")]]
    assert pack_rows([], 80) == []


@pytest.mark.parametrize("size", [(80, 24), (60, 24)], ids=["80x24", "60x24"])
async def test_every_key_of_the_section_map_is_on_screen(store, app_for, size):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=size) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        for key in ("m Choices", "t Blitz", "b Bank", "esc Back", "F1 Help"):
            await wait_for(pilot, lambda key=key: key in screen_text(app), f"{key!r} in the key rows")
