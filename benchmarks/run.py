#!/usr/bin/env python3
"""quizgame's benchmark suite: start-up, answer latency, large banks, long histories, memory.

    python benchmarks/run.py [--quick] [--quizgame PATH] [--out benchmarks/RESULTS.md]

Needs tmux. Every program is run in a real terminal (tmux, 120x40), each run with a tmux
server of its own that is always killed afterwards; all data lives in a temporary folder
that is removed at the end. Prints a table of figures against their targets and writes it,
with the machine and the date, to benchmarks/RESULTS.md. See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import termtime as tt  # noqa: E402

SIZE = (120, 40)
TITLE_MARKER = "Who's playing?"  # the title screen's heading (and sub-title)
BARE_MARKER = "Ready."
FEEDBACK_MARKERS = ("Enter: next question", "Enter: see your results")
# A recall verdict's first line (its last line may be scrolled out of a long reference answer).
VERDICT_MARKERS = ("✔ Correct", "◐ Partly right", "✘ Not quite")
# What the recall loop types before each Enter: a plausible answer of ordinary length.
TYPED = "it learns the weights from data by gradient descent on a loss"
THINK = 0.1  # idle time before each key press in the answer loop, as a (very fast) player would leave


# -- small helpers ---------------------------------------------------------------------------------


def ms(seconds: float | None, digits: int | None = None) -> str:
    if seconds is None:
        return "—"
    value = seconds * 1000
    if digits is None:
        digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:.{digits}f} ms"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def log(message: str = "") -> None:
    print(message, flush=True)


class Results:
    """The rows of the final table, and the details written below it."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.details: list[str] = []
        self.diagnoses: list[str] = []

    def add(self, number: str, figure: str, value: str, target: str, ratio: str = "—", ok: bool | None = None):
        self.rows.append({"n": number, "figure": figure, "value": value, "target": target, "ratio": ratio,
                          "result": "n/a" if ok is None else "pass" if ok else "FAIL"})
        verdict = "" if ok is None else "  PASS" if ok else "  FAIL"
        log(f"  {figure}: {value}  (target {target}{'' if ratio == '—' else f', ratio {ratio}'}){verdict}")

    def detail(self, text: str) -> None:
        self.details.append(text)

    def table(self, markdown: bool) -> str:
        head = ["#", "figure", "value", "target", "ratio", "result"]
        rows = [[r["n"], r["figure"], r["value"], r["target"], r["ratio"], r["result"]]
                for r in sorted(self.rows, key=lambda r: r["n"])]
        if markdown:
            lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
            lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
            return "\n".join(lines)
        widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        return "\n".join([fmt.format(*head), fmt.format(*["-" * w for w in widths])] + [fmt.format(*r) for r in rows])


