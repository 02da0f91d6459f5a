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
    before: str = ""     # the word just before the blank, and just after it: "raw" typed
    after: str = ""      # before "inputs" is "raw inputs"


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

    @property
    def filed(self) -> str:
        """The section the round is filed under: the one its questions all came from, even when
        drawn from every unlocked section, else the section asked for ("all")."""
        sections = {item.question.section for item in self.items}
        return sections.pop() if len(sections) == 1 else self.section


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
        questions, weakest = weak_selection(bank, progress, pool, size, rng, now)
        focus = tuple(weakest)
        items = [make_item(q, "recall" if q.id in progress.questions else "mc", bank, item_seed) for q in questions]
    else:
        items = [make_item(q, mode, bank, item_seed) for q in _sample(pool, progress, size, rng)]
    round_id = f"{rng.getrandbits(64):016x}"
    return RoundPlan(round_id, mode, section, tuple(items), tuple(focus))


def _sample(pool: list[Question], progress: Progress, size: int, rng: random.Random) -> list[Question]:
    """A random draw leaning towards questions seen less often, never two that overlap."""
    def weight(q: Question) -> float:
        stat = progress.questions.get(q.id)
        return float(rng.random() ** (1.0 + (stat.attempts if stat else 0)))

    # The questions of the last round come back only when nothing else is left: a question
    # just asked as multiple choice is not asked again as recall straight away.
    answered = sorted(((stat.last_at, qid) for qid, stat in progress.questions.items() if stat.last_at),
                      reverse=True)
    recent = {qid for _, qid in answered[:size]}
    picked: list[Question] = []
    taken: set[str] = set()
    for q in sorted(pool, key=lambda q: (q.id not in recent, weight(q)), reverse=True):
        if q.id not in taken:
            picked.append(q)
            taken.add(q.id)
            taken.update(q.overlaps)
        if len(picked) == size:
            break
    return picked


def make_item(question: Question, kind: str, bank: Bank, seed: int | str) -> Item:
    if kind == "mc":
        return Item(question, kind, choice=multiple_choice(question, bank, seed))
    if kind == "cloze":
        return Item(question, kind, cloze=cloze(question, bank, seed))
    return Item(question, kind)


def cloze(question: Question, bank: Bank, seed: int | str | None = None) -> Cloze:
    """Blank one key term of the reference answer; offer it among terms of the same shape.

    The term is drawn from the question's eligible terms (see _candidates), so replays blank
    different terms; every option is shown in the same case, so none stands out by its capitals.
    """
    rng = item_rng(seed, question, "cloze")
    candidates = _candidates(question)
    if candidates:
        # Longer terms say more than short ones ("distribution shift" over "first").
        weights = [(REQUIRED_WEIGHT if c.required else 1) * min(len(c.shown), 20) for c in candidates]
        chosen = rng.choices(candidates, weights=weights)[0]
        shown, accepted, start, end = chosen.shown, chosen.accepted, chosen.start, chosen.end
        text = question.answer[:start] + BLANK + question.answer[end:]
    else:
        shown, accepted = _fallback_term(question)
        match = re.search(rf"(?<!\w){re.escape(shown)}(?!\w)", question.answer)
        if match:
            start, end = match.span()
            text = question.answer[:start] + BLANK + question.answer[end:]
        else:
            start = end = len(question.answer)
            text = f"{question.answer} ({BLANK})"
    before = _words(question.answer[:start])[-1:]
    after = _words(question.answer[end:])[:1]
    wrong = _other_terms(question, bank, rng, shown, avoid={shown.casefold(), *(a.casefold() for a in accepted)})
    correct = rng.randrange(len(wrong) + 1)
    choices = [_plain_case(c) for c in wrong[:correct] + [shown] + wrong[correct:]]
    return Cloze(text, shown, tuple(dict.fromkeys([shown, *accepted])), choices, correct,
                 before=" ".join(before), after=" ".join(after))


REQUIRED_WEIGHT = 3   # a required idea's term is blanked three times as often as another's
MAX_TERM_WORDS = 4    # longer terms read as clauses, not terms


