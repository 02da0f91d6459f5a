"""The behaviour every store shares, run against MemoryStore and TinyDBStore alike."""
from __future__ import annotations

from datetime import UTC

import pytest

from quizgame.core.players import MAX_NAME_LENGTH, InvalidName
from quizgame.core.progress import EventError, Outcome, Progress, RoundOutcome
from quizgame.store.base import MemoryStore, PlayerExists, Store, UnknownPlayer
from quizgame.store.tinydb_store import TinyDBStore

from .writer import answer_event

BANK = "bank"


@pytest.fixture(params=["memory", "tinydb"])
def kind(request) -> str:
    return request.param


@pytest.fixture
def store(kind, tmp_path) -> Store:
    return MemoryStore() if kind == "memory" else TinyDBStore(tmp_path / "saves")


def reopened(store: Store) -> Store:
    """The same saves as a new game process sees them (a MemoryStore lives in its process)."""
    if isinstance(store, TinyDBStore):
        fresh = TinyDBStore(store.folder)
        assert fresh.warnings == []
        return fresh
    return store


def answer(n: int, verdict: str = "correct", score: float = 1.0, tier: int = 0, question: str = "q1",
           at: str = "2026-11-26T10:00:00+00:00") -> dict:
    return answer_event(f"a{n}", n, question=question, verdict=verdict, score=score, tier=tier, at=at)


def override(answer_id: str, verdict: str = "correct", score: float = 1.0) -> dict:
    return {"type": "override", "id": f"o-{answer_id}-{verdict}", "answer": answer_id, "verdict": verdict, "score": score,
            "at": "2026-11-26T10:01:00+00:00"}


def round_event(points: int, section: str = "s", mode: str = "mc") -> dict:
    return {"type": "round", "at": "2026-11-26T10:05:00+00:00", "section": section, "mode": mode,
            "points": points, "answered": 10, "correct": 7}


# -- players ---------------------------------------------------------------------------------

SHOWN_AS_TYPED = ["Ana", "[bold]x", "[@click=app.quit]y", "🦊 Fox", "👩‍💻 dev", "שלום עולם", "مرحبا",
                  "Zoë O'Brien", "x" * MAX_NAME_LENGTH, "[/]", "\\[escaped]", "a  b"]


def test_names_are_kept_exactly_as_typed(store):
    for name in SHOWN_AS_TYPED:
        assert store.add_player(name) == name
    for s in (store, reopened(store)):
        assert s.players() == SHOWN_AS_TYPED  # in the order they joined
        for name in SHOWN_AS_TYPED:
            assert s.find_player(name) == name
            assert s.player(name) == name


def test_only_the_ends_of_a_name_are_trimmed(store):
    assert store.add_player("  Ana Lee \t") == "Ana Lee"
    assert reopened(store).players() == ["Ana Lee"]


@pytest.mark.parametrize("name", ["", "   ", "x" * (MAX_NAME_LENGTH + 1), "a\x00b", "tab\there", "new\nline",
                                  "\x1b[31mred", "bell\x07", "rtl\u200fmark", "bidi\u202eevil", "del\x7f",
                                  "line\u2028sep"])
def test_names_that_cannot_be_shown_are_refused(store, name):
    with pytest.raises(InvalidName):
        store.add_player(name)
    assert store.players() == []
    assert reopened(store).players() == []


def test_names_are_unique_regardless_of_case(store):
    store.add_player("Ana")
    for same in ["ana", "ANA", "aNa", " Ana ", "Ａｎａ"]:  # the last is full-width
        with pytest.raises(PlayerExists, match="Ana"):
            store.add_player(same)
        assert store.find_player(same) == "Ana"
    assert isinstance(PlayerExists("x"), InvalidName)
    store.add_player("Anna")
    store.add_player("Straße")
    with pytest.raises(PlayerExists):
        store.add_player("STRASSE")
    assert reopened(store).players() == ["Ana", "Anna", "Straße"]
    with pytest.raises(PlayerExists):
        reopened(store).add_player("straße")


