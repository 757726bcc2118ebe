"""Projects configured in ``pyproject.toml``: ruff beside flake8-dbsec, and Flake8-pyproject.

* ruff (pinned in the ``test`` extra) with the README's
  ``[tool.ruff.lint] external = ["DBS"]``: ``ruff check --fix`` keeps
  ``# noqa: DBS101`` and flake8 still honours it; without the setting ruff
  reports it (RUF102) and ``--fix`` deletes it.
* Flake8-pyproject (pinned too): the README's ``[tool.flake8]`` example,
  ``dbsec-baseline`` included, gives exactly the findings of the same
  settings in ``setup.cfg``, for ``flake8`` and ``flake8-dbsec lint``.
* Without Flake8-pyproject, ``dbsec-*`` keys in ``[tool.flake8]`` get one
  warning (unit-tested here; run for real in a venv without the plugin in
  ``test_cli_main.py``).
"""

from __future__ import annotations

import configparser
import io
import re
import subprocess
import types
from pathlib import Path
from typing import Set, Tuple

import pytest
from conftest import ROOT, tool

from flake8_dbsec import pyproject

README = (ROOT / "README.md").read_text(encoding="utf-8")
FINDING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):\d+: (?P<code>DBS\d{3}) ", re.M)


def readme_toml(marker: str) -> str:
    """The README's ``toml`` block that contains ``marker``."""
    for block in re.findall(r"```toml\n(.*?)```", README, re.S):
        if marker in block:
            return block
    raise AssertionError(f"README has no toml block with {marker!r}")


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, timeout=300)


def findings(result: subprocess.CompletedProcess) -> Set[Tuple[str, int, str]]:
    assert "Traceback" not in result.stderr, result.stderr
    return {(m["path"].lstrip("./"), int(m["line"]), m["code"])
            for m in FINDING.finditer(result.stdout)}


# --- ruff ------------------------------------------------------------------------

NOQA_SOURCE = '''\
def purge(session):
    session.flush()  # noqa: DBS101
    session.commit()
'''
RUFF_RULES = '\nextend-select = ["RUF100", "RUF102"]\n'  # noqa hygiene, as a RUF project has


@pytest.mark.slow
def test_ruff_keeps_the_noqa_comment_with_external_dbs(tmp_path: Path):
    ruff = tool("ruff")
    project = tmp_path / "project"
    project.mkdir()
    source = project / "app.py"

    # without `external`, ruff calls the code unknown and --fix deletes the comment
    (project / "pyproject.toml").write_text("[tool.ruff.lint]" + RUFF_RULES)
    source.write_text(NOQA_SOURCE)
    report = run(ruff, "check", "--no-cache", ".", cwd=project)
    assert report.returncode == 1 and "RUF102" in report.stdout, report.stdout
    run(ruff, "check", "--no-cache", "--fix", ".", cwd=project)
    assert "# noqa" not in source.read_text(), "ruff no longer deletes unknown noqa codes"

    # with the README's setting, ruff is quiet and --fix leaves the file alone
    settings = readme_toml("external")
    assert settings.strip().startswith("[tool.ruff.lint]")
    (project / "pyproject.toml").write_text(settings + RUFF_RULES)
    source.write_text(NOQA_SOURCE)
    clean = run(ruff, "check", "--no-cache", ".", cwd=project)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    fixed = run(ruff, "check", "--no-cache", "--fix", ".", cwd=project)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert source.read_text() == NOQA_SOURCE

    # ... and flake8 still honours it: only the write without the comment is reported
    found = findings(run(tool("flake8"), "--select=DBS", "app.py", cwd=project))
    assert found == {("app.py", 3, "DBS101")}, found
    assert findings(run(tool("flake8"), "--select=DBS", "--disable-noqa", "app.py",
                        cwd=project)) == {("app.py", 2, "DBS101"), ("app.py", 3, "DBS101")}


# --- Flake8-pyproject ------------------------------------------------------------

CONFIGURED = '''\
def create(session):
    session.flush()


@handle_conflicts
def handled(session):
    session.flush()


def saved(store):
    store.flush()


def purge(session, uid):
    session.query(Consumer).filter_by(id=uid).delete()
'''
RECORDED = '''\
def recorded(session):
    session.commit()
'''


