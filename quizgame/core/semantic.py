"""Semantic agreement between an answer and the reference: the optional `quizgame[semantic]` extra.

The core stays pure and has no dependency on any embedding library: it only knows the small
`Similarity` protocol below. quizgame/semantic.py implements it with WordLlama (a static
embedding model shipped inside its PyPI wheel, loaded offline) and installs it with `install()`
once it has loaded, off the UI thread. Until then, and always without the extra, the grader
uses its shipped scorer unchanged.

With a model installed, the grader's scorer for imported banks (ideas derived from the
reference) is `semantic.json`: the same logistic regression with four more features, fitted
on the same public training answers (benchmarks/fit_semantic.py). The features are
cosine similarities of static embeddings: word order and negation barely move them (a
swapped or negated answer stays close to the reference), so they only ever add evidence to
the word-level features and the grader's rules, never decide alone.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Protocol

from quizgame.core.model import Question
from quizgame.core.scorer import Model
from quizgame.core.text import content_words_raw

# The scorer's features beyond quizgame.core.grading.FEATURES, in this order. Chosen on the
# SemEval-2013 training answers, cross-validated by question (benchmarks/fit_semantic.py --check):
# the similarity of the whole answer to the whole reference, how much closer it is to the
# reference than to the prompt (an answer restating the question is close to both), and a soft
# word alignment in both directions: each content word of the reference (the prompt's own words
# left out) matched to its closest word of the answer, and each word of the answer to the
# reference ("closed path" meets "circuit" half way, where exact matching sees nothing).
NAMES = ("semantic_reference", "semantic_over_prompt", "semantic_recall", "semantic_precision")
MODEL_FILE = "semantic.json"


class Similarity(Protocol):
    """Cosine similarities from a sentence-embedding model."""

    @property
    def name(self) -> str:
        """What the model is, for the player ("WordLlama 0.4.0.post1, l2_supercat 256-d, offline")."""
        ...

    def matrix(self, rows: Sequence[str], columns: Sequence[str]) -> list[list[float]]:
        """The cosine similarity of each row text to each column text (0.0 for a text without words)."""
        ...


class _State:
    """The model the grader uses, if any: installed once by the app, read by every grade()."""

    model: Similarity | None = None


def install(model: Similarity | None) -> None:
    """Use `model` for grading from now on (None turns semantic grading off)."""
    _State.model = model


def active() -> Similarity | None:
    return _State.model


def scorer() -> Model | None:
    """The semantic scorer when a model is installed and semantic.json fits this grader's features."""
    if _State.model is None:
        return None
    model = _fitted()
    from quizgame.core.grading import FEATURES

    # A scorer fitted for another version of the grader's features would weigh the wrong
    # numbers: then the shipped scorer grades (tests/core/test_semantic.py keeps them in step).
    return model if model.names == FEATURES + NAMES else None


@lru_cache(maxsize=1)
def _fitted() -> Model:
    data = json.loads(resources.files("quizgame.core").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    return Model(tuple(data["names"]), tuple(data["means"]), tuple(data["scales"]), tuple(data["weights"]),
                 float(data["bias"]), float(data["accept"]), float(data["partial"]))


def features(model: Model, question: Question, text: str) -> list[float]:
    """The semantic features `model` weighs beyond the grader's own ([] for a scorer without them)."""
    if model.names[-len(NAMES):] != NAMES:
        return []
    similarity = _State.model
    if similarity is None:
        raise RuntimeError("this scorer needs a semantic model: install the quizgame[semantic] extra")
    return values(similarity, question, text)


def values(similarity: Similarity, question: Question, text: str) -> list[float]:
    """NAMES for this answer (see there), from one similarity table: the answer and its words
    against the reference, the prompt and the reference's words."""
    asked = {s for _, s, _ in content_words_raw(question.prompt)}
    reference, answer = _words(question.answer, asked), _words(text, asked)
    table = similarity.matrix([text, *answer], [question.answer, question.prompt, *reference])
    whole, prompt = table[0][0], table[0][1]
    recall = precision = 0.0
    if reference and answer:
        pairs = [row[2:] for row in table[1:]]  # answer word x reference word
        recall = sum(max(column) for column in zip(*pairs)) / len(reference)
        precision = sum(max(row) for row in pairs) / len(answer)
    return [whole, whole - prompt, recall, precision]


def _words(text: str, asked: set[str]) -> list[str]:
    """The distinct content words of `text` that the prompt does not already say."""
    return list(dict.fromkeys(w for _, s, w in content_words_raw(text) if len(w) > 1 and s not in asked))
