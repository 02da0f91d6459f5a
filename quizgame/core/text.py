"""Words as the grader sees them: tokens, abbreviations expanded, stems, typo-tolerant equality."""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

# Expanded on both sides, so "RL" in an answer meets "reinforcement learning" in a term.
# An expansion is never expanded again, so it spells out every word ("vram" gives "graphics ...").
ABBREVIATIONS: dict[str, str] = {
    "ae": "autoencoder", "ai": "artificial intelligence", "attn": "attention",
    "backprop": "backpropagation", "bn": "batch normalization", "bptt": "backpropagation through time",
    "cnn": "convolutional neural network", "cnns": "convolutional neural networks",
    "convnet": "convolutional neural network",
    "cpu": "central processing unit", "dl": "deep learning", "dnn": "deep neural network",
    "dnns": "deep neural networks",
    "dqn": "deep q network", "drl": "deep reinforcement learning", "emb": "embedding",
    "embs": "embeddings", "fc": "fully connected", "ffn": "feedforward network",
    "ft": "fine tuning", "gan": "generative adversarial network", "gans": "generative adversarial networks",
    "gd": "gradient descent",
    "gpu": "graphics processing unit", "gpus": "graphics processing units", "gru": "gated recurrent unit",
    "kd": "knowledge distillation", "kl": "kullback leibler", "kv": "key value",
    "llm": "large language model", "llms": "large language models", "lm": "language model",
    "lms": "language models",
    "ln": "layer normalization", "lr": "learning rate", "lstm": "long short term memory",
    "lstms": "long short term memory",
    "marl": "multi agent reinforcement learning", "mdp": "markov decision process",
    "ml": "machine learning", "mlp": "multi layer perceptron", "mlps": "multi layer perceptrons",
    "mse": "mean squared error",
    "nlp": "natural language processing", "nn": "neural network", "nns": "neural networks",
    "norm": "normalization", "params": "parameters", "param": "parameter",
    "peft": "parameter efficient fine tuning",
    "ppo": "proximal policy optimization", "qkv": "query key value", "qk": "query key",
    "rag": "retrieval augmented generation",
    "resnet": "residual network", "resnets": "residual networks", "rl": "reinforcement learning",
    "rlhf": "reinforcement learning from human feedback", "rnn": "recurrent neural network",
    "rnns": "recurrent neural networks", "sgd": "stochastic gradient descent",
    "slp": "single layer perceptron", "td": "temporal difference", "tpu": "tensor processing unit",
    "tpus": "tensor processing units", "vae": "variational autoencoder", "vaes": "variational autoencoders",
    "vram": "graphics processing unit memory",
    # Shorthand players type in a hurry.
    "approx": "approximation", "avg": "average", "var": "variance", "grads": "gradients",
    "feats": "features", "feat": "feature", "sigm": "sigmoid", "nin": "fan in", "nout": "fan out",
    "fanin": "fan in", "fanout": "fan out", "sqrt": "square root", "eps": "epsilon",
    "wrt": "with respect to", "info": "information", "env": "environment", "envs": "environments",
    "obs": "observations", "prob": "probability", "probs": "probabilities", "dim": "dimension",
    "dims": "dimensions", "dimensional": "dimension", "seq": "sequence", "seqs": "sequences",
    "fwd": "forward", "bwd": "backward", "ppl": "perplexity", "rm": "reward model",
    "sft": "supervised fine tuning", "net": "network", "nets": "networks", "mem": "memory",
    "perf": "performance", "eval": "evaluation", "evals": "evaluations", "hw": "hardware",
    "repo": "repository", "repos": "repositories", "doc": "document", "docs": "documents",
    "db": "database", "dbs": "databases", "knn": "k nearest neighbors", "ctx": "context",
    "temp": "temperature", "quant": "quantization", "resp": "response", "tok": "token", "toks": "tokens",
    "fb": "feedback", "prefs": "preferences", "pref": "preference", "ref": "reference",
    "lb": "load balancer", "ckpt": "checkpoint", "fmap": "feature map", "fmaps": "feature maps",
    "icl": "in context learning", "cot": "chain of thought", "pg": "policy gradient",
    "cai": "constitutional ai", "kg": "knowledge graph", "kgs": "knowledge graphs",
    "ttft": "time to first token", "ttl": "time to live", "pii": "personally identifiable information",
    "sota": "state of the art", "dk": "key dimension", "dedup": "deduplication",
    "dedupe": "deduplication", "hparams": "hyperparameters", "hyperparams": "hyperparameters",
    "async": "asynchronous", "sync": "synchronous", "expl": "exploration", "est": "estimate",
    "sl": "supervised learning", "ul": "unsupervised learning", "enc": "encoder",
    "dp": "data parallelism", "tp": "tensor parallelism", "pp": "pipeline parallelism",
    "accum": "accumulation", "decontam": "decontamination", "cda": "counterfactual data augmentation",
    "bw": "bandwidth", "mgmt": "management", "coref": "coreference", "det": "detection",
    "recon": "reconstruction", "gen": "generation", "cond": "conditioning",
}

