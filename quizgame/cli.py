"""The `quizgame` command. Commands that only print never import the UI (textual)."""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import unicodedata
from collections.abc import Set as AbstractSet
from pathlib import Path

from quizgame import __version__
from quizgame.bankcache import load_bank_cached
from quizgame.config import (
    SAVE_DIR_ENV,
    default_save_dir,
    load_banks,
    migrate_checkout_saves,
    save_dir,
)
from quizgame.core.bank import BankError, load_bank
from quizgame.core.printable import printable

USAGE_ERROR = 2


class _Version(argparse.Action):
    """--version: the version, and whether the optional semantic grading is on (looked up only here)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **_: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the version and whether semantic grading is on, then exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from quizgame.semantic import status

        print(f"quizgame {__version__}\n{status()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    saves_help = f"folder of the saves (default: ${SAVE_DIR_ENV}, else {default_save_dir()})"
    parser = argparse.ArgumentParser(
        prog="quizgame",
        description="Drill machine-learning and LLM interview questions in your terminal.\n"
        "With no command, opens the game.",
        # Raw, so that the save folder's path is printed whole, never wrapped at a hyphen.
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Saves are kept in\n  {save_dir(None)}\n(--save-dir DIR or ${SAVE_DIR_ENV} chooses another folder).",
    )
    parser.add_argument("--version", action=_Version)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--save-dir", metavar="DIR", help=saves_help)
    common.add_argument("--bank", metavar="PATH", help="play this bank instead of the shipped one")
    parser.add_argument("--save-dir", metavar="DIR", dest="top_save_dir", help=saves_help)
    parser.add_argument("--bank", metavar="PATH", dest="top_bank", help="play this bank instead of the shipped one")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("start", parents=[common], help="open the game (the default)",
                        description="Open the game at the title screen.")
    play = commands.add_parser("play", parents=[common], help="open straight into a round",
                               description="Open straight into a round; the player is created if new.")
    play.add_argument("--player", required=True, metavar="NAME",
                      help="who plays; names match without regard to case (ana is Ana); created if new")
    play.add_argument("--section", metavar="ID", help="a section id (default: every unlocked section)")
    play.add_argument("--mode", default="mc", metavar="MODE",
                      help="mc, recall, cloze, weak, review (due cards), blitz (timed) or testout (default: mc)")
    play.add_argument("--daily", action="store_true", help="play today's daily challenge")
    play.add_argument("--seconds", type=float, default=20.0, metavar="S",
                      help="blitz: seconds per question (default: 20)")
    play.add_argument("--questions", type=int, default=10, metavar="N",
                      help="questions in the round (default: 10; fewer if the section has fewer, and the game says so)")
    play.add_argument("--seed", metavar="S",
                      help="any text, such as 42 or monday: the same seed gives the same questions and options")

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
    stats.add_argument("--player", required=True, metavar="NAME", help="a player's name, in any case")
    stats.add_argument("--json", action="store_true", help="print JSON instead of text")

    content = commands.add_parser("content", help="check or audit a question bank",
                                  description="Check or audit a question bank.")
    content_commands = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = content_commands.add_parser("check", help="validate a bank",
                                        description="Validate a bank: exit 0 if it is valid, 1 if not.")
    check.add_argument("path", nargs="?", metavar="PATH", help="bank folder or file (default: the shipped bank)")
    audit = content_commands.add_parser("audit", help="play every multiple-choice item with blind guessers",
                                        description="How often blind guessers, each reading one cue (length, "
                                        "words from the question, absolute words, justifications, ...), and a "
                                        "learned ensemble find the right option, and where it sits. Exit 1 if "
                                        "any of them scores above 35% or a position is favoured.")
    audit.add_argument("path", nargs="?", metavar="PATH", help="bank folder or file (default: the shipped bank)")
    audit.add_argument("--seeds", type=int, default=20, metavar="N", help="seeds per question (default: 20)")
    audit.add_argument("--generated", action="store_true",
                       help="set the hand-written distractors aside and audit the generated options")
    flags = content_commands.add_parser("flags", help="list the items players flagged",
                                        description="List the items players flagged as having another right "
                                        "option or as unclear, most flagged first.")
    flags.add_argument("--bank", metavar="ID", help="a bank's id or file (default: the shipped bank)")
    flags.add_argument("--save-dir", metavar="DIR", help="folder of the saves (default: $QUIZGAME_SAVE_DIR or saves/)")
    flags.add_argument("--json", action="store_true", help="print JSON instead of text")

    grading = commands.add_parser("grading", help="review how typed answers were graded",
                                  description="Review how typed answers were graded.")
    grading_commands = grading.add_subparsers(dest="grading_command", metavar="ACTION", required=True)
    export = grading_commands.add_parser("export", help="print a player's overrides as TSV",
                                         description="Print the answers a player re-graded with y/n, as TSV "
                                         "(bank, question, verdict, grader_verdict, at, answer), for a bank's "
                                         "author to review.")
    export.add_argument("--player", required=True, metavar="NAME")
    export.add_argument("--save-dir", metavar="DIR", help="folder of the saves (default: $QUIZGAME_SAVE_DIR or saves/)")
    export.add_argument("--bank", dest="bank_id", metavar="ID",
                        help="only this bank's id (default: the shipped bank and every imported one)")

    imp = commands.add_parser("import", parents=[common], help="import a question bank",
                              description="Import a question bank from plain text, Markdown, Anki, Quizlet or CSV.")
    from quizgame.importcmd import add_arguments

    add_arguments(imp)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "start"
    # Options given before the command apply too: `quizgame --save-dir X play ...`.
    args.save_dir = getattr(args, "save_dir", None) or args.top_save_dir
    args.bank = getattr(args, "bank", None) or args.top_bank
    try:
        if command == "content":
            if args.content_command == "flags":
                return content_flags(args)
            return content_check(args) if args.content_command == "check" else content_audit(args)
        if command == "import":
            return import_file(args)
        if command == "grading":
            return export_overrides(args)
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
            print(f"  {printable(str(problem))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `quizgame leaderboard | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # saves that cannot be read or written: a full disk, a read-only folder
        return _fail(f"{error.strerror or error}" if error.filename is None else str(error), 1)


def _notice(message: str) -> None:
    """A line for the player before the game's screen opens (it is the only thing on the terminal)."""
    print(f"quizgame: {printable(message)}", file=sys.stderr, flush=True)


