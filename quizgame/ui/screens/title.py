"""Title and player select: pick who is playing, or join as a new player."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from quizgame.core.players import MAX_NAME_LENGTH, InvalidName
from quizgame.ui.widgets.picklist import PickList

NEW_PLAYER = "__new__"
TODAY_PLAYERS = 4  # players whose day is summed up under the list: room for them at 80x24
LOGO = """\
┌─┐┬ ┬┬┌─┐┌─┐┌─┐┌┬┐┌─┐
│─┼┐│ ││┌─┘│ ┬├─┤│││├┤
└─┘└└─┘┴└─┘└─┘┴ ┴┴ ┴└─┘"""


class TitleScreen(Screen):
    DEFAULT_CSS = """
    TitleScreen #title-box { padding: 1 2; height: 1fr; }
    TitleScreen #logo { text-style: bold; color: $accent; margin-bottom: 1; }
    TitleScreen #tagline { margin-bottom: 1; color: $text-muted; }
    TitleScreen #who { text-style: bold; }
    TitleScreen #players { width: 60; max-width: 100%; max-height: 12; }
    TitleScreen #new-name { width: 60; max-width: 100%; margin-top: 1; }
    TitleScreen #name-error { color: $error; height: auto; }
    TitleScreen #today-all { height: auto; margin-top: 1; }
    """
    SUB_TITLE = "Who's playing?"
    BINDINGS = [
        Binding("n", "new_player", "New player"),
        Binding("l", "leaderboard", "Leaderboard"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "cancel_name", "Cancel", show=False),
    ]

    def compose(self) -> ComposeResult:
        bank = self.app.bank
        yield Header()
        with Vertical(id="title-box"):
            yield Static(Content(LOGO), id="logo")
            yield Static(Content.from_markup(
                "$count questions · $sections sections · from the basics to LLM system design",
                count=len(bank.questions), sections=len(bank.sections)), id="tagline")
            yield Static("Who's playing?", id="who")
            yield PickList(id="players")
            yield Static("", id="today-all")
            yield Input(placeholder=f"Your name (up to {MAX_NAME_LENGTH} characters), then Enter",
                        id="new-name", classes="hidden")
            yield Static("", id="name-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).cursor_blink = self.app.cursor_blink
        self.refresh_players()

    def on_screen_resume(self) -> None:
        self.refresh_players()

    def refresh_players(self) -> None:
        players = self.query_one("#players", PickList)
        names = self.app.store.players()
        # Content(name): a name such as "[@click=app.quit]x" is shown, never run.
        players.set_items([(f"p:{name}", Content(name)) for name in names]
                          + [(NEW_PLAYER, Content.from_markup("[i]+ New player[/i]"))])
        if names:
            players.focus()
        else:
            self.action_new_player()
        self.call_after_refresh(self.show_today)

    def show_today(self) -> None:
        """Each player's reviews due and goal today, read after the first paint. On the UI
        thread: the store is not made to be read from two threads at once."""
        from quizgame.ui.widgets.today import today_line

        bank, now = self.app.bank, self.app.clock.now()
        lines = [Content.assemble((name, "bold"), "  ") + today_line(bank, progress, now)
                 for name, progress in list(self.app.store.everyone(bank.id).items())[:TODAY_PLAYERS]]
        self.query_one("#today-all", Static).update(Content("\n").join(lines))

    def on_pick_list_picked(self, event: PickList.Picked) -> None:
        if event.key == NEW_PLAYER:
            self.action_new_player()
        else:
            self.open_player(event.key[2:])

    def action_new_player(self) -> None:
        name_box = self.query_one("#new-name", Input)
        name_box.remove_class("hidden")
        name_box.value = ""
        name_box.focus()

    def action_cancel_name(self) -> None:
        self.query_one("#new-name", Input).add_class("hidden")
        self.query_one("#name-error", Static).update("")
        self.query_one("#players", PickList).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        error = self.query_one("#name-error", Static)
        try:
            name = self.app.store.add_player(event.value)
        except InvalidName as problem:
            error.update(Content(str(problem)))
            return
        error.update("")
        event.input.add_class("hidden")
        self.open_player(name)

    def open_player(self, name: str) -> None:
        from quizgame.ui.screens.map import MapScreen

        self.app.push_screen(MapScreen(name))

    def action_leaderboard(self) -> None:
        from quizgame.ui.screens.leaderboard import LeaderboardScreen

        self.app.push_screen(LeaderboardScreen())
