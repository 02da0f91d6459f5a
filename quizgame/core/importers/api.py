"""import_bank and write_bank: another collection of questions in, a playable one-file bank out."""
from __future__ import annotations

import csv
import gc
import multiprocessing
import os
import re
import tomllib
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from quizgame.core.bank import Problem
from quizgame.core.grading import grade
from quizgame.core.importers.decode import read_source
from quizgame.core.importers.derive import (
    OPTION_LIMIT,
    Check,
    IdMaker,
    answer_words,
    derive_ideas,
    document_frequencies,
    make_option,
    pretty_title,
    slugify,
    topic_slugs,
)
from quizgame.core.importers.markdown import parse_markdown
from quizgame.core.importers.markup import drop_urls, one_line
from quizgame.core.importers.plaintext import NUMBERED, QA_QUESTION, parse_text
from quizgame.core.importers.quality import garbage, placeholder
from quizgame.core.importers.records import (
    MAX_QUESTIONS,
    ImportFailed,
    Parsed,
    Record,
    Skip,
    TooManyQuestions,
    excerpt,
)
from quizgame.core.importers.sections import plan_sections
from quizgame.core.importers.tables import (
    ANKI_HEADER,
    HEADER_WORDS,
    SEPARATOR_NAMES,
    anki_separator,
    csv_delimiter,
    looks_like_csv_header,
    parse_anki,
    parse_csv,
    parse_quizlet,
    separator_value,
)
from quizgame.core.importers.tomlout import render_bank
from quizgame.core.model import Idea, Question

FORMATS = ("text", "markdown", "anki", "quizlet", "csv")
MIN_QUESTIONS = 4  # multiple choice needs three wrong options, drawn from the other questions
CHECK_IDEAS_UP_TO = 1500  # banks up to this size keep only ideas the grader finds in the reference answer
SAMPLES = 3  # questions shown by --dry-run
VERIFY_ALL_UP_TO = 2 * 2**20  # characters of TOML; a larger bank is validated on a sample of its questions
PARALLEL_FROM = 4000  # records; below this, a second process costs more than it saves
WORKERS = 2  # this process and one helper: the target machine's cores (issue 11: 30,000 cards in 15 s on 2 cores)
# The helper derives this share of a big deck's ideas: this process also reads, renders and checks
# the bank, about 3 s of CPU of its 7.5-8 s on the 30,000-card benchmark deck with an even split, while
# the helper took 4.7 s (measured 2026-11-29; with 0.6, 6.1 s and 4.9 s). Any split gives the same bank.
HELPER_SHARE = 0.65
_MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S")
_MD_BOLD_LINE = re.compile(r"^\s*(?:(?:\d{1,4}[.)]|[-*+])\s+)?(\*\*|__)\S.*?\1\W{0,12}$")
_MD_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HTML_HINT = re.compile(r"<(?:br|div|span|b|i|u|p|img|ul|li|ol)\b[^<>]*>|&nbsp;|&amp;|&lt;", re.IGNORECASE)


@dataclass(frozen=True)
class ImportResult:
    toml: str                       # a complete one-file bank, ready to write
    format: str                     # the format read: text, markdown, anki, quizlet or csv
    questions: int                  # questions imported
    skipped: int                    # questions read but left out
    skip_reasons: tuple[Problem, ...] = ()  # one per skipped question: where it is and why
    sections: tuple[str, ...] = ()  # section titles, in order
    notes: tuple[str, ...] = ()     # how the file was read (encoding fallback, ignored text…)
    bank_id: str = ""
    title: str = ""
    separator: str | None = None    # the field separator used (row formats), as a name: tab, comma…
    topics: int = 0                 # distinct topics
    samples: tuple[tuple[str, str], ...] = ()  # a few (prompt, answer) pairs, for --dry-run
    refused: str | None = None      # why the records did not look like questions (imported anyway: force)
    check_toml: str = ""            # what to validate with load_bank before writing: toml, or a sample of it


def import_bank(path: str | os.PathLike[str], fmt: str = "auto", section_title: str | None = None,
                separator: str | None = None, force: bool = False, parse_check: bool = True) -> ImportResult:
    """Read a question collection and return it as a bank that load_bank accepts. Writes nothing.

    fmt is "auto" (from the extension and content) or one of FORMATS; section_title puts
    every question in one section with that title; separator (a character, or tab, comma,
    semicolon, pipe, colon, space) splits the fields of Anki, Quizlet and CSV files; force
    imports records that do not look like questions and answers instead of refusing them.
    parse_check parses the generated TOML (check_toml) to catch a bug in rendering it; a caller
    that writes the bank with bankwrite.write_bank, which loads that same text with load_bank,
    turns it off (for a 30,000-card deck each parse costs about a second).
    Raises ImportFailed, and nothing else.
    """
    name = _name(path)
    # The cyclic garbage collector is paused while importing: a big deck creates millions of
    # short-lived objects and almost no cycles, and each full collection scanned them all (a
    # 30,000-card deck took 12-15% more CPU with it running, for the same peak memory).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(Path(path), name, fmt, section_title, separator, force, parse_check)
    except ImportFailed:
        raise
    except RecursionError:
        raise ImportFailed([Problem(name, None, None, "the file is nested too deeply to read")]) from None
    except MemoryError:
        raise ImportFailed([Problem(name, None, None, "the file is too large to import")]) from None
    except Exception as exc:  # a bug: still report it as a Problem, never as a traceback
        raise ImportFailed([Problem(name, None, None, f"internal error while importing: "
                                                     f"{type(exc).__name__}: {exc}")]) from exc
    finally:
        if collecting:
            gc.enable()


