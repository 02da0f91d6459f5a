"""Sections for an imported bank, so that a new player can play at once and the rest unlocks.

Where the file marks difficulty (👶 ⭐️ 🚀, [E]/[M]/[H], Anki tags such as difficulty::hard, a
difficulty column), sections follow it, easiest first. Otherwise the file's order is cut into
a first section of at least a quarter of the bank and a few later ones, at heading (or deck)
boundaries where one is near. Either way the first section holds at least a full round, and
headings stay topics, so weak-topic practice still works on them.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from quizgame.core.importers.records import Record

ROUND_SIZE = 10          # `quizgame play` deals 10 questions by default: a new player's first round is full
OPEN_SHARE = 0.25        # at least this share of the bank is open to a new player
LATER_SECTIONS = 3       # at most this many sections unlock after the first
SNAP = 0.25              # a cut moves to a heading boundary up to this share of a section away
LEVEL_TITLES = {1: "Easy", 2: "Easier", 3: "Medium", 4: "Harder", 5: "Hard"}
DEFAULT_LEVEL = 3        # an unmarked question in a file with marks counts as medium


def plan_sections(records: Sequence[Record]) -> list[tuple[str, list[int]]]:
    """(title, indices of records) per section, in unlock order."""
    n = len(records)
    if n == 0:
        return []
    first_size = min(n, max(math.ceil(n * OPEN_SHARE), ROUND_SIZE))
    if any(r.marked for r in records):
        return _by_difficulty(records, first_size)
    return _by_order(records, first_size)


def _by_difficulty(records: Sequence[Record], first_size: int) -> list[tuple[str, list[int]]]:
    levels: dict[int, list[int]] = {}
    for i, record in enumerate(records):
        level = record.difficulty if record.marked and record.difficulty in LEVEL_TITLES else DEFAULT_LEVEL
        levels.setdefault(level, []).append(i)
    groups = [(level, level, levels[level]) for level in sorted(levels)]
    # The first section takes easier levels until it holds enough; a tiny last level joins the one before.
    while len(groups) > 1 and len(groups[0][2]) < first_size:
        (lo, _, a), (_, hi, b) = groups[0], groups[1]
        groups[:2] = [(lo, hi, sorted(a + b))]
    if len(groups) > 1 and len(groups[-1][2]) < ROUND_SIZE // 2:
        (lo, _, a), (_, hi, b) = groups[-2], groups[-1]
        groups[-2:] = [(lo, hi, sorted(a + b))]
    if len(groups) == 1:
        return [("", groups[0][2])]
    return [(LEVEL_TITLES[lo] if lo == hi else f"{LEVEL_TITLES[lo]} to {LEVEL_TITLES[hi].lower()}", members)
            for lo, hi, members in groups]


def _by_order(records: Sequence[Record], first_size: int) -> list[tuple[str, list[int]]]:
    n = len(records)
    boundaries = {i for i in range(1, n) if records[i].section != records[i - 1].section}
    own = _own_sections(records, boundaries, first_size)
    if own is not None:
        return own
    cuts = [0, _snap(first_size, boundaries, first_size, n, minimum=first_size)]
    rest = n - cuts[1]
    if rest < max(ROUND_SIZE // 2, cuts[1] // 2):
        cuts = [0]
    else:
        later = max(1, min(LATER_SECTIONS, round(rest / cuts[1])))
        size = rest / later
        for k in range(1, later):
            cut = _snap(cuts[1] + round(k * size), boundaries, size, n)
            if cuts[-1] < cut < n:
                cuts.append(cut)
    cuts.append(n)
    spans = [list(range(a, b)) for a, b in pairwise(cuts) if b > a]
    titles = [_title(records, span, k, len(spans)) for k, span in enumerate(spans, 1)]
    return [(f"{title}, part {k}" if titles.count(title) > 1 else title, span)
            for k, (title, span) in enumerate(zip(titles, spans), 1)]


def _own_sections(records: Sequence[Record], boundaries: set[int],
                  first_size: int) -> list[tuple[str, list[int]]] | None:
    """The file's own sections, when they already fit: a handful of them, the first open enough
    for a new player and none shorter than half a round (the seed list's four, say)."""
    cuts = [0, *sorted(boundaries), len(records)]
    spans = [list(range(a, b)) for a, b in pairwise(cuts)]
    titles = [records[span[0]].section or "" for span in spans]
    if (not 1 < len(spans) <= LATER_SECTIONS + 1 or len(spans[0]) < first_size
            or any(len(span) < ROUND_SIZE // 2 for span in spans) or not all(titles)
            or len(set(titles)) < len(titles)):
        return None
    return list(zip(titles, spans))


def _snap(cut: int, boundaries: set[int], size: float, n: int, minimum: int = 1) -> int:
    """The heading boundary nearest to `cut`, not before `minimum`, if near enough."""
    reach = max(1, int(size * SNAP))
    near = [b for b in boundaries if abs(b - cut) <= reach and b >= minimum]
    if near:
        return min(near, key=lambda b: (abs(b - cut), b))
    return min(cut, n)


def _title(records: Sequence[Record], span: list[int], k: int, total: int) -> str:
    if total == 1:
        return ""
    names = list(dict.fromkeys(s for s in (records[i].section for i in span) if s))
    if not names:
        return f"Part {k} of {total}"
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} to {names[-1]}"
