"""Markdown interview-question collections (the usual GitHub README layouts).

The file is read with a CommonMark parser (mdtokens.lex). Headings are topics. A question is
a heading that reads as a question (or sits at a heading level where most headings do), a
bold line that reads as one (`**What is …?**`, `1. **What is …?**`), a bold number and a
question (`**1)** What is …?`), a `<summary>` holding one, or, in a glossary, a bold term
(`**Term**` or `**Term**: definition`). Its answer is everything up to the next question or
a heading at its own level or above: paragraphs, lists, tables, code blocks and subheadings
such as `### Explanation`. Difficulty markers 👶 ⭐️ 🚀, (easy)/(medium)/(hard) and [E]/[M]/[H]
set the difficulty and are removed from the prompt.
"""
from __future__ import annotations

import re
from typing import Any

from quizgame.core.importers.markup import (
    generic_summary,
    question_like,
    strip_answer_label,
    strip_comments,
    strip_numbering,
)
from quizgame.core.importers.mdtokens import (
    BOLD,
    CODE,
    CODE_INDENT,
    HEADING,
    SUMMARY,
    TEXT,
    Line,
    lex,
)
from quizgame.core.importers.records import Parsed, Skip, excerpt

# Labels, not content: a bold line or a subheading saying only what follows ("### Explanation", "#### Code").
_LABEL = re.compile(r"^(?:answers?|solutions?|explanations?|ans|a|hints?|notes?|examples?|code|code examples?|"
                    r"example code|short answer|long answer|details|discussion|formulas?|equations?|math|"
                    r"mathematical formulation|implementation|python implementation|how it works|key points|"
                    r"summary|overview|intuition|definition|usage|illustration|visual)\s*[:.]?$", re.IGNORECASE)
_BOILERPLATE = frozenset("""
contents|table of contents|toc|index|contributing|contribute|contributors|how to contribute|license|licence|
credits|acknowledgements|acknowledgments|references|resources|further reading|additional resources|
useful links|links|installation|install|usage|authors|author|support|related|related projects|see also|
sponsors|star history|stargazers|disclaimer|changelog|contact|about|about me|about the author|feedback|
donate|citation|cite|license and credits|back to top|thanks|preparation resources""".replace("\n", "").split("|"))
TERM_MIN = 3           # a glossary has at least this many bold terms with definitions
TERM_MAX_WORDS = 8     # a bold term is a name, not a sentence
TERM_DOMINANCE = 2     # bold terms are cards only where they outnumber the questions twice over
_BODY = (TEXT, CODE, BOLD, SUMMARY)
_SUBHEADING = "\x01"  # marks a subheading's line in an answer until the answer is finished


def _is_boilerplate(title: str) -> bool:
    return re.sub(r"[^a-z ]+", "", title.lower()).strip() in _BOILERPLATE


def _term_like(line: Line) -> bool:
    """A bold term standing alone (or followed by a definition after a colon or dash), outside lists."""
    title = line.title
    return (line.level == 0 and not line.numbered and bool(title) and not _LABEL.match(title)
            and len(title.split()) <= TERM_MAX_WORDS and len(title) <= 80 and not question_like(title)
            and (not line.inline or bool(re.match(r"^\*{0,2}\s*[:\-–—]", line.text[len(title):].lstrip("*")))))


def _mark_questions(lines: list[Line]) -> None:
    bold_questions = 0
    terms: list[Line] = []
    for n, line in enumerate(lines):
        if line.kind == BOLD:
            if not line.title or _LABEL.match(line.title):
                continue
            if line.numbered and line.level == 0:
                line.question = True
            elif line.inline:
                line.question = question_like(line.title) and (line.numbered or line.title.endswith("?"))
            else:
                line.question = question_like(line.title) or line.marked
            bold_questions += line.question
            if not line.question and _term_like(line) and _followed_by_body(lines, n):
                terms.append(line)
        elif line.kind == SUMMARY:
            line.question = bool(line.title) and not generic_summary(line.title) and question_like(line.title)

    headings = [i for i, line in enumerate(lines) if line.kind == HEADING]
    heading_questions = sum(question_like(lines[i].title) for i in headings)
    if len(terms) >= TERM_MIN and len(terms) > TERM_DOMINANCE * (bold_questions + heading_questions):
        for line in terms:  # a glossary: each bold term is a card
            line.question = True

    info = []
    for n, i in enumerate(headings):
        end = headings[n + 1] if n + 1 < len(headings) else len(lines)
        body = lines[i + 1:end]
        has_body = any(b.kind in _BODY for b in body)
        first_question = next((k for k, b in enumerate(body) if b.question), None)
        holds_questions = first_question is not None
        if holds_questions and question_like(lines[i].title) and any(
                b.kind in (TEXT, CODE) for b in body[:first_question]):
            holds_questions = False  # "### 2. What is X?" with its answer, then a bold question
        span_end = next((headings[k] for k in range(n + 1, len(headings))
                         if lines[headings[k]].level <= lines[i].level), len(lines))
        info.append((i, has_body, holds_questions, span_end))
    # A heading level is a question level when most of its headings with a body read as questions.
    votes: dict[int, list[int]] = {}
    for i, has_body, holds, _ in info:
        line = lines[i]
        if has_body and not holds and not _is_boilerplate(line.title):
            tally = votes.setdefault(line.level, [0, 0])
            tally[0] += question_like(line.title) or line.marked
            tally[1] += 1
    question_levels = {level for level, (q, n) in votes.items() if q and 2 * q >= n}
    open_question_until = -1  # inside a question heading's span, deeper headings are its subheadings
    for i, has_body, holds, span_end in info:
        line = lines[i]
        if i < open_question_until:
            line.question = (line.title.endswith("?") or line.marked) and line.level in question_levels \
                and not holds
            if line.question:
                open_question_until = span_end
            continue
        if holds or not line.title or _is_boilerplate(line.title):
            continue
        in_span = lines[i + 1:span_end]
        deeper = [b for b in in_span if b.kind == HEADING]
        subheaded = (not has_body and bool(deeper) and any(b.kind in _BODY for b in in_span)
                     and not any(b.question or (b.kind == HEADING and (b.title.endswith("?") or b.marked))
                                 for b in in_span))
        if not has_body and not subheaded:
            continue
        line.question = question_like(line.title) or line.marked or (has_body and line.level in question_levels)
        if line.question:
            open_question_until = span_end


