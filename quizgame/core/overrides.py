"""A player's overrides: exemplars the grader follows, and a TSV for a bank's author to review.

An override event (see RoundSession.override_event) carries its own id, the answer's id, the
question, the text the player typed and the verdict the player gave. An undo is an override
of the same answer marked "undo": it restores the grader's verdict and withdraws the exemplar.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from quizgame.core.grading import Exemplar

TSV_COLUMNS = ("bank", "question", "verdict", "grader_verdict", "at", "answer")


def live_overrides(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The override events that still stand (the latest per answer, undone ones dropped), oldest first."""
    latest: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.get("type") != "override" or not isinstance(event.get("answer"), str):
            continue
        if event.get("undo"):
            latest.pop(event["answer"], None)
        elif isinstance(event.get("text"), str) and isinstance(event.get("question"), str):
            latest.pop(event["answer"], None)
            latest[event["answer"]] = event
    return list(latest.values())


def day_label(at: str) -> str:
    """"3 May" for an ISO time; the text as given if it is not one."""
    try:
        when = datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return str(at)[:10]
    return f"{when.day} {when:%B}"


def exemplars(events: list[dict[str, Any]]) -> dict[str, list[Exemplar]]:
    """Question id -> the player's overridden answers to it, as exemplars for the grader."""
    out: dict[str, list[Exemplar]] = {}
    for event in live_overrides(events):
        out.setdefault(event["question"], []).append(
            Exemplar(event["text"], str(event.get("verdict", "")), day_label(str(event.get("at", "")))))
    return out


def _cell(value: object) -> str:
    """A TSV cell: tabs, newlines and other control characters shown as spaces."""
    return "".join(ch if ch >= " " and ch != "\x7f" else " " for ch in str(value))


def to_tsv(rows: list[tuple[str, dict[str, Any]]]) -> str:
    """(bank id, override event) rows as TSV with a header line."""
    lines = ["\t".join(TSV_COLUMNS)]
    for bank_id, event in rows:
        lines.append("\t".join(_cell(v) for v in (bank_id, event.get("question", ""), event.get("verdict", ""),
                                                   event.get("grader_verdict", ""), event.get("at", ""),
                                                   event.get("text", ""))))
    return "\n".join(lines) + "\n"
