"""Sensitive logging: DBS201 (identifier at debug level) and DBS202 (secret).

Both codes ask one question of every logger call recorded by the walker:
which *values* end up in the log record, and by which *names* are they
known (spec: "Logged value").  The values are collected once per call by
:func:`logged_values`; DBS201 and DBS202 then only classify names.

Only the call's own arguments are walked (bounded), never the module.
"""

from __future__ import annotations

import ast
from typing import FrozenSet, List, NamedTuple, Optional, Tuple

from ..analysis.names import (
    MAX_DEPTH,
    const_str,
    dotted_name,
    keyword,
    last_part,
    value_name,
)
from ..analysis.semantics import ENGINE_NAME, NUMERIC_CONVERSIONS, percent_conversions
from ..analysis.semantics.loggers import is_secret_name as _is_secret_name
from ..analysis.semantics.loggers import is_session_name
from ..analysis.semantics.values import makes_uuid as _makes_uuid
from ..analysis.semantics.values import is_numeric_call, numeric_annotation, uuid_annotation
from ..analysis.urls import is_placeholder, string_text, url_without_password
from ..analysis.walker import Scope
from .base import Family

#: logger methods that write a record (``log`` takes the level first).
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)
#: builtins seen through: their result prints their first argument (spec).
TRANSPARENT_CALLS = frozenset({"str", "repr", "format"})
#: ``six.text_type`` is ``str`` under another name.
STR_ALIASES = frozenset({"text_type"})
#: oslo.log keywords that put a resource's identifier into the record; which
#: of them count is ``--dbsec-context-keywords`` (the rest are left out).
CONTEXT_KEYWORDS = frozenset({"instance", "instance_uuid", "resource"})
#: logger keywords that steer the call rather than carry a value.
CONTROL_KEYWORDS = frozenset({"exc_info", "stack_info", "stacklevel", "level", "msg", "extra"})
#: OpenStack DB URL options: ``CONF.<*database>.<connection>``.
DB_URL_OPTIONS = frozenset({"connection", "slave_connection"})
#: how many expression nodes of one call are looked at, at most.
NODE_LIMIT = 500


class LoggedValue(NamedTuple):
    """One value in the record: its expression and the names it is known by.

    ``names`` holds the mapping key / keyword / local name first, then the
    expression's own name; ``always_identifier`` marks oslo.log's
    ``instance=``/``instance_uuid=``.
    """

    expr: ast.AST
    names: Tuple[str, ...]
    always_identifier: bool = False


# --- which calls log, at which level ---------------------------------------


def _is_debug_level(level: Optional[ast.AST]) -> bool:
    """``logging.DEBUG``, ``DEBUG`` or ``10`` (spec: debug-level call)."""
    if level is None:
        return False
    if isinstance(level, ast.Constant):
        return type(level.value) is int and level.value == 10
    return last_part(level) == "DEBUG"


def _message_and_args(call: ast.Call, method: str) -> Tuple[Optional[ast.expr], List[ast.expr]]:
    """The message and the positional arguments after it (after the level for ``log``)."""
    args = list(call.args)
    if method == "log":
        args = args[1:] if args else []
    if args:
        return args[0], args[1:]
    return keyword(call, "msg"), []


# --- what a call logs ---------------------------------------------------------


