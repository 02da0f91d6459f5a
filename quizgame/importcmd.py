"""`quizgame import FILE`: read a bank, show what was found, and write it (unless --dry-run).

Prints the format and separator detected, the counts of questions, sections and topics,
and every question left out with its line and the reason. --dry-run also shows three
sample questions and writes nothing. When many questions were left out, the normal run
lists the first ones and writes them all to a report file beside the bank.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quizgame.core.printable import printable

if TYPE_CHECKING:  # the importers load only when a file is imported, not for `quizgame --help`
    from quizgame.core.importers import ImportResult

SKIPS_PRINTED = 20       # more skipped questions than this go to a report file (the normal run)
SAMPLE_ANSWER = 160      # characters of a sample answer shown by --dry-run
LINE_LIMIT = 400         # characters of one printed line: whatever a file holds, a message stays readable


def add_arguments(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--format", default="auto", choices=["auto", "text", "markdown", "tsv", "anki", "quizlet", "csv"])
    imp.add_argument("--separator", metavar="SEP",
                     help="field separator of Anki, Quizlet and CSV files: one character, or tab, pipe, semicolon, "
                          "colon, comma, space (default: the file's #separator: header, else Anki's own guess)")
    imp.add_argument("--section", metavar="TITLE", help="put every question in one section with this title")
    imp.add_argument("--out", metavar="PATH", help="where to write the bank (default: the saves' banks/ folder)")
    imp.add_argument("--dry-run", action="store_true",
                     help="show what would be imported (format, counts, samples, skipped questions); write nothing")
    imp.add_argument("--force", action="store_true",
                     help="overwrite an existing file, and import records that do not look like questions")


def run(args: argparse.Namespace) -> int:
    from quizgame.bankwrite import write_bank
    from quizgame.config import imported_banks_dir, save_dir
    from quizgame.core.importers import ImportFailed, import_bank

    source = Path(args.file)
    out = Path(args.out) if args.out else imported_banks_dir(save_dir(args.save_dir)) / f"{source.stem}.toml"
    # Tab-separated files are Anki or Quizlet exports, or a table with a header: tell by content.
    fmt = "auto" if args.format == "tsv" else args.format
    try:
        # A bank to be written is parsed once, by write_bank's load_bank check.
        result = import_bank(source, fmt, args.section, separator=args.separator, force=args.force,
                             parse_check=args.dry_run)
        if args.dry_run:
            _summary(result)
            _samples(result)
            _skips(result, limit=None)
            print("Dry run: nothing was written.")
            return 0
        if not args.out:
            out.parent.mkdir(parents=True, exist_ok=True)
        write_bank(result.toml, out, force=args.force, check_toml=result.check_toml)
    except ImportFailed as error:
        print(f"quizgame: could not import {printable(str(source))}:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {_line(str(problem))}", file=sys.stderr)
        return 1
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise  # the reader left (`quizgame import … | head`): not an error, main says so
        print(f"quizgame: could not import {printable(str(source))}: {error.strerror or error}", file=sys.stderr)
        return 1
    _summary(result)
    report = None
    if result.skipped > SKIPS_PRINTED:
        report = _write_report(result, out)
    _skips(result, limit=SKIPS_PRINTED, report=report)
    print(f"Wrote {printable(str(out))}")
    if not args.out:
        print("Open the game and press b on the section map to play it.")
    return 0


def excerpt(text: str, limit: int) -> str:
    """One line of at most `limit` characters, whatever the file held."""
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _line(text: str) -> str:
    return excerpt(text, LINE_LIMIT)


def _summary(result: ImportResult) -> None:
    sep = f", separator {result.separator}" if result.separator else ""
    print(f"Format: {result.format}{sep}")
    for note in result.notes:
        print(f"Note: {_line(note)}")
    if result.refused:
        print(f"Warning: imported with --force although {result.refused}")
    sections = ", ".join(f"{title}" for title in result.sections)
    print(f"{result.questions} questions in {len(result.sections)} section{'s' if len(result.sections) != 1 else ''}"
          f" ({_line(sections)}), {result.topics} topic{'s' if result.topics != 1 else ''}; "
          f"{result.skipped} skipped")


def _samples(result: ImportResult) -> None:
    for n, (prompt, answer) in enumerate(result.samples, 1):
        print(f"Sample {n}: {excerpt(prompt, 120)}")
        print(f"  Answer: {excerpt(answer, SAMPLE_ANSWER)}")


def _skips(result: ImportResult, limit: int | None, report: Path | None = None) -> None:
    shown = result.skip_reasons if limit is None else result.skip_reasons[:limit]
    if shown:
        print("Skipped:")
    for problem in shown:
        where = f"line {problem.line}" if problem.line else "?"
        print(f"  {where}: {_line(problem.message)}")
    if report is not None:
        print(f"  … and {result.skipped - len(shown)} more: every skipped question is listed in {report}")


def _write_report(result: ImportResult, out: Path) -> Path | None:
    report = out.with_name(out.name + ".skipped.txt")
    lines = [f"{f'line {p.line}' if p.line else '?'}: {p.message}" for p in result.skip_reasons]
    try:
        report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        return None
    return report
