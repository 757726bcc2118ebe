"""The Semgrep engine against the same fixtures, and parity with the catalog."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml  # semgrep depends on ruamel, pre-commit on pyyaml
from annotations import read_annotations
from conftest import RULES_DIR, tool

from flake8_dbsec.catalog import FULL, IMPLEMENTED, NONE, PARTIAL

pytestmark = pytest.mark.slow

SEMGREP_FLAGS = ["--metrics=off", "--disable-version-check"]
SEMGREP_RULES = [r for r in IMPLEMENTED.values() if r.semgrep != NONE]


def rule_yaml(rule_id: str) -> Path:
    return RULES_DIR / f"{rule_id}.yaml"


def test_catalog_and_rule_files_agree():
    yaml_ids = {p.stem for p in RULES_DIR.glob("*.yaml")}
    declared = {r.semgrep_id for r in SEMGREP_RULES}
    assert yaml_ids == declared, (
        f"YAML without catalog entry: {sorted(yaml_ids - declared)}; "
        f"catalog entries without YAML: {sorted(declared - yaml_ids)}"
    )


@pytest.mark.parametrize("rule", SEMGREP_RULES, ids=lambda r: r.code)
def test_rule_metadata(rule):
    doc = yaml.safe_load(rule_yaml(rule.semgrep_id).read_text())
    (entry,) = doc["rules"]
    assert entry["id"] == rule.semgrep_id
    meta = entry["metadata"]
    for key in ("cwe", "category", "subcategory", "technology", "likelihood",
                "impact", "confidence", "references"):
        assert meta.get(key), f"{rule.semgrep_id}: metadata.{key} missing"
    assert meta["flake8-code"] == rule.code
    assert meta["flake8-kind"] == rule.kind
    cwes = " ".join(meta["cwe"])
    for number in rule.cwe:
        assert f"CWE-{number}:" in cwes
    if rule.owasp:
        assert meta.get("owasp"), f"{rule.semgrep_id}: metadata.owasp missing"
    assert meta["likelihood"] == rule.likelihood
    assert meta["impact"] == rule.impact


@pytest.mark.parametrize("rule", SEMGREP_RULES, ids=lambda r: r.code)
def test_coverage_declared_honestly(rule):
    """partial <=> the fixture carries todo annotations; every partial has a reason."""
    annotations = read_annotations(RULES_DIR / f"{rule.semgrep_id}.py")
    todos = [a for a in annotations if a.kind.startswith("todo")]
    if rule.semgrep == FULL:
        assert not todos, f"{rule.code} is declared full but has todo annotations"
    else:
        assert rule.semgrep == PARTIAL
        assert rule.semgrep_reason
        assert todos, f"{rule.code} is declared partial but no todo annotation shows where"


@pytest.mark.parametrize("rule", SEMGREP_RULES, ids=lambda r: r.code)
def test_semgrep_passes_fixture(rule):
    result = subprocess.run(
        [tool("semgrep"), "--test", *SEMGREP_FLAGS,
         "--config", str(rule_yaml(rule.semgrep_id)),
         str(RULES_DIR / f"{rule.semgrep_id}.py")],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "All tests passed" in result.stdout + result.stderr


@pytest.mark.parametrize("rule", SEMGREP_RULES, ids=lambda r: r.code)
def test_todo_annotations_describe_semgrep_today(rule):
    """``semgrep --test`` accepts a todo line whatever Semgrep does there; this
    holds each one to what it claims: a ``todook`` line is reported by Semgrep
    today (else it is ``ok``), a ``todoruleid`` line is not (else ``ruleid``)."""
    fixture = RULES_DIR / f"{rule.semgrep_id}.py"
    result = subprocess.run(
        [tool("semgrep"), "scan", *SEMGREP_FLAGS, "--json", "--quiet",
         "--config", str(rule_yaml(rule.semgrep_id)), str(fixture)],
        capture_output=True, text=True, timeout=300,
    )
    report = json.loads(result.stdout)
    matched = {r["start"]["line"] for r in report["results"]
               if r["check_id"].rsplit(".", 1)[-1] == rule.semgrep_id}
    wrong = []
    for a in read_annotations(fixture):
        if a.rule_id != rule.semgrep_id:
            continue
        if a.kind == "todook" and a.line not in matched:
            wrong.append(f"line {a.line}: todook, but Semgrep does not report it (make it ok)")
        if a.kind == "todoruleid" and a.line in matched:
            wrong.append(f"line {a.line}: todoruleid, but Semgrep reports it (make it ruleid)")
    assert not wrong, "\n".join(wrong)


def test_rules_load_without_errors(tmp_path):
    """Offline stand-in for ``semgrep --validate`` (which fetches lint rules)."""
    (tmp_path / "empty.py").write_text("x = 1\n")
    result = subprocess.run(
        [tool("semgrep"), "scan", *SEMGREP_FLAGS, "--strict", "--json",
         "--config", str(RULES_DIR), str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert len({r for r in report.get("results", [])}) == 0


SESSION_MODULES = {
    # no login, no cookie: a chat session's id is a record key
    "chat.py": (
        "import logging\n\nLOG = logging.getLogger(__name__)\n\n\n"
        "def resume(session_id, user):\n"
        "    LOG.debug('Continuing session: %s', session_id)\n"
        "    LOG.info(f'Session {session_id} resumed for {user}')\n"
        "    LOG.info('resumed', session_key=session_id)\n"
        "    LOG.info('resumed %(session_id)s', {'session_id': session_id})\n"
        "    LOG.debug('token %s', user.token)\n"
    ),
    # logs in: its session id is the credential
    "auth.py": (
        "import logging\n\nLOG = logging.getLogger(__name__)\n\n\n"
        "def login(client, user):\n"
        "    session_id = client.post('/api/login', user)\n"
        "    LOG.debug('Logged in, session %s', session_id)\n"
    ),
}


def test_session_names_need_code_that_authenticates_in_both_engines(tmp_path):
    """Whether a module authenticates is a fact about the whole file, which the
    one-fixture-per-rule layout cannot vary, so both engines run here on two
    real modules and must agree: the login module's session id is reported,
    the chat module's are not (its token is)."""
    for name, text in SESSION_MODULES.items():
        (tmp_path / name).write_text(text)
    expected = {("auth.py", 8), ("chat.py", 11)}
    flake8 = subprocess.run(
        [tool("flake8"), "--select", "DBS202", "--format", "%(path)s:%(row)d", "chat.py", "auth.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert {(Path(p).name, int(n)) for p, n in
            (line.rsplit(":", 1) for line in flake8.stdout.split())} == expected
    rule = next(r for r in SEMGREP_RULES if r.code == "DBS202")
    semgrep = subprocess.run(
        [tool("semgrep"), "scan", *SEMGREP_FLAGS, "--json", "--quiet",
         "--config", str(rule_yaml(rule.semgrep_id)), "chat.py", "auth.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    report = json.loads(semgrep.stdout)
    assert {(Path(r["path"]).name, r["start"]["line"]) for r in report["results"]} == expected
