"""Plain SQL text, read in one linear pass: statement kind, WHERE and SET columns.

SQL reaches the rules as string constants and as the constant head of a
built string (``"UPDATE t SET a = %s WHERE id = %s"``, ``f"DELETE FROM {t}
WHERE uuid = :u"``).  A hand-written scanner, not a regular expression with
nested quantifiers, splits it into tokens: every character is looked at a
bounded number of times, so a comment run, a 1 MB inline literal or an
unterminated quote cannot make it backtrack.  Text beyond :data:`MAX_SQL` is
not read (the columns of a longer statement come from its first part).

What the rules need from the tokens:

* the first word (``UPDATE``), skipping comments and opening parentheses;
* the WHERE comparisons as ``(column, operator)`` pairs, where the operator
  tells a pin (``=``, ``IN``) from an exclusion (``!=``, ``NOT IN``) or a
  range, and whether the comparison sits under an ``OR``;
* the columns a SET list assigns, and whether there is a RETURNING clause.
"""

from __future__ import annotations

import re
from typing import Iterator, List, NamedTuple, Optional

#: how much of one SQL text is read (the head and the columns of a longer
#: statement come from its first part).
MAX_SQL = 64 * 1024

# -- operator names (shared with the SQLAlchemy expression side) --------------
EQ = "eq"  # = , ==, IS (NULL), filter_by(col=v)
IN = "in"  # IN (...), in_()
NE = "ne"  # !=, <>, IS NOT
NOT_IN = "notin"  # NOT IN, notin_(), not_in()
RANGE = "range"  # <, <=, >, >=, BETWEEN
MATCH = "match"  # LIKE, ILIKE, contains()...
PIN_OPERATORS = frozenset({EQ, IN})


class Comparison(NamedTuple):
    """One column compared in a WHERE clause."""

    column: str  # last name part, unquoted
    op: str  # EQ | IN | NE | NOT_IN | RANGE | MATCH
    #: under an ``OR``: the statement may reach rows this column does not pin
    disjunct: bool = False


