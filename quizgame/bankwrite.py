"""Writing an imported bank to disk (the core only builds its text and writes no files).

The bank is written to a temporary file beside the target, named `.{name}.{pid}.XXXXXXXX.quizgame-tmp`
(the start-up sweep recognises and removes abandoned ones), flushed, checked with load_bank,
and only then linked into place: an existing file is never replaced unless force is given.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from quizgame.core.bank import BankError, Problem, load_bank
from quizgame.core.importers import ImportFailed


def write_bank(toml: str, out: str | os.PathLike[str], force: bool = False, check_toml: str | None = None) -> Path:
    """Write `toml` to `out` atomically after checking that it loads; ImportFailed if it cannot be.

    check_toml (ImportResult.check_toml) is what load_bank checks: the bank itself, or for a large
    bank a sample of it rendered by the same code, so that a 30,000-card deck is not parsed twice.
    """
    target = Path(out)
    name = os.fspath(target)

    def fail(message: str) -> ImportFailed:
        return ImportFailed([Problem(name, None, None, message)])

    exists = "already exists: choose another name or overwrite it with --force"
    if target.is_dir():
        raise fail("is a folder: give a file name such as my-bank.toml")
    if target.exists() and not force:
        raise fail(exists)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise fail(f"folder {folder} does not exist")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".quizgame-tmp", dir=folder)
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp's 0600 would hide the bank from the machine's other players
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(check_toml or toml)
            handle.flush()
            try:
                load_bank(tmp)
            except BankError as exc:  # a bug in the importer: say so rather than save a bank the game refuses
                raise ImportFailed([Problem(name, None, None, f"internal error: the generated bank does not "
                                                             f"validate: {p.message}")
                                    for p in exc.problems[:10]]) from None
            if check_toml and check_toml != toml:
                handle.seek(0)
                handle.truncate()
                handle.write(toml)
                handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if the file appeared meanwhile: never overwrite
            except FileExistsError:
                raise fail(exists) from None
            except OSError:
                if target.exists():
                    raise fail(exists) from None
                os.replace(tmp, target)
        return target
    except OSError as exc:
        raise fail(f"cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and os.path.lexists(tmp):
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
