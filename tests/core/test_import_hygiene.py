"""The documented API and the printing commands never pull in the UI (textual) or the store (tinydb)."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import quizgame

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "quizgame" / "core"
HEAVY = ("textual", "tinydb")

LOADED = """
import json, sys
{body}
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
print(json.dumps(heavy))
"""


def _heavy_modules_after(body: str, tmp: Path) -> list[str]:
    script = LOADED.format(body=body, heavy=set(HEAVY))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "QUIZGAME_SAVE_DIR": str(tmp / "saves")}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_documented_api_imports_neither_textual_nor_tinydb(tmp_path):
    body = """
import quizgame
b = quizgame.load_bank()
q = b.questions[0]
quizgame.grade(q, "x")
quizgame.multiple_choice(q, b, seed=1)
"""
    assert _heavy_modules_after(body, tmp_path) == []


def test_cli_module_and_parser_import_neither_textual_nor_tinydb(tmp_path):
    body = """
import quizgame.cli
quizgame.cli.build_parser()
"""
    assert _heavy_modules_after(body, tmp_path) == []


def test_content_check_command_imports_neither_textual_nor_tinydb(tmp_path):
    body = """
import contextlib, io
import quizgame.cli
with contextlib.redirect_stdout(io.StringIO()):
    assert quizgame.cli.main(["content", "check"]) == 0
"""
    assert _heavy_modules_after(body, tmp_path) == []


def _imported(path: Path) -> set[str]:
    """Every module name the file imports, at any depth (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names.add(str(node.args[0].value))
    return names


def _forbidden(name: str) -> bool:
    # The UI and the store import textual and tinydb, so core may not import them either.
    return name.split(".")[0] in HEAVY or name.startswith(("quizgame.ui", "quizgame.store"))


CORE_MODULES = sorted(CORE.rglob("*.py"))


def test_core_has_modules_to_scan():
    names = {p.name for p in CORE_MODULES}
    assert {"bank.py", "grading.py", "choices.py", "rounds.py", "session.py"} <= names


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_never_imports_ui_or_store(path):
    assert sorted(n for n in _imported(path) if _forbidden(n)) == []


def test_public_api_is_exported():
    for name in ("load_bank", "grade", "multiple_choice", "BankError", "Bank", "Question", "__version__"):
        assert hasattr(quizgame, name)


def test_scanner_sees_imports_inside_functions():
    assert any(_forbidden(n) for n in _imported(ROOT / "quizgame" / "store" / "tinydb_store.py"))
    assert "quizgame.ui.app" in _imported(ROOT / "quizgame" / "cli.py")  # imported inside run_game