class _Collector:
    """Expands logged expressions into :class:`LoggedValue` s, bounded.

    Containers, mappings, string building (f-strings, ``%``, ``+``,
    ``.format()``), ``str()``/``repr()``/``format()``, conditionals and
    walrus are seen through; any other call is opaque.  A local name bound
    (earlier in the function) to a dict literal or to a built string is
    followed one step at a time, up to ``MAX_DEPTH`` steps.
    """

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.values: List[LoggedValue] = []
        self.budget = NODE_LIMIT

    def add(self, expr: Optional[ast.AST], names: Tuple[str, ...] = (), depth: int = 0) -> None:
        stack: List[Tuple[ast.AST, Tuple[str, ...], int]] = []
        if expr is not None:
            stack.append((expr, names, depth))
        while stack and self.budget > 0:
            node, keys, level = stack.pop()
            self.budget -= 1
            if level > MAX_DEPTH:
                continue
            stack.extend(reversed(self._expand(node, keys, level)))

    def _expand(
        self, node: ast.AST, keys: Tuple[str, ...], level: int
    ) -> List[Tuple[ast.AST, Tuple[str, ...], int]]:
        """Record ``node`` if it is a leaf value; return the parts to look at next."""
        deeper = level + 1
        if isinstance(node, ast.Await):
            return [(node.value, keys, deeper)]
        if isinstance(node, ast.NamedExpr):
            return [(node.value, keys + (node.target.id,), deeper)]
        if isinstance(node, ast.Starred):
            return [(node.value, keys, deeper)]
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [(elt, (), deeper) for elt in node.elts]
        if isinstance(node, ast.Dict):
            return self._mapping(node, deeper)
        if isinstance(node, ast.JoinedStr):
            return [
                (part.value, (), deeper)
                for part in node.values
                if isinstance(part, ast.FormattedValue)
            ]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            operands = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
            text = self.format_text(node.left)
            return [(node.left, (), deeper)] + self.operands(text, operands, deeper)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return [(node.left, (), deeper), (node.right, (), deeper)]
        if isinstance(node, ast.IfExp):
            return [(node.body, keys, deeper), (node.orelse, keys, deeper)]
        if isinstance(node, ast.BoolOp):
            return [(value, keys, deeper) for value in node.values]
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return [(node.elt, keys, deeper)]  # ``[c.uuid for c in xs]``
        if isinstance(node, ast.DictComp):
            return [(node.key, (), deeper), (node.value, keys, deeper)]
        if isinstance(node, ast.Call):
            return self._call(node, keys, deeper)
        if isinstance(node, ast.Constant):
            return []  # message text and literals never count
        self.values.append(LoggedValue(node, _names(keys, node)))
        if isinstance(node, ast.Name):
            return self._local(node, deeper)
        return []

    def _mapping(
        self, node: ast.Dict, deeper: int, numeric: FrozenSet[str] = frozenset()
    ) -> List[Tuple[ast.AST, Tuple[str, ...], int]]:
        out: List[Tuple[ast.AST, Tuple[str, ...], int]] = []
        for key, value in zip(node.keys, node.values):
            text = const_str(key)
            if text in numeric:
                continue
            out.append((value, (text,) if text else (), deeper))
        return out

    def format_text(self, node: Optional[ast.AST]) -> Optional[str]:
        """The constant %-format text of a message: literal, ``_("...")``, or a
        local bound to one."""
        for _ in range(3):
            text = const_str(node)
            if text is not None:
                return text
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id.startswith("_")
                and len(node.args) == 1
            ):
                node = node.args[0]
                continue
            if isinstance(node, ast.Name):
                binding = self.scope.lookup(node.id, node)
                if binding is None or binding.kind != "assign":
                    return None
                node = binding.value
                continue
            return None
        return None

    def operands(
        self, text: Optional[str], operands: List[ast.expr], deeper: int
    ) -> List[Tuple[ast.AST, Tuple[str, ...], int]]:
        """Values formatted into ``text``; those under a numeric conversion
        (``%d``, ``%(cookie)x``) are numbers, never identifiers or secrets."""
        conversions = percent_conversions(text) if text is not None else None
        if conversions is None:
            return [(operand, (), deeper) for operand in operands]
        positional, named = conversions
        if len(operands) == 1 and isinstance(operands[0], ast.Dict) and named:
            numeric = frozenset(k for k, conv in named.items() if conv in NUMERIC_CONVERSIONS)
            return self._mapping(operands[0], deeper, numeric)
        return [
            (operand, (), deeper)
            for index, operand in enumerate(operands)
            if not (
                index < len(positional)
                and positional[index] in NUMERIC_CONVERSIONS
                and not isinstance(operand, ast.Starred)
                and not any(isinstance(o, ast.Starred) for o in operands[:index])
            )
        ]

    def _call(
        self, call: ast.Call, keys: Tuple[str, ...], deeper: int
    ) -> List[Tuple[ast.AST, Tuple[str, ...], int]]:
        func = call.func
        name = last_part(func)
        if isinstance(func, ast.Attribute) and name == "format":
            # "...".format(a, k=b): the receiver is text, the arguments are values
            out = [(func.value, (), deeper)]
            out += [(arg, (), deeper) for arg in call.args]
            out += [(kw.value, (kw.arg,) if kw.arg else (), deeper) for kw in call.keywords]
            return out
        if _is_transparent(call):
            return [(call.args[0], keys, deeper)]
        attribute = _getattr_name(call)
        if attribute is not None:
            # ``getattr(obj, "uuid")`` is ``obj.uuid`` under another spelling
            self.values.append(LoggedValue(call, keys + (attribute,)))
            return []
        if name == "dict" and isinstance(func, ast.Name):
            out = [(arg, (), deeper) for arg in call.args]
            out += [(kw.value, (kw.arg,) if kw.arg else (), deeper) for kw in call.keywords]
            return out
        # opaque: its result is logged, not its arguments (len(), mask_password())
        self.values.append(LoggedValue(call, keys))
        return []

    def _local(self, name: ast.Name, deeper: int) -> List[Tuple[ast.AST, Tuple[str, ...], int]]:
        """Follow a local bound to a dict literal or a built string."""
        binding = self.scope.lookup(name.id, name)
        if binding is None or binding.kind not in ("assign", "walrus"):
            return []
        value = binding.value
        if isinstance(value, (ast.Dict, ast.JoinedStr)) or _is_dict_call(value):
            return [(value, (), deeper)]
        if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Mod, ast.Add)):
            return [(value, (), deeper)]
        if isinstance(value, ast.Call) and last_part(value.func) == "format":
            return [(value, (), deeper)]
        return []


