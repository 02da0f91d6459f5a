"""Which records are not questions: placeholders left by the author, and files read the wrong way.

placeholder(prompt, answer) names why one record is a stub ("Answer here", "TODO", "…", a bare
link); garbage(records) says why a whole parse does not look like questions and answers (most
answers are a word or two cut from a sentence, or most prompts are a few characters long).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from quizgame.core.importers.records import Record, excerpt

# Stubs authors leave where an answer will go: compared with the whole answer, lowercased, its
# punctuation and brackets removed (so "[Answer here]", "TODO:", "_TBD_" all match).
_STUBS = frozenset("""answer here|your answer here|add answer here|answer goes here|write answer here|
write your answer here|insert answer here|put answer here|type answer here|add your answer here|answer|answers|
todo|to do|tbd|tba|tbc|wip|work in progress|coming soon|to be added|to be done|to be written|to be completed|
to be updated|will be added|will be updated|answer coming soon|answer to be added|not answered yet|no answer yet|
no answer|not yet|pending|placeholder|fill in|fill me|fill this in|fixme|xxx|lorem ipsum|
see above|see below|see link|see the link|check the link|link|click here|here|
details|more|more info|read more|example|answer placeholder|your text here|text here|definition here|
description here|explanation here""".replace("\n", "").split("|"))
_STUB_QUESTIONS = frozenset("""question|question here|your question here|add question here|todo|tbd|
placeholder|front|term|prompt|example question""".replace("\n", "").split("|"))
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORDS = re.compile(r"[^\W_]+")

SHORT_PROMPT = 4        # a "question" of fewer letters and digits than this says nothing
SPLIT_PROMPT_WORDS = 5  # a prompt this long without end punctuation, with a one- or two-word answer: a cut sentence
GARBAGE_SHARE = 0.5     # more than this share of odd records: the file was read the wrong way
GARBAGE_MIN_RECORDS = 6  # below this, a few odd records are not evidence


def _normal(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


STUB_LENGTH = 40  # characters; every stub above is shorter, so longer texts skip the comparison


def placeholder(prompt: str, answer: str) -> str | None:
    """Why this record is a stub and not a question, or None."""
    if len(prompt) <= STUB_LENGTH and _normal(prompt) in _STUB_QUESTIONS:
        return f"placeholder question {excerpt(prompt, 30)!r}"
    if len(answer) <= STUB_LENGTH:
        normal = _normal(answer)
        if not normal:
            return "the answer has no words (only punctuation or an ellipsis)"
        if normal in _STUBS:
            return f"placeholder answer {excerpt(answer, 30)!r}"
    if ("http" in answer or "www." in answer) and not _normal(_URL.sub(" ", answer)):
        return "the answer is only a link"
    return None


def _cut_sentence(record: Record) -> bool:
    prompt = record.prompt.strip()
    return (len(prompt.split()) >= SPLIT_PROMPT_WORDS and prompt[-1:] not in "?.!:)…\"'”"
            and len(record.answer.split()) <= 2)


def _tiny_prompt(record: Record) -> bool:
    if len(record.prompt) >= 3 * SHORT_PROMPT:
        return False
    # A CJK character carries about a word: "我" is a fine prompt, "ab" is not.
    return sum(3 if ord(c) >= 0x2E80 else 1 for c in "".join(_WORDS.findall(record.prompt))) < SHORT_PROMPT


def garbage(records: Sequence[Record]) -> tuple[str, Record] | None:
    """(why, an example record) when the records do not read as questions and answers."""
    if len(records) < GARBAGE_MIN_RECORDS:
        return None
    for test, why in ((_tiny_prompt, f"most questions are shorter than {SHORT_PROMPT} letters"),
                      (_cut_sentence, "most answers are one or two words cut from a sentence")):
        odd = [r for r in records if test(r)]
        if len(odd) > GARBAGE_SHARE * len(records):
            return f"{why} ({len(odd)} of {len(records)})", odd[0]
    return None
