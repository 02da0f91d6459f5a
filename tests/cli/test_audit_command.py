"""`quizgame content audit --generated`: the options a bank without distractors would get."""
from __future__ import annotations

from quizgame.cli import main


def test_audit_of_the_generated_options(capsys):
    code = main(["content", "audit", "--generated", "--seeds", "2"])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("Audit of ml-interview: 130 items")
    assert "learned ensemble" in out and out.strip().endswith("PASS")
