"""The study screens at 80×24: blitz, review, daily challenge, browse and search, goal, test-out."""
from __future__ import annotations

from textual.widgets import Input, OptionList

from quizgame.core.bank import load_bank

from .helpers import NOW, answer_mc, make_app, next_item, screen_text, wait_for, wait_screen, wait_text

SIZE = (80, 24)


async def open_map(pilot) -> None:
    await wait_screen(pilot, "TitleScreen")
    await pilot.press("enter")
    await wait_screen(pilot, "MapScreen")


async def test_blitz_countdown_moves_times_out_and_scores(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await pilot.press("t")
        await wait_screen(pilot, "BlitzScreen")
        screen = app.screen
        await wait_text(pilot, "20.0 s")
        app.clock.advance(seconds=5)
        await wait_text(pilot, "15.0 s")
        await answer_mc(pilot, True)  # right after 5 of 20 s: round((1 - 0.25 / 2) × 1000)
        assert screen.session.outcomes[-1].points == 875
        await next_item(pilot)
        await wait_text(pilot, "20.0 s")  # each question has its own clock
        app.clock.advance(seconds=21)
        await wait_text(pilot, "Time's up")
        assert screen.session.outcomes[-1].verdict == "wrong"
        assert not screen.check_action("override", ("correct",))
        await next_item(pilot)
        assert screen.session.index == 2  # the round goes on
        for _ in range(2):
            await answer_mc(pilot, True)
            await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
        assert "Blitz" in screen_text(app)
        progress = store.progress("Ana", "mini")
        assert progress.points == 0 and progress.blitz_points > 0
        assert max(v for k, v in progress.best_rounds.items() if k.endswith("/blitz")) == progress.blitz_points


async def test_review_with_nothing_due_says_so(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_map(pilot)
        assert "0 due today" in screen_text(app)
        await pilot.press("v")
        await wait_for(pilot, lambda: any("nothing is due" in n.message for n in app._notifications),
                       "the nothing-due notice")
        assert app.screen.__class__.__name__ == "MapScreen"


async def test_daily_challenge_once_a_day_then_the_board(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_map(pilot)
        await pilot.press("d")
        await wait_screen(pilot, "RoundScreen")
        plan = app.screen.session.plan
        assert plan.mode == "daily" and plan.day == NOW.date().isoformat()
        for n in range(len(plan.items)):
            await answer_mc(pilot, n != 0)
            await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
        await wait_text(pilot, "Today's challenge is done")
        await pilot.press("m")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("d")
        await wait_screen(pilot, "DailyScreen")
        text = screen_text(app)
        assert "Ana" in text and f"{len(plan.items) - 1}/{len(plan.items)} right" in text


async def test_browse_search_open_and_practise_a_question(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await pilot.press("o")
        await wait_screen(pilot, "BrowseScreen")
        text = screen_text(app)
        assert "Basics" in text and "regularization" in text and "new" in text
        await pilot.press("slash")
        search = app.screen.query_one("#browse-search", Input)
        await wait_for(pilot, lambda: search.has_focus, "the search box")
        await pilot.press(*"full pass")  # words of the answer, not the prompt
        await wait_text(pilot, "1 questions matching")
        assert "What is an epoch?" in screen_text(app)
        await pilot.press("enter")  # leaves the box for the list
        listing = app.screen.query_one("#browse-list", OptionList)
        listing.highlighted = listing.get_option_index("b-epoch")
        await pilot.press("enter")
        await wait_screen(pilot, "QuestionScreen")
        assert "An epoch is one full pass" in screen_text(app)
        await pilot.press("p")
        await wait_screen(pilot, "RoundScreen")
        assert [(i.question.id, i.kind) for i in app.screen.session.plan.items] == [("b-epoch", "recall")]


async def test_browse_practises_a_topic_but_not_a_locked_question(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_map(pilot)
        await pilot.press("o")
        await wait_screen(pilot, "BrowseScreen")
        listing = app.screen.query_one("#browse-list", OptionList)
        listing.highlighted = listing.get_option_index("h-rag")
        await pilot.press("enter")
        await wait_screen(pilot, "QuestionScreen")
        await pilot.press("p")
        await wait_for(pilot, lambda: any("locked" in n.message for n in app._notifications), "the locked notice")
        await pilot.press("escape")
        await wait_screen(pilot, "BrowseScreen")
        listing.highlighted = listing.get_option_index("b-lr")
        await pilot.press("enter")
        await wait_screen(pilot, "QuestionScreen")
        await pilot.press("t")
        await wait_screen(pilot, "RoundScreen")
        assert {i.question.id for i in app.screen.session.plan.items} == {"b-lr"}


async def test_goal_is_set_and_the_streak_can_be_hidden(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        assert "goal 0/10 answers" in screen_text(app) and "day streak" not in screen_text(app)  # none yet
        await pilot.press("g")
        await wait_screen(pilot, "GoalScreen")
        box = app.screen.query_one("#goal-amount", Input)
        box.value = ""
        await pilot.press("tab", "f2", *"15", "enter")
        await wait_screen(pilot, "MapScreen")
        await wait_text(pilot, "goal 0/15 minutes")
        assert app.store.progress("Ana", "mini").goal == {"unit": "minutes", "amount": 15, "show_streak": False}
        assert store.history("Ana", "mini")[-1]["type"] == "goal"


async def test_title_shows_each_players_day(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await wait_text(pilot, "0 due today")
        assert "goal 0/10 answers" in screen_text(app)


async def test_test_out_asks_ten_recall_questions_of_the_next_section(store):
    store.add_player("Ana")
    app = make_app(store, bank=load_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await pilot.press("x")
        await wait_screen(pilot, "RoundScreen")
        plan = app.screen.session.plan
        assert plan.mode == "testout" and plan.section == "rl" and len(plan.items) == 10
        assert {i.kind for i in plan.items} == {"recall"}
        assert "Test-out" in screen_text(app) or "Recall" in screen_text(app)


async def test_stats_shows_the_review_forecast(store, app_for):
    store.add_player("Ana")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await pilot.press("s")
        await wait_screen(pilot, "StatsScreen")
        await wait_text(pilot, "Reviews due")
        assert "today 0" in screen_text(app)
