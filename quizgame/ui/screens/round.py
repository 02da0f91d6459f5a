"""A round: ask, judge, save, show feedback, move on; the summary comes at the end.

Each answer is saved before its feedback is shown, so what the player has seen judged
survives a quit or a kill.
"""
from __future__ import annotations

import asyncio
import gc
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, Static

from quizgame.core.grading import CORRECT, Grade, prepare
from quizgame.core.overrides import exemplars
from quizgame.core.printable import printable
from quizgame.core.progress import EventError, Outcome, Progress
from quizgame.core.rounds import MODE_NAMES, Item, RoundPlan
from quizgame.core.session import Judgement, RoundSession
from quizgame.semantic import enable as enable_semantic
from quizgame.ui.screens.review import Mistake
from quizgame.ui.widgets.answer import AnswerInput
from quizgame.ui.widgets.choices import Choices
from quizgame.ui.widgets.feedback import Feedback
from quizgame.ui.widgets.keybar import KeyBar
from quizgame.ui.widgets.roundbar import RoundBar
from quizgame.ui.game import GameScreen


# Grade a typed answer in advance once the player has stopped typing this long, so that Enter
# only shows the verdict: longer than the gap between two keys of a fast typist (about 50 ms
# at 120 words a minute), shorter than the pause most people leave before pressing Enter.
GRADE_AHEAD_PAUSE = 0.06  # seconds
ANSWER_ROWS = 3  # the typing box: a line and its border (#answer's height below)
FEEDBACK_ROWS = 5  # the smallest feedback box: its border and three lines, the verdict first