def test_unknown_players(store):
    assert store.find_player("Nobody") is None
    for call in (lambda: store.player("Nobody"), lambda: store.progress("Nobody", BANK),
                 lambda: store.history("Nobody", BANK), lambda: store.record_answer("Nobody", BANK, answer(1))):
        with pytest.raises(UnknownPlayer):
            call()
    assert store.players() == []


def test_a_player_with_no_answers(store):
    store.add_player("Ana")
    assert store.progress("Ana", BANK) == Progress()
    assert store.history("Ana", BANK) == []
    assert store.everyone(BANK) == {"Ana": Progress()}


# -- answers ---------------------------------------------------------------------------------

def test_record_answers(store):
    store.add_player("Ana")
    outcomes = []
    for n, (verdict, score, tier) in enumerate([("correct", 1.0, 0), ("correct", 1.0, 2), ("partial", 0.5, 1),
                                                ("correct", 1.0, 0), ("wrong", 0.0, 3)]):
        progress, outcome = store.record_answer("ana", BANK, answer(n, verdict, score, tier, question=f"q{n % 2}"))
        assert isinstance(outcome, Outcome)
        outcomes.append(outcome)
    assert [(o.answer, o.verdict, o.points, o.streak) for o in outcomes] == [
        ("a0", "correct", 100, 1), ("a1", "correct", 220, 2), ("a2", "partial", 75, 2),
        ("a3", "correct", 140, 3), ("a4", "wrong", 0, 0)]
    for s in (store, reopened(store)):
        progress = s.progress("Ana", BANK)
        assert (progress.points, progress.answers, progress.streak, progress.best_streak) == (535, 5, 0, 3)
        assert progress.applied == 5
        q0, q1 = progress.questions["q0"], progress.questions["q1"]
        assert (q0.attempts, q0.correct, q0.score, q0.last_verdict) == (3, 1, 1.5, "wrong")
        assert (q1.attempts, q1.correct, q1.score, q1.last_verdict) == (2, 2, 2.0, "correct")
        history = s.history("Ana", BANK)
        assert [e["id"] for e in history] == ["a0", "a1", "a2", "a3", "a4"]
        assert [e["seq"] for e in history] == [1, 2, 3, 4, 5]
        assert [e["points"] for e in history] == [o.points for o in outcomes]
        assert history[0]["text"] == "answer a0" and history[0]["round"] == "r1"
    assert progress == _replayed(history)


def test_record_answer_returns_the_saved_progress(store):
    store.add_player("Ana")
    progress, _ = store.record_answer("Ana", BANK, answer(1))
    assert progress == store.progress("Ana", BANK) == reopened(store).progress("Ana", BANK)


def test_banks_and_players_are_kept_apart(store):
    for name in ("Ana", "Bob"):
        store.add_player(name)
    store.record_answer("Ana", "one", answer(1))
    store.record_answer("Ana", "two", answer(2, "wrong", 0.0))
    store.record_answer("Bob", "one", answer(3, tier=2))
    s = reopened(store)
    assert [e["id"] for e in s.history("Ana", "one")] == ["a1"]
    assert [e["id"] for e in s.history("Ana", "two")] == ["a2"]
    assert [e["id"] for e in s.history("Bob", "one")] == ["a3"]
    assert s.history("Bob", "two") == []
    assert (s.progress("Ana", "one").points, s.progress("Ana", "two").points) == (100, 0)
    assert s.progress("Bob", "one").points == 200


def test_banks_with_similar_ids_are_kept_apart(store):
    store.add_player("Ana")
    banks = ["c++", "c#", "C++", "c", "", "x" * 70 + "1", "x" * 70 + "2", "ml-basics", "ML basics"]
    for n, bank in enumerate(banks):
        for k in range(n + 1):
            store.record_answer("Ana", bank, answer(100 * n + k))
    s = reopened(store)
    for n, bank in enumerate(banks):
        assert [e["id"] for e in s.history("Ana", bank)] == [f"a{100 * n + k}" for k in range(n + 1)]
        assert s.progress("Ana", bank).answers == n + 1


