"""Regression guard on the blind tune answers (tests/grading/answers-blind-tune.toml).

They were written blind on 2026-11-29 and committed unchanged, then used to tune the grader: its
"tune" half (by question) was read, its "check" half only counted. The floors sit a little under
what `python benchmarks/grading.py --blind` gave after that work; they guard against regressions,
while how well the grader generalises is the blind holdout's job (tests/core/test_grading_holdout.py).
"""
from __future__ import annotations

import importlib.util
import tomllib
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from quizgame.core.bank import load_bank

ROOT = Path(__file__).resolve().parents[2]
FLOORS = {  # (tune half, check half)
    "correct accepted": (0.93, 0.93),               # measured 95.5% / 95.3%
    "plausible-wrong not accepted": (0.53, 0.50),   # measured 55.6% / 53.1%
    "keyword dumps not accepted": (0.88, 0.85),     # measured 90.9% / 87.5%
    "loose dumps not accepted": (0.90, 0.60),       # measured 93.9% / 62.5%
}


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("grading_benchmark_blind", ROOT / "benchmarks" / "grading.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures() -> dict[str, dict[str, float]]:
    bench = _benchmark()
    answers = tomllib.loads(bench.BLIND.read_text(encoding="utf-8"))["answers"]
    assert len(answers) == 455 and Counter(a["kind"] for a in answers) == {k: 65 for k in bench.BLIND_KINDS}
    bank = load_bank()
    return {half: bench.blind_figures(bench.evaluate(bank, [a for a in answers if bench.blind_half(a) == half])
                                      ["by_kind"]) for half in ("tune", "check")}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_blind_tune_floor(figures: dict[str, dict[str, float]], name: str) -> None:
    for half, floor in zip(("tune", "check"), FLOORS[name]):
        assert figures[half][name] >= floor, f"{name}, {half} half: {figures[half][name]:.1%} < {floor:.0%}"
