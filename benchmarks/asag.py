"""The recall grader on public human-labelled answers: SemEval-2013 Task 7, 2-way (SciEntsBank, Beetle).

    python benchmarks/asag.py [--split training|test-unseen-answers] [--corpus sciEntsBank|beetle]
                              [--exemplars] [--semantic] [--data PATH]

Each corpus's questions and reference answers become a user's bank: a CSV file (question,answer)
imported through quizgame's own importer (quizgame.core.importers), exactly as `quizgame import`
would. Beetle lists several reference answers per question; the bank format has one answer, so
the answers marked BEST are joined into it, one sentence each. Every student answer is then
graded with quizgame.grade, "correct" counting as accepted (partial and wrong as rejected).

--split training grades the training answers with the shipped scorer and, beside it, a scorer
refitted on the other folds of a 5-fold cross-validation grouped by question (the honest
figure for tuning). test-unseen-answers grades the unseen answers once, as shipped.
--exemplars also gives the grader the training answers of each question as labelled exemplars,
the way a player's overrides are (SemEval's "unseen answers" setting allows it).
--semantic grades with the optional semantic extra on (pip install -e '.[semantic]'): the shipped
semantic scorer, and in the cross-validation a semantic scorer refitted on the other folds
(benchmarks/fit_semantic.py). Without it the extra stays off even when installed.

The word-overlap baseline (share of the reference's content words present in the answer, one
threshold tuned on the training split) is reported beside it.

Data: ../shared/asag/ (CC BY-SA 3.0, SemEval-2013 Task 7; see the README's credit).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quizgame.core.bank import load_bank  # noqa: E402
from quizgame.core.grading import Exemplar  # noqa: E402
from quizgame.bankwrite import write_bank  # noqa: E402
from quizgame.core.importers import import_bank  # noqa: E402
from quizgame.core.model import CORRECT, WRONG, Bank, Question  # noqa: E402
from quizgame.core.text import content_words  # noqa: E402

DATA = ROOT.parent / "shared" / "asag" / "semeval2013"
if not DATA.exists():
    DATA = Path("/work/shared/asag/semeval2013")
CORPORA = ("sciEntsBank", "beetle")
FOLDS = 5


@dataclass
class Item:
    """One question of a corpus: its text, its reference answers (BEST first) and labelled answers."""

    key: str
    prompt: str
    references: list[str]
    best: int = 1  # how many of the references are BEST ones
    answers: list[tuple[str, bool]] = field(default_factory=list)  # (text, labelled correct)


def split_dir(corpus: str, split: str, data: Path = DATA) -> Path:
    if split == "training":
        return data / "training" / "2way" / corpus
    return data / "test" / "2way" / corpus / split


def read_items(folder: Path) -> list[Item]:
    items = []
    for path in sorted(folder.glob("*.xml")):
        root = ET.parse(path).getroot()
        prompt = " ".join((root.findtext("questionText") or "").split())
        refs = root.find("referenceAnswers")
        best, other = [], []
        for ref in refs if refs is not None else []:
            text = " ".join((ref.text or "").split())
            (best if ref.get("category", "BEST") == "BEST" else other).append(text)
        item = Item(path.stem, prompt, best + other, max(1, len(best)))
        for answer in root.iter("studentAnswer"):
            item.answers.append((" ".join((answer.text or "").split()), answer.get("accuracy") == "correct"))
        items.append(item)
    return items


def reference_text(item: Item, corpus: str) -> str:
    """The bank's answer: the reference, or Beetle's BEST references, one sentence each."""
    best = item.references[: item.best] if corpus == "beetle" else item.references[:1]
    return " ".join(r if r.rstrip().endswith((".", "!", "?")) else r.rstrip() + "." for r in best)


def import_corpus(items: list[Item], corpus: str, folder: Path) -> tuple[Bank, dict[str, Question]]:
    """Write the items as a CSV bank, import it with quizgame's importer, load it: key -> question."""
    source = folder / f"{corpus}.csv"
    with source.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["question", "answer"])
        for item in items:
            writer.writerow([item.prompt, reference_text(item, corpus)])
    result = import_bank(source, "csv")
    target = write_bank(result.toml, folder / f"{corpus}.toml", force=True, check_toml=result.check_toml)
    bank = load_bank(target)
    if len(bank.questions) != len(items):
        raise SystemExit(f"{corpus}: imported {len(bank.questions)} of {len(items)} questions")
    return bank, {item.key: q for item, q in zip(items, bank.questions)}


