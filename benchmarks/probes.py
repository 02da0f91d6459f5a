"""In-process measurements, each run by benchmarks/run.py in a fresh python process.

    python benchmarks/probes.py bank FOLDER [--samples 200] [--plans 20] [--answered 5000]
    python benchmarks/probes.py record PLAYER SAVE [SAVE...] [--times N]
    python benchmarks/probes.py startup [--bank B] [--save-dir S]  # quizgame's start-up, step by step
    python benchmarks/probes.py profile-load FOLDER        # cProfile of load_bank, top functions
    python benchmarks/probes.py profile-plan FOLDER        # plan_round(weak): scaling, and cProfile
    python benchmarks/probes.py profile-answer SAVE        # headless round: cProfile of pressing "1"
    python benchmarks/probes.py profile-record SAVE PLAYER # cProfile of record_answer

Each prints one JSON object on stdout (times in seconds).
"""
from __future__ import annotations

import time

_T0 = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402
from datetime import datetime, timedelta, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _progress_with(bank, answered: int, rng: random.Random):
    """A Progress with 1-3 answers (about 75% correct) on each of the bank's first `answered` questions."""
    from quizgame.core.progress import Progress

    progress = Progress()
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    tiers = {s.id: s.tier for s in bank.sections}
    for q in bank.questions[:answered]:
        for _ in range(rng.choice((1, 1, 2, 3))):
            at += timedelta(seconds=30)
            correct = rng.random() < 0.75
            progress.apply({"type": "answer", "id": uuid.UUID(int=rng.getrandbits(128)).hex, "question": q.id,
                            "section": q.section, "tier": tiers[q.section], "kind": "mc", "mode": "mc",
                            "round": "r", "verdict": "correct" if correct else "wrong",
                            "score": 1.0 if correct else 0.0, "at": at.isoformat(timespec="seconds"),
                            "text": q.option})
    return progress


def bank_probe(args) -> dict:
    t_import = time.perf_counter()
    from quizgame.core.bank import load_bank
    from quizgame.core.choices import multiple_choice
    from quizgame.core.rounds import plan_round
    from quizgame.core.stats import unlocked_sections

    imported = time.perf_counter()
    bank = load_bank(args.folder)
    loaded = time.perf_counter()
    first = multiple_choice(bank.questions[0], bank, seed=1)
    built = time.perf_counter()
    assert len(first.options) == 4
    out = {"questions": len(bank.questions), "sections": len(bank.sections),
           "startup_and_imports": imported - _T0, "imports": imported - t_import,
           "load": loaded - imported, "first_mc": built - loaded, "load_and_first_mc": built - imported}

    rng = random.Random(args.seed)
    mc = []
    for q in rng.sample(bank.questions, min(args.samples, len(bank.questions))):
        t = time.perf_counter()
        multiple_choice(q, bank, seed=rng.randrange(1 << 30))
        mc.append(time.perf_counter() - t)
    out["mc"] = mc

    progress = _progress_with(bank, args.answered, rng)
    out["answered_questions"] = len(progress.questions)
    out["weak_pool"] = sum(len(s.questions) for s in unlocked_sections(bank, progress))
    plans = []
    spent = 0.0
    for i in range(args.plans):
        if len(plans) >= 3 and spent > args.plan_budget:
            break  # far over any target already: three samples say enough, and the run stays short
        t = time.perf_counter()
        plan = plan_round(bank, progress, mode="weak", size=10, seed=i)
        plans.append(time.perf_counter() - t)
        spent += plans[-1]
        assert len(plan.items) == 10
    out["plan_weak"] = plans
    if not args.cached:
        return out

    try:  # the game's validated-bank cache, where this version of quizgame has one
        import tempfile

        from quizgame.bankcache import load_bank_cached
    except ImportError:
        return out
    with tempfile.TemporaryDirectory(prefix="qgb-cache-") as cache:
        t = time.perf_counter()
        load_bank_cached(args.folder, folder=Path(cache))
        out["cached_load_cold"] = time.perf_counter() - t
        warm = []
        for _ in range(2):
            t = time.perf_counter()
            load_bank_cached(args.folder, folder=Path(cache))
            warm.append(time.perf_counter() - t)
        out["cached_load_warm"] = statistics.median(warm)
    return out


