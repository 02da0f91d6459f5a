"""Kill a game process at random moments while it saves, hundreds of times, and check that
every answer it reported as saved is still there and the progress agrees with the log."""
from __future__ import annotations

import json
import os
import queue
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quizgame.core.progress import Progress
from quizgame.store.tinydb_store import TinyDBStore

WRITER = Path(__file__).with_name("writer.py")
KILLS = 200
SEED = 20261126
PLAYER, BANK = "Killjoy", "kills"
WAIT = 15.0  # seconds: the longest a child may take to print its next line


class Child:
    """One writer process, started ahead of time and held until go()."""

    def __init__(self, folder: Path, run: int, logs: Path, env: dict[str, str] | None = None):
        self.stderr = open(logs / f"child-{run:03d}.err", "w+")
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(folder), PLAYER, BANK, f"k{run:03d}", "0"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True, bufsize=1, env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.ids: list[str] = []
        self.ready = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _take(self, line: str) -> None:
        if not line.endswith("\n"):  # cut off by the kill: never reported
            return
        word = line.strip()
        if word == "ready":
            self.ready = True
        elif word != "waiting":
            self.ids.append(word)

    def _next(self) -> str:
        try:
            line = self.lines.get(timeout=WAIT)
        except queue.Empty:
            pytest.fail(f"writer printed nothing for {WAIT} s")
        if line is None:
            self.stderr.seek(0)
            pytest.fail(f"writer ended by itself (exit {self.proc.wait(WAIT)}):\n{self.stderr.read()}")
        return line

    def wait_waiting(self) -> None:
        assert self._next() == "waiting\n"

    def go(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def wait_ids(self, n: int) -> None:
        while len(self.ids) < n:
            self._take(self._next())

    def kill(self) -> list[str]:
        self.proc.kill()
        self.proc.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)
        assert not self.reader.is_alive()
        while (line := self.lines.get_nowait()) is not None:
            self._take(line)
        self.stderr.seek(0)
        err = self.stderr.read()
        self.stderr.close()
        assert self.proc.returncode == -9, err
        assert "Traceback" not in err, err
        return self.ids

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=WAIT)
        if not self.stderr.closed:
            self.stderr.close()


def _snapshot_behind(folder: Path) -> bool:
    """Whether the kill fell between writing the log and writing the snapshot."""
    seqs = [int(k) for chunk in folder.glob(f"players/*/log-{BANK}-*.json")
            for k in json.loads(chunk.read_text()).get("events", {})]
    snaps = list(folder.glob(f"players/*/progress-{BANK}.json"))
    applied = json.loads(snaps[0].read_text())["progress"]["1"]["applied"] if snaps else 0
    return max(seqs, default=0) > applied


def _check(folder: Path, reported: list[str]) -> int:
    """Open the save as a new game would and check it; the number of answers it holds."""
    store = TinyDBStore(folder)
    assert store.warnings == []
    # A killed writer's temp file stays until it is an hour old (a live writer may own it);
    # it is never read as data, which the checks below show.
    if store.find_player(PLAYER) is None:  # killed before the player was first saved
        assert not reported
        return 0
    history = store.history(PLAYER, BANK)
    ids = [event["id"] for event in history]
    assert len(ids) == len(set(ids)), "an answer was logged twice"
    assert [event["seq"] for event in history] == list(range(1, len(history) + 1))
    lost = set(reported) - set(ids)
    assert not lost, f"{len(lost)} answers reported saved are gone: {sorted(lost)[:5]}"
    progress = store.progress(PLAYER, BANK)
    assert progress.answers == len(history)
    assert progress.points == sum(event["points"] for event in history)
    replayed = Progress()
    for event in history:
        replayed.apply(event)
    assert progress.to_dict() == replayed.to_dict()
    return len(history)


@pytest.mark.timeout(150)
@pytest.mark.parametrize("kills, card_files", [(KILLS, False), (60, True)], ids=["progress-file", "card-files"])
def test_kill_loop(tmp_path: Path, kills: int, card_files: bool) -> None:
    """With card_files, the writers lay out their seven questions as a big bank's are (card
    files, the snapshot every 3 events), so kills also fall between card files and the
    progress file that lists them."""
    env = {**os.environ, "QUIZGAME_TEST_CARD_FILES": "1"} if card_files else None
    rng = random.Random(SEED)
    folder, logs = tmp_path / "saves", tmp_path / "logs"
    logs.mkdir()
    reported: list[str] = []
    saved = temps_left = behind = during_open = 0
    started = time.monotonic()
    children = [Child(folder, 0, logs, env)]
    try:
        for kill in range(kills):
            child = children[-1]
            child.wait_waiting()
            children.append(Child(folder, kill + 1, logs, env))  # the next one imports meanwhile
            child.go()
            moment = rng.random()
            if moment < 0.15:
                time.sleep(rng.uniform(0.0, 0.0015))  # while the store opens (under a millisecond)
            elif moment < 0.3:
                time.sleep(rng.uniform(0.0, 0.03))
            else:
                child.wait_ids(rng.randint(0, 8))
                time.sleep(rng.uniform(0.0, 0.004))  # somewhere inside the next save
            ids = child.kill()
            during_open += not child.ready
            reported.extend(ids)
            temps_left += bool(list(folder.rglob("*.quizgame-tmp")))
            behind += _snapshot_behind(folder)
            saved = _check(folder, reported)
    finally:
        for child in children:
            child.stop()
    elapsed = time.monotonic() - started
    if card_files:
        assert list(folder.glob(f"players/*/cards-{BANK}-*.json"))
    print(f"\nkill loop: {kills} kills survived ({during_open} before the store was ready, "
          f"{temps_left} left a temp file, {behind} between log and snapshot); "
          f"{len(reported)} answers reported, 0 lost, {saved - len(reported)} saved but unreported; "
          f"{elapsed:.1f} s")
    assert len(reported) > kills  # the kills did land while answers were being saved
