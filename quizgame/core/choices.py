"""Multiple-choice items: the one-line correct option among three plausible wrong ones.

Hand-written distractors come first. A question with none (an imported bank, say) gets
term-substitution variants of its right option instead: one key term of the option is
swapped for a term of the same kind and length taken from the bank's other questions,
nearest topic first. The four options then differ in that one term only, so their length,
wording, words shared with the question and with each other give nothing away: only
knowing which term belongs does. A variant the grader would accept as an answer, or whose
new term comes from this question's or an overlapping question's answer, is never used.
When no term can be swapped, other questions' options of similar length top the item up.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from quizgame.core.model import CORRECT, Bank, Question

OPTIONS = 4
TOP_UP_SHORTLIST = 12
# Other questions' options read at most per generated item, to find wrong options shorter
# and longer than the right one, and with a smaller and a larger share and count of the
# question's words. Reading is string work; only the few about to be picked are graded.
BALANCE_POOL = 40
# Substitutes per slot kept after ranking, and slots tried: a seed picks among them, so
# replays of a question do not always show the same three variants.
SUBSTITUTE_SHORTLIST = 6
SLOTS_TRIED = 3
# Word endings that mark a part of speech well enough for a swap to read grammatically.
_ENDINGS = ("ations", "ation", "ions", "ion", "ings", "ing", "ities", "ity", "ness", "ments", "ment",
            "ers", "ors", "er", "or", "ies", "ed", "al", "ive", "ic", "ous", "able", "ly", "ss", "s")
# Words after which the next word or two name a thing, so a swapped term stays a noun.
_NOUN_CUES = ("a|an|the|each|every|its|their|this|that|these|those|of|per|by|with|from|into|in|on|"
              "over|under|for|via|no|all|any|some|many|more|fewer|two|three")
_OBJECT_CUES = "a|an|the|its|their|each|every|this|that|these|those|it|them"
# A substitute's length may differ from the term it replaces by this many characters
# (2 keeps the options' lengths within a few percent of each other).
LENGTH_SLACK = 2
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


@lru_cache(maxsize=65536)
def _stems(text: str) -> frozenset[str]:
    from quizgame.core.text import (
        content_words,  # loads the stemmer: only generated options need it
    )

    return frozenset(content_words(text))


@dataclass(frozen=True, slots=True)
class MultipleChoice:
    question: Question
    options: list[str]
    correct: int


def item_rng(seed: int | str | None, question: Question, salt: str = "mc") -> random.Random:
    """One generator per item, so an item's options do not depend on what came before it."""
    return random.Random(f"{seed}:{salt}:{question.id}" if seed is not None else None)


def multiple_choice(question: Question, bank: Bank, seed: int | str | None = None) -> MultipleChoice:
    """Build the item: hand-written distractors first; without any, variants of the right
    option; topped up from nearby questions' options when neither gives three."""
    rng = item_rng(seed, question)
    wrong = list(question.distractors)
    rng.shuffle(wrong)
    wrong = _distinct(wrong, question.option)[: OPTIONS - 1]
    if not wrong:
        wrong = _variants(question, bank, rng, OPTIONS - 1)
    wrong = _distinct(wrong, question.option)
    if len(wrong) < OPTIONS - 1:
        wrong = _distinct(wrong + _top_up(question, bank, rng, OPTIONS - 1 - len(wrong),
                                          taken={question.option, *wrong}, retell=not question.distractors),
                          question.option)
    # Generated options take as many draws as the bank's material calls for, so their right
    # option's place has a draw of its own that they never move (hand-written items draw a
    # fixed number before it).
    place = rng if question.distractors else item_rng(seed, question, "position")
    correct = place.randrange(len(wrong) + 1)
    options = wrong[:correct] + [question.option] + wrong[correct:]
    return MultipleChoice(question, options, correct)


_PUNCTUATION = re.compile(r"[^\w\s]|_")


def option_key(text: str) -> str:
    """What an option says, for telling options apart: its words, in any case, spacing or
    punctuation, with or without a trailing "…" (a shortened option). "data frame" and
    "Data frame." are one option."""
    return " ".join(_PUNCTUATION.sub(" ", text.casefold()).split())


def same_option(a: str, b: str) -> bool:
    """Two options a player would read as the same one."""
    return option_key(a) == option_key(b)


def _distinct(options: list[str], correct: str) -> list[str]:
    """The options in order, without one that is the right option or an earlier one up to
    case, spacing and punctuation: never two of the same, never a second right answer."""
    seen = {option_key(correct)}
    out = []
    for option in options:
        key = option_key(option)
        if key not in seen:
            seen.add(key)
            out.append(option)
    return out


# -- neighbours ---------------------------------------------------------------------------------

# Other questions read for a question's generated options: the whole of a bank up to this
# size, and on a bigger deck the question's topics, then its section, then the rest in file
# order up to it. 400 reads ~15 ms per item on a 30,000-card deck, and the shipped bank
# (65) and every real bank of the import corpus (12–152) are read whole.
NEIGHBOUR_READ = 400


class _BankWords:
    """What generated options read of a bank, worked out as asked for and held once per bank:
    each question's key terms as its own text uses them, and its neighbours."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self._pool: dict[str, tuple[str, ...]] = {}
        self._positions: dict[str, int] | None = None
        self._neighbours: dict[str, tuple[tuple[Question, int], ...]] = {}

    def position(self, question: Question) -> int:
        """The question's place in the bank's order."""
        if self._positions is None:
            self._positions = {q.id: n for n, q in enumerate(self.bank.questions)}
        return self._positions[question.id]

    def spelled_in(self, question: Question, text: str) -> list[str]:
        """The question's key terms (as it uses them, see pool) that `text` contains."""
        folded = text.lower()
        if not any(t.lower() in folded for t in _key_terms(question)):
            return []  # most questions: their pool is not worked out
        return [t for t in self.pool(question) if t.lower() in folded]

    def pool(self, question: Question) -> tuple[str, ...]:
        """The question's key terms that its own texts spell out as nouns: the domain words and
        phrases the bank grades on, as they read in running text (not the paraphrases listed
        for the grader)."""
        found = self._pool.get(question.id)
        if found is None:
            texts = question.option + " " + question.answer
            found = tuple(dict.fromkeys(t for t in _key_terms(question) if _plain(t) and _as_noun(t, texts)))
            self._pool[question.id] = found
        return found

    def neighbours(self, question: Question) -> tuple[tuple[Question, int], ...]:
        """The other questions (never one that overlaps it), nearest first, each with its
        nearness: 0 same topic, 1 same section, 2 elsewhere. At most NEIGHBOUR_READ of them:
        a big deck's round reads a few hundred questions per item, not the whole deck."""
        found = self._neighbours.get(question.id)
        if found is not None:
            return found
        bank = self.bank
        read: dict[str, tuple[Question, int]] = {}
        for rank, hood in enumerate(([q for t in question.topics for q in bank.with_topic(t)],
                                     bank.section_of(question).questions, bank.questions)):
            for q in hood:
                if len(read) >= NEIGHBOUR_READ:
                    break
                if q.id != question.id and q.id not in question.overlaps and q.id not in read:
                    read[q.id] = (q, rank)
        found = self._neighbours[question.id] = tuple(read.values())
        return found


@lru_cache(maxsize=8)  # per bank: a few banks are in play at once (the game's, a test's, an import's)
def _bank_words(bank: Bank) -> _BankWords:
    return _BankWords(bank)


def _top_up(question: Question, bank: Bank, rng: random.Random, needed: int, taken: set[str],
            retell: bool = False) -> list[str]:
    """Other questions' correct options, nearest first: same topic, then same section, then any.

    Only these neighbourhoods are looked at, never the whole bank, unless they run dry. With
    `retell`, each is retold about this question's subject where both options name their own
    ("Batch norm rescales…" becomes "Dropout rescales…"), so the right option is not the only
    one that talks about the question; and the options are picked so that the right one's
    rank by length and by its share of the question's words is left to chance.
    """
    taken = {option_key(t) for t in taken}  # told apart as a player reads them (same_option)

    def usable(other: Question) -> bool:
        return (other.id != question.id and other.id not in question.overlaps
                and option_key(other.option) not in taken)

    neighbourhoods = [
        [q for topic in question.topics for q in bank.with_topic(topic)],
        list(bank.section_of(question).questions),
    ]
    if retell:
        return _balanced_top_up(question, bank, rng, needed, taken, usable)
    picked: list[str] = []
    for pool in neighbourhoods + [None]:
        if len(picked) >= needed:
            break
        candidates = {q.option: q for q in (pool if pool is not None else bank.questions) if usable(q)}
        # Similar length first, so the top-ups do not stand out by their shape; among the
        # closest, those sharing the prompt's words, so the right one does not stand out
        # as the only option that talks about the question.
        ranked = sorted(candidates, key=lambda o: (abs(len(o) - len(question.option)), rng.random()))
        prompt = _stems(question.prompt)
        shortlist = sorted(ranked[:TOP_UP_SHORTLIST], key=lambda o: -len(_stems(o) & prompt))
        for option in shortlist:
            if len(picked) >= needed:
                break
            if option_key(option) in taken or _accepted(question, option, bank):
                continue  # picked already, or another question's option that would also answer this one
            picked.append(option)
            taken.add(option_key(option))
    return picked


def prompt_share(text: str, prompt: str) -> float:
    """The share of an option's content words that come from the question."""
    words = _stems(text)
    return len(words & _stems(prompt)) / max(1, len(words))


def _balanced_top_up(question: Question, bank: Bank, rng: random.Random, needed: int, taken: set[str],
                     usable: Callable[[Question], bool]) -> list[str]:
    """Retold top-ups for a question without distractors, chosen so that neither the right
    option's length rank nor its rank by share of the question's words gives it away.

    A retold option the grader would accept is replaced by the other question's option as it
    stands, and that one is used only if the grader turns it down; either way the candidate
    stays in the running, so the pick can still balance the question's words between the
    right option and the wrong ones instead of keeping only those that share few.
    """
    prompt = _stems(question.prompt)

    def cues(text: str) -> dict[str, float]:
        """Length, share and count of the question's words: the cues a wrong option must not
        leave all on one side of the right option."""
        return {"short": len(text), "low": prompt_share(text, question.prompt), "few": len(_stems(text) & prompt)}

    right = cues(question.option)
    pool: list[tuple[Question, str]] = []  # (other question, its option as it would be retold)
    seen: set[str] = set(taken)
    # Nearest neighbourhood first, and within it similar length first; candidates are read
    # until each side of every cue has enough for any draw of the quotas, or BALANCE_POOL
    # candidates have been read. The grader sees a candidate only when it is about to be
    # picked (a few per item), not every candidate read.
    ordered: list[Question] = []
    nearness: dict[str, int] = {}  # 0 same topic, 1 same section, 2 elsewhere
    if len(bank.questions) <= NEIGHBOUR_READ:  # read whole
        hoods = [[q for topic in question.topics for q in bank.with_topic(topic)],
                 list(bank.section_of(question).questions), list(bank.questions)]
    else:
        neighbours = _bank_words(bank).neighbours(question)
        hoods = [[q for q, near in neighbours if near == rank] for rank in range(3)]
    for rank, hood in enumerate(hoods):
        fresh = sorted((q for q in hood if q.id not in nearness),
                       key=lambda q: (abs(len(q.option) - right["short"]), rng.random()))
        nearness.update((q.id, rank) for q in fresh)
        ordered += fresh
    sides: Counter[tuple[str, bool]] = Counter()
    for other in ordered:
        if len(pool) >= BALANCE_POOL or all(sides[(cue, side)] >= needed for cue in right for side in (True, False)):
            break
        if not usable(other) or option_key(other.option) in seen:
            continue
        draft = next(iter(_retold(other, question)), other.option)
        seen.update((option_key(other.option), option_key(draft)))
        pool.append((other, draft))
        sides.update((cue, value < right[cue]) for cue, value in cues(draft).items())
    # Nearest topic first, so the wrong options are about things near the right one's; within
    # a neighbourhood, those closest to the right option in how many of the question's words
    # they use. (Preferring those sharing most words with the question and its answer instead
    # made the right option the one the others echo: 48% "most words shared with the other
    # options" on a 7-question import test bank.)
    pool.sort(key=lambda c: (nearness[c[0].id], abs(cues(c[1])["few"] - right["few"])))
    # How many wrong options end up below the right one on each cue (shorter, smaller share,
    # fewer of the question's words): each drawn uniformly, so the right option's rank on
    # every cue is chance.
    quotas = {}
    for cue in right:
        below = rng.randrange(needed + 1)
        quotas[(cue, True)], quotas[(cue, False)] = below, needed - below
    picked: list[str] = []
    tried: set[str] = set()
    # A wrong option equal to the right one on a cue ties with it, which still hands a
    # guesser part of the credit: options on one side or the other are taken first.
    # A tie takes no side's quota, and is only taken once no option on a side with room is left.
    for ties in (False, True, None):  # None: fill with whatever is left, nearest first
        for other, draft in pool:
            if len(picked) == needed or other.id in tried:
                continue
            mine = cues(draft)
            tied = [cue for cue in ("low", "few") if mine[cue] == right[cue]]
            keys = [(cue, mine[cue] < right[cue]) for cue in right if cue not in tied]
            if ties is not None and ((tied and not ties) or not all(quotas[k] > 0 for k in keys)):
                continue
            tried.add(other.id)
            text = _retold_or_kept(other, question, bank)  # the grader's word, cached
            if text is None or option_key(text) in taken:
                continue
            if text != draft:  # the retold form was a right answer: the option as it stands
                mine = cues(text)
                keys = [(cue, mine[cue] < right[cue]) for cue in right if mine[cue] != right[cue]]
                if ties is not None and not all(quotas[k] > 0 for k in keys):
                    tried.discard(other.id)  # may still fill the item at the end
                    continue
            for k in keys:
                quotas[k] -= 1
            picked.append(text)
            taken.add(option_key(text))
    return picked



# -- clean phrases ---------------------------------------------------------------------------
# A retold option puts a name where another option had its own; the result must read as a
# phrase a person wrote (issue 11, "options are clean one-liners"). Seen on real imported decks
# before these checks (benchmarks/option_quality.py): "Download.g. for file 4" (a name put in
# place of the "e" of "e.g."), "R uses.scoping()" (in place of half of "lexical.scoping"),
# "Pause all processes running inside a particular kill" (a command's verb in a noun's
# place), "MSE Squared Error(MSE)" (a name put beside itself).

# What may stand right before a replaced word, and right after it: a word of its own, not a
# piece of "e.g.", "data.frame", "read.csv(" or "x[1]".
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
# (A column after a one-letter table alias, "a.campaign_id", is a word of its own in SQL.)
_OPEN_BEFORE = re.compile(r"(?:^|[\s(\"'“‘]|(?<![\w.])[a-z]\.)$")
_CLOSED_AFTER = re.compile(r"$|[\s,;:!?)\"'”’]|\.(?:\s|$)|…")
# Words after which the next word names a thing (a noun's place), and those that, following
# a word, make it a verb with its object ("Kill all containers", "Pause the process").
_NOUN_BEFORE = re.compile(rf"\b(?:{_NOUN_CUES}|particular|given|same|whole|one|such)\s+$", re.IGNORECASE)
_VERB_BEFORE = re.compile(r"\b(?:to|can|will|may|must|should|please|it|they|which|who)\s+$", re.IGNORECASE)
_OBJECT_AFTER = re.compile(r"\s+(?:a|an|the|all|its|their|each|every|this|these|those|it|them|any|some|your|my)\b",
                           re.IGNORECASE)


_SUBJECT_AFTER = re.compile(r"\s+(?:is|are|was|were|has|have|can|does|do|will|may|means|refers)\b", re.IGNORECASE)


def _role(text: str, start: int, end: int) -> str:
    """How the words text[start:end] are used there: "verb" (an order or an action with its
    object: "Kill all…", "used to name elements"), "noun" (after a determiner or a
    preposition: "a particular container") or "" when the words around do not say."""
    before = text[:start]
    if _NOUN_BEFORE.search(before):
        return "noun"
    if _VERB_BEFORE.search(before):
        return "verb"
    if not before.strip():  # the first words: an order with its object, or the subject
        if _OBJECT_AFTER.match(text, end):
            return "verb"
        if _SUBJECT_AFTER.match(text, end) or text[start:end].isupper():
            return "noun"  # "MSE is…", "Dropout rescales…" is not known ("Update configuration…")
    return ""


_NUMBER = re.compile(r"[-+]?\d[\d.,%]*")  # "10", "0.5", "95%"
# A name put in another option's place: words and spaces, not a stretch such as "9,prob".
_PLAIN_NAME = re.compile(r"[\w'’-]+(?:\s+[\w'’-]+)*")


def _number(words: str) -> bool:
    """A number or what stands for one: "10", "0.5", "k", "L1", "FP16"."""
    return any(_NUMBER.fullmatch(w) or len(w) == 1 or any(c.isdigit() for c in w) for w in words.split())


# A name that runs into a verb ("normal equations are equations") is a clause, not a name.
_CLAUSE = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|does|do|did)\b", re.IGNORECASE)


def _clean_swap(text: str, start: int, end: int, name: str, name_role: str) -> bool:
    """Whether putting `name` in place of text[start:end] leaves a clean phrase: the old words
    stand as words of their own (not glued to a "." or "(" of another word, nor part of an
    abbreviation), the new ones are of the same kind (a verb for a verb, a noun for a noun, a
    number for a number) and are not already written elsewhere in the text."""
    if (not _PLAIN_NAME.fullmatch(name) or not _PLAIN_NAME.fullmatch(text[start:end])
            or _CLAUSE.search(name) or _CLAUSE.search(text[start:end]) or not _OPEN_BEFORE.search(text[:start])):
        return False
    # A function's whole name for another's ("mean([4, 36])" for "std([4, 36])") keeps its "(".
    call = text[end:end + 1] in ("(", "[") and _IDENTIFIER.fullmatch(name) and _IDENTIFIER.fullmatch(text[start:end])
    if not call and not _CLOSED_AFTER.match(text, end):
        return False
    old_role = _role(text, start, end)
    if old_role and name_role and old_role != name_role:
        return False
    # (A gerund for a countable noun, "the overfitting that…" for "the theorem that…", was
    # tried too: on the seed-like import it left too few retold options, and the right one
    # became the option with the largest share of the question's words, 36.8%.)
    if _number(text[start:end]) != _number(name):
        return False  # "9 folds" for "k folds"
    # Nor beside a word of its own: "data frames frame" for "data frame".
    near = " ".join(text[:start].split()[-1:] + text[end:].split()[:1])
    return _find(name, text[:start] + " " + text[end:]) is None and not _stems(name) & _stems(near)


@lru_cache(maxsize=65536)
def _retold_or_kept(other: Question, question: Question, bank: Bank) -> str | None:
    """`other`'s option retold about this question's subject, or as it stands when it cannot
    be retold; None when the grader would take either as an answer to this question."""
    for told in _retold(other, question):
        if told is not None and not _accepted(question, told, bank):
            return told
    return None if _accepted(question, other.option, bank) else other.option


_TOKEN = re.compile(r"[\w][\w'-]*")
_CODE = re.compile(r"[\[\]{}=<>⇒]|\w[.(]\w|\w\(|_\w")  # brackets, operators, calls, snake_case


@lru_cache(maxsize=65536)
def _subject(text: str, prompt: str) -> tuple[int, int] | None:
    """Where `text` names the prompt's subject: the longest run of the prompt's words in it."""
    found = _subjects(text, prompt)
    return found[0] if found else None


@lru_cache(maxsize=65536)
def _subjects(text: str, prompt: str) -> tuple[tuple[int, int], ...]:
    """Every run of the prompt's words in `text`, longest first (leftmost first among equals)."""
    from quizgame.core.text import STOPWORDS

    asked = _stems(prompt)
    runs: dict[int, int] = {}  # start -> end of each run
    start = -1
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if _stems(word) & asked:
            start = match.start() if start < 0 else start
            runs[start] = match.end()
        elif word.casefold() not in STOPWORDS or start < 0:
            start = -1
    return tuple(sorted(runs.items(), key=lambda run: (run[0] - run[1], run[0])))


@lru_cache(maxsize=65536)
def _fuller_name(prompt: str, option: str, name: str) -> str:
    """The question's own phrase for its subject ("learning rate warm-up") when the right
    option uses every word of it, though not side by side, and it says more than `name`:
    retold options then carry as many of the question's words as the right one does."""
    from quizgame.core.text import STOPWORDS

    best, covered = name, len(_stems(name))
    words = _stems(option)
    run: list[re.Match[str]] = []
    for match in [*_TOKEN.finditer(prompt), None]:
        if match is not None and match.group(0).casefold() not in STOPWORDS:
            run.append(match)
            continue
        if run:
            phrase = prompt[run[0].start():run[-1].end()]
            stems = _stems(phrase)
            if len(stems) > covered and stems <= words:
                best, covered = phrase, len(stems)
        run = []
    return best


def _accepted(question: Question, text: str, bank: Bank) -> bool:
    """Whether the grader would take `text` as a right answer to the question."""
    from quizgame.core.grading import grade

    return grade(question, text, bank).verdict == CORRECT


@lru_cache(maxsize=65536)
def _retelling(other: Question, question: Question) -> str | None:
    """`other`'s option with its subject replaced by the subject this question's option names
    (not yet checked with the grader)."""
    ours = _subject(question.option, question.prompt)
    if ours is None:
        return None
    name = _fuller_name(question.prompt, question.option, question.option[ours[0]:ours[1]])
    role = _role(question.option, *ours)
    # The longest place where the other option names its subject that takes the name cleanly.
    theirs = next((run for run in _subjects(other.option, other.prompt)
                   if _clean_swap(other.option, run[0], run[1], name, role)), None)
    if theirs is None:
        return None
    if theirs[0] == 0 and other.option[:1].isupper():
        name = name[:1].upper() + name[1:]
    elif not name[:2].isupper():
        name = name[:1].lower() + name[1:]
    text = other.option[:theirs[0]] + name + other.option[theirs[1]:]
    return None if text.casefold() == question.option.casefold() else text


def _retold(other: Question, question: Question) -> list[str]:
    """`other`'s option retold about this question, best form first. A right option that
    repeats the question's words as they stand in two places or more (a command and its
    argument) is retold role for role only: naming one subject there swaps words of
    different roles ("History Hub repository"). A definition that uses the subject's words
    in other forms ("computes, stores and serves features") names its subject instead."""
    if len(_echoes(question.option, question.prompt, frozenset(), verbatim=True)) >= 2:
        told = _echo_retelling(other, question)
    else:
        # Where naming the subject would not read cleanly (an order's verb, "Kill all
        # containers…", put in the other option's noun place), prose is retold role for role
        # instead ("Pause all processes…" becomes "Kill all processes…"). Not code: on the
        # dsi-technical import that made the learned ensemble rise from 36% to 42%.
        told = _retelling(other, question)
        if told is None and not _CODE.search(other.option + " " + question.option):
            told = _echo_retelling(other, question)
    return [told] if told is not None else []


def _echoes(option: str, prompt: str, common: frozenset[str], verbatim: bool = False) -> list[tuple[int, int]]:
    """Where the option repeats its question's own words (not those both questions of a
    pair share, such as the tool's name): runs of adjacent words, in order. `verbatim`:
    only words written as in the question, not other forms of them."""
    asked = _stems(prompt) - common
    spelled = {m.group(0).casefold() for m in _TOKEN.finditer(prompt)}
    runs: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(option):
        word = match.group(0)
        if not _stems(word) & asked or (verbatim and word.casefold() not in spelled):
            continue
        if runs and not option[runs[-1][1]:match.start()].strip():
            runs[-1] = (runs[-1][0], match.end())
        else:
            runs.append((match.start(), match.end()))
    return runs


@lru_cache(maxsize=65536)
def _echo_retelling(other: Question, question: Question) -> str | None:
    """`other`'s option with the words it repeats from its question replaced by those the
    right option repeats from this one, role for role (not yet checked with the grader).

    For answers that echo their question in more than one place ("docker kill [container]":
    "Kill a particular container"), where naming one subject would leave the right option
    the only one that repeats the question: "Pause all processes running inside a
    particular container" becomes "Kill all processes running inside a particular
    container". A leading word the right option takes from the question (the command, the
    verb) replaces the other option's leading word; the rest replace its echoes in order.
    """
    from quizgame.core.text import STOPWORDS

    common = _stems(question.prompt) & _stems(other.prompt)
    ours = _echoes(question.option, question.prompt, common)
    if not ours:
        return None
    theirs = _echoes(other.option, other.prompt, common)
    first = _TOKEN.match(other.option)
    pairs: list[tuple[tuple[int, int], tuple[int, int]]] = []  # (their words, our words)
    if ours[0][0] == 0:
        if theirs and theirs[0][0] == 0:
            lead = theirs.pop(0)
        elif first is not None and first.group(0).isalpha() and first.group(0).casefold() not in STOPWORDS:
            lead = first.span()
        else:
            return None
        pairs.append((lead, ours[0]))
        ours = ours[1:]
    elif theirs and theirs[0][0] == 0:
        theirs = theirs[1:]  # a leading word stands for a leading word only
    present = _stems(other.option)
    rest = [(a, b) for a, b in ours if not _stems(question.option[a:b]) <= present]
    pairs += list(zip(theirs, rest))
    if not pairs:
        return None
    names = [question.option[a:b] for _, (a, b) in pairs]
    if len({n.casefold() for n in names}) < len(names):
        return None  # one word put in two places: "a continuous cardinality … cardinality density"
    # Each replaced word is read against the others' new words too, not only the text's own.
    for (start, end), (a, b) in pairs:
        others = [question.option[c:d] for _, (c, d) in pairs if (c, d) != (a, b)]
        if not _clean_swap(other.option + " " + " ".join(others), start, end, question.option[a:b],
                           _role(question.option, a, b)):
            return None
    text = other.option
    for (start, end), (a, b) in sorted(pairs, reverse=True):
        name = question.option[a:b]
        if start == 0:
            name = name[:1].upper() + name[1:]
        elif not name[:2].isupper():
            name = name[:1].lower() + name[1:]
        before = text[:start]
        article = re.search(r"\b(an?|An?) $", before)
        if article:
            an = name[:1].casefold() in "aeiou"
            fixed = ("An" if an else "A") if article.group(1)[0].isupper() else ("an" if an else "a")
            before = before[:article.start()] + fixed + " "
        text = before + name + text[end:]
    folded = text.casefold()
    return None if folded in (question.option.casefold(), other.option.casefold()) else text


