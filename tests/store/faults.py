"""A Disk whose calls can be made to fail, for the fault-injection tests."""
from __future__ import annotations

import errno as errnos
import os
from collections import Counter
from pathlib import Path

from quizgame.store.files import Disk

# Every call through which the store changes the file system.
WRITE_CALLS = ("create", "write", "fsync", "close", "replace", "unlink", "mkdir", "fsync_dir", "open_lock")
ERRORS = {"ENOSPC": errnos.ENOSPC, "EACCES": errnos.EACCES, "EROFS": errnos.EROFS, "EIO": errnos.EIO}


class FaultyDisk(Disk):
    """Counts every call; from the `at`-th call of `call` on (0 = the first), it fails with `error`.

    With `once`, only that one call fails (a glitch); otherwise every later one does too
    (a disk that stays full). `where` limits the failures to paths containing that text.
    """

    def __init__(self, call: str | None = None, error: int = errnos.ENOSPC, at: int = 0, once: bool = False,
                 where: str = "") -> None:
        self.call, self.error, self.at, self.once, self.where = call, error, at, once, where
        self.calls: Counter[str] = Counter()
        self.failed = 0

    def heal(self) -> None:
        self.call = None

    def _maybe_fail(self, call: str, path: Path | None) -> None:
        n = self.calls[call]
        self.calls[call] += 1
        if call != self.call or (self.where and self.where not in str(path)):
            return
        if n < self.at or (self.once and self.failed):
            return
        self.failed += 1
        raise OSError(self.error, os.strerror(self.error), str(path) if path else None)

    def create(self, path: Path) -> int:
        self._maybe_fail("create", path)
        return super().create(path)

    def write(self, fd: int, data: bytes) -> None:
        self._maybe_fail("write", None)
        super().write(fd, data)

    def fsync(self, fd: int) -> None:
        self._maybe_fail("fsync", None)  # not synced for real: these runs need no durability, only speed

    def close(self, fd: int) -> None:
        try:
            self._maybe_fail("close", None)
        finally:
            super().close(fd)  # the descriptor is gone either way, as with close(2)

    def replace(self, source: Path, target: Path) -> None:
        self._maybe_fail("replace", target)
        super().replace(source, target)

    def unlink(self, path: Path) -> None:
        self._maybe_fail("unlink", path)
        super().unlink(path)

    def mkdir(self, path: Path) -> None:
        if not path.is_dir():
            self._maybe_fail("mkdir", path)
        super().mkdir(path)

    def fsync_dir(self, folder: Path) -> None:
        self._maybe_fail("fsync_dir", folder)

    def open_lock(self, path: Path, write: bool) -> int:
        if write:
            self._maybe_fail("open_lock", path)
        return super().open_lock(path, write)


class ReadOnlyDisk(Disk):
    """A folder mounted read-only, or owned by another account: every write fails."""

    def __init__(self, error: int = errnos.EROFS) -> None:
        self.error = error

    def _refuse(self, path: Path | None = None) -> None:
        raise OSError(self.error, os.strerror(self.error), str(path) if path else None)

    def create(self, path: Path) -> int:
        self._refuse(path)
        return -1

    def replace(self, source: Path, target: Path) -> None:
        self._refuse(target)

    def unlink(self, path: Path) -> None:
        self._refuse(path)

    def mkdir(self, path: Path) -> None:
        if not path.is_dir():
            self._refuse(path)

    def open_lock(self, path: Path, write: bool) -> int:
        if write:
            self._refuse(path)
        return super().open_lock(path, write)

    def can_write(self, folder: Path) -> bool:
        return False