class Token(NamedTuple):
    kind: str  # word | quoted | string | number | op | punct | param
    text: str


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_NUMBER = re.compile(r"[0-9][A-Za-z0-9_.]*")
_SPACE = re.compile(r"\s+")
_PARAM = re.compile(r":[A-Za-z_][A-Za-z0-9_]*|%\([^)\n]{0,200}\)[sd]|%[sd]|\?[0-9]*|\$[0-9]+")
_TWO_CHAR_OPS = ("<>", "!=", "<=", ">=", "==")
_CLOSING_QUOTE = {'"': '"', "`": "`"}


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text[:MAX_SQL]``, comments and whitespace dropped.

    Linear: each branch consumes at least one character and looks at no
    character twice (``str.find`` for comment ends and closing quotes).
    An unterminated comment or string ends the text.
    """
    text = text[:MAX_SQL]
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c.isspace():
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        elif text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c == "'":
            end = _string_end(text, i)
            yield Token("string", text[i:end])
            i = end
        elif c in _CLOSING_QUOTE:
            end = text.find(_CLOSING_QUOTE[c], i + 1)
            end = n if end < 0 else end + 1
            yield Token("quoted", text[i + 1 : end - 1])
            i = end
        elif c.isalpha() or c == "_":
            match = _WORD.match(text, i)
            end = match.end() if match else i + 1
            yield Token("word", text[i:end])
            i = end
        elif c.isdigit():
            match = _NUMBER.match(text, i)
            end = match.end() if match else i + 1
            yield Token("number", text[i:end])
            i = end
        elif c in ":%?$":
            match = _PARAM.match(text, i)
            if match and match.end() > i + (0 if c == "?" else 1):
                yield Token("param", match.group())
                i = match.end()
            else:
                yield Token("punct", c)
                i += 1
        elif text.startswith(_TWO_CHAR_OPS, i):
            yield Token("op", text[i : i + 2])
            i += 2
        elif c in "=<>":
            yield Token("op", c)
            i += 1
        else:
            yield Token("punct", c)
            i += 1


def _string_end(text: str, start: int) -> int:
    """Index after the ``'...'`` literal starting at ``start`` (``''`` escapes)."""
    i = start + 1
    while True:
        end = text.find("'", i)
        if end < 0:
            return len(text)
        if text.startswith("''", end):
            i = end + 2
            continue
        return end + 1


def head_word(text: str) -> Optional[str]:
    """The statement's first word, after comments and ``(``; None if it
    starts with anything else (a placeholder, an interpolation hole)."""
    for token in tokens(text):
        if token.kind == "punct" and token.text == "(":
            continue
        return token.text if token.kind == "word" and token.text.isalpha() else None
    return None


# -- clauses ------------------------------------------------------------------

#: words that end a WHERE clause
_WHERE_END = frozenset(
    {"RETURNING", "ORDER", "LIMIT", "GROUP", "HAVING", "UNION", "FOR", "OFFSET"}
)
_SET_END = frozenset({"WHERE", "FROM", "RETURNING", "ORDER", "LIMIT"})
_COMPARISON_OPS = {
    "=": EQ,
    "==": EQ,
    "!=": NE,
    "<>": NE,
    "<": RANGE,
    "<=": RANGE,
    ">": RANGE,
    ">=": RANGE,
}


def rollback_text(text: str, savepoints: bool = True) -> bool:
    """``ROLLBACK`` (``ROLLBACK WORK``, ``ROLLBACK TRANSACTION``), and with
    ``savepoints`` also ``ROLLBACK [WORK] TO [SAVEPOINT] name``."""
    words = [_upper(token) for _, token in zip(range(3), tokens(text))]
    if not words or words[0] != "ROLLBACK":
        return False
    return savepoints or "TO" not in words[1:]


class SqlFacts(NamedTuple):
    where: List[Comparison]
    sets: List[str]
    returning: bool
    #: the table an UPDATE/DELETE targets (last name part, unquoted), if written
    table: Optional[str] = None


def _upper(token: Token) -> str:
    return token.text.upper() if token.kind == "word" else ""


def statement_facts(text: str) -> SqlFacts:
    """WHERE comparisons, SET columns and RETURNING of one SQL statement.

    Comparisons inside a subquery (``id IN (SELECT ... WHERE ...)``) belong
    to the subquery and are left out; ``col IN (SELECT ...)`` itself pins
    nothing (it is recorded as a range).  A comparison in a parenthesised
    group (or a WHERE) that also holds an ``OR`` is marked ``disjunct``.
    """
    toks = list(tokens(text))
    sets: List[str] = []
    returning = False
    clause = ""  # "" | "set" | "where" | "done"
    #: open parenthesised groups of the WHERE: [comparisons, has_or, subquery]
    groups: List[List[object]] = [[[], False, False]]
    #: parentheses open before the WHERE (a subquery in a SET value has a
    #: WHERE of its own)
    outer = 0
    for index, token in enumerate(toks):
        word = _upper(token)
        if word == "RETURNING":
            returning = True
        depth = len(groups) - 1
        if token.kind == "punct" and token.text in "()":
            if clause != "where":
                outer = outer + 1 if token.text == "(" else max(outer - 1, 0)
                continue
            if token.text == "(":
                subquery = index + 1 < len(toks) and _upper(toks[index + 1]) == "SELECT"
                groups.append([[], False, subquery or bool(groups[-1][2])])
            elif depth > 0:
                _close_group(groups)
            continue
        if outer:
            continue  # inside a SET value's parentheses: ``SET a = (SELECT ... WHERE ...)``
        if depth == 0:
            if word == "WHERE" and clause in ("", "set"):
                clause = "where"
                continue
            if word == "SET" and clause == "":
                clause = "set"
                continue
            if clause == "where" and word in _WHERE_END:
                clause = "done"
            elif clause == "set" and word in _SET_END:
                clause = ""
        if clause == "set" and token.kind == "op" and token.text == "=":
            column = _column_before(toks, index)
            if column:
                sets.append(column)
        elif clause == "where" and not groups[-1][2]:
            if word == "OR":
                groups[-1][1] = True
                continue
            found = _comparison_at(toks, index)
            if found is not None:
                groups[-1][0].append(found)  # type: ignore[union-attr]
            else:
                groups[-1][0].extend(_row_value_at(toks, index))  # type: ignore[union-attr]
    while len(groups) > 1:
        _close_group(groups)
    comparisons, has_or, _subquery = groups[0]
    where = [
        c._replace(disjunct=True) if has_or else c for c in comparisons  # type: ignore[union-attr]
    ]
    return SqlFacts(where, sets, returning, _target_table(toks))


#: words between UPDATE/DELETE FROM and the table name (sqlite's ``UPDATE OR
#: IGNORE``, MySQL's ``LOW_PRIORITY``, PostgreSQL's ``ONLY``)
_TARGET_MODIFIERS = frozenset(
    {"OR", "ROLLBACK", "ABORT", "REPLACE", "FAIL", "IGNORE", "LOW_PRIORITY", "QUICK", "ONLY"}
)


def _target_table(toks: List[Token]) -> Optional[str]:
    """``UPDATE [OR IGNORE] [schema.]name`` / ``DELETE FROM [ONLY] name``: the
    name's last part; None when it is a placeholder or interpolated."""
    at = 0
    while at < len(toks) and toks[at].kind == "punct" and toks[at].text == "(":
        at += 1
    if at >= len(toks):
        return None
    first = _upper(toks[at])
    if first == "DELETE":
        at += 1
        if at < len(toks) and _upper(toks[at]) == "FROM":
            at += 1
    elif first == "UPDATE":
        at += 1
    else:
        return None
    while at < len(toks) and _upper(toks[at]) in _TARGET_MODIFIERS:
        at += 1
    return _dotted_name_at(toks, at)