def _answer_event(bank, rng: random.Random) -> dict:
    q = rng.choice(bank.questions)
    correct = rng.random() < 0.75
    return {"type": "answer", "id": uuid.uuid4().hex, "question": q.id, "section": q.section,
            "tier": bank.section_of(q).tier, "kind": "mc", "mode": "mc", "round": "bench",
            "verdict": "correct" if correct else "wrong", "score": 1.0 if correct else 0.0,
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "text": q.option}


def record_probe(args) -> dict:
    """Record answers for one player in each save, round-robin (A B C A B C ...), so that the
    disk getting busier or quieter during the probe affects every history size alike."""
    from quizgame.core.bank import load_bank
    from quizgame.store.tinydb_store import TinyDBStore

    bank = load_bank(args.bank) if args.bank else load_bank()
    out = {}
    stores = {}
    for save in args.saves:
        t = time.perf_counter()
        stores[save] = TinyDBStore(save)
        out[save] = {"open": time.perf_counter() - t, "record": [],
                     "history": stores[save].progress(args.player, bank.id).answers}
    rng = random.Random(5)
    if args.times == 0:  # one whole log chunk: a record costs more as the current chunk fills up
        from quizgame.store import tinydb_store

        args.times = getattr(tinydb_store, "LOG_CHUNK", 250)
    import os

    fsync = []
    scratch = Path(args.saves[0]) / ".fsync-probe"
    for _ in range(args.times):
        for save, store in stores.items():
            event = _answer_event(bank, rng)
            t = time.perf_counter()
            store.record_answer(args.player, bank.id, event)
            out[save]["record"].append(time.perf_counter() - t)
        # The disk's floor in the same rounds: one 4 KB write and its fsync.
        t = time.perf_counter()
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.write(fd, b"x" * 4096)
        os.fsync(fd)
        os.close(fd)
        fsync.append(time.perf_counter() - t)
    scratch.unlink()
    for save, store in stores.items():
        after = store.progress(args.player, bank.id).answers
        assert after == out[save]["history"] + args.times, (save, after)
    return {"saves": out, "fsync": fsync}


def _profile(call, top: int) -> str:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats("cumulative").print_stats(top)
    lines = [l for l in stream.getvalue().splitlines() if l.strip()]
    start = next(i for i, l in enumerate(lines) if l.lstrip().startswith("ncalls"))
    return "\n".join(lines[start:])


def profile_load(args) -> dict:
    from quizgame.core.bank import load_bank

    return {"profile": _profile(lambda: load_bank(args.folder), args.top)}


def profile_plan(args) -> dict:
    """How plan_round(weak) scales with the answered questions, and a profile of one call."""
    from quizgame.core.bank import load_bank
    from quizgame.core.rounds import plan_round

    bank = load_bank(args.folder)
    scaling = {}
    for answered in (250, 500, 1000, 2000):
        progress = _progress_with(bank, answered, random.Random(answered))
        t = time.perf_counter()
        plan_round(bank, progress, mode="weak", size=10, seed=1)
        scaling[answered] = time.perf_counter() - t
    progress = _progress_with(bank, 1000, random.Random(1))
    return {"scaling": scaling,
            "profile": _profile(lambda: plan_round(bank, progress, mode="weak", size=10, seed=1), args.top)}


def profile_answer(args) -> dict:
    """Play a round headless (Textual's run_test) and profile what pressing "1" costs in the app:
    the handler (judge, save the answer, build the feedback) and the layout and render after it."""
    import asyncio
    import cProfile
    import io
    import pstats

    from quizgame.config import load_banks, save_dir
    from quizgame.store.tinydb_store import TinyDBStore
    from quizgame.ui.app import QuizApp

    saves = save_dir(args.save)
    banks, _ = load_banks(saves, None)
    store = TinyDBStore(saves)
    player = store.find_player("Bench") or store.add_player("Bench")
    start = {"player": player, "mode": "mc", "section": None, "size": 30, "seed": "1"}
    profiler = cProfile.Profile()
    walls, saves_t = [], []
    original = store.record_answer

    def timed_record(*a, **k):
        t = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            saves_t.append(time.perf_counter() - t)

    store.record_answer = timed_record

    async def play():
        app = QuizApp(banks=banks, store=store, start=start, notices=[])
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for _ in range(args.answers):
                t = time.perf_counter()
                profiler.enable()
                await pilot.press("1")
                await pilot.pause()
                profiler.disable()
                walls.append(time.perf_counter() - t)
                await pilot.press("enter")
                await pilot.pause()

    asyncio.run(play())
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(r"quizgame", args.top)
    lines = [l for l in stream.getvalue().splitlines() if l.strip()]
    first = next(i for i, l in enumerate(lines) if l.lstrip().startswith("ncalls"))
    total = sum(v[2] for v in stats.stats.values())  # all own time, i.e. the profiled time
    return {"answers": len(walls), "wall": walls, "record": saves_t, "profiled": total,
            "profile": "\n".join(lines[first:])}


