"""Memos' rewrite of a number right after ``&&`` / ``||`` into ``(N != 0)``.

Memos applies it to the filter text before parsing, outside quoted strings; the result is
always rejected later (a comparison must start with a field), so it only decides which error
``pinned && 1`` reports. Kept so the messages match; positions in CEL diagnostics refer to the
rewritten text, as in Memos.
"""

from __future__ import annotations

_DIGITS = frozenset("0123456789")


def rewrite_numeric_logical_operands(text: str) -> str:
    if "&&" not in text and "||" not in text:
        return text
    out: list[str] = []
    index, length = 0, len(text)
    quote = ""
    while index < length:
        char = text[index]
        if quote:
            if char == "\\" and index + 1 < length:
                out.append(text[index : index + 2])
                index += 2
                continue
            if char == quote:
                quote = ""
            out.append(char)
            index += 1
        elif char in "'\"":
            quote = char
            out.append(char)
            index += 1
        elif text.startswith(("&&", "||"), index):
            out.append(text[index : index + 2])
            index += 2
            while index < length and text[index] in " \t":
                out.append(text[index])
                index += 1
            start = index
            if index < length and text[index] in "+-":
                index += 1
            while index < length and text[index] in _DIGITS:
                index += 1
            if index > start:
                out.append(f"({text[start:index]} != 0)")
        else:
            out.append(char)
            index += 1
    return "".join(out)
