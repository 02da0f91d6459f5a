"""Generated options read as clean phrases (issue 11): no splice across "e.g." or a dotted
name, no verb in a noun's place, no name beside itself, no term swapped in two places."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizgame.core.bank import load_bank
from quizgame.core.choices import multiple_choice

from .helpers import make_question, write_bank


def _q(qid: str, prompt: str, option: str) -> dict:
    return make_question(qid, option=option, distractors=0, topics=("commands",), prompt=prompt,
                         answer=option + ".")


@pytest.fixture(scope="module")
def commands(tmp_path_factory):
    folder = tmp_path_factory.mktemp("commands")
    questions = [
        _q("kill", "docker kill $(docker ps -q)", "Kill all containers that are currently running"),
        _q("images", "docker images", "List all of the images that are currently stored on the system"),
        _q("pause", "docker pause [container]", "Pause all processes running inside a particular container"),
        _q("exec", "docker exec -it [container] bash", "Run a shell command inside a particular container"),
        _q("download", "How do you download a file in R?", "download.file() then read it with read.csv()"),
        _q("column", "How do you select column 4 of a data table?", "e.g. for column 4: DT[,4, with = FALSE]"),
        _q("scoping", "What scoping rules does R use?", "R uses lexical.scoping() rather than dynamic scoping"),
        _q("mse", "What is MSE?", "Mean Squared Error(MSE) averages the squared residuals"),
        _q("histogram", "How do you make a histogram of a sample?", "Make a histogram out of the sampled data"),
        _q("normal", "What is the normal distribution?",
           "A continuous probability distribution whose probability density is a bell curve"),
        _q("cardinality", "What is the cardinality of a set?", "The number of distinct elements that a set holds"),
    ]
    return load_bank(write_bank(Path(folder) / "bank", {"basics": questions}))


def _wrong(bank, qid: str) -> list[str]:
    q = bank.question(qid)
    out = []
    for seed in range(8):
        item = multiple_choice(q, bank, seed=seed)
        out += [o for i, o in enumerate(item.options) if i != item.correct]
    return out


def test_no_option_is_spliced_across_an_abbreviation_or_a_dotted_name(commands):
    written = {t for q in commands.questions for t in (q.prompt + " " + q.option).split()}
    for q in commands.questions:
        for option in _wrong(commands, q.id):
            whole = re.sub(r"(?:^|(?<=[\s(]))[ei]\.[ge]\.", "", option, flags=re.IGNORECASE)
            assert ".g." not in whole.casefold() and ".e." not in whole.casefold(), option
            for token in option.split():
                if re.search(r"[A-Za-z]{2,}[.(][A-Za-z]", token):
                    assert token in written, option  # a dotted or called name the bank writes


def test_a_command_verb_never_stands_in_a_nouns_place(commands):
    for option in _wrong(commands, "kill"):
        assert not re.search(r"\b(?:a|an|the|particular|of)\s+kill\b", option, re.IGNORECASE), option


def test_a_name_is_not_put_beside_itself(commands):
    for q in commands.questions:
        for option in _wrong(commands, q.id):
            assert not re.match(r"MSE\b.*\bMSE\b", option), option


def test_a_term_the_right_option_writes_twice_is_not_swapped_in_both_places(commands):
    source = re.findall(r"\w+", commands.question("normal").option.casefold())
    for option in _wrong(commands, "normal"):
        words = re.findall(r"\w+", option.casefold())
        if len(set(words) & set(source)) < len(set(source)) / 2:
            continue  # another question's option, not a variant of this one
        assert all(words.count(w) == 1 for w in set(words) - set(source)), option
