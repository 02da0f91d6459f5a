"""Where things live: the save folder and the banks a player can choose from."""
from __future__ import annotations

import os
from pathlib import Path

from quizgame.bankcache import load_bank_cached
from quizgame.core.bank import Bank, BankError, Problem, shipped_content_dir

SAVE_DIR_ENV = "QUIZGAME_SAVE_DIR"
BANKS_FOLDER = "banks"


def default_save_dir() -> Path:
    """saves/ of the quizgame checkout being played from, else the user's data folder."""
    for checkout in (Path(__file__).resolve().parent.parent, Path.cwd()):
        if (checkout / "saves").is_dir() and _is_quizgame_checkout(checkout):
            return checkout / "saves"
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "quizgame" / "saves"


def _is_quizgame_checkout(folder: Path) -> bool:
    try:
        return 'name = "quizgame"' in (folder / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return False


def save_dir(option: str | None) -> Path:
    chosen = option or os.environ.get(SAVE_DIR_ENV)
    return Path(chosen).expanduser() if chosen else default_save_dir()


def imported_banks_dir(saves: Path) -> Path:
    return saves / BANKS_FOLDER


def load_banks(saves: Path, extra: str | None = None) -> tuple[list[Bank], list[Problem]]:
    """The shipped bank (or `extra` instead), then every imported bank that loads.

    The first bank must load, or BankError is raised; a broken imported bank is skipped
    and its problems are returned, so one bad import never keeps the game from starting.
    """
    banks = [load_bank_cached(extra)]
    problems: list[Problem] = []
    folder = imported_banks_dir(saves)
    if extra is None and folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            try:
                bank = load_bank_cached(path)
            except BankError as error:
                problems.extend(error.problems)
                continue
            if all(b.id != bank.id for b in banks):
                banks.append(bank)
    return banks, problems


__all__ = ["default_save_dir", "imported_banks_dir", "load_banks", "save_dir", "shipped_content_dir"]
