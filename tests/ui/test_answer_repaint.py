"""An answer's verdict is a repaint of the rows that change: no layout of the screen and no
focus change (each costs more than the rest of the verdict; benchmarks/RESULTS.md). These
tests count Textual's layouts and watch the focus; the timings themselves live in benchmarks/.
"""
from __future__ import annotations

from quizgame.ui.widgets.answer import AnswerInput
from quizgame.ui.widgets.feedback import Feedback

from .helpers import make_app, open_round, paste, screen_text, shipped_bank, wait_for, wait_text

SIZE = (80, 24)


def count_layouts(screen) -> list[int]:
    """A list that grows by one at each layout of the screen."""
    layouts: list[int] = []
    original = screen._refresh_layout

    def counted(*args, **kwargs):
        layouts.append(1)
        return original(*args, **kwargs)

    screen._refresh_layout = counted
    return layouts


async def test_an_mc_verdict_needs_no_layout_and_keeps_the_focus(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["tf-perceptron", "tf-activation-function"], "mc")
        screen = app.screen
        feedback = screen.query_one(Feedback)
        await wait_for(pilot, lambda: feedback.region.height > 0 and screen._fitted, "the question laid out")
        focused, box = app.focused, feedback.region
        layouts = count_layouts(screen)
        await pilot.press(str(screen.session.current.choice.correct + 1))
        await wait_text(pilot, "✔ Correct")
        await pilot.pause()
        assert not layouts
        assert app.focused is focused and feedback.region == box
        assert "Reference answer" in screen_text(app)


async def test_a_recall_verdict_needs_no_layout_and_the_box_takes_no_more_typing(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["rl-production", "tf-perceptron"], "recall")
        screen = app.screen
        answer = screen.query_one(AnswerInput)
        await wait_for(pilot, lambda: answer.has_focus and screen._fitted, "the question laid out")
        await paste(pilot, "no idea")
        layouts = count_layouts(screen)
        await pilot.press("enter")
        await wait_text(pilot, "Not quite")
        await pilot.pause()
        assert not layouts
        assert answer.has_focus and answer.locked and answer.value == "no idea"
        # Keys go on to the round: letters are not typed, the arrows scroll the long reference.
        feedback = screen.query_one(Feedback)
        assert len(feedback.lines(feedback.content_size.width)) > feedback.content_size.height
        await pilot.press("x", "down", "down")
        assert answer.value == "no idea" and feedback.offset_y == 2
        await pilot.press("pagedown")
        assert feedback.offset_y > 2 or feedback.offset_y == feedback._max_offset()
        await pilot.press("pageup", "pageup")
        assert feedback.offset_y == 0
        # And the next question unlocks the box.
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.session.index == 1, "the next question")
        assert not answer.locked and answer.value == ""
        await pilot.press(*"hi")
        assert answer.value == "hi"


async def test_the_feedback_box_says_how_to_answer_and_repaints_after_scrolling(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["rl-production"], "mc")
        await wait_text(pilot, "the verdict shows here")
        screen = app.screen
        await pilot.press(str((screen.session.current.choice.correct + 1) % 4 + 1))
        await wait_text(pilot, "Not quite")
        assert "the verdict shows here" not in screen_text(app)


async def test_a_typed_answer_is_graded_while_the_player_pauses_and_enter_reuses_it(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["tf-perceptron", "rl-production"], "recall")
        screen = app.screen
        session = screen.session
        graded: list[str] = []
        grade_typed = session.grade_typed
        session.grade_typed = lambda text: graded.append(text) or grade_typed(text)
        await paste(pilot, "a first try")
        await wait_for(pilot, lambda: graded == ["a first try"], "the answer graded in advance")
        await paste(pilot, " and more")  # typing again: graded again once the player pauses
        await wait_for(pilot, lambda: graded[-1:] == ["a first try and more"], "the new text graded")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
        assert graded == ["a first try", "a first try and more"]  # Enter graded nothing more
        assert screen.judgement.grade == grade_typed("a first try and more")
        await pilot.press("enter")
        await wait_for(pilot, lambda: session.index == 1, "the next question")
        # Enter before the pause is over: graded then, as before.
        await paste(pilot, "quick")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the second verdict")
        assert screen.judgement.response == "quick" and graded[-1] == "quick"


async def test_an_answer_typed_before_the_next_question_is_drawn_marks_the_right_option(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["tf-perceptron", "rl-production"], "mc")
        screen = app.screen
        await pilot.press(str(screen.session.current.choice.correct + 1))
        await wait_text(pilot, "Correct")
        second = screen.session.plan.items[1].choice
        await pilot.press("enter", str(second.correct + 1))  # no pause: the options are not drawn yet
        await wait_for(pilot, lambda: screen.judgement is not None and screen.session.index == 1, "the verdict")
        await pilot.pause()
        marked = next(line for line in screen_text(app).splitlines() if "✔" in line)
        assert " ".join(second.options[second.correct].split()[:3]) in marked


async def test_typing_and_the_next_question_scroll_the_typing_box_without_a_layout(store):
    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        # Two prompts of one line each: the next question takes the rows of the last one.
        await open_round(pilot, "Ana", ["tf-perceptron", "tf-backpropagation"], "recall")
        screen = app.screen
        answer = screen.query_one(AnswerInput)
        await wait_for(pilot, lambda: answer.has_focus and screen._fitted, "the question laid out")
        layouts = count_layouts(screen)
        typed = "START " + "gradient descent on the weights " * 4 + "END"  # wider than the box at 80 columns
        await pilot.press(*typed)
        await pilot.pause()
        assert answer.value == typed and not layouts
        # The box scrolled its text to keep the cursor in view: the end shows, the start does not.
        assert answer.scroll_x > 0 and "END" in screen_text(app) and "START" not in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.judgement is not None, "the verdict")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.session.index == 1, "the next question")
        await pilot.pause()
        # The emptied box shows its placeholder from its first column, still without a layout.
        assert answer.value == "" and answer.scroll_x == 0 and "Type your answer" in screen_text(app)
        assert answer.virtual_size.width == len(answer.placeholder)
        assert not layouts


async def test_the_kept_rows_of_the_key_bar_and_the_options_take_a_new_theme(store):
    from quizgame.ui.widgets.choices import Choices
    from quizgame.ui.widgets.keybar import KeyBar

    app = make_app(store, bank=shipped_bank())
    async with app.run_test(size=SIZE) as pilot:
        await open_round(pilot, "Ana", ["tf-perceptron", "rl-production"], "mc")
        screen = app.screen
        await pilot.press(str(screen.session.current.choice.correct + 1))
        await wait_text(pilot, "Correct")
        bar, options = screen.query_one(KeyBar), screen.query_one(Choices)

        def drawn() -> tuple[object, object]:
            return bar.render_line(0)._segments[0].style, options.render_line(0)._segments[0].style

        before = drawn()
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        after = drawn()
        assert after[0] != before[0] and after[1] != before[1]
