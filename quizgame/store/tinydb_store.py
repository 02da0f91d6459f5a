"""Saves in TinyDB files, laid out so that no write is large and no damage spreads.

    saves/
      .lock                                    one lock for every read-modify-write
      players/<key>/player.json                the player's name
      players/<key>/progress-<bank>.json       the progress snapshot for one bank
      players/<key>/cards-<bank>-007.json      its FSRS cards and question stats, once there are many
      players/<key>/log-<bank>-000001.json     the event log, in chunks of LOG_CHUNK events

Each player has a folder of their own, so damage to one file cannot touch another player.
Recording an answer rewrites only the current log chunk and the small snapshot, however long
the history and however big the bank. The log is written before the snapshot; on load, logged
events newer than the snapshot are replayed, so a kill between the two writes loses nothing.

Up to INLINE_QUESTIONS questions, cards and stats are inside the progress file (save version 1,
as before card files existed). Past that they go to 2^k card files, a question to file
crc32(id) mod 2^k, at most SHARD_QUESTIONS questions each; the progress file (save version 2)
lists each card file's token (its CRC-32 and length). Then an answer writes the log alone, and
every SNAPSHOT_EVERY events the progress file and the card files those events changed. A card file that is not the one listed (a
crash between the two writes, damage, an edit) makes the snapshot untrusted: it is rebuilt from
the whole log, and a damaged file is set aside as any other.

A store remembers what it last read or wrote. Every change to a player's progress, by any
process, appends to the log, so the newest log chunk's identity (inode, size, time) and the
progress file's are the witness: while neither changed, the saves are not read again.

Nothing is created until something is saved: a read at a mistyped folder creates nothing.
A folder that cannot be written is still read. A file a newer quizgame wrote is never
moved or changed, and its player is neither played nor written here.
"""
from __future__ import annotations

import copy
import errno
import json
import os
import re
import sys
import threading
import zlib
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, fields, replace
from dataclasses import field as dataclass_field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from quizgame.core.clock import Clock, SystemClock
from quizgame.core.players import MAX_NAME_LENGTH
from quizgame.core.printable import printable
from quizgame.core.progress import EventError, Progress, QuestionStat
from quizgame.core.readfile import read_regular_file
from quizgame.store.base import CannotSave, Event, NewerSave, Store, touched_by
from quizgame.store.files import (
    DISK, MAX_SAVED_INT, MAX_SEQ, AtomicJSONStorage, DamagedFile, Disk, file_lock, fsync_dir, quarantine, read_json,
    remove_stale_temps, write_atomic,
)

SCHEMA = 1
# A progress file whose cards are in card files, and a card file: an older quizgame leaves
# their player alone (it would read the progress without its cards).
SNAPSHOT_SCHEMA = 2
LOG_CHUNK = 250
# About 350 bytes of JSON a question (card and stat; 6.9 MB for 19,913 questions measured): up
# to 256 questions the snapshot stays one file of under 100 KB, written in about a millisecond,
# as before card files (the shipped bank has 65). Past that, 2^k card files of at most 256
# questions each (128 files of ~156 for 20,000 questions, 256 for the 50,000 an import allows):
# an answer rewrites one of them, and opening the player reads them all once.
INLINE_QUESTIONS = 256
SHARD_QUESTIONS = 256
MAX_SHARDS = 4096
# With card files, the snapshot is written every SNAPSHOT_EVERY events rather than at each: the
# log, written and fsynced at each event, is what saves it, and whoever reads the snapshot next
# replays the events past it (32 events: about 3 ms). An answer then writes the log alone, as
# cheap as a new player's; the 32nd also writes the card files it and the 31 before it changed.
SNAPSHOT_EVERY = 32
# Events missing from a log are at most a few damaged files of LOG_CHUNK each; an event
# numbered a million past the one before it was not written by quizgame.
MAX_GAP = 10**6
META, PLAYER, PROGRESS, EVENTS, CARDS = "_meta", "player", "progress", "events", "cards"
CARD_FILES = "card_files"  # in a progress file: {"count": 2^k, "tokens": [token or None per file]}
DELETED_FOLDER = "deleted-players"  # a deleted player's folder, kept whole as a backup


class SaveFolderUnusable(CannotSave):
    """The save folder cannot be used at all (a file stands where it should be)."""


