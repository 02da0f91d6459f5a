"""Fit the scorer of the optional semantic extra (quizgame/core/semantic.json) on the public training answers.

    python benchmarks/fit_semantic.py [--check] [--l2 L2 ...]

Needs `pip install -e '.[semantic]'`. The same fit as benchmarks/fit_scorer.py (the training split
of SemEval-2013 Task 7, 2-way, SciEntsBank and Beetle, imported as users' banks; one logistic
regression; the acceptance threshold with the best weighted F1), over the grader's features plus
quizgame.core.semantic.NAMES (cosine similarities from WordLlama's shipped model). --check prints
the figures cross-validated by question (5 folds) and writes nothing. Only the training split is
read: the unseen-answers test is never used here.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import fit_scorer  # noqa: E402

from quizgame.core import grading, scorer  # noqa: E402
from quizgame.core import semantic as core_semantic  # noqa: E402
from quizgame.core.model import Bank, Question  # noqa: E402

CREDIT = ("Fitted on the training split of SemEval-2013 Task 7 (2-way; SciEntsBank and Beetle), "
          "CC BY-SA 3.0, Dzikovska et al. 2013, with WordLlama's l2_supercat model (MIT), "
          "by benchmarks/fit_semantic.py.")
TARGET = ROOT / "quizgame" / "core" / core_semantic.MODEL_FILE
NAMES = grading.FEATURES + core_semantic.NAMES

def load() -> core_semantic.Similarity:
    """The extra's model, not installed in the grader (the fit reads the shipped scorer's
    features; importing a bank grades probes with it), or stop with a clear message."""
    from quizgame.semantic import load_model

    model = load_model()
    if model is None:
        raise SystemExit("the semantic extra is not installed: pip install -e '.[semantic]'")
    return model


def fit_rows(rows: list[fit_scorer.Row], l2: float = scorer.L2) -> scorer.Model:
    """The extra's scorer fitted on these rows (benchmarks/asag.py refits it per fold)."""
    return fit_scorer.fit_rows(rows, l2, tuple(NAMES))


def main() -> int:
    similarity = load()

    def row_features(question: Question, text: str, bank: Bank) -> list[float]:
        return grading.features(question, text, bank) + core_semantic.values(similarity, question, text)

    return fit_scorer.run(__doc__ or "", row_features, tuple(NAMES), TARGET, CREDIT)


if __name__ == "__main__":
    raise SystemExit(main())
