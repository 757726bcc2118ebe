"""``flake8-dbsec-semgrep ci`` (``semgrep ci`` with the pack) offline, as the CI recipes run it.

What we found (semgrep 1.187): ``semgrep ci`` needs no login or token when
``--config`` is given; with ``SEMGREP_APP_TOKEN`` unset it scans the files of
the git work tree that git does not ignore (untracked ones too), treats every
finding of a local rule as blocking and exits 1 ("Has findings for blocking
rules"), 0 on a clean tree. It makes no network connection with
``--metrics=off --disable-version-check``. It warns that ``git ls-remote``
finds no remote; harmless. By default it *suppresses errors* (an invalid rule
file still exits 0); the wrapper passes ``--no-suppress-errors``. A rule
timeout leaves its exit code at 0; the wrapper exits 2. The environment is
cleaned of CI variables (GITHUB_*, GITLAB_*, CI_*, SEMGREP_*) so the test
behaves the same inside a CI job, and the settings file is a temporary one so
a developer's ``semgrep login`` cannot make it talk to semgrep.dev.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import tool
from test_semgrep_wrapper import OFF_IDS, PACK_IDS, SLOW_RULE

pytestmark = pytest.mark.slow

VULNERABLE = '''\
import sqlalchemy as sa

engine = sa.create_engine("postgresql://admin:hunter2@db/app")


def purge(cursor, uid):
    cursor.execute("DELETE FROM users WHERE id = " + uid)
'''
CLEAN = '''\
import os

import sqlalchemy as sa

engine = sa.create_engine(os.environ["DATABASE_URL"])
'''
CI_PREFIXES = ("GITHUB_", "GITLAB_", "CI_", "SEMGREP_", "BITBUCKET_", "BUILDKITE", "CIRCLE")
EXCLUDES = ("--exclude=tests", "--exclude=test", "--exclude=migrations")


def offline_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(CI_PREFIXES) and k != "CI"}
    env.update(
        SEMGREP_ENABLE_VERSION_CHECK="0",
        SEMGREP_SEND_METRICS="off",
        SEMGREP_SETTINGS_FILE=str(tmp_path / "semgrep-settings.yml"),
    )
    return env


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def wrapper_ci(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("flake8-dbsec-semgrep"), "ci", *args],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600,
    )


def sarif_results(path: Path) -> set:
    log = json.loads(path.read_text())
    return {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in log["runs"][0]["results"]
    }


def test_ci_blocks_on_findings_and_passes_when_clean(tmp_path):
    repo = tmp_path / "repo"
    for name in ("app.py", "tests/test_app.py", "pkg/migrations/0001_init.py"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(VULNERABLE)
    git(repo, "init", "-q")
    (repo / ".gitignore").write_text("ignored.py\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "vulnerable")
    (repo / "untracked.py").write_text(VULNERABLE)
    (repo / "ignored.py").write_text(VULNERABLE)
    env = offline_env(tmp_path)

    sarif = tmp_path / "semgrep.sarif"
    blocked = wrapper_ci(repo, env, *EXCLUDES, f"--sarif-output={sarif}")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "blocking" in output.lower()
    found = sarif_results(sarif)
    assert {rule for rule, _ in found} <= PACK_IDS, "rule ids are not the pack's"
    assert not {rule for rule, _ in found} & OFF_IDS, "a default-off rule ran"
    assert {path for _, path in found} == {"app.py", "untracked.py"}, found

    for name in ("app.py", "tests/test_app.py", "pkg/migrations/0001_init.py", "untracked.py"):
        (repo / name).write_text(CLEAN)
    git(repo, "commit", "-q", "-am", "fixed")
    passed = wrapper_ci(repo, env, *EXCLUDES)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_ci_fails_on_a_rule_timeout(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "many.py").write_text("".join(f"v{i} = {i % 3}\n" for i in range(400)))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "many")
    (tmp_path / "slow.yaml").write_text(SLOW_RULE)
    result = wrapper_ci(repo, offline_env(tmp_path), "--config", str(tmp_path / "slow.yaml"),
                        "--timeout", "1")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "rule slow-rule timed out on many.py" in result.stderr
