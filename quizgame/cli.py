"""The `quizgame` command. Commands that only print never import the UI (textual)."""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from quizgame import __version__
from quizgame.bankcache import load_bank_cached
from quizgame.config import imported_banks_dir, load_banks, save_dir
from quizgame.core.bank import BankError, load_bank

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizgame",
        description="Drill machine-learning and LLM interview questions in your terminal. "
        "With no command, opens the game.",
    )
    parser.add_argument("--version", action="version", version=f"quizgame {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--save-dir", metavar="DIR", help="folder of the saves (default: $QUIZGAME_SAVE_DIR or saves/)")
    common.add_argument("--bank", metavar="PATH", help="play this bank instead of the shipped one")
    parser.add_argument("--save-dir", metavar="DIR", dest="top_save_dir",
                        help="folder of the saves (default: $QUIZGAME_SAVE_DIR or saves/)")
    parser.add_argument("--bank", metavar="PATH", dest="top_bank", help="play this bank instead of the shipped one")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("start", parents=[common], help="open the game (the default)",
                        description="Open the game at the title screen.")
    play = commands.add_parser("play", parents=[common], help="open straight into a round",
                               description="Open straight into a round; the player is created if new.")
    play.add_argument("--player", required=True, metavar="NAME")
    play.add_argument("--section", metavar="ID", help="a section id (default: every unlocked section)")
    play.add_argument("--mode", default="mc", metavar="MODE", help="mc, recall, cloze or weak (default: mc)")
    play.add_argument("--questions", type=int, default=10, metavar="N", help="questions in the round (default: 10)")
    play.add_argument("--seed", metavar="S", help="the same seed gives the same questions and options")

    board = commands.add_parser("leaderboard", parents=[common], help="print the leaderboard",
                                description="Rank players by total points.")
    board.add_argument("--json", action="store_true", help="print JSON instead of a table")
    board.add_argument("--live", action="store_true",
                       help="full-screen view for a projector: today's top players, recent answers and streaks, "
                       "updated as answers are saved")

    serve = commands.add_parser("serve", parents=[common], help="play together in web browsers",
                                description="Serve the game to web browsers (textual-serve): one game per tab, "
                                "all on this host's saves and leaderboard. Needs the serve extra.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for a LAN)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")

    stats = commands.add_parser("stats", parents=[common], help="print a player's statistics",
                                description="Points, streaks, accuracy per section and topic, unlocks.")
    stats.add_argument("--player", required=True, metavar="NAME")
    stats.add_argument("--json", action="store_true", help="print JSON instead of text")

    content = commands.add_parser("content", help="check or audit a question bank",
                                  description="Check or audit a question bank.")
    content_commands = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = content_commands.add_parser("check", help="validate a bank",
                                        description="Validate a bank: exit 0 if it is valid, 1 if not.")
    check.add_argument("path", nargs="?", metavar="PATH", help="bank folder or file (default: the shipped bank)")
    audit = content_commands.add_parser("audit", help="play every multiple-choice item with blind guessers",
                                        description="How often blind guessers (longest option, shortest, ...) "
                                        "find the right option, and where the right option sits.")
    audit.add_argument("path", nargs="?", metavar="PATH", help="bank folder or file (default: the shipped bank)")
    audit.add_argument("--seeds", type=int, default=20, metavar="N", help="seeds per question (default: 20)")

    imp = commands.add_parser("import", parents=[common], help="import a question bank",
                              description="Import a question bank from plain text, Markdown, Anki, Quizlet or CSV.")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--format", default="auto", choices=["auto", "text", "markdown", "tsv", "anki", "quizlet", "csv"])
    imp.add_argument("--section", metavar="TITLE", help="put every question in one section with this title")
    imp.add_argument("--out", metavar="PATH", help="where to write the bank (default: the saves' banks/ folder)")
    imp.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "start"
    # Options given before the command apply too: `quizgame --save-dir X play ...`.
    args.save_dir = getattr(args, "save_dir", None) or args.top_save_dir
    args.bank = getattr(args, "bank", None) or args.top_bank
    try:
        if command == "content":
            return content_check(args) if args.content_command == "check" else content_audit(args)
        if command == "import":
            return import_file(args)
        if command == "leaderboard":
            return run_live_board(args) if args.live else print_leaderboard(args)
        if command == "serve":
            return serve_game(args)
        if command == "stats":
            return print_stats(args)
        return run_game(args, play=command == "play")
    except BankError as error:
        print("quizgame: the question bank has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `quizgame leaderboard | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _fail(message: str, code: int = USAGE_ERROR) -> int:
    print(f"quizgame: {message}", file=sys.stderr)
    return code


def _open_store(args):
    from quizgame.store.tinydb_store import TinyDBStore  # only commands that read saves pay for tinydb

    return TinyDBStore(save_dir(args.save_dir))


# -- the game ------------------------------------------------------------------------------


def run_game(args, play: bool) -> int:
    saves = save_dir(args.save_dir)
    banks, bank_problems = load_banks(saves, args.bank)
    store = _open_store(args)
    start = None
    if play:
        from quizgame.core.players import InvalidName
        from quizgame.core.rounds import RoundError, plan_round

        try:
            player = store.find_player(args.player) or store.add_player(args.player)
        except InvalidName as error:
            return _fail(str(error))
        try:
            plan_round(banks[0], store.progress(player, banks[0].id), args.mode, args.section, args.questions, args.seed)
        except RoundError as error:
            return _fail(str(error))
        start = {"player": player, "mode": args.mode, "section": args.section,
                 "size": args.questions, "seed": args.seed}
    from quizgame.ui.app import QuizApp  # the UI is imported only when the game opens

    notices = list(store.warnings) + [f"Skipped a broken bank: {p}" for p in bank_problems]
    QuizApp(banks=banks, store=store, start=start, notices=notices).run()
    return 0


def run_live_board(args) -> int:
    if args.json:
        return _fail("--live and --json do not go together")
    bank = load_bank_cached(args.bank)
    store = _open_store(args)
    from quizgame.ui.screens.live import LiveBoardApp  # the UI is imported only when the board opens

    LiveBoardApp(bank=bank, store=store).run()
    return 0


def serve_game(args) -> int:
    from quizgame.serve import ServeUnavailable, serve

    if not 0 <= args.port <= 65535:
        return _fail(f"--port must be between 0 and 65535, not {args.port}")
    load_bank_cached(args.bank)  # a broken bank is reported here, not in every browser tab
    try:
        return serve(save_dir(args.save_dir), args.bank, args.host, args.port)
    except ServeUnavailable as error:
        return _fail(str(error))


# -- printing commands ------------------------------------------------------------------------


def print_leaderboard(args) -> int:
    from quizgame.core.rounds import ALL_SECTIONS
    from quizgame.core.stats import leaderboard

    bank = load_bank_cached(args.bank)
    rows = leaderboard(bank, _open_store(args).everyone(bank.id))
    if args.json:
        print(json.dumps({"bank": bank.id, "players": [
            {"rank": r.rank, "player": r.player, "points": r.points, "best_rounds": r.best_rounds,
             "longest_streak": r.longest_streak, "accuracy": _ratio(r.accuracy), "answers": r.answers}
            for r in rows]}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No players yet. Start the game with `quizgame` to create one.")
        return 0
    columns = [(s.id, s.label) for s in bank.sections] + [(ALL_SECTIONS, "Mixed")]
    header = ["#", "Player", "Points", *[label for _, label in columns], "Longest streak", "Accuracy"]
    table = [[str(r.rank), r.player, f"{r.points:,}", *[f"{r.best_rounds.get(key, 0):,}" for key, _ in columns],
              str(r.longest_streak), _percent(r.accuracy)] for r in rows]
    print(f"Leaderboard: {bank.title} (points; best round per section and in mixed rounds)")
    print(_table(header, table, right={0, 2, *range(3, len(header))}))
    return 0


def print_stats(args) -> int:
    from datetime import date

    from quizgame.core import stats as st

    bank = load_bank_cached(args.bank)
    store = _open_store(args)
    player = store.find_player(args.player)
    if player is None:
        return _fail(f"no player called {args.player!r}; players: {', '.join(store.players()) or 'none yet'}")
    progress = store.progress(player, bank.id)
    sections = st.accuracy_by_section(bank, progress)
    topics = st.accuracy_by_topic(bank, progress)
    states = st.section_states(bank, progress)
    data = {
        "player": player, "bank": bank.id, "points": progress.points, "answers": progress.answers,
        "streak": progress.streak, "longest_streak": progress.best_streak,
        "day_streak": st.current_day_streak(progress, date.today()), "longest_day_streak": progress.best_day_streak,
        "accuracy": _ratio(st.overall_accuracy(bank, progress).ratio),
        "sections": {sid: {"answered": a.answered, "accuracy": _ratio(a.ratio)} for sid, a in sections.items()},
        "topics": {t: {"answered": a.answered, "accuracy": _ratio(a.ratio)} for t, a in topics.items()},
        "unlocked": [s.section.id for s in states if s.unlocked],
        "overrides": progress.overrides,
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{player} — {bank.title}")
    print(f"Points {progress.points:,} · answers {progress.answers} · accuracy {_percent(data['accuracy'])}")
    print(f"Answer streak {progress.streak} (longest {progress.best_streak}) · "
          f"day streak {data['day_streak']} (longest {progress.best_day_streak})")
    print()
    print(_table(["Section", "State", "Mastered", "Answered", "Accuracy"], [
        [s.section.title, "unlocked" if s.unlocked else "locked", f"{s.mastered}/{s.total}",
         str(sections[s.section.id].answered), _percent(sections[s.section.id].ratio)] for s in states],
        right={2, 3, 4}))
    if topics:
        print()
        print(_table(["Topic", "Answered", "Accuracy"],
                     [[t, str(a.answered), _percent(a.ratio)] for t, a in topics.items()], right={1, 2}))
    return 0


def content_check(args) -> int:
    bank = load_bank(args.path)
    print(f"{bank.source}: valid: {len(bank.questions)} questions in {len(bank.sections)} sections "
          f"({', '.join(s.title for s in bank.sections)})")
    return 0


def content_audit(args) -> int:
    from quizgame.core.audit import audit, format_report

    bank = load_bank(args.path)
    report = audit(bank, seeds=args.seeds)
    print(format_report(report))
    return 0 if report.passed else 1


def import_file(args) -> int:
    from quizgame.core.importers import ImportFailed, import_bank, write_bank

    source = Path(args.file)
    out = Path(args.out) if args.out else imported_banks_dir(save_dir(args.save_dir)) / f"{source.stem}.toml"
    # Tab-separated files are Anki or Quizlet exports, or a table with a header: tell by content.
    fmt = "auto" if args.format == "tsv" else args.format
    try:
        result = import_bank(source, fmt, args.section)
        if not args.out:
            out.parent.mkdir(parents=True, exist_ok=True)
        write_bank(result, out, force=args.force)
    except ImportFailed as error:
        print(f"quizgame: could not import {source}:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    skipped = f", skipped {result.skipped}" if result.skipped else ""
    print(f"Imported {result.questions} questions ({result.format}{skipped}) into {out}")
    if not args.out:
        print("Open the game and press b on the section map to play it.")
    return 0


# -- formatting ------------------------------------------------------------------------------


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _table(header: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - _width(cell))
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    return "\n".join([line(header), line(["─" * w for w in widths]), *map(line, rows)])