STOPWORDS = frozenset("""
a an the and or but if then than so as of to in on at by for with from into onto over under
about above below between through during before after again further up down out off
is are was were be been being am do does did doing have has had having can could should would
will shall may might must it its itself this that these those there here what which who whom whose
when where why how all any both each few more most other some such only own same too very
i me my we our you your he him his she her they them their one ones also just like via per
""".split())

# Function words that still carry meaning inside a key term ("all tokens", "no labels",
# "only linear"): the grader keeps them as a class, so "every word" meets "all tokens".
QUANTIFIERS: dict[str, str] = {}
for _cls, _words in {
    "~all": "all every each whole entire everything everyone",
    "~only": "only solely merely alone",
    "~no": "no not without never none nothing cannot cant dont doesnt isnt arent wont nor neither",
    "~other": "other others another",
    "~same": "same identical",
    "~few": "few fewer less little",
    "~more": "more most extra additional",
}.items():
    for _w in _words.split():
        QUANTIFIERS[_w] = _cls

# Words an interviewer treats as the same thing in this field; the first names the group.
# Groups stay narrow: a loose group lets an answer to another question through.
SYNONYMS = [
    "parameter weight knob", "state situation", "action move", "retrieve fetch lookup search",
    "document passage chunk snippet", "example demonstration exemplar shot", "imitate mimic copy replicate clone",
    "small smaller tiny compact lightweight", "large big huge massive giant enormous vast",
    "fast quick rapid speedy", "average mean", "maximum max largest biggest strongest loudest highest",
    "minimum min smallest lowest",
    "loss error cost", "gradient derivative grad", "explode blow diverge snowball",
    "vanish fade shrink diminish disappear", "overfit memorize memorise", "train learn", "neuron unit node",
    "nonlinear nonlinearity", "probability chance likelihood", "sequence series", "previous past earlier prior",
    "future later upcoming", "immediate instant", "output prediction", "combine blend mix merge",
    "relevant related similar", "reduce cut lower decrease shrinking", "increase boost raise",
    "distribution spread", "label annotate", "token word", "freeze frozen fixed",
    "expensive costly pricey", "image picture photo", "goal objective aim", "answer response reply",
    "query question", "dataset data corpus", "single one", "safe safety", "toxic toxicity",
]
NEGATIONS = frozenset("not no never without isnt arent doesnt dont didnt cannot cant wont nor neither".split())

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
TOKEN = _TOKEN  # what positioned() finds, for callers that need where each token stands
_BRITISH = ((re.compile(r"isation"), "ization"), (re.compile(r"is(e|es|ed|ing)$"), r"iz\1"),
            (re.compile(r"yse$"), "yze"))
# Stems the stemmer would merge with an unrelated word ("meaning" is not "mean").
_STEM_EXCEPTIONS = {"meaning": "meaning", "meanings": "meaning", "means": "means", "one": "one",
                    "ones": "one", "weighted": "weighted", "weighting": "weighted",
                    # not "derivative", not "response"
                    "derive": "derive", "derived": "derive", "derives": "derive", "deriving": "derive",
                    "responsible": "responsible", "responsibility": "responsible"}
