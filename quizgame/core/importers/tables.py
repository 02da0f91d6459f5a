"""Row-per-question formats: Anki "Notes in Plain Text" exports, Quizlet exports and CSV with a header."""
from __future__ import annotations

import csv
import io
import re

from quizgame.core.bank import Problem
from quizgame.core.importers.markup import html_to_text, parse_difficulty, tidy
from quizgame.core.importers.records import ImportFailed, Parsed, Skip, excerpt

# --- Anki -------------------------------------------------------------------------------------

ANKI_HEADER = re.compile(r"^#(separator|html|columns|tags column|deck column|notetype column|guid column|"
                         r"notetype|deck|tags|if matches):", re.IGNORECASE)
_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_SOUND = re.compile(r"\[sound:[^\]]*\]")


def parse_anki(text: str, name: str) -> Parsed:
    out = Parsed()
    lines = text.split("\n")
    headers: dict[str, str] = {}
    skip = 0
    while skip < len(lines) and ANKI_HEADER.match(lines[skip]):
        key, _, value = lines[skip][1:].partition(":")
        headers[key.strip().lower()] = value
        skip += 1
    raw_sep = headers.get("separator", "").strip()
    sep = _SEPARATORS.get(raw_sep.lower(), raw_sep if len(raw_sep) == 1 else "")
    body = "\n".join(lines[skip:])
    if not sep:
        sep = "\t" if "\t" in body else (";" if body.count(";") > body.count(",") else ",")
    html_mode = headers.get("html", "true").strip().lower() != "false"
    columns = [c.strip().lower() for c in headers["columns"].split(sep)] if "columns" in headers else []

    def column(key: str) -> int | None:
        value = headers.get(key, "").strip()
        return int(value) - 1 if value.isdigit() and int(value) >= 1 else None

    tags_col, deck_col = column("tags column"), column("deck column")
    meta = {c for c in (tags_col, deck_col, column("notetype column"), column("guid column")) if c is not None}
    if columns and tags_col is None and "tags" in columns:
        tags_col = columns.index("tags")
        meta.add(tags_col)
    fields = [i for i in range(max(len(columns), 2) + len(meta)) if i not in meta]
    front_col = _named(columns, ("front", "text", "question", "term"), meta) or fields[0]
    back_col = _named(columns, ("back", "back extra", "extra", "answer", "definition"), meta)
    if back_col is None:
        back_col = next(i for i in fields if i != front_col)
    header_deck = headers.get("deck", "").strip()
    header_tags = headers.get("tags", "").split()

    def clean(value: str) -> str:
        value = _SOUND.sub("", value)
        return html_to_text(value) if html_mode else tidy(value)

    for line, row in _rows(body, sep, name, skip):
        if not any(cell.strip() for cell in row):
            continue
        cell = (lambda i: row[i] if i is not None and i < len(row) else "")
        front, back = cell(front_col), cell(back_col)
        if _CLOZE.search(front):
            hidden = [m.group(1) for m in _CLOZE.finditer(front)]
            front = _CLOZE.sub(lambda m: "[…]" if not m.group(2) else f"[{m.group(2)}]", front)
            back = "; ".join(hidden) + ("\n\n" + back if back.strip() else "")
        deck = cell(deck_col).strip() or header_deck
        tags = cell(tags_col).split() + header_tags
        parts = [p.strip() for p in deck.split("::") if p.strip()]
        out.add(clean(front), clean(back), line, section=parts[-1] if parts else None,
                topics=tags + parts[::-1])
    return out


def _named(columns: list[str], names: tuple[str, ...], meta: set[int]) -> int | None:
    for name in names:
        if name in columns and columns.index(name) not in meta:
            return columns.index(name)
    return None


def _rows(body: str, sep: str, name: str, offset: int):
    """(line, row) pairs; csv errors (an unclosed quote running into a huge field) become Problems."""
    reader = csv.reader(io.StringIO(body), delimiter=sep, quotechar='"', strict=False)
    line = offset + 1
    try:
        for row in reader:
            yield line, row
            line = offset + reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed([Problem(name, line, None, f"cannot read this row: {exc} (an unclosed quote?)")]) from None


# --- Quizlet ----------------------------------------------------------------------------------

def parse_quizlet(text: str) -> Parsed:
    """One card per line: term TAB definition, or term,definition when the file has no tab at all.

    A line without the separator continues the previous card's definition.
    """
    out = Parsed()
    sep = "\t" if "\t" in text else ","
    cards: list[list] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if sep in line:
            term, _, definition = line.partition(sep)
            cards.append([term, [definition], number])
        elif cards:
            cards[-1][1].append(line)
        else:
            out.skips.append(_skip(number, line, "no tab or comma between term and definition"))
    for term, definition, number in cards:
        out.add(tidy(term), tidy("\n".join(definition)), number)
    return out


def _skip(line: int, text: str, reason: str) -> Skip:
    return Skip(line, excerpt(text), reason)


# --- CSV --------------------------------------------------------------------------------------

QUESTION_NAMES = ("question", "prompt", "front", "term", "q")
ANSWER_NAMES = ("answer", "back", "definition", "a", "response", "solution")
SECTION_NAMES = ("section", "deck", "category", "chapter", "group")
TOPIC_NAMES = ("topics", "tags", "topic", "tag", "keywords")
DIFFICULTY_NAMES = ("difficulty", "level", "diff")


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    normal = [_normal(h) for h in header]
    for name in names:
        if name in normal:
            return normal.index(name)
    for name in names:
        if len(name) > 2:
            for i, h in enumerate(normal):
                if name in h.split():
                    return i
    return None


def csv_delimiter(first_line: str, tsv: bool = False) -> str:
    if tsv:
        return "\t"
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def looks_like_csv_header(first_line: str, tsv: bool = False) -> bool:
    delimiter = csv_delimiter(first_line, tsv)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return False
    return find_column(header, QUESTION_NAMES) is not None and find_column(header, ANSWER_NAMES) is not None


def parse_csv(text: str, name: str, tsv: bool = False) -> Parsed:
    out = Parsed()
    first = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = csv_delimiter(first, tsv)
    rows = _rows(text, delimiter, name, 0)
    header_line, header = 1, []
    for header_line, header in rows:
        if any(cell.strip() for cell in header):
            break
    if not any(cell.strip() for cell in header):
        raise ImportFailed([Problem(name, 1, None, "empty file")])
    q_col, a_col = find_column(header, QUESTION_NAMES), find_column(header, ANSWER_NAMES)
    missing = []
    if q_col is None:
        missing.append("a question column (named question, prompt, front or term)")
    if a_col is None:
        missing.append("an answer column (named answer, back or definition)")
    if q_col is not None and q_col == a_col:
        missing.append("separate question and answer columns")
    if missing:
        shown = ", ".join(repr(h) for h in header[:8]) or "nothing"
        raise ImportFailed([Problem(name, header_line, None,
                                    f"the header row ({shown}) needs " + " and ".join(missing))])
    s_col, t_col, d_col = (find_column(header, names) for names in (SECTION_NAMES, TOPIC_NAMES, DIFFICULTY_NAMES))
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cell = (lambda i: row[i].strip() if i is not None and i < len(row) else "")
        tags = cell(t_col)
        topics = re.split(r"[,;|]+", tags) if re.search(r"[,;|]", tags) else tags.split()
        section = " ".join(cell(s_col).split()) or None
        out.add(tidy(cell(q_col)), tidy(cell(a_col)), line, section=section,
                topics=[t for t in topics if t.strip()] + ([section] if section else []),
                difficulty=parse_difficulty(cell(d_col)))
    return out
