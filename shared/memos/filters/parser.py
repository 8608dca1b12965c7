"""A recursive-descent parser for CEL expressions (the full expression grammar of CEL).

Precedence, loosest first: ``?:``, ``||``, ``&&``, relations (``== != < <= > >= in``),
``+ -``, ``* / %``, unary ``! -``, member access (``.f``, ``.f()``, ``[i]``). Binary operators
are left-associative; chains of ``&&`` / ``||`` are built as balanced trees (as cel-go does), so
long filters don't make deep trees. ``!!x`` is ``x`` and ``--x`` is ``x``; ``-1`` is a literal.
Nesting and tree depth are bounded so no input can exhaust the Python stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from memos.filters.diagnostics import CelDiagnostic
from memos.filters.lexer import Token, tokenize
from memos.filters.syntax import (
    Call,
    Comprehension,
    Expr,
    Ident,
    ListLiteral,
    Literal,
    MacroName,
    MapLiteral,
    Select,
    StructLiteral,
    children,
)

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_NESTING = 24  # parentheses, brackets and call arguments inside one another
MAX_DEPTH = 80  # levels of the syntax tree
MAX_CODE_POINTS = 100_000

_INT64 = range(-(2**63), 2**63)
_UINT64 = range(2**64)
_RESERVED = frozenset((
    "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
    "package", "namespace", "return", "var", "void", "while",
))  # fmt: skip
_RELATIONS = {
    "==": "_==_", "!=": "_!=_", "<": "_<_", "<=": "_<=_", ">": "_>_", ">=": "_>=_", "in": "@in",
}  # fmt: skip
_ADDITIONS = {"+": "_+_", "-": "_-_"}
_MULTIPLICATIONS = {"*": "_*_", "/": "_/_", "%": "_%_"}
_RECEIVER_MACROS: dict[str, tuple[int, ...]] = {
    "all": (2,), "exists": (2,), "exists_one": (2,), "filter": (2,), "map": (2, 3),
}  # fmt: skip


def parse(source: str) -> Expr:
    """The syntax tree of ``source``; raises :class:`CelDiagnostic` on a syntax error."""
    if len(source) > MAX_CODE_POINTS:
        raise CelDiagnostic(
            0,
            f"expression code point size exceeds limit: size: {len(source)}, "
            f"limit {MAX_CODE_POINTS}",
        )
    parser = _Parser(tokenize(source))
    expr = parser.expression()
    token = parser.current
    if token.kind != "eof":
        raise CelDiagnostic(
            token.offset, f"Syntax error: extraneous input '{token.text}' expecting <EOF>"
        )
    _check_depth(expr)
    return expr


def _check_depth(root: Expr) -> None:
    pending = [(root, 1)]
    while pending:
        expr, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise CelDiagnostic(
                expr.offset, f"Syntax error: expression is nested more than {MAX_DEPTH} levels"
            )
        pending.extend((child, depth + 1) for child in children(expr))


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.nesting = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "eof":
            self.index += 1
        return token

    def _at(self, operator: str) -> bool:
        token = self.tokens[self.index]
        return token.kind == "op" and token.text == operator

    def _expect(self, operator: str) -> Token:
        if not self._at(operator):
            token = self.current
            raise CelDiagnostic(
                token.offset, f"Syntax error: missing '{operator}' at '{token.text}'"
            )
        return self._advance()

    def _mismatch(self, expected: str) -> CelDiagnostic:
        token = self.current
        return CelDiagnostic(
            token.offset, f"Syntax error: mismatched input '{token.text}' expecting {expected}"
        )

    # Expressions, loosest binding first -------------------------------------------------------

    def expression(self) -> Expr:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise CelDiagnostic(
                self.current.offset,
                f"Syntax error: expression is nested more than {MAX_NESTING} levels",
            )
        condition = self._logical("||", "_||_", self._and)
        if self._at("?"):
            question = self._advance()
            then = self._logical("||", "_||_", self._and)
            self._expect(":")
            otherwise = self.expression()
            condition = Call("_?_:_", (condition, then, otherwise), question.offset)
        self.nesting -= 1
        return condition

    def _and(self) -> Expr:
        return self._logical("&&", "_&&_", self._relation)

    def _logical(self, operator: str, function: str, operand: Callable[[], Expr]) -> Expr:
        operands = [operand()]
        offsets: list[int] = []
        while self._at(operator):
            offsets.append(self._advance().offset)
            operands.append(operand())
        return _balanced(function, operands, offsets)

    def _relation(self) -> Expr:
        return self._binary(_RELATIONS, self._addition)

    def _addition(self) -> Expr:
        return self._binary(_ADDITIONS, self._multiplication)

    def _multiplication(self) -> Expr:
        return self._binary(_MULTIPLICATIONS, self._unary)

    def _binary(self, functions: dict[str, str], operand: Callable[[], Expr]) -> Expr:
        left = operand()
        while self.current.kind == "op" and self.current.text in functions:
            token = self._advance()
            right = operand()
            left = Call(functions[token.text], (left, right), token.offset)
        return left

    def _unary(self) -> Expr:
        token = self.current
        if self._at("!"):
            count = self._count("!")
            member = self._member()
            return member if count % 2 == 0 else Call("!_", (member,), token.offset)
        if self._at("-") and self.tokens[self.index + 1].kind not in ("int", "double"):
            count = self._count("-")
            member = self._member()
            return member if count % 2 == 0 else Call("-_", (member,), token.offset)
        return self._member()

    def _count(self, operator: str) -> int:
        count = 0
        while self._at(operator):
            self._advance()
            count += 1
        return count

    def _member(self) -> Expr:
        expr = self._primary()
        while True:
            if self._at("."):
                dot = self._advance()
                name = self._identifier()
                if self._at("("):
                    self._advance()
                    args = self._arguments(")")
                    expr = self._call_or_macro(name.text, expr, args, name.offset)
                else:
                    expr = Select(expr, name.text, dot.offset)
            elif self._at("["):
                bracket = self._advance()
                index = self.expression()
                self._expect("]")
                expr = Call("_[_]", (expr, index), bracket.offset)
            else:
                return expr

    def _identifier(self) -> Token:
        token = self.current
        if token.kind != "ident":
            raise self._mismatch("IDENTIFIER")
        return self._advance()

    def _primary(self) -> Expr:
        token = self.current
        if token.kind == "op":
            return self._punctuated_primary(token)
        if token.kind == "ident":
            return self._named_primary()
        if token.kind == "eof":
            raise self._mismatch("an expression")
        self._advance()
        if token.kind in ("int", "uint", "double"):
            return _number(token, negative=False)
        return Literal(token.kind, token.value, token.offset)  # string, bytes, bool or null

    def _punctuated_primary(self, token: Token) -> Expr:
        if token.text == "(":
            self._advance()
            expr = self.expression()
            self._expect(")")
            return expr
        if token.text == "[":
            self._advance()
            return ListLiteral(tuple(self._arguments("]", trailing_comma=True)), token.offset)
        if token.text == "{":
            self._advance()
            return MapLiteral(self._map_entries(), token.offset)
        if token.text == "-" and self.tokens[self.index + 1].kind in ("int", "double"):
            self._advance()
            return _number(self._advance(), negative=True, offset=token.offset)
        if token.text == ".":
            self._advance()
            if self.current.kind != "ident":
                raise self._mismatch("IDENTIFIER")
            return self._named_primary()
        raise self._mismatch("an expression")

    def _named_primary(self) -> Expr:
        token = self._advance()
        if token.text in _RESERVED:
            raise CelDiagnostic(token.offset, f"Syntax error: reserved identifier: {token.text}")
        if self._at("("):
            self._advance()
            args = self._arguments(")")
            if token.text == "has" and len(args) == 1:
                return _has(args[0], token.offset)
            return Call(token.text, tuple(args), token.offset)
        if self._at("{"):
            self._advance()
            return StructLiteral(token.text, self._field_inits(), token.offset)
        return Ident(token.text, token.offset)

    def _call_or_macro(self, name: str, target: Expr, args: list[Expr], offset: int) -> Expr:
        if len(args) not in _RECEIVER_MACROS.get(name, ()):
            return Call(name, tuple(args), offset, target)
        variable = args[0]
        if not isinstance(variable, Ident):
            raise CelDiagnostic(variable.offset, "argument must be a simple name")
        macro = cast("MacroName", name)
        transform = args[2] if len(args) == 3 else None
        predicate: Expr
        if macro == "map" and transform is None:
            transform, predicate = args[1], Literal("bool", True, offset)
        else:
            predicate = args[1]
        return Comprehension(macro, target, variable.name, predicate, offset, transform)

    # Lists of things ---------------------------------------------------------------------------

    def _arguments(self, closer: str, *, trailing_comma: bool = False) -> list[Expr]:
        items: list[Expr] = []
        while not self._at(closer):
            items.append(self.expression())
            if not self._at(","):
                break
            self._advance()
            if trailing_comma and self._at(closer):
                break
        self._expect(closer)
        return items

    def _map_entries(self) -> tuple[tuple[Expr, Expr], ...]:
        entries: list[tuple[Expr, Expr]] = []
        while not self._at("}"):
            key = self.expression()
            self._expect(":")
            entries.append((key, self.expression()))
            if not self._at(","):
                break
            self._advance()
        self._expect("}")
        return tuple(entries)

    def _field_inits(self) -> tuple[tuple[str, Expr], ...]:
        fields: list[tuple[str, Expr]] = []
        while not self._at("}"):
            name = self._identifier()
            self._expect(":")
            fields.append((name.text, self.expression()))
            if not self._at(","):
                break
            self._advance()
        self._expect("}")
        return tuple(fields)


def _balanced(function: str, operands: list[Expr], offsets: list[int]) -> Expr:
    if len(operands) == 1:
        return operands[0]
    middle = len(operands) // 2
    left = _balanced(function, operands[:middle], offsets[: middle - 1])
    right = _balanced(function, operands[middle:], offsets[middle:])
    return Call(function, (left, right), offsets[middle - 1])


def _number(token: Token, *, negative: bool, offset: int | None = None) -> Literal:
    at = token.offset if offset is None else offset
    value = token.value
    if token.kind == "double":
        assert isinstance(value, float)
        if value == float("inf"):
            raise CelDiagnostic(at, f"Syntax error: invalid double literal: {token.text}")
        return Literal("double", -value if negative else value, at)
    assert isinstance(value, int)
    if token.kind == "uint":
        if value not in _UINT64:
            raise CelDiagnostic(at, f"Syntax error: invalid uint literal: {token.text}")
        return Literal("uint", value, at)
    signed = -value if negative else value
    if signed not in _INT64:
        raise CelDiagnostic(at, f"Syntax error: invalid int literal: {token.text}")
    return Literal("int", signed, at)


def _has(argument: Expr, offset: int) -> Expr:
    if not isinstance(argument, Select):
        raise CelDiagnostic(argument.offset, "invalid argument to has() macro")
    return Select(argument.operand, argument.field, offset, test_only=True)
