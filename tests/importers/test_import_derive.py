"""Ids, options, topics and key ideas derived from a question and its answer."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgame.core.bank import ID_PATTERN
from quizgame.core.importers.derive import (
    PLAIN, IdMaker, derive_ideas, document_frequencies, answer_words, make_option, slugify, topic_slugs,
)
from quizgame.core.text import content_words

PACKAGE = Path(__file__).resolve().parents[2] / "quizgame" / "core" / "importers"


def _ideas(prompt: str, answer: str, others: tuple[str, ...] = ()):
    answers = [answer, *others]
    df = document_frequencies([answer_words(a)[1] for a in answers])
    return derive_ideas(prompt, answer, df, len(answers))


def test_option_is_the_first_sentence_without_its_full_stop():
    assert make_option("Dropout zeroes random units. It reduces overfitting.") == "Dropout zeroes random units"
    assert make_option("Use e.g. L2 or i.e. weight decay. Then tune it.") == "Use e.g. L2 or i.e. weight decay"
    assert make_option("- first point\n- second point") == "first point"
    assert make_option("Steps:\n\n1. one\n2. two") == "Steps"


def test_a_long_option_is_cut_at_a_word_with_an_ellipsis():
    answer = "Gradient clipping rescales " + "the gradient whenever its norm grows too large " * 5 + "."
    option = make_option(answer)
    assert len(option) <= 100 and option.endswith("…") and "\n" not in option
    assert answer.startswith(option[:-1]) and answer[len(option) - 1] == " "


def test_slugs_and_ids():
    assert slugify("Explain how the self-attention layer works in Transformer models.", 48, True) == \
        "explain-self-attention-layer-works-transformer"
    assert slugify("Régularisation L2 — pourquoi ?", 40) == "regularisation-l2-pourquoi"
    ids = IdMaker()
    made = [ids.make(p) for p in ("What is X?", "What is X?", "what is x", "過学習とは？", "?!")]
    assert made[:3] == ["x", "x-2", "x-3"]
    assert made[3].startswith("q-") and made[4].startswith("q-") and made[3] != made[4]
    assert all(ID_PATTERN.match(i) for i in made)
    assert IdMaker().make("過学習とは？") == made[3]  # stable


def test_topics_are_slugs_deduplicated_and_at_most_four():
    assert topic_slugs(["Deep Learning", "deep-learning", "RL", "", "日本語", "a", "b", "c"], "x") == \
        ["deep-learning", "rl", "a", "b"]
    assert topic_slugs(["日本語"], "section-1") == ["section-1"]


def test_ideas_use_answer_words_the_prompt_lacks():
    prompt = "What does dropout do during training?"
    answer = ("Dropout randomly zeroes a fraction of the activations on each step, which stops units "
              "co-adapting and reduces overfitting; at inference every unit is kept.")
    ideas, reason = _ideas(prompt, answer, ("Batch norm rescales activations.", "Overfitting is memorising."))
    assert reason is None and 2 <= len(ideas) <= 4
    assert ideas[0].required and sum(i.required for i in ideas) <= 2
    prompt_words = content_words(prompt)
    for idea in ideas:
        assert content_words(idea.label) - prompt_words
        assert all(content_words(term) - prompt_words for term in idea.terms)
        assert "dropout" not in idea.terms and "training" not in idea.terms
    assert len(ideas[0].terms) in (1, 2)


def test_rare_words_beat_common_ones():
    common = "The model uses the data and the model learns from the data."
    answer = "The model uses the data and applies a Bellman backup."
    ideas, _ = _ideas("How is the value updated?", answer, (common,) * 5)
    assert "bellman" in ideas[0].label.lower()


def test_examples_and_contrasts_are_not_what_the_reference_asserts():
    """Words in a parenthesis, after "e.g." or "such as", or after "unlike" are incidental: the
    required idea is what the answer itself asserts."""
    answer = ("An optimizer (e.g. Nesterov, AdaGrad, Adafactor) updates the weights against the gradient, "
              "unlike Newtonian solvers.")
    ideas, reason = _ideas("What does an optimizer do?", answer, ("Weights are numbers.", "Gradients point uphill."))
    assert reason is None
    required = " ".join(i.label.lower() for i in ideas if i.required)
    assert not {"nesterov", "adagrad", "adafactor", "newtonian"} & set(required.split())


@pytest.mark.parametrize("prompt, answer, reason", [
    ("Is dropout dropout?", "Dropout is dropout.", "the answer only repeats the question"),
    ("Is it?", "It is.", "the answer has no words to grade on"),
    ("Why?", "— … !", "the answer has no words to grade on"),
])
def test_answers_without_gradable_words_are_refused(prompt, answer, reason):
    assert _ideas(prompt, answer) == ([], reason)


def test_a_one_word_answer_still_makes_one_idea():
    ideas, reason = _ideas("Can a tree overfit?", "Yes.")
    assert reason is None
    assert [(i.label, i.terms, i.required) for i in ideas] == [("yes", ("yes",), True)]


def test_code_lines_do_not_become_ideas():
    answer = "Sort the keys first.\n\n    keys = sorted(mapping)\n    print(keys)"
    ideas, _ = _ideas("How do you iterate a dict in a stable order?", answer)
    assert not any(word in " ".join(i.terms) for i in ideas for word in ("print", "mapping"))


# -- hygiene ---------------------------------------------------------------------------------


def test_importers_use_only_the_standard_library_markdown_it_and_the_pure_core():
    allowed_local = ("quizgame.core.", "quizgame.core")
    for source in PACKAGE.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                assert name.startswith(allowed_local) or top in sys.stdlib_module_names or top in ("__future__", "markdown_it"), \
                    f"{source.name} imports {name}"


def test_importing_a_file_loads_neither_textual_nor_tinydb(tmp_path):
    script = f"""
