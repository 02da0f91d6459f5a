"""What the bank needs and the file does not say: ids, one-line options, topics and key ideas.

Everything here is deterministic, so importing the same file twice gives the same bank.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from quizgame.core.bank import ID_PATTERN, TOPIC_PATTERN
from quizgame.core.model import Idea
from quizgame.core.text import ABBREVIATIONS, NEGATIONS, STOPWORDS, content_words

OPTION_LIMIT = 100
MAX_TOPICS = 4

# Words that say nothing on their own: an answer "including X" is graded on X, not on "including".
GENERIC = frozenset("""
also use used uses using usually typically often commonly common various different include includes including
included involve involves involving involved allow allows allowing allowed make makes making made help helps
helping helped provide provides providing provided ensure ensures ensuring based way ways thing things something
example examples eg ie etc well many much several certain specific main key important new known called refer
refers referred term terms method methods technique techniques approach approaches however therefore thus hence
need needs needed able cannot get gets got take takes taking given give gives set sets kind kinds type types part
parts case cases number lot lots even still whether first second third two three rather instead particular
particularly especially generally simply instance yes let lets put puts within without around across toward towards
another every either neither whereas while since because although though upon among amongst actually really
basically essentially mainly mostly usually unlike rest others likewise similarly additionally furthermore moreover
""".split())

# Words that can carry an idea but rarely are the idea: counted at half weight.
WEAK = frozenset("""
respect regard regardless consist consists consisting capable produce produces producing calculate calculates
calculating calculated compute computes computing computed achieve achieves achieving affect affects apply
applies applying applied become becomes capture captures capturing consider considering contain contains create
creates creating deal deals depend depends determine determines enable enables enabling focus focuses form
forms generate generates handle handles handling improve improves improving improved increase increases keep
keeps lead leads maintain maintains manage perform performs performing process processes reduce reduces
reducing relate related represent represents representing require requires requiring result results support
supports tend tends work works working better large larger small smaller high higher low lower good best less
complex simple same similar whole entire overall final finally effective effectively efficient efficiently
accurate accurately appropriate suitable significant significantly directly optional specifies specify
determine importance important influence utilize utilizes utilizing leverage leverages leveraging employ
employs employing incorporate incorporates incorporating implement implements implementing interpret
described describe describes explanation explanations mechanism mechanisms system systems model models data
learning training learn learns trained task tasks method tool tools strategy strategies feature features value
values input inputs output outputs step steps time times level levels problem problems issue issues goal
""".split())

_COMPOUND = re.compile(r"(?:\d+(?:\.\d+)?|[^\W\d_]+)(?:-(?:\d+(?:\.\d+)?|[^\W\d_]+))*")
_JOINER = re.compile(r"^[ \t]*$")
_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"'”’)\]]|$)")
_ABBREVIATION_END = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|approx|fig|figs|eq|cf|dr|mr|mrs|ms|no|al|incl|resp|esp|"
                               r"a\.k\.a|w\.r\.t|st|sec|ch|vol|p|pp)|(?<![\w.])[A-Za-z])\.$", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")


# --- slugs and ids ----------------------------------------------------------------------------

def slugify(text: str, limit: int, drop_stopwords: bool = False) -> str:
    """ASCII lowercase words joined by dashes, cut at a word boundary to at most `limit` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    if drop_stopwords:
        words = [w for w in words if w not in STOPWORDS] or words
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    if not out and words:
        out = words[0][:limit]
    return out


def pretty_title(stem: str) -> str:
    words = " ".join(re.sub(r"[_\-]+", " ", stem).split())
    return (words[:1].upper() + words[1:]) if words else "Imported questions"


class IdMaker:
    """Unique ids in file order: a slug, then -2, -3… for repeats; a hash when the text has no ASCII words."""

    def __init__(self, pattern: re.Pattern = ID_PATTERN, limit: int = 48, prefix: str = "q"):
        self.seen: set[str] = set()
        self.pattern, self.limit, self.prefix = pattern, limit, prefix

    def make(self, text: str, drop_stopwords: bool = True) -> str:
        base = slugify(text, self.limit, drop_stopwords)
        if not base or not self.pattern.match(base):
            base = f"{self.prefix}-{hashlib.sha1(text.encode('utf-8', 'replace')).hexdigest()[:10]}"
        candidate, n = base, 1
        while candidate in self.seen:
            n += 1
            candidate = f"{base}-{n}"
        self.seen.add(candidate)
        return candidate


