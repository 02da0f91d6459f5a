"""Properties of the grader on any text: a verdict always comes back, closeness is symmetric."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgame.core.bank import load_bank
from quizgame.core.grading import CORRECT, PARTIAL, VERDICTS, WRONG, Exemplar, grade, similarity

BANK = load_bank()
WORDS = st.sampled_from("max average pooling He Xavier tanh ReLU not no batch layer norm , ; . the is for "
                        "teacher student learns from dropout gamma 1 on-policy off-policy".split())
TEXT = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=25).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, len(BANK.questions) - 1), text=TEXT)
def test_any_text_gets_a_verdict(index: int, text: str) -> None:
    result = grade(BANK.questions[index], text)
    assert result.verdict in VERDICTS
    assert 0.0 <= result.score <= 1.0
    assert (result.verdict == CORRECT) == (result.score == 1.0)
    assert not set(result.matched) & set(result.missed)


@settings(max_examples=100, deadline=None)
@given(a=TEXT, b=TEXT)
def test_closeness_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


@settings(max_examples=50, deadline=None)
@given(text=st.lists(WORDS, min_size=3, max_size=20).map(" ".join),
       verdict=st.sampled_from([CORRECT, PARTIAL, WRONG]))
def test_the_same_answer_again_gets_the_exemplars_verdict(text: str, verdict: str) -> None:
    result = grade(BANK.questions[0], text, exemplars=[Exemplar(text, verdict, "3 May")])
    assert result.verdict == verdict and result.remarks == ("graded like your answer of 3 May",)
