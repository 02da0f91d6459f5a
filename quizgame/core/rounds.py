"""Plan a round: which questions, in which order, asked how."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from quizgame.core.choices import MultipleChoice, item_rng, multiple_choice
from quizgame.core.model import Bank, Question
from quizgame.core.practice import weak_selection
from quizgame.core.progress import Progress
from quizgame.core.stats import unlocked_sections

MODES = ("mc", "recall", "cloze", "weak")
MODE_NAMES = {"mc": "Multiple choice", "recall": "Recall", "cloze": "Cloze", "weak": "Weak topics",
              "review": "Review", "blitz": "Blitz", "testout": "Test-out", "daily": "Daily challenge"}
DEFAULT_SIZE = 10
MAX_SIZE = 100
ALL_SECTIONS = "all"
BLANK = "_____"


class RoundError(ValueError):
    """A round that cannot be played as asked: unknown mode, unknown or locked section."""


@dataclass(frozen=True, slots=True)
class Cloze:
    text: str            # the reference answer with one key term blanked
    term: str            # the blanked term, as the answer writes it
    accepted: tuple[str, ...]  # the term and its synonyms from the same key idea
    choices: list[str]
    correct: int


@dataclass(frozen=True, slots=True)
class Item:
    question: Question
    kind: str                          # "mc", "recall" or "cloze"
    choice: MultipleChoice | None = None
    cloze: Cloze | None = None


@dataclass(frozen=True, slots=True)
class RoundPlan:
    id: str
    mode: str
    section: str                       # a section id, or "all" for every unlocked section
    items: tuple[Item, ...]
    focus: tuple[str, ...] = ()        # weak-topic rounds: the topics aimed at
    limit: float = 0.0                 # blitz: seconds per question
    day: str = ""                      # daily challenge: the day it belongs to


def plan_round(bank: Bank, progress: Progress, mode: str = "mc", section: str | None = None,
               size: int = DEFAULT_SIZE, seed: int | str | None = None, now: datetime | None = None) -> RoundPlan:
    if mode not in MODES:
        known = ", ".join([*MODES, "review", "blitz", "testout"])
        raise RoundError(f"unknown mode {mode!r}: choose one of {known}")
    if not 1 <= size <= MAX_SIZE:
        raise RoundError(f"a round has 1 to {MAX_SIZE} questions, not {size}")
    open_sections = unlocked_sections(bank, progress)
    if section is not None and section != ALL_SECTIONS:
        chosen = bank.section(section)
        if chosen is None:
            known = ", ".join(s.id for s in bank.sections)
            raise RoundError(f"unknown section {section!r}: choose one of {known}")
        if chosen not in open_sections:
            raise RoundError(f"section {section!r} is locked: master the sections before it first")
        pool = list(chosen.questions)
    else:
        section = ALL_SECTIONS
        pool = [q for s in open_sections for q in s.questions]

    rng = random.Random(f"{seed}:round") if seed is not None else random.Random()
    item_seed = seed if seed is not None else rng.getrandbits(48)
    focus: tuple[str, ...] = ()
    if mode == "weak":
        questions, focus = weak_selection(bank, progress, pool, size, rng, now)
        items = [_item(q, "recall" if q.id in progress.questions else "mc", bank, item_seed) for q in questions]
    else:
        items = [_item(q, mode, bank, item_seed) for q in _sample(pool, progress, size, rng)]
    round_id = f"{rng.getrandbits(64):016x}"
    return RoundPlan(round_id, mode, section, tuple(items), tuple(focus))


def _sample(pool: list[Question], progress: Progress, size: int, rng: random.Random) -> list[Question]:
    """A random draw leaning towards questions seen less often, never two that overlap."""
    def weight(q: Question) -> float:
        stat = progress.questions.get(q.id)
        return rng.random() ** (1.0 + (stat.attempts if stat else 0))

    picked: list[Question] = []
    taken: set[str] = set()
    for q in sorted(pool, key=weight, reverse=True):
        if q.id not in taken:
            picked.append(q)
            taken.add(q.id)
            taken.update(q.overlaps)
        if len(picked) == size:
            break
    return picked


def _item(question: Question, kind: str, bank: Bank, seed: int | str) -> Item:
    if kind == "mc":
        return Item(question, kind, choice=multiple_choice(question, bank, seed))
    if kind == "cloze":
        return Item(question, kind, cloze=cloze(question, bank, seed))
    return Item(question, kind)


def cloze(question: Question, bank: Bank, seed: int | str | None = None) -> Cloze:
    """Blank one key term of the reference answer; offer it among terms of the same topic."""
    rng = item_rng(seed, question, "cloze")
    term, accepted = _blank_term(question)
    pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
    match = pattern.search(question.answer)
    shown = match.group(0) if match else term
    text = pattern.sub(BLANK, question.answer, count=1) if match else f"{question.answer} ({BLANK})"
    wrong = _other_terms(question, bank, rng, avoid={shown.casefold(), *(a.casefold() for a in accepted)})
    correct = rng.randrange(len(wrong) + 1)
    choices = wrong[:correct] + [shown] + wrong[correct:]
    return Cloze(text, shown, tuple(dict.fromkeys([shown, *accepted])), choices, correct)


@lru_cache(maxsize=4096)
def _blank_term(question: Question) -> tuple[str, tuple[str, ...]]:
    """The most telling key term that the answer spells out, and its synonyms."""
    from quizgame.core.text import content_words

    prompt = content_words(question.prompt)
    answer = question.answer.casefold()
    best: tuple[tuple[int, int], str, tuple[str, ...]] | None = None
    for idea in question.ideas:
        for term in idea.terms:
            if not content_words(term) - prompt:
                continue
            if not re.search(rf"(?<!\w){re.escape(term.casefold())}(?!\w)", answer):
                continue
            rank = (idea.required, len(term))
            if best is None or rank > best[0]:
                best = (rank, term, idea.terms)
    if best:
        return best[1], best[2]
    words = re.findall(r"[A-Za-z][\w-]{4,}", question.answer)
    fresh = [w for w in words if not content_words(w) & prompt] or words or [question.option]
    longest = max(fresh, key=len)
    return longest, (longest,)


def _other_terms(question: Question, bank: Bank, rng: random.Random, avoid: set[str]) -> list[str]:
    """Three blanks of other questions, same topic first, so the choices look alike."""
    neighbours = [q for t in question.topics for q in bank.with_topic(t)]
    neighbours += list(bank.section_of(question).questions)
    found: list[str] = []
    seen = set(avoid)
    for pool in (neighbours, bank.questions):
        candidates = [q for q in dict.fromkeys(pool) if q.id != question.id and q.id not in question.overlaps]
        rng.shuffle(candidates)
        for other in candidates:
            term, _ = _blank_term(other)
            if term.casefold() not in seen and term.casefold() not in question.answer.casefold():
                seen.add(term.casefold())
                found.append(term)
            if len(found) == 3:
                return found
    return found
