"""Every command the README and ``docs/`` show, run as written where it can run offline.

The commands are read from the Markdown (``sh`` blocks, GitHub Actions
``run:`` steps, GitLab ``script:`` lines), never copied here, and each one is
either run or listed in :data:`NOT_RUN` with the reason. A new recipe in the
docs fails :func:`test_every_documented_command_is_run_or_explained` until
it is one or the other.

Each command runs in a fresh git repository holding the README's
recommended ``[flake8]`` exclude set and, with the same findings in every
file, Python files in a package and in ``tests``, ``test`` and ``migrations``
directories at two depths. Every recipe must exit 1, report only rule ids
the pack defines (no path prefix) and no default-off code, and report
exactly the files outside those directories: the flake8 and the Semgrep
recipes check the same files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest
import yaml
from conftest import ROOT, RULES_DIR
from test_precommit import readme_precommit_config
from test_semgrep_ci import offline_env
from test_semgrep_wrapper import OFF_IDS, PACK_IDS

from flake8_dbsec import docgen
from flake8_dbsec.catalog import DEFAULT_OFF, IMPLEMENTED

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

#: documented commands not run here, and why (matched as prefixes)
NOT_RUN = {
    "pip install": "installs from the package index; the test environment has the packages",
    "python3 -m venv .venv": "the README's first command: test_cli_flake8 and the wheel "
                             "test in test_cli_main check its output",
    ".venv/bin/pip install -e '.[test]'": "the README's test command: .ci/run runs it",
    "python -m flake8_dbsec baseline nova/": "needs a nova checkout; test_baseline.py "
                                             "records and applies baselines",
    "python benchmarks/": "benchmark and corpus procedures (accuracy, performance, "
                          "robustness, reviewed-module pages): they download release sources "
                          "from the package index and run for minutes; "
                          "test_benchmarks_unit.py covers their code",
}
#: documented pre-commit configurations and where they are run (or why not)
PRECOMMIT_CONFIGS = {
    "https://github.com/flake8-dbsec/flake8-dbsec":
        "run by test_precommit.py::test_readme_config_both_hooks_check_the_same_files",
    "https://github.com/PyCQA/flake8": "not run: installs flake8 from GitHub",
    "https://opendev.org/openstack/hacking": "not run: installs hacking from opendev.org",
}

VULNERABLE = '''\
import sqlalchemy as sa

engine = sa.create_engine("postgresql://admin:hunter2@db/app")


def purge(cursor, uid):
    cursor.execute("DELETE FROM users WHERE id = " + uid)
'''
CHECKED_IN_SRC = ("src/app.py", "src/pkg/service.py", "src/pkg/contest.py")
CHECKED = CHECKED_IN_SRC + ("manage.py",)
EXCLUDED = ("tests/test_top.py", "test/test_x.py", "migrations/0001_initial.py",
            "src/tests/test_app.py", "src/pkg/test/test_y.py",
            "src/migrations/versions/002_add.py")


# --- reading the docs ----------------------------------------------------------------


def fenced_blocks(text: str) -> List[Tuple[str, str]]:
    return re.findall(r"^ *```(\w*)\n(.*?)^ *```", text, re.S | re.M)


def shell_lines(block: str) -> List[str]:
    """The commands of a shell block: continuations joined, comments dropped."""
    commands = []
    for line in re.sub(r"\\\n\s*", " ", block).splitlines():
        line = re.sub(r"\s+#.*$", "", line).strip()
        if line and not line.startswith("#"):
            commands.append(" ".join(line.split()))
    return commands


def yaml_commands(document: object) -> List[str]:
    """``run:`` steps (GitHub Actions) and ``script:`` lines (GitLab CI)."""
    found: List[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "run" and isinstance(value, str):
                found.append(" ".join(value.split()))
            elif key == "script" and isinstance(value, list):
                found += [" ".join(str(item).split()) for item in value]
            else:
                found += yaml_commands(value)
    elif isinstance(document, list):
        for item in document:
            found += yaml_commands(item)
    return found


def documented() -> Tuple[Dict[str, List[str]], List[str]]:
    """({command: [where it is shown]}, [repo URLs of pre-commit configurations])."""
    commands: Dict[str, List[str]] = {}
    repos: List[str] = []
    for doc in DOCS:
        for lang, block in fenced_blocks(doc.read_text(encoding="utf-8")):
            if lang in ("sh", "bash", "shell", "console"):
                found = shell_lines(block)
            elif lang in ("yaml", "yml"):
                document = yaml.safe_load(block)
                if isinstance(document, dict) and "repos" in document:
                    document = document["repos"]
                if isinstance(document, list) and all(
                    isinstance(item, dict) and "repo" in item for item in document
                ):  # a .pre-commit-config.yaml, or the repos: entries of one
                    repos += [repo["repo"] for repo in document]
                    continue
                found = yaml_commands(document)
            else:
                continue
            for command in found:
                commands.setdefault(command, []).append(doc.name)
    return commands, repos


COMMANDS, PRECOMMIT_REPOS = documented()


def not_run_reason(command: str) -> str:
    return next((why for prefix, why in NOT_RUN.items() if command.startswith(prefix)), "")


RUNNABLE = sorted(c for c in COMMANDS if not not_run_reason(c))


def test_every_documented_command_is_run_or_explained():
    assert RUNNABLE, "no recipe found in the docs"
    for command in RUNNABLE:
        assert command.split()[0] in ("flake8", "flake8-dbsec", "flake8-dbsec-semgrep", "semgrep"), (
            f"{command!r} ({COMMANDS[command]}): run it in this test or add it to NOT_RUN"
        )
    assert set(PRECOMMIT_REPOS) == set(PRECOMMIT_CONFIGS), PRECOMMIT_REPOS
    for prefix in NOT_RUN:
        assert any(c.startswith(prefix) for c in COMMANDS), f"stale NOT_RUN entry {prefix!r}"
    semgrep = [c for c in RUNNABLE if "semgrep" in c.split()[0]]
    assert any(" ci" in c for c in semgrep) and any(c.startswith("semgrep scan") for c in semgrep)


def test_every_semgrep_recipe_walking_a_tree_leaves_out_the_exclude_set():
    excludes = {f"--exclude={name}" for name in docgen.EXCLUDED_DIRS}
    for command in RUNNABLE:
        if "semgrep" in command.split()[0] and "--rules-path" not in command:
            assert excludes <= set(command.split()), command
    patterns = ",".join(f"{name}/*,*/{name}/*" for name in docgen.EXCLUDED_DIRS)
    assert f"per-file-ignores = {patterns}:DBS" in flake8_exclude_config()
    assert f"per-file-ignores = {patterns}:DBS" in (ROOT / "docs" / "ci.md").read_text()
    regex = "(^|/)(" + "|".join(docgen.EXCLUDED_DIRS) + ")/"
    hooks = [hook for repo in readme_precommit_config()["repos"] for hook in repo["hooks"]]
    assert [hook.get("exclude") for hook in hooks] == [regex, regex], "both hooks, one regex"


def flake8_exclude_config() -> str:
    """The README's ``[flake8]`` block with the recommended per-file-ignores."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for lang, block in fenced_blocks(readme):
        if lang == "ini" and "per-file-ignores = tests/*" in block:
            return "\n".join(line.strip() for line in block.splitlines()) + "\n"
    raise AssertionError("the README shows no [flake8] exclude set")


