"""Counterparts the reference names by itself (compounds, sides of a comparison) and claims the
reference denies. The questions are made up, so these tests pin the mechanisms rather than the
shipped bank's key terms; the answers were written for these tests."""
from __future__ import annotations

from quizgame.core.grading import CORRECT, WRONG, grade
from quizgame.core.model import Idea, Question


def ask(prompt: str, answer: str, *ideas: Idea) -> Question:
    return Question(id="made-up", section="s", prompt=prompt, answer=answer, option="option", distractors=(),
                    topics=("t",), ideas=tuple(ideas))


# Compounds that share a part ("cold-start", "warm-start") are counterparts: no hand-written roles.
CACHES = ask(
    "How do cold-start and warm-start caches behave?",
    "A cold-start cache begins empty and misses often on the first requests, while a warm-start cache is "
    "preloaded from a snapshot and answers quickly from the first request.",
    Idea("cold: empty, misses", ("empty", "misses", "miss"), True),
    Idea("warm: preloaded", ("preloaded", "snapshot", "prefilled"), True),
)


def test_compounds_that_share_a_part_bind_what_is_said_of_each() -> None:
    right = "a cold-start cache starts empty and misses a lot; a warm-start cache is preloaded from a snapshot"
    assert grade(CACHES, right).verdict == CORRECT
    swapped = grade(CACHES, "a warm-start cache starts empty and misses a lot; a cold-start cache is preloaded "
                            "from a snapshot")
    assert swapped.verdict == WRONG
    assert any("roles are swapped" in r for r in swapped.remarks)


# A comparison's sides are roles too, for everything the reference says of them, not only its ideas.
SORTS = ask(
    "What is the difference between merge sort and quick sort?",
    "Merge sort needs extra memory, splitting the list in halves and merging them. "
    "Quick sort works in place, partitioning around a pivot.",
    Idea("merge: split and merge", ("halves", "merges"), True),
    Idea("quick: partition around a pivot", ("pivot", "partitions"), True),
)


def test_what_the_reference_says_of_one_side_said_of_the_other_is_a_swap() -> None:
    right = "merge sort needs extra memory to merge halves; quick sort works in place around a pivot"
    assert grade(SORTS, right).verdict == CORRECT
    swapped = grade(SORTS, "merge sort works in place to merge halves; quick sort needs extra memory around a pivot")
    assert swapped.verdict == WRONG
    assert any("roles are swapped" in r for r in swapped.remarks)


PROMPTING = ask(
    "What is in-context learning?",
    "The model is shown a few examples in the prompt and infers the task from them. No weights are updated: "
    "it adapts within the forward pass.",
    Idea("examples in the prompt", ("examples", "demonstrations"), True),
    Idea("infers the task", ("infers", "pattern", "picks up"), True),
)


def test_asserting_what_the_reference_denies_is_not_accepted() -> None:
    assert grade(PROMPTING, "you show a few examples in the prompt and it infers the task, with no weights "
                            "updated").verdict == CORRECT
    assert grade(PROMPTING, "unlike fine-tuning, which updates the weights, it infers the task from examples in "
                            "the prompt").verdict == CORRECT
    wrong = grade(PROMPTING, "you give a few examples and it infers the task by briefly updating its weights on them")
    assert wrong.verdict != CORRECT
    assert any("denies" in r for r in wrong.remarks)


# An imported bank's ideas are the reference's own words (no person wrote them): its "whereas"
# still binds each side to what the reference says of it.
IMPORTED = ask(
    "How do input drift and output drift differ?",
    "Input drift shifts the distribution of user prompts, whereas output drift changes the refusal rate of "
    "responses.",
    Idea("distribution of user prompts", ("distribution", "user prompts"), True),
    Idea("refusal rate", ("refusal rate", "refusal"), False),
)


def test_a_whereas_binds_sides_on_ideas_derived_on_import() -> None:
    right = grade(IMPORTED, "input drift shifts the distribution of user prompts; output drift changes the "
                            "refusal rate of responses")
    swapped = grade(IMPORTED, "input drift changes the refusal rate of responses; output drift shifts the "
                              "distribution of user prompts")
    assert not any("roles are swapped" in r for r in right.remarks)
    assert swapped.verdict != CORRECT
    assert any("roles are swapped" in r for r in swapped.remarks)


SKIP = ask(
    "What does a skip connection do?",
    "It adds the block's input to its output, y = x + F(x), so gradients flow through the identity path.",
    Idea("adds the input to the output", ("adds the input", "x + f(x)", "identity"), True),
    Idea("gradients flow", ("gradients flow", "gradient flow"), True),
)


def test_one_formula_or_one_denial_among_many_names_is_still_a_list() -> None:
    assert grade(SKIP, "y = x + F(x): the identity path lets gradients flow").verdict == CORRECT
    dump = "identity mapping, y = x + F(x), gradient flow, vanishing gradients, degradation, ResNet, highway"
    assert grade(SKIP, dump).verdict != CORRECT
    names = ("identity path, adds the input, gradient flow, no vanishing gradients, ResNet, highway nets, "
             "degradation, depth")
    assert grade(SKIP, names).verdict != CORRECT
