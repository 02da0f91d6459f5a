"""What a served game process imports: one process per player, so every module it need not load
is memory each player saves (issue 14). Run in a fresh interpreter each."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(body: str, tmp: Path) -> list[str]:
    script = f"import json, sys\n{body}\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "QUIZGAME_SAVE_DIR": str(tmp / "saves")}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=env)
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return modules


def test_stemming_loads_the_english_stemmer_alone(tmp_path: Path) -> None:
    body = """
from quizgame.core.text import stem
assert stem("running") == "run" and stem("optimizers") == "optim"
"""
    loaded = [m for m in _modules_after(body, tmp_path) if m.split(".")[0] == "snowballstemmer"]
    assert "snowballstemmer.english_stemmer" in loaded
    assert not [m for m in loaded if m.endswith("_stemmer") and m != "snowballstemmer.english_stemmer"]
    assert "snowballstemmer" not in loaded  # the half-imported package is not left behind


def test_snowballstemmer_still_imports_whole_after_the_english_stemmer(tmp_path: Path) -> None:
    body = """
from quizgame.core.text import stem
stem("running")
import snowballstemmer
assert snowballstemmer.stemmer("english").stemWord("running") == "run"
assert snowballstemmer.stemmer("french").stemWord("mangeons") == "mangeon"
"""
    assert "snowballstemmer.french_stemmer" in _modules_after(body, tmp_path)


def test_first_stems_on_several_threads_at_once(tmp_path: Path) -> None:
    body = """
import threading
from quizgame.core.text import stem
words = ["running", "optimizers", "gradients", "attention", "layers", "tokens", "trained", "values"]
stems = {}
threads = [threading.Thread(target=lambda w=w: stems.__setitem__(w, stem(w))) for w in words]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert stems["running"] == "run" and len(stems) == len(words), stems
"""
    loaded = [m for m in _modules_after(body, tmp_path) if m.split(".")[0] == "snowballstemmer"]
    assert "snowballstemmer.english_stemmer" in loaded and "snowballstemmer" not in loaded