import json, sys
from pathlib import Path
from quizgame.bankwrite import write_bank
from quizgame.core.importers import import_bank
result = import_bank(Path({str(Path(__file__).resolve().parents[1] / 'fixtures' / 'import' / 'questions.csv')!r}))
write_bank(result.toml, Path({str(tmp_path / 'out.toml')!r}))
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb'))))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


# -- speed: a deck's imports share a memo of word weights; it must not change a single idea ------

_WORDS = ("dropout", "zeroes", "random", "units", "not", "never", "ReLU", "gradient", "the", "of", "non-linear",
          "overfitting", "weights", "is", "LSTM", "gates", "forget", "cell", "state", "mini-batch", "noise",
          "Bellman", "value", "policy", "off-policy", "learning", "rate", "42", "e.g.", "a", "and")
_SENTENCES = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14).map(" ".join)
_ANSWERS = st.lists(_SENTENCES, min_size=1, max_size=4).map(lambda parts: ". ".join(parts) + ".")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(cards=st.lists(st.tuples(_SENTENCES, _ANSWERS), min_size=2, max_size=8))
def test_ideas_are_the_same_with_the_decks_shared_weight_memo_as_without(cards):
    analysed = [answer_words(answer) for _, answer in cards]
    df = document_frequencies([words for _, words in analysed])
    weights: dict[str, float] = {}
    for (prompt, answer), words in zip(cards, analysed):
        shared = derive_ideas(prompt + "?", answer, df, len(cards), words, None, weights)
        assert shared == derive_ideas(prompt + "?", answer, df, len(cards))


def test_importing_pauses_the_garbage_collector_only_while_it_runs(tmp_path):
    import gc

    from quizgame.core.importers import ImportFailed, import_bank

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "questions.csv"
    assert gc.isenabled()
    import_bank(fixture)
    assert gc.isenabled()
    with pytest.raises(ImportFailed):
        import_bank(tmp_path / "missing.csv")
    assert gc.isenabled()
    gc.disable()
    try:
        import_bank(fixture)
        assert not gc.isenabled()  # a caller's own choice is left as it was
    finally:
        gc.enable()


def test_a_decks_boilerplate_is_no_idea_and_the_card_keeps_its_own_words(tmp_path):
    # A deck of shell commands says "a specified unit" on most cards: that says nothing of any card.
    # The card's own word is the prompt's ("systemctl start [unit]" -> "Start a specified unit").
    from quizgame import grade
    from quizgame.bankwrite import write_bank
    from quizgame.core.bank import load_bank
    from quizgame.core.importers import import_bank

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "command-cards.txt"
    bank = load_bank(write_bank(import_bank(fixture, "auto", None).toml, tmp_path / "cards.toml"))
    labels = [i.label.casefold() for q in bank.questions for i in q.ideas]
    assert not any("specified" in label for label in labels)
    start = next(q for q in bank.questions if q.prompt == "systemctl start [unit]")
    assert [i.label for i in start.ideas] == ["start"]
    assert grade(start, "it starts the unit", bank).verdict == "correct"
    assert grade(start, "it stops the unit", bank).verdict != "correct"
    # Another card's claim retold with this card's word is not this card's answer.
    stop = next(q for q in bank.questions if q.prompt == "systemctl stop [unit]")
    assert grade(stop, "stops the unit", bank).verdict == "correct"
    assert grade(stop, "Stop all units that failed", bank).verdict != "correct"
    mask = next(q for q in bank.questions if q.prompt == "systemctl mask [unit]")
    assert [i.label for i in mask.ideas] == ["not start"]
    assert grade(mask, "so that the unit can't be started at all", bank).verdict == "correct"


def test_a_word_in_a_few_answers_is_not_boilerplate():
    others = tuple(f"Answer number {i} talks about item{i}." for i in range(12))
    ideas, _ = _ideas("What is a closed path?", "A closed path connects the battery to the bulb.", others)
    assert any("battery" in i.label or "bulb" in i.label for i in ideas)


def test_only_a_flashcard_front_that_names_a_term_is_a_term_card():
    from quizgame.core.text import term_card

    assert term_card("systemctl start [unit]") and term_card("git stash -p")
    assert not term_card("What is concept5 attention") and not term_card("How does RAG work?")
    assert not term_card("Explain why the bulb lights when the switch is closed")


def test_everyday_words_rare_in_a_deck_lose_to_the_cards_concepts():
    # Rare in a small deck, "chosen", "remaining" and "together" would outrank the concepts by
    # rarity alone; everyday English is no idea a player must name while a concept is at hand.
    answer = ("The samples are shuffled and chosen into k folds; each fold in turn is held out while "
              "the remaining folds train the estimator, and the scores taken together give the estimate.")
    others = ("Regularisation adds a penalty on the weights to the loss.",
              "Gradient descent follows the negative gradient of the loss.",
              "Bagging averages estimators trained on bootstrap samples.")
    ideas, _ = _ideas("How does k-fold cross-validation work?", answer, others)
    labels = " ".join(i.label.casefold() for i in ideas)
    assert "folds" in labels or "fold" in labels
    for plain in ("chosen", "remaining", "together", "taken"):
        assert plain not in labels, (plain, [i.label for i in ideas])


@given(st.sampled_from(sorted(PLAIN)))
@settings(max_examples=30, deadline=None, derandomize=True)
def test_an_everyday_word_never_hides_the_concept_beside_it(word):
    ideas, reason = _ideas("What is the term?", f"{word} routers", ("Switches forward frames.",))
    assert reason is None and ideas and any("router" in i.label.casefold() for i in ideas)
