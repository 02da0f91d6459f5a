"""The store's interface: players, and each player's progress per bank, kept by events.

Every change is an event (an answer, an override, a finished round). A store appends the
event to the player's log and updates the player's progress snapshot, both under one lock,
re-reading the snapshot first, so two game processes never lose each other's updates.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from quizgame.core.players import InvalidName, check_name, same_name
from quizgame.core.progress import Outcome, Progress, RoundOutcome


class PlayerExists(InvalidName):
    pass


class UnknownPlayer(LookupError):
    pass


class Store(ABC):
    """Saves for every player on this machine. Subclasses provide storage and locking."""

    def __init__(self) -> None:
        self.warnings: list[str] = []  # damage found and set aside on open, for the player to see

    # -- players ------------------------------------------------------------------

    @abstractmethod
    def players(self) -> list[str]:
        """Every player's name, in the order they joined."""

    def find_player(self, name: str) -> str | None:
        name = name.strip()  # as add_player does: " Ana " is Ana, not a new player who cannot be added
        return next((p for p in self.players() if same_name(p, name)), None)

    def add_player(self, name: str) -> str:
        name = check_name(name)
        with self._locked():
            if self.find_player(name) is not None:
                raise PlayerExists(f"There is already a player called {self.find_player(name)}.")
            self._add_player(name)
        return name

    def player(self, name: str) -> str:
        found = self.find_player(name)
        if found is None:
            raise UnknownPlayer(f"No player called {name!r}.")
        return found

    # -- progress -----------------------------------------------------------------

    def progress(self, player: str, bank_id: str) -> Progress:
        return self._load(self.player(player), bank_id)

    def everyone(self, bank_id: str) -> dict[str, Progress]:
        return {p: self._load(p, bank_id) for p in self.players()}

    def record_answer(self, player: str, bank_id: str, event: dict) -> tuple[Progress, Outcome]:
        return self._record(player, bank_id, event)

    def record_override(self, player: str, bank_id: str, event: dict) -> tuple[Progress, Outcome]:
        return self._record(player, bank_id, event)

    def record_round(self, player: str, bank_id: str, event: dict) -> tuple[Progress, RoundOutcome]:
        return self._record(player, bank_id, event)

    def _record(self, player: str, bank_id: str, event: dict):
        player = self.player(player)
        with self._locked():
            progress = self._load(player, bank_id)
            result = progress.apply(event)  # raises EventError before anything is written
            self._append(player, bank_id, {**event, "seq": progress.applied, **_earned(result)})
            self._save(player, bank_id, progress)
        return progress, result

    # -- what a backend provides --------------------------------------------------------

    def _locked(self) -> AbstractContextManager:
        return nullcontext()

    @abstractmethod
    def _add_player(self, name: str) -> None: ...

    @abstractmethod
    def _load(self, player: str, bank_id: str) -> Progress:
        """The player's latest progress, with any logged event the snapshot missed replayed."""

    @abstractmethod
    def _append(self, player: str, bank_id: str, event: dict) -> None:
        """Add an event to the player's log (before the snapshot is saved)."""

    @abstractmethod
    def _save(self, player: str, bank_id: str, progress: Progress) -> None: ...

    @abstractmethod
    def history(self, player: str, bank_id: str) -> list[dict]:
        """Every logged event, oldest first."""

    def events_after(self, player: str, bank_id: str, after: int) -> list[dict[str, Any]]:
        """Logged events numbered above `after`, oldest first (the live leaderboard reads only new ones)."""
        return [e for e in self.history(player, bank_id) if isinstance(e.get("seq"), int) and e["seq"] > after]

    def change_stamp(self) -> object:
        """A value that changes whenever a player is added or any progress is saved, by any process.

        Cheap enough to call twice a second: the live leaderboard watches it. A store that
        cannot tell cheaply answers "changed" every time, and the board simply re-reads.
        """
        return object()


def _earned(result: Outcome | RoundOutcome) -> dict:
    return {"points": result.points} if isinstance(result, Outcome) else {}


class MemoryStore(Store):
    """A store that keeps everything in memory: the test double for screens and flows."""

    def __init__(self) -> None:
        super().__init__()
        self._players: list[str] = []
        self._snapshots: dict[tuple[str, str], dict] = {}
        self._logs: dict[tuple[str, str], list[dict]] = {}

    def players(self) -> list[str]:
        return list(self._players)

    def _add_player(self, name: str) -> None:
        self._players.append(name)

    def _load(self, player: str, bank_id: str) -> Progress:
        return Progress.from_dict(self._snapshots.get((player, bank_id), {}))

    def _append(self, player: str, bank_id: str, event: dict) -> None:
        self._logs.setdefault((player, bank_id), []).append(dict(event))

    def _save(self, player: str, bank_id: str, progress: Progress) -> None:
        self._snapshots[(player, bank_id)] = progress.to_dict()

    def change_stamp(self) -> object:
        return len(self._players), sum(len(log) for log in self._logs.values())

    def history(self, player: str, bank_id: str) -> list[dict]:
        return list(self._logs.get((self.player(player), bank_id), []))
