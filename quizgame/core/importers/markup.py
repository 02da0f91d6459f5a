"""Cleaning shared by the readers: HTML to text, inline markdown, difficulty markers, question shapes."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

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

_BLOCK_TAGS = frozenset("address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
                        "h6 header hr li ol p pre section table tbody thead tfoot tr ul details summary".split())
_SKIP_TAGS = frozenset({"script", "style", "head", "title"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br" or tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment: tags dropped, <br>/<div>/<li> as line breaks, entities decoded."""
    try:
        parser = _TextExtractor()
        parser.feed(markup)
        parser.close()
        text = "".join(parser.parts)
    except Exception:  # html.parser is lenient, but old corners of it can still raise
        text = html.unescape(_ANY_TAG.sub(" ", re.sub(r"<br\s*/?>", "\n", markup, flags=re.I)))
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
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STAR_ITALIC = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_UNDER_ITALIC = re.compile(r"(?<![\w\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?!\w)")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SUMMARY_LABELS = frozenset("answer answers solution solutions show hide click expand reveal toggle explanation "
                            "explanations hint hints details spoiler code more see view read open".split())


def strip_comments(text: str) -> str:
    """Remove HTML comments but keep their line breaks, so line numbers stay right."""
    return _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)


def generic_summary(text: str) -> bool:
    """A <summary> that only labels the hidden part ("Answer", "Show solution", "Click to expand")."""
    words = re.findall(r"\w+", text.lower())
    return not words or (len(words) <= 6 and not text.strip().endswith("?")
                         and any(w in _SUMMARY_LABELS for w in words))


def clean_inline(line: str) -> str:
    """One line of markdown as plain text: images, HTML, links and emphasis markers removed."""
    if not line:
        return line
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:
        codes.append(match.group(2).strip())
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE_SPAN.sub(keep_code, line)
    text = _IMAGE.sub("", text)
    text = _BR.sub("\n", text)
    text = re.sub(r"<summary>(.*?)</summary>", lambda m: "" if generic_summary(m.group(1)) else m.group(1),
                  text, flags=re.IGNORECASE)
    text = _MD_HTML_TAG.sub("", text)
    text = _ANCHOR_LINK.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _SOURCE_TAG.sub("", text)
    for _ in range(2):  # nested emphasis such as ***word***
        text = _BOLD.sub(r"\2", text)
    text = _STAR_ITALIC.sub(r"\1", text)
    text = _UNDER_ITALIC.sub(r"\1", text)
    text = _STRIKE.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    text = html.unescape(text).replace("\xa0", " ")
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
