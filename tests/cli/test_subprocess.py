"""`python -m quizgame` as a player runs it: exit codes, output streams, no tracebacks, no UI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizgame import __version__
from quizgame.store.tinydb_store import TinyDBStore

ROOT = Path(__file__).resolve().parents[2]


def quizgame(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    # The autouse fixture already points QUIZGAME_SAVE_DIR and the caches into tmp_path.
    return subprocess.run([sys.executable, "-m", "quizgame", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


def test_version():
    done = quizgame("--version")
    assert done.returncode == 0
    version, semantic = done.stdout.strip().splitlines()
    assert version == f"quizgame {__version__}" and semantic.startswith("semantic grading: ")


def test_help():
    done = quizgame("content", "check", "--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: quizgame content check")


def test_content_check():
    done = quizgame("content", "check")
    assert done.returncode == 0 and done.stderr == ""
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and "valid: 65 questions in 4 sections" in lines[0]


def test_content_check_bad_bank(tmp_path):
    (tmp_path / "bank.toml").write_bytes(b'[section]\nid = "s"\ntitle = "\xff"\n')
    done = quizgame("content", "check", str(tmp_path))
    assert done.returncode == 1 and done.stdout == ""
    assert "bank.toml:3:" in done.stderr and "not UTF-8" in done.stderr
    assert "Traceback" not in done.stderr


def test_play_with_unknown_mode_exits_before_the_ui(tmp_path):
    script = ("import sys; from quizgame.cli import main; code = main(sys.argv[1:]); "
              "assert 'textual' not in sys.modules, 'the UI was imported'; sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script, "play", "--player", "Ana", "--mode", "speed",
                           "--save-dir", str(tmp_path / "saves")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == ["quizgame: unknown mode 'speed': choose one of mc, recall, cloze, weak, review, blitz, testout"]


@pytest.mark.parametrize("args", [["--section", "llm"], ["--section", "bogus"]])
def test_play_with_locked_or_unknown_section(tmp_path, args):
    done = quizgame("play", "--player", "Ana", "--save-dir", str(tmp_path / "saves"), *args)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("quizgame: ")


def test_env_save_dir_is_honoured(tmp_path, fixed_clock):
    folder = tmp_path / "from-env"
    store = TinyDBStore(folder, clock=fixed_clock)
    store.add_player("Ana")
    store.record_answer("Ana", "ml-interview", {"type": "answer", "id": "a1", "question": "tf-dropout", "tier": 0,
                                                "verdict": "correct", "score": 1.0, "at": "2024-05-01T09:00:00"})
    done = quizgame("leaderboard", "--json", env={"QUIZGAME_SAVE_DIR": str(folder)})
    assert done.returncode == 0, done.stderr
    assert [(p["player"], p["points"]) for p in json.loads(done.stdout)["players"]] == [("Ana", 100)]
    done = quizgame("stats", "--player", "Nobody", env={"QUIZGAME_SAVE_DIR": str(folder)})
    assert done.returncode == 2 and "no player called 'Nobody'" in done.stderr and "Ana" in done.stderr
