"""Baselines: record today's findings of a tree, report only new ones later.

A finding is keyed by its code, its file (relative to the baseline file's
directory, forward slashes) and the normalized text of its *statement* (the
logical line holding the finding, comments dropped, whitespace collapsed), not
by its line number: lines inserted or deleted above it, re-indentation and
re-wrapping leave the key alone; editing the statement itself reports it again.
Identical keys in one file are counted, so a second copy of a recorded
statement is new. Password literals (DBS501) are masked in the stored text.

For ``try:`` / ``except ...:`` headers (DBS103, DBS104, DBS602 report there) the
header alone says little, so the key also holds the first statement of the
block that follows.

Record with ``python -m flake8_dbsec baseline [paths] -o .dbsec-baseline.json``
(it runs flake8 in-process with the project's configuration), then run flake8
with ``--dbsec-baseline .dbsec-baseline.json``.
"""

from __future__ import annotations

import bisect
import io
import json
import os
import re
import sys
import tempfile
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import __version__
from .options import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from .rules.base import Finding

FORMAT_VERSION = 1
DEFAULT_PATH = ".dbsec-baseline.json"
OPTION = "--dbsec-baseline"

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
    """Recorded findings: how many times each key may be hidden."""

    root: Path
    counts: Dict[Key, int] = field(default_factory=dict)

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


