"""Saves in TinyDB files, laid out so that no write is large and no damage spreads.

    saves/
      .lock                                    one lock for every read-modify-write
      players/<key>/player.json                the player's name
      players/<key>/progress-<bank>.json       the progress snapshot for one bank
      players/<key>/log-<bank>-000001.json     the event log, in chunks of LOG_CHUNK events

Each player has a folder of their own, so damage to one file cannot touch another player.
Recording an answer rewrites only the small snapshot and the current log chunk, however
long the history. The log is written before the snapshot; on load, logged events newer
than the snapshot are replayed, so a kill between the two writes loses nothing.
"""
from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from quizgame.core.clock import Clock, SystemClock
from quizgame.core.progress import EventError, Progress, QuestionStat
from quizgame.store.base import Store
from quizgame.store.files import (
    AtomicJSONStorage, DamagedFile, file_lock, quarantine, read_json, remove_stale_temps, write_atomic,
)

SCHEMA = 1
LOG_CHUNK = 250
META, PLAYER, PROGRESS, EVENTS = "_meta", "player", "progress", "events"


def _migrate_0(data: dict) -> dict:
    """Schema 0: files written before versions were recorded; same tables, no _meta."""
    return data


MIGRATIONS = {0: _migrate_0}


class TinyDBStore(Store):
    def __init__(self, folder: str | Path, clock: Clock | None = None):
        super().__init__()
        self.folder = Path(folder)
        self.clock = clock or SystemClock()
        self.players_dir = self.folder / "players"
        self.players_dir.mkdir(parents=True, exist_ok=True)
        self._lock_path = self.folder / ".lock"
        self._lock_depth = 0
        self._newest: dict[tuple[Path, str], int] = {}
        with self._locked():
            own = [p for p in self.players_dir.iterdir() if p.is_dir() and not p.is_symlink()]
            remove_stale_temps([self.players_dir, *own, self.folder / "banks"])
            self._check_all()

    # -- opening: damage, versions ---------------------------------------------------

    def _check_all(self) -> None:
        """Check every player and snapshot file, and the newest log chunk of each bank.

        Full log chunks are never written again, so reading them all at every start would
        only slow the game down; damage to one is caught when it is read.
        """
        newest: dict[str, Path] = {}
        for path in sorted(self.players_dir.glob("*/*.json")):
            if path.name.startswith("log-"):
                newest[f"{path.parent.name}/{path.name.rsplit('-', 1)[0]}"] = path
            else:
                self._check(path)
        for path in newest.values():
            self._check(path)

    def _check(self, path: Path) -> dict | None:
        """The file's data at the current schema, or None after setting damage aside."""
        with self._locked():  # another process may be setting the same file aside
            return self._check_locked(path)

    def _check_locked(self, path: Path) -> dict | None:
        try:
            data = read_json(path)
            if data is None:
                return None
            version = _schema(data)
            if version > SCHEMA:
                raise DamagedFile(f"written by a newer quizgame (save version {version}, this one reads {SCHEMA})")
        except DamagedFile as problem:
            self._set_aside(path, str(problem))
            return None
        if version < SCHEMA:
            backup = path.with_name(f"{path.name}.v{version}-backup")
            if not backup.exists():
                write_atomic(backup, path.read_text(encoding="utf-8"))
            for step in range(version, SCHEMA):
                data = MIGRATIONS[step](data)
            data[META] = {"1": {"schema": SCHEMA}}
            AtomicJSONStorage(path).write(data)
        return data

    def _set_aside(self, path: Path, why: str) -> None:
        backup = quarantine(path, self.clock.now())
        message = f"Save file {path} {why}. It was moved to {backup}; everything else was kept."
        self.warnings.append(message)
        print(f"quizgame: {message}", file=sys.stderr)

    # -- players -------------------------------------------------------------------------

    def players(self) -> list[str]:
        found = []
        for path in self.players_dir.glob("*/player.json"):
            try:
                data = read_json(path) or {}
                doc = data.get(PLAYER, {}).get("1")
            except DamagedFile:
                continue
            if doc and isinstance(doc.get("name"), str):
                found.append((doc.get("joined", ""), doc["name"]))
        return [name for _, name in sorted(found)]

    def _add_player(self, name: str) -> None:
        folder = self._player_dir(name)
        folder.mkdir(parents=True, exist_ok=True)
        joined = self.clock.now().isoformat(timespec="microseconds")
        self._write(folder / "player.json", {PLAYER: {"1": {"name": name, "joined": joined}}})

    def _player_dir(self, name: str) -> Path:
        import hashlib  # not needed to list the players, so not on the start-up path

        key = hashlib.sha256(name.casefold().encode()).hexdigest()[:10]
        slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:24]
        return self.players_dir / (f"{slug}-{key}" if slug else key)

    # -- progress and events -------------------------------------------------------------------

    @contextmanager
    def _locked(self):
        """The save folder's lock; re-entrant, since checks on read may run inside a write."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        with file_lock(self._lock_path):
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0

    def _load(self, player: str, bank_id: str) -> Progress:
        folder = self._player_dir(player)
        path = folder / f"progress-{_safe(bank_id)}.json"
        data = self._read(path)
        try:
            progress = _snapshot(data) if data is not None else Progress()
        except DamagedFile as problem:  # valid JSON, but not a progress (a hand edit)
            self._set_aside(path, str(problem))
            progress = Progress()
        # Replay what the log has beyond the snapshot: after a kill between the two writes,
        # or after a damaged snapshot was set aside (then the whole log is replayed).
        for event in self._events(folder, bank_id, after=progress.applied):
            try:
                progress.apply(event)
            except EventError:
                progress.applied += 1
            # Past a gap (a damaged chunk set aside), count up to the event's number, or the
            # next event would reuse a number and the events after the gap be replayed again.
            if isinstance(event.get("seq"), int):
                progress.applied = max(progress.applied, event["seq"])
        return progress

    def _append(self, player: str, bank_id: str, event: dict) -> None:
        folder = self._player_dir(player)
        newest = self._newest_chunk(folder, bank_id)
        path = self._chunk_path(folder, bank_id, max(newest, 1))
        if not newest or len(_events_of(self._read(path))) >= LOG_CHUNK:
            # Number after the newest chunk, not by count: a chunk set aside as damaged
            # leaves a gap, and counting would land on (and empty) the newest one.
            path = self._chunk_path(folder, bank_id, newest + 1)
            self._write(path, {EVENTS: {}})
            self._newest[(folder, bank_id)] = newest + 1
        TinyDB(path, storage=AtomicJSONStorage).table(EVENTS).insert(Document(event, doc_id=int(event["seq"])))

    def _save(self, player: str, bank_id: str, progress: Progress) -> None:
        path = self._player_dir(player) / f"progress-{_safe(bank_id)}.json"
        self._write(path, {PROGRESS: {"1": progress.to_dict()}})

    def history(self, player: str, bank_id: str) -> list[dict]:
        return list(self._events(self._player_dir(self.player(player)), bank_id, after=0))

    def events_after(self, player: str, bank_id: str, after: int) -> list[dict[str, Any]]:
        return list(self._events(self._player_dir(self.player(player)), bank_id, after=after))

    def change_stamp(self) -> object:
        """Size and time of every player.json and progress file: a few dozen stats, no reads.

        The progress file is written after the log, so its change means the answer is saved.
        """
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
            for entry in entries:
                if entry.name == "player.json" or (entry.name.startswith("progress-") and entry.name.endswith(".json")):
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    stamp.append((entry.path, info.st_mtime_ns, info.st_size, info.st_ino))
        return tuple(sorted(stamp))

    def _events(self, folder: Path, bank_id: str, after: int):
        # Walk back from the newest chunk: usually only the newest one is read.
        newer: list[dict] = []
        for number in range(self._newest_chunk(folder, bank_id), 0, -1):
            path = self._chunk_path(folder, bank_id, number)
            if not path.exists():
                continue  # a chunk set aside as damaged
            events = _events_of(self._read(path))
            keys = sorted((int(k) for k in events), reverse=True)
            newer.extend(events[str(k)] for k in keys if k > after)
            if keys and keys[-1] <= after:
                break
        return reversed(newer)

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

    # -- files -----------------------------------------------------------------------------

    def _read(self, path: Path) -> dict | None:
        try:
            data = read_json(path)
        except DamagedFile:
            return self._check(path)
        if data is not None and _schema(data) != SCHEMA:
            return self._check(path)
        return data

    def _write(self, path: Path, tables: dict) -> None:
        AtomicJSONStorage(path).write({META: {"1": {"schema": SCHEMA}}, **tables})


def _schema(data: dict) -> int:
    meta = data.get(META, {}).get("1", {})
    version = meta.get("schema", 0) if isinstance(meta, dict) else 0
    if not isinstance(version, int):
        raise DamagedFile(f"unreadable save version {version!r}")
    return version


def _snapshot(data: dict) -> Progress:
    """The progress a snapshot file holds; DamagedFile if its fields are missing or mistyped."""
    doc = data.get(PROGRESS, {}).get("1")
    if not isinstance(doc, dict):
        raise DamagedFile("does not hold a player's progress")
    try:
        progress = Progress.from_dict(doc)
    except (AttributeError, TypeError, ValueError) as exc:
        raise DamagedFile(f"does not hold a player's progress ({exc})") from None
    for value, blank in [(progress, Progress()), *((s, QuestionStat()) for s in progress.questions.values())]:
        for name in blank.__dataclass_fields__:
            mine, default = getattr(value, name), getattr(blank, name)
            if default is not None and type(mine) is not type(default):
                raise DamagedFile(f"does not hold a player's progress ({name} is {mine!r})")
    return progress


def _events_of(data: dict | None) -> dict:
    return (data or {}).get(EVENTS, {})


def _safe(bank_id: str) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", bank_id.lower())[:64] or "bank"
    if slug == bank_id:
        return slug
    # Ids that differ only in case or punctuation ("C++", "C#") must not share files.
    import hashlib

    return f"{slug[:55]}-{hashlib.sha256(bank_id.encode()).hexdigest()[:8]}"
