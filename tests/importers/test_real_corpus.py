"""Real public banks, checked against hand-made expectations (tests/fixtures/real/*.toml).

The banks themselves are not in the repository (their text is other people's): place them in
../shared/import-corpus/ (or point QUIZGAME_IMPORT_CORPUS at a folder), named as each TOML's
`file` says; SOURCES.md lists where each comes from. Expectation TOMLs may also sit in that
folder beside the banks. Without the folder these tests are skipped.

Each expectation: the question count a person counted (at least 95% of it must be imported,
never more), the placeholder answers that must not be imported, the format and separator,
and spot checks (a question whose prompt has these words has an answer with those words).
"""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from quizgame.core.importers import import_bank

from .helpers import check_bank_shape, load_result

ROOT = Path(__file__).resolve().parents[2]
EXPECTATIONS = ROOT / "tests" / "fixtures" / "real"
INTACT_SHARE = 0.95  # issue 11: at least 95% of real questions imported intact


def _corpus() -> Path | None:
    configured = os.environ.get("QUIZGAME_IMPORT_CORPUS")
    folder = Path(configured) if configured else ROOT.parent / "shared" / "import-corpus"
    return folder if folder.is_dir() else None


def _expectations() -> list[Path]:
    found = sorted(EXPECTATIONS.glob("*.toml"))
    corpus = _corpus()
    if corpus is not None:
        own = {p.name for p in found}
        found += sorted(p for p in corpus.glob("*.toml") if p.name not in own)
    return found


def _flat(text: str) -> str:
    return " ".join(text.casefold().split())


@pytest.mark.parametrize("expectation", _expectations(), ids=lambda p: p.stem)
def test_a_real_bank_imports_as_a_person_counted_it(expectation: Path, tmp_path: Path) -> None:
    corpus = _corpus()
    if corpus is None:
        pytest.skip("no corpus folder: ../shared/import-corpus/ (or QUIZGAME_IMPORT_CORPUS)")
    want = tomllib.loads(expectation.read_text(encoding="utf-8"))
    bank_file = corpus / want["file"]
    if not bank_file.is_file():
        pytest.skip(f"{want['file']} is not in the corpus folder")
    result = import_bank(bank_file)
    bank = load_result(result, tmp_path)
    check_bank_shape(result, bank)

    assert result.format == want["format"]
    if "separator" in want:
        assert result.separator == want["separator"]
    assert INTACT_SHARE * want["questions"] <= result.questions <= want["questions"], result.skip_reasons
    assert result.skipped >= want.get("skipped_at_least", 0)
    stubs = {_flat(s) for s in want.get("must_not_import", [])}
    for q in bank.questions:
        assert _flat(q.answer) not in stubs, q.prompt
        assert q.answer.strip() and q.prompt.strip()
        assert not re.search(r"\]\(|https?://|\u200b|```", q.prompt + q.answer + q.option), q.prompt
    if "sections" in want:
        assert [s.title for s in bank.sections] == want["sections"]
    for spot in want.get("spot", []):
        matching = [q for q in bank.questions if all(_flat(w) in _flat(q.prompt) for w in spot["prompt_has"])]
        assert matching, f"no question with {spot['prompt_has']}"
        good = [q for q in matching if all(_flat(w) in _flat(q.answer) for w in spot["answer_has"])]
        assert good, f"{spot['prompt_has']}: answers lack {spot['answer_has']}"
        q = good[0]
        if spot.get("answer_is_code"):
            assert "    " in q.answer or "\n" not in q.answer
        if spot.get("no_html"):
            assert "<" not in q.answer and "&nbsp;" not in q.answer
        if spot.get("multiline"):
            assert "\n" in q.answer
        assert "\n" not in q.option and len(q.option) <= 100
