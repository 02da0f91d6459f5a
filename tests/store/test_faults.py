"""Fault injection: every call through which the store writes fails in turn, with a full disk
(ENOSPC), a refusal (EACCES), a read-only file system (EROFS) and failing hardware (EIO).

Each run asserts: no exception but OSError reaches the caller (the game catches those and
says so); the other players and the other files are untouched; and every event reported as
saved is in the log exactly once, and counted once, however often it was retried."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgame.core.clock import FixedClock
from quizgame.core.progress import EventError, Progress
from quizgame.store.base import CannotSave
from quizgame.store.files import Disk
from quizgame.store.tinydb_store import TinyDBStore

from .faults import ERRORS, WRITE_CALLS, FaultyDisk, ReadOnlyDisk
from .writer import answer_event

BANK = "b"
RETRIES = 2  # the player presses the key again after "Could not save"


def _clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))


def _files(folder: Path, skip: str = "\0") -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock" and skip not in str(p)}


OLD_FILES = {}  # Old's files as an older quizgame wrote them (migrated at the next open)


def _players(folder: Path, names: tuple[str, ...]) -> TinyDBStore:
    store = TinyDBStore(folder, clock=_clock())
    for player in names:
        store.add_player(player)
        for n in range(3):
            store.record_answer(player, BANK, answer_event(f"{player}-old-{n}", n))
    return store


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ana and Bob with a few answers each; copied for every run."""
    folder = tmp_path_factory.mktemp("template")
    _players(folder, ("Ana", "Bob"))
    return folder


@pytest.fixture(scope="module")
def old_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Also Old's files from an older version and Dee's snapshot damaged, so that opening
    migrates and sets aside: the writes made on opening."""
    folder = tmp_path_factory.mktemp("old-template")
    store = _players(folder, ("Ana", "Bob", "Old", "Dee"))
    for path in store._player_dir("Old").iterdir():
        data = json.loads(path.read_text())
        del data["_meta"]
        path.write_text(json.dumps(data))
        OLD_FILES[path.name] = path.read_bytes()
    (store._player_dir("Dee") / f"progress-{BANK}.json").write_text('{"progress": {"1": {')
    return folder


def _folder_of(player: str) -> Path:
    """The player's folder, found without opening (and so changing) the template."""
    return TinyDBStore(Path("/nonexistent/quizgame-saves"))._player_dir(player)


def _copy(template: Path, to: Path) -> Path:
    import shutil

    shutil.copytree(template, to)
    return to


def _play(folder: Path, disk: FaultyDisk) -> tuple[list[str], bool]:
    """What a game does, retrying each failed save: the ids it was told were saved."""
    saved: list[str] = []
    for attempt in range(RETRIES):  # the game exits with a message; the player starts it again
        try:
            store = TinyDBStore(folder, clock=_clock(), disk=disk)
            break
        except OSError:
            if attempt == RETRIES - 1:
                return saved, False
    created = False
    for _ in range(RETRIES):
        try:
            store.ensure_player("Cy")
            created = True
            break
        except OSError:
            continue
    events = [answer_event(f"Ana-new-{n}", 10 + n) for n in range(3)]
    events.append({"type": "override", "id": "Ana-new-2-correct", "answer": "Ana-new-2", "verdict": "correct",
                   "score": 1.0, "at": "2026-11-26T10:01:00+00:00"})
    events.append({"type": "round", "id": "round-1", "at": "2026-11-26T10:05:00+00:00", "section": "s",
                   "mode": "mc", "points": 300, "answered": 3, "correct": 2})
    for event in events:
        for _ in range(RETRIES):
            try:
                store._record("Ana", BANK, event)
            except OSError:
                continue
            except EventError:  # an override of an answer that was never saved, as the game says
                break
            saved.append(event["id"])
            break
    return saved, created


