"""`quizgame serve`: what it prints, what the page loads, and that Ctrl+C ends every game it started."""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizgame.serve import PAGE_TEMPLATES, exposure_warning, page_urls, quizgame_command

STEP = 30.0  # seconds any single step may take on a loaded machine before the test gives up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_loopback_needs_no_warning_and_anything_else_gets_one():
    for host in ("127.0.0.1", "localhost", "::1"):
        assert exposure_warning(host, 8000) is None
    warning = exposure_warning("0.0.0.0", 8000)
    assert warning is not None and "no login" in warning and "any player" in warning


def test_each_tab_runs_this_quizgame_on_the_hosts_saves(tmp_path):
    command = quizgame_command(tmp_path / "my saves", "bank dir")
    assert command.startswith("exec ")
    assert sys.executable in command and "-m quizgame" in command
    assert f"'{tmp_path / 'my saves'}'" in command            # quoted: a space is no problem
    assert "--bank" in command and str(Path("bank dir").resolve()) in command


def test_lan_urls_name_the_machine_not_the_wildcard():
    assert page_urls("127.0.0.1", 8123) == ["http://127.0.0.1:8123/"]
    assert page_urls("::1", 8123) == ["http://[::1]:8123/"]
    assert all("0.0.0.0" not in url for url in page_urls("0.0.0.0", 8123))


def test_the_page_loads_nothing_from_the_internet():
    page = (PAGE_TEMPLATES / "app_index.html").read_text(encoding="utf-8")
    fetched = re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)|url\(["']?([^"')]+)""", page)
    urls = [a or b for a, b in fetched]
    assert urls and all(u.startswith("{{ config.static.url }}") for u in urls), urls
    assert "@font-face" in page and "fonts/RobotoMono-VariableFont_wght.ttf" in page


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


async def _get(port: int, path: str) -> str:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}{path}") as response:
        assert response.status == 200, path
        return (await response.read()).decode("utf-8", "replace")


async def _open_game(port: int, path: str = "/ws") -> bytes:
    """Connect as the page does; return the first screen's bytes (the socket stays open)."""
    import aiohttp

    session = aiohttp.ClientSession()
    ws = await session.ws_connect(f"http://127.0.0.1:{port}{path}?width=80&height=24")
    await ws.send_str(json.dumps(["resize", {"width": 80, "height": 24}]))
    seen = b""
    deadline = time.monotonic() + STEP
    while b"quizgame" not in seen and time.monotonic() < deadline:
        message = await ws.receive(timeout=STEP)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
    _open_game.keep.append((session, ws))  # type: ignore[attr-defined]
    return seen


_open_game.keep = []  # type: ignore[attr-defined]


@pytest.mark.timeout(90)
async def test_serve_prints_the_url_plays_and_ctrl_c_ends_every_game(tmp_path):
    port = free_port()
    saves = tmp_path / "saves"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "quizgame", "serve", "--port", str(port), "--save-dir", str(saves)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,  # noqa: ASYNC220
                              env=env)
    try:
        first = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first, first + server.stderr.read()
        for page in ("/", "/live"):
            html = await _get(port, page)
            urls = [a or b for a, b in re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)|url\(["']?([^"')]+)""", html)]
            assert urls and all(u.startswith(f"http://127.0.0.1:{port}/static/") for u in urls), urls
            for url in urls:                                   # each one is really there
                assert await _get(port, url.split(str(port), 1)[1])
        game = await _open_game(port)
        board = await _open_game(port, "/ws/live")
        assert b"quizgame" in game and b"quizgame" in board
        games = _children(server.pid)
        assert len(games) == 2
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=STEP)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        for session, ws in _open_game.keep:
            await ws.close()
            await session.close()
        _open_game.keep.clear()
    assert server.returncode == 0, err
    assert "stopped" in out
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in games) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert not any(_alive(pid) for pid in games)
    assert "Warning" not in err


def test_other_hosts_are_warned_about_before_serving(tmp_path):
    """A port already taken is a clear message and exit 1; the LAN warning comes first."""
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "quizgame", "serve", "--host", "0.0.0.0", "--port", str(port),
                               "--save-dir", str(tmp_path / "saves")], check=False, capture_output=True, text=True, timeout=60,
                              env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert done.returncode == 1
    assert "cannot listen" in done.stderr and "Traceback" not in done.stderr


def test_without_the_serve_extra_it_says_what_to_install(tmp_path):
    script = ("import sys; sys.modules['textual_serve'] = None; sys.modules['textual_serve.server'] = None\n"
              "from quizgame.cli import main; raise SystemExit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", script, "serve", "--save-dir", str(tmp_path / "saves")],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert done.returncode == 2
    assert "pip install 'quizgame[serve]'" in done.stderr and "Traceback" not in done.stderr


def test_live_and_json_do_not_go_together(tmp_path, capsys):
    from quizgame.cli import main

    assert main(["leaderboard", "--live", "--json", "--save-dir", str(tmp_path / "saves")]) == 2
    assert "--live" in capsys.readouterr().err