def _logical_spans(lines: Sequence[str]) -> Tuple[List[Tuple[int, int]], Dict[int, int]]:
    """(first row, last row) of each logical line, and where comments start.

    Rows and columns come from the tokenizer, so the result does not depend
    on how a Python version splits f-strings into tokens.
    """
    spans: List[Tuple[int, int]] = []
    comments: Dict[int, int] = {}
    first: Optional[int] = None
    readline = io.StringIO("".join(lines)).readline
    for token in tokenize.generate_tokens(readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.start[1]
        elif token.type == tokenize.NEWLINE:
            if first is not None:
                spans.append((first, token.start[0]))
            first = None
        elif token.type not in _LAYOUT_TOKENS and first is None:
            first = token.start[0]
    if first is not None:
        spans.append((first, len(lines)))
    return spans, comments


class StatementIndex:
    """Maps a line number to the normalized text of the statement holding it."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        try:
            self.spans, self.comments = _logical_spans(self.lines)
        except (tokenize.TokenError, SyntaxError, ValueError):
            self.spans, self.comments = [], {}
        self.firsts = [first for first, _last in self.spans]

    def statement(self, line: int) -> str:
        position = bisect.bisect_right(self.firsts, line) - 1
        if position >= 0 and line <= self.spans[position][1]:
            return normalize_text(self._with_block(position))
        return normalize_text(self._text(line, line))

    def _with_block(self, position: int) -> str:
        """``try:``/``except X:`` plus the first statement of their block."""
        text = self._text(*self.spans[position])
        header = text.strip()
        if _BLOCK_HEADER.match(header) and header.endswith(":"):
            if position + 1 < len(self.spans):
                return f"{text} {self._text(*self.spans[position + 1])}"
        return text

    def _text(self, first: int, last: int) -> str:
        """Source rows ``first..last`` without comments and continuations."""
        rows = []
        for row in range(max(first, 1), min(last, len(self.lines)) + 1):
            text = self.lines[row - 1].rstrip("\r\n")
            text = text[: self.comments.get(row, len(text))]
            rows.append(_CONTINUATION.sub("", text))
        return " ".join(rows)


def finding_keys(
    code_lines: Iterable[Tuple[str, int]], relative_path: str, lines: Sequence[str]
) -> Iterator[Tuple[Key, int]]:
    """(key, occurrence) for each (code, line) of one file, in the given order.

    ``occurrence`` counts from 1 among findings with the same key.
    """
    index = StatementIndex(lines)
    seen: Counter = Counter()
    for code, line in code_lines:
        key = (code, relative_path, index.statement(line))
        seen[key] += 1
        yield key, seen[key]


# --- the flake8 side -------------------------------------------------------


def load_baseline(path: str) -> Baseline:
    """Read a baseline file; a bad file is a :class:`ConfigError` (one line)."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            f"{OPTION}: file {path!r} does not exist (record one with "
            f"'python -m flake8_dbsec baseline -o {path}')"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{OPTION}: cannot read {path!r}: {exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{OPTION}: {path!r} is not valid JSON: {exc}") from None
    root = Path(os.path.dirname(os.path.abspath(path)))
    return Baseline(root, _parse_counts(document, path))


def _parse_counts(document: object, path: str) -> Dict[Key, int]:
    def invalid(why: str) -> ConfigError:
        return ConfigError(f"{OPTION}: {path!r} is not a flake8-dbsec baseline: {why}")

    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise invalid("expected an object with a 'findings' list")
    if document.get("version") != FORMAT_VERSION:
        raise invalid(f"unsupported version {document.get('version')!r}")
    counts: Dict[Key, int] = {}
    for entry in document["findings"]:
        try:
            key = (str(entry["code"]), str(entry["file"]), str(entry["statement"]))
            count = int(entry.get("count", 1))
        except (TypeError, KeyError, ValueError, AttributeError):
            raise invalid(f"bad entry {entry!r}") from None
        counts[key] = counts.get(key, 0) + count
    return counts


def filter_findings(
    findings: Sequence["Finding"],
    baseline: Baseline,
    filename: str,
    lines: Optional[Sequence[str]],
) -> List["Finding"]:
    """The findings of one file that the baseline does not record."""
    ordered = sorted(findings, key=lambda f: (f.line, f.col, f.code))
    keyed = finding_keys(
        ((f.code, f.line) for f in ordered), baseline.relative(filename), lines or []
    )
    return [
        finding
        for finding, (key, occurrence) in zip(ordered, keyed)
        if occurrence > baseline.counts.get(key, 0)
    ]


# --- recording ---------------------------------------------------------------

_FIELD_SEPARATOR = "\x1f"
_RECORD_FORMAT = _FIELD_SEPARATOR.join(["%(path)s", "%(row)d", "%(code)s"])


def run_flake8(paths: Sequence[str], flake8_args: Sequence[str] = ()) -> List[Tuple[str, int, str]]:
    """(path, row, code) of every DBS finding flake8 reports, in-process.

    The project's own configuration applies (``--dbsec-*`` options, excludes),
    except an existing ``dbsec-baseline`` setting, which would hide findings.
    ``--disable-noqa``: the filter sees findings before flake8 applies
    ``# noqa``, so the occurrence counts must include the noqa'd ones too.
    """
    from flake8.main.application import Application

    with tempfile.TemporaryDirectory() as tmp:
        output = os.path.join(tmp, "findings.txt")
        argv = [
            *flake8_args,
            "--select=DBS",
            f"--format={_RECORD_FORMAT}",
            f"--output-file={output}",
            f"{OPTION}=",
            "--exit-zero",
            "--disable-noqa",
            *paths,
        ]
        app = Application()
        app.run(argv)
        if app.catastrophic_failure:
            raise RuntimeError("flake8 failed; run it directly to see why")
        return _parse_records(output)


def _parse_records(output: str) -> List[Tuple[str, int, str]]:
    records = []
    if not os.path.exists(output):
        return records
    with open(output, encoding="utf-8") as handle:
        for raw in handle:
            parts = raw.rstrip("\n").split(_FIELD_SEPARATOR)
            if len(parts) == 3 and parts[2].startswith("DBS"):
                records.append((parts[0], int(parts[1]), parts[2]))
    return records


def _read_lines(path: str) -> List[str]:
    """The file's lines exactly as flake8 reads them."""
    try:
        with tokenize.open(path) as handle:
            return handle.readlines()
    except (OSError, SyntaxError, UnicodeDecodeError):
        return []


def build_document(records: Iterable[Tuple[str, int, str]], root: Path) -> dict:
    """The baseline JSON document for flake8's records."""
    by_file: Dict[str, List[Tuple[int, str]]] = {}
    for path, row, code in records:
        by_file.setdefault(path, []).append((row, code))
    counts: Counter = Counter()
    for path, found in by_file.items():
        lines = _read_lines(path)
        relative = normalize_path(path, root)
        ordered = ((code, row) for row, code in sorted(found))
        for key, _occurrence in finding_keys(ordered, relative, lines):
            counts[key] += 1
    findings = [
        {"code": code, "file": file, "statement": statement, "count": count}
        for (code, file, statement), count in sorted(counts.items(), key=_entry_order)
    ]
    generator = f"flake8-dbsec {__version__}"
    return {"version": FORMAT_VERSION, "generator": generator, "findings": findings}


def _entry_order(item: Tuple[Key, int]) -> Tuple[str, str, str]:
    (code, file, statement), _count = item
    return (file, code, statement)


def record(paths: Sequence[str], output: str, flake8_args: Sequence[str] = ()) -> int:
    """Write the baseline for ``paths`` to ``output``; returns the finding count."""
    root = Path(os.path.dirname(os.path.abspath(output)))
    document = build_document(run_flake8(paths or ["."], flake8_args), root)
    with open(output, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    return sum(entry["count"] for entry in document["findings"])


# --- command line (``python -m flake8_dbsec baseline``) ----------------------


def add_arguments(parser) -> None:  # type: ignore[no-untyped-def]
    """Arguments of the ``baseline`` subcommand."""
    parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    parser.add_argument(
        "-o",
        "--output",
        default=DEFAULT_PATH,
        help=f"baseline file to write (default: {DEFAULT_PATH})",
    )
    parser.add_argument(
        "--flake8-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for flake8 (repeatable), e.g. --flake8-arg=--config=tox.ini",
    )


def main(args) -> int:  # type: ignore[no-untyped-def]
    """Run the ``baseline`` subcommand with parsed ``args``."""
    missing = [path for path in args.paths if not os.path.exists(path)]
    if missing:
        print(f"flake8-dbsec: error: no such file or directory: {missing[0]}", file=sys.stderr)
        return 2
    count = record(args.paths, args.output, args.flake8_arg)
    print(
        f"flake8-dbsec: recorded {count} finding(s) in {args.output}; "
        f"run flake8 with {OPTION}={args.output} to report only new ones"
    )
    return 0
