"""Renaming and deleting a player: saves follow the new name; a deleted player's saves are kept aside."""
from __future__ import annotations

import pytest

from quizgame.core.clock import FixedClock
from quizgame.store.base import MemoryStore, PlayerExists
from quizgame.store.tinydb_store import DELETED_FOLDER, TinyDBStore
from tests.ui.helpers import NOW

ANSWER = {"type": "answer", "id": "a1", "question": "b-relu", "section": "basics", "tier": 0, "kind": "mc",
          "mode": "mc", "round": "r1", "verdict": "correct", "score": 1.0, "at": NOW.isoformat(), "text": "x"}


@pytest.fixture(params=["memory", "tinydb"])
def store(request, tmp_path):
    return MemoryStore() if request.param == "memory" else TinyDBStore(tmp_path / "saves", clock=FixedClock(NOW))


def test_rename_keeps_progress_and_history(store):
    store.add_player("Ana")
    store.add_player("Ben")
    store.record_answer("Ana", "mini", ANSWER)
    assert store.rename_player("ana", "Anabel") == "Anabel"
    assert store.players() == ["Anabel", "Ben"]
    assert store.progress("Anabel", "mini").points == 100
    assert [e["id"] for e in store.history("Anabel", "mini")] == ["a1"]
    with pytest.raises(PlayerExists):
        store.rename_player("Anabel", "ben")
    assert store.rename_player("Anabel", "ANABEL") == "ANABEL"  # a change of case is a rename too
    assert store.players() == ["ANABEL", "Ben"]


def test_delete_removes_the_player_and_keeps_a_backup(store, tmp_path):
    store.add_player("Ana")
    store.record_answer("Ana", "mini", ANSWER)
    backup = store.delete_player("ana")
    assert store.players() == []
    if isinstance(store, TinyDBStore):
        assert backup is not None and DELETED_FOLDER in backup
        kept = list((tmp_path / "saves" / DELETED_FOLDER).glob("*/log-*.json"))
        assert kept, "the deleted player's log is kept"
        # A new player with the same name starts from nothing; the backup stays.
        store.add_player("Ana")
        assert store.progress("Ana", "mini").points == 0
        store.delete_player("Ana")
        assert len(list((tmp_path / "saves" / DELETED_FOLDER).iterdir())) == 2
