"""Each format, imported from a hand-made sample, gives the questions a reader of the file would see."""
from __future__ import annotations

import shutil
import tomllib
from collections import Counter

import pytest

from quizgame.core.grading import CORRECT, WRONG, grade
from quizgame.core.importers import ImportFailed, detect_format, import_bank

from .helpers import FIXTURES, by_prompt, imported, load_result


def _imported(name: str, tmp_path, **kwargs):
    return imported(FIXTURES / name, tmp_path, **kwargs)


def _line_of(name: str, text: str) -> int:
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if text in line)


# -- markdown --------------------------------------------------------------------------------


def test_markdown_readme_sections_questions_and_skips(tmp_path):
    result, bank = _imported("interview-readme.md", tmp_path)
    assert result.format == "markdown"
    assert result.title == bank.title == "Machine Learning Interview Questions"
    # Ten questions fill one first round: a single open section; the headings are topics.
    assert [s.title for s in bank.sections] == ["Machine Learning Interview Questions"]
    assert {t for q in bank.questions for t in q.topics} >= {"supervised-learning", "regularization",
                                                             "neural-networks"}
    assert result.questions == 10 and result.skipped == 1
    (skip,) = result.skip_reasons
    assert skip.line == _line_of("interview-readme.md", "Can we use L1 regularization")
    assert "no answer" in skip.message and "feature selection" in skip.message
    prompts = [q.prompt for q in bank.questions]
    assert "What should I add?" not in prompts  # the Contributing section is not content
    assert by_prompt(bank, "What is supervised").topics == ("supervised-learning",)


def test_markdown_difficulty_markers_are_read_and_stripped(tmp_path):
    _, bank = _imported("interview-readme.md", tmp_path)
    levels = {q.prompt: q.difficulty for q in bank.questions}
    assert levels["What is supervised machine learning?"] == 1          # 👶
    assert levels["How do you choose between precision and recall?"] == 3  # ⭐️
    assert levels["What is backpropagation?"] == 1                       # (easy), numbered heading
    assert levels["What is the vanishing gradient problem?"] == 5        # (hard)
    assert levels["How does dropout work?"] == 3                         # no marker
    for prompt in levels:
        assert not any(mark in prompt for mark in ("👶", "⭐", "🚀", "\ufe0f", "(easy)", "(hard)", "**", "###"))


def test_markdown_answers_keep_lists_tables_and_code_but_not_html(tmp_path):
    _, bank = _imported("interview-readme.md", tmp_path)
    lists = by_prompt(bank, "What is the difference between classification").answer
    assert "- Classification predicts a discrete class label" in lists
    table = by_prompt(bank, "How do you choose between precision").answer
    assert "false positives are costly (spam filter) | precision" in table
    assert "---" not in table and "The F1 score balances both" in table
    code = by_prompt(bank, "What is the difference between L1 and L2").answer
    assert "lasso = Lasso(alpha=0.1).fit(X, y)" in code
    assert "# L1: sparse coefficients" in code   # a comment in code is not a heading
    assert "Answer with code" not in code         # a <summary> label is not content
    regularization = by_prompt(bank, "What is regularization?").answer
    assert "reduces overfitting.\nThe strength" in regularization  # <br/> became a line break
    everything = "\n".join(q.answer + q.prompt for q in bank.questions)
    for leftover in ("<br", "<details", "</details>", "<summary", "<img", "![", "kfold.png", "activations.png",
                     "**", "```"):
        assert leftover not in everything


def test_markdown_option_is_the_first_sentence(tmp_path):
    _, bank = _imported("interview-readme.md", tmp_path)
    assert by_prompt(bank, "How do you choose between precision").option == "It depends on the cost of errors"
    assert (by_prompt(bank, "What is the difference between classification").option
            == "Classification predicts a discrete class label, e.g. spam or not spam")
    long = by_prompt(bank, "What is cross-validation").option
    assert long.endswith("…") and len(long) <= 100


# -- Anki ------------------------------------------------------------------------------------


