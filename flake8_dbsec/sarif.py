"""``flake8 --format=dbsec-sarif``: flake8's findings as one SARIF 2.1.0 log.

GitHub code scanning (and any SARIF viewer) then shows each DBS finding with
the rule's help, CWE tags and default level taken from the catalog, the same
information the Semgrep pack carries in its metadata.

Choices:
- Findings of other flake8 plugins (E501, F401, ...) are kept, under a minimal
  rule (id, a short description, level ``warning``, ``error`` for E999 syntax
  errors); run ``flake8 --select DBS --format=dbsec-sarif`` to get DBS only.
- Every implemented DBS rule is listed in ``tool.driver.rules`` even without a
  result, so code scanning can close alerts that disappear.
- Columns are Unicode code points (``columnKind``). DBS columns come from the
  AST, which counts UTF-8 bytes; they are converted using the physical line.
- Without ``--output-file`` the SARIF log goes to stdout. With it, the file
  is overwritten (not appended to), and ``--tee`` prints flake8's usual text
  lines on stdout (not the JSON), so a CI log stays readable. Nothing is
  written before the whole log is built, so a failure never leaves an empty
  file.
- A file name that is not valid UTF-8 (bytes the file system allows) is
  percent-encoded in its URI, as RFC 3986 wants; in message texts such
  bytes become U+FFFD.
- ``--statistics``/``--benchmark`` text would break the JSON and is not
  written.
- Every result carries ``partialFingerprints["dbsecStatement/v1"]``: a hash
  of the baseline's key for it (code, file relative to the working
  directory, the statement's normalized text, and which of the identical
  statements of that file it is; see ``baseline.py``), never of its line
  number. Code scanning (or any SARIF consumer) then matches an alert across
  runs when lines are added above it, the statement is re-indented or
  re-wrapped, or comments change; editing the statement makes it a new
  alert. GitHub's ``upload-sarif`` action adds its own line-content hash
  (``primaryLocationLineHash``) beside it; uploads through the API or other
  tools have only this key, which is what keeps them from duplicating
  alerts.
"""

from __future__ import annotations

import hashlib
import json
import os
import string
import sys
import tokenize
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple
from urllib.parse import quote

from flake8.formatting.base import BaseFormatter

from . import __version__
from .baseline import finding_keys, normalize_path, normalize_text
from .catalog import IMPLEMENTED, Rule

if TYPE_CHECKING:  # pragma: no cover - flake8.style_guide.Violation before 6.0
    from flake8.violation import Violation

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
PROJECT_URI = "https://github.com/flake8-dbsec/flake8-dbsec"
DOCS_URI = PROJECT_URI + "/blob/main/docs/rules/{code}.md"
SRCROOT = "%SRCROOT%"
#: partialFingerprints key; bump the version if the key's recipe changes.
FINGERPRINT = "dbsecStatement/v1"

#: GitHub code scanning ranks security alerts by this score (0.0-10.0).
_SECURITY_SEVERITY = {"HIGH": "7.5", "MEDIUM": "5.0", "LOW": "2.0"}


def _generic_message(rule: Rule, placeholder: str = "<{}>") -> str:
    """The message template with each ``{field}`` shown as ``<field>``."""
    parts = []
    for literal, field, _spec, _conv in string.Formatter().parse(rule.message):
        parts.append(literal)
        if field is not None:
            parts.append(placeholder.format(field))
    return "".join(parts)


def _help_markdown(rule: Rule) -> str:
    message = _generic_message(rule, "`<{}>`")
    lines = [f"**{rule.code}: {rule.title}**", "", message, ""]
    lines += [f"- [CWE-{n}]({url})" for n, url in zip(rule.cwe, rule.cwe_urls)]
    lines += [f"- <{url}>" for url in rule.references]
    lines += ["", f"Full documentation: <{DOCS_URI.format(code=rule.code)}>"]
    return "\n".join(lines)