def _migrate_0(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 0: files written before versions were recorded; same tables, no _meta."""
    return data


MIGRATIONS = {0: _migrate_0}


# A stored name longer than this was not written by any quizgame (names are checked against
# MAX_NAME_LENGTH, 32, when created or renamed): a hand-made player.json with a name of 200,000
# characters would otherwise widen every leaderboard to match.
STORED_NAME_LIMIT = 4 * MAX_NAME_LENGTH


class TinyDBStore(Store):
    def __init__(self, folder: str | Path, clock: Clock | None = None, disk: Disk = DISK):
        super().__init__()
        self.folder = Path(folder)
        self.clock = clock or SystemClock()
        self.disk = disk
        self.players_dir = self.folder / "players"
        self._lock_path = self.folder / ".lock"
        # The lock is re-entrant within one thread only: the game saves on a worker thread while the
        # screen's thread may read, and each must take the folder's lock for itself. Threads of this
        # process queue on _in_process first (the file lock is per process: it cannot order them).
        self._in_process = threading.RLock()
        self._held = threading.local()  # .depth: how deep this thread is in _lock
        self._newest: dict[tuple[Path, str], int] = {}
        self._newer: dict[Path, str] = {}  # player folder -> why it is left alone
        self._ids_read: dict[tuple[Path, str], set[object]] = {}  # event ids in the log files last read
        # What this store last read or wrote, kept while the files' witness says nobody changed them.
        self._known: dict[tuple[Path, str], _Known] = {}
        self._chunks: dict[Path, tuple[_Stamp, dict[str, Any]]] = {}  # newest log chunk of each player and bank
        self._chunk_texts: dict[Path, tuple[dict[str, Event], str]] = {}  # the same chunks' events, as JSON
        self._player_docs: dict[Path, tuple[_Stamp, tuple[str | None, str]]] = {}
        self._pending: dict[tuple[Path, str], _Known] = {}  # taken by _load_for_write, until _save
        # The game saves on a worker thread while the screen may read: a progress is forked, or
        # taken to be changed, under this lock, never both at once. No file is read under it.
        self._memory = threading.Lock()
        if self.folder.exists() and not self.folder.is_dir():
            raise SaveFolderUnusable(errno.ENOTDIR, f"the save folder {self.folder} is a file, not a folder")
        self.read_only = self._why_read_only()  # None when the saves can be written
        self._root = self.folder.resolve()
        if not self.players_dir.is_dir():
            return
        with self._locked(write=False):
            if self.read_only is None:
                own = [p for p in self.players_dir.iterdir() if p.is_dir() and not p.is_symlink()]
                remove_stale_temps([self.players_dir, *own, self.folder / "banks"], disk=self.disk)
            self._check_all()

    def _why_read_only(self) -> str | None:
        """Why nothing can be saved in the folder, or None if it can (or can be created)."""
        existing = self.folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if existing != self.folder:
            return None if self.disk.can_write(existing) else f"{existing} cannot be written"
        if self._lock_path.is_symlink():
            return f"{self._lock_path} is a symbolic link, and quizgame never writes through one (remove it)"
        try:
            os.close(self.disk.open_lock(self._lock_path, write=True))
        except OSError as exc:
            return f"{self.folder} cannot be written ({exc.strerror or exc})"
        folders = [f for f in (self.folder, self.players_dir) if f.is_dir()]
        if not all(self.disk.can_write(f) for f in folders):
            return f"{self.folder} cannot be written (permission denied)"
        return None

    def unplayable(self, player: str) -> str | None:
        return self._newer.get(self._player_dir(player))

    # -- opening: damage, versions ---------------------------------------------------

    def _check_all(self) -> None:
        """Check every player and snapshot file, and the newest log chunk of each bank.

        Full log chunks are never written again, so reading them all at every start would
        only slow the game down; damage to one is caught when it is read. So is damage to a
        card file: a big bank's player has hundreds.
        """
        newest: dict[str, Path] = {}
        checks: list[Path] = []
        for path in sorted((p for p in self.players_dir.glob("*/*.json") if not p.name.startswith("cards-")), key=str):
            if path.name.startswith("log-"):
                newest[f"{path.parent.name}/{path.name.rsplit('-', 1)[0]}"] = path
            else:
                checks.append(path)
        for path in checks + list(newest.values()):
            try:
                self._check(path)
            except NewerSave:
                continue  # told once, in the warnings

    def _check(self, path: Path) -> dict[str, Any] | None:
        """The file's data at the current schema, or None after setting damage aside."""
        with self._locked(write=False):  # another process may be setting the same file aside
            return self._check_locked(path)

    def _check_locked(self, path: Path) -> dict[str, Any] | None:
        if path.parent in self._newer:
            raise NewerSave(errno.EPERM, self._newer[path.parent])
        try:
            data = read_json(path)
            if data is None:
                return None
            version = _schema(data)
        except DamagedFile as problem:
            if (_lenient_schema(problem.parsed) or 0) > _newest_schema(path):  # not damage: a format to come
                self._leave_newer(path, _lenient_schema(problem.parsed) or 0)
            return self._set_aside(path, problem)
        if version > _newest_schema(path):
            self._leave_newer(path, version)
        if version < SCHEMA:
            data = self._migrate(path, data, version)
        if path.name.startswith("progress-"):
            try:
                _snapshot(data)
            except DamagedFile as problem:  # valid JSON, but not a progress (a hand edit)
                return self._set_aside(path, problem)
        return data

    def _migrate(self, path: Path, data: dict[str, Any], version: int) -> dict[str, Any]:
        original = path.read_bytes()
        for step in range(version, SCHEMA):
            data = MIGRATIONS[step](data)
        data[META] = {"1": {"schema": SCHEMA}}
        if self.read_only is None:
            try:
                backup = path.with_name(f"{path.name}.v{version}-backup")
                if not backup.exists():
                    write_atomic(backup, original, self.disk)
                AtomicJSONStorage(path, self.disk).write(data)
            except OSError:
                pass  # read in memory now, written when the disk has room again
        return data

    def _leave_newer(self, path: Path, version: int) -> None:
        """A file from a newer quizgame: its player is left alone, the file never touched."""
        folder = path.parent
        name = self._name_in(folder) or folder.name
        why = (f"{name}'s saves were written by a newer quizgame (save version {version}; this one reads "
               f"{_newest_schema(path)}). They are left exactly as they are: update quizgame to play as {name}.")
        if folder not in self._newer:
            self._newer[folder] = why
            self._warn(why)
        raise NewerSave(errno.EPERM, why)

    def _set_aside(self, path: Path, problem: DamagedFile) -> dict[str, Any] | None:
        """Move damage aside, keeping every byte; what could still be read is kept in place."""
        salvage = problem.salvage
        if self.read_only is not None:
            self._warn(f"Save file {path} is damaged: {problem}. It was left as it is, since {self.read_only}.")
            return _at_schema(salvage) if salvage is not None else None
        try:
            backup = quarantine(path, self.clock.now(), self.disk)
            if backup is None:
                return self._check_locked(path)  # another process set it aside first
            kept = "; everything else was kept"
            if salvage is not None:
                salvage = _at_schema(salvage)
                AtomicJSONStorage(path, self.disk).write(salvage)
                kept = "; the readable entries were kept in place, and everything else was kept"
            self._warn(f"Save file {path} {problem}. It was moved to {backup}{kept}.")
        except OSError as exc:
            self._warn(f"Save file {path} is damaged: {problem}. It could not be moved aside "
                       f"({exc.strerror or exc}), so it was left as it is.")
        return salvage

    def _warn(self, message: str) -> None:
        if message in self.warnings:
            return  # a file left in place is found again at each read
        self.warnings.append(message)
        print(f"quizgame: {printable(message)}", file=sys.stderr)

    # -- players -------------------------------------------------------------------------

    def players(self) -> list[str]:
        found = []
        for path in self.players_dir.glob("*/player.json"):
            stamp = _stamp(path)  # taken before reading: a file replaced meanwhile is read again next time
            known = self._player_docs.get(path)
            if known is not None and stamp is not None and known[0] == stamp:
                name, joined = known[1]
            else:
                name, joined = self._player_doc(path)
                if stamp is not None:
                    self._player_docs[path] = (stamp, (name, joined))
            if name is not None:
                found.append((joined, name))
        return [name for _, name in sorted(found)]

    def _name_in(self, folder: Path) -> str | None:
        return self._player_doc(folder / "player.json")[0]

    @staticmethod
    def _player_doc(path: Path) -> tuple[str | None, str]:
        try:
            data = read_json(path) or {}
        except DamagedFile as problem:
            data = problem.salvage or {}
        doc = data.get(PLAYER, {}).get("1")
        if not isinstance(doc, dict) or not isinstance(doc.get("name"), str) \
                or not doc["name"].strip() or len(doc["name"]) > STORED_NAME_LIMIT:
            return None, ""  # not a player any quizgame created: its files are left as they are
        joined = doc.get("joined")
        return doc["name"], joined if isinstance(joined, str) else ""

    def _add_player(self, name: str) -> None:
        folder = self._player_dir(name)
        joined = self.clock.now().isoformat(timespec="microseconds")
        self._write(folder / "player.json", {PLAYER: {"1": {"name": name, "joined": joined}}})

    def _rename_player(self, old: str, new: str) -> None:
        source, target = self._player_dir(old), self._player_dir(new)
        data = self._read(source / "player.json") or {}
        doc = dict(data.get(PLAYER, {}).get("1") or {})
        if source != target:
            os.rename(source, target)  # one rename: the player is under the old name or the new
            fsync_dir(self.players_dir)
            self._forget()
        self._write(target / "player.json", {PLAYER: {"1": {**doc, "name": new}}})

    def _delete_player(self, name: str) -> str | None:
        """Move the player's folder to deleted-players/: out of the game, never off the disk."""
        source = self._player_dir(name)
        stamp = self.clock.now().strftime("%Y%m%d-%H%M%S")
        backup = self.folder / DELETED_FOLDER / f"{source.name}-{stamp}"
        n = 1
        while backup.exists():  # the same player deleted twice in a second keeps both backups
            n += 1
            backup = backup.with_name(f"{source.name}-{stamp}-{n}")
        backup.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, backup)
        fsync_dir(self.players_dir)
        self._forget()
        return str(backup)

    def _forget(self) -> None:
        """After a player's folder moved: nothing remembered about any file is trusted."""
        self._newest.clear()
        self._known.clear()
        self._pending.clear()
        self._chunks.clear()
        self._chunk_texts.clear()
        self._player_docs.clear()

    def _player_dir(self, name: str) -> Path:
        import hashlib  # not needed to list the players, so not on the start-up path

        key = hashlib.sha256(name.casefold().encode("utf-8", "surrogatepass")).hexdigest()[:10]
        slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:24]
        return self.players_dir / (f"{slug}-{key}" if slug else key)

    # -- progress and events -------------------------------------------------------------------

    def _locked(self, write: bool = True) -> AbstractContextManager[None]:
        return self._lock(write)

    @contextmanager
    def _lock(self, write: bool) -> Iterator[None]:
        """The save folder's lock; re-entrant, since checks on read may run inside a write.

        A write in a folder that cannot be written fails here, before anything is read.
        """
        if write and self.read_only is not None:
            raise CannotSave(errno.EROFS, f"Cannot save: {self.read_only}.")
        depth = self._lock_depth()
        if depth:
            self._held.depth = depth + 1
            try:
                yield
            finally:
                self._held.depth = depth
            return
        with self._in_process:
            writable = self.read_only is None and (write or self.folder.is_dir())
            if writable:
                self.disk.mkdir(self.folder)
            with file_lock(self._lock_path, self.disk, write=writable, notice=self.lock_notice):
                self._held.depth = 1
                try:
                    yield
                finally:
                    self._held.depth = 0

    def _lock_depth(self) -> int:
        """How many times this thread holds the folder's lock (0: not at all)."""
        depth: int = getattr(self._held, "depth", 0)
        return depth

    def _load(self, player: str, bank_id: str) -> Progress:
        return self._current(player, bank_id, take=False)

    def _load_for_write(self, player: str, bank_id: str) -> Progress:
        return self._current(player, bank_id, take=True)

    def _current(self, player: str, bank_id: str, take: bool) -> Progress:
        """The player's progress: a fork of what this store remembers while the witness holds,
        else read from the disk. With `take`, the remembered progress itself, for an event to
        change in place (no copy of thousands of cards per answer): it is forgotten until
        _save remembers it again, so a write that fails leaves nothing half-changed in memory.
        """
        folder = self._player_dir(player)
        if folder in self._newer:
            raise NewerSave(errno.EPERM, self._newer[folder])
        key = (folder, bank_id)
        witness = self._witness(folder, bank_id)  # before reading: a write meanwhile is seen next time
        with self._memory:
            known = self._known.get(key)
            if known is not None and known.witness == witness:  # nobody wrote since this store read or wrote
                return self._hand_out(key, known, take)
        known = self._read_known(player, bank_id, witness, known)
        with self._memory:
            return self._hand_out(key, known, take)

    def _hand_out(self, key: tuple[Path, str], known: _Known, take: bool) -> Progress:
        if not take:
            self._known[key] = known
            return _fork(known.progress)
        self._known.pop(key, None)
        self._pending[key] = known
        return known.progress

    def _read_known(self, player: str, bank_id: str, witness: tuple[object, ...], known: _Known | None) -> _Known:
        folder = self._player_dir(player)
        key = (folder, bank_id)
        progress, layout, trusted = self._read_snapshot(folder, bank_id, known)
        if not trusted and not self._lock_depth():
            # Read without the lock, maybe between another process's card file and its progress
            # file: read again under the lock before replaying the whole log.
            with self._locked(write=False):
                witness = self._witness(folder, bank_id)
                progress, layout, trusted = self._read_snapshot(folder, bank_id)
        # Replay what the log has beyond the snapshot: after a kill between the two writes,
        # or after a damaged snapshot was set aside (then the whole log is replayed).
        # An event whose id was already counted (a duplicate in a damaged log) counts once.
        older, newer = self._events(folder, bank_id, after=progress.applied)
        seen = {e.get("id") for _, e in older}
        replayed: set[str] = set()  # questions whose card files on disk are now behind
        for number, event in newer:
            if number > progress.applied + MAX_GAP:
                continue  # numbered far past the rest of the log: a hand edit, never counted
            if event.get("id") not in seen or event.get("id") is None:
                seen.add(event.get("id"))
                touched = touched_by(progress, event)
                replayed.update(touched)
                for qid in touched:  # shared with a progress handed out earlier: copied, not changed
                    if qid in progress.questions:
                        progress.questions[qid] = replace(progress.questions[qid])
                try:
                    progress.apply(event)
                except (EventError, ArithmeticError, AttributeError, RecursionError):
                    progress.applied += 1
            # Past a gap (a damaged chunk set aside), count up to the event's number, or the
            # next event would reuse a number and the events after the gap be replayed again.
            # The log file's key is the event's number (its "seq" may have been edited).
            progress.applied = max(progress.applied, number)
        self._ids_read[key] = seen
        if layout.count:
            layout.dirty = {_shard_of(qid, layout.count) for qid in replayed}
            for qid in replayed:
                index = _shard_of(qid, layout.count)
                if qid not in layout.members[index]:
                    layout.members[index] = layout.members[index] | {qid}
        rebuilt, progress.rebuilt = progress.rebuilt or not trusted, False
        fresh = _Known(witness, progress, layout)
        if rebuilt and self.read_only is None:  # rebuilt from the log: keep the result, replay once
            try:
                with self._locked():
                    self._pending[key] = fresh
                    self._save(player, bank_id, progress)
                    fresh = self._known.get(key, fresh)  # remembered by _save, with what it wrote
            except OSError:
                pass  # a full disk: it is rebuilt again next time, nothing is lost
        return fresh

    def _read_snapshot(self, folder: Path, bank_id: str, known: _Known | None = None
                       ) -> tuple[Progress, _Layout, bool]:
        """The snapshot on disk, its card files' layout, and whether it can be trusted.

        An untrusted snapshot (a card file damaged, missing or from another write than the
        progress file lists) is returned empty, to be rebuilt by replaying the whole log.
        A card file listed with the token it had when this store last read or wrote it (and
        not behind since) is not read again: `known` holds its questions."""
        path = folder / f"progress-{_safe(bank_id)}.json"
        data = self._read(path)
        try:
            progress = _snapshot(data) if data is not None else Progress()
        except DamagedFile as problem:  # valid JSON, but not a progress (a hand edit)
            with self._locked(write=False):
                self._set_aside(path, problem)
            return Progress(), _Layout(0, []), True
        files = (data or {}).get(PROGRESS, {}).get("1", {}).get(CARD_FILES)
        if files is None or progress.rebuilt:  # cards inline, as before card files; or a snapshot
            return progress, _Layout(0, []), True  # from before FSRS cards, rebuilt from the log
        layout = _Layout(files["count"], list(files["tokens"]), written=progress.applied)
        same = known is not None and known.layout.count == layout.count and len(known.layout.members) == layout.count
        layout.members = list(known.layout.members) if known is not None and same else [set() for _ in layout.tokens]
        if known is not None and same:
            progress.cards, progress.questions = dict(known.progress.cards), dict(known.progress.questions)
        for index, token in enumerate(layout.tokens):
            if known is not None and same:
                if token is not None and token == known.layout.tokens[index] and index not in known.layout.dirty:
                    continue  # unchanged since this store read or wrote it
                for qid in known.layout.members[index]:  # changed: read again below
                    progress.cards.pop(qid, None)
                    progress.questions.pop(qid, None)
                layout.members[index] = set()
            if token is None:
                continue
            shard = self._card_file(folder, bank_id, index)
            try:
                raw = read_regular_file(shard)
            except OSError:
                raw = b""
            if _token(raw) != token:
                # Not the file the progress file was written with: a crash between the two
                # writes, or damage (set aside and reported by _read), or an edit.
                self._read(shard)
                return Progress(legacy_correct=progress.legacy_correct), layout, False
            try:
                cards, questions = _card_part(raw, index, layout.count)
            except DamagedFile as problem:
                with self._locked(write=False):
                    self._set_aside(shard, problem)
                return Progress(legacy_correct=progress.legacy_correct), layout, False
            progress.cards.update(cards)
            progress.questions.update(questions)
            layout.members[index] = cards.keys() | questions.keys()
        return progress, layout, True

    def _witness(self, folder: Path, bank_id: str) -> tuple[object, ...]:
        """What changes whenever the player's progress in the bank changes, by any process.

        Every change appends to the log (a new chunk, or the newest one replaced by a longer
        one); the progress file's own identity also changes when a snapshot is rebuilt or set
        aside without a new event. Five stats, no reads."""
        number = self._newest_chunk(folder, bank_id)
        return (number, _stamp(self._chunk_path(folder, bank_id, number)),
                _stamp(folder / f"progress-{_safe(bank_id)}.json"))

    def _find_logged(self, player: str, bank_id: str, event_id: str) -> Event | None:
        """A retry comes right after its first try: the newest chunk (or the one before) holds it.

        Called just after _load, which noted the ids in the log files it read (and this store
        notes those it writes): only a retry reads them again.
        """
        folder = self._player_dir(player)
        if event_id not in self._ids_read.get((folder, bank_id), ()):
            return None
        newest = self._newest_chunk(folder, bank_id)
        for number in (newest, newest - 1):
            if number > 0:
                for event in _events_of(self._read_chunk(folder, bank_id, number)).values():
                    if event.get("id") == event_id:
                        return event
        return None

    def _append(self, player: str, bank_id: str, event: Event) -> None:
        folder = self._player_dir(player)
        newest = self._newest_chunk(folder, bank_id)
        data = self._read_chunk(folder, bank_id, newest) if newest else None
        number = newest
        events = _events_of(data)
        if not newest or len(events) >= LOG_CHUNK:
            # Number after the newest chunk, not by count: a chunk set aside as damaged
            # leaves a gap, and counting would land on (and empty) the newest one.
            number, data, events = newest + 1, {}, {}
        seq = str(int(event["seq"]))
        if seq in events:
            raise ValueError(f"an event numbered {seq} is already logged")
        path = self._chunk_path(folder, bank_id, number)
        tables = {**{k: v for k, v in (data or {}).items() if k != META}, EVENTS: {**events, seq: event}}
        self._chunks.pop(path, None)
        self._chunks.pop(self._chunk_path(folder, bank_id, number - 1), None)
        text = self._chunk_texts.pop(path, None)
        self._chunk_texts.pop(self._chunk_path(folder, bank_id, number - 1), None)
        if set(tables) == {EVENTS}:
            # Logged events never change: the chunk's text is the text written last time with
            # the new event added, not the whole chunk encoded again.
            inner = text[1] if text is not None and text[0] is events else \
                ",".join(f"{_encode(k)}:{_encode(v)}" for k, v in events.items())
            inner = f"{inner},{_encode(seq)}:{_encode(event)}" if inner else f"{_encode(seq)}:{_encode(event)}"
            self._guard(path)
            self.disk.mkdir(folder)
            write_atomic(path, f'{{"{META}":{{"1":{{"schema":{SCHEMA}}}}},"{EVENTS}":{{{inner}}}}}'.encode(
                "utf-8", "backslashreplace"), self.disk)
            self._chunk_texts[path] = (tables[EVENTS], inner)
        else:
            self._write(path, tables)
        self._newest[(folder, bank_id)] = number
        stamp = _stamp(path)
        if stamp is not None:
            self._chunks[path] = (stamp, tables)
        self._ids_read.setdefault((folder, bank_id), set()).add(event.get("id"))

    def _save(self, player: str, bank_id: str, progress: Progress, touched: Collection[str] | None = None) -> None:
        """Write the snapshot: the progress file, and the card files holding `touched` questions.

        Not fsynced: the log, written (and fsynced) first, is what makes an answer saved. A
        snapshot lost in a crash is an older one, or an empty file set aside as damage, and
        either way _load replays the log past it. That takes two of an answer's four fsyncs
        off the time between the key and the verdict.

        If any write fails, nothing is remembered: the next read goes to the disk, where the
        progress file still lists the card files it was written with (or, if a card file was
        replaced but the progress file not, the snapshot is rebuilt from the log).
        """
        folder = self._player_dir(player)
        key = (folder, bank_id)
        known = self._pending.pop(key, None)  # what _load_for_write took: the layout on disk
        path = folder / f"progress-{_safe(bank_id)}.json"
        size = max(len(progress.questions), len(progress.cards))
        count = 0 if size <= INLINE_QUESTIONS and (known is None or not known.layout.count) \
            else _shard_count(size, known.layout.count if known else 0)
        if not count:  # everything in the progress file, as before card files (save version 1)
            layout = _Layout(0, [], texts=dict(known.layout.texts) if known is not None else {})
            self._write_progress(path, progress, layout, SCHEMA, _SAVED_FIELDS, {})
            self._remember(key, progress, layout)
            return
        if known is None or known.layout.count != count or touched is None:
            layout = _Layout(count, [None] * count, _members(progress, count))
            rewrite = [i for i in range(count) if layout.members[i]]
            for index in range(count):  # a file of fewer, bigger card files, now empty: not listed
                if not layout.members[index]:
                    self.disk.unlink(self._card_file(folder, bank_id, index))
        else:
            # Copied only where it changes: the lists of tokens and files, and a new question's file.
            layout = _Layout(count, list(known.layout.tokens), list(known.layout.members),
                             known.layout.dirty | {_shard_of(qid, count) for qid in touched},
                             dict(known.layout.texts), known.layout.written)
            for qid in touched:
                index = _shard_of(qid, count)
                if qid not in layout.members[index]:
                    layout.members[index] = layout.members[index] | {qid}
            if progress.applied - layout.written < SNAPSHOT_EVERY:
                self._remember(key, progress, layout)  # the log holds the events; the files wait
                return
            rewrite = sorted(layout.dirty)
        layout.dirty, layout.written = set(), progress.applied
        self.disk.mkdir(folder)
        for index in rewrite:
            members = layout.members[index]
            cards = _entries_json({q: progress.cards[q] for q in members if q in progress.cards},
                                  layout.texts, ("cards", index), same_object=True)
            stats = _entries_json({q: progress.questions[q] for q in members if q in progress.questions},
                                  layout.texts, ("questions", index), _stat_dict, same_object=True)
            text = (f'{{"{META}":{{"1":{{"schema":{SNAPSHOT_SCHEMA}}}}},"{CARDS}":{{"1":{{"shard":{index},'
                    f'"of":{count},"cards":{cards},"questions":{stats}}}}}}}')
            raw = text.encode("utf-8", "backslashreplace")
            shard = self._card_file(folder, bank_id, index)
            self._guard(shard)
            write_atomic(shard, raw, self.disk, durable=False)
            layout.tokens[index] = _token(raw)
        self._write_progress(path, progress, layout, SNAPSHOT_SCHEMA, _MAIN_FIELDS,
                             {CARD_FILES: {"count": count, "tokens": layout.tokens}})
        self._remember(key, progress, layout)

    def _write_progress(self, path: Path, progress: Progress, layout: _Layout, schema: int,
                        names: tuple[str, ...], extra: dict[str, Any]) -> None:
        """The progress file, its big fields encoded from the text of their unchanged entries."""
        fields = []
        for name in names:
            value = getattr(progress, name)
            if name == "cards":
                text = _entries_json(value, layout.texts, name, same_object=True)
            elif name == "questions":
                text = _entries_json(value, layout.texts, name, _stat_dict, same_object=True)
            elif name in ("days", "daily"):
                text = _entries_json(value, layout.texts, name)
            else:
                text = _encode(value)
            fields.append(f"{_encode(name)}:{text}")
        fields.extend(f"{_encode(name)}:{_encode(value)}" for name, value in extra.items())
        text = f'{{"{META}":{{"1":{{"schema":{schema}}}}},"{PROGRESS}":{{"1":{{{",".join(fields)}}}}}}}'
        self._guard(path)
        self.disk.mkdir(path.parent)
        write_atomic(path, text.encode("utf-8", "backslashreplace"), self.disk, durable=False)

    def _remember(self, key: tuple[Path, str], progress: Progress, layout: _Layout) -> None:
        with self._memory:
            self._known[key] = _Known(self._witness(*key), progress, layout)

    def history(self, player: str, bank_id: str) -> list[Event]:
        folder = self._player_dir(self.player(player))
        if folder in self._newer:
            raise NewerSave(errno.EPERM, self._newer[folder])
        return [event for _, event in self._events(folder, bank_id, after=0)[1]]

    def events_after(self, player: str, bank_id: str, after: int) -> list[Event]:
        folder = self._player_dir(self.player(player))
        if folder in self._newer:
            raise NewerSave(errno.EPERM, self._newer[folder])
        return [event for _, event in self._events(folder, bank_id, after=after)[1]]

    def change_stamp(self) -> object:
        """Size and time of every player.json, progress file and newest log chunk: a few dozen
        stats, no reads. The log is written first and at every event (the progress file of a
        player with card files only every SNAPSHOT_EVERY events)."""
        stamp: list[tuple[str, int, int, int]] = []
        try:
            folders = [e for e in os.scandir(self.players_dir) if e.is_dir(follow_symlinks=False)]
        except OSError:
            return ()
        for folder in folders:
            try:
                entries = list(os.scandir(folder.path))
            except OSError:
                continue
            newest: dict[str, os.DirEntry[str]] = {}  # bank -> its newest log chunk
            for entry in entries:
                if entry.name.startswith("log-") and entry.name.endswith(".json"):
                    bank = entry.name.rsplit("-", 1)[0]
                    if bank not in newest or entry.name > newest[bank].name:
                        newest[bank] = entry
            chunks = {entry.name for entry in newest.values()}
            for entry in entries:
                if entry.name == "player.json" or entry.name in chunks \
                        or (entry.name.startswith("progress-") and entry.name.endswith(".json")):
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    stamp.append((entry.path, info.st_mtime_ns, info.st_size, info.st_ino))
        return tuple(sorted(stamp))

    def _events(self, folder: Path, bank_id: str, after: int
                ) -> tuple[list[tuple[int, Event]], list[tuple[int, Event]]]:
        """The logged events numbered up to `after` in the chunks read, and those after it.

        Walks back from the newest chunk: usually only the newest one is read.
        """
        older: list[tuple[int, Event]] = []
        newer: list[tuple[int, Event]] = []
        for number in range(self._newest_chunk(folder, bank_id), 0, -1):
            path = self._chunk_path(folder, bank_id, number)
            if not path.exists():
                continue  # a chunk set aside as damaged
            events = _events_of(self._read_chunk(folder, bank_id, number))
            keys = sorted((int(k) for k in events), reverse=True)
            newer.extend((k, events[str(k)]) for k in keys if k > after)
            older.extend((k, events[str(k)]) for k in keys if k <= after)
            if keys and keys[-1] <= after:
                break
        return older, newer[::-1]

    def _newest_chunk(self, folder: Path, bank_id: str) -> int:
        """The newest log chunk's number (0 if none), without listing the folder each time.

        The number is remembered, and probed forward because another process may have
        started a chunk since; the folder is listed only when the remembered one is gone.
        """
        key = (folder, bank_id)
        number = self._newest.get(key)
        if number is None or (number and not self._chunk_path(folder, bank_id, number).exists()):
            chunks = sorted(folder.glob(f"log-{_safe(bank_id)}-[0-9][0-9][0-9][0-9][0-9][0-9].json"))
            number = int(chunks[-1].stem.rsplit("-", 1)[1]) if chunks else 0
        while self._chunk_path(folder, bank_id, number + 1).exists():
            number += 1
        self._newest[key] = number
        return number

    @staticmethod
    def _chunk_path(folder: Path, bank_id: str, number: int) -> Path:
        return folder / f"log-{_safe(bank_id)}-{number:06d}.json"

    @staticmethod
    def _card_file(folder: Path, bank_id: str, index: int) -> Path:
        return folder / f"cards-{_safe(bank_id)}-{index:03d}.json"

    def _read_chunk(self, folder: Path, bank_id: str, number: int) -> dict[str, Any] | None:
        """A log chunk; the newest one is kept in memory while its witness holds (the next
        answer rewrites it whole, with one event more)."""
        path = self._chunk_path(folder, bank_id, number)
        stamp = _stamp(path)
        known = self._chunks.get(path)
        if known is not None and stamp is not None and known[0] == stamp:
            return known[1]
        data = self._read(path)
        if stamp is not None and data is not None and number == self._newest.get((folder, bank_id)):
            self._chunks.pop(self._chunk_path(folder, bank_id, number - 1), None)
            self._chunks[path] = (stamp, data)
        return data

    # -- files -----------------------------------------------------------------------------

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            data = read_json(path)
            if data is None or (path.parent not in self._newer and _schema(data) in (SCHEMA, _newest_schema(path))):
                return data
        except DamagedFile:
            pass
        return self._check(path)

    def _write(self, path: Path, tables: dict[str, Any], durable: bool = True, schema: int = SCHEMA) -> None:
        self._guard(path)
        AtomicJSONStorage(path, self.disk, durable).write({META: {"1": {"schema": schema}}, **tables})

    def _guard(self, path: Path) -> None:
        """Refuse to write a newer version's file, or through a symbolic link out of the saves."""
        if path.parent in self._newer:
            raise NewerSave(errno.EPERM, self._newer[path.parent])
        folder = path.parent
        if folder.is_symlink() or not folder.resolve().is_relative_to(self._root) or path.is_symlink():
            raise CannotSave(errno.ELOOP, f"Cannot save: {path} leads out of the save folder through a "
                             "symbolic link, and quizgame never writes through one.")


