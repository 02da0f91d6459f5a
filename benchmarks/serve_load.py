#!/usr/bin/env python3
"""Load test of `quizgame serve`: many browser sessions at once on one host, on loopback.

    .venv/bin/python benchmarks/serve_load.py [--sessions 20] [--out benchmarks/RESULTS.md]
    .venv/bin/python benchmarks/serve_load.py --quick     # 3 sessions, a smoke run; writes nothing

Each session is a client speaking textual-serve's websocket protocol as its page does
(textual_serve/static/js/textual.js): it opens /ws?width=120&height=40, sends
["resize", {...}], then every key as ["stdin", "<what xterm.js sends>"], and reads the
terminal output the server relays as binary frames. Sessions join STAGGER seconds apart, as a
room does, create a player each, and play one 10-question multiple-choice round, pausing a
seeded THINK_MIN..THINK_MAX seconds before each key.

Measured:
- key → screen update: from just before a key is sent to the first received frame that
  completes the awaited text (the feedback after key 1, the next question after Enter), as
  a browser would draw it; also the first frame of any kind after the key;
- the same keys on the same game in a local terminal (tmux, same size, benchmarks/termtime.py),
  played alone before the load;
- the same load against a bare Textual app (../shared/tools/bare_key_app.py, keys 1 and 2)
  served the same way (quizgame/serve.py's server), for memory and latency;
- memory: resident and proportional set size (RSS, PSS from /proc/<pid>/smaps_rollup) of
  every app process and of the server, with every session still open after its round;
- nothing lost: every session's 10 answers are in the saves, and `quizgame leaderboard
  --json` and the live board's totals equal the points logged with the answers.

Bounded: every wait has a deadline, the servers run on 127.0.0.1 only and are stopped (and
their app processes checked gone) at the end, also on errors; data lives in a temporary folder.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

# A browser window's worth of terminal (and run.py's size). At 80x24, once a dozen players
# exist, the title screen's name field sits below the bottom row (see the notes it writes).
SIZE = (120, 40)
STAGGER = 0.5            # seconds between two sessions joining (20 people opening a link)
THINK_MIN, THINK_MAX = 0.5, 1.5  # seconds before each key: faster than people read, so a heavy load
# `--pace people`: seconds before each key as people play (read the question, read the feedback).
PEOPLE_THINK = (3.0, 8.0)
LOCAL_THINK = (0.17, 0.5)  # the local terminal's one game needs no pause to stay unloaded
STEP = 60.0              # seconds any one awaited screen may take before the run fails
QUESTIONS = 10
KEEP = 1 << 17  # bytes of a session's latest output searched for a screen (a full 120x40 frame is ~50 KB)
ANSI = re.compile(rb"\x1b\[[0-9;?<>=!]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_].*?\x1b\\|\x1b[@-Z\\-_]")
QUESTION = re.compile(rb"(?:Question (\d+) of \d+|\b(\d+)/\d+\s+\xc2\xb7)")
FEEDBACK = (b"next question", b"see your results", "\u23ce Next".encode())  # the box, or the footer's "⏎ Next" when a long answer scrolls it
SUMMARY = b"Round complete"
# The team's bare app, from shared/ beside the checkout (or beside the folder of worktrees).
BARE_APP = next((p for p in (ROOT.parent / "shared" / "tools" / "bare_key_app.py",
                             ROOT.parent.parent / "shared" / "tools" / "bare_key_app.py") if p.exists()),
                ROOT.parent / "shared" / "tools" / "bare_key_app.py")
SECTION = "serve_load"  # RESULTS.md markers; `--pace people` writes a section of its own


def log(message: str = "") -> None:
    print(message, flush=True)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def mb(kib: float) -> str:
    return f"{kib / 1024:.1f} MB"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- the server, in a process of its own ------------------------------------------------------


def run_server(command: str, port: int) -> None:
    """`--server`: quizgame's server (as `quizgame serve` runs it) for any command, on loopback."""
    from quizgame.serve import make_server

    server = make_server(command, command, "127.0.0.1", port)
    asyncio.run(server.run(lambda bound: print(f"READY {bound}", flush=True)))


