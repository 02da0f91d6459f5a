"""Crash-safe files for TinyDB: atomic replacement, a lock between processes, quarantine.

Stock JSONStorage truncates and rewrites the file in place, so a kill mid-write can leave
half a file. AtomicJSONStorage writes a temporary file beside it, fsyncs it, renames it
over the old one and fsyncs the folder: after a crash the file is either old or new.

Every change to the file system goes through a Disk, the seam where tests inject full
disks, read-only folders and failing hardware.
"""
from __future__ import annotations

import errno
import fcntl
import json
import math
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from quizgame.core.readfile import read_regular_file

TEMP_SUFFIX = ".quizgame-tmp"
# A temp file of ours: ".<file>.<pid>.<8 random>.quizgame-tmp" (the importer writes the
# same). Saves written by 0.1.0 used ".tmp"; those are recognised by the names of the
# files that version wrote.
_OURS = re.compile(r"^\..+\.\d+\.[0-9a-z_]{8}\.quizgame-tmp$")
_OURS_0_1 = re.compile(r"^\.(player|progress-[^/]+|log-[^/]+)\.json\.\d+\.[0-9a-f]{8}\.tmp$")
# A writer holds its temp file for milliseconds, an import of a 50,000-card deck for
# seconds; an hour is far beyond any live writer, so an older temp file is an orphan.
STALE_TEMP_SECONDS = 3600
# A TinyDB document id: a positive integer written the way TinyDB writes it ("1", not "01"),
# below MAX_SEQ (an answer a second for 30 million years).
MAX_SEQ = 10**15
_DOC_ID = re.compile(r"^[1-9][0-9]{0,14}$")
# Every number a save holds (points, counts, sequence numbers) fits a signed 64-bit integer;
# a larger one in a progress snapshot is damage.
MAX_SAVED_INT = 2**63 - 1
# The lock is held for one read-modify-write (milliseconds). A holder silent for this long
# is stopped or stuck: say who it is. Past the second limit, give up with a message.
LOCK_NOTICE_SECONDS = 3.0
LOCK_GIVE_UP_SECONDS = 60.0
_LOCK_POLL_MAX = 0.01  # seconds between tries while waiting: short, so waiting writers stay fair


class DamagedFile(Exception):
    """A save file that cannot be read as a TinyDB document.

    `salvage` holds what could still be read (the file minus its unreadable documents),
    or None when nothing could.
    """

    def __init__(self, why: str, salvage: dict[str, Any] | None = None, parsed: Any = None):
        super().__init__(why)
        self.salvage = salvage
        self.parsed = parsed  # the JSON as read, when it was JSON at all


class SaveLocked(OSError):
    """Another process has held the save folder's lock for too long."""


class Disk:
    """The file-system calls the store makes. Tests subclass it to make any of them fail."""

    def create(self, path: Path) -> int:
        """A new file, never an existing one and never through a symbolic link."""
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)

    def write(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def close(self, fd: int) -> None:
        os.close(fd)

    def replace(self, source: Path, target: Path) -> None:
        os.replace(source, target)

    def unlink(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def mkdir(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)

    def fsync_dir(self, folder: Path) -> None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def open_lock(self, path: Path, write: bool) -> int:
        """The lock file, created if `write`; never through a symbolic link."""
        flags = (os.O_RDWR | os.O_CREAT) if write else os.O_RDONLY
        # O_NONBLOCK: a FIFO put in its place must not hang the game (no effect on a file).
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return fd

    def can_write(self, folder: Path) -> bool:
        return os.access(folder, os.W_OK | os.X_OK)


DISK = Disk()


def fsync_dir(folder: Path) -> None:
    DISK.fsync_dir(folder)


def write_atomic(path: Path, text: str | bytes, disk: Disk = DISK, durable: bool = True) -> None:
    """Replace `path` whole: readers see the old file or the new one, never a mix. With
    `durable`, the new file is also on disk when this returns (two fsyncs); without, a crash
    soon after may leave the old file, or an empty one, for files the log can rebuild."""
    # A lone surrogate can only sit inside a JSON string, where "\\udcff" is its escape.
    data = text if isinstance(text, bytes) else text.encode("utf-8", "backslashreplace")
    temp = temp_path(path)
    fd = disk.create(temp)
    try:
        try:
            disk.write(fd, data)
            if durable:
                disk.fsync(fd)
        finally:
            disk.close(fd)
        disk.replace(temp, path)
    except BaseException:
        try:
            disk.unlink(temp)
        except OSError:
            pass
        raise
    if durable:
        disk.fsync_dir(path.parent)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is out of range")
    return value


def _not_a_number(name: str) -> float:
    raise ValueError(f"{name} is not a number a save can hold")


def parse_json(raw: bytes) -> Any:
    """JSON as a save holds it: UTF-8, finite numbers of sane size. ValueError otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        # A number of thousands of digits fails in int() (ValueError), past sys.get_int_max_str_digits().
        return json.loads(text, parse_float=_finite, parse_constant=_not_a_number)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def read_json(path: Path) -> dict[str, Any] | None:
    """The file's TinyDB tables, None if it does not exist; DamagedFile if it is not one.

    Any failure to read the file is damage. A file whose tables are sound but some of whose
    documents are not (an event keyed "abc", an event that is a list) carries what is left
    in DamagedFile.salvage.
    """
    try:
        raw = read_regular_file(path)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DamagedFile("a folder stands where the file should be") from None
    except OSError as exc:
        raise DamagedFile(f"cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise DamagedFile("the file is empty")
    try:
        data = parse_json(raw)
    except ValueError as exc:
        raise DamagedFile(f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise DamagedFile("not a TinyDB save", parsed=data)
    clean = {name: {k: v for k, v in table.items() if _DOC_ID.match(k) and isinstance(v, dict)}
             for name, table in data.items()}
    bad = sum(len(table) for table in data.values()) - sum(len(table) for table in clean.values())
    if bad:
        raise DamagedFile(f"holds {bad} unreadable entr{'y' if bad == 1 else 'ies'}", salvage=clean, parsed=data)
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file behind."""

    def __init__(self, path: str | os.PathLike[str], disk: Disk = DISK, durable: bool = True, **_: object):
        self.path = Path(path)
        self.disk = disk
        self.durable = durable

    def read(self) -> dict[str, Any] | None:
        return read_json(self.path)

    def write(self, data: dict[str, Any]) -> None:
        self.disk.mkdir(self.path.parent)
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False),
                     self.disk, self.durable)

    def close(self) -> None:
        pass