def topic_slugs(raw: list[str], fallback: str) -> list[str]:
    out: list[str] = []
    for item in raw:
        slug = slugify(item, 40)
        if slug and TOPIC_PATTERN.match(slug) and slug not in out:
            out.append(slug)
    if not out:
        out.append(fallback if TOPIC_PATTERN.match(fallback) else "general")
    return out[:MAX_TOPICS]


# --- the one-line option ----------------------------------------------------------------------

def first_sentence(text: str) -> str:
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if text[match.start()] == "." and _ABBREVIATION_END.search(text[:end]):
            continue
        if text[match.start()] == "." and end < len(text) and text[end - 2:end].isdigit():
            continue
        return text[:end]
    return text


def _first_paragraph(answer: str) -> list[str]:
    """The answer's opening lines, up to a blank line, a table row or a code line."""
    lines: list[str] = []
    for line in answer.split("\n"):
        if not line.strip() or line.startswith(("    ", "\t")) or ("|" in line and lines):
            if lines:
                break
            continue
        lines.append(line)
    return lines


def make_option(answer: str) -> str:
    """The answer's first sentence on one line, at most 100 characters (cut at a word, with "…")."""
    flat = " ".join(answer.split())
    lead = " ".join(" ".join(_first_paragraph(answer)).split())
    flat = _LIST_MARKER.sub("", flat)
    lead = _LIST_MARKER.sub("", lead) or flat
    sentence = first_sentence(lead).strip().rstrip(":").strip() or flat
    if len(sentence) > OPTION_LIMIT:
        cut = sentence[: OPTION_LIMIT - 1]
        space = cut.rfind(" ")
        if space >= 40:
            cut = cut[:space]
        sentence = cut.rstrip(" ,;:-–—([{") + "…"
    elif sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1].rstrip()
    return sentence or flat[: OPTION_LIMIT - 1] + ("…" if len(flat) >= OPTION_LIMIT else "")


# --- key ideas --------------------------------------------------------------------------------

@dataclass(slots=True)
class _Word:
    text: str      # as written
    lower: str
    segment: int   # words in the same segment with only spaces or dashes between are neighbours
    start: int
    end: int
    first: bool    # in the first sentence
    first_in_sentence: bool = False


def document_frequencies(answers: list[str]) -> Counter:
    df: Counter = Counter()
    for answer in answers:
        df.update(content_words(answer))
    return df


def _words(answer: str) -> tuple[str, list[_Word]]:
    prose = "\n".join(line for line in answer.split("\n") if not line.startswith(("    ", "\t")))
    if content_words(prose):  # leave code out of the ideas, unless the answer is nothing but code
        answer = prose
    text = unicodedata.normalize("NFKC", answer).replace("'", "").replace("\u2019", "")
    first_end = len(first_sentence(text))
    words: list[_Word] = []
    segment, last_end = 0, 0
    for match in _COMPOUND.finditer(text):
        if words and not _JOINER.match(text[last_end:match.start()]):
            segment += 1
        before = text[last_end:match.start()] if words else "."
        words.append(_Word(match.group(), match.group().casefold(), segment, match.start(), match.end(),
                           match.start() < first_end, bool(re.search(r"[.!?:\n]\W*$", before))))
        last_end = match.end()
    return text, words


def _usable(lower: str) -> bool:
    if "-" in lower:  # a compound such as non-linearity or mini-batch: usable if one of its parts is
        return any(_usable(part) for part in lower.split("-") if part)
    if lower in STOPWORDS or lower in GENERIC or lower in NEGATIONS or lower[0].isdigit():
        return False
    return len(lower) >= 3 or lower in ABBREVIATIONS


