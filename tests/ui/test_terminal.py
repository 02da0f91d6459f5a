"""The installed `quizgame` command in a real terminal (tmux): keys in, screen text out.

Each test starts its own tmux server on a socket of its own and kills it in a finally.
Saves and the bank cache go to tmp_path, never the repository's saves/ or ~/.cache.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

QUIZGAME = Path(sys.executable).parent / "quizgame"
TMUX = shutil.which("tmux")

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the real-terminal tests need it"),
    pytest.mark.skipif(not QUIZGAME.exists(), reason=f"the quizgame console script is not installed at {QUIZGAME}"),
]

WIDTH, HEIGHT = 100, 30
STEP = 15.0  # seconds any one step may take (start-up included) before the test gives up


class Terminal:
    """A detached tmux session running one command, with the command's exit code in a file."""

    def __init__(self, tmp_path: Path, command: list[str]):
        self.socket = f"quizgame-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.rc_file = tmp_path / "exit-code"
        self.tmp_path = tmp_path
        self.command = command

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([TMUX, "-L", self.socket, "-f", os.devnull, *args],
                              capture_output=True, text=True, timeout=10, check=check)

    def start(self) -> None:
        shell = f"{shlex.join(self.command)}; echo $? > {shlex.quote(str(self.rc_file))}"
        env = {"XDG_CACHE_HOME": str(self.tmp_path / "cache"), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        self.tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "-c", str(self.tmp_path),
                  *env_args, shell)

    def screen(self) -> str:
        result = self.tmux("capture-pane", "-p", check=False)
        return result.stdout if result.returncode == 0 else ""

    def alive(self) -> bool:
        return self.tmux("has-session", check=False).returncode == 0

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def wait_for(self, text: str, timeout: float = STEP) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            if not self.alive():
                break
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout} s (session alive: {self.alive()}); "
                             f"last screen:\n{self.screen()}")

    def wait_until_gone(self, timeout: float = STEP) -> int:
        """Wait for the command to end; return its exit code."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.rc_file.exists() and self.rc_file.read_text().strip():
                return int(self.rc_file.read_text())
            time.sleep(0.1)
        raise AssertionError(f"the game did not exit within {timeout} s; last screen:\n{self.screen()}")

    def wait_for_absent(self, text: str, timeout: float = STEP) -> None:
        deadline = time.monotonic() + timeout
        while text in self.screen():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} still on screen after {timeout} s:\n{self.screen()}")
            time.sleep(0.1)

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def terminal(tmp_path):
    made = []

    def run(*args: str) -> Terminal:
        term = Terminal(tmp_path, [str(QUIZGAME), *args])
        made.append(term)
        term.start()
        return term

    try:
        yield run
    finally:
        for term in made:
            term.kill()


def test_play_a_round_in_tmux_to_the_summary(terminal, tmp_path):
    saves = tmp_path / "saves"
    term = terminal("--save-dir", str(saves), "play", "--player", "Ana", "--mode", "mc",
                    "--questions", "2", "--seed", "3")
    for number in (1, 2):
        term.wait_for(f"{number}/2")
        term.wait_for("Pick")  # the footer offers the digits: the question waits for an answer
        term.keys("1")
        term.wait_for("⏎ Next")  # the footer's key once the answer is judged
        term.keys("Enter")
    screen = term.wait_for("Round complete")
    assert "of 2 correct" in screen
    assert term.alive()
    term.keys("C-q")
    assert term.wait_until_gone() == 0

    from quizgame.core.bank import load_bank
    from quizgame.store.tinydb_store import TinyDBStore

    bank = load_bank()  # the shipped bank, which `play` uses without --bank
    store = TinyDBStore(saves)
    assert store.players() == ["Ana"]
    history = store.history("Ana", bank.id)
    assert [e["type"] for e in history] == ["answer", "answer", "round"]
    assert all(e["text"] for e in history[:2])


@pytest.mark.parametrize("with_player", [True, False], ids=["with-a-player", "no-players"])
def test_title_screen_appears_and_q_quits(terminal, tmp_path, with_player):
    saves = tmp_path / "saves"
    if with_player:
        from quizgame.store.tinydb_store import TinyDBStore

        TinyDBStore(saves).add_player("Ana")
    term = terminal("--save-dir", str(saves))
    term.wait_for("Who's playing?")
    term.wait_for("New player")  # the list may be drawn a frame after the header on a busy machine
    if with_player:
        term.wait_for("Ana")
    else:
        # No players yet: the name box is open and has the keys; Escape closes it first.
        term.wait_for("Your name")
        term.keys("Escape")
        term.wait_for_absent("Your name")
    term.keys("q")
    assert term.wait_until_gone() == 0
    assert not term.alive()
