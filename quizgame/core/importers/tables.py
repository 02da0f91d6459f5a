"""Row-per-question formats: Anki "Notes in Plain Text" exports, Quizlet exports and CSV with a header."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from quizgame.core.bank import Problem
from quizgame.core.importers.markup import html_to_text, parse_difficulty, tidy
from quizgame.core.importers.records import ImportFailed, Parsed, Skip, excerpt

# --- Anki -------------------------------------------------------------------------------------

ANKI_HEADER = re.compile(r"^#(separator|html|columns|tags column|deck column|notetype column|guid column|"
                         r"notetype|deck|tags|if matches):", re.IGNORECASE)
# Anki's names, in the order Anki tries them when a file does not say (rslib import_export
# text/csv metadata.rs, delimiter_from_line: the first one found on the first line wins).
_SEPARATORS = {"tab": "\t", "pipe": "|", "semicolon": ";", "colon": ":", "comma": ",", "space": " "}
SEPARATOR_NAMES = tuple(_SEPARATORS)
_NAMES = {char: name for name, char in _SEPARATORS.items()}
_DIFFICULTY_TAG = re.compile(r"^(?:difficulty|level|diff)(?:::|:|_|-)(\w+)$", re.IGNORECASE)


def separator_value(value: str) -> str | None:
    """A separator given by name (tab, pipe, …, as in Anki's #separator: header) or as one character."""
    stripped = value.strip().lower()
    if stripped in _SEPARATORS:
        return _SEPARATORS[stripped]
    if stripped in ("\\t", "tabs"):
        return "\t"
    if len(value) == 1 and value not in '"\n\r':
        return value
    return None


def separator_name(sep: str) -> str:
    return _NAMES.get(sep, repr(sep))


def anki_separator(line: str) -> str:
    """Anki's guess for a file without a #separator: header, from its first line."""
    return next((char for char in _SEPARATORS.values() if char in line), " ")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_SOUND = re.compile(r"\[sound:[^\]]*\]")


def parse_anki(text: str, name: str, separator: str | None = None, comma_first: bool = False) -> Parsed:
    """Anki's "Notes in Plain Text" and any headerless delimited file, by Anki's rules: the
    #separator:, #html:, #columns:, #tags column:, #deck column: … headers, else Anki's separator
    guess. comma_first: a .csv file whose first line has a comma and no tab is comma-separated."""
    out = Parsed()
    lines = text.split("\n")
    headers: dict[str, str] = {}
    skip = 0
    while skip < len(lines) and ANKI_HEADER.match(lines[skip]):
        key, _, value = lines[skip][1:].partition(":")
        headers[key.strip().lower()] = value
        skip += 1
    raw_sep = headers.get("separator", "")
    sep = (separator_value(separator) if separator is not None else None) or separator_value(raw_sep) \
        or separator_value(raw_sep.strip()) or ""
    body = "\n".join(lines[skip:])
    if not sep:
        first = next((line for line in lines[skip:] if line.strip()), "")
        sep = "," if comma_first and "," in first and "\t" not in first else anki_separator(first)
    out.separator = separator_name(sep)
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

    for line, raw_row in _rows(body, sep, name, skip):
        row = _table_row(raw_row) if sep == "|" else raw_row
        if not any(cell.strip() for cell in row) or (sep == "|" and _RULE_ROW.match("|".join(row))):
            continue
        def cell(i: int | None, row: list[str] = row) -> str:
            return row[i] if i is not None and i < len(row) else ""

        front, back = cell(front_col), cell(back_col)
        if _CLOZE.search(front):
            hidden = [m.group(1) for m in _CLOZE.finditer(front)]
            front = _CLOZE.sub(lambda m: "[…]" if not m.group(2) else f"[{m.group(2)}]", front)
            back = "; ".join(hidden) + ("\n\n" + back if back.strip() else "")
        deck = cell(deck_col).strip() or header_deck
        tags = cell(tags_col).split() + header_tags
        difficulty = None
        for tag in tags:
            match = _DIFFICULTY_TAG.match(tag)
            if match and difficulty is None:
                difficulty = parse_difficulty(match.group(1))
        tags = [t for t in tags if not _DIFFICULTY_TAG.match(t)]
        parts = [p.strip() for p in deck.split("::") if p.strip()]
        out.add(clean(front), clean(back), line, section=parts[-1] if parts else None,
                topics=[t.replace("::", " ") for t in tags] + parts[::-1], difficulty=difficulty,
                marked=difficulty is not None)
    return out


_RULE_ROW = re.compile(r"^[\s|:\-]*-[\s|:\-]*$")  # |---|:---:| under a table's header


def _table_row(row: list[str]) -> list[str]:
    """A Markdown-style table row `| term | definition |`: its cells, without the outer pipes."""
    if len(row) >= 3 and not row[0].strip() and not row[-1].strip():
        return row[1:-1]
    return row


def _named(columns: list[str], names: tuple[str, ...], meta: set[int]) -> int | None:
    for name in names:
        if name in columns and columns.index(name) not in meta:
            return columns.index(name)
    return None


def _rows(body: str, sep: str, name: str, offset: int) -> Iterator[tuple[int, list[str]]]:
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

def parse_quizlet(text: str, separator: str | None = None) -> Parsed:
    """One card per line: term TAB definition, or term,definition when the file has no tab at all.

    A line without the separator continues the previous card's definition.
    """
    out = Parsed()
    sep = (separator_value(separator) if separator is not None else None) or ("\t" if "\t" in text else ",")
    out.separator = separator_name(sep)
    cards: list[tuple[str, list[str], int]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if sep in line:
            term, _, definition = line.partition(sep)
            cards.append((term, [definition], number))
        elif cards:
            cards[-1][1].append(line)
        else:
            out.skips.append(_skip(number, line, "no tab or comma between term and definition"))
    for term, lines, number in cards:
        out.add(html_to_text(term), html_to_text("\n".join(lines)), number)
    return out


def _skip(line: int, text: str, reason: str) -> Skip:
    return Skip(line, excerpt(text), reason)


# --- CSV --------------------------------------------------------------------------------------

QUESTION_NAMES = ("question", "prompt", "front", "term", "q")
ANSWER_NAMES = ("answer", "back", "definition", "a", "response", "solution")
SECTION_NAMES = ("section", "deck", "category", "chapter", "group")
TOPIC_NAMES = ("topics", "tags", "topic", "tag", "keywords")
DIFFICULTY_NAMES = ("difficulty", "level", "diff")
HEADER_WORDS = 3  # at most this many words in a header cell ("Question", "Back Extra", "Question text")


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
    q_col, a_col = find_column(header, QUESTION_NAMES), find_column(header, ANSWER_NAMES)
    # A header names its columns in a word or three; "term 0: the definition of…" is a card.
    return (q_col is not None and a_col is not None and q_col != a_col
            and all(len(header[i].split()) <= HEADER_WORDS for i in (q_col, a_col)))


def parse_csv(text: str, name: str, tsv: bool = False, separator: str | None = None) -> Parsed:
    out = Parsed()
    first = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = (separator_value(separator) if separator is not None else None) or csv_delimiter(first, tsv)
    out.separator = separator_name(delimiter)
    rows = _rows(text, delimiter, name, 0)
    header_line, header = 1, list[str]()
    for header_line, header in rows:
        if any(cell.strip() for cell in header):
            header = _table_row(header) if delimiter == "|" else header
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
        shown = ", ".join(repr(excerpt(html_to_text(h), 30)) for h in header[:6]) or "nothing"
        if len(header) > 6:
            shown += f" and {len(header) - 6} more"
        raise ImportFailed([Problem(name, header_line, None,
                                    f"the header row ({shown}) needs " + " and ".join(missing))])
    s_col, t_col, d_col = (find_column(header, names) for names in (SECTION_NAMES, TOPIC_NAMES, DIFFICULTY_NAMES))
    for line, raw_row in rows:
        row = _table_row(raw_row) if delimiter == "|" else raw_row
        if not any(cell.strip() for cell in row) or (delimiter == "|" and _RULE_ROW.match("|".join(row))):
            continue
        def cell(i: int | None, row: list[str] = row) -> str:
            return row[i].strip() if i is not None and i < len(row) else ""

        tags = cell(t_col)
        topics = re.split(r"[,;|]+", tags) if re.search(r"[,;|]", tags) else tags.split()
        section = " ".join(cell(s_col).split()) or None
        difficulty = parse_difficulty(cell(d_col))
        out.add(html_to_text(cell(q_col)), html_to_text(cell(a_col)), line, section=section,
                topics=[t for t in topics if t.strip()] + ([section] if section else []),
                difficulty=difficulty, marked=difficulty is not None)
    return out
