"""Reading a file that may not be a file: a FIFO or a device where a save or a bank should be.

`Path.read_bytes()` on a FIFO waits for a writer forever, so one `mkfifo` in the save folder
would hang every command for every player. Opening without blocking and checking what was
opened turns that into an ordinary read error, which the callers already report as damage.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotARegularFile(OSError):
    pass


def read_regular_file(path: Path) -> bytes:
    """The bytes of `path`; NotARegularFile (an OSError) if it is a FIFO, a device or a socket."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(mode):
            raise NotARegularFile(errno.EINVAL, "not a regular file (a pipe, a device or a socket)", str(path))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(fd)