def _getattr_name(call: ast.Call) -> Optional[str]:
    """``getattr(obj, "uuid"[, default])`` -> ``"uuid"``."""
    if isinstance(call.func, ast.Name) and call.func.id == "getattr" and len(call.args) >= 2:
        return const_str(call.args[1])
    return None


def _is_dict_call(node: Optional[ast.AST]) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "dict"
    )


def _names(keys: Tuple[str, ...], node: ast.AST) -> Tuple[str, ...]:
    own = value_name(node)
    return keys + ((own,) if own and own not in keys else ())


def logged_values(
    call: ast.Call, method: str, scope: Scope, context_keywords: FrozenSet[str] = CONTEXT_KEYWORDS
) -> List[LoggedValue]:
    """Every value the logger call puts into the record (spec: "Logged value").

    oslo.log's context keywords (``instance=``...) in ``context_keywords``
    carry an identifier whatever their value's name; the others are context
    that the project's log format adds by design, left out."""
    collector = _Collector(scope)
    message, args = _message_and_args(call, method)
    collector.add(message)
    text = collector.format_text(message) if args else None
    for arg, names, depth in collector.operands(text, args, 1):
        collector.add(arg, names, depth)
    extra = keyword(call, "extra")
    if extra is not None:
        collector.add(extra)
    for kw in call.keywords:
        if kw.arg is None or kw.arg in CONTROL_KEYWORDS:
            continue
        if kw.arg in CONTEXT_KEYWORDS:
            if kw.arg in context_keywords and not _is_none(kw.value):
                collector.values.append(LoggedValue(kw.value, (kw.arg,), always_identifier=True))
            continue
        collector.add(kw.value, (kw.arg,))
    return collector.values


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


# --- the rules -----------------------------------------------------------------


