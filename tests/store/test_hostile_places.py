"""Hostile places and timing: read-only folders, symbolic links, a folder that is a file, a
mistyped folder, several processes at once, a stopped process holding the lock, a clock that
steps back."""
from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizgame.cli import main
from quizgame.core.progress import Progress
from quizgame.store import files
from quizgame.store.base import CannotSave
from quizgame.store.files import Disk, SaveLocked, quarantine
from quizgame.store.tinydb_store import SaveFolderUnusable, TinyDBStore

from .writer import answer_event

BANK = "ml-interview"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    folder = tmp_path / "saves"
    store = TinyDBStore(folder)
    for player in ("Ana", "Bob"):
        store.add_player(player)
        store.record_answer(player, BANK, answer_event(f"{player}-0", 0, question="tf-self-attention"))
    return folder


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


# -- item 6: a read-only folder, a folder that is a file -----------------------------------------

def _read_only(monkeypatch, error: int = errno.EROFS) -> None:
    """The folder is on a read-only mount (or owned by someone else): every write fails."""
    def refuse(self, path, *rest):
        raise OSError(error, os.strerror(error), str(path))

    real_open_lock = Disk.open_lock
    monkeypatch.setattr(Disk, "create", refuse)
    monkeypatch.setattr(Disk, "replace", refuse)
    monkeypatch.setattr(Disk, "can_write", lambda self, folder: False)
    monkeypatch.setattr(Disk, "open_lock", lambda self, path, write: refuse(self, path) if write
                        else real_open_lock(self, path, write))


@pytest.mark.parametrize("error", [errno.EROFS, errno.EACCES])
def test_read_only_folder_cli(saves, monkeypatch, capsys, error):
    before = _files(saves)
    _read_only(monkeypatch, error)
    assert main(["leaderboard", "--save-dir", str(saves)]) == 0
    out = capsys.readouterr().out
    assert "Ana" in out and "Bob" in out
    assert main(["stats", "--player", "Ana", "--save-dir", str(saves)]) == 0
    assert main(["leaderboard", "--json", "--save-dir", str(saves)]) == 0
    capsys.readouterr()
    # Not a terminal: no question can be asked, so the game says why and exits.
    assert main(["play", "--player", "Ana", "--save-dir", str(saves)]) == 1
    err = capsys.readouterr().err
    assert "Cannot save" in err and str(saves) in err and "Traceback" not in err
    assert main(["--save-dir", str(saves)]) == 1
    assert _files(saves) == before


# Root ignores file permissions; without these capabilities (util-linux's setpriv drops them
# from what the command may hold) it is refused like any other account, so CI, which runs as
# root, still tests real permissions.
_AS_AN_ORDINARY_ACCOUNT = (["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
                           if os.geteuid() == 0 else [])


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="root ignores file permissions")
def test_a_folder_without_write_permission(saves, tmp_path):
    before = _files(saves)
    for path in [saves, *saves.rglob("*")]:
        if path.is_dir():
            path.chmod(0o555)
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}

    def quizgame(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*_AS_AN_ORDINARY_ACCOUNT, sys.executable, "-m", "quizgame", *argv,
                               "--save-dir", str(saves)], env=env, capture_output=True, text=True, timeout=60)

    try:
        if _AS_AN_ORDINARY_ACCOUNT:  # the setting really refuses writes
            probe = subprocess.run([*_AS_AN_ORDINARY_ACCOUNT, "touch", str(saves / "probe")], capture_output=True)
            assert probe.returncode != 0
        board = quizgame("leaderboard")
        assert board.returncode == 0 and "Ana" in board.stdout and "Bob" in board.stdout
        assert quizgame("stats", "--player", "Ana").returncode == 0
        play = quizgame("play", "--player", "Ana")
        assert play.returncode == 1
        assert "Cannot save" in play.stderr and "Traceback" not in play.stderr
        assert _files(saves) == before
    finally:
        for path in [saves, *saves.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)


def test_a_save_folder_that_is_a_file(tmp_path, capsys):
    path = tmp_path / "saves"
    path.write_text("my notes")
    with pytest.raises(SaveFolderUnusable):
        TinyDBStore(path)
    for argv in (["leaderboard"], ["stats", "--player", "Ana"], ["play", "--player", "Ana"]):
        assert main([*argv, "--save-dir", str(path)]) == 1
        assert "is a file, not a folder" in capsys.readouterr().err
    assert path.read_text() == "my notes"


def test_a_read_command_at_a_mistyped_folder_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "typo" / "saves"
    assert main(["leaderboard", "--save-dir", str(missing)]) == 0
    assert main(["leaderboard", "--json", "--save-dir", str(missing)]) == 0
    assert main(["stats", "--player", "Ana", "--save-dir", str(missing)]) == 2
    assert not (tmp_path / "typo").exists()
    store = TinyDBStore(missing)
    assert store.players() == [] and not (tmp_path / "typo").exists()
    store.add_player("Ana")  # a write creates the folder
    assert TinyDBStore(missing).players() == ["Ana"]


