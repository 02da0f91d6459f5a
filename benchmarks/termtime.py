"""Run a program in a real terminal (tmux) and time what appears on its screen.

Each `Terminal` gets a tmux server of its own (`tmux -L <unique socket> -f /dev/null`), and
`close()` always kills that server and any program it started, so nothing is left running.

The screen is read through one tmux control-mode client (`tmux -C`) kept open for the whole
run: a capture is one line written to a pipe and a few lines read back (well under a
millisecond), instead of starting a `tmux capture-pane` process per poll (a few ms each).
`polling_overhead()` measures both ways on an idle pane, so the resolution is on record.
"""
from __future__ import annotations

import atexit
import os
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

SETTLE = 0.05       # a screen unchanged this long (after >= MIN_VISIBLE characters) has settled
MIN_VISIBLE = 5
# Pause between two captures. A capture costs ~0.05 ms, so polling without a pause keeps the
# poller and the tmux server busy on a whole core, which on a 2-core machine slows the program
# being measured. A 0.5 ms pause keeps the resolution near 0.55 ms at a few % of one core.
POLL_GAP = 0.0005

_LIVE: set["Terminal"] = set()


def _cleanup_all() -> None:
    for terminal in list(_LIVE):
        terminal.close()


atexit.register(_cleanup_all)


def install_signal_cleanup() -> None:
    """On Ctrl-C or SIGTERM, close every terminal before exiting (atexit alone misses SIGTERM)."""
    def handler(signum, _frame):
        _cleanup_all()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)


class TerminalError(RuntimeError):
    pass


def _quote(arg: str) -> str:
    if "'" in arg or "\n" in arg:
        raise ValueError(f"cannot pass {arg!r} to tmux")
    return f"'{arg}'"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class Terminal:
    """One tmux server, with a control client to drive it; start programs with `launch()`."""

    def __init__(self, size: tuple[int, int] = (120, 40), env: dict[str, str] | None = None):
        self.size = size
        self.socket = f"qgbench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.base = ["tmux", "-L", self.socket, "-f", "/dev/null"]
        self.env = env
        self.pids: set[int] = set()
        self.client: subprocess.Popen | None = None
        self.socket_path = ""
        self.sessions = 0
        w, h = size
        _LIVE.add(self)
        try:
            # The keeper holds the server up between programs; its environment becomes the
            # server's, so every program gets `env`.
            subprocess.run(self.base + ["new-session", "-d", "-s", "keeper", "-x", str(w), "-y", str(h),
                                        "sleep", "3600"], check=True, env=env, capture_output=True)
            self.client = subprocess.Popen(
                self.base + ["-C", "attach-session", "-t", "keeper", "-f", "no-output,ignore-size"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                bufsize=0)
            self._out = self.client.stdout
            self._buf = b""
            self.command("set-option -g remain-on-exit on")  # a crash leaves its message on screen
            self.command("set-option -g history-limit 0")
            # A modern terminal: 256 colours (plus COLORTERM from env, if the caller sets it).
            self.command("set-option -g default-terminal tmux-256color")
            self.socket_path = self.command("display-message -p '#{socket_path}'")[0].strip()
        except BaseException:
            self.close()
            raise

    # -- control-mode protocol -------------------------------------------------------------

    def _readline(self) -> bytes:
        while b"\n" not in self._buf:
            chunk = os.read(self._out.fileno(), 65536)
            if not chunk:
                raise TerminalError("the tmux control client went away")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return line

    def command(self, line: str) -> list[str]:
        """Run one tmux command; return its output lines (TerminalError if tmux refuses it)."""
        assert self.client and self.client.stdin
        self.client.stdin.write(line.encode() + b"\n")
        while True:
            head = self._readline()
            if not head.startswith(b"%begin "):
                continue  # a notification
            flags = head.split()[-1]
            body: list[bytes] = []
            while True:
                row = self._readline()
                if row.startswith((b"%end ", b"%error ")) and row.split()[1:] == head.split()[1:]:
                    break
                body.append(row)
            if flags == b"0":
                continue  # a block not started by a command of ours (the attach itself)
            text = [b.decode("utf-8", "replace") for b in body]
            if row.startswith(b"%error "):
                raise TerminalError(f"tmux: {line!r}: {' '.join(text)}")
            return text

    # -- programs --------------------------------------------------------------------------

    def launch(self, argv: list[str], cwd: str | None = None) -> tuple[str, float]:
        """Start argv in a new session; return (session name, perf_counter() just before)."""
        self.sessions += 1
        name = f"run{self.sessions}"
        w, h = self.size
        where = f"-c {_quote(cwd)} " if cwd else ""
        line = f"new-session -d -s {name} -x {w} -y {h} {where}-- " + " ".join(_quote(a) for a in argv)
        start = time.perf_counter()
        self.command(line)
        return name, start

    def capture(self, name: str) -> str:
        return "\n".join(self.command(f"capture-pane -p -t {name}"))

    def poll(self, name: str) -> str:
        """A capture for a polling loop: pauses POLL_GAP first."""
        if POLL_GAP:
            time.sleep(POLL_GAP)
        return self.capture(name)

    def send(self, name: str, *keys: str) -> None:
        self.command(f"send-keys -t {name} " + " ".join(keys))

    def pane_pid(self, name: str) -> int:
        pid = int(self.command(f"display-message -p -t {name} '#{{pane_pid}}'")[0])
        self.pids.add(pid)
        return pid

    def dead(self, name: str) -> bool:
        return self.command(f"display-message -p -t {name} '#{{pane_dead}}'")[0].strip() == "1"

    def close(self) -> None:
        """Kill the server and anything it ran; safe to call more than once."""
        if self not in _LIVE:
            return
        _LIVE.discard(self)
        try:
            listed = subprocess.run(self.base + ["list-panes", "-a", "-F", "#{pane_pid}"],
                                    capture_output=True, text=True, timeout=5).stdout.split()
            self.pids.update(int(p) for p in listed if p.isdigit())
        except (OSError, subprocess.SubprocessError):
            pass
        subprocess.run(self.base + ["kill-server"], capture_output=True, timeout=10)
        if self.client:
            try:
                self.client.stdin.close()
            except OSError:
                pass
            try:
                self.client.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.client.kill()
                self.client.wait()
            self.client.stdout.close()
        if self.socket_path and Path(self.socket_path).name == self.socket:
            Path(self.socket_path).unlink(missing_ok=True)  # tmux leaves its socket file behind
        # kill-server hangs up on every pane; make sure each program we started really ended.
        deadline = time.monotonic() + 3
        for pid in self.pids:
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.01)
            if _alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def __enter__(self) -> "Terminal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- measurements ------------------------------------------------------------------------------


