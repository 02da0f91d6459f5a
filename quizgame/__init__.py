"""quizgame: drill machine-learning and LLM interview questions in the terminal.

The documented API, importable without the UI (textual) or the store (tinydb):

    bank = quizgame.load_bank()                      # or load_bank(path)
    quizgame.grade(question, "typed answer")         # .verdict, .score
    quizgame.multiple_choice(question, bank, seed=1) # .options, .correct

Names are imported on first use, so that `quizgame --help` need not load the grader.
"""
from importlib import import_module

__version__ = "0.1.0"

_API = {
    "Bank": "quizgame.core.model", "Idea": "quizgame.core.model", "Question": "quizgame.core.model",
    "Section": "quizgame.core.model", "BankError": "quizgame.core.bank", "load_bank": "quizgame.core.bank",
    "Grade": "quizgame.core.grading", "grade": "quizgame.core.grading",
    "MultipleChoice": "quizgame.core.choices", "multiple_choice": "quizgame.core.choices",
}
__all__ = [*_API, "__version__"]


def __getattr__(name: str):
    if name in _API:
        value = getattr(import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'quizgame' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
