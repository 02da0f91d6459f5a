"""import_bank and write_bank: another collection of questions in, a playable one-file bank out."""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from quizgame.core.bank import BankError, Problem, load_bank
from quizgame.core.grading import grade
from quizgame.core.importers.decode import read_source
from quizgame.core.importers.derive import (
    IdMaker, answer_words, derive_ideas, document_frequencies, make_option, pretty_title, slugify, topic_slugs,
)
from quizgame.core.importers.markdown import parse_markdown
from quizgame.core.importers.markup import one_line
from quizgame.core.importers.plaintext import NUMBERED, QA_QUESTION, parse_text
from quizgame.core.importers.records import ImportFailed, Parsed, Skip, excerpt
from quizgame.core.importers.tables import ANKI_HEADER, looks_like_csv_header, parse_anki, parse_csv, parse_quizlet
from quizgame.core.importers.tomlout import render_bank
from quizgame.core.model import Idea, Question

FORMATS = ("text", "markdown", "anki", "quizlet", "csv")
MIN_QUESTIONS = 4  # multiple choice needs three wrong options, drawn from the other questions
MAX_QUESTIONS = 5000  # more is no longer a quiz; it also bounds the time an import takes
CHECK_IDEAS_UP_TO = 1500  # banks up to this size keep only ideas the grader finds in the reference answer
_VERIFY_ALL_UP_TO = 2 * 2**20  # characters of TOML; a larger bank is checked on a sample
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


def import_bank(path: str | os.PathLike, fmt: str = "auto", section_title: str | None = None) -> ImportResult:
    """Read a question collection and return it as a bank that load_bank accepts.

    fmt is "auto" (from the extension and content) or one of FORMATS; section_title puts
    every question in one section with that title. Raises ImportFailed, and nothing else.
    """
    name = _name(path)
    try:
        return _import(Path(path), name, fmt, section_title)
    except ImportFailed:
        raise
    except RecursionError:
        raise ImportFailed([Problem(name, None, None, "the file is nested too deeply to read")]) from None
    except MemoryError:
        raise ImportFailed([Problem(name, None, None, "the file is too large to import")]) from None
    except Exception as exc:  # a bug: still report it as a Problem, never as a traceback
        raise ImportFailed([Problem(name, None, None, f"internal error while importing: "
                                                     f"{type(exc).__name__}: {exc}")]) from exc


