"""Overrides become exemplars: stored as events with ids, undone, exported as TSV, followed by the grader."""
from __future__ import annotations

from quizgame.cli import main
from quizgame.core.bank import load_bank
from quizgame.core.clock import FixedClock
from quizgame.core.grading import CORRECT, PARTIAL, WRONG
from quizgame.core.overrides import day_label, exemplars, live_overrides, to_tsv
from quizgame.core.progress import Progress
from quizgame.core.rounds import plan_round
from quizgame.core.session import RoundSession
from quizgame.store.base import MemoryStore

BANK = load_bank()
PLAYER = "Ana"


def answer_and_override(store: MemoryStore, clock: FixedClock, text: str, verdict: str,
                        undo: bool = False) -> RoundSession:
    plan = plan_round(BANK, store.progress(PLAYER, BANK.id), "recall", None, 1, seed=3)
    session = RoundSession(plan, BANK, clock, exemplars(store.overrides(PLAYER, BANK.id)))
    judgement = session.judge(text)
    _, outcome = store.record_answer(PLAYER, BANK.id, judgement.event)
    session.recorded(outcome)
    event = session.override_event(outcome, verdict, judgement)
    assert event["id"] and event["question"] == judgement.item.question.id and event["text"] == text
    _, outcome = store.record_override(PLAYER, BANK.id, event)
    session.recorded(outcome)
    assert outcome.verdict == verdict
    if undo:
        _, outcome = store.record_override(PLAYER, BANK.id, session.undo_event(outcome, judgement))
        session.recorded(outcome)
        assert outcome.verdict == judgement.grade.verdict
    return session


def test_an_override_becomes_an_exemplar_for_later_answers() -> None:
    store, clock = MemoryStore(), FixedClock(__import__("datetime").datetime(2026, 5, 3, 9, 30))
    store.add_player(PLAYER)
    text = "my own way of saying it, which the grader did not follow at all"
    first = answer_and_override(store, clock, text, CORRECT)
    question = first.plan.items[0].question
    stored = store.overrides(PLAYER, BANK.id)
    assert [(e["question"], e["text"], e["verdict"]) for e in stored] == [(question.id, text, CORRECT)]
    assert store.progress(PLAYER, BANK.id).overrides == 1

    clock.advance(days=2)
    # Planned as for a new player, so the same question comes first (repeats otherwise wait a round).
    plan = plan_round(BANK, Progress(), "recall", None, 1, seed=3)
    later = RoundSession(plan, BANK, clock, exemplars(store.overrides(PLAYER, BANK.id)))
    assert later.plan.items[0].question == question
    judgement = later.judge(text + "!")
    assert judgement.grade.verdict == CORRECT
    assert judgement.grade.remarks == ("graded like your answer of 3 May",)


def test_an_undone_override_is_no_exemplar() -> None:
    store, clock = MemoryStore(), FixedClock(__import__("datetime").datetime(2026, 5, 3, 9, 30))
    store.add_player(PLAYER)
    answer_and_override(store, clock, "an answer I first thought was right", CORRECT, undo=True)
    assert store.overrides(PLAYER, BANK.id) == []
    assert store.progress(PLAYER, BANK.id).overrides == 0


def test_n_works_on_a_partial_verdict_and_export_prints_tsv(tmp_path, capsys) -> None:
    events = [
        {"type": "override", "id": "o1", "answer": "a1", "question": "q", "text": "tab\there", "verdict": WRONG,
         "grader_verdict": PARTIAL, "at": "2026-05-03T09:30:00"},
        {"type": "override", "id": "o2", "answer": "a2", "question": "q", "text": "gone", "verdict": CORRECT,
         "at": "2026-05-03T09:31:00"},
        {"type": "override", "id": "o3", "answer": "a2", "undo": True, "verdict": WRONG, "at": "2026-05-03T09:32:00"},
    ]
    assert [e["id"] for e in live_overrides(events)] == ["o1"]
    assert exemplars(events)["q"][0].verdict == WRONG
    assert day_label("2026-05-03T09:30:00") == "3 May"
    tsv = to_tsv([("bank", e) for e in live_overrides(events)])
    assert tsv.splitlines()[1] == "bank\tq\twrong\tpartial\t2026-05-03T09:30:00\ttab here"

    saves = tmp_path / "saves"
    from quizgame.store.tinydb_store import TinyDBStore

    store = TinyDBStore(saves)
    store.add_player(PLAYER)
    clock = FixedClock(__import__("datetime").datetime(2026, 5, 3, 9, 30))
    plan = plan_round(BANK, store.progress(PLAYER, BANK.id), "recall", None, 1, seed=3)
    session = RoundSession(plan, BANK, clock)
    judgement = session.judge("max pooling picks the largest value")
    _, outcome = store.record_answer(PLAYER, BANK.id, judgement.event)
    store.record_override(PLAYER, BANK.id, session.override_event(outcome, WRONG, judgement))
    assert main(["grading", "export", "--player", "ana", "--save-dir", str(saves)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["bank", "question", "verdict", "grader_verdict", "at", "answer"]
    assert lines[1].endswith("\tmax pooling picks the largest value") and "\twrong\t" in lines[1]
    assert main(["grading", "export", "--player", "ana", "--save-dir", str(saves), "--bank", "nope"]) == 2
