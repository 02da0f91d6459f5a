"""A cache of validated banks, so the game opens without parsing TOML or stemming terms.

The cache entry is keyed by every bank file's name, size and modification time and by
quizgame's version: editing a file, or upgrading, validates the bank afresh. A missing,
stale or unreadable cache is simply rebuilt; a cache that cannot be written is skipped.
Entries are pickles of the validated bank, in the player's own cache folder: unpickling
is several times faster than rebuilding the questions from JSON.

A bank served from the cache unpickles its questions when they are first used, not when it
is opened: the title screen needs only the bank's name and counts, and an imported bank
that is not played this time is never unpickled. `load_in_background` unpickles it on a
helper thread once the first screen is up (a 30,000-question deck takes about 0.25 s).
"""
from __future__ import annotations

import dataclasses
import gc
import io
import json
import os
import pickle
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quizgame import __version__
from quizgame.core.bank import load_bank, shipped_content_dir
from quizgame.core.model import Bank, Idea, Question, Section

FORMAT = 4  # 4: the bank's contents are a pickle of their own, unpickled on first use
_LAZY = frozenset({"sections", "questions", "_by_id", "_sections", "_by_topic"})
_UNPICKLING = threading.Lock()  # one bank at a time: they pause the garbage collector


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quizgame"


# A bank this big takes a noticeable time to check when it is not in the cache (a new import, an
# edited file): about 0.3 s of CPU per 2 MB of TOML (2,000 questions), measured on a 30,000-question
# imported deck (28 MB, 4.7 s). Above it, the player is told what the wait is before it happens.
SLOW_CHECK_BYTES = 2_000_000


def load_bank_cached(path: str | Path | None = None, folder: Path | None = None,
                     notice: Callable[[str], None] | None = None) -> Bank:
    """load_bank(path), served from the cache when the bank's files have not changed.

    notice, if given, is told in one line when a big bank must be checked afresh."""
    source = Path(path) if path is not None else shipped_content_dir()
    stamps = _stamps(source)
    key = None if stamps is None else json.dumps([FORMAT, __version__, stamps])
    entry = (folder or cache_dir()) / f"bank-{zlib.crc32(key.encode()):08x}.pickle" if key else None
    if entry is not None and key is not None:
        bank = _read(entry, key, source, path)
        if bank is not None:
            return bank
    if notice is not None and stamps is not None:
        size = sum(size for _, size, _ in stamps)
        if size >= SLOW_CHECK_BYTES:
            notice(f"Checking {source.name} ({size / 1e6:.0f} MB) before its first game (once).")
    bank = load_bank(path)  # validates; raises BankError, which is never cached
    if entry is not None and key is not None:
        _write(entry, key, bank)
    return bank


def _stamps(source: Path) -> list[tuple[str, int, int]] | None:
    """Every bank file's path, size and modification time: with the format and the version, the
    cache entry's key."""
    try:
        files = sorted(p for p in source.iterdir() if p.suffix in (".toml", ".json")) if source.is_dir() else [source]
        return [(str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    except OSError:
        return None


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


class _CachedBank(Bank):
    """A bank from the cache whose sections and questions are unpickled on first use.

    It is a Bank in every way (equal to the bank load_bank gives, hashed and pickled as one);
    only the five attributes that hold the questions are missing until something reads one
    of them, and __getattr__ is asked only for missing attributes.
    """

    def __init__(self, bank_id: str, title: str, counts: tuple[int, int], body: bytes, source: Path,
                 path: str | Path | None) -> None:
        set_ = object.__setattr__
        set_(self, "id", bank_id)
        set_(self, "title", title)
        set_(self, "source", source)
        set_(self, "_counts", counts)
        set_(self, "_body", body)
        set_(self, "_path", path)  # what load_bank was given, should the entry prove damaged

    def __getattr__(self, name: str) -> Any:
        if name not in _LAZY:
            raise AttributeError(name)
        self.load()
        return self.__dict__[name]

    def load(self) -> None:
        """Unpickle the questions now (if no other thread has already)."""
        with _UNPICKLING:
            body = self.__dict__.get("_body")
            if body is None:
                return
            try:
                bank = _unpickle(body)
            except Exception:  # a damaged entry (its frame was whole): validate the bank afresh
                bank = load_bank(self.__dict__["_path"])
            for name in _LAZY:
                object.__setattr__(self, name, bank.__dict__[name])
            object.__setattr__(self, "_body", None)

    def counts(self) -> tuple[int, int]:
        counts: tuple[int, int] = self.__dict__["_counts"]
        return counts

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Bank):
            return NotImplemented
        if (self.id, self.title, self.source) != (other.id, other.title, other.source):
            return False  # without loading either's questions (`b` on the map looks its bank up)
        return self.sections == other.sections

    __hash__ = Bank.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        return Bank, (self.id, self.title, self.sections, self.source)


def load_in_background(bank: Bank) -> None:
    """Unpickle a cached bank's questions on a helper thread (the first screen is up; the
    player has not chosen yet). Whoever needs them sooner waits for that thread to finish."""
    if isinstance(bank, _CachedBank) and bank.__dict__.get("_body") is not None:
        threading.Thread(target=bank.load, name="quizgame-bank-load", daemon=True).start()


def _unpickle(body: bytes) -> Bank:
    # Unpickling creates hundreds of thousands of objects and no cycles worth collecting: with the
    # cyclic garbage collector paused, a 30,000-question bank loads about three times faster; and
    # frozen afterwards, the immutable bank is never scanned again by later collections (which
    # would otherwise slow every answer on a big bank).
    collecting = gc.isenabled()
    gc.disable()
    try:
        bank = pickle.loads(body)
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
    if not isinstance(bank, Bank):
        raise pickle.UnpicklingError("not a bank")
    return bank


def _read(entry: Path, key: str, source: Path, path: str | Path | None) -> Bank | None:
    try:
        stored_key, bank_id, title, counts, body = pickle.loads(entry.read_bytes())
    except Exception:  # a stale, truncated or foreign cache entry is simply rebuilt
        return None
    if stored_key != key or not isinstance(body, bytes) or not isinstance(bank_id, str):
        return None
    return _CachedBank(bank_id, title, counts, body, source, path)


def _write(entry: Path, key: str, bank: Bank) -> None:
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _COMPACT
        pickler.dump(bank)
        entry_data = (key, bank.id, bank.title, bank.counts(), buffer.getvalue())
        temp.write_bytes(pickle.dumps(entry_data, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temp, entry)
    except (OSError, pickle.PicklingError):
        temp.unlink(missing_ok=True)