def _check_opened(store: TinyDBStore) -> None:
    """An interrupted migration or setting aside loses nothing: each original is in place or kept."""
    assert store.progress("Old", BANK).answers == 3 and store.progress("Dee", BANK).answers == 3
    old = store._player_dir("Old")
    for name, raw in OLD_FILES.items():
        backup = old / f"{name}.v0-backup"
        assert (old / name).read_bytes() == raw or (backup.exists() and backup.read_bytes() == raw)
    dee = store._player_dir("Dee") / f"progress-{BANK}.json"
    assert b'{"progress": {"1": {' in [p.read_bytes() for p in dee.parent.glob(dee.name + "*")]


def _check(folder: Path, saved: list[str], created: bool, bob: dict[str, bytes]) -> None:
    store = TinyDBStore(folder, clock=_clock())
    history = store.history("Ana", BANK)
    counts = Counter(e["id"] for e in history)
    assert all(n == 1 for n in counts.values()), counts  # nothing logged twice
    assert all(counts[i] == 1 for i in saved)  # what was reported saved is saved
    assert [e["id"] for e in history[:3]] == [f"Ana-old-{n}" for n in range(3)]
    # The progress counts every logged event once.
    replayed = Progress()
    for event in history:
        replayed.apply(event)
    progress = store.progress("Ana", BANK)
    assert (progress.answers, progress.points, progress.overrides) == (
        replayed.answers, replayed.points, replayed.overrides)
    assert progress.cards == replayed.cards and progress.questions == replayed.questions
    assert _files(folder, skip="bob") | bob == _files(folder)  # Bob's files are byte for byte the same
    assert not created or "Cy" in store.players()
    assert set(store.players()) >= {"Ana", "Bob"}
    assert not list(folder.rglob("*.quizgame-tmp"))  # no temp file left behind


def _calls_in_a_run(template: Path, to: Path) -> Counter[str]:
    disk = FaultyDisk()
    _play(_copy(template, to), disk)
    return disk.calls


@pytest.fixture(scope="module")
def card_files_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ana and Bob as above, with their cards in card files (the thresholds lowered to 2)."""
    patch = pytest.MonkeyPatch()
    _small_card_files(patch)
    try:
        folder = tmp_path_factory.mktemp("card-files-template")
        _players(folder, ("Ana", "Bob"))
    finally:
        patch.undo()
    assert list(folder.glob(f"players/*/cards-{BANK}-*.json"))
    return folder


def _small_card_files(patch: pytest.MonkeyPatch) -> None:
    from quizgame.store import tinydb_store

    patch.setattr(tinydb_store, "INLINE_QUESTIONS", 2)
    patch.setattr(tinydb_store, "SHARD_QUESTIONS", 2)
    patch.setattr(tinydb_store, "SNAPSHOT_EVERY", 2)  # some events write card files, some only the log


@pytest.mark.parametrize("error", ERRORS)
@pytest.mark.parametrize("call", WRITE_CALLS)
def test_every_write_fails_in_turn(template, tmp_path, call, error):
    _every_write_fails_in_turn(template, tmp_path, call, error)


@pytest.mark.parametrize("error", ["ENOSPC", "EIO"])
@pytest.mark.parametrize("call", WRITE_CALLS)
def test_every_write_fails_in_turn_with_card_files(card_files_template, tmp_path, monkeypatch, call, error):
    """The same table on a big bank's layout: card files and a progress file that lists them."""
    _small_card_files(monkeypatch)
    _every_write_fails_in_turn(card_files_template, tmp_path, call, error)


