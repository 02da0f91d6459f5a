"""The layouts and defects found in real public banks (tests/fixtures/real/SOURCES.md), each
reproduced by a small hand-made file in tests/fixtures/layouts/."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgame.cli import main
from quizgame.core.importers import ImportFailed, import_bank
from quizgame.core.importers.markup import (
    _TextOfHtml,
    html_to_text,
    latex_to_text,
    tidy,
)
from quizgame.core.importers.sections import ROUND_SIZE
from quizgame.core.progress import Progress
from quizgame.core.rounds import plan_round

from .helpers import by_prompt, imported, load_result

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"


def _bank(name: str, tmp_path: Path, **kwargs):
    return imported(LAYOUTS / name, tmp_path, **kwargs)


def _everything(bank) -> str:
    return "\n".join(q.prompt + "\n" + q.answer + "\n" + q.option for q in bank.questions)


# -- 1. subheadings and layouts ----------------------------------------------------------------


def test_answers_that_open_with_subheadings_are_kept_and_their_subheadings_are_not_sections(tmp_path):
    result, bank = _bank("subheadings.md", tmp_path)
    assert result.questions == 11 and result.skipped == 1          # question 12 is a TODO
    attention = by_prompt(bank, "What is self-attention?")
    assert attention.answer.startswith("Self-attention lets every token")  # not "Explanation"
    assert "softmax((QK^T)/(√(d_k)))V" in attention.answer            # a formula under "#### Formula"
    assert "Formula" not in attention.answer and "Code" not in attention.answer  # labels are not content
    assert "    def attention(q, k, v):" in attention.answer             # the fence kept as code
    assert "```" not in _everything(bank)
    order = by_prompt(bank, "Why do transformers need positional encodings?")
    assert order.prompt.endswith("?")                                  # the zero-width space is gone
    assert order.answer.startswith("Attention by itself ignores order")
    heads = by_prompt(bank, "How does multi-head attention differ")
    assert "Key points" not in heads.answer and "- heads run in parallel" in heads.answer
    assert "Explore all" not in _everything(bank) and "Every answer" not in _everything(bank)
    assert len(bank.sections) == 1  # 11 questions: one first round, never a locked subheading


def test_bold_number_layouts_read_each_numbered_question(tmp_path):
    result, bank = _bank("bold-numbers.md", tmp_path)
    assert result.questions == 9 and result.skipped == 1
    assert by_prompt(bank, "The number of orders.").answer.strip() == "SELECT count(*) FROM orders;"
    mean = by_prompt(bank, "Mean. Compute the mean")
    assert mean.answer.splitlines()[:2] == ["def mean(xs):", "        return sum(xs) / len(xs)"]
    assert {t for q in bank.questions for t in q.topics} == {"queries", "coding"}
    assert "placeholder answer 'Answer here'" in result.skip_reasons[0].message


def test_bold_term_flashcards_become_cards(tmp_path):
    result, bank = _bank("glossary.md", tmp_path)
    assert result.questions == 10 and result.skipped == 1
    assert by_prompt(bank, "Overfitting").answer.startswith("A model fits the noise")
    assert by_prompt(bank, "Regularization").answer.startswith("a penalty on model complexity")
    assert by_prompt(bank, "Learning rate").answer.startswith("the step size")
    assert "Gradient clipping" in result.skip_reasons[0].message  # an ellipsis is not an answer


# -- 2. placeholders -----------------------------------------------------------------------------


@pytest.mark.parametrize("stub", ["Answer here", "TODO", "…", "...", "TBD", "[Answer](https://example.org/a)",
                                  "https://example.org/answer", "Coming soon!", "_To be added_"])
def test_placeholders_are_skipped_with_their_reason(tmp_path, stub):
    path = tmp_path / "bank.md"
    questions = [f"**What is topic number {n}?**\n\nTopic {n} is about widgets of kind {n}.\n" for n in range(5)]
    path.write_text("# Bank\n\n" + "\n".join(questions) + f"\n**What is the stub?**\n\n{stub}\n", encoding="utf-8")
    result = import_bank(path)
    assert result.questions == 5 and result.skipped == 1
    assert "stub" in result.skip_reasons[0].message and result.skip_reasons[0].line == 23


# -- 3. links -------------------------------------------------------------------------------------


def test_links_keep_their_text_and_pointer_links_and_addresses_vanish(tmp_path):
    path = tmp_path / "links.md"
    path.write_text(
        "# Links\n\n"
        "#### 1) What is dropout? [[src](https://example.org/dropout-regularization-trick)]\n"
        "[[Answer]](https://example.org/answers/dropout-explained)\n\n"
        "Randomly zeroing units while training, described in [the dropout paper](https://example.org/paper).\n\n"
        "#### 2) What is a learning rate schedule? [[src](https://example.org/src)]\n"
        "It changes the step size during training, see https://example.org/schedules-cosine-warmup for more.\n\n"
        "#### 3) Reverse a linked list in place. [[src](https://example.org/src)]\n\n"
        "[[Answer]](https://example.org/reverse-linked-list)\n\n"
        "#### 4) What is an epoch?\nOne pass over the training data.\n\n"
        "#### 5) What is a batch?\nThe examples used for one gradient step.\n\n"
        "#### 6) What is a loss?\nA number that says how wrong the predictions are.\n",
        encoding="utf-8")
    result = import_bank(path)
    bank = load_result(result, tmp_path)
    everything = _everything(bank)
    for leftover in ("[", "](", "http", "example.org", "src", "dropout-explained", "cosine-warmup"):
        assert leftover not in everything
    dropout = by_prompt(bank, "What is dropout?")
    assert dropout.answer == "Randomly zeroing units while training, described in the dropout paper."
    terms = {t for q in bank.questions for idea in q.ideas for t in idea.terms}
    assert not {"example", "org", "cosine warmup", "src"} & terms
    assert result.skipped == 1 and "only a link" in result.skip_reasons[0].message


# -- 4. HTML, code and formulas -----------------------------------------------------------------


def test_html_in_anki_fields_is_cleaned_and_subscripts_stay_readable(tmp_path):
    result, bank = _bank("anki-html.txt", tmp_path)
    assert result.format == "anki" and result.separator == "semicolon"
    assert by_prompt(bank, "What does softmax return?").answer == (
        "A probability distribution:\neach output is e^z_i divided by the sum of all e^z.")
    assert by_prompt(bank, "Which loss suits").answer == "Binary cross-entropy, on a sigmoid output."
    code = by_prompt(bank, "What does this print?")
    assert code.prompt == "What does this print?\n    print(sum(range(4)))" or "print(sum" in code.prompt
    assert by_prompt(bank, 'Explain "teacher forcing"; when is it used?')
    assert "<" not in _everything(bank) and "&nbsp;" not in _everything(bank)
    reasons = " ".join(p.message for p in result.skip_reasons)
    assert "Answer here" in reasons and "only a link" in reasons


def test_html_to_text_keeps_breaks_code_and_scripts_readable():
    assert html_to_text("a<br>b<div>c</div>&nbsp;d") == "a\nb\nc\nd"
    assert html_to_text("x<sub>i</sub> + y<sup>2</sup>") == "x_i + y^2"
    assert html_to_text("<pre><code>if x:\n    y()</code></pre>") == "    if x:\n        y()"
    assert html_to_text("<ul><li>one</li><li>two</li></ul>") == "- one\n- two"
    assert html_to_text("<script>alert(1)</script>ok") == "ok"
    assert html_to_text("a < b and c > d") == "a < b and c > d"


def test_formulas_become_readable_text():
    assert latex_to_text(r"$\frac{a}{b}$") == "a/b"
    assert latex_to_text(r"$\sqrt{d_k}$ and $\alpha \cdot x^{2}$") == "√(d_k) and α · x^2"
    assert latex_to_text("costs $5 and $6") == "costs $5 and $6"  # prices are not formulas


def test_code_stays_out_of_one_line_options(tmp_path):
    _, bank = _bank("bold-numbers.md", tmp_path)
    for q in bank.questions:
        assert "\n" not in q.option and "```" not in q.option
    assert by_prompt(bank, "Mean.").option == "def mean(xs):"  # a first line, never a flattened block


# -- 5. separators ------------------------------------------------------------------------------


def test_a_pipe_glossary_splits_on_pipes_and_keeps_commas(tmp_path):
    result, bank = _bank("pipe-glossary.txt", tmp_path)
    assert result.format == "anki" and result.separator == "pipe" and result.questions == 12
    assert by_prompt(bank, "Gradient descent").answer.startswith("An optimisation method that steps against the "
                                                                  "gradient, e.g. with a learning rate of 0.01")


def test_a_headerless_semicolon_deck_follows_ankis_rule_not_the_commas(tmp_path):
    result, bank = _bank("semicolon-deck.txt", tmp_path)
    assert result.format == "anki" and result.separator == "semicolon" and result.questions == 8
    assert by_prompt(bank, "Bias").answer == "The error from wrong assumptions, such as a straight line for a " \
                                              "curved relation"


def test_the_separator_option_overrides_detection(tmp_path):
    path = tmp_path / "deck.txt"
    path.write_text("".join(f"term {n}: part a; part b, the definition of term {n} in words\n" for n in range(6)),
                    encoding="utf-8")
    result = import_bank(path, separator="colon")
    assert result.separator == "colon"
    bank = load_result(result, tmp_path)
    assert bank.questions[0].prompt == "term 0" and bank.questions[0].answer.startswith("part a; part b,")
    with pytest.raises(ImportFailed) as caught:
        import_bank(path, separator="two")
    assert "unknown separator" in caught.value.problems[0].message


def test_a_headerless_csv_with_quoted_multiline_fields(tmp_path):
    result, bank = _bank("headerless.csv", tmp_path)
    assert result.separator == "comma" and result.questions == 11 and result.skipped == 1
    assert by_prompt(bank, "Which atomic classes").answer.splitlines()[-1] == "5 - logical"


# -- garbage ------------------------------------------------------------------------------------


def test_sentences_cut_at_commas_are_refused_with_an_example_unless_forced(tmp_path):
    with pytest.raises(ImportFailed) as caught:
        import_bank(LAYOUTS / "cut-sentences.txt")
    message = caught.value.problems[0].message
    assert "does not look like questions and answers" in message and "cut from a sentence" in message
    assert "For example" in message and "--force" in message and len(message) < 400
    forced = import_bank(LAYOUTS / "cut-sentences.txt", force=True)
    assert forced.refused and forced.questions >= 4


def test_tiny_prompts_are_refused(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text("".join(f"a{n % 10}\tthe definition of item {n} is long enough to read\n" for n in range(20)),
                    encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_bank(path)
    assert "shorter than" in caught.value.problems[0].message


def test_a_bad_csv_header_gives_a_short_message(tmp_path, capsys):
    assert main(["import", str(LAYOUTS / "bad-header.csv"), "--format", "csv", "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "header row" in err and len(err) < 600 and "<t" not in err


# -- 6. sections ---------------------------------------------------------------------------------


def _headings(n: int, per: int) -> str:
    parts = ["# Big file\n"]
    for q in range(n):
        if q % per == 0:
            parts.append(f"\n## Heading {q // per + 1}\n")
        parts.append(f"\n### What is item {q} of the list?\n\nItem {q} is a widget of colour {q * 7 % 13}.\n")
    return "".join(parts)


def test_headings_become_topics_and_a_quarter_of_the_bank_is_open(tmp_path):
    path = tmp_path / "nineteen.md"
    path.write_text(_headings(95, 5), encoding="utf-8")   # 19 headings, as in the report
    result = import_bank(path)
    bank = load_result(result, tmp_path)
    assert result.topics == 19 and 2 <= len(bank.sections) <= 4
    first = bank.sections[0]
    assert len(first.questions) >= max(ROUND_SIZE, len(bank.questions) / 4)
    plan = plan_round(bank, Progress(), "mc", None, 10, seed=1)   # a new player's first round is full
    assert len(plan.items) == 10
    order = [q.id for s in bank.sections for q in s.questions]
    assert order == [q.id for q in bank.questions]                # the rest unlocks in file order


def test_difficulty_marks_make_the_sections(tmp_path):
    path = tmp_path / "marked.md"
    levels = ["👶"] * 14 + ["⭐️"] * 12 + ["🚀"] * 10
    path.write_text("# Marked\n\n" + "".join(f"**What is thing {n}? {mark}**\n\nThing {n} is a gadget number {n}.\n\n"
                                            for n, mark in enumerate(levels)), encoding="utf-8")
    bank = load_result(import_bank(path), tmp_path)
    assert [s.title for s in bank.sections] == ["Easy", "Medium", "Hard"]
    assert [len(s.questions) for s in bank.sections] == [14, 12, 10]
    bracket = tmp_path / "letters.md"
    bracket.write_text("# Letters\n\n" + "".join(f"## [{'EMH'[n % 3]}] What is gadget {n}?\n\nGadget {n} is a tool.\n\n"
                                                 for n in range(36)), encoding="utf-8")
    lettered = load_result(import_bank(bracket), tmp_path)
    assert {q.difficulty for q in lettered.questions} == {1, 3, 5}
    assert not any("[" in q.prompt for q in lettered.questions)


def test_anki_difficulty_tags_make_the_sections(tmp_path):
    path = tmp_path / "tags.txt"
    rows = [f"What is card {n}?\tCard {n} is about topic {n}.\tdifficulty::{'easy' if n < 12 else 'hard'}"
            for n in range(24)]
    path.write_text("#separator:tab\n#tags column:3\n" + "\n".join(rows) + "\n", encoding="utf-8")
    bank = load_result(import_bank(path), tmp_path)
    assert [s.title for s in bank.sections] == ["Easy", "Hard"]
    assert not any("difficulty" in t for q in bank.questions for t in q.topics)


# -- 7. the command line ---------------------------------------------------------------------------


def test_dry_run_prints_what_it_found_and_writes_nothing(tmp_path, capsys):
    saves = tmp_path / "saves"
    assert main(["import", str(LAYOUTS / "bold-numbers.md"), "--dry-run", "--save-dir", str(saves)]) == 0
    out = capsys.readouterr().out
    assert "Format: markdown" in out and "9 questions in 1 section" in out and "2 topics" in out
    assert out.count("Sample ") == 3 and "Answer:" in out
    assert "line 81: skipped (placeholder answer 'Answer here')" in out
    assert "nothing was written" in out
    assert not saves.exists()


def test_the_normal_run_prints_skip_reasons_and_writes_the_bank(tmp_path, capsys):
    out_file = tmp_path / "bank.toml"
    assert main(["import", str(LAYOUTS / "pipe-glossary.txt"), "--out", str(out_file)]) == 0
    assert "separator pipe" in capsys.readouterr().out and out_file.exists()
    assert main(["import", str(LAYOUTS / "bold-numbers.md"), "--out", str(tmp_path / "b.toml")]) == 0
    assert "skipped (placeholder answer" in capsys.readouterr().out


def test_many_skips_go_to_a_report_file(tmp_path, capsys):
    path = tmp_path / "stubs.md"
    good = "".join(f"**What is item {n}?**\n\nItem {n} is a widget of colour {n}.\n\n" for n in range(10))
    stubs = "".join(f"**What is stub {n}?**\n\nTODO\n\n" for n in range(30))
    path.write_text("# Stubs\n\n" + good + stubs, encoding="utf-8")
    out_file = tmp_path / "stubs.toml"
    assert main(["import", str(path), "--out", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert "and 10 more" in out
    report = tmp_path / "stubs.toml.skipped.txt"
    assert len(report.read_text(encoding="utf-8").splitlines()) == 30


# -- the fast path for simple Anki fields reads them as html.parser does ---------------------------

_PIECES = st.sampled_from(["<b>", "</b>", "<i>", "</i>", "<u>", "</u>", "<em>", "</em>", "<strong>", "</strong>",
                           "<span>", "</span>", "<div>", "</div>", "<br>", "<br/>", "<br />", "&nbsp;", " ", "\n",
                           "word", "x", "é", "—", "\xa0", "  ", "\t"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(_PIECES, min_size=1, max_size=30))
def test_simple_fields_read_the_same_through_the_fast_path_and_the_parser(pieces):
    markup = "".join(pieces)
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    assert html_to_text(markup) == tidy("".join(parser.parts).replace("\xa0", " "))


def test_a_big_deck_shared_with_a_helper_process_gives_the_same_bank(tmp_path, monkeypatch):
    from quizgame.core.importers import api

    path = tmp_path / "deck.txt"
    path.write_text("#separator:tab\n" + "".join(
        f"What does gadget {n} do?\tGadget {n} turns {n % 7} cranks and lifts widget {n % 11}.\n" for n in range(60)),
        encoding="utf-8")
    alone = import_bank(path).toml
    monkeypatch.setattr(api, "PARALLEL_FROM", 50)
    assert import_bank(path).toml == alone


def test_a_pipe_table_glossary_reads_its_rows_as_cards(tmp_path):
    result, bank = _bank("pipe-table.txt", tmp_path)
    assert result.separator == "pipe" and result.questions == 5 and result.skipped == 0
    assert by_prompt(bank, "Overfitting").answer.startswith("Fitting the noise")


def test_a_markdown_table_glossary_without_questions_reads_its_rows_as_cards(tmp_path):
    result, bank = _bank("table-glossary.md", tmp_path)
    assert result.questions == 5 and result.topics == 2
    assert by_prompt(bank, "Recall").answer == "Share of actual positives that are found"
    assert "Term" not in [q.prompt for q in bank.questions]


def test_unclosed_tags_in_a_huge_field_are_read_as_text_in_linear_time():
    # html.parser alone re-scans "<a<a<a…" for each tag's end (minutes for this field).
    assert html_to_text("<a" * 100_000).startswith("<a<a<a")
    assert html_to_text("x <3 <b>y</b>") == "x <3 y"


def test_questions_in_a_numbered_list_keep_their_answers_without_the_list_indent(tmp_path):
    path = tmp_path / "list.md"
    path.write_text("# List\n\n1. **What is a tensor?**\n\n   A multi-dimensional array of numbers.\n\n"
                    "2. **What is a gradient?**\n   The vector of partial derivatives.\n\n"
                    "3. **What is an optimizer?**\n   - updates weights\n   - uses gradients\n\n"
                    "4. **What is a loss?** A number measuring error.\n", encoding="utf-8")
    bank = load_result(import_bank(path), tmp_path)
    assert [q.answer for q in bank.questions] == [
        "A multi-dimensional array of numbers.", "The vector of partial derivatives.",
        "- updates weights\n- uses gradients", "A number measuring error."]
