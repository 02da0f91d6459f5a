"""`quizgame content audit --generated`: the options a bank without distractors would get."""
from __future__ import annotations

from quizgame.cli import main


def test_audit_of_the_generated_options(capsys):
    code = main(["content", "audit", "--generated", "--seeds", "2"])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("Audit of ml-interview: 130 items")
    assert "learned ensemble" in out and out.strip().endswith("PASS")


def test_audit_of_the_bank_given_with_the_global_bank_option(tmp_path, capsys):
    """`quizgame --bank X content audit` audits X, as every other command plays X."""
    from tests.core.helpers import make_question, write_bank

    path = write_bank(tmp_path, {"s": [make_question(f"q{n}") for n in range(4)]})
    code = main(["--bank", str(path), "content", "audit", "--seeds", "2"])
    out = capsys.readouterr().out
    assert code in (0, 1) and out.startswith("Audit of ") and "Audit of ml-interview" not in out
    assert "8 items" in out
