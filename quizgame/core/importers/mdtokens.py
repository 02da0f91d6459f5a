"""Markdown as a flat list of lines, read with markdown-it-py's CommonMark parser (the token stream).

Each line is a heading, a bold-led line (a `**question**`, a `**1)** question` or a `**Term**`),
a `<summary>`, a line of prose (inline markup already removed), a line of code, or a blank.
Links keep their text and lose their address; links that only say where the answer is
(`[src]`, `[[Answer]]`, a bare address) disappear; images disappear; code blocks keep
their lines, indented by four spaces, the way the rest of quizgame marks code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from quizgame.core.importers.markup import (
    SUMMARY_TAG,
    html_to_text,
    latex_to_text,
    one_line,
    take_difficulty,
)

TEXT, CODE, BLANK, HEADING, BOLD, SUMMARY = "text", "code", "blank", "heading", "bold", "summary"
CODE_INDENT = "    "  # code lines in an answer: what derive.py and the feedback read as code

# Link texts that only point at an answer elsewhere: dropped with their address.
_POINTER_WORDS = frozenset(["src", "source", "sources", "link", "links", "ref", "refs", "reference", "references", "video", "videos", "paper", "blog", "answer", "answers", "here", "solution", "solutions", "code", "pdf", "read", "more", "article", "docs", "doc", "documentation", "website", "site", "demo", "slides", "details", "see", "post", "medium", "wiki", "wikipedia", "github", "notebook", "tutorial"])
_URL_TEXT = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S*$|^[\w.-]+\.(?:com|org|io|net|html?|edu|ai|dev)(?:/\S*)?$",
                       re.IGNORECASE)
# A bold span that only numbers the question: **1)**, **1.**, **Q1:**, **Q:**, **Question 3**.
BOLD_NUMBER = re.compile(r"^\s*\(?(?:q(?:uestion)?\s*)?\d{0,4}\s*[.):\-]?\)?\s*$", re.IGNORECASE)
# A bold span that numbers and names the question: **1) FizzBuzz.** Print the numbers…
_NUMBERED_TITLE = re.compile(r"^\s*\(?(?:q(?:uestion)?\s*)?\d{1,4}\s*[.):]\)?\s+\S", re.IGNORECASE)
_TAG_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")


@dataclass(slots=True)
class Line:
    kind: str
    number: int                # 1-based line in the file
    text: str = ""             # prose or code, cleaned; for BOLD the whole line
    level: int = 0             # heading level; list depth for BOLD
    title: str = ""            # heading/bold/summary text, cleaned, markers removed
    difficulty: int | None = None
    inline: str = ""           # text after a bold question on the same line: the answer's start
    marked: bool = False       # carried a difficulty marker
    numbered: bool = False     # a bold number led the line: **1)** Question
    links_only: bool = False   # every word on the line was a link's
    question: bool = False
    cells: tuple[str, ...] = ()  # a table row's cells
    table_header: bool = False   # the first row of its table


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


@dataclass(slots=True)
class _Rendered:
    text: str
    bold: str | None       # the text of a bold span that opens the line
    rest: str              # the text after it
    links_only: bool


def _render_group(tokens: list[Token]) -> _Rendered:
    parts: list[str] = []
    plain: list[str] = []            # visible text that did not come from a link
    link: list[str] | None = None
    had_link = False
    strong_depth = 0
    bold_start: int | None = None
    bold_end: int | None = None

    def emit(text: str, from_link: bool = False) -> None:
        parts.append(text)
        if not from_link:
            plain.append(text)

    for tok in tokens:
        kind = tok.type
        if kind in ("text", "code_inline"):
            if link is not None:
                link.append(tok.content)
            else:
                emit(tok.content)
        elif kind == "link_open":
            link = []
        elif kind == "link_close":
            inner = "".join(link or []).strip()
            label = inner.strip("[]() ").strip()
            link = None
            had_link = True
            if label and label.lower() not in _POINTER_WORDS and not _URL_TEXT.match(label):
                emit(label, from_link=True)
        elif kind == "strong_open":
            if strong_depth == 0 and bold_start is None and not "".join(parts).strip():
                bold_start = len(parts)
            strong_depth += 1
        elif kind == "strong_close":
            strong_depth = max(0, strong_depth - 1)
            if strong_depth == 0 and bold_start is not None and bold_end is None:
                bold_end = len(parts)
        elif kind == "html_inline":
            match = _TAG_NAME.match(tok.content)
            if match and not match.group(1):
                name = match.group(2).lower()
                if name == "sub":
                    emit("_")
                elif name == "sup":
                    emit("^")
    text = _tidy_inline("".join(parts))
    bold = rest = None
    if bold_start is not None and bold_end is not None:
        bold = _tidy_inline("".join(parts[bold_start:bold_end]))
        rest = _tidy_inline("".join(parts[bold_end:]))
    visible = any(c.isalnum() for c in "".join(plain))
    return _Rendered(text, bold, rest or "", had_link and not visible)


_EMPTY_BRACKETS = re.compile(r"\[\s*\]|\(\s*\)")  # left where a pointer link was dropped: "[[src](…)]"


def _tidy_inline(text: str) -> str:
    if "$" in text:
        text = latex_to_text(text)
    if "[" in text or "(" in text:
        text = _EMPTY_BRACKETS.sub("", text)
    return " ".join(text.replace("\xa0", " ").split())


def render_inline(children: list[Token]) -> list[_Rendered]:
    """The lines of an inline token: split at line breaks, markup removed."""
    groups: list[list[Token]] = [[]]
    for tok in children:
        if tok.type in ("softbreak", "hardbreak") or (
                tok.type == "html_inline" and re.match(r"<br\b", tok.content, re.IGNORECASE)):
            groups.append([])
        else:
            groups[-1].append(tok)
    return [_render_group(group) for group in groups]


def _clean_title(text: str) -> tuple[str, int | None]:
    cleaned, level = take_difficulty(one_line(text))
    return cleaned.strip(" :-–—"), level


def lex(text: str) -> list[Line]:
    tokens = _parser().parse(text)
    out: list[Line] = []
    lists: list[list[int | bool]] = []     # per open list: [ordered, next number]
    marker: str | None = None              # list marker for the next paragraph line
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        start = tok.map[0] + 1 if tok.map else (out[-1].number if out else 1)
        kind = tok.type
        if kind == "heading_open":
            title = " ".join(r.text for r in render_inline(tokens[i + 1].children or []))
            title, level = _clean_title(title)
            out.append(Line(HEADING, start, level=int(tok.tag[1:]), title=title, difficulty=level,
                            marked=level is not None))
            i += 3
            continue
        if kind == "paragraph_open":
            depth = len(lists)
            indent = "  " * max(0, depth - 1)
            for n, rendered in enumerate(render_inline(tokens[i + 1].children or [])):
                number = start + n
                lead = marker if n == 0 else None
                if rendered.bold is not None and depth <= 1:
                    out.append(_bold_line(rendered, number, depth, lead))
                elif rendered.text or rendered.links_only:
                    prefix = indent + (lead or ("  " if depth and n else ""))
                    out.append(Line(TEXT, number, text=prefix + rendered.text, links_only=rendered.links_only))
            marker = None
            if not lists:
                out.append(Line(BLANK, start))
            i += 3
            continue
        if kind in ("fence", "code_block"):
            indent = "  " * len(lists)
            out.append(Line(BLANK, start))
            for n, code in enumerate(tok.content.rstrip("\n").split("\n")):
                out.append(Line(CODE, start + n + (kind == "fence"), text=CODE_INDENT + indent + code.rstrip()
                                if code.strip() else ""))
            out.append(Line(BLANK, start))
            i += 1
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            first = int(tok.attrs.get("start", 1) or 1) if kind == "ordered_list_open" else 0
            lists.append([kind == "ordered_list_open", first])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                out.append(Line(BLANK, start))
        elif kind == "list_item_open" and lists:
            ordered, number = lists[-1]
            marker = f"{number}. " if ordered else "- "
            if ordered:
                lists[-1][1] = int(number) + 1
        elif kind == "table_open":
            i = _table(tokens, i, out)
            continue
        elif kind == "html_block":
            _html_block(tok.content, start, out)
        elif kind == "hr":
            out.append(Line(BLANK, start))
        i += 1
    return out


def _bold_line(rendered: _Rendered, number: int, depth: int, lead: str | None) -> Line:
    bold, rest = rendered.bold or "", rendered.rest
    text = (lead or "") + rendered.text
    if BOLD_NUMBER.match(bold) and rest:
        title, level = _clean_title(rest)
        return Line(BOLD, number, text=text, level=depth, title=title, difficulty=level,
                    marked=level is not None, numbered=True)
    if _NUMBERED_TITLE.match(bold):
        joined = f"{bold}{'' if rest[:1] in '.,:;!?' else ' '}{rest}" if rest else bold
        title, level = _clean_title(joined)
        return Line(BOLD, number, text=text, level=depth, title=title, difficulty=level,
                    marked=level is not None, numbered=True)
    title, level = _clean_title(bold)
    rest_text, rest_level = take_difficulty(rest)
    level = level if level is not None else rest_level
    return Line(BOLD, number, text=text, level=depth, title=title, difficulty=level, marked=level is not None,
                inline=rest_text.strip(" :-–—"), numbered=lead is not None and lead[0].isdigit())


def _table(tokens: list[Token], i: int, out: list[Line]) -> int:
    """Rows of a table as `cell | cell` lines; returns the index after the table."""
    row: list[str] = []
    first_row = True
    first_map = tokens[i].map
    number = first_map[0] + 1 if first_map else 1
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open":
            row = []
            number = tok.map[0] + 1 if tok.map else number
        elif tok.type == "inline":
            row.append(" ".join(r.text for r in render_inline(tok.children or [])))
        elif tok.type == "tr_close" and any(row):
            out.append(Line(TEXT, number, text=" | ".join(row), cells=tuple(row), table_header=first_row))
            first_row = False
        i += 1
    out.append(Line(BLANK, number))
    return i + 1


def _html_block(content: str, start: int, out: list[Line]) -> None:
    for n, raw in enumerate(content.split("\n")):
        match = SUMMARY_TAG.search(raw)
        if match:
            title, level = _clean_title(html_to_text(match.group(1)))
            rest = html_to_text(SUMMARY_TAG.sub("", raw))
            out.append(Line(SUMMARY, start + n, title=title, difficulty=level, inline=rest))
            continue
        for line in html_to_text(raw).split("\n"):
            if not line.strip():
                out.append(Line(BLANK, start + n))
                continue
            # Markdown inside an HTML block stays raw in CommonMark: read its inline markup here.
            for rendered in render_inline(_parser().parseInline(line)[0].children or []):
                if rendered.text or rendered.links_only:
                    out.append(Line(TEXT, start + n, text=rendered.text, links_only=rendered.links_only))