# -- item 10: symbolic links -----------------------------------------------------------------------

def test_a_dangling_lock_symlink_is_never_written_through(saves, tmp_path, capsys):
    outside = tmp_path / "elsewhere" / "created-by-quizgame"
    (saves / ".lock").unlink()
    (saves / ".lock").symlink_to(outside)
    before = _files(saves)
    store = TinyDBStore(saves)
    assert store.players() == ["Ana", "Bob"] and store.progress("Ana", BANK).answers == 1
    assert "symbolic link" in store.read_only
    with pytest.raises(CannotSave):
        store.record_answer("Ana", BANK, answer_event("Ana-1", 1))
    assert main(["leaderboard", "--save-dir", str(saves)]) == 0
    assert main(["play", "--player", "Ana", "--save-dir", str(saves)]) == 1
    assert "symbolic link" in capsys.readouterr().err
    assert not outside.exists() and not outside.parent.exists()
    assert _files(saves) == before


def test_a_symlinked_player_folder_is_never_written_through(saves, tmp_path):
    store = TinyDBStore(saves)
    ana = store._player_dir("Ana")
    outside = tmp_path / "outside"
    ana.rename(outside)
    ana.symlink_to(outside)
    before = _files(outside)
    store = TinyDBStore(saves)
    assert store.progress("Ana", BANK).answers == 1  # read, as before
    with pytest.raises(CannotSave, match="symbolic link"):
        store.record_answer("Ana", BANK, answer_event("Ana-1", 1))
    store.record_answer("Bob", BANK, answer_event("Bob-1", 1))
    assert _files(outside) == before


def test_a_symlinked_players_folder_is_never_written_through(saves, tmp_path):
    outside = tmp_path / "outside"
    (saves / "players").rename(outside)
    (saves / "players").symlink_to(outside)
    before = _files(outside)
    store = TinyDBStore(saves)
    with pytest.raises(CannotSave):
        store.add_player("Cy")
    with pytest.raises(CannotSave):
        store.record_answer("Bob", BANK, answer_event("Bob-1", 1))
    assert _files(outside) == before


# -- item 9: several processes -------------------------------------------------------------------

def _create(folder: str, name: str, barrier) -> str:
    barrier.wait()
    return TinyDBStore(folder).ensure_player(name)


def test_creating_the_same_player_in_four_processes_at_once(tmp_path):
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager, ctx.Pool(4) as pool:
        names = pool.starmap(_create, [(str(tmp_path), "New", manager.Barrier(4))] * 4)
    assert names == ["New"] * 4
    assert TinyDBStore(tmp_path).players() == ["New"]


def _open(folder: str, barrier) -> list[str]:
    barrier.wait()
    store = TinyDBStore(folder)
    store.progress("Ana", BANK)
    return store.warnings


def test_processes_setting_aside_the_same_file_at_once(saves):
    path = TinyDBStore(saves)._player_dir("Ana") / f"progress-{BANK}.json"
    ctx = multiprocessing.get_context("fork")
    for _ in range(3):
        path.write_text("{")
        with ctx.Manager() as manager, ctx.Pool(4) as pool:
            warnings = pool.starmap(_open, [(str(saves), manager.Barrier(4))] * 4)
        assert sum(len(w) for w in warnings) >= 1
        assert TinyDBStore(saves).progress("Ana", BANK).answers == 1
    assert len(list(path.parent.glob(path.name + ".damaged-*"))) == 3
    assert quarantine(path.with_name("gone.json"), datetime.now()) is None  # already moved: no error