# -- term-substitution variants -------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)  # a term's shape is asked for once per candidate slot: cache it by the text
def _kind(term: str) -> tuple[int, str, str]:
    """A term's shape: word count, letter case ("FP16" is like "BF16", "ReLU" like "GELU",
    "chain rule" like "weight decay") and the ending of its last word ("-ation", "-ing", "-s"),
    which stands in for its part of speech."""
    words = term.split()
    last = words[-1].casefold()
    if any(c.isdigit() for c in term):
        shape = "number"
    elif any(w.isupper() and len(w) > 1 for w in words):
        shape = "acronym"
    elif any(any(c.isupper() for c in w[1:]) for w in words):
        shape = "mixed"
    else:
        shape = "word"
    ending = next((e for e in _ENDINGS if last.endswith(e) and len(last) > len(e) + 2), "")
    return len(words), shape, ending


def _plain(term: str) -> bool:
    """A term that reads as a name for something: no function words, negations or symbols."""
    from quizgame.core.text import NEGATIONS, STOPWORDS

    words = term.casefold().split()
    return (all(w not in STOPWORDS and w not in NEGATIONS and re.fullmatch(r"[a-z0-9-]+", w) for w in words)
            and len(term) >= 4)


def _vocabulary(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(w for t in texts for w in _stems(t))


def _key_terms(question: Question) -> list[str]:
    """The question's key terms as written in its ideas."""
    return [t for idea in question.ideas for t in idea.terms]


def _find(term: str, text: str) -> re.Match[str] | None:
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE)


# What must come before and after a term used as a noun, compiled once: a pattern per term
# (re's cache holds 512) recompiled for every term of a big imported deck, and a 2,000-card
# deck's first multiple-choice round took 18 s of CPU.
_NOUN_CUE = re.compile(rf"\b(?:{_NOUN_CUES}) ", re.IGNORECASE)
_ONE_WORD = re.compile(r"\w+ ")
# Not followed by an object ("its norm exceeds a threshold"): then the term ends in a verb.
_NOUN_AFTER = re.compile(rf"(?![\w-])(?!\s+(?:{_OBJECT_CUES})\b)", re.IGNORECASE)


def _as_noun(term: str, text: str) -> str | None:
    """The term as the text spells it where the text uses it as a noun: after a determiner or
    a preposition (and at most one word between), not followed by an object; None if nowhere."""
    folded, term_folded = text.lower(), term.lower()
    if len(folded) != len(text) or len(term_folded) != len(term):  # lower() changed a length (rare)
        found = re.search(rf"\b(?:{_NOUN_CUES}) (?:\w+ )?({re.escape(term)})(?![\w-])(?!\s+(?:{_OBJECT_CUES})\b)",
                          text, re.IGNORECASE)
        return found.group(1) if found else None
    at = folded.find(term_folded)
    if at == -1:
        return None
    order = _noun_starts(text)
    best: tuple[int, int] | None = None
    while at != -1:  # each place the term is written, ranked as the pattern would reach it
        rank = order.get(at)
        if rank is not None and (best is None or rank < best[0]) and _NOUN_AFTER.match(text, at + len(term)):
            best = (rank, at)
        at = folded.find(term_folded, at + 1)
    return text[best[1]:best[1] + len(term)] if best else None


@lru_cache(maxsize=4096)  # by text: an imported deck asks this of each answer once per key term
def _noun_starts(text: str) -> dict[int, int]:
    """Where a noun may start, each with the order the pattern tries it in: leftmost cue first,
    and after a cue, one word skipped before none."""
    order: dict[int, int] = {}
    for cue in _NOUN_CUE.finditer(text):
        word = _ONE_WORD.match(text, cue.end())
        for start in ((word.end(), cue.end()) if word else (cue.end(),)):
            order.setdefault(start, len(order))
    return order