_AMERICAN = {"centre": "center", "centres": "centers", "centred": "centered", "centring": "centering",
             "behaviour": "behavior", "behaviours": "behaviors", "favour": "favor", "favours": "favors",
             "favourite": "favorite", "colour": "color", "neighbour": "neighbor", "neighbours": "neighbors",
             "neighbouring": "neighboring", "analyse": "analyze", "analysed": "analyzed"}

# Notation, applied before Unicode normalisation (which would turn "Kᵀ" into "KT" and "Σ" into "σ").
_SYMBOLS = (("ᵀ", " transpose "), ("Σ", " sum "), ("∑", " sum "), ("√", " sqrt "), ("∇", " gradient "),
            ("⊥", " independent "), ("≈", " approximately "), ("∝", " proportional to "), ("→", " to "),
            ("⟶", " to "), ("⇒", " to "), ("←", " update "), ("≪", " much smaller than "),
            ("≫", " much larger than "), ("∞", " infinity "), ("×", " times "), ("·", " "), ("∈", " in "))
_TRANSPOSE = re.compile(r"\^T\b|(?i:(?<=k)\^t\b)")
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
          "θ": "theta", "λ": "lambda", "μ": "mu", "π": "policy", "σ": "sigma", "τ": "tau", "φ": "phi"}
# Applied to the casefolded text.
_NOTATION = (
    (re.compile(r"\bw/o\b"), " without "), (re.compile(r"\bw/(?=[\s\w])"), " with "),
    (re.compile(r"\bb/c\b"), " because "), (re.compile(r"\bi/o\b"), " input output "),
    (re.compile(r"-+>|=+>"), " to "), (re.compile(r"<-+"), " update "), (re.compile(r"&"), " and "),
    (re.compile(r"@"), " at "), (re.compile(r"#"), " number "), (re.compile(r"<<"), " much smaller than "),
    (re.compile(r">>"), " much larger than "), (re.compile(r"\b1[- ]?hot\b"), " one hot "),
    (re.compile(r"\be2e\b"), " end to end "), (re.compile(r"\bd_k\b"), " key dimension "),
    # RL notation: Q(s,a), V(s), P(s'|s,a), π(a|s), E[...]
    (re.compile(r"\(\s*s_?t?\s*,\s*a_?t?\s*\)"), " (state action) "),
    (re.compile(r"\(\s*s\s*\|\s*s\s*,\s*a\s*\)"), " (next state given state action) "),
    (re.compile(r"\(\s*a\s*\|\s*s\s*\)"), " (action given state) "),
    (re.compile(r"\(\s*s\s*\)"), " (state) "), (re.compile(r"\be_?\s*(?:policy\s*|theta\s*)?\["), " expected ["),
    (re.compile(r"\bw\.p\.(?=\s)"), " with probability "),
)


_PLAIN = re.compile(r"[a-z\s,.;:!?]*")  # nothing for the notation rules to rewrite


def _stemmer() -> Any:
    # Imported on first use: only grading needs it, and start-up should not pay for it.
    # snowballstemmer's __init__ imports the stemmers of all its 30 languages (2.9 MB of Python
    # objects, tracemalloc; 0.1 MB for English alone), and a served game is one process per
    # player: the English module is imported under a package whose __init__ has not run, and
    # the package is then dropped, so a later `import snowballstemmer` still gets all of it.
    # The lock: two threads' first stems (a round's grader warming up while the bank loads)
    # must not see each other's half-made package.
    import importlib.util
    import sys

    with _STEMMER_IMPORT:
        if "snowballstemmer" in sys.modules:
            from snowballstemmer.english_stemmer import EnglishStemmer

            return EnglishStemmer()
        spec = importlib.util.find_spec("snowballstemmer")
        if spec is None:
            raise ModuleNotFoundError("No module named 'snowballstemmer'", name="snowballstemmer")
        sys.modules["snowballstemmer"] = importlib.util.module_from_spec(spec)
        try:
            english = importlib.import_module("snowballstemmer.english_stemmer")
        finally:
            del sys.modules["snowballstemmer"]
        return english.EnglishStemmer()


