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

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import asag  # noqa: E402
import fit_scorer  # noqa: E402

from quizgame.core import grading, scorer  # noqa: E402
from quizgame.core import semantic as core_semantic  # noqa: E402
from quizgame.core.model import Bank, Question  # noqa: E402

CREDIT = ("Fitted on the training split of SemEval-2013 Task 7 (2-way; SciEntsBank and Beetle), "
          "CC BY-SA 3.0, Dzikovska et al. 2013, with WordLlama's l2_supercat model (MIT), "
          "by benchmarks/fit_semantic.py.")
TARGET = ROOT / "quizgame" / "core" / core_semantic.MODEL_FILE
NAMES = grading.FEATURES + core_semantic.NAMES

Row = tuple[list[float], bool]


def load() -> core_semantic.Similarity:
    """The extra's model, not installed in the grader (the fit reads the shipped scorer's
    features; importing a bank grades probes with it), or stop with a clear message."""
    from quizgame.semantic import load_model

    model = load_model()
    if model is None:
        raise SystemExit("the semantic extra is not installed: pip install -e '.[semantic]'")
    return model


def row_features(similarity: core_semantic.Similarity, question: Question, text: str, bank: Bank) -> list[float]:
    return grading.features(question, text, bank) + core_semantic.values(similarity, question, text)


def training_rows(similarity: core_semantic.Similarity, data: Path = asag.DATA) -> list[tuple[str, str, list[Row]]]:
    """(corpus, question key, rows) for every training question of both corpora."""
    out = []
    for corpus in asag.CORPORA:
        items = asag.read_items(asag.split_dir(corpus, "training", data))
        with tempfile.TemporaryDirectory(prefix="quizgame-fit-") as tmp:
            bank, questions = asag.import_corpus(items, corpus, Path(tmp))
        grading.prepare(bank)
        for item in items:
            q = questions[item.key]
            out.append((corpus, item.key, [(row_features(similarity, q, t, bank), g) for t, g in item.answers]))
    return out


def fit_rows(rows: list[Row], l2: float = scorer.L2) -> scorer.Model:
    model = scorer.fit(NAMES, rows, l2)
    return fit_scorer.with_thresholds(model, [(model.probability(x), y) for x, y in rows])


def cross_validate(groups: list[tuple[str, str, list[Row]]], l2: float) -> dict[str, dict[str, float]]:
    pairs: dict[str, list[tuple[bool, bool]]] = {c: [] for c in asag.CORPORA}
    for fold in range(asag.FOLDS):
        model = fit_rows([r for _, key, rows in groups if asag.fold_of(key) != fold for r in rows], l2)
        for corpus, key, rows in groups:
            if asag.fold_of(key) == fold:
                pairs[corpus] += [(y, model.probability(x) >= model.accept) for x, y in rows]
    return {c: asag.metrics(p, 0.0) for c, p in pairs.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--l2", type=float, nargs="*", default=[scorer.L2])
    args = parser.parse_args()
    groups = training_rows(load())
    print(asag.HEADER)
    for l2 in args.l2:
        for corpus, m in cross_validate(groups, l2).items():
            print(asag.row(f"{corpus}: CV by question, l2={l2}", m))
    if args.check:
        return 0
    model = fit_rows([r for _, _, rows in groups for r in rows], args.l2[0])
    TARGET.write_text(model.to_json(CREDIT), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: accept at p >= {model.accept}, partial at p >= {model.partial}")
    for name, w in sorted(zip(model.names, model.weights), key=lambda p: -abs(p[1])):
        print(f"  {name:<24}{w:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
