"""CEL tokens: punctuation, identifiers, keywords and literals, with string escapes decoded.

Strings follow CEL: single, double or triple quotes; ``r`` for raw (no escapes); ``b`` for
bytes; escapes ``\\a \\b \\f \\n \\r \\t \\v \\\\ \\' \\" \\` \\?``, ``\\xHH``, ``\\uHHHH``,
``\\UHHHHHHHH`` and three-digit octal ``\\[0-3][0-7][0-7]``. As in cel-go, ``\\x`` and octal
escapes in a string are raw bytes, so the decoded bytes must then be valid UTF-8.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from memos.filters.diagnostics import CelDiagnostic

TokenKind = Literal[
    "ident", "int", "uint", "double", "string", "bytes", "bool", "null", "op", "eof"
]

_OPERATORS = (
    "==", "!=", "<=", ">=", "&&", "||",
    "<", ">", "!", "?", ":", "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}", ".", ",",
)  # fmt: skip
_SIMPLE_ESCAPES = {
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
    "\\": "\\", "'": "'", '"': '"', "`": "`", "?": "?",
}  # fmt: skip
_STRING_PREFIXES = frozenset({"r", "b", "rb", "br"})
_HEX = frozenset("0123456789abcdefABCDEF")
_DIGITS = frozenset("0123456789")
_IDENT_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENT_PART = _IDENT_START | _DIGITS
_WHITESPACE = frozenset(" \t\n\r\f")
_SURROGATES = range(0xD800, 0xE000)


class Token(NamedTuple):
    kind: TokenKind
    text: str
    offset: int
    value: bool | int | float | str | bytes | None = None


def tokenize(source: str) -> list[Token]:
    """Every token of ``source``, ending with an ``eof`` token."""
    return _Lexer(source).run()


class _Lexer:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        source = self.source
        while True:
            self._skip_blanks()
            if self.pos >= len(source):
                self.tokens.append(Token("eof", "<EOF>", self.pos))
                return self.tokens
            char = source[self.pos]
            if char in _IDENT_START:
                self._word()
            elif char in _DIGITS or (char == "." and self._peek(1) in _DIGITS):
                self._number()
            elif char in "\"'":
                self._string(self.pos, "")
            else:
                self._operator()

    def _peek(self, ahead: int) -> str:
        index = self.pos + ahead
        return self.source[index] if index < len(self.source) else ""

    def _skip_blanks(self) -> None:
        source = self.source
        while self.pos < len(source):
            if source[self.pos] in _WHITESPACE:
                self.pos += 1
            elif source.startswith("//", self.pos):
                end = source.find("\n", self.pos)
                self.pos = len(source) if end < 0 else end
            else:
                return

    def _operator(self) -> None:
        for operator in _OPERATORS:
            if self.source.startswith(operator, self.pos):
                self.tokens.append(Token("op", operator, self.pos))
                self.pos += len(operator)
                return
        char = self.source[self.pos]
        raise CelDiagnostic(self.pos, f"Syntax error: token recognition error at: '{char}'")

    def _word(self) -> None:
        start = self.pos
        while self.pos < len(self.source) and self.source[self.pos] in _IDENT_PART:
            self.pos += 1
        word = self.source[start : self.pos]
        if word.lower() in _STRING_PREFIXES and self._peek(0) in ("'", '"'):
            self._string(start, word.lower())
        elif word in ("true", "false"):
            self.tokens.append(Token("bool", word, start, word == "true"))
        elif word == "null":
            self.tokens.append(Token("null", word, start))
        elif word == "in":
            self.tokens.append(Token("op", word, start))
        else:
            self.tokens.append(Token("ident", word, start))

    def _number(self) -> None:
        source, start = self.source, self.pos
        if source.startswith(("0x", "0X"), start) and self._peek(2) in _HEX:
            self.pos += 2
            self._take(_HEX)
            value = int(source[start + 2 : self.pos], 16)
            self._integer_suffix(start, value)
            return
        self._take(_DIGITS)
        is_double = False
        if self._peek(0) == "." and self._peek(1) in _DIGITS:
            self.pos += 1
            self._take(_DIGITS)
            is_double = True
        if self._peek(0) in ("e", "E") and (
            self._peek(1) in _DIGITS or (self._peek(1) in ("+", "-") and self._peek(2) in _DIGITS)
        ):
            self.pos += 2
            self._take(_DIGITS)
            is_double = True
        text = source[start : self.pos]
        if is_double:
            self.tokens.append(Token("double", text, start, float(text)))
        else:
            self._integer_suffix(start, int(text))

    def _integer_suffix(self, start: int, value: int) -> None:
        if self._peek(0) in ("u", "U"):
            self.pos += 1
            self.tokens.append(Token("uint", self.source[start : self.pos], start, value))
        else:
            self.tokens.append(Token("int", self.source[start : self.pos], start, value))

    def _take(self, allowed: frozenset[str]) -> None:
        while self.pos < len(self.source) and self.source[self.pos] in allowed:
            self.pos += 1

    def _string(self, start: int, prefix: str) -> None:
        source = self.source
        self.pos = start + len(prefix)
        quote = source[self.pos] * 3 if source.startswith(source[self.pos] * 3, self.pos) else ""
        quote = quote or source[self.pos]
        self.pos += len(quote)
        raw, is_bytes = "r" in prefix, "b" in prefix
        decoded = bytearray()
        while True:
            if self.pos >= len(source):
                raise CelDiagnostic(start, "Syntax error: unterminated string literal")
            if source.startswith(quote, self.pos):
                self.pos += len(quote)
                break
            char = source[self.pos]
            if len(quote) == 1 and char in "\r\n":
                raise CelDiagnostic(start, "Syntax error: unterminated string literal")
            if char == "\\" and not raw:
                self._escape(decoded, is_bytes)
            else:
                decoded += char.encode("utf-8", "surrogatepass")
                self.pos += 1
        text = source[start : self.pos]
        if is_bytes:
            self.tokens.append(Token("bytes", text, start, bytes(decoded)))
            return
        try:
            value = decoded.decode("utf-8")
        except UnicodeDecodeError:
            raise CelDiagnostic(start, "Syntax error: string literal is not valid UTF-8") from None
        self.tokens.append(Token("string", text, start, value))

    def _escape(self, decoded: bytearray, is_bytes: bool) -> None:
        source, start = self.source, self.pos
        kind = self._peek(1)
        if kind in _SIMPLE_ESCAPES:
            decoded += _SIMPLE_ESCAPES[kind].encode()
            self.pos += 2
            return
        if kind in ("x", "X", "u", "U"):
            width = {"x": 2, "X": 2, "u": 4, "U": 8}[kind]
            digits = source[start + 2 : start + 2 + width]
            if len(digits) != width or not set(digits) <= _HEX:
                raise CelDiagnostic(start, f"Syntax error: invalid escape sequence '\\{kind}'")
            value = int(digits, 16)
            self.pos += 2 + width
            if kind in ("x", "X"):
                decoded.append(value)
                return
            if value > 0x10FFFF or (value in _SURROGATES and not is_bytes):
                raise CelDiagnostic(
                    start, f"Syntax error: invalid unicode code point in escape '\\{kind}{digits}'"
                )
            decoded += chr(value).encode("utf-8", "surrogatepass")
            return
        digits = source[start + 1 : start + 4]
        if len(digits) == 3 and digits[0] in "0123" and set(digits[1:]) <= set("01234567"):
            decoded.append(int(digits, 8))
            self.pos += 4
            return
        shown = source[start : start + 2]
        raise CelDiagnostic(start, f"Syntax error: invalid escape sequence '{shown}'")
