"""What every reader hands over: raw questions in file order, before ids, options and ideas."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizgame.core.bank import Problem


MAX_QUESTIONS = 50_000  # the largest real Anki decks people bring (10,000–50,000 cards); bounds import time


class TooManyQuestions(Exception):
    """Raised by Parsed.add on the record past MAX_QUESTIONS: a reader stops there."""


class ImportFailed(Exception):
    """The file cannot be turned into a bank; `problems` says why (file, line, message)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(slots=True)
class Record:
    """One question as read from the file."""

    prompt: str
    answer: str
    line: int | None
    section: str | None = None          # section title; None: the file's default section
    topics: list[str] = field(default_factory=list)  # raw tags or headings, slugified later
    difficulty: int | None = None
    marked: bool = False                # the difficulty came from a mark in the file (👶, [H], difficulty::hard)


@dataclass(slots=True)
class Skip:
    """A question that was read but not imported."""

    line: int | None
    prompt: str
    reason: str


@dataclass(slots=True)
class Parsed:
    records: list[Record] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    title: str | None = None            # the document's own title, if it has one
    separator: str | None = None        # the field separator read (row formats), by name

    def add(self, prompt: str, answer: str, line: int | None, **extra: Any) -> None:
        """Keep the question if it has both a prompt and an answer, else record why not."""
        prompt, answer = prompt.strip(), answer.rstrip().lstrip("\n")  # a leading code line keeps its indent
        if not prompt and not answer:
            return
        if not prompt:
            self.skips.append(Skip(line, excerpt(answer), "no question text"))
        elif not answer:
            self.skips.append(Skip(line, excerpt(prompt), "no answer"))
        elif len(self.records) >= MAX_QUESTIONS:
            raise TooManyQuestions
        else:
            self.records.append(Record(prompt, answer, line, **extra))


def excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