def test_anki_export_with_header_lines_and_html(tmp_path):
    result, bank = _imported("anki-notes.txt", tmp_path)
    assert result.format == "anki" and result.questions == 7 and result.skipped == 1
    assert "What does an embedding layer learn?" in result.skip_reasons[0].message
    lr = by_prompt(bank, "What does the learning rate control?")   # <b>…</b> stripped
    assert lr.answer.startswith("The step size of each gradient-descent update.\nToo large")  # <br> kept as a break
    assert lr.topics == ("optimization", "hyperparameters")          # tags column
    assert by_prompt(bank, "Which activation avoids saturation for x > 0?")  # &gt; unescaped
    tradeoff = by_prompt(bank, "What is the bias–variance trade-off?")     # &ndash;
    assert tradeoff.topics == ("theory", "ml-basics")                # hierarchical tag ML::Basics
    assert "bias_variance.png" not in tradeoff.answer
    normalise = by_prompt(bank, "Why normalise input features?")
    assert "min – max scaling" in normalise.answer and "&nbsp;" not in normalise.answer
    assert by_prompt(bank, 'Explain "teacher forcing" in sequence models.')  # quoted field, doubled quotes
    everything = "\n".join(q.answer + q.prompt for q in bank.questions)
    assert "<" not in everything.replace("x > 0", "")


def test_anki_export_with_guid_notetype_and_deck_columns(tmp_path):
    result, bank = _imported("anki-decks.txt", tmp_path)
    assert len(bank.sections) == 1  # five cards: one first round; the decks are topics
    assert by_prompt(bank, "What is the discount factor gamma?").topics[1] == "reinforcement-learning"
    cloze = by_prompt(bank, "The […] function")
    assert cloze.answer == "softmax"
    assert by_prompt(bank, "What is the discount factor gamma?").topics == (
        "rl", "reinforcement-learning", "ml-interview")
    assert not any("Basic" in q.prompt or "a1B2" in q.prompt for q in bank.questions)


# -- Quizlet ---------------------------------------------------------------------------------


def test_quizlet_tab_export(tmp_path):
    result, bank = _imported("quizlet-tab.txt", tmp_path)
    assert result.format == "quizlet" and result.questions == 7 and result.skipped == 1
    assert "Attention" in result.skip_reasons[0].message
    regularization = by_prompt(bank, "Regularization")
    assert regularization.answer.endswith("for example L2 weight decay or dropout.")  # continuation line
    assert [s.title for s in bank.sections] == ["Quizlet tab"]


def test_quizlet_comma_export_splits_at_the_first_comma(tmp_path):
    result, bank = _imported("quizlet-comma.txt", tmp_path)
    assert result.format == "quizlet" and result.questions == 5
    temperature = by_prompt(bank, "Temperature")
    assert temperature.answer.endswith("higher values flatten the distribution, lower values sharpen it.")


# -- CSV -------------------------------------------------------------------------------------


def test_csv_with_header_columns_found_by_name(tmp_path):
    result, bank = _imported("questions.csv", tmp_path)
    assert result.format == "csv" and result.questions == 6 and result.skipped == 1
    assert "What is an autoencoder?" in result.skip_reasons[0].message
    assert len(bank.sections) == 1  # six questions: one first round; the section column gives topics
    assert "evaluation" in by_prompt(bank, "What is a confusion matrix?").topics
    levels = {q.prompt: q.difficulty for q in bank.questions}
    assert levels["What is a confusion matrix?"] == 1      # easy
    assert levels["What does ROC AUC measure?"] == 3
    assert levels["What is k-means clustering?"] == 2
    assert levels["What is PCA used for?"] == 5            # hard
    assert levels["What is t-SNE?"] == 3                   # empty cell
    assert by_prompt(bank, "What is a confusion matrix?").topics == ("metrics", "classification", "evaluation")
    assert by_prompt(bank, "What does ROC AUC").topics == ("metrics", "ranking", "evaluation")
    assert by_prompt(bank, 'Why use stratified sampling in a "train/test" split?')
    assert "\nIt is not meant for clustering" in by_prompt(bank, "What is t-SNE?").answer


