"""The game on hostile saves: escape sequences in names and banks are drawn as visible
characters, and a disk that fills up never stops the game or loses what was saved."""
import errno
import json
import re

from quizgame.core.bank import load_bank
from quizgame.store.base import MemoryStore

from .helpers import answer_mc, make_app, next_item, screen_text, toasts, wait_for, wait_screen

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b1m\u202e"
_ACTS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_bank(folder):
    questions = [{
        "id": f"e{n}", "prompt": f"Prompt {n}{ESCAPES}?", "answer": f"Answer {n}{ESCAPES}",
        "option": f"Option {n}{ESCAPES}", "topics": ["escapes"],
        "ideas": [{"label": f"idea{ESCAPES}", "terms": ["answer"], "required": True}],
        "distractors": [f"Wrong {n}.{k}{ESCAPES}" for k in range(3)],
    } for n in range(3)]
    folder.mkdir()
    (folder / "1-esc.json").write_text(json.dumps(
        {"section": {"id": "esc", "title": f"Section{ESCAPES}", "order": 1}, "questions": questions}))
    return load_bank(folder)


async def test_escape_sequences_are_drawn_visible(tmp_path):
    store = MemoryStore()
    store._add_player(f"Eve{ESCAPES}")  # written by hand into the saves: never through check_name
    app = make_app(store, bank=escape_bank(tmp_path / "bank"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Eve␛" in screen_text(app), "the player list")
        assert not _ACTS.search(screen_text(app))
        await pilot.press("enter")
        await wait_screen(pilot, "MapScreen")
        assert not _ACTS.search(screen_text(app)) and "Section␛" in screen_text(app)
        await pilot.press("m")
        await wait_screen(pilot, "RoundScreen")
        for _ in range(3):
            await wait_for(pilot, lambda: "Prompt" in screen_text(app), "the question")
            text = screen_text(app)
            assert "Prompt" in text and "␛]0;pwned␇" in text and not _ACTS.search(text)
            await answer_mc(pilot, correct=False)
            assert not _ACTS.search(screen_text(app))
            await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
        assert not _ACTS.search(screen_text(app))


class FullDisk(MemoryStore):
    """Answers save; then the disk fills up and nothing more does."""

    full = False

    def _append(self, player, bank_id, event):
        if self.full:
            raise OSError(errno.ENOSPC, "No space left on device")
        super()._append(player, bank_id, event)


async def test_a_full_disk_at_the_end_of_a_round_keeps_the_answers(tmp_path):
    store = FullDisk()
    store.add_player("Ana")
    app = make_app(store, start={"player": "Ana", "mode": "mc", "section": None, "size": 2, "seed": 3})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        await answer_mc(pilot, correct=True)
        await next_item(pilot)
        await answer_mc(pilot, correct=True)
        store.full = True
        await next_item(pilot)
        await wait_screen(pilot, "SummaryScreen")
        await wait_for(pilot, lambda: any("Could not save this round" in t and "answers are saved" in t
                                          for t in toasts(app)), "the message")
        assert app.is_running
    assert store.progress("Ana", "mini").answers == 2


async def test_a_full_disk_when_creating_a_player(tmp_path):
    store = FullDisk()

    def full(name):
        raise OSError(errno.ENOSPC, "No space left on device")

    store._add_player = full
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#new-name").has_focus, "the name box")
        await pilot.press(*"Cy", "enter")
        await wait_for(pilot, lambda: "No space left" in screen_text(app), "the error")
        assert app.is_running and type(app.screen).__name__ == "TitleScreen"


class NewerAna(MemoryStore):
    def unplayable(self, player):
        return "Ana's saves were written by a newer quizgame." if player == "Ana" else None


async def test_a_player_saved_by_a_newer_version_is_listed_but_not_opened():
    store = NewerAna()
    store.add_player("Ana")
    app = make_app(store)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: "saved by a newer quizgame" in screen_text(app), "the mark")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("newer quizgame" in t for t in toasts(app)), "the message")
        assert type(app.screen).__name__ == "TitleScreen"


class HeldLock(MemoryStore):
    """Saves wait, as behind a stopped process holding the lock, until `free` is set."""

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.free = threading.Event()
        self.held = False

    def record_answer(self, player, bank_id, event):
        if self.held:
            assert self.lock_notice is not None
            self.lock_notice("waiting for process 4242, which has held the saves' lock for 3 s; is it stopped?")
            assert self.free.wait(10)
        return super().record_answer(player, bank_id, event)


async def test_a_held_lock_is_named_on_screen_and_the_answer_is_saved_once_it_is_free():
    store = HeldLock()
    store.add_player("Ana")
    app = make_app(store, start={"player": "Ana", "mode": "mc", "section": None, "size": 2, "seed": 3})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_screen(pilot, "RoundScreen")
        screen = app.screen
        store.held = True
        right = screen.session.current.choice.correct
        await pilot.press(str(right + 1))
        await wait_for(pilot, lambda: any("process 4242" in t for t in toasts(app)), "the lock holder named")
        await pilot.press(str((right + 1) % 4 + 1))  # a second key while the first answer waits: ignored
        assert screen.judgement is None and app.is_running  # the screen is live, no verdict yet
        store.free.set()
        await wait_for(pilot, lambda: screen.judgement is not None, "the verdict once the lock is free")
        assert screen.judgement.picked == right
    assert store.progress("Ana", "mini").answers == 1