class SensitiveLoggingRules(Family):
    codes = ("DBS201", "DBS202")

    def run(self) -> None:
        want_ids = self.wants("DBS201")
        want_secrets = self.wants("DBS202")
        if not (want_ids or want_secrets):
            return
        for scope in self.facts.scopes:
            for call, _ctx in scope.calls:
                debug = self._is_debug_call(call, scope)
                if debug is None or not (want_secrets or debug):
                    continue
                values = logged_values(
                    call, call.func.attr, scope, self.settings.context_keywords  # type: ignore[attr-defined]
                )
                if want_ids and debug:
                    self._report_names(call, "DBS201", self._identifiers(values, scope))
                if want_secrets:
                    self._report_names(call, "DBS202", self._secrets(values, scope))

    def _is_debug_call(self, call: ast.Call, scope: Scope) -> Optional[bool]:
        """None if ``call`` does not log; else whether it logs at debug level."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
            return None
        if not self.sem.is_logger(func.value, scope):
            return None
        if func.attr == "log":
            return _is_debug_level(call.args[0] if call.args else keyword(call, "level"))
        return func.attr == "debug"

    def _report_names(self, call: ast.Call, code: str, names: List[str]) -> None:
        if names:
            self.report(call, code, names=", ".join(dict.fromkeys(names)))

    # -- DBS201 ---------------------------------------------------------------

    def _identifiers(self, values: List[LoggedValue], scope: Scope) -> List[str]:
        pattern = self.settings.identifier_pattern
        found: List[str] = []
        for value in values:
            if value.always_identifier:
                found.append(value.names[0])
                continue
            named = [n for n in value.names if pattern.search(n)]
            if named:
                found.append(named[0])
            elif _makes_uuid(value.expr):
                found.append(_label(value.expr))
            elif isinstance(value.expr, ast.Name) and _makes_uuid(
                _bound_value(value.expr, scope)
            ):
                found.append(value.expr.id)
        return found

    # -- DBS202 ---------------------------------------------------------------

    def _secrets(self, values: List[LoggedValue], scope: Scope) -> List[str]:
        pattern = self.settings.secret_pattern
        found: List[str] = []
        for value in values:
            expr = value.expr
            # a local stands for what it was bound to (url = CONF.database.connection)
            bound = _bound_value(expr, scope) if isinstance(expr, ast.Name) else None
            if _shows_password(expr) or _shows_password(bound):
                found.append(_label(expr))
            elif self._is_masked(expr, scope) or self._is_masked(bound, scope):
                continue
            elif _is_url_object(expr) or _is_url_object(bound):
                continue  # a SQLAlchemy URL renders its password as ***
            elif self._is_driver_dsn(expr, scope) or self._is_driver_dsn(bound, scope):
                continue  # psycopg's connection.dsn / conn.info.dsn hide the password
            else:
                name = self._secret_name(value.names, pattern)
                if name is None and not (_is_db_url_option(expr) or _is_db_url_option(bound)):
                    continue
                # provenance, asked only of what looks secret:
                if self._holds_no_secret(expr, scope):
                    continue  # token_str = "****" if token else "missing": text of the source
                if _holds_uuid(expr, bound, scope):
                    continue  # token = uuid4(): an identifier (DBS201), not a credential
                if _holds_number(expr, bound, scope):
                    continue  # token: int: a stream position or a counter, not a credential
                if self.sem.renders_hidden(expr, scope):
                    continue  # an object whose __repr__ leaves its token out
                found.append(name or _label(expr))
        return found

    def _secret_name(self, names: Tuple[str, ...], pattern) -> Optional[str]:  # type: ignore[no-untyped-def]
        """The first of a value's names that names a secret. A bare session
        name (``session_id``) counts only in a module that authenticates: a
        chat, lock or record session is no credential, though a password
        logged under that key still is (``{"session_id": password}``)."""
        secret = [n for n in names if _is_secret_name(pattern, n)]
        if any(is_session_name(n) for n in secret) and not self.sem.module_authenticates():
            secret = [n for n in secret if not is_session_name(n)]
        return secret[0] if secret else None

    def _holds_no_secret(self, expr: ast.AST, scope: Scope) -> bool:
        """A local whose binding runs on every path to the log call and can
        only give a mask or other text written in the source (``"****" if
        token else "missing"``) or a DB URL without a password part
        (``f"postgresql://postgres@{host}/test"``): no secret reaches the
        record, whatever the name says."""
        if not isinstance(expr, ast.Name):
            return False
        binding = scope.lookup(expr.id, expr)
        if binding is None or binding.kind != "assign" or binding.value is None:
            return False
        if not self.facts.runs_before(binding.node, expr):
            return False  # an earlier binding may still reach the call
        return _masked_literals(binding.value) or _url_without_password(binding.value)

    def _is_driver_dsn(self, expr: Optional[ast.AST], scope: Scope) -> bool:
        """``conn.dsn`` of a DB-API connection (``cursor.connection.dsn``) or
        psycopg 3's ``conn.info.dsn``: psycopg2 obscures the password in
        ``connection.dsn``, psycopg 3 leaves it out of ``info.dsn``.  A
        ``dsn`` that is a variable, a setting or an attribute of anything
        else is still a secret."""
        expr = _strip_transparent(expr)
        if not (isinstance(expr, ast.Attribute) and expr.attr == "dsn"):
            return False
        owner = expr.value
        if isinstance(owner, ast.Attribute) and owner.attr == "info":
            owner = owner.value
        return self.sem.is_session_like(owner, scope)

    def _is_masked(self, expr: Optional[ast.AST], scope: Scope) -> bool:
        """A masking call (configured, or a project helper that masks): its
        result is never a leak."""
        if not isinstance(expr, ast.Call):
            return False
        name = last_part(expr.func)
        if name == "render_as_string":
            return not _shows_password(expr)
        return name in self.settings.masking_functions or self.sem.is_project_masking(expr, scope)


#: calls that make a SQLAlchemy ``URL`` object
URL_FACTORIES = frozenset({"make_url", "create"})


def _is_url_object(expr: Optional[ast.AST]) -> bool:
    """A SQLAlchemy ``URL`` object: ``engine.url`` (also of an engine a call
    returns, ``get_engine().url``), ``make_url(...)``,
    ``URL.create(...)``. Since SQLAlchemy 2.0 ``str()``, ``repr()``, ``%s`` and
    f-strings render it with the password masked (spec, Turn 2 "DBS202 -
    rendered URLs"); ``url.password`` and ``render_as_string(hide_password=
    False)`` are the leaks, judged elsewhere."""
    expr = _strip_transparent(expr)
    if isinstance(expr, ast.Attribute) and expr.attr == "url":
        owner = expr.value
        if isinstance(owner, ast.Call):
            owner = owner.func  # an engine a call returns: settings.get_engine().url
        name = last_part(owner)
        return name is not None and (ENGINE_NAME.fullmatch(name) is not None or name == "bind")
    if isinstance(expr, ast.Call):
        name = last_part(expr.func)
        if name == "make_url":
            return True
        return name == "create" and last_part(getattr(expr.func, "value", None)) == "URL"
    return False


def _masked_literals(node: ast.AST) -> bool:
    """Only constants, one of them a mask: ``"****" if token else
    "missing"`` shows whether there is a token, never the token. A plain
    literal (``password = "hunter2"``) is still a secret in the log."""
    literals = _literals(node, 0)
    return literals is not None and any(text.strip() and is_placeholder(text) for text in literals)


def _literals(node: ast.AST, depth: int) -> Optional[List[str]]:
    """The texts of an expression built only of constants and conditionals;
    None when any part is a value (``token or "unset"``)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body, depth + 1), _literals(node.orelse, depth + 1)
        return None if body is None or orelse is None else body + orelse
    return None


