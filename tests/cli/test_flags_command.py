"""`quizgame content flags`: what players flagged, for the bank's author."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from quizgame.cli import main
from quizgame.core.flags import new_flag
from quizgame.store.tinydb_store import TinyDBStore

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_no_flags_yet(capsys, tmp_path):
    code, out, _ = run(capsys, "content", "flags", "--save-dir", str(tmp_path))
    assert code == 0 and "No flags" in out


def test_flags_listed_most_flagged_first_with_the_options_seen(capsys, tmp_path):
    store = TinyDBStore(tmp_path)
    for name in ("Ana", "Bo"):
        store.add_player(name)
    seen = ("right one", "wrong one", "also\x1b[31m right?", "wrong two")
    store.record_flag("Ana", "ml-interview", new_flag("tf-dropout", "also-right", NOW, seen, 2))
    store.record_flag("Bo", "ml-interview", new_flag("tf-dropout", "also-right", NOW, seen, 2))
    store.record_flag("Ana", "ml-interview", new_flag("rl-mdp", "unclear", NOW))
    code, out, _ = run(capsys, "content", "flags", "--save-dir", str(tmp_path))
    assert code == 0
    assert out.index("tf-dropout: another option is also right ×2") < out.index("rl-mdp: this question is unclear ×1")
    assert "also␛[31m right?" in out and "\x1b" not in out and "(Ana, Bo;" in out
    code, out, _ = run(capsys, "content", "flags", "--save-dir", str(tmp_path), "--bank", "ml-interview", "--json")
    data = json.loads(out)
    assert data["flags"][0]["question"] == "tf-dropout" and data["flags"][0]["count"] == 2


def test_unknown_bank_is_a_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, "content", "flags", "--save-dir", str(tmp_path), "--bank", "nope")
    assert code == 2 and "no bank 'nope'" in err
