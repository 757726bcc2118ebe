"""``flake8-dbsec-semgrep`` (scan mode, what the pre-commit hook runs) with real Semgrep.

Rule ids stay as the pack names them (plain ``semgrep`` prefixes them with
the rules directory), default-off rules are left out unless
``--extend-select``/``--all-rules`` names them, and a rule timeout, which
Semgrep itself reports only in its JSON output, fails the run with one line
per error. The error reporting is also unit-tested on Semgrep's JSON shapes.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from conftest import RULES_DIR, tool

from flake8_dbsec import semgrep_hook
from flake8_dbsec.catalog import DEFAULT_OFF, IMPLEMENTED, RULES

SAMPLE = '''\
def purge(cursor, uid):
    cursor.execute("DELETE FROM users WHERE id = " + uid)
'''
PACK_IDS = {rule.semgrep_id for rule in IMPLEMENTED.values()}
OFF_IDS = {RULES[code].semgrep_id for code in DEFAULT_OFF}
# A rule that matches four assignments in sequence: thousands of candidate
# quadruples in a 400-line file, far beyond a 1 s budget (2 s of Semgrep).
SLOW_RULE = '''\
rules:
- id: slow-rule
  languages: [python]
  severity: INFO
  message: slow
  patterns:
    - pattern: |
        $A = $X
        ...
        $B = $Y
        ...
        $C = $Z
        ...
        $D = $W
    - metavariable-comparison:
        comparison: $X + $Y + $Z + $W == 7
'''


def wrapper(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("flake8-dbsec-semgrep"), *args], cwd=cwd, capture_output=True, text=True,
        timeout=600,
    )


def rule_ids(path: Path) -> set:
    return {r["check_id"] for r in json.loads(path.read_text())["results"]}


@pytest.mark.slow
def test_rule_ids_and_default_off_rules(tmp_path: Path):
    (tmp_path / "app.py").write_text(SAMPLE)
    plain_json, ours_json, all_json = (tmp_path / n for n in ("plain.json", "ours.json", "all.json"))
    # plain semgrep, one rule of the pack: the id comes back with the path in front
    one_rule = RULES_DIR / f"{IMPLEMENTED['DBS401'].semgrep_id}.yaml"
    plain = subprocess.run(
        [tool("semgrep"), "scan", "--config", str(one_rule), "--metrics=off",
         "--disable-version-check", "--quiet", f"--json-output={plain_json}", "app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert plain.returncode == 0, plain.stderr
    (prefixed,) = rule_ids(plain_json)
    assert prefixed.endswith("." + one_rule.stem) and "semgrep" in prefixed, (
        f"plain semgrep no longer rewrites rule ids ({prefixed}): the wrapper's flag may go"
    )

    ours = wrapper("--quiet", f"--json-output={ours_json}", "app.py", cwd=tmp_path)
    assert ours.returncode == 1, ours.stdout + ours.stderr
    found = rule_ids(ours_json)
    assert found and found <= PACK_IDS, found
    assert one_rule.stem in found
    assert not found & OFF_IDS, "a default-off rule ran"

    turned_on = wrapper("--quiet", f"--extend-select={','.join(DEFAULT_OFF)}",
                        f"--json-output={all_json}", "app.py", cwd=tmp_path)
    assert turned_on.returncode == 1
    # the sample's DELETE is reported by a default-off rule, now turned on
    assert rule_ids(all_json) - found and rule_ids(all_json) - found <= OFF_IDS


@pytest.mark.slow
def test_a_rule_timeout_fails_with_one_line(tmp_path: Path):
    (tmp_path / "slow.yaml").write_text(SLOW_RULE)
    (tmp_path / "many.py").write_text("".join(f"v{i} = {i % 3}\n" for i in range(400)))
    plain = subprocess.run(
        [tool("semgrep"), "scan", "--config", "slow.yaml", "--timeout", "1", "--error",
         "--metrics=off", "--disable-version-check", "--quiet", "many.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert plain.returncode == 0, "Semgrep now fails on timeouts: revisit the wrapper"
    assert "timeout" not in (plain.stdout + plain.stderr).lower()

    result = wrapper("--quiet", "--config", "slow.yaml", "--timeout", "1", "many.py", cwd=tmp_path)
    assert result.returncode == semgrep_hook.ERROR_EXIT, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("flake8-dbsec-semgrep")]
    assert any("rule slow-rule timed out on many.py" in line for line in lines), result.stderr
    assert len(lines) == 2, lines  # the error, and what it means


# --- Semgrep's JSON errors, unit-tested --------------------------------------------

TIMEOUT = {"code": 2, "level": "warn", "type": "Timeout", "rule_id": "dbs401-sql-built-from-strings",
           "message": "Timeout when running dbs401-sql-built-from-strings on big.py:\n ",
           "path": "big.py"}
PARTIAL = {"code": 3, "level": "warn", "type": ["PartialParsing", [{"path": "new.py"}]],
           "message": "Syntax error at line new.py:3", "path": "new.py",
           "spans": [{"file": "new.py", "start": {"line": 3, "col": 1}}]}
RULE_ERROR = {"code": 7, "level": "error", "type": "InvalidRuleSchemaError",
              "message": "Invalid rule schema\n  one of the patterns is missing", "rule_id": "x"}


def test_timeouts_and_rule_errors_fail_parse_problems_only_warn():
    assert semgrep_hook.describe(TIMEOUT) == (True, (
        "error: rule dbs401-sql-built-from-strings timed out on big.py and did not check it "
        "(raise --timeout, or exclude the file)"))
    fails, line = semgrep_hook.describe(PARTIAL)
    assert not fails and line.startswith("warning: Semgrep could not fully parse new.py:3")
    fails, line = semgrep_hook.describe(RULE_ERROR)
    assert fails and "InvalidRuleSchemaError" in line and "\n" not in line

    out = io.StringIO()
    assert semgrep_hook.report_errors({"errors": [PARTIAL]}, out) is False
    assert out.getvalue().count("\n") == 1
    out = io.StringIO()
    assert semgrep_hook.report_errors({"errors": [TIMEOUT, TIMEOUT, PARTIAL]}, out) is True
    assert out.getvalue().count("\n") == 3  # one per distinct error, one summary
    assert semgrep_hook.report_errors({"errors": []}, io.StringIO()) is False


def test_wrapper_options_are_taken_out_and_the_rest_goes_to_semgrep():
    rest, selected, all_rules = semgrep_hook._take_selection(
        ["--quiet", "--extend-select=DBS303,DBS30", "--extend-select", "dbs1", "--all-rules", "a.py"])
    assert rest == ["--quiet", "a.py"] and selected == ["DBS303", "DBS30", "dbs1"] and all_rules
    assert semgrep_hook._json_output_of(["--json-output", "x.json"]) == "x.json"
    assert semgrep_hook._json_output_of(["--json-output=y.json"]) == "y.json"
    flags = semgrep_hook.pack_flags("ci")
    assert "--no-rewrite-rule-ids" in flags and "--no-suppress-errors" in flags
    assert semgrep_hook.default_off_exclusions(["dbs3", "dbs7"]) == []
    excluded = semgrep_hook.default_off_exclusions()
    assert excluded[1::2] == [RULES[code].semgrep_id for code in DEFAULT_OFF]
