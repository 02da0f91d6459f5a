"""Multiple-choice items: four options, one right, seeded, topped up without overlaps."""
from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgame.core.bank import load_bank
from quizgame.core.choices import OPTIONS, multiple_choice, option_key, same_option

from .helpers import make_question, write_bank


def check_item(item, question):
    assert len(item.options) == OPTIONS == 4
    assert [o == question.option for o in item.options].count(True) == 1
    assert item.options[item.correct] == question.option
    assert len({o.casefold() for o in item.options}) == 4
    assert item.question is question


def test_every_shipped_and_mini_item_is_well_formed(shipped_bank, mini_bank):
    for bank in (shipped_bank, mini_bank):
        for q in bank.questions:
            for seed in (0, 1, "abc"):
                item = multiple_choice(q, bank, seed=seed)
                check_item(item, q)
                assert set(item.options) - {q.option} <= set(q.distractors)  # hand-written first


def test_same_seed_same_options_and_order(shipped_bank):
    for q in shipped_bank.questions[::7]:
        a, b = multiple_choice(q, shipped_bank, seed=42), multiple_choice(q, shipped_bank, seed=42)
        assert (a.options, a.correct) == (b.options, b.correct)


def test_item_does_not_depend_on_what_came_before(shipped_bank):
    q = shipped_bank.question("tf-dropout")
    first = multiple_choice(q, shipped_bank, seed=7)
    for other in shipped_bank.questions[:10]:
        multiple_choice(other, shipped_bank, seed=7)
    again = multiple_choice(q, shipped_bank, seed=7)
    assert (first.options, first.correct) == (again.options, again.correct)


def test_different_seeds_move_the_correct_option(shipped_bank):
    q = shipped_bank.question("tf-self-attention")
    positions = {multiple_choice(q, shipped_bank, seed=s).correct for s in range(20)}
    assert positions == {0, 1, 2, 3}
    orders = {tuple(multiple_choice(q, shipped_bank, seed=s).options) for s in range(20)}
    assert len(orders) > 10


def test_correct_position_is_roughly_uniform_for_one_question(mini_bank):
    q = mini_bank.question("b-relu")
    counts = Counter(multiple_choice(q, mini_bank, seed=s).correct for s in range(400))
    assert set(counts) == {0, 1, 2, 3}
    assert all(70 <= n <= 130 for n in counts.values()), counts  # 100 expected, sd ≈ 8.7


def test_correct_position_is_roughly_uniform_over_the_bank(shipped_bank):
    counts = Counter(multiple_choice(q, shipped_bank, seed=s).correct
                     for q in shipped_bank.questions for s in range(20))
    total = sum(counts.values())
    assert total == 65 * 20
    assert all(abs(n / total - 0.25) < 0.04 for n in counts.values()), counts


def test_string_and_int_seeds_agree(shipped_bank):
    # The command line passes --seed as text; the UI may pass a number.
    q = shipped_bank.question("llm-lora")
    assert multiple_choice(q, shipped_bank, seed=5).options == multiple_choice(q, shipped_bank, seed="5").options


@pytest.fixture(scope="module")
def sparse_bank(tmp_path_factory):
    """A target with one distractor, overlapping a twin; the rest give top-ups."""
    folder = tmp_path_factory.mktemp("sparse")
    return load_bank(write_bank(folder, {
        "one": [
            make_question("target", distractors=["The lone hand-written wrong answer"], topics=("near",),
                          overlaps=("twin",)),
            make_question("twin", topics=("near",), overlaps=("target",)),
            make_question("neighbour", topics=("near",)),
            make_question("other-a"),
            make_question("other-b"),
        ],
        "two": [make_question("far-a"), make_question("far-b")],
    }))


def test_few_distractors_are_topped_up_from_other_questions(sparse_bank):
    target = sparse_bank.question("target")
    others = {q.option for q in sparse_bank.questions if q.id not in ("target", "twin")}
    for seed in range(40):
        item = multiple_choice(target, sparse_bank, seed=seed)
        check_item(item, target)
        assert "The lone hand-written wrong answer" in item.options
        topped_up = set(item.options) - {target.option, *target.distractors}
        assert len(topped_up) == 2
        assert topped_up <= others


