"""Read Semgrep test annotations (``# ruleid:``/``# ok:``/``# todoruleid:``/``# todook:``).

The same annotated fixtures drive ``semgrep --test`` and the flake8 tests.
An annotation stands alone on its line and applies to the next line, exactly
as ``semgrep --test`` reads it; two annotations in a row are an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Set

ANNOTATION = re.compile(r"^\s*#\s*(ruleid|ok|todoruleid|todook)\s*:\s*(.+?)\s*$")
KINDS = ("ruleid", "ok", "todoruleid", "todook")


@dataclass(frozen=True)
class Annotation:
    kind: str
    rule_id: str
    line: int  # the line the annotation applies to (1-based)
    annotation_line: int


def read_annotations(path: Path) -> List[Annotation]:
    lines = path.read_text(encoding="utf-8").splitlines()
    out: List[Annotation] = []
    for number, text in enumerate(lines, start=1):
        match = ANNOTATION.match(text)
        if not match:
            continue
        if number < len(lines) and ANNOTATION.match(lines[number]):
            raise ValueError(f"{path.name}:{number}: stacked annotations")
        for rule_id in match.group(2).split(","):
            rule_id = rule_id.strip()
            if rule_id:
                out.append(Annotation(match.group(1), rule_id, number + 1, number))
    return out


def expected_by_rule(annotations: List[Annotation]) -> Dict[str, Dict[str, Set[int]]]:
    """rule id -> kind -> lines."""
    table: Dict[str, Dict[str, Set[int]]] = {}
    for a in annotations:
        table.setdefault(a.rule_id, {k: set() for k in KINDS})[a.kind].add(a.line)
    return table
