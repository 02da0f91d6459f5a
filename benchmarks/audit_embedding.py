"""Does meaning give the multiple-choice answer away? Guessers that read sentence embeddings.

    python benchmarks/audit_embedding.py [PATH] [--generated] [--seeds 20] [--model wordllama|lsa] [--why]

The audit (`quizgame content audit`) reads the wording of the options; a test-wise player
with an embedding model reads their meaning. This plays every question's item, as the game
builds it, with four blind guessers that never see the answer:

- most similar to the question: the option whose embedding is closest (cosine) to the prompt's;
- least similar to the question (its inverse);
- odd one out: the option least similar, on average, to the other options;
- most central: the option most similar, on average, to the other options (its inverse).

A guesser that ties between k options earns 1/k when the right one is among them, as in the
audit. Figures are per section and over the bank; chance is 25%, and the issue's aim for
held-out guessers is at most 35%.

Models:
- `wordllama` (default when installed): WordLlama's `l2_supercat` 256-d model, shipped inside
  its PyPI wheel and loaded offline (`pip install wordllama`, see /work/wt/semantic notes:
  the `semantic` extra uses the same model). A bag of token vectors: it reads topic and
  vocabulary, not word order.
- `lsa`: an offline stand-in that needs only numpy: latent semantic analysis, the truncated
  SVD of a TF-IDF matrix (stemmed content words) over every text of the bank.

Not part of the default audit: it needs numpy and a model, and the audit stays pure Python.
"""
from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from quizgame.core.audit import without_distractors  # noqa: E402
from quizgame.core.bank import load_bank  # noqa: E402
from quizgame.core.choices import MultipleChoice, multiple_choice  # noqa: E402
from quizgame.core.model import Bank  # noqa: E402
from quizgame.core.text import content_words  # noqa: E402

TARGET = 0.35
# LSA dimensions: the usual 100–300 for large corpora is more than a 65-question bank has
# texts to support; 100 keeps most of the variance of the shipped bank's ~500 texts.
LSA_DIMENSIONS = 100

Embed = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, d), rows L2-normalised


