"""``semgrep ci --config <repo>/semgrep-rules/`` offline, as the CI recipes run it.

What we found (semgrep 1.182): ``semgrep ci`` needs no login or token when
``--config`` is given; with ``SEMGREP_APP_TOKEN`` unset it scans the files
tracked by git, treats every finding of a local rule as blocking and exits 1
("Has findings for blocking rules"), 0 on a clean tree. It makes no network
connection with ``--metrics=off --disable-version-check``. It warns that
``git ls-remote`` finds no remote; harmless. By default it *suppresses
errors*: an invalid rule file still exits 0 ("no blocking findings");
``--no-suppress-errors`` makes that exit 7 (a target file with a syntax error
still passes), so the recipes and this test use it. The environment is cleaned of
CI variables (GITHUB_*, GITLAB_*, CI_*, SEMGREP_*) so the test behaves the same
inside a CI job, and the settings file is a temporary one so a developer's
``semgrep login`` cannot make it talk to semgrep.dev.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import RULES_DIR, tool

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
PACK_RULE = re.compile(r"\bdbs\d{3}-[a-z0-9-]+")
CI_PREFIXES = ("GITHUB_", "GITLAB_", "CI_", "SEMGREP_", "BITBUCKET_", "BUILDKITE", "CIRCLE")


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


def semgrep_ci(repo: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("semgrep"), "ci", "--config", str(RULES_DIR), "--no-suppress-errors",
         "--metrics=off", "--disable-version-check"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=600,
    )


def test_semgrep_ci_blocks_on_findings_and_passes_when_clean(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "app.py").write_text(VULNERABLE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "vulnerable")
    env = offline_env(tmp_path)

    blocked = semgrep_ci(repo, env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert PACK_RULE.search(output), output
    assert "blocking" in output.lower()

    (repo / "app.py").write_text(CLEAN)
    git(repo, "commit", "-q", "-am", "fixed")
    passed = semgrep_ci(repo, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
