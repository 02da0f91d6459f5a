"""Big decks: import a synthetic 30,000-card Anki export, then open the game on it.

    .venv/bin/python benchmarks/import_deck.py [--cards 30000] [--pairs 3] [--out benchmarks/IMPORT.md]
        [--only import|screen|answer ...] [--bank <an imported deck, instead of importing one>]

Measures (issue 11's targets):
1. `quizgame import deck.txt` wall time and CPU time (target ≤ 15 s on this machine's 2 cores);
2. first screen with `--bank <imported deck>` vs the shipped bank, warm bank cache, alternated in
   one run through tmux (target ratio ≤ 1.5);
3. judging and recording one answer (RoundSession.judge + TinyDBStore.record_answer) on the
   imported deck vs the shipped bank, in one process (target: the same, ratio ≈ 1): recall rounds,
   the reference answer typed (the grader runs).
The deck is seeded: prompts ~8–14 words, answers with <b>, <br> and &nbsp; of ~25–50 words,
a deck column (30 subdecks), 200 tags, a third of the cards tagged difficulty::easy/medium/hard.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import termtime as tt  # noqa: E402
from synth import _sentence, _vocabulary  # noqa: E402

SIZE = (120, 40)
TITLE_MARKER = "Who's playing?"
IMPORT_TARGET = 15.0   # seconds, issue 11
SCREEN_TARGET = 1.5    # first screen ratio to the shipped bank, issue 11
ANSWERS = 200          # answers judged and recorded per bank


def write_deck(path: Path, cards: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 6000)
    lines = ["#separator:tab", "#html:true", "#deck column:3", "#tags column:4"]
    for i in range(cards):
        front = _sentence(rng, vocab, rng.randint(8, 14)).capitalize() + "?"
        back = (f"<b>{_sentence(rng, vocab, rng.randint(6, 12))}</b>.<br>"
                f"{_sentence(rng, vocab, rng.randint(15, 40))}.&nbsp;")
        tags = f"t{rng.randint(0, 199)}"
        if i % 3 == 0:
            tags += f" difficulty::{rng.choice(['easy', 'medium', 'hard'])}"
        lines.append(f"{front}\t{back}\tBig::Chapter {i * 30 // cards + 1}\t{tags}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def quizgame() -> str:
    return str(Path(sys.executable).with_name("quizgame"))


def time_import(deck: Path, out: Path, env: dict[str, str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([quizgame(), "import", str(deck), "--out", str(out), "--force"], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"import failed: {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip().splitlines()[1]


def _cpu(term: tt.Terminal, name: str) -> float:
    return tt.sched(term.pane_pid(name))[0]


def first_screens(bank: Path, save: Path, env: dict[str, str],
                  pairs: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Wall and CPU seconds to the title screen: (deck wall, shipped wall, deck CPU, shipped CPU)."""
    a_argv = [quizgame(), "--bank", str(bank), "--save-dir", str(save)]
    b_argv = [quizgame(), "--save-dir", str(save)]
    tt.first_screen(a_argv, TITLE_MARKER, SIZE, env=env, timeout=120)  # warms the bank cache
    tt.first_screen(b_argv, TITLE_MARKER, SIZE, env=env, timeout=120)
    a, b, a_cpu, b_cpu = [], [], [], []
    for _ in range(pairs):
        took, _, cpu = tt.first_screen(a_argv, TITLE_MARKER, SIZE, env=env, timeout=120, after=_cpu)
        a.append(took), a_cpu.append(cpu)
        took, _, cpu = tt.first_screen(b_argv, TITLE_MARKER, SIZE, env=env, timeout=120, after=_cpu)
        b.append(took), b_cpu.append(cpu)
    return a, b, a_cpu, b_cpu


