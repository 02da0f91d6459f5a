"""Players' flags on an item: "another option is also right" or "this question is unclear".

A flag is an event in the flagging player's log for the bank (with an id, like every
event), so it is saved as safely as an answer; the bank's author lists them with
`quizgame content flags`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FLAG = "flag"
ALSO_RIGHT, UNCLEAR = "also-right", "unclear"
REASONS: dict[str, str] = {
    ALSO_RIGHT: "another option is also right",
    UNCLEAR: "this question is unclear",
}


@dataclass(frozen=True, slots=True)
class Flag:
    id: str
    question: str
    reason: str
    at: str
    options: tuple[str, ...] = ()  # the options as the player saw them (multiple choice)
    picked: int | None = None
    player: str = ""

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, self.reason)

    def event(self) -> dict[str, Any]:
        """The event the store logs."""
        return {"type": FLAG, "id": self.id, "question": self.question, "reason": self.reason,
                "at": self.at, "options": list(self.options), "picked": self.picked}


def new_flag(question: str, reason: str, now: datetime, options: tuple[str, ...] = (),
             picked: int | None = None) -> Flag:
    if reason not in REASONS:
        raise ValueError(f"unknown flag reason {reason!r}")
    return Flag(uuid.uuid4().hex, question, reason, now.isoformat(timespec="seconds"), tuple(options), picked)


def read_flags(events: list[dict[str, Any]], player: str = "") -> list[Flag]:
    """The flags among a player's logged events; a malformed one is skipped."""
    out = []
    for event in events:
        if event.get("type") != FLAG:
            continue
        options = event.get("options")
        picked = event.get("picked")
        if not all(isinstance(event.get(k), str) for k in ("id", "question", "reason", "at")):
            continue
        out.append(Flag(event["id"], event["question"], event["reason"], event["at"],
                        tuple(str(o) for o in options) if isinstance(options, list) else (),
                        picked if isinstance(picked, int) and not isinstance(picked, bool) else None,
                        player))
    return out
