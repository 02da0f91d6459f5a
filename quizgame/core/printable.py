"""Text from players, banks and save files made safe to print or draw: no control character
reaches the terminal. Each one is shown instead, so nothing is silently hidden either.

- C0 controls (ESC, BEL, CR, ...) become their Unicode control pictures (ESC is "␛");
- DEL becomes "␡";
- C1 controls (U+0080-U+009F: one of them, CSI, starts an escape sequence on its own),
  the bidirectional overrides and isolates (which reorder what follows, "Trojan Source"),
  line and paragraph separators, and lone surrogates (a name that was not UTF-8) are
  written as escapes: "<U+202E>", "<\\xff>".
Tab and newline are kept only where the caller allows several lines (`lines=True`).
"""
from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Every character that is not safe on a terminal, in one class: C0, DEL, C1, bidi controls,
# line/paragraph separators, surrogates (from bytes that were not UTF-8), and the BOM.
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff\ufeff]")
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff\ufeff]")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"<\\x{code - 0xDC00:02x}>"
    return f"<U+{code:04X}>"


def printable(text: str, lines: bool = False) -> str:
    """`text` with every control character shown rather than sent; `lines` keeps tab and newline."""
    return (_UNSAFE_KEEP_LINES if lines else _UNSAFE).sub(_shown, text)
