"""Baselines: record today's findings of a tree, report only new ones later.

A finding is keyed by its code, its file (relative to the baseline file's
directory, forward slashes) and the normalized text of its *statement* (the
logical line holding the finding, comments dropped, whitespace collapsed), not
by its line number: lines inserted or deleted above it, re-indentation and
re-wrapping leave the key alone; editing the statement itself reports it again.
Password literals (DBS501) are masked in the stored text.

For ``try:`` / ``except ...:`` headers (DBS103, DBS104, DBS602 report there) the
header alone says little, so the key also holds the first statement of the
block that follows.

Identical statements in one file share a key, so each recorded copy also
keeps a *context*: the ``def``/``class`` names around it and a short hash of
the statement before it (format version 2). A later run first matches copies
to recorded copies with the same context, then the rest in line order up to
the recorded count; whatever is left is new and reported at its own line.
So a copy inserted above old ones is reported where it was inserted, not at
the last old copy. Version 1 files (counts only) are still read: their copies
are matched in line order.

Record with ``flake8-dbsec baseline [paths] -o .dbsec-baseline.json`` (see
:mod:`.recorder`), then run flake8 with ``--dbsec-baseline .dbsec-baseline.json``.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import json
import os
import re
import stat
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from .options import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from .rules.base import Finding

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
DEFAULT_PATH = ".dbsec-baseline.json"
OPTION = "--dbsec-baseline"
#: a larger file is not a baseline someone recorded (and would not fit in memory)
MAX_BASELINE_BYTES = 64 * 1024 * 1024

Key = Tuple[str, str, str]  # (code, file, statement)

_BLOCK_HEADER = re.compile(r"(try|except)\b")
_SPACES = re.compile(r"\s+")
_TRAILING_COMMA = re.compile(r",([)\]}])")
#: a run of characters up to an ``@`` that may hold ``scheme://user:password``;
#: the lookbehind starts it only where a run starts, so no run is read twice.
_RUN_TO_AT = re.compile(r"(?<![^@\s\"'])[^@\s\"']+@")
#: ``://user:`` inside such a run (the user part never holds ``:`` or ``/``).
_URL_USER = re.compile(r"://[^:/@\s\"']*:")
_PASSWORD_ARGUMENT = re.compile(r"(?i)\b((?:password|passwd|pwd)=)([\"'])[^\"']*\2")
_SPACE_NEAR_PUNCTUATION = re.compile(r" ?([^\w ]) ?")
_CONTINUATION = re.compile(r"\\\s*$")
_LAYOUT_TOKENS = {tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}


@dataclass(frozen=True)
class Baseline:
    """Recorded findings: how many copies of each key may be hidden, and the
    contexts of the recorded copies (none in a version 1 file)."""

    root: Path
    counts: Dict[Key, int] = field(default_factory=dict)
    contexts: Dict[Key, List[str]] = field(default_factory=dict)

    def relative(self, filename: str) -> str:
        return normalize_path(filename, self.root)


# --- keys ---------------------------------------------------------------------


def normalize_path(filename: str, root: Path) -> str:
    """``filename`` relative to ``root`` with forward slashes."""
    absolute = os.path.abspath(filename)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        relative = absolute
    return relative.replace(os.sep, "/")


def normalize_text(text: str) -> str:
    """Whitespace-insensitive form of a statement's source text."""
    text = _SPACES.sub(" ", text.replace("\ufeff", "")).strip()
    text = _SPACE_NEAR_PUNCTUATION.sub(r"\1", text)
    text = _TRAILING_COMMA.sub(r"\1", text)
    return redact(text)


def redact(text: str) -> str:
    """Keep passwords (DBS501's findings) out of a baseline file under review."""
    text = _RUN_TO_AT.sub(_mask_url_password, text)
    return _PASSWORD_ARGUMENT.sub(r"\1\2***\2", text)


