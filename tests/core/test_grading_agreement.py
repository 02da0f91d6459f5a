"""The recall grader agrees with an expert interviewer, and the behaviours that make it do so.

The agreement floors sit a little under what the grader reaches on the tune answers
(tests/grading/*.toml: all of it is tuning data now), a regression guard only: the floors that
measure generalisation belong to the blind holdout. The focused
tests pin the mechanisms one by one: notation, lay wording, quantifiers, the typo guard,
mentions that are not hedges, keyword dumps, answers to another question, misconceptions.
"""
from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from quizgame.core.bank import load_bank
from quizgame.core.grading import CORRECT, PARTIAL, WRONG, grade
from quizgame.core.model import Idea, Question

ROOT = Path(__file__).resolve().parents[2]


def _benchmark():
    spec = importlib.util.spec_from_file_location("grading_benchmark", ROOT / "benchmarks" / "grading.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCHMARK = _benchmark()
BANK = load_bank()
ACCEPTED_KINDS = ("paraphrase", "typos", "other-words", "terse")


def ask(prompt: str, *ideas: Idea, answer: str = "reference", misconceptions: tuple[str, ...] = ()) -> Question:
    return Question(id="made-up", section="s", prompt=prompt, answer=answer, option="option", distractors=(),
                    topics=("t",), ideas=tuple(ideas), misconceptions=misconceptions)


def verdict(qid: str, text: str) -> str:
    return grade(BANK.question(qid), text).verdict


# -- agreement on the tune answers ---------------------------------------------------------------


@pytest.fixture(scope="module")
def by_kind() -> dict[str, Counter]:
    answers = [a for a in BENCHMARK.load_answers() if BENCHMARK.split_of(a) == "tune" and a["kind"] in BENCHMARK.KINDS]
    assert len(answers) >= 200 and {a["kind"] for a in answers} == set(BENCHMARK.KINDS)
    return BENCHMARK.evaluate(BANK, answers)["by_kind"]


def share(counts: Counter, *verdicts: str) -> float:
    return sum(counts[v] for v in verdicts) / sum(counts.values())


def test_correct_answers_are_accepted(by_kind):
    accepted = Counter()
    for kind in ACCEPTED_KINDS:
        accepted.update(by_kind[kind])
    assert share(accepted, CORRECT) >= 0.95


@pytest.mark.parametrize("kind, floor", [("paraphrase", 0.95), ("typos", 0.95), ("other-words", 0.88),
                                         ("terse", 0.92)])
def test_each_kind_of_correct_answer_is_accepted(by_kind, kind, floor):
    assert share(by_kind[kind], CORRECT) >= floor


@pytest.mark.parametrize("kind, not_correct, wrong", [
    ("other-question", 0.98, 0.95),
    ("stuffing", 0.96, 0.90),
    ("misconception", 0.93, 0.75),
])
def test_wrong_answers_are_not_accepted_and_mostly_graded_wrong(by_kind, kind, not_correct, wrong):
    assert share(by_kind[kind], PARTIAL, WRONG) >= not_correct
    assert share(by_kind[kind], WRONG) >= wrong


def test_partial_answers_mostly_get_partial_credit(by_kind):
    assert share(by_kind["partial"], PARTIAL) >= 0.6
    assert share(by_kind["partial"], CORRECT) <= 0.15


# -- the bank grades its own texts ---------------------------------------------------------------------


def test_reference_answers_and_options_are_correct_without_remarks():
    for q in BANK.questions:
        result = grade(q, q.answer)
        assert (result.verdict, result.remarks) == (CORRECT, ()), q.id
        assert grade(q, q.option).verdict != WRONG, q.id


def test_another_questions_reference_answer_is_wrong():
    # Every reference answer is a perfect "other-question" answer for the rest of the bank.
    accepted = []
    for q in BANK.questions:
        for other in BANK.questions[::3]:
            if other.id != q.id and other.id not in q.overlaps and q.id not in other.overlaps:
                result = grade(q, other.answer)
                if result.verdict != WRONG:
                    accepted.append((q.id, other.id, result.verdict))
    assert accepted == []


def test_an_overlapping_questions_answer_is_accepted():
    q, other = BANK.question("tf-self-attention"), BANK.question("tf-self-attention-mechanism")
    assert other.id in q.overlaps
    assert grade(q, other.answer).verdict == CORRECT


# -- notation and shorthand ----------------------------------------------------------------------------


@pytest.mark.parametrize("qid, text", [
    ("tf-self-attention", "out = softmax(QKᵀ/√d_k)·V: each token's output is the weighted sum of the values"),
    ("tf-self-attention", "scores = Q K^T / sqrt(d), softmax -> weights, output = weights times V"),
    ("tf-residual", "y = x + f(x): the block's input is added to its output, so gradients flow straight back"),
    ("tf-activation-function", "adds nonlinearity; w/o it W2(W1x) = Wx, a single linear map"),
    ("tf-depth", "depth = # layers; deeper -> more abstract, hierarchical features"),
    ("rl-q-learning", "Q(s,a) <- Q(s,a) + α[r + γ max_a' Q(s',a') − Q(s,a)], off-policy TD"),
    ("rl-value-functions", "V(s) = E_π[G | s] is the expected return; Q(s,a) = expected return after taking a first"),
    ("rl-discount-factor", "γ ∈ [0,1): a reward k steps ahead counts γ^k; γ → 1 far-sighted, γ → 0 myopic"),
    ("sd-edge-deployment", "int8/4-bit quant + pruning + distill into a student, run w/ TFLite on the NPU"),
])
def test_notation_is_read(qid, text):
    assert verdict(qid, text) == CORRECT


def test_shorthand_is_expanded_on_both_sides():
    q = ask("Which knob sets the size of each weight change?", Idea("variance", ("variance",), True))
    assert grade(q, "var").verdict == CORRECT
    q = ask("How do you serve many users?", Idea("load balancer", ("load balancer",), True))
    assert grade(q, "an LB in front of the replicas").verdict == CORRECT


# -- lay wording ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("qid, text", [
    ("rl-discount-factor", "its like an interest rate on rewards: a reward later is worth less than one now, "
                           "so a value near 1 makes the agent patient and near 0 makes it grab what pays off "
                           "right now"),
    ("tf-lstm-vanishing", "a separate memory lane runs through time and small valves decide what to keep or "
                          "forget, so the learning signal can travel back many steps without fading"),
    ("sd-edge-deployment", "store each weight in fewer bits, cut out weights that barely matter, and have a small "
                           "model imitate the big one"),
    ("llm-lora", "leave the original model untouched and train a tiny add-on made of two skinny matrices"),
])
def test_lay_wording_is_understood(qid, text):
    assert verdict(qid, text) == CORRECT