def _url_without_password(node: ast.AST) -> bool:
    """A DB URL literal or f-string whose password part cannot hold a secret."""
    text = string_text(node)
    return text is not None and url_without_password(text)


def _holds_uuid(expr: ast.AST, bound: Optional[ast.AST], scope: Scope) -> bool:
    """A UUID by provenance: made here (``uuid4()``, ``str(uuid4())``), a local
    last bound from one, or a parameter annotated ``UUID``. Whatever its name
    (``token``, ``session_id``), a value made by a UUID factory names
    something (a borrower, a telemetry session): an identifier (DBS201 at
    debug level), not a credential. A UUID that is used as a bearer token is
    the exception this gives up (see the rule's choices)."""
    if _makes_uuid(_strip_transparent(expr)) or _makes_uuid(bound):
        return True
    if not isinstance(expr, ast.Name):
        return False
    binding = scope.lookup(expr.id, expr)
    return (
        binding is not None
        and binding.kind == "param"
        and uuid_annotation(getattr(binding.node, "annotation", None))
    )


def _holds_number(expr: ast.AST, bound: Optional[ast.AST], scope: Scope) -> bool:
    """A number by provenance: a parameter or local annotated ``int``/
    ``float``, or a local bound to a numeric call (``int(...)``, ``len()``).
    The secret names (password, token, key, session id, cookie, DSN) are
    text; a ``token`` that is a number is a position or a counter (a
    replication stream's ``token: int``)."""
    if isinstance(bound, ast.Call) and is_numeric_call(bound):
        return True
    if not isinstance(expr, ast.Name):
        return False
    binding = scope.lookup(expr.id, expr)
    if binding is None or binding.kind not in ("param", "assign"):
        return False
    return numeric_annotation(getattr(binding.node, "annotation", None))


