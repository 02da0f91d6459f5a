"""Cleaning shared by the readers: HTML to text, inline markdown, difficulty markers, question shapes."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# --- difficulty -------------------------------------------------------------------------------

_EMOJI_DIFFICULTY = (("\U0001f476", 1), ("\u2b50", 3), ("\U0001f31f", 3), ("\U0001f680", 5))
_WORD_DIFFICULTY = re.compile(r"[(\[]\s*(easy|medium|hard)\s*[)\]]|\[(E|M|H)\]", re.IGNORECASE)
_WORD_LEVELS = {"e": 1, "m": 3, "h": 5, "easy": 1, "beginner": 1, "basic": 1, "medium": 3, "intermediate": 3, "moderate": 3,
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
        found.append((match.start(), _WORD_LEVELS[(match.group(1) or match.group(2)).lower()]))
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

_BLOCK_TAGS = frozenset(["address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "ol", "p", "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "details", "summary"])
_HIDDEN_TAGS = frozenset(["script", "style", "head", "title"])


class _TextOfHtml(HTMLParser):
    """Visible text of an HTML fragment: <br>, <div>, <p>, <li> as line breaks, table cells split by
    " | ", <sub>/<sup> as _ and ^, <pre> kept as code (indented four spaces), entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.pre_text: list[str] = []
        self.cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag == "pre":
            self.pre += 1
            if self.pre == 1:
                self.pre_text = []
        elif tag == "br":
            (self.pre_text if self.pre else self.parts).append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" | " if self.cells else "")
            self.cells += 1
        elif tag == "tr":
            self.cells = 0
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "sub":
            self.parts.append("_")
        elif tag == "sup":
            self.parts.append("^")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            (self.pre_text if self.pre else self.parts).append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "pre" and self.pre:
            self.pre -= 1
            if not self.pre:
                code = "".join(self.pre_text).replace("\xa0", " ").strip("\n")
                lines = [("    " + line.rstrip()) if line.strip() else "" for line in code.split("\n")]
                self.parts.append("\n\x00" + "\n\x00".join(lines) + "\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        (self.pre_text if self.pre else self.parts).append(data)


# The markup most Anki fields hold: bare <b> <i> <u> <em> <strong> <span>, <br>, <div>, &nbsp;.
# Such a field is read by a few replacements, exactly as the parser would read it (a property
# test checks that), which makes a 30,000-card deck import seconds faster.
_SIMPLE_TAG = re.compile(r"</?(?:b|i|u|em|strong|span)>|(</?div>|<br\s*/?>)|&nbsp;")


# A "<" that opens no tag closed before the next "<" is text: written as &lt; before parsing, as
# html.parser would take quadratic time re-scanning a field of "<a<a<a…" for the end of a tag.
_UNCLOSED = re.compile(r"<(?![A-Za-z/!?][^<>]*>)")


def _simple_tag(match: re.Match[str]) -> str:
    if match.group(1):
        return "\n"
    return " " if match.group() == "&nbsp;" else ""


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment (Anki and CSV fields, HTML inside Markdown), with the
    standard library's html.parser; code in <pre> stays on its own lines, indented four spaces."""
    if "<" not in markup and "&" not in markup:
        return tidy(markup.replace("\xa0", " "))
    if "<" not in markup:
        return tidy(html.unescape(markup).replace("\xa0", " "))
    simple = _SIMPLE_TAG.sub(_simple_tag, markup)
    if "<" not in simple and "&" not in simple:
        return tidy(simple.replace("\xa0", " "))
    parser = _TextOfHtml()
    parser.feed(_UNCLOSED.sub("&lt;", markup))
    parser.close()
    return tidy("".join(parser.parts).replace("\xa0", " "))


def tidy(text: str) -> str:
    """Trim each line, squeeze runs of blank lines to one, and trim the whole (code lines, marked
    with a NUL by html_to_text, keep their indentation)."""
    lines = [line[1:].rstrip() if line.startswith("\x00") else " ".join(line.split())
             for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).rstrip()  # the lines are trimmed already; a first code line keeps its indent


# --- HTML in Markdown --------------------------------------------------------------------------

SUMMARY_TAG = re.compile(r"<summary[^>]*>((?:[^<]|<(?!/?summary\b))*)</summary>", re.IGNORECASE)
_SUMMARY_LABELS = frozenset([
    "answer", "answers", "solution", "solutions", "show", "hide", "click", "expand", "reveal", "toggle",
    "explanation", "explanations", "hint", "hints", "details", "spoiler", "code", "more", "see", "view", "read",
    "open",
])


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


# --- formulas ---------------------------------------------------------------------------------

_LATEX_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "sum": "Σ", "prod": "∏", "int": "∫", "partial": "∂", "nabla": "∇", "infty": "∞", "cdot": "·", "times": "×",
    "div": "÷", "pm": "±", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "sim": "~", "propto": "∝", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩",
    "forall": "∀", "exists": "∃", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒",
    "mid": "|", "ldots": "…", "cdots": "…", "dots": "…", "log": "log", "ln": "ln", "exp": "exp", "max": "max",
    "min": "min", "arg": "arg", "sin": "sin", "cos": "cos", "tan": "tan", "lim": "lim", "top": "ᵀ", "prime": "′",
}
_LATEX_DROP = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg|displaystyle|limits|,|;|!|quad|qquad)(?![A-Za-z])")
_LATEX_WRAP = re.compile(r"\\(?:text|mathrm|mathbf|mathit|mathcal|mathbb|operatorname|boldsymbol|textbf|hat|bar|"
                         r"tilde|vec|overline)\s*\{([^{}]*)\}")
