"""Grade a typed answer against a question's key ideas, the way an interviewer would.

An idea is covered when one of its terms appears in the answer: all of the term's words,
close together, in any order, stemmed, with typos tolerated (a word the field itself spells
is a word, not a typo of another one). Words the prompt already contains earn nothing; a
term's quantifiers and negations count as their class ("all tokens" meets "every word").

All required ideas make an answer correct; so does a good enough coverage that misses one.
What an interviewer would not accept is caught on top of that:

- a misconception the question lists, stated rather than negated;
- an evasion ("idk, something about ...");
- a keyword dump: terms strung together without grammar or notation, mostly the prompt's
  own words or repeats, and mostly not the words that state an idea;
- an answer to another question: it covers one of the field's other questions (the
  question's own bank, indexed by key word once) and its wording, rare words weighing more,
  belongs to that question rather than to this one.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from quizgame.core.model import CORRECT, PARTIAL, VERDICTS, WRONG, Bank, Question  # noqa: F401 (VERDICTS: what grade() returns)
from quizgame.core.text import (
    ABBREVIATIONS, NEGATIONS, QUANTIFIERS, STOPWORDS, TOKEN, base_stem, grading_words, normalize, positioned,
    raw_tokens, similar, term_card,
)
from quizgame.core.text import stem as folded_stem

if TYPE_CHECKING:
    from quizgame.core.scorer import Model

__all__ = ["CORRECT", "FEATURES", "PARTIAL", "VERDICTS", "WRONG", "Exemplar", "Grade", "features", "grade", "prepare",
           "similarity"]


# Full credit without every required idea: an answer covering this much of the weighted
# ideas (required ones count double) is what an interviewer accepts despite an omission.
ACCEPT_COVERAGE = 0.7
# With three or more required ideas, one of them may be missing if the rest is this well covered.
ACCEPT_COVERAGE_MANY = 0.6

# Evasions, when the player uses them rather than mentions them ("reward saying 'not sure'").
_EVASION = re.compile(
    r"\b(idk|dunno|no idea|no clue|not sure|not really sure|i don'?t know|i do not know|can'?t remember"
    r"|i forget|something (about|with|to do with)|or something|stuff like that|something like that"
    r"|i guess|i think maybe|maybe something)\b",
    re.IGNORECASE,
)
_MENTION = frozenset("""
say says saying said admit admits admitting answer answers answering reply replying respond responds responding
output outputs reward rewards rewarding prefer prefers learn learns learning teach teaches train trains training
abstain abstains abstaining abstention like with or allow allows allowing
""".split())
# Words that distance the player from a phrase ("unlike X", "a common myth is X", "avoid X").
_DISCLAIMERS = frozenset("avoid avoids avoiding unlike instead rather myth misconception wrongly mistakenly "
                         "contrary opposed versus vs".split())
# Words that, just after a phrase, say it does not happen ("dropout is turned off").
_SWITCHED_OFF = frozenset("off disabled deactivated removed skipped".split())
_DENIALS = NEGATIONS | {"nothing", "none", "nobody", "neither", "hardly", "wont", "wasnt", "werent", "shouldnt"}
# Words that make a sentence of a list of terms.
_GLUE = STOPWORDS - set(QUANTIFIERS) - {"one", "ones"}
# Marks of a terse but structured answer ("Q(s,a) <- r + γ max Q", "SFT -> RM -> PPO").
_STRUCTURE = re.compile(r"->|=>|<-|[=:;()+<>^|/→←≈∝√∑Σ∇⊥]|\d")


@dataclass(frozen=True, slots=True)
class Grade:
    verdict: str
    score: float
    matched: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Term:
    words: tuple[tuple[str, str], ...]  # (stem, word) pairs that must all appear, prompt words removed

    @property
    def denial(self) -> bool:
        return any(s == "~no" for s, _ in self.words)


# --- compiling a question -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Compiled:
    prompt: frozenset[str]       # stems of the prompt's words, synonyms folded
    prompt_words: frozenset[str]  # stems of the prompt's words as spelled: these earn nothing
    ideas: tuple[tuple[str, bool, tuple[_Term, ...]], ...]
    misconceptions: tuple[tuple[str, _Term, bool], ...]  # (phrase, its words, read in order)
    own: frozenset[str]          # stems this question's texts (and its overlaps') use
    choice: bool = False         # an idea is a pick among the prompt's words: echoing them is answering
    authored: bool = True        # some key term is not the reference's own words: a person wrote the ideas
    # A comparison question's sides: per idea, the names of the side it belongs to (empty if none).
    sides: tuple[tuple[str, ...], ...] = ()
    enumerative: bool = False    # the prompt asks for a set of things (techniques, challenges…), not a mechanism
    picks: frozenset[int] = frozenset()  # ideas whose terms are all the prompt's words: read with them


def _stems(text: str) -> set[str]:
    return {s for _, s, w in grading_words(text) if not s.startswith("~") and len(w) > 1}


@lru_cache(maxsize=4096)
def _compile(question: Question) -> _Compiled:
    prompt = frozenset(_stems(question.prompt))
    prompt_words = frozenset(base_stem(w) for _, s, w in grading_words(question.prompt) if s[0] != "~")
    ideas: list[tuple[str, bool, tuple[_Term, ...]]] = []
    own = set(prompt)
    choice = False
    picks: set[int] = set()
    for idea in question.ideas:
        terms = []
        for term in idea.terms:
            words = _term_words(term, prompt_words)
            if words:
                terms.append(_Term(words))
            own |= _stems(term)
        if not terms and idea.terms:
            # Every term is the prompt's own words: the idea is a pick among them ("A or B?" "B").
            choice = True
            if term_card(question.prompt):
                picks.add(len(ideas))
            terms = [_Term(w) for w in (_term_words(t, frozenset()) for t in idea.terms) if w]
        ideas.append((idea.label, idea.required, tuple(terms)))
    # A misconception that names two roles of one idea ("the teacher learns from the student",
    # against "student learns from a teacher") is a reversal: its words count only in its order.
    roles = [_stems(idea.label) for idea in question.ideas]
    misconceptions = tuple(
        (phrase, _Term(_term_words(phrase, frozenset(), keep_all=True)),
         any(len(_stems(phrase) & r) >= 2 for r in roles))
        for phrase in question.misconceptions
    )
    for text in (question.answer, question.option, *question.misconceptions):
        own |= _stems(text)
    reference = _flat(question.answer)
    authored = any(_flat(t) not in reference for idea in question.ideas for t in idea.terms)
    enumerative = bool(_ENUMERATIVE.search(question.prompt)) and not _COMPARISON.search(question.prompt)
    return _Compiled(prompt, prompt_words, tuple(ideas), misconceptions, frozenset(own), choice, authored,
                     _sides(question), enumerative, frozenset(picks))


# On a flashcard's front that names a term (text.term_card: "systemctl start [unit]"), an idea that
# picks the front's words (see _compile) is read with them. Not on questions: on SemEval-2013's, reading
# their picks with the prompt's words cost Beetle 0.005 of weighted F1, cross-validated.
# Prompts that ask for a set of things: a terse list of the right ones, in shorthand, answers them.
_ENUMERATIVE = re.compile(r"\b(techniques|strategies|applications|challenges|components|metrics|considerations"
                          r"|trade-offs|how (would|do|can) you)\b", re.IGNORECASE)
_COMPARISON = re.compile(r"\b(vs\.?|versus|differ|differs|difference|differences|compare|contrast)\b", re.IGNORECASE)


def _sides(question: Question) -> tuple[tuple[str, ...], ...]:
    """For a comparison question ("Xavier vs He"), the side each idea belongs to: its name as the
    label writes it, then the names the answer may call it by. The side is the head of the idea's
    label ("He/Kaiming: 2/fan_in, ReLU" -> He, he, kaiming), kept when the prompt names it.
    Empty unless at least two ideas name two different sides."""
    if not _COMPARISON.search(question.prompt):
        return ()
    prompt = set(positioned(question.prompt))
    prompt |= {w for t in positioned(question.prompt) for w in t.split("-")}
    out: list[tuple[str, ...]] = []
    for idea in question.ideas:
        head = idea.label.split(":")[0] if ":" in idea.label else idea.label.split()[0]
        names: list[str] = []
        for alias in head.split("/"):
            words = positioned(alias)
            if not words or len(words) > 2:
                continue
            spelled = " ".join(words)
            expansion = ABBREVIATIONS.get(spelled, "")
            if all(w in prompt for w in words) or (expansion and all(w in prompt for w in expansion.split())):
                if not names:
                    names.append(alias.strip())  # how feedback names the side
                names.append(spelled)
                if expansion:
                    names.append(expansion)
            elif names:  # another name of a side the prompt names ("Xavier/Glorot")
                names.append(spelled)
        out.append(tuple(names))
    named = {n[0].casefold() for n in out if n}
    return tuple(out) if len(named) >= 2 else ()


def _mentions(raw: list[str], name: str) -> list[int]:
    """Positions where a side's name (its words in a row, parts of compounds counting as words:
    "multi-layer perceptron" names "multi layer perceptron") or its abbreviation stands."""
    words = name.split()
    found = []
    parts = [(i, part) for i, token in enumerate(raw) for part in token.split("-") if part]
    for i, token in enumerate(raw):
        expansion = ABBREVIATIONS.get(token, "")
        if expansion and (expansion == name or expansion.split()[0] == words[0]):
            found.append(i)  # "rnn" names the recurrent side, "avg" the average one
        elif len(words) == 1 and (token == words[0] or base_stem(token) == base_stem(words[0]) or (
                "-" in words[0] and token.replace("-", "") == words[0].replace("-", ""))):
            found.append(i)
    if len(words) > 1:
        for k in range(len(parts) - len(words) + 1):
            if all(base_stem(parts[k + m][1])[:4] == base_stem(w)[:4] for m, w in enumerate(words)):
                found.append(parts[k][0])
    return sorted(set(found))


def _flat(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", normalize(text))) + " "


# --- the field: the other questions of the bank, indexed once ---------------------------------

@dataclass(frozen=True)
class _Field:
    questions: dict[str, tuple[Question, _Compiled]]
    index: dict[str, tuple[str, ...]]      # stem of a key term -> ids of the questions whose terms use it
    df: dict[str, int]                     # stem -> number of questions whose texts use it
    known: frozenset[str]                  # every word the bank spells: words, not typos of one another

    def idf(self, stem: str) -> float:
        return math.log((len(self.questions) + 1) / (self.df.get(stem, 0) + 0.5))


FIELD_LIMIT = 2000  # banks larger than this are not searched for rival questions


@lru_cache(maxsize=1)
def _shipped_field() -> _Field:
    """The shipped bank's questions, for grade() called without a bank."""
    from quizgame.core.bank import load_bank

    questions = list(load_bank().questions)
    return _build_field(questions, [q.note for q in questions])


_BANK_FIELDS: list[tuple[Bank, _Field]] = []  # the banks prepared lately, newest last
_RECENT_BANKS = 8


def _field(bank: Bank | None, question: Question | None = None) -> _Field:
    """The questions an answer may really belong to: the question's own bank. Without a bank, the
    prepared bank that holds this very question, else the shipped bank if the question is one of
    its own, else the question alone (a question of another bank is never judged by the shipped one)."""
    if bank is None:
        for known, field in reversed(_BANK_FIELDS):
            if question is not None and known.question(question.id) is question:
                return field
        shipped = _shipped_field()
        if question is None or question.id in shipped.questions and shipped.questions[question.id][0] == question:
            return shipped
        return _lone_field(question)
    for known, field in _BANK_FIELDS:
        if known is bank:
            return field
    if question is not None and any(b is bank for b in _PREPARING):
        # The index is being built in the background (prepare): an answer typed meanwhile is not
        # kept waiting for it; it is graded on its own question, without the rival search.
        return _lone_field(question)
    questions = list(bank.questions) if len(bank.questions) <= FIELD_LIMIT else []
    field = _build_field(questions, [q.note for q in questions])
    _BANK_FIELDS.append((bank, field))
    del _BANK_FIELDS[:-_RECENT_BANKS]
    return field


@lru_cache(maxsize=256)
def _lone_field(question: Question) -> _Field:
    return _build_field([question], [question.note])


_PREPARING: list[Bank] = []  # banks whose index a background thread is building


def prepare(bank: Bank) -> None:
    """Index a bank for grading ahead of the first answer (the game calls it off the UI thread).
    Until it is done, answers are graded without waiting for it."""
    _PREPARING.append(bank)
    try:
        _field(bank)
    finally:
        _PREPARING.remove(bank)