def _bound_value(name: ast.Name, scope: Scope) -> Optional[ast.AST]:
    """What a local was bound to before ``name`` (``str()`` stripped), if known.

    ``ref = str(uuid.uuid4())`` -> ``uuid.uuid4()``.
    """
    binding = scope.lookup(name.id, name)
    if binding is None or binding.kind not in ("assign", "walrus"):
        return None
    return _strip_transparent(binding.value)


def _strip_transparent(value: Optional[ast.AST]) -> Optional[ast.AST]:
    """``str(repr(x))`` -> ``x``."""
    for _ in range(MAX_DEPTH):
        if not _is_transparent(value):
            break
        value = value.args[0]  # type: ignore[union-attr]
    return value


def _is_transparent(node: Optional[ast.AST]) -> bool:
    """``str(x)``, ``repr(x)``, ``format(x, spec)``, ``six.text_type(x)``."""
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in TRANSPARENT_CALLS or func.id in STR_ALIASES
    return isinstance(func, ast.Attribute) and func.attr in STR_ALIASES


def _shows_password(call: Optional[ast.AST]) -> bool:
    """``url.render_as_string(hide_password=False)``: the URL with its password."""
    if not isinstance(call, ast.Call) or last_part(call.func) != "render_as_string":
        return False
    hide = keyword(call, "hide_password")
    if hide is None and call.args:
        hide = call.args[0]
    return isinstance(hide, ast.Constant) and hide.value is False


def _is_db_url_option(expr: Optional[ast.AST]) -> bool:
    """``CONF.database.connection`` (also ``CONF.api_database.connection``)."""
    if not isinstance(expr, ast.Attribute) or expr.attr not in DB_URL_OPTIONS:
        return False
    group = last_part(expr.value)
    return group is not None and (group == "database" or group.endswith("_database"))


def _label(expr: ast.AST) -> str:
    """How a finding names a value: its code, never its contents.

    ``uuid.uuid4()``, ``uuid.uuid4().hex``, ``engine.url.render_as_string(...)``.
    """
    suffix = ""
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Call):
        suffix, expr = f".{expr.attr}", expr.value
    if isinstance(expr, ast.Call):
        func = dotted_name(expr.func) or last_part(expr.func) or "call"
        args = "hide_password=False" if _shows_password(expr) else ""
        return f"{func}({args}){suffix}"
    return dotted_name(expr) or value_name(expr) or "value"