class Bench:
    def __init__(self, args) -> None:
        self.quick = args.quick
        self.quizgame = Path(args.quizgame).resolve()
        self.python = self._interpreter(self.quizgame)
        self.tmp = Path(tempfile.mkdtemp(prefix="qgbench-"))
        self.env = {k: v for k, v in os.environ.items() if k not in ("QUIZGAME_SAVE_DIR", "TMUX", "TMUX_PANE")}
        # Everything quizgame might write outside --save-dir stays in the temporary folder too.
        self.env.update({"XDG_CACHE_HOME": str(self.tmp / "cache"), "XDG_DATA_HOME": str(self.tmp / "data"),
                         "COLORTERM": "truecolor"})
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # byte-code caching on, as for a player
        self.children: list[subprocess.Popen] = []
        self.results = Results()
        self.p = {}  # paths of the generated data
        n = 1 if self.quick else None
        self.pairs = n or 9            # A/B pairs for first-screen comparisons (after one warm-up pair)
        self.big_pairs = n or 5        # ... with the 20k-question bank (each run takes seconds)
        self.cli_runs = 3 if self.quick else 9
        self.sessions = 1 if self.quick else 3
        self.probe_runs = 1 if self.quick else 3
        self.record_times = 25 if self.quick else 0  # 0: one whole log chunk (250) per history size
        self.mem_runs = 1 if self.quick else 3

    @staticmethod
    def _interpreter(script: Path) -> str:
        first = script.read_text(errors="replace").splitlines()[0]
        if first.startswith("#!") and "python" in first:
            return first[2:].strip().split()[0]
        return sys.executable

    def run(self, argv: list, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess:
        child = subprocess.Popen([str(a) for a in argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=self.env, cwd=ROOT)
        self.children.append(child)  # so that cleanup() can end it, whichever thread started it
        try:
            out, err = child.communicate(timeout=timeout)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        result = subprocess.CompletedProcess(child.args, child.returncode, out, err)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, argv))} exited {result.returncode}:\n{result.stderr[-3000:]}")
        return result

    def probe(self, *args, timeout: float = 300) -> dict:
        return json.loads(self.run([self.python, HERE / "probes.py", *args], timeout=timeout).stdout)

    def synth(self, *args) -> dict:
        return json.loads(self.run([self.python, HERE / "synth.py", *args], timeout=600).stdout)

    # -- data --------------------------------------------------------------------------------------

    def generate(self) -> None:
        t = time.perf_counter()
        p = self.p
        p["empty"] = self.tmp / "save-empty"
        p["empty"].mkdir()
        p["bank"] = self.tmp / "bench-bank"
        p["small"] = self.tmp / "save-small"
        p["long"] = self.tmp / "save-long"
        p["longbig"] = self.tmp / "save-long-bigbank"
        for n in (1_000, 10_000, 100_000):
            p[f"solo{n}"] = self.tmp / f"save-solo-{n}"
        five = ",".join(f"Player {i}" for i in range(1, 6))
        info: dict = {}
        errors: list[BaseException] = []

        def chain(steps):
            try:
                for key, args in steps:
                    info[key] = self.synth(*args)
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        # Two workers for two cores: the big bank (and the histories on it), and the shipped-bank saves.
        a = threading.Thread(daemon=True, target=chain, args=([
            ("bank", ["bank", p["bank"], "--questions", "20000", "--sections", "50"]),
            ("longbig", ["history", p["longbig"], "--bank", p["bank"], "--players", five, "--answers", "20000"]),
        ],))
        b = threading.Thread(daemon=True, target=chain, args=([
            ("long", ["history", p["long"], "--players", five, "--answers", "20000"]),
            ("small", ["history", p["small"], "--players", "P", "--answers", "200"]),
            *[(f"solo{n}", ["history", p[f"solo{n}"], "--players", "Solo", "--answers", str(n), "--seed", str(n)])
              for n in (1_000, 10_000, 100_000)],
        ],))
        a.start(), b.start()
        a.join(), b.join()
        if errors:
            raise errors[0]
        mb = 1 << 20
        self.results.detail(
            "### Generated data\n\n"
            f"- synthetic bank: {info['bank']['questions']:,} questions in {info['bank']['sections']} sections, "
            f"{info['bank']['bytes'] / mb:.1f} MB of JSON section files (seed 7)\n"
            f"- long history (shipped bank): 5 players × 20,000 answers, {info['long']['files']} files, "
            f"{info['long']['bytes'] / mb:.1f} MB; read back through TinyDBStore: {info['long']['answers']}\n"
            f"- long history (synthetic bank): 5 players × 20,000 answers, {info['longbig']['files']} files, "
            f"{info['longbig']['bytes'] / mb:.1f} MB\n"
            + "".join(f"- one player, {n:,} answers: {info[f'solo{n}']['files']} files, "
                      f"{info[f'solo{n}']['bytes'] / mb:.1f} MB\n" for n in (1_000, 10_000, 100_000))
            + f"- generated in {time.perf_counter() - t:.1f} s (two processes)\n")
        log(f"data generated in {time.perf_counter() - t:.1f} s")

    # -- terminal runs -------------------------------------------------------------------------------

    def first_screen(self, argv, marker, memory: bool = False):
        """(seconds to the first screen, how it ended, peak RSS in MB or None, CPU seconds and
        run-queue seconds of the program up to just after the first screen)."""
        def after(term, name):
            cpu, wait = tt.sched(term.pane_pid(name))
            if memory:
                time.sleep(0.3)
            return (tt.peak_rss_mb(term, name) if memory else None), cpu, wait

        elapsed, how, (rss, cpu, wait) = tt.first_screen([str(a) for a in argv], marker, SIZE, env=self.env,
                                                         after=after)
        return elapsed, how, rss, cpu, wait

    def compare(self, label: str, a_argv, a_marker, b_argv, b_marker, pairs: int, memory: bool = False) -> dict:
        """Alternate A B A B ... after one warm-up of each; medians and the median of the pair ratios."""
        warm_a = self.first_screen(a_argv, a_marker)
        warm_b = self.first_screen(b_argv, b_marker)
        a, b, hows, a_mem, b_mem, a_cpu, b_cpu, waits = [], [], [], [], [], [], [], []
        for _ in range(pairs):
            ta, how_a, ma, ca, wa = self.first_screen(a_argv, a_marker, memory)
            tb, how_b, mb, cb, wb = self.first_screen(b_argv, b_marker, memory)
            a.append(ta), b.append(tb), hows.append(f"{how_a}/{how_b}")
            a_mem.append(ma), b_mem.append(mb), a_cpu.append(ca), b_cpu.append(cb)
            waits += [wa, wb]
        ratios = [x / y for x, y in zip(a, b)]
        cpu_ratio = statistics.median(x / y for x, y in zip(a_cpu, b_cpu))
        out = {"a": a, "b": b, "ratio": statistics.median(ratios), "a_med": statistics.median(a),
               "b_med": statistics.median(b), "warm": (warm_a[0], warm_b[0]), "cpu_ratio": cpu_ratio,
               "a_cpu": statistics.median(a_cpu), "b_cpu": statistics.median(b_cpu)}
        text = (f"**{label}** — warm-up (not counted) {ms(warm_a[0])} / {ms(warm_b[0])}; "
                f"A runs {' '.join(ms(x, 0) for x in a)}; B runs {' '.join(ms(x, 0) for x in b)}; "
                f"pair ratios {' '.join(f'{r:.2f}' for r in ratios)}; ended by {', '.join(sorted(set(hows)))}. "
                f"CPU time of the program up to its first screen: A {ms(out['a_cpu'])}, B {ms(out['b_cpu'])} "
                f"(medians; ratio {cpu_ratio:.2f}); time spent ready but waiting for a CPU: median "
                f"{ms(statistics.median(waits))} per launch")
        if memory:
            out["a_mem"], out["b_mem"] = statistics.median(a_mem), statistics.median(b_mem)
            out["mem_ratio"] = statistics.median(x / y for x, y in zip(a_mem, b_mem))
            text += (f"; peak RSS A {' '.join(f'{m:.1f}' for m in a_mem)} MB, "
                     f"B {' '.join(f'{m:.1f}' for m in b_mem)} MB")
        self.results.detail(text + "\n")
        return out

    # -- 1 and 6a: first screen, and its memory, against the bare Textual app ---------------------------

    def first_screen_vs_bare(self) -> None:
        log("\n1. First screen: quizgame title screen vs the bare Textual app")
        r = self.compare("quizgame --save-dir <empty> (A) vs bare Textual app (B)",
                         [self.quizgame, "--save-dir", self.p["empty"]], TITLE_MARKER,
                         [self.python, HERE / "bare_app.py"], BARE_MARKER, self.pairs, memory=True)
        self.fs_bare = r
        ok = r["ratio"] <= 1.25
        self.results.add("1", "First screen, title (empty save)", f"{ms(r['a_med'])} (bare app {ms(r['b_med'])})",
                         "ratio ≤ 1.25", f"{r['ratio']:.2f}", ok)
        self.results.add("1", "↳ same runs: CPU time to first screen", f"{ms(r['a_cpu'])} (bare app {ms(r['b_cpu'])})",
                         "report", f"{r['cpu_ratio']:.2f}", None)
        if not ok:
            self.diagnose_startup("1", ["--save-dir", self.p["empty"]])
        self.mem_title = r

    # -- 2: printing commands -----------------------------------------------------------------------

    def printing_commands(self) -> None:
        log("\n2. Printing commands")
        commands = {
            "quizgame --help": ["--help"],
            "quizgame --version": ["--version"],
            "quizgame leaderboard": ["leaderboard", "--save-dir", self.p["small"]],
            "quizgame stats --player P": ["stats", "--player", "P", "--save-dir", self.p["small"]],
            "quizgame content check": ["content", "check"],
        }
        self.cli_timing(commands, self.cli_runs, target=0.150, number="2", reference=True)

    def cli_timing(self, commands: dict, runs: int, target: float, number: str, reference: bool = False) -> None:
        times: dict[str, list[float]] = {name: [] for name in commands}
        floor: list[float] = []
        for name, args in commands.items():  # warm-up, and a check that it works
            out = self.run([self.quizgame, *args])
            assert out.stdout.strip(), f"{name} printed nothing"
        for _ in range(runs):  # round-robin, so drift in the machine's load hits every command alike
            for name, args in commands.items():
                argv = [str(self.quizgame), *map(str, args)]
                t = time.perf_counter()
                subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
                               cwd=ROOT, check=True)
                times[name].append(time.perf_counter() - t)
            if reference:  # the floor: the same python starting and doing nothing
                t = time.perf_counter()
                subprocess.run([self.python, "-c", "pass"], env=self.env, cwd=ROOT, check=True)
                floor.append(time.perf_counter() - t)
        if reference:
            self.results.add(number, "Reference: `python -c pass` (interpreter start-up)",
                             ms(statistics.median(floor)), "report", "—", None)
            self.results.detail(f"`python -c pass`: runs {' '.join(ms(t, 0) for t in floor)}\n")
        for name, args in commands.items():
            median = statistics.median(times[name])
            modules = self.imported_modules(args)
            textual = any(m == "textual" or m.startswith("textual.") for m in modules)
            note = "; imports textual!" if textual else ""
            ok = median <= target and not textual
            self.results.add(number, f"`{name}` ({'imports Textual' if textual else 'no Textual'})",
                             ms(median), f"≤ {ms(target, 0)}", "—", ok)
            self.results.detail(f"`{name}`: runs {' '.join(ms(t, 0) for t in times[name])}; "
                                f"{len(modules)} modules imported{note}\n")
            if not ok:
                self.diagnose_imports(number, name, args)

    def imported_modules(self, args) -> list[str]:
        code = ("import sys; sys.argv = ['quizgame'] + sys.argv[1:]; from quizgame.cli import main\n"
                "try:\n    main()\nexcept SystemExit:\n    pass")
        err = self.run([self.python, "-X", "importtime", "-c", code, *args], check=False).stderr
        return [line.split("|")[2].strip() for line in err.splitlines()
                if line.startswith("import time:") and "cumulative" not in line]

    def diagnose_imports(self, number: str, name: str, args) -> None:
        code = ("import sys; sys.argv = ['quizgame'] + sys.argv[1:]; from quizgame.cli import main\n"
                "try:\n    main()\nexcept SystemExit:\n    pass")
        t = time.perf_counter()
        err = self.run([self.python, "-X", "importtime", "-c", code, *args], check=False).stderr
        wall = time.perf_counter() - t
        rows = []
        for line in err.splitlines():
            if line.startswith("import time:") and "cumulative" not in line:
                parts = line[len("import time:"):].split("|")
                rows.append((int(parts[0]), int(parts[1]), parts[2][1:].rstrip()))
        top_level = sorted((r for r in rows if not r[2].startswith("  ")), key=lambda r: -r[1])[:8]
        heavy = sorted(rows, key=lambda r: -r[0])[:8]
        startup = self.run([self.python, "-X", "importtime", "-c", "pass"], check=False).stderr
        base_us = sum(int(l[len("import time:"):].split("|")[0]) for l in startup.splitlines()
                      if l.startswith("import time:") and "cumulative" not in l)
        total_us = sum(r[0] for r in rows)
        text = [f"#### {number}. `{name}` — where the time goes",
                f"One run under `-X importtime`: {ms(wall)} wall; imports {total_us / 1000:.0f} ms in all, "
                f"of which {base_us / 1000:.0f} ms is what a bare `python -c pass` imports too.", "",
                "Top-level imports by cumulative time:", "", "```"]
        text += [f"{cum / 1000:8.1f} ms  {mod.strip()}" for _, cum, mod in top_level]
        text += ["```", "", "Single modules by own time:", "", "```"]
        text += [f"{own / 1000:8.1f} ms  {mod.strip()}" for own, _, mod in heavy]
        text += ["```", ""]
        self.results.diagnoses.append("\n".join(text))

    def diagnose_startup(self, number: str, args: list) -> None:
        """Where quizgame's start-up goes before Textual draws anything."""
        try:
            steps = self.probe("startup", *map(str, args))
        except Exception as error:  # noqa: BLE001 - a diagnosis must not end the run
            self.results.diagnoses.append(f"#### {number}. start-up breakdown failed: {error}\n")
            return
        text = [f"#### {number}. Start-up of `quizgame {' '.join(map(str, args))}` before the first frame",
                "", "In one process (fresh python), in order:", "", "```"]
        text += [f"{v * 1000:8.1f} ms  {k}" for k, v in steps.items()]
        text += ["```", ""]
        if number == "1":
            try:
                bare = self.probe("startup", "--bare")
                text += ["The bare app, in the same way:", "", "```"]
                text += [f"{v * 1000:8.1f} ms  {k}" for k, v in bare.items()]
                text += ["```", "",
                         "The rest of each launch is Textual starting the app and drawing the first frame "
                         "(compare the CPU times to the first screen in the details).", ""]
            except Exception:  # noqa: BLE001
                pass
        self.results.diagnoses.append("\n".join(text))

    # -- 3: answer feedback ---------------------------------------------------------------------------

    def bare_keys(self, keys: int) -> tuple[list[float], list[float], list[float], list[float]]:
        """One session of the bare key app (benchmarks/bare_key_app.py): `keys` times key 1 (a 19-line
        text replaces the Static) and key 2 (back to one line), timed exactly as quizgame's keys are."""
        one, two, one_cpu, two_cpu = [], [], [], []
        with tt.Terminal(SIZE, self.env) as term:
            name, start = term.launch([self.python, str(HERE / "bare_key_app.py")])
            tt.wait_for(term, name, lambda s: "waiting" in s, start, timeout=60)
            pid = term.pane_pid(name)
            for _ in range(keys):
                time.sleep(THINK)
                before = tt.sched(pid)
                took, _ = tt.press(term, name, "1", lambda s: "FEEDBACK" in s)
                one.append(took), one_cpu.append(tt.sched(pid)[0] - before[0])
                time.sleep(THINK)
                before = tt.sched(pid)
                took, _ = tt.press(term, name, "2", lambda s: "Question next" in s)
                two.append(took), two_cpu.append(tt.sched(pid)[0] - before[0])
        return one, two, one_cpu, two_cpu

    def answer_feedback(self, mode: str = "mc") -> None:
        """Rounds of `mode` ("mc": key 1 answers; "recall": the answer is typed, then Enter), each
        followed by a bare key app session with as many presses; the answer key and the Enter to
        the next question are timed and their CPU read."""
        recall = mode == "recall"
        log(f"\n3. Answer feedback ({mode}) in a real terminal, alternating with the bare key app")
        overhead = tt.polling_overhead(100 if self.quick else 300)
        feedback, following, totals, feedback_change, following_change = [], [], [], [], []
        feedback_cpu, feedback_wait, following_cpu, following_wait, firsts = [], [], [], [], []
        bare_one, bare_two, bare_one_cpu, bare_two_cpu = [], [], [], []
        for session in range(self.sessions):
            save = self.tmp / f"save-play-{session}"
            argv = [str(self.quizgame), "play", "--player", "Bench", "--mode", mode, "--questions", "30",
                    "--seed", "1", "--save-dir", str(save)]
            with tt.Terminal(SIZE, self.env) as term:
                name, start = term.launch(argv)
                _, screen = tt.wait_for(term, name, tt.question_number, start, timeout=60)
                total = tt.question_number(screen)[1]
                pid = term.pane_pid(name)
                totals.append(total)
                for n in range(1, total + 1):
                    if recall:  # type the answer (untimed), as a player would before pressing Enter
                        term.send(name, "-l", f"'{TYPED}'")
                        tt.wait_for(term, name, lambda s: TYPED in s, time.perf_counter())
                    time.sleep(THINK)
                    before = tt.sched(pid)
                    took, changed = tt.press(term, name, "Enter" if recall else "1",
                                             lambda s: any(m in s for m in (VERDICT_MARKERS if recall
                                                                            else FEEDBACK_MARKERS)))
                    after = tt.sched(pid)
                    feedback.append(took), feedback_change.append(changed)
                    feedback_cpu.append(after[0] - before[0]), feedback_wait.append(after[1] - before[1])
                    if n == 1:
                        firsts.append(took)
                    if n == total:
                        break
                    time.sleep(THINK)

                    def next_question(s, want=n + 1):
                        shown = tt.question_number(s)
                        return shown is not None and shown[0] == want

                    before = tt.sched(pid)
                    took, changed = tt.press(term, name, "Enter", next_question)
                    after = tt.sched(pid)
                    following.append(took), following_change.append(changed)
                    following_cpu.append(after[0] - before[0]), following_wait.append(after[1] - before[1])
            # The floor, right after, in the same way: as many key presses as the game had.
            one, two, one_cpu, two_cpu = self.bare_keys(total)
            bare_one += one
            bare_two += two
            bare_one_cpu += one_cpu
            bare_two_cpu += two_cpu
        poll = overhead["control"]

        def ratio(a: float, b: float) -> str:
            return f"{a / b:.2f}×"

        med, b_med = statistics.median(feedback), statistics.median(bare_one)
        answer = "Typed answer, Enter" if recall else "Key 1"
        tag = "Recall: " if recall else ""  # the rows of the recall loop
        self.results.add("3", f"{tag}{answer} → feedback shown, median (n={len(feedback)}) vs bare key → update",
                         f"{ms(med)} (bare {ms(b_med)})", "≤ 2× bare", ratio(med, b_med), med <= 2 * b_med)
        self.results.add("3", f"{tag}{answer} → feedback shown, p95 vs bare", f"{ms(p95(feedback))} (bare {ms(p95(bare_one))})",
                         "≤ 2× bare", ratio(p95(feedback), p95(bare_one)), p95(feedback) <= 2 * p95(bare_one))
        first = statistics.median(firsts)
        self.results.add("3", f"{tag}↳ the first answer of each round, median (n={len(firsts)})",
                         f"{ms(first)} (bare {ms(b_med)})", "≤ 2× bare", ratio(first, b_med), first <= 2 * b_med)
        nxt, b_two = statistics.median(following), statistics.median(bare_two)
        self.results.add("3", f"{tag}Enter → next question, median (n={len(following)}) vs bare key 2",
                         f"{ms(nxt)} (bare {ms(b_two)})", "≤ 2× bare", ratio(nxt, b_two), nxt <= 2 * b_two)
        self.results.add("3", f"{tag}Enter → next question, p95 vs bare", f"{ms(p95(following))} (bare {ms(p95(bare_two))})",
                         "≤ 2× bare", ratio(p95(following), p95(bare_two)), p95(following) <= 2 * p95(bare_two))
        cpu, b_cpu = statistics.median(feedback_cpu), statistics.median(bare_one_cpu)
        self.results.add("3", f"{tag}CPU per {answer}, median, vs bare key 1", f"{ms(cpu)} (bare {ms(b_cpu)})",
                         "≤ 2× bare", ratio(cpu, b_cpu), cpu <= 2 * b_cpu)
        cpu2, b_cpu2 = statistics.median(following_cpu), statistics.median(bare_two_cpu)
        self.results.add("3", f"{tag}CPU per Enter, median, vs bare key 2", f"{ms(cpu2)} (bare {ms(b_cpu2)})",
                         "≤ 2× bare", ratio(cpu2, b_cpu2), cpu2 <= 2 * b_cpu2)
        self.results.add("3", f"{tag}↳ same keys: time quizgame waited for a busy CPU, median ({answer} / next)",
                         f"{ms(statistics.median(feedback_wait))} / {ms(statistics.median(following_wait))}",
                         "report", "—", None)
        if not recall:
            self.results.add("3", f"Polling overhead: one capture of an idle pane (polled every {ms(tt.POLL_GAP, 1)})",
                             f"{ms(poll, 3)} (as a `tmux capture-pane` process: {ms(overhead['process'], 1)})",
                             "report", "—", None)
        self.results.detail(
            f"Answer loop: {self.sessions} round(s) of `quizgame play --player Bench --mode {mode} --questions 30 "
            f"--seed 1` (fresh save each), {', '.join(map(str, totals))} questions (the round holds what the "
            f"unlocked section has), each round followed by a session of benchmarks/bare_key_app.py (a bare "
            f"Textual app whose key 1 puts a 19-line text in a Static and key 2 one line) with as many "
            f"presses, so both see the same machine load; {THINK * 1000:.0f} ms idle before each key. Times "
            f"run from just before the key is sent (through the control client) to the first capture that "
            f"shows the change; captures are {ms(tt.POLL_GAP, 1)} apart and take {ms(poll, 3)} each, so that "
            f"is the resolution.\n\n"
            + (f"Each answer is typed first (\"{TYPED}\", not timed), then Enter is timed.\n\n" if recall else "")
            + f"- feedback: min {ms(min(feedback))}, median {ms(med)}, p95 {ms(p95(feedback))}, max "
            f"{ms(max(feedback))}; the screen first changed after {ms(statistics.median(feedback_change))} (median)"
            f"; bare key 1: min {ms(min(bare_one))}, median {ms(b_med)}, p95 {ms(p95(bare_one))}\n"
            f"- next question: min {ms(min(following))}, median {ms(nxt)}, p95 {ms(p95(following))}, max "
            f"{ms(max(following))}; bare key 2: median {ms(b_two)}, p95 {ms(p95(bare_two))}\n"
            f"- CPU time (all threads, /proc/<pid>/task/*/schedstat) from the key to the awaited screen: "
            f"quizgame {answer.lower()} median {ms(cpu)}, p95 {ms(p95(feedback_cpu))}; Enter median {ms(cpu2)}, p95 "
            f"{ms(p95(following_cpu))}; bare key 1 median {ms(b_cpu)}, key 2 median {ms(b_cpu2)}.\n")
        if not recall and (med > 2 * b_med or p95(feedback) > 2 * p95(bare_one)):
            self.diagnose_feedback(feedback, feedback_change, feedback_cpu, feedback_wait)

    def diagnose_feedback(self, feedback: list[float], changed: list[float], cpu: list[float],
                          wait: list[float]) -> None:
        try:
            out = self.probe("profile-answer", self.tmp / "save-profile-answer")
        except Exception as error:  # noqa: BLE001 - a diagnosis must not end the run
            self.results.diagnoses.append(f"#### 3. profiling the answer failed: {error}\n")
            return
        n = out["answers"]
        self.results.diagnoses.append(
            "#### 3. Key 1 → feedback — where the time goes\n\n"
            f"In the terminal, the screen first changes {ms(statistics.median(changed))} (median) after the key "
            f"and shows the whole feedback after {ms(statistics.median(feedback))}. Of that, quizgame ran on a CPU "
            f"for {ms(statistics.median(cpu))} and waited {ms(statistics.median(wait))} for one (medians); the rest "
            f"is tmux, the terminal output and waiting on the disk. The round screen saves each answer "
            f"(store.record_answer, with fsyncs) before it builds the feedback.\n\n"
            f"Headless (Textual `run_test`, no terminal), {n} answers under cProfile: "
            f"{ms(out['profiled'] / n)} profiled per answer (profiling slows Python code several times), of "
            f"which record_answer took {ms(statistics.median(out['record']))} (median, timed around the call). "
            "quizgame's own functions, sorted by cumulative time (the rest is Textual: "
            "messages, layout, rendering):\n\n```\n" + out["profile"] + "\n```\n")

    # -- 4: the large bank ----------------------------------------------------------------------------

    def large_bank(self) -> None:
        log("\n4. Large bank (20,000 questions, 50 sections)")
        runs = []
        for i in range(self.probe_runs):
            t = time.perf_counter()
            extra = ["--cached", "--plans", "5" if self.quick else "20"] if i == 0 else ["--plans", "0"]
            out = self.probe("bank", self.p["bank"], "--samples", "200", "--answered", "5000", *extra)
            out["process"] = time.perf_counter() - t
            runs.append(out)
        load = statistics.median(r["load_and_first_mc"] for r in runs)
        mc = [x for r in runs for x in r["mc"]]
        plans = runs[0]["plan_weak"]
        ok_load = load <= 1.5
        self.results.add("4", "load_bank + validation + first MC item (fresh process)", f"{load:.2f} s",
                         "≤ 1.5 s", "—", ok_load)
        self.results.add("4", f"Build one MC item, median of {len(mc)}", ms(statistics.median(mc), 3), "≤ 5 ms",
                         "—", statistics.median(mc) <= 0.005)
        ok_plan = statistics.median(plans) <= 0.050
        self.results.add("4", f"plan_round(mode='weak'), 5,000 answered, median of {len(plans)}",
                         ms(statistics.median(plans)), "≤ 50 ms", "—", ok_plan)
        r0 = runs[0]
        cached = ""
        if "cached_load_cold" in r0:
            cached = (f"; through quizgame.bankcache (what the game uses): cold (validate + write cache) "
                      f"{r0['cached_load_cold']:.2f} s, warm {r0['cached_load_warm']:.2f} s")
        loads = " ".join(f"{r['load']:.2f}" for r in runs)
        processes = " ".join(f"{r['process']:.1f}" for r in runs)
        self.results.detail(
            f"Bank probe, {len(runs)} fresh process(es): load_bank {loads} s; "
            f"first MC item {' '.join(ms(r['first_mc'], 3) for r in runs)}; whole process (python start-up, "
            f"imports, and the rest of the probe) {processes} s; "
            f"imports before load_bank {ms(statistics.median(r['startup_and_imports'] for r in runs))}{cached}.\n\n"
            f"MC items: median {ms(statistics.median(mc), 3)}, p95 {ms(p95(mc), 3)}, max {ms(max(mc), 3)}. "
            f"plan_round weak: {r0['answered_questions']:,} questions answered, pool of the unlocked sections "
            f"{r0['weak_pool']:,} questions; median {ms(statistics.median(plans))}, p95 {ms(p95(plans))}, "
            f"max {ms(max(plans))}.\n")
        if not ok_load:
            one = sorted(self.p["bank"].glob("*.json"))[0]
            prof = self.probe("profile-load", one)
            self.results.diagnoses.append(
                "#### 4. `load_bank` of the 20,000-question bank — where the time goes\n\n"
                f"Loading costs the same per question in every section file, so this profiles one of the 50 "
                f"files (`load_bank('{one.name}')`, 400 questions) in a fresh process; cProfile slows it. "
                "Sorted by cumulative time:\n\n```\n" + prof["profile"] + "\n```\n")
        if not ok_plan:
            prof = self.probe("profile-plan", self.p["bank"])
            scaling = ", ".join(f"{int(k):,} answered: {ms(v)}" for k, v in prof["scaling"].items())
            self.results.diagnoses.append(
                "#### 4. `plan_round(mode='weak')` — where the time goes\n\n"
                f"One call, by the number of questions answered (each also unlocks sections, so the pool "
                f"grows too): {scaling}; with 5,000 answered: {ms(statistics.median(plans))}.\n\n"
                "cProfile of one call with 1,000 questions answered, sorted by cumulative time:\n\n```\n"
                + prof["profile"] + "\n```\n")

        log("   first screen with --bank <20k bank> vs empty save (this takes a while)")
        r = self.compare("quizgame --bank <20k> --save-dir <empty> (A) vs quizgame --save-dir <empty> (B)",
                         [self.quizgame, "--bank", self.p["bank"], "--save-dir", self.p["empty"]], TITLE_MARKER,
                         [self.quizgame, "--save-dir", self.p["empty"]], TITLE_MARKER, self.big_pairs)
        self.results.add("4", "First screen with --bank <20k bank> (warm cache, if any)",
                         f"{ms(r['a_med'])} (shipped bank {ms(r['b_med'])}; first run {ms(r['warm'][0])})",
                         "report", f"{r['ratio']:.2f}", None)
        self.diagnose_startup("4", ["--bank", self.p["bank"], "--save-dir", self.p["empty"]])

    # -- 5: the long history --------------------------------------------------------------------------

    def long_history(self) -> None:
        log("\n5. Long history (5 players × 20,000 answers)")
        r = self.compare("quizgame --save-dir <long history> (A) vs quizgame --save-dir <empty> (B)",
                         [self.quizgame, "--save-dir", self.p["long"]], TITLE_MARKER,
                         [self.quizgame, "--save-dir", self.p["empty"]], TITLE_MARKER, self.pairs)
        ok = r["ratio"] <= 1.3
        self.results.add("5", "First screen with the long history", f"{ms(r['a_med'])} (empty save {ms(r['b_med'])})",
                         "ratio ≤ 1.3", f"{r['ratio']:.2f}", ok)
        self.results.add("5", "↳ same runs: CPU time to first screen", f"{ms(r['a_cpu'])} (empty save {ms(r['b_cpu'])})",
                         "report", f"{r['cpu_ratio']:.2f}", None)
        if not ok:
            self.diagnose_startup("5", ["--save-dir", self.p["long"]])

        worst = None
        sizes = (1_000, 10_000, 100_000)
        probe = self.probe("record", "Solo", *[self.p[f"solo{n}"] for n in sizes], "--times", str(self.record_times))
        for n in sizes:
            out = probe["saves"][str(self.p[f"solo{n}"])]
            median = statistics.median(out["record"])
            ok = median <= 0.010
            self.results.add("5", f"store.record_answer, {n:,} answers of history (median of {len(out['record'])})",
                             ms(median), "≤ 10 ms", "—", ok)
            self.results.detail(f"record_answer at {out['history']:,} answers: min {ms(min(out['record']))}, "
                                f"median {ms(median)}, p95 {ms(p95(out['record']))}, max {ms(max(out['record']))}; "
                                f"opening the store took {ms(out['open'])}\n")
            if not ok:
                worst = n
        self.results.add("5", "↳ same rounds: one 4 KB write + fsync on this disk (the floor)",
                         f"{ms(statistics.median(probe['fsync']))} (p95 {ms(p95(probe['fsync']))})", "report", "—", None)
        if worst:
            self.diagnose_record(worst)

        self.cli_timing({"quizgame leaderboard (long history)": ["leaderboard", "--save-dir", self.p["long"]]},
                        self.cli_runs, target=0.300, number="5")

    def diagnose_record(self, n: int) -> None:
        prof = self.probe("profile-record", self.p[f"solo{n}"], "Solo")
        sync = self.run([self.python, "-c", (
            "import os, tempfile, time, statistics\n"
            f"d = tempfile.mkdtemp(dir={str(self.tmp)!r}); p = os.path.join(d, 'f'); ts = []\n"
            "for _ in range(20):\n"
            "    t = time.perf_counter(); fd = os.open(p, os.O_WRONLY | os.O_CREAT); os.write(fd, b'x' * 4096)\n"
            "    os.fsync(fd); os.close(fd); ts.append(time.perf_counter() - t)\n"
            "print(statistics.median(ts))")]).stdout
        self.results.diagnoses.append(
            f"#### 5. record_answer — where the time goes ({n:,} answers of history)\n\n"
            f"One small write + fsync on this disk takes {ms(float(sync))} now (median of 20); a recorded answer "
            f"does several (log chunk, snapshot, and their folders), so its time follows the disk's.\n\n"
            "cProfile of 10 record_answer calls, sorted by cumulative time:\n\n```\n" + prof["profile"] + "\n```\n")

    # -- 6: memory ------------------------------------------------------------------------------------

    def memory(self) -> None:
        log("\n6. Memory (peak RSS, VmHWM read just before quitting)")
        r = self.mem_title
        self.results.add("6", "Peak RSS, title screen (shipped bank)",
                         f"{r['a_mem']:.1f} MB (bare app {r['b_mem']:.1f} MB)", "ratio ≤ 1.5",
                         f"{r['mem_ratio']:.2f}", r["mem_ratio"] <= 1.5)
        args = ["--bank", self.p["bank"], "--save-dir", self.p["longbig"]]
        title, play = [], []
        for _ in range(self.mem_runs):
            rss = self.first_screen([self.quizgame, *args], TITLE_MARKER, memory=True)[2]
            title.append(rss)
            rss = self.first_screen([self.quizgame, "play", "--player", "Player 1", "--mode", "mc",
                                           "--seed", "1", *args], tt.question_number, memory=True)[2]
            play.append(rss)
        for label, values in (("title screen", title), ("a round (play --player 'Player 1')", play)):
            value = statistics.median(values)
            self.results.add("6", f"Peak RSS, 20k bank + long history, {label}", f"{value:.1f} MB", "≤ 200 MB",
                             "—", value <= 200)
        self.results.detail(f"Peak RSS with the 20k bank and 5 × 20,000 answers on it: title "
                            f"{' '.join(f'{m:.1f}' for m in title)} MB; round {' '.join(f'{m:.1f}' for m in play)} MB\n")

    # -- report ---------------------------------------------------------------------------------------

    def machine(self) -> list[str]:
        cpu = "unknown"
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        uname = subprocess.run(["uname", "-srm"], capture_output=True, text=True).stdout.strip()
        version = self.run([self.python, "-c", "import sys, importlib.metadata as m; "
                            "print(sys.version.split()[0], m.version('textual'))"], check=False).stdout.split()
        tmux = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
        fs = subprocess.run(["df", "-T", str(self.tmp)], capture_output=True, text=True).stdout.splitlines()
        fstype = fs[-1].split()[1] if len(fs) > 1 else "?"
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "quizgame", "content"],
                               capture_output=True, text=True).stdout.strip().splitlines()
        return [
            f"- machine: `{uname}`, {cpu}, {os.cpu_count()} cores",
            f"- Python {version[0] if version else '?'} ({self.python}), Textual {version[1] if len(version) > 1 else '?'}, {tmux}",
            f"- quizgame {commit}" + (f" with {len(dirty)} uncommitted change(s) under quizgame/ and content/"
                                      if dirty else ""),
            f"- temporary data on {fstype} ({self.tmp.parent})",
        ]

    def report(self, started: float, load_before, out_path: Path) -> None:
        load_after = os.getloadavg()
        elapsed = time.perf_counter() - started
        now = dt.datetime.now().astimezone()
        log("\n" + self.results.table(markdown=False))
        failed = [r for r in self.results.rows if r["result"] == "FAIL"]
        log(f"\n{len(self.results.rows)} figures, {len(failed)} missed their target; run took {elapsed:.0f} s")
        lines = [
            "# quizgame benchmark results", "",
            f"Run on {now:%Y-%m-%d %H:%M %Z} with `python benchmarks/run.py{' --quick' if self.quick else ''}` "
            f"({'smoke run: few repetitions' if self.quick else 'full run'}), {elapsed:.0f} s.", "",
            *self.machine(),
            f"- load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (other work on the machine "
            f"adds noise; the A/B comparisons alternate runs so drift hits both)", "",
            "Terminal runs: tmux 120×40, `TERM=tmux-256color`, `COLORTERM=truecolor`; each run has its own tmux "
            "server. Ratios are medians of the per-pair ratios of alternating runs (A B A B …) after one "
            "warm-up pair. Times are medians unless marked p95.", "",
            "## Figures", "", self.results.table(markdown=True), "",
            "## Details", "", *self.results.details, "",
        ]
        if self.results.diagnoses:
            lines += ["## Where the time goes (figures that missed their target)", "", *self.results.diagnoses]
        out_path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
        log(f"wrote {out_path}")

    def cleanup(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.kill()
                child.wait()
        tt._cleanup_all()
        shutil.rmtree(self.tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke run")
    parser.add_argument("--only", choices=["feedback"], help="run one section (and write no RESULTS.md)")
    default = ROOT / ".venv" / "bin" / "quizgame"
    parser.add_argument("--quizgame", default=str(default) if default.exists() else shutil.which("quizgame"),
                        help="the quizgame console script (default: .venv/bin/quizgame)")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"), help="where to write the Markdown results")
    args = parser.parse_args()
    if not args.quizgame or not Path(args.quizgame).exists():
        parser.error("no quizgame console script found; pass --quizgame")
    if not shutil.which("tmux"):
        parser.error("tmux is not installed")
    tt.install_signal_cleanup()
    started = time.perf_counter()
    load_before = os.getloadavg()
    bench = Bench(args)
    log(f"quizgame benchmarks ({'quick' if args.quick else 'full'}); python {bench.python}; data in {bench.tmp}")
    try:
        if args.only == "feedback":
            bench.answer_feedback()
            bench.answer_feedback("recall")
            print(bench.results.table(markdown=False))
            return 0
        bench.generate()
        bench.printing_commands()
        bench.first_screen_vs_bare()
        bench.answer_feedback()
        bench.answer_feedback("recall")
        bench.large_bank()
        bench.long_history()
        bench.memory()
        bench.report(started, load_before, Path(args.out))
    finally:
        bench.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