def _build_field(questions: list[Question], notes: list[str]) -> _Field:
    compiled: dict[str, tuple[Question, _Compiled]] = {}
    known: set[str] = set()
    for question, note in zip(questions, notes):
        compiled[question.id] = (question, _compile(question))
        for text in (question.prompt, question.answer, question.option, note, *question.distractors,
                     *question.misconceptions, *(t for i in question.ideas for t in i.terms)):
            known.update(raw_tokens(str(text)))
    index: dict[str, list[str]] = {}
    df: dict[str, int] = {}
    for qid, (_, c) in compiled.items():
        for s in c.own:
            df[s] = df.get(s, 0) + 1
        for s in {s for _, _, terms in c.ideas for t in terms for s, _ in t.words if s[0] != "~"}:
            index.setdefault(s, []).append(qid)
    return _Field(compiled, {s: tuple(ids) for s, ids in index.items()}, df, frozenset(known))


def _term_words(term: str, drop: frozenset[str], keep_all: bool = False) -> tuple[tuple[str, str], ...]:
    """A term's words as (stem, spelling), without prompt words; empty if nothing of substance is left."""
    unique = {s: w for _, s, w in grading_words(term, term=True) if s[0] == "~" or base_stem(w) not in drop}
    if not keep_all and all(s.startswith("~") for s in unique):
        return ()
    return tuple(unique.items())


# --- an answer ----------------------------------------------------------------------------------

class _Answer:
    """A typed answer indexed by stem, for term look-ups."""

    def __init__(self, text: str, drop: frozenset[str], known: frozenset[str]):
        self.raw = positioned(text)
        self.clause = clauses(text)
        self.sentence = clauses(text, _SENTENCE_BREAK)
        self.positions: dict[str, list[int]] = {}
        self.spelling: dict[str, str] = {}
        for position, s, word in grading_words(text):
            if s[0] == "~" or base_stem(word) not in drop:
                self.positions.setdefault(s, []).append(position)
                self.spelling.setdefault(s, word)
        # Candidates for a typo-tolerant look-up, by first letter (typos seldom hit it).
        self._by_initial: dict[str, list[tuple[str, str, bool, list[int]]]] = {}
        for s, positions in self.positions.items():
            if not (s[0].isdigit() or s[0] == "~"):
                spelled = self.spelling[s]
                self._by_initial.setdefault(s[0], []).append((s, spelled, spelled in known, positions))
        self._found: dict[tuple[str, str], list[int]] = {}

    def find(self, stem: str, word: str) -> list[int]:
        exact = self.positions.get(stem)
        if exact is not None or stem[0].isdigit() or stem[0] == "~":
            return exact or []
        key = (stem, word)
        found = self._found.get(key)
        if found is not None:
            return found
        found = []
        for candidate, spelled, known, positions in self._by_initial.get(stem[0], ()):
            if abs(len(candidate) - len(stem)) > 2 and abs(len(spelled) - len(word)) > 2:
                continue
            if known:
                # A word the field spells is a word, not a typo of another one ("later" is not
                # "layer"), though the stemmer may cut two forms of it differently ("autoscaled").
                short, long_ = (stem, candidate) if len(stem) <= len(candidate) else (candidate, stem)
                if len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 2:
                    found.extend(positions)
            elif similar(stem, word, candidate, spelled):
                found.extend(positions)
        found.sort()
        self._found[key] = found
        return found

    def match(self, term: _Term, ordered: bool = False) -> tuple[int, ...] | None:
        """The positions where all the term's words stand within a short window, else None;
        `ordered`: in the term's order ("across examples" is not "example across")."""
        hits = []
        for s, w in term.words:
            found = self.find(s, w)
            if not found:
                return None
            hits.append(found)
        window = 3 + 2 * len(term.words)
        for start in hits[0]:  # positions are sorted
            chosen = [start]
            for h in hits[1:]:
                i = bisect_left(h, start - window)
                near = None
                while i < len(h) and h[i] <= start + window:
                    if (not ordered or h[i] >= chosen[-1]) and (near is None or abs(h[i] - start) < abs(near - start)):
                        near = h[i]
                    i += 1
                if near is None:
                    break
                chosen.append(near)
            else:
                return tuple(sorted(set(chosen)))
        return None

    def switched_off(self, positions: tuple[int, ...], phrase: str = "") -> bool:
        """The phrase is said to be off right after it ("at test time dropout is turned off", "plain DQN
        out"), unless that word is the phrase's own ("biases average out")."""
        last = positions[-1]
        return any(t in _SWITCHED_OFF for t in self.raw[last + 1:last + 4]) or (
            self.raw[last + 1:last + 2] == ["out"] and "out" not in phrase.split())

    def negated(self, positions: tuple[int, ...]) -> bool:
        """A negation or a disclaimer stands just before the phrase or one of its words."""
        first = positions[0]
        clause = self.clause
        # A negation's reach ends at punctuation: "(no XOR). MLP: hidden layers" denies nothing.
        if any(self.raw[q] in _DISCLAIMERS and clause[q] == clause[first] for q in range(max(0, first - 4), first)):
            return True
        own = set(positions)  # a negation inside the phrase ("don't work") is part of it
        return any(self.raw[q] in _DENIALS and clause[q] == clause[p]
                   for p in positions for q in range(max(0, p - 3), p) if q not in own)


# --- grading ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Evidence:
    hits: tuple[bool, ...]
    misconceptions: tuple[str, ...]
    hedge: bool
    echo_only: bool
    dump: bool
    rival: str | None           # another question of the field this answer covers
    rival_ratio: float
    rival_prompt: str
    in_field: bool              # the question is one of the field's (shipped) questions
    answer: _Answer             # the answer without the prompt's words
    everything: _Answer         # the whole answer
    # (what the answer said, the side it named, its side, the idea's label)
    swaps: tuple[tuple[str, str, str, str], ...] = ()
    bare_list: bool = False     # terms separated by commas, with no claim binding them
    plain_list: bool = False    # a bare list without notation either ("a + b", "x/y", "-> z")
    # What the answer says against the reference: an idea it denies, or an opposite word where
    # the reference has its partner ("saturates for small inputs" against "for large |x|").
    contradictions: tuple[str, ...] = ()
    # Words the answer says of one role that the reference says of its counterpart ("the student
    # generates soft labels … the teacher is trained to match them").
    role_swaps: tuple[str, ...] = ()


def _coverage(ideas: tuple[tuple[str, bool, tuple[_Term, ...]], ...],
              hits: tuple[bool, ...] | list[bool]) -> tuple[float, bool]:
    """Weighted share of the ideas covered (required ones count double), and whether that is enough."""
    req = sum(r for _, r, _ in ideas)
    req_hit = sum(h for (_, r, _), h in zip(ideas, hits) if r)
    total = req + len(ideas)
    coverage = (req_hit + sum(hits)) / total if total else 0.0
    enough = (req_hit == req or (req_hit > 0 and coverage >= ACCEPT_COVERAGE and req >= 3)
              or (req >= 3 and req_hit >= req - 1 and coverage >= ACCEPT_COVERAGE_MANY))
    return coverage, enough


def _evidence(question: Question, compiled: _Compiled, text: str, field: _Field) -> _Evidence:
    answer = _Answer(text, compiled.prompt_words, field.known)
    everything = _Answer(text, frozenset(), field.known)
    covered: set[int] = set()  # positions of the words that matched a key term
    found_ideas = []
    spans: list[list[tuple[int, ...]]] = []
    denied: list[str] = []
    # On a term card, what the answer adds that the card does not say and another card does ("Stop all
    # units that failed", the --failed card's words, on "systemctl stop [unit]") is another card's claim.
    foreign = bool(compiled.picks) and any(
        s[0] != "~" and s not in compiled.own and field.df.get(s, 0) > 0 for s in everything.positions)
    for n, ((label, _, terms), says) in enumerate(zip(compiled.ideas, _affirmed(question))):
        hit: list[tuple[int, ...]] = []
        # A pick among the prompt's words ("systemctl start [unit]": "start") is read with them.
        read = everything if n in compiled.picks else answer
        for t in terms if not (foreign and n in compiled.picks) else ():
            span = read.match(t)
            if span is not None and says and not t.denial and label not in denied \
                    and (_strictly_denied(answer.raw, answer.clause, span[0], text)
                         or _dismissed(answer.raw, answer.clause, span[-1])):
                denied.append(label)
            # A denied property never earns the idea ("not linearly separable"), unless the
            # term itself is a denial ("no cycles" meets "there are no cycles").
            if span is not None and (t.denial or not (
                    answer.negated(span) or _dismissed(answer.raw, answer.clause, span[-1])
                    or _denied_list_item(answer.raw, answer.clause, span[0], text))):
                # For telling sides apart: spelled out (not a typo's guess) and in the term's order.
                said = span if len(t.words) == 1 else read.match(t, ordered=True)
                if said and all(w in read.positions for w, _ in t.words):
                    hit.append(said)
                elif not hit:
                    hit.append(())
                covered.update(span)
        spans.append(hit)
        found_ideas.append(bool(hit))
    hits = tuple(found_ideas)
    contradictions: tuple[str, ...] = ()
    if compiled.authored:  # they decide only on ideas a person wrote (see _verdict)
        contradictions = tuple(f"it denies “{label}”" for label, h in zip(
            (label for label, _, _ in compiled.ideas), hits) if label in denied and not h)
        contradictions += _opposites(question, everything)
        contradictions += _order_swaps(question, compiled, text, spans)
        contradictions += _sibling_swaps(question, everything)
        contradictions += _reference_denials(question, compiled, text, everything, hits)
        contradictions += _reversed_acts(question, text)
        contradictions += _definition_swaps(question, text)
        contradictions += _modality_swaps(question, everything)
        contradictions += _asserted_denials(question, compiled, everything)
    swaps = _swaps(compiled, answer, spans) if compiled.sides else ()
    # On ideas derived on import, the counterparts the reference names itself (see _named_counterparts).
    role_swaps = _role_swaps(question, text, named_only=not compiled.authored) if (
        compiled.authored or compiled.sides or _named_counterparts(question)) else ()
    bare = _bare_list(text)
    listed, names = (False, "") if bare else _listing(text, compiled.prompt_words)
    loose = not (bare or listed) and _name_dropping(text)

    found = []
    for phrase, term, ordered in compiled.misconceptions:
        span = everything.match(term, ordered=ordered)
        if span is None or everything.negated(span) or everything.switched_off(span, phrase):
            continue
        # A misconception is one claim: its words stand in one sentence ("parameters shrink; the model
        # itself isn't any smaller" does not say "shrinks the model").
        if len({everything.sentence[p] for p in span}) == 1 or any(
                (part := _Answer(sentence, frozenset(), field.known)).match(term, ordered=ordered) is not None
                and not part.negated(m := part.match(term, ordered=ordered) or ()) and not part.switched_off(m, phrase)
                for sentence in _SENTENCE_BREAK.split(text)):
            found.append(phrase)

    content = [s for s in answer.positions if not s.startswith("~")]
    rival, rival_ratio = _rival(question, compiled, text, everything, field)
    known = field.questions.get(question.id)
    in_field = known is not None and known[0].prompt == question.prompt
    rival_prompt = field.questions[rival][0].prompt if rival is not None else ""
    return _Evidence(hits, tuple(found), _hedges(text), not content and not compiled.choice,
                     _keyword_dump(text, compiled.prompt_words, covered), rival, rival_ratio, rival_prompt,
                     in_field, answer, everything, swaps, bare or listed or loose, loose or (bare and not (
                         _STRUCTURE.search(text) if compiled.enumerative else _notation(text)))
                     or (listed and not (_STRUCTURE.search(names) if compiled.enumerative else _notation(names))),
                     contradictions, role_swaps)


RIVALS_TRIED = 3
RIVAL_MIN_WORDS = 6
RIVAL_RATIO = 1.25             # an answer covering this question too is still another's above this
RIVAL_RATIO_INCOMPLETE = 1.0   # an answer that misses ideas here is another's above this


def _mass(stems: set[str], vocabulary: frozenset[str], field: _Field) -> float:
    """How much of the answer's wording a question's texts use, rare words weighing more."""
    return sum(field.idf(s) for s in stems if s in vocabulary)


