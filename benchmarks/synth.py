"""Deterministic synthetic data: a large question bank, and long save histories.

    write_bank(folder, questions=20_000, sections=50, seed=7)
    write_history(save_folder, bank, players, answers, seed)   # needs quizgame importable

The bank is a folder of JSON section files in the documented format (content/README.md),
with text of realistic length: prompt ~12 words, answer ~50 words, option and each of 3
distractors ~10 words, 2 topics from a pool of 200, 3 key ideas of 3 terms each.
"""
from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

_ONSETS = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "br", "cr", "dr", "gr", "pr",
           "tr", "st", "sp", "pl", "cl", "fl", "sh", "ch", "th", "qu", "z", "k"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"]
_CODAS = ["", "", "n", "r", "s", "t", "l", "m", "x", "nd", "st", "rk", "ng"]
# Short function words, as real prose has them (they are not content words to the grader).
_GLUE = "the a of to in and is for that with by as on it from this are which be or at".split()


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        n = rng.choice((1, 2, 2, 2, 3))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(n)) + rng.choice(_CODAS)
        if 3 <= len(word) <= 9:
            words.add(word)
    return sorted(words)


def _sentence(rng: random.Random, words: list[str], n: int, glue: float = 0.3, limit: int = 0) -> str:
    """n words, about `glue` of them short function words; at most `limit` characters if given."""
    picks = rng.choices(words, k=n)
    out = [rng.choice(_GLUE) if r < glue else w for w, r in zip(picks, [rng.random() for _ in range(n)])]
    text = " ".join(out)
    while limit and len(text) > limit:
        out.pop()
        text = " ".join(out)
    return text