def _schema(data: dict[str, Any]) -> int:
    meta = data.get(META, {}).get("1", {})
    version = meta.get("schema", 0) if isinstance(meta, dict) else 0
    if type(version) is not int or version < 0:
        raise DamagedFile(f"has an unreadable save version {version!r}")
    return version


def _lenient_schema(parsed: Any) -> int | None:
    """The save version a file claims, however its tables look."""
    try:
        version = parsed[META]["1"]["schema"]
    except (TypeError, KeyError, IndexError):
        return None
    return version if type(version) is int else None


def _at_schema(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, META: {"1": {"schema": SCHEMA}}}


def _snapshot(data: dict[str, Any]) -> Progress:
    """The progress a snapshot file holds; DamagedFile if its fields are missing or mistyped."""
    doc = data.get(PROGRESS, {}).get("1")
    if not isinstance(doc, dict):
        raise DamagedFile("does not hold a player's progress")
    try:
        progress = Progress.from_dict(doc)
    except (AttributeError, TypeError, ValueError) as exc:
        raise DamagedFile(f"does not hold a player's progress ({exc})") from None
    pairs: list[tuple[Progress | QuestionStat, Progress | QuestionStat]] = [
        (progress, Progress()), *((s, QuestionStat()) for s in progress.questions.values())]
    for value, blank in pairs:
        for name in blank.__dataclass_fields__:
            mine, default = getattr(value, name), getattr(blank, name)
            if default is not None and type(mine) is not type(default):
                raise DamagedFile(f"does not hold a player's progress ({name} is {mine!r:.40})")
            if isinstance(mine, int | float) and not abs(mine) <= MAX_SAVED_INT:
                raise DamagedFile(f"does not hold a player's progress ({name} is out of range)")
    try:
        _check_fields(progress)
    except (TypeError, ValueError) as exc:
        raise DamagedFile(f"does not hold a player's progress ({exc})") from None
    files = doc.get(CARD_FILES)
    if files is not None and not (
            isinstance(files, dict) and type(files.get("count")) is int and 1 <= files["count"] <= MAX_SHARDS
            and files["count"] & (files["count"] - 1) == 0 and isinstance(files.get("tokens"), list)
            and len(files["tokens"]) == files["count"]
            and all(t is None or (isinstance(t, str) and len(t) <= 64) for t in files["tokens"])):
        raise DamagedFile("does not hold a player's progress (its list of card files is not one)")
    return progress