def _every_write_fails_in_turn(template: Path, tmp_path: Path, call: str, error: str) -> None:
    calls = _calls_in_a_run(template, tmp_path / "count")
    assert call == "unlink" or calls[call], f"the run never calls {call}"
    bob_folder = _folder_of("Bob").name
    bob = {k: v for k, v in _files(template).items() if bob_folder in k}
    # The store treats every OSError alike: every call of the run fails in turn with a full
    # disk, as a glitch and for good; the other errors fail the first, a middle and the last call.
    n = calls[call]
    sweep = range(n + 1) if error == "ENOSPC" else sorted({0, n // 2, max(n - 1, 0)})
    for at in sweep:
        for once in (True, False) if error == "ENOSPC" and at < 4 else (at % 2 == 0,):
            folder = _copy(template, tmp_path / f"{at}-{once}")
            disk = FaultyDisk(call, ERRORS[error], at=at, once=once)
            saved, created = _play(folder, disk)
            assert {k: v for k, v in _files(folder).items() if bob_folder in k} == bob
            _check(folder, saved, created, bob)
            if once and not (call == "open_lock" and at == 0):
                # A glitch, retried: everything the game tried to save is saved. (A lock that
                # cannot be opened at start makes the folder read-only for the session.)
                assert len(saved) == 5 and created


@pytest.mark.parametrize("call", ["create", "write", "replace", "fsync_dir"])
def test_migrating_and_setting_aside_fail_in_turn(old_template, tmp_path, call):
    calls = FaultyDisk()
    TinyDBStore(_copy(old_template, tmp_path / "count"), clock=_clock(), disk=calls)
    for at in range(calls.calls[call] + 1):
        folder = _copy(old_template, tmp_path / str(at))
        try:
            TinyDBStore(folder, clock=_clock(), disk=FaultyDisk(call, at=at))
        except OSError:
            pass  # the game says why and exits
        _check_opened(TinyDBStore(folder, clock=_clock()))


def test_the_snapshot_write_failing_after_the_log_write_still_saves_the_answer(template, tmp_path):
    folder = _copy(template, tmp_path / "saves")
    disk = FaultyDisk("replace", where=f"{_folder_of('Ana').name}/progress-")
    store = TinyDBStore(folder, clock=_clock(), disk=disk)
    event = answer_event("Ana-new", 10, verdict="correct", score=1.0)
    progress, outcome = store.record_answer("Ana", BANK, event)  # no error: the log holds it
    assert progress.answers == 4 and disk.failed == 1
    again = TinyDBStore(folder, clock=_clock())
    assert again.progress("Ana", BANK).answers == 4  # replayed from the log
    assert again.record_answer("Ana", BANK, event)[1] == outcome  # a retry counts once
    assert again.progress("Ana", BANK).answers == 4


def test_a_read_only_folder_is_read_and_never_written(old_template, tmp_path, capsys):
    folder = _copy(old_template, tmp_path / "saves")
    before = _files(folder)
    for error in ("EROFS", "EACCES"):
        store = TinyDBStore(folder, clock=_clock(), disk=ReadOnlyDisk(ERRORS[error]))
        assert store.read_only and str(folder) in store.read_only
        assert set(store.players()) == {"Ana", "Bob", "Old", "Dee"}
        assert store.progress("Ana", BANK).answers == 3
        assert store.progress("Old", BANK).answers == 3  # migrated in memory only
        assert store.progress("Dee", BANK).answers == 3  # read around the damage, which stays
        assert any("left as it is" in w for w in store.warnings)
        assert set(store.everyone(BANK)) == {"Ana", "Bob", "Old", "Dee"}
        with pytest.raises(CannotSave, match="Cannot save"):
            store.record_answer("Ana", BANK, answer_event("Ana-new", 10))
        with pytest.raises(CannotSave):
            store.ensure_player("Cy")
    assert _files(folder) == before


def test_playing_unsaved_on_a_read_only_folder(template, tmp_path):
    from quizgame.store.base import UnsavedStore

    folder = _copy(template, tmp_path / "saves")
    before = _files(folder)
    store = UnsavedStore(TinyDBStore(folder, clock=_clock(), disk=ReadOnlyDisk()))
    assert store.ensure_player("ana") == "Ana"
    store.record_answer("Ana", BANK, answer_event("Ana-new", 10))
    assert store.progress("Ana", BANK).answers == 4
    store.ensure_player("Cy")
    store.record_answer("Cy", BANK, answer_event("Cy-new", 1))
    assert store.players()[-1] == "Cy" and store.progress("Cy", BANK).answers == 1
    assert [e["id"] for e in store.history("Ana", BANK)][-1] == "Ana-new"
    assert _files(folder) == before


# -- hypothesis: damaged files of every shape ------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
_tables = st.dictionaries(
    st.sampled_from(["_meta", "player", "progress", "events", "x"]),
    st.dictionaries(st.sampled_from(["1", "2", "01", "abc", "-1", "99999999999999999999"]), _json, max_size=3),
    max_size=4,
)


def _encode(value: object, encoding: str, depth: int) -> bytes:
    text = json.dumps(value, allow_nan=True)
    text = "[" * depth + text + "]" * depth
    return text.encode(encoding, "replace")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.sampled_from(["player.json", f"progress-{BANK}.json", f"log-{BANK}-000001.json"]),
    content=st.one_of(
        st.builds(_encode, _tables | _json, st.sampled_from(["utf-8", "utf-16", "latin-1", "utf-32"]),
                  st.sampled_from([0, 0, 1, 50_000])),
        st.binary(max_size=64),
        st.builds(lambda n: ('{"progress": {"1": {"points": ' + "9" * n + "}}}").encode(),
                  st.integers(1, 6000)),
    ),
)
def test_any_damaged_file_is_read_around(template, tmp_path_factory, which, content):
    folder = _copy(template, tmp_path_factory.mktemp("fuzz") / "saves")
    ana = _folder_of("Ana")
    path = folder / "players" / ana.name / which
    path.write_bytes(content)
    bob_before = _files(folder, skip=ana.name)
    store = TinyDBStore(folder, clock=_clock())
    names = store.players()
    assert "Bob" in names
    if "Ana" in names and store.unplayable("Ana") is None:
        store.progress("Ana", BANK)
        store.history("Ana", BANK)
        store.record_answer("Ana", BANK, answer_event("Ana-new", 10))
        assert Counter(e.get("id") for e in store.history("Ana", BANK))["Ana-new"] == 1
    assert store.progress("Bob", BANK).answers == 3
    json.dumps(store.progress("Bob", BANK).to_dict(), allow_nan=False)
    assert _files(folder, skip=ana.name) == bob_before
    # Every damaged byte is kept: in place, or beside it as a .damaged-* file.
    kept = [path.read_bytes()] if path.exists() else []
    kept += [p.read_bytes() for p in path.parent.glob(path.name + ".damaged-*")]
    kept += [p.read_bytes() for p in path.parent.glob(path.name + ".v0-backup")]  # an old save, migrated
    assert content in kept


class _CountingDisk(Disk):
    """The real disk, noting which file each fsync was for."""

    def __init__(self) -> None:
        self.synced: list[str] = []
        self._names: dict[int, str] = {}

    def create(self, path: Path) -> int:
        fd = super().create(path)
        self._names[fd] = path.name
        return fd

    def fsync(self, fd: int) -> None:
        self.synced.append(self._names.get(fd, "?"))
        super().fsync(fd)

    def fsync_dir(self, folder: Path) -> None:
        self.synced.append(f"{folder.name}/")
        super().fsync_dir(folder)


def test_an_answer_is_durable_once_its_log_is_and_a_lost_snapshot_costs_nothing(template, tmp_path):
    """The log is fsynced (file and folder); the snapshot, which the log can rebuild, is not."""
    folder = _copy(template, tmp_path / "saves")
    disk = _CountingDisk()
    store = TinyDBStore(folder, clock=_clock(), disk=disk)
    before = store.progress("Ana", BANK).answers
    store.record_answer("Ana", BANK, answer_event("Ana-new-0", 9))
    assert len(disk.synced) == 2 and all("progress" not in name for name in disk.synced), disk.synced
    # A crash that kept the log but lost the snapshot, whole or as an empty file:
    path = folder / _folder_of("Ana").relative_to("/nonexistent/quizgame-saves") / f"progress-{BANK}.json"
    for lost in (None, b""):
        if lost is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(lost)
        assert TinyDBStore(folder, clock=_clock()).progress("Ana", BANK).answers == before + 1