def dbs_rule_descriptor(rule: Rule) -> Dict[str, Any]:
    """A SARIF reportingDescriptor built from one catalog entry."""
    tags = ["security", "flake8-dbsec", rule.kind] + [
        f"external/cwe/cwe-{n}" for n in rule.cwe
    ]
    help_text = "\n".join(
        [f"{rule.code}: {rule.title}", "", _generic_message(rule), ""]
        + [f"CWE-{n}: {url}" for n, url in zip(rule.cwe, rule.cwe_urls)]
        + list(rule.references)
    )
    return {
        "id": rule.code,
        "name": rule.semgrep_id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": _generic_message(rule)},
        "help": {"text": help_text, "markdown": _help_markdown(rule)},
        "helpUri": DOCS_URI.format(code=rule.code),
        "defaultConfiguration": {"level": rule.severity},
        "properties": {
            "tags": tags,
            "precision": rule.confidence.lower(),
            "security-severity": _SECURITY_SEVERITY.get(rule.impact, "5.0"),
        },
    }


def other_rule_descriptor(code: str) -> Dict[str, Any]:
    """A minimal descriptor for another plugin's code (E501, F401, ...)."""
    return {
        "id": code,
        "shortDescription": {"text": f"flake8 {code}"},
        "defaultConfiguration": {"level": _other_level(code)},
        "properties": {"tags": ["flake8"]},
    }


def _other_level(code: str) -> str:
    return "error" if code in ("E902", "E999") else "warning"


def _utf8_column_to_code_points(line: Optional[str], column: int) -> int:
    """1-based AST column (UTF-8 bytes) -> 1-based code-point column."""
    if not line or column <= 1 or line.isascii():
        return max(column, 1)
    prefix = line.encode("utf-8")[: column - 1].decode("utf-8", errors="ignore")
    return len(prefix) + 1


def fingerprint(code: str, path: str, statement: str, occurrence: int) -> str:
    """The partialFingerprints value of one baseline key (hex SHA-256)."""
    key = json.dumps([code, path, statement, occurrence], ensure_ascii=False)
    # a file name that is not valid UTF-8 is hashed as its own bytes
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def _read_lines(filename: str) -> List[str]:
    """The file's lines as flake8 decodes them (PEP 263), or [] if unreadable."""
    try:
        with tokenize.open(filename) as handle:
            return handle.readlines()
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return []


def artifact_location(filename: str, root: Path) -> Dict[str, Any]:
    """A URI relative to ``%SRCROOT%`` when the file lies under ``root``.

    Quoted from the file name's bytes (``os.fsencode``), so a name that is
    not valid UTF-8 still gives a valid URI.
    """
    path = Path(os.path.abspath(filename))
    try:
        relative = path.relative_to(root)
    except ValueError:
        return {"uri": path.as_uri()}
    return {"uri": quote(os.fsencode(relative.as_posix())), "uriBaseId": SRCROOT}