def _rival(question: Question, compiled: _Compiled, text: str, answer: _Answer,
           field: _Field) -> tuple[str | None, float]:
    """The field's question (not this one nor an overlap) that the answer covers, if it covers one,
    and how much more of the answer's wording that question uses than this one (a ratio).

    Only the few questions whose key words the answer uses most are tried (an inverted index,
    not a scan of the bank)."""
    stems = {s for s, spelled in answer.spelling.items() if s[0] != "~" and len(spelled) > 1}
    if len(stems) < RIVAL_MIN_WORDS:  # too short to tell what it answers
        return None, 0.0
    weight: dict[str, float] = {}
    for s in stems:
        if s in compiled.own:
            continue
        for qid in field.index.get(s, ()):
            weight[qid] = weight.get(qid, 0.0) + field.idf(s)
    own = max(_mass(stems, compiled.own, field), 1.0)
    best, best_ratio = None, 0.0
    tried = 0
    for qid in sorted(weight, key=lambda q: (-weight[q], q)):
        other, other_compiled = field.questions[qid]
        if qid == question.id or qid in question.overlaps or question.id in other.overlaps:
            continue
        if other.prompt == question.prompt:
            continue
        tried += 1
        if tried > RIVALS_TRIED:
            break
        ratio = _mass(stems, other_compiled.own, field) / own
        if ratio < RIVAL_RATIO_INCOMPLETE or ratio <= best_ratio:  # cannot change the verdict
            continue
        seen_by_other = _Answer(text, other_compiled.prompt_words, field.known)
        hits = [any(seen_by_other.match(t) is not None for t in terms) for _, _, terms in other_compiled.ideas]
        _, complete = _coverage(other_compiled.ideas, hits)
        if complete and sum(hits) >= 2:
            best, best_ratio = qid, ratio
    return best, best_ratio


@dataclass(frozen=True, slots=True)
class Exemplar:
    """An answer graded by a person (a player's override, a teacher's label): a later answer close
    to it gets the same verdict. `when` names it in feedback ("3 May")."""

    text: str
    verdict: str
    when: str = ""


# A player's answer this close to one they overrode before (Dice overlap of stems and stem pairs)
# is graded like it. Kept strict on purpose: the feedback tells the player it copied a verdict,
# which only makes sense for the same answer reworded. (On the SemEval-2013 training answers a
# looser 0.4, nearest labelled answer decides, is best for a teacher's labelled answers:
# benchmarks/asag.py --exemplars.)
EXEMPLAR_SIMILARITY = 0.8
LABELLED_SIMILARITY = 0.4


def grade(question: Question, text: str, bank: Bank | None = None, *, model: Model | None = None,
          exemplars: tuple[Exemplar, ...] | list[Exemplar] = (),
          exemplar_similarity: float = EXEMPLAR_SIMILARITY) -> Grade:
    """Grade `text` as an answer to `question`: verdict, score in [0, 1], ideas matched and missed.

    `bank` is the question's bank, whose other questions the answer may really belong to;
    without it, the bank the question was prepared with (or, for a shipped question, the
    shipped bank) serves. `exemplars` are answers to this question already graded by a
    person: an answer at least `exemplar_similarity` close to one of them (see similarity())
    gets its verdict. `model` replaces the shipped scorer.
    """
    if exemplars:
        near = _nearest(text, exemplars, exemplar_similarity)
        if near is not None:
            when = f" of {near.when}" if near.when else ""
            score = 1.0 if near.verdict == CORRECT else 0.5 if near.verdict == PARTIAL else 0.0
            return Grade(near.verdict, score, (), (), (f"graded like your answer{when}",))
    compiled = _compile(question)
    field = _field(bank, question)
    ev = _evidence(question, compiled, text, field)
    from quizgame.core import semantic  # the optional extra's features, when its model is loaded

    model = model or semantic.scorer() or _shipped_model()
    # (ideas a person wrote decide by coverage, not by the scorer: no need to embed the answer)
    extra = semantic.features(model, question, text) if not compiled.authored else []
    probability = model.probability(_features(question, compiled, text, ev, field) + extra)
    return _verdict(compiled, ev, probability, model)


def _shipped_model() -> Model:
    from quizgame.core.scorer import shipped

    return shipped()


def features(question: Question, text: str, bank: Bank | None = None) -> list[float]:
    """The scorer's features for this answer (see FEATURES), for fitting and inspection."""
    compiled = _compile(question)
    field = _field(bank, question)
    return _features(question, compiled, text, _evidence(question, compiled, text, field), field)


def _verdict(compiled: _Compiled, ev: _Evidence, probability: float, model: Model) -> Grade:
    matched: list[str] = []
    missed: list[str] = []
    required_total = required_hit = optional_hit = 0
    for (label, required, _), hit in zip(compiled.ideas, ev.hits):
        (matched if hit else missed).append(label)
        if required:
            required_total += 1
            required_hit += hit
        else:
            optional_hit += hit

    coverage, complete = _coverage(compiled.ideas, ev.hits)
    remarks = [f"“{phrase}” is a common misconception" for phrase in ev.misconceptions]
    if ev.echo_only:
        remarks.append("the answer only repeats the question's words")
    if ev.hedge:
        remarks.append("the answer hedges instead of stating a point")
    if ev.dump:
        remarks.append("the answer lists keywords without saying how they fit")
    # Another question's answer: it misses ideas here and its wording belongs to a question it
    # covers at least as much as to this one, or it covers both and belongs far more to the other.
    # (The second rule needs the field to know this question: a question of another bank may
    # have a terse reference that shares few words with a good answer.)
    off_topic = ev.rival is not None and (not complete or (ev.rival_ratio >= RIVAL_RATIO and ev.in_field))
    if off_topic:
        remarks.append(f"the answer seems to answer a different question: “{ev.rival_prompt}”")
    for said, named, side, label in ev.swaps:
        remarks.append(f"the pairing is off: “{said}” goes with {side}, not with {named}")
        if label in matched:  # an idea said of the wrong side is not covered
            matched.remove(label)
            missed.append(label)
    # Contradictions decide on ideas a person wrote, not on ideas derived on import (on the
    # SemEval-2013 training answers, cross-validated by question, they cost weighted F1 there,
    # as a rule and as a scorer feature alike).
    if compiled.authored:
        remarks.extend(f"the answer contradicts the reference: {c}" for c in ev.contradictions)
    remarks.extend(f"the roles are swapped: {r}" for r in ev.role_swaps)
    comparison = bool(compiled.sides)
    if ev.bare_list and comparison and not ev.dump:
        remarks.append("the answer lists terms without saying how they relate: "
                       "a comparison needs each term paired with its side")
    if ev.plain_list and not ev.dump and not (ev.bare_list and comparison):
        # A plain list of terms makes no claim: at most partial credit, however many ideas it names.
        remarks.append("the answer lists terms without saying what they do or how they relate")

    # Ideas a person wrote (terms beyond the reference's words: synonyms, lay wording) decide
    # by coverage; ideas derived from the reference on import decide by the scorer, which weighs
    # them with the reference's own wording.
    accepted = complete if compiled.authored else probability >= model.accept
    if accepted and not remarks:
        return Grade(CORRECT, 1.0, tuple(matched), tuple(missed), ())
    # A misconception, an evasion, a keyword dump or another question's answer voids an
    # incomplete answer; a complete one that also states a misconception is only partly right.
    # A hedge earns nothing even around the right words: "idk, something about X" is a guess.
    all_required = required_hit == required_total
    substantial = all_required or (not remarks and (required_hit > 0 or optional_hit >= 2))
    if not compiled.authored:
        substantial = probability >= model.partial
    wrong_pairing = bool(ev.swaps) or bool(ev.role_swaps) or (ev.bare_list and comparison) or (compiled.authored and len(ev.contradictions) >= 2)
    if substantial and not off_topic and not ev.dump and not ev.hedge and len(ev.misconceptions) < 2 \
            and not wrong_pairing:
        score = 0.25 + 0.5 * (coverage if compiled.authored else probability)
        return Grade(PARTIAL, round(min(score, 0.75), 2), tuple(matched), tuple(missed), tuple(remarks))
    return Grade(WRONG, 0.0, tuple(matched), tuple(missed), tuple(remarks))


def _hedges(text: str) -> bool:
    lowered = normalize(text)
    for m in _EVASION.finditer(lowered):
        before = lowered[:m.start()]
        if _MENTION.isdisjoint(re.findall(r"[^\W\d_]+", before)[-3:]) and not re.search(r"[\"“‘/(]\s*$", before):
            return True
    return False


_CLAUSE = frozenset({"its", "their", "each", "every", "it", "they", "which", "that", "so", "because", "while",
                     "whereas"})


def _clauses(text: str) -> bool:
    """Every part of the answer is a clause, with a claim's words in it ("batch norm normalizes
    each feature across the batch, layer norm …"): sentences, however many words they repeat."""
    parts = [positioned(p) for p in re.split(r"[,;.!?\n]", text)]
    parts = [p for p in parts if len(p) >= 3]
    return bool(parts) and all(not (_CLAIM | _CLAUSE).isdisjoint(p) for p in parts)


def _keyword_dump(text: str, prompt_words: frozenset[str], covered: set[int]) -> bool:
    """Terms strung together with hardly any grammar or notation, mostly the question's own words
    or the same words again ("pooling cnn max pooling average pooling layers"), and mostly not
    the words that state an idea (a terse list of the right techniques is not a dump)."""
    tokens = positioned(text)
    units = [i for i, t in enumerate(tokens) if t not in _GLUE]
    if len(units) < 5 or len(_STRUCTURE.findall(text)) > 1 or _clauses(text):
        return False
    glue = 1 - len(units) / len(tokens)
    seen: set[str] = set()
    echo = 0.0
    for i in units:
        stems = {base_stem(w) for w in tokens[i].split("-") if w}
        whole = base_stem(tokens[i].replace("-", ""))
        echo += bool(stems & prompt_words) or whole in prompt_words or whole in seen
        seen.add(whole)
    if len(covered.intersection(units)) >= 0.6 * len(units):
        return False
    echo /= len(units)
    bare = glue == 0 and len(units) >= 8 and not re.search(r"[^\w\s-]", text)
    return ((glue < 0.15 and echo >= 0.2) or (glue < 0.25 and echo >= 0.5 and len(units) >= 7)
            or (echo >= 0.65 and len(units) >= 7) or bare)


# --- the scorer's features ------------------------------------------------------------------------

FEATURES = (
    "coverage", "complete", "required_share", "recall", "recall_idf", "recall_best_sentence", "bigrams",
    "precision", "echo", "negation_mismatch", "length_ratio", "length", "hedge", "off_topic", "dump",
    "misconceptions",
)
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True, slots=True)
class _Reference:
    sentences: tuple[tuple[tuple[tuple[str, str], ...], bool], ...]  # ((stem, word)…, negated) each
    stems: frozenset[str]
    pairs: tuple[tuple[tuple[str, str], tuple[str, str]], ...]  # neighbouring content words
    length: int


@lru_cache(maxsize=4096)
def _reference(question: Question) -> _Reference:
    """The reference answer's content words without the prompt's, sentence by sentence."""
    drop = _compile(question).prompt_words
    sentences = []
    stems: set[str] = set()
    pairs: list[tuple[tuple[str, str], tuple[str, str]]] = []
    length = 0
    for sentence in _SENTENCES.split(question.answer):
        words = [(s, w) for _, s, w in grading_words(sentence) if s[0] != "~" and len(w) > 1]
        length += len(words)
        kept = tuple(dict.fromkeys((s, w) for s, w in words if base_stem(w) not in drop))
        pairs.extend(pairwise(words))
        if kept:
            negated = any(t in _DENIALS for t in raw_tokens(sentence))
            sentences.append((kept, negated))
            stems.update(s for s, _ in kept)
    return _Reference(tuple(sentences), frozenset(stems), tuple(dict.fromkeys(pairs)), max(length, 1))


def _features(question: Question, compiled: _Compiled, text: str, ev: _Evidence, field: _Field) -> list[float]:
    ref = _reference(question)
    answer, everything = ev.answer, ev.everything
    coverage, complete = _coverage(compiled.ideas, ev.hits)
    required = [h for (_, r, _), h in zip(compiled.ideas, ev.hits) if r]
    total_weight = found_weight = 0.0
    found_all = total_all = 0
    best_sentence, best_negated = 0.0, False
    for words, negated in ref.sentences:
        found = 0
        for s, w in words:
            weight = field.idf(s)
            total_weight += weight
            if answer.find(s, w):
                found += 1
                found_weight += weight
        found_all += found
        total_all += len(words)
        share = found / len(words)
        if share > best_sentence:
            best_sentence, best_negated = share, negated
    pairs = sum(1 for (s1, w1), (s2, w2) in ref.pairs if _near(everything.find(s1, w1), everything.find(s2, w2)))
    content = [s for s, spelled in everything.spelling.items() if s[0] != "~" and len(spelled) > 1]
    own = [s for s in content if s in answer.positions]
    precise = sum(1 for s in own if s in ref.stems or s in compiled.own)
    denied = any(t in _DENIALS for t in everything.raw)
    return [
        coverage, float(complete), (sum(required) / len(required)) if required else float(complete),
        found_all / total_all if total_all else 0.0,
        found_weight / total_weight if total_weight else 0.0,
        best_sentence,
        pairs / len(ref.pairs) if ref.pairs else 0.0,
        precise / len(own) if own else 0.0,
        1 - len(own) / len(content) if content else 1.0,
        float(denied != best_negated),
        math.log((1 + len(content)) / (1 + ref.length)),
        math.log(1 + len(content)),
        float(ev.hedge), float(ev.rival is not None), float(ev.dump), float(len(ev.misconceptions)),
    ]