def answer_times(bank_path: Path | None, save: Path) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of ANSWERS answers judged and recorded."""
    from quizgame.bankcache import load_bank_cached
    from quizgame.core.clock import SystemClock
    from quizgame.core.rounds import plan_round
    from quizgame.core.session import RoundSession
    from quizgame.store.tinydb_store import TinyDBStore

    bank = load_bank_cached(bank_path)
    store = TinyDBStore(save)
    player = store.add_player(f"bench{abs(hash(str(bank_path))) % 1000}")
    times: list[float] = []
    cpu: list[float] = []
    seed = 0
    while len(times) < ANSWERS:
        # Recall rounds, the reference answer typed: planning a multiple-choice round on a deck
        # without distractors generates options from the whole bank, which takes minutes on
        # 30,000 cards (quizgame.core.choices; see RESULTS.md).
        plan = plan_round(bank, store.progress(player, bank.id), "recall", None, 10, seed)
        session = RoundSession(plan, bank, SystemClock())
        while session.current is not None and len(times) < ANSWERS:
            started, started_cpu = time.perf_counter(), time.process_time()
            judgement = session.judge(session.current.question.answer)
            _, outcome = store.record_answer(player, bank.id, judgement.event)
            session.recorded(outcome)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            session.advance()
        seed += 1
    return times, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=30_000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the results as Markdown here")
    parser.add_argument("--bank", type=Path, help="time this already imported deck instead of importing one")
    parser.add_argument("--only", choices=["import", "screen", "answer"], action="append",
                        help="run only these steps (the deck is still imported once for the others)")
    args = parser.parse_args()
    tt.install_signal_cleanup()
    lines = [f"Machine: {os.cpu_count()} cores, load average before {os.getloadavg()[0]:.1f}"]
    with tempfile.TemporaryDirectory(prefix="quizgame-import-bench-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(folder / "xdg")}
        deck, bank, save = folder / "deck.txt", folder / "deck.toml", folder / "save"
        save.mkdir()
        steps = set(args.only or ["import", "screen", "answer"])
        if args.bank is not None:
            bank = args.bank.resolve()
        else:
            write_deck(deck, args.cards)
            wall, cpu, summary = time_import(deck, bank, env)
            if "import" in steps:
                lines.append(f"1. import of a {args.cards:,}-card Anki export ({deck.stat().st_size / 2**20:.1f} MB): "
                             f"{wall:.1f} s wall, {cpu:.1f} s CPU (target ≤ {IMPORT_TARGET:.0f} s): "
                             f"{'ok' if wall <= IMPORT_TARGET else 'OVER'} — {summary}")
        if "screen" in steps:
            a, b, a_cpu, b_cpu = first_screens(bank, save, env, args.pairs)
            ratio = statistics.median(x / y for x, y in zip(a, b))
            cpu_ratio = statistics.median(x / y for x, y in zip(a_cpu, b_cpu))
            lines.append(f"2. first screen, warm cache: imported deck {statistics.median(a) * 1000:.0f} ms, shipped "
                         f"bank {statistics.median(b) * 1000:.0f} ms, median pair ratio {ratio:.2f} (target ≤ "
                         f"{SCREEN_TARGET}): {'ok' if ratio <= SCREEN_TARGET else 'OVER'}; runs A "
                         f"{[round(x * 1000) for x in a]} B {[round(x * 1000) for x in b]} ms; CPU to the first "
                         f"screen A {statistics.median(a_cpu) * 1000:.0f} ms, B {statistics.median(b_cpu) * 1000:.0f} "
                         f"ms, median pair ratio {cpu_ratio:.2f}")
        if "answer" in steps:
            os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
            deck_times, deck_cpu = answer_times(bank, folder / "save-a")
            ship_times, ship_cpu = answer_times(None, folder / "save-b")
            d, s = statistics.median(deck_times), statistics.median(ship_times)
            dc, sc = statistics.median(deck_cpu), statistics.median(ship_cpu)
            lines.append(f"3. judge + record one typed answer (TinyDB), median of {ANSWERS}: imported deck {d * 1000:.2f} ms, "
                         f"shipped bank {s * 1000:.2f} ms, ratio {d / s:.2f}; CPU {dc * 1000:.2f} vs "
                         f"{sc * 1000:.2f} ms, ratio {dc / sc:.2f}")
    lines.append(f"Load average after {os.getloadavg()[0]:.1f}")
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text("# Big decks (benchmarks/import_deck.py)\n\n" + text.replace("\n", "\n\n") + "\n",
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