def fold_of(key: str) -> int:
    return hashlib.sha1(key.encode()).digest()[0] % FOLDS


# --- metrics -------------------------------------------------------------------------------------

def metrics(pairs: list[tuple[bool, bool]], seconds: float) -> dict[str, float]:
    """pairs: (labelled correct, accepted)."""
    n = len(pairs)
    tp = sum(1 for g, p in pairs if g and p)
    tn = sum(1 for g, p in pairs if not g and not p)
    fp = sum(1 for g, p in pairs if not g and p)
    fn = sum(1 for g, p in pairs if g and not p)

    def f1(tp_: int, fp_: int, fn_: int) -> float:
        return 2 * tp_ / (2 * tp_ + fp_ + fn_) if tp_ else 0.0

    f_pos, f_neg = f1(tp, fp, fn), f1(tn, fn, fp)
    pos, neg = tp + fn, tn + fp
    return {"n": n, "accuracy": (tp + tn) / n, "macro_f1": (f_pos + f_neg) / 2,
            "weighted_f1": (f_pos * pos + f_neg * neg) / n, "accepted": tp / max(pos, 1),
            "rejected": tn / max(neg, 1), "ms": 1000 * seconds / max(n, 1)}


HEADER = f"{'':<34}{'n':>6}{'acc':>7}{'macroF1':>9}{'wF1':>7}{'accept':>8}{'reject':>8}{'ms/ans':>8}"


def row(name: str, m: dict[str, float]) -> str:
    return (f"{name:<34}{m['n']:>6}{m['accuracy']:>7.3f}{m['macro_f1']:>9.3f}{m['weighted_f1']:>7.3f}"
            f"{m['accepted']:>8.1%}{m['rejected']:>8.1%}{m['ms']:>8.2f}")


# --- the word-overlap baseline -----------------------------------------------------------------

def overlap(reference: str, answer: str) -> float:
    ref = content_words(reference)
    return len(ref & content_words(answer)) / len(ref) if ref else 0.0


def best_overlap(item: Item, answer: str) -> float:
    return max(overlap(r, answer) for r in item.references[:item.best] or item.references)


def tune_threshold(scored: list[tuple[float, bool]]) -> float:
    """The threshold with the best weighted F1 on these (score, labelled correct) pairs."""
    best, best_t = -1.0, 0.5
    for t in sorted({round(s, 3) for s, _ in scored}):
        m = metrics([(g, s >= t) for s, g in scored], 0.0)
        if m["weighted_f1"] > best:
            best, best_t = m["weighted_f1"], t
    return best_t


# --- grading ------------------------------------------------------------------------------------

Grader = Callable[[Question, str], bool]


