"""The flake8 entry point: one checker class, one AST pass, all families."""

from __future__ import annotations

import ast
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Iterator, List, Optional, Tuple, Type

from . import __version__
from .analysis.walker import analyze
from .catalog import DEFAULT_OFF, IMPLEMENTED
from .options import (
    DEFAULT_SETTINGS,
    OPTION_SPECS,
    ConfigError,
    Settings,
    add_options,
    enabled_codes,
    settings_from_options,
)
from .rules import FAMILIES
from .rules.base import Analysis, Finding

if TYPE_CHECKING:  # pragma: no cover
    from .baseline import Baseline

#: where the validated configuration of one flake8 run is kept: on its options
#: namespace (never on a class or module), with the option values it came from
_CONFIG_ATTR = "dbsec_configuration"
#: the flake8 options the configuration depends on, besides ``--dbsec-*``
_SELECTION = ("select", "ignore", "extend_select", "extend_ignore",
              "extended_default_select", "extended_default_ignore")
_DESTS = tuple(dest for _flag, dest, _help, _kind in OPTION_SPECS) + ("dbsec_baseline",) + _SELECTION


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
        """Validate ``--dbsec-*`` once per run: a bad value stops flake8 with
        one line naming the option (or the baseline file), exit status 2."""
        try:
            configuration(options)
        except ConfigError as exc:
            sys.stderr.write(f"flake8-dbsec: error: {exc}\n")
            raise SystemExit(2) from None

    def run(self) -> Iterator[Tuple[int, int, str, Type["DbsecChecker"]]]:
        settings, baseline = configuration(self.options)
        findings = check_tree(self.tree, settings)
        if baseline is not None and findings:
            from .baseline import filter_findings

            findings = filter_findings(findings, baseline, self.filename, self.lines)
        for finding in findings:
            yield finding.line, finding.col, finding.message, type(self)


def configuration(options: object) -> Tuple[Settings, Optional["Baseline"]]:
    """The validated settings and baseline of a flake8 options namespace.

    Computed when flake8 starts (``parse_options``) and again whenever the
    option values change afterwards: ``flake8.api.legacy.get_style_guide(
    select=..., dbsec_session_pattern=...)`` sets options after the plugins
    parsed them, and they must count exactly as on the command line.
    A bad value raises :class:`ConfigError`.
    """
    if options is None or not hasattr(options, "dbsec_baseline"):
        return DEFAULT_SETTINGS, None  # checked outside flake8 (tests, tools)
    key = tuple(repr(getattr(options, dest, None)) for dest in _DESTS)
    cached = getattr(options, _CONFIG_ATTR, None)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    settings = settings_from_options(options)
    baseline = None
    path = getattr(options, "dbsec_baseline", None)
    if path:
        from .baseline import load_baseline

        baseline = load_baseline(path)
    settings = replace(settings, enabled_codes=enabled_codes(options, IMPLEMENTED))
    setattr(options, _CONFIG_ATTR, (key, settings, baseline))
    return settings, baseline
