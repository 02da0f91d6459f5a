"""Swapped pairings, denied properties, bare lists, defining ideas and labelled exemplars.

The answers here were written for these tests (not taken from any holdout)."""
from __future__ import annotations

import pytest

from quizgame.core.bank import load_bank
from quizgame.core.grading import CORRECT, PARTIAL, WRONG, Exemplar, grade, similarity
from quizgame.core.model import Bank, Idea, Question, Section

BANK = load_bank()


def verdict(qid: str, text: str) -> str:
    return grade(BANK.question(qid), text).verdict


@pytest.mark.parametrize("qid, text", [
    ("tf-weight-init", "He is for tanh and Xavier is for ReLU."),
    ("tf-weight-init", "Use He init with tanh layers; Xavier init suits ReLU networks."),
    ("tf-max-vs-avg-pooling", "average pooling keeps the largest value, max pooling takes the mean of all values"),
    ("tf-batch-vs-layer-norm", "layer norm normalizes across the batch, batch norm normalizes each example across "
                               "its features"),
    ("tf-one-hot-vs-embeddings", "one-hot vectors are dense and low-dimensional, while embeddings are sparse and as "
                                 "long as the vocabulary"),
    ("rl-model-based-vs-free", "model-free methods learn a dynamics model of the environment and plan with it, while "
                               "model-based methods learn the value function directly from trial and error"),
    ("tf-feedforward-vs-recurrent", "recurrent networks pass data one way with no cycles, feedforward networks keep a "
                                    "hidden state across time steps"),
])
def test_a_swapped_pairing_is_wrong_and_feedback_names_it(qid: str, text: str) -> None:
    result = grade(BANK.question(qid), text)
    assert result.verdict == WRONG
    assert any("pairing is off" in r for r in result.remarks)


@pytest.mark.parametrize("qid, text", [
    ("tf-weight-init", "Xavier is for tanh and He is for ReLU; both keep the variance of activations stable."),
    ("tf-max-vs-avg-pooling", "max pooling keeps the largest value, average pooling takes the mean of all values"),
    ("tf-batch-vs-layer-norm", "batch norm normalizes each feature across the batch, layer norm normalizes each "
                               "example across its features"),
    ("tf-one-hot-vs-embeddings", "one-hot vectors are sparse and as long as the vocabulary, while embeddings are "
                                 "dense, low-dimensional and learned"),
    ("tf-feedforward-vs-recurrent", "feedforward networks pass data one way with no cycles, recurrent networks keep a "
                                    "hidden state across time steps"),
])
def test_the_right_pairing_is_accepted(qid: str, text: str) -> None:
    assert verdict(qid, text) == CORRECT


@pytest.mark.parametrize("qid, text", [
    ("tf-weight-init", "Xavier, He, variance, fan in, fan out, ReLU, tanh"),
    ("tf-batch-vs-layer-norm", "batch norm, layer norm, features, batch, mean, variance"),
])
def test_a_bare_list_earns_nothing_on_a_comparison(qid: str, text: str) -> None:
    assert verdict(qid, text) == WRONG


def test_a_denied_property_does_not_earn_the_idea() -> None:
    result = grade(BANK.question("tf-sigmoid-issues"), "Sigmoid outputs are zero-centred")
    assert "not zero-centred" not in result.matched
    q = Question("made-up", "s", "What can a single-layer perceptron learn?", "Only what a straight line can split.",
                 "o", (), ("t",), (Idea("separable", ("linearly separable",), True),))
    assert grade(q, "it is not limited to linearly separable problems").verdict == WRONG
    assert grade(q, "only linearly separable problems").verdict == CORRECT


def test_gamma_near_one_alone_is_not_an_answer() -> None:
    assert verdict("rl-discount-factor", "Gamma near 1.") != CORRECT


def test_a_defining_idea_cannot_be_skipped_by_coverage() -> None:
    seed = ("Build a ChatGPT-like system by pre-training a large transformer model, fine-tuning it on "
            "conversational data, integrating it with a user interface, and implementing mechanisms for "
            "handling context and maintaining conversation history.")
    result = grade(BANK.question("sd-chatgpt"), seed)
    assert result.verdict != CORRECT and "align with RLHF" in result.missed


