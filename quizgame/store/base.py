"""The store's interface: players, and each player's progress per bank, kept by events.

Every change is an event (an answer, an override, a finished round). A store appends the
event to the player's log and updates the player's progress snapshot, both under one lock,
first reading whatever another process changed, so two game processes never lose each
other's updates.
"""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import Any

from quizgame.core.flags import Flag, read_flags
from quizgame.core.players import InvalidName, check_name, same_name
from quizgame.core.progress import Outcome, Progress, RoundOutcome

Event = dict[str, Any]
AUTO_ID = "auto-"  # the id given to an event that came without one: its place in the log


class PlayerExists(InvalidName):
    pass


class UnknownPlayer(LookupError):
    pass


class CannotSave(OSError):
    """The saves cannot be written: a read-only folder, a newer version's files, a symlink."""


class NewerSave(CannotSave):
    """A player's saves were written by a newer quizgame: they are read by nobody, changed by nobody."""


class Store(ABC):
    """Saves for every player on this machine. Subclasses provide storage and locking."""

    def __init__(self) -> None:
        self.warnings: list[str] = []  # damage found and set aside on open, for the player to see
        # Told, from the thread that waits, when another process has held the saves' lock for a
        # few seconds; None prints to stderr (the command line). The game shows it on screen.
        self.lock_notice: Callable[[str], None] | None = None

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

    def ensure_player(self, name: str) -> str:
        """The player called `name`, created if missing: several processes may ask at once."""
        name = check_name(name)
        with self._locked():
            found = self.find_player(name)
            if found is None:
                self._add_player(name)
                found = name
        return found

    def unplayable(self, player: str) -> str | None:
        """Why this player's saves can be neither read nor written here, or None."""
        return None

    def rename_player(self, old: str, new: str) -> str:
        """Give a player a new name, keeping every save; returns the new name as stored."""
        new = check_name(new)
        with self._locked():
            old = self.player(old)
            other = self.find_player(new)
            if other is not None and not same_name(other, old):
                raise PlayerExists(f"There is already a player called {other}.")
            self._rename_player(old, new)
        return new

    def delete_player(self, name: str) -> str | None:
        """Remove a player from the game; returns where a backup of their saves was kept."""
        with self._locked():
            return self._delete_player(self.player(name))

    def player(self, name: str) -> str:
        found = self.find_player(name)
        if found is None:
            raise UnknownPlayer(f"No player called {name!r}.")
        return found

    # -- progress -----------------------------------------------------------------

    def progress(self, player: str, bank_id: str) -> Progress:
        return self._load(self.player(player), bank_id)

    def everyone(self, bank_id: str) -> dict[str, Progress]:
        """Every player's progress, but those whose saves a newer quizgame wrote."""
        found: dict[str, Progress] = {}
        for player in self.players():
            if self.unplayable(player) is None:
                try:
                    found[player] = self._load(player, bank_id)
                except NewerSave:  # found in an older log file only now
                    continue
        return found

    # The progress record_* return is the player's right after the event: read it at once (the
    # screens do). A store may keep it and change it with the next event; progress() gives one
    # that never changes.

    def record_answer(self, player: str, bank_id: str, event: Event) -> tuple[Progress, Outcome]:
        progress, result = self._record(player, bank_id, event)
        assert isinstance(result, Outcome)
        return progress, result

    def record_override(self, player: str, bank_id: str, event: Event) -> tuple[Progress, Outcome]:
        progress, result = self._record(player, bank_id, event)
        assert isinstance(result, Outcome)
        return progress, result

    def record_round(self, player: str, bank_id: str, event: Event) -> tuple[Progress, RoundOutcome]:
        progress, result = self._record(player, bank_id, event)
        assert isinstance(result, RoundOutcome)
        return progress, result

    def record_flag(self, player: str, bank_id: str, flag: Flag) -> None:
        """Log a player's flag on an item. It changes no score: the snapshot only counts it,
        so it is never replayed."""
        player = self.player(player)
        with self._locked():
            progress = self._load_for_write(player, bank_id)
            progress.applied += 1
            self._append(player, bank_id, {**flag.event(), "seq": progress.applied})
            self._save(player, bank_id, progress, touched=())

    def flags(self, bank_id: str) -> list[Flag]:
        """Every player's flags on the bank's items, oldest first."""
        found = [f for p in self.players() for f in read_flags(self.history(p, bank_id), p)]
        return sorted(found, key=lambda f: f.at)

    def overrides(self, player: str, bank_id: str) -> list[Event]:
        """The player's overrides in this bank that still stand (undone ones dropped), oldest first:
        the exemplars their later answers are graded against."""
        from quizgame.core.overrides import live_overrides

        return live_overrides(self.history(player, bank_id))

    def record_goal(self, player: str, bank_id: str, event: Event) -> Progress:
        """A change of the player's daily goal or streak display (a "goal" event)."""
        return self._record(player, bank_id, event)[0]

    def _record(self, player: str, bank_id: str, event: Event) -> tuple[Progress, Outcome | RoundOutcome | None]:
        """Log the event, then update the snapshot; once the log holds it, the event is saved.

        Every event carries an id (one is given if missing). An event whose id is already
        logged (a retry after an error that came after the write) is not counted again.
        """
        player = self.player(player)
        with self._locked():
            progress = self._load_for_write(player, bank_id)
            if not isinstance(event.get("id"), str) or not event["id"]:
                event = {**event, "id": f"{AUTO_ID}{progress.applied + 1}"}  # unique in its log
            logged = self._find_logged(player, bank_id, event["id"])
            if logged is not None:
                return progress, _outcome_of(progress, logged)
            touched = touched_by(progress, event)
            for qid in touched:  # changed in place by apply: a copy, so no progress handed out changes
                if qid in progress.questions:
                    progress.questions[qid] = replace(progress.questions[qid])
            result = progress.apply(event)  # raises EventError before anything is written
            self._append(player, bank_id, {**event, "seq": progress.applied, **_earned(result)})
            try:
                self._save(player, bank_id, progress, touched)
            except OSError:
                pass  # the log holds the event: the snapshot catches up by replay when next read
        return progress, result

    # -- what a backend provides --------------------------------------------------------

    def _locked(self) -> AbstractContextManager[None]:
        return nullcontext()

    def _find_logged(self, player: str, bank_id: str, event_id: str) -> Event | None:
        """The logged event with this id, looking back as far as a retry can come from."""
        return next((e for e in reversed(self.history(player, bank_id)) if e.get("id") == event_id), None)

    @abstractmethod
    def _add_player(self, name: str) -> None: ...

    @abstractmethod
    def _rename_player(self, old: str, new: str) -> None: ...

    @abstractmethod
    def _delete_player(self, name: str) -> str | None: ...

    @abstractmethod
    def _load(self, player: str, bank_id: str) -> Progress:
        """The player's latest progress, with any logged event the snapshot missed replayed."""

    def _load_for_write(self, player: str, bank_id: str) -> Progress:
        """The same, under the lock, for one event to change and _save to write: a store may
        hand over the progress it keeps rather than a copy."""
        return self._load(player, bank_id)

    @abstractmethod
    def _append(self, player: str, bank_id: str, event: Event) -> None:
        """Add an event to the player's log (before the snapshot is saved)."""

    @abstractmethod
    def _save(self, player: str, bank_id: str, progress: Progress, touched: Collection[str] | None = None) -> None:
        """Write the snapshot. `touched`: the only questions whose card or stat changed since the
        progress was loaded (None: any may have)."""

    @abstractmethod
    def history(self, player: str, bank_id: str) -> list[Event]:
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


