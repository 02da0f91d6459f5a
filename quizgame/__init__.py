"""quizgame: drill machine-learning and LLM interview questions in the terminal.

The documented API, importable without the UI (textual) or the store (tinydb):

    bank = quizgame.load_bank()                      # or load_bank(path)
    quizgame.grade(question, "typed answer")         # .verdict, .score
    quizgame.multiple_choice(question, bank, seed=1) # .options, .correct
"""
from quizgame.core.bank import BankError, load_bank
from quizgame.core.choices import MultipleChoice, multiple_choice
from quizgame.core.grading import Grade, grade
from quizgame.core.model import Bank, Idea, Question, Section

__version__ = "0.1.0"
__all__ = ["Bank", "BankError", "Grade", "Idea", "MultipleChoice", "Question", "Section",
           "grade", "load_bank", "multiple_choice", "__version__"]