def _fail(message: str, code: int = USAGE_ERROR) -> int:
    _notice(message)
    return code


def _saves(args) -> Path:
    """The save folder; the first time the default is used, a checkout's old saves/ moves into it."""
    folder = save_dir(args.save_dir)
    if not args.save_dir and not os.environ.get(SAVE_DIR_ENV):
        moved = migrate_checkout_saves(folder)
        if moved:
            print(f"quizgame: {moved}", file=sys.stderr)
            args.moved = moved
    return folder


def _open_store(args):
    from quizgame.store.tinydb_store import TinyDBStore  # only commands that read saves pay for tinydb

    return TinyDBStore(_saves(args))


def _writable_store(args):
    """The store to play on; if the saves cannot be written, the player chooses to play unsaved."""
    store = _open_store(args)
    if store.read_only is None:
        return store
    message = f"Cannot save: {store.read_only}."
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _fail(f"{message} Choose another folder with --save-dir.", 1)
        return None
    try:
        reply = input(f"quizgame: {printable(message)}\nPlay without saving? Nothing you do will be kept. [y/N] ")
    except EOFError:
        reply = ""
    if reply.strip().lower() not in ("y", "yes"):
        _fail("nothing was played. Choose another folder with --save-dir.", 1)
        return None
    from quizgame.store.base import UnsavedStore

    unsaved = UnsavedStore(store)
    unsaved.warnings.append(f"{message} Playing without saving.")
    return unsaved


# -- the game ------------------------------------------------------------------------------


NO_SCREEN = ("the game needs a terminal to draw in (standard input and output are not one). "
             "Start it in a terminal, or use `quizgame leaderboard` / `stats` in scripts.")


def _has_a_screen() -> bool:
    """A terminal on both ends, or a browser tab: `quizgame serve` starts each game with
    Textual's web driver named in TEXTUAL_DRIVER, over pipes. Without either, Textual would
    spin on a closed input and draw into a file."""
    return bool(os.environ.get("TEXTUAL_DRIVER")) or (sys.stdin.isatty() and sys.stdout.isatty())


