"""Multiple-choice items: the one-line correct option among three plausible wrong ones."""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from quizgame.core.model import Bank, Question

OPTIONS = 4
TOP_UP_SHORTLIST = 12


@lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    from quizgame.core.text import content_words  # loads the stemmer: only top-ups need it

    return frozenset(content_words(text))


@dataclass(frozen=True, slots=True)
class MultipleChoice:
    question: Question
    options: list[str]
    correct: int


def item_rng(seed: int | str | None, question: Question, salt: str = "mc") -> random.Random:
    """One generator per item, so an item's options do not depend on what came before it."""
    return random.Random(f"{seed}:{salt}:{question.id}" if seed is not None else None)


def multiple_choice(question: Question, bank: Bank, seed: int | str | None = None) -> MultipleChoice:
    """Build the item: hand-written distractors first, topped up from nearby questions' options."""
    rng = item_rng(seed, question)
    wrong = list(question.distractors)
    rng.shuffle(wrong)
    wrong = _distinct(wrong, question.option)[: OPTIONS - 1]
    if len(wrong) < OPTIONS - 1:
        wrong += _top_up(question, bank, rng, OPTIONS - 1 - len(wrong), taken={question.option, *wrong})
    correct = rng.randrange(len(wrong) + 1)
    options = wrong[:correct] + [question.option] + wrong[correct:]
    return MultipleChoice(question, options, correct)


def _distinct(options: list[str], correct: str) -> list[str]:
    seen = {correct.casefold()}
    out = []
    for option in options:
        if option.casefold() not in seen:
            seen.add(option.casefold())
            out.append(option)
    return out


def _top_up(question: Question, bank: Bank, rng: random.Random, needed: int, taken: set[str]) -> list[str]:
    """Other questions' correct options, nearest first: same topic, then same section, then any.

    Only these neighbourhoods are looked at, never the whole bank, unless they run dry.
    """
    def usable(other: Question) -> bool:
        return other.id != question.id and other.id not in question.overlaps and other.option not in taken

    picked: list[str] = []
    neighbourhoods = [
        [q for topic in question.topics for q in bank.with_topic(topic)],
        list(bank.section_of(question).questions),
    ]
    for pool in neighbourhoods + [None]:
        if len(picked) >= needed:
            break
        candidates = {q.option: q for q in (pool if pool is not None else bank.questions) if usable(q)}
        # Similar length first, so the top-ups do not stand out by their shape; among the
        # closest, those sharing the prompt's words, so the right one does not stand out
        # as the only option that talks about the question.
        ranked = sorted(candidates, key=lambda o: (abs(len(o) - len(question.option)), rng.random()))
        prompt = _words(question.prompt)
        shortlist = sorted(ranked[:TOP_UP_SHORTLIST], key=lambda o: -len(_words(o) & prompt))
        for option in shortlist[: needed - len(picked)]:
            picked.append(option)
            taken.add(option)
    return picked
