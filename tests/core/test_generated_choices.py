"""Generated wrong options for banks without hand-written distractors: variants of the right
option with a key term swapped, or other questions' options retold about this question."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizgame.core.audit import audit, format_report, without_distractors
from quizgame.core.bank import load_bank
from quizgame.core.choices import multiple_choice
from quizgame.core.grading import grade
from quizgame.bankwrite import write_bank
from quizgame.core.importers import import_bank
from quizgame.core.model import CORRECT

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


@pytest.fixture(scope="module")
def bare_shipped(shipped_bank):
    bank = without_distractors(shipped_bank)
    assert all(q.distractors == () for q in bank.questions) and len(bank.questions) == 65
    return bank


@pytest.fixture(scope="module")
def seed_like(tmp_path_factory):
    out = tmp_path_factory.mktemp("imported") / "seed-like.toml"
    write_bank(import_bank(FIXTURES / "seed-like.txt", "auto", None).toml, out)
    return load_bank(out)


def test_generated_options_are_never_a_second_right_answer(bare_shipped, seed_like):
    for bank in (bare_shipped, seed_like):
        overlapping = {q.id: {bank.question(o).option.casefold() for o in q.overlaps if bank.question(o)}
                       for q in bank.questions}
        for q in bank.questions:
            for seed in range(2):
                item = multiple_choice(q, bank, seed=seed)
                assert len({o.casefold() for o in item.options}) == 4
                assert item.options[item.correct] == q.option
                for i, option in enumerate(item.options):
                    if i != item.correct:
                        assert grade(q, option, bank).verdict != CORRECT, (q.id, option)
                        assert option.casefold() not in overlapping[q.id]


def test_variants_swap_a_term_the_question_does_not_name(bare_shipped):
    q = bare_shipped.question("tf-lstm-vanishing")
    item = multiple_choice(q, bare_shipped, seed=1)
    wrong = [o for i, o in enumerate(item.options) if i != item.correct]
    words = set(q.option.split())
    for option in wrong:
        assert len(set(option.split()) ^ words) <= 6  # the same sentence, one term swapped
        assert abs(len(option) - len(q.option)) <= 6


def test_generated_items_are_seeded(seed_like):
    q = seed_like.questions[4]
    assert multiple_choice(q, seed_like, seed=9).options == multiple_choice(q, seed_like, seed=9).options


def test_audit_passes_on_the_shipped_bank_without_its_distractors(bare_shipped):
    report = audit(bare_shipped, seeds=5)
    assert report.passed, format_report(report)


def test_audit_passes_on_an_imported_bank(seed_like):
    report = audit(seed_like, seeds=5)
    assert report.passed, format_report(report)


def test_generated_options_do_not_leave_the_question_words_to_the_right_one(seed_like):
    """Options retold about the question's subject use its own phrase for it, so the right
    option is not the one that shares the most of the question's words."""
    q = seed_like.question("feature-store")
    item = multiple_choice(q, seed_like, seed=0)
    wrong = [o for i, o in enumerate(item.options) if i != item.correct]
    assert any("feature store" in o.casefold() for o in wrong)


@pytest.fixture(scope="module")
def command_cards(tmp_path_factory):
    """Hand-made command flashcards whose answers repeat the command and its argument
    ("systemctl stop [unit]": "Stop a specified unit"), the shape of a real Docker deck."""
    out = tmp_path_factory.mktemp("imported") / "command-cards.toml"
    write_bank(import_bank(FIXTURES / "command-cards.txt", "auto", None).toml, out)
    return load_bank(out)


def test_command_cards_get_wrong_options_that_repeat_the_question_too(command_cards):
    q = command_cards.question("systemctl-stop-unit")
    repeating = 0
    for seed in range(5):
        item = multiple_choice(q, command_cards, seed=seed)
        for i, option in enumerate(item.options):
            if i != item.correct:
                assert grade(q, option, command_cards).verdict != CORRECT, option
                repeating += option.startswith("Stop ")
    assert repeating >= 10  # retold role for role: "Stop all units that failed", not "Unit all…"


