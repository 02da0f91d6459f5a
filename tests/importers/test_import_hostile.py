"""Files that are empty, binary, huge, badly encoded or half-finished: a clear Problem or a sound bank."""
from __future__ import annotations

import os
import time

import pytest

from quizgame.bankwrite import write_bank
from quizgame.core.importers import MAX_BYTES, MAX_QUESTIONS, ImportFailed, import_bank

from .helpers import FIXTURES, check_bank_shape, load_result

QA_TEXT = """Basics
What is overfitting?
Learning noise in the training data, so the model fails on new data.
2. What is underfitting?

A model too simple to capture the pattern, with high training error.
3. What is a validation set?

Held-out data used to tune hyperparameters and pick a model.
4. What is cross-entropy?

The negative log-likelihood of the true class under the predicted distribution.
"""


def _problems(path, fmt="auto", **kwargs) -> list:
    with pytest.raises(ImportFailed) as caught:
        import_bank(path, fmt, **kwargs)
    assert caught.value.problems and str(caught.value)
    for problem in caught.value.problems:
        assert not problem.message.startswith("internal error"), problem
    return caught.value.problems


def _message(path, fmt="auto", **kwargs) -> str:
    return " | ".join(p.message for p in _problems(path, fmt, **kwargs))


# -- unreadable input ------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n \r\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    assert _message(path) == "empty file"


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    b"What is X?\tIt is \x00 Y.\n" * 10,
    bytes(range(1, 32)) * 100,  # no NUL, but nothing like text either
])
def test_binary_file(tmp_path, content):
    path = tmp_path / "image.txt"
    path.write_bytes(content)
    assert "binary file" in _message(path)


def test_missing_file_and_folder(tmp_path):
    assert _message(tmp_path / "nope.md") == "no such file"
    assert "folder" in _message(tmp_path)


def test_unknown_format_and_empty_section_title(tmp_path):
    path = tmp_path / "qa.txt"
    path.write_text(QA_TEXT, encoding="utf-8")
    assert "unknown format 'docx'" in _message(path, "docx")
    assert "section title is empty" in _message(path, section_title="  ")


def test_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # a sparse file: instant, whatever its size
        handle.truncate(MAX_BYTES + 1)
    started = time.perf_counter()
    message = _message(path)
    assert "too large" in message and "20 MB" in message
    assert time.perf_counter() - started < 1


def test_a_10_mb_markdown_file_imports_in_seconds(tmp_path):
    """About 2,000 questions with long answers and code blocks: the work per answer is bounded."""
    answer = ("Regularisation trades a little bias for less variance by penalising large weights, "
              "so the model generalises to data it has not seen. ") * 30
    code = "```python\n" + "loss = loss + lam * sum(w ** 2 for w in weights)\n" * 20 + "```\n"
    parts = ["# Huge collection\n"]
    size, n = 0, 0
    while size < 10 * 2**20:
        n += 1
        if n % 400 == 1:
            parts.append(f"\n## Part {n // 400 + 1}\n")
        block = f"\n### {n}. What does penalty number {n} do to the weights?\n\n{answer}\n\n{code}"
        parts.append(block)
        size += len(block)
    path = tmp_path / "huge.md"
    path.write_text("".join(parts), encoding="utf-8")
    started = time.perf_counter()
    result = import_bank(path)
    elapsed = time.perf_counter() - started
    assert result.questions == n and 2 <= len(result.sections) <= 4  # a quarter open, the rest in file order
    assert elapsed < 20, f"{elapsed:.1f}s"


