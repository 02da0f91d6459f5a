"""Grading latency on a large imported bank: the median and p95 per answer, and the first answer.

    python benchmarks/grading_latency.py [--questions 5000] [--answers 2000]

A synthetic CSV bank (benchmarks/synth.py's vocabulary: prompt ~12 words, answer ~50) is
imported through quizgame's importer, so its key ideas are derived and the learned scorer
grades. Answers are drawn from the references (shuffled halves, other questions' answers, a
few words): what players type. "first answer" is the first grade() call of the process on
that bank, index building included (the round screen starts that build in the background).
"""
from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

from quizgame.core.bank import load_bank  # noqa: E402
from quizgame.bankwrite import write_bank  # noqa: E402
from quizgame.core.importers import import_bank  # noqa: E402
from quizgame.core.model import Question  # noqa: E402


def make_csv(path: Path, questions: int, seed: int) -> None:
    rng = random.Random(seed)
    words = synth._vocabulary(rng, 6000)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["question", "answer"])
        for i in range(questions):
            writer.writerow([f"Q{i}: " + synth._sentence(rng, words, 12) + "?", synth._sentence(rng, words, 50)])


def synthetic_answers(questions: list[Question], count: int, rng: random.Random) -> list[tuple[Question, str]]:
    """Answers of three kinds: half of the reference's words shuffled (half the answers),
    another question's reference (three in ten), the reference's first four words (the rest)."""
    cases = []
    for _ in range(count):
        q = rng.choice(questions)
        kind = rng.random()
        words = q.answer.split()
        if kind < 0.5:
            rng.shuffle(words)
            text = " ".join(words[: len(words) // 2])
        elif kind < 0.8:
            text = rng.choice(questions).answer
        else:
            text = " ".join(words[:4])
        cases.append((q, text))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizgame-latency-") as tmp:
        source = Path(tmp) / "big.csv"
        make_csv(source, args.questions, 5)
        started = time.perf_counter()
        result = import_bank(source, "csv")
        target = write_bank(result.toml, Path(tmp) / "big.toml", check_toml=result.check_toml)
        imported = time.perf_counter() - started
        bank = load_bank(target)

    from quizgame.core.grading import grade

    rng = random.Random(9)
    questions = list(bank.questions)
    first_q = rng.choice(questions)
    started = time.perf_counter()
    grade(first_q, " ".join(first_q.answer.split()[:20]), bank)
    first = time.perf_counter() - started
    times = []
    for q, text in synthetic_answers(questions, args.answers, rng):
        t = time.perf_counter()
        grade(q, text, bank)
        times.append(time.perf_counter() - t)
    times.sort()
    p95 = times[int(0.95 * len(times)) - 1]
    print(f"bank: {len(questions)} questions (import {imported:.1f} s)")
    print(f"first answer: {1000 * first:.1f} ms (index built on the way)")
    print(f"per answer over {len(times)}: median {1000 * statistics.median(times):.2f} ms, "
          f"p95 {1000 * p95:.2f} ms, max {1000 * times[-1]:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