_STEMMER_IMPORT = threading.Lock()


_STEMMER = None
# The stemmer keeps the word it is cutting in the object: one thread at a time (the round indexes
# the bank in a worker thread while the screen grades the answer being typed). Reentrant: filling
# the synonym table stems its words. Held once per new word only (the callers are cached).
_STEM_LOCK = threading.RLock()


_CANONICAL: dict[str, str] = {}


def _canonical(word_stem: str) -> str:
    with _STEM_LOCK:  # a half-filled table read by another thread would fold nothing
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
def base_stem(word: str) -> str:
    """The word's stem before synonyms are folded: "largest" is "largest", not "maximum"."""
    return _stem_raw(word)


@lru_cache(maxsize=65536)
def _stem_raw(word: str) -> str:
    global _STEMMER
    if word[0].isdigit():
        return word
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    word = _AMERICAN.get(word, word)
    for pattern, repl in _BRITISH:
        word = pattern.sub(repl, word) if len(word) > 5 else word
    with _STEM_LOCK:
        if _STEMMER is None:
            _STEMMER = _stemmer()
        return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Casefolded text with notation spelled out: "w/o" is "without", "QKᵀ" is "qk transpose"."""
    for symbol, words in _SYMBOLS:
        if symbol in text:
            text = text.replace(symbol, words)
    text = _TRANSPOSE.sub(" transpose ", text)
    text = unicodedata.normalize("NFKC", text).casefold().replace("'", "").replace("\u2019", "")
    for letter, name in _GREEK.items():
        if letter in text:
            text = text.replace(letter, f" {name} ")
    if _PLAIN.fullmatch(text) is None:
        for pattern, repl in _NOTATION:
            text = pattern.sub(repl, text)
    return text


def raw_tokens(text: str) -> list[str]:
    """Lowercase word and number tokens; apostrophes are dropped so "doesn't" is one token, and
    hyphens split words ("non-linear" gives "non" and "linear")."""
    return [part for token in _TOKEN.findall(normalize(text)) for part in token.split("-")]


def positioned(text: str) -> list[str]:
    """The tokens whose indexes are the positions `tokens` reports (compounds stay whole)."""
    return _TOKEN.findall(normalize(text))


# A flashcard's front that names a term rather than asking ("systemctl start [unit]", "git stash -p"):
# no question mark, no question word first, at most TERM_CARD_WORDS words. Its answer may say what it
# does with the front's own words ("Start a specified unit").
TERM_CARD_WORDS = 6
_QUESTION_WORDS = frozenset("what whats how why when where which who whom whose describe explain define name list "
                            "compare contrast give state is are does do did can could should would will".split())


def term_card(prompt: str) -> bool:
    """Whether the prompt is a flashcard's front that names a term (see TERM_CARD_WORDS)."""
    words = positioned(prompt)
    return "?" not in prompt and 0 < len(words) <= TERM_CARD_WORDS and words[0] not in _QUESTION_WORDS


_JOINABLE = frozenset("off on in out up down over under self pre post non multi co re sub semi".split())
_PREFIXES = ("non", "multi", "pre", "self", "semi", "sub", "over", "under")


def _parts(token: str) -> list[str]:
    """A prefixed word also counts as its parts: "nonlinear" meets a term "non-linear"."""
    for prefix in _PREFIXES:
        rest = token[len(prefix):]
        if token.startswith(prefix) and len(rest) >= 5:
            return [token, prefix, rest]
    return [token]


@lru_cache(maxsize=65536)
def _expand(token: str, split: bool) -> tuple[str, ...]:
    expansion = ABBREVIATIONS.get(token)
    if expansion:
        return tuple(expansion.split())
    return tuple(_parts(token)) if split else (token,)


