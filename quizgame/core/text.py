"""Words as the grader sees them: tokens, abbreviations expanded, stems, typo-tolerant equality."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Expanded on both sides, so "RL" in an answer meets "reinforcement learning" in a term.
ABBREVIATIONS: dict[str, str] = {
    "ae": "autoencoder", "ai": "artificial intelligence", "attn": "attention",
    "backprop": "backpropagation", "bn": "batch normalization", "bptt": "backpropagation through time",
    "cnn": "convolutional neural network", "convnet": "convolutional neural network",
    "cpu": "central processing unit", "dl": "deep learning", "dnn": "deep neural network",
    "dqn": "deep q network", "drl": "deep reinforcement learning", "emb": "embedding",
    "embs": "embeddings", "fc": "fully connected", "ffn": "feedforward network",
    "ft": "fine tuning", "gan": "generative adversarial network", "gd": "gradient descent",
    "gpu": "graphics processing unit", "gpus": "graphics processing units", "gru": "gated recurrent unit",
    "kd": "knowledge distillation", "kl": "kullback leibler", "kv": "key value",
    "llm": "large language model", "llms": "large language models", "lm": "language model",
    "ln": "layer normalization", "lr": "learning rate", "lstm": "long short term memory",
    "marl": "multi agent reinforcement learning", "mdp": "markov decision process",
    "ml": "machine learning", "mlp": "multi layer perceptron", "mse": "mean squared error",
    "nlp": "natural language processing", "nn": "neural network", "nns": "neural networks",
    "norm": "normalization", "params": "parameters", "peft": "parameter efficient fine tuning",
    "ppo": "proximal policy optimization", "qkv": "query key value",
    "rag": "retrieval augmented generation", "relu": "rectified linear unit",
    "resnet": "residual network", "rl": "reinforcement learning",
    "rlhf": "reinforcement learning from human feedback", "rnn": "recurrent neural network",
    "rnns": "recurrent neural networks", "sgd": "stochastic gradient descent",
    "slp": "single layer perceptron", "td": "temporal difference", "tpu": "tensor processing unit",
    "tpus": "tensor processing units", "vae": "variational autoencoder", "vram": "gpu memory",
}

STOPWORDS = frozenset("""
a an the and or but if then than so as of to in on at by for with from into onto over under
about above below between through during before after again further up down out off
is are was were be been being am do does did doing have has had having can could should would
will shall may might must it its itself this that these those there here what which who whom whose
when where why how all any both each few more most other some such only own same too very
i me my we our you your he him his she her they them their one ones also just like via per
""".split())

# Words an interviewer treats as the same thing in this field; the first names the group.
# Groups stay narrow: a loose group lets an answer to another question through.
SYNONYMS = [
    "parameter weight knob", "state situation", "action move", "retrieve fetch lookup search",
    "document passage chunk snippet", "example demonstration exemplar shot", "imitate mimic copy replicate",
    "small smaller tiny compact lightweight", "large big huge massive", "fast quick rapid speedy",
    "average mean", "maximum max largest biggest strongest loudest", "minimum min smallest",
    "loss error cost", "gradient derivative grad", "explode blow diverge", "vanish fade shrink diminish",
    "overfit memorize memorise", "train learn", "neuron unit node", "nonlinear nonlinearity",
    "probability chance likelihood", "sequence series", "previous past earlier prior",
    "future later upcoming", "immediate instant", "output prediction", "combine blend mix merge",
    "relevant related similar", "reduce cut lower decrease shrinking", "increase boost raise",
    "distribution spread", "label annotate", "token word", "freeze frozen fixed",
]
NEGATIONS = frozenset("not no never without isnt arent doesnt dont didnt cannot cant wont nor neither".split())

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+", re.UNICODE)
_BRITISH = ((re.compile(r"isation"), "ization"), (re.compile(r"is(e|es|ed|ing)$"), r"iz\1"),
            (re.compile(r"yse$"), "yze"))


def _stemmer():
    # Imported on first use: only grading needs it, and start-up should not pay for it.
    from snowballstemmer.english_stemmer import EnglishStemmer

    return EnglishStemmer()


_STEMMER = None


_CANONICAL: dict[str, str] = {}


def _canonical(word_stem: str) -> str:
    if not _CANONICAL:
        for group in SYNONYMS:
            words = group.split()
            head = _stem_raw(words[0])
            for word in words:
                _CANONICAL.setdefault(_stem_raw(word), head)
    return _CANONICAL.get(word_stem, word_stem)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The word's stem, with synonyms of the field folded together."""
    return _canonical(_stem_raw(word))


@lru_cache(maxsize=65536)
def _stem_raw(word: str) -> str:
    global _STEMMER
    if word[0].isdigit():
        return word
    if _STEMMER is None:
        _STEMMER = _stemmer()
    for pattern, repl in _BRITISH:
        word = pattern.sub(repl, word) if len(word) > 5 else word
    return _STEMMER.stemWord(word)


def raw_tokens(text: str) -> list[str]:
    """Lowercase word and number tokens; apostrophes are dropped so "doesn't" is one token."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("'", "").replace("\u2019", "")
    return _TOKEN.findall(text)


_PREFIXES = ("non", "multi", "pre", "self", "semi", "sub", "over", "under")


def _parts(token: str) -> list[str]:
    """A prefixed word also counts as its parts: "nonlinear" meets a term "non-linear"."""
    for prefix in _PREFIXES:
        rest = token[len(prefix):]
        if token.startswith(prefix) and len(rest) >= 5:
            return [token, prefix, rest]
    return [token]


def tokens(text: str) -> list[tuple[int, str]]:
    """(position, word) pairs with abbreviations expanded in place (expansions share a position)."""
    out = []
    for position, token in enumerate(raw_tokens(text)):
        expansion = ABBREVIATIONS.get(token)
        if expansion:
            out.extend((position, word) for word in expansion.split())
        else:
            out.extend((position, part) for part in _parts(token))
    return out


def content_stems(text: str) -> list[tuple[int, str]]:
    """(position, stem) of the words that carry meaning."""
    return [(p, stem(w)) for p, w in tokens(text) if w not in STOPWORDS]


def content_words_raw(text: str) -> list[tuple[int, str, str]]:
    """(position, stem, word) of the words that carry meaning."""
    return [(p, stem(w), w) for p, w in tokens(text) if w not in STOPWORDS]


def similar(stem_a: str, word_a: str, stem_b: str, word_b: str) -> bool:
    """The same word give or take typos: stems compared, with a budget set by the longer spelling."""
    if stem_a == stem_b:
        return True
    if stem_a[:1] != stem_b[:1]:  # typos seldom hit the first letter; "actor" is not "factor"
        return False
    budget = typo_budget(max(word_a, word_b, key=len))
    return within_edits(stem_a, stem_b, budget) or within_edits(word_a, word_b, budget)


def content_words(text: str) -> set[str]:
    return {s for _, s in content_stems(text)}


def typo_budget(word: str) -> int:
    """Edits tolerated in a word: none for short words and numbers, more for long words."""
    if word[0].isdigit() or len(word) <= 4:
        return 0
    return 1 if len(word) <= 8 else 2


def within_edits(a: str, b: str, budget: int) -> bool:
    """Optimal-string-alignment distance (a swap of neighbours is one edit) of at most `budget`."""
    if a == b:
        return True
    if budget == 0 or abs(len(a) - len(b)) > budget:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > budget:
            return False
        previous2, previous = previous, current
    return previous[-1] <= budget