def wordllama_model() -> Embed:
    from wordllama import WordLlama  # type: ignore[import-not-found]
    import wordllama

    model = WordLlama.load(dim=256, cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    return lambda texts: np.asarray(model.embed(list(texts), norm=True))


def lsa_model(bank: Bank) -> Embed:
    """TF-IDF over every prompt, answer, option and distractor of the bank, reduced by SVD."""
    corpus = [t for q in bank.questions for t in (q.prompt, q.answer, q.option, *q.distractors)]
    docs = [sorted(content_words(t)) for t in corpus]
    vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
    df = np.zeros(len(vocab))
    for d in docs:
        for w in set(d):
            df[vocab[w]] += 1
    idf = np.log((1 + len(docs)) / (1 + df)) + 1

    def tfidf(texts: Sequence[str]) -> np.ndarray:
        m = np.zeros((len(texts), len(vocab)))
        for r, t in enumerate(texts):
            for w in content_words(t):
                if w in vocab:
                    m[r, vocab[w]] += 1
        return m * idf

    _, _, vt = np.linalg.svd(tfidf(corpus), full_matrices=False)
    basis = vt[:LSA_DIMENSIONS].T

    def embed(texts: Sequence[str]) -> np.ndarray:
        v = tfidf(texts) @ basis
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        return v / np.where(norms > 0, norms, 1)

    return embed


def credit(scores: Sequence[float], correct: int) -> float:
    top = max(scores)
    tied = [i for i, s in enumerate(scores) if s >= top - 1e-9]
    return 1 / len(tied) if correct in tied else 0.0


GUESSERS = ["most similar to the question", "least similar to the question",
            "odd one out (least similar to the others)", "most central (most similar to the others)"]


def guesses(item: MultipleChoice, embed: Callable[[str], np.ndarray]) -> dict[str, float]:
    prompt = embed(item.question.prompt)
    options = np.stack([embed(o) for o in item.options])
    to_prompt = options @ prompt
    pairwise = options @ options.T
    n = len(item.options)
    to_others = (pairwise.sum(axis=1) - np.diag(pairwise)) / max(1, n - 1)
    scores = [to_prompt, -to_prompt, -to_others, to_others]
    return {name: credit([float(x) for x in s], item.correct) for name, s in zip(GUESSERS, scores)}


def measure(bank: Bank, embed_many: Embed, seeds: int) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    cache: dict[str, np.ndarray] = {}

    def embed(text: str) -> np.ndarray:
        if text not in cache:
            cache[text] = embed_many([text])[0]
        return cache[text]

    per_question: dict[str, dict[str, float]] = {}
    for q in bank.questions:
        totals = dict.fromkeys(GUESSERS, 0.0)
        for seed in range(seeds):
            for name, hit in guesses(multiple_choice(q, bank, seed=seed), embed).items():
                totals[name] += hit
        per_question[q.id] = {n: v / seeds for n, v in totals.items()}

    def mean(ids: list[str]) -> dict[str, float]:
        return {n: sum(per_question[i][n] for i in ids) / len(ids) for n in GUESSERS}

    overall = mean([q.id for q in bank.questions])
    sections = {s.label: mean([q.id for q in s.questions]) for s in bank.sections if s.questions}
    return overall, sections


def item_kind(item: MultipleChoice, bank: Bank, seed: int) -> str:
    """How a generated item was made: term-substitution variants of the right option, or
    other questions' options (retold about this question's subject, or as they stand)."""
    from quizgame.core.choices import _variants, item_rng

    if item.question.distractors:
        return "hand-written distractors"
    wrong = [o for i, o in enumerate(item.options) if i != item.correct]
    variants = _variants(item.question, bank, item_rng(seed, item.question), len(wrong))
    return "variants (one term swapped)" if set(variants) == set(wrong) else "other questions' options"


def word_standing(item: MultipleChoice) -> str:
    """Where the right option stands on the question's own words (content stems in common)."""
    asked = content_words(item.question.prompt)
    shared = [len(content_words(o) & asked) for o in item.options]
    mine, others = shared[item.correct], [n for i, n in enumerate(shared) if i != item.correct]
    if mine > max(others):
        return "right has the most"
    return "tied for the most" if mine == max(others) else "right has fewer than one"


def why(bank: Bank, embed_many: Embed, seeds: int) -> None:
    """Which guesser wins on which kind of item: by how the item was made, and by where the
    right option stands on the question's own words (a tie there leaves only meaning)."""
    cache: dict[str, np.ndarray] = {}

    def embed(text: str) -> np.ndarray:
        if text not in cache:
            cache[text] = embed_many([text])[0]
        return cache[text]

    groups: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    for q in bank.questions:
        for seed in range(seeds):
            item = multiple_choice(q, bank, seed=seed)
            hits = guesses(item, embed)
            for key in (f"made of: {item_kind(item, bank, seed)}", f"question's words: {word_standing(item)}"):
                counts[key] = counts.get(key, 0) + 1
                totals = groups.setdefault(key, dict.fromkeys(GUESSERS, 0.0))
                for name, hit in hits.items():
                    totals[name] += hit
    print("Why: each guesser by kind of item")
    print(f"  {'items':<44} {'n':>5}" + "".join(f" {name.split(' to ')[0].split(' (')[0]:>14}" for name in GUESSERS))
    for key, totals in sorted(groups.items()):
        print(f"  {key:<44} {counts[key]:5d}" + "".join(f" {totals[g] / counts[key]:14.1%}" for g in GUESSERS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", default=str(ROOT / "content"), help="bank folder or file")
    parser.add_argument("--generated", action="store_true", help="set the hand-written distractors aside")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--model", choices=["wordllama", "lsa"], default=None)
    parser.add_argument("--why", action="store_true",
                        help="also split each guesser's figure by kind of item (how it was made, and where "
                             "the right option stands on the question's words)")
    args = parser.parse_args(argv)
    bank = load_bank(Path(args.path))
    if args.generated:
        bank = without_distractors(bank)
    name = args.model
    if name is None:
        try:
            import wordllama  # type: ignore[import-not-found]  # noqa: F401
            name = "wordllama"
        except ImportError:
            name = "lsa"
    embed = wordllama_model() if name == "wordllama" else lsa_model(bank)
    overall, sections = measure(bank, embed, args.seeds)
    items = len(bank.questions) * args.seeds
    print(f"Embedding guessers ({name}) on {bank.id}{' (generated options)' if args.generated else ''}: "
          f"{items} items; chance 25%, aim at most {TARGET:.0%}")
    labels = [label[:14] for label in sections]
    print(f"  {'guesser':<44} {'all':>6}" + "".join(f" {label:>14}" for label in labels))
    worst = 0.0
    for g in GUESSERS:
        worst = max(worst, overall[g])
        cells = "".join(f" {sections[s][g]:14.1%}" for s in sections)
        print(f"  {g:<44} {overall[g]:6.1%}{cells}")
    se = math.sqrt(0.25 * 0.75 / max(1, len(bank.questions)))
    print(f"(one standard error over {len(bank.questions)} questions is about {se:.1%})")
    if args.why:
        why(bank, embed, args.seeds)
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