def write_bank(result: ImportResult, out: str | os.PathLike, force: bool = False) -> Path:
    """Write result.toml to `out` atomically; refuse to replace an existing file unless force."""
    target = Path(out)
    name = _name(target)

    def fail(message: str) -> ImportFailed:
        return ImportFailed([Problem(name, None, None, message)])

    if target.is_dir():
        raise fail("is a folder: give a file name such as my-bank.toml")
    if target.exists() and not force:
        raise fail("already exists: choose another name or overwrite it with --force")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise fail(f"folder {folder} does not exist")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".quizgame-tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(result.toml)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if the file appeared meanwhile: never overwrite
            except FileExistsError:
                raise fail("already exists: choose another name or overwrite it with --force") from None
            except OSError:
                if target.exists():
                    raise fail("already exists: choose another name or overwrite it with --force") from None
                os.replace(tmp, target)
        return target
    except OSError as exc:
        raise fail(f"cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and os.path.lexists(tmp):
            try:
                os.unlink(tmp)
            except OSError:
                pass


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
        if looks_like_csv_header(first, suffix == ".tsv"):
            return "csv"
        return "quizlet" if tabbed and suffix == ".tsv" else "csv"
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
    # Quizlet's comma export: one card per line, no blank lines between, a comma on (nearly) every line.
    content = lines[: len(lines) - next((i for i, line in enumerate(reversed(lines)) if line.strip()), 0)]
    commas = sum("," in line for line in nonblank)
    if len(nonblank) >= 2 and len(content) == len(nonblank) and commas * 10 >= len(nonblank) * 8:
        return "quizlet"
    return "text"


def _name(path) -> str:
    try:
        return os.fspath(path)
    except TypeError:
        return repr(path)


def _parse(fmt: str, text: str, name: str, suffix: str) -> Parsed:
    if fmt == "text":
        return parse_text(text)
    if fmt == "markdown":
        return parse_markdown(text)
    if fmt == "anki":
        return parse_anki(text, name)
    if fmt == "quizlet":
        return parse_quizlet(text)
    return parse_csv(text, name, tsv=suffix == ".tsv")


def _import(path: Path, name: str, fmt: str, section_title: str | None) -> ImportResult:
    if fmt not in FORMATS + ("auto",):
        raise ImportFailed([Problem(name, None, None,
                                    f"unknown format {fmt!r}: choose auto, {', '.join(FORMATS)}")])
    if section_title is not None:
        section_title = one_line(str(section_title))
        if not section_title:
            raise ImportFailed([Problem(name, None, None, "the section title is empty")])
    text, notes = read_source(path, name)
    detected = detect_format(path, text) if fmt == "auto" else fmt
    parsed = _parse(detected, text, name, path.suffix.lower())
    notes += parsed.notes
    skips = list(parsed.skips)
    records = parsed.records
    default_title = parsed.title or pretty_title(path.stem)

    if len(records) > MAX_QUESTIONS:
        raise ImportFailed([Problem(name, None, None,
                                    f"{len(records)} questions found ({detected} format): a bank holds at most "
                                    f"{MAX_QUESTIONS}; split the file into smaller ones")])
    analysed = [answer_words(r.answer) for r in records]
    df = document_frequencies([words for _, words in analysed])
    ids = IdMaker()
    section_ids = IdMaker(prefix="section", limit=40)
    sections: dict[str, dict] = {}
    questions: list[dict] = []
    check = _earned if len(records) <= CHECK_IDEAS_UP_TO else None
    for record, words in zip(records, analysed):
        ideas, reason = derive_ideas(record.prompt, record.answer, df, len(records), words, check)
        if reason:
            skips.append(Skip(record.line, excerpt(record.prompt), reason))
            continue
        own_title = one_line(record.section or "") or default_title
        title = section_title or own_title
        if title not in sections:
            sid = section_ids.make(title, drop_stopwords=False)
            sections[title] = {"id": sid, "title": title, "order": len(sections) + 1}
        own_slug = slugify(own_title, 40) or sections[title]["id"]
        questions.append({
            "id": ids.make(record.prompt),
            "section": sections[title]["id"],
            "prompt": record.prompt,
            "answer": record.answer,
            "option": make_option(record.answer),
            "topics": topic_slugs(record.topics, own_slug),
            "difficulty": record.difficulty if record.difficulty in (1, 2, 3, 4, 5) else 3,
            "ideas": ideas,
            "line": record.line,
        })

    skip_problems = tuple(Problem(name, s.line, None, f"skipped ({s.reason}): {s.prompt}") for s in skips)
    if len(questions) < MIN_QUESTIONS:
        found = f"found {len(questions)} question{'s' if len(questions) != 1 else ''} with answers"
        problems = [Problem(name, None, None,
                            f"no bank made ({detected} format): {found}, and a bank needs at least "
                            f"{MIN_QUESTIONS} so multiple choice has wrong options to offer")]
        raise ImportFailed(problems + list(skip_problems[:20]))

    bank_id = slugify(path.stem, 48) or "imported"
    title = default_title
    header = [
        f"Imported by quizgame from {path.name} ({detected} format): {len(questions)} questions "
        f"in {len(sections)} section{'s' if len(sections) != 1 else ''}, {len(skips)} skipped.",
        "Options, topics and key ideas were derived automatically: review them. Wrong options are",
        "drawn from the other questions until you add distractors.",
    ]
    section_list = list(sections.values())
    toml = render_bank(header, bank_id, title, section_list, questions)
    if len(toml) <= _VERIFY_ALL_UP_TO:
        _verify(toml, name)
    else:  # a large bank is checked on a sample: its first questions and one from every section
        sample, size = [], 0
        for q in questions:
            size += len(q["answer"]) + len(q["prompt"])
            if size > _VERIFY_ALL_UP_TO // 2 and len(sample) >= MIN_QUESTIONS:
                break
            sample.append(q)
        missing = {s["id"] for s in section_list} - {q["section"] for q in sample}
        for sid in sorted(missing):
            sample.append(min((q for q in questions if q["section"] == sid), key=lambda q: len(q["answer"])))
        _verify(render_bank(header, bank_id, title, section_list, sample), name)
    return ImportResult(toml=toml, format=detected, questions=len(questions), skipped=len(skips),
                        skip_reasons=skip_problems, sections=tuple(sections), notes=tuple(notes),
                        bank_id=bank_id, title=title)


def _earned(prompt: str, answer: str, ideas: list[Idea]) -> set[str]:
    """Labels of the ideas the grader finds when the reference answer itself is typed."""
    probe = Question(id="probe", section="probe", prompt=prompt, answer=answer, option="probe",
                     distractors=(), topics=("probe",), ideas=tuple(ideas))
    return set(grade(probe, answer).matched)


def _verify(toml: str, name: str) -> None:
    """The bank must load as written: parse it and validate it with load_bank."""
    with tempfile.TemporaryDirectory(prefix="quizgame-import-") as folder:
        bank_file = Path(folder) / "bank.toml"
        bank_file.write_text(toml, encoding="utf-8")
        try:
            load_bank(bank_file)
        except BankError as exc:
            raise ImportFailed([Problem(name, None, None, f"internal error: the generated bank does not "
                                                         f"validate: {p.message}") for p in exc.problems[:10]])
