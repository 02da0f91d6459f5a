"""Two game processes saving at the same time into one save folder lose nothing."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizgame.core.progress import Progress
from quizgame.store.tinydb_store import TinyDBStore

WRITER = Path(__file__).with_name("writer.py")
EACH = 500
BANK = "shared"


def _run_writers(folder: Path, players: list[str], each: int = EACH, card_files: bool = False) -> list[list[str]]:
    """Start one writer per player, release them together; the ids each one reported."""
    env = {**os.environ, "QUIZGAME_TEST_CARD_FILES": "1"} if card_files else None
    procs = [subprocess.Popen([sys.executable, str(WRITER), str(folder), player, BANK, f"w{i}", str(each)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for i, player in enumerate(players)]
    try:
        for proc in procs:
            assert proc.stdout.readline() == "waiting\n"
        for proc in procs:  # both are imported and waiting: release them together
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=90)
            assert proc.returncode == 0, err
            assert "Traceback" not in err, err
            results.append(out.split()[1:])  # after "ready"
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    return results


def _check_player(store: TinyDBStore, player: str) -> list[dict]:
    history = store.history(player, BANK)
    progress = store.progress(player, BANK)
    assert progress.answers == len(history)
    assert progress.points == sum(event["points"] for event in history)
    assert [event["seq"] for event in history] == list(range(1, len(history) + 1))
    replayed = Progress()
    for event in history:
        replayed.apply(event)
    assert progress.to_dict() == replayed.to_dict()
    return history


def _switches(ids: list[str]) -> int:
    """How often the log passes from one writer's answers to the other's."""
    return sum(a.split("-")[0] != b.split("-")[0] for a, b in zip(ids, ids[1:]))


@pytest.mark.timeout(120)
def test_two_processes_same_player(tmp_path: Path) -> None:
    started = time.monotonic()
    reported = _run_writers(tmp_path, ["Ana", "Ana"])
    assert [len(ids) for ids in reported] == [EACH, EACH]
    store = TinyDBStore(tmp_path)
    assert store.warnings == []
    assert store.players() == ["Ana"]
    history = _check_player(store, "Ana")
    ids = [event["id"] for event in history]
    assert len(history) == 2 * EACH
    assert sorted(ids) == sorted(reported[0] + reported[1])
    assert store.progress("Ana", BANK).answers == 2 * EACH
    switches = _switches(ids)
    print(f"\nsame player: {len(history)} of {2 * EACH} concurrent answers kept, "
          f"log switches writer {switches} times, {time.monotonic() - started:.1f} s")
    assert switches >= 2  # the two really did write at the same time (how often they alternate depends on load)


@pytest.mark.timeout(120)
def test_two_processes_two_players(tmp_path: Path) -> None:
    started = time.monotonic()
    reported = _run_writers(tmp_path, ["Ana", "Bob"])
    store = TinyDBStore(tmp_path)
    assert store.warnings == []
    assert sorted(store.players()) == ["Ana", "Bob"]
    kept = 0
    for player, ids in zip(["Ana", "Bob"], reported):
        history = _check_player(store, player)
        assert [event["id"] for event in history] == ids  # one writer each: in order
        assert store.progress(player, BANK).answers == EACH
        kept += len(history)
    assert kept == 2 * EACH
    everyone = store.everyone(BANK)
    assert sum(p.answers for p in everyone.values()) == 2 * EACH
    print(f"\ntwo players: {kept} of {2 * EACH} concurrent answers kept, {time.monotonic() - started:.1f} s")


@pytest.mark.timeout(120)
def test_two_processes_same_player_with_card_files(tmp_path: Path) -> None:
    """The same with a big bank's layout: card files, and a snapshot written every few events,
    so that each process often finds the other's events past the snapshot it remembers."""
    reported = _run_writers(tmp_path, ["Ana", "Ana"], each=200, card_files=True)
    assert list(tmp_path.glob(f"players/*/cards-{BANK}-*.json"))
    store = TinyDBStore(tmp_path)
    assert store.warnings == []
    history = _check_player(store, "Ana")
    assert sorted(event["id"] for event in history) == sorted(reported[0] + reported[1])
    assert _switches([event["id"] for event in history]) >= 2
