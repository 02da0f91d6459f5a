"""A name being typed keeps the focus when the title screen is resumed late.

Under load (20 games starting at once on a served host) the title screen's first resume can be
handled after the player has already pressed `n`; it used to move the focus back to the player
list, so the name typed next went to the list's keys instead (benchmarks/serve_load.py saw
sessions stall there).
"""
from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.widgets import Input

from quizgame.store.base import MemoryStore
from quizgame.ui.app import QuizApp

from .helpers import wait_for, wait_screen

SIZE = (100, 30)


async def test_a_late_resume_leaves_the_name_box_focused(store: MemoryStore,
                                                          app_for: Callable[..., QuizApp]) -> None:
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("n")
        box = app.screen.query_one("#new-name", Input)
        await wait_for(pilot, lambda: box.has_focus, "the name box")
        app.screen.post_message(events.ScreenResume())
        await pilot.pause()
        await pilot.press(*"Bel")
        assert box.has_focus
        assert box.value == "Bel"
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        assert store.players() == ["Ana", "Bel"]


async def test_the_title_screen_describes_the_bank_being_played(store: MemoryStore) -> None:
    from dataclasses import replace

    from quizgame.core.bank import load_bank

    from .helpers import make_app, mini_bank, screen_text

    titled = replace(mini_bank(), title="My \x1b[31mdeck\x07 [b]notes[/b]")
    for bank, expected in ((load_bank(), "65 questions · 4 sections · from the basics to LLM system design"),
                           (titled, "questions · 3 sections · My ␛[31mdeck␇ [b]notes[/b]")):
        app = make_app(store, bank=bank)
        async with app.run_test(size=SIZE) as pilot:
            await wait_screen(pilot, "TitleScreen")
            assert expected in screen_text(app)


async def test_a_game_opened_into_a_round_sets_its_title_screen_up_when_reached(
        store: MemoryStore, app_for: Callable[..., QuizApp]) -> None:
    # `quizgame play`: the title screen's own set-up (focusing its list, reading every player's
    # day) would otherwise run inside the round's first answer.
    from textual.widgets import Static

    from .helpers import wait_text

    store.add_player("Ana")
    store.add_player("Ben")
    app = app_for(store, start={"player": "Ana", "mode": "mc", "section": "basics", "size": 2, "seed": 1})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, "RoundScreen")
        await pilot.press("1")
        await pilot.pause()
        title = app.screen_stack[0]
        assert str(title.query_one("#today-all", Static).render()) == ""  # not read yet
        await pilot.press("escape")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")
        await wait_text(pilot, "due today")
        assert app.screen.query_one("#players").has_focus
