"""How long the review queue takes to build for a player with a long history.

    .venv/bin/python benchmarks/review_queue.py [--answers 100000] [--runs 20]

Writes (with synth.py) one player with 100,000 answers on the shipped bank (65 questions) and
on a synthetic 20,000-question bank (both loaded through the bank cache, as the game loads them),
then times, in this process, what the map and `v` do:
read the player's progress from the saves and build the review queue (due today, least likely
recalled first), in a running game (the store reads only what changed) and opening the saves
anew (a new process). Goal: at most 50 ms (issue 13). Also reports the one-time rebuild of a save
written before FSRS cards (the whole log replayed), which happens once per player and bank.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

GOAL_SECONDS = 0.050


def upgrade(save: Path, bank) -> None:
    """Answer once, as the first answer after an update does: synth.py writes the snapshot as
    quizgame did before card files, and the first answer moves a big bank's cards into them."""
    from quizgame.store.tinydb_store import TinyDBStore

    store = TinyDBStore(save)
    progress = store.progress("Solo", bank.id)
    question = bank.questions[0]
    store.record_answer("Solo", bank.id, {
        "type": "answer", "id": "upgrade", "question": question.id, "section": question.section, "tier": 1,
        "kind": "recall", "mode": "recall", "verdict": "correct", "score": 1.0,
        "at": max(c["last_review"] for c in progress.cards.values()), "text": "typed"})


def measure(save: Path, bank, runs: int, cold: bool) -> dict:
    """With `cold`, each run opens the saves anew (a new process, or after another one wrote);
    else one store reads again and again, as a running game does (it reads only what changed)."""
    from quizgame.core import study
    from quizgame.store.tinydb_store import TinyDBStore

    store = TinyDBStore(save)
    progress = store.progress("Solo", bank.id)
    now = datetime.fromisoformat(max(c["last_review"] for c in progress.cards.values())) + (
        datetime(2000, 1, 8, tzinfo=timezone.utc) - datetime(2000, 1, 1, tzinfo=timezone.utc))
    load, queue_times, cpu, build_cpu = [], [], [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        if cold:
            store = TinyDBStore(save)
        progress = store.progress("Solo", bank.id)
        loaded, loaded_cpu = time.perf_counter(), time.process_time()
        queue = study.review_selection(bank, progress, now, 10)
        due = study.due_count(bank, progress, now)
        end = time.perf_counter()
        cpu.append(time.process_time() - start_cpu)
        build_cpu.append(time.process_time() - loaded_cpu)
        load.append(loaded - start)
        queue_times.append(end - loaded)
    return {"answers": progress.answers, "cards": len(progress.cards), "due": due, "queue": len(queue),
            "load": statistics.median(load), "build": statistics.median(queue_times),
            "median": statistics.median(a + b for a, b in zip(load, queue_times, strict=True)),
            "cpu": statistics.median(cpu), "build_cpu": statistics.median(build_cpu)}


def rebuild(save: Path, bank) -> float:
    """Make the snapshot look like one from before FSRS cards, then time the first load."""
    from quizgame.store.tinydb_store import TinyDBStore

    path = next((save / "players").glob(f"*/progress-{bank.id}.json"))
    doc = json.loads(path.read_text(encoding="utf-8"))
    snap = doc["progress"]["1"]
    for key in ("version", "cards", "legacy_correct", "card_files"):
        snap.pop(key, None)
    doc["_meta"]["1"]["schema"] = 1
    path.write_text(json.dumps(doc), encoding="utf-8")
    store = TinyDBStore(save)
    start = time.perf_counter()
    store.progress("Solo", bank.id)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import synth

    from quizgame.bankcache import load_bank_cached

    started = time.perf_counter()
    sum(range(1_000_000))
    print(f"machine check: sum(range(10**6)) took {(time.perf_counter() - started) * 1000:.0f} ms "
          "(about 10-15 ms on an idle core)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synth.write_bank(root / "bank", questions=20_000, sections=50)
        # Banks come through the bank cache, as the game loads them (a cached bank is frozen out of
        # the garbage collector's scans, which a 20,000-question bank would otherwise slow).
        cache = root / "cache"
        load_bank_cached(root / "bank", folder=cache)
        for label, bank in (("shipped bank (65 questions)", load_bank_cached(None, folder=cache)),
                            ("synthetic bank (20,000 questions)", load_bank_cached(root / "bank", folder=cache))):
            save = root / f"save-{bank.id}"
            synth.write_history(save, bank, ["Solo"], args.answers)
            upgrade(save, bank)
            for how, cold in (("in a running game", False), ("opening the saves anew (a new process)", True)):
                r = measure(save, bank, args.runs, cold)
                passed = r["median"] <= GOAL_SECONDS
                ok = ok and (passed or cold)
                print(f"{label}: {r['answers']:,} answers, {r['cards']:,} cards, {r['due']:,} due a week later, "
                      f"{how}")
                print(f"  median of {args.runs} runs: read progress {r['load'] * 1000:.1f} ms + build the queue "
                      f"{r['build'] * 1000:.1f} ms = {r['median'] * 1000:.1f} ms wall, {r['cpu'] * 1000:.1f} ms CPU "
                      f"(of which building the queue {r['build_cpu'] * 1000:.1f} ms) "
                      f"(goal ≤ {GOAL_SECONDS * 1000:.0f} ms: {'ok' if passed else 'MISSED'})")
            print(f"  one-time rebuild of a pre-FSRS save (whole log replayed): {rebuild(save, bank):.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