def _followed_by_body(lines: list[Line], n: int) -> bool:
    if lines[n].inline:
        return True
    for line in lines[n + 1:]:
        if line.kind in (TEXT, CODE):
            return True
        if line.kind in (HEADING, BOLD, SUMMARY):
            return False
    return False


def parse_markdown(text: str) -> Parsed:
    out = Parsed()
    lines = lex(strip_comments(text))
    _mark_questions(lines)
    level_one = [line for line in lines if line.kind == HEADING and line.level == 1]
    title_line = None
    first_heading = next((line for line in lines if line.kind == HEADING), None)
    if first_heading is not None and first_heading.level == 1 and len(level_one) == 1 \
            and not first_heading.question and first_heading.title:
        title_line = first_heading
        out.title = first_heading.title

    stack: list[tuple[int, str, bool]] = []  # (level, title, is the document title)
    skip_level: int | None = None
    current: dict[str, Any] | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            answer = _finish(current["answer"])
            if current["links_only"] and current["had_links"]:
                out.skips.append(Skip(current["line"], excerpt(current["prompt"]), "the answer is only a link"))
                current = None
                return
            section = stack[-1][1] if stack else None
            topics = [t for _, t, is_title in reversed(stack) if not is_title or len(stack) == 1]
            out.add(current["prompt"], answer, current["line"], section=section, topics=topics[:2],
                    difficulty=current["difficulty"], marked=current["marked"])
        current = None

    def start(line: Line, level: int | None) -> None:
        nonlocal current
        flush()
        current = {"prompt": strip_numbering(line.title), "line": line.number, "difficulty": line.difficulty,
                   "marked": line.marked, "level": level, "answer": [line.inline] if line.inline else [],
                   "links_only": not line.inline, "had_links": False}

    for line in lines:
        if line.kind == HEADING:
            if skip_level is not None and line.level > skip_level:
                continue
            skip_level = None
            if _is_boilerplate(line.title) and not line.question and line is not title_line:
                flush()
                skip_level = line.level
                continue
            if line.question:
                while stack and stack[-1][0] >= line.level:
                    stack.pop()
                start(line, line.level)
                continue
            if current is not None and current["level"] is not None and line.level > current["level"]:
                if any(part.strip() for part in current["answer"]) and not _LABEL.match(line.title):
                    current["answer"] += ["", _SUBHEADING + line.title + ":"]  # a subheading inside the answer
                current["answer"].append("")
                continue
            flush()
            if line.title:
                while stack and stack[-1][0] >= line.level:
                    stack.pop()
                stack.append((line.level, line.title, line is title_line))
            continue
        if skip_level is not None:
            continue
        if line.question:
            start(line, None)
            continue
        if current is None:
            continue
        text = line.text
        if line.kind == SUMMARY:  # a <summary> that only labels the folded answer is not part of it
            text = line.inline if generic_summary(line.title) else "\n".join(filter(None, (line.title, line.inline)))
        if line.kind == BOLD and _LABEL.match(line.title) and line.inline:
            text = line.inline
        if text.strip() and not line.links_only:
            current["links_only"] = False
        if line.links_only and line.kind == TEXT:
            current["had_links"] = True
            continue  # "[[src]](…)", "[Answer](…)": where the answer is, not the answer
        current["answer"].append(text)
    flush()
    if not out.records and not out.skips:
        _table_cards(lines, out)
    return out


def _table_cards(lines: list[Line], out: Parsed) -> None:
    """A file with no questions but a table (a glossary): each row is a card, first cell the term."""
    heading: str | None = None
    for line in lines:
        if line.kind == HEADING:
            heading = line.title
        elif line.cells and len(line.cells) >= 2 and not line.table_header:
            out.add(line.cells[0], "\n".join(c for c in line.cells[1:] if c), line.number, section=heading,
                    topics=[heading] if heading else [])


def _finish(parts: list[str]) -> str:
    lines: list[str] = []
    for part in parts:
        lines.extend(part.split("\n"))
    lines = [line.rstrip() for line in lines]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and (not out[-1] or out[-1].startswith(_SUBHEADING)):
        out.pop()  # a subheading with nothing under it ("Explore all answers here 👉") ends no answer
    out = [line.removeprefix(_SUBHEADING) for line in out]
    if out:
        out[0] = strip_answer_label(out[0])
        while out and not out[0].strip():
            out.pop(0)
    # An answer inside a list item ("1. **Q?**" then indented lines) loses the item's indent
    # (less than the four spaces that mark code, which an all-code answer keeps).
    margin = min((len(line) - len(line.lstrip(" ")) for line in out if line.strip()), default=0)
    if 0 < margin < len(CODE_INDENT):
        out = [line[margin:] for line in out]
    return "\n".join(out)
