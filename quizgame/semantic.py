"""The `quizgame[semantic]` extra: WordLlama's sentence embeddings, loaded offline from its wheel.

    pip install 'quizgame[semantic]'

WordLlama (MIT, https://github.com/dleemiller/WordLlama) ships its default model, l2_supercat at
256 dimensions (16 MB of static token vectors and its tokenizer), inside the PyPI package. It is
loaded from the installed package with downloads disabled: no network, ever. Loading takes about
a second (numpy, tokenizers), so the game calls `enable()` in a worker thread a second after its
first screen is drawn, and again (at once returning) when a round with typed answers opens;
answers graded before it is ready use the default scorer.

Nothing here is imported by the default install's code paths except `status()`, which only looks
for the package. See quizgame/core/semantic.py for what the grader does with it.
"""
from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizgame.core import semantic

if TYPE_CHECKING:
    import numpy as np

PACKAGE = "wordllama"
CONFIG = "l2_supercat"
DIMENSIONS = 256          # the one size the wheel ships (l2_supercat_256.safetensors)
# QUIZGAME_SEMANTIC=0 keeps semantic grading off even with the extra installed.
SWITCH = "QUIZGAME_SEMANTIC"
# Embeddings kept for texts met again (references, prompts, their words): about 8 MB at 256
# float32 dimensions, enough for the words of a few hundred recent questions.
CACHED_TEXTS = 8192

# Seconds after the game's first screen is drawn before the model starts loading: past first
# paint (measured against a bare Textual app, benchmarks/run.py), well before a new player has
# typed a name and opened a round.
PRELOAD_AFTER = 1.0

_lock = threading.Lock()
_failures: list[str] = []  # the first load error, kept so that a broken install is tried once


def installed() -> bool:
    """The extra is installed (without importing it)."""
    return importlib.util.find_spec(PACKAGE) is not None


def wanted() -> bool:
    return os.environ.get(SWITCH, "1").strip().lower() not in {"0", "off", "no", "false"}


def status() -> str:
    """One line for `quizgame --version`."""
    if not installed():
        return "semantic grading: off (pip install 'quizgame[semantic]' to add it)"
    if not wanted():
        return f"semantic grading: off ({SWITCH}=0)"
    return f"semantic grading: on ({_name()})"


def _name() -> str:
    from importlib import metadata  # not at the top: it costs more than the rest of `quizgame --version`

    return f"WordLlama {metadata.version(PACKAGE)}, {CONFIG} {DIMENSIONS}-d, offline"


class WordLlamaSimilarity:
    """quizgame.core.semantic.Similarity over a loaded WordLlama model."""

    def __init__(self, model: Any, name: str) -> None:
        self._model = model
        self._name = name
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def name(self) -> str:
        return self._name

    def matrix(self, rows: Sequence[str], columns: Sequence[str]) -> list[list[float]]:
        left, right = self._vectors(rows), self._vectors(columns)
        return (left @ right.T).tolist()

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of `texts`, embedded once each while they stay among the recent ones."""
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for t, v in zip(missing, self._embed(missing)):
                self._cache[t] = v
        for t in texts:
            self._cache.move_to_end(t)
        while len(self._cache) > CACHED_TEXTS:
            self._cache.popitem(last=False)
        return np.stack([self._cache[t] for t in texts])

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one per text; a zero vector for a text with no tokens."""
        import numpy as np

        raw = self._model.embed(texts, norm=False)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        return np.divide(raw, norms, out=np.zeros_like(raw), where=norms > 0)


def load_model() -> WordLlamaSimilarity | None:
    """Load the model shipped inside the wordllama wheel, never downloading: None without the extra.

    WordLlama looks for its tokenizer in `wordllama/tokenizer/` but the wheel ships it in
    `wordllama/tokenizers/`; with the package folder as its cache folder both files resolve
    locally, and `disable_download` turns a missing file into an error instead of a download.
    """
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        return None
    # The tokenizer's thread pool costs more than it saves on the few short texts of one answer.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    folder = Path(wordllama.__file__).parent
    model = WordLlama.load(config=CONFIG, dim=DIMENSIONS, cache_dir=folder, disable_download=True)
    return WordLlamaSimilarity(model, _name())


def enable() -> bool:
    """Load the model once and hand it to the grader; True when semantic grading is on.
    Safe to call from several threads; later calls return at once. A model that fails to load
    (a damaged install) leaves grading as it is without the extra: `failure()` says why."""
    if semantic.active() is not None:
        return True
    if not wanted() or not installed():
        return False
    with _lock:
        if semantic.active() is None and not _failures:
            try:
                semantic.install(load_model())
            except Exception as exc:  # an optional feature never stops the game
                _failures.append(f"{type(exc).__name__}: {exc}")
    return semantic.active() is not None


def failure() -> str:
    """Why the installed extra could not be loaded ("" when it could, or was not tried)."""
    return _failures[0] if _failures else ""
