"""The flake8 entry point: one checker class, one AST pass, all families."""

from __future__ import annotations

import ast
import os
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Iterator, List, NamedTuple, Optional, Tuple, Type

from . import __version__
from .analysis.project import ProjectModel
from .analysis.walker import analyze, collector_paused
from .catalog import DEFAULT_OFF, IMPLEMENTED
from .options import (
    DEFAULT_SETTINGS,
    OPTION_SPECS,
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

if TYPE_CHECKING:  # pragma: no cover
    from .analysis.project.runs import ModelRegistry
    from .baseline import Baseline

#: where the validated configuration of one flake8 run is kept: on its options
#: namespace (never on a class or module), with the option values it came from
_CONFIG_ATTR = "dbsec_configuration"
#: the flake8 options the configuration depends on, besides ``--dbsec-*``
_FLAKE8_DESTS = ("select", "ignore", "extend_select", "extend_ignore",
                 "extended_default_select", "extended_default_ignore",
                 "exclude", "extend_exclude", "config", "append_config", "isolated")
_DESTS = tuple(dest for _flag, dest, _help, _kind in OPTION_SPECS) + (
    "dbsec_baseline", "dbsec_project_model", "dbsec_cache_dir") + _FLAKE8_DESTS


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
    with collector_paused():
        # the facts die with ``_check``'s frame, before the collector is back
        return _check(tree, settings, model, filename, lines)


def _check(tree: ast.AST, settings: Settings, model: Optional[ProjectModel],
           filename: str, lines: Optional[List[str]]) -> List[Finding]:
    facts = analyze(tree)
    try:
        if model is None:
            model = single_module_model(settings)
        view = model.view(filename, tree, facts, lines) if model is not False else None
        analysis = Analysis(facts, settings, view)
        for family in FAMILIES:
            if any(settings.wants(code) for code in family.codes):
                family(analysis).run()
        return analysis.findings()
    finally:
        facts.release()


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
        """Validate ``--dbsec-*`` once per run: a bad value stops flake8 with
        one line naming the option (or the baseline file), exit status 2."""
        warn_ignored_pyproject_settings(options)
        try:
            configuration(options)
        except ConfigError as exc:
            sys.stderr.write(f"flake8-dbsec: error: {exc}\n")
            raise SystemExit(2) from None

    def _model(self, config: "Configuration"):  # type: ignore[no-untyped-def]
        """This file's project model; a model of the file alone when the
        project model is off or unavailable."""
        model = config.models.for_file(self.filename) if config.models is not None else None
        return model if model is not None else single_module_model(config.settings)

    def run(self) -> Iterator[Tuple[int, int, str, Type["DbsecChecker"]]]:
        """The findings, with the cyclic collector paused until flake8 has
        taken them: it reports each as it comes, while the AST is alive,
        and the first report tokenizes the whole file (its ``noqa`` map).
        Collections started then traversed both; tokens form no cycles, so
        nothing is left for the collector to find."""
        config = configuration(self.options)
        model = self._model(config)  # a cold build is not paused: it reads the whole project
        with collector_paused():
            findings = check_tree(self.tree, config.settings, model, self.filename, self.lines)
            if config.baseline is not None and findings:
                from .baseline import filter_findings

                findings = filter_findings(findings, config.baseline, self.filename, self.lines)
            for finding in findings:
                yield finding.line, finding.col, finding.message, type(self)


class Configuration(NamedTuple):
    """What one flake8 run told the plugin, validated."""

    settings: Settings
    baseline: Optional["Baseline"] = None
    #: the project models (None: off, or checked outside flake8)
    models: Optional["ModelRegistry"] = None


def configuration(options: object) -> Configuration:
    """The validated configuration of a flake8 options namespace.

    Computed when flake8 starts (``parse_options``) and again whenever the
    option values change afterwards: ``flake8.api.legacy.get_style_guide(
    select=..., dbsec_session_pattern=...)`` sets options after the plugins
    parsed them, and they must count exactly as on the command line.
    A bad value raises :class:`ConfigError`.
    """
    if options is None or not hasattr(options, "dbsec_baseline"):
        return Configuration(DEFAULT_SETTINGS)  # checked outside flake8 (tests, tools)
    key = tuple(repr(getattr(options, dest, None)) for dest in _DESTS)
    cached = getattr(options, _CONFIG_ATTR, None)
    if cached is not None and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    # the selection is part of the settings: the project model leaves out
    # what only unselected codes ask (DBS701's authorization evidence)
    settings = replace(settings_from_options(options), enabled_codes=enabled_codes(options, IMPLEMENTED))
    model_on = project_model_enabled(options)
    baseline = None
    path = getattr(options, "dbsec_baseline", None)
    if path:
        from .baseline import load_baseline

        baseline = load_baseline(path)
    models = None
    if model_on:
        from .analysis.project.runs import ModelRegistry

        models = ModelRegistry(settings, options)
    config = Configuration(settings, baseline, models)
    setattr(options, _CONFIG_ATTR, (key, config))
    return config
