"""An override can be taken back with u before moving on; n is offered on a partial verdict."""
from __future__ import annotations

from .helpers import screen_text, wait_for, wait_screen

SIZE = (80, 24)


async def test_undo_an_override_before_moving_on(store, app_for):
    store.add_player("Ana")
    app = app_for(store, start={"player": "Ana", "mode": "recall", "section": "basics", "size": 2, "seed": 1})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        screen = app.screen
        await pilot.press(*"no clue", "enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
        before = store.progress("Ana", "mini")
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.overridden, "the override")
        assert "u: undo" in screen_text(app)
        assert [e["verdict"] for e in store.overrides("Ana", "mini")] == ["correct"]
        await pilot.press("u")
        await wait_for(pilot, lambda: not screen.overridden, "the undo")
        after = store.progress("Ana", "mini")
        assert store.overrides("Ana", "mini") == []
        assert (after.points, after.overrides, after.streak) == (before.points, 0, before.streak)
        assert screen.session.points == after.points
