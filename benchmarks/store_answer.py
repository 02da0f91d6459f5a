"""What recording one answer costs the store, for a long history on a big bank and on the shipped one.

    .venv/bin/python benchmarks/store_answer.py [--answers 40] [--pairs 2] [--before DIR]

Writes (with synth.py) a synthetic 20,000-question bank with one player, Solo, who has 100,000
answers on it (19,913 FSRS cards), in the layout the store wrote before card files (one progress
file); and the shipped bank (65 questions) with a player of 2,000 answers. Then child processes,
each on its own copy of those saves, call TinyDBStore.record_answer (what the game does after
judging an answer) and time its CPU (time.process_time):

- big bank: Solo and a new player on the same bank, answer by answer in turn (issue 11: an
  answer is recorded as fast as on a small history; target Solo ≤ 1.2× the new player);
- shipped bank: the player with 2,000 answers (issue 12's CPU per key counts this; 3.7 ms before).

Each child's first answer on a player reads the saves cold (and, with card files, moves Solo's
old snapshot into them once); it is reported apart, and the medians are of the answers after it.
With --before DIR (a folder holding another version's `quizgame` package, e.g. from
`git archive <commit> quizgame | tar -x -C DIR`), children of that version run alternately with
this one's, so that both see the same machine load.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
if "--child" not in sys.argv:  # a child imports quizgame from its PYTHONPATH (--before), else the install
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))

GOAL_RATIO = 1.2  # issue 11: "records an answer as fast as on the shipped bank"; 20% for noise


def _event(rng: random.Random, question: str, tier: int, at: datetime) -> dict:
    verdict = "correct" if rng.random() < 0.75 else "wrong"
    return {"type": "answer", "id": uuid.UUID(int=rng.getrandbits(128), version=4).hex, "question": question,
            "section": "s", "tier": tier, "kind": "recall", "mode": "recall", "round": "bench",
            "verdict": verdict, "score": 1.0 if verdict == "correct" else 0.0, "seconds": 12.0,
            "at": at.isoformat(timespec="seconds"), "text": "typed"}


def child(spec_path: str) -> None:
    """Record answers as described in the spec; print the CPU seconds of each as JSON."""
    from quizgame.store.tinydb_store import TinyDBStore

    spec = json.loads(Path(spec_path).read_text())
    rng = random.Random(spec["seed"])
    at = datetime.fromisoformat(spec["at"])
    out: dict[str, list[float]] = {}
    stores = {save: TinyDBStore(save) for save in {run["save"] for run in spec["runs"]}}
    for run in spec["runs"]:
        stores[run["save"]].ensure_player(run["player"])
    for _ in range(spec["answers"]):
        for run in spec["runs"]:  # in turn, answer by answer
            question, tier = rng.choice(spec["questions"][run["bank"]])
            at += timedelta(seconds=30)
            event = _event(rng, question, tier, at)
            start = time.process_time()
            stores[run["save"]].record_answer(run["player"], run["bank"], event)
            out.setdefault(run["label"], []).append(time.process_time() - start)
    print(json.dumps({"file": __import__("quizgame.store.tinydb_store").store.tinydb_store.__file__, "cpu": out}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=40, help="answers per player and child")
    parser.add_argument("--pairs", type=int, default=2, help="children of each version, alternating")
    parser.add_argument("--before", type=Path, help="a folder holding another version's quizgame package")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0

    import synth

    from quizgame.bankcache import load_bank_cached

    print(f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synth.write_bank(root / "bank", questions=20_000, sections=50)
        cache = root / "cache"
        big, shipped = load_bank_cached(root / "bank", folder=cache), load_bank_cached(None, folder=cache)
        started = time.perf_counter()
        synth.write_history(root / "save-big", big, ["Solo"], 100_000)
        synth.write_history(root / "save-shipped", shipped, ["Ship"], 2_000)
        print(f"saves written in {time.perf_counter() - started:.0f} s")
        tiers = {b.id: {s.id: s.tier for s in b.sections} for b in (big, shipped)}
        questions = {b.id: [(q.id, tiers[b.id][q.section]) for q in b.questions] for b in (big, shipped)}
        versions = [("after", None)] + ([("before", args.before)] if args.before else [])
        results: dict[str, dict[str, list[float]]] = {}
        first: dict[str, dict[str, list[float]]] = {}
        for n in range(args.pairs):
            for version, path in (versions if n % 2 == 0 else versions[::-1]):
                work = root / f"{version}-{n}"
                shutil.copytree(root / "save-big", work / "big")
                shutil.copytree(root / "save-shipped", work / "shipped")
                spec = {"seed": n, "answers": args.answers, "at": "2025-09-01T09:00:00+00:00", "questions": questions,
                        "runs": [{"label": "big bank, Solo (19,913 cards)", "save": str(work / "big"),
                                  "player": "Solo", "bank": big.id},
                                 {"label": "big bank, a new player", "save": str(work / "big"),
                                  "player": f"New{n}", "bank": big.id},
                                 {"label": "shipped bank, 2,000 answers", "save": str(work / "shipped"),
                                  "player": "Ship", "bank": shipped.id}]}
                (work / "spec.json").write_text(json.dumps(spec))
                env = dict(os.environ)
                if path is not None:
                    env["PYTHONPATH"] = str(path)
                done = subprocess.run([sys.executable, __file__, "--child", str(work / "spec.json")], env=env,
                                      capture_output=True, text=True, check=True)
                report = json.loads(done.stdout.strip().splitlines()[-1])
                print(f"  {version} child {n}: {report['file']} (load average {os.getloadavg()[0]:.1f})")
                for label, cpu in report["cpu"].items():
                    results.setdefault(version, {}).setdefault(label, []).extend(cpu[1:])
                    first.setdefault(version, {}).setdefault(label, []).append(cpu[0])
                shutil.rmtree(work)
    ok = True
    for version in results:
        print(f"{version}: CPU per record_answer (the first answer of each child, cold, apart)")
        for label, cpu in results[version].items():
            colds = ", ".join(f"{c * 1000:.0f}" for c in first[version][label])
            p95 = statistics.quantiles(cpu, n=20)[-1]
            print(f"  {label}: median {statistics.median(cpu) * 1000:.2f} ms, mean {statistics.mean(cpu) * 1000:.2f}, "
                  f"p95 {p95 * 1000:.2f}, max {max(cpu) * 1000:.1f} (n={len(cpu)}; first: {colds} ms)")
        mine = results[version]
        ratio = statistics.median(mine["big bank, Solo (19,913 cards)"]) / statistics.median(
            mine["big bank, a new player"])
        passed = ratio <= GOAL_RATIO
        ok = ok and (passed or version != "after")
        print(f"  Solo ÷ new player: {ratio:.2f}× (goal ≤ {GOAL_RATIO}×: {'ok' if passed else 'MISSED'})")
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
