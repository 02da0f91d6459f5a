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
basically essentially mainly mostly usually
""".split())

_WORD = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+", re.UNICODE)
_JOINER = re.compile(r"^[ \t\-]*$")
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


def make_option(answer: str) -> str:
    """The answer's first sentence on one line, at most 100 characters (cut at a word, with "…")."""
    flat = " ".join(answer.split())
    flat = _LIST_MARKER.sub("", flat)
    sentence = first_sentence(flat).strip() or flat
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


def document_frequencies(answers: list[str]) -> Counter:
    df: Counter = Counter()
    for answer in answers:
        df.update(content_words(answer))
    return df


def _words(answer: str) -> tuple[str, list[_Word]]:
    text = unicodedata.normalize("NFKC", answer).replace("'", "").replace("\u2019", "")
    first_end = len(first_sentence(" ".join(text.split()[:200])))  # roughly: where the first sentence ends
    words: list[_Word] = []
    segment, last_end = 0, 0
    for match in _WORD.finditer(text):
        if words and not _JOINER.match(text[last_end:match.start()]):
            segment += 1
        words.append(_Word(match.group(), match.group().casefold(), segment, match.start(), match.end(),
                           match.start() < first_end))
        last_end = match.end()
    return text, words


def _usable(lower: str) -> bool:
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
        return (rarity * min(len(word.lower), 14) ** 0.5 * (1 + 0.25 * min(tf[word.lower] - 1, 3))
                * (1.15 if word.first else 1.0))

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
            pair = 0.6 * ((s if stems else s / 2) + (s_next if stems_next else s_next / 2))
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
