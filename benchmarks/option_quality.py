"""Do generated multiple-choice options read as clean phrases? Defect counts on imported banks.

    .venv/bin/python benchmarks/option_quality.py [--corpus DIR] [--seeds 3] [--show 12] [--quiet]

Imports the real public banks of the import corpus (../shared/import-corpus/, read in place;
none is in the repository) and the repository's own import fixtures (tests/fixtures/import),
builds every question's multiple-choice item for a few seeds, as the game does, and counts the
generated wrong options that show a defect a player would see (issue 11, "options are clean
one-liners"):

- same: an option equal to another option of the item, or to the right one, up to case,
  spacing, punctuation and a trailing "…" (a second right answer, or the same option twice);
- abbreviation: a fragment of "e.g." or "i.e." glued to a word ("Download.g.");
- glued: a word glued to a "." or "(" that no text of the bank writes ("uses.scoping()");
- new word: a word written nowhere in the bank's texts (a splice made it up);
- repeated swap: a word put in two places where the text it came from had another word
  ("a continuous cardinality distribution whose cardinality density");
- wrong kind: a word put in a noun's place that the bank uses as a command or a verb
  ("inside a particular kill"), or a number for a word and back.

The text an option came from is the bank's option most like it (difflib), so retold options
and term swaps are read the same way. Prints the counts per bank and `--show` random items
per bank (the right option marked *), so a reader can judge them.
"""
from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from quizgame.bankwrite import write_bank  # noqa: E402
from quizgame.core.bank import load_bank  # noqa: E402
from quizgame.core.choices import multiple_choice  # noqa: E402
from quizgame.core.importers import import_bank  # noqa: E402
from quizgame.core.model import Bank  # noqa: E402

# ../shared/import-corpus/ beside the checkout, or beside the folder of worktrees.
CORPUS = next((d for d in (ROOT.parent / "shared" / "import-corpus", ROOT.parent.parent / "shared" / "import-corpus")
               if d.is_dir()), ROOT.parent / "shared" / "import-corpus")
FIXTURES = ROOT / "tests" / "fixtures" / "import"
DEFECTS = ("same", "abbreviation", "glued", "new word", "repeated swap", "wrong kind")
_TOKEN = re.compile(r"\S+")
_GLUED = re.compile(r"[A-Za-z]{2,}[.(][A-Za-z]")
_ABBREV = re.compile(r"(?<![\s(,;:]e)(?<!^e)\.g\.|(?<![\s(,;:]i)(?<!^i)\.e\.", re.IGNORECASE)


def same_option(a: str, b: str) -> bool:
    """Equal up to case, spacing, punctuation and a trailing "…" (read independently of the
    generator's own rule, so the check does not grade itself)."""
    def key(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]|_", " ", text.casefold()).split())
    return key(a) == key(b)


def _bare(token: str) -> str:
    return token.strip(".,;:!?\"'()[]…").casefold()


class BankReader:
    """What the checks read of a bank: its words as written, and how it uses them."""

    def __init__(self, bank: Bank) -> None:
        texts = [t for q in bank.questions for t in (q.prompt, q.answer, q.option)]
        self.options = [q.option for q in bank.questions]
        self.tokens = {t.casefold() for text in texts for t in _TOKEN.findall(text)}
        self.words = {_bare(t) for text in texts for t in _TOKEN.findall(text)}
        # Words the bank uses as commands or verbs: an option's or answer's first word, a word
        # right after a command's name in a prompt ("docker kill").
        self.verbs: set[str] = set()
        for q in bank.questions:
            for text in (q.option, q.answer):
                first = _TOKEN.match(text)
                if first is not None:
                    self.verbs.add(_bare(first.group(0)))
            words = [_bare(w) for w in _TOKEN.findall(q.prompt)]
            for a, b in zip(words, words[1:]):
                if a in ("docker", "git", "lvm", "sudo", "pip", "apt", "conda", "kubectl"):
                    self.verbs.add(b)
        self.nouns = {_bare(w) for text in texts for w in re.findall(r"\b(?:the|a|an|of) (\w+)", text, re.I)}

    def source(self, option: str) -> str:
        return max(self.options, key=lambda o: difflib.SequenceMatcher(None, o.casefold(), option.casefold()).ratio())