def run(items: list[Item], questions: dict[str, Question], accept: Grader) -> dict[str, float]:
    pairs = []
    start = time.perf_counter()
    for item in items:
        for text, gold in item.answers:
            pairs.append((gold, accept(questions[item.key], text)))
    return metrics(pairs, time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["training", "test-unseen-answers"], default="training")
    parser.add_argument("--corpus", choices=CORPORA)
    parser.add_argument("--exemplars", action="store_true",
                        help="give the grader each question's training answers as labelled exemplars")
    parser.add_argument("--semantic", action="store_true",
                        help="grade with the optional semantic extra (WordLlama's shipped model) on")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()

    import fit_scorer

    from quizgame.core import grading

    fit = fit_scorer.fit_rows
    if args.semantic:
        import fit_semantic

        from quizgame.core import semantic

        loaded = time.perf_counter()
        semantic.install(fit_semantic.load())
        print(f"semantic extra on: {semantic.active().name}, loaded in {time.perf_counter() - loaded:.2f} s")
        fit = fit_semantic.fit_rows
    print(f"SemEval-2013 Task 7, 2-way, split {args.split}" + (" (with training exemplars)" if args.exemplars
                                                                 else "")
          + (" (semantic extra)" if args.semantic else ""))
    print(HEADER)
    for corpus in [args.corpus] if args.corpus else CORPORA:
        training = read_items(split_dir(corpus, "training", args.data))
        items = training if args.split == "training" else read_items(split_dir(corpus, args.split, args.data))
        with tempfile.TemporaryDirectory(prefix="quizgame-asag-") as tmp:
            bank, questions = import_corpus(items, corpus, Path(tmp))
        grading.prepare(bank)
        exemplars: dict[str, list[grading.Exemplar]] = {}
        if args.exemplars:
            train_by_key = {i.key: i for i in training}
            exemplars = {questions[i.key].id: [grading.Exemplar(t, CORRECT if g else WRONG)
                                               for t, g in train_by_key[i.key].answers]
                         for i in items if i.key in train_by_key}
        leave_out = args.split == "training"  # an answer is not its own exemplar

        timings: list[float] = []
        m = run(items, questions, partial(_timed, bank, exemplars, leave_out, timings))
        print(row(f"{corpus}: quizgame.grade", m)
              + f"   (median {1000 * statistics.median(timings):.2f} ms)")

        if args.split == "training":
            # Cross-validated by question: the scorer refitted without the fold's questions.
            pairs = []
            start = time.perf_counter()
            for fold in range(FOLDS):
                train_q = [i for i in items if fold_of(i.key) != fold]
                model = fit(_rows(train_q, questions, bank))
                for item in items:
                    if fold_of(item.key) != fold:
                        continue
                    q = questions[item.key]
                    for text, gold in item.answers:
                        pairs.append((gold, grading.grade(q, text, bank, model=model).verdict == CORRECT))
            print(row(f"{corpus}: quizgame.grade, CV by question", metrics(pairs, time.perf_counter() - start)))

            cv = []
            for fold in range(FOLDS):
                t = tune_threshold([(best_overlap(i, a), g) for i in items if fold_of(i.key) != fold
                                    for a, g in i.answers])
                cv += [(g, best_overlap(i, a) >= t) for i in items if fold_of(i.key) == fold for a, g in i.answers]
            print(row(f"{corpus}: word overlap, CV by question", metrics(cv, 0.0)))
        else:
            t = tune_threshold([(best_overlap(i, a), g) for i in training for a, g in i.answers])
            pairs = [(g, best_overlap(i, a) >= t) for i in items for a, g in i.answers]
            print(row(f"{corpus}: word overlap (t={t:.2f})", metrics(pairs, 0.0)))
    return 0


def _timed(bank: Bank, exemplars: dict[str, list[Exemplar]], leave_out: bool, timings: list[float],
           q: Question, text: str) -> bool:
    """quizgame.grade's verdict is "correct" (an answer is not its own exemplar with leave_out)."""
    from quizgame.core import grading

    known = [e for e in exemplars.get(q.id, ()) if not (leave_out and e.text == text)]
    started = time.perf_counter()
    ok = grading.grade(q, text, bank, exemplars=known,
                       exemplar_similarity=grading.LABELLED_SIMILARITY).verdict == CORRECT
    timings.append(time.perf_counter() - started)
    return ok


def _rows(items: list[Item], questions: dict[str, Question], bank: Bank) -> list[tuple[list[float], bool]]:
    from quizgame.core import grading, semantic

    def features(q: Question, text: str) -> list[float]:
        model = semantic.active()
        return grading.features(q, text, bank) + (semantic.values(model, q, text) if model else [])

    return [(features(questions[i.key], text), gold) for i in items for text, gold in i.answers]


if __name__ == "__main__":
    raise SystemExit(main())
