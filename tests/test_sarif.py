"""``flake8 --format=dbsec-sarif``: real flake8 runs, output checked against the
official OASIS SARIF 2.1.0 schema.

The schema is kept unmodified in ``tests/data`` (with its OASIS notice in
``tests/data/README.md``) so that the validation runs in any clone, offline;
its SHA-256 is pinned below, and when the project's shared copy
(``../shared/data``) is beside the checkout the two must be identical."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SHARED, tool

from flake8_dbsec.catalog import IMPLEMENTED

pytestmark = pytest.mark.slow

SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
#: errata01, as published by OASIS.
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

SAMPLE = '''\
import sqlalchemy as sa

engine = sa.create_engine("postgresql://admin:hunter2@db/app")


def purge(cursor, uid):
    label = "é"; cursor.execute("DELETE FROM users WHERE id = " + uid)  # noqa: E702
    return label
'''
URL_LINE, EXECUTE_LINE = 3, 7


def schema_validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def run_sarif(tmp_path: Path, *args: str, source: str = SAMPLE) -> dict:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "app.py").write_text(source, encoding="utf-8")
    out = tmp_path / "out.sarif"
    proc = subprocess.run(
        [tool("flake8"), "--format=dbsec-sarif", f"--output-file={out}", *args, "src/app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    if "--tee" in args:
        assert all(line.startswith("src/app.py:") for line in proc.stdout.splitlines())
        assert "DBS501" in proc.stdout, "--tee prints flake8's text lines"
    else:
        assert proc.stdout == "", "SARIF goes to --output-file only"
    return json.loads(out.read_text(encoding="utf-8"))


def assert_valid(log: dict) -> None:
    errors = sorted(schema_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def results_by_rule(log: dict) -> dict:
    return {r["ruleId"]: r for r in log["runs"][0]["results"]}


def test_dbs_findings_are_valid_sarif_with_catalog_rules(tmp_path):
    log = run_sarif(tmp_path, "--select=DBS")
    assert_valid(log)
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "flake8-dbsec"
    assert driver["version"] and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert {r["id"] for r in rules} >= set(IMPLEMENTED)
    for descriptor in rules:
        catalog = IMPLEMENTED[descriptor["id"]]
        assert descriptor["name"] == catalog.semgrep_id
        assert descriptor["shortDescription"]["text"] == catalog.title
        assert descriptor["help"]["text"] and descriptor["help"]["markdown"]
        assert descriptor["helpUri"].endswith(f"docs/rules/{catalog.code}.md")
        assert descriptor["defaultConfiguration"]["level"] == catalog.severity
        tags = descriptor["properties"]["tags"]
        assert "security" in tags
        assert catalog.kind in tags  # bug | policy
        assert {f"external/cwe/cwe-{n}" for n in catalog.cwe} <= set(tags)

    found = results_by_rule(log)
    assert {"DBS501", "DBS401"} <= set(found)
    for code, result in found.items():
        assert code.startswith("DBS")
        assert rules[result["ruleIndex"]]["id"] == code
        assert result["level"] == IMPLEMENTED[code].severity
        assert result["message"]["text"]
    location = found["DBS501"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {
        "startLine": URL_LINE,
        "startColumn": SAMPLE.splitlines()[URL_LINE - 1].index('"postgresql') + 1,
    }
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_column_counts_code_points_not_utf8_bytes(tmp_path):
    """The AST reports UTF-8 byte offsets; SARIF says unicodeCodePoints."""
    log = run_sarif(tmp_path, "--select=DBS401")
    region = results_by_rule(log)["DBS401"]["locations"][0]["physicalLocation"]["region"]
    line = SAMPLE.splitlines()[EXECUTE_LINE - 1]
    assert region == {"startLine": EXECUTE_LINE, "startColumn": line.index("cursor.") + 1}
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_other_plugins_findings_get_a_minimal_rule(tmp_path):
    source = SAMPLE + "\n" + "LONG = '" + "x" * 100 + "'\n"
    log = run_sarif(tmp_path, "--select=DBS,E501", source=source)
    assert_valid(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    e501 = results_by_rule(log)["E501"]
    assert rules[e501["ruleIndex"]]["id"] == "E501"
    assert e501["level"] == "warning"


def test_tee_prints_text_and_still_writes_the_sarif_file(tmp_path):
    log = run_sarif(tmp_path, "--select=DBS", "--tee")
    assert_valid(log)
    assert "DBS501" in results_by_rule(log)


def test_clean_run_and_rerun_overwrite_the_file(tmp_path):
    run_sarif(tmp_path, "--select=DBS")
    log = run_sarif(tmp_path, "--select=DBS", source="x = 1\n")
    assert_valid(log)
    assert log["runs"][0]["results"] == []


def test_schema_copy_is_the_official_file_unmodified():
    """The OASIS notice forbids modifying the schema: the copy is byte-identical."""
    data = SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    assert b"errata01" in data
    notice = (SCHEMA.parent / "README.md").read_text(encoding="utf-8")
    assert "Copyright \u00a9 OASIS Open" in notice and "OASIS IPR Policy" in notice
    shared = SHARED / "data" / SCHEMA.name
    if shared.is_file():  # the project's shared copy, where it is beside the checkout
        assert shared.read_bytes() == data


# --- partialFingerprints: the baseline's statement key, not the line --------------

FINGERPRINT = "dbsecStatement/v1"
TWO_DELETES = '''\
import logging

LOG = logging.getLogger(__name__)


def purge(cursor, uid, consumer_uuid):
    LOG.debug("purging %s", consumer_uuid)
    cursor.execute("DELETE FROM users WHERE id = " + uid)
    cursor.execute("DELETE FROM users WHERE id = " + uid)
'''
# Unrelated edits: lines added above, a comment, the statement re-wrapped and
# re-indented inside a new block.
EDITED = '''\
"""A module docstring added later."""
import logging

LOG = logging.getLogger(__name__)
EXTRA = 1


def purge(cursor, uid, consumer_uuid):
    # a comment nobody reads
    LOG.debug("purging %s", consumer_uuid)  # still logged
    if True:
        cursor.execute(
            "DELETE FROM users WHERE id = " + uid,
        )
    cursor.execute("DELETE FROM users WHERE id = " + uid)
'''


def fingerprints(log: dict) -> list:
    """(ruleId, fingerprint) of every result, sorted."""
    return sorted(
        (r["ruleId"], r["partialFingerprints"][FINGERPRINT]) for r in log["runs"][0]["results"]
    )


def test_fingerprints_follow_the_statement_not_the_line(tmp_path):
    before = run_sarif(tmp_path, "--select=DBS", source=TWO_DELETES)
    assert_valid(before)
    found = fingerprints(before)
    assert {code for code, _ in found} >= {"DBS101", "DBS201", "DBS401"}
    assert len(set(found)) == len(found), "two identical statements share a fingerprint"

    after = run_sarif(tmp_path, "--select=DBS", source=EDITED)
    assert_valid(after)
    assert fingerprints(after) == found
    lines = {r["locations"][0]["physicalLocation"]["region"]["startLine"]
             for r in after["runs"][0]["results"]}
    assert lines != {r["locations"][0]["physicalLocation"]["region"]["startLine"]
                     for r in before["runs"][0]["results"]}

    changed = run_sarif(tmp_path, "--select=DBS",
                        source=TWO_DELETES.replace("purging %s", "removing %s"))
    moved = set(fingerprints(changed)) ^ set(found)
    assert {code for code, _ in moved} == {"DBS201"}, "only the edited statement changes"


def test_fingerprints_of_stdin_match_the_file(tmp_path):
    """Editors and pipelines lint a buffer: same key as linting the saved file."""
    from_file = run_sarif(tmp_path, "--select=DBS", source=TWO_DELETES)
    (tmp_path / "src" / "app.py").write_text("# the saved file differs from the buffer\n")
    proc = subprocess.run(
        [tool("flake8"), "--format=dbsec-sarif", "--select=DBS",
         "--stdin-display-name=src/app.py", "-"],
        cwd=tmp_path, input=TWO_DELETES, capture_output=True, text=True, timeout=120,
    )
    from_stdin = json.loads(proc.stdout)
    assert_valid(from_stdin)
    assert fingerprints(from_stdin) == fingerprints(from_file)


def test_file_name_that_is_not_utf8(tmp_path):
    """A file name with bytes that are not UTF-8 (Linux allows them) gives a
    percent-encoded URI, a fingerprint of the name's bytes and a complete
    log; it was a traceback and an empty file (issue 16)."""
    name = os.fsdecode(b"caf\xe9.py")
    (tmp_path / name).write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "out.sarif"
    proc = subprocess.run(
        [tool("flake8"), "--select=DBS", "--format=dbsec-sarif", f"--output-file={out}", "--tee", "."],
        cwd=tmp_path, capture_output=True, timeout=120,
    )
    assert proc.returncode == 1 and proc.stderr == b"", proc.stderr
    assert proc.stdout.startswith(b"./caf\xe9.py:")  # --tee: the name's own bytes
    log = json.loads(out.read_text(encoding="utf-8"))
    assert_valid(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    assert uris == {"caf%E9.py"}
