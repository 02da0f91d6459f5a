"""Cleaning shared by the readers: HTML to text, inline markdown, difficulty markers, question shapes."""
from __future__ import annotations

import html
import re

# --- difficulty -------------------------------------------------------------------------------

_EMOJI_DIFFICULTY = (("\U0001f476", 1), ("\u2b50", 3), ("\U0001f31f", 3), ("\U0001f680", 5))
_WORD_DIFFICULTY = re.compile(r"[(\[]\s*(easy|medium|hard)\s*[)\]]", re.IGNORECASE)
_WORD_LEVELS = {"easy": 1, "beginner": 1, "basic": 1, "medium": 3, "intermediate": 3, "moderate": 3,
                "hard": 5, "advanced": 5, "difficult": 5, "expert": 5}


def take_difficulty(text: str) -> tuple[str, int | None]:
    """Strip 👶 ⭐️ 🚀 and (easy)/(medium)/(hard) markers; return the text and the first marker's level."""
    found: list[tuple[int, int]] = []
    for emoji, level in _EMOJI_DIFFICULTY:
        at = text.find(emoji)
        if at >= 0:
            found.append((at, level))
            text = text.replace(emoji, " ")
    match = _WORD_DIFFICULTY.search(text)
    if match:
        found.append((match.start(), _WORD_LEVELS[match.group(1).lower()]))
        text = _WORD_DIFFICULTY.sub(" ", text)
    if found:
        text = text.replace("\ufe0f", "")
        text = re.sub(r"[ \t]{2,}", " ", text).strip()
    return text, (min(found)[1] if found else None)


def parse_difficulty(value: str) -> int | None:
    """A difficulty cell: 1–5, a word such as easy/hard, or an emoji marker."""
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"[1-5](\.0)?", value):
        return int(value[0])
    word = _WORD_LEVELS.get(value.lower().strip("()[] "))
    if word:
        return word
    return take_difficulty(value)[1]


# --- HTML -------------------------------------------------------------------------------------

_BLOCK_TAG_NAMES = ("address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|"
                    "ol|p|pre|section|table|tbody|thead|tfoot|tr|ul|details|summary")
_HIDDEN_BLOCK = re.compile(r"<(script|style|head|title)\b[^<>]*>(?:[^<]|<(?!/?\1\b))*</\1\s*>", re.IGNORECASE)
_HTML_BR = re.compile(r"<br\b[^<>]*>", re.IGNORECASE)
_HTML_LI = re.compile(r"<li\b[^<>]*>", re.IGNORECASE)
_HTML_CELL = re.compile(r"<t[dh]\b[^<>]*>", re.IGNORECASE)
_HTML_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAG_NAMES})\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment: tags dropped, <br>/<div>/<li> as line breaks, entities decoded.

    Regular expressions that never scan past the next angle bracket: linear on any input,
    where html.parser can take quadratic time on unclosed tags and comments.
    """
    text = markup
    if "<" in text:
        text = strip_comments(text)
        text = _HIDDEN_BLOCK.sub("", text)
        text = _HTML_BR.sub("\n", text)
        text = _HTML_LI.sub("\n- ", text)
        text = _HTML_CELL.sub(" | ", text)
        text = _HTML_BLOCK.sub("\n", text)
        text = _ANY_TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return tidy(text.replace("\xa0", " "))


def tidy(text: str) -> str:
    """Trim each line, squeeze runs of blank lines to one, and trim the whole."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# --- inline markdown --------------------------------------------------------------------------

_HTML_TAG_NAMES = ("br|details|summary|p|div|span|img|a|b|i|u|s|em|strong|code|pre|sup|sub|center|h[1-6]|"
                   "ul|ol|li|table|tr|td|th|thead|tbody|hr|font|kbd|blockquote|section|figure|figcaption|"
                   "picture|source|video|del|ins|mark|small|big|tt|dl|dt|dd|abbr|cite|q|var|samp|nobr|wbr")