def test_a_correctly_attributed_limitation_is_not_a_misconception() -> None:
    text = ("Feedforward nets pass data one way with no cycles and no memory; RNNs keep a hidden state "
            "across steps, so they can't be parallelized over time.")
    result = grade(BANK.question("tf-feedforward-vs-recurrent"), text)
    assert (result.verdict, result.remarks) == (CORRECT, ())


def test_an_answer_close_to_an_exemplar_gets_its_verdict() -> None:
    q = BANK.question("rl-discount-factor")
    mine = Exemplar("it decides how patient the agent is", CORRECT, "3 May")
    result = grade(q, "it decides how patient the agent is!", exemplars=[mine])
    assert result.verdict == CORRECT and result.remarks == ("graded like your answer of 3 May",)
    assert grade(q, "a learning rate for the critic", exemplars=[mine]).verdict == WRONG
    assert similarity("not connected to the battery", "connected to the battery") < 0.8


def test_grade_without_a_bank_never_uses_the_shipped_one_for_another_banks_question() -> None:
    own = Question("q1", "s", "What is the meaning of x?", "x means a weighted sum of gradients.", "o", (),
                   ("t",), (Idea("gradients", ("gradient",), True),))
    other = Question("q2", "s", "What is y?", "y is z.", "o", (), ("t",), (Idea("z", ("z",), True),))
    fillers = [Question(f"f{i}", "s", f"Filler {i}?", f"answer {i} words", "o", (), ("t",),
                        (Idea("w", (f"word{i}",), True),)) for i in range(3)]
    bank = Bank("b", "B", (Section("s", "S", 1, (own, other, *fillers)),))
    from quizgame.core.grading import prepare

    prepare(bank)
    text = "the gradient of the loss flows back through the network layer by layer with the chain rule"
    assert grade(own, text).verdict == CORRECT
    assert grade(own, text).verdict == grade(own, text, bank).verdict


def test_partial_exemplar_verdicts_are_kept() -> None:
    q = BANK.question("rl-discount-factor")
    result = grade(q, "future rewards count less", exemplars=[Exemplar("future rewards count less", PARTIAL)])
    assert result.verdict == PARTIAL


def test_an_answer_typed_while_the_bank_is_indexed_does_not_wait() -> None:
    import threading

    from quizgame.core import grading

    q = BANK.questions[0]
    bank = Bank("copy", "Copy", BANK.sections)
    gate, done = threading.Event(), threading.Event()
    real = grading._build_field

    def slow_build(questions, notes):  # type: ignore[no-untyped-def]
        if len(questions) > 1:  # the whole bank's index, not one question's
            gate.wait(10)
        return real(questions, notes)

    grading._build_field = slow_build  # type: ignore[assignment]
    try:
        worker = threading.Thread(target=lambda: (grading.prepare(bank), done.set()))
        worker.start()
        while not any(b is bank for b in grading._PREPARING):
            pass
        assert grade(q, q.answer, bank).verdict == CORRECT  # graded while the index is still being built
        assert not done.is_set()
        gate.set()
        worker.join(10)
    finally:
        grading._build_field = real  # type: ignore[assignment]
    assert done.is_set()


def test_on_policy_does_not_earn_the_off_policy_idea() -> None:
    text = "it learns Q values with the Bellman update r + γ max Q(s',a'), on-policy"
    assert "model-free and off-policy" not in grade(BANK.question("rl-q-learning"), text).matched
    assert "model-free and off-policy" in grade(BANK.question("rl-q-learning"), text.replace("on-", "off-")).matched


@pytest.mark.parametrize("qid, text", [
    ("tf-self-attention", "queries, keys, values, softmax, weighted sum, every token"),
    ("rl-q-learning", "bellman, off-policy, max, q table, epsilon greedy"),
])
def test_a_plain_list_of_terms_earns_at_most_partial(qid: str, text: str) -> None:
    result = grade(BANK.question(qid), text)
    assert result.verdict != CORRECT
    assert any("lists terms" in r or "keywords" in r for r in result.remarks)


