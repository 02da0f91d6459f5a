"""Returning a finished round's memory: never an error, with or without glibc."""
from __future__ import annotations

import ctypes

import pytest

from quizgame.ui.memory import give_back_memory


def test_gives_back_memory_where_the_c_library_can() -> None:
    give_back_memory()  # glibc here: malloc_trim runs; elsewhere nothing happens


def test_does_nothing_without_malloc_trim(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoTrim:
        def __init__(self, name: object) -> None:
            pass

    monkeypatch.setattr(ctypes, "CDLL", NoTrim)
    give_back_memory()


def test_does_nothing_when_the_c_library_cannot_be_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(name: object) -> None:
        raise OSError("no C library")

    monkeypatch.setattr(ctypes, "CDLL", refuse)
    give_back_memory()


def test_frees_a_finished_screens_cycles_before_trimming() -> None:
    import gc
    import weakref

    class Node:
        def __init__(self) -> None:
            self.other: Node | None = None

    collecting = gc.isenabled()
    gc.disable()  # only give_back_memory may collect here
    try:
        first, second = Node(), Node()
        first.other, second.other = second, first  # a cycle, as a screen and its widgets are
        gone = weakref.ref(first)
        del first, second
        assert gone() is not None
        give_back_memory()
        assert gone() is None
    finally:
        if collecting:
            gc.enable()