_LAST_ANSWER: dict[str, type | tuple[type, ...]] = {"id": str, "question": str, "tier": int, "verdict": str, "score": (int, float), "points": int,
                "streak_before": int, "best_before": int}


def _check_fields(progress: Progress) -> None:
    """What the screens and commands read from a snapshot has the types they expect."""
    if progress.last_day:
        date.fromisoformat(progress.last_day)
    if not 0 <= progress.applied < MAX_SEQ - 1:
        raise ValueError("applied is out of range")
    if not all(isinstance(k, str) and type(v) is int for k, v in progress.best_rounds.items()):
        raise ValueError("best_rounds holds something that is not points")
    if not all(isinstance(r, dict) and type(r.get("points")) is int for r in progress.rounds):
        raise ValueError("rounds holds something that is not a round")
    last = progress.last_answer
    if last is not None and not (isinstance(last, dict) and all(
            isinstance(last.get(k), t) for k, t in _LAST_ANSWER.items())):
        raise ValueError("last_answer is not an answer")


def _newest_schema(path: Path) -> int:
    """The newest save version this quizgame writes for a file of this kind."""
    return SNAPSHOT_SCHEMA if path.name.startswith(("progress-", "cards-")) else SCHEMA


# A file's identity: inode, size and modification time. Every write replaces a file by a new
# one (a new inode while the old is open, a new time); the log only ever grows.
_Stamp = tuple[int, int, int]


