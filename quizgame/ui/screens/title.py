"""Title and player select: pick who is playing, join as a new player, rename or delete one."""
from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Header, Input, Static

from quizgame.core.bank import SHIPPED_BANK_ID
from quizgame.core.model import Bank
from quizgame.core.players import MAX_NAME_LENGTH, InvalidName
from quizgame.core.printable import printable
from quizgame.ui.screens.confirm import ConfirmScreen
from quizgame.ui.widgets.picklist import PickList
from quizgame.ui.widgets.footer import Footer
from quizgame.ui.game import GameScreen

NEW_PLAYER = "__new__"
TODAY_PLAYERS = 4  # players whose day is summed up under the list: room for them at 80x24
LOGO = """\
┌─┐┬ ┬┬┌─┐┌─┐┌─┐┌┬┐┌─┐
│─┼┐│ ││┌─┘│ ┬├─┤│││├┤
└─┘└└─┘┴└─┘└─┘┴ ┴┴ ┴└─┘"""
# Below this many rows the logo and the tagline give their room to the player list: at 40×12
# a 4-row logo and a 2-row tagline would leave no row for a player.
LOGO_MIN_HEIGHT = 20


class TitleScreen(GameScreen[None]):
    DEFAULT_CSS = """
    TitleScreen #title-box { padding: 1 2; height: 1fr; }
    TitleScreen #logo { text-style: bold; color: $accent; margin-bottom: 1; }
    TitleScreen #tagline { margin-bottom: 1; color: $text-muted; }
    TitleScreen #who { text-style: bold; }
    TitleScreen #players { width: 60; max-width: 100%; height: auto; }
    TitleScreen #new-name { width: 60; max-width: 100%; margin-top: 1; }
    TitleScreen #name-error { color: $error; height: auto; }
    TitleScreen #saves-line { color: $text-muted; height: auto; margin-top: 1; }
    TitleScreen.-short #title-box { padding: 0 1; }
    TitleScreen.-short #logo, TitleScreen.-short #tagline, TitleScreen.-short #saves-line { display: none; }
    TitleScreen.-short #new-name { margin-top: 0; }
    TitleScreen #today-all { height: auto; margin-top: 1; }
    """
    SUB_TITLE = "Who's playing?"
    BINDINGS = [
        Binding("n", "new_player", "New player"),
        Binding("r", "rename_player", "Rename"),
        Binding("d", "delete_player", "Delete"),
        Binding("l", "leaderboard", "Leaderboard"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "cancel_name", "Cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.renaming: str | None = None  # the player being renamed, while the name box is open
        self.last_player: str | None = None  # highlighted again when the player comes back here

    def compose(self) -> ComposeResult:
        bank = self.game.bank
        count, sections = bank.counts()  # a big bank's questions are still being loaded
        yield Header()
        with Vertical(id="title-box"):
            yield Static(Content(LOGO), id="logo")
            yield Static(Content(tagline(bank, count, sections)), id="tagline")
            yield Static("Who's playing?", id="who")
            # The rows are there in the first frame, not mounted a frame later.
            players = PickList(id="players")
            with players:
                yield from players.rows(self._items())
            yield Static("", id="today-all")
            yield Input(placeholder=f"Your name (up to {MAX_NAME_LENGTH} characters), then Enter",
                        id="new-name", classes="hidden")
            yield Static("", id="name-error")
            saves = self.game.save_dir
            yield Static(Content.from_markup("[dim]Saves:[/dim] $folder", folder=str(saves)) if saves else "",
                         id="saves-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).cursor_blink = self.game.cursor_blink
        if not self.is_current:
            # `quizgame play` opened straight into a round above this screen. What it would do now
            # (focus its list, which rebuilds its footer; read every player's day) Textual runs
            # after the current screen's next refresh, that is inside the round's first answer.
            # It is done when the player first comes back here instead (on_screen_resume).
            return
        self._fit(self.size.height)
        self._focus_start()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        self.set_class(height < LOGO_MIN_HEIGHT, "-short")
        self.call_after_refresh(self._fit_list)

    def _fit_list(self) -> None:
        """Give the player list the rows the rest leaves, so the name box and its errors show."""
        box, players = self.query_one("#title-box"), self.query_one("#players", PickList)
        used = sum(child.outer_size.height + child.styles.margin.top + child.styles.margin.bottom
                   for child in box.children if child is not players and child.display)
        players.styles.max_height = max(2, box.content_size.height - used)
        players.call_after_refresh(players._paint)

    def on_screen_resume(self) -> None:
        if not self.is_current:  # its first resume, handled once `quizgame play` put a round on top
            return
        self._fit(self.size.height)  # the terminal may have changed size while a round was on top
        self.game.choose_player(None)  # back at the list: nobody is playing until one is picked
        self.refresh_players(highlight=self.last_player)
        self.last_player = None  # once: a dialog closing later keeps the player's own choice

    def _items(self) -> list[tuple[str, Content]]:
        # Content(name): a name such as "[@click=app.quit]x" is shown, never run.
        return ([(f"p:{name}", Content(printable(name)) + (
                    Content.styled("  (saved by a newer quizgame)", "dim")
                    if self.game.store.unplayable(name) else Content(""))) for name in self.game.store.players()]
                + [(NEW_PLAYER, Content.from_markup("[i]+ New player[/i]"))])

    def refresh_players(self, highlight: str | None = None) -> None:
        players = self.query_one("#players", PickList)
        players.set_items(self._items(), highlight=f"p:{highlight}" if highlight else players.highlighted_key)
        if self.query_one("#new-name", Input).has_class("hidden"):
            self._focus_start()
        else:  # a name being typed keeps the focus, even from a first resume handled late (a busy host)
            self.call_after_refresh(self.show_today)

    def _focus_start(self) -> None:
        if self.game.store.players():
            self.query_one("#players", PickList).focus()
        else:
            self.action_new_player()
        self.call_after_refresh(self.show_today)

    def show_today(self) -> None:
        """Each player's reviews due and goal today, read after the first paint. On the UI
        thread: the store is not made to be read from two threads at once."""
        from quizgame.ui.widgets.today import today_line

        bank, now = self.game.bank, self.game.clock.now()
        lines = [Content.assemble((printable(name), "bold"), "  ") + today_line(bank, progress, now)
                 for name, progress in list(self.game.store.everyone(bank.id).items())[:TODAY_PLAYERS]]
        self.query_one("#today-all", Static).update(Content("\n").join(lines))

    def _highlighted_player(self) -> str | None:
        key = self.query_one("#players", PickList).highlighted_key
        return key[2:] if key and key.startswith("p:") else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rename_player", "delete_player"):
            # Shown when a player is highlighted in the list, not while a name is typed.
            return self._highlighted_player() is not None and self.query_one("#players", PickList).has_focus
        if action == "cancel_name":
            return not self.query_one("#new-name", Input).has_class("hidden")
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_pick_list_picked(self, event: PickList.Picked) -> None:
        if event.key == NEW_PLAYER:
            self.action_new_player()
        else:
            self.open_player(event.key[2:])

    def _open_name_box(self, value: str, placeholder: str) -> None:
        name_box = self.query_one("#new-name", Input)
        name_box.remove_class("hidden")
        name_box.value = value
        name_box.placeholder = placeholder
        name_box.focus()
        self.query_one("#name-error", Static).update("")
        self.call_after_refresh(self._fit_list)
        self.refresh_bindings()

    def action_new_player(self) -> None:
        self.renaming = None
        self._open_name_box("", f"Your name (up to {MAX_NAME_LENGTH} characters), then Enter")

    def action_rename_player(self) -> None:
        player = self._highlighted_player()
        if player is not None:
            self.renaming = player
            self._open_name_box(player, "The new name, then Enter (Escape keeps the old one)")

    def action_delete_player(self) -> None:
        player = self._highlighted_player()
        if player is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            backup = self.game.store.delete_player(player)
            self.last_player = None
            self.refresh_players()
            kept = f" A backup of the saves is in {backup}." if backup else ""
            self.notify(f"{player} was deleted.{kept}", title="Player deleted", timeout=10, markup=False)

        self.app.push_screen(ConfirmScreen(
            Content.from_markup("Delete [b]$player[/b] and take them off the leaderboard?", player=player),
            "Their saves are moved to a backup folder, not erased.", "Delete"), confirmed)

    def action_cancel_name(self) -> None:
        self.renaming = None
        self.query_one("#new-name", Input).add_class("hidden")
        self.query_one("#name-error", Static).update("")
        self.query_one("#players", PickList).focus()
        self.call_after_refresh(self._fit_list)
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        error = self.query_one("#name-error", Static)
        try:
            if self.renaming is not None:
                name = self.game.store.rename_player(self.renaming, event.value)
            else:
                name = self.game.store.add_player(event.value)
        except InvalidName as problem:
            error.update(Content(printable(str(problem))))
            self.call_after_refresh(self._fit_list)
            return
        except OSError as problem:  # a full disk, a read-only folder
            error.update(Content(printable(f"Could not save the player: {problem.strerror or problem}")))
            self.call_after_refresh(self._fit_list)
            return
        error.update("")
        event.input.add_class("hidden")
        if self.renaming is not None:
            self.game.prefs.rename(self.renaming, name)
            if self.last_player == self.renaming:
                self.last_player = name
            self.renaming = None
            self.refresh_players(highlight=name)
            self.notify(f"Renamed to {name}.", timeout=3, markup=False)
        else:
            self.open_player(name)

    def open_player(self, name: str) -> None:
        from quizgame.ui.screens.map import MapScreen

        why = self.game.store.unplayable(name)
        if why:  # saves a newer quizgame wrote: never read or changed here
            self.notify(why, severity="warning", timeout=10, markup=False)
            return
        self.last_player = name
        self.game.choose_player(name)
        self.app.push_screen(MapScreen(name))

    def action_leaderboard(self) -> None:
        from quizgame.ui.screens.leaderboard import LeaderboardScreen

        self.app.push_screen(LeaderboardScreen())


def tagline(bank: Bank, count: int, sections: int) -> str:
    """What the bank holds, in one line: the shipped bank says what it covers; another bank (an
    import, named by its player) gives its own title, printable."""
    about = ("from the basics to LLM system design" if bank.id == SHIPPED_BANK_ID
             else printable(bank.title))
    return f"{count:,} question{'s' if count != 1 else ''} · {sections} section{'s' if sections != 1 else ''} · {about}"
