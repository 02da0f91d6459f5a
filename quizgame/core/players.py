"""Player names: shown exactly as typed, so only what cannot be shown is refused."""
from __future__ import annotations

import unicodedata

MAX_NAME_LENGTH = 32


class InvalidName(ValueError):
    pass


def check_name(name: str) -> str:
    """The name to store, or InvalidName saying why it is refused. Only the ends are trimmed."""
    name = name.strip()
    if not name:
        raise InvalidName("A name cannot be empty.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidName(f"A name can have at most {MAX_NAME_LENGTH} characters (this one has {len(name)}).")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\u200d" for c in name):
        raise InvalidName("A name cannot contain control characters.")
    if any(unicodedata.category(c) == "Cs" for c in name):  # bytes that were not UTF-8, as argv decodes them
        raise InvalidName("A name must be valid UTF-8 text.")
    return name


def same_name(a: str, b: str) -> bool:
    """Names are unique regardless of case, so "Ana" and "ana" are not two players."""
    return unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
