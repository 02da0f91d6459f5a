"""A cache of validated banks, so the game opens without parsing TOML or stemming terms.

The cache entry is keyed by every bank file's name, size and modification time and by
quizgame's version: editing a file, or upgrading, validates the bank afresh. A missing,
stale or unreadable cache is simply rebuilt; a cache that cannot be written is skipped.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from quizgame import __version__
from quizgame.core.bank import load_bank, shipped_content_dir
from quizgame.core.model import Bank, Idea, Question, Section

FORMAT = 2


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quizgame"


def load_bank_cached(path: str | Path | None = None, folder: Path | None = None) -> Bank:
    """load_bank(path), served from the cache when the bank's files have not changed."""
    source = Path(path) if path is not None else shipped_content_dir()
    key = _key(source)
    entry = (folder or cache_dir()) / f"bank-{key}.json" if key else None
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
        data = json.loads(entry.read_text(encoding="utf-8"))
        sections = tuple(
            Section(s["id"], s["title"], s["order"], tuple(_question(q) for q in s["questions"]), s["tier"], s["short"])
            for s in data["sections"]
        )
        return Bank(data["id"], data["title"], sections, source)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _question(data: dict) -> Question:
    return Question(**{
        **data,
        "distractors": tuple(data["distractors"]), "topics": tuple(data["topics"]),
        "ideas": tuple(Idea(i["label"], tuple(i["terms"]), i["required"]) for i in data["ideas"]),
        "overlaps": frozenset(data["overlaps"]), "misconceptions": tuple(data["misconceptions"]),
    })


def _write(entry: Path, bank: Bank) -> None:
    data = {
        "id": bank.id, "title": bank.title,
        "sections": [{"id": s.id, "title": s.title, "order": s.order, "tier": s.tier, "short": s.short,
                      "questions": [{**asdict(q), "overlaps": sorted(q.overlaps)} for q in s.questions]}
                     for s in bank.sections],
    }
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=entry.parent, delete=False, suffix=".tmp", encoding="utf-8") as tmp:
            json.dump(data, tmp, ensure_ascii=False)
        os.replace(tmp.name, entry)
    except OSError:
        pass