@dataclass(frozen=True, slots=True)
class _Candidate:
    shown: str                  # as the answer writes it
    accepted: tuple[str, ...]   # the idea's terms
    required: bool
    start: int
    end: int


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", text)


def _plain_case(term: str) -> str:
    """"Exploration is risky" -> "exploration is risky"; "LoRA", "RLHF" and "Q-learning" keep theirs."""
    first = term.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower() and first.isalpha():
        return term[0].lower() + term[1:]
    return term


@lru_cache(maxsize=4096)
def _candidates(question: Question) -> tuple[_Candidate, ...]:
    """Key terms fit to blank: written once in the answer, none of their words elsewhere in the
    answer or in the question, whole terms rather than fragments ("fine-tune on")."""
    from quizgame.core.text import STOPWORDS, content_stems

    prompt_stems = {s for _, s in content_stems(question.prompt)}
    answer = question.answer
    found: dict[str, _Candidate] = {}
    for idea in question.ideas:
        for term in idea.terms:
            words = _words(term)
            if not words or len(words) > MAX_TERM_WORDS:
                continue
            if words[0].casefold() in STOPWORDS or words[-1].casefold() in STOPWORDS:
                continue  # a fragment such as "fine-tune on" or "from the output back"
            if not any(len(w) >= 3 and w.isalpha() for w in words):
                continue  # "A and B": nothing to recall
            matches = list(re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", answer, re.IGNORECASE))
            if len(matches) != 1:
                continue
            stems = {s for _, s in content_stems(term)}
            if not stems or stems & prompt_stems:
                continue
            start, end = matches[0].span()
            rest = {s for _, s in content_stems(answer[:start] + " " + answer[end:])}
            if stems & rest:
                continue  # the passage would give the blank away
            shown = matches[0].group(0)
            found.setdefault(shown.casefold(), _Candidate(shown, idea.terms, idea.required, start, end))
    return tuple(found.values())


@lru_cache(maxsize=4096)
def _fallback_term(question: Question) -> tuple[str, tuple[str, ...]]:
    """A long word of the answer not in the question, for answers without an eligible key term."""
    from quizgame.core.text import content_words

    prompt = content_words(question.prompt)
    words = re.findall(r"[A-Za-z][\w-]{4,}", question.answer)
    fresh = [w for w in words if not content_words(w) & prompt] or words or [question.option]
    longest = max(fresh, key=len)
    return longest, (longest,)


def _shape(term: str) -> tuple[int, bool, bool]:
    """What a distractor must share with the term to fit the same sentence: its number of
    words, a plural last word, a final -ing."""
    words = _words(term.casefold())
    last = words[-1] if words else ""
    return len(words), last.endswith("s") and not last.endswith("ss"), last.endswith("ing")


def _distance(a: tuple[int, bool, bool], b: tuple[int, bool, bool]) -> int:
    return 2 * abs(a[0] - b[0]) + (a[1] != b[1]) + (a[2] != b[2])


def _other_terms(question: Question, bank: Bank, rng: random.Random, shown: str, avoid: set[str]) -> list[str]:
    """Three terms of other questions, same topic first, that fit the blank's grammar."""
    want = _shape(shown)
    neighbours = [q for t in question.topics for q in bank.with_topic(t)]
    neighbours += list(bank.section_of(question).questions)
    answer = question.answer.casefold()
    found: list[str] = []
    seen = set(avoid)
    for pool in (neighbours, bank.questions):
        others = [q for q in dict.fromkeys(pool) if q.id != question.id and q.id not in question.overlaps]
        terms = [c.shown for q in others for c in _candidates(q)] or [_fallback_term(q)[0] for q in others]
        rng.shuffle(terms)
        terms.sort(key=lambda t: _distance(_shape(t), want))  # stable: shuffled within a distance
        for term in terms:
            key = term.casefold()
            if key in seen or key in answer:
                continue
            if pool is neighbours and _distance(_shape(term), want) > 1:
                break  # look for a better fit in the whole bank first
            seen.add(key)
            found.append(term)
            if len(found) == 3:
                return found
    return found
