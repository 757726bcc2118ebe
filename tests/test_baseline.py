"""Baselines: record with ``python -m flake8_dbsec baseline``, hide with
``--dbsec-baseline``; keys survive line shifts, not edits of the statement."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Set, Tuple

import pytest
from conftest import tool

from flake8_dbsec.baseline import StatementIndex, load_baseline, matched_copies, normalize_text
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


ENTRY = '{"code": "DBS101", "file": "a.py", "statement": "s.flush()", "count": %s}'


@pytest.mark.parametrize(
    "content, why",
    [(None, "does not exist"), ("{not json", "not valid JSON"), ("", "empty"),
     ('{"version": 1}', "'findings' list"),
     ('{"version": 3, "findings": []}', "unsupported version 3"),
     ('{"version": 1, "findings": [{"code": "DBS101"}]}', "finding 1 is malformed"),
     ('{"version": 1, "findings": [%s]}' % (ENTRY % "Infinity"), "Infinity is not a count"),
     ('{"version": 1, "findings": [%s]}' % (ENTRY % "NaN"), "NaN is not a count"),
     ('{"version": 1, "findings": [%s]}' % (ENTRY % "1e400"), "malformed"),
     ('{"version": 1, "findings": [%s]}' % (ENTRY % "true"), "malformed"),
     ('{"version": 1, "findings": [%s]}' % (ENTRY % "-1"), "malformed"),
     ('{"version": 2, "findings": [%s]}' % (ENTRY % "2"), "malformed"),  # no contexts
     ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
     (b"\xff\xfe{}", "not UTF-8")],
)
def test_bad_baseline_file_is_a_one_line_config_error(tmp_path, content, why):
    path = tmp_path / "baseline.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_baseline(str(path))
    message = str(info.value)
    assert message.startswith("--dbsec-baseline") and why in message
    assert "\n" not in message and str(path) in message
    if content is not None:
        assert "re-record it with 'flake8-dbsec baseline -o " in message


@pytest.mark.parametrize("kind", ["directory", "fifo", "/dev/zero"])
def test_a_baseline_that_is_not_a_regular_file_is_refused_before_reading(tmp_path, kind):
    """A FIFO would block flake8 forever, /dev/zero would fill the memory."""
    if kind == "directory":
        path = str(tmp_path)
    elif kind == "fifo":
        path = str(tmp_path / "baseline.json")
        os.mkfifo(path)
    else:
        path = kind
        if not os.path.exists(path):
            pytest.skip("no /dev/zero")
    with pytest.raises(ConfigError, match="directory|not a regular file"):
        load_baseline(path)


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
        capture_output=True, text=True, timeout=300,
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


# --- copies of one statement (issue 13) ---------------------------------------------------

MANY_SAVES = "".join(
    f"\n\ndef step_{n}(instance):\n    instance.task_state = {n}\n    instance.save()\n"
    for n in range(6)
)


def test_copies_keep_their_own_context():
    lines = MANY_SAVES.splitlines(True)
    index = StatementIndex(lines)
    saves = lines_of(MANY_SAVES, "instance.save()")
    assert len({index.statement(line) for line in saves}) == 1
    assert len({index.context(line) for line in saves}) == len(saves)
    assert index.context(saves[0]).startswith("step_0:")


def test_matching_uses_contexts_first_then_line_order():
    # recorded: a, b; now: new, a, b -> the new copy is the one reported
    assert matched_copies(["new", "a", "b"], 2, ["a", "b"]) == [False, True, True]
    # a version 1 baseline (no contexts): the first copies in line order
    assert matched_copies(["new", "a", "b"], 2, []) == [True, True, False]
    # contexts changed (function renamed): the count still hides them
    assert matched_copies(["x", "y"], 2, ["a", "b"]) == [True, True]
    # two copies share a context: the first one in order is the old one
    assert matched_copies(["a", "a"], 1, ["a"]) == [True, False]


@pytest.mark.slow
def test_a_new_copy_above_recorded_ones_is_reported_at_its_own_line(tmp_path):
    """nova: a 27th ``instance.save()`` inserted at line 115 was reported at
    line 11793, the last old copy (issue 13)."""
    write(tmp_path, MANY_SAVES)
    document = record(tmp_path, "pkg")
    assert document["version"] == 2
    (entry,) = document["findings"]
    assert entry["count"] == 6 and len(entry["contexts"]) == 6
    assert flake8(tmp_path, BASELINE, "pkg") == set()
    grown = MANY_SAVES.replace(
        "def step_0(instance):\n", "def step_0(instance):\n    instance.save()\n"
    )
    write(tmp_path, grown)
    inserted = lines_of(grown, "instance.save()")[0]
    assert flake8(tmp_path, BASELINE, "pkg") == {("pkg/legacy.py", inserted, "DBS101")}


@pytest.mark.slow
def test_version_1_baselines_are_still_read(tmp_path):
    write(tmp_path, MANY_SAVES)
    document = record(tmp_path, "pkg")
    for entry in document["findings"]:
        del entry["contexts"]
    document["version"] = 1
    (tmp_path / ".dbsec-baseline.json").write_text(json.dumps(document))
    assert flake8(tmp_path, BASELINE, "pkg") == set()


@pytest.mark.slow
def test_relative_baseline_in_a_config_file_is_relative_to_that_file(project):
    """Run from a subdirectory, the config file names the baseline by a bare
    file name next to it (issue 16: it was looked up in the subdirectory)."""
    for config in ("setup.cfg", "tox.ini", ".flake8"):
        (project / config).write_text("[flake8]\ndbsec-baseline = .dbsec-baseline.json\n")
        assert flake8(project / "pkg", ".") == set(), config
        assert flake8(project, "pkg") == set(), config
        (project / config).unlink()


@pytest.mark.slow
def test_latin1_fallback_files_are_keyed_like_any_other(tmp_path):
    """flake8 reads a file that is not valid UTF-8 (and has no coding
    cookie) as latin-1; the recorder must key it from the same text."""
    (tmp_path / "pkg").mkdir()
    source = 'OWNER = "Jos\xe9"\n\n\ndef purge(cursor, uid):\n    cursor.execute("DELETE FROM t WHERE id = " + uid)\n'
    (tmp_path / "pkg" / "legacy.py").write_bytes(source.encode("latin-1"))
    assert ("pkg/legacy.py", 5, "DBS401") in flake8(tmp_path, "pkg")
    document = record(tmp_path, "pkg")
    assert {e["statement"] for e in document["findings"]} == {
        'cursor.execute("DELETE FROM t WHERE id="+uid)'
    }
    assert flake8(tmp_path, BASELINE, "pkg") == set()


@pytest.mark.slow
def test_baseline_filter_is_linear_in_findings_per_statement(tmp_path):
    """4,000 findings in one statement took 81 s with --dbsec-baseline (each
    finding normalized the whole statement); a 100 KB literal holding
    '://a:' runs took 6.6 s to mask. Generous bound: the plugin alone."""
    calls = ",\n".join("    session.flush()" for _ in range(4000))
    literal = repr("://a:" * 20_000)
    source = f"def f(session, cursor):\n  x = [\n{calls}\n  ]\n  cursor.execute({literal} + x)\n"
    write(tmp_path, source)
    document = record(tmp_path, "pkg")
    assert sum(e["count"] for e in document["findings"]) == 4001
    start = time.perf_counter()
    assert flake8(tmp_path, BASELINE, "pkg") == set()
    assert time.perf_counter() - start < 30