def test_top_up_never_uses_an_overlapping_questions_option(sparse_bank):
    target, twin = sparse_bank.question("target"), sparse_bank.question("twin")
    for seed in range(40):
        assert twin.option not in multiple_choice(target, sparse_bank, seed=seed).options


def test_top_up_prefers_the_same_topic(sparse_bank):
    target, neighbour = sparse_bank.question("target"), sparse_bank.question("neighbour")
    for seed in range(20):
        assert neighbour.option in multiple_choice(target, sparse_bank, seed=seed).options


def test_question_without_distractors_gets_three_wrong_options(tmp_path):
    bank = load_bank(write_bank(tmp_path, {"s": [make_question(f"q{n}", distractors=0) for n in range(5)]}))
    for q in bank.questions:
        for seed in range(5):
            item = multiple_choice(q, bank, seed=seed)
            check_item(item, q)


def test_one_sided_overlap_is_symmetric_in_effect(tmp_path):
    bank = load_bank(write_bank(tmp_path, {"s": [
        make_question("lister", overlaps=("listed",)),
        make_question("listed", distractors=0),  # does not list "lister" back
        *(make_question(f"filler-{n}") for n in range(4)),
    ]}))
    lister, listed = bank.question("lister"), bank.question("listed")
    assert "lister" in listed.overlaps
    for seed in range(20):
        item = multiple_choice(listed, bank, seed=seed)
        check_item(item, listed)
        assert lister.option not in item.options


# Ways an option is written again without saying anything else: another case, spacing,
# punctuation, a trailing "…" (a shortened option).
_RESPELLINGS = st.sampled_from([str.upper, str.lower, str.capitalize, str.title, lambda s: s + ".",
                                lambda s: s + "…", lambda s: s + "...", lambda s: " " + s.replace(" ", "  ") + " ",
                                lambda s: s.replace(" ", ", "), lambda s: f"({s})", lambda s: s + "!"])
_PHRASES = st.lists(st.sampled_from(["data", "frame", "matrix", "list", "vector", "R", "table"]),
                    min_size=1, max_size=4).map(" ".join)


@given(_PHRASES, st.lists(_RESPELLINGS, min_size=1, max_size=4))
def test_an_option_respelled_is_the_same_option(phrase, respellings):
    text = phrase
    for respell in respellings:
        text = respell(text)
    assert same_option(phrase, text) and option_key(text) == option_key(phrase)


@given(_PHRASES, _PHRASES)
def test_options_with_other_words_are_other_options(a, b):
    assert same_option(a, b) == (a.casefold().split() == b.casefold().split())


@settings(max_examples=25, deadline=None)
@given(st.lists(_RESPELLINGS, min_size=5, max_size=5), st.booleans(), st.integers(0, 3))
def test_an_item_never_offers_the_same_option_twice_or_the_right_one_respelled(respellings, written, seed):
    """Hand-written distractors and other questions' options that are the right option, or
    one another, in another case, spacing or punctuation count once, and never as wrong."""
    right = "data frame"
    # (the loader already refuses a distractor equal to the option up to case alone)
    distractors = [respellings[0](right) + "…", respellings[1]("matrix"), "matrix", respellings[2]("list"), "list"]
    with tempfile.TemporaryDirectory() as tmp:
        others = [make_question(f"other-{n}", option=f(o), distractors=0)
                  for n, (f, o) in enumerate(zip(respellings[2:], (right, "list", "matrix")))]
        others += [make_question(f"more-{n}", option=o, distractors=0)
                   for n, o in enumerate(("vector", "Vector.", "array", "table", "Data Frame"))]
        target = make_question("target", option=right, distractors=distractors if written else 0)
        bank = load_bank(write_bank(Path(tmp) / "bank", {"basics": [target, *others]}))
    q = bank.question("target")
    item = multiple_choice(q, bank, seed=seed)
    assert len(item.options) == OPTIONS and item.options[item.correct] == right
    assert len({option_key(o) for o in item.options}) == OPTIONS, item.options