def write_bank(folder: Path, questions: int = 20_000, sections: int = 50, seed: int = 7) -> dict:
    """Write the bank's section files into folder; return a summary (counts, bytes)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = _vocabulary(rng, 6000)
    prose, term_words = vocab[:4000], vocab[4000:]  # key-idea terms never repeat prompt words
    topics = [f"topic-{i:03d}" for i in range(200)]
    per_section = questions // sections
    total_bytes = 0
    for s in range(sections):
        sid = f"sec-{s + 1:02d}"
        items = []
        for n in range(per_section if s < sections - 1 else questions - per_section * (sections - 1)):
            prompt = _sentence(rng, prose, rng.randint(10, 14)).capitalize() + "?"
            option = _sentence(rng, prose, rng.randint(8, 12), glue=0.25, limit=110).capitalize()
            distractors = [_sentence(rng, prose, rng.randint(8, 12), glue=0.25, limit=110).capitalize()
                           for _ in range(3)]
            ideas = []
            for k in range(3):
                terms = [" ".join(rng.sample(term_words, rng.randint(1, 3))) for _ in range(3)]
                ideas.append({"label": " ".join(terms[0].split()[:2]), "terms": terms, "required": k == 0})
            answer_words = _sentence(rng, prose, 50).split()
            for idea in ideas:  # the reference answer spells out one term of each idea
                answer_words.insert(rng.randrange(len(answer_words)), idea["terms"][0])
            items.append({
                "id": f"{sid}-q{n + 1:05d}",
                "prompt": prompt,
                "answer": " ".join(answer_words).capitalize() + ".",
                "option": option,
                "distractors": distractors,
                "topics": rng.sample(topics, 2),
                "difficulty": rng.randint(1, 5),
                "ideas": ideas,
            })
        doc = {"section": {"id": sid, "title": f"Synthetic section {s + 1}", "order": s + 1}, "questions": items}
        text = json.dumps(doc, ensure_ascii=False)
        (folder / f"{s + 1:02d}-{sid}.json").write_text(text, encoding="utf-8")
        total_bytes += len(text.encode())
    return {"questions": questions, "sections": sections, "bytes": total_bytes}


# -- save histories ------------------------------------------------------------------------------

_START = datetime(2025, 1, 1, 8, 0, tzinfo=timezone.utc)


def _events(bank, answers: int, rng: random.Random):
    """Answer events as a RoundSession makes them, in rounds of 10 each closed by a round event.

    Each round is multiple choice (half), recall or cloze; the player works through the bank
    in order, about 75% right, so sections unlock as they would in play."""
    questions = list(bank.questions)
    tiers = {s.id: s.tier for s in bank.sections}
    at = _START
    for start in range(0, answers, 10):
        round_id = f"{rng.getrandbits(64):016x}"
        r = rng.random()
        mode = "mc" if r < 0.5 else "recall" if r < 0.8 else "cloze"
        correct = 0
        for i in range(start, min(start + 10, answers)):
            q = questions[(i + rng.randrange(7)) % len(questions)]
            v = rng.random()
            if v < 0.75:
                verdict, score = "correct", 1.0
            elif mode == "recall" and v < 0.87:
                verdict, score = "partial", round(rng.uniform(0.3, 0.7), 2)
            else:
                verdict, score = "wrong", 0.0
            correct += verdict == "correct"
            text = (q.option if mode == "mc" else " ".join(q.answer.split()[: rng.randint(8, 30)])
                    if mode == "recall" else q.ideas[0].terms[0])
            at += timedelta(seconds=rng.randint(10, 90))
            yield {"type": "answer", "id": uuid.UUID(int=rng.getrandbits(128), version=4).hex, "question": q.id,
                   "section": q.section, "tier": tiers[q.section], "kind": mode, "mode": mode,
                   "round": round_id, "verdict": verdict, "score": score,
                   "at": at.isoformat(timespec="seconds"), "text": text}
        yield {"type": "round", "id": round_id, "section": "all", "mode": mode, "points": None,
               "answered": min(10, answers - start), "correct": correct, "at": at.isoformat(timespec="seconds")}
        if start % 150 == 140:
            at += timedelta(hours=20)  # a new day every 15 rounds


def write_history(save: Path, bank, players: list[str], answers: int, seed: int = 11) -> None:
    """Give each player `answers` answers on `bank`, written in the layout TinyDBStore uses
    (players/<key>/player.json, progress-<bank>.json, log-<bank>-NNNNNN.json chunks)."""
    from quizgame.core.progress import Progress
    from quizgame.store import tinydb_store as tds
    from quizgame.store.files import AtomicJSONStorage

    store = tds.TinyDBStore(save)
    rng = random.Random(seed)
    meta = {tds.META: {"1": {"schema": tds.SCHEMA}}}
    for player in players:
        name = store.find_player(player) or store.add_player(player)
        folder = store._player_dir(name)
        progress = Progress()
        chunk: dict[str, dict] = {}
        number = 0
        points_since_round = 0

        def flush():
            nonlocal chunk, number
            number += 1
            path = folder / f"log-{tds._safe(bank.id)}-{number:06d}.json"
            path.write_text(json.dumps({**meta, tds.EVENTS: chunk}, ensure_ascii=False, separators=(",", ":")),
                            encoding="utf-8")
            chunk = {}

        for event in _events(bank, answers, rng):
            if event["type"] == "round":
                event["points"] = points_since_round
                points_since_round = 0
            result = progress.apply(event)
            logged = dict(event, seq=progress.applied)
            if event["type"] == "answer":
                logged["points"] = result.points
                points_since_round += result.points
            chunk[str(progress.applied)] = logged
            if len(chunk) == tds.LOG_CHUNK:
                flush()
        if chunk:
            flush()
        AtomicJSONStorage(folder / f"progress-{tds._safe(bank.id)}.json").write(
            {**meta, tds.PROGRESS: {"1": progress.to_dict()}})


def main() -> int:
    """Command line, run with quizgame's python: `synth.py bank FOLDER` or `synth.py history SAVE ...`."""
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    bank = commands.add_parser("bank", help="write a synthetic bank folder")
    bank.add_argument("folder")
    bank.add_argument("--questions", type=int, default=20_000)
    bank.add_argument("--sections", type=int, default=50)
    bank.add_argument("--seed", type=int, default=7)
    history = commands.add_parser("history", help="write players with long histories into a save folder")
    history.add_argument("save")
    history.add_argument("--bank", help="bank folder (default: the shipped bank)")
    history.add_argument("--players", required=True, help="comma-separated names")
    history.add_argument("--answers", type=int, required=True, help="answers per player")
    history.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if args.command == "bank":
        print(json.dumps(write_bank(Path(args.folder), args.questions, args.sections, args.seed)))
        return 0

    from quizgame.core.bank import load_bank
    from quizgame.store.tinydb_store import TinyDBStore

    bank_ = load_bank(args.bank) if args.bank else load_bank()
    players = [p.strip() for p in args.players.split(",")]
    write_history(Path(args.save), bank_, players, args.answers, args.seed)
    # Check the files read back through the store as the game reads them.
    store = TinyDBStore(args.save)
    counts = {p: store.progress(p, bank_.id).answers for p in players}
    wrong = {p: n for p, n in counts.items() if n != args.answers}
    if wrong or store.warnings:
        print(f"synth: the store reads back {wrong} (expected {args.answers}); warnings {store.warnings}",
              file=sys.stderr)
        return 1
    files = list(Path(args.save).rglob("*.json"))
    print(json.dumps({"bank": bank_.id, "answers": counts, "files": len(files),
                      "bytes": sum(f.stat().st_size for f in files)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