def _stamp(path: Path) -> _Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


@dataclass
class _Layout:
    """Where a snapshot's cards are: `count` card files (0: inside the progress file), the
    token each was last written with (None: no file), the questions each holds, and those
    whose file on disk is behind (events since the snapshot was written changed them)."""

    count: int
    tokens: list[str | None]
    members: list[set[str]] = dataclass_field(default_factory=list)
    dirty: set[int] = dataclass_field(default_factory=set)
    # The JSON text of each entry last written, per card file and per field of the progress file.
    texts: dict[object, _Texts] = dataclass_field(default_factory=dict)
    written: int = 0  # the events the progress file on disk has applied


_Texts = tuple[dict[str, Any], dict[str, str]]  # an entry's value as last written, and its JSON text
_ABSENT = object()
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _entries_json(entries: dict[str, Any], texts: dict[object, _Texts], key: object,
                  to_json: Callable[[Any], Any] | None = None, same_object: bool = False) -> str:
    """`entries` as a JSON object, reusing the text of each entry whose value is the one it was
    last written from: an answer encodes the one card and the one day it changed, not the
    thousands beside them. Cards and stats are compared by identity (an event replaces the
    cards it changes, and the stats are copied before it applies); days and daily challenges,
    changed in place, by value against a copy."""
    values, kept = texts.get(key, ({}, {}))
    if same_object:
        changed = [name for name, value in entries.items() if values.get(name) is not value]
    else:
        changed = [name for name, value in entries.items() if values.get(name, _ABSENT) != value]
    if changed:
        values, kept = dict(values), dict(kept)
        for name in changed:
            value = entries[name]
            values[name] = value if same_object else _copy_json(value)
            kept[name] = f"{_encode(name)}:{_encode(to_json(value) if to_json else value)}"
    if len(kept) != len(entries):  # an entry went (a card taken back by an override)
        values = {name: values[name] for name in entries}
        kept = {name: kept[name] for name in entries}
    texts[key] = (values, kept)
    return "{" + ",".join(kept.values()) + "}"