def _text(value: str) -> str:
    """Valid Unicode for the JSON log: undecodable bytes of a file name
    (surrogate escapes) become U+FFFD."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class SarifFormatter(BaseFormatter):
    """Collects every violation, writes one SARIF log when flake8 stops."""

    def after_init(self) -> None:
        self.root = Path(os.path.abspath(os.getcwd()))
        self.rules: List[Dict[str, Any]] = [
            dbs_rule_descriptor(rule) for rule in IMPLEMENTED.values()
        ]
        self.rule_index: Dict[str, int] = {r["id"]: i for i, r in enumerate(self.rules)}
        self.results: List[Dict[str, Any]] = []
        #: per file: (code, line, column, physical line, result) to fingerprint
        self.pending: Dict[str, List[Tuple[str, int, int, str, Dict[str, Any]]]] = {}

    def start(self) -> None:
        """Nothing is written before the whole log is built (:meth:`stop`)."""

    def handle(self, error: "Violation") -> None:
        result = self._result(error)
        self.results.append(result)
        self.pending.setdefault(error.filename, []).append(
            (error.code, error.line_number, error.column_number, error.physical_line or "", result)
        )
        if self.filename and self.options.tee:
            line = self._text_line(error) + "\n"
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is not None:  # the file name's own bytes, as the terminal knows them
                sys.stdout.flush()
                buffer.write(line.encode("utf-8", "surrogateescape"))
                buffer.flush()
            else:
                sys.stdout.write(_text(line))

    @staticmethod
    def _text_line(error: "Violation") -> str:
        """flake8's default line, for ``--tee`` (a CI log people read)."""
        return (
            f"{error.filename}:{error.line_number}:{error.column_number}: "
            f"{error.code} {error.text}"
        )

    def format(self, error: "Violation") -> Optional[str]:
        """Unused: SARIF is written as a whole in :meth:`stop`."""
        return None

    def show_statistics(self, statistics: object) -> None:
        """Statistics text would corrupt the JSON document."""

    def show_benchmarks(self, benchmarks: object) -> None:
        """Benchmark text would corrupt the JSON document."""

    def stop(self) -> None:
        document = json.dumps(self.log(), indent=2, ensure_ascii=False) + "\n"
        if self.filename:
            directory = os.path.dirname(os.path.abspath(self.filename))
            os.makedirs(directory, exist_ok=True)
            with open(self.filename, "w", encoding="utf-8") as handle:
                handle.write(document)
        else:
            sys.stdout.write(document)
        sys.stdout.flush()

    def _source_lines(self, filename: str) -> List[str]:
        """The checked text: the file, or what flake8 read from stdin for ``-``."""
        options = self.options
        if "-" in (getattr(options, "filenames", None) or ()) and filename == getattr(
            options, "stdin_display_name", "stdin"
        ):
            from flake8.utils import stdin_get_value

            return stdin_get_value().splitlines(True)
        return _read_lines(filename)

    def add_fingerprints(self) -> None:
        """Set partialFingerprints on every result (once, when the run ends)."""
        for filename, found in self.pending.items():
            lines = self._source_lines(filename)
            path = normalize_path(filename, self.root)
            ordered = sorted(found, key=lambda item: (item[1], item[2], item[0]))
            keys = finding_keys(((code, line) for code, line, *_ in ordered), path, lines)
            for (code, _line, _col, physical, result), (key, occurrence) in zip(ordered, keys):
                statement = key[2] if lines else normalize_text(physical)
                result["partialFingerprints"] = {
                    FINGERPRINT: fingerprint(code, path, statement, occurrence)
                }
        self.pending = {}

    def log(self) -> Dict[str, Any]:
        """The complete SARIF log of this flake8 run."""
        self.add_fingerprints()
        run = {
            "tool": {
                "driver": {
                    "name": "flake8-dbsec",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": PROJECT_URI,
                    "rules": self.rules,
                }
            },
            "originalUriBaseIds": {SRCROOT: {"uri": self.root.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": self.results,
        }
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}

    def _index_of(self, code: str) -> int:
        if code not in self.rule_index:
            self.rule_index[code] = len(self.rules)
            self.rules.append(other_rule_descriptor(code))
        return self.rule_index[code]

    def _result(self, error: "Violation") -> Dict[str, Any]:
        index = self._index_of(error.code)
        column = error.column_number
        if error.code in IMPLEMENTED:
            column = _utf8_column_to_code_points(error.physical_line, column)
        return {
            "ruleId": error.code,
            "ruleIndex": index,
            "level": self.rules[index]["defaultConfiguration"]["level"],
            "message": {"text": _text(error.text)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact_location(error.filename, self.root),
                        "region": {
                            "startLine": max(error.line_number, 1),
                            "startColumn": max(column, 1),
                        },
                    }
                }
            ],
        }
