"""Snapshots of every screen at 80×24 (pytest-textual-snapshot).

Regenerate after an intended UI change with
    pytest tests/ui/test_snapshots.py --snapshot-update
and look at the SVGs in tests/ui/__snapshots__/ before committing them.

Every app is built the same way: the mini bank, a MemoryStore filled by seed_events()
(Ana ahead of Ben), a FixedClock and seeded rounds. Toasts are cleared before the
screenshot, since their timeouts would make the pictures depend on the machine's speed.
"""
from __future__ import annotations

from quizgame.store.base import MemoryStore

from .helpers import make_app, paste, seed_events, wait_for, wait_screen

SIZE = (80, 24)


def app(start: dict | None = None):
    store = MemoryStore()
    seed_events(store)
    return make_app(store, start=start)


def mc_round(size: int = 3):
    return app(start={"player": "Ana", "mode": "mc", "section": "basics", "size": size, "seed": 1})


async def settle(pilot) -> None:
    pilot.app.clear_notifications()
    await pilot.pause()


def test_title_with_two_players(snap_compare):
    async def run_before(pilot):
        await wait_screen(pilot, "TitleScreen")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=SIZE, run_before=run_before)


def test_map(snap_compare):
    async def run_before(pilot):
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=SIZE, run_before=run_before)


def test_mc_question(snap_compare):
    async def run_before(pilot):
        await wait_screen(pilot, "RoundScreen")
        await settle(pilot)

    assert snap_compare(mc_round(), terminal_size=SIZE, run_before=run_before)


def test_mc_feedback_after_a_wrong_answer(snap_compare):
    async def run_before(pilot):
        await wait_screen(pilot, "RoundScreen")
        screen = pilot.app.screen
        item = screen.session.current
        await pilot.press(str((item.choice.correct + 1) % 4 + 1))
        await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
        await settle(pilot)

    assert snap_compare(mc_round(), terminal_size=SIZE, run_before=run_before)


def test_recall_feedback(snap_compare):
    """An answer with the required idea but not the other: the verdict, Covered and Missed lines."""
    async def run_before(pilot):
        await wait_screen(pilot, "RoundScreen")
        screen = pilot.app.screen
        assert screen.session.current.question.id == "b-dropout"
        await paste(pilot, "it randomly zeroes some activations")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
        await settle(pilot)

    recall = app(start={"player": "Ana", "mode": "recall", "section": "basics", "size": 2, "seed": 3})
    assert snap_compare(recall, terminal_size=SIZE, run_before=run_before)


def test_summary(snap_compare):
    async def run_before(pilot):
        await wait_screen(pilot, "RoundScreen")
        for right in (True, False, True):
            screen = pilot.app.screen
            item = screen.session.current
            index = item.choice.correct if right else (item.choice.correct + 1) % 4
            await pilot.press(str(index + 1))
            await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
            await pilot.press("enter")
        await wait_screen(pilot, "SummaryScreen")
        await settle(pilot)

    assert snap_compare(mc_round(), terminal_size=SIZE, run_before=run_before)


def test_leaderboard(snap_compare):
    async def run_before(pilot):
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("l")
        await wait_screen(pilot, "LeaderboardScreen")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=SIZE, run_before=run_before)


def test_stats(snap_compare):
    async def run_before(pilot):
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("s")
        await wait_screen(pilot, "StatsScreen")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=SIZE, run_before=run_before)
