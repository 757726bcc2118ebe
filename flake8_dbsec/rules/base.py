"""What every rule family gets: the module's facts, its semantics, and a reporter."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar, Dict, List, Tuple

from ..analysis.semantics import Semantics
from ..analysis.walker import ModuleFacts
from ..catalog import RULES
from ..options import Settings


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    col: int
    code: str
    message: str


class Analysis:
    """One module's facts, semantics and findings; no state outlives the file."""

    def __init__(self, facts: ModuleFacts, settings: Settings, project: object = None) -> None:
        self.facts = facts
        self.settings = settings
        self.sem = Semantics(facts, settings, project)  # type: ignore[arg-type]
        self._findings: Dict[Tuple[str, int, int], Finding] = {}

    def report(self, node: ast.AST, code: str, **fields: object) -> None:
        """Report ``code`` at ``node``'s first line and column, once per node."""
        if not self.settings.wants(code):
            return
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        key = (code, line, col)
        if key not in self._findings:
            self._findings[key] = Finding(line, col, code, RULES[code].format(**fields))

    def findings(self) -> List[Finding]:
        return sorted(self._findings.values())


class Family:
    """A rule family: one module, several related codes."""

    codes: ClassVar[Tuple[str, ...]] = ()

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.facts = analysis.facts
        self.sem = analysis.sem
        self.settings = analysis.settings

    def report(self, node: ast.AST, code: str, **fields: object) -> None:
        self.analysis.report(node, code, **fields)

    def wants(self, code: str) -> bool:
        return self.settings.wants(code)

    def run(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError
