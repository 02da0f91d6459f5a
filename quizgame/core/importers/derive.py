"""What the bank needs and the file does not say: ids, one-line options, topics and key ideas.

Everything here is deterministic, so importing the same file twice gives the same bank.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Callable

from quizgame.core.bank import ID_PATTERN, TOPIC_PATTERN
from quizgame.core.model import Idea
from quizgame.core.text import ABBREVIATIONS, NEGATIONS, STOPWORDS, content_words, term_card

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

# Everyday English that a flashcard's answer uses to say something, rarely the thing it says: rare
# in one deck (so salient by rarity alone) but no concept a player must name ("Can you explain
# how cross-validation works?" derived "separate" and "choose"; the next card "remaining", "taken
# together" and "now divided"). Not words that often are a card's point in some subject: "separated
# by a gap" (circuits), "more", "less", "change", "divide", "split". Counted at PLAIN_WEIGHT, so a concept of the card outranks them
# and they remain ideas only where the answer has nothing better. Read off the ideas derived for
# the real decks of ../shared/import-corpus and the shipped bank imported as a CSV deck; weight
# chosen on SemEval-2013's training split, cross-validated by question: 0.2, 0.35 and 0.5 give
# weighted F1 0.683 / 0.683 / 0.682 (SciEntsBank) and 0.690 for all three (Beetle); the
# figures of benchmarks/reimport.py are the same for all three.
PLAIN = frozenset("""
now once always never almost enough otherwise rather quite just already soon often sometimes usually again
together apart alone along away back least most little much very too really specifically
exactly actually certainly clearly simply merely nearly roughly truly fully completely entirely mostly
choose chooses choosing chose chosen pick picks picking picked select selects selecting selected
remain remains remaining remained
take takes taking taken took give gives giving given gave say says saying said stand stands
tell tells telling told show shows showing shown showed indicate indicates indicating indicated
mean means meaning meant try tries trying tried assume assumes assuming assumed consider considers
considered consideration presence present presents obtain obtains obtaining obtained introduce introduces
introducing introduced define defines defining defined specific called named known seen
adjust adjusts adjusting adjusted maintain maintained thereafter afterwards afterward
reach reaches reaching reached sell sells selling sold buy buys company companies
person people someone something anything everything nothing thing stuff place places point points
idea ideas fact facts sense order around whole regard regarding terms end ends ending beginning begin
begins start starts started look looks looking looked find finds finding found see sees seeing
come comes coming came go goes going went put puts putting bring brings brought keep kept turn turns
turned want wants wanted like likes need needs needed help helps try let lets allow allows real
actual possible possibly likely unlikely usual usually typical typically normal normally certain
perfect perfectly ideal ideally practical practically general generally overall total totally
""".split())
PLAIN_WEIGHT = 0.35

_COMPOUND = re.compile(r"(?:\d+(?:\.\d+)?|[^\W\d_]+)(?:-(?:\d+(?:\.\d+)?|[^\W\d_]+))*")
_JOINER = re.compile(r"^[ \t]*$")
_SENTENCE_GAP = re.compile(r"[.!?:\n]")
_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"'”’)\]]|$)")
_ABBREVIATION_END = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|approx|fig|figs|eq|cf|dr|mr|mrs|ms|no|al|incl|resp|esp|"
                               r"a\.k\.a|w\.r\.t|st|sec|ch|vol|p|pp)|(?<![\w.])[A-Za-z])\.$", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")
# Words that deny what follows them on a flashcard that names a term: an idea after one is its denial
# ("Mask a unit so that nothing can start it"). Elsewhere only NEGATIONS (on SemEval-2013's Beetle
# questions, "nothing" as a denial cost 0.003 of weighted F1, cross-validated).
_DENYING = NEGATIONS | {"nothing"}


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

    def __init__(self, pattern: re.Pattern[str] = ID_PATTERN, limit: int = 48, prefix: str = "q"):
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
        if text[match.start()] == "." and _ABBREVIATION_END.search(" " + text[max(0, end - 12):end]):
            continue
        return text[:end]
    return text


def _first_paragraph(answer: str) -> list[str]:
    """The answer's opening lines, up to a blank line, a table row, a code line or the next list item."""
    lines: list[str] = []
    for line in answer.split("\n"):
        if (not line.strip() or line.startswith(("    ", "\t")) or ("|" in line and lines)
                or (lines and _LIST_MARKER.match(line.lstrip()))):
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

