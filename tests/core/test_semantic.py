"""The optional semantic extra: the grader's hook (with a stand-in model, no extra needed) and,
when `quizgame[semantic]` is installed, WordLlama's shipped model loaded offline."""
from __future__ import annotations

import math
import socket
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from quizgame import semantic as extra
from quizgame.bankwrite import write_bank
from quizgame.core import grading, semantic
from quizgame.core.bank import load_bank
from quizgame.core.importers import import_bank
from quizgame.core.model import CORRECT, VERDICTS, Question

CSV = """question,answer
Why does bulb A stay lit when switch Y is open?,Bulb A is still in a closed path with the battery.
What happens to a metal rod when it is heated?,The rod expands because its particles move faster and further apart.
Why does a compass needle point north?,The needle is a small magnet that lines up with the Earth's magnetic field.
What does a plant need for photosynthesis?,"Light, water and carbon dioxide, which it turns into sugar and oxygen."
"""


class WordCounts:
    """A stand-in for an embedding model: cosine of word counts. Records what it was asked."""

    name = "word counts"

    def __init__(self) -> None:
        self.calls = 0

    def matrix(self, rows: Sequence[str], columns: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        return [[self._cosine(r, c) for c in columns] for r in rows]

    @staticmethod
    def _cosine(a: str, b: str) -> float:
        ca, cb = Counter(a.lower().split()), Counter(b.lower().split())
        dot = sum(ca[w] * cb[w] for w in ca)
        norm = math.sqrt(sum(v * v for v in ca.values()) * sum(v * v for v in cb.values()))
        return dot / norm if norm else 0.0


@pytest.fixture
def imported(tmp_path: Path) -> list[Question]:
    """Questions of a user's imported bank: ideas derived from the reference, so the scorer decides."""
    source = tmp_path / "science.csv"
    source.write_text(CSV, encoding="utf-8")
    result = import_bank(source, "csv")
    bank = load_bank(write_bank(result.toml, tmp_path / "science.toml", check_toml=result.check_toml))
    return list(bank.questions)


def test_without_a_model_the_shipped_scorer_grades(imported: list[Question]) -> None:
    assert semantic.active() is None and semantic.scorer() is None
    q = imported[0]
    assert grading.grade(q, q.answer).verdict == CORRECT


def test_the_semantic_scorer_fits_this_graders_features() -> None:
    """semantic.json was fitted for these features; after a change to grading.FEATURES, refit it
    with `python benchmarks/fit_semantic.py` (needs the extra)."""
    assert semantic._fitted().names == grading.FEATURES + semantic.NAMES


def test_an_installed_model_feeds_the_semantic_scorer(imported: list[Question]) -> None:
    model = WordCounts()
    semantic.install(model)
    assert semantic.scorer() is not None
    q = imported[1]
    result = grading.grade(q, q.answer)
    assert model.calls > 0
    assert result.verdict == CORRECT
    assert grading.grade(q, "The colour of the sky is blue on a sunny day.").verdict != CORRECT
    assert grading.grade(q, "idk").verdict in VERDICTS


def test_values_of_the_reference_itself_and_of_nothing(imported: list[Question]) -> None:
    q = imported[1]
    whole, over_prompt, recall, precision = semantic.values(WordCounts(), q, q.answer)
    assert whole == pytest.approx(1.0) and recall == pytest.approx(1.0) and precision == pytest.approx(1.0)
    assert over_prompt < 1.0
    assert semantic.values(WordCounts(), q, "") == [0.0, 0.0, 0.0, 0.0]


def test_a_semantic_scorer_without_a_model_says_what_is_missing(imported: list[Question]) -> None:
    with pytest.raises(RuntimeError, match="semantic"):
        grading.grade(imported[0], "a closed path", model=semantic._fitted())


def test_a_scorer_for_other_features_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    semantic.install(WordCounts())
    monkeypatch.setattr(grading, "FEATURES", grading.FEATURES + ("a_feature_added_later",))
    assert semantic.scorer() is None


def test_switched_off_or_absent_the_extra_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extra, "installed", lambda: True)
    assert extra.enable() is False  # QUIZGAME_SEMANTIC=0 in every test (conftest)
    assert extra.status() == "semantic grading: off (QUIZGAME_SEMANTIC=0)"
    monkeypatch.setattr(extra, "installed", lambda: False)
    assert "pip install 'quizgame[semantic]'" in extra.status()


def test_a_model_that_fails_to_load_leaves_grading_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise FileNotFoundError("l2_supercat_256.safetensors")

    monkeypatch.setenv("QUIZGAME_SEMANTIC", "1")
    monkeypatch.setattr(extra, "installed", lambda: True)
    monkeypatch.setattr(extra, "load_model", broken)
    monkeypatch.setattr(extra, "_failures", [])
    assert extra.enable() is False and extra.enable() is False
    assert semantic.active() is None
    assert "FileNotFoundError" in extra.failure()


# -- with the extra installed ---------------------------------------------------------------------


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("the semantic extra tried to reach the network")


@pytest.fixture(scope="module")
def wordllama_model() -> semantic.Similarity:
    pytest.importorskip("wordllama")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _no_network)
        patch.setenv("HF_HUB_OFFLINE", "1")
        model = extra.load_model()
    assert model is not None
    return model


def test_the_shipped_model_loads_offline_and_writes_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("wordllama")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    model = extra.load_model()
    assert model is not None and "WordLlama" in model.name
    assert list(tmp_path.iterdir()) == []


def test_paraphrases_are_closer_than_unrelated_text(wordllama_model: semantic.Similarity) -> None:
    (paraphrase, unrelated), = wordllama_model.matrix(
        ["the bulb is on a closed circuit with the battery"],
        ["Bulb A is still in a closed path with the battery.", "Gradient descent follows the slope downhill."])
    assert paraphrase > unrelated + 0.3
    assert wordllama_model.matrix([""], ["anything"]) == [[0.0]]


def test_enable_loads_once_and_the_grader_uses_it(monkeypatch: pytest.MonkeyPatch,
                                                  imported: list[Question],
                                                  wordllama_model: semantic.Similarity) -> None:
    monkeypatch.setenv("QUIZGAME_SEMANTIC", "1")
    monkeypatch.setattr(extra, "load_model", lambda: wordllama_model)
    assert extra.enable() is True and extra.enable() is True
    assert semantic.active() is wordllama_model
    assert extra.status().startswith("semantic grading: on (WordLlama")
    q = imported[0]
    assert grading.grade(q, q.answer).verdict == CORRECT
    assert grading.grade(q, "The rod gets longer when heated.").verdict != CORRECT
