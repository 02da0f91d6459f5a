"""`quizgame serve`: the game in web browsers, for a study group on one host.

textual-serve runs one copy of the game per browser tab, as a child process speaking
Textual's web driver protocol over its stdin/stdout, and relays it to the page over a
websocket. Every copy is the ordinary `quizgame` command with the host's save folder, so
everyone shares one leaderboard, the unlocks and the daily challenge, and the saves' lock
keeps every answer.

What this module adds to textual-serve's Server:
- the page loads nothing from the internet (textual-serve's page asks Google Fonts for
  Roboto Mono; ours uses the copy textual-serve ships, and local monospace fonts after it);
- the page's addresses come from the request, so a laptop on the LAN that opened
  http://192.168.1.5:8000 connects back to that address, not to the address listened on;
- /live serves `quizgame leaderboard --live`, the room's projector view;
- Ctrl+C (or SIGTERM) asks every game process to quit, closes every page, and kills any
  process still running after SHUTDOWN_GRACE seconds.

textual-serve is imported only when the server starts: it is the `serve` extra.
"""
from __future__ import annotations

import asyncio
import logging
import shlex
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web
    from textual_serve.app_service import AppService

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
PAGE_TEMPLATES = Path(__file__).resolve().parent / "web"
# How long a game process gets to quit on its own at shutdown before it is killed. A game
# quits in well under a second (it only has to restore nothing: no terminal); 5 s covers a
# loaded 2-core host with 20 games quitting at once.
SHUTDOWN_GRACE = 5.0
# Default browser terminal size when the page does not say (textual-serve's own default).
DEFAULT_COLUMNS, DEFAULT_ROWS = 80, 24
INSTALL_HINT = "pip install 'quizgame[serve]'"
log = logging.getLogger("quizgame.serve")


class ServeUnavailable(RuntimeError):
    """textual-serve is not installed."""


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def exposure_warning(host: str, port: int) -> str | None:
    """What to tell the host when the server is reachable from other machines (None on loopback)."""
    if is_loopback(host):
        return None
    return (
        f"Warning: serving on {host}:{port}, reachable from other machines. There is no login: "
        "anyone who can reach this port can play, and can pick any player, including yours. "
        "Serve only on a network you trust, and stop the server (Ctrl+C) when the session is over."
    )


def quizgame_command(save_dir: Path, bank: str | None, *args: str) -> str:
    """The shell command that runs this same quizgame, with this save folder, for one tab.

    `exec` makes the game the shell's process, so ending it ends the game itself.
    """
    words = [sys.executable, "-m", "quizgame", "--save-dir", str(save_dir.resolve())]
    if bank:
        words += ["--bank", str(Path(bank).resolve())]
    return "exec " + shlex.join([*words, *args])


