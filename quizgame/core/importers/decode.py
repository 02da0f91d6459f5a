"""Bytes to text: UTF-8 (BOM or not), UTF-16 with a BOM, or a clean Windows-1252 fallback.

Line endings become "\\n"; stray control characters are dropped; binary, empty and
oversized files are refused with a Problem that says so.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from quizgame.core.bank import Problem
from quizgame.core.importers.records import ImportFailed

MAX_BYTES = 20 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Zero-width and invisible format characters (zero-width space and joiners, word joiner, BOM,
# soft hyphen, invisible operators): copied from web pages, they end prompts and split words.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]")


def read_source(path: Path, name: str) -> tuple[str, list[str]]:
    """The file's text and notes about how it was decoded; ImportFailed if it cannot be read."""
    def fail(message: str, line: int | None = None) -> ImportFailed:
        return ImportFailed([Problem(name, line, None, message)])

    try:
        if path.is_dir():
            raise fail("is a folder, not a file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise fail(f"file too large: {size / 2**20:.1f} MB (the limit is {MAX_BYTES // 2**20} MB)")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise fail("no such file") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise fail(f"file too large (the limit is {MAX_BYTES // 2**20} MB)")
    return decode_bytes(data, name)


def decode_bytes(data: bytes, name: str) -> tuple[str, list[str]]:
    def fail(message: str, line: int | None = None) -> ImportFailed:
        return ImportFailed([Problem(name, line, None, message)])

    notes: list[str] = []
    if not data.strip():
        raise fail("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise fail("starts like UTF-16 text but is not valid UTF-16; save it as UTF-8") from None
        notes.append("decoded as UTF-16 (it has a UTF-16 byte-order mark)")
    elif b"\x00" in data:
        raise fail("binary file: it contains NUL bytes, so it is not a text export")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start)
            bad = data[exc.start]
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise fail(f"not UTF-8 text: byte 0x{bad:02x} on line {line} is invalid; "
                           "save the file as UTF-8", line) from None
            notes.append(f"not UTF-8 (first bad byte 0x{bad:02x} on line {line}): read as Windows-1252 "
                         "(cp1252); check accented characters, or save the file as UTF-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise fail(f"binary file: {controls} control characters, so it is not a text export")
    if controls:
        text = _CONTROL.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", text)
    if INVISIBLE.search(text):
        text = INVISIBLE.sub("", text)
    if not text.strip():
        raise fail("empty file")
    return text, notes


def _line_of(data: bytes, offset: int) -> int:
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