def _near(a: list[int], b: list[int]) -> bool:
    return bool(a) and bool(b) and any(abs(x - y) <= 3 for x in a[:4] for y in b[:4])


# --- exemplars --------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _signature(text: str) -> frozenset[str]:
    """Stems and neighbouring stem pairs (negations kept as a class), for closeness of two answers."""
    stems = [s for _, s, w in grading_words(text) if s[0] == "~" or len(w) > 1]
    return frozenset(stems) | frozenset(a + " " + b for a, b in pairwise(stems))


def similarity(a: str, b: str) -> float:
    """Dice overlap of two answers' stems and stem pairs: 1.0 for the same wording."""
    sa, sb = _signature(a), _signature(b)
    if not sa or not sb:
        return 1.0 if normalize(a).strip() == normalize(b).strip() else 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def _nearest(text: str, exemplars: tuple[Exemplar, ...] | list[Exemplar], least: float) -> Exemplar | None:
    best, best_sim = None, least
    for exemplar in exemplars:
        sim = similarity(text, exemplar.text)
        if sim >= best_sim:
            best, best_sim = exemplar, sim
    return best


# --- comparisons and bare lists ---------------------------------------------------------------------

# A phrase of at least this many words said in a clause that names only the other side is a swap
# on its own (one word, "windows", may belong to both sides' wording).
LONE_SWAP_WORDS = 2
SIDE_WINDOW = 12  # tokens before an idea's words in which the side it is said of is looked for


def _swaps(compiled: _Compiled, answer: _Answer,
           spans: list[list[tuple[int, ...]]]) -> tuple[tuple[str, str, str, str], ...]:
    """Ideas said of the wrong side of a comparison: wherever the idea's words stand, the side
    named last before them is another side than the one the idea belongs to ("He is for tanh"),
    and that other side has nothing said rightly of it, or one of its ideas is said of this one."""
    raw = answer.raw
    mentions: list[tuple[int, str]] = []
    for names in {n for n in compiled.sides if n}:
        for name in names[1:]:
            mentions += [(p, names[0]) for p in _mentions(raw, name)]
    mentions.sort()
    # Where each side's ideas were found: words that state an idea of both sides settle nothing.
    claimed: dict[int, set[str]] = {}
    for names, found in zip(compiled.sides, spans):
        for span in found if names else ():
            for p in span:
                claimed.setdefault(p, set()).add(names[0])
    out = []
    lone: set[tuple[str, str, str, str]] = set()
    placed: set[str] = set()  # sides with an idea not said of another side
    for (label, _, _), names, found in zip(compiled.ideas, compiled.sides, spans):
        if not names or not found:
            continue
        wrong = None
        right = misplaced = 0
        alone = False  # said in a clause that names only the wrong side ("max pooling spreads the gradient evenly")
        for span in dict.fromkeys(found):
            if not span or any(len(claimed[p]) > 1 for p in span):
                continue  # a typo-tolerant match, or words of both sides: too loose to tell
            # The side named last before them in their sentence, else within SIDE_WINDOW words.
            before = [(p, side) for p, side in mentions
                      if p < span[0] and p not in span and answer.sentence[p] == answer.sentence[span[0]]] or \
                [(p, side) for p, side in mentions if span[0] - SIDE_WINDOW <= p < span[0] and p not in span]
            if not before or before[-1][1] == names[0]:
                right += 1
            else:
                misplaced += 1
                wrong = wrong or (" ".join(raw[p] for p in span), before[-1][1], names[0], label)
                alone = alone or sum(raw[p] not in STOPWORDS for p in span) >= LONE_SWAP_WORDS and {
                    side for p, side in mentions if answer.clause[p] == answer.clause[span[0]]} == {before[-1][1]}
        # Where the idea's words stand under both sides, the side most of them stand under decides.
        if right >= misplaced:
            # As many of its words under the other side as under its own ("Xavier: …fan_out, for
            # ReLU; He: …fan_in, for sigmoid") does not show the side placed right.
            if right > misplaced:
                placed.add(names[0])
        elif wrong:
            out.append(wrong)
            if alone:
                lone.add(wrong)
    # A swap goes both ways ("He for tanh, Xavier for ReLU"), or leaves the other side with
    # nothing said rightly of it: one idea under the other side's name, while that side's own
    # ideas are placed right, is more often a long sentence that names both sides than a mix-up.
    pairs = {(named, side) for _, named, side, _ in out}
    # An idea said in a clause of its own about the other side is a swap however the rest is placed.
    return tuple(dict.fromkeys(w for w in out if (w[2], w[1]) in pairs or w[1] not in placed or w in lone))


_LIST_SEPARATORS = re.compile(r"[,;\n•]|\s/\s")
BARE_LIST_ITEMS = 3      # at least this many items
BARE_ITEM_WORDS = 3      # each item at most this many words, none of them a claim's ("is", "the", "for")
LONG_LIST_ITEMS = 6      # a list this long stays bare with a few items of up to BARE_ITEM_WORDS + 2 words …
LONG_LIST_NAMES = 0.75   # … as long as this share of its items are bare names
LONGER_LIST_ITEMS = 8    # a list this long stays bare with one such item that has a claim's word in it
_CLAIM = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "can",
    "could", "should", "would", "will", "may", "might", "must", "use", "uses", "used", "the", "a", "an",
    "for", "to", "with", "than",
})


# Marks that make a list item a statement ("LN: per example", "y = x + F(x)", "SFT -> RM").
_STATEMENT = re.compile(r"->|=>|<-|[=:<>→←≈∝]")
# A bare list is notation, not a dump, when this share of its items is written in notation.
NOTATION_SHARE = 1 / 3


def _notation(text: str) -> bool:
    """A list of terms that is really notation: a statement in it, or formulas in at least two
    items and a third of them ("Q(s,a), Bellman, TD, max, DQN" is still a list of names)."""
    items = [part for part in _LIST_SEPARATORS.split(text) if part.strip()]
    if _STATEMENT.search(text):
        # One formula among many names is still a list of names ("identity mapping, y = x + F(x),
        # gradient flow, vanishing gradients, degradation, ResNet, …").
        return len(items) < LONG_LIST_ITEMS or sum(1 for part in items if _STRUCTURE.search(part)) > 1

    formulas = sum(1 for part in items if _STRUCTURE.search(part))
    return formulas >= 2 and formulas >= NOTATION_SHARE * len(items)


# Verbs that bind nothing: "X involves A, B and C", "it uses A with B", "A is about B, C and D".
_LIGHT_HEAD = re.compile(
    r"^(?P<head>[^,:;]{0,60}?)\b(?:involves?|involving|includes?|including|uses?|using|utili[sz]es?|concerns?"
    r"|combines?|covers?|features?|mentions?|comprises?|relies on|rely on|depends on|depend on|deals? with"
    r"|(?:is|are|it's|its)\s+(?:all\s+)?(?:about|related to|linked to|connected to|tied to|involved|used)"
    r"|relates? to|has to do with|have to do with|think of|comes? down to|boils? down to|key (?:words|terms|ideas)"
    r"(?:\s+are)?)\b(?P<tail>.*)$|^(?P<named>[^,:;]{1,60}):(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL)
# What parts the items of such a list: commas, "and", "or", "plus", "with", "along with", "as well as".
_ITEM_BREAK = re.compile(r",|&|\b(?:and|or|plus|with|along with|as well as|together with|versus|vs)\b", re.IGNORECASE)
_ITEM_SKIP = frozenset("a an the its their some all any various several multiple many other also etc".split())
# Words that make an item a claim about something rather than a name ("weights learned by SGD").
_BINDING = (_CLAIM - {"the", "a", "an", "with"}) | frozenset(
    "by from into onto than because so which that when whereas while instead rather not no never "
    "it they this these those each every".split())
LISTING_ITEMS = 3        # a listed sentence names at least this many items
LISTING_ITEM_WORDS = 3   # each of at most this many words besides articles


def _listed(sentence: str, topic: frozenset[str]) -> bool:
    """One sentence that only names things: an optional light head that names the question's
    topic ("Backprop is about", "It uses", "Dropout:") and then a list of short noun phrases
    ("the chain rule, gradients and the loss"). Without a head, the list needs its commas."""
    head, tail = _light_head(sentence)
    if (not head and tail.count(",") < LISTING_ITEMS - 1) or sequence_marks(tail):
        return False  # "pretrain, then SFT, then RLHF" puts steps in order: a claim
    subject = [w for w in positioned(head) if w not in STOPWORDS]
    if not all(base_stem(w) in topic or all(base_stem(p) in topic for p in _spelled_out(w)) for w in subject):
        return False  # the head says something of its own ("GPU: flexible, …", "the output is computed by")
    items = [[w for w in positioned(part) if w not in _ITEM_SKIP] for part in _ITEM_BREAK.split(tail)]
    items = [i for i in items if i]
    if len(items) < LISTING_ITEMS:
        return False
    return all(len(i) <= LISTING_ITEM_WORDS and _BINDING.isdisjoint(i) for i in items)


_LISTING_SENTENCES = re.compile(r"(?<!\d)[.!?;\n]+(?!\d)")


def _listing(text: str, topic: frozenset[str]) -> tuple[bool, str]:
    """Every sentence of the answer only names things (see _listed): a keyword dump in sentence
    clothes. Also gives the listed part, for telling notation from names."""
    sentences = [s for s in _LISTING_SENTENCES.split(text) if len(positioned(s)) >= 2]
    if not sentences or not all(_listed(s, topic) for s in sentences):
        return False, ""
    return True, ", ".join(_light_head(s)[1] for s in sentences)


def _spelled_out(word: str) -> list[str]:
    """A word's parts ("self-attention") or its abbreviation's words ("rag"), for telling a topic."""
    return [p for p in (ABBREVIATIONS.get(word) or word.replace("-", " ")).split() if p]


def _light_head(sentence: str) -> tuple[str, str]:
    """A sentence parted into its light head ("Backprop is about", "Dropout:") and the rest."""
    m = _LIGHT_HEAD.match(sentence.strip())
    if m is None:
        return "", sentence
    if m.group("named") is not None:
        return m.group("named"), m.group("rest")
    return m.group("head"), m.group("tail")


# Phrases that relate terms without saying how: "X is all about A and B", "C deals with D", "E and F
# are part of the picture", "G runs into H, plus I". Plain English, not any field's words.
_VAGUE = re.compile(
    r"\b(?:all about|(?:is|are|it's|its|was|more) about|deals? with|dealing with|works? with|ha(?:s|ve) to do with"
    r"|involv(?:e|es|ed|ing)|(?:is|are) part of|part of (?:it|the picture|the story|this|that)|side to it"
    r"|ties? in(?:to| with)|comes? into play|plays? (?:a|an) (?:part|role)|playing a part|comes? down to"
    r"|boils? down to|built around|plays? out|runs? into|considerations? around|connects? to|(?:is|are) related"
    r"|related ideas?|in terms of|a matter of|along with|as well as|handled with|(?:is|are) both ways"
    r"|on one side|on the other|(?:is|are) important because|matters? for|(?:is|are) linked|(?:is|are) tied"
    r"|revolves? around|cent(?:er|re)s? on|cent(?:er|r)ed on|concerns?|relates? to|things like|stuff like"
    r"|and so on|among others|factors? in)\b", re.IGNORECASE)
# Words that bind terms into a claim: cause, purpose, comparison, condition, quantity, denial.
_RELATIONAL = frozenset("so because which that by into than instead rather each every per only when if until "
                        "whereas while since therefore thus from to then once unless without not no never".split())
_COORDINATING = frozenset("and or plus with".split())
# A loose dump (tuned on the blind tune answers' tune half, tests/grading/answers-blind-tune.toml):
# two vague relations, or one in an answer that is mostly coordination and hardly relates anything.
LOOSE_VAGUE = 2
LOOSE_RELATIONAL = 0.05   # at most this share of the tokens relate terms …
LOOSE_COORDINATION = 0.2  # … while at least this share (commas, "and", "or", "plus", "with") lists them


def _name_dropping(text: str) -> bool:
    """Terms strung into sentences by vague relations, without a claim about how they work:
    "Dropout deals with overfitting …, so there's an ensemble side to it"."""
    vague = len(_VAGUE.findall(normalize(text)))
    if vague == 0:
        return False
    if vague >= LOOSE_VAGUE:
        return True
    tokens = positioned(text)
    relational = sum(1 for t in tokens if t in _RELATIONAL) / len(tokens)
    coordination = (sum(1 for t in tokens if t in _COORDINATING) + text.count(",")) / len(tokens)
    return relational <= LOOSE_RELATIONAL and coordination >= LOOSE_COORDINATION


def _bare_list(text: str) -> bool:
    """A list of terms with no claim binding them: "Xavier, He, variance, fan in, ReLU"."""
    items = [positioned(part) for part in _LIST_SEPARATORS.split(text)]
    items = [i for i in items if i]
    if len(items) < BARE_LIST_ITEMS:
        return False
    # A one-word item is a term whatever it spells ("He" initialisation). In a longer list, a few
    # longer names ("examples in the prompt", "1/(1-p) scaling") do not make it a sentence.
    names = sum(1 for i in items if len(i) <= BARE_ITEM_WORDS and (len(i) == 1 or _CLAIM.isdisjoint(i)))
    if names == len(items):
        return True
    phrases = sum(1 for i in items if len(i) <= BARE_ITEM_WORDS + 2 and _BINDING.isdisjoint(i))
    # In a list this long, one short item with a claim's word ("no weight updates") does not make it a
    # sentence (unless the list is notation: "GPU: flexible, …. TPU: matmul ASIC, …").
    spare = 1 if len(items) >= LONGER_LIST_ITEMS and not _STATEMENT.search(text) else 0
    return len(items) >= LONG_LIST_ITEMS and phrases >= len(items) - spare and names >= LONG_LIST_NAMES * len(items)


# --- contradictions -----------------------------------------------------------------------------------

# Words that deny what follows as much as a negation does ("hard to parallelise").
_HARD = frozenset("hard harder difficult impossible unable infeasible intractable".split())


@lru_cache(maxsize=4096)
def _affirmed(question: Question) -> tuple[bool, ...]:
    """Per idea: whether the reference states it in its own words and never near a negation (an
    answer that denies such an idea contradicts the reference; "can't take a max over actions"
    does not contradict a reference that says it cannot either)."""
    compiled = _compile(question)
    reference = _Answer(question.answer, compiled.prompt_words, frozenset())
    out = []
    for _, _, terms in compiled.ideas:
        spans = [span for t in terms if (span := reference.match(t)) is not None]
        out.append(bool(spans) and not any(
            reference.negated(span) or not _HARD.isdisjoint(reference.raw[max(0, span[0] - 3):span[0]])
            for span in spans))
    return tuple(out)


# Opposite words: one of them near words the reference says only with its partner contradicts it.
_OPPOSITE_PAIRS = (
    ("increase", "decrease"), ("increases", "decreases"), ("larger", "smaller"), ("large", "small"),
    ("bigger", "smaller"), ("before", "after"), ("first", "last"), ("same", "different"), ("dense", "sparse"),
    ("maximum", "minimum"), ("fixed", "learned"), ("frozen", "trained"), ("dependent", "independent"),
    ("depends", "independent"), ("exact", "approximate"), ("stochastic", "deterministic"), ("early", "late"),
    ("earlier", "later"), ("forward", "backward"), ("forward", "backwards"), ("positive", "negative"),
    ("always", "never"), ("additive", "multiplicative"), ("additively", "multiplicatively"),
    ("adds", "multiplies"), ("added", "multiplied"), ("centralized", "decentralized"), ("shallow", "deep"),
    ("far-sighted", "myopic"), ("on-policy", "off-policy"), ("model-based", "model-free"),
    ("lowest", "highest"), ("largest", "smallest"), ("encoder", "decoder"),
    # Plain antonyms (2026-11-29, for the blind tune answers' reversals: "flag inputs with low
    # reconstruction error", "a high temperature for factual questions").
    *(_NARROW_PAIRS := (
        ("high", "low"), ("higher", "lower"), ("most", "least"), ("fast", "slow"), ("faster", "slower"),
        ("cheap", "expensive"), ("cheaper", "costlier"), ("easy", "hard"), ("easier", "harder"), ("few", "many"),
        ("local", "global"), ("static", "dynamic"), ("online", "offline"), ("oldest", "latest"), ("old", "recent"),
        ("older", "newer"), ("upsample", "downsample"), ("over-represented", "under-represented"),
        ("overrepresented", "underrepresented"), ("start", "end"), ("beginning", "end"), ("upper", "lower"),
        ("wider", "narrower"),
    )),
)
# Plain antonyms qualify the word next to them ("a low temperature", "high quality data"), not
# everything within OPPOSITE_WINDOW.
_NARROW = frozenset(w for pair in _NARROW_PAIRS for w in pair)
OPPOSITES: dict[str, frozenset[str]] = {}
for _a, _b in _OPPOSITE_PAIRS:
    OPPOSITES[_a] = OPPOSITES.get(_a, frozenset()) | {_b}
    OPPOSITES[_b] = OPPOSITES.get(_b, frozenset()) | {_a}
SHARED_CLASH = 2  # words an opposite must share with its partner's when the reference uses both
OPPOSITE_WINDOW = 3  # tokens either side of an opposite word that say what it is said of


def _near_stems(raw: list[str], clause: Sequence[int], i: int) -> set[str]:
    """Content stems around position i, within its clause (for a plain antonym, the content word
    just before and just after it)."""
    if raw[i] in _NARROW:
        out = set()
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(raw) and clause[j] == clause[i] and abs(j - i) <= 2:
                if raw[j] not in STOPWORDS and len(raw[j]) > 1 and not raw[j].isdigit():
                    out.add(base_stem(raw[j]))
                    break
                j += step
        return out
    return {base_stem(raw[j]) for j in range(max(0, i - OPPOSITE_WINDOW), min(len(raw), i + OPPOSITE_WINDOW + 1))
            if clause[j] == clause[i] and raw[j] not in STOPWORDS and (raw[j] not in OPPOSITES or raw[j] in _NARROW)
            and j != i and len(raw[j]) > 1 and not raw[j].isdigit()}


_ARROWS = re.compile(r"->|=>|→")
_CLAUSE_BREAK = re.compile(r"[,;.:!?()\[\]\n]|->|=>|\b(?:but|while|whereas|so)\b")


_REFERENCE_CLAUSE = re.compile(r"[,;.!?()\[\]\n]|\b(?:but|while|whereas|so)\b")
_SENTENCE_BREAK = re.compile(r"[;.!?\n]|\b(?:while|whereas)\b")


@lru_cache(maxsize=1024)
def clauses(text: str, breaks: re.Pattern[str] = _CLAUSE_BREAK) -> tuple[int, ...]:
    """The clause index of each position of positioned(text): punctuation, arrows and "but",
    "while", "whereas", "so" start a new clause (with `breaks`, what that pattern finds)."""
    text = normalize(_ARROWS.sub(" to ; ", text))  # normalize() reads an arrow as "to": one token
    out = []
    clause = 0
    last = 0
    for m in TOKEN.finditer(text):
        clause += len(breaks.findall(text[last:m.start()]))
        if breaks.fullmatch(m.group()):
            clause += 1
        out.append(clause)
        last = m.end()
    return tuple(out)


def _denied_at(raw: list[str], i: int) -> bool:
    return any(w in _DENIALS for w in raw[max(0, i - 3):i])


# Words that may stand between a negation and what it denies ("without any running averages",
# "doesn't need a reward model"); any other word is the verb the negation governs ("don't copy").
_DENIED_THROUGH = frozenset("any a an the be been being is are was were really actually all always need needs "
                            "require requires have has use uses using".split())


_PRONOUNS = frozenset({"it", "them", "this", "that", "these", "those", "one"})
_DISMISSALS = frozenset({"nothing", "unnecessary", "unneeded", "useless", "pointless"})


def _dismissed(raw: list[str], clause: Sequence[int], i: int) -> bool:
    """Just after position i, in its clause, the phrase is dismissed ("human ratings add nothing",
    "monitoring is unnecessary", "isn't needed")."""
    after = [j for j in range(i + 1, min(len(raw), i + 4)) if clause[j] == clause[i]]
    words = [raw[j] for j in after]
    return not _DISMISSALS.isdisjoint(words) or any(
        w in NEGATIONS and nxt in ("needed", "required", "necessary", "used") for w, nxt in pairwise(words))


def _strictly_denied(raw: list[str], clause: Sequence[int], i: int, text: str) -> bool:
    """A negation word just before position i, in its clause, with only _DENIED_THROUGH words
    between ("not learned", "no reward model"), not a disclaimer ("vs", "instead")."""
    for q in range(i - 1, max(-1, i - 4), -1):
        if clause[q] != clause[i]:
            break
        if raw[q] in NEGATIONS:
            return True
        if raw[q] not in _DENIED_THROUGH:
            break
    return _denied_list_item(raw, clause, i, text)


LIST_ITEM_WORDS = 4  # a list's item after a negation is at most this long ("…, red-teaming or monitoring")


_LIST_BREAK = re.compile(r"[;.!?:()\[\]\n]|->|=>|→|\b(?:but|while|whereas|so|because)\b")


@lru_cache(maxsize=256)
def _runs(text: str) -> tuple[int, ...]:
    return clauses(text, _LIST_BREAK)


def _denied_list_item(raw: list[str], clause: Sequence[int], i: int, text: str) -> bool:
    """Position i is in a short item of a list that a negation opens: "you don't need data
    filtering, red-teaming or monitoring" denies all three (not "without it, layers collapse").
    Items are parted by commas only, within one sentence."""
    if sum(1 for c in clause if c == clause[i]) > LIST_ITEM_WORDS:
        return False
    run = _runs(text)
    q = i - 1
    while q >= 0 and clause[q] >= clause[i] - 3 and run[q] == run[i]:
        if clause[q] < clause[i] and sum(1 for c in clause if c == clause[q]) > LIST_ITEM_WORDS:
            return False
        if raw[q] in NEGATIONS:
            # The negation's own clause is the list's first item, a short noun phrase ("don't
            # need data filtering"), not a clause of its own ("they don't copy training songs").
            after = [w for j in range(q + 1, len(raw)) if clause[j] == clause[q]
                     and (w := raw[j]) not in STOPWORDS and w not in _DENIED_THROUGH and w not in _PRONOUNS]
            return clause[q] < clause[i] and 0 < len(after) <= 2
        q -= 1
    return False


@lru_cache(maxsize=4096)
def _reference_opposites(question: Question) -> dict[str, frozenset[str]]:
    """Per opposite word the reference uses (not denied): the words it is said of there and
    never said of its partner in the reference (empty when it says it of nothing special)."""
    raw = positioned(question.answer)
    clause = clauses(question.answer, _REFERENCE_CLAUSE)  # "saturates: for large |x|" is one claim
    near: dict[str, set[str]] = {}
    for i, w in enumerate(raw):
        if w in OPPOSITES and not _denied_at(raw, i):
            near.setdefault(w, set()).update(_near_stems(raw, clause, i))
    prompt = _compile(question).prompt_words
    out = {}
    for w, stems in near.items():
        rivals = set().union(*(near.get(o, set()) for o in OPPOSITES[w]))
        out[w] = frozenset(stems - rivals - prompt)
    return out


def _opposites(question: Question, answer: _Answer) -> tuple[str, ...]:
    """Opposite words the answer says of what the reference says with their partner only."""
    reference = _reference_opposites(question)
    if not reference:
        return ()
    comparison = bool(_compile(question).sides)
    raw = answer.raw
    clause = answer.clause
    out: list[str] = []
    for i, w in enumerate(raw):
        partners = OPPOSITES.get(w)
        # On a comparison both words of a pair are said, one of each side: only a word the reference
        # never uses can contradict it there. Elsewhere, "the chain rule forward" contradicts a
        # reference that runs the chain rule backward, though it says "forward" of another step,
        # if it shares more than one word with what the reference says of the partner ("negative
        # inputs become zero" shares only "inputs" with "passes positive inputs unchanged").
        if not partners or (comparison and w in reference) or _denied_at(raw, i):
            continue
        near = _near_stems(raw, clause, i)
        for partner in sorted(partners):
            clash = near & reference.get(partner, frozenset())
            if len(clash) >= (SHARED_CLASH if w in reference else 1):
                out.append(f"“{w}” where it says “{partner}”")
                break
    return tuple(dict.fromkeys(out))


# --- order ------------------------------------------------------------------------------------------

_SEQUENCE_WORDS = frozenset({"then", "finally"})


def sequence_marks(text: str) -> list[int]:
    """Positions (in positioned(text)) of a "then", "finally" or an arrow."""
    text = normalize(_ARROWS.sub(" then ", text))  # normalize() reads an arrow as "to": one token
    marks = []
    count = 0
    for m in TOKEN.finditer(text):
        if m.group() in _SEQUENCE_WORDS:
            marks.append(count)
        count += 1
    return marks


@lru_cache(maxsize=4096)
def _reference_marks(question: Question) -> tuple[int, ...]:
    return tuple(sequence_marks(question.answer))


@lru_cache(maxsize=4096)
def _reference_steps(question: Question) -> tuple[int, ...]:
    """The reference's sentence (or semicolon-parted step) of each position."""
    return tuple(clauses(question.answer, _SENTENCE_BREAK))


@lru_cache(maxsize=4096)
def _reference_order(question: Question) -> tuple[int | None, ...]:
    """Where the reference first states each idea."""
    return tuple(min(p) if p else None for p in _reference_mentions(question))


@lru_cache(maxsize=4096)
def _reference_mentions(question: Question) -> tuple[tuple[int, ...], ...]:
    """Where the reference states each idea: every term's first match."""
    compiled = _compile(question)
    reference = _Answer(question.answer, compiled.prompt_words, frozenset())
    return tuple(tuple(sorted(span[0] for t in terms if (span := reference.match(t)) is not None))
                 for _, _, terms in compiled.ideas)


def _order_swaps(question: Question, compiled: _Compiled, text: str,
                 spans: list[list[tuple[int, ...]]]) -> tuple[str, ...]:
    """Steps the answer puts in sequence ("X, then Y", "X -> Y") that the reference runs the
    other way round, with a "then" between them or in steps of their own (sentences, or parts
    parted by semicolons): "first align with RLHF, then pre-train"."""
    order = _reference_order(question)
    if not order:
        return ()
    marks = sequence_marks(text)
    if not marks:
        return ()
    steps = _reference_steps(question)
    placed = []
    for (label, _, _), where, found, mentions in zip(compiled.ideas, order, spans, _reference_mentions(question)):
        said = [span for span in found if span]
        if where is not None and said:
            placed.append((min(s[0] for s in said), max(s[-1] for s in said), where, max(mentions), label))
    out = []
    for start_a, end_a, ref_a, _, label_a in placed:
        for start_b, _, ref_b, last_b, label_b in placed:
            # The reference states b before a, and never again after it: a summary that names the
            # outcome first ("computes the gradient … the backward sweep then applies the chain
            # rule … so all gradients …") fixes no order.
            if last_b > ref_a:
                continue
            # Both put them in sequence: the answer and the reference each have a "then" between.
            if end_a < start_b and ref_b < ref_a and any(end_a < m <= start_b for m in marks) \
                    and (any(ref_b < m <= ref_a for m in _reference_marks(question))
                         or steps[ref_b] != steps[ref_a]):
                out.append(f"“{label_a}” comes after “{label_b}”, not before it")
    return tuple(dict.fromkeys(out))


# --- siblings in each other's place ------------------------------------------------------------------

# Items of a list in the reference ("a query, a key and a value") are siblings: one said where the
# reference says another ("the weighted sum of the key vectors" for "of the value vectors") swaps them.
_SIBLINGS = re.compile(r"\b(?:(?:a|an|the)\s+)?([^\W\d_]{3,})\s*,\s*(?:(?:a|an|the)\s+)?([^\W\d_]{3,})\s*,?\s*"
                       r"(?:and|or)\s+(?:(?:a|an|the)\s+)?([^\W\d_]{3,})\b")
FRAME_REACH = 3  # content words before a sibling that say what it is said of ("weighted sum of the …")


def _content_before(raw: list[str], clause: Sequence[int], i: int) -> set[str]:
    return {base_stem(raw[j]) for j in range(max(0, i - FRAME_REACH), i)
            if clause[j] == clause[i] and raw[j] not in STOPWORDS and len(raw[j]) > 2 and not raw[j].isdigit()}


@lru_cache(maxsize=4096)
def _reference_frames(question: Question) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Sibling stems of the reference's lists, and per sibling the words it stands after (what
    stands before a whole list is said of every item: "cuts trainable parameters, gradients and
    optimizer memory")."""
    text = normalize(_ARROWS.sub(" to ; ", question.answer))
    raw = positioned(question.answer)
    clause = clauses(question.answer)
    siblings: dict[str, set[str]] = {}
    frames: dict[str, set[str]] = {}
    in_lists: set[int] = set()
    for m in _SIBLINGS.finditer(text):
        group = {base_stem(w) for w in m.groups() if w not in STOPWORDS}
        if len(group) != 3:
            continue
        first = len(TOKEN.findall(text[:m.start()]))
        last = first + len(TOKEN.findall(m.group()))
        in_lists.update(range(first, last))
        head = _content_before(raw, clause, first) if first < len(raw) else set()
        for stem in group:
            siblings.setdefault(stem, set()).update(group - {stem})
            frames.setdefault(stem, set()).update(head)
    for i, w in enumerate(raw):
        stem = base_stem(w)
        if stem in siblings and i not in in_lists:
            frames[stem].update(_content_before(raw, clause, i) - set(siblings))
    return ({s: frozenset(o) for s, o in siblings.items()}, {s: frozenset(f) for s, f in frames.items()})


def _sibling_swaps(question: Question, answer: _Answer) -> tuple[str, ...]:
    siblings, frames = _reference_frames(question)
    if not siblings:
        return ()
    raw, clause = answer.raw, answer.clause
    said: dict[str, set[str]] = {}
    for i, w in enumerate(raw):
        stem = base_stem(w)
        if stem in siblings and not _denied_at(raw, i):
            said.setdefault(stem, set()).update(_content_before(raw, clause, i))
    out = []
    for stem, heads in said.items():
        for other in sorted(siblings[stem]):
            clash = heads & frames.get(other, frozenset()) - frames.get(stem, frozenset()) - said.get(other, set())
            if clash:
                out.append(f"“{min(clash)} … {stem}” where it says “{min(clash)} … {other}”")
                break
    return tuple(out)


# --- who does what -------------------------------------------------------------------------------

# Counterparts: roles of one mechanism that a word-matching grader cannot tell apart when an answer
# swaps them ("the student generates soft labels for the teacher"). Generic to the field, not to
# any question: a pair counts for a question when its reference (or prompt) names both.
COUNTERPARTS = (
    "teacher student", "actor critic", "encoder decoder", "generator discriminator", "query key value",
    "policy value", "exploration exploitation", "pretraining finetuning", "retriever generator",
    "agent environment", "online target", "forward backward", "training inference", "tensor pipeline",
    "pretraining prompt",
)
_COUNTERPARTS = tuple(frozenset(base_stem(w) for w in group.split()) for group in COUNTERPARTS)
# A role's words: up to this many tokens after it in its clause (or just before it: "a larger teacher").
ROLE_REACH = 6
# What parts the answer into the clauses a role's words stay within ("and" too: "the student
# generates soft labels and the teacher is trained").
_ROLE_BREAK = re.compile(r"[;.:!?\n]|->|=>|\b(?:but|while|whereas|so|then|because)\b")
# In the reference, a parenthesis can be an aside the role named before it does not reach into
# ("abilities acquired in pre-training (zero-shot uses no examples)"): see _reference_bindings.
_REFERENCE_ROLE_BREAK = re.compile(r"[;.:!?()\n]|->|=>|\b(?:but|while|whereas|so|then|because)\b")
# A role's word that names a method rather than the role ("value iteration", "policy gradient").
_NOT_A_ROLE = frozenset("iteration gradient gradients based optimization".split())
# A role swap needs at least this many words said of the wrong role, and more of them than said rightly.
ROLE_SWAP_WORDS = 2
# Counterparts that are phases in time, in their order: "after training" is the inference phase,
# "before fine-tuning" the pre-training one ("units are zeroed after training" puts dropout at
# inference).
_PHASES = tuple((base_stem(a), base_stem(b)) for a, b in (
    ("training", "inference"), ("pretraining", "finetuning"), ("forward", "backward")))
_AFTER = frozenset("after post once following".split())
_BEFORE = frozenset("before prior".split())


def _role_key(token: str) -> str:
    return base_stem(token.replace("-", ""))


# A group of roles: their keys, and for roles found by name rather than by a key word (the sides of a
# comparison, compounds of the reference), each role's key and the names it is called by.
_Named = tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=4096)
def _roles(question: Question) -> tuple[tuple[frozenset[str], _Named], ...]:
    """The groups of roles that the question's reference (or prompt) names two of; each group is
    read on its own (teacher/student apart from training/inference): the field's counterparts,
    the sides of a comparison question, and counterparts the reference itself names (see
    _named_counterparts), so that a bank without hand-written roles binds them too."""
    present = {_role_key(t) for t in positioned(question.answer)} | {_role_key(t) for t in positioned(question.prompt)}
    groups: list[tuple[frozenset[str], _Named]] = [
        (group & present, ()) for group in _COUNTERPARTS if len(group & present) >= 2]
    sides = {names[0].casefold(): names[1:] for names in _compile(question).sides if names}
    if len(sides) >= 2:
        groups.append((frozenset(sides), tuple(sides.items())))
    taken = {name for _, named in groups for _, names in named for name in names}
    for named in _named_counterparts(question):
        if not any(name in taken for _, names in named for name in names):
            groups.append((frozenset(key for key, _ in named), named))
    return tuple(groups)


# Compounds of the reference that differ in one part and share the other are counterparts
# ("model-based" / "model-free", "zero-shot" / "one-shot", "state-value" / "action-value"), as are
# the subjects of a contrast ("input drift …, whereas output drift …", "Xavier … while He …").
_CONTRASTS = re.compile(r"\b(?:whereas|while)\b|;")
# A shared prefix makes no counterparts ("multi-agent" / "multi-robot" are not two roles).
_PREFIX_PARTS = frozenset("non multi pre post self semi sub super over under co re de anti".split())


@lru_cache(maxsize=4096)
def _named_counterparts(question: Question) -> tuple[_Named, ...]:
    text = question.prompt + " . " + question.answer
    if "-" not in text and not _CONTRASTS.search(question.answer):
        return ()  # (most references: no tokenizing for nothing)
    compounds: dict[tuple[int, str], set[str]] = {}
    for token in positioned(text):
        parts = token.split("-")
        if len(parts) == 2 and all(len(p) > 1 and not p.isdigit() for p in parts):
            for k in (0, 1):
                compounds.setdefault((k, base_stem(parts[k])), set()).add(token)
    out: list[_Named] = []
    seen: set[frozenset[str]] = set()
    for (k, _), tokens in sorted(compounds.items()):
        if k == 0 and next(iter(tokens)).split("-")[0] in _PREFIX_PARTS:
            continue
        others = {base_stem(t.split("-")[1 - k]) for t in tokens}
        group = frozenset(tokens)
        if len(others) >= 2 and group not in seen:
            seen.add(group)
            out.append(tuple((t, (t,)) for t in sorted(tokens)))
    for sentence in re.split(r"[.!?\n]", question.answer):
        parts = _CONTRASTS.split(sentence)
        for a, b in pairwise(parts):
            left = [w for w in positioned(a.split(",")[0]) if w not in STOPWORDS]
            right = [w for w in positioned(b) if w not in STOPWORDS]
            if len(left) >= 2 and len(right) >= 2 and left[0] != right[0] and left[1] == right[1] \
                    and "-" not in left[0] + right[0] and base_stem(left[1]) not in _NOT_A_ROLE:
                group = frozenset({left[0], right[0]})
                if group not in seen:
                    seen.add(group)
                    out.append(tuple((w, (w,)) for w in sorted(group)))
    return tuple(out)


def _bindings(text: str, roles: frozenset[str], drop: frozenset[str],
              spelled: dict[str, str] | None = None, breaks: re.Pattern[str] = _ROLE_BREAK,
              named: _Named = ()) -> dict[str, set[str]]:
    """Per content word (stem, synonyms folded), the roles it is said of: the role just after it
    ("the larger teacher"), else the role named last before it in its clause, within ROLE_REACH.
    Roles joined by "and"/"or" ("a policy and/or value function") share what follows them.
    `spelled` receives how the text spells each word and role. `named`: roles found by their
    names (see _roles) rather than by key words."""
    raw = positioned(text)
    clause = clauses(text, breaks)
    phrase = clauses(text)
    if named:
        keys = ["" for _ in raw]
        for key, names in named:
            for name in names:
                for p in _mentions(raw, name):
                    keys[p] = key
        not_a_role: frozenset[str] = frozenset()
    else:
        keys = [_role_key(t) for t in raw]
        not_a_role = _NOT_A_ROLE
    for i, key in enumerate(keys):
        if key not in roles:
            continue
        k = i - 2 if i >= 2 and raw[i - 1] == "the" else i - 1
        for first, then in _PHASES:
            if k >= 0 and raw[k] in _AFTER and key == first and then in roles:
                keys[i] = then
            elif k >= 0 and raw[k] in _BEFORE and key == then and first in roles:
                keys[i] = first
    out: dict[str, set[str]] = {}
    last: frozenset[str] = frozenset()
    since = 0
    for i, token in enumerate(raw):
        if i and clause[i] != clause[i - 1]:
            last = frozenset()
        if spelled is not None:
            spelled.setdefault(keys[i] if keys[i] in roles else folded_stem(token), token)
        if keys[i] in roles and not (i + 1 < len(raw) and raw[i + 1] in not_a_role):
            before = [j for j in range(max(0, i - 3), i) if keys[j] in roles]
            joined = bool(before) and all(w in ("and", "or") for w in raw[before[-1] + 1:i])
            last = frozenset({keys[j] for j in before} | {keys[i]}) if joined else frozenset({keys[i]})
            since = i
            continue
        if token in STOPWORDS or token in NEGATIONS or len(token) < 3 or token.isdigit() or base_stem(token) in drop:
            continue
        role = last if i - since <= ROLE_REACH else frozenset()
        for j in (i + 1, i + 2):
            if j >= len(raw) or clause[j] != clause[i] or phrase[j] != phrase[i]:  # not past a comma
                break
            if keys[j] in roles:
                role = frozenset({keys[j]})
                break
            if raw[j] in STOPWORDS:
                break
        if not last:
            # A clause that opens with what is said and names its role after it ("units are zeroed
            # at random each inference step"): the first role ahead, within ROLE_REACH and no
            # further than a comma ("ground it with retrieval, train on clean data").
            for j in range(i + 1, min(len(raw), i + ROLE_REACH + 1)):
                if clause[j] != clause[i] or phrase[j] != phrase[i]:
                    break
                if keys[j] in roles and not (j + 1 < len(raw) and raw[j + 1] in not_a_role):
                    role = role or frozenset({keys[j]})
                    break
        if role:
            out.setdefault(folded_stem(token), set()).update(role)
    return out


@lru_cache(maxsize=4096)
def _reference_bindings(question: Question) -> tuple[tuple[dict[str, frozenset[str]], ...], dict[str, str]]:
    """Per group of roles, what the reference says of each role; and how it spells words and roles."""
    spelled: dict[str, str] = {}
    drop = _compile(question).prompt_words
    bound = []
    for roles, named in _roles(question):
        plain = _bindings(question.answer, roles, drop, spelled, named=named)
        aside = _bindings(question.answer, roles, drop, None, _REFERENCE_ROLE_BREAK, named)
        # A word said of both roles only because a parenthesis went on past its role is said of
        # the role it has outside the parenthesis.
        bound.append({w: frozenset(aside[w] if len(r) > 1 and len(aside.get(w, ())) == 1 else r)
                      for w, r in plain.items()})
    return tuple(bound), spelled


def _role_swaps(question: Question, text: str, named_only: bool = False) -> tuple[str, ...]:
    """Words the answer says of one role and the reference only of its counterpart, when there are
    ROLE_SWAP_WORDS of them and more than the words it says of the right role (per group of roles)."""
    references, named = _reference_bindings(question)
    out: list[str] = []
    for (roles, by_name), reference in zip(_roles(question), references):
        if named_only and not by_name:
            continue
        wrong: dict[tuple[str, str], list[str]] = {}
        right = 0
        spelled: dict[str, str] = {}
        for word, said_of in _bindings(text, roles, _compile(question).prompt_words, spelled, named=by_name).items():
            meant = reference.get(word)
            if not meant or len(meant) != 1 or len(said_of) != 1:
                continue
            if said_of == meant:
                right += 1
            else:
                wrong.setdefault((min(said_of), min(meant)), []).append(spelled[word])
        if sum(map(len, wrong.values())) < max(ROLE_SWAP_WORDS, right + 1):
            continue
        names = {**named, **spelled}
        out.extend(f"“{', '.join(words)}” said of the {names[said]}, where the reference says it of the "
                   f"{names[meant]}" for (said, meant), words in wrong.items())
    return tuple(out)


# --- denying what the reference says ---------------------------------------------------------------

# Words after which the answer denies what follows ("no need for moderation or monitoring",
# "never trained") or, in the reference, puts it aside ("instead of being multiplied", "prevents").
_DENY_BEFORE = NEGATIONS | {"nothing", "none", "neither", "nor"}
_REFERENCE_ASIDE = frozenset("instead rather prevent prevents prevented preventing avoid avoids avoiding stop stops "
                             "unlike less fewer reduce reduces reducing lower lowers".split())
# Words after what they deny ("baselines are unnecessary", "forgetting isn't a concern").
_DENY_AFTER = frozenset("unnecessary unneeded needless pointless useless irrelevant".split())
_DENIED_NOUNS = frozenset("concern problem issue needed required necessary".split())
# Verbs and auxiliaries a denial passes over to what it denies.
_DENY_THROUGH = frozenset("really actually even any need needs needed require requires required have has had use "
                          "uses used get gets make makes be been being is are was were do does did".split())
# What ends a denial's reach: a new clause or a new verb phrase ("doesn't matter and all … are computed").
_DENY_END = frozenset("and but so which that because while whereas then since except".split())
# A denial in a sentence that contrasts two things ("unlike unsupervised, it's not about finding
# structure") may be said of the other one.
_CONTRAST = frozenset("unlike whereas while versus vs compared opposed contrast".split())
# A denial under a condition or a check is not a claim ("if the layers have nothing to add",
# "checking that outputs aren't memorized copies").
_DENY_HEDGED = frozenset("if unless when whether otherwise check checking checks ensure ensuring verify verifying "
                         "make making test testing sure".split())
# After a negation, words that make it a qualifier or an idiom, not a denial ("not only", "not always",
# "no matter", "no longer", "not to mention").
_DENY_IDIOMS = frozenset("only just merely simply always necessarily all every exactly matter more less longer "
                         "mention until much".split())
DENY_REACH = 4          # content words a denial reaches ("without": 2, "without running averages")
DENY_HEDGE_REACH = 6    # tokens before a denial in which a condition or a check is looked for
# A denial contradicts the reference when this many of the words it denies are words the reference
# states and never denies or puts aside (one shared word is too little to tell).
DENIED_WORDS = 2


def _denied_words(text: str, drop: frozenset[str], before: frozenset[str],
                  read: _Answer | None = None) -> list[tuple[int, int, list[str]]]:
    """Per denial: where it starts and ends in positioned(text) and the stems (synonyms folded) it
    denies. `read`: the text already read as an _Answer (its tokens and clauses are reused)."""
    raw = read.raw if read is not None else positioned(text)
    clause = read.clause if read is not None else clauses(text)
    sentence = _runs(text)

    def content(t: str) -> bool:
        return (t not in STOPWORDS and t not in _DENY_THROUGH and len(t) > 2 and not t.isdigit()
                and t not in _DENY_BEFORE and base_stem(t) not in drop)

    out = []
    for q, w in enumerate(raw):
        words: list[str] = []
        if w in before:
            # "without it, …", "without b the boundary …": a condition on a pronoun or a symbol.
            if q + 1 < len(raw) and (raw[q + 1] in _PRONOUNS or raw[q + 1] in _DENY_IDIOMS or len(raw[q + 1]) <= 2):
                continue
            if w == "nothing" and q and raw[q - 1] in ("to", "into"):  # "fades to nothing"
                continue
            if any(raw[j] in _DENY_HEDGED for j in range(max(0, q - DENY_HEDGE_REACH), q) if clause[j] == clause[q]) \
                    or any(raw[j] in _CONTRAST for j in range(q) if sentence[j] == sentence[q]):
                continue
            reach = 2 if w == "without" else DENY_REACH
            j = q + 1
            while j < len(raw) and clause[j] == clause[q] and len(words) < reach and raw[j] not in _DENY_END:
                if content(raw[j]):
                    words.append(folded_stem(raw[j]))
                j += 1
            end = j - 1
        elif w in _DENY_AFTER or (w in _DENIED_NOUNS and q and raw[q - 1] in _DENY_BEFORE):
            j = q - 1
            while j >= 0 and clause[j] == clause[q] and len(words) < DENY_REACH - 1 and raw[j] not in _DENY_END:
                if content(raw[j]):
                    words.append(folded_stem(raw[j]))
                j -= 1
            q, end = j + 1, q
        if words:
            out.append((q, end, words))
    return out


@lru_cache(maxsize=4096)
def _reference_stated(question: Question) -> frozenset[str]:
    """Stems the reference states and never denies or puts aside."""
    drop = _compile(question).prompt_words
    aside = {s for _, _, words in _denied_words(question.answer, drop, _DENY_BEFORE | _REFERENCE_ASIDE) for s in words}
    return frozenset(folded_stem(t) for t in positioned(question.answer) if t not in STOPWORDS and len(t) > 2) - aside


def _reference_denials(question: Question, compiled: _Compiled, text: str, read: _Answer,
                       hits: tuple[bool, ...] = ()) -> tuple[str, ...]:
    """The answer denies what the reference states: "there is no need for output moderation", "embeddings
    are never trained", "baselines are unnecessary"."""
    stated = _reference_stated(question)
    keys = _affirmed_label_words(question, hits)
    raw = read.raw
    out = []
    for start, end, words in _denied_words(text, compiled.prompt_words, _DENY_BEFORE, read):
        said = {w for w in words if w in stated}
        # One word is enough when the denial is of that word alone, right after it, and it names
        # an idea the answer is credited with by other words: "stacks linear layers with no
        # activations, which makes it non-linear" earns "non-linear activations" by "non-linear"
        # while denying its activations. (Not an idea of one side of a comparison: "FFN: no state"
        # denies what the reference says of the other side.)
        if len(said) >= DENIED_WORDS or (words == [next(iter(said), "")] and words[0] in keys
                                         and start + 1 < len(raw) and folded_stem(raw[start + 1]) == words[0]):
            out.append(f"it says “{' '.join(raw[start:end + 1])}”")
    return tuple(out)


# Words before a reference's denial, in its clause, that say what it denies something of ("the
# merged model does not get smaller": "model").
DENIAL_SUBJECT_WORDS = 2
# In an answer, words that put a claim at a distance or in question ("unlike fine-tuning, which updates
# the weights", "instead of", "if"): its clause says nothing of its own.
_AT_A_DISTANCE = _DISCLAIMERS | _CONTRAST | _DENY_HEDGED | _HARD | {"rather", "instead", "only"}


@lru_cache(maxsize=4096)
def _reference_denied_claims(question: Question) -> tuple[tuple[frozenset[str], frozenset[str], str], ...]:
    """What the reference denies, as claims: the stems it denies (synonyms folded), the stems of
    what it denies them of (up to DENIAL_SUBJECT_WORDS content words just before the denial, in
    its clause), and how it says it. Only plain denials ("no weights are updated", "the merged
    model does not get smaller"), not asides ("rather than", "prevents")."""
    compiled = _compile(question)
    raw = positioned(question.answer)
    clause = clauses(question.answer)
    out = []
    for start, end, words in _denied_words(question.answer, compiled.prompt_words, _DENY_BEFORE):
        # Not a denial written after its words ("… is unnecessary"), nor "without", which says how
        # something else is done ("learn from real experience without modelling the transitions").
        if raw[start] not in _DENY_BEFORE or raw[start] == "without":
            continue
        # The denial's first word is the prompt's ("do not cache sensitive answers" on a question about
        # caching): without it what is left ("sensitive answers") is no claim.
        first = next((t for t in raw[start + 1:end + 1] if t not in STOPWORDS and t not in _DENY_THROUGH), "")
        if base_stem(first) in compiled.prompt_words:
            continue
        subject: list[str] = []
        j = start - 1
        while j >= 0 and clause[j] == clause[start] and len(subject) < DENIAL_SUBJECT_WORDS:
            t = raw[j]
            if t not in STOPWORDS and t not in _DENY_THROUGH and len(t) > 2 and not t.isdigit():
                subject.append(folded_stem(t))
            j -= 1
        denied = frozenset(words) - frozenset(subject)
        if denied:
            out.append((denied, frozenset(subject), " ".join(raw[start:end + 1])))
    return tuple(out)


