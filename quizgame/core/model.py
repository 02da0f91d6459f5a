"""The question bank as immutable values: banks hold sections, sections hold questions."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CORRECT, PARTIAL, WRONG = "correct", "partial", "wrong"
VERDICTS = (CORRECT, PARTIAL, WRONG)


@dataclass(frozen=True, slots=True)
class Idea:
    """A key idea a typed answer is graded on; it matches when any of its terms does."""

    label: str
    terms: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    section: str
    prompt: str
    answer: str
    option: str
    distractors: tuple[str, ...]
    topics: tuple[str, ...]
    ideas: tuple[Idea, ...]
    difficulty: int = 3
    overlaps: frozenset[str] = frozenset()
    misconceptions: tuple[str, ...] = ()
    note: str = ""

    def __hash__(self) -> int:
        # Questions key lru_caches (the generated options): hashing every field, ideas and
        # terms included, took a 30,000-question deck's first round seconds. Equal questions
        # have equal ids, sections and prompts, so this agrees with ==.
        return hash((self.id, self.section, self.prompt))


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    order: int
    questions: tuple[Question, ...]
    tier: int = 0  # position in the bank's difficulty order, 0 = easiest
    short: str = ""  # a short label for narrow tables; the title when not given

    @property
    def label(self) -> str:
        return self.short or self.title


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    sections: tuple[Section, ...]
    source: Path | None = None
    questions: tuple[Question, ...] = field(init=False)
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)
    _sections: dict[str, Section] = field(init=False, repr=False, compare=False)
    _by_topic: dict[str, tuple[Question, ...]] = field(init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        # A bank keys caches too, and its generated hash walked every question (8 million
        # hash calls for one round on a 30,000-question deck). Equal banks share these fields.
        return hash((self.id, self.title, self.source))

    def __post_init__(self) -> None:
        questions = tuple(q for s in self.sections for q in s.questions)
        by_topic: dict[str, list[Question]] = {}
        for q in questions:
            for topic in q.topics:
                by_topic.setdefault(topic, []).append(q)
        set_ = object.__setattr__
        set_(self, "questions", questions)
        set_(self, "_by_id", {q.id: q for q in questions})
        set_(self, "_sections", {s.id: s for s in self.sections})
        set_(self, "_by_topic", {t: tuple(qs) for t, qs in by_topic.items()})

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def counts(self) -> tuple[int, int]:
        """(questions, sections), which a bank from the cache knows before loading its questions."""
        return len(self.questions), len(self.sections)

    def section(self, section_id: str) -> Section | None:
        return self._sections.get(section_id)

    def section_of(self, question: Question) -> Section:
        return self._sections[question.section]

    def with_topic(self, topic: str) -> tuple[Question, ...]:
        return self._by_topic.get(topic, ())

    @property
    def topics(self) -> list[str]:
        return sorted(self._by_topic)