# -- what a term's words mean ------------------------------------------------------------------------


def test_quantifiers_in_a_term_count_as_their_class():
    q = ask("How does self-attention mix information?", Idea("all", ("all tokens",), True))
    assert grade(q, "each word looks at every other word").verdict == CORRECT
    assert grade(q, "it computes scores between the tokens").verdict == WRONG


def test_synonyms_of_prompt_words_are_not_prompt_words():
    # "max" is in the prompt; "largest" is another word for it and still states an idea, but
    # restating "max" as "maximum" does not explain what average pooling does.
    q = BANK.question("tf-max-vs-avg-pooling")
    assert grade(q, "max pooling keeps the largest value, average pooling takes the mean of every value").verdict \
        == CORRECT
    assert grade(q, "max pooling takes the maximum value").verdict == PARTIAL


def test_a_real_word_is_not_a_typo_of_another():
    q = ask("What does a network stack?", Idea("layers", ("layer",), True))
    assert grade(q, "a layr").verdict == CORRECT
    assert grade(q, "later").verdict == WRONG


def test_two_forms_of_a_word_still_meet():
    q = ask("How do you serve many users?", Idea("autoscale", ("autoscale",), True))
    assert grade(q, "autoscaled replicas").verdict == CORRECT


def test_compounds_meet_in_any_spelling():
    q = ask("What does an activation function add?", Idea("nonlinear", ("nonlinear",), True))
    for text in ("non-linearity", "nonlinearity", "a non-linear map"):
        assert grade(q, text).verdict == CORRECT, text
    q = ask("How does Q-learning learn?", Idea("off-policy", ("off-policy",), True))
    assert grade(q, "it is off policy").verdict == CORRECT
    assert grade(q, "it improves the policy").verdict == WRONG


