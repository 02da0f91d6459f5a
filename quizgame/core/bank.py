"""Load and validate question banks: TOML (for people) or JSON (for generated banks).

A bank is a folder of section files, or one file. Every problem found is reported with
its file, line (where the format can tell) and question id, never as a traceback.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from quizgame.core.model import Bank, Idea, Question, Section
from quizgame.core.readfile import read_regular_file

SHIPPED_BANK_ID = "ml-interview"
MAX_OPTION_LENGTH = 120
MIN_OPTIONS = 4
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
TOPIC_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_QUESTION_HEADER = re.compile(r"^\s*\[\[\s*questions\s*\]\]")
_SECTION_HEADER = re.compile(r"^\s*\[\[?\s*sections?\s*\]\]?")
_TOML_ERROR_LINE = re.compile(r"\(at line (\d+)")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    question: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        who = f" {self.question}:" if self.question else ""
        return f"{where}:{who} {self.message}"


class BankError(Exception):
    """A bank that cannot be played; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def shipped_content_dir() -> Path:
    """The bank inside the installed package, or the repository's content/ when run from source."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "content"
    return packaged if packaged.is_dir() else here.parent / "content"


def load_bank(path: str | Path | None = None) -> Bank:
    """Load a bank folder or file (the shipped bank by default); raise BankError if invalid."""
    source = Path(path) if path is not None else shipped_content_dir()
    loader = _Loader()
    bank = loader.load(source, default_id=SHIPPED_BANK_ID if path is None else None)
    if loader.problems:
        raise BankError(loader.problems)
    assert bank is not None
    return bank


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Loader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, file: str, line: int | None, qid: str | None, message: str) -> None:
        self.problems.append(Problem(file, line, qid, message))

    def load(self, source: Path, default_id: str | None) -> Bank | None:
        name = _display(source)
        if source.is_dir():
            files = sorted(p for p in source.iterdir() if p.suffix in (".toml", ".json") and p.is_file())
            if not files:
                self.problem(name, None, None, "no .toml or .json bank files in this folder")
                return None
        elif source.is_file():
            files = [source]
        else:
            self.problem(name, None, None, "not a regular file (a pipe, a device or a socket)" if source.exists()
                         else "no such file or folder")
            return None

        meta: dict[str, Any] = {}
        sections: dict[str, dict[str, Any]] = {}
        raw_questions: list[tuple[dict[str, Any], str, int | None, str | None]] = []
        for file in files:
            doc, lines = self.read(file)
            if doc is None:
                continue
            fname = _display(file)
            meta = {**doc.get("bank", {}), **meta} if isinstance(doc.get("bank"), dict) else meta
            file_section = self.read_sections(doc, fname, sections)
            questions = doc.get("questions", [])
            if not isinstance(questions, list):
                self.problem(fname, None, None, "'questions' must be a list of tables")
                continue
            for index, raw in enumerate(questions):
                line = lines[index] if index < len(lines) else None
                if not isinstance(raw, dict):
                    self.problem(fname, line, None, "each question must be a table")
                    continue
                raw_questions.append((raw, fname, line, file_section))

        if not sections and not self.problems:
            self.problem(name, None, None, "no [section] table: a bank needs at least one section")
        questions = [q for q in (self.question(*rq, sections) for rq in raw_questions) if q]
        self.check_bank(questions, raw_questions)
        questions = _symmetric_overlaps(questions)

        by_section: dict[str, list[Question]] = {sid: [] for sid in sections}
        for q in questions:
            by_section.setdefault(q.section, []).append(q)
        ordered = sorted(sections.values(), key=lambda s: (s["order"], s["index"]))
        built = []
        for tier, s in enumerate(ordered):
            if not by_section[s["id"]]:
                self.problem(s["file"], None, None, f"section {s['id']!r} has no questions")
            built.append(Section(s["id"], s["title"], s["order"], tuple(by_section[s["id"]]), tier, s["short"]))
        bank_id = str(meta.get("id") or default_id or _slug(source.stem if source.is_file() else source.name))
        title = str(meta.get("title") or ("ML interview questions" if default_id else bank_id))
        return Bank(bank_id, title, tuple(built), source)

    def read(self, file: Path) -> tuple[dict[str, Any] | None, list[int]]:
        fname = _display(file)
        try:
            data = read_regular_file(file)
        except OSError as exc:
            self.problem(fname, None, None, f"cannot read: {exc.strerror or exc}")
            return None, []
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.problem(fname, line, None, "not UTF-8 text")
            return None, []
        try:
            doc = json.loads(text) if file.suffix == ".json" else _toml().loads(text)
        except _toml().TOMLDecodeError as exc:
            match = _TOML_ERROR_LINE.search(str(exc))
            self.problem(fname, int(match.group(1)) if match else None, None, f"not valid TOML: {exc}")
            return None, []
        except json.JSONDecodeError as exc:
            self.problem(fname, exc.lineno, None, f"not valid JSON: {exc.msg}")
            return None, []
        except RecursionError:  # tables or arrays nested thousands deep
            self.problem(fname, None, None, "nested too deeply to read")
            return None, []
        except ValueError as exc:  # a number with thousands of digits
            self.problem(fname, None, None, f"cannot be read: {str(exc).split(';')[0]}")
            return None, []
        if not isinstance(doc, dict):
            self.problem(fname, None, None, "the file must hold a table of sections and questions")
            return None, []
        lines = [n for n, line in enumerate(text.splitlines(), 1) if _QUESTION_HEADER.match(line)]
        return doc, lines

    def read_sections(self, doc: dict[str, Any], fname: str, sections: dict[str, dict[str, Any]]) -> str | None:
        """Register the file's sections; return the id of its single section, if it has one."""
        found = []
        if "section" in doc:
            found.append(doc["section"])
        if "sections" in doc:
            found.extend(doc["sections"] if isinstance(doc["sections"], list) else [doc["sections"]])
        ids = []
        for raw in found:
            if not isinstance(raw, dict):
                self.problem(fname, None, None, "a section must be a table with id, title and order")
                continue
            sid, title, order = raw.get("id"), raw.get("title"), raw.get("order", len(sections) + 1)
            if not isinstance(sid, str) or not ID_PATTERN.match(sid):
                self.problem(fname, None, None, f"section id {sid!r} must be lowercase letters, digits and dashes")
                continue
            if not isinstance(title, str) or not title.strip():
                self.problem(fname, None, None, f"section {sid!r} needs a title")
                continue
            if not isinstance(order, int) or isinstance(order, bool):
                self.problem(fname, None, None, f"section {sid!r}: order must be a whole number")
                continue
            if sid in sections:
                self.problem(fname, None, None, f"section {sid!r} is defined twice (also in {sections[sid]['file']})")
                continue
            short = raw.get("short", "")
            if not isinstance(short, str) or len(short) > 16:
                self.problem(fname, None, None, f"section {sid!r}: short must be a label of at most 16 characters")
                continue
            sections[sid] = {"id": sid, "title": title.strip(), "order": order, "file": fname,
                             "index": len(sections), "short": short.strip()}
            ids.append(sid)
        return ids[0] if len(ids) == 1 else None

    def question(self, raw: dict[str, Any], fname: str, line: int | None, file_section: str | None,
                 sections: dict[str, dict[str, Any]]) -> Question | None:
        qid = raw.get("id")
        bad = len(self.problems)

        def fail(message: str) -> None:
            self.problem(fname, line, qid if isinstance(qid, str) else None, message)

        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            fail(f"id {qid!r} must be lowercase letters, digits and dashes (at most 64)")
        section = raw.get("section", file_section)
        if section is None:
            fail("no section: give the question a 'section' field or the file one [section]")
        elif not isinstance(section, str) or section not in sections:
            fail(f"unknown section {section!r}")
        text = {}
        for key in ("prompt", "answer", "option"):
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip():
                fail(f"{key}: missing or empty")
            text[key] = value.strip() if isinstance(value, str) else ""
        if "\n" in text["option"] or len(text["option"]) > MAX_OPTION_LENGTH:
            fail(f"option: must be one line of at most {MAX_OPTION_LENGTH} characters")
        distractors = self.strings(raw, "distractors", fail)
        if text["option"] and any(d.casefold() == text["option"].casefold() for d in distractors):
            fail("distractors: one of them is the correct option")
        for d in distractors:
            if "\n" in d or len(d) > MAX_OPTION_LENGTH:
                fail(f"distractors: {d[:40]!r}… must be one line of at most {MAX_OPTION_LENGTH} characters")
        topics = self.strings(raw, "topics", fail)
        if not topics:
            fail("topics: give at least one topic tag")
        for topic in topics:
            if not TOPIC_PATTERN.match(topic):
                fail(f"topics: {topic!r} must be lowercase letters, digits and dashes")
        difficulty = raw.get("difficulty", 3)
        if not isinstance(difficulty, int) or isinstance(difficulty, bool) or not 1 <= difficulty <= 5:
            fail(f"difficulty: {difficulty!r} must be a whole number from 1 to 5")
        ideas = self.ideas(raw.get("ideas"), text["prompt"], fail, text.get("answer", ""))
        overlaps = self.strings(raw, "overlaps", fail)
        misconceptions = self.strings(raw, "misconceptions", fail)
        note = raw.get("note", "")
        if not isinstance(note, str):
            fail("note: must be text")
        if len(self.problems) > bad or not isinstance(qid, str) or not isinstance(section, str):
            return None
        return Question(
            id=qid, section=section, prompt=text["prompt"], answer=text["answer"], option=text["option"],
            distractors=tuple(distractors), topics=tuple(topics), ideas=ideas, difficulty=difficulty,
            overlaps=frozenset(overlaps), misconceptions=tuple(misconceptions), note=note.strip(),
        )

    @staticmethod
    def strings(raw: dict[str, Any], key: str, fail: Callable[[str], None]) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            fail(f"{key}: must be a list of non-empty strings")
            return []
        return [v.strip() for v in value]

    @staticmethod
    def ideas(raw: Any, prompt: str, fail: Callable[[str], None], answer: str = "") -> tuple[Idea, ...]:
        from quizgame.core.text import content_words  # the stemmer loads only when a bank is validated

        if not isinstance(raw, list) or not raw:
            fail("ideas: give at least one key idea")
            return ()
        prompt_words = content_words(prompt)
        ideas = []
        for n, item in enumerate(raw, 1):
            if not isinstance(item, dict):
                fail(f"ideas: item {n} must be a table with label, terms and required")
                continue
            label, terms, required = item.get("label"), item.get("terms"), item.get("required", False)
            if not isinstance(label, str) or not label.strip():
                fail(f"ideas: item {n} needs a label")
                continue
            if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
                fail(f"ideas: {label!r} needs a list of terms")
                continue
            if not isinstance(required, bool):
                fail(f"ideas: {label!r}: required must be true or false")
                continue
            # A lone idea may be the answer's pick among the prompt's words ("A or B?" "B"): the
            # grader keeps such terms whole.
            pick = len(raw) == 1 and all(content_words(t) <= content_words(answer) for t in terms)
            if not pick and not any(_has_word_beyond(t, prompt_words) for t in terms):
                fail(f"ideas: {label!r} can never match: every word of its terms is in the prompt")
                continue
            ideas.append(Idea(label.strip(), tuple(t.strip() for t in terms), required))
        if ideas and not any(i.required for i in ideas):
            fail("ideas: mark at least one idea as required")
        return tuple(ideas)

    def check_bank(self, questions: list[Question], raw: list[tuple[Any, ...]]) -> None:
        """Checks that need the whole bank: unique ids, known overlaps, enough wrong options."""
        places: dict[str, list[tuple[str, int | None]]] = {}
        for doc, fname, line, _ in raw:
            if isinstance(doc.get("id"), str):
                places.setdefault(doc["id"], []).append((fname, line))
        for qid, found in places.items():
            first_file, first_line = found[0]
            for fname, line in found[1:]:
                self.problem(fname, line, qid, f"id already used at {first_file}:{first_line}")
        known = set(places)
        for q in questions:
            fname, line = places[q.id][0]
            for other in sorted(q.overlaps):
                if other == q.id:
                    self.problem(fname, line, q.id, "overlaps: a question cannot overlap itself")
                elif other not in known:
                    self.problem(fname, line, q.id, f"overlaps: unknown question {other!r}")
            if len(q.distractors) + len(questions) - 1 - len(q.overlaps) < MIN_OPTIONS - 1:
                self.problem(fname, line, q.id, "not enough wrong options: give at least 3 distractors")


