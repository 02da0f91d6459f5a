"""Damaged, old and half-written saves: the store opens, says what it set aside and where,
keeps every original byte, and rebuilds what it can from the rest."""
from __future__ import annotations

import json
import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizgame.core.clock import FixedClock
from quizgame.core.progress import Progress
from quizgame.store import tinydb_store
from quizgame.store.files import STALE_TEMP_SECONDS
from quizgame.store.tinydb_store import TinyDBStore

from .writer import answer_event

BANK = "b"
CHUNK = 4  # events per log chunk here, so a short history spans several chunks
ANA, BOB = 10, 6  # answers each: Ana's log is chunks 1 (seq 1-4), 2 (5-8) and 3 (9-10)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(tinydb_store, "LOG_CHUNK", CHUNK)


def _clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))


def _record(store: TinyDBStore, player: str, first: int, count: int) -> None:
    for n in range(first, first + count):
        store.record_answer(player, BANK, answer_event(f"{player}-{n:03d}", n))


def _state(store: TinyDBStore, player: str) -> tuple[dict, list[dict]]:
    return store.progress(player, BANK).to_dict(), store.history(player, BANK)


@pytest.fixture
def save(tmp_path: Path):
    """A save folder with Ana and Bob; the state of each before anything is damaged."""
    store = TinyDBStore(tmp_path, clock=_clock())
    for player, count in (("Ana", ANA), ("Bob", BOB)):
        store.add_player(player)
        _record(store, player, 0, count)
    store.record_round("Ana", BANK, {"type": "round", "at": "2026-11-26T10:05:00+00:00", "section": "s",
                                     "mode": "mc", "points": 700, "answered": 10, "correct": 6})
    before = {player: _state(store, player) for player in ("Ana", "Bob")}
    assert len(before["Ana"][1]) == ANA + 1  # ten answers and a round
    return tmp_path, store, before


def _ana_file(store: TinyDBStore, name: str) -> Path:
    return store._player_dir("Ana") / name


def _contents(path: Path):
    """A file's bytes, or a folder's files and their bytes."""
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    return path.read_bytes()


# -- the kinds of damage: each changes the file and returns the words the warning should use --

def truncated(path: Path, monkeypatch) -> str:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return "not valid JSON"


def invalid_json(path: Path, monkeypatch) -> str:
    text = path.read_text()
    path.write_text(text.replace('"', "", 1).replace("}", ",}", 1))  # a hand edit gone wrong
    return "not valid JSON"


def not_a_save(path: Path, monkeypatch) -> str:
    path.write_text('["valid JSON", "but no tables"]')
    return "not a TinyDB save"


def empty(path: Path, monkeypatch) -> str:
    path.write_bytes(b"")
    return "empty"


def folder(path: Path, monkeypatch) -> str:
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("someone made a folder here")
    return "folder"


def unreadable(path: Path, monkeypatch) -> str:
    # Root ignores chmod, so reading this one file fails as a permission error would.
    from quizgame.store import files

    real = files.read_regular_file

    def read_regular_file(file: Path) -> bytes:
        if file == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real(file)

    monkeypatch.setattr(files, "read_regular_file", read_regular_file)
    return "cannot be read (Permission denied)"


DAMAGE = [truncated, invalid_json, not_a_save, empty, folder, unreadable]  # a newer save is not damage: test_hostile_saves