class RoundScreen(GameScreen[None]):
    DEFAULT_CSS = """
    RoundScreen { align-horizontal: center; }
    /* 100 columns: about the 70-80 characters per line that read easily, plus the gutters. */
    RoundScreen #round-main { height: 1fr; max-width: 100; padding: 0 1; }
    /* The question on top and the answer right under it; the feedback box takes the rest,
       empty until the answer. _fit() caps the question so that the rest stays on screen. */
    RoundScreen #round-body { height: auto; max-height: 60%; }
    RoundScreen #answer { height: 3; }
    RoundScreen #prompt { text-style: bold; margin-top: 1; }
    RoundScreen #cloze-text { margin-top: 1; padding: 0 1; border-left: thick $accent; }
    """
    BINDINGS = [
        Binding("1", "pick(0)", "Pick", key_display="1–4"),
        Binding("2", "pick(1)", show=False),
        Binding("3", "pick(2)", show=False),
        Binding("4", "pick(3)", show=False),
        Binding("enter", "next", "Next", priority=True),
        Binding("ctrl+g", "show_answer", "Show answer", key_display="^g"),
        Binding("y", "override('correct')", "I was right"),
        Binding("n", "override('wrong')", "I was wrong"),
        Binding("u", "undo_override", "Undo"),
        Binding("f", "flag", "Flag"),
        Binding("escape", "leave", "Leave round"),
        Binding("pageup", "page(-1)", "Scroll", show=False),
        Binding("pagedown", "page(1)", "Scroll", show=False),
        # After the answer the focus stays where it was (moving it repaints the whole screen):
        # the arrows that the options or the locked typing box let through scroll the feedback.
        Binding("up", "scroll_feedback(-1)", show=False),
        Binding("down", "scroll_feedback(1)", show=False),
    ]

    def __init__(self, player: str, plan: RoundPlan, progress: Progress):
        super().__init__()
        self.player = player
        self.sub_title = printable(player)
        self.before = progress
        recall = any(item.kind == "recall" for item in plan.items)
        mine = exemplars(self.game.store.overrides(player, self.game.bank.id)) if recall else {}
        self.session = RoundSession(plan, self.game.bank, self.game.clock, mine)
        self.judgement: Judgement | None = None
        self.overridden = False
        # The round's misses so far, by answer id (an override to "right" takes one back out).
        self.mistakes: dict[str, Mistake] = {}
        self._fitted = 0  # the cap on the question's rows (#round-body's max-height)
        self._graded: tuple[int, str, Grade] | None = None  # (item index, text, its grade), in advance
        self._grade_timer: Timer | None = None
        self._saving = False  # an answer is on its way to the disk (in a worker thread)
        self._save_task: asyncio.Task[None] | None = None

    def compose(self) -> ComposeResult:
        # No Header: the round bar names the player, which leaves a row for the question and
        # four fewer widgets to lay out after each answer.
        yield RoundBar(id="round-bar")
        # The question scrolls above; the typing box and the verdict stay at the bottom, always
        # on screen however long the passage or the reference answer.
        with Vertical(id="round-main"):
            with VerticalScroll(id="round-body"):
                yield Static(id="prompt")
                yield Static(id="cloze-text")
            yield Choices(id="choices")
            yield AnswerInput(id="answer")
            yield Feedback(id="feedback")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#answer", Input).cursor_blink = self.game.cursor_blink
        self.show_item()
        self.call_after_refresh(self._warm_up)
        if any(item.kind == "recall" for item in self.session.plan.items):
            # Index the bank for the grader while the player reads the first question.
            self.run_worker(partial(prepare, self.game.bank), thread=True, exclusive=True)
            # The optional semantic extra's model (about 0.5 s, once per process), likewise.
            self.run_worker(enable_semantic, thread=True, group="semantic")

    def _warm_up(self) -> None:
        """Once the first question is on screen, do what the first answer would otherwise pay for
        while the player reads it: import the FSRS scheduler (the saves load it only when a card
        is first reviewed), start the thread that saves answers, and collect the young garbage
        of the start-up (the first answer's collection of it took 2 ms of CPU in tmux)."""
        import fsrs  # noqa: F401

        asyncio.get_running_loop().run_in_executor(None, int)  # starts the pool's first thread
        gc.collect(1)

    # -- asking ---------------------------------------------------------------------

    def show_item(self) -> None:
        item = self.session.current
        assert item is not None  # shown only while the round has a question left
        self.judgement, self.overridden, self._graded = None, False, None
        self.query_one(RoundBar).show(where=self.where(item))
        self.show_score()
        self.show_prompt(Content(printable(item.question.prompt, lines=True)))
        cloze_text = self.query_one("#cloze-text", Static)
        choices = self.query_one("#choices", Choices)
        answer = self.query_one("#answer", AnswerInput)
        cloze_text.display = item.kind == "cloze"
        if item.cloze is not None and item.kind == "cloze":
            cloze_text.update(Content(printable(item.cloze.text, lines=True)))
        options = (item.choice.options if item.kind == "mc" and item.choice is not None
                   else item.cloze.choices if item.kind == "cloze" and item.cloze is not None else [])
        choices.show(options)
        typed = item.kind in ("recall", "cloze")
        if answer.display != typed:
            answer.display = typed
        answer.set_locked(False)
        answer.value = ""
        answer.placeholder = ("Type your answer, then Enter  (Ctrl+G shows the answer)" if item.kind == "recall"
                              else f"Type the missing term, or press 1–{len(options)}  (Ctrl+G shows it)")
        self.query_one("#feedback", Feedback).clear(
            "Type your answer above, then Enter: the verdict shows here." if item.kind == "recall"
            else f"Type the missing term above, or press 1–{len(options)}: the verdict shows here." if typed
            else f"Pick an answer with 1–{len(options)}, or ↑↓ and Enter: the verdict shows here.")
        # Only what changes: focusing the focused widget, or scrolling home a question that is
        # home, each still cost Textual a callback after the repaint (benchmarks/RESULTS.md).
        target = answer if typed else choices
        if not target.has_focus:
            target.focus(scroll_visible=False)
        body = self.query_one("#round-body")
        if body.scroll_y or body.scroll_target_y:
            body.scroll_home(animate=False)
        # Focusing may scroll the question away in a short terminal: bring it back, when the body
        # can scroll at all (waiting for the next refresh costs a second repaint, ~2 ms a key).
        if body.max_scroll_y or body.scroll_offset.y:
            self.call_after_refresh(body.scroll_home, animate=False)
        self._fit()  # in the same layout as the new question, when the screen has its size
        self.refresh_bindings()

    def show_prompt(self, prompt: Content) -> None:
        """A new prompt; without a layout of the screen when it takes as many lines as the last."""
        widget = self.query_one("#prompt", Static)
        width = widget.content_size.width
        rows = len(prompt.wrap(width)) if width else 0
        # Compared with the rows the last prompt was given (the first one was shown before the
        # screen had its size, so remembering its line count would cost the second a layout).
        widget.update(prompt, layout=not rows or rows != widget.size.height)

    def where(self, item: Item) -> Content:
        """The left half of the round bar: the question's number, section and mode."""
        section = self.game.bank.section_of(item.question)
        # Assembled rather than parsed from markup at every question (the bank's text stays plain).
        return Content.assemble((str(self.session.index + 1), "b"), f"/{self.session.total}  ·  "
                                f"{printable(section.title)}  ·  {MODE_NAMES[item.kind]}")

    def show_score(self) -> None:
        # The running streak, as the feedback and the streak bonus count it: one streak on screen.
        streak = self.session.outcomes[-1].streak if self.session.outcomes else self.before.streak
        self.query_one(RoundBar).show(score=Content.assemble(
            f"{printable(self.player)}  ·  ", (f"{self.session.points:,}", "b"), f" pts  ·  streak {streak}"))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        answered = self.judgement is not None
        if action == "pick":
            return not answered and self.session.current is not None and self.session.current.kind != "recall"
        if action == "show_answer":
            return not answered and self.session.current is not None and self.session.current.kind != "mc"
        if action == "override":
            judgement = self.judgement
            if judgement is None or self.overridden or judgement.picked is not None or judgement.shown:
                return False
            # Offer only the overrides that change the verdict (both, on a partial one).
            return bool(parameters[0] != judgement.grade.verdict)
        if action == "undo_override":
            return answered and self.overridden
        if action in ("next", "flag", "scroll_feedback"):
            return answered
        return True

    def action_pick(self, index: int) -> None:
        item = self.session.current
        if self.judgement is None and item and item.kind != "recall":
            self.submit(index)

    def on_choices_chosen(self, event: Choices.Chosen) -> None:
        event.stop()
        if self.judgement is None:
            self.submit(event.index)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self.judgement is not None:
            return
        if not text:
            self.notify("Type an answer first, or press Escape to leave the round.", timeout=3)
            return
        self.submit(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        # With a cloze, a lone digit 1–4 in an empty box picks that choice.
        item = self.session.current
        if (item and item.kind == "cloze" and item.cloze is not None and self.judgement is None
                and event.value.isdigit() and 1 <= int(event.value) <= len(item.cloze.choices)):
            self.submit(int(event.value) - 1)
        elif item and item.kind == "recall" and self.judgement is None and event.value.strip():
            if self._grade_timer is not None:
                self._grade_timer.stop()
            self._grade_timer = self.set_timer(GRADE_AHEAD_PAUSE, self._grade_ahead)

    def _grade_ahead(self) -> None:
        """The player paused: grade what they typed now, for Enter to show at once."""
        item, text = self.session.current, self.query_one("#answer", AnswerInput).value.strip()
        if item is not None and item.kind == "recall" and self.judgement is None and text:
            self._graded = (self.session.index, text, self.session.grade_typed(text))

    # -- judging -----------------------------------------------------------------------

    def action_show_answer(self) -> None:
        item = self.session.current
        if self.judgement is None and not self._saving and item is not None and item.kind != "mc":
            self.record(self.session.show_answer())

    def submit(self, response: int | str | None) -> None:
        """Judge a picked option or typed text; None when a timed question ran out."""
        if self._saving:
            return  # the answer before this key is still being saved: one answer per question
        graded = self._graded
        ahead = graded[2] if graded and graded[:2] == (self.session.index, response) else None
        self.record(self.session.judge(response, ahead))

    def record(self, judgement: Judgement) -> None:
        """Save the answer in a worker thread, then show its verdict. The save takes a few ms,
        but another quizgame holding the saves' lock can make it wait: the screen stays live
        meanwhile, so the store's notice of who holds the lock can be shown, and Ctrl+Q works."""
        # asyncio's own thread pool rather than a Textual thread worker: its threads are reused,
        # and no worker-state messages go round the screen (a worker cost ~1 ms of CPU a key).
        self._saving = True
        self._save_task = asyncio.create_task(self._save(judgement))

    async def _save(self, judgement: Judgement) -> None:
        try:
            _, outcome = await asyncio.to_thread(self.game.store.record_answer, self.player, self.game.bank.id,
                                                 judgement.event)
        except OSError as error:
            self._saving = False
            self.notify(f"Could not save this answer: {error}", severity="error", markup=False)
            return
        except Exception as error:  # a bug: fail as loudly as on the screen's own thread
            self._saving = False
            self.call_later(_raise, error)
            return
        self._saving = False
        if not self.is_attached:
            return  # the player left the round while it was saved: it is saved all the same
        self.session.recorded(outcome)
        self.judgement = judgement
        self.show_feedback(outcome)
        self.game.report_save_damage()

    def show_feedback(self, outcome: Outcome) -> None:
        judgement = self.judgement
        assert judgement is not None  # set just before, by _save
        item = judgement.item
        # Nothing changes size: the typing box keeps the typed answer (it takes no more keys), the
        # options are marked where they are, and the verdict fills the box that waited for it.
        answer = self.query_one("#answer", AnswerInput)
        if answer.display:
            answer.set_locked(True)
        shown = item.choice if item.kind == "mc" else item.cloze if item.kind == "cloze" else None
        if shown is not None:
            self.query_one("#choices", Choices).reveal(shown.correct, judgement.picked)
        if outcome.verdict == CORRECT:
            self.mistakes.pop(outcome.answer, None)
        else:
            self.mistakes[outcome.answer] = Mistake(item.question, judgement.response, outcome.verdict,
                                                    judgement.shown)
        self.show_score()
        feedback = self.query_one("#feedback", Feedback)
        feedback.show(judgement, outcome, overridden=self.overridden,
                      last=self.session.index + 1 == self.session.total)
        self._fit()
        self.refresh_bindings()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Cap the question so that the options, the typing box and the feedback box stay on screen.

        Before the answer the question (and a long passage, scrolling) takes the rows that the
        options, the typing box and the smallest feedback box leave. After it, a question taller
        than its prompt (a cloze passage) shrinks to the prompt and the feedback takes the rest.
        The cap is computed before Textual's layout, so that a new question costs one layout,
        and it is set only when it changes: setting a style, even to its value, costs a layout.
        """
        main = self.query_one("#round-main")
        width, height = main.content_size
        if not height:  # not laid out yet
            self.call_after_refresh(self._fit)
            return
        body = self.query_one("#round-body")
        if self.judgement is None:
            choices, answer = self.query_one("#choices", Choices), self.query_one("#answer")
            gutter = choices.styles.gutter
            below = choices.rows(width - gutter.width) + gutter.height if choices.display else 0
            below += ANSWER_ROWS if answer.display else 0
            cap = max(3, height - below - FEEDBACK_ROWS)
        else:
            cap = max(3, self.query_one("#prompt").outer_size.height + 1)
            if body.outer_size.height <= cap:
                return  # the question already leaves the feedback its room: no layout
        if cap != self._fitted:
            self._fitted = cap
            body.styles.max_height = cap

    def action_override(self, verdict: str) -> None:
        if self.judgement is None or self.overridden:
            return
        event = self.session.override_event(self.session.outcomes[-1], verdict, self.judgement)
        try:
            _, outcome = self.game.store.record_override(self.player, self.game.bank.id, event)
        except (EventError, OSError) as error:
            self.notify(f"Could not change the verdict: {error}", severity="error", markup=False)
            return
        self.session.recorded(outcome)
        self.overridden = True
        self.show_feedback(outcome)

    def action_undo_override(self) -> None:
        if self.judgement is None or not self.overridden:
            return
        event = self.session.undo_event(self.session.outcomes[-1], self.judgement)
        try:
            _, outcome = self.game.store.record_override(self.player, self.game.bank.id, event)
        except (EventError, OSError) as error:
            self.notify(f"Could not undo: {error}", severity="error", markup=False)
            return
        self.session.recorded(outcome)
        self.overridden = False
        self.show_feedback(outcome)

    def action_flag(self) -> None:
        from quizgame.ui.screens.flag import FlagScreen

        if self.judgement is not None:
            self.app.push_screen(FlagScreen(), partial(self.save_flag, self.judgement))

    def save_flag(self, judgement: Judgement, reason: str | None) -> None:
        from quizgame.core.flags import new_flag

        if reason is None:
            return
        item = judgement.item
        options = tuple(item.choice.options) if item.kind == "mc" and item.choice is not None else ()
        flag = new_flag(item.question.id, reason, self.game.clock.now(), options, judgement.picked)
        try:
            self.game.store.record_flag(self.player, self.game.bank.id, flag)
        except OSError as error:
            self.notify(f"Could not save the flag: {error}", severity="error", markup=False)
            return
        self.notify(f"Flagged: {flag.reason_text}. Thank you.", timeout=3, markup=False)

    def action_next(self) -> None:
        if self.judgement is None:
            return
        if self.session.advance() is None:
            self.finish()
        else:
            self.show_item()

    def finish(self) -> None:
        from quizgame.ui.screens.summary import SummaryScreen

        try:
            after, result = self.game.store.record_round(self.player, self.game.bank.id, self.session.round_event())
            new_bests = result.new_bests
        except OSError as error:  # a full disk: every answer is saved already, only the round's record is not
            self.notify(f"Could not save this round's result ({error.strerror or error}); your answers are saved.",
                        severity="error", markup=False)
            after, new_bests = self.session_progress(), ()
        summary = self.session.summary(self.before, after, new_bests)
        self.app.switch_screen(SummaryScreen(self.player, self.session.plan, summary, tuple(self.mistakes.values())))

    def session_progress(self) -> Progress:
        try:
            return self.game.store.progress(self.player, self.game.bank.id)
        except OSError:
            return self.before

    def action_page(self, direction: int) -> None:
        if self.judgement is not None:
            self.query_one(Feedback).action_scroll_page(direction)
            return
        body = self.query_one("#round-body")
        (body.scroll_page_down if direction > 0 else body.scroll_page_up)(animate=False)

    def action_scroll_feedback(self, step: int) -> None:
        self.query_one(Feedback).scroll_lines(step)

    def action_leave(self) -> None:
        saved = len(self.session.outcomes)
        self.app.pop_screen()
        if saved:
            self.app.notify(f"Round left. Your {saved} answer{'s' if saved != 1 else ''} {'are' if saved != 1 else 'is'} saved.",
                            timeout=3, markup=False)


def _raise(error: Exception) -> None:
    raise error
