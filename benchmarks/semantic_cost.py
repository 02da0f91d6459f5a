"""What the optional semantic extra costs: load time, memory, and grading latency with it on and off.

    python benchmarks/semantic_cost.py [--questions 5000] [--answers 2000]

Needs `pip install -e '.[semantic]'`.
- load: a fresh interpreter that has imported quizgame and graded one answer calls
  quizgame.semantic.enable() (imports numpy and tokenizers, reads the 16 MB model); its wall
  time, and the process's resident memory before and after (VmRSS), median of 3 runs.
- latency: benchmarks/grading_latency.py's synthetic imported bank (5,000 questions, key ideas
  derived, so the scorer decides); each answer is graded with the extra off and on, in
  alternating order, so that the machine's load hits both alike. The synthetic words are not
  English, so they split into more tokens than real answers: an upper bound on the extra's cost.
- latency on real answers: the same alternation over the student answers of the SemEval-2013
  training split (both corpora imported as banks, as benchmarks/asag.py does; the test splits
  are never read).
- first answer: the game, headless (Textual's run_test, 100x32, the test suite's mini bank), opens
  a recall round at once (as `quizgame play` does) or after 3 s on the title screen (a player
  typing a name), and the player sends an answer right away or 2 s later (a fresh process each
  time, extra on and off alternating): the time from Enter to the verdict. The grader never
  waits for the model, but loading it holds Python's GIL now and then (the tokenizer's file is
  parsed in one call), so an answer sent while it loads waits.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import asag  # noqa: E402
import grading_latency  # noqa: E402

from quizgame.bankwrite import write_bank  # noqa: E402
from quizgame.core.bank import load_bank  # noqa: E402
from quizgame.core.importers import import_bank  # noqa: E402
from quizgame.core.model import Bank, Question  # noqa: E402

LOAD = """
import json, time
import quizgame
q = quizgame.load_bank().questions[0]
quizgame.grade(q, q.answer)
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
before = rss()
t = time.perf_counter()
from quizgame.semantic import enable
on = enable()
print(json.dumps({"on": on, "seconds": time.perf_counter() - t, "before": before, "after": rss()}))
"""


FIRST = """
import asyncio, sys, time
from tests.ui.helpers import make_app, open_round, wait_for

async def main(title, delay):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await asyncio.sleep(title)
        await open_round(pilot, "Ana", ["b-dropout"], "recall")
        app.screen.query_one("#answer").value = "it randomly zeroes units during training"
        await asyncio.sleep(delay)
        started = time.perf_counter()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.session.outcomes, "the verdict", timeout=30)
        print(time.perf_counter() - started)

asyncio.run(main(float(sys.argv[1]), float(sys.argv[2])))
"""


def first_answer(title: float, delay: float, runs: int = 4) -> dict[str, list[float]]:
    """Enter -> verdict of the first answer of a round opened `title` s after the game started,
    sent `delay` s after the round opened; extra off and on."""
    times: dict[str, list[float]] = {"off": [], "on": []}
    for i in range(2 * runs):
        switch = "on" if i % 2 else "off"
        done = subprocess.run([sys.executable, "-c", FIRST, str(title), str(delay)], capture_output=True, text=True, cwd=ROOT,
                              timeout=120, env={"QUIZGAME_SEMANTIC": "1" if switch == "on" else "0",
                                                "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        times[switch].append(float(done.stdout.strip().splitlines()[-1]))
    return times


def load_cost(runs: int = 3) -> dict[str, float]:
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, cwd=ROOT, timeout=120,
                              env={"QUIZGAME_SEMANTIC": "1", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if not result["on"]:
            raise SystemExit("the semantic extra is not installed: pip install -e '.[semantic]'")
        results.append(result)
    return {key: statistics.median(r[key] for r in results) for key in ("seconds", "before", "after")}


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(share * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=2000)
    args = parser.parse_args()

    load = load_cost()
    print(f"load: {load['seconds']:.2f} s; resident memory {load['before']:.0f} MB -> {load['after']:.0f} MB "
          f"(+{load['after'] - load['before']:.0f} MB), median of 3 fresh processes")
    for title, delay in ((0.0, 0.0), (0.0, 2.0), (3.0, 0.0)):
        times = first_answer(title, delay)
        print(f"first answer of a round opened {title:.0f} s after start, sent {delay:.0f} s after it opens "
              f"(Enter -> verdict, {len(times['on'])} fresh processes each):")
        for switch in ("off", "on"):
            print(f"  extra {switch:<4} median {1000 * statistics.median(times[switch]):.0f} ms, "
                  f"max {1000 * max(times[switch]):.0f} ms")

    with tempfile.TemporaryDirectory(prefix="quizgame-semantic-") as tmp:
        source = Path(tmp) / "big.csv"
        grading_latency.make_csv(source, args.questions, 5)
        result = import_bank(source, "csv")
        bank = load_bank(write_bank(result.toml, Path(tmp) / "big.toml", check_toml=result.check_toml))

    rng = random.Random(9)
    questions = list(bank.questions)
    cases = grading_latency.synthetic_answers(questions, args.answers, rng)
    compare(f"synthetic bank: {len(questions)} questions, {len(cases)} answers", bank, cases)

    for corpus in asag.CORPORA:
        items = asag.read_items(asag.split_dir(corpus, "training"))
        with tempfile.TemporaryDirectory(prefix="quizgame-semantic-") as tmp:
            real, by_key = asag.import_corpus(items, corpus, Path(tmp))
        compare(f"SemEval-2013 training, {corpus}: {len(items)} questions, all answers", real,
                [(by_key[i.key], text) for i in items for text, _ in i.answers])
    return 0


def compare(title: str, bank: Bank, cases: list[tuple[Question, str]]) -> None:
    """Grade each answer with the extra off and on, in alternating order; print both."""
    from quizgame import semantic as extra
    from quizgame.core import grading, semantic

    model = extra.load_model()
    assert model is not None
    grading.prepare(bank)
    off: list[float] = []
    on: list[float] = []
    for i, (q, text) in enumerate(cases):
        order = [(None, off), (model, on)] if i % 2 else [(model, on), (None, off)]
        for installed, times in order:
            semantic.install(installed)
            started = time.perf_counter()
            grading.grade(q, text, bank)
            times.append(time.perf_counter() - started)
    semantic.install(None)
    print(f"{title}; each graded off and on, alternating")
    for name, times in (("extra off", off), ("extra on", on)):
        print(f"  {name:<10} median {1000 * statistics.median(times):.2f} ms, p95 {1000 * percentile(times, 0.95):.2f} ms, "
              f"max {1000 * max(times):.2f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
