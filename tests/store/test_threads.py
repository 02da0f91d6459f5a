"""The game saves on a worker thread while the screen's thread may read: the folder's lock must
order the two, as it orders two processes."""
from __future__ import annotations

import threading
import time

from quizgame.store.tinydb_store import TinyDBStore

from .writer import answer_event


def test_a_second_thread_waits_for_the_lock_instead_of_sharing_it(tmp_path) -> None:
    store = TinyDBStore(tmp_path)
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        with store._locked():
            order.append("first in")
            inside.set()
            release.wait(10)
            order.append("first out")

    def second() -> None:
        inside.wait(10)
        with store._locked(write=False):
            with store._locked(write=False):  # re-entrant within its own thread
                order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(10)
    time.sleep(0.2)  # time for the second thread to get in, were the lock shared between threads
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]


def test_answers_saved_on_a_worker_thread_while_the_screen_reads_are_all_kept(tmp_path) -> None:
    store = TinyDBStore(tmp_path)
    store.ensure_player("Ana")
    events = [answer_event(f"t-{i}", i, question=f"q{i % 30}") for i in range(120)]
    done = threading.Event()
    failures: list[BaseException] = []

    def save() -> None:
        try:
            for event in events:
                store.record_answer("Ana", "b", event)
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            done.set()

    worker = threading.Thread(target=save)
    worker.start()
    reads = 0
    while not done.is_set() or reads == 0:  # the screen reads as the game does, between keys
        progress = store.progress("Ana", "b")
        assert progress.applied <= len(events)
        reads += 1
    worker.join(30)
    assert not failures
    assert store.progress("Ana", "b").applied == len(events)
    assert sorted(e["id"] for e in store.history("Ana", "b")) == sorted(e["id"] for e in events)
    reopened = TinyDBStore(tmp_path)
    assert reopened.progress("Ana", "b").applied == len(events)