def run_game(args, play: bool) -> int:
    saves = _saves(args)
    banks, bank_problems = load_banks(saves, args.bank, notice=_notice)
    store = _writable_store(args)
    if store is None:
        return 1
    start = None
    if play:
        from datetime import datetime

        from quizgame.core.players import InvalidName, check_name
        from quizgame.core.progress import Progress
        from quizgame.core.rounds import RoundError
        from quizgame.core.study import plan as plan_study

        # Everything is checked before a new player is created: a refused command leaves no trace.
        player = store.find_player(args.player)
        if player and store.unplayable(player):
            return _fail(store.unplayable(player), 1)
        mode = "daily" if args.daily else args.mode
        try:
            name = player or check_name(args.player)
            progress = store.progress(player, banks[0].id) if player else Progress()
            plan_study(banks[0], progress, mode, datetime.now().astimezone(), args.section, args.questions,
                       args.seed, args.seconds, store.everyone(banks[0].id))
        except (InvalidName, RoundError) as error:
            return _fail(str(error))
        if not _has_a_screen():
            return _fail(NO_SCREEN, 1)
        try:
            player = player or store.ensure_player(name)
        except InvalidName as error:
            return _fail(str(error))
        except OSError as error:
            return _fail(f"could not create the player: {error.strerror or error}", 1)
        start = {"player": player, "mode": mode, "section": args.section,
                 "size": args.questions, "seed": args.seed, "seconds": args.seconds}
    if not _has_a_screen():
        return _fail(NO_SCREEN, 1)
    from quizgame.prefs import PREFS_FILE, Prefs
    from quizgame.ui.app import QuizApp  # the UI is imported only when the game opens

    notices = ([args.moved] if getattr(args, "moved", None) else []) + list(store.warnings)
    notices += [f"Skipped a broken bank: {p}" for p in bank_problems]
    app = QuizApp(banks=banks, store=store, start=start, notices=notices, save_dir=saves,
                  prefs=Prefs(saves / PREFS_FILE))
    app.run()
    return app.return_code or 0


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
        print(_json({"bank": bank.id, "players": [
            {"rank": r.rank, "player": r.player, "points": r.points, "best_rounds": r.best_rounds,
             "longest_streak": r.longest_streak, "accuracy": _ratio(r.accuracy), "answers": r.answers,
             "blitz_best": r.blitz_best}
            for r in rows]}))
        return 0
    if not rows:
        print("No players yet. Start the game with `quizgame` to create one.")
        return 0
    columns = [(s.id, s.label) for s in bank.sections] + [(ALL_SECTIONS, "Mixed")]
    header = ["#", "Player", "Points", *[label for _, label in columns], "Blitz", "Longest streak", "Accuracy"]
    table = [[str(r.rank), r.player, f"{r.points:,}", *[f"{r.best_rounds.get(key, 0):,}" for key, _ in columns],
              f"{r.blitz_best:,}", str(r.longest_streak), _percent(r.accuracy)] for r in rows]
    print(f"Leaderboard: {printable(bank.title)} (points; best round per section and in mixed rounds)")
    print(_table(header, table, right={0, 2, *range(3, len(header))}))
    return 0


def export_overrides(args) -> int:
    from quizgame.core.overrides import to_tsv

    store = _open_store(args)
    player = store.find_player(args.player)
    if player is None:
        return _fail(f"no player called {args.player!r}; players: {', '.join(store.players()) or 'none yet'}")
    banks, _ = load_banks(save_dir(args.save_dir), args.bank)
    ids = [b.id for b in banks]
    if args.bank_id is not None:
        if args.bank_id not in ids:
            return _fail(f"no bank with id {args.bank_id!r}; banks: {', '.join(ids)}")
        ids = [args.bank_id]
    rows = [(bank_id, event) for bank_id in ids for event in store.overrides(player, bank_id)]
    sys.stdout.write(to_tsv(rows))
    return 0


def print_stats(args) -> int:
    from datetime import date

    from quizgame.core import stats as st

    bank = load_bank_cached(args.bank)
    store = _open_store(args)
    player = store.find_player(args.player)
    if player is None:
        return _fail(f"no player called {args.player!r}; players: {', '.join(store.players()) or 'none yet'}")
    if store.unplayable(player):
        return _fail(store.unplayable(player), 1)
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
        "overrides": progress.overrides, "saves": str(store.folder),
        **_study_stats(bank, progress),
    }
    if args.json:
        print(_json(data))
        return 0
    print(printable(f"{player} — {bank.title}  (saves: {store.folder})"))
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
    print()
    goal = data["goal"]
    print(f"Due today {data['due_today']} · next 7 days "
          + " ".join(str(day["due"]) for day in data["forecast"])
          + f" · goal {goal['done_today']:g}/{goal['amount']} {goal['unit']} today"
          + (f" · goal streak {goal['streak']} ({goal['freezes']} freezes)" if goal["show_streak"] else ""))
    return 0


