#!/usr/bin/env python3
"""Where one game session's memory goes, against the bare app, headless (no server, no browser).

    .venv/bin/python benchmarks/session_memory.py breakdown      # Python objects after a round
    .venv/bin/python benchmarks/session_memory.py fork [--sessions 10]

Both play what benchmarks/serve_load.py plays, at its size (120x40): the game from its title
screen (a new player, the section map, a 10-question multiple-choice round, the summary) and
the bare app (../shared/tools/bare_key_app.py, keys 1 and 2, ten times). The bank cache is
warmed first, as it is for every session but the first on a host.

- breakdown: tracemalloc after the round, by top-level package (and the game's own modules
  and the bank apart), the game beside the bare app; then how many Textual Strips (cached
  lines) are alive. Python objects only: the allocator's slack is not in it.
- fork: starts N sessions of each app as children of one process, twice: forked from a parent
  that has imported everything a session needs (and gc.freeze()d it, as a preloading fork
  server would), and forked from a parent that has imported nothing of the app (each child
  imports for itself, as a session served by textual-serve does). Prints each way's median
  PSS per child. This is the experiment behind RESULTS.md's "fork server" paragraph.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
BARE_TOOLS = next((p for p in (ROOT.parent / "shared" / "tools", ROOT.parent.parent / "shared" / "tools")
                   if (p / "bare_key_app.py").exists()), ROOT.parent / "shared" / "tools")
SIZE = (120, 40)  # as serve_load.py
QUESTIONS = 10


def pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def warm_cache(saves: Path) -> None:
    """Build the bank cache (XDG_CACHE_HOME) and the saves with one player, in another process."""
    code = ("from pathlib import Path; from quizgame.config import load_banks; "
            "from quizgame.store.tinydb_store import TinyDBStore; "
            f"TinyDBStore(Path({str(saves)!r})).add_player('Host'); load_banks(Path({str(saves)!r}), None)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)


def import_game() -> None:
    """Everything a game session imports by the end of its round."""
    import fsrs  # noqa: F401
    import textual.drivers.headless_driver  # noqa: F401

    import quizgame.core.grading  # noqa: F401
    import quizgame.core.session  # noqa: F401
    import quizgame.ui.app  # noqa: F401
    import quizgame.ui.screens.map  # noqa: F401
    import quizgame.ui.screens.round  # noqa: F401
    import quizgame.ui.screens.summary  # noqa: F401
    from quizgame.config import load_banks  # noqa: F401
    from quizgame.store.tinydb_store import TinyDBStore  # noqa: F401


def import_bare() -> None:
    sys.path.insert(0, str(BARE_TOOLS))
    import textual.drivers.headless_driver  # noqa: F401

    import bare_key_app  # noqa: F401


async def play_game(saves: Path, name: str, then: Any, joined: Any = None) -> None:
    from quizgame.config import load_banks
    from quizgame.prefs import PREFS_FILE, Prefs
    from quizgame.store.tinydb_store import TinyDBStore
    from quizgame.ui.app import QuizApp

    banks, _ = load_banks(saves, None)
    app = QuizApp(banks=banks, store=TinyDBStore(saves), save_dir=saves, prefs=Prefs(saves / PREFS_FILE),
                  cursor_blink=False)
    async def until(test: Any, what: str) -> None:
        deadline = time.monotonic() + 120  # sessions share two cores: slow, but never stuck
        while not test():
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {what}; the screen is {type(app.screen).__name__}")
            await pilot.pause(0.02)

    def screen(name: str) -> Any:
        return lambda: type(app.screen).__name__ == name

    async with app.run_test(size=SIZE) as pilot:
        await until(screen("TitleScreen"), "title screen")
        await pilot.press("n")
        await until(lambda: type(app.focused).__name__ == "Input", "name field")
        await pilot.press(*name)
        await until(lambda: getattr(app.focused, "value", "") == name, "the name typed")
        await pilot.press("enter")
        await until(screen("MapScreen"), "section map")
        if joined is not None:
            joined()
        await pilot.press("enter")
        await until(screen("RoundScreen"), "round")
        for n in range(QUESTIONS):
            await pilot.press("1")
            await until(lambda: getattr(app.screen, "judgement", None) is not None, f"feedback {n + 1}")
            await pilot.press("enter")
            await until(lambda: screen("SummaryScreen")() or getattr(app.screen, "judgement", 1) is None,
                        f"question {n + 2}")
        await until(screen("SummaryScreen"), "summary")
        await pilot.pause()
        await then()


async def play_bare(then: Any) -> None:
    sys.path.insert(0, str(BARE_TOOLS))
    from bare_key_app import BareKeyApp

    app = BareKeyApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(QUESTIONS):
            await pilot.press("1")
            await pilot.pause()
            await pilot.press("2")
            await pilot.pause()
        await then()


def _where(filename: str) -> str:
    if filename.endswith("quizgame/bankcache.py"):
        return "the bank (unpickled in quizgame/bankcache.py)"
    if "/quizgame/" in filename:
        return "quizgame/" + filename.split("/quizgame/", 1)[1].split("/", 1)[0]
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if filename.startswith("<frozen importlib"):
        return "importing (code objects, module bodies)"
    return "standard library and the rest"


def breakdown_one(which: str, saves: Path) -> None:
    """Child process: play, then print tracemalloc totals by package, one line each."""
    tracemalloc.start()

    async def then() -> None:
        gc.collect()
        from textual.strip import Strip

        by: collections.Counter[str] = collections.Counter()
        for stat in tracemalloc.take_snapshot().statistics("filename"):
            by[_where(stat.traceback[0].filename)] += stat.size
        strips = sum(isinstance(o, Strip) for o in gc.get_objects())
        for where, size in by.most_common():
            print(f"{where}\t{size}")
        print(f"Strips alive\t{strips}")

    if which == "bare":
        asyncio.run(play_bare(then))
    else:
        asyncio.run(play_game(saves, "Probe", then))


def breakdown(tmp: Path) -> None:
    saves = tmp / "saves"
    warm_cache(saves)
    tables = {}
    for which in ("game", "bare"):
        done = subprocess.run([sys.executable, __file__, "--child-breakdown", which, "--saves", str(saves)],
                              capture_output=True, text=True, check=True, cwd=ROOT, timeout=300)
        tables[which] = {k: int(v) for k, v in (line.split("\t") for line in done.stdout.splitlines() if "\t" in line)}
    game, bare = tables["game"], tables["bare"]
    strips = (game.pop("Strips alive"), bare.pop("Strips alive"))
    print(f"Python objects after a {QUESTIONS}-question round (tracemalloc, MB): game / bare app / difference")
    for where in sorted(set(game) | set(bare), key=lambda w: -(game.get(w, 0) - bare.get(w, 0))):
        g, b = game.get(where, 0), bare.get(where, 0)
        if max(g, b) >= 20_000:
            print(f"  {where:42s} {g / 1e6:6.2f} {b / 1e6:6.2f} {(g - b) / 1e6:+6.2f}")
    print(f"  {'total':42s} {sum(game.values()) / 1e6:6.2f} {sum(bare.values()) / 1e6:6.2f} "
          f"{(sum(game.values()) - sum(bare.values())) / 1e6:+6.2f}")
    print(f"Textual Strips (cached lines) alive: game {strips[0]}, bare app {strips[1]}")


def fork_run(which: str, sessions: int, preload: bool, saves: Path) -> list[float]:
    """PSS in MB of each of `sessions` children sitting after their round, all alive at once."""
    if preload:
        import_game() if which == "game" else import_bare()
        if which == "game":
            from quizgame.config import load_banks

            load_banks(saves, None)
        gc.collect()
        gc.freeze()
    children: list[tuple[int, int]] = []
    for i in range(sessions):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: play, say so, and wait to be measured and killed
            os.close(read)

            async def then() -> None:
                os.write(write, b".")
                await asyncio.sleep(3600)
            try:
                asyncio.run(play_bare(then) if which == "bare" else
                            play_game(saves, f"Fork{'P' if preload else 'N'}{i:02d}", then,
                                      lambda: os.write(write, b"m")))
            except BaseException as error:  # noqa: BLE001 - said, then the parent sees the pipe close
                print(f"session {i}: {error!r}", file=sys.stderr, flush=True)
            finally:
                os._exit(0)
        os.close(write)
        children.append((pid, read))
        # Players join one at a time (each reaches the section map before the next starts), so
        # that ten games do not start on two cores at once; then they all play at once.
        if which == "game" and os.read(read, 1) != b"m":
            raise RuntimeError(f"session {i} did not reach the section map")
    try:
        for _, read in children:
            if os.read(read, 1) != b".":
                raise RuntimeError("a session ended before its round did")
        time.sleep(0.5)
        return [pss_kib(pid) / 1024 for pid, _ in children]
    finally:
        for pid, read in children:
            os.close(read)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def fork(tmp: Path, sessions: int) -> None:
    saves = tmp / "saves"
    warm_cache(saves)
    print(f"PSS per session after a round, {sessions} sessions alive at once (median, MB): game / bare app = ratio")
    for preload in (False, True):
        medians = {}
        for which in ("game", "bare"):
            done = subprocess.run([sys.executable, __file__, "--child-fork", which, "--saves", str(saves),
                                   "--sessions", str(sessions)] + (["--preload"] if preload else []),
                                  capture_output=True, text=True, check=True, cwd=ROOT, timeout=600)
            medians[which] = float(done.stdout.split()[-1])
        how = "forked from a parent that imported everything, gc.freeze()" if preload else \
            "each session imports for itself (as served today)"
        print(f"  {how}: {medians['game']:.1f} / {medians['bare']:.1f} = {medians['game'] / medians['bare']:.2f}×")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", choices=["breakdown", "fork"], default="breakdown")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--child-breakdown", choices=["game", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--child-fork", choices=["game", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--preload", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--saves", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_breakdown:
        breakdown_one(args.child_breakdown, Path(args.saves))
        return 0
    if args.child_fork:
        print(statistics.median(fork_run(args.child_fork, args.sessions, args.preload, Path(args.saves))))
        return 0
    with tempfile.TemporaryDirectory(prefix="quizgame-session-memory-") as folder:
        tmp = Path(folder)
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")  # inherited by every child
        print(f"load average {os.getloadavg()[0]:.2f}")
        breakdown(tmp) if args.what == "breakdown" else fork(tmp, args.sessions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
