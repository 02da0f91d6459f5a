"""Plain-text Q&A, as in the seed file.

    Section Title
    First question, unnumbered, right after the title?
    Its answer paragraph.
    2. Next question?

    Its answer, one or more paragraphs.

A section title is a short line without final punctuation that is followed by a question,
where the numbering starts again. "Q: … / A: …" pairs are read as well.
"""
from __future__ import annotations

import re

from quizgame.core.importers.markup import one_line, question_like, strip_answer_label
from quizgame.core.importers.records import Parsed

NUMBERED = re.compile(r"^\s*(?:q(?:uestion)?\s*)?(\d{1,4})\s*[.):]\s+(\S.*)$", re.IGNORECASE)
QA_QUESTION = re.compile(r"^\s*(?:q|question)\s*[:.]\s*(\S.*)$", re.IGNORECASE)


def _title_like(line: str) -> bool:
    s = line.strip().rstrip(":").strip()
    return (0 < len(s) <= 80 and len(s.split()) <= 10 and s[-1] not in ".?!;,…"
            and s[0] not in "-*•>#|+([{\"'" and not s[0].islower() and any(c.isalpha() for c in s)
            and not NUMBERED.match(s) and not QA_QUESTION.match(s))


def parse_text(text: str) -> Parsed:
    lines = text.split("\n")
    out = Parsed()
    numbers: list[int | None] = []
    for line in lines:
        m = NUMBERED.match(line)
        numbers.append(int(m.group(1)) if m else None)
    # next_number[i]: the number of the first numbered line at or after i
    next_number: list[int | None] = [None] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        next_number[i] = numbers[i] if numbers[i] is not None else next_number[i + 1]
    next_nonblank: list[int | None] = [None] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        next_nonblank[i] = i if lines[i].strip() else next_nonblank[i + 1]

    section: str | None = None
    prompt: str | None = None
    prompt_line = 0
    answer: list[str] = []
    last_number = 0
    expect_question = True  # at the start of the file and right after a section title
    seen_any = False
    ignored = False

    def flush() -> None:
        nonlocal prompt
        if prompt is not None:
            body = "\n".join(answer)
            body = re.sub(r"\n{3,}", "\n\n", body).strip()
            out.add(prompt, strip_answer_label(body), prompt_line, section=section,
                    topics=[section] if section else [])
        prompt = None
        answer.clear()

    def start(text_: str, line_no: int) -> None:
        nonlocal prompt, prompt_line, expect_question, seen_any
        flush()
        prompt, prompt_line = one_line(text_), line_no
        expect_question = False
        seen_any = True

    def is_title(i: int) -> bool:
        if not _title_like(lines[i]):
            return False
        j = next_nonblank[i + 1]
        if j is None:
            return False
        if not seen_any and section is None:
            return True
        if prompt is None or not any(a.strip() for a in answer):
            return False
        following = lines[j]
        if numbers[j] is not None:
            return numbers[j] == 1
        later = next_number[j + 1]
        if later is None:  # no numbering left to restart: the next line must read as a question
            return question_like(following)
        return later <= max(2, last_number)

    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            if prompt is not None:
                answer.append("")
            continue
        number = numbers[i]
        match = NUMBERED.match(raw)
        if number is not None and match is not None:
            body = match.group(2)
            if (number == last_number + 1 or (number > last_number and question_like(body))
                    or (number == 1 and question_like(body)) or (expect_question and prompt is None)):
                start(body, i + 1)
                last_number = number
                continue
        qa = QA_QUESTION.match(raw)
        if qa:
            start(qa.group(1), i + 1)
            continue
        if is_title(i):
            flush()
            section = one_line(s.rstrip(":"))
            expect_question, last_number = True, 0
            seen_any = True
            continue
        if expect_question:
            if section is not None or question_like(s):
                start(s, i + 1)
                last_number = 1
            elif not ignored:
                out.notes.append(f"line {i + 1}: text before the first question was ignored")
                ignored = True
            continue
        if prompt is not None:
            answer.append(raw.rstrip())
    flush()
    return out
