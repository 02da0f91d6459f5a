"""Grade a typed answer against a question's key ideas, the way an interviewer would.

An idea is covered when one of its terms appears in the answer: all of the term's words,
close together, in any order, stemmed, with typos tolerated. Words the prompt already
contains earn nothing, and misconceptions, evasions and keyword dumps are caught.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quizgame.core.model import Question
from quizgame.core.text import NEGATIONS, STOPWORDS, content_stems, content_words_raw, raw_tokens, similar

CORRECT, PARTIAL, WRONG = "correct", "partial", "wrong"
VERDICTS = (CORRECT, PARTIAL, WRONG)

_EVASION = re.compile(
    r"\b(idk|dunno|no idea|no clue|not sure|i don'?t know|i do not know|can'?t remember|i forget"
    r"|something (about|with|like|to do with)|or something|stuff like that|i guess|i think maybe)\b",
    re.IGNORECASE,
)
# Full credit without every required idea: an answer covering this much of the weighted
# ideas (required ones count double) is what an interviewer accepts despite an omission.
ACCEPT_COVERAGE = 0.7


@dataclass(frozen=True, slots=True)
class Grade:
    verdict: str
    score: float
    matched: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Term:
    words: tuple[tuple[str, str], ...]  # (stem, word) pairs that must all appear, prompt words removed


@dataclass(frozen=True, slots=True)
class _Compiled:
    prompt: frozenset[str]
    ideas: tuple[tuple[str, bool, tuple[_Term, ...]], ...]
    misconceptions: tuple[tuple[str, _Term], ...]
    vocabulary: frozenset[str]


@lru_cache(maxsize=4096)
def _compile(question: Question) -> _Compiled:
    prompt = frozenset(s for _, s in content_stems(question.prompt))
    ideas = []
    vocabulary = set()
    for idea in question.ideas:
        terms = []
        for term in idea.terms:
            words = _term_words(term, prompt)
            if words:
                terms.append(_Term(words))
                vocabulary.update(s for s, _ in words)
        ideas.append((idea.label, idea.required, tuple(terms)))
    misconceptions = tuple(
        (phrase, _Term(_term_words(phrase, frozenset()))) for phrase in question.misconceptions
    )
    for text in (question.answer, question.option):
        vocabulary.update(s for _, s in content_stems(text))
    return _Compiled(prompt, tuple(ideas), misconceptions, frozenset(vocabulary - prompt))


def _term_words(term: str, drop: frozenset[str]) -> tuple[tuple[str, str], ...]:
    unique = {s: w for _, s, w in content_words_raw(term) if s not in drop}
    return tuple(unique.items())


class _Answer:
    """A typed answer indexed by stem, for term look-ups."""

    def __init__(self, text: str, drop: frozenset[str]):
        self.raw = raw_tokens(text)
        self.positions: dict[str, list[int]] = {}
        self.spelling: dict[str, str] = {}
        for position, s, word in content_words_raw(text):
            if s not in drop:
                self.positions.setdefault(s, []).append(position)
                self.spelling.setdefault(s, word)

    def find(self, stem: str, word: str) -> list[int]:
        exact = self.positions.get(stem)
        if exact is not None or stem[0].isdigit():
            return exact or []
        found: list[int] = []
        for candidate, positions in self.positions.items():
            if not candidate[0].isdigit() and similar(stem, word, candidate, self.spelling[candidate]):
                found.extend(positions)
        return found

    def match(self, term: _Term) -> int | None:
        """First position where all the term's words stand within a short window, else None."""
        hits = [self.find(s, w) for s, w in term.words]
        if not all(hits):
            return None
        window = 3 + 2 * len(term.words)
        for start in sorted(hits[0]):
            if all(any(abs(p - start) <= window for p in h) for h in hits[1:]):
                return start
        return None

    def negated(self, position: int) -> bool:
        return any(t in NEGATIONS for t in self.raw[max(0, position - 3):position])


def grade(question: Question, text: str) -> Grade:
    """Grade `text` as an answer to `question`: verdict, score in [0, 1], ideas matched and missed."""
    compiled = _compile(question)
    answer = _Answer(text, compiled.prompt)
    everything = _Answer(text, frozenset())

    matched, missed = [], []
    required_total = required_hit = optional_total = optional_hit = 0
    for label, required, terms in compiled.ideas:
        hit = any(answer.match(t) is not None for t in terms)
        (matched if hit else missed).append(label)
        if required:
            required_total += 1
            required_hit += hit
        else:
            optional_total += 1
            optional_hit += hit

    remarks = []
    for phrase, term in compiled.misconceptions:
        position = everything.match(term)
        if position is not None and not everything.negated(position):
            remarks.append(f"“{phrase}” is a common misconception")
    words = [s for positions in answer.positions.values() for s in positions]
    if not words:
        remarks.append("the answer only repeats the question's words")
    if _EVASION.search(text):
        remarks.append("the answer hedges instead of stating a point")
    if _keyword_dump(text, answer, compiled.vocabulary):
        remarks.append("the answer lists keywords without saying how they fit")

    all_required = required_hit == required_total
    total = 2 * required_total + optional_total
    coverage = (2 * required_hit + optional_hit) / total if total else 0.0
    if (all_required or (required_hit and coverage >= ACCEPT_COVERAGE)) and not remarks:
        return Grade(CORRECT, 1.0, tuple(matched), tuple(missed), ())
    # A misconception, an evasion or a keyword dump voids an incomplete answer; a complete
    # one that also states a misconception is only partly right.
    substantial = all_required or (not remarks and (required_hit > 0 or optional_hit >= 2))
    if substantial:
        score = 0.25 + 0.5 * coverage
        return Grade(PARTIAL, round(min(score, 0.75), 2), tuple(matched), tuple(missed), tuple(remarks))
    return Grade(WRONG, 0.0, tuple(matched), tuple(missed), tuple(remarks))


def _keyword_dump(text: str, answer: _Answer, vocabulary: frozenset[str]) -> bool:
    """Many terms, hardly any grammar, and mostly words this question's answer never uses."""
    tokens = raw_tokens(text)
    content = [s for s, ps in answer.positions.items() for _ in ps]
    if len(content) < 5:
        return False
    glue = sum(t in STOPWORDS for t in tokens) / len(tokens)
    relevant = sum(s in vocabulary for s in content) / len(content)
    return glue < 0.12 and relevant < 0.5