def test_a_bad_event_is_refused_and_nothing_is_written(store):
    store.add_player("Ana")
    store.record_answer("Ana", BANK, answer(1))
    for bad in [{**answer(2), "verdict": "great"}, {**answer(3), "score": 1.5}, {"type": "answer", "id": "a4"},
                {"type": "bogus"}]:
        with pytest.raises(EventError):
            store.record_answer("Ana", BANK, bad)
    for s in (store, reopened(store)):
        assert [e["id"] for e in s.history("Ana", BANK)] == ["a1"]
        assert s.progress("Ana", BANK).answers == 1 and s.progress("Ana", BANK).applied == 1


def test_an_answer_to_an_unknown_question_is_harmless(store):
    store.add_player("Ana")
    store.record_answer("Ana", BANK, answer(1, question="gone-from-the-bank"))
    store.record_answer("Ana", BANK, answer(2))
    progress = reopened(store).progress("Ana", BANK)
    assert progress.answers == 2 and progress.questions["gone-from-the-bank"].attempts == 1


# -- overrides -------------------------------------------------------------------------------

def test_override_the_latest_answer(store):
    store.add_player("Ana")
    store.record_answer("Ana", BANK, answer(1))
    store.record_answer("Ana", BANK, answer(2, "wrong", 0.0, question="q2"))
    progress, outcome = store.record_override("Ana", BANK, override("a2"))
    assert (outcome.answer, outcome.verdict, outcome.points, outcome.streak) == ("a2", "correct", 120, 2)
    for s in (store, reopened(store)):
        progress = s.progress("Ana", BANK)
        assert (progress.points, progress.answers, progress.overrides, progress.streak) == (220, 2, 1, 2)
        assert progress.questions["q2"].attempts == 1 and progress.questions["q2"].correct == 1
        history = s.history("Ana", BANK)
        assert [e["type"] for e in history] == ["answer", "answer", "override"]
        assert history[-1]["answer"] == "a2" and history[-1]["seq"] == 3
    assert progress == _replayed(history)
    # The latest answer can be overridden again (the player changed their mind back).
    _, outcome = store.record_override("Ana", BANK, override("a2", "wrong", 0.0))
    assert (outcome.points, store.progress("Ana", BANK).points) == (0, 100)


def test_only_the_latest_answer_can_be_overridden(store):
    store.add_player("Ana")
    store.record_answer("Ana", BANK, answer(1, "wrong", 0.0))
    store.record_answer("Ana", BANK, answer(2))
    before = store.progress("Ana", BANK)
    for stale in (override("a1"), override("never-given")):
        with pytest.raises(EventError):
            store.record_override("Ana", BANK, stale)
        with pytest.raises(EventError):
            store.progress("Ana", BANK).apply(stale)
    for s in (store, reopened(store)):
        assert s.progress("Ana", BANK) == before
        assert [e["type"] for e in s.history("Ana", BANK)] == ["answer", "answer"]


def test_an_override_before_any_answer_is_refused(store):
    store.add_player("Ana")
    with pytest.raises(EventError):
        store.record_override("Ana", BANK, override("a1"))
    assert reopened(store).history("Ana", BANK) == []


# -- rounds and everyone ---------------------------------------------------------------------