def _open_damaged(tmp_path: Path, path: Path, damage, monkeypatch) -> tuple[TinyDBStore, Path, object]:
    """Damage the file, open the save and read Ana's history, check the warning; the store,
    the backup, the original. (Opening checks the files that can still change; a full, older
    log chunk is checked when it is first read.)"""
    undamaged = _contents(path)
    with monkeypatch.context() as patch:
        why = damage(path, patch)
        original = undamaged if damage is unreadable else _contents(path)
        store = TinyDBStore(tmp_path, clock=_clock())
        store.history("Ana", BANK)
    assert len(store.warnings) == 1, store.warnings
    warning = store.warnings[0]
    backup = Path(re.search(r"moved to (.+?); ", warning).group(1))
    assert str(path) in warning and why in warning
    assert backup.parent == path.parent and backup.name.startswith(path.name + ".damaged-")
    assert _contents(backup) == original  # nothing deleted: every byte kept aside
    assert not path.exists()
    return store, backup, original


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_snapshot_is_rebuilt_from_the_log(save, damage, monkeypatch, capsys):
    tmp_path, old, before = save
    path = _ana_file(old, f"progress-{BANK}.json")
    store, backup, original = _open_damaged(tmp_path, path, damage, monkeypatch)
    assert "quizgame: Save file" in capsys.readouterr().err  # also told on the terminal
    assert store.players() == ["Ana", "Bob"]
    assert _state(store, "Bob") == before["Bob"]
    assert _state(store, "Ana") == before["Ana"]  # the whole log replayed
    # Play goes on, and a later open finds nothing more to complain about.
    _record(store, "Ana", ANA, 3)
    again = TinyDBStore(tmp_path, clock=_clock())
    assert again.warnings == []
    progress, history = _state(again, "Ana")
    assert progress["answers"] == ANA + 3 and len(history) == ANA + 4
    assert progress["best_rounds"] == before["Ana"][0]["best_rounds"]
    assert _state(again, "Bob") == before["Bob"]
    assert _contents(backup) == original


@pytest.mark.parametrize("chunk", [1, 2, 3], ids=["first-chunk", "middle-chunk", "last-chunk"])
@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_log_chunk_keeps_the_snapshot(save, damage, chunk, monkeypatch):
    tmp_path, old, before = save
    path = _ana_file(old, f"log-{BANK}-{chunk:06d}.json")
    store, backup, original = _open_damaged(tmp_path, path, damage, monkeypatch)
    assert _state(store, "Bob") == before["Bob"]
    lost = range(CHUNK * (chunk - 1) + 1, CHUNK * chunk + 1)
    progress, history = _state(store, "Ana")
    assert progress == before["Ana"][0]  # the snapshot is kept as it was
    assert history == [e for e in before["Ana"][1] if e["seq"] not in lost]
    # Later answers go on being logged after the snapshot, and none overwrite the rest of the log.
    _record(store, "Ana", ANA, 2 * CHUNK)
    again = TinyDBStore(tmp_path, clock=_clock())
    assert again.warnings == []
    progress, history = _state(again, "Ana")
    assert progress["answers"] == ANA + 2 * CHUNK
    assert progress["applied"] == ANA + 1 + 2 * CHUNK
    new = [f"Ana-{n:03d}" for n in range(ANA, ANA + 2 * CHUNK)]
    kept = [e for e in before["Ana"][1] if e["seq"] not in lost]
    assert history[: len(kept)] == kept
    assert [e["id"] for e in history[len(kept):]] == new
    assert [e["seq"] for e in history[len(kept):]] == list(range(ANA + 2, ANA + 2 + 2 * CHUNK))
    assert _state(again, "Bob") == before["Bob"]
    assert _contents(backup) == original


@pytest.mark.parametrize("edit", [
    {"questions": {"q1": {"attempts": 1, "bogus": 2}}}, {"questions": []}, {"points": "lots"},
    {"applied": "3"}, {"rounds": 5}, None,
], ids=["unknown-field", "questions-list", "points-text", "applied-text", "rounds-number", "no-progress"])
def test_snapshot_edited_into_valid_json_that_is_not_a_progress(save, edit):
    """Valid JSON with the wrong fields would stop the player from playing: set it aside."""
    tmp_path, old, before = save
    path = _ana_file(old, f"progress-{BANK}.json")
    data = json.loads(path.read_text())
    if edit is None:
        del data["progress"]["1"]
    else:
        data["progress"]["1"].update(edit)
    path.write_text(json.dumps(data))
    original = path.read_bytes()
    store = TinyDBStore(tmp_path, clock=_clock())
    assert _state(store, "Ana") == before["Ana"]  # rebuilt from the log
    assert len(store.warnings) == 1 and "does not hold a player's progress" in store.warnings[0]
    backups = list(path.parent.glob(path.name + ".damaged-*"))
    assert [b.read_bytes() for b in backups] == [original]
    assert str(backups[0]) in store.warnings[0]
    _record(store, "Ana", ANA, 1)
    assert store.progress("Ana", BANK).answers == ANA + 1
    assert _state(store, "Bob") == before["Bob"]


