#!/usr/bin/env python3
"""Where an answer's CPU goes, headless: a round played under Textual's run_test (120x40).

    python benchmarks/answer_phases.py [--mode mc|recall] [--answers 12]

For each answer key and each Enter to the next question, the process CPU time spent in each
phase (Textual's screen updates and layouts, the save, building the feedback, the key bar),
the layouts of the screen, and the rows the compositor asked of each widget. Per key, medians
over the answers after the first. No profiler: the phases are timed with time.process_time()
around the functions; "total CPU" also holds Textual's key dispatch and the test pilot's own
waiting, which the bare app's key pays as well (benchmarks/RESULTS.md). To measure another checkout,
put its folder first on PYTHONPATH and run this from outside the repository.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

PHASE: list[str] = [""]  # "key" or "enter" while one is being timed
SPENT: dict[str, list[float]] = collections.defaultdict(list)
ROWS: collections.Counter[str] = collections.Counter()
CURRENT: collections.Counter[str] = collections.Counter()
LABELS: list[str] = ["total CPU", "layouts (count)"]  # every figure, so that a key without one counts 0


def timed(cls: type, name: str, label: str) -> None:
    """Wrap cls.name so that its CPU time adds up in CURRENT[label] while a phase runs."""
    original = getattr(cls, name)
    LABELS.append(label)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not PHASE[0]:
            return original(*args, **kwargs)
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            CURRENT[label] += time.process_time() - start

    setattr(cls, name, wrapper)


def instrument() -> None:
    from textual.screen import Screen
    from textual.widget import Widget

    from quizgame.store.tinydb_store import TinyDBStore
    from quizgame.ui.screens.round import RoundScreen
    from quizgame.ui.widgets.keybar import KeyBar

    timed(Screen, "_on_timer_update", "Textual: screen update (layout + repaint)")
    timed(Screen, "_refresh_layout", "  of which: layouts of the screen")
    timed(TinyDBStore, "record_answer", "the save (store.record_answer)")
    timed(RoundScreen, "show_feedback", "building the feedback (show_feedback)")
    timed(RoundScreen, "show_item", "building the next question (show_item)")
    timed(KeyBar, "_draw", "the key bar's keys (KeyBar._draw)")

    from quizgame.core.session import RoundSession
    timed(RoundSession, "judge", "judging (RoundSession.judge)")

    render_lines: Callable[..., Any] = Widget.render_lines
    refresh_layout: Callable[..., Any] = Screen._refresh_layout

    def counted_render(self: Widget, crop: Any) -> Any:
        if PHASE[0]:
            ROWS[f"{PHASE[0]} {type(self).__name__}#{self.id or ''}"] += crop.height
        return render_lines(self, crop)

    def counted_layout(self: Screen, *args: Any, **kwargs: Any) -> Any:
        if PHASE[0]:
            CURRENT["layouts (count)"] += 1
        return refresh_layout(self, *args, **kwargs)

    Widget.render_lines = counted_render  # type: ignore[method-assign]
    Screen._refresh_layout = counted_layout  # type: ignore[method-assign]


async def play(mode: str, answers: int) -> None:
    from quizgame.config import load_banks, save_dir
    from quizgame.store.tinydb_store import TinyDBStore
    from quizgame.ui.app import QuizApp

    with tempfile.TemporaryDirectory() as tmp:
        saves = save_dir(tmp)
        banks, _ = load_banks(saves, None)
        store = TinyDBStore(saves)
        player = store.add_player("Bench")
        start = {"player": player, "mode": mode, "section": None, "size": 30, "seed": "1"}
        app = QuizApp(banks=banks, store=store, start=start, notices=[])
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await asyncio.sleep(0.5)  # the first question settles, the grader's index is built
            screen = app.screen
            for n in range(answers):
                for phase, key in (("key", "1" if mode == "mc" else "enter"), ("enter", "enter")):
                    if phase == "key" and mode == "recall":
                        screen.query_one("#answer").value = "it learns the weights from data by gradient descent"
                        await pilot.pause()
                        await asyncio.sleep(0.2)  # the player's pause: the answer is graded ahead
                    CURRENT.clear()
                    PHASE[0] = phase
                    start_cpu = time.process_time()
                    await pilot.press(key)
                    await pilot.pause()
                    CURRENT["total CPU"] = time.process_time() - start_cpu
                    PHASE[0] = ""
                    if n:  # the first answer of the round is reported apart by run.py
                        for label in LABELS:
                            SPENT[f"{phase}: {label}"].append(CURRENT.get(label, 0.0))
                    await asyncio.sleep(0.05)
                    if screen.session.current is None or screen.session.index + 1 == screen.session.total:
                        return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["mc", "recall"], default="mc")
    parser.add_argument("--answers", type=int, default=12)
    args = parser.parse_args()
    instrument()
    asyncio.run(play(args.mode, args.answers))
    counted = len(SPENT["key: total CPU"])
    print(f"{args.mode}: medians over {counted} answers (the first one not counted), CPU ms per key")
    for name in sorted(SPENT, key=lambda k: (k.split(":")[0] != "key", -statistics.median(SPENT[k]))):
        value = statistics.median(SPENT[name])
        print(f"  {name}: {value:g}" if name.endswith("(count)") else f"  {name}: {value * 1000:.2f} ms")
    print("rows the compositor asked of each widget per key (rows not marked dirty come from its cache):")
    for name, rows in sorted(ROWS.items()):
        print(f"  {name}: {rows / max(1, counted + 1):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
