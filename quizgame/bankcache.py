"""A cache of validated banks, so the game opens without parsing TOML or stemming terms.

The cache entry is keyed by every bank file's name, size and modification time and by
quizgame's version: editing a file, or upgrading, validates the bank afresh. A missing,
stale or unreadable cache is simply rebuilt; a cache that cannot be written is skipped.
Entries are pickles of the validated bank, in the player's own cache folder: unpickling
is several times faster than rebuilding the questions from JSON.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

from quizgame import __version__
from quizgame.core.bank import load_bank, shipped_content_dir
from quizgame.core.model import Bank

FORMAT = 3


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quizgame"


def load_bank_cached(path: str | Path | None = None, folder: Path | None = None) -> Bank:
    """load_bank(path), served from the cache when the bank's files have not changed."""
    source = Path(path) if path is not None else shipped_content_dir()
    key = _key(source)
    entry = (folder or cache_dir()) / f"bank-{key}.pickle" if key else None
    if entry is not None:
        bank = _read(entry, source)
        if bank is not None:
            return bank
    bank = load_bank(path)  # validates; raises BankError, which is never cached
    if entry is not None:
        _write(entry, bank)
    return bank


def _key(source: Path) -> str | None:
    try:
        files = sorted(p for p in source.iterdir() if p.suffix in (".toml", ".json")) if source.is_dir() else [source]
        stamp = [(str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    except OSError:
        return None
    return hashlib.sha256(json.dumps([FORMAT, __version__, stamp]).encode()).hexdigest()[:24]


def _read(entry: Path, source: Path) -> Bank | None:
    try:
        bank = pickle.loads(entry.read_bytes())
    except Exception:  # a stale, truncated or foreign cache entry is simply rebuilt
        return None
    if not isinstance(bank, Bank):
        return None
    object.__setattr__(bank, "source", source)
    return bank


def _write(entry: Path, bank: Bank) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=entry.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(bank, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, entry)
    except (OSError, pickle.PicklingError):
        pass
