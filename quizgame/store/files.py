"""Crash-safe files for TinyDB: atomic replacement, a lock between processes, quarantine.

Stock JSONStorage truncates and rewrites the file in place, so a kill mid-write can leave
half a file. AtomicJSONStorage writes a temporary file beside it, fsyncs it, renames it
over the old one and fsyncs the folder: after a crash the file is either old or new.
"""
from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from tinydb.storages import Storage

TEMP_SUFFIX = ".tmp"


class DamagedFile(Exception):
    """A save file that cannot be read as a TinyDB document."""


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
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


def remove_stale_temps(folder: Path) -> None:
    """Temporary files left by a process killed mid-write (call with the lock held)."""
    for temp in folder.rglob(f".*{TEMP_SUFFIX}"):
        temp.unlink(missing_ok=True)