def _study_stats(bank, progress) -> dict:
    """Review, mastery and goal figures for `stats`: FSRS odds of recall now and next due date."""
    from datetime import datetime

    from quizgame.core import study
    from quizgame.core.stats import is_mastered

    now = datetime.now().astimezone()
    habit = study.habit(progress, now.date())
    questions = {}
    for qid, card in sorted(progress.cards.items()):
        if bank.question(qid) is not None:
            questions[qid] = {"retrievability": round(study.retrievability_of(progress, qid, now) or 0.0, 3),
                              "due": card["due"], "stability_days": card["stability"],
                              "mastered": is_mastered(progress, qid)}
    return {
        "due_today": study.due_count(bank, progress, now),
        "forecast": [{"date": d.isoformat(), "due": n} for d, n in study.forecast(bank, progress, now)],
        "goal": {"unit": habit.unit, "amount": habit.amount, "done_today": round(habit.done_today, 1),
                 "met_today": habit.met_today, "streak": habit.streak, "best_streak": habit.best_streak,
                 "freezes": habit.freezes, "show_streak": habit.show_streak},
        "tested_out": list(progress.tested_out),
        "blitz_points": progress.blitz_points,
        "daily": progress.daily,
        "questions": questions,
    }


def content_check(args) -> int:
    bank = load_bank(args.path)
    print(printable(f"{bank.source}: valid: {len(bank.questions)} questions in {len(bank.sections)} sections "
                    f"({', '.join(s.title for s in bank.sections)})"))
    return 0


def content_audit(args) -> int:
    from quizgame.core.audit import audit, format_report, without_distractors

    bank = load_bank(args.path or args.bank)  # `quizgame --bank X content audit` audits X
    if args.generated:
        bank = without_distractors(bank)
    report = audit(bank, seeds=args.seeds)
    print(printable(format_report(report), lines=True))
    return 0 if report.passed else 1


def content_flags(args) -> int:
    from collections import defaultdict

    banks, _ = load_banks(save_dir(args.save_dir))
    bank = next((b for b in banks if b.id == args.bank), None)
    if bank is None and args.bank:
        if not Path(args.bank).exists():
            return _fail(f"no bank {args.bank!r}; banks: {', '.join(b.id for b in banks)}")
        bank = load_bank(args.bank)
    bank = bank or banks[0]
    flags = _open_store(args).flags(bank.id)
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for flag in flags:
        groups[(flag.question, flag.reason)].append(flag)
    ordered = sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))
    if args.json:
        print(json.dumps({"bank": bank.id, "flags": [
            {"question": qid, "reason": reason, "count": len(found), "players": sorted({f.player for f in found}),
             "last": max(f.at for f in found), "prompt": q.prompt if (q := bank.question(qid)) else None,
             "options_seen": [list(f.options) for f in found if f.options]}
            for (qid, reason), found in ordered]}, ensure_ascii=False, indent=2))
        return 0
    if not flags:
        print(f"No flags on {printable(bank.title)} yet. Players flag an item with f on its feedback.")
        return 0
    print(f"Flags on {printable(bank.title)} ({len(flags)} in all), most flagged first:")
    for (qid, reason), found in ordered:
        question = bank.question(qid)
        players = ", ".join(sorted({printable(f.player) for f in found}))
        print(f"\n  {printable(qid)}: {found[0].reason_text} ×{len(found)} ({players}; last {max(f.at for f in found)})")
        print(f"    {printable(question.prompt) if question else '(no longer in the bank)'}")
        shown = next((f for f in reversed(found) if f.options), None)
        if shown is not None and question is not None:
            for option in shown.options:
                mark = "✔" if option == question.option else " "
                print(f"    {mark} {printable(option)}")
    return 0


def import_file(args) -> int:
    from quizgame.importcmd import run

    return run(args)


# -- formatting ------------------------------------------------------------------------------


def _ratio(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 3)  # NaN is not JSON


def _json(data: object) -> str:
    """JSON whose text is safe on a terminal: control characters escaped as JSON escapes them."""
    import re

    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return re.sub("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff\ufeff]",
                  lambda m: f"\\u{ord(m.group()):04x}", text)


def _percent(value: float | None) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.0%}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _table(header: list[str], rows: list[list[str]], right: AbstractSet[int] = frozenset()) -> str:
    header, rows = [printable(c) for c in header], [[printable(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - _width(cell))
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    return "\n".join([line(header), line(["─" * w for w in widths]), *map(line, rows)])

