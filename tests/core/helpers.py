"""Helpers for the engine tests: small generated banks, and events as a store would log them."""
from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from pathlib import Path


def make_question(qid: str, *, option: str | None = None, distractors: int | list[str] = 3,
                  topics: tuple[str, ...] = ("misc",), overlaps: tuple[str, ...] = (), **extra) -> dict:
    """A valid question whose option and distractors are unique to it."""
    if isinstance(distractors, int):
        distractors = [f"Wrong answer {n} to question {qid}" for n in range(1, distractors + 1)]
    return {
        "id": qid,
        "prompt": f"What is the meaning of {qid}?",
        "answer": f"The meaning of {qid} is a carefully worded reference answer about gradients.",
        "option": option or f"The right answer to question {qid}",
        "distractors": distractors,
        "topics": list(topics),
        "overlaps": list(overlaps),
        "ideas": [{"label": "gradients", "terms": ["gradient", "slope"], "required": True}],
        **extra,
    }


def write_bank(folder: Path, sections: dict[str, list[dict]]) -> Path:
    """One JSON file per section, ordered as given; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for order, (sid, questions) in enumerate(sections.items(), 1):
        doc = {"section": {"id": sid, "title": sid.title(), "order": order}, "questions": questions}
        (folder / f"{order}-{sid}.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return folder


_ids = itertools.count(1)


def answer_event(question: str, verdict: str = "correct", score: float | None = None, *, tier: int = 0,
                 at: datetime | str = "2024-05-01T09:00:00+00:00", id: str | None = None, **extra) -> dict:
    """An answer event like RoundSession.judge makes (only the fields Progress reads, plus an id)."""
    if score is None:
        score = {"correct": 1.0, "partial": 0.5, "wrong": 0.0}[verdict]
    at = at.isoformat(timespec="seconds") if isinstance(at, datetime) else at
    return {"type": "answer", "id": id or f"answer-{next(_ids)}", "question": question, "tier": tier,
            "verdict": verdict, "score": score, "at": at, **extra}


def round_event(section: str, mode: str, points: int, *, answered: int = 1, correct: int = 1,
                at: str = "2024-05-01T09:30:00+00:00") -> dict:
    return {"type": "round", "id": f"round-{next(_ids)}", "section": section, "mode": mode, "points": points,
            "answered": answered, "correct": correct, "at": at}


def master(progress, questions, at: str = "2024-05-01T09:00:00+00:00") -> None:
    """Master each question: recalled by typing, then again three days later (FSRS stability
    2.3 days after the first recall, about 12 after the second)."""
    later = (datetime.fromisoformat(at) + timedelta(days=3)).isoformat(timespec="seconds")
    for when in (at, later):
        for q in questions:
            progress.apply(answer_event(q.id if hasattr(q, "id") else q, at=when, kind="recall", seconds=30.0))