class Served:
    """A served app on a free loopback port; close() stops it and checks its app processes ended."""

    def __init__(self, command: str) -> None:
        self.port = free_port()
        self.log = tempfile.TemporaryFile("w+")  # the server's stderr, shown if it fails
        self.output: list[str] = []
        self.process = subprocess.Popen([sys.executable, __file__, "--server", command, "--port", str(self.port)],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("READY"):
            self.close()
            raise RuntimeError(f"the server did not start: {line!r} {self.errors()}")
        # The rest of its output (textual-serve passes on what an app wrote to stderr) goes to
        # the log, read as it comes so that a full pipe never stalls the server.
        import threading

        def drain() -> None:
            for text in self.process.stdout:
                self.output.append(text)

        threading.Thread(target=drain, daemon=True).start()

    def errors(self) -> str:
        self.log.seek(0)
        return self.log.read() + "".join(self.output)

    def apps(self) -> list[int]:
        return children(self.process.pid)

    def close(self) -> list[int]:
        """Stop the server (SIGINT, as Ctrl+C); return the app processes still alive after it (none)."""
        started = self.apps()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        deadline = time.monotonic() + 5
        while any(alive(p) for p in started) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [p for p in started if alive(p)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        return left


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1])
        elif line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


# -- a client, speaking the page's protocol -----------------------------------------------------


@dataclass
class Timings:
    update: list[float] = field(default_factory=list)      # key -> the awaited screen complete
    first: list[float] = field(default_factory=list)       # key -> the first frame after it
    sent: list[float] = field(default_factory=list)        # when each timed key was sent (perf_counter)


class Unresponsive(RuntimeError):
    """A session that took no key on its title screen."""


RELOADS = 3  # page reloads a session may need before the run counts it as failed
JOIN_WAIT = 15.0  # seconds a step before the round may take before the player reloads the page


