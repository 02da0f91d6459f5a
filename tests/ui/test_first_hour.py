"""A new player's first hour at 80×24 and other sizes: what must always be on screen (issue 12)."""
from __future__ import annotations

from textual.widgets import Input

from quizgame.ui.widgets.feedback import Feedback
from quizgame.ui.widgets.picklist import PickList, PickRow

from .helpers import (
    make_app,
    open_round,
    screen_text,
    shipped_bank,
    wait_for,
    wait_screen,
    wait_text,
)

SIZE = (80, 24)
LONG_CLOZE = ["rl-production", "rl-discount-factor", "rl-model-based-vs-free", "rl-deep-rl"]


def on_screen(app, widget) -> bool:
    """The widget is displayed and its whole first row is inside the screen."""
    from textual.geometry import Region

    region = widget.region
    first_row = Region(region.x, region.y, region.width, 1)
    return bool(widget.display) and region.height > 0 and app.screen.region.contains_region(first_row)


async def test_cloze_input_and_verdict_stay_on_screen_with_long_passages(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", LONG_CLOZE, "cloze")
        screen = app.screen
        for _ in LONG_CLOZE:
            item = screen.session.current
            answer = screen.query_one("#answer", Input)
            await wait_for(pilot, lambda answer=answer: on_screen(app, answer) and answer.has_focus, "the typing box")
            assert " ".join(item.question.prompt.split()[:3]) in screen_text(app)
            await pilot.press(*"nope")
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
            await wait_text(pilot, "Not quite")
            feedback = screen.query_one(Feedback)
            assert on_screen(app, feedback)  # and the verdict is its first line:
            assert "Not quite" in screen_text(app).splitlines()[feedback.content_region.y]
            index = screen.session.index
            await pilot.press("enter")
            await wait_for(pilot, lambda index=index: screen.session.index != index or app.screen is not screen, "next")


async def test_mc_feedback_keeps_the_question_and_the_chosen_option(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["rl-production"], "mc")
        screen = app.screen
        item = screen.session.current
        wrong = (item.choice.correct + 1) % 4
        await pilot.press(str(wrong + 1))
        await wait_text(pilot, "Not quite")
        text = screen_text(app)
        assert " ".join(item.question.prompt.split()[:4]) in text
        assert " ".join(item.choice.options[wrong].split()[:4]) in text
        assert "✘" in text and "✔" in text


async def test_the_round_header_cuts_with_an_ellipsis_and_keeps_the_score_apart(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=(44, 20)) as pilot:
        await open_round(pilot, "Ana", ["rl-production"], "mc")
        bar = screen_text(app).splitlines()[0]
        assert "…" in bar and "pts" in bar
        assert "Reinforcement" not in bar.split("…")[1]  # the score stands apart from the cut text


async def test_one_streak_on_screen(store):
    """The header counts the same running streak as the feedback and the bonus."""
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["tf-perceptron", "tf-activation-function"], "mc")
        screen = app.screen
        await pilot.press(str(screen.session.current.choice.correct + 1))
        await wait_text(pilot, "Correct")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.session.index == 1, "the second question")
        await pilot.press(str(screen.session.current.choice.correct + 1))
        await wait_text(pilot, "Correct")
        text = screen_text(app)
        assert "streak 2" in text.splitlines()[0] and "streak 2" in text


async def test_sixteen_players_scroll_with_the_highlight(store):
    for n in range(16):
        store.add_player(f"Player {n + 1:02d}")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, "TitleScreen")
        players = app.screen.query_one("#players", PickList)
        for n in range(16):
            await pilot.press("down")
            await pilot.pause()
            row = list(players.query(PickRow))[players.highlighted]
            await wait_for(pilot, lambda row=row: players.region.contains_region(row.region), f"row {n + 1} in view")
        assert "+ New player" in screen_text(app)
        await pilot.press("n")
        await pilot.press(*"player 03", "enter")
        await wait_text(pilot, "There is already a player called Player 03.")
        assert on_screen(app, app.screen.query_one("#new-name"))


async def test_a_small_terminal_shows_players_instead_of_the_logo(store):
    store.add_player("Ana")
    store.add_player("Ben")
    app = make_app(store)
    async with app.run_test(size=(40, 12)) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await wait_text(pilot, "Ben")
        assert "Ana" in screen_text(app) and "┌─┐" not in screen_text(app)


async def test_rename_and_delete_a_player(store):
    store.add_player("Ana")
    store.add_player("Ben")
    app = make_app(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("r")
        box = app.screen.query_one("#new-name", Input)
        await wait_for(pilot, lambda: box.has_focus and box.value == "Ana", "the name box with the old name")
        box.value = ""
        await pilot.press(*"Anabel", "enter")
        await wait_for(pilot, lambda: store.players() == ["Anabel", "Ben"], "the rename")
        await wait_text(pilot, "Anabel")
        players = app.screen.query_one("#players", PickList)
        await wait_for(pilot, lambda: players.has_focus, "the player list")
        await pilot.press("down")
        await wait_for(pilot, lambda: players.highlighted_key == "p:Ben", "Ben highlighted")
        await pilot.press("d")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("n")  # kept
        await wait_screen(pilot, "TitleScreen")
        assert store.players() == ["Anabel", "Ben"]
        await pilot.press("d")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_for(pilot, lambda: store.players() == ["Anabel"], "the delete")
        await wait_text(pilot, "Ben was deleted")


async def test_first_screen_footer_help_and_quit_keys(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, "TitleScreen")

        def footer() -> str:
            return screen_text(app).splitlines()[-1]

        await wait_for(pilot, lambda: all(k in footer() for k in ("Cancel", "Quit", "Help")), "the footer")
        await pilot.press("f1")
        await wait_screen(pilot, "HelpScreen")
        await wait_text(pilot, "Scoring")
        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: not app.is_running or app.return_code is not None, "a clean quit")