MAX_IDEA_WORDS = 300
# An answer made only of the prompt's words is a pick among them when it leaves out at least this
# many of the prompt's content words ("What happens when she moves the switch left?" "The bulb lights").
# A negation this many words before a word makes the idea its denial ("does not light").
NEGATION_REACH = 3
# What the reference does not itself assert: a parenthesis, examples ("e.g. word2vec, GloVe", "such
# as SGD or Adam") and what it contrasts itself with ("unlike X", "rather than X"). Their words
# can still be ideas, at this weight, when nothing the reference asserts is as salient.
_ASIDE = re.compile(r"\([^()]*\)|\b(?:e\.g\.?|i\.e\.?|such as|for example|for instance|including|unlike"
                    r"|rather than|instead of)[\s,]+[^;.()\n]*", re.IGNORECASE)
ASIDE_WEIGHT = 0.5
PICK_LEFT_OUT = 2  # ideas come from the first words of an answer: enough for any real answer
# A deck's boilerplate: on flashcards whose front names a term (text.term_card), a word in at least this
# share of the deck's answers ("Start a specified unit", "Stop a specified unit", … in a deck of shell
# commands) says nothing about any one card and is no idea, though the card's own words are the
# front's ("start"). In decks of at least BOILERPLATE_DECK cards.
# (Measured on decks with a topic word in most answers: SemEval-2013's Beetle, 47 questions about
# circuits, has "path" in 51% of its references, and 0.6 leaves it alone; the systemd command deck
# of tests/fixtures/import has "specified" in 67%.)
BOILERPLATE_SHARE = 0.6
BOILERPLATE_DECK = 10


@lru_cache(maxsize=262144)
def word_stems(word: str) -> frozenset[str]:
    """content_words of one word (a compound or an abbreviation can give several stems), cached."""
    return frozenset(content_words(word))


@lru_cache(maxsize=262144)
def _usable(lower: str) -> bool:
    if "-" in lower:  # a compound such as non-linearity or mini-batch: usable if one of its parts is
        return any(_usable(part) for part in lower.split("-") if part)
    if lower in STOPWORDS or lower in GENERIC or lower in NEGATIONS or lower[0].isdigit():
        return False
    return len(lower) >= 3 or lower in ABBREVIATIONS


@lru_cache(maxsize=262144)
def _shape(lower: str) -> float:
    """What a word's spelling says about its weight: longer is better, verbs and stock words less."""
    value = min(len(lower), 14) ** 0.5
    if lower in PLAIN:
        value *= PLAIN_WEIGHT
    elif lower in WEAK:
        value *= 0.5
    elif lower.endswith(("ing", "ed", "ly")) and len(lower) > 5:
        value *= 0.7  # mostly verbs and adverbs; the idea is usually the noun
    if "-" in lower:
        value *= 1.1  # a compound: mini-batch, fairness-aware
    return float(value)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("'", "").replace("\u2019", "")


def document_frequencies(analysed: list[list["_Word"]]) -> Counter[str]:
    """In how many answers each stem occurs (among the words analysed, see answer_words)."""
    df: Counter[str] = Counter()
    for words in analysed:
        stems: set[str] = set()
        for lower in {w[1] for w in words}:
            stems |= word_stems(lower)
        df.update(stems)
    return df


# (as written, lowercase, segment, start, end, in the first sentence, first word of a sentence)
_Word = tuple[str, str, int, int, int, bool, bool]


def answer_words(answer: str) -> tuple[str, list[_Word]]:
    """The answer's words (code lines left out unless there is nothing else), with where they stand."""
    prose = "\n".join(line for line in answer.split("\n") if not line.startswith(("    ", "\t")))
    if re.search(r"[^\W\d_]", prose):
        answer = prose
    text = _normal(answer)
    first_end = len(first_sentence(text[:4000]))
    words: list[_Word] = []
    segment, last_end = 0, 0
    for match in _COMPOUND.finditer(text):
        start = match.start()
        gap = text[last_end:start]
        sentence_start = not words
        if gap != " ":
            if words and not _JOINER.match(gap):
                segment += 1
            sentence_start = sentence_start or bool(_SENTENCE_GAP.search(gap))
        word = match.group()
        words.append((word, word.casefold(), segment, start, match.end(), start < first_end, sentence_start))
        last_end = match.end()
        if len(words) >= MAX_IDEA_WORDS:
            break
    return text, words


