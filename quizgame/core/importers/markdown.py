"""Markdown interview-question collections (the usual GitHub README layouts).

Sections are headings. A question is a heading that reads as a question (or sits at a
heading level where most headings do), a bold line that reads as one (`**What is …?**`,
`1. **What is …?**`), or a `<summary>` holding one. Its answer is everything up to the
next question or section heading: paragraphs, lists, tables and code blocks (a code fence
left open runs to the end of the file). Difficulty markers 👶 ⭐️ 🚀 and (easy)/(medium)/(hard)
set the difficulty and are removed from the prompt; images and HTML are cleaned out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from quizgame.core.importers.markup import (
    SUMMARY_TAG, clean_inline, generic_summary, one_line, question_like, strip_answer_label, strip_comments,
    strip_numbering, take_difficulty,
)
from quizgame.core.importers.records import Parsed, Skip, excerpt

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BOLD_LINE = re.compile(r"^\s{0,3}(?:(\d{1,4}[.)]|[-*+])\s+)?(\*\*|__)(.+?)\2(.*)$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-*:?\s*)+\|?\s*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_LINKS_ONLY = re.compile(r"^\s*(?:[-*+]\s+)?(?:\[[^\]\n]*\]\([^)\n]*\)[\s,;|·•-]*)+$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,4}[.)])\s")
_LABEL = re.compile(r"^(?:answers?|solutions?|explanations?|ans|a|hints?|notes?|examples?)\s*[:.]?$", re.IGNORECASE)
_BOILERPLATE = frozenset("""
contents|table of contents|toc|index|contributing|contribute|contributors|how to contribute|license|licence|
credits|acknowledgements|acknowledgments|references|resources|further reading|additional resources|
useful links|links|installation|install|usage|authors|author|support|related|related projects|see also|
sponsors|star history|stargazers|disclaimer|changelog|contact|about|about me|about the author|feedback|
donate|citation|cite|license and credits|back to top|thanks""".replace("\n", "").split("|"))

TEXT, CODE, FENCE, BLANK, HEADING, BOLD, SUMMARY = "text", "code", "fence", "blank", "heading", "bold", "summary"


@dataclass(slots=True)
class _Line:
    kind: str
    raw: str
    level: int = 0            # heading level
    title: str = ""           # heading/bold/summary text, cleaned, markers removed
    difficulty: int | None = None
    inline: str = ""          # text after a bold question on the same line: the answer's start
    marked: bool = False      # carried a difficulty marker
    question: bool = False


def _clean_title(text: str) -> tuple[str, int | None]:
    cleaned, level = take_difficulty(one_line(clean_inline(text)))
    return cleaned.strip(" :-–—"), level


def _lex(text: str) -> list[_Line]:
    out: list[_Line] = []
    fence: tuple[str, int] | None = None
    for raw in text.split("\n"):
        if fence is not None:
            m = _FENCE.match(raw)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not m.group(2).strip():
                out.append(_Line(FENCE, raw))
                fence = None
            else:
                out.append(_Line(CODE, raw))
            continue
        m = _FENCE.match(raw)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = (m.group(1)[0], len(m.group(1)))
            out.append(_Line(FENCE, raw))
            continue
        if not raw.strip():
            out.append(_Line(BLANK, raw))
            continue
        m = _ATX.match(raw)
        if m:
            title, level = _clean_title(m.group(2) or "")
            out.append(_Line(HEADING, raw, len(m.group(1)), title, level, marked=level is not None))
            continue
        m = _SETEXT.match(raw)
        if m and out and out[-1].kind == TEXT and not _LIST_ITEM.match(out[-1].raw) and "|" not in out[-1].raw \
                and (len(out) < 2 or out[-2].kind in (BLANK, HEADING, FENCE)):
            prev = out[-1]
            title, level = _clean_title(prev.raw)
            out[-1] = _Line(HEADING, prev.raw, 1 if m.group(1)[0] == "=" else 2, title, level,
                            marked=level is not None)
            out.append(_Line(BLANK, raw))
            continue
        m = SUMMARY_TAG.search(raw)
        if m:
            title, level = _clean_title(m.group(1))
            rest = clean_inline(SUMMARY_TAG.sub("", raw)).strip()
            out.append(_Line(SUMMARY, raw, title=title, difficulty=level, inline=rest))
            continue
        m = _BOLD_LINE.match(raw)
        if m:
            marker, bold, rest = m.group(1), m.group(3), m.group(4)
            title, level = _clean_title(bold)
            rest_text, rest_level = take_difficulty(one_line(clean_inline(rest)))
            level = level if level is not None else rest_level
            rest_text = rest_text.strip(" :-–—")
            candidate = _Line(BOLD, raw, title=title, difficulty=level, marked=level is not None)
            if not rest_text:
                out.append(candidate)
                continue
            if question_like(title) and (marker or title.endswith("?")):
                candidate.inline = rest_text
                out.append(candidate)
                continue
        out.append(_Line(TEXT, raw))
    return out


def _is_boilerplate(title: str) -> bool:
    return re.sub(r"[^a-z ]+", "", title.lower()).strip() in _BOILERPLATE


def _mark_questions(lines: list[_Line]) -> None:
    for line in lines:
        if line.kind == BOLD:
            line.question = bool(line.title) and not _LABEL.match(line.title) and (
                question_like(line.title) or line.marked)
        elif line.kind == SUMMARY:
            line.question = bool(line.title) and not generic_summary(line.title) and question_like(line.title)

    headings = [i for i, line in enumerate(lines) if line.kind == HEADING]
    info = []
    for n, i in enumerate(headings):
        end = headings[n + 1] if n + 1 < len(headings) else len(lines)
        body = lines[i + 1:end]
        has_body = any(b.kind in (TEXT, CODE, BOLD, SUMMARY) for b in body)
        first_question = next((n for n, b in enumerate(body) if b.question), None)
        holds_questions = first_question is not None
        if holds_questions and question_like(lines[i].title) and any(
                b.kind in (TEXT, CODE) for b in body[:first_question]):
            holds_questions = False  # "### 2. What is X?" with its answer, then a bold question
        deeper_next = n + 1 < len(headings) and lines[headings[n + 1]].level > lines[i].level
        info.append((i, has_body, holds_questions, deeper_next))
    # A heading level is a question level when most of its headings with a body read as questions.
    votes: dict[int, list[int]] = {}
    for i, has_body, holds, deeper_next in info:
        line = lines[i]
        if has_body and not holds and not _is_boilerplate(line.title):
            tally = votes.setdefault(line.level, [0, 0])
            tally[0] += question_like(line.title) or line.marked
            tally[1] += 1
    question_levels = {level for level, (q, n) in votes.items() if q and 2 * q >= n}
    for i, has_body, holds, deeper_next in info:
        line = lines[i]
        if holds or not line.title or _is_boilerplate(line.title) or (deeper_next and not has_body):
            continue
        line.question = question_like(line.title) or line.marked or (has_body and line.level in question_levels)


def parse_markdown(text: str) -> Parsed:
    out = Parsed()
    lines = _lex(strip_comments(text))
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
    current: dict | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            answer = _finish(current["answer"])
            if answer and current["links_only"]:
                out.skips.append(Skip(current["line"], excerpt(current["prompt"]), "the answer is only a link"))
                current = None
                return
            section = stack[-1][1] if stack else None
            topics = [t for _, t, is_title in reversed(stack) if not is_title or len(stack) == 1]
            out.add(current["prompt"], answer, current["line"], section=section, topics=topics[:2],
                    difficulty=current["difficulty"])
        current = None

    def start(line: _Line, number: int, level: int | None) -> None:
        nonlocal current
        flush()
        current = {"prompt": strip_numbering(line.title), "line": number, "difficulty": line.difficulty,
                   "level": level, "answer": [line.inline] if line.inline else [], "links_only": not line.inline}

    for number, line in enumerate(lines, 1):
        if line.kind == HEADING:
            if skip_level is not None and line.level > skip_level:
                continue
            skip_level = None
            if _is_boilerplate(line.title):
                flush()
                skip_level = line.level
                continue
            if line.question:
                start(line, number, line.level)
                continue
            if current is not None and current["level"] is not None and line.level > current["level"]:
                current["answer"].append(line.title)
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
            start(line, number, None)
            continue
        if current is None:
            continue
        text = _answer_text(line)
        if text.strip() and not (line.kind == TEXT and _LINKS_ONLY.match(line.raw)):
            current["links_only"] = False
        current["answer"].append(text)
    flush()
    return out


def _answer_text(line: _Line) -> str:
    if line.kind == CODE:
        return "    " + line.raw.rstrip() if line.raw.strip() else ""
    if line.kind in (FENCE, BLANK):
        return ""
    raw = line.raw
    if _TABLE_SEP.match(raw) and "-" in raw or _REF_DEF.match(raw) or _HR.match(raw):
        return ""
    raw = re.sub(r"^\s*(?:>\s?)+", "", raw)
    stripped = raw.strip()
    if stripped.startswith("|") or (stripped.endswith("|") and "|" in stripped[:-1]):
        cells = [clean_inline(c).strip() for c in stripped.strip("|").split("|")]
        return " | ".join(cells)
    text = clean_inline(raw).rstrip()
    if not any(c.isalnum() for c in text):
        return ""
    indent = len(text) - len(text.lstrip())
    # Prose is unindented (four spaces would read as code later); nested list items keep one step.
    return ("  " if indent >= 2 and _LIST_ITEM.match(text) else "") + text.lstrip()


def _finish(parts: list[str]) -> str:
    lines: list[str] = []
    for part in parts:
        lines.extend(part.split("\n"))
    lines = [line.rstrip() for line in lines]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    if out:
        out[0] = strip_answer_label(out[0])
        while out and not out[0].strip():
            out.pop(0)
    return "\n".join(out)