_LATEX_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_LATEX_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_LATEX_SCRIPT = re.compile(r"([_^])\{([^{}]*)\}")
_LATEX_NAME = re.compile(r"\\([A-Za-z]+)")
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\w$])", re.DOTALL)


def _latex(formula: str) -> str:
    text = _LATEX_DROP.sub("", formula)
    for _ in range(4):  # nested braces, innermost first
        before = text
        text = _LATEX_WRAP.sub(r"\1", text)
        text = _LATEX_FRAC.sub(lambda m: f"{_group(m.group(1))}/{_group(m.group(2))}", text)
        text = _LATEX_SQRT.sub(r"√(\1)", text)
        text = _LATEX_SCRIPT.sub(lambda m: m.group(1) + (m.group(2) if len(m.group(2)) <= 1 or (
            m.group(2).startswith("(") and m.group(2).endswith(")")) else f"({m.group(2)})"), text)
        if text == before:
            break
    text = _LATEX_NAME.sub(lambda m: _LATEX_SYMBOLS.get(m.group(1), m.group(1)), text)
    return text.replace("{", "").replace("}", "")


def _group(text: str) -> str:
    return text if re.fullmatch(r"[\w.]+", text) else f"({text})"


def latex_to_text(text: str) -> str:
    """$…$ and $$…$$ formulas as readable text: \\frac{a}{b} → a/b, \\sqrt{x} → √(x), \\alpha → α,
    x_{ij} → x_(ij); everything else is left as written."""
    if "$" not in text:
        return text
    return _MATH.sub(lambda m: _latex(m.group(1) if m.group(1) is not None else m.group(2)), text)


_BARE_URL = re.compile(r"<?\b(?:https?://|www\.)[^\s<>]+>?", re.IGNORECASE)


def drop_urls(text: str) -> str:
    """Bare web addresses removed from prose lines (code lines, indented four spaces, keep them):
    an address is where to read more, and its words must never become key ideas."""
    if "http" not in text and "www." not in text:
        return text
    lines = []
    for line in text.split("\n"):
        if not line.startswith("    "):
            line = _BARE_URL.sub("", line).rstrip()
            line = re.sub(r"\(\s*\)|\[\s*\]", "", line).rstrip()
        lines.append(line)
    return "\n".join(lines).strip("\n")


def one_line(text: str) -> str:
    return " ".join(text.split())
