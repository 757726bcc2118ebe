"""The flake8 entry point: one checker class, one AST pass, all families."""

from __future__ import annotations

import ast
import os
import sys
from dataclasses import replace
from typing import Iterator, List, Optional, Tuple, Type

from . import __version__
from .analysis.project import ProjectModel
from .analysis.walker import analyze
from .catalog import DEFAULT_OFF, IMPLEMENTED
from .options import (
    DEFAULT_SETTINGS,
    ConfigError,
    Settings,
    add_options,
    enabled_codes,
    project_model_enabled,
    settings_from_options,
)
from .pyproject import warn_ignored_pyproject_settings
from .rules import FAMILIES
from .rules.base import Analysis, Finding

_SETTINGS_ATTR = "dbsec_settings"
_BASELINE_ATTR = "dbsec_baseline_keys"
_MODELS_ATTR = "dbsec_models"


def check_tree(
    tree: ast.AST,
    settings: Settings = DEFAULT_SETTINGS,
    model: Optional[ProjectModel] = None,
    filename: str = "module.py",
    lines: Optional[List[str]] = None,
) -> List[Finding]:
    """Run every wanted rule family over one parsed module.

    With a project model, the rules know what the rest of the project
    defines; without one (``model=None``), a model of this module alone is
    used, so same-module definitions (a quoting helper, a decorator, the
    callers of a function) still count, as they do in a project.
    """
    facts = analyze(tree)
    if model is None:
        model = single_module_model(settings)
    view = model.view(filename, tree, facts, lines) if model is not False else None
    analysis = Analysis(facts, settings, view)
    for family in FAMILIES:
        if any(settings.wants(code) for code in family.codes):
            family(analysis).run()
    return analysis.findings()


def check_source(source: str, settings: Settings = DEFAULT_SETTINGS) -> List[Finding]:
    """Convenience for tests and tools: parse and check a source string."""
    return check_tree(ast.parse(source), settings)


def single_module_model(settings: Settings) -> ProjectModel:
    """A project of one module, kept in memory (tests, tools, stdin without
    a project)."""
    return ProjectModel(os.getcwd(), settings, cache_dir=None, files=[])


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
            model_on = project_model_enabled(options)
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
        models = None
        if model_on:
            from .analysis.project.runs import ModelRegistry

            models = ModelRegistry(settings, options)
        setattr(options, _MODELS_ATTR, models)

    def _settings(self) -> Settings:
        settings = getattr(self.options, _SETTINGS_ATTR, None)
        return settings if isinstance(settings, Settings) else DEFAULT_SETTINGS

    def _model(self, settings: Settings):  # type: ignore[no-untyped-def]
        """This file's project model; a model of the file alone when the
        project model is off or unavailable."""
        models = getattr(self.options, _MODELS_ATTR, None)
        model = models.for_file(self.filename) if models is not None else None
        return model if model is not None else single_module_model(settings)

    def run(self) -> Iterator[Tuple[int, int, str, Type["DbsecChecker"]]]:
        settings = self._settings()
        findings = check_tree(
            self.tree, settings, self._model(settings), self.filename, self.lines
        )
        baseline = getattr(self.options, _BASELINE_ATTR, None)
        if baseline is not None and findings:
            from .baseline import filter_findings

            findings = filter_findings(findings, baseline, self.filename, self.lines)
        for finding in findings:
            yield finding.line, finding.col, finding.message, type(self)
