"""A small logistic regression that turns grading evidence into the chance an expert accepts the answer.

Pure Python: the weights are a short JSON file shipped in the package (scorer.json), fitted by
benchmarks/fit_scorer.py on the training split of SemEval-2013 Task 7 (2-way, SciEntsBank and
Beetle; CC BY-SA 3.0, Dzikovska et al. 2013). The features are computed by quizgame.core.grading.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from quizgame.core.linalg import solve

# Ridge penalty of the fit (on standardised features): the best of 0.1, 1 and 10 in 5-fold
# cross-validation by question on the training answers (benchmarks/fit_scorer.py --check --l2 …).
L2 = 10.0
ITERATIONS = 25


@dataclass(frozen=True, slots=True)
class Model:
    names: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    accept: float = 0.5    # a probability at least this is "correct"
    partial: float = 0.3   # at least this (and some idea covered) is "partial"

    def probability(self, features: list[float]) -> float:
        z = self.bias
        for x, m, s, w in zip(features, self.means, self.scales, self.weights):
            z += w * (x - m) / s
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self, credit: str) -> str:
        return json.dumps({"credit": credit, "names": self.names, "means": _round(self.means),
                           "scales": _round(self.scales), "weights": _round(self.weights),
                           "bias": round(self.bias, 6), "accept": self.accept, "partial": self.partial},
                          indent=1) + "\n"


def _round(values: tuple[float, ...]) -> list[float]:
    return [round(v, 6) for v in values]


@lru_cache(maxsize=1)
def shipped() -> Model:
    """The model fitted on the public training data (quizgame/core/scorer.json)."""
    data = json.loads(resources.files("quizgame.core").joinpath("scorer.json").read_text(encoding="utf-8"))
    return Model(tuple(data["names"]), tuple(data["means"]), tuple(data["scales"]), tuple(data["weights"]),
                 float(data["bias"]), float(data["accept"]), float(data["partial"]))


def fit(names: tuple[str, ...], rows: list[tuple[list[float], bool]], l2: float = L2) -> Model:
    """Fit by Newton's method (iteratively reweighted least squares) on standardised features."""
    k = len(names)
    n = len(rows)
    means = [sum(r[0][j] for r in rows) / n for j in range(k)]
    scales = []
    for j in range(k):
        var = sum((r[0][j] - means[j]) ** 2 for r in rows) / n
        scales.append(math.sqrt(var) if var > 1e-12 else 1.0)
    xs = [[1.0] + [(r[0][j] - means[j]) / scales[j] for j in range(k)] for r in rows]
    ys = [1.0 if r[1] else 0.0 for r in rows]
    beta = [0.0] * (k + 1)
    for _ in range(ITERATIONS):
        grad = [0.0] * (k + 1)
        hess = [[0.0] * (k + 1) for _ in range(k + 1)]
        for x, y in zip(xs, ys):
            z = sum(b * v for b, v in zip(beta, x))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            w = p * (1 - p)
            d = y - p
            for a in range(k + 1):
                grad[a] += d * x[a]
                wa = w * x[a]
                row = hess[a]
                for b in range(a, k + 1):
                    row[b] += wa * x[b]
        for a in range(k + 1):
            for b in range(a):
                hess[a][b] = hess[b][a]
            if a:
                grad[a] -= l2 * beta[a]
                hess[a][a] += l2
        step = solve(hess, grad)
        beta = [b + s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return Model(names, tuple(means), tuple(scales), tuple(beta[1:]), beta[0])


