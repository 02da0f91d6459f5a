"""A game process for the store tests: records answers and prints each id once it is saved.

    python writer.py FOLDER PLAYER BANK PREFIX COUNT

Imports, prints "waiting", then waits for one line on stdin before it opens the store, so a
test can start it ahead and time what follows. Then it opens TinyDBStore(FOLDER), adds
PLAYER if missing, prints "ready", and records answers with ids PREFIX-000000, PREFIX-000001,
... (COUNT of them, or forever if COUNT is 0), printing each id only after record_answer
has returned, that is, once the answer is durably saved. With QUIZGAME_TEST_CARD_FILES set,
its seven questions go to card files, as a big bank's do.
"""
from __future__ import annotations

import os
import sys
import time
import zlib

# A player's answers are seconds apart; a writer's are a millisecond apart, outside the lock. With
# none, flock's unfairness lets a process that just released the lock take it straight back on an
# idle machine, and one writer could finish before the other ever got a turn (then the concurrency
# tests would not test concurrency).
PAUSE = 0.001
VERDICTS = (("correct", 1.0), ("correct", 1.0), ("partial", 0.5), ("wrong", 0.0))


def answer_event(answer_id: str, n: int, *, question: str | None = None, verdict: str | None = None,
                 score: float | None = None, tier: int | None = None, at: str | None = None) -> dict:
    """An answer event whose verdict, tier and day follow from its id, so runs are varied yet repeatable."""
    h = zlib.crc32(answer_id.encode())
    v, s = VERDICTS[h % len(VERDICTS)]
    return {
        "type": "answer", "id": answer_id,
        "question": question if question is not None else f"q{h % 7}",
        "section": "s", "tier": tier if tier is not None else (h >> 4) % 4,
        "kind": "mc", "mode": "mc", "round": "r1",
        "verdict": verdict if verdict is not None else v,
        "score": score if score is not None else s,
        "at": at if at is not None else f"2026-11-{1 + n // 40 % 28:02d}T10:00:00+00:00",
        "text": f"answer {answer_id}",
    }


def main(folder: str, player: str, bank: str, prefix: str, count: str) -> None:
    from quizgame.store.base import PlayerExists
    from quizgame.store.tinydb_store import TinyDBStore

    print("waiting", flush=True)
    sys.stdin.readline()
    if os.environ.get("QUIZGAME_TEST_CARD_FILES"):  # a few questions laid out as a big bank's are
        from quizgame.store import tinydb_store

        tinydb_store.INLINE_QUESTIONS = tinydb_store.SHARD_QUESTIONS = 2
        tinydb_store.SNAPSHOT_EVERY = 3
    store = TinyDBStore(folder)
    if store.find_player(player) is None:
        try:
            store.add_player(player)
        except PlayerExists:  # another process added them first
            pass
    print("ready", flush=True)
    n, limit = 0, int(count)
    while not limit or n < limit:
        answer_id = f"{prefix}-{n:06d}"
        store.record_answer(player, bank, answer_event(answer_id, n))
        print(answer_id, flush=True)
        n += 1
        time.sleep(PAUSE)


if __name__ == "__main__":
    main(*sys.argv[1:6])
