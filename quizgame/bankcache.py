"""A cache of validated banks, so the game opens without parsing TOML or stemming terms.

The cache entry is keyed by every bank file's name, size and modification time and by
quizgame's version: editing a file, or upgrading, validates the bank afresh. A missing,
stale or unreadable cache is simply rebuilt; a cache that cannot be written is skipped.
Entries are pickles of the validated bank, in the player's own cache folder: unpickling
is several times faster than rebuilding the questions from JSON.
"""
from __future__ import annotations

import dataclasses
import gc
import io
import json
import os
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quizgame import __version__
from quizgame.core.bank import load_bank, shipped_content_dir
from quizgame.core.model import Bank, Idea, Question, Section

FORMAT = 3


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quizgame"


def load_bank_cached(path: str | Path | None = None, folder: Path | None = None) -> Bank:
    """load_bank(path), served from the cache when the bank's files have not changed."""
    source = Path(path) if path is not None else shipped_content_dir()
    key = _key(source)
    entry = (folder or cache_dir()) / f"bank-{zlib.crc32(key.encode()):08x}.pickle" if key else None
    if entry is not None:
        bank = _read(entry, key, source)
        if bank is not None:
            return bank
    bank = load_bank(path)  # validates; raises BankError, which is never cached
    if entry is not None:
        _write(entry, key, bank)
    return bank


def _key(source: Path) -> str | None:
    """Every bank file's path, size and modification time, with the format and version."""
    try:
        files = sorted(p for p in source.iterdir() if p.suffix in (".toml", ".json")) if source.is_dir() else [source]
        stamp = [(str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    except OSError:
        return None
    return json.dumps([FORMAT, __version__, stamp])


def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _by_fields(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, tuple[Any, ...]]]:
    def reduce(obj: Any) -> tuple[Any, tuple[Any, ...]]:
        return type(obj), tuple([getattr(obj, name) for name in names])
    return reduce


# Questions, ideas and sections pickled as constructor calls: the dataclasses' own slot-state
# pickling calls dataclasses.fields() for every object, which made a 30,000-question bank (an
# imported Anki deck) take twice as long to load from the cache.
_COMPACT: dict[type, Callable[[Any], tuple[Any, tuple[Any, ...]]]] = {
    cls: _by_fields(_fields(cls)) for cls in (Idea, Question, Section)
}


def _read(entry: Path, key: str, source: Path) -> Bank | None:
    # Unpickling creates hundreds of thousands of objects and no cycles worth collecting: with the
    # cyclic garbage collector paused, a 30,000-question bank loads about three times faster; and
    # frozen afterwards, the immutable bank is never scanned again by later collections (which
    # would otherwise slow every answer on a big bank).
    collecting = gc.isenabled()
    gc.disable()
    try:
        stored_key, bank = pickle.loads(entry.read_bytes())
    except Exception:  # a stale, truncated or foreign cache entry is simply rebuilt
        return None
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
    if stored_key != key or not isinstance(bank, Bank):
        return None
    object.__setattr__(bank, "source", source)
    return bank


def _write(entry: Path, key: str, bank: Bank) -> None:
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _COMPACT
        pickler.dump((key, bank))
        temp.write_bytes(buffer.getvalue())
        os.replace(temp, entry)
    except (OSError, pickle.PicklingError):
        temp.unlink(missing_ok=True)
