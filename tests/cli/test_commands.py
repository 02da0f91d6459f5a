"""The `quizgame` command, run in-process through main([...])."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from quizgame import __version__
from quizgame.cli import main
from quizgame.core.audit import GUESSERS
from quizgame.store.tinydb_store import TinyDBStore

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
NOW = "2024-05-01T09:00:00+00:00"
SHIPPED_ID = "ml-interview"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def answer(qid: str, n: int, verdict: str = "correct", tier: int = 0) -> dict:
    return {"type": "answer", "id": f"{qid}-{n}", "question": qid, "tier": tier, "verdict": verdict,
            "score": {"correct": 1.0, "partial": 0.5, "wrong": 0.0}[verdict], "at": NOW}


@pytest.fixture
def saves(tmp_path, fixed_clock) -> Path:
    """Two players in a fresh save folder: Ana (5 right in a row, a 700-point round) and Bo (one miss)."""
    folder = tmp_path / "saves"
    store = TinyDBStore(folder, clock=fixed_clock)
    store.add_player("Ana")
    fixed_clock.advance(seconds=1)
    store.add_player("Bo")
    for n, qid in enumerate(["tf-self-attention", "tf-backpropagation", "tf-perceptron", "tf-dropout", "tf-depth"]):
        store.record_answer("Ana", SHIPPED_ID, answer(qid, n))
    store.record_round("Ana", SHIPPED_ID, {"type": "round", "id": "r1", "section": "foundation", "mode": "mc",
                                           "points": 700, "answered": 5, "correct": 5, "at": NOW})
    store.record_answer("Bo", SHIPPED_ID, answer("tf-dropout", 9, "wrong"))
    return folder


def only_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


# -- version and help -------------------------------------------------------------------------------


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip().splitlines()[0] == f"quizgame {__version__}"


COMMANDS = [[], ["start"], ["play"], ["leaderboard"], ["stats"], ["content"], ["content", "check"],
            ["content", "audit"], ["import"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "quizgame")
def test_help_of_every_command(capsys, command):
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: quizgame {' '.join(command)}".rstrip())
    assert "--help" in out


def test_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("start", "play", "leaderboard", "stats", "content", "import"):
        assert command in out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as done:
        main(["fly"])
    assert done.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


# -- content -------------------------------------------------------------------------------------------


def test_content_check_shipped_bank(capsys):
    code, out, err = run(capsys, "content", "check")
    assert code == 0 and err == ""
    line = only_line(out)
    assert "valid: 65 questions in 4 sections" in line
    assert "Technical Foundation" in line and "LLM System Design" in line


def test_content_check_json_bank(capsys):
    code, out, _ = run(capsys, "content", "check", str(MINI))
    assert code == 0
    assert "valid: 9 questions in 3 sections (Basics, Middle, Hard)" in only_line(out)


def test_content_check_bad_bank(capsys, tmp_path):
    bank = tmp_path / "bad"
    bank.mkdir()
    (bank / "one.toml").write_text('[section]\nid = "s"\ntitle = "S"\n\n[[questions]]\nid = "q1"\nprompt = \n',
                                   encoding="utf-8")
    code, out, err = run(capsys, "content", "check", str(bank))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "quizgame: the question bank has problems:"
    assert "one.toml:7:" in lines[1] and "not valid TOML" in lines[1]
    assert "Traceback" not in err


def test_content_check_lists_every_problem(capsys, tmp_path):
    doc = json.loads((MINI / "1-basics.json").read_text(encoding="utf-8"))
    doc["questions"][0]["topics"] = ["Not A Tag"]
    doc["questions"][1]["overlaps"] = ["ghost"]
    del doc["questions"][2]["prompt"]
    (tmp_path / "basics.json").write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run(capsys, "content", "check", str(tmp_path / "basics.json"))
    assert code == 1 and out == ""
    problems = err.strip().splitlines()[1:]
    assert len(problems) == 3
    assert all("basics.json" in p for p in problems)
    assert {p.split(": ")[1] for p in problems} == {"b-dropout", "b-relu", "b-epoch"}


def test_content_check_missing_path(capsys, tmp_path):
    code, _, err = run(capsys, "content", "check", str(tmp_path / "nowhere"))
    assert code == 1 and "no such file or folder" in err


def test_content_check_non_string_section_is_reported_not_raised(capsys, tmp_path):
    doc = json.loads((MINI / "1-basics.json").read_text(encoding="utf-8"))
    doc["questions"][0]["section"] = ["basics"]
    (tmp_path / "basics.json").write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = run(capsys, "content", "check", str(tmp_path / "basics.json"))
    assert code == 1 and "b-dropout" in err


def test_content_audit_shipped_bank(capsys):
    code, out, err = run(capsys, "content", "audit")
    assert code == 0 and err == ""
    assert out.startswith(f"Audit of {SHIPPED_ID}: {65 * 20} items")
    for name in GUESSERS:
        assert name in out
    assert "right answer's position" in out
    assert out.strip().endswith("PASS")


def test_content_audit_bad_bank(capsys, tmp_path):
    code, _, err = run(capsys, "content", "audit", str(tmp_path))
    assert code == 1 and "no .toml or .json" in err


# -- leaderboard ------------------------------------------------------------------------------------


def test_leaderboard_empty(capsys, tmp_path):
    code, out, _ = run(capsys, "leaderboard", "--save-dir", str(tmp_path / "empty"))
    assert code == 0
    assert "No players yet" in only_line(out)
    code, out, _ = run(capsys, "leaderboard", "--json", "--save-dir", str(tmp_path / "empty"))
    assert code == 0 and json.loads(out) == {"bank": SHIPPED_ID, "players": []}


def test_leaderboard_table(capsys, saves):
    code, out, err = run(capsys, "leaderboard", "--save-dir", str(saves))
    assert code == 0 and err == ""
    lines = out.strip().splitlines()
    assert lines[0].startswith("Leaderboard: ")
    header = lines[1].split()
    assert header[:3] == ["#", "Player", "Points"]
    assert set(lines[2]) <= {"─", " "}
    ana, bo = lines[3].split(), lines[4].split()
    assert ana[:3] == ["1", "Ana", "700"] and ana[-1] == "100%" and "700" in ana[3:]
    assert bo[:3] == ["2", "Bo", "0"] and bo[-1] == "0%"
    assert len(lines) == 5


def test_leaderboard_json(capsys, saves):
    code, out, _ = run(capsys, "leaderboard", "--json", "--save-dir", str(saves))
    assert code == 0
    data = json.loads(out)
    assert data["bank"] == SHIPPED_ID
    ana, bo = data["players"]
    assert ana == {"rank": 1, "player": "Ana", "points": 700, "best_rounds": {"foundation": 700},
                   "longest_streak": 5, "accuracy": 1.0, "answers": 5, "blitz_best": 0}
    assert (bo["rank"], bo["player"], bo["points"], bo["accuracy"], bo["answers"]) == (2, "Bo", 0, 0.0, 1)


def test_save_dir_before_the_command(capsys, saves):
    code, out, _ = run(capsys, "--save-dir", str(saves), "leaderboard", "--json")
    assert code == 0 and [p["player"] for p in json.loads(out)["players"]] == ["Ana", "Bo"]


def test_save_dir_env_var_is_honoured(capsys, saves, monkeypatch):
    monkeypatch.setenv("QUIZGAME_SAVE_DIR", str(saves))
    code, out, _ = run(capsys, "leaderboard", "--json")
    assert code == 0 and [p["player"] for p in json.loads(out)["players"]] == ["Ana", "Bo"]
    code, out, _ = run(capsys, "stats", "--player", "Bo", "--json")
    assert code == 0 and json.loads(out)["answers"] == 1


def test_save_dir_option_beats_the_env_var(capsys, saves, tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGAME_SAVE_DIR", str(saves))
    code, out, _ = run(capsys, "leaderboard", "--json", "--save-dir", str(tmp_path / "other"))
    assert code == 0 and json.loads(out)["players"] == []


def test_leaderboard_of_another_bank(capsys, saves):
    code, out, _ = run(capsys, "leaderboard", "--json", "--bank", str(MINI), "--save-dir", str(saves))
    assert code == 0
    data = json.loads(out)
    assert data["bank"] == "mini"
    assert [(p["player"], p["points"], p["answers"]) for p in data["players"]] == [("Ana", 0, 0), ("Bo", 0, 0)]


# -- stats ------------------------------------------------------------------------------------------


def test_stats_text(capsys, saves):
    code, out, err = run(capsys, "stats", "--player", "Ana", "--save-dir", str(saves))
    assert code == 0 and err == ""
    assert out.startswith("Ana — ")
    assert "Points 700" in out and "answers 5" in out and "accuracy 100%" in out
    assert "Answer streak 5 (longest 5)" in out
    for title in ("Technical Foundation", "Reinforcement Learning", "Large Language Models", "LLM System Design"):
        assert title in out
    assert "0/20" in out and "locked" in out  # picked answers master nothing
    assert "attention" in out  # topics table


def test_stats_json(capsys, saves):
    code, out, _ = run(capsys, "stats", "--player", "ana", "--json", "--save-dir", str(saves))  # any case
    assert code == 0
    data = json.loads(out)
    assert (data["player"], data["bank"], data["points"], data["answers"]) == ("Ana", SHIPPED_ID, 700, 5)
    assert (data["streak"], data["longest_streak"], data["longest_day_streak"]) == (5, 5, 1)
    assert data["accuracy"] == 1.0
    assert data["sections"]["foundation"] == {"answered": 5, "accuracy": 1.0}
    assert data["sections"]["rl"] == {"answered": 0, "accuracy": None}
    assert data["topics"]["attention"] == {"answered": 1, "accuracy": 1.0}
    assert data["unlocked"] == ["foundation"]
    assert data["overrides"] == 0
    assert isinstance(data["day_streak"], int)


def test_stats_unknown_player(capsys, saves):
    code, out, err = run(capsys, "stats", "--player", "Zed", "--save-dir", str(saves))
    assert code == 2 and out == ""
    line = only_line(err)
    assert line.startswith("quizgame: no player called 'Zed'") and "Ana, Bo" in line


def test_stats_unknown_player_with_no_players(capsys, tmp_path):
    code, out, err = run(capsys, "stats", "--player", "Zed", "--json", "--save-dir", str(tmp_path / "empty"))
    assert code == 2 and out == ""
    assert "none yet" in only_line(err)


def test_stats_skip_questions_the_bank_no_longer_has(capsys, saves, fixed_clock):
    store = TinyDBStore(saves, clock=fixed_clock)
    store.record_answer("Bo", SHIPPED_ID, answer("removed-long-ago", 1))
    code, out, _ = run(capsys, "stats", "--player", "Bo", "--json", "--save-dir", str(saves))
    data = json.loads(out)
    assert code == 0 and data["answers"] == 2
    assert data["accuracy"] == 0.0 and sum(s["answered"] for s in data["sections"].values()) == 1


# -- play exits before the UI on bad arguments ---------------------------------------------------------


@pytest.fixture
def no_ui(monkeypatch):
    """Importing the UI fails, so a test fails if a command gets as far as opening the game."""
    monkeypatch.setitem(sys.modules, "quizgame.ui.app", None)


@pytest.mark.parametrize("args, message", [
    (["--mode", "speed"], "quizgame: unknown mode 'speed': choose one of mc, recall, cloze, weak"),
    (["--section", "nope"], "quizgame: unknown section 'nope': choose one of foundation, rl, llm, system-design"),
    (["--section", "rl"], "quizgame: section 'rl' is locked: master the sections before it first"),
    (["--section", "system-design", "--mode", "recall"], "quizgame: section 'system-design' is locked"),
    (["--questions", "0"], "quizgame: a round has 1 to 100 questions, not 0"),
])
def test_play_with_bad_arguments(capsys, saves, no_ui, args, message):
    code, out, err = run(capsys, "play", "--player", "Ana", "--save-dir", str(saves), *args)
    assert code == 2 and out == ""
    assert only_line(err).startswith(message)


def test_play_with_bad_arguments_on_another_bank(capsys, tmp_path, no_ui):
    code, _, err = run(capsys, "play", "--player", "New", "--bank", str(MINI), "--section", "middle",
                       "--save-dir", str(tmp_path / "s"))
    assert code == 2 and only_line(err) == "quizgame: section 'middle' is locked: master the sections before it first"


def test_play_with_an_unusable_name(capsys, tmp_path, no_ui):
    code, _, err = run(capsys, "play", "--player", "   ", "--save-dir", str(tmp_path / "s"))
    assert code == 2 and only_line(err).startswith("quizgame: ")


def test_play_with_a_bad_bank(capsys, tmp_path, no_ui):
    code, _, err = run(capsys, "play", "--player", "Ana", "--bank", str(tmp_path), "--save-dir", str(tmp_path / "s"))
    assert code == 1 and "the question bank has problems" in err and "Traceback" not in err


def test_stats_json_has_each_questions_recall_odds_and_next_due_date(capsys, saves):
    code, out, _ = run(capsys, "stats", "--player", "Ana", "--json", "--save-dir", str(saves))
    assert code == 0
    data = json.loads(out)
    assert set(data["questions"]) == {"tf-self-attention", "tf-backpropagation", "tf-perceptron", "tf-dropout",
                                      "tf-depth"}
    for card in data["questions"].values():
        assert 0.0 <= card["retrievability"] <= 1.0 and card["due"].startswith("20") and not card["mastered"]
    assert len(data["forecast"]) == 7 and data["due_today"] == data["forecast"][0]["due"]
    assert data["goal"]["unit"] == "answers" and data["goal"]["amount"] == 10
    assert data["tested_out"] == [] and data["blitz_points"] == 0


def test_play_daily_twice_the_same_day_is_refused(capsys, tmp_path):
    from datetime import datetime

    from quizgame.core.bank import load_bank
    from quizgame.core.study import plan

    saves = tmp_path / "saves"
    store = TinyDBStore(saves)
    store.add_player("Ana")
    bank = load_bank()
    today = plan(bank, store.progress("Ana", bank.id), "daily", datetime.now().astimezone())
    item = today.items[0]
    store.record_answer("Ana", bank.id, {
        "type": "answer", "id": "d1", "question": item.question.id, "section": item.question.section, "tier": 0,
        "kind": "mc", "mode": "daily", "round": today.id, "verdict": "correct", "score": 1.0,
        "at": datetime.now().astimezone().isoformat(timespec="seconds"), "text": "x", "daily": today.day})
    code, out, err = run(capsys, "play", "--player", "Ana", "--daily", "--save-dir", str(saves))
    assert code == 2 and out == "" and "played today's challenge" in err
