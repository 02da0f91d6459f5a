"""Refit the grader's scorer (quizgame/core/scorer.json) on the public training answers.

    python benchmarks/fit_scorer.py [--check]

Reads the training split of SemEval-2013 Task 7, 2-way (SciEntsBank and Beetle, ../shared/asag/),
imports each corpus as a user's bank (benchmarks/asag.py), computes the grader's features for
every training answer, and fits one logistic regression for both corpora. The acceptance
threshold is the one with the best cross-validated weighted F1 (5 folds grouped by question),
the partial threshold sits below it. --check prints the cross-validated figures and writes nothing.
Only the training split is read: the unseen-answers test is never used here.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import asag  # noqa: E402

from quizgame.core import grading, scorer  # noqa: E402
from quizgame.core.model import Bank, Question  # noqa: E402

CREDIT = ("Fitted on the training split of SemEval-2013 Task 7 (2-way; SciEntsBank and Beetle), "
          "CC BY-SA 3.0, Dzikovska et al. 2013, by benchmarks/fit_scorer.py.")
TARGET = ROOT / "quizgame" / "core" / "scorer.json"
# The partial threshold: this share of the acceptance threshold (an answer with some of the
# reference's content but short of acceptance). Chosen so that about half of the rejected
# answers that share ideas with the reference get partial credit on the shipped tune set.
PARTIAL_SHARE = 0.6

Row = tuple[list[float], bool]
Features = Callable[[Question, str, Bank], list[float]]


def training_rows(data: Path = asag.DATA, features: Features = grading.features) -> list[tuple[str, str, list[Row]]]:
    """(corpus, question key, rows) for every training question of both corpora."""
    out = []
    for corpus in asag.CORPORA:
        items = asag.read_items(asag.split_dir(corpus, "training", data))
        with tempfile.TemporaryDirectory(prefix="quizgame-fit-") as tmp:
            bank, questions = asag.import_corpus(items, corpus, Path(tmp))
        grading.prepare(bank)
        for item in items:
            q = questions[item.key]
            out.append((corpus, item.key, [(features(q, t, bank), g) for t, g in item.answers]))
    return out


def with_thresholds(model: scorer.Model, scored: list[tuple[float, bool]]) -> scorer.Model:
    t = asag.tune_threshold(scored)
    return scorer.Model(model.names, model.means, model.scales, model.weights, model.bias, round(t, 3),
                        round(t * PARTIAL_SHARE, 3))


def fit_rows(rows: list[Row], l2: float = scorer.L2, names: tuple[str, ...] = tuple(grading.FEATURES)) -> scorer.Model:
    model = scorer.fit(names, rows, l2)
    return with_thresholds(model, [(model.probability(x), y) for x, y in rows])


def cross_validate(groups: list[tuple[str, str, list[Row]]], l2: float,
                   names: tuple[str, ...] = tuple(grading.FEATURES)) -> dict[str, dict[str, float]]:
    pairs: dict[str, list[tuple[bool, bool]]] = {c: [] for c in asag.CORPORA}
    for fold in range(asag.FOLDS):
        train = [r for _, key, rows in groups if asag.fold_of(key) != fold for r in rows]
        model = fit_rows(train, l2, names)
        for corpus, key, rows in groups:
            if asag.fold_of(key) == fold:
                pairs[corpus] += [(y, model.probability(x) >= model.accept) for x, y in rows]
    return {c: asag.metrics(p, 0.0) for c, p in pairs.items()}


def run(description: str, features: Features, names: tuple[str, ...], target: Path, credit: str) -> int:
    """The command line of a fit: cross-validated figures for each --l2, then (without --check)
    the model fitted on every training answer, written to `target`."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--l2", type=float, nargs="*", default=[scorer.L2])
    args = parser.parse_args()
    groups = training_rows(features=features)
    print(asag.HEADER)
    for l2 in args.l2:
        for corpus, m in cross_validate(groups, l2, names).items():
            print(asag.row(f"{corpus}: CV by question, l2={l2}", m))
    if args.check:
        return 0
    model = fit_rows([r for _, _, rows in groups for r in rows], args.l2[0], names)
    target.write_text(model.to_json(credit), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}: accept at p >= {model.accept}, partial at p >= {model.partial}")
    width = max(map(len, names)) + 2
    for name, w in sorted(zip(model.names, model.weights), key=lambda p: -abs(p[1])):
        print(f"  {name:<{width}}{w:+.3f}")
    return 0


def main() -> int:
    return run(__doc__ or "", grading.features, tuple(grading.FEATURES), TARGET, CREDIT)


if __name__ == "__main__":
    raise SystemExit(main())