_MD_HTML_TAG = re.compile(rf"</?(?:{_HTML_TAG_NAMES})\b[^<>]*>", re.IGNORECASE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|!\[[^\]\n]*\]\[[^\]\n]*\]")
_ANCHOR_LINK = re.compile(r"\[[^\]\n]*\]\(#[^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_SOURCE_TAG = re.compile(r"\[\s*(?:src|source|link|ref|reference|video|paper|blog)\s*\]", re.IGNORECASE)
# Emphasis and tag patterns never scan past the next delimiter, so a long line with many
# unclosed markers stays linear instead of quadratic.
_BOLD = re.compile(r"\*\*(?=[^\s*])((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*|__(?=[^\s_])((?:[^_]|_(?!_))+?)(?<=\S)__")
_STAR_ITALIC = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_UNDER_ITALIC = re.compile(r"(?<![\w\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?!\w)")
_STRIKE = re.compile(r"~~(?=[^\s~])((?:[^~]|~(?!~))+?)(?<=\S)~~")
_CODE_SPAN = re.compile(r"(`+)([^`]+)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
SUMMARY_TAG = re.compile(r"<summary[^>]*>((?:[^<]|<(?!/?summary\b))*)</summary>", re.IGNORECASE)
_SPECIAL = re.compile(r"[`<\[*_~\\&\xa0]")
_SUMMARY_LABELS = frozenset("answer answers solution solutions show hide click expand reveal toggle explanation "
                            "explanations hint hints details spoiler code more see view read open".split())


def strip_comments(text: str) -> str:
    """Remove HTML comments but keep their line breaks, so line numbers stay right.

    An unclosed comment is left as it is (GitHub shows the rest of the file then, too).
    """
    if "<!--" not in text:
        return text
    out: list[str] = []
    at = 0
    while True:
        start = text.find("<!--", at)
        end = text.find("-->", start + 4) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(text[at:])
            return "".join(out)
        out.append(text[at:start])
        out.append("\n" * text.count("\n", start, end))
        at = end + 3


def generic_summary(text: str) -> bool:
    """A <summary> that only labels the hidden part ("Answer", "Show solution", "Click to expand")."""
    words = re.findall(r"\w+", text.lower())
    return not words or (len(words) <= 6 and not text.strip().endswith("?")
                         and any(w in _SUMMARY_LABELS for w in words))


def clean_inline(line: str) -> str:
    """One line of markdown as plain text: images, HTML, links and emphasis markers removed."""
    if not line or not _SPECIAL.search(line):
        return line
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:
        codes.append(match.group(2).strip())
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE_SPAN.sub(keep_code, line) if "`" in line else line
    if "<" in text:
        text = _BR.sub("\n", text)
        text = SUMMARY_TAG.sub(lambda m: "" if generic_summary(m.group(1)) else m.group(1), text)
        text = _MD_HTML_TAG.sub("", text)
    if "[" in text:
        text = _IMAGE.sub("", text)
        text = _ANCHOR_LINK.sub("", text)
        text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
        text = _SOURCE_TAG.sub("", text)
    if "*" in text or "_" in text:
        for _ in range(2):  # nested emphasis such as ***word***
            text = _BOLD.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
        text = _STAR_ITALIC.sub(r"\1", text)
        text = _UNDER_ITALIC.sub(r"\1", text)
    if "~" in text:
        text = _STRIKE.sub(r"\1", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\xa0", " ")
    if codes:
        text = re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)
    return text


# --- question shapes --------------------------------------------------------------------------

_QUESTION_WORDS = (
    "what|what's|whats|why|how|how's|when|which|who|whom|whose|where|explain|describe|define|compare|contrast|"
    "discuss|differentiate|distinguish|elaborate|illustrate|implement|derive|prove|tell|suppose|imagine|"
    "give|name|outline|summarize|summarise|walk|write|design|can you|could you|would you|do you|is it|"
    "are there|is there|does|do|is|are|can|should|would"
)
_QUESTION_START = re.compile(
    rf"^\W*(?:q(?:uestion)?\s*\d*\s*[:.)\-]\s*)?(?:\d{{1,4}}\s*[.):]\s*)?(?:{_QUESTION_WORDS})\b",
    re.IGNORECASE)
_NUMBERING = re.compile(r"^\s*(?:q(?:uestion)?\s*)?(\d{1,4})\s*[.):\-]\s+(?=\S)|^\s*q(?:uestion)?\s*(\d{1,4})\s+(?=\S)",
                        re.IGNORECASE)
_Q_LABEL = re.compile(r"^\s*(?:q(?:uestion)?|question\s*\d{1,4})\s*[:.)]\s*", re.IGNORECASE)
_A_LABEL = re.compile(r"^\s*(?:a|ans|answer|solution|explanation)\s*:\s*", re.IGNORECASE)


def question_like(text: str) -> bool:
    """Looks like a question: ends with '?', or opens with a question word or an imperative such as Explain."""
    stripped = text.strip().rstrip("*_:. ")
    return stripped.endswith("?") or bool(_QUESTION_START.match(text.strip()))


def strip_numbering(text: str) -> str:
    """"12. What…", "Q3: What…", "Q: What…", "1) What…" → "What…"."""
    text = _NUMBERING.sub("", text, count=1)
    return _Q_LABEL.sub("", text, count=1).strip()


def strip_answer_label(text: str) -> str:
    """"Answer: It is…" → "It is…"."""
    return _A_LABEL.sub("", text, count=1)


def one_line(text: str) -> str:
    return " ".join(text.split())
