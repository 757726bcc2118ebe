"""Baselines: record with ``python -m flake8_dbsec baseline``, hide with
``--dbsec-baseline``; keys survive line shifts, not edits of the statement."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import List, Set, Tuple

import pytest
from conftest import tool

from flake8_dbsec.baseline import StatementIndex, load_baseline, normalize_text
from flake8_dbsec.options import ConfigError

FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):\d+: (?P<code>DBS\d{3}) ")

LEGACY = '''\
import sqlalchemy as sa

engine = sa.create_engine("postgresql://admin:hunter2@db/app")


def rename(cursor, table, name):
    cursor.execute(
        "UPDATE %s SET name = '%s'" % (table, name)
    )


def purge(cursor, uid):
    cursor.execute("DELETE FROM users WHERE id = " + uid)
'''

Found = Set[Tuple[str, int, str]]


# --- keys (fast) -----------------------------------------------------------------


def test_statement_key_ignores_layout_and_comments():
    one = StatementIndex(["x = session.execute(  # why\n", "    stmt,\n", ")\n"])
    two = StatementIndex(["x=session.execute(stmt)  # other comment\n"])
    assert one.statement(2) == two.statement(1) == "x=session.execute(stmt)"


def test_try_and_except_keys_include_the_first_statement_of_their_block():
    index = StatementIndex(
        ["try:\n", "    session.add(row)\n", "except DBError:\n", "    pass\n"]
    )
    assert index.statement(1) == "try:session.add(row)"
    assert index.statement(3) == "except DBError:pass"


def test_normalize_text_is_whitespace_insensitive():
    assert normalize_text("f( a ,\n   b, )") == normalize_text("f(a, b)") == "f(a,b)"


@pytest.mark.parametrize(
    "content, why",
    [(None, "does not exist"), ("{not json", "not valid JSON"),
     ('{"version": 1}', "not a flake8-dbsec baseline"),
     ('{"version": 1, "findings": [{"code": "DBS101"}]}', "bad entry")],
)
def test_bad_baseline_file_is_a_one_line_config_error(tmp_path, content, why):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_baseline(str(path))
    message = str(info.value)
    assert message.startswith("--dbsec-baseline") and why in message
    assert "\n" not in message


# --- the real tools (slow) --------------------------------------------------------


def flake8(cwd: Path, *args: str, stdin: str = None) -> Found:
    proc = subprocess.run(
        [tool("flake8"), "--select=DBS", *args], cwd=cwd, input=stdin,
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return {
        (m["path"].replace("\\", "/").lstrip("./"), int(m["line"]), m["code"])
        for m in map(FINDING.match, proc.stdout.splitlines()) if m
    }


def record(cwd: Path, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8_dbsec", "baseline", *args], cwd=cwd,
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "recorded" in proc.stdout
    return json.loads((cwd / ".dbsec-baseline.json").read_text())


def write(project: Path, source: str) -> None:
    (project / "pkg").mkdir(exist_ok=True)
    (project / "pkg" / "legacy.py").write_text(source)


def lines_of(source: str, needle: str) -> List[int]:
    return [n for n, line in enumerate(source.splitlines(), 1) if needle in line]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, LEGACY)
    before = flake8(tmp_path, "pkg")
    assert {code for _path, _line, code in before} >= {"DBS401", "DBS501"}
    document = record(tmp_path, "pkg", "-o", ".dbsec-baseline.json")
    assert sum(e["count"] for e in document["findings"]) == len(before)
    assert {e["file"] for e in document["findings"]} == {"pkg/legacy.py"}
    assert "hunter2" not in (tmp_path / ".dbsec-baseline.json").read_text()
    return tmp_path


BASELINE = "--dbsec-baseline=.dbsec-baseline.json"


@pytest.mark.slow
def test_baseline_hides_recorded_findings_across_line_shifts(project):
    assert flake8(project, BASELINE, "pkg") == set()
    shifted = LEGACY.replace(
        "\n\ndef rename",
        "\nimport os\n\nTABLES = os.environ.get('TABLES', '')\n\n\ndef rename",
    )
    write(project, shifted)
    assert flake8(project, "pkg"), "the findings moved, they did not go away"
    assert flake8(project, BASELINE, "pkg") == set()


PURGE = '    cursor.execute("DELETE FROM users WHERE id = " + uid)\n'


@pytest.mark.slow
def test_editing_the_offending_statement_reports_it_again(project):
    edited = LEGACY.replace("WHERE id = ", "WHERE name = ")
    write(project, edited)
    reported = flake8(project, BASELINE, "pkg")
    (edited_line,) = lines_of(edited, "WHERE name = ")
    assert reported and {line for _path, line, _code in reported} == {edited_line}


@pytest.mark.slow
def test_new_findings_and_new_copies_of_recorded_ones_are_reported(project):
    grown = LEGACY + (
        "\n\ndef purge_again(cursor, uid):\n" + PURGE
        + "\n\ndef lookup(cursor, name):\n"
        + '    return cursor.execute(f"SELECT * FROM users WHERE name = {name}")\n'
    )
    write(project, grown)
    reported = flake8(project, BASELINE, "pkg")
    _recorded, copy = lines_of(grown, PURGE.strip())
    (new,) = lines_of(grown, "SELECT * FROM users")
    assert {line for _path, line, _code in reported} == {copy, new}
    assert ("pkg/legacy.py", new, "DBS401") in reported


@pytest.mark.slow
def test_baseline_applies_to_stdin_subdirectories_and_config(project):
    """Editors pipe the buffer with --stdin-display-name; CI may run from a
    subdirectory; the option may come from setup.cfg (and never hides the
    findings it is re-recording)."""
    assert flake8(
        project, BASELINE, "--stdin-display-name=pkg/legacy.py", "-", stdin=LEGACY
    ) == set()
    assert flake8(project / "pkg", "--dbsec-baseline=../.dbsec-baseline.json", ".") == set()
    (project / "setup.cfg").write_text("[flake8]\ndbsec-baseline = .dbsec-baseline.json\n")
    assert flake8(project, "pkg") == set()
    document = record(project, "pkg")
    unfiltered = flake8(project, "--dbsec-baseline=", "pkg")
    assert sum(e["count"] for e in document["findings"]) == len(unfiltered)


@pytest.mark.slow
def test_missing_baseline_stops_flake8_with_one_line(tmp_path):
    write(tmp_path, LEGACY)
    proc = subprocess.run(
        [tool("flake8"), "--dbsec-baseline=nope.json", "pkg"], cwd=tmp_path,
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0
    assert "--dbsec-baseline" in proc.stderr and "nope.json" in proc.stderr