class TableKeys(NamedTuple):
    """The keys a ``CREATE TABLE`` / ``CREATE UNIQUE INDEX`` declares."""

    table: str
    primary: List[str]
    unique: List[List[str]]


#: words before TABLE in ``CREATE [TEMP] TABLE``
_TABLE_PREFIX = frozenset({"TEMP", "TEMPORARY", "GLOBAL", "LOCAL", "UNLOGGED", "VIRTUAL"})


def declared_keys(text: str) -> Optional[TableKeys]:
    """The primary key and unique columns declared by DDL text:
    ``CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, ...,
    PRIMARY KEY (a, b), UNIQUE (c, d))`` or ``CREATE UNIQUE INDEX i ON t
    (a, b)``; None for any other text."""
    toks = list(tokens(text))
    if not toks or _upper(toks[0]) != "CREATE":
        return None
    at = 1
    if at < len(toks) and _upper(toks[at]) == "UNIQUE":
        return _unique_index(toks, at + 1)
    while at < len(toks) and _upper(toks[at]) in _TABLE_PREFIX:
        at += 1
    if at >= len(toks) or _upper(toks[at]) != "TABLE":
        return None
    at += 1
    if [_upper(tok) for tok in toks[at:at + 3]] == ["IF", "NOT", "EXISTS"]:
        at += 3
    table = _dotted_name_at(toks, at)
    while at < len(toks) and not (toks[at].kind == "punct" and toks[at].text == "("):
        at += 1
    if table is None or at >= len(toks):
        return None
    primary: List[str] = []
    unique: List[List[str]] = []
    for part in _definitions(toks, at + 1):
        _read_definition(part, primary, unique)
    return TableKeys(table, primary, unique)


def _unique_index(toks: List[Token], at: int) -> Optional[TableKeys]:
    """``CREATE UNIQUE INDEX [IF NOT EXISTS] name ON table (a, b)``."""
    while at < len(toks) and _upper(toks[at]) != "ON":
        at += 1
    table = _dotted_name_at(toks, at + 1)
    while at < len(toks) and not (toks[at].kind == "punct" and toks[at].text == "("):
        at += 1
    columns = _column_list(toks, at)
    return TableKeys(table, [], [columns]) if table and columns else None


def _definitions(toks: List[Token], at: int) -> Iterator[List[Token]]:
    """The comma-separated definitions inside a CREATE TABLE's parentheses."""
    depth = 0
    part: List[Token] = []
    for token in toks[at:]:
        if token.kind == "punct" and token.text == "(":
            depth += 1
        elif token.kind == "punct" and token.text == ")":
            if depth == 0:
                break
            depth -= 1
        elif token.kind == "punct" and token.text == "," and depth == 0:
            yield part
            part = []
            continue
        part.append(token)
    if part:
        yield part


