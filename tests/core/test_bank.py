"""The shipped bank's content, and the loader's checks on broken banks."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgame.core.bank import MAX_OPTION_LENGTH, BankError, Problem, load_bank
from quizgame.core.choices import multiple_choice
from quizgame.core.model import Bank

# -- the shipped bank ------------------------------------------------------------------------

SECTIONS = [
    ("foundation", "Technical Foundation"),
    ("rl", "Reinforcement Learning"),
    ("llm", "Large Language Models"),
    ("system-design", "LLM System Design"),
]
CORRECTED = ["tf-weight-init", "llm-llama", "llm-ppo", "llm-lora", "llm-stable-diffusion",
             "tf-backpropagation", "tf-self-attention", "llm-few-shot"]


def test_shipped_bank_has_four_sections_in_order(shipped_bank):
    assert [(s.id, s.title) for s in shipped_bank.sections] == SECTIONS
    assert [s.tier for s in shipped_bank.sections] == [0, 1, 2, 3]
    orders = [s.order for s in shipped_bank.sections]
    assert orders == sorted(orders)


def test_shipped_bank_has_65_questions_with_unique_ids(shipped_bank):
    ids = [q.id for q in shipped_bank.questions]
    assert len(ids) == 65
    assert len(set(ids)) == 65
    assert sum(len(s.questions) for s in shipped_bank.sections) == 65
    for section in shipped_bank.sections:
        assert section.questions, section.id
        assert all(q.section == section.id for q in section.questions)


def test_every_shipped_question_is_complete(shipped_bank):
    for q in shipped_bank.questions:
        assert q.prompt and q.answer, q.id
        assert len(q.distractors) >= 3, q.id
        assert len({d.casefold() for d in q.distractors} | {q.option.casefold()}) == len(q.distractors) + 1, q.id
        assert 1 <= len(q.topics) <= 4, q.id
        assert q.ideas and any(i.required for i in q.ideas), q.id
        assert all(i.label and i.terms for i in q.ideas), q.id
        assert "\n" not in q.option and len(q.option) <= 100, q.id
        assert all("\n" not in d and len(d) <= MAX_OPTION_LENGTH for d in q.distractors), q.id
        assert 1 <= q.difficulty <= 5, q.id


def test_shipped_overlaps_name_real_questions_and_are_listed_both_ways(shipped_bank):
    for q in shipped_bank.questions:
        for other in q.overlaps:
            assert other != q.id
            assert shipped_bank.question(other) is not None, (q.id, other)
            assert q.id in shipped_bank.question(other).overlaps, f"{other} does not list {q.id} back"


def test_overlapping_questions_never_appear_among_each_others_options(shipped_bank):
    with_overlaps = [q for q in shipped_bank.questions if q.overlaps]
    assert with_overlaps
    for q in with_overlaps:
        banned = {shipped_bank.question(o).option for o in q.overlaps}
        for seed in range(20):
            item = multiple_choice(q, shipped_bank, seed=seed)
            assert not banned & set(item.options), (q.id, seed)


@pytest.mark.parametrize("qid", CORRECTED)
def test_corrected_questions_carry_a_note(shipped_bank, qid):
    q = shipped_bank.question(qid)
    assert q is not None
    assert len(q.note) > 20


FACTS = {
    # question id: groups of alternatives; each group must be present in the reference answer
    "tf-weight-init": [("2/fan_in",), ("fan_in + fan_out", "fan_in+fan_out"), ("relu",), ("tanh", "sigmoid")],
    "llm-llama": [("meta",), ("decoder-only", "decoder only"), ("rmsnorm",), ("rope", "rotary")],
    "llm-ppo": [("clip",), ("kl",), ("reward model",)],
    "llm-lora": [("low-rank", "low rank"), ("freeze", "frozen"), ("does not get smaller", "not smaller")],
    "llm-stable-diffusion": [("clip",), ("cross-attention", "cross attention"), ("u-net", "unet")],
    "tf-backpropagation": [("chain rule",), ("not itself part of backpropagation", "optimizer")],
    "tf-self-attention": [("√d_k", "sqrt"), ("softmax",), ("weighted sum",)],
    "llm-few-shot": [("prompt",), ("no weights are updated", "no weight")],
}


@pytest.mark.parametrize("qid", sorted(FACTS))
def test_corrected_answers_state_the_right_facts(shipped_bank, qid):
    answer = shipped_bank.question(qid).answer.casefold()
    for group in FACTS[qid]:
        assert any(fact.casefold() in answer for fact in group), (qid, group)


def test_corrected_facts_in_options_and_prompts(shipped_bank):
    assert "2/fan_in" in shipped_bank.question("tf-weight-init").option
    ppo = shipped_bank.question("llm-ppo")
    assert "Proximal Policy Optimization" in ppo.prompt + ppo.answer
    assert "Proximal Policy Gradient" not in ppo.prompt + ppo.answer
    assert "Meta" in shipped_bank.question("llm-llama").answer
    assert "CLIP" in shipped_bank.question("llm-stable-diffusion").option
    assert "Language Learning and Modeling Algorithm" not in shipped_bank.question("llm-llama").answer


# -- JSON banks ------------------------------------------------------------------------------------


def test_json_bank_loads(mini_bank):
    assert isinstance(mini_bank, Bank)
    assert [s.id for s in mini_bank.sections] == ["basics", "middle", "hard"]
    assert [len(s.questions) for s in mini_bank.sections] == [4, 3, 2]
    assert [s.tier for s in mini_bank.sections] == [0, 1, 2]
    assert mini_bank.question("b-dropout").section == "basics"
    assert mini_bank.with_topic("rl-basics") == (mini_bank.question("m-gamma"), mini_bank.question("m-policy"))


def test_single_json_file_loads(tmp_path, mini_bank):
    doc = json.loads((mini_bank.source / "1-basics.json").read_text(encoding="utf-8"))
    path = tmp_path / "basics.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    bank = load_bank(path)
    assert [q.id for q in bank.questions] == ["b-dropout", "b-relu", "b-epoch", "b-lr"]
    assert bank.id == "basics"


# -- broken banks ------------------------------------------------------------------------------------

SECTION = """\
[section]
id = "{sid}"
title = "Section {sid}"
order = {order}
"""

QUESTION = """
[[questions]]
id = "{qid}"
prompt = "What does dropout do during training?"
answer = "Dropout randomly zeroes activations, which reduces overfitting."
option = "Randomly zeroes activations to reduce overfitting ({qid})"
distractors = ["Removes the weakest neurons ({qid})", "Scales activations at inference ({qid})", "Normalizes each batch ({qid})"]
topics = ["regularization"]
ideas = [{{ label = "random zeroing", terms = ["randomly zero", "drop units"], required = true }}]
"""


def section_file(sid: str = "s1", order: int = 1, questions=("q1", "q2"), **replace: str) -> str:
    """A valid section file; `replace` maps a line's key (e.g. "q2.prompt") to the new line."""
    text = SECTION.format(sid=sid, order=order)
    for qid in questions:
        lines = QUESTION.format(qid=qid).split("\n")
        for key, new in replace.items():
            target, field = key.split(".", 1)
            if target != qid:
                continue
            at = [i for i, line in enumerate(lines) if line.startswith(f"{field} =")]
            if at:
                lines[at[0]] = new
            else:
                lines.insert(-1, new)
        text += "\n".join(lines)
    return text


