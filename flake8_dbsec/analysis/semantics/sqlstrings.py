"""SQL text read from Python expressions: the constant text a string
expression starts with or builds (``string_head``, ``string_template``),
which statement such text is (``sql_kind``, ``looks_like_sql``), and the
``%`` conversions of a format string (``percent_format``,
``percent_conversions``).

These are pure functions of the syntax tree, with no module state and no
project model: the statement concern reads ``text()`` and ``execute``
strings with them, and the SQL-injection and log-message rule families call
them directly, so they stand apart from :class:`Semantics`.  The conversion
parser is linear-time by design (see ``_split_conversions``;
``tests/test_adversarial.py`` times it).
"""

from __future__ import annotations

import ast
import itertools
import re
from typing import Dict, List, Optional, Tuple

from .. import sqltext
from ..names import MAX_DEPTH, const_str, fstring_text, last_part
from ..walker import Binding, Scope
from .vocab import DML_KINDS, SQL_WORDS


#: str methods whose result carries the receiver's text (and their arguments).
STR_PASSTHROUGH = frozenset(
    {"strip", "lstrip", "rstrip", "upper", "lower", "replace", "expandtabs", "decode", "encode"}
)
#: psycopg2/psycopg ``sql`` composables: built SQL with quoting, not ``str``.
COMPOSABLES = frozenset({"SQL", "Identifier", "Literal", "Placeholder", "Composed"})


def composable_kind(qualified: str) -> Optional[str]:
    """``psycopg2.sql.SQL`` -> ``"SQL"``: the composable class a qualified
    call name makes (the bare name too, as where it was imported alone)."""
    parts = qualified.split(".")
    if parts[-1] in COMPOSABLES and (len(parts) == 1 or "sql" in parts[:-1]):
        return parts[-1]
    return None


def sql_kind(text: str) -> str:
    word = (sqltext.head_word(text) or "").lower()
    if word in DML_KINDS or word == "select":
        return word
    return "other"


def looks_like_sql(text: str) -> bool:
    return (sqltext.head_word(text) or "").upper() in SQL_WORDS


def _last_col(name: str) -> str:
    return name.rsplit(".", 1)[-1].strip("`\"[]")


_SPEC = r"[#0 +\-]*(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?[hlL]?(?P<conv>.)"
#: a conversion, ``(key)`` included: quadratic on its own (each ``%(`` with no
#: ``)`` after it reads to the end), so only run where a ``)`` follows
_KEYED_CONVERSION = re.compile(r"%(?:\((?P<key>[^)]*)\))?" + _SPEC, re.S)
#: a conversion without a key: linear (no part of it can run past a ``%``)
_CONVERSION = re.compile(r"%" + _SPEC, re.S)
#: %-conversions that only accept numbers.
NUMERIC_CONVERSIONS = frozenset("diouxXeEfFgG")


Spec = Tuple[Optional[str], Optional[str], Optional[str], str]  # key, width, precision, conversion


def _split_conversions(text: str) -> Tuple[List[str], List[Spec]]:
    """The texts between the ``%`` conversions of ``text`` and each
    conversion's (key, width, precision, character), in linear time.

    The conversions ``_KEYED_CONVERSION.finditer(text)`` would find, without
    its quadratic cost on ``"%(" * n``.  Up to the last ``)`` that has a
    character after it, every ``(key`` finds its ``)`` and the match takes
    the text up to there, so no character is read twice; no ``(key)`` can be
    complete after it, and there the keyless pattern, split in C, gives the
    same matches.
    """
    texts: List[str] = []
    specs: List[Spec] = []
    last_paren = text.rfind(")", 0, len(text) - 1)
    end = 0
    if last_paren != -1 and text.find("%", 0, last_paren + 1) != -1:
        for match in _KEYED_CONVERSION.finditer(text):
            texts.append(text[end:match.start()])
            specs.append(match.group("key", "width", "prec", "conv"))  # type: ignore[arg-type]
            end = match.end()
            if text.find("%", end, last_paren + 1) == -1:
                break  # the next search would start past the last ")"
    parts = _CONVERSION.split(text[end:] if end else text)
    texts.extend(parts[0::4])
    specs.extend((None, width, precision, conv) for width, precision, conv
                 in zip(parts[1::4], parts[2::4], parts[3::4]))
    return texts, specs


def percent_format(text: str, hole: str = "\x00") -> Optional[Tuple[str, List[Tuple[Optional[str], str]]]]:
    """Parse a ``%`` format: (text with ``hole`` for each conversion,
    [(mapping key or None, conversion char)]).

    None when a ``*`` width or precision makes operands unpairable.
    """
    texts, specs = _split_conversions(text)
    if any(conv != "%" and "*" in (width, precision) for _key, width, precision, conv in specs):
        return None
    between = ["%" if conv == "%" else hole for _key, _width, _precision, conv in specs] + [""]
    template = "".join(itertools.chain.from_iterable(zip(texts, between)))
    return template, [(key, conv) for key, _width, _precision, conv in specs if conv != "%"]


def percent_conversions(text: str) -> Optional[Tuple[List[str], Dict[str, str]]]:
    """(positional conversions, key -> conversion) of a %-format string."""
    parsed = percent_format(text)
    if parsed is None:
        return None
    positional: List[str] = []
    named: Dict[str, str] = {}
    for key, conv in parsed[1]:
        if key is None:
            positional.append(conv)
        else:
            named.setdefault(key, conv)
    return positional, named