def page_urls(host: str, port: int) -> list[str]:
    """The addresses to print: the one to open here, and on a LAN the machine's own names."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        names: set[str] = set()
        try:
            names.update(str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
        except OSError:
            pass
        try:
            # The address other machines reach this one by: the one the system would send from.
            # Connecting a UDP socket only picks a route; nothing is sent (192.0.2.1 is TEST-NET-1).
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("192.0.2.1", 9))
                names.add(str(probe.getsockname()[0]))
        except OSError:
            pass
        lan = sorted(name for name in names if not is_loopback(name))
        return [f"http://{name}:{port}/" for name in ["127.0.0.1", *lan]]
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}/"]


def make_server(game: str, live: str, host: str, port: int) -> Any:
    """A QuizServer (typed Any: textual-serve is optional and imported here)."""
    try:
        from textual_serve.app_service import AppService
        from textual_serve.server import Server
    except ImportError as error:
        raise ServeUnavailable(f"`quizgame serve` needs textual-serve: {INSTALL_HINT} ({error})") from None
    return _server_class(Server, AppService)(game, live, host, port)


@dataclass(eq=False)  # sessions are kept in a set, by identity
class _Session:
    """One open page: its websocket and the game process behind it."""

    websocket: web.WebSocketResponse
    service: AppService
    processes: list[asyncio.subprocess.Process] = field(default_factory=list)


def _server_class(server_base: type, service_base: type) -> type:
    from aiohttp import WSMsgType, web

    class TrackedAppService(service_base):
        """textual-serve's AppService, remembering the process it starts."""

        def __init__(self, *args: Any, session_processes: list[asyncio.subprocess.Process], **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._session_processes = session_processes

        async def _open_app_process(self, width: int = DEFAULT_COLUMNS,
                                    height: int = DEFAULT_ROWS) -> asyncio.subprocess.Process:
            process: asyncio.subprocess.Process = await super()._open_app_process(width, height)
            self._session_processes.append(process)
            return process

    class QuizServer(server_base):
        def __init__(self, game: str, live: str, host: str, port: int):
            super().__init__(game, host=host, port=port, title="quizgame", templates_path=PAGE_TEMPLATES)
            self.commands = {"/ws": game, "/ws/live": live}
            self.sessions: set[_Session] = set()
            self.closing = False

        async def _make_app(self) -> web.Application:
            app: web.Application = await super()._make_app()
            app.router.add_get("/live", self.handle_index, name="live")
            app.router.add_get("/ws/live", self.handle_websocket, name="live-websocket")
            return app

        async def handle_index(self, request: web.Request) -> web.Response:
            import aiohttp_jinja2

            # Addresses as the browser reached us (a LAN address, a name), never 0.0.0.0.
            origin = f"{request.scheme}://{request.host}"
            ws_origin = ("wss" if request.scheme == "https" else "ws") + f"://{request.host}"
            socket_path = "/ws/live" if request.path.rstrip("/") == "/live" else "/ws"
            font_size = _to_int(request.query.get("fontsize", "16"), 16)
            context = {
                "font_size": font_size,
                "app_websocket_url": ws_origin + socket_path,
                "config": {"static": {"url": origin + "/static/"}},
                "application": {"name": "quizgame · live leaderboard" if socket_path == "/ws/live" else "quizgame"},
            }
            response: web.Response = aiohttp_jinja2.render_template("app_index.html", request, context)
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            websocket = web.WebSocketResponse(heartbeat=15)
            await websocket.prepare(request)
            if self.closing:
                await websocket.close()
                return websocket
            width = _to_int(request.query.get("width", str(DEFAULT_COLUMNS)), DEFAULT_COLUMNS)
            height = _to_int(request.query.get("height", str(DEFAULT_ROWS)), DEFAULT_ROWS)
            processes: list[asyncio.subprocess.Process] = []
            service = TrackedAppService(
                self.commands[request.path], write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager, debug=False,
                session_processes=processes)
            session = _Session(websocket, service, processes)
            self.sessions.add(session)
            try:
                await service.start(width, height)
                async for message in websocket:
                    if message.type == WSMsgType.TEXT:
                        await _relay(message.json(), websocket, service)
            except asyncio.CancelledError:
                pass
            except Exception as error:  # noqa: BLE001 - one broken page must not take the server down
                log.warning("a browser session ended with an error: %s", error)
            finally:
                await _end_session(session)
                self.sessions.discard(session)
                if not websocket.closed:
                    await websocket.close()
            return websocket

        async def on_startup(self, app: web.Application) -> None:
            pass

        async def on_shutdown(self, app: web.Application) -> None:
            """Ctrl+C: end every game and close every page, so nothing outlives the server."""
            self.closing = True
            sessions = list(self.sessions)
            await asyncio.gather(*(_end_session(s) for s in sessions), return_exceptions=True)
            for session in sessions:
                if not session.websocket.closed:
                    await session.websocket.close()

        async def run(self, ready: Callable[[int], None]) -> None:
            """Listen, call ready(port) once listening, and serve until SIGINT or SIGTERM."""
            runner = web.AppRunner(await self._make_app(), handle_signals=False, shutdown_timeout=SHUTDOWN_GRACE)
            await runner.setup()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            try:
                site = web.TCPSite(runner, self.host, self.port)
                await site.start()  # OSError here if the port is taken: nothing was started
                ready(_bound_port(runner, self.port))
                await stop.wait()
            finally:
                await runner.cleanup()  # on_shutdown ends every game, then the pages close

    return QuizServer


async def _relay(envelope: object, websocket: web.WebSocketResponse, service: AppService) -> None:
    """One message from the page, as textual-serve's own server handles it."""
    if not isinstance(envelope, list) or not envelope:
        return
    kind = envelope[0]
    if kind == "stdin" and len(envelope) > 1 and isinstance(envelope[1], str):
        await service.send_bytes(envelope[1].encode("utf-8"))
    elif kind == "resize" and len(envelope) > 1 and isinstance(envelope[1], dict):
        size = envelope[1]
        await service.set_terminal_size(_to_int(str(size.get("width")), DEFAULT_COLUMNS),
                                        _to_int(str(size.get("height")), DEFAULT_ROWS))
    elif kind == "ping" and len(envelope) > 1:
        await websocket.send_json(["pong", envelope[1]])
    elif kind == "blur":
        await service.blur()
    elif kind == "focus":
        await service.focus()


async def _end_session(session: _Session) -> None:
    """Ask the game to quit; kill it if it has not after SHUTDOWN_GRACE seconds."""
    try:
        await asyncio.wait_for(session.service.stop(), SHUTDOWN_GRACE)
    except (TimeoutError, OSError, RuntimeError, AssertionError):
        pass
    for process in session.processes:
        if process.returncode is None:
            try:
                process.kill()
            except ProcessLookupError:
                continue
            await process.wait()


def _bound_port(runner: web.AppRunner, asked: int) -> int:
    """The port listened on (the one asked for, or the one the system chose for port 0)."""
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return asked


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def serve(save_dir: Path, bank: str | None, host: str, port: int) -> int:
    """Run the server until Ctrl+C; the exit code for the command."""
    save_dir.mkdir(parents=True, exist_ok=True)
    game = quizgame_command(save_dir, bank)
    live = quizgame_command(save_dir, bank, "leaderboard", "--live")
    server = make_server(game, live, host, port)

    def ready(bound: int) -> None:
        warning = exposure_warning(host, bound)
        if warning:
            print(warning, file=sys.stderr, flush=True)
        urls = page_urls(host, bound)
        print(f"quizgame is being served at {urls[0]}")
        for url in urls[1:]:
            print(f"Others on the network open {url}")
        print("Open it in a browser: one tab per player.")
        print(f"Live leaderboard for a projector: {urls[0]}live")
        print(f"Saves: {save_dir.resolve()}. Press Ctrl+C to stop.", flush=True)

    try:
        asyncio.run(server.run(ready))
    except OSError as error:
        print(f"quizgame: cannot listen on {host}:{port}: {error.strerror or error}. "
              "Choose another --port, or stop what is using it.", file=sys.stderr)
        return 1
    print("quizgame serve stopped; every game it started has ended.", flush=True)
    return 0