def test_a_10_mb_file_of_tiny_questions_is_refused_quickly(tmp_path):
    block = "".join(f"{n}. Is {n} a number?\n\nYes, {n} is a whole number.\n" for n in range(2, 2000))
    path = tmp_path / "dense.txt"
    path.write_text(("Numbers\nIs one a number?\nYes it is.\n" + block) * (10 * 2**20 // len(block) + 1),
                    encoding="utf-8")
    assert path.stat().st_size > 10 * 2**20
    started = time.perf_counter()
    message = _message(path)
    assert f"at most {MAX_QUESTIONS}" in message and "split the file" in message
    assert time.perf_counter() - started < 10


# -- encodings and line endings --------------------------------------------------------------


def test_latin1_bytes_fall_back_to_cp1252_with_a_note(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(QA_TEXT.replace("What is overfitting?", "What is a café-style résumé?").encode("latin-1"))
    result = import_bank(path)
    assert any("not UTF-8" in note and "line 2" in note and "Windows-1252" in note for note in result.notes)
    bank = load_result(result, tmp_path)
    assert bank.questions[0].prompt == "What is a café-style résumé?"


def test_bytes_that_are_neither_utf8_nor_cp1252_give_the_line(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(QA_TEXT.encode() + b"5. What is \x81 here?\n\nNo one knows.\n")
    (problem,) = _problems(path)
    assert problem.line == QA_TEXT.count("\n") + 1
    assert "not UTF-8" in problem.message and "0x81" in problem.message


def test_bom_crlf_and_cr_give_the_same_bank(tmp_path):
    banks = []
    for name, data in {
        "lf": QA_TEXT.encode(),
        "bom": b"\xef\xbb\xbf" + QA_TEXT.encode(),
        "crlf": QA_TEXT.replace("\n", "\r\n").encode(),
        "cr": QA_TEXT.replace("\n", "\r").encode(),
        "utf16": QA_TEXT.encode("utf-16"),
    }.items():
        folder = tmp_path / name
        folder.mkdir()
        path = folder / "qa.txt"
        path.write_bytes(data)
        result = import_bank(path)
        check_bank_shape(result, load_result(result, folder))
        banks.append(result.toml)
        assert "\r" not in result.toml
    assert len(set(banks)) == 1


def test_bom_before_a_csv_header(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "questions.csv").read_bytes().replace(b"\n", b"\r\n"))
    result = import_bank(path)
    assert result.format == "csv" and result.questions == 6


# -- half-finished content -------------------------------------------------------------------


def test_unclosed_code_block_runs_to_the_end_of_the_file(tmp_path):
    path = tmp_path / "unclosed.md"
    path.write_text("""# Snippets

## Python

**What does a list comprehension build?**

A new list from an iterable, in one expression.

**What does `zip` return?**

An iterator of tuples pairing up the elements of its arguments.

**What is a generator?**

A function that yields values lazily, one at a time.

**How do you reverse a list?**

Slice it with a step of minus one:

```python
items[::-1]

## Not a heading: still inside the code block

**Not a question?**
""", encoding="utf-8")
    result = import_bank(path)
    assert result.questions == 4
    bank = load_result(result, tmp_path)
    last = bank.questions[-1]
    assert last.prompt == "How do you reverse a list?"
    assert "items[::-1]" in last.answer and "## Not a heading" in last.answer
    assert "**Not a question?**" in last.answer


@pytest.mark.parametrize("fmt, text", [
    ("markdown", "## Q\n\n**What is A?**\n\nAlpha.\n\n**What is B?**\n\n<br/>\n![img](b.png)\n\n"
                 "**What is C?**\n\nGamma.\n\n**What is D?**\n\nDelta.\n\n**What is E?**\n\nEpsilon.\n"),
    ("text", "S\nWhat is A?\nAlpha.\n2. What is B?\n\n3. What is C?\n\nGamma.\n4. What is D?\n\nDelta.\n"
             "5. What is E?\n\nEpsilon.\n"),
    ("anki", "#separator:tab\nWhat is A?\tAlpha.\nWhat is B?\t<br><img src='x.png'>\nWhat is C?\tGamma.\n"
             "What is D?\tDelta.\nWhat is E?\tEpsilon.\n"),
    ("quizlet", "A\tAlpha.\nB\t\nC\tGamma.\nD\tDelta.\nE\tEpsilon.\n"),
    ("csv", "question,answer\nWhat is A?,Alpha.\nWhat is B?,\nWhat is C?,Gamma.\nWhat is D?,Delta.\n"
            "What is E?,Epsilon.\n"),
])
def test_a_question_without_an_answer_is_skipped_and_counted(tmp_path, fmt, text):
    path = tmp_path / "qa.txt"
    path.write_text(text, encoding="utf-8")
    result = import_bank(path, fmt)
    assert (result.questions, result.skipped) == (4, 1)
    (skip,) = result.skip_reasons
    assert "no answer" in skip.message and "B" in skip.message and skip.line is not None


def test_an_answer_that_only_repeats_the_question_is_skipped(tmp_path):
    path = tmp_path / "qa.txt"
    path.write_text(QA_TEXT + "5. Is dropout dropout?\n\nDropout is dropout.\n6. Is it?\n\nIt is.\n",
                    encoding="utf-8")
    result = import_bank(path)
    repeats, empty = (p.message for p in result.skip_reasons)
    assert result.questions == 4
    assert "only repeats the question" in repeats and "Is dropout dropout?" in repeats
    assert "no words to grade on" in empty and "Is it?" in empty


def test_fewer_than_four_questions_cannot_make_a_bank(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("question,answer\nWhat is A?,Alpha.\nWhat is B?,Beta.\nWhat is C?,\n", encoding="utf-8")
    problems = _problems(path)
    assert "found 2 questions" in problems[0].message and "at least 4" in problems[0].message
    assert any("no answer" in p.message for p in problems[1:])


def test_prompts_without_ascii_words_get_stable_ids(tmp_path):
    path = tmp_path / "cards.txt"
    path.write_text("過学習\t訓練データのノイズまで学習してしまうこと\n正則化\t重みに罰則を加えて過学習を防ぐ手法\n"
                    "勾配\t損失関数の傾き\nエポック\t訓練データ全体を一巡すること\n", encoding="utf-8")
    result = import_bank(path)
    bank = load_result(result, tmp_path)
    assert all(q.id.startswith("q-") for q in bank.questions)
    assert import_bank(path).toml == result.toml


# -- writing ---------------------------------------------------------------------------------


def test_write_bank_writes_a_loadable_file_and_refuses_to_overwrite(tmp_path):
    result = import_bank(FIXTURES / "questions.csv")
    out = tmp_path / "bank.toml"
    assert write_bank(result.toml, out) == out
    assert out.read_text(encoding="utf-8") == result.toml
    check_bank_shape(result, load_result(result, tmp_path))

    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        write_bank(result.toml, out)
    assert "already exists" in caught.value.problems[0].message
    assert out.read_text(encoding="utf-8") == "keep me"

    write_bank(result.toml, out, force=True)
    assert out.read_text(encoding="utf-8") == result.toml
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.toml", "imported-bank.toml"]  # no temp files


def test_a_written_bank_is_readable_by_the_machines_other_players(tmp_path):
    result = import_bank(FIXTURES / "questions.csv")
    mask = os.umask(0o027)
    try:
        write_bank(result.toml, tmp_path / "bank.toml")
    finally:
        os.umask(mask)
    assert (tmp_path / "bank.toml").stat().st_mode & 0o777 == 0o640  # as any new file under that umask


def test_write_bank_into_a_missing_folder_or_onto_a_folder_writes_nothing(tmp_path):
    result = import_bank(FIXTURES / "questions.csv")
    with pytest.raises(ImportFailed) as caught:
        write_bank(result.toml, tmp_path / "missing" / "bank.toml")
    assert "does not exist" in caught.value.problems[0].message
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(ImportFailed) as caught:
        write_bank(result.toml, tmp_path / "folder.toml", force=True)
    assert "is a folder" in caught.value.problems[0].message
    assert [p.name for p in tmp_path.iterdir()] == ["folder.toml"]
    assert list((tmp_path / "folder.toml").iterdir()) == []


def test_a_failed_write_leaves_neither_the_file_nor_a_temp_file(tmp_path, monkeypatch):
    result = import_bank(FIXTURES / "questions.csv")
    out = tmp_path / "bank.toml"
    out.write_text("old bank", encoding="utf-8")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ImportFailed) as caught:
        write_bank(result.toml, out, force=True)
    assert "cannot write: No space left on device" in caught.value.problems[0].message
    assert [p.name for p in tmp_path.iterdir()] == ["bank.toml"]
    assert out.read_text(encoding="utf-8") == "old bank"