@pytest.mark.parametrize("qid, text", [
    ("tf-self-attention", "Self-attention involves queries, keys, values, softmax, scaling and multiple heads."),
    ("tf-self-attention", "It uses queries and keys with a softmax and the values, plus scaling and several heads."),
    ("tf-backpropagation", "Backpropagation is about the chain rule, gradients of the loss, the backward pass and the "
                           "weights."),
    ("tf-dropout", "Dropout is related to random neurons, a probability p, regularization, ensembles and scaling."),
    ("tf-residual", "Residual connections: skip connections, identity mapping, F(x) + x and vanishing gradients."),
    ("llm-rag", "RAG combines retrieval, embeddings, a vector database, the context window and generation."),
])
def test_a_list_in_a_sentence_is_still_a_plain_list(qid: str, text: str) -> None:
    """A light verb ("involves", "is about", "uses … with …") or a colon after the topic binds nothing."""
    result = grade(BANK.question(qid), text)
    assert result.verdict != CORRECT
    assert any("lists terms" in r for r in result.remarks)


@pytest.mark.parametrize("qid, text", [
    ("tf-weight-init", "Xavier and He initialization deal with variance, fan in, fan out, ReLU and tanh."),
    ("tf-batch-vs-layer-norm", "Batch norm and layer norm involve the batch, features, mean and variance."),
])
def test_a_list_in_a_sentence_earns_nothing_on_a_comparison(qid: str, text: str) -> None:
    assert verdict(qid, text) == WRONG


@pytest.mark.parametrize("qid, text", [
    ("sd-hardware", "GPU: flexible, CUDA ecosystem, widely available. TPU: matmul ASIC, high throughput per watt, "
                    "tied to GCP. FPGA: efficient, rigid, long development"),
    ("llm-llama", "Decoder-only transformer: pre-RMSNorm, SwiGLU, RoPE, causal attention (GQA), next-token LM"),
    ("tf-self-attention", "Each token uses its query to score every key, softmax turns the scores into weights, and "
                          "the output is the weighted sum of the values."),
])
def test_a_sentence_that_binds_its_terms_is_not_a_list(qid: str, text: str) -> None:
    """Properties under each thing's name, a list of components in notation, or verbs that bind."""
    assert not any("lists terms" in r for r in grade(BANK.question(qid), text).remarks)


def test_a_terse_list_with_notation_is_still_an_answer() -> None:
    assert verdict("sd-realtime-scaling", "LB + autoscale, cont. batching, KV cache, int8 quant, streaming") == CORRECT


@pytest.mark.parametrize("qid, text", [
    ("llm-distillation", "a small student model is trained first, then the large teacher model learns to imitate the "
                         "student's outputs, so the teacher becomes cheaper to run"),
    ("tf-backpropagation", "nudge each weight a little, measure how much the loss changes, and use that difference as "
                           "the gradient for every weight"),
    ("sd-edge-deployment", "randomly drop neurons during training (dropout) so the model gets smaller and runs on the "
                           "phone"),
])
def test_a_reversed_or_misattributed_method_is_not_accepted(qid: str, text: str) -> None:
    assert verdict(qid, text) != CORRECT


@pytest.mark.parametrize("qid, text", [
    ("llm-distillation", "the student learns from the teacher: a small model is trained to imitate the big model's "
                         "soft output probabilities, so it runs much cheaper with most of the quality"),
    ("tf-backpropagation", "unlike finite differences, it runs a forward pass, then applies the chain rule backwards "
                           "from the output to get the gradient of the loss for every weight"),
])
def test_the_right_roles_and_a_disclaimed_method_are_accepted(qid: str, text: str) -> None:
    assert verdict(qid, text) == CORRECT


def test_covered_never_lists_an_idea_said_of_the_wrong_side() -> None:
    result = grade(BANK.question("tf-weight-init"), "He is for tanh and Xavier is for ReLU.")
    assert not any(label.startswith(("Xavier", "He")) for label in result.matched)
    assert any(label.startswith("Xavier") for label in result.missed)


@pytest.mark.parametrize("text", [
    "randomly zero out units during training so they cannot co-adapt; there is no dropout at test time",
    "randomly zero out units during training so they cannot co-adapt; at test time dropout is turned off",
])
def test_a_misconception_said_to_be_off_costs_nothing(text: str) -> None:
    result = grade(BANK.question("tf-dropout"), text)
    assert not any("misconception" in r for r in result.remarks)
    assert any("misconception" in r for r in grade(BANK.question("tf-dropout"),
                                                   "randomly zero out units; dropout at test time too").remarks)


# -- who does what: counterpart roles (teacher/student, exploration/exploitation, query/key/value) -----

@pytest.mark.parametrize("qid, text", [
    ("llm-distillation", "the small student model produces soft labels and the big teacher is trained to match "
                         "them, which makes the teacher cheaper"),
    ("rl-exploration-exploitation", "exploitation is trying new random actions to learn more, and exploration is "
                                    "taking the action with the highest estimated value"),
])
def test_words_said_of_the_counterpart_role_make_a_swap(qid: str, text: str) -> None:
    result = grade(BANK.question(qid), text)
    assert result.verdict == WRONG
    assert any("roles are swapped" in r for r in result.remarks)


@pytest.mark.parametrize("qid, text", [
    ("llm-distillation", "a small student model is trained to match the soft outputs of a large teacher, so it is "
                         "much cheaper and faster to run"),
    ("rl-exploration-exploitation", "exploration is trying new actions to learn more about them, exploitation is "
                                    "taking the action with the highest estimated value; too much of either wastes "
                                    "reward, so use epsilon-greedy or UCB"),
    ("rl-model-based-vs-free", "model-based methods learn a model of the transitions and plan with it; model-free "
                               "methods learn a policy or value function directly from experience"),
])
def test_words_said_of_their_own_role_are_no_swap(qid: str, text: str) -> None:
    assert not any("roles are swapped" in r for r in grade(BANK.question(qid), text).remarks)


# -- name-dropping: terms strung into sentences by vague relations ("is all about", "deals with") ---

@pytest.mark.parametrize("qid, text", [
    ("tf-backpropagation", "Backprop has to do with the loss and the gradients, and the chain rule and the weights "
                           "are part of the picture too."),
    ("rl-q-learning", "Q-learning revolves around Q-values and the Bellman equation, along with epsilon-greedy "
                      "exploration and the max over actions."),
    ("llm-rag", "RAG involves retrieval, embeddings and a vector store, plus the context window and the generator."),
])
def test_vague_relations_between_terms_earn_at_most_partial(qid: str, text: str) -> None:
    result = grade(BANK.question(qid), text)
    assert result.verdict != CORRECT
    assert any("lists terms" in r for r in result.remarks)


@pytest.mark.parametrize("qid, text", [
    ("tf-backpropagation", "The forward pass computes the loss; then the chain rule is applied backwards layer by "
                           "layer, which gives the gradient of the loss for every weight."),
    ("rl-q-learning", "Q-learning is off-policy: it updates Q(s,a) towards r plus gamma times the max of Q over the "
                      "next state's actions, whatever action the epsilon-greedy behaviour policy takes next."),
])
def test_an_explanation_is_not_name_dropping(qid: str, text: str) -> None:
    assert not any("lists terms" in r for r in grade(BANK.question(qid), text).remarks)


# -- denying what the reference states ------------------------------------------------------------

@pytest.mark.parametrize("qid, text", [
    ("llm-bias-harm", "Filter the training data and align the model with RLHF and red-teaming; after that there is "
                      "no need for output moderation or monitoring."),
    ("rl-deep-rl", "Deep RL uses neural networks to approximate the policy or value function from raw pixels; "
                   "replay buffers and target networks are unnecessary."),
])
def test_an_answer_that_denies_what_the_reference_states_is_not_accepted(qid: str, text: str) -> None:
    result = grade(BANK.question(qid), text)
    assert result.verdict != CORRECT
    assert any("contradicts the reference" in r for r in result.remarks)