async def test_help_lists_the_round_keys_and_b_explains_one_bank(store):
    store.add_player("Ana")
    app = make_app(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        assert "Bank" in screen_text(app).splitlines()[-1]
        await pilot.press("b")
        await wait_text(pilot, "This is the only bank")
        await pilot.press("question_mark")
        await wait_screen(pilot, "HelpScreen")
        from textual.widgets import Static

        text = "\n".join(str(static.render()) for static in app.screen.query(Static))  # scrolled parts too
        for words in ("Recall", "Cloze", "Board", "Stats", "Bank", "Scoring"):
            assert words in text, words


async def test_command_palette_starts_a_round_and_themes_stay_with_the_player(store):
    from quizgame.prefs import Prefs

    store.add_player("Ana")
    prefs = Prefs()
    app = make_app(store, prefs=prefs)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("ctrl+p")
        await wait_screen(pilot, "CommandPalette")
        await pilot.press(*"play recall: basics")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_screen(pilot, "RoundScreen")
        assert app.screen.session.plan.mode == "recall"
        app.theme = "nord"
        await pilot.pause()
    assert prefs.theme("ana") == "nord"
    app = make_app(store, prefs=prefs)
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        assert app.theme == "nord"


async def test_show_me_the_answer_counts_as_wrong_and_mistakes_are_reviewed(store):
    from .helpers import answer_events

    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["tf-perceptron"], "recall")
        screen = app.screen
        await pilot.press("ctrl+g")
        await wait_text(pilot, "You asked to see the answer")
        assert "Reference answer" in screen_text(app) and "I was right" not in screen_text(app)
        await pilot.press("enter")
        await wait_screen(pilot, "SummaryScreen")
        await pilot.press("v")
        await wait_screen(pilot, "ReviewScreen")
        await wait_text(pilot, screen.session.plan.items[0].question.prompt[:30])
        assert "you asked to see the answer" in screen_text(app)
    event = answer_events(store, "Ana", app.bank.id)[-1]
    assert event["verdict"] == "wrong" and event["how"] == "shown" and event["text"] == ""


async def test_a_picked_cloze_term_earns_half_of_a_typed_one(store):
    from .helpers import answer_events

    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["tf-perceptron", "tf-perceptron"], "cloze")
        screen = app.screen
        cloze = screen.session.current.cloze
        await pilot.press(str(cloze.correct + 1))
        await wait_text(pilot, "half points")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.session.index == 1, "the second item")
        await pilot.press("ctrl+g")
        await wait_text(pilot, "You asked to see the answer")
    picked, shown = answer_events(store, "Ana", app.bank.id)
    assert picked["how"] == "picked" and picked["score"] == 0.5 and picked["points"] == 50
    assert shown["how"] == "shown"


async def test_title_names_the_save_folder_and_a_short_round_says_so(store, tmp_path):
    from .helpers import toasts

    store.add_player("Ana")
    app = make_app(store, save_dir=tmp_path / "my-saves",
                   start={"player": "Ana", "mode": "mc", "section": "basics", "size": 50, "seed": 1})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        await wait_for(pilot, lambda: any("can give" in t for t in toasts(app)), "the shorter-round notice")
        assert any("You asked for 50 questions" in t for t in toasts(app))
        await pilot.press("escape")
        await wait_screen(pilot, "MapScreen")
        await pilot.press("escape")
        await wait_screen(pilot, "TitleScreen")
        await wait_text(pilot, str(tmp_path / "my-saves"))


async def test_the_leaderboard_fits_80_columns(store):
    from .helpers import seed_events

    seed_events(store)
    store.add_player("Maximilian Longname-Smith")
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await wait_screen(pilot, "TitleScreen")
        await pilot.press("l")
        await wait_screen(pilot, "LeaderboardScreen")
        await wait_text(pilot, "Accuracy")
        text = screen_text(app)
        for heading in ("Points", "Foundation", "System", "Mixed", "Longest", "Accuracy"):
            assert heading in text, heading


async def test_the_reading_width_is_capped_on_wide_screens(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=(200, 50)) as pilot:
        await open_round(pilot, "Ana", ["rl-production"], "recall")
        await pilot.press("ctrl+g")
        await wait_text(pilot, "Reference answer")
        assert app.screen.query_one(Feedback).region.width <= 100
        assert app.screen.query_one("#round-main").region.width <= 100
