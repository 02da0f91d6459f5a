"""Crash-safe files for TinyDB: atomic replacement, a lock between processes, quarantine.

Stock JSONStorage truncates and rewrites the file in place, so a kill mid-write can leave
half a file. AtomicJSONStorage writes a temporary file beside it, fsyncs it, renames it
over the old one and fsyncs the folder: after a crash the file is either old or new.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from tinydb.storages import Storage

TEMP_SUFFIX = ".quizgame-tmp"
# A temp file of ours: ".<file>.<pid>.<8 random>.quizgame-tmp" (the importer writes the
# same). Saves written by 0.1.0 used ".tmp"; those are recognised by the names of the
# files that version wrote.
_OURS = re.compile(r"^\..+\.\d+\.[0-9a-z_]{8}\.quizgame-tmp$")
_OURS_0_1 = re.compile(r"^\.(player|progress-[^/]+|log-[^/]+)\.json\.\d+\.[0-9a-f]{8}\.tmp$")
# A writer holds its temp file for milliseconds, an import of a 50,000-card deck for
# seconds; an hour is far beyond any live writer, so an older temp file is an orphan.
STALE_TEMP_SECONDS = 3600


class DamagedFile(Exception):
    """A save file that cannot be read as a TinyDB document."""


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    temp = temp_path(path)
    try:
        with open(temp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def read_json(path: Path) -> dict | None:
    """The file's JSON object, None if it does not exist; DamagedFile if it is not one."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DamagedFile("a folder stands where the file should be") from None
    except OSError as exc:
        raise DamagedFile(f"cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise DamagedFile("the file is empty")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DamagedFile(f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise DamagedFile("not a TinyDB save")
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file behind."""

    def __init__(self, path: str | os.PathLike, **_: object):
        self.path = Path(path)

    def read(self) -> dict | None:
        return read_json(self.path)

    def write(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    def close(self) -> None:
        pass


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes, held for one read-modify-write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def quarantine(path: Path, now: datetime) -> Path:
    """Move a damaged save aside under a timestamped name that never overwrites anything."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    os.replace(path, target)
    fsync_dir(path.parent)
    return target


def temp_path(path: Path) -> Path:
    """Where a new version of `path` is written before it replaces it."""
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")


def remove_stale_temps(folders: list[Path], now: float | None = None) -> None:
    """Temporary files that quizgame left behind when killed mid-write.

    Only files named as quizgame names them, directly inside the given folders (never
    below them), and only when older than STALE_TEMP_SECONDS, so that a writer still
    running in another terminal keeps its file. Nothing else is ever touched.
    """
    cutoff = (time.time() if now is None else now) - STALE_TEMP_SECONDS
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not (_OURS.match(entry.name) or _OURS_0_1.match(entry.name)):
                continue
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:
                continue
