"""The command line for a new player (issue 12): refused rounds leave no player behind, the save
folder is one place whatever folder the game starts in, and every command says where it is."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizgame import config
from quizgame.cli import main
from quizgame.store.tinydb_store import TinyDBStore


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("refused", [
    ["--section", "rl"],              # locked for a new player
    ["--questions", "0"],
    ["--mode", "speed"],
    ["--section", "nowhere"],
], ids=["locked", "zero-questions", "unknown-mode", "unknown-section"])
def test_a_refused_play_creates_no_player(capsys, tmp_path, refused):
    saves = tmp_path / "saves"
    code, _, err = run(capsys, "play", "--player", "Newbie", "--save-dir", str(saves), *refused)
    assert code == 2 and err.startswith("quizgame: ")
    assert TinyDBStore(saves).players() == []


def test_help_names_the_save_folder_the_seed_and_names(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv(config.SAVE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert str(tmp_path / "data" / "quizgame" / "saves") in " ".join(out.split())
    with pytest.raises(SystemExit):
        main(["play", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "any text" in out and "without regard to case" in out


def test_stats_shows_the_save_folder(capsys, tmp_path):
    saves = tmp_path / "saves"
    TinyDBStore(saves).add_player("Ana")
    code, out, _ = run(capsys, "stats", "--player", "ana", "--save-dir", str(saves))
    assert code == 0 and str(saves) in out
    code, out, _ = run(capsys, "stats", "--player", "ana", "--json", "--save-dir", str(saves))
    assert json.loads(out)["saves"] == str(saves)


def test_the_default_folder_does_not_depend_on_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first = config.default_save_dir()
    monkeypatch.chdir(tmp_path)
    assert config.default_save_dir() == first == tmp_path / "data" / "quizgame" / "saves"


def test_a_checkouts_old_saves_are_copied_once_and_kept(tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    (checkout / "saves").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text('[project]\nname = "quizgame"\n', encoding="utf-8")
    TinyDBStore(checkout / "saves").add_player("Ana")
    monkeypatch.chdir(checkout)
    target = tmp_path / "data" / "saves"
    message = config.migrate_checkout_saves(target)
    assert message and str(target) in message
    assert TinyDBStore(target).players() == ["Ana"]
    assert TinyDBStore(checkout / "saves").players() == ["Ana"]  # never lost
    assert (checkout / "saves" / config.MOVED_NOTE).exists()
    assert config.migrate_checkout_saves(target) is None  # once
    assert config.migrate_checkout_saves(tmp_path / "elsewhere") is None  # the note says it moved
    assert Path(checkout / "saves").is_dir()


def test_a_players_theme_is_kept_in_the_save_folder(tmp_path):
    from quizgame.prefs import PREFS_FILE, Prefs

    path = tmp_path / PREFS_FILE
    Prefs(path).set_theme("Ana", "nord")
    prefs = Prefs(path)
    assert prefs.theme("ana") == "nord"
    prefs.rename("Ana", "Anabel")
    assert Prefs(path).theme("ANABEL") == "nord" and Prefs(path).theme("Ana") is None
    path.write_text("{not json", encoding="utf-8")
    assert Prefs(path).theme("Anabel") is None  # a damaged file costs only the theme