@dataclass
class _Known:
    """A snapshot as this store last read or wrote it, and the witness it was read or written at."""

    witness: tuple[object, ...]
    progress: Progress  # never changed once known: each load gets a fork of it
    layout: _Layout


_STAT_FIELDS = tuple(f.name for f in fields(QuestionStat))
_SAVED_FIELDS = tuple(f.name for f in fields(Progress) if f.name != "rebuilt")
_MAIN_FIELDS = tuple(name for name in _SAVED_FIELDS if name not in ("questions", "cards"))


def _stat_dict(stat: QuestionStat) -> dict[str, Any]:
    return {name: getattr(stat, name) for name in _STAT_FIELDS}


def _copy_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_json(v) for v in value]
    return value


def _fork(progress: Progress) -> Progress:
    """A progress equal to `progress` that applying events to will not change it.

    Applying an event changes small fields in place (today's activity, the daily challenge):
    those are copied. Of the cards and stats, only the dicts are copied, not the thousands of
    entries: an event replaces the cards it changes, and Store._record copies the stats of the
    questions it touches before applying it."""
    twin = copy.copy(progress)
    for name in _MAIN_FIELDS:
        value = getattr(progress, name)
        if isinstance(value, dict | list):
            setattr(twin, name, _copy_json(value))
    twin.questions = dict(progress.questions)
    twin.cards = dict(progress.cards)
    return twin


