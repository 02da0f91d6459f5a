"""The README's two set-up commands, and CI running the same test command."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_gives_exactly_two_setup_commands():
    play, test = readme_commands()
    assert play.endswith("quizgame") and "pip install ." in play
    assert "pytest" in test and "[test]" in test


def test_ci_runs_the_readme_test_command():
    _, test = readme_commands()
    assert test in ROOT.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines()