def test_record_round_returns_new_bests(store):
    store.add_player("Ana")
    bests = []
    for points, section, mode in [(300, "s", "mc"), (200, "s", "mc"), (400, "s", "mc"), (50, "s", "typed"),
                                  (400, "s", "mc"), (0, "t", "mc")]:
        progress, outcome = store.record_round("Ana", BANK, round_event(points, section, mode))
        assert isinstance(outcome, RoundOutcome)
        bests.append(outcome.new_bests)
    assert bests == [("s/mc",), (), ("s/mc",), ("s/typed",), (), ()]
    for s in (store, reopened(store)):
        progress = s.progress("Ana", BANK)
        assert progress.best_rounds == {"s/mc": 400, "s/typed": 50}
        assert [r["points"] for r in progress.rounds] == [300, 200, 400, 50, 400, 0]
        assert progress.answers == 0 and progress.points == 0  # rounds add no points of their own
        history = s.history("Ana", BANK)
        assert [e["type"] for e in history] == ["round"] * 6
        assert [e["points"] for e in history] == [300, 200, 400, 50, 400, 0]


def test_everyone(store):
    for name in ("Ana", "[bold]Bob", "🦊"):
        store.add_player(name)
    store.record_answer("Ana", BANK, answer(1))
    store.record_answer("[bold]Bob", BANK, answer(2, tier=4))
    store.record_answer("[bold]Bob", "other", answer(3))
    for s in (store, reopened(store)):
        everyone = s.everyone(BANK)
        assert list(everyone) == ["Ana", "[bold]Bob", "🦊"]
        assert {name: p.points for name, p in everyone.items()} == {"Ana": 100, "[bold]Bob": 300, "🦊": 0}
        assert everyone["🦊"] == Progress()
        assert s.everyone("other")["[bold]Bob"].answers == 1
        assert s.everyone("nothing-yet") == {name: Progress() for name in ("Ana", "[bold]Bob", "🦊")}


def test_both_stores_agree(tmp_path):
    """The same events give the same outcomes, progress and history in either store."""
    stores = [MemoryStore(), TinyDBStore(tmp_path / "saves")]
    events = [answer(n, *v, question=f"q{n % 3}", at=f"2026-11-{20 + n // 4}T10:00:00+00:00")
              for n, v in enumerate([("correct", 1.0, 1), ("partial", 0.5, 2), ("correct", 1.0, 0), ("wrong", 0.0, 1)] * 3)]
    results = []
    for s in stores:
        s.add_player("Ana")
        out = [s.record_answer("Ana", BANK, e)[1] for e in events]
        out.append(s.record_override("Ana", BANK, override(events[-1]["id"]))[1])
        out.append(s.record_round("Ana", BANK, round_event(999))[1])
        results.append((out, s.progress("Ana", BANK), s.history("Ana", BANK), s.everyone(BANK)))
    assert results[0] == results[1]
    assert results[0][1].day_streak == 3


def _replayed(history: list[dict]) -> Progress:
    progress = Progress()
    for event in history:
        progress.apply(event)
    return progress


# -- flags ------------------------------------------------------------------------------------------


def test_flags_are_logged_with_an_id_and_listed_per_bank(store):
    from datetime import datetime

    from quizgame.core.flags import new_flag

    store.add_player("Ana")
    store.add_player("Bo")
    store.record_answer("Ana", BANK, answer(1))
    now = datetime(2026, 11, 26, 10, 5, tzinfo=UTC)
    store.record_flag("Ana", BANK, new_flag("q1", "also-right", now, ("a", "b", "c", "d"), 2))
    store.record_flag("Bo", "other-bank", new_flag("q9", "unclear", now))
    store.record_answer("Ana", BANK, answer(2, question="q2"))
    again = reopened(store)
    [flag] = again.flags(BANK)
    assert (flag.player, flag.question, flag.reason, flag.options, flag.picked) == ("Ana", "q1", "also-right",
                                                                                     ("a", "b", "c", "d"), 2)
    assert flag.id and [f.question for f in again.flags("other-bank")] == ["q9"]
    # A flag scores nothing and is never replayed as an answer.
    progress = again.progress("Ana", BANK)
    assert progress.answers == 2
    assert [e["type"] for e in again.history("Ana", BANK)] == ["answer", "flag", "answer"]