# -- evasions, mentions and keyword dumps -----------------------------------------------------------


@pytest.mark.parametrize("qid, text", [
    ("llm-hallucination", "ground it with retrieval, train on clean factual data, and reward saying 'not sure' "
                          "instead of confident guesses"),
    ("rl-continuous-actions", "a policy network directly proposes the move, which is something like a steering "
                              "angle, and a critic judges it"),
    ("tf-backpropagation", "run a forward pass, then apply the chain rule backwards from the output to get the "
                           "gradient of the loss for every weight"),
])
def test_mentions_are_not_hedges(qid, text):
    result = grade(BANK.question(qid), text)
    assert result.verdict == CORRECT
    assert not any("hedges" in r for r in result.remarks)


@pytest.mark.parametrize("qid, text", [
    ("tf-pooling", "pooling cnn feature maps max pooling average pooling convolution layers important"),
    ("rl-q-learning", "q learning q values q table reinforcement learning bellman learning quality"),
    ("sd-monitoring", "monitoring, observability, production, llm systems, metrics, dashboards, logs"),
])
def test_keyword_dumps_are_wrong(qid, text):
    result = grade(BANK.question(qid), text)
    assert result.verdict == WRONG
    assert any("keywords" in r for r in result.remarks)


@pytest.mark.parametrize("qid, text", [
    ("sd-realtime-scaling", "Autoscaled replicas behind a load balancer, continuous batching, caching, quantization"),
    ("llm-few-shot", "k examples in prompt, ICL, no grad update"),
])
def test_a_terse_list_of_the_right_ideas_is_not_a_dump(qid, text):
    assert verdict(qid, text) == CORRECT


# -- answers to another question ---------------------------------------------------------------------


def test_an_answer_to_another_question_is_wrong_even_if_it_shares_words():
    lstm = ("lstms keep a cell state that is updated additively and controlled by forget, input and output gates, "
            "so the gradient flowing back through time is not multiplied by the same weight matrix every step")
    result = grade(BANK.question("tf-backpropagation"), lstm)
    assert result.verdict == WRONG
    assert any("different question" in r for r in result.remarks)
    assert verdict("tf-lstm-vanishing", lstm) == CORRECT


def test_a_question_of_another_bank_is_not_judged_against_the_field():
    q = ask("What is the meaning of x?", Idea("gradients", ("gradient", "slope"), True),
            answer="The meaning of x is a carefully worded reference answer about gradients.")
    text = "the gradient of the loss flows backwards through the network layer by layer using the chain rule"
    assert grade(q, text).verdict == CORRECT


# -- misconceptions ----------------------------------------------------------------------------------


def test_a_negation_inside_the_misconception_is_part_of_it():
    q = BANK.question("sd-music-generation")
    text = ("represent songs as midi tokens and train an autoregressive transformer on them; transformers dont "
            "work for music though, so use a gan")
    assert any("misconception" in r for r in grade(q, text).remarks)


@pytest.mark.parametrize("text", [
    "it does not add non-linearity; it shifts the activation so the boundary need not pass through the origin",
    "unlike what people think it is not about adding non-linearity: it shifts the activation threshold",
])
def test_a_denied_misconception_costs_nothing(text):
    result = grade(BANK.question("tf-bias-term"), text)
    assert (result.verdict, result.remarks) == (CORRECT, ())