def test_damage_found_while_the_game_runs(save):
    tmp_path, store, before = save
    path = _ana_file(store, f"progress-{BANK}.json")
    path.write_bytes(path.read_bytes()[:-7])
    original = path.read_bytes()
    assert _state(store, "Ana") == before["Ana"]
    assert len(store.warnings) == 1 and str(path) in store.warnings[0]
    backups = list(path.parent.glob(path.name + ".damaged-*"))
    assert [b.read_bytes() for b in backups] == [original]
    assert backups[0].name in store.warnings[0]


def test_the_same_file_damaged_twice_keeps_both_backups(save):
    tmp_path, old, before = save
    path = _ana_file(old, f"progress-{BANK}.json")
    originals = []
    for n, cut in enumerate((5, 9)):
        path.write_bytes(path.read_bytes()[:cut])
        originals.append(path.read_bytes())
        store = TinyDBStore(tmp_path, clock=_clock())  # the same second both times
        assert len(store.warnings) == 1
        assert _state(store, "Ana") == before["Ana"]
        store.record_answer("Ana", BANK, answer_event(f"Ana-again-{n}", n))  # a new snapshot
        before["Ana"] = _state(store, "Ana")
    backups = sorted(path.parent.glob(path.name + ".damaged-*"), key=lambda p: len(p.name))
    assert [b.name[len(path.name):] for b in backups] == [".damaged-20261126-100000", ".damaged-20261126-100000-2"]
    assert [b.read_bytes() for b in backups] == originals


def test_damaged_player_file(save):
    tmp_path, old, before = save
    path = _ana_file(old, "player.json")
    path.write_bytes(path.read_bytes()[:10])
    original = path.read_bytes()
    store = TinyDBStore(tmp_path, clock=_clock())
    assert len(store.warnings) == 1 and str(path) in store.warnings[0]
    assert store.players() == ["Bob"]
    assert _state(store, "Bob") == before["Bob"]
    # Ana's answers were never touched: when she joins again under her name, they are hers.
    store.add_player("ana")
    assert store.players() == ["Bob", "ana"]
    assert _state(store, "ana") == before["Ana"]
    assert [b.read_bytes() for b in path.parent.glob("player.json.damaged-*")] == [original]


def test_damaged_snapshot_and_log_chunk(save):
    """The snapshot and the first log chunk both gone: what is left is replayed, once."""
    tmp_path, old, before = save
    _ana_file(old, f"progress-{BANK}.json").write_text("{")
    _ana_file(old, f"log-{BANK}-000001.json").write_text("")
    store = TinyDBStore(tmp_path, clock=_clock())
    kept = [e for e in before["Ana"][1] if e["seq"] > CHUNK]
    progress, history = _state(store, "Ana")
    assert len(store.warnings) == 2
    assert history == kept
    assert progress["answers"] == ANA - CHUNK
    _record(store, "Ana", ANA, 2 * CHUNK)
    again = TinyDBStore(tmp_path, clock=_clock())
    progress, history = _state(again, "Ana")
    assert [e.get("id") for e in history] == [e.get("id") for e in kept] + [f"Ana-{n:03d}" for n in range(ANA, ANA + 2 * CHUNK)]
    assert len({e["seq"] for e in history}) == len(history)
    assert progress["answers"] == ANA - CHUNK + 2 * CHUNK  # nothing replayed twice
    replayed = Progress()
    for event in history:
        replayed.apply(event)
    assert progress["points"] == replayed.points
    assert _state(again, "Bob") == before["Bob"]


# -- old saves, leftovers, odd events ---------------------------------------------------------

OLD = 10  # answers in the schema-0 save: log chunks 1 (seq 1-4), 2 (5-8) and 3 (9-10)