def string_head(node: ast.AST) -> Optional[str]:
    """The constant text a string expression starts with.

    ``"DELETE FROM %s" % t`` -> ``"DELETE FROM %s"``; ``f"UPDATE {t} SET"`` ->
    ``"UPDATE "``; ``"SELECT " + cols`` -> ``"SELECT "``.
    """
    for _ in range(MAX_DEPTH):
        text = _literal_text(node)
        if text is not None:
            return text
        if isinstance(node, (ast.List, ast.Tuple)):
            return _fragments_text(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
            node = node.left
            continue
        template = _format_template(node)
        if template is not None:
            node = template
            continue
        return None
    return None


def text_head(expr: Optional[ast.AST], scope: Scope) -> Optional[str]:
    """The constant text a string starts with, also through the locals it
    is assigned to (``sql = "SELECT ..." + where``; back over ``+=`` steps,
    which append)."""
    node = expr
    for _ in range(MAX_DEPTH):
        if node is None:
            return None
        if isinstance(node, ast.Name):
            binding = _first_assignment(node, scope)
            if binding is None:
                return None
            scope = scope.owner_of(binding) or scope
            node = binding.value
            continue
        text = string_head(node)
        if text is not None:
            return text
        node = _head_operand(node)
    return None


def _head_operand(node: ast.AST) -> Optional[ast.AST]:
    """The operand a built string's head comes from (``a + b`` -> ``a``)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return node.left
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    method = last_part(func)
    if isinstance(func, ast.Attribute):
        if method in ("format",) or method in STR_PASSTHROUGH:
            return func.value
        if method == "join" and node.args and isinstance(node.args[0], (ast.List, ast.Tuple)):
            elts = node.args[0].elts
            return elts[0] if elts else None
    if method in ("str", "dedent") and node.args:
        return node.args[0]
    return None


def _first_assignment(name: ast.Name, scope: Scope) -> Optional[Binding]:
    """The assignment a name's text starts from, back over ``+=`` steps."""
    binding = scope.lookup(name.id, name)
    if binding is None:
        return None
    owner = scope.owner_of(binding) or scope
    for _ in range(MAX_DEPTH):
        if binding is None or binding.kind != "aug":
            break
        binding = owner.binding_before(name.id, binding.node)
    if binding is None or binding.kind not in ("assign", "walrus"):
        return None
    return binding


def _literal_text(node: ast.AST) -> Optional[str]:
    """A string constant's text, or an f-string's with ``{}`` per value."""
    text = const_str(node)
    if text is None and isinstance(node, ast.JoinedStr):
        return fstring_text(node, "{}")
    return text


#: calls that return their one argument's text with only its layout changed
#: (``textwrap.dedent``, ``inspect.cleandoc``): the SQL it holds is the same
LAYOUT_CALLS = frozenset({"dedent", "cleandoc"})


def _format_template(node: ast.AST) -> Optional[ast.AST]:
    """``t`` of ``t.format(...)`` (and of ``dedent(t)``); None for anything else."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "format":
        return func.value
    if last_part(func) in LAYOUT_CALLS and len(node.args) == 1 and not node.keywords:
        return node.args[0]
    return None


def string_template(node: ast.AST) -> Optional[str]:
    """The whole constant text of a built string, ``{}`` for each spliced value.

    ``"UPDATE " + t + " SET a = 1 WHERE id = :i"`` -> ``"UPDATE {} SET a = 1
    WHERE id = :i"`` (the WHERE of a concatenation is read too);
    ``"... %s" % x`` and ``"... {}".format(x)`` keep their own template.
    None when the text does not start from a constant.
    """
    for _ in range(MAX_DEPTH):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pieces = []
            for operand in flatten_add(node):
                text = _literal_text(operand)
                pieces.append("{}" if text is None else text)
            return "".join(pieces) if pieces and pieces[0] != "{}" else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            node = node.left
            continue
        template = _format_template(node)
        if template is not None:
            node = template
            continue
        if isinstance(node, (ast.List, ast.Tuple)):
            return _fragments_text(node)
        return _literal_text(node)
    return None


def _fragments_text(node: ast.AST) -> Optional[str]:
    """SQL written as a list of fragments that the project's own ``execute``
    joins (isso's ``self.db.execute(['UPDATE comments SET', 'text=?', ...])``):
    the fragments joined by blanks, ``{}`` for each one that is no literal;
    None unless the first one is a literal (DB-API drivers take no list)."""
    texts = [_literal_text(element) for element in node.elts]  # type: ignore[attr-defined]
    if not texts or texts[0] is None:
        return None
    return " ".join("{}" if text is None else text for text in texts)


def flatten_add(expr: ast.BinOp, limit: int = 1000) -> List[ast.expr]:
    """``a + b + c`` -> ``[a, b, c]``, iteratively, at most ``limit`` operands."""
    out: List[ast.expr] = []
    stack: List[ast.expr] = [expr]
    while stack and len(out) < limit:
        node = stack.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            stack.append(node.right)
            stack.append(node.left)
        else:
            out.append(node)
    return out


def spliced_parts(value: Optional[ast.AST]) -> Optional[List[ast.expr]]:
    """The values a string expression splices into literal text: an
    f-string's fields, ``"..." % (a, b)``, ``"...".format(a, b=c)``, the
    non-literal operands of ``+``.  None when the expression is not text
    built that way."""
    if isinstance(value, ast.JoinedStr):
        return [part.value for part in value.values if isinstance(part, ast.FormattedValue)]
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mod) and const_str(value.left) is not None:
        right = value.right
        return list(right.elts) if isinstance(right, ast.Tuple) else [right]
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        operands = flatten_add(value, limit=64)
        parts: List[ast.expr] = []
        for operand in operands:
            if const_str(operand) is not None:
                continue
            inner = spliced_parts(operand) if isinstance(operand, ast.JoinedStr) else [operand]
            parts.extend(inner or [])
        return parts
    if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "format"
            and const_str(value.func.value) is not None):
        return list(value.args) + [kw.value for kw in value.keywords]
    return None