def visible(screen: str) -> int:
    return sum(not c.isspace() for c in screen)


def first_screen(argv: list[str], marker=None, size=(120, 40), timeout: float = 30.0,
                 env: dict | None = None, after=None):
    """Seconds from launch until the screen shows `marker` (a string, or a test on the screen), or has settled (>= MIN_VISIBLE
    characters, unchanged for SETTLE seconds; the settle wait is not counted), whichever
    comes first. `after(terminal, session)` runs once the screen is there, before the server
    is killed (to read memory, say); returns (seconds, how, after's result)."""
    with Terminal(size, env) as term:
        name, start = term.launch(argv)
        last, last_at = None, None
        while True:
            screen = term.poll(name)
            now = time.perf_counter()
            if marker is not None and (marker(screen) if callable(marker) else marker in screen):
                elapsed, how = now - start, "marker"
                break
            if visible(screen) >= MIN_VISIBLE:
                if screen != last:
                    last, last_at = screen, now
                elif now - last_at >= SETTLE:
                    elapsed, how = last_at - start, "settled"
                    break
            if now - start > timeout:
                raise TerminalError(f"{argv[0]}: no first screen within {timeout:.0f}s; screen:\n{screen}")
        extra = after(term, name) if after else None
        return elapsed, how, extra


def peak_rss_mb(term: Terminal, name: str) -> float:
    """VmHWM (peak resident set) of the program in the pane, in MB (2**20 bytes)."""
    pid = term.pane_pid(name)
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise TerminalError("no VmHWM")


def sched(pid: int) -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting in the run queue) so far, summed over the process's
    threads, from /proc/<pid>/task/*/schedstat (nanosecond counters kept by the scheduler).
    The first is the work the program did; the second, time it was ready but the machine busy."""
    cpu = wait = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "schedstat").read_text().split()
        except OSError:
            continue  # a thread that just ended
        cpu += int(fields[0])
        wait += int(fields[1])
    return cpu / 1e9, wait / 1e9


def wait_for(term: Terminal, name: str, test, start: float, timeout: float = 10.0) -> tuple[float, str]:
    """Poll the screen until test(screen) is true; (seconds since start, screen)."""
    while True:
        screen = term.poll(name)
        now = time.perf_counter()
        if test(screen):
            return now - start, screen
        if now - start > timeout:
            raise TerminalError(f"timed out after {timeout:.0f}s; screen:\n{screen}")


def press(term: Terminal, name: str, key: str, test, timeout: float = 10.0) -> tuple[float, float]:
    """Send one key; poll the screen. Returns (seconds until test(screen) holds,
    seconds until the screen first differed from how it was just before the key)."""
    before = term.capture(name)
    start = time.perf_counter()
    term.send(name, key)
    changed = None
    while True:
        screen = term.poll(name)
        now = time.perf_counter()
        if changed is None and screen != before:
            changed = now - start
        if test(screen):
            return now - start, changed if changed is not None else now - start
        if now - start > timeout:
            raise TerminalError(f"{key}: timed out after {timeout:.0f}s; screen:\n{screen}")


def polling_overhead(samples: int = 200) -> dict[str, float]:
    """Median seconds for one capture of an idle 120x40 pane: through the control client, and by
    running `tmux capture-pane` as a process (how a simpler harness would poll)."""
    import statistics

    with Terminal() as term:
        name, _ = term.launch(["sleep", "60"])
        term.capture(name)
        control = []
        for _ in range(samples):
            t = time.perf_counter()
            term.capture(name)
            control.append(time.perf_counter() - t)
        process = []
        for _ in range(max(20, samples // 5)):
            t = time.perf_counter()
            subprocess.run(term.base + ["capture-pane", "-p", "-t", name], capture_output=True)
            process.append(time.perf_counter() - t)
    return {"control": statistics.median(control), "process": statistics.median(process)}


# The round bar: "Question 3 of 17 · ..." (or, in newer layouts, "3/17 · ...").
QUESTION_LINE = re.compile(r"Question (\d+) of (\d+)|^ *(\d+)/(\d+) +·", re.MULTILINE)


def question_number(screen: str) -> tuple[int, int] | None:
    """(question, of) from the round bar on the screen, or None."""
    m = QUESTION_LINE.search(screen)
    if not m:
        return None
    n, total = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return int(n), int(total)