def _read_definition(part: List[Token], primary: List[str], unique: List[List[str]]) -> None:
    """One column or table constraint: what it makes a key."""
    words = [_upper(tok) for tok in part]
    if not words:
        return
    start = 2 if words[0] == "CONSTRAINT" else 0
    head = words[start] if start < len(words) else ""
    if head == "PRIMARY" or head == "UNIQUE":
        paren = next((i for i in range(start, len(part)) if part[i].text == "("), None)
        columns = _column_list(part, paren) if paren is not None else []
        if head == "PRIMARY" and columns and not primary:
            primary.extend(columns)
        elif head == "UNIQUE" and columns:
            unique.append(columns)
        return
    if head in ("KEY", "INDEX") and start == 0 and ("PRIMARY" in words[1:] or "UNIQUE" in words[1:]):
        pass  # a column named ``key`` (``key TEXT PRIMARY KEY``), not MySQL's ``KEY idx (a)``
    elif head in ("FOREIGN", "CHECK", "KEY", "INDEX", "EXCLUDE") or part[0].kind not in ("word", "quoted"):
        return
    column = part[0].text
    for index, word in enumerate(words[1:], start=1):
        if word == "PRIMARY" and index + 1 < len(words) and words[index + 1] == "KEY" and not primary:
            primary.append(column)
        elif word == "UNIQUE":
            unique.append([column])


def _column_list(toks: List[Token], at: Optional[int]) -> List[str]:
    """``(a, "b", c DESC)`` at ``toks[at]``: the column names."""
    columns: List[str] = []
    if at is None or at >= len(toks):
        return columns
    expect_name = True
    for token in toks[at + 1:]:
        if token.kind == "punct" and token.text == ")":
            break
        if token.kind == "punct" and token.text == ",":
            expect_name = True
            continue
        if expect_name and token.kind in ("word", "quoted"):
            columns.append(token.text)
            expect_name = False
    return columns


def _close_group(groups: List[List[object]]) -> None:
    """Pop the innermost group into its parent (OR-marked when it held one)."""
    comparisons, has_or, subquery = groups.pop()
    if subquery and not groups[-1][2]:
        return  # the subquery's own comparisons are not the statement's
    if has_or:
        comparisons = [c._replace(disjunct=True) for c in comparisons]  # type: ignore[union-attr]
    groups[-1][0].extend(comparisons)  # type: ignore[union-attr]


def _column_before(toks: List[Token], index: int) -> Optional[str]:
    """The column name just before ``toks[index]`` (``t.col``, ``"col"``)."""
    if index == 0:
        return None
    before = toks[index - 1]
    return before.text if _is_name(before) else None


def _is_name(token: Token) -> bool:
    return token.kind in ("word", "quoted") and _upper(token) not in _KEYWORDS


def _column_after(toks: List[Token], index: int) -> Optional[str]:
    """The column name right after ``toks[index]``: the last part of ``t.col``."""
    return _dotted_name_at(toks, index + 1)


def _dotted_name_at(toks: List[Token], at: int) -> Optional[str]:
    """The last part of ``a.b.name`` starting at ``toks[at]``, unquoted (a
    column, or the table an UPDATE/DELETE/CREATE names)."""
    name = None
    while at < len(toks) and _is_name(toks[at]):
        name = toks[at].text
        if at + 1 < len(toks) and toks[at + 1].text == ".":
            at += 2
            continue
        break
    return name


#: words that are never a column name next to an operator
_KEYWORDS = frozenset(
    {"AND", "OR", "NOT", "WHERE", "SET", "IN", "IS", "NULL", "LIKE", "ILIKE",
     "BETWEEN", "EXISTS", "SELECT", "FROM", "CASE", "WHEN", "THEN", "ELSE", "END"}
)


def _row_value_at(toks: List[Token], index: int) -> List[Comparison]:
    """``(feed, id) = (:feed, :id)``, ``(a, b) IN (...)``: a row value
    compared by ``=`` or ``IN`` pins each of its columns."""
    token = toks[index]
    if not (token.kind == "op" and token.text in ("=", "==") or _upper(token) == "IN"):
        return []
    if _upper(token) == "IN" and index >= 1 and _upper(toks[index - 1]) == "NOT":
        return []
    at = index - 1
    if at < 0 or toks[at].text != ")" or toks[at].kind != "punct":
        return []
    columns: List[str] = []
    expect_name = True
    for back in range(at - 1, max(at - 64, -1), -1):
        tok = toks[back]
        if tok.kind == "punct" and tok.text == "(":
            break
        if tok.kind == "punct" and tok.text == ",":
            if expect_name:
                return []
            expect_name = True
            continue
        if tok.kind == "punct" and tok.text == ".":
            continue  # ``t.col``: the last part was taken
        if not _is_name(tok):
            return []
        if expect_name:
            columns.append(tok.text)
            expect_name = False
    else:
        return []
    op = EQ if token.kind == "op" else IN
    return [Comparison(column, op) for column in reversed(columns)] if len(columns) >= 2 else []