@lru_cache(maxsize=4096)
def _substitutions(question: Question, bank: Bank) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(key term as the right option spells it, same-kind substitutes), best slots first.

    A slot is a key term of this question or of its neighbours that the option spells out
    and the question does not (so every variant shares as many words with the question as
    the right option does); this question's own required terms come first. A substitute is
    another question's key term of the same shape and about the same length, foreign to this
    question and to the questions that overlap it (so it cannot make a right answer), nearest
    topic first.
    """
    overlapping = (bank.question(o) for o in question.overlaps)
    own = _vocabulary([question.prompt, question.answer, *_key_terms(question),
                       *(o.answer + " " + o.option for o in overlapping if o is not None)])
    prompt = _stems(question.prompt)
    required = {t.casefold() for idea in question.ideas if idea.required for t in idea.terms}
    mine = {t.casefold() for t in _key_terms(question)}
    index = _bank_words(bank)
    others = [q for q, _ in index.neighbours(question)]
    overlapping_questions = [o for o in map(bank.question, question.overlaps) if o is not None]
    # Longest first, and among terms of a length, in the bank's order of the questions they
    # come from (the order a scan of the whole bank met them in).
    first: dict[str, tuple[int, int]] = {}
    for q in (question, *others, *overlapping_questions):
        for rank, term in enumerate(index.spelled_in(q, question.option)):
            first[term] = min(first.get(term, (len(bank.questions), 0)), (index.position(q), rank))
    terms = sorted(first, key=lambda t: (-len(t), first[t]))
    slots: list[tuple[str, tuple[str, ...], int]] = []
    for term in terms:
        spelled = _as_noun(term, question.option)
        if spelled is None or _stems(term) & prompt or any(_find(term, s[0]) for s in slots):
            continue
        if not _plain(spelled):
            continue
        places = [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(spelled)}(?![\w-])", question.option,
                                                re.IGNORECASE)]
        if len(places) != 1 or not (_OPEN_BEFORE.search(question.option[:places[0][0]])
                                    and _CLOSED_AFTER.match(question.option, places[0][1])):
            continue  # swapped in two places ("a cardinality distribution whose cardinality
            # density"), or glued to another word's "." or "("
        kind = _kind(spelled)
        subs: dict[str, None] = {}
        for other in others:
            if len(subs) >= SUBSTITUTE_SHORTLIST:
                break
            for candidate in index.pool(other):
                if (candidate.casefold() == spelled.casefold() or _kind(candidate) != kind
                        or abs(len(candidate) - len(spelled)) > LENGTH_SLACK + len(spelled) // 8
                        or _stems(candidate) & own):
                    continue
                subs.setdefault(candidate if not spelled[:1].isupper() else candidate[:1].upper() + candidate[1:])
        if len(subs) < OPTIONS - 1:
            continue
        weight = 2 * (term.casefold() in required) + (term.casefold() in mine)
        slots.append((spelled, tuple(list(subs)[:SUBSTITUTE_SHORTLIST]), weight))
    slots.sort(key=lambda s: -s[2])
    return tuple((spelled, subs) for spelled, subs, _ in slots[:SLOTS_TRIED])


def _variants(question: Question, bank: Bank, rng: random.Random, needed: int) -> list[str]:
    """`needed` copies of the right option with the same terms swapped, none of them right.

    One term is swapped when that is enough for the grader to turn each copy down; else
    two, then three. Every copy swaps the same terms, so no option shares more words with
    the others than the right one does.
    """
    from quizgame.core.grading import grade

    slots = list(_substitutions(question, bank))
    for k in range(1, len(slots) + 1):
        chosen = slots[:k]
        pools = []
        for _, subs in chosen:
            pool = list(subs)
            rng.shuffle(pool)
            pools.append(pool)
        # Shorter and longer variants, so the right option's length rank among the four
        # is left to chance: variants all around it would leave it at the median.
        candidates = []
        seen = {option_key(question.option)}
        for attempt in range(min(len(p) for p in pools)):
            text = question.option
            for (term, _), pool in zip(chosen, pools):
                text = _swap(text, term, pool[attempt])
            if option_key(text) not in seen and not _echoes_overlap(text, question, bank):
                seen.add(option_key(text))
                candidates.append(text)
        shorter = [t for t in candidates if len(t) < len(question.option)]
        others = [t for t in candidates if len(t) >= len(question.option)]
        below = rng.randrange(needed + 1)  # how many options end up shorter than the right one
        ordered = shorter[:below] + others[:needed - below] + shorter[below:] + others[needed - below:]
        picked: list[str] = []
        for text in ordered:
            if grade(question, text, bank).verdict == CORRECT:
                continue
            picked.append(text)
            if len(picked) == needed:
                return picked
    return []


def _swap(text: str, term: str, substitute: str) -> str:
    """Replace the term, and make an "a" or "an" before it agree with the substitute."""
    def replace(match: re.Match[str]) -> str:
        article = match.group(1)
        if article:
            an = substitute[:1].casefold() in "aeiou"
            fixed = ("An" if an else "A") if article[0].isupper() else ("an" if an else "a")
            return f"{fixed} {substitute}"
        return substitute

    return re.sub(rf"(?:\b(an?|An?) )?(?<![\w-]){re.escape(term)}(?![\w-])", replace, text)


def _echoes_overlap(text: str, question: Question, bank: Bank) -> bool:
    """The variant is an overlapping question's option word for word."""
    overlapping = (bank.question(o) for o in question.overlaps)
    return any(o is not None and same_option(o.option, text) for o in overlapping)