def defects(option: str, others: list[str], reader: BankReader) -> list[str]:
    found = []
    if any(same_option(option, o) for o in others):
        found.append("same")
    if _ABBREV.search(option):
        found.append("abbreviation")
    tokens = _TOKEN.findall(option)
    if any(_GLUED.search(t) and t.casefold() not in reader.tokens for t in tokens):
        found.append("glued")
    if any(_bare(t) and _bare(t) not in reader.words for t in tokens):
        found.append("new word")
    source = reader.source(option)
    a, b = [_bare(t) for t in _TOKEN.findall(source)], [_bare(t) for t in tokens]
    new: Counter[str] = Counter()
    kinds = False
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "replace":
            continue
        new.update(w for w in b[j1:j2] if w not in a)
        old_words, new_words = a[i1:i2], b[j1:j2]
        if len(old_words) == len(new_words) == 1:
            old, word = old_words[0], new_words[0]
            if any(c.isdigit() for c in old) != any(c.isdigit() for c in word):
                kinds = True
            elif j1 > 0 and old in reader.nouns and word in reader.verbs and word not in reader.nouns:
                kinds = True
    if any(n >= 2 for n in new.values()):
        found.append("repeated swap")
    if kinds:
        found.append("wrong kind")
    return found


def banks(corpus: Path) -> list[tuple[str, Path]]:
    found = [(p.name, p) for p in sorted(corpus.iterdir()) if p.suffix in (".csv", ".md", ".txt")] if corpus.is_dir() else []
    return found + [(f"fixtures/{p.name}", p) for p in sorted(FIXTURES.iterdir()) if p.suffix in (".csv", ".md", ".txt")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--show", type=int, default=12)
    parser.add_argument("--quiet", action="store_true", help="counts only")
    args = parser.parse_args()
    total: Counter[str] = Counter()
    options_total = 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in banks(args.corpus):
            out = Path(tmp) / f"bank{len(rows)}.toml"
            write_bank(import_bank(path).toml, out)
            bank = load_bank(out)
            reader = BankReader(bank)
            counts: Counter[str] = Counter()
            wrong_options = 0
            items = []
            for q in bank.questions:
                for seed in range(args.seeds):
                    item = multiple_choice(q, bank, seed=seed)
                    items.append(item)
                    for i, option in enumerate(item.options):
                        if i == item.correct:
                            continue
                        wrong_options += 1
                        others = [o for k, o in enumerate(item.options) if k != i]
                        bad = defects(option, others, reader)
                        counts.update(bad)
                        counts["any"] += bool(bad)
            rows.append((name, len(bank.questions), wrong_options, counts))
            total.update(counts)
            options_total += wrong_options
            if not args.quiet:
                print(f"\n== {name}: {len(bank.questions)} questions")
                for item in random.Random(f"show:{name}").sample(items, min(args.show, len(items))):
                    print(f"Q: {item.question.prompt[:90]}")
                    for i, option in enumerate(item.options):
                        others = [o for k, o in enumerate(item.options) if k != i]
                        mark = "*" if i == item.correct else " "
                        bad = "" if i == item.correct else ", ".join(defects(option, others, reader))
                        print(f"  {mark} {option}" + (f"   [{bad}]" if bad else ""))
    print()
    head = f"{'bank':42} {'qs':>4} {'wrong':>6} " + " ".join(f"{d:>13}" for d in (*DEFECTS, "any"))
    print(head)
    for name, n, wrong, counts in rows + [("all", sum(r[1] for r in rows), options_total, total)]:
        print(f"{name[:42]:42} {n:>4} {wrong:>6} " + " ".join(f"{counts[d]:>13}" for d in (*DEFECTS, "any")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