def line_of(text: str, needle: str, after: int = 0) -> int:
    """1-based number of the first line at or after `after` containing `needle`."""
    for n, line in enumerate(text.splitlines(), 1):
        if n >= after and needle in line:
            return n
    raise AssertionError(needle)


def problems_of(path) -> list[Problem]:
    with pytest.raises(BankError) as caught:
        load_bank(path)
    problems = caught.value.problems
    assert problems
    assert str(caught.value) == "\n".join(str(p) for p in problems)
    return problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_valid_generated_bank_loads(tmp_path):
    (tmp_path / "a.toml").write_text(section_file("second", order=2, questions=["q3"]), encoding="utf-8")
    (tmp_path / "b.toml").write_text(section_file("first", order=1), encoding="utf-8")
    bank = load_bank(tmp_path)
    assert [s.id for s in bank.sections] == ["first", "second"]  # by order, not by file name
    assert [q.id for q in bank.questions] == ["q1", "q2", "q3"]
    assert bank.source == tmp_path


def test_invalid_toml_names_file_and_line(tmp_path):
    text = section_file().replace('answer = "Dropout randomly', 'answer = "Dropout "randomly', 1)
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    problem = only(problems_of(path))
    assert problem.file.endswith("broken.toml")
    assert problem.line == line_of(text, 'answer = "Dropout "randomly')
    assert "not valid TOML" in problem.message
    assert str(problem).startswith(f"{problem.file}:{problem.line}:")


