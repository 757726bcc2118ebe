"""``flake8-dbsec lint``: flake8 with the project's configuration, DBS findings only.

The pre-commit hook and the CI recipes run it. Each test compares it with a
plain ``flake8`` run in the same directory: the DBS findings must be exactly
flake8's (select, extend-select, extend-ignore, per-file-ignores, noqa,
dbsec options), and nothing else may be reported.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Set, Tuple

import pytest
from conftest import tool

from flake8_dbsec.catalog import DEFAULT_OFF

pytestmark = pytest.mark.slow

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")

SAMPLE = '''\
import logging
LOG = logging.getLogger(__name__)


def purge(cursor, uid, consumer_uuid):
    LOG.debug("purging %s", consumer_uuid)
    cursor.execute("DELETE FROM users WHERE id = " + uid)
    x=1
    return x
'''
# The sample's DELETE (an identified row, count unread) is DBS303, a default-off code.
DEFAULT_OFF_CODE = "DBS303"
assert DEFAULT_OFF_CODE in DEFAULT_OFF, "the sample needs another default-off finding"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("flake8-dbsec"), "lint", *args], cwd=cwd,
        capture_output=True, text=True, timeout=300,
    )


def flake8(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("flake8"), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
    )


def found(result: subprocess.CompletedProcess) -> Set[Tuple[str, int, str]]:
    assert "Traceback" not in result.stderr, result.stderr
    out = set()
    for line in result.stdout.splitlines():
        match = LINE.match(line)
        assert match, f"not a finding line: {line!r}"
        out.add((match["path"], int(match["line"]), match["code"]))
    return out


def dbs(findings: Set[Tuple[str, int, str]]) -> Set[Tuple[str, int, str]]:
    return {f for f in findings if f[2].startswith("DBS")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(SAMPLE)
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_text(SAMPLE)
    return tmp_path


CONFIGS = {
    "none": "",
    "extend-select": f"extend-select = {DEFAULT_OFF_CODE}\n",
    "extend-ignore": "extend-ignore = DBS201\n",
    "select": "select = E,F,W,DBS1,DBS2\n",
    "select+extend-select": f"select = E,DBS1\nextend-select = {DEFAULT_OFF_CODE}\n",
    "per-file-ignores": "per-file-ignores = legacy/*:DBS101,DBS401\n",
    "everything": (
        "select = E,F,W,C90,DBS\nextend-ignore = DBS201,E225\n"
        "per-file-ignores =\n    legacy/*:DBS\n"
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_reports_exactly_flake8s_dbs_findings(project: Path, name: str):
    (project / "setup.cfg").write_text("[flake8]\n" + CONFIGS[name])
    plain = flake8(".", cwd=project)
    linted = run(".", cwd=project)
    assert dbs(found(plain)), "the sample must have DBS findings under every config"
    assert found(linted) == dbs(found(plain)), linted.stdout
    assert linted.returncode == 1
    codes = {code for _, _, code in found(linted)}
    if name in ("extend-select", "select+extend-select", "everything"):
        # extend-select names it; a `select` naming the DBS prefix selects every
        # DBS code explicitly (flake8's rule, as on the command line)
        assert DEFAULT_OFF_CODE in codes
    else:
        assert not codes & set(DEFAULT_OFF), "a default-off code was reported"
    if name == "extend-ignore":
        assert "DBS201" not in codes
    if name == "per-file-ignores":
        assert ("./legacy/old.py", 7, "DBS101") not in found(linted)
        assert ("./app.py", 7, "DBS101") in found(linted)


def test_other_plugins_codes_are_not_reported_and_do_not_fail(tmp_path: Path):
    (tmp_path / "style.py").write_text("x=1;y = 2  \n")
    assert found(flake8("style.py", cwd=tmp_path)), "the sample has style findings"
    result = run("style.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_a_file_that_does_not_parse_is_reported(tmp_path: Path):
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n")
    result = run("broken.py", cwd=tmp_path)
    assert result.returncode == 1
    assert {code for _, _, code in found(result)} == {"E999"}


@pytest.mark.parametrize("config", ["select = E,F,W,C90\n", "extend-ignore = D\n"])
def test_a_configuration_without_dbs_codes_fails_with_one_line(project: Path, config: str):
    (project / "setup.cfg").write_text("[flake8]\n" + config)
    assert not dbs(found(flake8(".", cwd=project))), "plain flake8 silently drops DBS"
    result = run(".", cwd=project)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "extend-select = DBS" in lines[0], result.stderr


def test_sarif_holds_dbs_findings_only_and_exit_zero_is_honoured(project: Path):
    out = project / "out.sarif"
    result = run("--format=dbsec-sarif", f"--output-file={out}", "--exit-zero", "app.py",
                 cwd=project)
    assert result.returncode == 0, result.stderr
    log = json.loads(out.read_text())
    ids = {r["ruleId"] for r in log["runs"][0]["results"]}
    assert ids and all(code.startswith("DBS") for code in ids), ids
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} == {
        r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"].startswith("DBS")
    }


def test_parallel_run_and_bad_option_behave_like_flake8(project: Path):
    for number in range(4):
        (project / f"copy{number}.py").write_text(SAMPLE)
    assert found(run("-j", "2", ".", cwd=project)) == found(run("-j", "1", ".", cwd=project))
    bad = run("--dbsec-session-pattern=(", "app.py", cwd=project)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "--dbsec-session-pattern" in bad.stderr
