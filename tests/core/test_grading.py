"""Typed answers graded on key ideas: verdicts, scores, typos, abbreviations, evasions."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quizgame.core.bank import load_bank
from quizgame.core.grading import CORRECT, PARTIAL, VERDICTS, WRONG, Grade, grade
from quizgame.core.model import Idea, Question


def ask(prompt: str, *ideas: Idea, misconceptions: tuple[str, ...] = ()) -> Question:
    return Question(id="made-up", section="s", prompt=prompt, answer="reference", option="option",
                    distractors=(), topics=("t",), ideas=tuple(ideas), misconceptions=misconceptions)


def verdict(question: Question, text: str) -> str:
    return grade(question, text).verdict


# -- verdicts on the mini bank ------------------------------------------------------------------


@pytest.mark.parametrize("qid, text", [
    ("b-dropout", "It randomly zeroes some activations during training, which reduces overfitting"),
    ("b-dropout", "it randomly zeros units"),
    ("b-relu", "negative inputs become zero, positive ones pass through"),
    ("b-epoch", "one full pass over the whole dataset"),
    ("b-lr", "the step size of each update"),
    ("m-gamma", "it weighs future rewards against immediate rewards"),
    ("m-qlearn", "it learns the value of each action using the bellman update"),
    ("h-rag", "it retrieves relevant documents and puts them in the prompt so answers are grounded"),
    ("h-lora", "freezes the weights and learns a low rank update"),
])
def test_correct_answers(mini_bank, qid, text):
    result = grade(mini_bank.question(qid), text)
    assert (result.verdict, result.score) == (CORRECT, 1.0)
    assert result.remarks == ()


@pytest.mark.parametrize("qid, text", [
    ("h-lora", "it freezes the weights"),
    ("h-lora", "it learns a low rank update"),
])
def test_partial_answers(mini_bank, qid, text):
    result = grade(mini_bank.question(qid), text)
    assert result.verdict == PARTIAL
    assert 0.0 < result.score < 1.0


@pytest.mark.parametrize("qid, text", [
    ("b-dropout", ""),
    ("b-dropout", "it is a kind of cat"),
    ("b-lr", "the number of layers"),
    ("h-rag", "RAG compresses the model"),
    ("m-qlearn", "it uses the bellman equation"),  # only the optional idea
])
def test_wrong_answers(mini_bank, qid, text):
    result = grade(mini_bank.question(qid), text)
    assert (result.verdict, result.score) == (WRONG, 0.0)


def test_matched_and_missed_labels(mini_bank):
    q = mini_bank.question("h-lora")
    result = grade(q, "it freezes the weights")
    assert result.matched == ("frozen weights",)
    assert result.missed == ("low-rank update",)
    full = grade(q, "freezes the weights and learns a low rank update")
    assert full.matched == ("frozen weights", "low-rank update") and full.missed == ()
    nothing = grade(q, "no clue what this is, bananas")
    assert nothing.matched == () and set(nothing.missed) == {i.label for i in q.ideas}


def test_labels_cover_every_idea_in_order(shipped_bank):
    q = shipped_bank.question("tf-self-attention")
    result = grade(q, "queries keys and values, softmax of the scores, a weighted sum of the values")
    labels = [i.label for i in q.ideas]
    assert sorted(result.matched + result.missed, key=labels.index) == labels
    assert result.verdict == CORRECT


def test_more_ideas_earn_a_higher_partial_score(shipped_bank):
    q = shipped_bank.question("tf-backpropagation")
    one = grade(q, "it uses the chain rule")
    two = grade(q, "it uses the chain rule in a backward sweep from output to input")
    assert one.verdict == two.verdict == PARTIAL
    assert 0 < one.score < two.score < 1


# -- shipped questions -------------------------------------------------------------------------------


@pytest.mark.parametrize("qid, text, expected", [
    ("tf-backpropagation", "backpropogation uses the chain rule in a backward pass to compute the gradients "
                           "of the loss for each weight", CORRECT),
    ("tf-self-attention", "project each token to queries keys and values, softmax of the scaled dot product "
                          "scores gives weights, output is the weighted sum of the values", CORRECT),
    ("llm-lora", "It freezes pretrained weights and trains two small low rank matrices", CORRECT),
    ("llm-lora", "It shrinks the model by compressing the weights", WRONG),
    ("tf-weight-init", "keep the variance stable; Xavier uses fan in plus fan out for tanh; He uses 2/fan_in "
                       "for ReLU", CORRECT),
    ("tf-backpropagation", "it uses the chain rule", PARTIAL),
])
def test_shipped_questions(shipped_bank, qid, text, expected):
    assert verdict(shipped_bank.question(qid), text) == expected


def test_reference_answers_grade_correct(shipped_bank):
    # The bank's own reference answer is the model answer; a grader that fails it is broken.
    failing = [q.id for q in shipped_bank.questions if grade(q, q.answer).verdict != CORRECT]
    assert len(failing) <= 3, failing


# -- typos and abbreviations -------------------------------------------------------------------------

FITTING = "How are the weights of a network fitted?"


@pytest.mark.parametrize("typed", ["backpropagation", "backpropogation", "bakcpropagation", "Backpropagation!",
                                   "backprop"])
def test_typos_and_short_forms_are_tolerated(typed):
    assert verdict(ask(FITTING, Idea("backprop", ("backpropagation",), True)), typed) == CORRECT


@pytest.mark.parametrize("typed", ["forward propagation", "propagation", "back", "b"])
def test_other_words_are_not_typos(typed):
    assert verdict(ask(FITTING, Idea("backprop", ("backpropagation",), True)), typed) == WRONG


def test_typo_in_the_mini_bank(mini_bank):
    assert verdict(mini_bank.question("b-dropout"), "it radnomly zeroes units") == CORRECT


def test_numbers_must_match_exactly():
    q = ask("What is the usual dropout rate?", Idea("half", ("0.5",), True))
    assert verdict(q, "0.5") == CORRECT
    assert verdict(q, "0.6") == WRONG


@pytest.mark.parametrize("prompt, term, typed", [
    ("Which field trains agents with rewards?", "reinforcement learning", "RL"),
    ("Which field trains agents with rewards?", "rl", "reinforcement learning"),
    ("Which knob sets the size of each step?", "learning rate", "the LR"),
    ("Which knob sets the size of each step?", "lr", "the learning rate"),
    ("How do you ground a chatbot in documents?", "retrieval augmented generation", "use RAG"),
    ("How do you ground a chatbot in documents?", "rag", "retrieval augmented generation"),
])
def test_abbreviations_are_expanded_on_both_sides(prompt, term, typed):
    assert verdict(ask(prompt, Idea("it", (term,), True)), typed) == CORRECT


def test_abbreviation_is_a_whole_word_only():
    q = ask("How do you ground a chatbot in documents?", Idea("it", ("retrieval augmented generation",), True))
    assert verdict(q, "ragged") == WRONG


# -- what earns nothing ----------------------------------------------------------------------------


@pytest.mark.parametrize("qid", ["b-dropout", "b-lr", "h-rag", "h-lora", "m-gamma"])
def test_repeating_the_question_earns_nothing(mini_bank, qid):
    q = mini_bank.question(qid)
    for text in (q.prompt, q.prompt.lower().rstrip("?"), f"{q.prompt} {q.prompt}"):
        result = grade(q, text)
        assert (result.verdict, result.score) == (WRONG, 0.0)
    assert any("repeats the question" in r for r in grade(q, q.prompt).remarks)


def test_prompt_words_inside_a_term_do_not_count():
    q = ask("What does the learning rate control?", Idea("step", ("learning rate step",), True))
    assert verdict(q, "the learning rate") == WRONG
    assert verdict(q, "the step") == CORRECT


@pytest.mark.parametrize("qid, text", [
    ("b-dropout", "idk something about neurons"),
    ("b-dropout", "I don't know"),
    ("b-dropout", "dunno"),
    ("b-lr", "no idea, something to do with training I guess"),
    ("h-rag", "not sure, something with search engines or something"),
])
def test_hedges_are_wrong(mini_bank, qid, text):
    result = grade(mini_bank.question(qid), text)
    assert (result.verdict, result.score) == (WRONG, 0.0)
    assert any("hedges" in r for r in result.remarks)


def test_hedge_naming_one_idea_is_still_wrong(shipped_bank):
    q = shipped_bank.question("tf-backpropagation")
    for text in ("idk something about the chain rule", "idk something about gradients"):
        assert grade(q, text).verdict == WRONG


@pytest.mark.parametrize("qid, text", [
    ("h-rag", "not sure, something with documents or something"),
    ("h-lora", "idk, something about frozen and low rank I guess"),
])
def test_hedge_around_bare_keywords_is_wrong(mini_bank, qid, text):
    assert grade(mini_bank.question(qid), text).verdict == WRONG


def test_hedged_complete_answer_is_never_full_marks(mini_bank):
    result = grade(mini_bank.question("b-dropout"), "not sure, something about randomly dropping neurons")
    assert result.verdict != CORRECT and result.score < 1.0


def test_stated_misconception_costs_credit(shipped_bank):
    q = shipped_bank.question("llm-lora")
    clean = grade(q, "It freezes the pretrained weights and trains two small low rank matrices")
    confused = grade(q, "It freezes the pretrained weights and trains low rank matrices, which shrinks the model")
    negated = grade(q, "It does not shrink the model: it freezes the pretrained weights and trains low rank matrices")
    assert clean.verdict == CORRECT
    assert confused.verdict == PARTIAL and any("misconception" in r for r in confused.remarks)
    assert negated.verdict == CORRECT


# -- properties --------------------------------------------------------------------------------------

BANK = load_bank()  # loaded once at import: the strategies below draw from it
QUESTIONS = [q for i, q in enumerate(BANK.questions) if i % 4 == 0]
VOCABULARY = sorted({w for q in BANK.questions for idea in q.ideas for t in idea.terms for w in t.split()}
                    | {"idk", "not", "no", "something", "about", "RL", "LR", "RAG", "the", "and"})
HUGE = "the gradient of the loss flows backwards " * 5000
NASTY = [
    "", " ", "\x00\x01\x02\x1b[31m\x7f", "\t\n\r\x0b\x0c", "🙂" * 500 + " 🔥 attention 🤖",
    "שלום עולם مرحبا بالعالم attention", "\u202equeries keys values\u202c", "\u200d\ufeff\u200b",
    "ǅ ß İ ﬁ ẞ Σσς", "\ud800 lone surrogate", "1e309 0.5 3.14159 -0 ٣", "’'’'", "a" * 10_000,
]

answers = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(st.sampled_from(VOCABULARY), max_size=25).map(" ".join),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=4)), max_size=25).map(" ".join),
)
PROPERTY = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def check_grade(result: Grade, question: Question) -> None:
    assert isinstance(result, Grade)
    assert result.verdict in VERDICTS == ("correct", "partial", "wrong")
    assert 0.0 <= result.score <= 1.0
    assert (result.verdict == CORRECT) == (result.score == 1.0)
    assert (result.verdict == WRONG) == (result.score == 0.0)
    assert set(result.matched).isdisjoint(result.missed)
    assert set(result.matched) | set(result.missed) == {i.label for i in question.ideas}


@PROPERTY
@given(question=st.sampled_from(QUESTIONS), text=answers)
@example(question=QUESTIONS[0], text=HUGE)
@example(question=QUESTIONS[1], text="🙂🔥 softmax 🤖 \u202eweighted sum\u202c שלום مرحبا")
@example(question=QUESTIONS[2], text="\x00\x1b[2J\r\n\t\x7f idk \ud800")
def test_grade_never_raises_and_stays_in_bounds(question, text):
    check_grade(grade(question, text), question)


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_grade_survives_nasty_text(shipped_bank, text):
    for q in shipped_bank.questions[::8]:
        check_grade(grade(q, text), q)


def test_grade_of_a_huge_answer(shipped_bank):
    q = shipped_bank.question("tf-backpropagation")
    check_grade(grade(q, HUGE), q)
    check_grade(grade(q, " ".join(f"word{n % 997}x" for n in range(5_000))), q)
