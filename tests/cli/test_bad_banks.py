"""A bank file that cannot be read (nested 100,000 deep, a 5,000-digit number) is reported
with its file and what is wrong; it never stops the game from starting."""
from __future__ import annotations

from pathlib import Path

import pytest

from quizgame.cli import main
from quizgame.config import load_banks

BAD = {
    "deep.toml": "a = " + "[" * 100_000 + "]" * 100_000,
    "table-deep.toml": "a = " + "{b = " * 100_000 + "1" + "}" * 100_000,
    "digits.toml": "a = " + "9" * 5000,
    "deep.json": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("name", BAD)
def test_content_check_reports_an_unreadable_bank(tmp_path: Path, name: str, capsys) -> None:
    path = tmp_path / name
    path.write_text(BAD[name])
    assert main(["content", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and ("nested too deeply" in err or "digits" in err or "not valid" in err)
    assert "Traceback" not in err


def test_a_bad_bank_in_banks_is_skipped(tmp_path: Path, capsys) -> None:
    saves = tmp_path / "saves"
    (saves / "banks").mkdir(parents=True)
    for name, text in BAD.items():
        if name.endswith(".toml"):
            (saves / "banks" / name).write_text(text)
    banks, problems = load_banks(saves)
    assert len(banks) == 1 and banks[0].id == "ml-interview"
    assert {Path(p.file).name for p in problems} == {n for n in BAD if n.endswith(".toml")}
    assert main(["leaderboard", "--save-dir", str(saves)]) == 0
