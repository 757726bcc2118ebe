"""``.pre-commit-hooks.yaml`` proven with ``pre-commit try-repo``.

pre-commit installs a hook repository from a git commit, so the working tree
(uncommitted files included) is copied into a temporary git repository and
committed there; the sample project is another temporary git repository. Both
hooks run in one ``try-repo`` call (each gets its own environment: installing
Semgrep into it is the slow part), then again, from the cached environments, on
the fixed sample.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Dict

import pytest
import yaml
from conftest import ROOT, RULES_DIR, tool

from flake8_dbsec.catalog import DEFAULT_OFF

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"

VULNERABLE = '''\
def purge(cursor, uid):
    cursor.execute("DELETE FROM users WHERE id = " + uid)
'''
FIXED = '''\
import sqlite3


def purge(cursor, uid):
    try:
        cursor.execute("DELETE FROM users WHERE id = ?", (uid,))
    except sqlite3.Error:
        raise
    return cursor.rowcount
'''


def hooks() -> Dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS_FILE.read_text())}


def test_manifest_declares_both_hooks_and_keeps_default_off_codes_off():
    manifest = hooks()
    assert set(manifest) == {"flake8-dbsec", "semgrep-dbsec"}
    flake8_hook, semgrep_hook = manifest["flake8-dbsec"], manifest["semgrep-dbsec"]
    assert flake8_hook["entry"] == "flake8" and flake8_hook["language"] == "python"
    assert "--select=DBS" in flake8_hook["args"]
    assert f"--extend-ignore={','.join(DEFAULT_OFF)}" in flake8_hook["args"]
    assert semgrep_hook["entry"] == "flake8-dbsec-semgrep"
    assert any(dep.startswith("semgrep") for dep in semgrep_hook["additional_dependencies"])
    for hook in manifest.values():
        assert hook["types"] == ["python"]


def test_semgrep_entry_point_finds_the_pack():
    from flake8_dbsec.semgrep_hook import rules_path

    found = rules_path()
    assert found is not None and found.resolve() == RULES_DIR.resolve()
    assert {p.name for p in found.glob("*.yaml")} == {p.name for p in RULES_DIR.glob("*.yaml")}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def snapshot_of_working_tree(destination: Path) -> Path:
    """Tracked and untracked (not ignored) files of ROOT, committed in a new repo."""
    listing = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    destination.mkdir()
    for name in filter(None, listing.split("\0")):
        source, target = ROOT / name, destination / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
    git(destination, "init", "-q")
    commit_all(destination, "snapshot")
    return destination


def try_repo(hook_repo: Path, sample: Path, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "SEMGREP_APP"))}
    env.update(PRE_COMMIT_HOME=str(home), SEMGREP_ENABLE_VERSION_CHECK="0",
               SEMGREP_SEND_METRICS="off", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run(
        [tool("pre-commit"), "try-repo", str(hook_repo), "--all-files", "--color=never"],
        cwd=sample, env=env, capture_output=True, text=True, timeout=1200,
    )


@pytest.mark.slow
def test_try_repo_runs_both_hooks_on_a_sample_repo(tmp_path):
    hook_repo = snapshot_of_working_tree(tmp_path / "hooks")
    sample = tmp_path / "sample"
    sample.mkdir()
    git(sample, "init", "-q")
    (sample / "app.py").write_text(VULNERABLE)
    (sample / "notes.txt").write_text('cursor.execute("DELETE FROM t WHERE id = " + uid)\n')
    commit_all(sample, "vulnerable")

    failed = try_repo(hook_repo, sample, tmp_path / "pre-commit-home")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "flake8-dbsec" in output and "semgrep-dbsec" in output
    assert "app.py:2:5: DBS401" in output, output
    assert re.search(r"\bdbs\d{3}-[a-z0-9-]+", output), "no Semgrep pack rule fired"
    assert "notes.txt" not in output

    (sample / "app.py").write_text(FIXED)
    commit_all(sample, "fixed")
    passed = try_repo(hook_repo, sample, tmp_path / "pre-commit-home")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert output.count("Passed") == 2, output