class Client:
    def __init__(self, port: int, path: str, seed: int) -> None:
        self.url = f"http://127.0.0.1:{port}{path}?width={SIZE[0]}&height={SIZE[1]}"
        self.random = random.Random(seed)
        self.received = bytearray()   # terminal output since the last key
        self.first_at: float | None = None
        self.arrived = asyncio.Event()
        self.timings = Timings()
        self.playing_at: float | None = None  # when its round's first question showed

    async def __aenter__(self) -> Client:
        import aiohttp

        self.session = aiohttp.ClientSession()
        self.ws = await self.session.ws_connect(self.url, max_msg_size=0)
        await self.ws.send_str(json.dumps(["resize", {"width": SIZE[0], "height": SIZE[1]}]))
        self.reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.reader.cancel()
        await self.ws.close()
        await self.session.close()

    async def _read(self) -> None:
        import aiohttp

        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                if self.first_at is None:
                    self.first_at = time.perf_counter()
                self.received += message.data  # raw: a frame may split an escape sequence
                if len(self.received) > KEEP:
                    del self.received[:-KEEP]
                self.arrived.set()

    async def wait(self, test, what: str, within: float = STEP) -> None:
        deadline = time.monotonic() + within
        while not test(ANSI.sub(b"", bytes(self.received))):
            if self.reader.done():
                raise RuntimeError(f"the session ended while waiting for {what}")
            self.arrived.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"no {what} within {within:.0f}s; got {ANSI.sub(b'', bytes(self.received))[-600:]!r}")
            try:
                await asyncio.wait_for(self.arrived.wait(), left)
            except TimeoutError:
                continue

    async def send(self, data: str) -> None:
        self.received.clear()
        await self.ws.send_str(json.dumps(["stdin", data]))

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until no frame has come for `quiet` seconds (at most STEP)."""
        deadline = time.monotonic() + STEP
        while time.monotonic() < deadline:
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), quiet)
            except TimeoutError:
                return

    async def key(self, data: str, test, what: str, timed: bool = True, within: float = STEP) -> None:
        """Send what xterm.js sends for one key; wait for the screen that answers it."""
        self.received.clear()
        self.first_at = None
        start = time.perf_counter()
        await self.ws.send_str(json.dumps(["stdin", data]))
        await self.wait(test, what, within)
        if timed:
            self.timings.update.append(time.perf_counter() - start)
            self.timings.sent.append(start)
            self.timings.first.append((self.first_at or start) - start)

    async def think(self) -> None:
        await asyncio.sleep(self.random.uniform(THINK_MIN, THINK_MAX))


def question(number: int):
    def test(text: bytes) -> bool:
        return any(int(m.group(1) or m.group(2)) == number for m in QUESTION.finditer(text))
    return test


def has(*markers: bytes):
    return lambda text: any(m in text for m in markers)


async def play_quizgame(client: Client, name: str, done: asyncio.Event) -> None:
    await client.wait(has(b"Who's playing"), "title screen")
    await client.think()
    # Until the round starts, a step that gets no answer within JOIN_WAIT makes the player
    # reload the page (a new session, a new name): now and then (a session or two in 20 on
    # this loaded machine) a freshly started game takes its first keys and then no more,
    # while idle. The run counts these reloads; once the round is on, nothing is retried.
    try:
        # The host has a player already, so `n` opens the name field (its edge is "▊"); should
        # the field have had the focus already, Ctrl+U empties it either way. The name goes in
        # as one burst, as a quick typist's keys do.
        await client.key("n", has(b"\xe2\x96\x8a"), "name field", timed=False, within=JOIN_WAIT)
        await client.settle()
        await client.key("\x15", lambda text: True, "Ctrl+U", timed=False)
        await client.settle()
        await client.key(name, has(name.encode()), "the name typed", timed=False, within=JOIN_WAIT)
        await client.key("\r", has(b"section map"), "section map", timed=False, within=JOIN_WAIT)
        await client.think()
        await client.key("\r", question(1), "question 1", timed=False, within=JOIN_WAIT)
        client.playing_at = time.perf_counter()
    except RuntimeError as error:
        raise Unresponsive(str(error)) from None
    for n in range(1, QUESTIONS + 1):
        await client.think()
        await client.key("1", has(*FEEDBACK), f"feedback {n}")
        await client.think()
        await client.key("\r", has(SUMMARY) if n == QUESTIONS else question(n + 1), f"after feedback {n}")
    await done.wait()


async def play_bare(client: Client, name: str, done: asyncio.Event) -> None:
    await client.wait(has(b"Question 1 of 10"), "bare app")
    client.playing_at = time.perf_counter()
    for _ in range(QUESTIONS):
        await client.think()
        await client.key("1", has(b"FEEDBACK"), "bare feedback")
        await client.think()
        await client.key("2", has(b"Question next"), "bare next")
    await done.wait()


async def load(served: Served, sessions: int, play, seed: int) -> tuple[list[Client], dict]:
    """Every session plays; once all are done (all still open) the host's memory is read."""
    done = asyncio.Event()
    clients = [Client(served.port, "/ws", seed * 1000 + i) for i in range(sessions)]
    reloads: list[int] = []  # sessions given up on before their round, by index
    server_before = memory(served.process.pid)

    async def one(i: int, client: Client) -> None:
        await asyncio.sleep(i * STAGGER)
        for reload in range(RELOADS + 1):
            try:
                async with client:
                    await play(client, f"Player{i + 1:02d}" + (f"r{reload}" if reload else ""), done)
                return
            except Unresponsive as error:
                if reload == RELOADS:
                    raise
                log(f"   session {i + 1} reloads its page: {str(error)[:300]}")
                reloads.append(i)
                client = clients[i] = Client(served.port, "/ws", seed * 1000 + i + 100 * (reload + 1))

    tasks = [asyncio.create_task(one(i, c)) for i, c in enumerate(clients)]
    started = time.monotonic()
    while sum(len(c.timings.update) for c in clients) < sessions * QUESTIONS * 2:
        if any(t.done() and t.exception() for t in tasks):
            break
        if time.monotonic() - started > STEP * 4 + sessions * STAGGER:
            raise RuntimeError("the load did not finish in time")
        await asyncio.sleep(0.2)
    failed = [t.exception() for t in tasks if t.done() and t.exception()]
    if failed:
        log(f"   server output: {served.errors()[-3000:]}")
        for pid in served.apps():  # where each app process is waiting, to tell a hang from a lost key
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
                wchan = Path(f"/proc/{pid}/wchan").read_text()
                threads = [Path(f"/proc/{pid}/task/{t.name}/wchan").read_text() for t in Path(f"/proc/{pid}/task").iterdir()]
                log(f"   app {pid}: state {state}, waiting in {wchan or '-'}; threads {threads}")
            except OSError:
                continue
        done.set()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise RuntimeError(f"{len(failed)} session(s) failed: {failed[0]}")
    await asyncio.sleep(1.0)  # let the last answers' screens settle before reading memory
    apps = served.apps()
    app_memory = [memory(pid) for pid in apps]
    host = {"apps": len(apps), "app_rss": [m[0] for m in app_memory], "app_pss": [m[1] for m in app_memory],
            "server_rss": memory(served.process.pid)[0], "server_pss": memory(served.process.pid)[1],
            "server_rss_before": server_before[0], "elapsed": time.monotonic() - started,
            "reloads": len(reloads)}
    done.set()
    await asyncio.gather(*tasks)
    return clients, host


