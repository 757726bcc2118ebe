"""What a value is, by where it comes from: a number, a UUID, random text.

Two families ask the same question about a value's provenance: DBS401 (a
number or random text spliced into SQL cannot change the statement's
structure) and DBS201/DBS202 (a UUID is an identifier, not a credential).
The answers here are pure functions of the AST (plus, for regex groups, the
pattern a local or module constant holds); following locals stays with the
caller, which knows its scope and depth budget.

- **numbers**: ``int()``/``float()``/``len()``/``bool()``/``round()``/
  ``abs()`` and ``math.ceil/floor/trunc`` results, parameters annotated
  ``int``/``float``/``Optional[int]``..., and the groups of a regex match
  whose pattern captures only digits (``(\\d+)``, ``([0-9]{1,3})``);
- **UUIDs**: ``uuid.uuid1/3/4/5()``, oslo.utils' ``uuidutils.generate_uuid()``
  (also ``.hex``/``.urn`` of one), and parameters annotated ``UUID``/``uuid.UUID``;
- **random text**: ``secrets.token_hex()``/``token_urlsafe()``, ``uuid4()``,
  ``getrandbits()``: letters, digits, ``-`` and ``_`` only;
- **checked values**: past ``if x not in ALLOWED: raise`` (or ``return``),
  or ``if not SAFE_NAME.fullmatch(x): raise`` with a pattern that lets no
  quote, separator, comment or blank through, ``x`` holds an allowed value.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Optional

from ..names import const_str, dotted_name, last_part
from ..walker import Scope

try:  # Python 3.11+
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse as _sre_parse  # type: ignore[no-redef]

#: calls whose result is a number (never injectable text).
NUMERIC_CALLS = frozenset({"int", "float", "len", "bool", "round", "abs"})
MATH_NUMERIC_CALLS = frozenset({"math.ceil", "math.floor", "math.trunc"})
#: annotations that declare a number
NUMERIC_TYPES = frozenset({"int", "float", "bool", "Decimal", "PositiveInt", "NonNegativeInt"})
#: calls that make a fresh UUID (stdlib ``uuid`` and oslo.utils ``uuidutils``).
UUID_FACTORIES = frozenset({"uuid1", "uuid3", "uuid4", "uuid5", "generate_uuid"})
#: attributes of a UUID object that are the UUID in another spelling.
UUID_RENDERINGS = frozenset({"hex", "urn"})
#: annotations that declare a UUID
UUID_TYPES = frozenset({"UUID", "UUID1", "UUID4"})
#: calls whose text is random letters, digits, ``-`` and ``_``: spliced into
#: SQL they cannot change its structure (savepoint and scratch-table names)
RANDOM_TEXT_CALLS = frozenset({"token_hex", "token_urlsafe", "uuid1", "uuid4", "getrandbits"})
#: ``re`` functions and compiled-pattern methods that return a match
MATCH_METHODS = frozenset({"match", "search", "fullmatch"})
#: match methods that return captured groups
GROUP_METHODS = frozenset({"group", "groups", "groupdict"})
#: regex patterns parsed at most this long (longer ones are not judged)
PATTERN_LIMIT = 2_000


def is_numeric_call(call: ast.AST) -> bool:
    """``int(x)``, ``len(x)``, ``math.ceil(x)``...: a number whatever ``x`` is."""
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in NUMERIC_CALLS or func.id in ("ceil", "floor", "trunc")
    return dotted_name(func) in MATH_NUMERIC_CALLS


def numeric_annotation(annotation: Optional[ast.AST]) -> bool:
    """``int``, ``float``, ``Optional[int]``, ``int | None``: a number (or None)."""
    return _annotation_is(annotation, NUMERIC_TYPES)


def uuid_annotation(annotation: Optional[ast.AST]) -> bool:
    """``UUID``, ``uuid.UUID``, ``Optional[UUID]``, ``UUID | None``."""
    return _annotation_is(annotation, UUID_TYPES)


def _annotation_is(annotation: Optional[ast.AST], names: frozenset, depth: int = 0) -> bool:
    if annotation is None or depth > 8:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        if len(annotation.value) > 200:
            return False
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation.left, annotation.right]
        return any(_annotation_is(s, names, depth + 1) for s in sides) and all(
            _annotation_is(s, names, depth + 1) or (isinstance(s, ast.Constant) and s.value is None)
            for s in sides
        )
    if isinstance(annotation, ast.Subscript) and last_part(annotation.value) == "Optional":
        return _annotation_is(annotation.slice, names, depth + 1)
    return last_part(annotation) in names


def makes_uuid(node: Optional[ast.AST]) -> bool:
    """``uuid.uuid4()``, ``uuidutils.generate_uuid()``; also ``uuid4().hex``."""
    if isinstance(node, ast.Attribute) and node.attr in UUID_RENDERINGS:
        node = node.value
    return isinstance(node, ast.Call) and last_part(node.func) in UUID_FACTORIES


def is_random_text(call: ast.Call) -> bool:
    return last_part(call.func) in RANDOM_TEXT_CALLS


# -- regex groups -------------------------------------------------------------------


def digit_groups(call: ast.AST, scope: Scope) -> bool:
    """``m.groups()``, ``m.group(1)``, ``m[1]`` of a match ``m`` whose pattern
    captures only digits: every group that can be read is ``\\d``/``[0-9]``
    repeated (or None when it did not take part), so it is a number in text.

    ``m`` is a local bound (``=`` or ``:=``) from ``<re or pattern>.match/
    search/fullmatch(...)``; the pattern is a literal, or a name bound once to
    ``re.compile(<literal>)`` or to a literal (in the function or at module
    level)."""
    if isinstance(call, ast.Subscript):
        receiver, which = call.value, call.slice
    elif isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in GROUP_METHODS:
        receiver = call.func.value
        which = call.args[0] if call.func.attr == "group" and len(call.args) == 1 else None
        if call.func.attr == "group" and len(call.args) > 1:
            return False
    else:
        return False
    pattern = _match_pattern(receiver, scope)
    if pattern is None:
        return False
    groups = _digit_only_groups(pattern)
    if groups is None:
        return False
    digit_only, every = groups
    if which is None:  # groups(), groupdict(), group() is group 0
        if isinstance(call, ast.Call) and call.func.attr == "group":  # type: ignore[union-attr]
            return 0 in digit_only
        return every
    if isinstance(which, ast.Constant) and type(which.value) is int:
        return which.value in digit_only
    return False


def _match_pattern(receiver: ast.AST, scope: Scope) -> Optional[str]:
    """The pattern text of the match a local holds."""
    if isinstance(receiver, ast.Name):
        binding = scope.lookup(receiver.id, receiver)
        if binding is None or binding.kind not in ("assign", "walrus"):
            return None
        receiver = binding.value
    if not isinstance(receiver, ast.Call) or not isinstance(receiver.func, ast.Attribute):
        return None
    if receiver.func.attr not in MATCH_METHODS:
        return None
    owner = receiver.func.value
    if isinstance(owner, ast.Name) and owner.id == "re":
        return _pattern_text(receiver.args[0], scope) if receiver.args else None
    return _pattern_text(owner, scope, compiled=True)


def _pattern_text(node: ast.AST, scope: Scope, compiled: bool = False) -> Optional[str]:
    for _ in range(4):
        if isinstance(node, ast.Name):
            binding = scope.lookup(node.id, node)
            if binding is None or binding.kind != "assign":
                return None
            node = binding.value
            continue
        if isinstance(node, ast.Call) and last_part(node.func) == "compile" and node.args:
            node = node.args[0]
            compiled = False
            continue
        if compiled:
            return None
        return const_str(node)
    return None


def _digit_only_groups(pattern: str):  # -> Optional[Tuple[Set[int], bool]]
    """({group numbers whose text can only be digits}, every group is one);
    group 0 is in the set when the whole pattern is digits. None when the
    pattern does not parse."""
    if len(pattern) > PATTERN_LIMIT:
        return None
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:  # re.error, RecursionError, OverflowError...
        return None
    digit_only = set()
    every = [True]

    def visit(items) -> bool:
        """Can these items only match digits?  Records capturing groups."""
        only = True
        for op, arg in items:
            name = str(op)
            if name == "SUBPATTERN":
                group, _add, _del, inner = arg
                inner_only = visit(inner)
                if group is not None:
                    if inner_only:
                        digit_only.add(group)
                    else:
                        every[0] = False
                only = only and inner_only
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                only = visit(arg[2]) and only
            elif name == "BRANCH":
                for alternative in arg[1]:
                    only = visit(alternative) and only
            elif name == "ATOMIC_GROUP":
                only = visit(arg) and only
            elif name == "IN":
                only = only and _digit_set(arg)
            elif name == "LITERAL":
                only = only and chr(arg).isdigit()
            elif name in ("AT",):
                continue  # anchors match no text
            else:
                only = False
                if name in ("GROUPREF_EXISTS", "ASSERT", "ASSERT_NOT"):
                    for part in arg[1:] if name == "GROUPREF_EXISTS" else [arg[1]]:
                        if part is not None:
                            visit(getattr(part, "data", part))
        return only

    try:
        whole = visit(parsed.data if hasattr(parsed, "data") else parsed)
    except Exception:
        return None
    if whole:
        digit_only.add(0)
    return digit_only, every[0]


def _digit_set(items) -> bool:
    for op, arg in items:
        name = str(op)
        if name == "CATEGORY":
            if str(arg) != "CATEGORY_DIGIT":
                return False
        elif name == "RANGE":
            low, high = arg
            if not (ord("0") <= low and high <= ord("9")):
                return False
        elif name == "LITERAL":
            if not chr(arg).isdigit():
                return False
        else:
            return False  # NEGATE, other categories
    return True


# -- checked values ----------------------------------------------------------------

#: methods that change only a string's case or surrounding blanks: a value
#: whose ``.lower()`` is an allowed word is a case variant of it
CASE_METHODS = frozenset({"lower", "upper", "casefold", "strip", "lstrip", "rstrip"})
#: what a checked identifier must never hold: a quote, a statement or
#: comment break, a blank, a bracket, each after a harmless letter (a
#: pattern anchored only at its start lets them through)
INJECTION_PROBES = ("a'", "a'b", 'a"b', "a`b", "a;b", "a b", "a\tb", "a\nb", "a)b", "a(b",
                    "a--b", "a/*b", "a\\b", "a,b", "a=b", "'", ";")


def guard_subject(expr: ast.AST) -> Optional[str]:
    """What a check tests: ``order`` or ``self.order`` (also through
    ``.lower()``), as "order" / "self.order"."""
    if (isinstance(expr, ast.Call) and not expr.args and not expr.keywords
            and isinstance(expr.func, ast.Attribute) and expr.func.attr in CASE_METHODS):
        expr = expr.func.value
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id in ("self", "cls"):
        return f"self.{expr.attr}"
    return None


def rejected_subject(statement: ast.AST, scope: Scope) -> Optional[str]:
    """``if x not in ALLOWED: raise ...`` (or ``return``; ``if not x in``),
    or ``if not SAFE.fullmatch(x): raise ...`` (``re.match(r"^\\w+$", x)``,
    ``... is None``), with no ``else``: the subject the statement lets
    through only when it is allowed or a safe identifier."""
    if not isinstance(statement, ast.If) or statement.orelse or not statement.body:
        return None
    if not isinstance(statement.body[-1], (ast.Raise, ast.Return)):
        return None
    test = statement.test
    checked = _pattern_checked(test, scope)
    if checked is not None:
        return guard_subject(checked)
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    compare = test.operand if negated else test  # type: ignore[attr-defined]
    if not (isinstance(compare, ast.Compare) and len(compare.ops) == 1):
        return None
    if not isinstance(compare.ops[0], ast.In if negated else ast.NotIn):
        return None
    return guard_subject(compare.left)


def _pattern_checked(test: ast.AST, scope: Scope) -> Optional[ast.AST]:
    """``not P.match(x)`` / ``P.fullmatch(x) is None`` / ``not re.match(p, x)``
    where the pattern rejects every :data:`INJECTION_PROBES`: x."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        call = test.operand
    elif (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is)
          and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None):
        call = test.left
    else:
        return None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr in ("match", "fullmatch") and not call.keywords):
        return None
    owner = call.func.value
    if isinstance(owner, ast.Name) and owner.id == "re":
        if len(call.args) != 2:
            return None
        pattern, subject = _pattern_text(call.args[0], scope), call.args[1]
    else:
        if len(call.args) != 1:
            return None
        pattern, subject = _pattern_text(owner, scope, compiled=True), call.args[0]
    if pattern is None or not rejects_injection(pattern, call.func.attr == "fullmatch"):
        return None
    return subject


@lru_cache(maxsize=512)
def rejects_injection(pattern: str, full: bool) -> bool:
    """Does the pattern (``match``: anchored at the start only; ``fullmatch``)
    refuse every probe? A pure function of its arguments (the cache holds
    no state of a file)."""
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return False
    test = compiled.fullmatch if full else compiled.match
    return not any(test(probe) for probe in INJECTION_PROBES)

