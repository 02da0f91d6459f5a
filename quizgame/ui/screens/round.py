"""A round: ask, judge, save, show feedback, move on; the summary comes at the end.

Each answer is saved before its feedback is shown, so what the player has seen judged
survives a quit or a kill.
"""
from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from quizgame.core.grading import CORRECT, prepare
from quizgame.core.progress import EventError, Progress
from quizgame.core.rounds import MODE_NAMES, RoundPlan
from quizgame.core.session import Judgement, RoundSession
from quizgame.ui.widgets.choices import Choices
from quizgame.ui.widgets.feedback import Feedback


class RoundScreen(Screen):
    DEFAULT_CSS = """
    RoundScreen #round-bar { height: 1; padding: 0 1; background: $panel; }
    RoundScreen #round-where { width: 1fr; }
    RoundScreen #round-score { width: auto; }
    RoundScreen #round-body { padding: 0 1; height: 1fr; }
    RoundScreen #prompt { text-style: bold; margin: 1 0; }
    RoundScreen #cloze-text { margin-bottom: 1; padding: 0 1; border-left: thick $accent; }
    RoundScreen #choices { margin-bottom: 1; }
    RoundScreen #answer { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("1", "pick(0)", "Pick", key_display="1–4"),
        Binding("2", "pick(1)", show=False),
        Binding("3", "pick(2)", show=False),
        Binding("4", "pick(3)", show=False),
        Binding("enter", "next", "Next", priority=True),
        Binding("y", "override('correct')", "I was right"),
        Binding("n", "override('wrong')", "I was wrong"),
        Binding("f", "flag", "Flag"),
        Binding("escape", "leave", "Leave round"),
        Binding("pageup", "page(-1)", "Scroll", show=False),
        Binding("pagedown", "page(1)", "Scroll", show=False),
    ]

    def __init__(self, player: str, plan: RoundPlan, progress: Progress):
        super().__init__()
        self.player = player
        self.sub_title = player
        self.before = progress
        self.session = RoundSession(plan, self.app.bank, self.app.clock)
        self.judgement: Judgement | None = None
        self.overridden = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="round-bar"):
            yield Static(id="round-where")
            yield Static(id="round-score")
        with VerticalScroll(id="round-body"):
            yield Static(id="prompt")
            yield Static(id="cloze-text")
            yield Choices(id="choices")
            yield Input(id="answer")
            yield Feedback(id="feedback")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#answer", Input).cursor_blink = self.app.cursor_blink
        self.show_item()
        if any(item.kind == "recall" for item in self.session.plan.items):
            # Index the bank for the grader while the player reads the first question.
            self.run_worker(partial(prepare, self.app.bank), thread=True, exclusive=True)

    # -- asking ---------------------------------------------------------------------

    def show_item(self) -> None:
        item = self.session.current
        self.judgement, self.overridden = None, False
        section = self.app.bank.section_of(item.question)
        self.query_one("#round-where", Static).update(Content.from_markup(
            "[b]$n[/b]/$total  ·  $section  ·  $mode",
            n=self.session.index + 1, total=self.session.total, section=section.title, mode=MODE_NAMES[item.kind]))
        self.show_score()
        self.query_one("#prompt", Static).update(Content(item.question.prompt))
        cloze_text = self.query_one("#cloze-text", Static)
        choices = self.query_one("#choices", Choices)
        answer = self.query_one("#answer", Input)
        self.query_one("#feedback", Feedback).clear()
        cloze_text.display = item.kind == "cloze"
        if item.kind == "cloze":
            cloze_text.update(Content(item.cloze.text))
        options = item.choice.options if item.kind == "mc" else item.cloze.choices if item.kind == "cloze" else []
        choices.show(options)
        answer.display = item.kind in ("recall", "cloze")
        answer.disabled = False
        answer.value = ""
        answer.placeholder = ("Type your answer, then Enter" if item.kind == "recall"
                              else f"Type the missing term, or press 1–{len(options)}")
        (answer if answer.display else choices).focus(scroll_visible=False)
        body = self.query_one("#round-body")
        body.scroll_home(animate=False)
        # Focusing may scroll the question away in a short terminal: bring it back.
        self.call_after_refresh(body.scroll_home, animate=False)
        self.refresh_bindings()

    def show_score(self) -> None:
        self.query_one("#round-score", Static).update(Content.from_markup(
            "[b]$points[/b] pts  ·  streak $streak", points=f"{self.session.points:,}", streak=self.session.streak))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        answered = self.judgement is not None
        if action == "pick":
            return not answered and self.session.current is not None and self.session.current.kind != "recall"
        if action == "override":
            if not answered or self.overridden or self.judgement.picked is not None:
                return False
            # Offer only the override that changes the verdict.
            wanted = parameters[0]
            return (wanted == CORRECT) != (self.judgement.grade.verdict == CORRECT)
        if action in ("next", "flag"):
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
        if (item and item.kind == "cloze" and self.judgement is None and event.value.isdigit()
                and 1 <= int(event.value) <= len(item.cloze.choices)):
            self.submit(int(event.value) - 1)

    # -- judging -----------------------------------------------------------------------

    def submit(self, response: int | str) -> None:
        judgement = self.session.judge(response)
        try:
            _, outcome = self.app.store.record_answer(self.player, self.app.bank.id, judgement.event)
        except OSError as error:
            self.notify(f"Could not save this answer: {error}", severity="error", markup=False)
            return
        self.session.recorded(outcome)
        self.judgement = judgement
        self.show_feedback(outcome)
        self.app.report_save_damage()

    def show_feedback(self, outcome) -> None:
        item = self.judgement.item
        # The typed answer moves into the feedback, leaving room for the verdict.
        self.query_one("#answer", Input).display = False
        choices = self.query_one("#choices", Choices)
        if self.judgement.picked is not None or item.kind in ("mc",):
            correct = item.choice.correct if item.kind == "mc" else item.cloze.correct
            choices.reveal(correct, self.judgement.picked)
        self.show_score()
        feedback = self.query_one("#feedback", Feedback)
        feedback.show(self.judgement, outcome, overridden=self.overridden,
                      last=self.session.index + 1 == self.session.total)
        feedback.focus()
        self.call_after_refresh(feedback.scroll_visible, animate=False)
        self.refresh_bindings()

    def action_override(self, verdict: str) -> None:
        if self.judgement is None or self.overridden:
            return
        event = self.session.override_event(self.session.outcomes[-1], verdict)
        try:
            _, outcome = self.app.store.record_override(self.player, self.app.bank.id, event)
        except (EventError, OSError) as error:
            self.notify(f"Could not change the verdict: {error}", severity="error", markup=False)
            return
        self.session.recorded(outcome)
        self.overridden = True
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
        options = tuple(item.choice.options) if item.kind == "mc" else ()
        flag = new_flag(item.question.id, reason, self.app.clock.now(), options, judgement.picked)
        try:
            self.app.store.record_flag(self.player, self.app.bank.id, flag)
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

        after, result = self.app.store.record_round(self.player, self.app.bank.id, self.session.round_event())
        summary = self.session.summary(self.before, after, result.new_bests)
        self.app.switch_screen(SummaryScreen(self.player, self.session.plan, summary))

    def action_page(self, direction: int) -> None:
        body = self.query_one("#round-body")
        (body.scroll_page_down if direction > 0 else body.scroll_page_up)(animate=False)

    def action_leave(self) -> None:
        saved = len(self.session.outcomes)
        self.app.pop_screen()
        if saved:
            self.app.notify(f"Round left. Your {saved} answer{'s' if saved != 1 else ''} {'are' if saved != 1 else 'is'} saved.",
                            timeout=3, markup=False)