# -- the local terminal baseline ------------------------------------------------------------------


def local_terminal(tmp: Path, rounds: int) -> Timings:
    import termtime as tt

    timings = Timings()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "TERM": "tmux-256color", "COLORTERM": "truecolor"}
    think = random.Random(7)
    for r in range(rounds):
        argv = [sys.executable, "-m", "quizgame", "play", "--player", "Local", "--mode", "mc", "--questions",
                str(QUESTIONS), "--seed", str(r + 1), "--save-dir", str(tmp / "local-saves")]
        with tt.Terminal(SIZE, env) as term:
            name, start = term.launch(argv, cwd=str(ROOT))
            tt.wait_for(term, name, tt.question_number, start, timeout=STEP)
            for n in range(1, QUESTIONS + 1):
                time.sleep(think.uniform(*LOCAL_THINK))
                took, first = tt.press(term, name, "1", lambda s: any(m.decode() in s for m in FEEDBACK), STEP)
                timings.update.append(took), timings.first.append(first)
                time.sleep(think.uniform(*LOCAL_THINK))

                def following(s: str, want: int = n + 1) -> bool:
                    shown = tt.question_number(s)
                    return (SUMMARY.decode() in s) if want > QUESTIONS else shown is not None and shown[0] == want

                took, first = tt.press(term, name, "Enter", following, STEP)
                timings.update.append(took), timings.first.append(first)
    return timings


# -- checks on the host -----------------------------------------------------------------------------


def check_saves(saves: Path, sessions: int, tmp: Path) -> dict:
    from quizgame.bankcache import load_bank_cached
    from quizgame.core.room import room_view
    from quizgame.store.tinydb_store import TinyDBStore
    from quizgame.ui.screens.live import TodayFeed

    bank = load_bank_cached(None)
    store = TinyDBStore(saves)
    # Host was made before the load; a player whose page was reloaded before their round
    # (see `reloads`) never played. Everyone else must have all 10 answers.
    players = [p for p in store.players() if p != "Host" and store.history(p, bank.id)]
    answers = {p: [e for e in store.history(p, bank.id) if e["type"] == "answer"] for p in players}
    logged_points = {p: sum(e["points"] for e in a) for p, a in answers.items()}
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache")}
    board = json.loads(subprocess.run([sys.executable, "-m", "quizgame", "leaderboard", "--json", "--save-dir",
                                       str(saves)], capture_output=True, text=True, check=True, env=env,
                                      timeout=60).stdout)
    board_points = {row["player"]: row["points"] for row in board["players"] if row["player"] in answers}
    board_answers = {row["player"]: row["answers"] for row in board["players"] if row["player"] in answers}
    everyone = store.everyone(bank.id)
    today = dt.datetime.now().astimezone().date()
    feed = TodayFeed(store, bank.id)  # what `quizgame leaderboard --live` reads
    feed.update(everyone, today)
    live = room_view(bank, everyone, feed.events, today, recent=0)
    live_points = {row.player: row.points for row in live.rows}
    return {
        "players": len(players), "expected_players": sessions,
        "answers": sum(len(a) for a in answers.values()), "expected_answers": sessions * QUESTIONS,
        "every_player_10": all(len(a) == QUESTIONS for a in answers.values()) and len(players) == sessions,
        "leaderboard_matches": board_points == logged_points and all(v == QUESTIONS for v in board_answers.values()),
        "live_board_matches": live_points == logged_points,
        "points": sum(logged_points.values()),
    }


# -- the run ---------------------------------------------------------------------------------------


