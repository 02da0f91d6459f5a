"""Flagging an item on its feedback: f opens a small modal; the flag is saved per bank."""
from __future__ import annotations

from .helpers import answer_mc, screen_name, wait_for, wait_screen

SIZE = (80, 24)


async def test_flag_an_item_as_also_right(store, app_for):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "mc", "section": "basics", "size": 2, "seed": 3})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        screen = app.screen
        await pilot.press("f")  # nothing to flag before the answer
        await pilot.pause()
        assert screen_name(app) == "RoundScreen"
        question = screen.session.current.question
        await answer_mc(pilot, correct=False)
        shown = list(screen.judgement.item.choice.options)
        await pilot.press("f")
        await wait_screen(pilot, "FlagScreen")
        await pilot.press("1")
        await wait_screen(pilot, "RoundScreen")
        await wait_for(pilot, lambda: store.flags("mini"), "the flag saved")
        [flag] = store.flags("mini")
        assert (flag.question, flag.reason, flag.player) == (question.id, "also-right", "Ana")
        assert list(flag.options) == shown and flag.picked is not None and flag.id
        # The round goes on; the flag changed no score.
        assert store.progress("Ana", "mini").answers == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.judgement is None, "the next question")


async def test_flag_modal_can_be_cancelled(store, app_for):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "recall", "section": "basics", "size": 1, "seed": 1})
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, "RoundScreen")
        screen = app.screen
        await pilot.press(*"no idea", "enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
        await pilot.press("f")
        await wait_screen(pilot, "FlagScreen")
        await pilot.press("escape")
        await wait_screen(pilot, "RoundScreen")
        assert store.flags("mini") == []
        await pilot.press("f", "2")
        await wait_for(pilot, lambda: store.flags("mini"), "the flag saved")
        assert store.flags("mini")[0].reason == "unclear"