def _asserted_denials(question: Question, compiled: _Compiled, read: _Answer) -> tuple[str, ...]:
    """The answer asserts, in one clause and without any denial or distance, what the reference
    denies: "briefly updating its weights" where it says "no weights are updated", "the deployed
    model … is much smaller" where it says "the merged model does not get smaller"."""
    claims = _reference_denied_claims(question)
    if not claims:
        return ()
    raw, clause, sentence = read.raw, read.clause, read.sentence
    stems: dict[int, set[str]] = {}
    distant: set[int] = set()
    # A contrast keeps its whole sentence at a distance ("unlike fine-tuning, which updates the weights").
    contrasted = {sentence[i] for i, t in enumerate(raw) if t in _DISCLAIMERS or t in _CONTRAST}
    for i, t in enumerate(raw):
        if t in _DENY_BEFORE or t in _DENY_AFTER or t in _AT_A_DISTANCE or sentence[i] in contrasted:
            distant.add(clause[i])
        elif t not in STOPWORDS and len(t) > 2:
            stems.setdefault(clause[i], set()).add(folded_stem(t))
    out = []
    for denied, subject, said in claims:
        # One denied word is too little to tell ("the model does not get smaller" against "leave the
        # model untouched and train a tiny add-on"); two or more, with what they are denied of, say it.
        if len(denied) < DENIED_WORDS:
            continue
        for c, found in stems.items():
            if c not in distant and denied <= found and (not subject or subject & found):
                out.append(f"it asserts what the reference denies (“{said}”)")
                break
    return tuple(out)


def _affirmed_label_words(question: Question, hits: tuple[bool, ...]) -> frozenset[str]:
    """Stems (synonyms folded) of the words that name the ideas the answer is credited with, where
    the idea affirms them (its label denies nothing: not "no cycles", "not guaranteed")."""
    compiled = _compile(question)
    drop = compiled.prompt_words
    out: set[str] = set()
    for idea, hit, side in zip(question.ideas, hits, compiled.sides or ((),) * len(hits)):
        words = positioned(idea.label)
        if hit and not side and not any(w in _DENY_BEFORE or w in _DENY_AFTER or w in _REFERENCE_ASIDE for w in words):
            out.update(folded_stem(t) for t in words if t not in STOPWORDS and len(t) > 2 and base_stem(t) not in drop)
    return frozenset(out) - _near_negations(question)


@lru_cache(maxsize=4096)
def _near_negations(question: Question) -> frozenset[str]:
    """Stems (synonyms folded) the reference says anywhere near a negation ("it does not just find
    structure"): a denial of one of them may be the reference's own."""
    raw = positioned(question.answer)
    return frozenset(folded_stem(t) for i, t in enumerate(raw)
                     if any(w in _DENY_BEFORE for w in raw[max(0, i - DENY_REACH):i]))


# --- reversing what the reference does to a thing ------------------------------------------------

# What the reference does to a thing, and the words that say the opposite is done to it: the
# reference updates the policy, an answer keeps "the policy weights frozen"; the reference
# deduplicates and filters toxic text, an answer keeps "duplicates … toxicity left in". Generic
# verbs of the field, not any question's.
_UPDATES = frozenset("update updates updated updating train trains trained finetune finetunes finetuned fine-tune "
                     "fine-tunes fine-tuned adjust adjusts adjusted learn learns learned learnt optimize optimizes "
                     "optimized optimise optimises optimised modify modifies modified".split())
_FREEZES = frozenset("frozen freeze freezes fixed unchanged untouched".split())
_REMOVES = frozenset("remove removes removed removing filter filters filtered filtering drop drops dropped discard "
                     "discards discarded strip strips stripped scrub scrubs scrubbed exclude excludes excluded "
                     "delete deletes deleted".split())
_KEEPS = frozenset("keep keeps kept keeping retain retains retained leave leaves left preserve preserves preserved "
                   "include includes included".split())
# A verb that undoes its own noun ("deduplicate", "decontaminate", "detoxify") removes that noun.
_UNDOING = re.compile(r"^de([a-z]{4,}?(?:ate|ates|ated|ating|ation|ify|ifies|ified|ification|ise|ises|ised|ising"
                      r"|ize|izes|ized|izing))$")
ACTION_REACH = 3  # content words either side of the verb, in its clause, that it is said of
# Verbs that say a state of their subject ("weights stay frozen", "are kept").
_COPULAS = frozenset("is are was were be been being stay stays stayed remain remains remained get gets got".split())
_ACTIONS = _UPDATES | _FREEZES | _REMOVES | _KEEPS
_TURNED = {"update": "freeze", "freeze": "update", "remove": "keep", "keep": "remove"}


def _acted_on(text: str) -> list[tuple[str, frozenset[str]]]:
    """Per verb of action, its kind ("update", "freeze", "remove", "keep") and the stems (synonyms
    folded) it is said of: up to ACTION_REACH content words either side of it, within its clause
    and before another verb phrase ("and", "which", another action). A negated verb is its
    opposite ("not updated" freezes, "not removed" keeps)."""
    raw = positioned(text)
    clause = clauses(text)
    out = []
    for i, token in enumerate(raw):
        undone = _UNDOING.match(token) if token not in _ACTIONS else None
        if token in _UPDATES:
            kind = "update"
        elif token in _FREEZES:
            kind = "freeze"
        elif token in _REMOVES or undone:
            kind = "remove"
        elif token in _KEEPS and not (i + 1 < len(raw) and raw[i + 1].endswith("ing")):  # "keep measuring"
            kind = "keep"
        else:
            continue
        # "not updated", "never trained", "no weights are updated" ("no single update" is a noun).
        if any(raw[j] in NEGATIONS and raw[j] != "no" for j in range(max(0, i - 2), i) if clause[j] == clause[i]) \
                or (i >= 3 and raw[i - 3] in ("no", "nothing", "none") and raw[i - 1] in _COPULAS):
            kind = _TURNED[kind]
        said: set[str] = set()
        if undone:
            said.add(folded_stem(undone.group(1)))
        else:
            # What it is said of stands after it, or just before it when it is said of that
            # ("duplicates kept", "weights stay frozen"), not when it qualifies what follows
            # ("the fixed instructions").
            before = i > 0 and (raw[i - 1] in _COPULAS or (raw[i - 1] not in STOPWORDS and raw[i - 1] not in _ACTIONS))
            for step in (1, -1) if before else (1,):
                j, seen = i + step, 0
                while 0 <= j < len(raw) and clause[j] == clause[i] and seen < ACTION_REACH \
                        and raw[j] not in _DENY_END and raw[j] not in _ACTIONS:
                    t = raw[j]
                    if t not in STOPWORDS and t not in NEGATIONS and len(t) > 2 and not t.isdigit():
                        said.add(folded_stem(t))
                        seen += 1
                    j += step
        if said:
            out.append((kind, frozenset(said)))
    return out


@lru_cache(maxsize=4096)
def _reference_acts(question: Question) -> dict[str, frozenset[str]]:
    """What the reference does to things: the stems it says of each kind of action."""
    acts: dict[str, set[str]] = {}
    for kind, said in _acted_on(question.answer):
        acts.setdefault(kind, set()).update(said)
    return {kind: frozenset(said) for kind, said in acts.items()}


def _reversed_acts(question: Question, text: str) -> tuple[str, ...]:
    """The answer freezes what the reference updates ("the policy weights stay frozen" against "PPO
    updates the policy"), or keeps what it removes ("duplicates kept" against "deduplicate").
    A freeze said of what the reference also freezes ("the frozen reference policy") is its own."""
    reference = _reference_acts(question)
    if not reference.get("update") and not reference.get("remove"):
        return ()
    out = []
    for kind, said in _acted_on(text):
        if kind not in ("freeze", "keep") or said & reference.get(kind, frozenset()):
            continue
        words = sorted(said & reference.get(_TURNED[kind], frozenset()))
        if words:
            done = "updates" if kind == "freeze" else "removes"
            out.append(f"it {'keeps' if kind == 'keep' else 'freezes'} what the reference {done} (“{', '.join(words)}”)")
    return tuple(dict.fromkeys(out))


# --- definitions bound to the symbol they define ------------------------------------------------

# "V^π(s) is …", "Q(s, a) means …", and in an answer also "Q(s,a): …": a short symbol (a letter
# or two, with its super/subscripts and arguments) and what it is said to be in words ("V(s) =
# E[G | s]" is a formula, whose symbols are not the reference's words).
_DEFINED = re.compile(r"(?<![\w^])([A-Za-z]{1,2})(?:[\^_][^\s(]*)?\s*\(([^()]{0,12})\)\s*(?:is|means|denotes|gives)\b")
_DEFINED_IN_ANSWER = re.compile(
    r"(?<![\w^])([A-Za-z]{1,2})(?:[\^_][^\s(]*)?\s*\(([^()]{0,12})\)\s*(?:is|means|denotes|gives|:)")
_DEFINITION_END = re.compile(r"[;.](?:\s|$)|\n")


def _definitions(text: str, pattern: re.Pattern[str]) -> dict[str, set[str]]:
    """Per symbol defined in the text (upper-cased), the stems of what it is said to be: from the
    verb to the end of the sentence or the next definition."""
    marks = list(pattern.finditer(text))
    out: dict[str, set[str]] = {}
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        stop = _DEFINITION_END.search(text, m.end(), end)
        body = text[m.end():stop.start() if stop else end]
        out.setdefault(m.group(1).upper(), set()).update(
            folded_stem(t) for t in positioned(body) if t not in STOPWORDS and len(t) > 2 and not t.isdigit())
    return out


@lru_cache(maxsize=4096)
def _reference_definitions(question: Question) -> dict[str, frozenset[str]]:
    """Per symbol the reference defines, when it defines two or more, the words only its
    definition uses."""
    defined = _definitions(question.answer, _DEFINED)
    if len(defined) < 2:
        return {}
    return {symbol: frozenset(words - set().union(*(w for s, w in defined.items() if s != symbol)))
            for symbol, words in defined.items()}


def _definition_swaps(question: Question, text: str) -> tuple[str, ...]:
    """The answer defines one of the reference's symbols with words the reference uses only for
    another ("V(s) is the expected return after taking a" against "Q(s, a) is the return when
    first taking action a"), and with none of its own."""
    reference = _reference_definitions(question)
    if not reference:
        return ()
    out = []
    for symbol, words in _definitions(text, _DEFINED_IN_ANSWER).items():
        own = reference.get(symbol)
        if own is None or words & own:
            continue
        for other, theirs in reference.items():
            if other != symbol and words & theirs:
                out.append(f"it defines {symbol} with what the reference says of {other} "
                           f"(“{', '.join(sorted(words & theirs))}”)")
                break
    return tuple(out)


# --- a method put in another modality ----------------------------------------------------------

# Kinds of data a model works on. An answer that qualifies one of the reference's methods with a
# modality the reference never names ("an image diffusion model", against a reference about audio
# and symbolic music) says the method is used in a role the reference does not give it.
_MODALITIES = {base_stem(w): kind for kind, words in (
    ("image", "image images pixel pixels photo photos visual"),
    ("text", "text textual"),
    ("audio", "audio sound waveform waveforms speech"),
    ("video", "video videos"),
) for w in words.split()}


_SPECTROGRAM = base_stem("spectrogram")


@lru_cache(maxsize=4096)
def _reference_modalities(question: Question) -> tuple[frozenset[str], frozenset[str]]:
    """The modalities the reference or prompt names, and the stems of the reference's words."""
    words = positioned(question.answer) + positioned(question.prompt)
    return (frozenset(_MODALITIES[s] for s in map(base_stem, words) if s in _MODALITIES),
            frozenset(base_stem(w) for w in positioned(question.answer) if w not in STOPWORDS and len(w) > 2))


def _modality_swaps(question: Question, read: _Answer) -> tuple[str, ...]:
    """A modality the reference does not name, said of a method the reference names, where the
    reference names a modality of its own."""
    named, used = _reference_modalities(question)
    raw = read.raw
    # A spectrogram is sound drawn as an image: image models on it are an audio method.
    if not named or any(base_stem(t) == _SPECTROGRAM for t in raw):
        return ()
    out = []
    for i, token in enumerate(raw[:-1]):
        kind = _MODALITIES.get(base_stem(token))
        if kind is None or kind in named or read.negated((i,)):
            continue
        method = raw[i + 1]
        if base_stem(method) in used and base_stem(method) not in _MODALITIES:
            out.append(f"it puts {method} in {kind}, which the reference does not (it is about "
                       f"{' and '.join(sorted(named))})")
    return tuple(dict.fromkeys(out))
