"""Whatever the bytes, import_bank returns a bank that load_bank accepts, or raises ImportFailed."""
from __future__ import annotations

import csv
import io
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgame.core.bank import BankError, load_bank
from quizgame.core.importers import FORMATS, ImportFailed, import_bank
from quizgame.core.importers.tomlout import basic, multiline

from .helpers import check_bank_shape

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SMALL = settings(SETTINGS, max_examples=40)
SUFFIX = {"text": ".txt", "markdown": ".md", "anki": ".txt", "quizlet": ".txt", "csv": ".csv", "auto": ".txt"}


def _import_or_fail(data: bytes, fmt: str):
    """Import `data`; on success the bank must load and keep its promises. Returns the result or None."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{SUFFIX[fmt]}"
        path.write_bytes(data)
        try:
            result = import_bank(path, fmt)
        except ImportFailed as failed:
            assert failed.problems
            for problem in failed.problems:
                assert not problem.message.startswith("internal error"), problem
            return None
        out = Path(folder) / "out.toml"
        out.write_text(result.toml, encoding="utf-8")
        try:
            bank = load_bank(out)
        except BankError as exc:  # pragma: no cover - a failure here is the bug the test looks for
            pytest.fail(f"import gave a bank that does not load: {exc}")
        check_bank_shape(result, bank)
        return result


# -- arbitrary input -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ("auto",) + FORMATS)
@SETTINGS
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes(fmt, data):
    _import_or_fail(data, fmt)


@pytest.mark.parametrize("fmt", ("auto",) + FORMATS)
@SETTINGS
@given(text=st.text(max_size=600))
def test_arbitrary_text(fmt, text):
    _import_or_fail(text.encode("utf-8", "surrogatepass"), fmt)


# -- arbitrary content in each format's shape -------------------------------------------------

# Words with the characters that break naive writers: quotes, backslashes, tabs, markup, emoji.
WORD = st.one_of(
    st.sampled_from(["gradient", "attention", "softmax", "norm", "ReLU", "x", "it", "is", "the", "Q:", "1.",
                     '"quoted"', "back\\slash", "C:\\path", "tab\there", "'", '"""', "**", "#", "<br/>", "&amp;",
                     "👶", "🚀", "(hard)", "é", "ß", "中文", "\u2028", "--", "```", "|", ",", ";", "{{c1::x}}",
                     "\x1b[0m", "\ufeff", "[link](http://x.y)", "![img](a.png)", "<details>", "&#x27;"]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=8),
)
SENTENCE = st.lists(WORD, min_size=1, max_size=12).map(" ".join)
# Each question is anchored by words of its own, so most generated files make a bank and the
# hostile words travel all the way into the TOML.
PAIRS = st.lists(st.tuples(SENTENCE, SENTENCE), min_size=2, max_size=6).map(
    lambda pairs: [(f"What is concept{n} {q}", f"{a} it involves mechanism{n} and detail{n}")
                   for n, (q, a) in enumerate(pairs)])
SECTIONS = st.lists(st.tuples(SENTENCE, PAIRS), min_size=1, max_size=3)


def _text(sections) -> str:
    out = []
    for k, (_, pairs) in enumerate(sections, 1):
        out.append(f"Part {k}")  # random titles rarely look like titles, and that is not under test here
        for n, (q, a) in enumerate(pairs, 1):
            out += [q if n == 1 else f"{n}. {q}", "", a] if n > 1 else [q, a]
    return "\n".join(out)


def _markdown(sections) -> str:
    out = ["# Questions"]
    for title, pairs in sections:
        out += [f"## {title}", ""]
        for n, (q, a) in enumerate(pairs, 1):
            out += [f"**{q}?**" if n % 2 else f"### {n}. {q}?", "", a, "", "```", a, "```", ""]
    return "\n".join(out + ["```", "an unclosed code block runs to the end"])


def _anki(sections) -> str:
    buffer = io.StringIO()
    buffer.write("#separator:tab\n#html:true\n#columns:Front\tBack\tTags\n#tags column:3\n")
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")  # Anki quotes fields the same way
    for title, pairs in sections:
        writer.writerows([q, f"{a}<br>{a}", title] for q, a in pairs)
    return buffer.getvalue()


def _quizlet(sections) -> str:
    return "\n".join(f"{q}\t{a}" for _, pairs in sections for q, a in pairs)


def _csv(sections) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Question", "Answer", "Section", "Tags", "Difficulty"])
    for title, pairs in sections:
        for n, (q, a) in enumerate(pairs):
            writer.writerow([q, a, title, f"{title}, {a[:10]}", ["easy", "3", "hard", "", "x"][n % 5]])
    return buffer.getvalue()


SHAPES = {"text": _text, "markdown": _markdown, "anki": _anki, "quizlet": _quizlet, "csv": _csv}


@pytest.mark.parametrize("fmt", FORMATS)
@SMALL
@given(sections=SECTIONS)
def test_format_shaped_input(fmt, sections):
    text = SHAPES[fmt](sections)
    result = _import_or_fail(text.encode("utf-8", "surrogatepass"), fmt)
    if result is not None:
        written = sum(len(pairs) for _, pairs in sections)
        # In plain text and Markdown an answer line may itself read as a question
        # ("# Q: ..." is a heading), so those formats may find more than were written.
        assert result.questions + result.skipped <= written + (written if fmt in ("text", "markdown") else 0)


@pytest.mark.parametrize("fmt", FORMATS)
@SMALL
@given(sections=SECTIONS, ending=st.sampled_from(["\n", "\r\n", "\r"]), bom=st.booleans())
def test_line_endings_and_bom_do_not_matter(fmt, sections, ending, bom):
    text = SHAPES[fmt](sections)
    plain = _import_or_fail(text.encode("utf-8", "surrogatepass"), fmt)
    if "\r" in text or "\u2028" in text or "\x85" in text:
        return  # the text itself holds line breaks of another kind
    data = text.replace("\n", ending).encode("utf-8", "surrogatepass")
    other = _import_or_fail((b"\xef\xbb\xbf" if bom else b"") + data, fmt)
    assert (plain is None) == (other is None)
    if plain is not None:
        assert plain.toml == other.toml


# -- the TOML writer -------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_toml_strings_round_trip(text):
    expected = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    doc = tomllib.loads(f"a = {basic(text)}\nb = {multiline(text)}\n")
    assert doc["a"] == expected
    assert doc["b"] in (expected, expected + "\n")