def _holder(fd: int) -> str:
    """Who holds the lock, as its holder wrote it: "process 1234", or "another process"."""
    try:
        text = (os.pread(fd, 32, 0).decode("ascii", "replace").split() or [""])[0]
    except OSError:
        text = ""
    return f"process {text}" if text.isdigit() else "another process"


@contextmanager
def file_lock(path: Path, disk: Disk = DISK, write: bool = True,
              notice: Callable[[str], None] | None = None) -> Iterator[None]:
    """An exclusive lock between processes, held for one read-modify-write.

    With `write`, the lock file is created if missing and the holder's process id is written
    into it. Without, it is only opened for reading (a folder that cannot be written is still
    read under the lock its writers take) and, if there is none, nothing is locked.
    A holder that keeps the lock for LOCK_NOTICE_SECONDS is named through `notice`; after
    LOCK_GIVE_UP_SECONDS, SaveLocked is raised.
    """
    try:
        fd = disk.open_lock(path, write)
    except OSError:
        if write:
            raise
        yield  # no lock file, or one that cannot be opened: nobody writes here
        return
    me = f"{os.getpid():<11}\n".encode()  # who holds the lock, for those waiting
    try:
        _acquire(fd, path, notice or _tell)
        try:
            if write and os.pread(fd, len(me), 0) != me:
                os.pwrite(fd, me, 0)  # fixed width: no truncating (slow on some file systems)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _tell(message: str) -> None:
    print(f"quizgame: {message}", file=sys.stderr, flush=True)


def _acquire(fd: int, path: Path, notice: Callable[[str], None]) -> None:
    start = time.monotonic()
    delay, told = 0.0005, False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - start
        if not told and waited >= LOCK_NOTICE_SECONDS:
            notice(f"waiting for {_holder(fd)}, which has held the saves' lock ({path}) for "
                   f"{waited:.0f} s; is it stopped (Ctrl+Z)? Resume it with `fg` or `kill -CONT`, or quit it.")
            told = True
        if waited >= LOCK_GIVE_UP_SECONDS:
            raise SaveLocked(errno.EAGAIN, f"gave up after {waited:.0f} s waiting for {_holder(fd)}, "
                             f"which holds the saves' lock ({path})")
        time.sleep(delay)
        delay = min(delay * 2, _LOCK_POLL_MAX)


def quarantine(path: Path, now: datetime, disk: Disk = DISK) -> Path | None:
    """Move a damaged save aside under a timestamped name that never overwrites anything.

    None if the file is already gone (another process set it aside first).
    """
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists() or target.is_symlink():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        disk.replace(path, target)
    except FileNotFoundError:
        return None
    disk.fsync_dir(path.parent)
    return target


def temp_path(path: Path) -> Path:
    """Where a new version of `path` is written before it replaces it."""
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")


def remove_stale_temps(folders: list[Path], now: float | None = None, disk: Disk = DISK) -> None:
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
                    disk.unlink(Path(entry.path))
            except OSError:
                continue
