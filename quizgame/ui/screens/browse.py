"""Browse and search the bank: by section and topic, with the player's mastery and next due
date; Enter shows a question in full, with keys to practise it or its topic."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from quizgame.core.model import Question
from quizgame.core.stats import unlocked_sections
from quizgame.core.study import QuestionView, browse
from quizgame.ui.game import GameScreen, GameModal
from quizgame.ui.widgets.footer import Footer

PROMPT_WIDTH = 46
# Rows listed at once: a long list of a big bank would take seconds to build on each
# keystroke of a search; past this, the count line asks for a narrower search.
BROWSE_LIMIT = 300


def _due(view: QuestionView, today) -> str:
    if view.due is None:
        return "new"
    day = view.due.astimezone(today.tzinfo).date() if today.tzinfo else view.due.date()
    return "due now" if day <= today.date() else f"due {day:%b %d}"


class BrowseScreen(GameScreen[list[Question] | None]):
    """Dismisses with the questions to practise, or None."""

    DEFAULT_CSS = """
    BrowseScreen #browse-box { padding: 0 1; height: 1fr; }
    BrowseScreen #browse-search { margin: 0 0 1 0; }
    BrowseScreen #browse-list { height: 1fr; }
    BrowseScreen #browse-count { height: 1; color: $text-muted; }
    """
    SUB_TITLE = "Browse"
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, player: str, search: bool = False):
        super().__init__()
        self.player = player
        self.start_searching = search
        self.views: dict[str, QuestionView] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="browse-box"):
            yield Input(placeholder="Search prompts and answers (Esc clears)", id="browse-search")
            yield Static(id="browse-count")
            yield OptionList(id="browse-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        search = self.query_one("#browse-search", Input)
        search.cursor_blink = self.game.cursor_blink
        search.display = self.start_searching
        self.fill("")
        (search if self.start_searching else self.query_one("#browse-list", OptionList)).focus()

    def fill(self, query: str) -> None:
        bank = self.game.bank
        progress = self.game.store.progress(self.player, bank.id)
        now = self.game.clock.now()
        views, found = browse(bank, progress, now, query, BROWSE_LIMIT)
        self.views = {v.question.id: v for v in views}
        listing = self.query_one("#browse-list", OptionList)
        listing.clear_options()
        section = topic = None
        for view in views:
            if view.section.id != section:
                section, topic = view.section.id, None
                lock = "" if view.unlocked else " 🔒"
                listing.add_option(Option(Content.assemble((view.section.title + lock, "bold $accent")),
                                          disabled=True))
            first = view.question.topics[0] if view.question.topics else ""
            if first != topic:
                topic = first
                listing.add_option(Option(Content.assemble(("  " + topic, "bold")), disabled=True))
            mark = ("✔", "$success") if view.mastered else ("·", "dim") if view.answered else (" ", "")
            prompt = view.question.prompt.replace("\n", " ")
            if len(prompt) > PROMPT_WIDTH:
                prompt = prompt[: PROMPT_WIDTH - 1] + "…"
            listing.add_option(Option(Content.assemble(
                "   ", mark, " ", prompt.ljust(PROMPT_WIDTH), "  ", (_due(view, now), "dim")), id=view.question.id))
        more = f" (first {len(views)}: / narrows)" if found > len(views) else ""
        self.query_one("#browse-count", Static).update(Content.from_markup(
            "$n questions$match$more  ·  ✔ mastered  · answered  ·  Enter opens one", n=found,
            match=f" matching “{query}”" if query else "", more=more))

    def action_search(self) -> None:
        search = self.query_one("#browse-search", Input)
        search.display = True
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#browse-list", OptionList).focus()

    def action_back(self) -> None:
        search = self.query_one("#browse-search", Input)
        if search.has_focus and search.value:
            search.value = ""
            return
        self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        view = self.views.get(event.option.id or "")
        if view is None:
            return

        def chosen(questions: list[Question] | None) -> None:
            if questions:
                self.dismiss(questions)

        progress = self.game.store.progress(self.player, self.game.bank.id)
        open_ids = {s.id for s in unlocked_sections(self.game.bank, progress)}
        self.app.push_screen(QuestionScreen(view, open_ids), chosen)


class QuestionScreen(GameModal[list[Question] | None]):
    DEFAULT_CSS = """
    QuestionScreen { align: center middle; }
    QuestionScreen #question-box { width: 76; max-width: 100%; height: auto; max-height: 90%;
                                   border: round $accent; background: $surface; padding: 0 1; }
    QuestionScreen .question-head { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("p", "practise('question')", "Practise it"),
        Binding("t", "practise('topic')", "Practise the topic"),
        Binding("escape", "dismiss_none", "Back"),
    ]

    def __init__(self, view: QuestionView, open_ids: set[str]):
        super().__init__()
        self.view = view
        self.open_ids = open_ids  # sections the player can practise

    def compose(self) -> ComposeResult:
        v, q = self.view, self.view.question
        state = "mastered" if v.mastered else f"answered {v.answered}×" if v.answered else "not answered yet"
        odds = "" if v.retrievability is None else f" · recall odds now {v.retrievability:.0%}"
        with VerticalScroll(id="question-box"):
            yield Static(Content.assemble((v.section.title, "bold $accent"), "  ·  ", ", ".join(q.topics)))
            yield Static(Content.assemble((state, "dim"), (odds, "dim"),
                                          (f" · {_due(v, self.game.clock.now())}", "dim")))
            yield Static("Question", classes="question-head")
            yield Static(Content(q.prompt), id="question-prompt")
            yield Static("Answer", classes="question-head")
            yield Static(Content(q.answer), id="question-answer")
            yield Static(Content.from_markup("[dim]p practises this question · t its topic ($topic) · "
                                             "Esc goes back[/dim]", topic=q.topics[0] if q.topics else "—"))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_practise(self, what: str) -> None:
        v, bank, open_ids = self.view, self.game.bank, self.open_ids
        if what == "question":
            if v.section.id not in open_ids:
                self.notify("This question's section is still locked.", severity="warning")
                return
            self.dismiss([v.question])
            return
        topic = v.question.topics[0] if v.question.topics else None
        questions = [q for q in bank.with_topic(topic) if q.section in open_ids] if topic else []
        if not questions:
            self.notify("No open questions on this topic yet.", severity="warning")
            return
        self.dismiss(questions[:10])
