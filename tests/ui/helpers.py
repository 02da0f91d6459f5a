"""Shared helpers for the UI tests: build the app, wait for screens, read what is on screen."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from textual import events

from quizgame.core.bank import load_bank
from quizgame.core.clock import FixedClock
from quizgame.store.base import MemoryStore, Store
from quizgame.ui.app import QuizApp

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
WAIT = 5.0  # seconds any single UI step may take before a test gives up


def mini_bank():
    return load_bank(MINI)


def make_app(store: Store | None = None, bank=None, **kwargs) -> QuizApp:
    """The game on the mini bank, a fixed clock and no cursor blink."""
    return QuizApp([bank or mini_bank()], store if store is not None else MemoryStore(),
                   FixedClock(NOW), cursor_blink=False, **kwargs)


def screen_text(app) -> str:
    """The plain text of every cell on the current screen, row by row (toasts included)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def screen_name(app) -> str:
    return type(app.screen).__name__


async def wait_for(pilot, predicate, what: str, timeout: float = WAIT) -> None:
    """Let the app run until predicate() holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; on {screen_name(pilot.app)}:\n"
                                 f"{screen_text(pilot.app)}")
        await pilot.pause()


async def wait_screen(pilot, name: str) -> None:
    await wait_for(pilot, lambda: screen_name(pilot.app) == name, f"screen {name}")


async def wait_text(pilot, text: str) -> None:
    await wait_for(pilot, lambda: text in screen_text(pilot.app), f"{text!r} on screen")


async def paste(pilot, text: str) -> None:
    """What a terminal sends for a bracketed paste, delivered to the focused widget."""
    pilot.app.focused.post_message(events.Paste(text))
    await pilot.pause()


def toasts(app) -> list[str]:
    """The messages of the notifications on screen now (run_test needs notifications=True)."""
    from textual.widgets._toast import Toast

    return [toast._notification.message for toast in app.screen.query(Toast)]


def answer_events(store: Store, player: str, bank_id: str = "mini") -> list[dict]:
    return [e for e in store.history(player, bank_id) if e["type"] == "answer"]


async def answer_mc(pilot, correct: bool) -> str:
    """Press the digit of the right (or a wrong) option of the current MC item; returns its question id."""
    screen = pilot.app.screen
    item = screen.session.current
    assert item.kind == "mc", item.kind
    right = item.choice.correct
    index = right if correct else (right + 1) % len(item.choice.options)
    await pilot.press(str(index + 1))
    await wait_for(pilot, lambda: screen.judgement is not None, "the MC verdict")
    return item.question.id


async def next_item(pilot) -> None:
    """Enter after feedback: the next question, or the summary after the last one."""
    screen = pilot.app.screen
    index = screen.session.index
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen is not screen or screen.session.index != index,
                   "the next question or the summary")


async def play_mc_round(pilot, verdicts) -> list[str]:
    """Answer each item of the open MC round right (True) or wrong (False), then move on."""
    played = []
    verdicts = list(verdicts)
    for right in verdicts:
        played.append(await answer_mc(pilot, right))
        await next_item(pilot)
    return played


def seed_events(store: Store) -> None:
    """A deterministic past for the snapshot and leaderboard tests: Ana ahead of Ben."""
    at = NOW.isoformat(timespec="seconds")

    def answer(n, question, section, tier, verdict):
        return {"type": "answer", "id": f"ans-{n}", "question": question, "section": section, "tier": tier,
                "kind": "mc", "mode": "mc", "round": f"r-{n // 10}", "verdict": verdict,
                "score": 1.0 if verdict == "correct" else 0.0, "at": at, "text": "seeded"}

    def round_event(n, points, answered, correct):
        return {"type": "round", "id": f"r-{n}", "section": "basics", "mode": "mc", "points": points,
                "answered": answered, "correct": correct, "at": at}

    for name in ("Ana", "Ben"):
        if store.find_player(name) is None:
            store.add_player(name)
    n = 0
    for question, verdict in [("b-dropout", "correct"), ("b-relu", "correct"), ("b-epoch", "wrong")]:
        n += 1
        store.record_answer("Ana", "mini", answer(n, question, "basics", 0, verdict))
    store.record_round("Ana", "mini", round_event(1, 220, 3, 2))
    for question, verdict in [("b-lr", "correct"), ("b-dropout", "wrong")]:
        n += 1
        store.record_answer("Ana", "mini", answer(n, question, "basics", 0, verdict))
    store.record_round("Ana", "mini", round_event(2, 100, 2, 1))
    n = 20
    store.record_answer("Ben", "mini", answer(n, "b-epoch", "basics", 0, "correct"))
    store.record_round("Ben", "mini", round_event(3, 100, 1, 1))


def shipped_bank():
    from quizgame.core.bank import load_bank as load

    return load(Path(__file__).resolve().parents[2] / "content")


async def open_round(pilot, player: str, question_ids: list[str], kind: str, seed: int = 1) -> None:
    """Open a round of the given questions (any section, locked or not) asked as `kind`."""
    from quizgame.core.rounds import RoundPlan, make_item
    from quizgame.ui.screens.round import RoundScreen

    app = pilot.app
    bank = app.bank
    if app.store.find_player(player) is None:
        app.store.add_player(player)
    items = tuple(make_item(bank.question(qid), kind, bank, seed) for qid in question_ids)
    plan = RoundPlan(f"test-{seed}", kind, "all", items)
    await app.push_screen(RoundScreen(player, plan, app.store.progress(player, bank.id)))
    await wait_screen(pilot, "RoundScreen")
