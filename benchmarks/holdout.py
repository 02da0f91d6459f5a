"""The recall grader on the blind holdout: answers it was never tuned on.

    python benchmarks/holdout.py [--bank PATH] [--semantic]

tests/grading/holdout/*.toml was written by someone who saw only the shipped bank's prompts
and reference answers, never its key ideas or the grader, and committed before any tuning
that followed it. It is frozen: never edit it, and never add a key term to match its texts.
The CI floors (tests/core/test_grading_holdout.py) apply to these figures alone.
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgame import grade, load_bank  # noqa: E402

HOLDOUT = ROOT / "tests" / "grading" / "holdout"
KINDS = ["own-words", "expert", "partial", "plausible-wrong", "keyword-dump"]
VERDICTS = ["correct", "partial", "wrong"]


def load_answers(folder: Path = HOLDOUT) -> list[dict]:
    answers: list[dict] = []
    for path in sorted(folder.glob("*.toml")):
        answers.extend(tomllib.loads(path.read_text(encoding="utf-8"))["answers"])
    return answers


def evaluate(bank, answers: list[dict]) -> dict:
    """Verdict counts per kind. It never prints texts: nobody tunes by reading its misses."""
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for answer in answers:
        question = bank.question(answer["question"])
        if question is None:
            continue
        got = grade(question, answer["text"], bank).verdict
        by_kind[answer["kind"]][got] += 1
    return {"by_kind": by_kind}


def semantic_on() -> None:
    """Grade with the optional semantic extra, or stop saying why it cannot be used."""
    from quizgame.semantic import enable, status

    if not enable():
        raise SystemExit(f"{status()}; cannot grade with it")
    print(status())


def shares(by_kind: dict[str, Counter]):
    """share(kinds, *verdicts): the part of those kinds' answers given one of those verdicts."""
    def share(kinds: tuple[str, ...], *verdicts: str) -> float:
        counts = [by_kind.get(k, Counter()) for k in kinds]
        n = sum(sum(c.values()) for c in counts)
        return sum(c[v] for c in counts for v in verdicts) / max(1, n)
    return share


def figures(by_kind: dict[str, Counter]) -> dict[str, float]:
    """The shares the targets speak of."""
    share = shares(by_kind)
    return {
        "correct accepted": share(("own-words", "expert"), "correct"),
        "correct not marked wrong": share(("own-words", "expert"), "correct", "partial"),
        "partial graded partial": share(("partial",), "partial"),
        "partial not marked correct": share(("partial",), "partial", "wrong"),
        "plausible-wrong not accepted": share(("plausible-wrong",), "partial", "wrong"),
        "plausible-wrong graded wrong": share(("plausible-wrong",), "wrong"),
        "keyword dumps not accepted": share(("keyword-dump",), "partial", "wrong"),
        "keyword dumps graded wrong": share(("keyword-dump",), "wrong"),
    }


TARGETS = {"correct accepted": 0.95, "plausible-wrong not accepted": 0.90, "keyword dumps not accepted": 0.90}


def report(by_kind: dict[str, Counter]) -> str:
    n = sum(sum(c.values()) for c in by_kind.values())
    lines = [f"== blind holdout: {n} answers", "", f"{'kind':<17}{'n':>5}  " + "".join(f"{v:>9}" for v in VERDICTS)]
    for kind in KINDS:
        counts = by_kind.get(kind, Counter())
        lines.append(f"{kind:<17}{sum(counts.values()):>5}  " + "".join(f"{counts[v]:>9}" for v in VERDICTS))
    lines.append("")
    for name, value in figures(by_kind).items():
        target = f"   (target ≥ {TARGETS[name]:.0%})" if name in TARGETS else ""
        lines.append(f"{name + ':':<32}{value:7.1%}{target}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bank", metavar="PATH")
    parser.add_argument("--semantic", action="store_true",
                        help="grade with the optional semantic extra on (pip install -e '.[semantic]')")
    args = parser.parse_args()
    if args.semantic:
        semantic_on()
    bank = load_bank(args.bank) if args.bank else load_bank()
    result = evaluate(bank, load_answers())
    print(report(result["by_kind"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
