#!/usr/bin/env python3
"""A cheap probe of one or a few served sessions, for iterating on a served game's cost.

    .venv/bin/python benchmarks/serve_probe.py [--sessions 3] [--env NAME=VALUE ...] [--bare]

The load test (`benchmarks/serve_load.py`) runs 20 sessions of the game and of the bare app and
loads the shared machine for minutes; this runs a few sessions of one of them through the same
server and clients (imported from it) and prints, per app process:
- memory at the title screen and after a 10-question round (RSS, PSS, and USS: the pages that
  process alone holds, which is what one more session adds to the host);
- the CPU time (user + system, from /proc/<pid>/stat) the app spent on the round's keys, per
  key, and while sitting idle on a question for IDLE seconds;
- the server's CPU time over the same spans.
`--env` adds variables to the served apps' environment (textual-serve passes the server's on).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import serve_load as sl  # noqa: E402 - after the path is set

IDLE = 5.0  # seconds an app sits on a question with nothing pressed, to measure its idle CPU
TICKS = os.sysconf("SC_CLK_TCK")


def cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def uss(pid: int) -> int:
    """Private (unshared) KiB of a process."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total


def mappings(pid: int) -> dict[str, int]:
    """PSS in KiB of each mapped file (or [heap], [anon]) of a process."""
    found: dict[str, int] = {}
    name = "?"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
            name = head[5] if len(head) > 5 else "[anon]"
        elif line.startswith("Pss:"):
            found[name] = found.get(name, 0) + int(head[1])
    return found


def snapshot(served: sl.Served) -> dict[int, tuple[int, int, int]]:
    out: dict[int, tuple[int, int, int]] = {}
    for pid in served.apps():
        rss, pss = sl.memory(pid)
        out[pid] = (rss, pss, uss(pid))
    return out


async def probe(served: sl.Served, sessions: int, bare: bool) -> dict[str, object]:
    clients = [sl.Client(served.port, "/ws", 11 + i) for i in range(sessions)]
    for client in clients:
        await client.__aenter__()
    try:
        title_marker = b"Question 1 of 10" if bare else b"Who's playing"
        for client in clients:
            await client.wait(sl.has(title_marker), "first screen")
        await asyncio.sleep(1.0)
        title = snapshot(served)
        if not bare:
            for i, client in enumerate(clients):
                await client.key("n", sl.has(b"\xe2\x96\x8a"), "name field", timed=False)
                await client.settle()
                await client.key("\x15", lambda text: True, "Ctrl+U", timed=False)
                await client.settle()
                name = f"Probe{i:02d}"
                await client.key(name, sl.has(name.encode()), "the name typed", timed=False)
                await client.key("\r", sl.has(b"section map"), "section map", timed=False)
                await client.key("\r", sl.question(1), "question 1", timed=False)
        await asyncio.sleep(0.5)
        pids = served.apps()
        idle_before = {pid: cpu(pid) for pid in pids}
        server_idle_before = cpu(served.process.pid)
        await asyncio.sleep(IDLE)
        idle = {pid: (cpu(pid) - idle_before[pid]) / IDLE for pid in pids}
        server_idle = (cpu(served.process.pid) - server_idle_before) / IDLE
        keys_before = {pid: cpu(pid) for pid in pids}
        server_before = cpu(served.process.pid)
        began = time.monotonic()
        for n in range(1, sl.QUESTIONS + 1):
            for client in clients:
                if bare:
                    await client.key("1", sl.has(b"FEEDBACK"), "bare feedback")
                else:
                    await client.key("1", sl.has(*sl.FEEDBACK), f"feedback {n}")
            for client in clients:
                if bare:
                    await client.key("2", sl.has(b"Question next"), "bare next")
                else:
                    await client.key("\r", sl.has(sl.SUMMARY) if n == sl.QUESTIONS else sl.question(n + 1),
                                     f"after feedback {n}")
        spent = time.monotonic() - began
        keys = sessions * sl.QUESTIONS * 2
        per_key = {pid: (cpu(pid) - keys_before[pid]) / (sl.QUESTIONS * 2) for pid in pids}
        server_keys = cpu(served.process.pid) - server_before
        await asyncio.sleep(1.0)
        after = snapshot(served)
        maps = mappings(pids[0])
        times = [t for c in clients for t in c.timings.update]
        return {"title": title, "after": after, "idle": idle, "server_idle": server_idle, "per_key": per_key,
                "server_per_key": server_keys / keys, "median": statistics.median(times),
                "p95": sl.p95(times), "spent": spent, "maps": maps}
    finally:
        for client in clients:
            await client.__aexit__()


def show(label: str, memory: dict[int, tuple[int, int, int]]) -> str:
    rss = statistics.median(m[0] for m in memory.values())
    pss = statistics.median(m[1] for m in memory.values())
    own = statistics.median(m[2] for m in memory.values())
    return f"{label}: RSS {sl.mb(rss)}, PSS {sl.mb(pss)}, USS {sl.mb(own)} (median of {len(memory)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--bare", action="store_true", help="probe the bare Textual app instead of the game")
    parser.add_argument("--maps", action="store_true", help="print one app's largest mappings after the round")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    for pair in args.env:
        name, _, value = pair.partition("=")
        os.environ[name] = value
    from quizgame.serve import quizgame_command
    from quizgame.store.tinydb_store import TinyDBStore

    tmp = Path(tempfile.mkdtemp(prefix="quizgame-serve-probe-"))
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
    saves = tmp / "saves"
    TinyDBStore(saves).add_player("Host")
    command = f"exec {sys.executable} {sl.BARE_APP}" if args.bare else quizgame_command(saves, None)
    served = sl.Served(command)
    try:
        result = asyncio.run(probe(served, args.sessions, args.bare))
    finally:
        left = served.close()
    print(show("title screen", result["title"]))  # type: ignore[arg-type]
    print(show("after the round", result["after"]))  # type: ignore[arg-type]
    per_key = statistics.median(result["per_key"].values())  # type: ignore[union-attr]
    idle = statistics.median(result["idle"].values())  # type: ignore[union-attr]
    print(f"app CPU per key {per_key * 1000:.1f} ms; app CPU idle on a question {idle * 1000:.1f} ms/s; "
          f"server CPU per key {float(result['server_per_key']) * 1000:.1f} ms, "  # type: ignore[arg-type]
          f"idle {float(result['server_idle']) * 1000:.1f} ms/s")  # type: ignore[arg-type]
    if args.maps:
        maps: dict[str, int] = result["maps"]  # type: ignore[assignment]
        for name, kib in sorted(maps.items(), key=lambda kv: -kv[1])[:15]:
            print(f"  PSS {kib:7d} KiB  {name}")
    print(f"key → update (sessions one after another) median {sl.ms(result['median'])}, "  # type: ignore[arg-type]
          f"p95 {sl.ms(result['p95'])}; left running {left}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
