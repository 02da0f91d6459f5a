"""The recall grader on an imported bank it has never seen: the second blind holdout.

    python benchmarks/import_holdout.py [--semantic]

tests/grading/import-holdout/ holds a 48-card flashcard CSV (SQL, statistics, operating systems
and networking, Python: `question,answer`, no grading hints) and 240 typed answers, five per
card, written by a session that never saw the game's code, its grader or its content, and
committed before anything was measured on it. Like the first holdout it is frozen: never edit
it, never read its texts to tune, and never tune the importer or the grader to it.

The bank is imported exactly as a player's own deck would be (`quizgame.core.importers`, then
the written TOML loaded with load_bank), so its key ideas are the ones the importer derives.
Both correct kinds should be accepted; the three wrong kinds should not. Only figures are
printed, never texts. CI floors: tests/grading/test_import_holdout.py.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from quizgame import grade, load_bank  # noqa: E402
from quizgame.core.importers import import_bank  # noqa: E402
from quizgame.core.model import Bank  # noqa: E402
from holdout import semantic_on, shares  # noqa: E402

HOLDOUT = ROOT / "tests" / "grading" / "import-holdout"
CORRECT = ("correct_own_words", "correct_terse")
WRONG = ("wrong_plausible", "wrong_swapped_roles", "keyword_dump")
KINDS = CORRECT + WRONG
VERDICTS = ("correct", "partial", "wrong")


def imported_bank(folder: Path) -> Bank:
    """The holdout's CSV imported as a player's deck, written and loaded as the game does."""
    result = import_bank(HOLDOUT / "bank.csv")
    path = folder / "import-holdout.toml"
    path.write_text(result.toml, encoding="utf-8")
    return load_bank(path)


def evaluate(bank: Bank) -> dict[str, Counter[str]]:
    """Verdict counts per kind. The cards are matched to the bank's questions by prompt."""
    items = tomllib.loads((HOLDOUT / "answers.toml").read_text(encoding="utf-8"))["item"]
    by_prompt = {q.prompt.strip(): q for q in bank.questions}
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        question = by_prompt.get(item["question"].strip())
        if question is None:
            by_kind["(card not imported)"]["wrong"] += 1
            continue
        for kind in KINDS:
            by_kind[kind][grade(question, item[kind], bank).verdict] += 1
    return by_kind


def figures(by_kind: dict[str, Counter[str]]) -> dict[str, float]:
    share = shares(by_kind)
    out = {
        "correct accepted": share(CORRECT, "correct"),
        "correct not marked wrong": share(CORRECT, "correct", "partial"),
        "wrong not accepted": share(WRONG, "partial", "wrong"),
    }
    for kind in KINDS:
        out[f"{kind}: accepted"] = share((kind,), "correct")
    return out


def report(by_kind: dict[str, Counter[str]]) -> str:
    n = sum(sum(c.values()) for c in by_kind.values())
    lines = [f"== imported-bank holdout: {n} answers", "",
             f"{'kind':<22}{'n':>5}  " + "".join(f"{v:>9}" for v in VERDICTS)]
    for kind in list(KINDS) + [k for k in by_kind if k not in KINDS]:
        counts = by_kind.get(kind, Counter())
        lines.append(f"{kind:<22}{sum(counts.values()):>5}  " + "".join(f"{counts[v]:>9}" for v in VERDICTS))
    lines.append("")
    for name, value in figures(by_kind).items():
        lines.append(f"{name + ':':<34}{value:7.1%}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--semantic", action="store_true",
                        help="grade with the optional semantic extra on (pip install -e '.[semantic]')")
    args = parser.parse_args()
    if args.semantic:
        semantic_on()
    with tempfile.TemporaryDirectory() as folder:
        bank = imported_bank(Path(folder))
        print(f"{len(bank.questions)} of 48 cards imported")
        print(report(evaluate(bank)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
