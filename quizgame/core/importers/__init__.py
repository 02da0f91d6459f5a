"""Import other question collections as a quizgame bank.

    result = import_bank(Path("questions.md"))          # fmt="auto" | "text" | "markdown" | "anki" | "quizlet" | "csv"
    result.toml, result.questions, result.skipped, result.format, result.notes
    write_bank(result, Path("my-bank.toml"), force=False)

Both raise ImportFailed (with .problems, a list of quizgame.core.bank.Problem) and nothing else.
The produced bank always passes load_bank: ids, sections, options, topics and key ideas are
derived from the file; distractors are left empty (the game draws wrong options from other
questions). Pure standard library: no UI or store imports.
"""
from quizgame.core.importers.api import FORMATS, ImportResult, detect_format, import_bank, write_bank
from quizgame.core.importers.decode import MAX_BYTES
from quizgame.core.importers.records import ImportFailed

__all__ = ["FORMATS", "MAX_BYTES", "ImportFailed", "ImportResult", "detect_format", "import_bank", "write_bank"]