def touched_by(progress: Progress, event: Event) -> tuple[str, ...]:
    """The questions whose FSRS card and stat `event` may change, applied to `progress`: the
    question an answer answers; for an override, the question of the latest answer (the one it
    judges again). Rounds, goals and flags change no question."""
    kind = event.get("type")
    if kind == "answer" and isinstance(event.get("question"), str):
        return (event["question"],)
    last = progress.last_answer
    if kind == "override" and last is not None and isinstance(last.get("question"), str):
        return (last["question"],)
    return ()


def _earned(result: Outcome | RoundOutcome | None) -> Event:
    return {"points": result.points} if isinstance(result, Outcome) else {}


def _outcome_of(progress: Progress, logged: Event) -> Outcome | RoundOutcome:
    """What an event already logged earned, told again to a retry of it."""
    if logged.get("type") == "round":
        return RoundOutcome(())
    last = progress.last_answer or {}
    answer = logged.get("answer") if logged.get("type") == "override" else logged.get("id")
    if last.get("id") == answer:
        return Outcome(last["id"], last["verdict"], last["score"], last["points"], progress.streak,
                       progress.best_streak)
    return Outcome(str(answer), str(logged.get("verdict", "")), float(logged.get("score", 0.0)),
                   int(logged.get("points", 0)), progress.streak, progress.best_streak)