def detect_format(path: Path, text: str) -> str:
    """Guess the format from the extension, then from the first lines."""
    suffix = path.suffix.lower()
    if suffix in _MARKDOWN_EXTENSIONS:
        return "markdown"
    lines = text.split("\n", 400)[:400]
    nonblank = [line for line in lines if line.strip()]
    if not nonblank:
        return "text"
    if any(ANKI_HEADER.match(line) for line in lines[:12]):
        return "anki"
    first = nonblank[0]
    tabbed = sum("\t" in line for line in nonblank)
    if suffix in (".csv", ".tsv"):
        if looks_like_csv_header(first, suffix == ".tsv") or _names_only(first, suffix == ".tsv"):
            return "csv"  # a header row (a wrong one gets a message saying which columns it needs)
        return "anki"  # no header: one card per row, read as Anki reads a delimited file
    if tabbed and tabbed * 10 >= len(nonblank) * 6:
        if looks_like_csv_header(first, tsv=True):
            return "csv"
        return "anki" if _HTML_HINT.search("\n".join(nonblank)) else "quizlet"
    if any(_MD_HEADING.match(line) or _MD_BOLD_LINE.match(line) or _MD_FENCE.match(line) for line in nonblank):
        return "markdown"
    if looks_like_csv_header(first):
        return "csv"
    if sum(bool(NUMBERED.match(line) or QA_QUESTION.match(line)) for line in nonblank) >= 2:
        return "text"
    # One card per line with no blank lines between: a delimited export. Anki's own rule picks
    # the separator (the first of tab, pipe, semicolon, colon, comma found on the first line);
    # a comma export is Quizlet's.
    content = lines[: len(lines) - next((i for i, line in enumerate(reversed(lines)) if line.strip()), 0)]
    if len(nonblank) >= 2 and len(content) == len(nonblank):
        sep = anki_separator(first)
        if sep in ("|", ";") and sum(sep in line for line in nonblank) * 10 >= len(nonblank) * 8:
            return "anki"
        if sum("," in line for line in nonblank) * 10 >= len(nonblank) * 8:
            return "quizlet"
    return "text"


def _names_only(first: str, tsv: bool) -> bool:
    """A first row of short names ("name,value"), not a card: no cell is a sentence or a question."""
    cells = [c.strip() for c in next(csv.reader([first], delimiter=csv_delimiter(first, tsv)), [])]
    return len(cells) >= 2 and all(c and len(c.split()) <= HEADER_WORDS and c[-1] not in "?.!:" for c in cells)


def _name(path: object) -> str:
    if isinstance(path, (str, os.PathLike)):
        name = os.fspath(path)
        return name if isinstance(name, str) else os.fsdecode(name)
    return repr(path)


def _parse(fmt: str, text: str, name: str, suffix: str, separator: str | None) -> Parsed:
    if fmt == "text":
        return parse_text(text)
    if fmt == "markdown":
        return parse_markdown(text)
    if fmt == "anki":
        return parse_anki(text, name, separator, comma_first=suffix == ".csv")
    if fmt == "quizlet":
        return parse_quizlet(text, separator)
    return parse_csv(text, name, tsv=suffix == ".tsv", separator=separator)


