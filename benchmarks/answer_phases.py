#!/usr/bin/env python3
"""Where an answer's CPU goes: a round played headless (Textual's run_test, 120x40) or, with
--terminal, the installed game in a real terminal (tmux, as benchmarks/run.py plays it).

    python benchmarks/answer_phases.py [--mode mc|recall] [--answers 12]
    python benchmarks/answer_phases.py --terminal [--mode mc|recall]

For each answer key and each Enter to the next question, the CPU time spent in each phase
(Textual's screen updates and layouts, the save, building the feedback, the key bar), the
layouts of the screen, and the rows the compositor asked of each widget. Per key, medians over
the answers after the first. No profiler: the phases are timed with time.process_time() (headless)
or time.thread_time() (terminal) around the functions. Headless, "total CPU" also holds the test
pilot's own waiting, which a real terminal does not have; --terminal measures the game alone, per
key from its arrival to the next key's: the main thread's CPU split into phases, the rest of it
("key dispatch, messages, asyncio"), the garbage collector, and the other threads (the save's,
Textual's input and output threads). To measure another checkout, put its folder first on
PYTHONPATH and run this from outside the repository.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
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


# -- in a real terminal ------------------------------------------------------------------------

OTHER = "  key dispatch, messages, asyncio (the rest of the main thread)"
THREADS = "other threads: the save, Textual's input and output"


def child(out: str, argv: list[str]) -> int:
    """The game itself (quizgame.cli.main with argv), its phases timed per key; writes `out` (JSON)."""
    import atexit
    import gc
    import json
    import threading

    from textual import events
    from textual.app import App
    from textual.screen import Screen

    from quizgame.cli import main as quizgame
    from quizgame.store.tinydb_store import TinyDBStore
    from quizgame.ui.screens.round import RoundScreen
    from quizgame.ui.widgets.keybar import KeyBar

    main_thread = threading.main_thread()
    phases: collections.Counter[str] = collections.Counter()
    keys: list[dict[str, Any]] = []
    key: dict[str, Any] = {}  # the key being timed: its kind and where the clocks stood
    live = [False]  # from the first question on screen to leaving the round

    def timed_here(cls: type, name: str, label: str, main_only: bool = True) -> None:
        original = getattr(cls, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not live[0] or (main_only and threading.current_thread() is not main_thread):
                return original(*args, **kwargs)
            start, collected = time.thread_time(), collector[0]
            try:
                return original(*args, **kwargs)
            finally:  # a collection that interrupted the phase counts as the collector's alone
                phases[label] += time.thread_time() - start - (collector[0] - collected)

        setattr(cls, name, wrapper)

    collector = [0.0]  # the main thread's CPU in the garbage collector so far
    timed_here(Screen, "_on_timer_update", "Textual: screen update")
    timed_here(Screen, "_refresh_layout", "  of which: layouts of the screen")
    timed_here(App, "_display", "  of which: writing the changed rows to the terminal")
    timed_here(RoundScreen, "show_feedback", "building the feedback (show_feedback)")
    timed_here(RoundScreen, "show_item", "building the next question (show_item)")
    timed_here(KeyBar, "_draw", "the key bar's keys (KeyBar._draw)")
    timed_here(TinyDBStore, "record_answer", "  of which: the save (store.record_answer)", main_only=False)
    gc_start = [0.0]

    def collecting(phase: str, info: dict[str, int]) -> None:
        if live[0] and threading.current_thread() is main_thread:
            if phase == "start":
                gc_start[0] = time.thread_time()
            else:
                collector[0] += time.thread_time() - gc_start[0]
                phases["the garbage collector"] += time.thread_time() - gc_start[0]

    gc.callbacks.append(collecting)

    def close_key() -> None:
        if key.get("kind"):
            cpu, total = time.thread_time() - key["main"], time.process_time() - key["process"]
            spent = dict(phases)
            own = ("Textual: screen update", "building the feedback (show_feedback)",
                   "building the next question (show_item)", "the key bar's keys (KeyBar._draw)",
                   "the garbage collector")
            spent["main thread"] = cpu
            spent[OTHER] = cpu - sum(spent.get(label, 0.0) for label in own)
            spent[THREADS] = total - cpu
            spent["total CPU (all threads)"] = total
            keys.append({"kind": key["kind"], "spent": spent})
        key.clear()
        phases.clear()

    on_event = App.on_event

    async def timed_event(self: App, event: events.Event) -> None:
        if live[0] and isinstance(event, events.Key) and not event.is_forwarded:
            close_key()
            answered = getattr(self.screen, "judgement", None) is not None
            kind = ("next" if answered else "answer") if event.key in ("1", "enter") else ""
            key.update(kind=kind, main=time.thread_time(), process=time.process_time())
        await on_event(self, event)

    App.on_event = timed_event  # type: ignore[method-assign]
    warm_up, leave = RoundScreen._warm_up, RoundScreen.action_leave

    def started(self: RoundScreen) -> None:
        warm_up(self)
        live[0] = True

    def left(self: RoundScreen) -> None:
        close_key()
        live[0] = False
        leave(self)

    RoundScreen._warm_up = started  # type: ignore[method-assign]
    RoundScreen.action_leave = left  # type: ignore[method-assign]
    atexit.register(lambda: Path(out).write_text(json.dumps(keys), encoding="utf-8"))
    sys.argv[0] = "quizgame"
    return quizgame(argv)


def terminal(mode: str) -> None:
    """Play one round in tmux as benchmarks/run.py does (a short pause, then the key) with the
    game started through child(); print each phase's median per answer and per next question."""
    import json
    import os

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import termtime as tt
    from run import FEEDBACK_MARKERS, SIZE, THINK, TYPED, VERDICT_MARKERS

    recall = mode == "recall"
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("QUIZGAME_SAVE_DIR", "TMUX", "TMUX_PANE")}
        env.update({"XDG_CACHE_HOME": f"{tmp}/cache", "XDG_DATA_HOME": f"{tmp}/data", "COLORTERM": "truecolor"})
        out = f"{tmp}/phases.json"
        argv = [sys.executable, str(Path(__file__).resolve()), "--child", out, "--", "play", "--player", "Bench",
                "--mode", mode, "--questions", "30", "--seed", "1", "--save-dir", f"{tmp}/save"]
        with tt.Terminal(SIZE, env) as term:
            name, start = term.launch(argv)
            _, screen = tt.wait_for(term, name, tt.question_number, start, timeout=60)
            total = tt.question_number(screen)[1]
            for n in range(1, total + 1):
                if recall:
                    term.send(name, "-l", f"'{TYPED}'")
                    tt.wait_for(term, name, lambda s: TYPED in s, time.perf_counter())
                time.sleep(THINK)
                tt.press(term, name, "Enter" if recall else "1",
                         lambda s: any(m in s for m in (VERDICT_MARKERS if recall else FEEDBACK_MARKERS)))
                if n == total:
                    break
                time.sleep(THINK)
                tt.press(term, name, "Enter", lambda s, want=n + 1: (tt.question_number(s) or (0, 0))[0] == want)
            time.sleep(THINK)
            term.send(name, "Escape")
            tt.wait_for(term, name, lambda s: Path(out).exists() or "Round left" in s, time.perf_counter())
            term.send(name, "C-q")
            tt.wait_for(term, name, lambda s: Path(out).exists(), time.perf_counter())
        keys = json.loads(Path(out).read_text(encoding="utf-8"))
    print(f"{mode} in tmux {SIZE[0]}x{SIZE[1]}, one round of {total} questions; load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}. CPU ms per key, medians (first answer apart):")
    order = ["total CPU (all threads)", "main thread", "Textual: screen update",
             "  of which: layouts of the screen", "  of which: writing the changed rows to the terminal",
             "building the feedback (show_feedback)", "building the next question (show_item)",
             "the key bar's keys (KeyBar._draw)", "the garbage collector", OTHER, THREADS,
             "  of which: the save (store.record_answer)"]
    for kind, title in (("answer", "answer key" if not recall else "Enter on a typed answer"),
                        ("next", "Enter to the next question")):
        mine = [k["spent"] for k in keys if k["kind"] == kind]
        first, rest = mine[0], mine[1:]
        print(f"  {title} (n={len(rest)}; the round's first in brackets):")
        for label in order:
            if any(label in spent for spent in mine):
                values = [spent.get(label, 0.0) for spent in rest]
                print(f"    {label}: {statistics.median(values) * 1000:.2f} ms  ({first.get(label, 0.0) * 1000:.2f})")


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[4:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["mc", "recall"], default="mc")
    parser.add_argument("--answers", type=int, default=12)
    parser.add_argument("--terminal", action="store_true", help="the installed game in tmux, not headless")
    args = parser.parse_args()
    if args.terminal:
        terminal(args.mode)
        return 0
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