def tokens(text: str, term: bool = False) -> list[tuple[int, str]]:
    """(position, word) pairs with abbreviations expanded in place (expansions share a position).

    In an answer a compound also counts whole and as its parts ("non-linear" and "nonlinear" both
    give "nonlinear", "non" and "linear"); in a key term (`term`) a word stays as written, so a
    term "nonlinear" asks for that word (or its hyphenated spelling), not for "non" and "linear"."""
    raw = _TOKEN.findall(normalize(text))
    split = not term
    out: list[tuple[int, str]] = []
    append = out.append
    for position, token in enumerate(raw):
        if "-" not in token:
            expanded = _expand(token, split)
            if len(expanded) == 1:
                append((position, expanded[0]))
            else:
                out.extend([(position, w) for w in expanded])
            continue
        parts = [p for p in token.split("-") if p]
        joined = "".join(parts)
        if term and len(parts) > 1 and any(p in STOPWORDS and p in _JOINABLE for p in parts):
            append((position, joined))  # "off-policy" asks for "offpolicy", not for "policy"
            continue
        for part in parts:
            out.extend([(position, w) for w in _expand(part, split)])
        if split and len(parts) > 1 and len(joined) >= 5 and joined not in ABBREVIATIONS:
            append((position, joined))
    if split:  # "off policy" also counts as "offpolicy"
        for position, first in enumerate(raw[:-1]):
            if first in _JOINABLE:
                second = raw[position + 1]
                if "-" not in second and len(second) >= 3:
                    append((position + 1, first + second))
    return out


def content_stems(text: str) -> list[tuple[int, str]]:
    """(position, stem) of the words that carry meaning."""
    return [(p, stem(w)) for p, w in tokens(text) if w not in STOPWORDS]


def content_words_raw(text: str) -> list[tuple[int, str, str]]:
    """(position, stem, word) of the words that carry meaning."""
    return [(p, stem(w), w) for p, w in tokens(text) if w not in STOPWORDS]


@lru_cache(maxsize=16384)
def grading_words(text: str, term: bool = False) -> tuple[tuple[int, str, str], ...]:
    """(position, stem, word) of the words a key term can ask for: content words, plus
    quantifiers and negations as their class ("~all", "~no"), which terms may also name."""
    out = []
    for p, w in tokens(text, term):
        cls = QUANTIFIERS.get(w)
        if cls is not None:
            out.append((p, cls, w))
        elif w not in STOPWORDS or w == "one":
            out.append((p, stem(w), w))
    return tuple(out)


def similar(stem_a: str, word_a: str, stem_b: str, word_b: str) -> bool:
    """The same word give or take typos: stems compared, with a budget set by the longer spelling."""
    if stem_a == stem_b:
        return True
    if stem_a[:1] != stem_b[:1]:  # typos seldom hit the first letter; "actor" is not "factor"
        return False
    if _opposite_prefixes(word_a, word_b):  # "onpolicy" is not a typo of "offpolicy"
        return False
    budget = typo_budget(max(word_a, word_b, key=len))
    return within_edits(stem_a, stem_b, budget) or within_edits(word_a, word_b, budget)


@lru_cache(maxsize=65536)
def _prefix(word: str) -> tuple[str, str]:
    for prefix in sorted(_JOINABLE, key=len, reverse=True):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return prefix, word[len(prefix):]
    return "", word


def _opposite_prefixes(a: str, b: str) -> bool:
    """Two words that differ in a prefix of their own ("on-policy" and "off-policy", "pre-norm" and
    "post-norm", "overfit" and "underfit"): different words, whatever their spelling distance."""
    pa, rest_a = _prefix(a.replace("-", ""))
    pb, rest_b = _prefix(b.replace("-", ""))
    return pa != pb and (pa or pb) != "" and rest_a == rest_b


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """The stems of a text's meaningful words (cached: bank checks meet the same terms often)."""
    return frozenset(s for _, s in content_stems(text))


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
