"""Escape sequences in save files and banks never reach the terminal: every control character
is shown instead of sent, by every printing command."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from quizgame.cli import main
from quizgame.core.printable import printable
from quizgame.store.tinydb_store import TinyDBStore

HOSTILE = "\x1b]0;pwned\x07\r\x1b[2J\x9b31m\u202eevil\x7f!"
# Anything a terminal acts on: C0 but newline, DEL, C1, bidi overrides and isolates.
_ACTS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini"


@given(st.text())
def test_printable_leaves_nothing_a_terminal_acts_on(text):
    shown = printable(text)
    assert not _ACTS.search(shown) and "\n" not in shown
    shown.encode("utf-8")  # no lone surrogate either
    assert printable(text, lines=True).count("\n") == text.count("\n")
    if not _ACTS.search(text) and "\n" not in text and text.isprintable():
        assert shown == text  # plain text is untouched


def test_printable_shows_what_it_replaces():
    assert printable("a\x1b[2Jb") == "a␛[2Jb"
    assert printable("\x9b\u202e\x7f") == "<U+009B><U+202E>␡"
    assert printable("bad\udcffname") == "bad<\\xff>name"


def _hostile_player(saves: Path) -> None:
    """A housemate writes a player file by hand: the name carries escape sequences."""
    store = TinyDBStore(saves)
    store.add_player("Ana")
    folder = saves / "players" / "zz-hostile"
    folder.mkdir()
    (folder / "player.json").write_text(json.dumps(
        {"_meta": {"1": {"schema": 1}}, "player": {"1": {"name": f"Eve{HOSTILE}", "joined": "2026-01-01"}}}))


def test_leaderboard_and_stats_show_escapes(tmp_path, capsys):
    saves = tmp_path / "saves"
    _hostile_player(saves)
    assert main(["leaderboard", "--save-dir", str(saves)]) == 0
    out = capsys.readouterr().out
    assert "Eve␛]0;pwned␇" in out and not _ACTS.search(out)
    assert main(["leaderboard", "--json", "--save-dir", str(saves)]) == 0
    out = capsys.readouterr().out
    assert not _ACTS.search(out)
    assert any(p["player"] == f"Eve{HOSTILE}" for p in json.loads(out)["players"])  # JSON escapes, same data
    assert main(["stats", "--player", f"Eve{HOSTILE}", "--save-dir", str(saves)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Eve␛") and not _ACTS.search(out)
    assert main(["stats", "--json", "--player", f"Eve{HOSTILE}", "--save-dir", str(saves)]) == 0
    assert not _ACTS.search(capsys.readouterr().out)


def test_store_warnings_show_escapes(tmp_path, capsys):
    saves = tmp_path / "saves"
    _hostile_player(saves)
    bad = saves / "players" / f"x{HOSTILE}"
    bad.mkdir()
    (bad / "player.json").write_text("{")
    TinyDBStore(saves)
    err = capsys.readouterr().err
    assert "damaged" in err.lower() or "not valid JSON" in err
    assert not _ACTS.search(err)


def test_content_check_and_import_show_escapes(tmp_path, capsys):
    bank = tmp_path / "bank"
    shutil.copytree(MINI, bank)
    first = bank / "1-basics.json"
    data = json.loads(first.read_text())
    data["section"]["title"] = f"Basics{HOSTILE}"
    first.write_text(json.dumps(data))
    assert main(["content", "check", str(bank)]) == 0
    out = capsys.readouterr().out
    assert "Basics␛" in out and not _ACTS.search(out)
    data["questions"][0]["id"] = f"bad id{HOSTILE}"
    first.write_text(json.dumps(data))
    assert main(["content", "check", str(bank)]) == 1
    assert not _ACTS.search(capsys.readouterr().err)
    notes = tmp_path / f"notes{HOSTILE}.md"
    notes.write_text(f"# Q{HOSTILE}\n\nnot a question\n")
    main(["import", str(notes), "--out", str(tmp_path / "out.toml")])
    captured = capsys.readouterr()
    assert not _ACTS.search(captured.out + captured.err)
