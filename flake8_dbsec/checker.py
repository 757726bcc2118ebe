"""The flake8 entry point: one checker class, one AST pass, all families."""

from __future__ import annotations

import ast
import sys
from dataclasses import replace
from typing import Iterator, List, Optional, Tuple, Type

from . import __version__
from .analysis.walker import analyze
from .catalog import DEFAULT_OFF, IMPLEMENTED
from .options import (
    DEFAULT_SETTINGS,
    ConfigError,
    Settings,
    add_options,
    enabled_codes,
    settings_from_options,
)
from .pyproject import warn_ignored_pyproject_settings
from .rules import FAMILIES
from .rules.base import Analysis, Finding

_SETTINGS_ATTR = "dbsec_settings"
_BASELINE_ATTR = "dbsec_baseline_keys"


def check_tree(tree: ast.AST, settings: Settings = DEFAULT_SETTINGS) -> List[Finding]:
    """Run every wanted rule family over one parsed module."""
    facts = analyze(tree)
    analysis = Analysis(facts, settings)
    for family in FAMILIES:
        if any(settings.wants(code) for code in family.codes):
            family(analysis).run()
    return analysis.findings()


def check_source(source: str, settings: Settings = DEFAULT_SETTINGS) -> List[Finding]:
    """Convenience for tests and tools: parse and check a source string."""
    return check_tree(ast.parse(source), settings)


class DbsecChecker:
    """flake8 plugin: reports DBS### findings (see ``flake8_dbsec.catalog``)."""

    name = "flake8-dbsec"
    version = __version__

    def __init__(
        self,
        tree: ast.AST,
        filename: str = "(none)",
        lines: Optional[List[str]] = None,
        options: object = None,
    ) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines
        self.options = options

    @staticmethod
    def add_options(manager) -> None:  # type: ignore[no-untyped-def]
        add_options(manager)
        manager.extend_default_ignore(list(DEFAULT_OFF))

    @staticmethod
    def parse_options(options) -> None:  # type: ignore[no-untyped-def]
        """Validate ``--dbsec-*`` once per run; store the result on the namespace."""
        warn_ignored_pyproject_settings(options)
        try:
            settings = settings_from_options(options)
            baseline = None
            path = getattr(options, "dbsec_baseline", None)
            if path:
                from .baseline import load_baseline

                baseline = load_baseline(path)
        except ConfigError as exc:
            sys.stderr.write(f"flake8-dbsec: error: {exc}\n")
            raise SystemExit(2) from None
        codes = enabled_codes(options, IMPLEMENTED)
        setattr(options, _SETTINGS_ATTR, replace(settings, enabled_codes=codes))
        setattr(options, _BASELINE_ATTR, baseline)

    def _settings(self) -> Settings:
        settings = getattr(self.options, _SETTINGS_ATTR, None)
        return settings if isinstance(settings, Settings) else DEFAULT_SETTINGS

    def run(self) -> Iterator[Tuple[int, int, str, Type["DbsecChecker"]]]:
        findings = check_tree(self.tree, self._settings())
        baseline = getattr(self.options, _BASELINE_ATTR, None)
        if baseline is not None and findings:
            from .baseline import filter_findings

            findings = filter_findings(findings, baseline, self.filename, self.lines)
        for finding in findings:
            yield finding.line, finding.col, finding.message, type(self)
