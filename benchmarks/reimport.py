"""The recall grader on the shipped bank re-imported as a player's own deck.

    python benchmarks/reimport.py [--show KIND] [--ideas]

The shipped bank's prompts and reference answers are written to a plain `question,answer` CSV
(no key ideas, no misconceptions: what a player's flashcard deck holds), imported with
quizgame.core.importers.import_bank, written and loaded as the game does, and the blind tune set
(tests/grading/answers-blind-tune.toml, written blind) is graded against it, questions matched
by prompt. Split by question as `benchmarks/grading.py --blind` splits it: the "tune" half may be
read while changing the importer or the grader (--show, --ideas print the tune half only); the
"check" half is only counted.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.grading import BLIND, blind_figures, blind_half, blind_table  # noqa: E402
from quizgame import grade, load_bank  # noqa: E402
from quizgame.core.importers import import_bank  # noqa: E402
from quizgame.core.model import Bank  # noqa: E402


def reimported(folder: Path) -> tuple[Bank, dict[str, str]]:
    """The shipped bank as a player's CSV deck, imported; and each shipped id's prompt."""
    shipped = load_bank()
    path = folder / "shipped-as-deck.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "answer"])
        for question in shipped.questions:
            writer.writerow([question.prompt, question.answer])
    out = folder / "shipped-as-deck.toml"
    out.write_text(import_bank(path).toml, encoding="utf-8")
    return load_bank(out), {q.id: q.prompt.strip() for q in shipped.questions}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", metavar="KIND", help="print the tune half's disagreements of one kind")
    parser.add_argument("--ideas", action="store_true", help="print the tune half's derived ideas")
    args = parser.parse_args()
    answers = tomllib.loads(BLIND.read_text(encoding="utf-8"))["answers"]
    with tempfile.TemporaryDirectory() as tmp:
        bank, prompts = reimported(Path(tmp))
    by_prompt = {q.prompt.strip(): q for q in bank.questions}
    lines: list[str] = []
    if args.ideas:
        for qid in sorted({a["question"] for a in answers if blind_half(a) == "tune"}):
            question = by_prompt.get(prompts.get(qid, ""))
            if question is not None:
                lines.append(f"{qid}: " + "; ".join(("*" if i.required else "") + i.label for i in question.ideas))
        lines.append("")
    for half in ("tune", "check"):
        chosen = [a for a in answers if blind_half(a) == half]
        by_kind: dict[str, Counter[str]] = defaultdict(Counter)
        misses: list[str] = []
        for answer in chosen:
            question = by_prompt.get(prompts.get(answer["question"], ""))
            got = "wrong" if question is None else grade(question, answer["text"], bank).verdict
            by_kind[answer["kind"]][got] += 1
            if half == "tune" and answer["kind"] == args.show and got != answer["expected"]:
                misses.append(f"- {answer['question']} expected {answer['expected']}, grader {got}: {answer['text']}")
        questions = len({a["question"] for a in chosen})
        lines += [f"== shipped bank re-imported, blind {half} half: {len(chosen)} answers, {questions} questions", ""]
        lines += blind_table(by_kind)
        for name, value in blind_figures(by_kind).items():
            lines.append(f"{name + ':':<34}{value:7.1%}")
        lines += [""] + misses
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
