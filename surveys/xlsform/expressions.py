"""The part of XLSForm's XPath that consult's skip logic and validation can express.

A small recursive-descent parser reads ``relevant`` and ``constraint`` cells into a
syntax tree (precedence: ``not()`` binds tighter than ``and``, which binds tighter
than ``or``; parentheses group), then two interpreters turn the tree into a
:mod:`surveys.logic` condition or into question options. Writers do the reverse, so
that a condition written out and read back is the same condition:

==============================================  ===========================================
XLSForm                                         consult
==============================================  ===========================================
``${q} = 'x'``  /  ``selected(${q}, 'x')``      ``{"op": "equals", ...}``
``${q} != 'x'``  /  ``not(selected(${q}, 'x'))``  ``{"op": "not_equals", ...}``
``${q} = 'a' or ${q} = 'b'``                    ``{"op": "any_of", "values": ["a", "b"]}``
``${q} != ''``  /  ``${q} = ''``                ``answered`` / ``not_answered``
``${q} > 3``  /  ``${q} < date('2020-01-01')``  ``greater`` / ``less``
``${q} >= 3`` (whole numbers)                   ``greater`` 2
``${q} >= 2.5`` (decimals, dates)               ``${q} != '' and not(${q} < 2.5)``
``a and b``, ``a or b``, ``not(a)``             ``all``, ``any``, ``not``
==============================================  ===========================================

``=`` on a select_multiple is read as ``selected()``: consult's ``equals`` means "this
choice is among those selected", which is what such a condition almost always means.
Constraints: ``. >= 0 and . <= 120`` (numbers, and dates with ``date('...')``),
``string-length(.) <= 300`` (text), ``count-selected(.) <= 3`` (select_multiple).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _


class ExpressionError(ValueError):
    """An expression is outside what consult can express; `reason` is translated."""

    def __init__(self, reason: str, unknown_name: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        #: Set when the expression refers to a name that is nowhere in the form (an error
        #: in the form itself, not a feature consult lacks).
        self.unknown_name = unknown_name


# --- syntax tree -------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """``${name}``: the answer to another question."""
    name: str


@dataclass(frozen=True)
class Dot:
    """``.``: the answer being checked."""
    pass


@dataclass(frozen=True)
class Literal:
    """A string (quoted) or a number."""
    value: str | int | float
    quoted: bool


@dataclass(frozen=True)
class Call:
    """A function call: ``selected(...)``, ``date(...)``."""
    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class Compare:
    """Two terms and ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``."""
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class And:
    """A chain of ``and``."""
    parts: tuple[Any, ...]


@dataclass(frozen=True)
class Or:
    """A chain of ``or``."""
    parts: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    """``not(...)``."""
    expr: Any


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{\s*(?P<refname>[^}\s]+)\s*\})
    | (?P<str>'[^']*'|"[^"]*"|[\u2018\u2019][^\u2018\u2019]*[\u2018\u2019])
    | (?P<num>\d+(?:\.\d+)?|\.\d+)
    | (?P<op>!=|<=|>=|=|<|>)
    | (?P<punct>[(),])
    | (?P<dot>\.)
    | (?P<name>[^\W\d][\w:.-]*)
    | (?P<minus>-)
    | (?P<other>\S)
    )""",
    re.VERBOSE,
)

#: Longest expression read, and deepest nesting of parentheses (a hostile file must not
#: exhaust the stack of the recursive parser).
MAX_EXPRESSION_CHARS = 4000
MAX_DEPTH = 40

