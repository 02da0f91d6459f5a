"""The bank cache the commands load through: same bank as a fresh load, never stale, never caching errors."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from quizgame.bankcache import load_bank_cached
from quizgame.core.bank import BankError, load_bank

MINI = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "mini"


def test_cached_shipped_bank_equals_a_fresh_load(tmp_path, shipped_bank):
    first = load_bank_cached(folder=tmp_path)
    assert len(list(tmp_path.glob("bank-*.pickle"))) == 1
    second = load_bank_cached(folder=tmp_path)  # served from the cache file
    for bank in (first, second):
        assert bank == shipped_bank
        assert bank.questions == shipped_bank.questions
        assert [s.label for s in bank.sections] == [s.label for s in shipped_bank.sections]


def test_edited_bank_is_validated_again(tmp_path):
    folder = tmp_path / "bank"
    folder.mkdir()
    for path in MINI.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    cache = tmp_path / "cache"
    assert len(load_bank_cached(folder, folder=cache).questions) == 9
    doc = json.loads((folder / "3-hard.json").read_text(encoding="utf-8"))
    doc["questions"][0]["topics"] = ["Bad Tag"]
    target = folder / "3-hard.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))
    with pytest.raises(BankError):
        load_bank_cached(folder, folder=cache)


def test_broken_bank_is_never_cached(tmp_path):
    (tmp_path / "bank.toml").write_text("not toml at all [", encoding="utf-8")
    cache = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(BankError):
            load_bank_cached(tmp_path / "bank.toml", folder=cache)
    assert not cache.exists() or not list(cache.glob("bank-*.pickle"))


def test_unreadable_cache_entry_is_rebuilt(tmp_path, mini_bank):
    load_bank_cached(MINI, folder=tmp_path)
    (entry,) = tmp_path.glob("bank-*.pickle")
    entry.write_text("{ damaged", encoding="utf-8")
    assert load_bank_cached(MINI, folder=tmp_path) == load_bank(MINI) == mini_bank


def test_a_cached_bank_knows_its_counts_before_loading_its_questions(tmp_path, mini_bank):
    load_bank_cached(MINI, folder=tmp_path)
    cached = load_bank_cached(MINI, folder=tmp_path)
    assert "questions" not in cached.__dict__  # nothing unpickled yet
    assert cached.id == mini_bank.id and cached.title == mini_bank.title
    assert cached.counts() == mini_bank.counts() == (9, len(mini_bank.sections))
    assert "questions" not in cached.__dict__
    assert cached.question(mini_bank.questions[0].id) == mini_bank.questions[0]  # loads on first use
    assert cached.questions == mini_bank.questions and cached.with_topic(mini_bank.topics[0])
    assert hash(cached) == hash(mini_bank) and cached == mini_bank and mini_bank == cached


def test_a_cached_bank_loaded_on_a_helper_thread_is_whole(tmp_path, mini_bank):
    import pickle

    from quizgame.bankcache import load_in_background

    load_bank_cached(MINI, folder=tmp_path)
    cached = load_bank_cached(MINI, folder=tmp_path)
    load_in_background(cached)
    assert [q.id for s in cached.sections for q in s.questions] == [q.id for q in mini_bank.questions]
    assert pickle.loads(pickle.dumps(cached)) == mini_bank  # pickled as a plain bank
    load_in_background(cached)  # already loaded: nothing to do
    load_in_background(mini_bank)  # not from the cache: nothing to do


def test_a_cache_entry_of_an_older_format_is_rebuilt(tmp_path, mini_bank):
    import pickle

    load_bank_cached(MINI, folder=tmp_path)
    (entry,) = tmp_path.glob("bank-*.pickle")
    key = pickle.loads(entry.read_bytes())[0]
    entry.write_bytes(pickle.dumps((key, mini_bank)))  # format 3: the whole bank in one pickle
    assert load_bank_cached(MINI, folder=tmp_path) == mini_bank


def test_a_cache_entry_whose_questions_are_damaged_is_validated_afresh_on_first_use(tmp_path, mini_bank):
    import pickle

    load_bank_cached(MINI, folder=tmp_path)
    (entry,) = tmp_path.glob("bank-*.pickle")
    key, bank_id, title, counts, body = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((key, bank_id, title, counts, body[: len(body) // 2])))
    cached = load_bank_cached(MINI, folder=tmp_path)
    assert cached.questions == mini_bank.questions and cached == mini_bank


def test_telling_two_cached_banks_apart_loads_neither(tmp_path, mini_bank):
    load_bank_cached(MINI, folder=tmp_path)
    load_bank_cached(folder=tmp_path)
    mini, shipped = load_bank_cached(MINI, folder=tmp_path), load_bank_cached(folder=tmp_path)
    assert [mini, shipped].index(shipped) == 1 and mini != shipped
    assert "questions" not in mini.__dict__ and "questions" not in shipped.__dict__


def test_a_big_bank_checked_afresh_is_announced_once(tmp_path, monkeypatch):
    import quizgame.bankcache as bankcache

    size = sum(p.stat().st_size for p in MINI.iterdir() if p.suffix in (".toml", ".json"))
    monkeypatch.setattr(bankcache, "SLOW_CHECK_BYTES", size)  # the mini bank counts as big
    heard: list[str] = []
    load_bank_cached(MINI, folder=tmp_path, notice=heard.append)
    load_bank_cached(MINI, folder=tmp_path, notice=heard.append)  # from the cache: nothing to say
    assert heard == [f"Checking mini ({size / 1e6:.0f} MB) before its first game (once)."]
    monkeypatch.setattr(bankcache, "SLOW_CHECK_BYTES", size + 1)
    load_bank_cached(MINI, folder=tmp_path / "other", notice=heard.append)  # small: silent
    assert len(heard) == 1
