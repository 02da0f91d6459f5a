"""Card files: a big bank's FSRS cards and question stats, split by a hash of the question id,
so that an answer rewrites one small file whatever the number of cards; and a store that reads
nothing again while the files' witness says nobody changed them.

The thresholds are lowered here (4 questions inline, 4 a card file) so that a few dozen
questions exercise what 20,000 do in play."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgame.core.clock import FixedClock
from quizgame.core.progress import Progress
from quizgame.store import files, tinydb_store
from quizgame.store.tinydb_store import TinyDBStore

from .faults import FaultyDisk
from .writer import answer_event

BANK = "b"
QUESTIONS = 40


def _clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))


@pytest.fixture
def small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tinydb_store, "INLINE_QUESTIONS", 4)
    monkeypatch.setattr(tinydb_store, "SHARD_QUESTIONS", 4)
    monkeypatch.setattr(tinydb_store, "SNAPSHOT_EVERY", 1)  # every event writes its card file (see below)


def _events(prefix: str, n: int, start: int = 0) -> list[dict]:
    events: list[dict] = []
    for i in range(start, start + n):
        events.append(answer_event(f"{prefix}-{i}", i, question=f"q{(i * 7) % QUESTIONS}"))
        if i % 9 == 4:  # the player disagrees with the verdict now and then
            events.append({"type": "override", "id": f"{prefix}-{i}-ov", "answer": f"{prefix}-{i}",
                           "verdict": "correct", "score": 1.0, "at": events[-1]["at"]})
        if i % 10 == 9:
            events.append({"type": "round", "id": f"{prefix}-round-{i}", "at": events[-1]["at"], "section": "s",
                           "mode": "mc", "points": 100, "answered": 10, "correct": 7})
    return events


def _record(store: TinyDBStore, player: str, events: list[dict]) -> None:
    for event in events:
        store._record(player, BANK, event)


def _replayed(store: TinyDBStore, player: str) -> Progress:
    progress = Progress()
    for event in store.history(player, BANK):
        progress.apply(event)
    return progress


def _card_files(store: TinyDBStore, player: str) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in store._player_dir(player).glob(f"cards-{BANK}-*.json")}


def _same(a: Progress, b: Progress) -> None:
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)


def test_many_questions_go_to_card_files_and_read_back_the_same(tmp_path, small_files):
    store = TinyDBStore(tmp_path, clock=_clock())
    store.add_player("Ana")
    _record(store, "Ana", _events("a", 60))
    progress = store.progress("Ana", BANK)
    assert len(progress.cards) == QUESTIONS
    cards = _card_files(store, "Ana")
    assert len(cards) == 16  # 40 questions, at most 4 a file: 16 files (a power of two)
    main = json.loads((store._player_dir("Ana") / f"progress-{BANK}.json").read_text())
    assert main["_meta"]["1"]["schema"] == tinydb_store.SNAPSHOT_SCHEMA
    assert "cards" not in main["progress"]["1"] and "questions" not in main["progress"]["1"]
    # Another process (a new store) reads the same progress, and so does a replay of the log.
    _same(TinyDBStore(tmp_path, clock=_clock()).progress("Ana", BANK), progress)
    _same(_replayed(store, "Ana"), progress)
    # One answer rewrites only the card file of the question it answers.
    store.record_answer("Ana", BANK, answer_event("a-more", 1, question="q3"))
    after = _card_files(store, "Ana")
    changed = {name for name in after if after[name] != cards[name]}
    assert changed == {f"cards-{BANK}-{tinydb_store._shard_of('q3', 16):03d}.json"}
    _same(TinyDBStore(tmp_path, clock=_clock()).progress("Ana", BANK), _replayed(store, "Ana"))


def test_a_progress_read_never_changes_afterwards(tmp_path, small_files):
    store = TinyDBStore(tmp_path, clock=_clock())
    store.add_player("Ana")
    events = _events("a", 30)
    _record(store, "Ana", events[:20])
    before = store.progress("Ana", BANK)
    frozen = json.dumps(before.to_dict(), sort_keys=True)
    after, _ = store.record_answer("Ana", BANK, answer_event("a-x", 3, question="q7"))
    assert after.answers == before.answers + 1
    later = store.progress("Ana", BANK)
    kept = json.dumps(later.to_dict(), sort_keys=True)
    _record(store, "Ana", events[20:])
    assert json.dumps(before.to_dict(), sort_keys=True) == frozen
    assert json.dumps(later.to_dict(), sort_keys=True) == kept


def test_a_save_from_before_card_files_opens_and_moves_to_them(tmp_path, monkeypatch):
    # Written as today's code writes it (every card inside progress-b.json, save version 1):
    # with the inline limit out of reach, the store writes exactly that format.
    monkeypatch.setattr(tinydb_store, "INLINE_QUESTIONS", 10**9)
    old = TinyDBStore(tmp_path, clock=_clock())
    old.add_player("Ana")
    _record(old, "Ana", _events("a", 50))
    path = old._player_dir("Ana") / f"progress-{BANK}.json"
    legacy = json.loads(path.read_text())
    assert legacy["_meta"]["1"]["schema"] == 1 and len(legacy["progress"]["1"]["cards"]) == QUESTIONS
    expected = old.progress("Ana", BANK)

    monkeypatch.setattr(tinydb_store, "INLINE_QUESTIONS", 4)
    monkeypatch.setattr(tinydb_store, "SHARD_QUESTIONS", 4)
    store = TinyDBStore(tmp_path, clock=_clock())
    _same(store.progress("Ana", BANK), expected)  # read as it is
    progress, _ = store.record_answer("Ana", BANK, answer_event("a-new", 1, question="q1"))
    assert len(_card_files(store, "Ana")) == 16  # moved to card files at the first answer
    assert json.loads(path.read_text())["_meta"]["1"]["schema"] == tinydb_store.SNAPSHOT_SCHEMA
    _same(TinyDBStore(tmp_path, clock=_clock()).progress("Ana", BANK), progress)
    _same(_replayed(store, "Ana"), progress)
    assert store.warnings == []


def test_two_stores_on_one_folder_read_only_what_the_other_changed(tmp_path, small_files, monkeypatch):
    reads: Counter[str] = Counter()
    real = files.read_regular_file

    def counting(path: Path) -> bytes:
        reads[path.name.split("-")[0]] += 1
        return real(path)

    monkeypatch.setattr(files, "read_regular_file", counting)
    monkeypatch.setattr(tinydb_store, "read_regular_file", counting)
    one, two = TinyDBStore(tmp_path, clock=_clock()), TinyDBStore(tmp_path, clock=_clock())
    one.add_player("Ana")
    two.add_player("Bob")
    _record(one, "Ana", _events("a", 30))
    one.progress("Ana", BANK), two.progress("Ana", BANK)
    reads.clear()
    for i in range(5):  # nobody else writes: nothing is read again, not even the players' names
        one.record_answer("Ana", BANK, answer_event(f"a-solo-{i}", i, question=f"q{i}"))
        one.progress("Ana", BANK)
    assert reads == Counter()
    # The other store sees every answer: it reads the changed files once (the progress file,
    # the newest log chunk, the card files of the five questions answered), then nothing.
    seen = two.progress("Ana", BANK)
    _same(seen, one.progress("Ana", BANK))
    changed = {tinydb_store._shard_of(f"q{i}", 16) for i in range(5)}
    assert reads == Counter({"progress": 1, "log": 1, "cards": len(changed)})
    reads.clear()
    two.progress("Ana", BANK)
    assert reads == Counter()
    # Its answer is seen by the first, and neither counts anything twice.
    two.record_answer("Ana", BANK, answer_event("a-two", 1, question="q9"))
    one.record_answer("Ana", BANK, answer_event("a-one", 2, question="q9"))
    expected = _replayed(one, "Ana")
    for store in (one, two, TinyDBStore(tmp_path, clock=_clock())):
        _same(store.progress("Ana", BANK), expected)
    # A player who joins in another process is listed, and a rename is seen.
    two.add_player("Cy")
    assert one.players() == ["Ana", "Bob", "Cy"]
    two.rename_player("Cy", "Cyd")
    assert one.players() == ["Ana", "Bob", "Cyd"]


def test_a_player_deleted_and_created_again_elsewhere_starts_from_nothing(tmp_path, small_files):
    one, two = TinyDBStore(tmp_path, clock=_clock()), TinyDBStore(tmp_path, clock=_clock())
    one.add_player("Ana")
    _record(one, "Ana", _events("a", 12))
    assert one.progress("Ana", BANK).answers == 12
    two.delete_player("Ana")
    two.add_player("Ana")
    two.record_answer("Ana", BANK, answer_event("new-life", 1, question="q1"))
    assert one.progress("Ana", BANK).answers == 1


def test_a_crash_between_a_card_file_and_the_progress_file_rebuilds_from_the_log(tmp_path, small_files):
    store = TinyDBStore(tmp_path, clock=_clock())
    store.add_player("Ana")
    _record(store, "Ana", _events("a", 30))
    disk = FaultyDisk("replace", where=f"progress-{BANK}")
    failing = TinyDBStore(tmp_path, clock=_clock(), disk=disk)
    failing.record_answer("Ana", BANK, answer_event("a-crash", 1, question="q5"))  # log and card file written
    assert disk.failed == 1
    fresh = TinyDBStore(tmp_path, clock=_clock())
    progress = fresh.progress("Ana", BANK)
    _same(progress, _replayed(fresh, "Ana"))
    assert progress.questions["q5"].attempts == _replayed(fresh, "Ana").questions["q5"].attempts
    assert fresh.warnings == []  # not damage: a write the crash cut short
    # The failing store itself forgot what it could not write, and reads the disk again.
    _same(failing.progress("Ana", BANK), progress)


@pytest.mark.parametrize("call", ["create", "write", "close", "replace"])
def test_every_card_file_write_failing_loses_nothing(tmp_path, small_files, call):
    template = tmp_path / "template"
    store = TinyDBStore(template, clock=_clock())
    store.add_player("Ana")
    _record(store, "Ana", _events("a", 30))
    count = FaultyDisk()
    TinyDBStore(shutil.copytree(template, tmp_path / "count"), clock=_clock(), disk=count).record_answer(
        "Ana", BANK, answer_event("a-x", 1, question="q5"))
    for at in range(6):
        folder = shutil.copytree(template, tmp_path / f"run-{at}")
        disk = FaultyDisk(call, at=at, where="cards-")
        failing = TinyDBStore(folder, clock=_clock(), disk=disk)
        saved = []
        for i, event in enumerate(_events("b", 12, start=100)):
            try:
                failing._record("Ana", BANK, event)
                saved.append(event["id"])
            except OSError:
                pass
            if i == 6:
                disk.heal()
        fresh = TinyDBStore(folder, clock=_clock())
        history = Counter(e["id"] for e in fresh.history("Ana", BANK))
        assert all(history[i] == 1 for i in saved) and set(history.values()) == {1}
        _same(fresh.progress("Ana", BANK), _replayed(fresh, "Ana"))
        _same(failing.progress("Ana", BANK), _replayed(fresh, "Ana"))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


def _hand_edited(raw: bytes, field: str, value: object) -> bytes:
    data = json.loads(raw)
    doc = data["cards"]["1"]
    if field in ("shard", "of"):
        doc[field] = value
    else:
        target = doc["questions"] if field == "stat" else doc["cards"]
        if target:
            qid = sorted(target)[0]
            target[qid] = value if field != "key" else target[qid]
            if field == "key":
                target["a question from elsewhere"] = target.pop(qid)
    return json.dumps(data, allow_nan=True).encode()


@pytest.fixture(scope="module")
def sharded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    patch = pytest.MonkeyPatch()
    patch.setattr(tinydb_store, "INLINE_QUESTIONS", 4)
    patch.setattr(tinydb_store, "SHARD_QUESTIONS", 4)
    try:
        folder = tmp_path_factory.mktemp("sharded")
        store = TinyDBStore(folder, clock=_clock())
        store.add_player("Ana")
        store.add_player("Bob")
        _record(store, "Ana", _events("a", 40))
        _record(store, "Bob", _events("b", 10))
    finally:
        patch.undo()
    return folder


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    index=st.integers(0, 15),
    damage=st.one_of(
        st.binary(max_size=48).map(lambda b: ("bytes", b)),
        _json.map(lambda v: ("json", v)),
        st.tuples(st.sampled_from(["shard", "of", "stat", "card", "key"]), _json).map(
            lambda t: ("edit", t)),
        st.just(("delete", None)),
    ),
)
def test_any_damaged_card_file_is_rebuilt_from_the_log(sharded_template, tmp_path_factory, small_files,
                                                        index, damage):
    folder = shutil.copytree(sharded_template, tmp_path_factory.mktemp("fuzz") / "saves")
    probe = TinyDBStore(folder / "nonexistent")
    path = folder / "players" / probe._player_dir("Ana").name / f"cards-{BANK}-{index:03d}.json"
    kind, value = damage
    original = path.read_bytes() if path.exists() else b""
    if kind == "bytes":
        path.write_bytes(value)
    elif kind == "json":
        path.write_text(json.dumps({"_meta": {"1": {"schema": 2}}, "cards": {"1": value}}, allow_nan=True))
    elif kind == "edit" and original:
        path.write_bytes(_hand_edited(original, *value))
    elif kind == "delete":
        path.unlink(missing_ok=True)
    bob = {p.name: p.read_bytes() for p in (folder / "players" / probe._player_dir("Bob").name).iterdir()}
    store = TinyDBStore(folder, clock=_clock())
    progress = store.progress("Ana", BANK)
    _same(progress, _replayed(store, "Ana"))
    store.record_answer("Ana", BANK, answer_event("a-after", 1, question="q2"))
    _same(TinyDBStore(folder, clock=_clock()).progress("Ana", BANK), _replayed(store, "Ana"))
    assert store.progress("Bob", BANK).answers == 10
    assert {p.name: p.read_bytes() for p in store._player_dir("Bob").iterdir()} == bob
    if kind == "bytes" and value.strip() and original:  # damage to a listed file is kept, beside the new one
        assert value in [p.read_bytes() for p in path.parent.glob(path.name + ".damaged-*")]


def test_with_card_files_the_snapshot_is_written_every_few_events_and_read_the_same(tmp_path, small_files,
                                                                                    monkeypatch):
    monkeypatch.setattr(tinydb_store, "SNAPSHOT_EVERY", 8)
    store = TinyDBStore(tmp_path, clock=_clock())
    store.add_player("Ana")
    _record(store, "Ana", _events("a", 40))
    main = store._player_dir("Ana") / f"progress-{BANK}.json"
    written = main.stat().st_mtime_ns, main.stat().st_ino
    stamp = store.change_stamp()
    applied = json.loads(main.read_text())["progress"]["1"]["applied"]
    for i in range(3):  # the log alone is written, and the live leaderboard still sees each answer
        progress, _ = store.record_answer("Ana", BANK, answer_event(f"a-late-{i}", i, question=f"q{i}"))
        assert store.change_stamp() != stamp
        stamp = store.change_stamp()
    assert progress.applied > applied
    _same(TinyDBStore(tmp_path, clock=_clock()).progress("Ana", BANK), _replayed(store, "Ana"))
    _record(store, "Ana", _events("c", 8))  # past SNAPSHOT_EVERY events: written
    assert (main.stat().st_mtime_ns, main.stat().st_ino) != written
    on_disk = json.loads(main.read_text())["progress"]["1"]["applied"]
    assert applied < on_disk and 0 <= store.progress("Ana", BANK).applied - on_disk < 8
    _same(TinyDBStore(tmp_path, clock=_clock()).progress("Ana", BANK), _replayed(store, "Ana"))


def test_a_save_written_by_the_version_before_card_files(tmp_path, small_files):
    """A committed save from 6b78269 (cards inside progress-b.json) opens, is read as it is,
    and moves to card files at the next answer, with nothing lost or counted twice."""
    folder = shutil.copytree(Path(__file__).with_name("fixtures") / "saves-6b78269", tmp_path / "saves")
    log = next(folder.glob(f"players/*/log-{BANK}-000001.json"))
    logged = json.loads(log.read_text())["events"]
    store = TinyDBStore(folder, clock=_clock())
    assert store.players() == ["Ana"] and store.warnings == []
    before = store.progress("Ana", BANK)
    assert (before.answers, len(before.cards), before.overrides) == (24, 12, 3)
    _same(before, _replayed(store, "Ana"))
    store.record_answer("Ana", BANK, answer_event("a-new", 1, question="q5"))
    assert len(_card_files(store, "Ana")) == 4  # 12 questions, at most 4 a file
    assert json.loads(log.read_text())["events"].items() >= logged.items()  # the log only grew
    for reader in (store, TinyDBStore(folder, clock=_clock())):
        progress = reader.progress("Ana", BANK)
        assert progress.answers == 25 and reader.warnings == []
        _same(progress, _replayed(reader, "Ana"))