def _comparison_at(toks: List[Token], index: int) -> Optional[Comparison]:
    """The comparison whose operator (or keyword) is ``toks[index]``."""
    token = toks[index]
    word = _upper(token)
    if token.kind == "op" and token.text in _COMPARISON_OPS:
        op = _COMPARISON_OPS[token.text]
        column = _column_before(toks, index)
        if column is None:
            column = _column_after(toks, index)  # ``:id = t.id``
        return Comparison(column, op) if column else None
    if word == "IN":
        negated = index >= 1 and _upper(toks[index - 1]) == "NOT"
        column = _column_before(toks, index - 1 if negated else index)
        subquery = index + 2 < len(toks) and _upper(toks[index + 2]) == "SELECT"
        op = NOT_IN if negated else (RANGE if subquery else IN)
        return Comparison(column, op) if column else None
    if word == "IS":
        negated = index + 1 < len(toks) and _upper(toks[index + 1]) == "NOT"
        column = _column_before(toks, index)
        return Comparison(column, NE if negated else EQ) if column else None
    if word in ("LIKE", "ILIKE", "BETWEEN"):
        negated = index >= 1 and _upper(toks[index - 1]) == "NOT"
        column = _column_before(toks, index - 1 if negated else index)
        op = RANGE if word == "BETWEEN" else MATCH
        return Comparison(column, NE if negated else op) if column else None
    return None


# -- the columns a SELECT returns ------------------------------------------------

#: PostgreSQL/SQL type names a ``::type`` or ``CAST(... AS type)`` makes a number.
NUMERIC_TYPES = frozenset({
    "int", "int2", "int4", "int8", "integer", "smallint", "bigint", "oid", "numeric",
    "decimal", "real", "float", "float4", "float8", "double", "serial", "bigserial",
})
#: aggregates whose value is a number whatever they count.
COUNTING_FUNCTIONS = frozenset({"count", "length", "char_length", "octet_length"})
_SELECT_END = frozenset({"FROM", "INTO", "WHERE", "UNION", "ORDER", "GROUP", "LIMIT", "HAVING"})


def numeric_select_columns(text: str) -> List[bool]:
    """For each column a ``SELECT`` returns (in order), is it a number by the
    text alone: a catalog ``oid`` column (``c.oid``), ``count(...)``, a cast
    to a numeric type, a number literal.  Only the columns written out in full
    are listed: a head that stops inside the select list gives its complete
    columns; text that is not a ``SELECT`` gives none."""
    toks = list(tokens(text))
    if not toks or _upper(toks[0]) != "SELECT":
        return []
    at = 1
    if at < len(toks) and _upper(toks[at]) in ("DISTINCT", "ALL"):
        at += 1
        if at < len(toks) and _upper(toks[at]) == "ON":
            return []  # DISTINCT ON (...): not worth reading
    columns: List[List[Token]] = [[]]
    depth = 0
    for token in toks[at:]:
        if token.kind == "punct" and token.text == "(":
            depth += 1
        elif token.kind == "punct" and token.text == ")":
            depth -= 1
            if depth < 0:
                break
        elif depth == 0 and _upper(token) in _SELECT_END:
            return [_is_numeric_column(column) for column in columns]
        elif depth == 0 and token.kind == "punct" and token.text == ",":
            columns.append([])
            continue
        columns[-1].append(token)
    return [_is_numeric_column(column) for column in columns[:-1]]


def _is_numeric_column(column: List[Token]) -> bool:
    if len(column) >= 3 and _upper(column[-2]) == "AS" and column[-1].kind in ("word", "quoted"):
        column = column[:-2]  # ``expr AS alias``
    if len(column) == 1:
        return column[0].kind == "number" or (column[0].kind == "word" and column[0].text.lower() == "oid")
    if len(column) == 3 and column[1].text == "." and column[2].kind == "word":
        return column[2].text.lower() == "oid"  # ``c.oid``
    if (len(column) >= 2 and column[-1].kind == "param" and column[-2].text == ":"
            and column[-1].text[1:].lower() in NUMERIC_TYPES):
        return True  # ``expr::int``
    if len(column) >= 3 and column[1].text == "(" and column[-1].text == ")":
        name = column[0].text.lower()
        if name in COUNTING_FUNCTIONS:
            return True
        return (name == "cast" and len(column) >= 5 and _upper(column[-3]) == "AS"
                and column[-2].text.lower() in NUMERIC_TYPES)
    return False