def _mask_url_password(run: "re.Match[str]") -> str:
    """``mysql://admin:hunter2@`` -> ``mysql://admin:***@`` in one run.

    The same result as ``re.sub(r"(://[^:/@\\s\"']*:)[^@\\s\"']+@", ...)``,
    which is quadratic: every ``://a:`` not followed by an ``@`` made it read
    to the end of the text. Here each run is read a bounded number of times.
    """
    text = run.group()
    user = _URL_USER.search(text)
    if user is None or user.end() >= len(text) - 1:  # no URL, or an empty password
        return text
    return text[: user.end()] + "***@"


class LogicalLine(NamedTuple):
    """One logical line: its rows, indentation, and the name it defines."""

    first: int
    last: int
    indent: int
    #: ``name`` when the line is ``def name``/``async def name``/``class name``
    defines: Optional[str]


def _logical_lines(lines: Sequence[str]) -> Tuple[List[LogicalLine], Dict[int, int]]:
    """Every logical line, and the column where each row's comment starts.

    Rows and columns come from the tokenizer, so the result does not depend
    on how a Python version splits f-strings into tokens.
    """
    found: List[LogicalLine] = []
    comments: Dict[int, int] = {}
    words: List[str] = []  # the first few tokens of the current logical line
    first: Optional[Tuple[int, int]] = None
    readline = io.StringIO("".join(lines)).readline
    for token in tokenize.generate_tokens(readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.start[1]
        elif token.type == tokenize.NEWLINE:
            if first is not None:
                found.append(LogicalLine(first[0], token.start[0], first[1], _defined_name(words)))
            first, words = None, []
        elif token.type not in _LAYOUT_TOKENS:
            if first is None:
                first = token.start
            if len(words) < 3:
                words.append(token.string)
    if first is not None:
        found.append(LogicalLine(first[0], len(lines), first[1], _defined_name(words)))
    return found, comments


def _defined_name(words: List[str]) -> Optional[str]:
    if words[:1] == ["async"]:
        words = words[1:]
    if len(words) >= 2 and words[0] in ("def", "class") and words[1].isidentifier():
        return words[1]
    return None


def _scopes(logical: List[LogicalLine]) -> List[str]:
    """The dotted ``def``/``class`` names around each logical line."""
    scopes: List[str] = []
    stack: List[Tuple[int, str]] = []
    for line in logical:
        while stack and stack[-1][0] >= line.indent:
            stack.pop()
        scopes.append(".".join(name for _indent, name in stack))
        if line.defines is not None:
            stack.append((line.indent, line.defines))
    return scopes


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()


class StatementIndex:
    """Maps a line number to the normalized text of the statement holding it,
    and to that copy's context; each statement is normalized once, however
    many findings it holds."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        try:
            self.logical, self.comments = _logical_lines(self.lines)
        except (tokenize.TokenError, SyntaxError, ValueError):
            self.logical, self.comments = [], {}
        self.firsts = [line.first for line in self.logical]
        self.scopes = _scopes(self.logical)
        self._statements: Dict[int, str] = {}
        self._plain: Dict[int, str] = {}

    def _position(self, line: int) -> int:
        """The index of the logical line holding ``line``, or -1."""
        position = bisect.bisect_right(self.firsts, line) - 1
        if position >= 0 and line <= self.logical[position].last:
            return position
        return -1

    def statement(self, line: int) -> str:
        position = self._position(line)
        if position < 0:
            return normalize_text(self._text(line, line))
        text = self._statements.get(position)
        if text is None:
            text = self._statements[position] = normalize_text(self._with_block(position))
        return text

    def context(self, line: int) -> str:
        """Where this copy of its statement is: ``Class.method:<hash of the
        statement before it>``."""
        position = self._position(line)
        if position < 0:
            return f":{_short_hash('')}"
        previous = self._plain_text(position - 1) if position > 0 else ""
        return f"{self.scopes[position]}:{_short_hash(previous)}"

    def _plain_text(self, position: int) -> str:
        text = self._plain.get(position)
        if text is None:
            line = self.logical[position]
            text = self._plain[position] = normalize_text(self._text(line.first, line.last))
        return text

    def _with_block(self, position: int) -> str:
        """``try:``/``except X:`` plus the first statement of their block."""
        line = self.logical[position]
        text = self._text(line.first, line.last)
        header = text.strip()
        if _BLOCK_HEADER.match(header) and header.endswith(":"):
            if position + 1 < len(self.logical):
                following = self.logical[position + 1]
                return f"{text} {self._text(following.first, following.last)}"
        return text

    def _text(self, first: int, last: int) -> str:
        """Source rows ``first..last`` without comments and continuations."""
        rows = []
        for row in range(max(first, 1), min(last, len(self.lines)) + 1):
            text = self.lines[row - 1].rstrip("\r\n")
            text = text[: self.comments.get(row, len(text))]
            rows.append(_CONTINUATION.sub("", text))
        return " ".join(rows)


class Copy(NamedTuple):
    """One finding as the baseline sees it."""

    key: Key
    context: str


def finding_copies(
    code_lines: Iterable[Tuple[str, int]], relative_path: str, lines: Sequence[str]
) -> Iterator[Copy]:
    """The key and context of each (code, line) of one file, in the given order."""
    index = StatementIndex(lines)
    for code, line in code_lines:
        yield Copy((code, relative_path, index.statement(line)), index.context(line))


def finding_keys(
    code_lines: Iterable[Tuple[str, int]], relative_path: str, lines: Sequence[str]
) -> Iterator[Tuple[Key, int]]:
    """(key, occurrence) for each (code, line) of one file, in the given
    order; ``occurrence`` counts from 1 among findings with the same key (the
    recipe of the SARIF fingerprint, which has no contexts)."""
    seen: Counter = Counter()
    for copy in finding_copies(code_lines, relative_path, lines):
        seen[copy.key] += 1
        yield copy.key, seen[copy.key]


def matched_copies(contexts: Sequence[str], count: int, recorded: Sequence[str]) -> List[bool]:
    """Which copies of one key (contexts in line order) the baseline hides.

    First the copies whose context a recorded copy has, then the others in
    line order while the recorded count lasts; the rest are new.
    """
    left = Counter(recorded)
    budget = count
    hidden = [False] * len(contexts)
    for position, context in enumerate(contexts):
        if left[context] > 0 and budget > 0:
            left[context] -= 1
            budget -= 1
            hidden[position] = True
    for position in range(len(contexts)):
        if not hidden[position] and budget > 0:
            budget -= 1
            hidden[position] = True
    return hidden


# --- the flake8 side -------------------------------------------------------


def filter_findings(
    findings: Sequence["Finding"],
    baseline: Baseline,
    filename: str,
    lines: Optional[Sequence[str]],
) -> List["Finding"]:
    """The findings of one file that the baseline does not record."""
    ordered = sorted(findings, key=lambda f: (f.line, f.col, f.code))
    copies = finding_copies(
        ((f.code, f.line) for f in ordered), baseline.relative(filename), lines or []
    )
    by_key: Dict[Key, List[Tuple["Finding", str]]] = {}
    for finding, copy in zip(ordered, copies):
        by_key.setdefault(copy.key, []).append((finding, copy.context))
    new = set()
    for key, found in by_key.items():
        hidden = matched_copies(
            [context for _finding, context in found],
            baseline.counts.get(key, 0),
            baseline.contexts.get(key, ()),
        )
        new.update(id(finding) for (finding, _context), gone in zip(found, hidden) if not gone)
    return [finding for finding in ordered if id(finding) in new]


def load_baseline(path: str) -> Baseline:
    """Read a baseline file; anything wrong with it is a :class:`ConfigError`
    (one line naming the file and how to re-record it)."""
    document = _parse_json(_read_baseline_text(path), path)
    root = Path(os.path.dirname(os.path.abspath(path)))
    counts, contexts = _parse_entries(document, path)
    return Baseline(root, counts, contexts)


def _rerecord(path: str) -> str:
    return f"re-record it with 'flake8-dbsec baseline -o {path}'"


def _damaged(path: str, why: str) -> ConfigError:
    return ConfigError(f"{OPTION}: {path!r} is damaged ({why}); {_rerecord(path)}")


def _read_baseline_text(path: str) -> str:
    """The file's text; a FIFO, a device or a directory is refused before it
    is opened (a FIFO would block, ``/dev/zero`` never ends)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ConfigError(
            f"{OPTION}: file {path!r} does not exist (record one with "
            f"'flake8-dbsec baseline -o {path}')"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{OPTION}: cannot read {path!r}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError(f"{OPTION}: {path!r} is a directory, not a baseline file")
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{OPTION}: {path!r} is not a regular file")
    if info.st_size > MAX_BASELINE_BYTES:
        raise _damaged(path, f"larger than {MAX_BASELINE_BYTES // (1024 * 1024)} MB")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BASELINE_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{OPTION}: cannot read {path!r}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _damaged(path, f"not UTF-8 at byte {exc.start}") from None


def _parse_json(text: str, path: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not a count")

    try:
        return json.loads(text, parse_constant=refuse)
    except RecursionError:
        raise _damaged(path, "nested too deeply") from None
    except ValueError as exc:
        if not text.strip():
            raise _damaged(path, "empty") from None
        raise _damaged(path, f"not valid JSON: {exc}") from None


def _parse_entries(document: object, path: str) -> Tuple[Dict[Key, int], Dict[Key, List[str]]]:
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise _damaged(path, "expected an object with a 'findings' list")
    version = document.get("version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise _damaged(path, f"unsupported version {version!r}; this flake8-dbsec reads "
                       f"versions {', '.join(map(str, READABLE_VERSIONS))}")
    counts: Dict[Key, int] = {}
    contexts: Dict[Key, List[str]] = {}
    for number, entry in enumerate(document["findings"], 1):
        key, count, recorded = _parse_entry(entry, version)
        if key is None:
            raise _damaged(path, f"finding {number} is malformed")
        counts[key] = counts.get(key, 0) + count
        contexts.setdefault(key, []).extend(recorded)
    return counts, contexts


def _parse_entry(entry: object, version: object) -> Tuple[Optional[Key], int, List[str]]:
    """(key, count, contexts) of one entry; key None when it is malformed."""
    if not isinstance(entry, dict):
        return None, 0, []
    fields = (entry.get("code"), entry.get("file"), entry.get("statement"))
    count = entry.get("count", 1)
    recorded = entry.get("contexts", [])
    if (
        not all(isinstance(value, str) for value in fields)
        or type(count) is not int
        or count < 1
        or not isinstance(recorded, list)
        or not all(isinstance(context, str) for context in recorded)
        or (version != 1 and len(recorded) != count)
    ):
        return None, 0, []
    return fields, count, recorded  # type: ignore[return-value]


# --- the document --------------------------------------------------------------


def read_source_lines(path: str) -> List[str]:
    """A file's lines exactly as flake8 reads them: the coding cookie or
    UTF-8, else latin-1 (flake8's fallback), so a latin-1 file gets the same
    keys when recorded as when flake8 checks it."""
    try:
        with tokenize.open(path) as handle:
            return handle.readlines()
    except (SyntaxError, UnicodeError):
        try:
            with open(path, encoding="latin-1") as handle:
                return handle.readlines()
        except OSError:
            return []
    except OSError:
        return []


def baseline_document(records: Iterable[Tuple[str, int, str]], root: Path, generator: str) -> dict:
    """The baseline JSON document for flake8's (path, row, code) records."""
    by_file: Dict[str, List[Tuple[int, str]]] = {}
    for path, row, code in records:
        by_file.setdefault(path, []).append((row, code))
    counts: Counter = Counter()
    contexts: Dict[Key, List[str]] = {}
    for path, found in by_file.items():
        ordered = ((code, row) for row, code in sorted(found))
        for copy in finding_copies(ordered, normalize_path(path, root), read_source_lines(path)):
            counts[copy.key] += 1
            contexts.setdefault(copy.key, []).append(copy.context)
    findings = [
        {"code": code, "file": file, "statement": statement, "count": count,
         "contexts": sorted(contexts[(code, file, statement)])}
        for (code, file, statement), count in sorted(counts.items(), key=_entry_order)
    ]
    return {"version": FORMAT_VERSION, "generator": generator, "findings": findings}


def _entry_order(item: Tuple[Key, int]) -> Tuple[str, str, str]:
    (code, file, statement), _count = item
    return (file, code, statement)
