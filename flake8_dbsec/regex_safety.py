"""Is a user's regular expression safe to run on names from untrusted code?

Python's ``re`` backtracks: ``(a+)+$`` takes 2**n steps on ``"a" * n + "!"``,
and a pull request chooses the names the plugin matches.  The ``--dbsec-*``
pattern options are therefore checked once, when flake8 starts, and a pattern
with a catastrophic shape is rejected with one line naming the option:

* **exponential** shapes: inside a repetition (``*``, ``+``, ``{m,n}`` with
  n > 1), everything must be unambiguous: a nested repetition must stop where
  the text that follows it cannot continue it (``(?:_[a-z]+)*`` and
  ``(\\d+\\.)*`` are fine, ``(a+)+``, ``(\\w+\\s?)+`` and ``(a{1,9}){1,9}`` are
  not), the next characters must tell alternatives apart (``(a|aa)+`` is
  rejected, ``(ab|ac)+`` is not) and the repeated part must not match the
  empty string (``(a?)*``);
* **polynomial** shapes: more than :data:`MAX_DEGREE` ambiguous choices in
  a row, a choice being a repetition that can match what follows it or
  alternatives that the next characters cannot tell apart, and an unanchored
  search counting as one (``\\w*\\w*x`` searched in a name is three;
  ``(?:a\\w|\\wa)`` written out 30 times is exponential in the pattern's
  length, not the name's). Two are allowed: every name a pattern sees is
  also capped at ``options.MAX_NAME_LENGTH`` characters, so they cost at
  most that length squared.

The check is conservative (a few harmless patterns are rejected too, such
as a lookahead holding a repetition inside a repeated group,
``(?:x(?=y+))+``), works on the parsed pattern
(``re``'s own parser), and treats characters by sampling: Latin-1 plus a few
characters from other scripts stand for the alphabet.
"""

from __future__ import annotations

import re
from typing import Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Tuple

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.9, 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

#: how many ambiguous choices may follow each other (the search of an
#: unanchored pattern counts as one): n**2 steps on a capped name is cheap.
MAX_DEGREE = 2
#: longer patterns are rejected before they are parsed
MAX_PATTERN_LENGTH = 10_000
#: deeper group nesting is rejected (``re`` itself overflows near 300)
MAX_NESTING = 100

_SAMPLE_CHARS = "".join(chr(i) for i in range(256)) + "ſKΩωяЯ中٣\u2028\U0001f600"
Chars = FrozenSet[str]
ALL: Chars = frozenset(_SAMPLE_CHARS)
NONE: Chars = frozenset()
_UNBOUNDED = _c.MAXREPEAT

_CATEGORY_PATTERNS = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_CATEGORIES: Dict[object, Chars] = {
    getattr(_c, name): frozenset(ch for ch in _SAMPLE_CHARS if re.match(pattern, ch))
    for name, pattern in _CATEGORY_PATTERNS.items()
    if hasattr(_c, name)
}
_REPEATS = tuple(getattr(_c, n) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_c, n))
_ZERO_WIDTH = tuple(getattr(_c, n) for n in ("AT", "ASSERT", "ASSERT_NOT") if hasattr(_c, n))
_GROUPS = tuple(getattr(_c, n) for n in ("SUBPATTERN", "ATOMIC_GROUP") if hasattr(_c, n))


class UnsafePattern(ValueError):
    """Why a pattern is rejected (one line, no pattern text)."""


class Info(NamedTuple):
    """What a piece of a pattern can match."""

    nullable: bool  # can match the empty string
    first: Chars  # characters a non-empty match can start with
    chars: Chars  # every character it can match


_EMPTY = Info(True, NONE, NONE)


