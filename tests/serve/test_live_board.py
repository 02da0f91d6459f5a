"""The room's live leaderboard: today's standings from every process's saves, updated by itself."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from quizgame.core.clock import FixedClock
from quizgame.core.room import room_view
from quizgame.store.base import MemoryStore
from quizgame.store.tinydb_store import TinyDBStore
from quizgame.ui.screens.live import LiveBoardApp, LiveBoardScreen, TodayFeed
from tests.ui.helpers import NOW, screen_text, wait_for, wait_text

TODAY = NOW.date()


def answer(n: int, question: str, verdict: str, at: datetime = NOW, tier: int = 0) -> dict:
    return {"type": "answer", "id": f"a-{n}", "question": question, "section": "basics", "tier": tier,
            "kind": "mc", "mode": "mc", "round": "r-1", "verdict": verdict,
            "score": 1.0 if verdict == "correct" else 0.0, "at": at.isoformat(timespec="seconds"), "text": "x"}


def test_today_counts_only_todays_answers_and_overrides_replace_points(mini_bank):
    store = MemoryStore()
    for name in ("Ana", "Ben", "Cy"):
        store.add_player(name)
    yesterday = NOW - timedelta(days=1)
    store.record_answer("Ana", "mini", answer(1, "b-relu", "correct", at=yesterday))
    store.record_answer("Ana", "mini", answer(2, "b-dropout", "correct"))
    store.record_answer("Ana", "mini", answer(3, "b-epoch", "wrong"))
    store.record_override("Ana", "mini", {"type": "override", "id": "o-1", "answer": "a-3", "verdict": "correct",
                                          "score": 1.0, "at": NOW.isoformat(timespec="seconds")})
    store.record_answer("Ben", "mini", answer(4, "b-lr", "correct"))
    everyone = store.everyone("mini")
    feed = TodayFeed(store, "mini")
    feed.update(everyone, TODAY)
    view = room_view(mini_bank, everyone, feed.events, TODAY)

    ana = next(r for r in view.rows if r.player == "Ana")
    assert (ana.answers, ana.correct) == (2, 2)             # yesterday's answer is not today's
    logged = store.history("Ana", "mini")
    override = logged[-1]["points"]
    assert override > 0 and ana.points == logged[1]["points"] + override  # it replaces the wrong answer's 0
    assert ana.total == everyone["Ana"].points
    assert [r.player for r in view.rows] == ["Ana", "Ben"]  # most points today first
    assert view.resting == ("Cy",)
    assert view.recent[-1].player in ("Ana", "Ben") and len(view.recent) == 3
    assert all("right" in a.line and ", +" in a.line for a in view.recent)


def test_feed_reads_only_new_events(mini_bank):
    class Counting(MemoryStore):
        def __init__(self) -> None:
            super().__init__()
            self.asked: list[int] = []

        def events_after(self, player: str, bank_id: str, after: int) -> list[dict]:
            self.asked.append(after)
            return super().events_after(player, bank_id, after)

    store = Counting()
    store.add_player("Ana")
    store.record_answer("Ana", "mini", answer(1, "b-relu", "correct"))
    feed = TodayFeed(store, "mini")
    feed.update(store.everyone("mini"), TODAY)
    feed.update(store.everyone("mini"), TODAY)               # nothing new: no read
    store.record_answer("Ana", "mini", answer(2, "b-lr", "wrong"))
    feed.update(store.everyone("mini"), TODAY)
    assert store.asked == [0, 1]
    assert [e["id"] for e in feed.events["Ana"]] == ["a-1", "a-2"]


def test_names_and_prompts_are_shown_literally(mini_bank):
    store = MemoryStore()
    store.add_player("[b]Eve[/b]")
    store.record_answer("[b]Eve[/b]", "mini", answer(1, "b-relu", "correct"))
    everyone = store.everyone("mini")
    feed = TodayFeed(store, "mini")
    feed.update(everyone, TODAY)
    view = room_view(mini_bank, everyone, feed.events, TODAY)
    assert view.recent[0].line.startswith("[b]Eve[/b] got “")


async def test_board_updates_by_itself_when_another_process_saves(tmp_path, mini_bank):
    """Answers written by a second store (as another game process would) appear without a key press."""
    saves = tmp_path / "saves"
    board_store = TinyDBStore(saves, clock=FixedClock(NOW))
    other = TinyDBStore(saves, clock=FixedClock(NOW))
    app = LiveBoardApp(bank=mini_bank, store=board_store, clock=FixedClock(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_text(pilot, "No answers yet today")
        other.add_player("Ana")
        other.record_answer("Ana", "mini", answer(1, "b-relu", "correct"))
        await wait_text(pilot, "Ana got")
        screen = app.screen
        assert isinstance(screen, LiveBoardScreen)
        drawn = screen.refreshes
        other.add_player("Ben")
        for n in range(2, 5):
            other.record_answer("Ben", "mini", answer(n, "b-lr", "correct"))
        await wait_for(pilot, lambda: screen.view is not None and len(screen.view.rows) == 2
                       and screen.view.rows[0].player == "Ben", "Ben at the top")
        assert screen.refreshes > drawn
        text = screen_text(app)
        assert "Ben" in text and "3/3" in text and "🔥" in text
        idle = screen.refreshes
        await pilot.pause(1.2)                                # nothing saved: nothing re-read
        assert screen.refreshes == idle


def test_stamp_changes_with_every_saved_answer(tmp_path):
    store = TinyDBStore(tmp_path / "saves", clock=FixedClock(NOW))
    empty = store.change_stamp()
    store.add_player("Ana")
    joined = store.change_stamp()
    store.record_answer("Ana", "mini", answer(1, "b-relu", "correct"))
    answered = store.change_stamp()
    assert len({empty, joined, answered}) == 3
    assert store.change_stamp() == answered


def test_room_view_of_nobody(mini_bank):
    view = room_view(mini_bank, {}, {}, date(2026, 1, 1))
    assert view.rows == () and view.recent == () and view.resting == ()


def test_events_dated_with_another_offset_count_by_their_own_date(mini_bank):
    store = MemoryStore()
    store.add_player("Ana")
    late = datetime(2026, 11, 26, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    store.record_answer("Ana", "mini", answer(1, "b-relu", "correct", at=late))
    everyone = store.everyone("mini")
    assert room_view(mini_bank, everyone, {"Ana": store.history("Ana", "mini")}, late.date()).rows
