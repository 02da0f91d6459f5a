"""Fixtures shared by the test suites. Append yours; keep each one small."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

MINI_BANK_DIR = Path(__file__).resolve().parent / "fixtures" / "mini"
FIXED_NOW = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


# -- engine and command-line tests (tests/core, tests/cli) ------------------------------------


@pytest.fixture(scope="session")
def mini_bank():
    """The 3-section test bank: basics (4 questions), middle (3), hard (2)."""
    from quizgame.core.bank import load_bank

    return load_bank(MINI_BANK_DIR)


@pytest.fixture(scope="session")
def shipped_bank():
    from quizgame.core.bank import load_bank

    return load_bank()


@pytest.fixture
def fixed_clock():
    from quizgame.core.clock import FixedClock

    return FixedClock(FIXED_NOW)


# -- the optional semantic extra (quizgame[semantic]) ------------------------------------------


@pytest.fixture(autouse=True)
def semantic_off(monkeypatch):
    """Semantic grading stays off unless a test turns it on (tests/core/test_semantic.py), so that
    verdicts do not depend on whether the extra happens to be installed."""
    from quizgame.core import semantic

    monkeypatch.setenv("QUIZGAME_SEMANTIC", "0")
    semantic.install(None)
    yield
    semantic.install(None)
