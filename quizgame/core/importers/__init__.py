"""Import other question collections as a quizgame bank.

    result = import_bank(Path("questions.md"))          # fmt="auto" | "text" | "markdown" | "anki" | "quizlet" | "csv"
    result.toml, result.questions, result.skipped, result.skip_reasons, result.format, result.separator

It raises ImportFailed (with .problems, a list of quizgame.core.bank.Problem) and nothing else,
and writes no files: quizgame.bankwrite.write_bank(result.toml, path) saves the bank.
The produced bank always passes load_bank: ids, sections, options, topics and key ideas are
derived from the file; distractors are left empty (the game draws wrong options from other
questions). Standard library and markdown-it-py only: no UI or store imports.
"""
from quizgame.core.importers.api import (
    FORMATS,
    ImportResult,
    detect_format,
    import_bank,
)
from quizgame.core.importers.decode import MAX_BYTES
from quizgame.core.importers.records import MAX_QUESTIONS, ImportFailed

__all__ = ["FORMATS", "MAX_BYTES", "MAX_QUESTIONS", "ImportFailed", "ImportResult", "detect_format", "import_bank"]