def summary(t: Timings, everyone_playing: float | None = None) -> dict:
    """Times of all keys; with everyone_playing (when the last session's round began), also of the
    keys sent after it, once no game is starting any more (the steady state of the room)."""
    out = {"n": len(t.update), "median": statistics.median(t.update), "p95": p95(t.update),
           "first_median": statistics.median(t.first), "first_p95": p95(t.first)}
    if everyone_playing is not None:
        steady = [u for u, sent in zip(t.update, t.sent) if sent >= everyone_playing]
        out["steady"] = {"n": len(steady), "median": statistics.median(steady) if steady else float("nan"),
                         "p95": p95(steady) if steady else float("nan")}
    return out


def everyone_playing(clients: list[Client]) -> float | None:
    started = [c.playing_at for c in clients if c.playing_at is not None]
    return max(started) if started else None


def merged(clients: list[Client]) -> Timings:
    out = Timings()
    for c in clients:
        out.update += c.timings.update
        out.first += c.timings.first
        out.sent += c.timings.sent
    return out


def main() -> int:
    global THINK_MIN, THINK_MAX, SECTION  # --pace people changes them for the whole run
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="3 sessions, one local round; writes nothing")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--pace", choices=["stress", "people"], default="stress",
                        help=f"seconds before each key: stress {THINK_MIN}-{THINK_MAX} (default), "
                        f"people {PEOPLE_THINK[0]:g}-{PEOPLE_THINK[1]:g}")
    parser.add_argument("--game-only", action="store_true", help="skip the baselines (a diagnosis run; writes nothing)")
    parser.add_argument("--server", metavar="COMMAND", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.server:
        run_server(args.server, args.port)
        return 0
    sessions = 3 if args.quick else args.sessions
    if args.pace == "people":
        THINK_MIN, THINK_MAX = PEOPLE_THINK
        SECTION = "serve_load people"
    from quizgame.serve import quizgame_command

    tmp = Path(tempfile.mkdtemp(prefix="quizgame-serve-load-"))
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")  # the bank cache of every process of the run
    began = time.monotonic()
    load_before = os.getloadavg()
    try:
        if args.game_only:
            saves = tmp / "saves"
            from quizgame.store.tinydb_store import TinyDBStore

            TinyDBStore(saves).add_player("Host")
            served = Served(quizgame_command(saves, None))
            try:
                clients, game_host = asyncio.run(load(served, sessions, play_quizgame, 3))
            finally:
                served.close()
            game = summary(merged(clients), everyone_playing(clients))
            log(f"   key → update median {ms(game['median'])}, p95 {ms(game['p95'])}; once all were playing: "
                f"p95 {ms(game['steady']['p95'])} (n={game['steady']['n']}); reloads {game_host['reloads']}; "
                f"app PSS median {mb(statistics.median(game_host['app_pss']))} "
                f"(RSS {mb(statistics.median(game_host['app_rss']))}); {check_saves(saves, sessions, tmp)}")
            return 0
        log(f"1. Local terminal (tmux {SIZE[0]}x{SIZE[1]}), one game alone")
        local = summary(local_terminal(tmp, 1 if args.quick else 2))
        log(f"   key → update median {ms(local['median'])}, p95 {ms(local['p95'])} (n={local['n']})")

        log(f"2. A bare Textual app served the same way, {sessions} sessions")
        served = Served(f"exec {sys.executable} {BARE_APP}")
        try:
            clients, bare_host = asyncio.run(load(served, sessions, play_bare, 2))
        finally:
            bare_left = served.close()
        bare = summary(merged(clients), everyone_playing(clients))
        log(f"   key → update median {ms(bare['median'])}, p95 {ms(bare['p95'])}; "
            f"app PSS median {mb(statistics.median(bare_host['app_pss']))}")

        log(f"3. quizgame served, {sessions} sessions, one {QUESTIONS}-question round each")
        saves = tmp / "saves"
        from quizgame.store.tinydb_store import TinyDBStore

        TinyDBStore(saves).add_player("Host")  # every session then starts at the player list
        served = Served(quizgame_command(saves, None))
        try:
            clients, game_host = asyncio.run(load(served, sessions, play_quizgame, 3))
        finally:
            game_left = served.close()
        game = summary(merged(clients), everyone_playing(clients))
        log(f"   key → update median {ms(game['median'])}, p95 {ms(game['p95'])}; once all were playing: "
            f"median {ms(game['steady']['median'])}, p95 {ms(game['steady']['p95'])} (n={game['steady']['n']}); "
            f"app PSS median {mb(statistics.median(game_host['app_pss']))}")
        checks = check_saves(saves, sessions, tmp)
        checks["reloads"] = game_host["reloads"]
        log(f"   saves: {checks}")
        if bare_left or game_left:
            log(f"   app processes left running after Ctrl+C: {bare_left + game_left} (killed)")
        report = render(sessions, local, bare, bare_host, game, game_host, checks, bare_left + game_left,
                        time.monotonic() - began, load_before, os.getloadavg())
        log("")
        log(report)
        if not args.quick:
            write_section(Path(args.out), report)
            log(f"written to {args.out}")
        ok = (checks["every_player_10"] and checks["leaderboard_matches"] and checks["live_board_matches"]
              and not bare_left and not game_left)
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def render(sessions: int, local: dict, bare: dict, bare_host: dict, game: dict, game_host: dict, checks: dict,
           left: list[int], elapsed: float, load_before: tuple, load_after: tuple) -> str:
    from importlib.metadata import version

    import textual
    import textual_serve  # noqa: F401 - its version is reported

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=False).stdout.strip() or "?"
    game_pss, bare_pss = statistics.median(game_host["app_pss"]), statistics.median(bare_host["app_pss"])
    game_rss, bare_rss = statistics.median(game_host["app_rss"]), statistics.median(bare_host["app_rss"])
    total_pss = sum(game_host["app_pss"]) + game_host["server_pss"]
    total_rss = sum(game_host["app_rss"]) + game_host["server_rss"]
    server_share = (game_host["server_rss"] - game_host["server_rss_before"]) / sessions
    ratio_latency = game["p95"] / local["p95"]
    ratio_memory = game_pss / bare_pss
    lines = [
        f"<!-- {SECTION}: start -->",
        "## Serving to browsers (`benchmarks/serve_load.py" + (" --pace people" if THINK_MIN >= 1 else "") + "`)",
        "",
        f"Run on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `python benchmarks/serve_load.py "
        f"--sessions {sessions}{' --pace people' if THINK_MIN >= 1 else ''}`, {elapsed:.0f} s; "
        f"quizgame {commit}, Textual {textual.__version__}, "
        f"textual-serve {version('textual-serve')}, {os.cpu_count()} cores, load average {load_before[0]:.2f} "
        f"before, {load_after[0]:.2f} after (the machine is shared with other work).",
        "",
        f"{sessions} clients speak textual-serve's websocket protocol on 127.0.0.1 as the page does "
        f"({SIZE[0]}×{SIZE[1]}), "
        f"join {STAGGER} s apart, create a player each and play a {QUESTIONS}-question multiple-choice round, "
        f"waiting {THINK_MIN}–{THINK_MAX} s (seeded) before each key. A key's time runs from just before it is "
        "sent to the frame that completes the awaited screen (feedback after `1`, the next question or the "
        "summary after Enter). The local terminal plays the same rounds alone in tmux at the same size. Memory is read "
        "with every session still open after its round.",
        "",
        "| figure | value | target | result |",
        "|---|---|---|---|",
        f"| answers in the saves | {checks['answers']} of {checks['expected_answers']} "
        f"({checks['players']} players) | all | {'pass' if checks['every_player_10'] else 'FAIL'} |",
        f"| `quizgame leaderboard --json` and the live board = points logged with the answers | "
        f"{'equal' if checks['leaderboard_matches'] and checks['live_board_matches'] else 'DIFFERENT'} "
        f"({checks['points']:,} points) | equal | "
        f"{'pass' if checks['leaderboard_matches'] and checks['live_board_matches'] else 'FAIL'} |",
        f"| key → update in the browser, {sessions} sessions, median / p95 (n={game['n']}) | "
        f"{ms(game['median'])} / {ms(game['p95'])} | — | — |",
        f"| same keys in a local terminal, alone, median / p95 (n={local['n']}) | "
        f"{ms(local['median'])} / {ms(local['p95'])} | — | — |",
        f"| p95 in the browser under load ÷ p95 in a local terminal | {ratio_latency:.2f}× | ≤ 3× | "
        f"{'pass' if ratio_latency <= 3 else 'FAIL'} |",
        f"| keys sent once all {sessions} were playing (no game still starting), median / p95 "
        f"(n={game['steady']['n']}) | {ms(game['steady']['median'])} / {ms(game['steady']['p95'])} | report | — |",
        f"| ↳ that p95 ÷ p95 in a local terminal | {game['steady']['p95'] / local['p95']:.2f}× | report | — |",
        f"| bare Textual app served, {sessions} sessions, key → update median / p95 (n={bare['n']}) | "
        f"{ms(bare['median'])} / {ms(bare['p95'])} | report | — |",
        f"| first frame after a key, browser: quizgame / bare app, median | {ms(game['first_median'])} / "
        f"{ms(bare['first_median'])} | report | — |",
        f"| memory per session: quizgame's app process, PSS median | {mb(game_pss)} (RSS {mb(game_rss)}) | — | — |",
        f"| memory per session: bare app served, PSS median | {mb(bare_pss)} (RSS {mb(bare_rss)}) | — | — |",
        f"| per session, quizgame ÷ bare app (PSS) | {ratio_memory:.2f}× | ≤ 1.3× | "
        f"{'pass' if ratio_memory <= 1.3 else 'FAIL'} |",
        f"| the server's own growth per session (RSS) | {mb(server_share)} | report | — |",
        f"| host total for {sessions} sessions: server + apps, PSS (RSS summed) | {mb(total_pss)} "
        f"({mb(total_rss)}) | report | — |",
        f"| app processes left after Ctrl+C | {len(left)} | 0 | {'pass' if not left else 'FAIL'} |",
        f"| page reloads: a new game stopped taking keys before its round | {checks['reloads']} "
        f"(in {sessions} sessions) | 0 | {'pass' if not checks['reloads'] else 'see below'} |",
        "",
        "PSS counts each shared page (the Python interpreter, Textual's code) once across all processes, "
        "so the PSS total is what the sessions really take from the host; RSS counts shared pages in "
        "every process.",
        "",
        "Notes (from `benchmarks/serve_probe.py`, a few sessions at a time, not this run):",
        "",
        "- *Memory.* The bare app is served exactly as the game is: through quizgame/serve.py's server, "
        "one new `python` process per page (textual-serve's way), with no preloading or sharing beyond "
        "the shared libraries. After its round a served game holds about 11 MB more than the bare app: "
        "Textual's objects for its three live screens and their widgets (about 3 MB, 1.2 MB of it cached "
        "lines), its own modules (about 2.5 MB: the grader alone 0.7 MB), the bank (0.6 MB), and the "
        "allocator's slack after a round (freed objects whose pages cannot be handed back). After each "
        "round the game collects the round's garbage and returns free pages (gc.collect, malloc_trim). "
        "See 'Memory per session' below for what was measured and tried.",
        "- *Latency.* The bare app's key costs about 5 ms of CPU; quizgame's about 23 ms (it grades, "
        "saves with fsyncs and redraws the feedback). The server adds about 1 ms of CPU per key and "
        "nothing while idle, and an idle game uses no CPU (no timers or watchers in a round), so a key "
        "waits mostly for a CPU: the first keys of the run overlap with later players' games starting "
        "(about 0.3 s of CPU each), and the machine is shared (see the load average); the row 'once all "
        "were playing' shows the room after that.",
        "- *Size.* This run uses 120×40, as `benchmarks/run.py` does. The first runs of this benchmark, "
        "at 80×24, stalled on the title screen: with a dozen players the new-player name field sat below "
        "the bottom row. The player list now gives up its rows to the field (tests/ui/test_first_hour.py; "
        "16 players at 80×24 in tmux show the field).",
        "- *Reloads.* A session that gets no answer to a step before its round within 15 s "
        "reloads the page as a player would (a new session, a new name); the table counts them.",
        f"<!-- {SECTION}: end -->",
    ]
    return "\n".join(lines)


def write_section(path: Path, report: str) -> None:
    """Replace this benchmark's section of RESULTS.md (or add it at the end); the rest is kept."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# quizgame benchmark results\n"
    start, end = f"<!-- {SECTION}: start -->", f"<!-- {SECTION}: end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + report + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + report + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
