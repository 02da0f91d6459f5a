"""A real browser plays a round: Debian's chromium, headless, driven by selenium through chromedriver.

`quizgame serve` runs on a free loopback port with a save folder in tmp_path. The browser
opens the page, the test types a new player's name and plays a 10-question multiple-choice
round with key presses sent to the page (xterm.js turns them into what a terminal sends),
then checks on the host, with `quizgame stats --json`, that all ten answers were saved. A
screenshot of the page must not be blank.

The browser never needs the internet (the page is served whole by quizgame), and the
browser's own background traffic is switched off. To see where the round is, the test reads
what the server sent to the page: a small script, added before the page's own, copies the
websocket's terminal output into `window.__quizgame`. Set QUIZGAME_BROWSER_SHOT=path.png
to keep the screenshot (docs/browser.png was taken that way).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
STEP = 30.0  # seconds one step (a page load, a key's answer) may take on a loaded 2-core machine
ANSI = re.compile(r"\x1b\[[0-9;?<>=!]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_].*?\x1b\\|\x1b[@-Z\\-_]")
QUESTION = re.compile(r"(?:Question (\d+) of (\d+)|\b(\d+)/(\d+)\s+·)")
FEEDBACK = ("next question", "see your results", "\u23ce Next")  # the box, or the footer ("⏎ Next")

pytestmark = [
    pytest.mark.timeout(110),
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver (.ci/run installs them with apt)"),
]

# Runs before the page's scripts: keep a copy of the terminal output the page receives.
TAP = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__quizgame = "";
  function Tapped(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") window.__quizgame += decoder.decode(event.data, {stream: true});
    });
    return socket;
  }
  Tapped.prototype = Native.prototype;
  Object.assign(Tapped, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Tapped;
})();
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def png_colours(png: bytes, limit: int = 64) -> int:
    """How many distinct pixel colours a PNG has (up to `limit`): 1 means blank. 8-bit RGB(A) only."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(png):
        size, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + size]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + size
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    previous = bytearray(stride)
    seen: set[bytes] = set()
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up, corner = previous[x], previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        previous = line
        if y % 8 == 0:  # every 8th row is plenty to tell a blank page from a drawn one
            seen.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 4))
            if len(seen) >= limit:
                break
    return len(seen)


@pytest.fixture
def served(tmp_path):
    port = free_port()
    saves = tmp_path / "saves"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    server = subprocess.Popen([sys.executable, "-m", "quizgame", "serve", "--port", str(port), "--save-dir", str(saves)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = server.stdout.readline()
        assert f"127.0.0.1:{port}" in line, line + server.stderr.read()
        yield f"http://127.0.0.1:{port}/", saves, env
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.communicate(timeout=STEP)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


@pytest.fixture
def browser(tmp_path, monkeypatch):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # selenium must never try to fetch a driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1100,720", f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.set_page_load_timeout(STEP)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TAP})
        yield driver
    finally:
        driver.quit()


class Page:
    """The served page in the browser: keys go to the page, the screen is read from what it received."""

    def __init__(self, driver) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        self.driver = driver
        self.actions = ActionChains
        self.seen = ""

    def take(self) -> str:
        """Terminal output received since the last take (raw: one chunk may end inside an escape)."""
        return str(self.driver.execute_script(
            "const t = window.__quizgame || ''; window.__quizgame = ''; return t;"))

    def press(self, keys: str, until, what: str) -> str:
        """Send keys to the page; wait until until(text received since, escapes removed) holds."""
        self.take()
        self.actions(self.driver).send_keys(keys).perform()
        received, deadline = "", time.monotonic() + STEP
        while not until(ANSI.sub("", received)):
            if time.monotonic() > deadline:
                raise AssertionError(f"after {keys!r}, no {what} within {STEP:.0f}s; received:\n"
                                     f"{ANSI.sub('', received)[-2000:]}")
            time.sleep(0.05)
            received += self.take()
        return ANSI.sub("", received)


def wait_first_screen(driver) -> None:
    """The page marks its body once the app's first screen has arrived."""
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + STEP
    while "-first-byte" not in (driver.find_element(By.TAG_NAME, "body").get_attribute("class") or ""):
        assert time.monotonic() < deadline, "the page never showed the app"
        time.sleep(0.1)


def question_shown(number: int):
    def test(text: str) -> bool:
        return any(int(m.group(1) or m.group(3)) == number for m in QUESTION.finditer(text))
    return test


def test_a_browser_plays_a_round_and_the_host_has_every_answer(served, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, saves, env = served
    browser.get(url + "live")               # the room's projector, open before anyone plays
    board = browser.current_window_handle
    wait_first_screen(browser)
    browser.switch_to.new_window("tab")
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TAP})  # per tab
    browser.get(url)
    wait_first_screen(browser)
    page = Page(browser)
    deadline = time.monotonic() + STEP
    while "Who's playing" not in ANSI.sub("", page.seen):
        assert time.monotonic() < deadline, "no title screen"
        page.seen += page.take()
        time.sleep(0.05)
    browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").click()

    page.press("Selena" + Keys.ENTER, lambda t: "Selena" in t and "section map" in t, "section map")
    page.press(Keys.ENTER, question_shown(1), "first question")
    shot = tmp_path / "browser.png"
    for n in range(1, 11):
        page.press("1", lambda t: any(m in t for m in FEEDBACK), f"feedback on question {n}")
        if n == 1:
            time.sleep(0.5)  # let xterm.js paint the feedback before the picture
            browser.save_screenshot(str(shot))
        last = n == 10
        page.press(Keys.ENTER, (lambda t: "Round complete" in t) if last else question_shown(n + 1),
                   "the summary" if last else f"question {n + 1}")

    done = subprocess.run([sys.executable, "-m", "quizgame", "stats", "--player", "Selena", "--json",
                           "--save-dir", str(saves)], capture_output=True, text=True, timeout=60, env=env, check=False)
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["answers"] == 10
    assert sum(s["answered"] for s in stats["sections"].values()) == 10
    # The projector's board updated by itself: Selena is on it with her ten answers.
    browser.switch_to.window(board)
    projector = Page(browser)
    deadline, shown = time.monotonic() + STEP, ""
    while not ("Selena" in shown and "/10" in shown):
        assert time.monotonic() < deadline, f"the live board never showed Selena:\n{shown[-2000:]}"
        projector.seen += projector.take()
        shown = ANSI.sub("", projector.seen)
        time.sleep(0.1)
    png = shot.read_bytes()
    assert png_colours(png) > 4, "the screenshot is blank"
    if os.environ.get("QUIZGAME_BROWSER_SHOT"):
        shutil.copyfile(shot, os.environ["QUIZGAME_BROWSER_SHOT"])
