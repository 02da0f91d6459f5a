"""The audit: blind guessers that read one cue each, both ways, and a learned ensemble."""
from __future__ import annotations

import pytest

from quizgame.core.audit import ENSEMBLE, GUESSERS, TARGET, audit, format_report
from quizgame.core.bank import load_bank

from .helpers import make_question, write_bank

# Issue 10: on the shipped bank every single guesser stays at or below this, overall and per section.
SINGLE_TARGET = 0.30
TOPICS = ["gradients", "layers", "tokens", "rewards", "caches", "vectors", "agents", "losses"]


def cued_bank(tmp_path, right: str, wrong: str, n: int = 12):
    """Right options all carry one cue that the wrong ones lack."""
    questions = []
    for i in range(n):
        t = TOPICS[i % len(TOPICS)]
        questions.append(make_question(
            f"q{i}", option=right.format(t=t, i=i),
            distractors=[wrong.format(t=t, i=i, k=k) for k in range(3)]))
    return load_bank(write_bank(tmp_path, {"s": questions}))


def test_a_justification_on_every_right_option_is_caught(tmp_path):
    bank = cued_bank(tmp_path, "Each of the {t} shifts by a learned amount, since item {i} needs it",
                     "Each of the {t} shifts by variant {k} amounts for item {i} here ok")
    report = audit(bank, seeds=4)
    assert report.accuracy["a justification (since, because, as…)"] == 1.0
    assert report.accuracy[ENSEMBLE] > 0.9
    assert not report.passed
    text = format_report(report)
    assert "FAIL" in text and "a justification" in text


def test_a_cue_pointing_away_from_the_answer_is_caught_by_its_inverse(tmp_path):
    bank = cued_bank(tmp_path, "The {t} of item {i} move by a learned amount",
                     "The {t} of item {i} always move by fixed amount {k}")
    report = audit(bank, seeds=4)
    assert report.accuracy["most absolute words"] == 0.0
    assert report.accuracy["no absolute word"] == 1.0
    assert not report.passed


def test_every_guesser_and_the_ensemble_is_reported_per_section(shipped_bank):
    report = audit(shipped_bank, seeds=2)
    assert set(report.accuracy) == {*GUESSERS, ENSEMBLE}
    assert set(report.by_section) == {s.id for s in shipped_bank.sections}
    for rates in report.by_section.values():
        assert set(rates) == set(report.accuracy)
    assert abs(sum(report.positions) - 1) < 1e-9


@pytest.fixture(scope="module")
def shipped_report(shipped_bank):
    return audit(shipped_bank, seeds=20)


def test_shipped_bank_passes_with_every_guesser_under_the_target(shipped_report):
    report = shipped_report
    assert report.passed, format_report(report)
    assert all(rate <= TARGET for rate in report.accuracy.values())
    assert all(abs(p - 0.25) <= 0.05 for p in report.positions)


def test_shipped_bank_meets_the_issue_targets_in_every_section(shipped_report):
    """Issue 10's bar for the hand-written options: every single guesser at most 30% and the
    learned ensemble at most 35%, over the bank and in each section."""
    report = shipped_report
    for where, rates in [("all", report.accuracy), *report.by_section.items()]:
        for name, rate in rates.items():
            assert rate <= (TARGET if name == ENSEMBLE else SINGLE_TARGET), (where, name, rate)