def test_missing_prompt_names_file_line_and_question(tmp_path):
    text = section_file(**{"q2.prompt": "# no prompt"})
    path = tmp_path / "s1.toml"
    path.write_text(text, encoding="utf-8")
    problem = only(problems_of(path))
    assert problem.file.endswith("s1.toml")
    assert problem.question == "q2"
    assert problem.line == line_of(text, "[[questions]]", after=line_of(text, 'id = "q1"'))
    assert "prompt" in problem.message and "missing" in problem.message
    assert str(problem) == f"{problem.file}:{problem.line}: q2: {problem.message}"


def test_duplicate_id_across_files(tmp_path):
    first = section_file("s1", 1, questions=["q1", "same"])
    second = section_file("s2", 2, questions=["same", "q9"])
    (tmp_path / "1-a.toml").write_text(first, encoding="utf-8")
    (tmp_path / "2-b.toml").write_text(second, encoding="utf-8")
    problem = only(problems_of(tmp_path))
    assert problem.file.endswith("2-b.toml")
    assert problem.question == "same"
    assert problem.line == line_of(second, "[[questions]]")
    assert "already used" in problem.message
    first_line = line_of(first, "[[questions]]", after=line_of(first, 'id = "q1"'))
    assert f"1-a.toml:{first_line}" in problem.message


def test_unknown_overlap_id(tmp_path):
    text = section_file(**{"q1.overlaps": 'overlaps = ["no-such-question"]'})
    (tmp_path / "s1.toml").write_text(text, encoding="utf-8")
    problem = only(problems_of(tmp_path))
    assert problem.question == "q1"
    assert problem.line == line_of(text, "[[questions]]")
    assert "overlaps" in problem.message and "no-such-question" in problem.message


def test_bad_topic_tag(tmp_path):
    text = section_file(**{"q2.topics": 'topics = ["Bad Tag!"]'})
    (tmp_path / "s1.toml").write_text(text, encoding="utf-8")
    problem = only(problems_of(tmp_path))
    assert problem.question == "q2"
    assert problem.line is not None
    assert "topics" in problem.message and "Bad Tag!" in problem.message


def test_idea_made_only_of_prompt_words(tmp_path):
    idea = 'ideas = [{ label = "parrot", terms = ["dropout", "during training"], required = true }]'
    text = section_file(**{"q1.ideas": idea})
    (tmp_path / "s1.toml").write_text(text, encoding="utf-8")
    problem = only(problems_of(tmp_path))
    assert problem.question == "q1"
    assert problem.line == line_of(text, "[[questions]]")
    assert "parrot" in problem.message and "prompt" in problem.message


def test_option_over_120_characters(tmp_path):
    long_option = "x" * (MAX_OPTION_LENGTH + 1)
    text = section_file(**{"q2.option": f'option = "{long_option}"'})
    (tmp_path / "s1.toml").write_text(text, encoding="utf-8")
    problem = only(problems_of(tmp_path))
    assert problem.question == "q2"
    assert "option" in problem.message and str(MAX_OPTION_LENGTH) in problem.message


def test_option_of_exactly_120_characters_is_fine(tmp_path):
    text = section_file(**{"q2.option": f'option = "{"x" * MAX_OPTION_LENGTH}"'})
    (tmp_path / "s1.toml").write_text(text, encoding="utf-8")
    assert len(load_bank(tmp_path).question("q2").option) == MAX_OPTION_LENGTH


def test_not_utf8(tmp_path):
    data = section_file().encode("utf-8").replace(b"Dropout randomly", b"Dropout \xff\xfe randomly", 1)
    path = tmp_path / "latin.toml"
    path.write_bytes(data)
    problem = only(problems_of(path))
    assert problem.file.endswith("latin.toml")
    assert problem.line == data[: data.index(b"\xff")].count(b"\n") + 1
    assert "UTF-8" in problem.message


