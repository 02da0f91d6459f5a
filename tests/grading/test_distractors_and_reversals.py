"""The shipped bank's hand-written wrong options are never graded correct as typed answers, and
the mechanisms that catch them (a phase named after what is said of it, an action reversed, a
definition bound to another symbol, a method put in another modality) work on made-up questions
whose answers were written for these tests."""
from __future__ import annotations

from quizgame.core.bank import load_bank
from quizgame.core.grading import CORRECT, grade
from quizgame.core.model import Idea, Question


def ask(prompt: str, answer: str, *ideas: Idea) -> Question:
    return Question(id="made-up", section="s", prompt=prompt, answer=answer, option="option", distractors=(),
                    topics=("t",), ideas=tuple(ideas))


def test_no_hand_written_distractor_is_graded_correct() -> None:
    bank = load_bank()
    accepted = [(q.id, d) for q in bank.questions for d in q.distractors if grade(q, d).verdict == CORRECT]
    assert accepted == []


FINE_TUNING = ask(
    "How does adapter fine-tuning work?",
    "The pretrained backbone is kept frozen and small adapter layers are inserted between its blocks; "
    "training updates the adapters only, so each task stores just a few parameters.",
    Idea("backbone frozen", ("frozen backbone", "backbone frozen", "backbone fixed"), True),
    Idea("adapters trained", ("adapter", "adapters", "small layers"), True),
)


def test_freezing_what_the_reference_updates_is_not_accepted() -> None:
    assert grade(FINE_TUNING, "the backbone stays frozen and only the small adapter layers get trained").verdict \
        == CORRECT
    wrong = grade(FINE_TUNING, "the backbone is fine-tuned while the adapter layers stay frozen")
    assert wrong.verdict != CORRECT
    assert any("freezes what the reference updates" in r for r in wrong.remarks)


CLEANING = ask(
    "How would you clean a speech corpus?",
    "Deduplicate the recordings, filter noisy clips with a quality classifier, and balance speakers.",
    Idea("deduplicate", ("deduplicate", "duplicates", "dedup"), True),
    Idea("filter noise", ("noisy", "noise", "quality"), True),
)


def test_keeping_what_the_reference_removes_is_not_accepted() -> None:
    assert grade(CLEANING, "remove duplicate recordings and filter out noisy clips by quality").verdict == CORRECT
    wrong = grade(CLEANING, "duplicates kept for robustness, noisy clips retained, judged by a quality score")
    assert wrong.verdict != CORRECT
    assert any("keeps what the reference removes" in r for r in wrong.remarks)


BATCHES = ask(
    "How does mixup work?",
    "During training, pairs of examples and their labels are blended with a random weight; at inference the "
    "model sees plain unmixed inputs.",
    Idea("blend pairs of examples", ("blended", "blend", "mix", "mixed"), True),
    Idea("labels blended too", ("labels",), True),
    Idea("only in training", ("during training", "at inference", "training only"), True),
)


def test_after_training_is_the_inference_phase() -> None:
    assert grade(BATCHES, "during training, pairs of examples and their labels are blended; at inference "
                          "inputs are left plain").verdict == CORRECT
    wrong = grade(BATCHES, "pairs of examples and labels are blended after training; at inference they are plain")
    assert wrong.verdict != CORRECT


DEFINITIONS = ask(
    "What are P(x) and L(θ)?",
    "P(x) is the probability the model assigns to the data point x. L(θ) is the likelihood of the parameters "
    "θ given all observed data, read as a function of θ.",
    Idea("P: probability of a data point", ("probability", "data point", "how likely the point is"), True),
    Idea("L: likelihood of the parameters", ("likelihood", "parameters", "function of"), True),
)


def test_a_definition_stays_with_its_symbol() -> None:
    assert grade(DEFINITIONS, "P(x) is the probability of the data point x; L(θ) is the likelihood as a "
                              "function of the parameters").verdict == CORRECT
    wrong = grade(DEFINITIONS, "P(x) is the likelihood of the parameters; L(θ) is the probability of a data point")
    assert wrong.verdict != CORRECT
    assert any("defines" in r for r in wrong.remarks)


SPEECH = ask(
    "How are speech synthesis models built?",
    "A text encoder turns characters into features, a decoder predicts audio frames, and a vocoder "
    "turns them into a waveform; newer systems use diffusion over audio latents.",
    Idea("text encoder", ("text encoder", "characters", "phonemes"), True),
    Idea("audio generation", ("vocoder", "waveform", "diffusion"), True),
)


def test_a_method_put_in_a_modality_the_reference_never_names_is_not_accepted() -> None:
    assert grade(SPEECH, "encode the text characters, then diffusion or a vocoder makes the waveform").verdict \
        == CORRECT
    wrong = grade(SPEECH, "encode the characters, then an image diffusion model paints the waveform as pixels")
    assert wrong.verdict != CORRECT
    assert any("modality" in r or "does not (it is about" in r for r in wrong.remarks)