_FLIP = {"=": "=", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_ARITHMETIC = {"+", "*", "div", "mod", "|"}


def _tokens(text: str) -> list[tuple[str, Any]]:
    """The tokens of an expression, ending with ("end", None)."""
    tokens: list[tuple[str, Any]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        if kind == "refname":
            kind = "ref"
        if kind == "ref":
            tokens.append(("ref", match.group("refname")))
        elif kind == "str":
            tokens.append(("str", match.group("str")[1:-1]))
        elif kind == "num":
            raw = match.group("num")
            tokens.append(("num", float(raw) if "." in raw else int(raw)))
        elif kind == "op":
            tokens.append(("op", match.group("op")))
        elif kind == "punct":
            tokens.append((match.group("punct"), None))
        elif kind == "dot":
            tokens.append(("dot", None))
        elif kind == "name":
            tokens.append(("name", match.group("name")))
        elif kind == "minus":
            tokens.append(("minus", None))
        else:
            symbol = match.group("other")
            if symbol in _ARITHMETIC:
                raise ExpressionError(_("Calculations (%(symbol)s) are not supported.", symbol=symbol))
            raise ExpressionError(_("Cannot read the expression near “%(text)s”.", text=symbol))
    tokens.append(("end", None))
    return tokens


class _Parser:
    """Recursive descent over the tokens: or_expr > and_expr > unary > term."""
    def __init__(self, text: str) -> None:
        if len(text) > MAX_EXPRESSION_CHARS:
            raise ExpressionError(_("The expression is too long (at most %(limit)s characters).",
                                    limit=MAX_EXPRESSION_CHARS))
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(_("The expression is nested too deeply."))

    def peek(self, offset: int = 0) -> tuple[str, Any]:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        self.index += 1
        return token

    def expect(self, kind: str) -> None:
        token = self.take()
        if token[0] != kind:
            raise self.unexpected(token)

    def unexpected(self, token: tuple[str, Any]) -> ExpressionError:
        """The error for a token the grammar does not allow here."""
        if token[0] == "end":
            return ExpressionError(_("The expression ends too early (a parenthesis or a value is missing)."))
        if token[0] == "name" and token[1] in _ARITHMETIC or token[0] == "minus":
            return ExpressionError(_("Calculations (%(symbol)s) are not supported.", symbol=token[1] or "-"))
        shown = token[1] if token[1] is not None else token[0]
        return ExpressionError(_("Cannot read the expression near “%(text)s”.", text=shown))

    def parse(self) -> Any:
        node = self.or_expr()
        if self.peek()[0] != "end":
            raise self.unexpected(self.peek())
        return node

    def or_expr(self) -> Any:
        self.deeper()
        parts = [self.and_expr()]
        while self.peek() == ("name", "or"):
            self.take()
            parts.append(self.and_expr())
        self.depth -= 1
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Any:
        parts = [self.unary()]
        while self.peek() == ("name", "and"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Any:
        if self.peek() == ("name", "not") and self.peek(1)[0] == "(":
            self.take()
            self.take()
            inner = self.or_expr()
            self.expect(")")
            return Not(inner)
        left = self.term()
        if self.peek()[0] == "op":
            op = self.take()[1]
            return Compare(op, left, self.term())
        return left

    def term(self) -> Any:
        kind, value = self.take()
        if kind == "(":
            inner = self.or_expr()
            self.expect(")")
            return inner
        if kind == "ref":
            return Ref(value)
        if kind == "str":
            return Literal(value, quoted=True)
        if kind == "num":
            return Literal(value, quoted=False)
        if kind == "minus" and self.peek()[0] == "num":
            return Literal(-self.take()[1], quoted=False)
        if kind == "dot":
            return Dot()
        if kind == "name" and self.peek()[0] == "(":
            self.take()
            args = []
            if self.peek()[0] != ")":
                args.append(self.or_expr())
                while self.peek()[0] == ",":
                    self.take()
                    args.append(self.or_expr())
            self.expect(")")
            return Call(value, tuple(args))
        raise self.unexpected((kind, value))


def parse(text: str) -> Any:
    """The syntax tree of an expression.

    :raises ExpressionError: if it uses syntax outside the supported subset.
    """
    return _Parser(text).parse()


# --- relevant -> condition ---------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a condition needs to know about the question a name refers to."""

    type: str
    integer: bool = False


def to_condition(text: str, resolve: Callable[[str], Target]) -> dict[str, Any]:
    """A :mod:`surveys.logic` condition from a ``relevant`` expression.

    :param resolve: the question a ``${name}`` refers to; raises ExpressionError for a
        name that is not a question consult imports.
    :raises ExpressionError: with a translated reason, if the expression is outside the subset.
    """
    return _Relevance(resolve).convert(parse(text))


class _Relevance:
    """Turns a syntax tree into a surveys.logic condition."""
    def __init__(self, resolve: Callable[[str], Target]) -> None:
        self.resolve = resolve

    def convert(self, node: Any) -> dict[str, Any]:
        """The condition for any node of the tree."""
        if isinstance(node, Or):
            parts = [self.convert(p) for p in node.parts]
            same = {p.get("question") for p in parts}
            if len(same) == 1 and all(p.get("op") == "equals" for p in parts):
                return {"op": "any_of", "question": parts[0]["question"], "values": [p["value"] for p in parts]}
            return {"any": parts}
        if isinstance(node, And):
            return {"all": [self.convert(p) for p in node.parts]}
        if isinstance(node, Not):
            if isinstance(node.expr, Call) and node.expr.name == "selected":
                condition = self.convert(node.expr)
                return {**condition, "op": "not_equals"}
            return {"not": self.convert(node.expr)}
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Compare):
            return self.compare(node)
        raise ExpressionError(_("A condition must compare an answer with a value, for example ${q} = 'yes'."))

    def call(self, node: Call) -> dict[str, Any]:
        if node.name == "selected":
            if len(node.args) != 2 or not isinstance(node.args[0], Ref) or not isinstance(node.args[1], Literal):
                raise ExpressionError(_("selected() needs a question and a choice: selected(${q}, 'choice')."))
            name = node.args[0].name
            self.resolve(name)
            return {"op": "equals", "question": name, "value": str(node.args[1].value)}
        raise ExpressionError(_("The function %(name)s() is not supported in conditions.", name=node.name))

    def compare(self, node: Compare) -> dict[str, Any]:
        """``${q} <op> value`` (either way round)."""
        op, left, right = node.op, node.left, node.right
        if not isinstance(left, Ref | Call) and isinstance(right, Ref | Call):
            op, left, right = _FLIP[op], right, left
        if isinstance(left, Call) and left.name in ("string-length", "count-selected"):
            return self.counted(op, left, right)
        if not isinstance(left, Ref):
            raise ExpressionError(_("A condition must compare an answer with a value, for example ${q} = 'yes'."))
        name = left.name
        target = self.resolve(name)
        value = self.value(right, target)
        if value == "" and op in ("=", "!="):
            return {"op": "not_answered" if op == "=" else "answered", "question": name}
        if op in ("=", "!="):
            if target.type in ("single_choice", "multiple_choice", "yes_no", "ranking"):
                value = str(value)
            return {"op": "equals" if op == "=" else "not_equals", "question": name, "value": value}
        if target.type not in ("number", "rating", "date"):
            raise ExpressionError(
                _("%(op)s compares numbers or dates, and ${%(name)s} holds neither.", op=op, name=name)
            )
        if op in (">", "<"):
            return {"op": "greater" if op == ">" else "less", "question": name, "value": value}
        # >= and <=: a whole-number question moves the bound by one; otherwise "not less",
        # with "answered" so that a missing answer stays false, as in ODK.
        if target.integer and isinstance(value, int):
            if op == ">=":
                return {"op": "greater", "question": name, "value": value - 1}
            return {"op": "less", "question": name, "value": value + 1}
        opposite = "less" if op == ">=" else "greater"
        return {
            "all": [
                {"op": "answered", "question": name},
                {"not": {"op": opposite, "question": name, "value": value}},
            ]
        }

    def counted(self, op: str, left: Call, right: Any) -> dict[str, Any]:
        """``string-length(${q}) > 0`` and ``count-selected(${q}) > 0``: answered or not."""
        if len(left.args) != 1 or not isinstance(left.args[0], Ref) or not isinstance(right, Literal):
            raise ExpressionError(_("The function %(name)s() is not supported in conditions.", name=left.name))
        name = left.args[0].name
        self.resolve(name)
        if (op, right.value) in ((">", 0), ("!=", 0), (">=", 1)):
            return {"op": "answered", "question": name}
        if (op, right.value) in (("=", 0), ("<", 1), ("<=", 0)):
            return {"op": "not_answered", "question": name}
        raise ExpressionError(
            _("Only “%(name)s(...) > 0” (answered) and “= 0” (not answered) are supported.", name=left.name)
        )

    def value(self, node: Any, target: Target) -> str | int | float:
        """The fixed value a condition compares with."""
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Call) and node.name == "date" and len(node.args) == 1:
            return _iso_date(node.args[0])
        raise ExpressionError(
            _("Conditions can compare an answer only with a fixed value, not with another answer or a calculation.")
        )


def _iso_date(node: Any) -> str:
    """The ISO date inside ``date('...')``."""
    if isinstance(node, Literal) and isinstance(node.value, str):
        try:
            return date.fromisoformat(node.value).isoformat()
        except ValueError:
            pass
    raise ExpressionError(_("date() needs a date written as 'YYYY-MM-DD'."))


# --- constraint -> options -----------------------------------------------------------------


def to_options(text: str, question_type: str, integer: bool, own_name: str) -> dict[str, Any]:
    """Question options from a ``constraint``: min/max, max_length, min/max_choices.

    :param own_name: the question's name (``${name}`` in its own constraint means ``.``).
    :raises ExpressionError: if the constraint is not a range or a length of the kind
        consult checks for this type (all of it is then left out).
    """
    return _constraint_options((parse(text),), question_type, integer, own_name)


def _constraint_options(nodes: tuple[Any, ...], question_type: str, integer: bool, own_name: str) -> dict[str, Any]:
    """Options from the parts of an ``and`` chain of bounds."""
    options: dict[str, Any] = {}
    for node in nodes:
        if isinstance(node, And):
            options.update(_constraint_options(node.parts, question_type, integer, own_name))
            continue
        if not isinstance(node, Compare):
            raise _unsupported_constraint()
        op, left, right = node.op, node.left, node.right
        counted = isinstance(right, Call) and right.name in ("string-length", "count-selected")
        if _is_subject(right, own_name) or counted:
            op, left, right = _FLIP[op], right, left
        if question_type in ("number", "date") and _is_subject(left, own_name):
            options.update(_range(op, right, question_type, integer))
        elif question_type in ("short_text", "long_text") and _counts_self(left, "string-length", own_name):
            limit = _whole(right)
            if op not in ("<=", "<"):
                raise ExpressionError(
                    _("Only a longest length is supported for text (string-length(.) <= 300); "
                      "a shortest length is not.")
                )
            options["max_length"] = limit if op == "<=" else limit - 1
        elif question_type == "multiple_choice" and _counts_self(left, "count-selected", own_name):
            limit = _whole(right)
            bounds = {"<=": ("max_choices", limit), "<": ("max_choices", limit - 1),
                      ">=": ("min_choices", limit), ">": ("min_choices", limit + 1)}
            if op == "=":
                options.update(min_choices=limit, max_choices=limit)
            elif op in bounds:
                key, number = bounds[op]
                options[key] = number
            else:
                raise _unsupported_constraint()
        else:
            raise _unsupported_constraint()
    return options


def _unsupported_constraint() -> ExpressionError:
    return ExpressionError(
        _("Only simple ranges (. >= 0 and . <= 120), text lengths (string-length(.) <= 300) and numbers "
          "of choices (count-selected(.) <= 3) are supported as constraints.")
    )


def _is_subject(node: Any, own_name: str) -> bool:
    return isinstance(node, Dot) or isinstance(node, Ref) and node.name == own_name


def _counts_self(node: Any, function: str, own_name: str) -> bool:
    return (
        isinstance(node, Call) and node.name == function and len(node.args) == 1
        and _is_subject(node.args[0], own_name)
    )


def _whole(node: Any) -> int:
    if isinstance(node, Literal) and isinstance(node.value, int) and not node.quoted:
        return node.value
    raise _unsupported_constraint()


def _range(op: str, node: Any, question_type: str, integer: bool) -> dict[str, Any]:
    """min or max of a number or date question from one bound."""
    if question_type == "date":
        if isinstance(node, Call) and node.name == "date" and len(node.args) == 1:
            day = date.fromisoformat(_iso_date(node.args[0]))
        elif isinstance(node, Literal) and isinstance(node.value, str):
            day = date.fromisoformat(_iso_date(node))
        else:
            raise ExpressionError(
                _("Only fixed dates are supported in date constraints (. >= date('2020-01-01')), not today() "
                  "or another answer.")
            )
        bounds = {">=": ("min", day), ">": ("min", day + timedelta(days=1)),
                  "<=": ("max", day), "<": ("max", day - timedelta(days=1))}
        if op not in bounds:
            raise _unsupported_constraint()
        key, bound = bounds[op]
        return {key: bound.isoformat()}
    if not isinstance(node, Literal) or node.quoted:
        raise ExpressionError(
            _("Only fixed numbers are supported in number constraints (. >= 0), not another answer.")
        )
    number = node.value
    if op in (">=", "<="):
        return {"min" if op == ">=" else "max": number}
    if op in (">", "<") and integer and isinstance(number, int):
        return {"min": number + 1} if op == ">" else {"max": number - 1}
    if op in (">", "<"):
        raise ExpressionError(
            _("A strict bound (%(op)s) on a decimal number cannot be checked; use >= or <=.", op=op)
        )
    raise _unsupported_constraint()


# --- writing ------------------------------------------------------------------------------


def write_condition(condition: Mapping[str, Any], types: Mapping[str, str]) -> str:
    """The ``relevant`` expression for a condition (`types`: question key -> type)."""
    return _write(condition, types, nested=False)


def _write(condition: Mapping[str, Any], types: Mapping[str, str], nested: bool) -> str:
    """One condition as XPath; `nested` parenthesises a compound inside and/or."""
    if "all" in condition or "any" in condition:
        combinator = "all" if "all" in condition else "any"
        parts = [_write(c, types, nested=True) for c in condition[combinator]]
        text = f" {'and' if combinator == 'all' else 'or'} ".join(parts)
        return f"({text})" if nested and len(parts) > 1 else text
    if "not" in condition:
        return f"not({_write(condition['not'], types, nested=False)})"
    op, key = condition["op"], condition["question"]
    ref = "${" + key + "}"
    multiple = types.get(key) in ("multiple_choice", "ranking")
    if op == "answered":
        return f"{ref} != ''"
    if op == "not_answered":
        return f"{ref} = ''"
    if op == "equals":
        return _equals(ref, condition["value"], multiple)
    if op == "not_equals":
        if multiple:
            return f"not({_equals(ref, condition['value'], multiple)})"
        return f"{ref} != {_literal(condition['value'])}"
    if op == "any_of":
        parts = [_equals(ref, v, multiple) for v in condition["values"]]
        text = " or ".join(parts)
        return f"({text})" if nested and len(parts) > 1 else text
    symbol = ">" if op == "greater" else "<"
    value = condition["value"]
    if types.get(key) == "date" and isinstance(value, str):
        return f"{ref} {symbol} date({_literal(value)})"
    return f"{ref} {symbol} {_literal(value)}"


def _equals(ref: str, value: Any, multiple: bool) -> str:
    if multiple:
        return f"selected({ref}, {_literal(str(value))})"
    return f"{ref} = {_literal(value)}"


def _literal(value: Any) -> str:
    """A value as an XPath literal: numbers bare, text quoted."""
    if isinstance(value, bool):
        return f"'{'yes' if value else 'no'}'"
    if isinstance(value, int | float):
        return number_text(value)
    text = str(value)
    if "'" in text:
        if '"' in text:
            raise ValueError(f"a value cannot hold both kinds of quotes: {text!r}")
        return f'"{text}"'
    return f"'{text}'"


def number_text(value: int | float) -> str:
    """A number as XPath reads it (no exponent)."""
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    text = repr(value)
    if "e" in text.lower():
        text = f"{value:.20f}".rstrip("0").rstrip(".")
    return text


def write_constraint(question_type: str, options: Mapping[str, Any]) -> str:
    """The ``constraint`` expression for a question's limits ("" when it has none)."""
    parts: list[str] = []
    if question_type == "number":
        if isinstance(options.get("min"), int | float):
            parts.append(f". >= {number_text(options['min'])}")
        if isinstance(options.get("max"), int | float):
            parts.append(f". <= {number_text(options['max'])}")
    elif question_type == "date":
        for key, symbol in (("min", ">="), ("max", "<=")):
            if isinstance(options.get(key), str):
                parts.append(f". {symbol} date('{options[key]}')")
    elif question_type in ("short_text", "long_text"):
        if isinstance(options.get("max_length"), int):
            parts.append(f"string-length(.) <= {options['max_length']}")
    elif question_type == "multiple_choice":
        if isinstance(options.get("min_choices"), int):
            parts.append(f"count-selected(.) >= {options['min_choices']}")
        if isinstance(options.get("max_choices"), int):
            parts.append(f"count-selected(.) <= {options['max_choices']}")
    return " and ".join(parts)
