"""Hostile save files: whatever a file holds, reading it never crashes. Damage is set aside and
reported, the other players and files are kept; a newer version's file is never touched."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizgame.cli import main
from quizgame.core.clock import FixedClock
from quizgame.store.base import CannotSave, NewerSave
from quizgame.store.tinydb_store import TinyDBStore

from .writer import answer_event

BANK = "ml-interview"  # the shipped bank, so the CLI reads the same files


def _clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and p.name != ".lock"}


@pytest.fixture
def saves(tmp_path: Path) -> tuple[Path, TinyDBStore, dict[str, dict]]:
    store = TinyDBStore(tmp_path, clock=_clock())
    for player in ("Ana", "Bob"):
        store.add_player(player)
        for n in range(5):
            store.record_answer(player, BANK, answer_event(f"{player}-{n}", n, question="tf-self-attention"))
    before = {p: store.progress(p, BANK).to_dict() for p in ("Ana", "Bob")}
    return tmp_path, store, before


def _ana(store: TinyDBStore, name: str) -> Path:
    return store._player_dir("Ana") / name


def deep(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


def long_int(path: Path) -> None:
    path.write_text('{"progress": {"1": {"points": ' + "9" * 5000 + "}}}")


def big_int(path: Path) -> None:
    data = json.loads(path.read_text())
    data["progress"]["1"]["points"] = 10**40
    path.write_text(json.dumps(data))


def schema_minus_one(path: Path) -> None:
    data = json.loads(path.read_text())
    data["_meta"] = {"1": {"schema": -1}}
    path.write_text(json.dumps(data))


def schema_text(path: Path) -> None:
    data = json.loads(path.read_text())
    data["_meta"] = {"1": {"schema": "1"}}
    path.write_text(json.dumps(data))


def utf16_schema0(path: Path) -> None:
    data = json.loads(path.read_text())
    del data["_meta"]
    path.write_bytes(json.dumps(data).encode("utf-16"))


def nan(path: Path) -> None:
    path.write_text(path.read_text().replace('"score":0.0', '"score":NaN', 1).replace('"points":', '"points":NaN,"x":', 1))


def infinity(path: Path) -> None:
    data = json.loads(path.read_text())
    path.write_text(json.dumps(data).replace('"score": 0.0', '"score": Infinity').replace(
        '"points": ', '"points": 1e999, "was": ', 1))


SNAPSHOT_DAMAGE = [deep, long_int, big_int, schema_minus_one, schema_text, utf16_schema0, nan, infinity]


@pytest.mark.parametrize("damage", SNAPSHOT_DAMAGE)
def test_unreadable_snapshot_is_set_aside_and_rebuilt(saves, damage, capsys):
    folder, old, before = saves
    path = _ana(old, f"progress-{BANK}.json")
    damage(path)
    damaged = path.read_bytes()
    store = TinyDBStore(folder, clock=_clock())
    assert len(store.warnings) == 1 and str(path) in store.warnings[0]
    assert store.progress("Ana", BANK).to_dict() == before["Ana"]  # rebuilt from the log
    assert store.progress("Bob", BANK).to_dict() == before["Bob"]
    assert [b.read_bytes() for b in path.parent.glob(path.name + ".damaged-*")] == [damaged]
    # The commands that print read the same saves: no traceback, valid JSON, no NaN.
    capsys.readouterr()
    assert main(["leaderboard", "--json", "--save-dir", str(folder)]) == 0
    board = json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"{c} printed"))
    assert [p["player"] for p in board["players"]] == ["Ana", "Bob"] or ["Bob", "Ana"]
    assert main(["stats", "--json", "--player", "Ana", "--save-dir", str(folder)]) == 0
    json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"{c} printed"))


@pytest.mark.parametrize("events", [
    {"abc": {"type": "answer"}}, {"0601": {"type": "answer"}}, {"601": ["an", "event", "as", "a", "list"]},
    {"602": "text"}, {"603": None},
], ids=["key-abc", "key-0601", "event-list", "event-text", "event-null"])
def test_unreadable_events_are_set_aside_the_rest_kept(saves, events):
    folder, old, before = saves
    path = _ana(old, f"log-{BANK}-000001.json")
    data = json.loads(path.read_text())
    data["events"].update(events)
    path.write_text(json.dumps(data))
    damaged = path.read_bytes()
    store = TinyDBStore(folder, clock=_clock())
    assert len(store.warnings) == 1 and "unreadable entr" in store.warnings[0]
    assert [b.read_bytes() for b in path.parent.glob(path.name + ".damaged-*")] == [damaged]
    assert [e["id"] for e in store.history("Ana", BANK)] == [f"Ana-{n}" for n in range(5)]
    assert store.progress("Ana", BANK).to_dict() == before["Ana"]
    store.record_answer("Ana", BANK, answer_event("Ana-5", 5))
    again = TinyDBStore(folder, clock=_clock())
    assert again.warnings == []
    assert again.progress("Ana", BANK).answers == 6
    assert again.progress("Bob", BANK).to_dict() == before["Bob"]


def test_duplicated_events_in_a_damaged_log_count_once(saves):
    folder, old, before = saves
    log = _ana(old, f"log-{BANK}-000001.json")
    data = json.loads(log.read_text())
    copy = {str(int(k) + 5): {**v, "seq": int(k) + 5} for k, v in data["events"].items()}
    data["events"].update(copy)  # the same five answers logged twice
    log.write_text(json.dumps(data))
    _ana(old, f"progress-{BANK}.json").unlink()  # so the whole log is replayed
    store = TinyDBStore(folder, clock=_clock())
    progress = store.progress("Ana", BANK)
    assert progress.answers == 5 and progress.points == before["Ana"]["points"]
    store.record_answer("Ana", BANK, answer_event("Ana-5", 5))
    assert TinyDBStore(folder).progress("Ana", BANK).answers == 6


def test_a_retried_event_counts_once(saves):
    folder, store, before = saves
    event = answer_event("Ana-retry", 9, verdict="correct", score=1.0)
    first = store.record_answer("Ana", BANK, event)
    again = store.record_answer("Ana", BANK, event)
    assert first[1] == again[1]
    assert again[0].answers == before["Ana"]["answers"] + 1
    assert [e["id"] for e in store.history("Ana", BANK)].count("Ana-retry") == 1


def test_every_logged_event_has_an_id(saves):
    folder, store, _ = saves
    store.record_round("Ana", BANK, {"type": "round", "at": "2026-11-26T10:05:00+00:00", "section": "s",
                                     "mode": "mc", "points": 10, "answered": 1, "correct": 1})
    ids = [e["id"] for e in store.history("Ana", BANK)]
    assert all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids)


@pytest.mark.parametrize("which", ["player.json", f"progress-{BANK}.json", f"log-{BANK}-000001.json"])
def test_a_newer_save_is_never_moved_or_changed(saves, which, capsys):
    folder, old, before = saves
    path = _ana(old, which)
    data = json.loads(path.read_text())
    data["_meta"] = {"1": {"schema": 7}}
    data["table_to_come"] = {"1": ["not", "a", "document", "we", "know"]}
    path.write_text(json.dumps(data))
    files = _files(folder)
    for _ in range(2):
        store = TinyDBStore(folder, clock=_clock())
        assert len(store.warnings) == 1 and "newer quizgame" in store.warnings[0]
        assert store.players() == ["Ana", "Bob"]
        assert store.unplayable("Ana") and store.unplayable("Bob") is None
        with pytest.raises(NewerSave):
            store.progress("Ana", BANK)
        with pytest.raises(CannotSave):
            store.record_answer("Ana", BANK, answer_event("Ana-new", 9))
        assert store.everyone(BANK).keys() == {"Bob"}
        store.record_answer("Bob", BANK, answer_event("Bob-new", 9))
        assert main(["leaderboard", "--save-dir", str(folder)]) == 0
        assert main(["stats", "--player", "Ana", "--save-dir", str(folder)]) == 1
        assert "newer quizgame" in capsys.readouterr().err
        assert main(["play", "--player", "ana", "--save-dir", str(folder)]) == 1
        assert "newer quizgame" in capsys.readouterr().err
    after = _files(folder)
    assert {k: v for k, v in after.items() if "bob" not in k} == {k: v for k, v in files.items() if "bob" not in k}


def test_a_huge_event_number_does_not_poison_later_events(saves):
    folder, old, before = saves
    log = _ana(old, f"log-{BANK}-000001.json")
    data = json.loads(log.read_text())
    data["events"]["999999999999999"] = {**data["events"]["5"], "id": "x", "seq": 10**30}
    log.write_text(json.dumps(data))
    _ana(old, f"progress-{BANK}.json").unlink()
    store = TinyDBStore(folder, clock=_clock())
    store.record_answer("Ana", BANK, answer_event("Ana-5", 5))
    store.record_answer("Ana", BANK, answer_event("Ana-6", 6))
    again = TinyDBStore(folder, clock=_clock())
    assert again.warnings == []
    assert [e["id"] for e in again.history("Ana", BANK) if e["id"] != "x"][-2:] == ["Ana-5", "Ana-6"]
    assert again.progress("Ana", BANK).answers == 5 + 2  # the edited event never counted
