"""A one-file bank as TOML text, written by hand: every string is a basic string with escapes."""
from __future__ import annotations

import re
from typing import Any

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f\ud800-\udfff]')
_NEEDS_ESCAPE_KEEP_NEWLINES = re.compile(r'[\\"\x00-\x09\x0b-\x1f\x7f\ud800-\udfff]')


def _replace(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if "\ud800" <= ch <= "\udfff":  # only from undecodable file names; TOML cannot hold them
        return "\\uFFFD"
    return f"\\u{ord(ch):04X}"


def _escape(text: str, keep_newlines: bool) -> str:
    pattern = _NEEDS_ESCAPE_KEEP_NEWLINES if keep_newlines else _NEEDS_ESCAPE
    return pattern.sub(_replace, text)


def basic(text: str) -> str:
    """A single-line TOML basic string."""
    return f'"{_escape(text, keep_newlines=False)}"'


def multiline(text: str) -> str:
    """A TOML multi-line basic string; quotes and backslashes escaped, so no \"\"\" can close it early."""
    if "\n" not in text:
        return basic(text)
    return f'"""\n{_escape(text, keep_newlines=True)}\n"""'


def array(items: list[str]) -> str:
    return "[" + ", ".join(basic(i) for i in items) + "]"


def comment(text: str) -> str:
    safe = (ch if ch >= " " and ch != "\x7f" and not "\ud800" <= ch <= "\udfff" else "?" for ch in text)
    return "# " + " ".join("".join(safe).split())


def render_bank(header: list[str], bank_id: str, title: str, sections: list[dict[str, Any]], questions: list[dict[str, Any]]) -> str:
    out = [comment(line) for line in header]
    out += ["", "[bank]", f"id = {basic(bank_id)}", f"title = {basic(title)}"]
    for s in sections:
        out += ["", "[[sections]]", f"id = {basic(s['id'])}", f"title = {basic(s['title'])}", f"order = {s['order']}"]
    for q in questions:
        out += ["", "[[questions]]",
                f"id = {basic(q['id'])}",
                f"section = {basic(q['section'])}",
                f"prompt = {basic(q['prompt'])}",
                f"answer = {multiline(q['answer'])}",
                f"option = {basic(q['option'])}",
                "distractors = []",
                f"topics = {array(q['topics'])}",
                f"difficulty = {int(q['difficulty'])}",
                "ideas = ["]
        for idea in q["ideas"]:
            out.append(f"  {{ label = {basic(idea.label)}, terms = {array(list(idea.terms))}, "
                       f"required = {'true' if idea.required else 'false'} }},")
        out.append("]")
    return "\n".join(out) + "\n"