def _schema0_save(folder: Path) -> dict[Path, bytes]:
    """A save as written before versions were recorded: the same tables, no _meta."""
    progress = Progress()
    chunks: dict[int, dict] = {}
    for n in range(OLD):
        event = answer_event(f"old-{n}", n)
        result = progress.apply(event)
        chunks.setdefault(n // CHUNK + 1, {})[str(n + 1)] = {**event, "seq": n + 1, "points": result.points}
    player = TinyDBStore(folder)._player_dir("Old Timer")  # where this store looks for the player
    player.mkdir(parents=True)
    files = {
        player / "player.json": {"player": {"1": {"name": "Old Timer", "joined": "2025-01-01T09:00:00+00:00"}}},
        player / f"progress-{BANK}.json": {"progress": {"1": progress.to_dict()}},
        **{player / f"log-{BANK}-{k:06d}.json": {"events": events} for k, events in chunks.items()},
    }
    for path, data in files.items():
        path.write_text(json.dumps(data, indent=2))
    return {path: path.read_bytes() for path in files}


def test_schema_0_save_is_migrated_with_a_backup(tmp_path):
    originals = _schema0_save(tmp_path)
    store = TinyDBStore(tmp_path, clock=_clock())
    assert store.players() == ["Old Timer"]
    progress = store.progress("Old Timer", BANK)
    assert progress.answers == OLD and progress.applied == OLD
    assert [e["id"] for e in store.history("Old Timer", BANK)] == [f"old-{n}" for n in range(OLD)]
    assert store.warnings == []  # an old save is not damage
    for path, raw in originals.items():  # each file migrated when first checked, its original kept
        assert path.with_name(path.name + ".v0-backup").read_bytes() == raw
        data = json.loads(path.read_text())
        assert data["_meta"] == {"1": {"schema": tinydb_store.SCHEMA}}
        assert {k: v for k, v in data.items() if k != "_meta"} == json.loads(raw)
    store.record_answer("Old Timer", BANK, answer_event("new-0", OLD))
    again = TinyDBStore(tmp_path, clock=_clock())
    assert again.warnings == []
    assert [e["id"] for e in again.history("Old Timer", BANK)] == [f"old-{n}" for n in range(OLD)] + ["new-0"]
    assert again.progress("Old Timer", BANK).answers == OLD + 1
    for path, raw in originals.items():  # a second open keeps the first backup
        assert path.with_name(path.name + ".v0-backup").read_bytes() == raw


def test_stale_temp_files_are_removed_on_open(save):
    """Only quizgame's own temp files, in its own folders, and only once they are old."""
    tmp_path, old, before = save
    folder = old._player_dir("Ana")
    hour_ago = time.time() - STALE_TEMP_SECONDS - 60
    stale = [folder / f".progress-{BANK}.json.123.abcd0123.quizgame-tmp",
             folder / f".log-{BANK}-000003.json.4567.0f0f0f0f.tmp",  # as quizgame 0.1.0 named them
             tmp_path / "players" / ".x.json.9.beefbeef.quizgame-tmp",
             tmp_path / "banks" / ".mine.toml.77.k2j3h4l5.quizgame-tmp"]
    fresh = [folder / f".progress-{BANK}.json.124.abcd0124.quizgame-tmp",  # a live writer's
             tmp_path / "banks" / ".big.toml.78.a2j3h4l5.quizgame-tmp"]  # an import still running
    (tmp_path / "banks").mkdir()
    (tmp_path / "projects" / "deep").mkdir(parents=True)
    users = [folder / "notes.tmp", folder / ".notes.tmp", tmp_path / ".vimrc.tmp",
             tmp_path / ".x.json.9.beefbeef.quizgame-tmp",  # the save folder itself may be ~
             tmp_path / "projects" / "deep" / ".draft.json.1.abcdabcd.tmp",
             tmp_path / "projects" / "deep" / ".y.json.9.beefbeef.quizgame-tmp",
             folder / ".player.json.5.zzzzzzzz.tmp"]  # close to ours, but not a name we write
    for path in stale + fresh + users:
        path.write_text('{"half a')
    for path in stale + users:
        os.utime(path, (hour_ago, hour_ago))
    store = TinyDBStore(tmp_path, clock=_clock())
    assert store.warnings == []
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in fresh + users)
    assert {p: _state(store, p) for p in ("Ana", "Bob")} == before


def test_answer_to_an_unknown_question_is_harmless(save):
    tmp_path, store, before = save
    progress, outcome = store.record_answer("Ana", BANK, answer_event("Ana-x", 99, question="no-such-question",
                                                                      verdict="correct", score=1.0))
    assert outcome.verdict == "correct" and progress.answers == ANA + 1
    again = TinyDBStore(tmp_path, clock=_clock())
    assert again.warnings == []
    progress = again.progress("Ana", BANK)
    assert progress.answers == ANA + 1
    assert progress.questions["no-such-question"].attempts == 1
    assert again.history("Ana", BANK)[-1]["id"] == "Ana-x"
    assert _state(again, "Bob") == before["Bob"]
