"""Sections of an imported bank: the file's own, when they already suit a new player."""
from __future__ import annotations

from quizgame.core.importers.records import Record
from quizgame.core.importers.sections import plan_sections


def _records(sizes: dict[str, int]) -> list[Record]:
    return [Record(f"{title} question {i}?", "an answer", None, section=title)
            for title, size in sizes.items() for i in range(size)]


def test_a_few_sections_of_good_size_are_kept_as_the_file_has_them():
    # The seed list's layout: four headed sections of 20, 15, 18 and 12 questions.
    sizes = {"Technical Foundation": 20, "Reinforcement Learning": 15, "Large Language Models": 18,
             "LLM System Design": 12}
    plan = plan_sections(_records(sizes))
    assert [(title, len(members)) for title, members in plan] == list(sizes.items())


def test_many_small_headings_are_grouped_and_a_quarter_is_open():
    sizes = {f"Heading {k}": 4 for k in range(19)}  # 19 headings of 4: never 18 locked sections
    plan = plan_sections(_records(sizes))
    assert 2 <= len(plan) <= 4
    assert len(plan[0][1]) >= 76 / 4 and len(plan[0][1]) >= 10


def test_a_first_heading_too_small_to_open_is_not_kept():
    sizes = {"Intro": 5, "Core": 30, "Advanced": 30}
    plan = plan_sections(_records(sizes))
    assert len(plan[0][1]) >= 17  # a quarter of 65, rounded up