def toml_to_ini(text: str) -> str:
    """The README's ``[tool.flake8]`` example as the same ``[flake8]`` settings."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11: Flake8-pyproject depends on tomli there
        import tomli as tomllib

    section = tomllib.loads(text)["tool"]["flake8"]
    lines = ["[flake8]"]
    for key, value in section.items():
        lines.append(f"{key} = {','.join(value) if isinstance(value, list) else value}")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_flake8_pyproject_reads_the_readme_example_baseline_included(tmp_path: Path):
    settings = readme_toml("[tool.flake8]")
    assert "dbsec-baseline" in settings and "[" in settings.split("extend-select", 1)[1]
    results = {}
    for form in ("pyproject.toml", "setup.cfg", "none"):
        project = tmp_path / form
        (project / "legacy").mkdir(parents=True)
        (project / "app.py").write_text(CONFIGURED)
        (project / "legacy" / "old.py").write_text(CONFIGURED)
        (project / "recorded.py").write_text(RECORDED)
        recorded = run(tool("flake8-dbsec"), "baseline", "recorded.py", "-o",
                       ".dbsec-baseline.json", cwd=project)
        assert recorded.returncode == 0, recorded.stderr
        if form == "pyproject.toml":
            (project / "pyproject.toml").write_text(settings)
        elif form == "setup.cfg":
            (project / "setup.cfg").write_text(toml_to_ini(settings))
        results[form] = (
            findings(run(tool("flake8"), ".", cwd=project)),
            findings(run(tool("flake8-dbsec"), "lint", ".", cwd=project)),
        )
    from_toml, from_ini, default = results["pyproject.toml"], results["setup.cfg"], results["none"]
    assert from_toml == from_ini, "Flake8-pyproject does not apply the settings as setup.cfg does"
    assert from_toml[0] == from_toml[1]
    flake8_toml, flake8_default = from_toml[0], default[0]
    assert ("recorded.py", 2, "DBS101") in flake8_default
    assert ("recorded.py", 2, "DBS101") not in flake8_toml, "dbsec-baseline ignored"
    assert ("app.py", 7, "DBS101") not in flake8_toml, "dbsec-handler-decorators ignored"
    assert ("app.py", 11, "DBS101") in flake8_toml, "dbsec-session-pattern ignored"
    assert ("app.py", 15, "DBS303") in flake8_toml, "extend-select (a TOML array) ignored"
    assert ("legacy/old.py", 2, "DBS101") not in flake8_toml, "per-file-ignores ignored"
    assert ("legacy/old.py", 15, "DBS303") in flake8_toml


def options(**values) -> types.SimpleNamespace:
    return types.SimpleNamespace(isolated=False, **values)


def test_dbsec_keys_of_tool_flake8_only():
    text = '''\
[project]
name = "x"
dbsec-baseline = "not flake8's"

[tool.flake8]
max-line-length = 100
dbsec-baseline = ".dbsec-baseline.json"
"dbsec-session-pattern" = 'session|store'
dbsec_write_methods = ["persist"]

[tool.ruff.lint]
external = ["DBS"]
'''
    expected = ["dbsec-baseline", "dbsec-session-pattern", "dbsec_write_methods"]
    assert pyproject.dbsec_keys(text) == expected
    assert pyproject._keys_by_lines(text) == expected  # the path without a TOML parser
    assert pyproject.dbsec_keys("[tool.flake8]\nmax-line-length = 1\n") == []
    assert pyproject.dbsec_keys("[tool.flake8\nbroken") == []


def test_one_warning_naming_the_keys_unless_flake8_pyproject_is_loaded(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.flake8]\ndbsec-baseline = "b.json"\ndbsec-logger-names = ["audit"]\n')
    monkeypatch.delitem(__import__("sys").modules, pyproject.PLUGIN_MODULE, raising=False)
    message = pyproject.ignored_settings_warning(options(), str(tmp_path))
    assert message and message.count("\n") == 1
    assert "dbsec-baseline, dbsec-logger-names" in message and "Flake8-pyproject" in message
    assert pyproject.ignored_settings_warning(types.SimpleNamespace(isolated=True),
                                              str(tmp_path)) is None
    assert pyproject.ignored_settings_warning(options(), str(tmp_path / "elsewhere")) is None
    monkeypatch.setitem(__import__("sys").modules, pyproject.PLUGIN_MODULE, types.ModuleType("x"))
    assert pyproject.ignored_settings_warning(options(), str(tmp_path)) is None

    monkeypatch.delitem(__import__("sys").modules, pyproject.PLUGIN_MODULE)
    monkeypatch.chdir(tmp_path)
    stream = io.StringIO()
    pyproject.warn_ignored_pyproject_settings(options(), stream)
    assert stream.getvalue() == message


def test_readme_ini_and_toml_examples_name_the_same_settings():
    parser = configparser.RawConfigParser()
    parser.read_string(toml_to_ini(readme_toml("[tool.flake8]")))
    assert {key for key in parser["flake8"] if key.startswith("dbsec-")} >= {
        "dbsec-baseline", "dbsec-handler-decorators", "dbsec-session-pattern"}
