"""Where things live: the save folder and the banks a player can choose from."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from quizgame.bankcache import load_bank_cached
from quizgame.core.bank import BankError, Problem, shipped_content_dir
from quizgame.core.model import Bank

SAVE_DIR_ENV = "QUIZGAME_SAVE_DIR"
BANKS_FOLDER = "banks"


MOVED_NOTE = "MOVED-TO.txt"  # left in a checkout's old saves/ after its copy to the data folder


def default_save_dir() -> Path:
    """The user's data folder (platformdirs: ~/.local/share/quizgame/saves on Linux, honouring
    $XDG_DATA_HOME), wherever the game is started from."""
    from platformdirs import user_data_path

    return user_data_path("quizgame", appauthor=False) / "saves"


def save_dir(option: str | None) -> Path:
    """--save-dir, else $QUIZGAME_SAVE_DIR, else the user's data folder."""
    chosen = option or os.environ.get(SAVE_DIR_ENV)
    return Path(chosen).expanduser() if chosen else default_save_dir()


def save_dir_source(option: str | None) -> str:
    """Why the saves are where they are, for --help, the title screen and `quizgame stats`."""
    if option:
        return "--save-dir"
    return SAVE_DIR_ENV if os.environ.get(SAVE_DIR_ENV) else "the user data folder"


def migrate_checkout_saves(target: Path) -> str | None:
    """Saves from a quizgame checkout's saves/ (where versions before 0.2 kept them when played from
    the checkout) are copied once into the user data folder, if that has no players yet.

    The old folder is never deleted: a note in it says where its saves went. Returns a message
    for the player, or None when there was nothing to move.
    """
    if _has_players(target):
        return None
    for checkout in dict.fromkeys((Path(__file__).resolve().parent.parent, Path.cwd().resolve())):
        old = checkout / "saves"
        if old.resolve() == target.resolve() or (old / MOVED_NOTE).exists():
            continue
        if _is_quizgame_checkout(checkout) and _has_players(old):
            import shutil

            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(old, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".lock"))
            (old / MOVED_NOTE).write_text(
                f"quizgame now keeps saves in {target}.\nThese files were copied there; this folder is kept "
                "untouched as a backup and is no longer read.\n", encoding="utf-8")
            return f"Your saves from {old} were copied to {target}, where quizgame now keeps them. The old folder is kept."
    return None


def _has_players(folder: Path) -> bool:
    return any((folder / "players").glob("*/player.json"))


def _is_quizgame_checkout(folder: Path) -> bool:
    try:
        return 'name = "quizgame"' in (folder / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return False


def imported_banks_dir(saves: Path) -> Path:
    return saves / BANKS_FOLDER


def load_banks(saves: Path, extra: str | None = None,
               notice: Callable[[str], None] | None = None) -> tuple[list[Bank], list[Problem]]:
    """The shipped bank (or `extra` instead), then every imported bank that loads.

    The first bank must load, or BankError is raised; a broken imported bank is skipped
    and its problems are returned, so one bad import never keeps the game from starting.
    notice hears when a big bank is about to be checked afresh (load_bank_cached).
    """
    banks = [load_bank_cached(extra, notice=notice)]
    problems: list[Problem] = []
    folder = imported_banks_dir(saves)
    if extra is None and folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            try:
                bank = load_bank_cached(path, notice=notice)
            except BankError as error:
                problems.extend(error.problems)
                continue
            if all(b.id != bank.id for b in banks):
                banks.append(bank)
    return banks, problems


__all__ = ["default_save_dir", "imported_banks_dir", "load_banks", "migrate_checkout_saves", "save_dir",
           "save_dir_source", "shipped_content_dir"]
