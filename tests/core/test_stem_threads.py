"""Stemming from two threads at once: the round indexes the bank for the grader in a worker
thread while the screen grades the answer being typed (grade-ahead) on its own thread. The
snowball stemmer keeps the word in progress in the object, so two threads sharing it cut each
other's words or crashed (IndexError in the worker: the game closed on a traceback at the
first typed answer of about one round in ten under load)."""
from __future__ import annotations

import sys
import threading

from quizgame.core import text


def test_stems_are_the_same_from_several_threads_at_once():
    words = [f"{stem}{suffix}" for stem in ("gradient", "regular", "normal", "optim", "embed", "attent",
                                            "convolut", "generaliz", "vanish", "explod", "tokeniz", "batch")
             for suffix in ("ing", "ation", "ations", "ed", "es", "ers", "ness", "ization", "izing", "ally")]
    words += [f"{w}{n}x" for n in range(40) for w in ("learn", "train", "weigh")]
    text._stem_raw.cache_clear()
    expected = {word: text._stem_raw(word) for word in words}
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter allows
    try:
        for _ in range(3):
            text._stem_raw.cache_clear()
            got: dict[int, dict[str, str]] = {}
            errors: list[BaseException] = []

            def stem_all(n: int) -> None:
                try:
                    got[n] = {word: text._stem_raw(word) for word in (words if n % 2 else reversed(words))}
                except BaseException as error:  # noqa: BLE001 - reported below
                    errors.append(error)

            threads = [threading.Thread(target=stem_all, args=(n,)) for n in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not errors
            assert all(stems == expected for stems in got.values())
    finally:
        sys.setswitchinterval(interval)
        text._stem_raw.cache_clear()
