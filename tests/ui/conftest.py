"""Fixtures for the UI tests. The mini bank comes from tests/conftest.py (mini_bank)."""
import pytest

from quizgame.core.clock import FixedClock
from quizgame.store.base import MemoryStore
from quizgame.store.tinydb_store import TinyDBStore

from .helpers import NOW, make_app


@pytest.fixture
def store():
    return MemoryStore()


@pytest.fixture
def disk_store(tmp_path):
    """Saves in a fresh temporary folder, never the repository's saves/."""
    return TinyDBStore(tmp_path / "saves", clock=FixedClock(NOW))


@pytest.fixture
def app_for(mini_bank):
    """app_for(store, **QuizApp kwargs): the game on the mini bank, a fixed clock, no cursor blink."""
    def build(store, **kwargs):
        return make_app(store, bank=mini_bank, **kwargs)
    return build