class MemoryStore(Store):
    """A store that keeps everything in memory: the test double for screens and flows."""

    def __init__(self) -> None:
        super().__init__()
        self._players: list[str] = []
        self._snapshots: dict[tuple[str, str], Event] = {}
        self._logs: dict[tuple[str, str], list[Event]] = {}

    def players(self) -> list[str]:
        return list(self._players)

    def _add_player(self, name: str) -> None:
        self._players.append(name)

    def _rename_player(self, old: str, new: str) -> None:
        self._players[self._players.index(old)] = new
        self._snapshots = {(new if p == old else p, b): v for (p, b), v in self._snapshots.items()}
        self._logs = {(new if p == old else p, b): v for (p, b), v in self._logs.items()}

    def _delete_player(self, name: str) -> str | None:
        self._players.remove(name)
        self._snapshots = {key: v for key, v in self._snapshots.items() if key[0] != name}
        self._logs = {key: v for key, v in self._logs.items() if key[0] != name}
        return None  # nothing on disk to keep

    def _load(self, player: str, bank_id: str) -> Progress:
        return Progress.from_dict(self._snapshots.get((player, bank_id), {}))

    def _append(self, player: str, bank_id: str, event: Event) -> None:
        self._logs.setdefault((player, bank_id), []).append(dict(event))

    def _save(self, player: str, bank_id: str, progress: Progress, touched: Collection[str] | None = None) -> None:
        # Through JSON, as on disk: the snapshot shares nothing with the live progress.
        self._snapshots[(player, bank_id)] = json.loads(json.dumps(progress.to_dict()))

    def change_stamp(self) -> object:
        return len(self._players), sum(len(log) for log in self._logs.values())

    def history(self, player: str, bank_id: str) -> list[Event]:
        return list(self._logs.get((self.player(player), bank_id), []))


class UnsavedStore(MemoryStore):
    """Play on top of saves that cannot be written: they are read, new progress stays in memory.

    For a player who agreed to play without saving (a read-only save folder).
    """

    def __init__(self, saved: Store) -> None:
        super().__init__()
        self.saved = saved
        self.warnings = saved.warnings

    def players(self) -> list[str]:
        return self.saved.players() + [p for p in self._players if self.saved.find_player(p) is None]

    def unplayable(self, player: str) -> str | None:
        return self.saved.unplayable(player) if self.saved.find_player(player) else None

    def _load(self, player: str, bank_id: str) -> Progress:
        if (player, bank_id) in self._snapshots or self.saved.find_player(player) is None:
            return super()._load(player, bank_id)
        return self.saved.progress(player, bank_id)

    def history(self, player: str, bank_id: str) -> list[Event]:
        player = self.player(player)
        saved = self.saved.history(player, bank_id) if self.saved.find_player(player) else []
        return saved + self._logs.get((player, bank_id), [])