def _token(raw: bytes) -> str:
    """A card file's checksum and length, which the progress file lists: any change to the file
    after it was written (a crash between the two writes, damage, an edit) shows."""
    return f"{zlib.crc32(raw):08x}-{len(raw)}"


def _shard_of(qid: str, count: int) -> int:
    return zlib.crc32(qid.encode("utf-8", "surrogatepass")) % count


def _shard_count(size: int, at_least: int) -> int:
    """Card files for `size` questions: a power of two, never fewer than there are already."""
    count = max(at_least, 1)
    while count < MAX_SHARDS and size > count * SHARD_QUESTIONS:
        count *= 2
    return count


def _members(progress: Progress, count: int) -> list[set[str]]:
    members: list[set[str]] = [set() for _ in range(count)]
    for qid in progress.questions.keys() | progress.cards.keys():
        members[_shard_of(qid, count)].add(qid)
    return members


def _card_part(raw: bytes, index: int, count: int) -> tuple[dict[str, dict[str, Any]], dict[str, QuestionStat]]:
    """The cards and stats a card file holds; DamagedFile if they are not what a quizgame wrote.

    The checks of _snapshot, spelled out for one card or stat at a time: a player with 20,000
    questions has 40,000 of them to check when the saves are opened."""
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_not_a_number)[CARDS]["1"]
    except (ValueError, RecursionError, LookupError, TypeError):  # not UTF-8, not JSON, not a card file
        raise DamagedFile("is not a card file") from None
    cards, stats = doc.get("cards") if isinstance(doc, dict) else None, doc.get("questions") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("shard") != index or doc.get("of") != count \
            or not isinstance(cards, dict) or not isinstance(stats, dict):
        raise DamagedFile(f"is not card file {index} of {count}")
    if not all(_shard_of(q, count) == index for q in cards.keys() | stats.keys()):
        raise DamagedFile("holds a question that belongs to another card file")
    questions: dict[str, QuestionStat] = {}
    big = MAX_SAVED_INT
    for qid, st in stats.items():
        if not (type(st) is dict and st.keys() == _STAT_KEYS and type(st["attempts"]) is int
                and type(st["correct"]) is int and type(st["score"]) is float and type(st["last_at"]) is str
                and type(st["last_verdict"]) is str and type(st["recalled"]) is bool
                and type(st["mastered"]) is bool and -big <= st["attempts"] <= big and -big <= st["correct"] <= big
                and -big <= st["score"] <= big):
            raise DamagedFile(f"does not hold a player's progress (the stat of {qid!r:.40} is {st!r:.60})")
        questions[qid] = QuestionStat(**st)
    for qid, card in cards.items():
        try:
            if not (type(card) is dict and type(card.get("due")) is str and card.get("state") in (1, 2, 3)
                    and type(card.get("stability")) in (int, float) and 0 < card["stability"] <= big
                    and type(card.get("difficulty")) in (int, float) and -big <= card["difficulty"] <= big
                    and (card.get("reviewed_ts") is None or (type(card["reviewed_ts"]) in (int, float)
                                                             and -big <= card["reviewed_ts"] <= big))
                    and (card.get("last_review") is None or type(card["last_review"]) is str)):
                raise ValueError
            datetime.fromisoformat(card["due"])
        except (ValueError, TypeError):
            raise DamagedFile(f"does not hold a player's progress (the card of {qid!r:.40} is {card!r:.60})") from None
    return cards, questions


_STAT_KEYS = {f.name for f in fields(QuestionStat)}


def _not_a_number(name: str) -> float:
    raise ValueError(f"{name} is not a number a save can hold")


def _events_of(data: dict[str, Any] | None) -> dict[str, Event]:
    events: dict[str, Event] = (data or {}).get(EVENTS, {})
    return events


def _safe(bank_id: str) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", bank_id.lower())[:64] or "bank"
    if slug == bank_id:
        return slug
    # Ids that differ only in case or punctuation ("C++", "C#") must not share files.
    import hashlib

    return f"{slug[:55]}-{hashlib.sha256(bank_id.encode()).hexdigest()[:8]}"