def profile_record(args) -> dict:
    from quizgame.core.bank import load_bank
    from quizgame.store.tinydb_store import TinyDBStore

    bank = load_bank()
    store = TinyDBStore(args.save)
    rng = random.Random(9)

    def record_some():
        for _ in range(10):
            store.record_answer(args.player, bank.id, _answer_event(bank, rng))

    return {"profile": _profile(record_some, args.top)}


def startup_probe(args) -> dict:
    """The steps `quizgame [--bank B] --save-dir S` takes before Textual starts, timed in order."""
    steps = {"python start-up to this probe's first line": 0.0}
    t = time.perf_counter()

    def step(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        steps[name] = now - t
        t = now

    if args.bare:  # what the bare Textual app imports, for comparison
        from textual.app import App  # noqa: F401
        from textual.widgets import Footer, Header, Static  # noqa: F401

        step("import textual.app and Header, Static, Footer")
        del steps["python start-up to this probe's first line"]
        return steps
    import quizgame.cli  # noqa: F401
    step("import quizgame.cli")
    from quizgame.config import load_banks, save_dir

    saves = save_dir(args.save_dir)
    banks, _ = load_banks(saves, args.bank)
    step(f"load_banks ({len(banks[0].questions):,} questions)")
    from quizgame.store.tinydb_store import TinyDBStore

    step("import the store (tinydb)")
    store = TinyDBStore(saves)
    step("open the store (checks every save file)")
    players = store.players()
    step(f"list the players ({len(players)})")
    import quizgame.ui.app  # noqa: F401

    step("import the UI (textual and the screens)")
    del steps["python start-up to this probe's first line"]
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    bank = commands.add_parser("bank")
    bank.add_argument("folder")
    bank.add_argument("--samples", type=int, default=200)
    bank.add_argument("--plans", type=int, default=20)
    bank.add_argument("--answered", type=int, default=5000)
    bank.add_argument("--seed", type=int, default=3)
    bank.add_argument("--plan-budget", type=float, default=5.0, help="stop planning after this many seconds")
    bank.add_argument("--cached", action="store_true", help="also time quizgame.bankcache, cold and warm")
    record = commands.add_parser("record")
    record.add_argument("player")
    record.add_argument("saves", nargs="+")
    record.add_argument("--times", type=int, default=0, help="answers per save (default: one log chunk)")
    record.add_argument("--bank")
    pl = commands.add_parser("profile-load")
    pl.add_argument("folder")
    pl.add_argument("--top", type=int, default=14)
    pp = commands.add_parser("profile-plan")
    pp.add_argument("folder")
    pp.add_argument("--top", type=int, default=14)
    pa = commands.add_parser("profile-answer")
    pa.add_argument("save")
    pa.add_argument("--answers", type=int, default=8)
    pa.add_argument("--top", type=int, default=16)
    pr = commands.add_parser("profile-record")
    pr.add_argument("save")
    pr.add_argument("player")
    pr.add_argument("--top", type=int, default=14)
    st = commands.add_parser("startup")
    st.add_argument("--save-dir")
    st.add_argument("--bank")
    st.add_argument("--bare", action="store_true", help="time only what the bare Textual app imports")
    args = parser.parse_args()
    run = {"startup": startup_probe, "bank": bank_probe, "record": record_probe, "profile-load": profile_load, "profile-plan": profile_plan, "profile-answer": profile_answer,
           "profile-record": profile_record}[args.command]
    print(json.dumps(run(args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