_PLAIN_WORD = re.compile(r"[a-z]+")


def _has_word_beyond(term: str, prompt_words: frozenset[str]) -> bool:
    """Whether a term has a word the prompt lacks, as the grader reads words.

    A plain lowercase word that is no stopword or abbreviation is read as itself, so its
    stem settles the question without running the grader's whole tokenizer, which would
    make checking a large bank several times slower.
    """
    from quizgame.core.text import ABBREVIATIONS, STOPWORDS, content_words, stem

    for word in term.split():
        if _PLAIN_WORD.fullmatch(word) and word not in STOPWORDS and word not in ABBREVIATIONS:
            if stem(word) not in prompt_words:
                return True
    return bool(content_words(term) - prompt_words)


def _toml() -> ModuleType:
    """The TOML parser, imported only when a TOML bank is read (a cached bank needs none).

    tomli is the library the standard tomllib was taken from; its wheels are compiled with mypyc
    and parse a bank about 2.3 times faster: a 30,000-question imported deck takes 2.0 s of CPU
    against tomllib's 4.7 s on its first start after import. On a platform without a compiled
    wheel, pip installs tomli's pure-Python one, which is as fast as tomllib."""
    import tomli

    return tomli


def _symmetric_overlaps(questions: list[Question]) -> list[Question]:
    """If a overlaps b, b overlaps a: neither may be offered as a wrong option for the other."""
    linked = {q.id: set(q.overlaps) for q in questions}
    for q in questions:
        for other in q.overlaps:
            if other in linked:
                linked[other].add(q.id)
    return [q if linked[q.id] == q.overlaps else replace(q, overlaps=frozenset(linked[q.id])) for q in questions]


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:64] or "bank"