def _term(text: str) -> str:
    """A term as the grader reads it best: lowercase words, compounds written with spaces."""
    return " ".join(text.casefold().replace("-", " ").split())


@lru_cache(maxsize=262144)
def _term_stems(lower: str) -> frozenset[str]:
    """word_stems of a word written as a term (cached: a deck's answers repeat their words)."""
    return word_stems(_term(lower))


Check = Callable[[str, str, list[Idea]], set[str]]
_NOTHING: frozenset[str] = frozenset()


def derive_ideas(prompt: str, answer: str, df: Counter[str], n_docs: int,
                 analysed: tuple[str, list[_Word]] | None = None,
                 check: Check | None = None,
                 weights: dict[str, float] | None = None) -> tuple[list[Idea], str | None]:
    """2–4 key ideas from the answer's salient words that the prompt does not contain.

    `check(prompt, answer, ideas)` returns the labels of the ideas the answer itself earns;
    ideas the reference answer would not earn are dropped. Returns (ideas, None), or
    ([], reason) when the answer gives nothing to grade on. `weights` is a memo of each word's
    weight for these `df` and `n_docs`, shared by the calls of one import (a deck's answers
    repeat its words).
    """
    prompt_stems = content_words(prompt)
    text, words = analysed if analysed is not None else answer_words(answer)
    novel_cache: dict[str, frozenset[str]] = {}

    def novel(lower: str) -> frozenset[str]:
        """Stems of the word that the prompt lacks; a compound is judged by its parts."""
        found = novel_cache.get(lower)
        if found is None:
            found = novel_cache[lower] = _term_stems(lower) - prompt_stems
        return found

    card = term_card(prompt)

    def boilerplate(lower: str) -> bool:
        """On a flashcard's front that names a term (the card's own word can be the front's)."""
        if not card:
            return False
        stems = word_stems(lower)
        return n_docs >= BOILERPLATE_DECK and bool(stems) and all(
            df.get(s, 0) >= BOILERPLATE_SHARE * n_docs for s in stems)

    tf: Counter[str] = Counter(w[1] for w in words)
    scores: dict[tuple[str, bool, bool, bool], float] = {}
    weights = {} if weights is None else weights
    asides = [m.span() for m in _ASIDE.finditer(text)]

    def aside(start: int) -> bool:
        return any(a <= start < b for a, b in asides)

    def score(word: _Word) -> float:
        incidental = aside(word[3])
        key = (word[0], word[5], word[6], incidental)
        value = scores.get(key)
        if value is None:
            written, lower, _, _, _, first, sentence_start = word
            weight = weights.get(lower)
            if weight is None:  # what the word weighs in any answer of this deck
                stems = word_stems(lower) or {lower}
                rarity = math.log((n_docs + 1) / (min(df.get(s, 0) for s in stems) + 0.5)) + 1.0
                weight = weights[lower] = rarity * _shape(lower)
            value = weight * (1 + 0.4 * min(tf[lower] - 1, 3))
            if first:
                value *= 1.15
            if written[1:] != written[1:].lower() or (written[0].isupper() and not sentence_start):
                value *= 1.25  # a name or an acronym: ReLU, Bellman, MLP
            if incidental:
                value *= ASIDE_WEIGHT
            scores[key] = value
        return value

    # A candidate: (score, start, label, negated, texts its terms come from, stems, stems of a
    # pair's second word). Terms are spelled out only for the few candidates considered.
    candidates: dict[tuple[str, ...], tuple[float, int, str, bool, tuple[str, ...], frozenset[str],
                                            frozenset[str]]] = {}
    usable = [_usable(w[1]) and not boilerplate(w[1]) and not (card and w[1] in _DENYING) for w in words]
    novels = [novel(w[1]) if ok else _NOTHING for w, ok in zip(words, usable)]
    scores_at = [score(w) if ok else 0.0 for w, ok in zip(words, usable)]
    denying = _DENYING if card else NEGATIONS
    negations = [i for i, w in enumerate(words) if w[1] in denying]

    def denied(i: int) -> bool:
        """The reference denies the word ("the bulb will not light"): the idea is the denial."""
        return any(i - NEGATION_REACH <= j < i and words[j][2] == words[i][2] for j in negations)

    last = len(words) - 1
    for i, word in enumerate(words):
        if not usable[i]:
            continue
        lower = word[1]
        stems = novels[i]
        s = scores_at[i]
        if stems and (lower,) not in candidates:
            if negations and denied(i):
                candidates[(lower,)] = (s, word[3], "not " + word[0], True, (lower,), stems, _NOTHING)
            else:
                candidates[(lower,)] = (s, word[3], word[0], False, (lower,), stems, _NOTHING)
        if i < last and usable[i + 1] and words[i + 1][2] == word[2]:
            nxt = words[i + 1]
            stems_next = novels[i + 1]
            if not (stems or stems_next) or lower == nxt[1] or (lower, nxt[1]) in candidates:
                continue
            s_next = scores_at[i + 1]
            pair = 0.7 * ((s if stems else s / 2) + (s_next if stems_next else s_next / 2))
            salient = lower if (stems and (not stems_next or s >= s_next)) else nxt[1]
            phrase = text[word[3]:nxt[4]]
            negated = bool(negations) and denied(i)
            candidates[(lower, nxt[1])] = (pair, word[3], "not " + phrase if negated else phrase, negated,
                                           (phrase, salient), stems, stems_next)

    distinct = {s for found in novels for s in found}
    wanted = 2 if len(distinct) < 8 else 3 if len(distinct) < 16 else 4
    spare = wanted + 3 if check else wanted  # a few more, in case the check turns some down
    chosen: list[Idea] = []
    covered: set[str] = set()
    labels: set[str] = set()
    for _, _, label, negated, sources, stems_a, stems_b in sorted(candidates.values(),
                                                                  key=lambda c: (-c[0], c[1], c[2])):
        if len(chosen) >= spare:
            break
        label = " ".join(label.split())[:80]
        stems = stems_a | stems_b
        if stems & covered or label.casefold() in labels:
            continue  # tested before the terms, whose words cost a tokenizer run each
        spelled = [("not " if negated else "") + _term(source) for source in sources]
        terms = [t for t in dict.fromkeys(spelled) if content_words(t) - prompt_stems]
        if not terms:
            continue
        covered |= stems
        labels.add(label.casefold())
        chosen.append(Idea(label, tuple(terms), False))

    if check and chosen:
        earned = check(prompt, text, chosen)
        chosen = [idea for idea in chosen if idea.label in earned] or chosen
    chosen = chosen[:wanted]

    if not chosen:
        # Nothing salient (e.g. "Yes."): grade on whatever answer words the prompt lacks.
        loose = [w[1] for w in words if novel(w[1]) and not boilerplate(w[1])]
        label = " ".join(dict.fromkeys(loose[:5]))
        if label and content_words(label) - prompt_stems:
            chosen.append(Idea(label, (label,), True))
        elif not any(word_stems(w[1]) for w in words):
            return [], "the answer has no words to grade on"
        else:
            # The answer picks among the prompt's own words ("Is it A or B?" "B."): the pick is the
            # idea, unless the answer just says the prompt again ("Is dropout dropout?").
            picked = [w[1] for w in words if _usable(w[1]) and not boilerplate(w[1])] or [
                w[1] for w in words if _usable(w[1])] or [w[1] for w in words if word_stems(w[1])]
            label = " ".join(dict.fromkeys(picked[:5]))
            if len(prompt_stems - content_words(label)) < PICK_LEFT_OUT:
                return [], "the answer only repeats the question"
            chosen.append(Idea(label, (_term(label),), True))

    required = 2 if len(chosen) >= 3 else 1
    return [Idea(i.label, i.terms, n < required) for n, i in enumerate(chosen)], None