def check(pattern: str, searched: bool) -> None:
    """Raise :class:`UnsafePattern` if ``pattern`` can backtrack catastrophically.

    ``searched``: the pattern is used with ``search`` (every start position
    tried), not ``fullmatch``.  The pattern must already compile.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePattern(f"longer than {MAX_PATTERN_LENGTH:,} characters")
    parsed = _p.parse(pattern)
    folded = bool(re.compile(pattern).flags & re.IGNORECASE) or _ignores_case_locally(parsed)
    degree = _Checker(folded).sequence(list(parsed), NONE, strict=False, depth=0)
    if degree + searched > MAX_DEGREE:
        raise UnsafePattern(
            f"can take polynomial time: {degree + searched} repetitions or alternatives in a row "
            "can match the same characters (at most 2, a search counting as one); use fewer, "
            "or make them match different characters"
        )


class _Checker:
    """One walk over a parsed pattern: infos bottom-up, follow sets top-down."""

    def __init__(self, folded: bool) -> None:
        self.folded = folded
        self._infos: Dict[int, Info] = {}

    # -- what a piece matches ----------------------------------------------------------

    def info(self, items: List[Tuple[object, object]]) -> Info:
        """The :class:`Info` of a sequence of parsed items."""
        nullable, first, chars = True, NONE, NONE
        for item in items:
            part = self.item_info(item)
            if nullable:
                first = first | part.first
            nullable = nullable and part.nullable
            chars = chars | part.chars
        return Info(nullable, first, chars)

    def item_info(self, item: Tuple[object, object]) -> Info:
        key = id(item)
        found = self._infos.get(key)
        if found is None:
            found = self._infos[key] = self._item_info(*item)
        return found

    def _item_info(self, op: object, av: object) -> Info:
        single = self._char_set(op, av)
        if single is not None:
            return Info(False, single, single)
        if op in _ZERO_WIDTH:
            return _EMPTY
        if op in _GROUPS:
            return self.info(list(_group_body(op, av)))
        if op in _REPEATS:
            low, _high, body = av  # type: ignore[misc]
            inner = self.info(list(body))
            return Info(low == 0 or inner.nullable, inner.first, inner.chars)
        if op is _c.BRANCH:
            infos = [self.info(list(alt)) for alt in av[1]]  # type: ignore[index]
            return _union(infos)
        if op is getattr(_c, "GROUPREF_EXISTS", None):
            _group, yes, no = av  # type: ignore[misc]
            return _union([self.info(list(yes)), self.info(list(no)) if no else _EMPTY])
        return Info(True, ALL, ALL)  # a backreference or anything unknown

    def _char_set(self, op: object, av: object) -> Optional[Chars]:
        """The characters a one-character item matches; None for other items."""
        if op is _c.LITERAL:
            return self._fold({chr(av)})  # type: ignore[arg-type]
        if op is _c.NOT_LITERAL:
            return ALL - self._fold({chr(av)})  # type: ignore[arg-type]
        if op is _c.ANY:
            return ALL
        if op is _c.IN:
            return self._class_set(av)  # type: ignore[arg-type]
        return None

    def _class_set(self, items: Iterable[Tuple[object, object]]) -> Chars:
        negate, chars = False, set()
        for op, av in items:
            if op is _c.NEGATE:
                negate = True
            elif op is _c.LITERAL:
                chars.add(chr(av))  # type: ignore[arg-type]
            elif op is _c.RANGE:
                low, high = av  # type: ignore[misc]
                chars.update(ch for ch in _SAMPLE_CHARS if low <= ord(ch) <= high)
            elif op is _c.CATEGORY:
                chars.update(_CATEGORIES.get(av, ALL))
            else:
                chars.update(ALL)
        folded = self._fold(chars)
        return ALL - folded if negate else folded

    def _fold(self, chars: Iterable[str]) -> Chars:
        if not self.folded:
            return frozenset(chars)
        out = set()
        for ch in chars:
            out.update((ch, ch.lower(), ch.upper()))
        return frozenset(out)

    # -- the check -----------------------------------------------------------------------

    def sequence(self, items: List[Tuple[object, object]], follow: Chars, strict: bool,
                 depth: int) -> int:
        """Check a sequence whose match is followed by a character of ``follow``
        (empty: by the end of the text); returns its polynomial degree.

        ``strict``: inside a repetition, where any ambiguity is exponential.
        """
        if depth > MAX_NESTING:
            raise UnsafePattern(f"nested more than {MAX_NESTING} groups deep")
        degree = 0
        after = follow
        for item in reversed(items):
            degree += self.item(item, after, strict, depth)
            part = self.item_info(item)
            after = part.first | after if part.nullable else part.first
        return degree

    def item(self, item: Tuple[object, object], follow: Chars, strict: bool, depth: int) -> int:
        op, av = item
        if op in _GROUPS:
            return self.sequence(list(_group_body(op, av)), follow, strict, depth + 1)
        if op is _c.BRANCH:
            return self._branch([list(alt) for alt in av[1]], follow, strict, depth)  # type: ignore[index]
        if op is getattr(_c, "GROUPREF_EXISTS", None):
            _group, yes, no = av  # type: ignore[misc]
            return self._branch([list(yes), list(no) if no else []], follow, strict, depth)
        if op in _REPEATS:
            return self._repeat(av, follow, strict, depth)  # type: ignore[arg-type]
        if op in (getattr(_c, "ASSERT", None), getattr(_c, "ASSERT_NOT", None)):
            _direction, body = av  # type: ignore[misc]
            return self.sequence(list(body), ALL, strict, depth + 1)
        return 0

    def _branch(self, alternatives: List[List[Tuple[object, object]]], follow: Chars,
                strict: bool, depth: int) -> int:
        prefixes = [self.prefix(alternative) for alternative in alternatives]
        ambiguous = any(
            not _distinguishable(one, other, follow)
            for index, one in enumerate(prefixes) for other in prefixes[index + 1:]
        )
        if strict and ambiguous:
            raise UnsafePattern(
                "can take exponential time: inside a repetition, two alternatives "
                "can match the same characters"
            )
        inner = max(
            (self.sequence(alternative, follow, strict, depth + 1) for alternative in alternatives),
            default=0,
        )
        return inner + (1 if ambiguous else 0)

    def prefix(self, items: List[Tuple[object, object]], limit: int = 16) -> Tuple[List[Chars], bool]:
        """The characters each of a sequence's first positions can be, and
        whether the sequence ends there; it stops at the first item that is
        not one character (a repetition, alternatives) or after ``limit``."""
        out: List[Chars] = []
        stack = list(reversed(items))
        while stack:
            if len(out) >= limit:
                return out, False
            op, av = stack.pop()
            single = self._char_set(op, av)
            if single is not None:
                out.append(single)
            elif op is _c.AT:
                continue
            elif op in _GROUPS:
                stack.extend(reversed(list(_group_body(op, av))))  # type: ignore[call-overload]
            else:
                return out, False
        return out, True

    def _repeat(self, av: Tuple[int, int, object], follow: Chars, strict: bool, depth: int) -> int:
        low, high, body = av
        items = list(body)  # type: ignore[call-overload]
        inner = self.info(items)
        repeated = high is _UNBOUNDED or high > 1
        # Stop or go on? Undecidable from the next character when the body
        # can start with a character that may also follow the repetition.
        ambiguous_stop = low != high and bool(inner.first & follow)
        if repeated and inner.nullable:
            raise UnsafePattern(
                "can take exponential time: a repeated part can match the empty string"
            )
        if strict and ambiguous_stop:
            raise UnsafePattern(
                "can take exponential time: a repetition inside a repeated part can match "
                "the same characters as what follows it"
            )
        inner_follow = inner.first | follow if repeated else follow
        degree = self.sequence(items, inner_follow, strict or repeated, depth + 1)
        return degree + (1 if ambiguous_stop else 0)


def _ignores_case_locally(parsed: object) -> bool:
    """Does any ``(?i:...)`` group turn case-insensitive matching on?"""
    stack = [parsed]
    while stack:
        for op, av in stack.pop():  # type: ignore[attr-defined]
            if op is _c.SUBPATTERN and av[1] & re.IGNORECASE:  # type: ignore[index]
                return True
            stack.extend(_sub_sequences(op, av))
    return False


def _sub_sequences(op: object, av: object) -> List[object]:
    """The parsed sequences nested directly in one item."""
    if op in _GROUPS:
        return [_group_body(op, av)]
    if op in _REPEATS:
        return [av[2]]  # type: ignore[index]
    if op is _c.BRANCH:
        return list(av[1])  # type: ignore[index]
    if op is getattr(_c, "GROUPREF_EXISTS", None):
        return [seq for seq in av[1:] if seq]  # type: ignore[index]
    if op in (getattr(_c, "ASSERT", None), getattr(_c, "ASSERT_NOT", None)):
        return [av[1]]  # type: ignore[index]
    return []


def _group_body(op: object, av: object) -> object:
    """The parsed body of ``(...)`` (``(group, add, del, body)``) or ``(?>...)``."""
    if op is _c.SUBPATTERN:
        return av[-1]  # type: ignore[index]
    return av


def _distinguishable(one: Tuple[List[Chars], bool], other: Tuple[List[Chars], bool],
                     follow: Chars) -> bool:
    """Can the next characters always tell two alternatives apart?  Yes when
    they differ at some position (``password|passwd``), or one ends and what
    follows it differs from the other's next character (``secret|secret_key``
    at the end of a name); no when one may be a prefix of the other's match."""
    (first, first_ends), (second, second_ends) = one, other
    for mine, theirs in zip(first, second):
        if not mine & theirs:
            return True
    if first_ends and len(first) < len(second):
        return not follow & second[len(first)]
    if second_ends and len(second) < len(first):
        return not follow & first[len(second)]
    return False


def _union(infos: List[Info]) -> Info:
    nullable = any(i.nullable for i in infos) or not infos
    first = frozenset().union(*(i.first for i in infos)) if infos else NONE
    chars = frozenset().union(*(i.chars for i in infos)) if infos else NONE
    return Info(nullable, first, chars)
