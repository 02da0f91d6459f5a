"""Can a multiple-choice item be answered from the shape of its options alone?

Blind guessers that never see which option is right play every question's item over
many seeds. If one of them does much better than chance (25%), the options give the
answer away, and the report lists the items to rewrite.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from quizgame.core.choices import MultipleChoice, multiple_choice
from quizgame.core.model import Bank
from quizgame.core.text import content_words

TARGET = 0.35
POSITION_TOLERANCE = 0.05
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b")
_SYMBOLIC = re.compile(r"[\d√∑ΣσαβγλθπQKVᵀ/^=()]|\w+-\w+")


def _technical_terms(option: str) -> int:
    """Acronyms, formulas and numbers, compounds, and long words."""
    words = option.split()
    return (len(_ACRONYM.findall(option)) + len(_SYMBOLIC.findall(option))
            + sum(len(w.strip(".,;:()")) >= 10 for w in words))


def _longest(item: MultipleChoice) -> list[float]:
    return [len(o) for o in item.options]


def _shortest(item: MultipleChoice) -> list[float]:
    return [-len(o) for o in item.options]


def _prompt_overlap(item: MultipleChoice) -> list[float]:
    prompt = content_words(item.question.prompt)
    return [len(content_words(o) & prompt) for o in item.options]


def _convergence(item: MultipleChoice) -> list[float]:
    words = [content_words(o) for o in item.options]
    return [sum(len(w & other) for j, other in enumerate(words) if j != i) for i, w in enumerate(words)]


def _jargon(item: MultipleChoice) -> list[float]:
    return [_technical_terms(o) for o in item.options]


GUESSERS: dict[str, Callable[[MultipleChoice], list[float]]] = {
    "longest option": _longest,
    "shortest option": _shortest,
    "most words shared with the question": _prompt_overlap,
    "most words shared with the other options": _convergence,
    "most technical terms": _jargon,
}


@dataclass
class AuditReport:
    bank: str
    items: int
    accuracy: dict[str, float]
    positions: list[float]
    worst: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        chance = 1 / len(self.positions) if self.positions else 0.25
        return (all(a <= TARGET for a in self.accuracy.values())
                and all(abs(p - chance) <= POSITION_TOLERANCE for p in self.positions))


def audit(bank: Bank, seeds: int = 20, worst: int = 5) -> AuditReport:
    """Play every question's item over `seeds` seeds with each guesser.

    A guesser that ties between k options is credited 1/k when the right one is among them,
    which is what a random tie-break earns on average.
    """
    credit = {name: 0.0 for name in GUESSERS}
    per_question: dict[str, Counter] = {name: Counter() for name in GUESSERS}
    positions: Counter = Counter()
    items = 0
    width = 4
    for question in bank.questions:
        for seed in range(seeds):
            item = multiple_choice(question, bank, seed=seed)
            width = len(item.options)
            items += 1
            positions[item.correct] += 1
            for name, guesser in GUESSERS.items():
                scores = guesser(item)
                top = max(scores)
                tied = [i for i, s in enumerate(scores) if s == top]
                if item.correct in tied:
                    credit[name] += 1 / len(tied)
                    per_question[name][question.id] += 1 / len(tied)
    accuracy = {name: credit[name] / items if items else 0.0 for name in GUESSERS}
    shares = [positions[i] / items if items else 0.0 for i in range(width)]
    worst_items = {
        name: [(qid, hits / seeds) for qid, hits in per_question[name].most_common(worst) if hits / seeds > 0.5]
        for name in GUESSERS
    }
    return AuditReport(bank.id, items, accuracy, shares, worst_items)


def format_report(report: AuditReport) -> str:
    lines = [f"Audit of {report.bank}: {report.items} items (every question × seeds); chance is 25%, "
             f"target at most {TARGET:.0%}", ""]
    for name, accuracy in report.accuracy.items():
        flag = "ok" if accuracy <= TARGET else "TOO HIGH"
        lines.append(f"  {name:<44} {accuracy:6.1%}  {flag}")
    lines.append("")
    lines.append("  right answer's position: " + "  ".join(
        f"{i + 1}: {share:.1%}" for i, share in enumerate(report.positions)))
    flagged = {name: items for name, items in report.worst.items() if items}
    if flagged:
        lines.append("")
        lines.append("Items a guesser gets right more often than not (rewrite their options):")
        for name, items in flagged.items():
            lines.append(f"  {name}: " + ", ".join(f"{qid} ({rate:.0%})" for qid, rate in items))
    lines.append("")
    lines.append("PASS" if report.passed else "FAIL: some options give the answer away")
    return "\n".join(lines)