# --- running them -------------------------------------------------------------------


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True,
                   capture_output=True)


def sample_repo(path: Path) -> Path:
    for name in CHECKED + EXCLUDED:
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(VULNERABLE)
    (path / "setup.cfg").write_text(flake8_exclude_config())
    (path / "semgrep-rules").mkdir()  # the vendored copy that `--config semgrep-rules/` reads
    for rule in RULES_DIR.glob("*.yaml"):
        shutil.copy2(rule, path / "semgrep-rules" / rule.name)
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "sample")
    return path


def semgrep_results(path: Path) -> Set[Tuple[str, str]]:
    return {(r["check_id"], r["path"]) for r in json.loads(path.read_text())["results"]}


def flake8_results(stdout: str, sarif: Path) -> Set[Tuple[str, str]]:
    if sarif.is_file():
        log = json.loads(sarif.read_text())
        return {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                for r in log["runs"][0]["results"]}
    found = set()
    for line in stdout.splitlines():
        match = re.match(r"^(?:\./)?([^:]+):\d+:\d+: ([A-Z]+\d+) ", line)
        if match:
            found.add((match[2], match[1]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("command", RUNNABLE)
def test_recipe(command: str, tmp_path: Path):
    repo = sample_repo(tmp_path / "repo")
    env = offline_env(tmp_path)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    semgrep = "semgrep" in command.split()[0]
    out_json = tmp_path / "semgrep.json"
    run = f"{command} --json-output={out_json}" if semgrep else command
    result = subprocess.run(["bash", "-c", run], cwd=repo, env=env, capture_output=True,
                            text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"{command}\n{output}"
    if semgrep:
        found = semgrep_results(out_json)
        assert {rule for rule, _ in found} <= PACK_IDS, f"rule ids not the pack's: {found}"
        assert not {rule for rule, _ in found} & OFF_IDS, "a default-off rule ran"
    else:
        sarif = next((repo / a.split("=", 1)[1] for a in command.split()
                      if a.startswith("--output-file=")), repo / "none")
        found = flake8_results(result.stdout, sarif)
        assert {code for code, _ in found} <= set(IMPLEMENTED) | {"E902", "E999"}, found
        assert not {code for code, _ in found} & set(DEFAULT_OFF), "a default-off code"
    files = {path for _, path in found}
    walks = command.split()[-1] if not command.split()[-1].startswith("-") else "."
    expected = set(CHECKED_IN_SRC) if walks.rstrip("/") == "src" else set(CHECKED)
    assert files == expected, f"{command}: {sorted(files)}"