@pytest.mark.parametrize("qid, text", [
    ("tf-activation-function", "It adds non-linearity: without it a stack of layers is just one linear map."),
    ("tf-bias-term", "b shifts the threshold; without b the decision boundary must pass through the origin."),
    ("sd-music-generation", "Tokenize MIDI or EnCodec audio, train a transformer, condition on text, and evaluate "
                            "with FAD and listening tests, checking that outputs aren't memorized training pieces."),
    ("tf-self-attention-mechanism", "Each token's query is scored against every key, softmaxed, and weights the "
                                    "values; distance doesn't matter and all positions are computed at once."),
])
def test_a_condition_a_check_or_a_new_clause_is_no_denial(qid: str, text: str) -> None:
    assert not any("it says" in r for r in grade(BANK.question(qid), text).remarks)


def test_a_long_list_with_a_few_longer_names_is_still_a_list() -> None:
    text = "probability p, zeroing units, co-adaptation, ensemble, thinned nets, 1/(1-p) scaling, inference"
    result = grade(BANK.question("tf-dropout"), text)
    assert result.verdict != CORRECT
    assert any("lists terms" in r for r in result.remarks)


def test_a_denial_in_a_contrast_is_said_of_the_other_side() -> None:
    text = ("an agent learns by acting in an environment and getting rewards, often delayed, to maximise cumulative "
            "reward; unlike unsupervised learning it is not about finding structure in data, and unlike supervised "
            "learning nobody labels the correct action")
    assert not any("it says" in r for r in grade(BANK.question("rl-definition"), text).remarks)


def test_a_plain_antonym_of_the_reference_reverses_it() -> None:
    text = ("Train on curated factual data, reward grounded answers and abstention with RLHF, use RAG with citations "
            "and a high temperature for factual tasks.")
    result = grade(BANK.question("llm-hallucination"), text)
    assert result.verdict != CORRECT
    assert any("“high” where it says “low”" in r for r in result.remarks)


def test_a_plain_antonym_qualifies_only_its_neighbour() -> None:
    text = ("Fine-tune on high quality factual data, reward admitting uncertainty with RLHF, ground answers with RAG "
            "and citations, and use a lower temperature.")
    assert not any("where it says" in r for r in grade(BANK.question("llm-hallucination"), text).remarks)


@pytest.mark.parametrize("qid, text", [
    ("llm-lora", "Freeze W and train a low-rank update BA of rank r, scaled by alpha over r; trainable parameters and "
                 "optimizer memory shrink a lot; the model itself is no smaller, and BA merges into W after training "
                 "so inference has no extra latency."),
    ("rl-continuous-actions", "no max over continuous actions -> plain DQN out. The policy outputs the action: a "
                              "Gaussian policy (PPO, SAC) or a deterministic actor trained through a critic (DDPG)."),
])
def test_a_misconception_needs_its_words_in_one_live_claim(qid: str, text: str) -> None:
    """Across two sentences, or ruled out right after ("plain DQN out"), its words state nothing."""
    assert not any("misconception" in r for r in grade(BANK.question(qid), text).remarks)


def test_a_misconception_that_ends_in_out_is_still_stated() -> None:
    text = "Scale the model up and train longer on web data: the biases average out."
    assert any("misconception" in r for r in grade(BANK.question("llm-bias-harm"), text).remarks)


def test_a_reference_that_names_the_outcome_first_fixes_no_order() -> None:
    """The backprop reference opens with "computes the gradient …" and says "gradients" again after the
    chain rule: an answer that runs the chain rule, then gets the gradients, keeps the order."""
    text = ("forward pass caches activations and the loss, backward pass applies the chain rule layer by layer from "
            "the loss to the inputs -> dL/dw for every weight; the SGD step is separate")
    assert not any("comes after" in r for r in grade(BANK.question("tf-backpropagation"), text).remarks)