def derive_ideas(prompt: str, answer: str, df: Counter, n_docs: int) -> tuple[list[Idea], str | None]:
    """2–4 key ideas from the answer's salient words that the prompt does not contain.

    Returns (ideas, None), or ([], reason) when the answer gives nothing to grade on.
    """
    prompt_stems = content_words(prompt)
    text, words = _words(answer)
    cache: dict[str, set[str]] = {}

    def novel(lower: str) -> set[str]:
        if lower not in cache:
            cache[lower] = content_words(lower) - prompt_stems
        return cache[lower]

    tf: Counter = Counter(w.lower for w in words)

    def score(word: _Word) -> float:
        stems = content_words(word.lower) or {word.lower}
        rarity = math.log((n_docs + 1) / (min(df.get(s, 0) for s in stems) + 0.5)) + 1.0
        value = rarity * min(len(word.lower), 14) ** 0.5 * (1 + 0.4 * min(tf[word.lower] - 1, 3))
        if word.first:
            value *= 1.15
        if word.lower in WEAK:
            value *= 0.5
        elif word.lower.endswith(("ing", "ed", "ly")) and len(word.lower) > 5:
            value *= 0.7  # mostly verbs and adverbs; the idea is usually the noun
        if (word.text[1:] != word.text[1:].lower() or (word.text[0].isupper() and not word.first_in_sentence)):
            value *= 1.25  # a name or an acronym: ReLU, Bellman, MLP
        if "-" in text[max(0, word.start - 1):word.end + 1]:
            value *= 1.1   # part of a compound: mini-batch, fairness-aware
        return value

    candidates: dict[tuple, tuple[float, int, str, list[str], set[str]]] = {}
    for i, word in enumerate(words):
        if not _usable(word.lower):
            continue
        stems = novel(word.lower)
        s = score(word)
        if stems:
            key = tuple(sorted(stems))
            if key not in candidates:
                candidates[key] = (s, word.start, word.text, [word.lower], stems)
        if i + 1 < len(words):
            nxt = words[i + 1]
            if nxt.segment != word.segment or not _usable(nxt.lower):
                continue
            stems_next = novel(nxt.lower)
            if not (stems or stems_next) or word.lower == nxt.lower:
                continue
            s_next = score(nxt)
            pair = 0.7 * ((s if stems else s / 2) + (s_next if stems_next else s_next / 2))
            key = tuple(sorted(stems | stems_next)) + ("",)
            salient = word.lower if (stems and (not stems_next or s >= s_next)) else nxt.lower
            phrase = text[word.start:nxt.end]
            if key not in candidates:
                candidates[key] = (pair, word.start, phrase, [" ".join(phrase.casefold().split()), salient],
                                   stems | stems_next)

    distinct = {s for w in words if _usable(w.lower) for s in novel(w.lower)}
    wanted = 2 if len(distinct) < 8 else 3 if len(distinct) < 16 else 4
    chosen: list[tuple[str, list[str]]] = []
    covered: set[str] = set()
    for s, start, label, terms, stems in sorted(candidates.values(), key=lambda c: (-c[0], c[1], c[2])):
        if len(chosen) >= wanted:
            break
        if stems & covered:
            continue
        covered |= stems
        chosen.append((" ".join(label.split()), list(dict.fromkeys(terms))))

    if not chosen:
        # Nothing salient (e.g. "Yes."): grade on whatever answer words the prompt lacks.
        loose = [w.lower for w in words if novel(w.lower)]
        if not loose:
            if not content_words(answer):
                return [], "the answer has no words to grade on"
            return [], "the answer only repeats the question"
        label = " ".join(dict.fromkeys(loose[:5]))
        chosen.append((label, [label]))

    required = 2 if len(chosen) >= 3 else 1
    ideas = []
    for n, (label, terms) in enumerate(chosen):
        terms = [t for t in terms if content_words(t) - prompt_stems]
        if terms:
            ideas.append(Idea(label[:80], tuple(terms), n < required))
    if not ideas:
        return [], "the answer only repeats the question"
    if not any(i.required for i in ideas):
        ideas[0] = Idea(ideas[0].label, ideas[0].terms, True)
    return ideas, None
