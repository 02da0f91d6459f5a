"""Helpers for the importer tests: the sample files, and loading an import as a bank."""
from __future__ import annotations

import tomllib
from pathlib import Path

from quizgame.core.bank import ID_PATTERN, TOPIC_PATTERN, load_bank
from quizgame.core.text import content_words

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def load_result(result, folder: Path):
    """Write result.toml into `folder` and load it with load_bank, as the game would."""
    path = folder / "imported-bank.toml"
    path.write_text(result.toml, encoding="utf-8")
    return load_bank(path)


def imported(path: Path, folder: Path, **kwargs):
    """Import `path`, load it as the game would and check the import's promises: (result, bank)."""
    from quizgame.core.importers import import_bank

    result = import_bank(path, **kwargs)
    bank = load_result(result, folder)
    check_bank_shape(result, bank)
    return result, bank


def by_prompt(bank, start: str):
    """The one question whose prompt starts with `start`."""
    found = [q for q in bank.questions if q.prompt.startswith(start)]
    assert len(found) == 1, [q.prompt for q in bank.questions]
    return found[0]


def check_bank_shape(result, bank) -> None:
    """What every import promises on top of load_bank passing."""
    doc = tomllib.loads(result.toml)
    assert len(doc["questions"]) == result.questions == len(bank.questions)
    assert result.skipped == len(result.skip_reasons)
    ids = [q.id for q in bank.questions]
    assert len(ids) == len(set(ids))
    for q in bank.questions:
        assert ID_PATTERN.match(q.id)
        assert "\n" not in q.option and 0 < len(q.option) <= 100
        assert q.distractors == ()
        assert 1 <= len(q.topics) <= 4 and all(TOPIC_PATTERN.match(t) for t in q.topics)
        assert 1 <= len(q.ideas) <= 4
        assert 1 <= sum(i.required for i in q.ideas) <= 2
        prompt = content_words(q.prompt)
        for idea in q.ideas:
            assert any(content_words(t) - prompt for t in idea.terms), (q.id, idea)
    orders = [s.order for s in bank.sections]
    assert orders == list(range(1, len(orders) + 1))
