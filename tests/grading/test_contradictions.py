"""Contradictions of the reference, lists that name terms with one formula, and the adversarial
answers' floors. Questions here are made up, so the tests pin the mechanisms, not the shipped
bank's key terms; the answers were written for these tests."""
from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from quizgame.core.bank import load_bank
from quizgame.core.grading import CORRECT, WRONG, clauses, grade, sequence_marks
from quizgame.core.model import Idea, Question
from quizgame.core.text import positioned

ROOT = Path(__file__).resolve().parents[2]


def ask(prompt: str, answer: str, *ideas: Idea) -> Question:
    return Question(id="made-up", section="s", prompt=prompt, answer=answer, option="option", distractors=(),
                    topics=("t",), ideas=tuple(ideas))


EMBEDDINGS = ask(
    "What is a word embedding?",
    "A word embedding is a dense vector learned from data, so similar words end up close together.",
    Idea("dense vector", ("dense", "dense vector"), True),
    Idea("learned from data", ("learned", "trained"), True),
    Idea("similar words are close", ("similar words close", "close together", "nearby"), False),
)


def test_an_idea_the_answer_denies_keeps_it_from_full_marks() -> None:
    assert grade(EMBEDDINGS, "a dense vector learned from data, similar words sit close together").verdict == CORRECT
    denied = grade(EMBEDDINGS, "a dense vector, fixed and not learned, where similar words sit close together")
    assert denied.verdict != CORRECT
    assert any("contradicts" in r and "learned from data" in r for r in denied.remarks)


def test_a_negation_in_another_clause_denies_nothing() -> None:
    text = "no sparse one-hot slots. a dense vector learned from data, similar words close together"
    assert grade(EMBEDDINGS, text).verdict == CORRECT


def test_a_negation_denies_the_short_list_it_opens() -> None:
    text = "it is a dense vector; you don't need training, data or neighbours for it, similar words close together"
    result = grade(EMBEDDINGS, text)
    assert "learned from data" not in result.matched
    assert result.verdict != CORRECT


SIGMOID = ask(
    "Why do sigmoid units slow down learning?",
    "Sigmoid saturates for large inputs, where its derivative is almost zero, so gradients vanish.",
    Idea("saturation", ("saturates", "saturation", "flat"), True),
    Idea("vanishing gradients", ("vanishing gradient", "gradients vanish", "gradient near zero"), True),
)


def test_an_opposite_word_said_of_what_the_reference_says_with_its_partner_contradicts_it() -> None:
    assert grade(SIGMOID, "it saturates for large inputs and the gradients vanish").verdict == CORRECT
    result = grade(SIGMOID, "it saturates for small inputs and the gradients vanish")
    assert result.verdict != CORRECT
    assert any("“small” where it says “large”" in r for r in result.remarks)


PIPELINE = ask(
    "How is a chat model trained?",
    "First pre-train on a large corpus, then fine-tune on instructions, then align with human feedback.",
    Idea("pre-training", ("pre-train", "pretrain", "pretraining"), True),
    Idea("instruction tuning", ("fine-tune", "instruction tuning", "sft"), True),
    Idea("alignment", ("human feedback", "rlhf", "preference"), True),
)


def test_steps_in_the_wrong_order_contradict_a_procedure() -> None:
    assert grade(PIPELINE, "pretrain on web text, then sft on instructions, then rlhf").verdict == CORRECT
    assert grade(PIPELINE, "pretrain on web text -> sft on instructions -> rlhf").verdict == CORRECT
    result = grade(PIPELINE, "rlhf first, then pretrain on web text, then sft on instructions")
    assert result.verdict != CORRECT
    assert any("comes after" in r for r in result.remarks)


def test_clauses_and_sequence_marks_point_at_tokens() -> None:
    text = "a, b then c -> d; e"
    tokens = positioned(text)
    assert len(clauses(text)) == len(tokens) == 7
    assert clauses(text)[0] != clauses(text)[1]
    assert [tokens[i] for i in sequence_marks(text)] == ["then", "to"]  # normalize() reads "->" as "to"
    assert clauses(text)[4] != clauses(text)[5]


def test_a_list_of_term_names_with_one_formula_is_still_a_plain_list() -> None:
    bank = load_bank()
    result = grade(bank.question("tf-residual"),
                   "skip connection, identity, ResNet, vanishing gradients, degradation problem, F(x) + x")
    assert result.verdict != CORRECT
    assert any("lists terms" in r for r in result.remarks)
    assert grade(bank.question("tf-residual"), "y = x + F(x); identity path -> grads reach early layers; "
                                               "fixes degradation in 100+ layer ResNets").verdict == CORRECT


# -- the adversarial answers (tests/grading/answers-adversarial.toml), tune half -----------------------


def _benchmark():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("grading_benchmark", ROOT / "benchmarks" / "grading.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def adversarial() -> dict[str, Counter[str]]:
    benchmark = _benchmark()
    answers = [a for a in benchmark.load_answers()
               if a["kind"] in benchmark.ADVERSARIAL_KINDS and benchmark.split_of(a) == "tune"]
    assert len(answers) >= 150
    return benchmark.evaluate(load_bank(), answers)["by_kind"]  # type: ignore[no-any-return]


def test_terse_expert_answers_are_accepted(adversarial: dict[str, Counter[str]]) -> None:
    counts = adversarial["expert"]
    assert counts[CORRECT] / sum(counts.values()) >= 0.95


@pytest.mark.parametrize("kinds, floor", [(("dump",), 0.95), (("swapped", "negated", "misattributed"), 0.72)])
def test_dumps_and_plausible_wrong_answers_are_not_accepted(adversarial: dict[str, Counter[str]],
                                                            kinds: tuple[str, ...], floor: float) -> None:
    counts: Counter[str] = Counter()
    for kind in kinds:
        counts.update(adversarial[kind])
    assert 1 - counts[CORRECT] / sum(counts.values()) >= floor
    assert counts[WRONG] > 0


def test_steps_parted_by_semicolons_are_a_procedure_too() -> None:
    question = ask("How is a chat model trained?",
                   "Pre-train on a large corpus; fine-tune on instructions; align with human feedback.",
                   *PIPELINE.ideas)
    assert grade(question, "pretrain, then sft on instructions, then rlhf").verdict == CORRECT
    assert grade(question, "rlhf first, then pretrain on web text, then sft on instructions").verdict != CORRECT


ATTENTION = ask(
    "How does attention combine tokens?",
    "Each token is projected into a query, a key and a value. Scores are dot products of each query with every "
    "key, softmaxed into weights; the output is the weighted sum of the value vectors.",
    Idea("query-key scores", ("dot product", "scores", "similarity"), True),
    Idea("softmax weights", ("softmax", "normalised weights"), True),
    Idea("weighted sum", ("weighted sum", "weighted average"), True),
)


def test_a_list_item_said_in_another_items_place_contradicts_the_reference() -> None:
    assert grade(ATTENTION, "dot product of each query with the keys, softmax, then the weighted sum of the "
                            "values").verdict == CORRECT
    result = grade(ATTENTION, "dot product of each query with the keys, softmax, then the weighted sum of the "
                              "key vectors")
    assert result.verdict != CORRECT
    assert any("where it says" in r for r in result.remarks)
