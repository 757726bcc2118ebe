"""flake8 itself, as a real subprocess, on real files: how users and editors run it.

Default selection, ``--extend-select``, ``noqa``, options from every config
file flake8 reads, bad option values, ``-j 2``, stdin, and the ``extend-ignore``
prefix pitfall.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import List, Optional, Set, Tuple

import pytest
from conftest import ROOT, tool

pytestmark = pytest.mark.slow

FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>DBS\d{3}) ")

SAMPLE = '''\
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


def bump_generation(context, consumer_uuid, generation):
    LOG.debug("bumping consumer %s", consumer_uuid)
    upd = CONSUMERS.update().where(
        CONSUMERS.c.uuid == consumer_uuid, CONSUMERS.c.generation == generation
    ).values(generation=generation + 1)
    context.session.execute(upd)


def delete_consumer(context, consumer_uuid):
    query = context.session.query(Consumer)
    query.filter_by(uuid=consumer_uuid).delete()
'''

# Clean by default; each function is changed by one --dbsec-* option.
CONFIGURABLE = '''\
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


@sql.handle_conflicts
def create(context, values):
    context.session.flush()


def save_all(store):
    store.flush()


def show(consumer_id):
    LOG.debug("consumer %s", consumer_id)
'''


def line_of(source: str, text: str) -> int:
    for number, line in enumerate(source.splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in source")


LOG_LINE = line_of(SAMPLE, "LOG.debug")
EXECUTE_LINE = line_of(SAMPLE, "context.session.execute(upd)")
DELETE_LINE = line_of(SAMPLE, ".delete()")


def flake8(
    *args: str, cwd: Path, stdin: Optional[str] = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("flake8"), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def findings(result: subprocess.CompletedProcess) -> Set[Tuple[str, int, str]]:
    """(path, line, code) of every DBS finding flake8 printed."""
    assert "Traceback" not in result.stderr, result.stderr
    found = set()
    for line in result.stdout.splitlines():
        match = FINDING.match(line)
        if match:
            found.add((match["path"], int(match["line"]), match["code"]))
    return found


def codes_at(found: Set[Tuple[str, int, str]], line: int) -> Set[str]:
    return {code for _, at, code in found if at == line}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    (tmp_path / "consumer.py").write_text(SAMPLE)
    return tmp_path


def test_plain_flake8_reports_default_codes(sample: Path):
    result = flake8("consumer.py", cwd=sample)
    found = findings(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert codes_at(found, LOG_LINE) == {"DBS201"}
    assert codes_at(found, EXECUTE_LINE) == {"DBS101", "DBS302"}
    assert codes_at(found, DELETE_LINE) == {"DBS101"}, "DBS303 is off by default"


def test_extend_select_turns_on_dbs303(sample: Path):
    found = findings(flake8("--extend-select", "DBS303", "consumer.py", cwd=sample))
    assert codes_at(found, DELETE_LINE) == {"DBS101", "DBS303"}
    assert codes_at(found, EXECUTE_LINE) == {"DBS101", "DBS302"}


def test_noqa_on_the_first_line_silences_only_that_code(tmp_path: Path):
    source = SAMPLE.replace(
        "context.session.execute(upd)", "context.session.execute(upd)  # noqa: DBS101"
    )
    (tmp_path / "consumer.py").write_text(source)
    found = findings(flake8("consumer.py", cwd=tmp_path))
    assert codes_at(found, EXECUTE_LINE) == {"DBS302"}
    assert codes_at(found, LOG_LINE) == {"DBS201"}


CONFIG_OPTIONS = """\
[flake8]
dbsec-handler-decorators = handle_conflicts, oslo_db.api.other_decorator
dbsec-session-pattern = store|session
dbsec-identifier-pattern = (?i)(uuids?|_id)$
"""


@pytest.mark.parametrize("config_file", [".flake8", "setup.cfg", "tox.ini"])
def test_options_from_config_file(tmp_path: Path, config_file: str):
    (tmp_path / "module.py").write_text(CONFIGURABLE)
    before = findings(flake8("module.py", cwd=tmp_path))
    (tmp_path / config_file).write_text(CONFIG_OPTIONS)
    after = findings(flake8("module.py", cwd=tmp_path))

    def at(found, text):
        return codes_at(found, line_of(CONFIGURABLE, text))

    assert at(before, "context.session.flush()") == {"DBS101"}
    assert at(after, "context.session.flush()") == set(), "handler decorator ignored"
    assert at(before, "store.flush()") == set()
    assert at(after, "store.flush()") == {"DBS101"}, "session pattern ignored"
    assert at(before, "LOG.debug") == set()
    assert at(after, "LOG.debug") == {"DBS201"}, "identifier pattern ignored"


@pytest.mark.parametrize(
    "how", ["command line", "config file"], ids=["cli", "config"]
)
def test_bad_option_value_is_one_clear_line(sample: Path, how: str):
    if how == "command line":
        result = flake8("--dbsec-session-pattern", "(", "consumer.py", cwd=sample)
    else:
        (sample / "setup.cfg").write_text("[flake8]\ndbsec-session-pattern = (\n")
        result = flake8("consumer.py", cwd=sample)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "--dbsec-session-pattern" in lines[0]
    assert "regular expression" in lines[0]
    assert result.stdout == ""


def test_parallel_jobs_give_the_same_findings(tmp_path: Path):
    for number in range(6):
        package = tmp_path / f"pkg{number}"
        package.mkdir()
        (package / "consumer.py").write_text(SAMPLE)
        (package / "configurable.py").write_text(CONFIGURABLE)
    (tmp_path / "example.py").write_text(
        (ROOT / "examples" / "consumer_example.py").read_text()
    )
    args = ("--extend-select", "DBS303", "--dbsec-session-pattern", "store|session", ".")
    serial = findings(flake8("-j", "1", *args, cwd=tmp_path))
    parallel = findings(flake8("-j", "2", *args, cwd=tmp_path))
    assert serial == parallel
    files = {path for path, _, _ in serial}
    assert len(files) == 13, sorted(files)
    assert {code for _, _, code in serial} >= {"DBS101", "DBS201", "DBS302", "DBS303"}


def test_stdin_with_display_name(tmp_path: Path):
    """How editors (pylsp, VS Code) call flake8 on an unsaved buffer."""
    result = flake8(
        "--stdin-display-name", "placement/objects/consumer.py", "-",
        cwd=tmp_path, stdin=SAMPLE,
    )
    found = findings(result)
    assert {path for path, _, _ in found} == {"placement/objects/consumer.py"}
    assert codes_at(found, EXECUTE_LINE) == {"DBS101", "DBS302"}
    assert codes_at(found, LOG_LINE) == {"DBS201"}


@pytest.mark.parametrize(
    "ignore, silenced",
    [("D", True), ("D1,D2,D3,D4", False), ("D100,D101,D102", False)],
)
def test_extend_ignore_prefix_pitfall(sample: Path, ignore: str, silenced: bool):
    """``extend-ignore = D`` (meant for pydocstyle) silences every DBS code."""
    (sample / "setup.cfg").write_text(f"[flake8]\nextend-ignore = {ignore}\n")
    found = findings(flake8("consumer.py", cwd=sample))
    if silenced:
        assert found == set()
    else:
        assert codes_at(found, EXECUTE_LINE) == {"DBS101", "DBS302"}


def test_example_module_has_the_advertised_findings():
    """The README's first command lints this file; keep its findings real."""
    found = findings(flake8("--select", "DBS", "examples/", cwd=ROOT))
    codes: List[str] = sorted({code for _, _, code in found})
    for code in ("DBS101", "DBS102", "DBS201", "DBS202", "DBS302"):
        assert code in codes, f"{code} missing from examples/: {codes}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = {
        (m["path"], int(m["line"]), m["code"])
        for m in map(FINDING.match, readme.splitlines())
        if m and m["path"].startswith("examples/")
    }
    assert shown == found, "the README shows other findings than flake8 gives"