def _import(path: Path, name: str, fmt: str, section_title: str | None, separator: str | None,
            force: bool, parse_check: bool) -> ImportResult:
    if fmt not in FORMATS + ("auto",):
        raise ImportFailed([Problem(name, None, None,
                                    f"unknown format {fmt!r}: choose auto, {', '.join(FORMATS)}")])
    if separator is not None and separator_value(separator) is None:
        raise ImportFailed([Problem(name, None, None, f"unknown separator {excerpt(separator, 20)!r}: give one "
                                                     f"character or one of {', '.join(SEPARATOR_NAMES)}")])
    if section_title is not None:
        section_title = one_line(str(section_title))
        if not section_title:
            raise ImportFailed([Problem(name, None, None, "the section title is empty")])
    text, notes = read_source(path, name)
    detected = detect_format(path, text) if fmt == "auto" else fmt
    if separator is not None and fmt == "auto" and detected in ("text", "markdown"):
        detected = "anki"  # a separator was given: the file is one card per line
    try:
        parsed = _parse(detected, text, name, path.suffix.lower(), separator)
    except TooManyQuestions:
        raise ImportFailed([Problem(name, None, None,
                                    f"more than {MAX_QUESTIONS} questions found ({detected} format): a bank holds "
                                    f"at most {MAX_QUESTIONS}; split the file into smaller ones")]) from None
    notes += parsed.notes
    skips = list(parsed.skips)
    records: list[Record] = []
    for record in parsed.records:
        reason = placeholder(record.prompt, record.answer)
        if not reason:
            record.answer = drop_urls(record.answer)
            reason = placeholder(record.prompt, record.answer)
        if reason:
            skips.append(Skip(record.line, excerpt(record.prompt), reason))
        else:
            records.append(record)
    default_title = parsed.title or pretty_title(path.stem)

    refused = garbage(records)
    if refused and not force:
        why, example = refused
        raise ImportFailed([Problem(name, example.line, None,
                                    f"this does not look like questions and answers ({detected} format"
                                    f"{_separator_note(parsed.separator)}): {why}. For example: "
                                    f"question {excerpt(example.prompt, 50)!r}, answer {excerpt(example.answer, 40)!r}. "
                                    "Try --format or --separator, or import it anyway with --force")])
    derived = _derive_all(records)
    ids = IdMaker()
    kept: list[tuple[Record, dict[str, Any]]] = []
    topic_memo: dict[tuple[str | None, tuple[str, ...]], list[str]] = {}
    for record, (ideas, reason) in zip(records, derived):
        if reason:
            skips.append(Skip(record.line, excerpt(record.prompt), reason))
            continue
        topic_key = (record.section, tuple(record.topics))
        topics = topic_memo.get(topic_key)
        if topics is None:  # a deck repeats its few decks and tags thousands of times
            own_slug = slugify(one_line(record.section or "") or default_title, 40) or "general"
            topics = topic_memo[topic_key] = topic_slugs(record.topics, own_slug)
        kept.append((record, {
            "id": ids.make(record.prompt),
            "section": "",
            "prompt": record.prompt,
            "answer": record.answer,
            "option": _option(record.answer),
            "topics": topics,
            "difficulty": record.difficulty if record.difficulty in (1, 2, 3, 4, 5) else 3,
            "ideas": ideas,
            "line": record.line,
        }))

    skips.sort(key=lambda s: (s.line is None, s.line or 0))
    skip_problems = tuple(Problem(name, s.line, None, f"skipped ({s.reason}): {s.prompt}") for s in skips)
    if len(kept) < MIN_QUESTIONS:
        found = f"found {len(kept)} question{'s' if len(kept) != 1 else ''} with answers"
        problems = [Problem(name, None, None,
                            f"no bank made ({detected} format): {found}, and a bank needs at least "
                            f"{MIN_QUESTIONS} so multiple choice has wrong options to offer")]
        raise ImportFailed(problems + list(skip_problems[:20]))

    if section_title:
        plan = [(section_title, list(range(len(kept))))]
    else:
        plan = plan_sections([record for record, _ in kept])
    section_ids = IdMaker(prefix="section", limit=40)
    section_list: list[dict[str, object]] = []
    for order, (title, members) in enumerate(plan, 1):
        title = one_line(title) or default_title
        sid = section_ids.make(title, drop_stopwords=False)
        section_list.append({"id": sid, "title": title, "order": order})
        for i in members:
            kept[i][1]["section"] = sid
    questions = [q for _, q in kept]

    bank_id = slugify(path.stem, 48) or "imported"
    title = default_title
    header = [
        (f"Imported by quizgame from {path.name} ({detected} format): {len(questions)} questions "
         f"in {len(section_list)} section{'s' if len(section_list) != 1 else ''}, {len(skips)} skipped."),
        "Options, topics and key ideas were derived automatically: review them. Wrong options are",
        "drawn from the other questions until you add distractors.",
    ]
    toml = render_bank(header, bank_id, title, section_list, questions)
    # What the writer checks with load_bank before saving: the bank itself, or for a large one its
    # first questions and one question of every section (the rest is rendered by the same code).
    check_toml = toml if len(toml) <= VERIFY_ALL_UP_TO else render_bank(
        header, bank_id, title, section_list, _sample(questions, section_list))
    try:
        if parse_check:
            tomllib.loads(check_toml)
    except tomllib.TOMLDecodeError as exc:  # a bug in render_bank: say so instead of writing a broken bank
        raise ImportFailed([Problem(name, None, None,
                                    f"internal error: the generated bank is not TOML: {exc}")]) from None
    topic_names = {t for q in questions for t in q["topics"]}
    samples = tuple((q["prompt"], q["answer"]) for q in _spread(questions, SAMPLES))
    return ImportResult(toml=toml, format=detected, questions=len(questions), skipped=len(skips),
                        skip_reasons=skip_problems, sections=tuple(str(s["title"]) for s in section_list),
                        notes=tuple(notes), bank_id=bank_id, title=title, separator=parsed.separator,
                        topics=len(topic_names), samples=samples, refused=refused[0] if refused else None,
                        check_toml=check_toml)


def _derive_all(records: list[Record]) -> list[tuple[list[Idea], str | None]]:
    """Key ideas for every record (derive_ideas); a large deck is shared with a second process.

    The second process is forked, so it inherits its half of the records; the two halves'
    word statistics are merged through a pipe, and only the ideas come back.
    """
    n = len(records)
    check = _earned if n <= CHECK_IDEAS_UP_TO else None
    if n >= PARALLEL_FROM and (os.cpu_count() or 1) >= WORKERS and "fork" in multiprocessing.get_all_start_methods():
        half = n - round(n * HELPER_SHARE)
        context = multiprocessing.get_context("fork")
        mine, theirs = context.Pipe()
        try:
            worker = context.Process(target=_derive_part, args=(records[half:], n, theirs, check),
                                     daemon=True)
            worker.start()
        except OSError:
            worker = None  # no process to be had: do it all here
        if worker is not None:
            try:
                analysed = [answer_words(r.answer) for r in records[:half]]
                df = document_frequencies([words for _, words in analysed])
                df.update(mine.recv())
                mine.send(df)
                weights: dict[str, float] = {}
                out = [derive_ideas(r.prompt, r.answer, df, n, words, check, weights)
                       for r, words in zip(records, analysed)]
                rest = mine.recv()
                return out + [([Idea(*idea) for idea in ideas], reason) for ideas, reason in rest]
            except (EOFError, OSError):
                pass  # the helper died: start again here
            finally:
                worker.join(timeout=5)
                if worker.is_alive():
                    worker.kill()
    analysed = [answer_words(r.answer) for r in records]
    df = document_frequencies([words for _, words in analysed])
    weights = {}
    return [derive_ideas(r.prompt, r.answer, df, n, words, check, weights) for r, words in zip(records, analysed)]


def _derive_part(records: list[Record], n_docs: int, conn: Connection, check: Check | None) -> None:
    """In the forked helper: word statistics of its records out, the whole deck's in, ideas out."""
    analysed = [answer_words(r.answer) for r in records]
    conn.send(document_frequencies([words for _, words in analysed]))
    df = conn.recv()
    weights: dict[str, float] = {}
    conn.send([([(i.label, i.terms, i.required) for i in ideas], reason) for ideas, reason in (
        derive_ideas(r.prompt, r.answer, df, n_docs, words, check, weights) for r, words in zip(records, analysed))])
    conn.close()


def _sample(questions: list[dict[str, Any]], sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first questions (about half of VERIFY_ALL_UP_TO of text) and one from every section."""
    sample: list[dict[str, Any]] = []
    size = 0
    for q in questions:
        size += len(q["answer"]) + len(q["prompt"])
        if size > VERIFY_ALL_UP_TO // 2 and len(sample) >= MIN_QUESTIONS:
            break
        sample.append(q)
    missing = {s["id"] for s in sections} - {q["section"] for q in sample}
    for sid in sorted(missing):
        sample.append(min((q for q in questions if q["section"] == sid), key=lambda q: len(q["answer"])))
    return sample


def _option(answer: str) -> str:
    """The one-line option: the answer's first sentence; for an answer that is only code, its
    first line of code (never a whole block flattened onto one line)."""
    lines = answer.split("\n")
    if any(line.strip() and not line.startswith(("    ", "\t")) for line in lines):
        return make_option("\n".join(line for line in lines if not line.startswith(("    ", "\t"))))
    first = next(line.strip() for line in lines if line.strip())
    return first if len(first) <= OPTION_LIMIT else first[: OPTION_LIMIT - 1].rstrip() + "…"


def _separator_note(separator: str | None) -> str:
    return f", separator {separator}" if separator else ""


def _spread(items: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """`count` items spread over the list: the first, the middle, the last."""
    if len(items) <= count:
        return items
    return [items[round(k * (len(items) - 1) / (count - 1))] for k in range(count)]


def _earned(prompt: str, answer: str, ideas: list[Idea]) -> set[str]:
    """Labels of the ideas the grader finds when the reference answer itself is typed."""
    probe = Question(id="probe", section="probe", prompt=prompt, answer=answer, option="probe",
                     distractors=(), topics=("probe",), ideas=tuple(ideas))
    return set(grade(probe, answer).matched)