def test_question_words_do_not_point_at_the_answer_on_command_cards(command_cards):
    report = audit(command_cards, seeds=10)
    for guesser in ("most words shared with the question", "largest share of words from the question"):
        assert report.accuracy[guesser] <= 0.35, format_report(report)


# -- the noun finder, compiled once, reads like the one pattern per term it replaced ---------------

_NOUN_TEXT = st.lists(st.sampled_from(["the", "a", "of", "its", "uses", "value", "vectors", "value-vectors", "it",
                                       "Value", "VALUE", "of the", "norm", "exceeds", "each", ",", "-", "İ", "x"]),
                      max_size=12).map(" ".join)


@given(text=_NOUN_TEXT, term=st.sampled_from(["value", "value vectors", "Value", "norm", "x", "the value"]))
def test_the_noun_finder_agrees_with_a_pattern_per_term(text: str, term: str) -> None:
    import re

    from quizgame.core.choices import _NOUN_CUES, _OBJECT_CUES, _as_noun

    oracle = re.search(rf"\b(?:{_NOUN_CUES}) (?:\w+ )?({re.escape(term)})(?![\w-])(?!\s+(?:{_OBJECT_CUES})\b)",
                       text, re.IGNORECASE)
    assert _as_noun(term, text) == (oracle.group(1) if oracle else None)


# -- big decks: each item reads a bounded neighbourhood, not the whole deck -----------------------

@pytest.fixture(scope="module")
def big_deck(tmp_path_factory):
    """More questions than generated options read, in two sections and a dozen topics, none
    with distractors; each option names a term ("the alpha-3 gradient") others can swap in."""
    from quizgame.core.choices import NEIGHBOUR_READ

    from tests.core.helpers import make_question
    from tests.core.helpers import write_bank as write_json_bank

    total = NEIGHBOUR_READ + 150
    words = ["alpha", "bravo", "delta", "gamma", "kappa", "sigma"]
    questions = []
    for n in range(total):
        term = f"{words[n % len(words)]}{n % 7} momentum"
        q = make_question(f"q{n}", distractors=0, topics=(f"topic-{n % 12}",),
                          option=f"It scales the {term} by the decay of each step")
        q["ideas"] = [{"label": term, "terms": [term], "required": True}]
        questions.append(q)
    folder = tmp_path_factory.mktemp("big-deck")
    return load_bank(write_json_bank(folder, {"early": questions[: total // 2], "late": questions[total // 2:]}))


def test_a_big_decks_item_reads_its_topic_first_and_at_most_the_neighbour_limit(big_deck):
    from quizgame.core.choices import NEIGHBOUR_READ, _bank_words

    q = big_deck.questions[-1]
    neighbours = _bank_words(big_deck).neighbours(q)
    assert len(neighbours) == NEIGHBOUR_READ < len(big_deck.questions) - 1
    nearness = [near for _, near in neighbours]
    assert nearness == sorted(nearness)  # same topic, then same section, then the rest
    assert {other.id for other, near in neighbours if near == 0} == {
        other.id for other in big_deck.with_topic(q.topics[0]) if other.id != q.id}
    assert all(other.id != q.id for other, _ in neighbours)


def test_a_big_decks_generated_items_are_whole_and_never_right(big_deck):
    from quizgame.core.choices import NEIGHBOUR_READ, _bank_words

    _bank_words.cache_clear()
    multiple_choice(big_deck.questions[-1], big_deck, seed=3)
    # key terms were worked out only for the questions the item read, not for the whole deck
    assert len(_bank_words(big_deck)._pool) <= NEIGHBOUR_READ + 1 < len(big_deck.questions)
    for q in big_deck.questions[::97]:
        item = multiple_choice(q, big_deck, seed=3)
        assert len({o.casefold() for o in item.options}) == 4 and item.options[item.correct] == q.option
        for i, option in enumerate(item.options):
            if i != item.correct:
                assert grade(q, option, big_deck).verdict != CORRECT, option