def test_a_stopped_process_holding_the_lock_is_named(saves, monkeypatch, capfd):
    monkeypatch.setattr(files, "LOCK_NOTICE_SECONDS", 0.2)
    monkeypatch.setattr(files, "LOCK_GIVE_UP_SECONDS", 0.6)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys; from pathlib import Path; from quizgame.store.files import file_lock\n"
        "with file_lock(Path(sys.argv[1])):\n"
        "    print('held', flush=True); sys.stdin.readline()\n"), str(saves / ".lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        holder.send_signal(signal.SIGSTOP)  # Ctrl+Z in another terminal
        store = TinyDBStore(saves.parent / "other")  # another folder is not held up
        store.add_player("Cy")
        with pytest.raises(SaveLocked, match=f"process {holder.pid}"):
            TinyDBStore(saves)
        err = capfd.readouterr().err
        assert f"waiting for process {holder.pid}" in err and "stopped" in err
        assert main(["leaderboard", "--save-dir", str(saves)]) == 1
        assert f"process {holder.pid}" in capfd.readouterr().err
    finally:
        holder.send_signal(signal.SIGCONT)
        holder.kill()
        holder.wait()
    assert TinyDBStore(saves).players() == ["Ana", "Bob"]  # free again


# -- item 8: a clock that steps back ---------------------------------------------------------------

def _answer(at: datetime, n: int) -> dict:
    return answer_event(f"a{n}", n, verdict="correct", score=1.0, at=at.isoformat(timespec="seconds"))


@pytest.mark.parametrize("step_back", [
    timedelta(seconds=40),  # the clock corrected after midnight
    timedelta(hours=3),  # flying west
])
def test_a_day_already_counted_stays_counted(step_back):
    progress = Progress()
    start = datetime(2026, 11, 22, 20, 0, tzinfo=timezone.utc)
    for day in range(4):
        progress.apply(_answer(start + timedelta(days=day), day))
    assert progress.day_streak == 4
    midnight = datetime(2026, 11, 26, 0, 0, 20, tzinfo=timezone.utc)
    progress.apply(_answer(midnight, 10))
    assert progress.day_streak == 5
    if step_back == timedelta(hours=3):
        west = timezone(timedelta(hours=-5))
        back = (midnight + timedelta(hours=1)).astimezone(west)  # later, yet the day before there
    else:
        back = midnight - step_back
    progress.apply(_answer(back, 11))
    assert progress.day_streak == 5 and progress.best_day_streak == 5
    progress.apply(_answer(midnight + timedelta(days=1), 12))
    assert progress.day_streak == 6


def test_player_name_that_is_not_utf8(tmp_path, capsys):
    name = b"bad\xffname".decode("utf-8", "surrogateescape")  # as Python decodes such argv
    assert main(["play", "--player", name, "--save-dir", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "UTF-8" in err and "Traceback" not in err
    assert main(["stats", "--player", name, "--save-dir", str(tmp_path / "s")]) == 2
    json.dumps(capsys.readouterr().err)


def test_the_game_asks_before_playing_unsaved(saves, monkeypatch, capsys):
    """In a terminal, a read-only folder is explained and the player chooses."""
    from quizgame.store.base import UnsavedStore
    from quizgame.ui import app as ui_app

    _read_only(monkeypatch)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    opened = []
    monkeypatch.setattr(ui_app.QuizApp, "run", lambda self: opened.append(self.store))
    before = _files(saves)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["play", "--player", "Ana", "--save-dir", str(saves)]) == 1 and not opened
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert main(["play", "--player", "Cy", "--save-dir", str(saves)]) == 0
    assert isinstance(opened[0], UnsavedStore) and opened[0].players() == ["Ana", "Bob", "Cy"]
    assert any("without saving" in w for w in opened[0].warnings)
    assert _files(saves) == before


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_lock_that_is_not_a_file(saves, kind):
    lock = saves / ".lock"
    lock.unlink()
    os.mkfifo(lock) if kind == "fifo" else lock.mkdir()
    store = TinyDBStore(saves)  # never hangs on the FIFO
    assert store.read_only and store.players() == ["Ana", "Bob"]
    assert store.progress("Ana", BANK).answers == 1
    with pytest.raises(CannotSave):
        store.record_answer("Ana", BANK, answer_event("Ana-1", 1))


# -- a FIFO where a file should be: reading it would wait for a writer forever ---------------------

def test_a_fifo_in_place_of_a_save_file_is_set_aside(saves, capsys):
    player_file = TinyDBStore(saves)._player_dir("Bob") / "player.json"
    player_file.unlink()
    os.mkfifo(player_file)
    assert main(["leaderboard", "--save-dir", str(saves)]) == 0  # returns at once, does not wait
    captured = capsys.readouterr()
    assert "Ana" in captured.out and "not a regular file" in captured.err
    assert not player_file.exists() and TinyDBStore(saves).players() == ["Ana"]


def test_a_fifo_among_the_banks_is_a_broken_bank(saves, capsys):
    from quizgame.config import imported_banks_dir, load_banks

    folder = imported_banks_dir(saves)
    folder.mkdir()
    os.mkfifo(folder / "pipe.toml")
    banks, problems = load_banks(saves)
    assert [b.id for b in banks] == ["ml-interview"]
    assert any("pipe.toml" in str(p) and "not a regular file" in str(p) for p in problems)


def test_play_without_a_terminal_says_so_and_creates_no_one(saves, monkeypatch, capsys):
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert main(["play", "--player", "Newcomer", "--save-dir", str(saves)]) == 1
    assert "needs a terminal" in capsys.readouterr().err
    assert TinyDBStore(saves).players() == ["Ana", "Bob"]
    assert main(["--save-dir", str(saves)]) == 1


def test_a_hand_made_name_of_any_length_does_not_widen_the_board(saves, capsys):
    player_file = TinyDBStore(saves)._player_dir("Bob") / "player.json"
    data = json.loads(player_file.read_text())
    data["player"]["1"]["name"] = "B" * 200_000
    player_file.write_text(json.dumps(data))
    assert main(["leaderboard", "--save-dir", str(saves)]) == 0
    out = capsys.readouterr().out
    assert "Ana" in out and max(len(line) for line in out.splitlines()) < 200
    assert player_file.exists()  # left as it is