def test_empty_folder(tmp_path):
    problem = only(problems_of(tmp_path))
    assert problem.file == str(tmp_path)
    assert "no .toml or .json" in problem.message


def test_missing_path(tmp_path):
    problem = only(problems_of(tmp_path / "nowhere"))
    assert "no such file" in problem.message


def test_invalid_json_names_line(tmp_path):
    path = tmp_path / "bank.json"
    path.write_text('{\n "section": {"id": "s", "title": "S", "order": 1},\n "questions": [,]\n}', encoding="utf-8")
    problem = only(problems_of(path))
    assert problem.line == 3
    assert "not valid JSON" in problem.message


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    text = section_file(questions=("q1", "q2", "q3"), **{"q1.topics": 'topics = ["BAD"]', "q2.prompt": "# none"})
    (tmp_path / "s1.toml").write_text(text, encoding="utf-8")
    problems = problems_of(tmp_path)
    assert {p.question for p in problems} == {"q1", "q2"}


def test_distractor_equal_to_option_is_refused(tmp_path):
    text = section_file(**{"q1.distractors": 'distractors = ["RANDOMLY ZEROES ACTIVATIONS TO REDUCE OVERFITTING (Q1)", "b", "c"]'})
    (tmp_path / "s1.toml").write_text(text, encoding="utf-8")
    problem = only(problems_of(tmp_path))
    assert problem.question == "q1" and "distractors" in problem.message


def test_no_section_table(tmp_path):
    text = section_file().split("\n", 4)[4]  # drop the [section] table
    (tmp_path / "s1.toml").write_text(text, encoding="utf-8")
    messages = [p.message for p in problems_of(tmp_path)]
    assert any("section" in m for m in messages)


@pytest.mark.parametrize("value", [["s1"], {"id": "s1"}])
def test_non_string_question_section_is_a_bank_error(tmp_path, value):
    doc = {
        "section": {"id": "s1", "title": "One", "order": 1},
        "questions": [{
            "id": "q1", "section": value, "prompt": "What is dropout?", "answer": "Randomly zeroes units.",
            "option": "Randomly zeroes units", "distractors": ["a", "b", "c"], "topics": ["t"],
            "ideas": [{"label": "zero", "terms": ["randomly zero"], "required": True}],
        }],
    }
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    problems = problems_of(path)
    assert any(p.question == "q1" and "section" in p.message for p in problems)


def test_problem_text_is_readable():
    assert str(Problem("a.toml", 3, "q1", "prompt: missing")) == "a.toml:3: q1: prompt: missing"
    assert str(Problem("a.toml", None, None, "no section")) == "a.toml: no section"


def test_generated_bank_helper_edits_one_question_only():
    text = section_file(**{"q2.prompt": "# gone", "q1.overlaps": 'overlaps = ["q2"]'})
    assert text.count("prompt =") == 1
    assert text.count("overlaps =") == 1


# -- property: the loader only ever raises BankError -------------------------------------------------

KEYS = ["id", "section", "sections", "title", "order", "questions", "prompt", "answer", "option", "distractors",
        "topics", "ideas", "label", "terms", "required", "overlaps", "note", "difficulty", "misconceptions", "bank"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=3),
                                                                inner, max_size=6),
    max_leaves=25,
)
bank_bytes = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"[section]\nid = 's'\ntitle = 'S'\n", b"[[questions]]\nid = 1\n", b"\xef\xbb\xbf{}",
                     b'{"section": {"id": "s", "title": "S", "order": 1}, "questions": [1, "x", {}]}']),
)


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(suffix=st.sampled_from([".toml", ".json"]), data=bank_bytes)
def test_loader_raises_only_bank_error_on_arbitrary_bytes(tmp_path, suffix, data):
    path = tmp_path / f"bank{suffix}"
    path.write_bytes(data)
    try:
        bank = load_bank(path)
    except BankError as error:
        assert error.problems and all(isinstance(p, Problem) and p.message for p in error.problems)
    else:
        assert bank.questions
