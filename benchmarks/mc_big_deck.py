"""Multiple choice on big imported decks: CPU of the first multiple-choice round.

    .venv/bin/python benchmarks/mc_big_deck.py [--cards 30000] [--small 1000] [--runs 3] [--baseline DIR]

Imports two seeded synthetic Anki decks (benchmarks/import_deck.py's generator: no hand-written
distractors, so every option is generated) and times `plan_round(bank, Progress(), "mc")` on
each, every run in a fresh process (caches cold), the two decks alternately:

- first mc round: what a fresh process pays, the grader's bank index included when the bank is
  small enough to have one (a 1,000-card deck builds it on the first grade; 30,000 cards are over
  the grader's FIELD_LIMIT and have none);
- mc round, grader prepared: the grader's index built first (the game does that off the UI
  thread), the loaded bank frozen out of the garbage collector's reach (as the game's bank
  cache does: otherwise a full collection over a 30,000-question bank, about 0.2 s, lands in
  whichever round allocates enough first) and a recall round of the same seed played first, so
  what is left is the generated options alone (the recall round, the round planner's own cost,
  is printed too).

Targets (issue 11, multiple choice on big decks): first round on the big deck ≤ 0.5 s of CPU, and
≤ 2× the small deck's. `--baseline DIR` also times another checkout's `quizgame` package (a
folder holding it, e.g. from `git archive <commit> quizgame | tar -x -C DIR`), alternating with
this one.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from import_deck import quizgame, write_deck  # noqa: E402

FIRST_ROUND_TARGET = 0.5  # s of CPU, issue 11
RATIO_TARGET = 2.0        # big deck's first round / small deck's

PROBE = """
import gc, sys, time
from quizgame.core import grading
from quizgame.core.bank import load_bank
from quizgame.core.progress import Progress
from quizgame.core.rounds import plan_round
bank = load_bank(sys.argv[1])
if sys.argv[2] == "prepared":
    grading.prepare(bank)
    gc.collect()
    gc.freeze()
    t = time.process_time(); plan_round(bank, Progress(), "recall", seed="1"); recall = time.process_time() - t
else:
    recall = 0.0
t = time.process_time(); plan_round(bank, Progress(), "mc", seed="1"); mc = time.process_time() - t
print(recall, mc)
"""


def probe(package: Path, bank: Path, how: str) -> tuple[float, float]:
    # Run from the package's folder so that its `quizgame` is the one imported.
    env = {**os.environ, "PYTHONPATH": str(package)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(bank), how], cwd=package, env=env,
                          capture_output=True, text=True, timeout=600, check=True)
    recall, mc = done.stdout.split()
    return float(recall), float(mc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=30000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a folder holding another version's quizgame package")
    args = parser.parse_args()
    packages = {"this": HERE.parent}
    if args.baseline:
        packages = {"baseline": args.baseline.resolve(), **packages}
    with tempfile.TemporaryDirectory(prefix="quizgame-mc-bench-") as tmp:
        banks = {}
        for cards in (args.small, args.cards):
            deck, out = Path(tmp) / f"deck-{cards}.txt", Path(tmp) / f"bank-{cards}.toml"
            write_deck(deck, cards)
            subprocess.run([quizgame(), "import", str(deck), "--out", str(out), "--force"],
                           capture_output=True, check=True, timeout=600)
            banks[cards] = out
        times: dict[tuple[str, int, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for name, package in packages.items():
                for cards, bank in banks.items():
                    for how in ("first", "prepared"):
                        times.setdefault((name, cards, how), []).append(probe(package, bank, how))
    print(f"First multiple-choice round, CPU seconds, median of {args.runs} fresh processes "
          f"(load average {os.getloadavg()[0]:.1f} at the end):")
    for name in packages:
        for cards in banks:
            first = statistics.median(mc for _, mc in times[(name, cards, "first")])
            prepared = statistics.median(mc for _, mc in times[(name, cards, "prepared")])
            recall = statistics.median(r for r, _ in times[(name, cards, "prepared")])
            print(f"  {name:>8} {cards:>6} cards: first mc round {first:.3f} s; grader prepared: "
                  f"mc round {prepared:.3f} s (after a recall round of {recall:.3f} s)")
        big = statistics.median(mc for _, mc in times[(name, args.cards, "first")])
        small = statistics.median(mc for _, mc in times[(name, args.small, "first")])
        big_p = statistics.median(mc for _, mc in times[(name, args.cards, "prepared")])
        small_p = statistics.median(mc for _, mc in times[(name, args.small, "prepared")])
        print(f"  {name:>8} big / small: first round {big / small:.2f}×, grader prepared {big_p / small_p:.2f}× "
              f"(targets: {FIRST_ROUND_TARGET} s, {RATIO_TARGET:g}×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