def test_csv_without_a_question_column_says_what_the_header_needs(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,value\nfoo,bar\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_bank(path)
    (problem,) = caught.value.problems
    assert problem.line == 1 and "question column" in problem.message and "'name'" in problem.message


# -- plain text ------------------------------------------------------------------------------


def test_seed_like_text_sections_and_numbering(tmp_path):
    result, bank = _imported("seed-like.txt", tmp_path)
    assert result.format == "text"
    assert [s.title for s in bank.sections] == [
        "Classical Machine Learning", "Deep Learning", "Natural Language Processing", "MLOps and Deployment"]
    assert [len(s.questions) for s in bank.sections] == [12, 12, 10, 9]
    assert result.questions == 43 and result.skipped == 1
    (skip,) = result.skip_reasons
    assert skip.line == _line_of("seed-like.txt", "How do you monitor a model once it is deployed?")
    # The unnumbered question right after each section title, with its answer on the next line.
    firsts = [s.questions[0].prompt for s in bank.sections]
    assert firsts[1] == "Explain what a convolutional layer computes."
    assert bank.sections[1].questions[0].answer.startswith("A convolutional layer slides")
    assert firsts[3] == "How would you detect data drift in production?"
    adam = by_prompt(bank, "Why is the Adam optimiser popular?")
    assert "\n\nIts weakness is" in adam.answer  # a second paragraph stays in the answer


def test_seed_like_text_escapes_survive_the_round_trip(tmp_path):
    _, bank = _imported("seed-like.txt", tmp_path)
    q = by_prompt(bank, "What does the backslash")
    assert q.prompt == r"What does the backslash in C:\data\train mean for a data loader on Linux?"
    assert r'the path "C:\data\train" names a single file' in q.answer


def test_an_answer_of_one_word_still_gets_an_idea(tmp_path):
    _, bank = _imported("seed-like.txt", tmp_path)
    q = by_prompt(bank, "Can you fine-tune only part of a model?")
    assert q.answer == "Yes." and q.option == "Yes"
    assert [(i.label, i.terms, i.required) for i in q.ideas] == [("yes", ("yes",), True)]


def test_section_title_puts_everything_in_one_section(tmp_path):
    result, bank = _imported("seed-like.txt", tmp_path, section_title="  ML   warm-up ")
    assert [s.title for s in bank.sections] == ["ML warm-up"]
    assert result.sections == ("ML warm-up",)
    assert len(bank.sections[0].questions) == 43
    # Topics still come from the file's own sections.
    assert Counter(q.topics[0] for q in bank.questions)["deep-learning"] == 12


# -- across formats --------------------------------------------------------------------------

SAMPLES = {
    "interview-readme.md": "markdown",
    "headings-and-details.md": "markdown",
    "anki-notes.txt": "anki",
    "anki-decks.txt": "anki",
    "quizlet-tab.txt": "quizlet",
    "quizlet-comma.txt": "quizlet",
    "questions.csv": "csv",
    "seed-like.txt": "text",
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_auto_detection_from_extension_and_content(name, tmp_path):
    assert import_bank(FIXTURES / name).format == SAMPLES[name]
    bare = tmp_path / "export"  # no extension: the content decides
    shutil.copyfile(FIXTURES / name, bare)
    text = bare.read_text(encoding="utf-8")
    assert detect_format(bare, text) == SAMPLES[name]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_an_explicit_format_gives_the_same_bank(name):
    assert import_bank(FIXTURES / name, SAMPLES[name]).toml == import_bank(FIXTURES / name).toml


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_same_file_same_bank(name):
    first, second = import_bank(FIXTURES / name), import_bank(FIXTURES / name)
    assert first.toml == second.toml
    assert tomllib.loads(first.toml)["bank"]["id"] == first.bank_id


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_reference_answers_earn_their_own_ideas(name, tmp_path):
    """Playable at once: typing the reference answer is graded correct, a shrug is graded wrong."""
    bank = load_result(import_bank(FIXTURES / name), tmp_path)
    verdicts = Counter(grade(q, q.answer).verdict for q in bank.questions)
    assert verdicts[CORRECT] >= 0.9 * len(bank.questions), verdicts
    for q in bank.questions:
        assert set(grade(q, q.answer).matched) == {i.label for i in q.ideas}
        assert grade(q, "no idea, sorry").verdict == WRONG


def test_markdown_heading_questions_folded_answers_and_link_only_answers(tmp_path):
    result, bank = _imported("headings-and-details.md", tmp_path)
    assert result.format == "markdown"
    assert bank.title == "Deep Learning Questions"  # a setext title
    assert len(bank.sections) == 1
    assert {t for q in bank.questions for t in q.topics} >= {"classic-questions", "folded-answers"}
    assert [q.prompt for q in bank.questions] == [
        "What's the trade-off between bias and variance?",  # numbering and [[src](…)] removed
        "How do you combat the curse of dimensionality?",
        "What is a vanishing gradient?",
        "Why use residual connections?",
        "What is recall?",
        "What is precision?",
    ]
    (skip,) = result.skip_reasons
    assert "the answer is only a link" in skip.message and "gradient descent" in skip.message
    tradeoff = bank.questions[0]
    assert "TODO" not in tradeoff.answer and "images/1.png" not in tradeoff.answer
    assert bank.questions[1].answer.startswith("- Feature selection (manual or statistical)\n- Principal")
    assert bank.questions[2].difficulty == 3 and "<" not in bank.questions[2].answer
    assert bank.questions[3].answer == "They give gradients a short path through identity shortcuts."
    assert bank.questions[4].answer == "The share of actual positives that the model finds."
    assert bank.questions[5].answer == "The share of predicted positives that are truly positive."
