"""``.pre-commit-hooks.yaml`` proven with the real pre-commit, offline.

pre-commit installs a hook repository from a git commit, so the working tree
(uncommitted files included) is copied into a temporary git repository and
committed there (:func:`snapshot_of_working_tree`); the sample projects are
other temporary git repositories.

Two tests, each building hook environments once (installing Semgrep into the
``semgrep-dbsec`` environment is the slow part):

* ``pre-commit try-repo <snapshot> flake8-dbsec`` on a sample whose
  ``setup.cfg`` sets ``select``, ``extend-select``, ``extend-ignore``,
  ``per-file-ignores``, every ``dbsec-*`` option and ``dbsec-baseline``: the
  hook reports exactly the DBS findings of a plain ``flake8`` run there, and
  each setting changes what is reported.
* the README's ``.pre-commit-config.yaml``, verbatim except ``repo:``/``rev:``
  (the snapshot), with ``pre-commit run --all-files`` and one
  ``PRE_COMMIT_HOME`` for both its runs: both hooks on a tree with ``tests``,
  ``test`` and ``migrations`` directories report the same files, rule ids are
  the pack's, default-off codes stay off, a fixed tree passes. (Turning
  them on is flake8's ``extend-select`` in the first test and the wrapper's
  ``--extend-select`` in ``test_semgrep_wrapper.py``.)

``try-repo`` is ``run`` with a generated ``{repo: <path>, rev: <sha>}``
configuration and a throw-away store (pre-commit's ``commands/try_repo.py``),
so every ``try-repo`` call installs the environments again; the second test
writes such a configuration itself and keeps the store, so its two runs pay
for the installation once. Before, two ``try-repo`` calls of both hooks
installed the Semgrep environment twice; the two tests now install it once
and can run on two xdist workers at the same time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Dict, Set, Tuple

import pytest
import yaml
from conftest import ROOT, RULES_DIR, tool
from test_semgrep_wrapper import OFF_IDS, PACK_IDS

from flake8_dbsec.catalog import DEFAULT_OFF

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
FINDING = re.compile(r"^(?P<path>[^\s:]+\.py):(?P<line>\d+):\d+: (?P<code>[A-Z]+\d+) ", re.M)
RULE_ID = re.compile(r"(?<![\w-])([\w.-]*dbs\d{3}-[a-z0-9-]+)")
SEMGREP_FILE = re.compile(r"^\s+(\S+\.py)\s*$", re.M)


def hooks() -> Dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS_FILE.read_text())}


def test_manifest_runs_the_wrappers_without_overriding_the_configuration():
    manifest = hooks()
    assert set(manifest) == {"flake8-dbsec", "semgrep-dbsec"}
    flake8_hook, semgrep_hook = manifest["flake8-dbsec"], manifest["semgrep-dbsec"]
    assert flake8_hook["entry"] == "flake8-dbsec lint" and flake8_hook["language"] == "python"
    # --select/--extend-ignore on the command line would override the project's
    # select, extend-select and extend-ignore
    assert not any(arg.startswith(("--select", "--extend-ignore", "--ignore", "--extend-select"))
                   for arg in flake8_hook.get("args", []))
    assert semgrep_hook["entry"] == "flake8-dbsec-semgrep"
    assert any(dep.startswith("semgrep") for dep in semgrep_hook["additional_dependencies"])
    for hook in manifest.values():
        assert hook["types"] == ["python"]


def test_semgrep_entry_point_finds_the_pack():
    from flake8_dbsec.semgrep_hook import rules_path

    found = rules_path()
    assert found is not None and found.resolve() == RULES_DIR.resolve()
    assert {p.name for p in found.glob("*.yaml")} == {p.name for p in RULES_DIR.glob("*.yaml")}


# --- helpers ----------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def snapshot_of_working_tree(destination: Path) -> Tuple[Path, str]:
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
    return destination, git(destination, "rev-parse", "HEAD").strip()


def make_repo(path: Path, files: Dict[str, str]) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    write(path, files)
    commit_all(path, "sample")
    return path


def write(root: Path, files: Dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "SEMGREP_APP"))}
    # PIP_NO_COMPILE: the hook environments run a few times, byte-compiling
    # Semgrep's dependencies at install time costs more than it saves here.
    env.update(PRE_COMMIT_HOME=str(home), SEMGREP_ENABLE_VERSION_CHECK="0",
               SEMGREP_SEND_METRICS="off", PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_COMPILE="1")
    return subprocess.run(
        [tool("pre-commit"), *args, "--color=never"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=1200,
    )


def hook_outputs(output: str) -> Dict[str, str]:
    """Each hook's own output, by hook id (pre-commit prints ``- hook id: X``)."""
    parts = re.split(r"^- hook id: ([\w-]+)$", output, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def flake8_findings(text: str) -> Set[Tuple[str, int, str]]:
    return {(m["path"].lstrip("./") if m["path"].startswith("./") else m["path"],
             int(m["line"]), m["code"]) for m in FINDING.finditer(text)}


# --- the flake8 hook honours the project's configuration ------------------------------

OPTIONS_SAMPLE = '''\
import logging

import sqlalchemy as sa

from helpers import translated_errors

LOG = logging.getLogger(__name__)


def select_case(cursor, uid):
    cursor.execute("SELECT * FROM t WHERE id = " + uid)


def extend_select_case(cursor, uid):
    try:
        cursor.execute("DELETE FROM t WHERE id = %s", (uid,))
    except Exception:
        raise


def extend_ignore_case(engine):
    conn = engine.connect()
    return conn.execute(sa.text("SELECT 1")).scalar()


def noqa_case(session):
    session.flush()  # noqa: DBS101


def session_pattern_case(store):
    store.flush()


def db_errors_case(session):
    try:
        session.flush()
    except MyDbError:
        raise Translated()


def integrity_errors_case(session):
    try:
        session.flush()
    except MyConflict:
        raise Translated()


@handle_conflicts
def handler_decorators_case(session):
    session.flush()


def handler_context_managers_case(self):
    with self.ManagedSessionMaker() as session:
        session.flush()


def identifier_pattern_case(consumer_id):
    LOG.debug("consumer %s", consumer_id)


def secret_pattern_case(hush):
    LOG.info("hush %s", hush)


def masking_functions_case(password):
    password = scrub(password)
    LOG.info("password %s", password)


def concurrency_pattern_case(session, rev):
    session.execute(sa.update(T).where(T.c.id == 1).where(T.c.revision_number == rev).values(x=1))


def logger_names_case(audit, password):
    audit.info("password %s", password)


def write_methods_case(session):
    session.persist()


def context_keywords_case(instance):
    LOG.debug("spawning", instance=instance)


@my_endpoint
def api_decorators_case(session):
    try:
        session.execute(sa.delete(T).where(T.c.state == "gone"))
    except Exception:
        raise Translated()


class ItemView(MyView):
    def delete(self, session):
        try:
            session.execute(sa.delete(T).where(T.c.state == "gone"))
        except Exception:
            raise Translated()


@my_endpoint
def authz_functions_case(session):
    ensure_allowed()
    try:
        session.execute(sa.delete(T).where(T.c.state == "gone"))
    except Exception:
        raise Translated()


@my_endpoint
@must_be_admin
def authz_decorators_case(session):
    try:
        session.execute(sa.delete(T).where(T.c.state == "gone"))
    except Exception:
        raise Translated()


def project_model_case(session):
    with translated_errors():  # handles DB errors: the project model knows, in helpers.py
        session.flush()
'''
HELPERS = '''\
import contextlib

from oslo_db import exception as db_exc


@contextlib.contextmanager
def translated_errors():
    try:
        yield
    except db_exc.DBError:
        raise RuntimeError("database error")
'''
LEGACY = '''\
def per_file_ignores_case(session):
    session.flush()


def still_reported_case(session, uid):
    session.execute("UPDATE t SET x = 1 WHERE id = " + uid)
'''
RECORDED = '''\
def baseline_case(session):
    session.commit()
'''
# Every setting the hook must honour; each flips a finding of the sample.
OPTIONS_CONFIG = '''\
[flake8]
select = E,F,W,C90,DBS1,DBS2,DBS301,DBS302,DBS5,DBS6,DBS7
extend-select = DBS303
extend-ignore = DBS601
per-file-ignores = legacy/*:DBS101
dbsec-baseline = .dbsec-baseline.json
dbsec-session-pattern = session|cursor|conn|store
dbsec-db-errors = MyDbError
dbsec-integrity-errors = MyConflict
dbsec-handler-decorators = handle_conflicts
dbsec-handler-context-managers = ManagedSessionMaker
dbsec-identifier-pattern = (?i)(uuids?|_id)$
dbsec-secret-pattern = (?i)(password|hush)$
dbsec-masking-functions = scrub
dbsec-concurrency-pattern = (?i)(generation|revision_number)$
dbsec-logger-names = audit
dbsec-write-methods = persist
dbsec-context-keywords = instance_uuid
dbsec-api-decorators = my_endpoint
dbsec-api-base-classes = MyView
dbsec-authz-functions = ensure_allowed
dbsec-authz-decorators = must_be_admin
dbsec-project-model = off
'''
# function -> (codes without the configuration, codes with it); the DELETE of
# extend_select_case is DBS303, which must be a default-off code for the test
assert "DBS303" in DEFAULT_OFF
FLIPS = {
    "select_case": ({"DBS401"}, set()),
    "extend_select_case": (set(), {"DBS303"}),
    "extend_ignore_case": ({"DBS601"}, set()),
    "session_pattern_case": (set(), {"DBS101"}),
    "db_errors_case": ({"DBS101"}, set()),
    "integrity_errors_case": ({"DBS101"}, {"DBS102"}),
    "handler_decorators_case": ({"DBS101"}, set()),
    "handler_context_managers_case": ({"DBS101"}, set()),
    "identifier_pattern_case": (set(), {"DBS201"}),
    "secret_pattern_case": (set(), {"DBS202"}),
    "masking_functions_case": ({"DBS202"}, set()),
    "concurrency_pattern_case": ({"DBS101", "DBS301"}, {"DBS101", "DBS302"}),
    "logger_names_case": (set(), {"DBS202"}),
    "write_methods_case": (set(), {"DBS101"}),
    "context_keywords_case": ({"DBS201"}, set()),
    # DBS701 is off by default: the API options turn handlers on (select DBS7),
    # the authorization options keep checked ones quiet
    "api_decorators_case": (set(), {"DBS701"}),
    "authz_functions_case": (set(), set()),
    "authz_decorators_case": (set(), set()),
    "project_model_case": (set(), {"DBS101"}),
    "per_file_ignores_case": ({"DBS101"}, set()),
    "baseline_case": ({"DBS101"}, set()),
}
SAMPLE_FILES = {"app.py": OPTIONS_SAMPLE, "legacy/old.py": LEGACY, "recorded.py": RECORDED,
                "helpers.py": HELPERS}
# The README test's project sets the option that only matters with the model on.
CACHE_CONFIG = "[flake8]\ndbsec-cache-dir = .dbsec-cache\n"


def codes_in_function(found: Set[Tuple[str, int, str]], function: str) -> Set[str]:
    """Codes reported inside ``def function`` of the options sample."""
    for name, text in SAMPLE_FILES.items():
        lines = text.splitlines()
        starts = [n for n, line in enumerate(lines, 1) if line.startswith(f"def {function}(")]
        if starts:
            start = starts[0]
            end = next((n for n, line in enumerate(lines, 1)
                        if n > start and line.startswith(("def ", "@"))), len(lines) + 1)
            return {code for path, line, code in found if path == name and start <= line < end}
    raise AssertionError(function)


def test_the_sample_configurations_set_every_option():
    """Every ``--dbsec-*`` option the plugin registers is set by one of the samples."""
    from flake8_dbsec.options import add_options

    class Manager:
        flags: list = []

        def add_option(self, flag, **_):
            self.flags.append(flag)

    add_options(Manager())
    keys = {line.split("=", 1)[0].strip()
            for config in (OPTIONS_CONFIG, CACHE_CONFIG) for line in config.splitlines()[1:]}
    options = {flag[2:] for flag in Manager.flags if flag.startswith("--dbsec-")}
    assert options and options <= keys, f"add a case for {sorted(options - keys)}"
    assert {"select", "extend-select", "extend-ignore", "per-file-ignores"} <= keys


@pytest.mark.slow
def test_try_repo_flake8_hook_honours_every_setting_of_the_project(tmp_path):
    hook_repo, _ = snapshot_of_working_tree(tmp_path / "hooks")
    sample = make_repo(tmp_path / "sample", {**SAMPLE_FILES, "notes.txt": "session.flush()\n"})
    recorded = subprocess.run(
        [tool("flake8-dbsec"), "baseline", "recorded.py", "-o", ".dbsec-baseline.json"],
        cwd=sample, capture_output=True, text=True, timeout=300,
    )
    assert recorded.returncode == 0, recorded.stderr
    (sample / "setup.cfg").write_text(OPTIONS_CONFIG)
    commit_all(sample, "configured")

    result = pre_commit("try-repo", str(hook_repo), "flake8-dbsec", "--all-files",
                        cwd=sample, home=tmp_path / "home")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    hooked = flake8_findings(hook_outputs(output)["flake8-dbsec"])
    assert "notes.txt" not in output

    plain = subprocess.run([tool("flake8"), "."], cwd=sample, capture_output=True, text=True,
                           timeout=300)
    isolated = subprocess.run([tool("flake8"), "--isolated", "."], cwd=sample,
                              capture_output=True, text=True, timeout=300)
    configured = {f for f in flake8_findings(plain.stdout) if f[2].startswith("DBS")}
    default = {f for f in flake8_findings(isolated.stdout) if f[2].startswith("DBS")}
    assert hooked == configured, "the hook reports other findings than flake8 with the config"
    for function, (without, with_config) in FLIPS.items():
        assert codes_in_function(default, function) == without, function
        assert codes_in_function(hooked, function) == with_config, function
    assert codes_in_function(hooked, "noqa_case") == set()
    assert codes_in_function(hooked, "still_reported_case") == {"DBS301"}


# --- the README's .pre-commit-config.yaml, both hooks, the exclude set --------------------

VULNERABLE = '''\
import sqlalchemy as sa

engine = sa.create_engine("postgresql://admin:hunter2@db/app")


def purge(cursor, uid):
    cursor.execute("DELETE FROM users WHERE id = " + uid)
'''
FIXED = '''\
import os
import sqlite3

import sqlalchemy as sa

engine = sa.create_engine(os.environ["DATABASE_URL"])


def purge(cursor, uid):
    try:
        cursor.execute("DELETE FROM users WHERE id = ?", (uid,))
    except sqlite3.Error:
        raise
    return cursor.rowcount
'''
CHECKED = ("app.py", "pkg/service.py", "pkg/contest.py")  # contest: not a "test" directory
EXCLUDED = ("tests/test_app.py", "pkg/tests/test_service.py", "test/test_x.py",
            "migrations/versions/001_init.py", "pkg/migrations/0001_initial.py")


def readme_precommit_config() -> dict:
    """The README's ``.pre-commit-config.yaml`` for this repository's hooks."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```yaml\n(.*?)```", readme, re.S):
        config = yaml.safe_load(block)
        if isinstance(config, dict) and any(
            "flake8-dbsec/flake8-dbsec" in repo.get("repo", "") for repo in config.get("repos", [])
        ):
            return config
    raise AssertionError("README has no .pre-commit-config.yaml for flake8-dbsec")


def local_config(config: dict, hook_repo: Path, rev: str) -> str:
    """``config`` with this repository's snapshot as ``repo:``/``rev:``."""
    repos = [dict(repo, repo=str(hook_repo), rev=rev) for repo in config["repos"]]
    return yaml.safe_dump({"repos": repos})


def semgrep_report(text: str) -> Tuple[Set[str], Set[str]]:
    """(files, rule ids) in the semgrep-dbsec hook's text output."""
    return set(SEMGREP_FILE.findall(text)), set(RULE_ID.findall(text))


@pytest.mark.slow
def test_readme_config_both_hooks_check_the_same_files(tmp_path):
    config = readme_precommit_config()
    hook_ids = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert hook_ids == ["flake8-dbsec", "semgrep-dbsec"]
    hook_repo, rev = snapshot_of_working_tree(tmp_path / "hooks")
    sample = make_repo(tmp_path / "sample", {
        **{name: VULNERABLE for name in CHECKED + EXCLUDED},
        "notes.txt": VULNERABLE,
        "setup.cfg": CACHE_CONFIG,
    })
    home = tmp_path / "home"
    config_file = tmp_path / "pre-commit-config.yaml"
    config_file.write_text(local_config(config, hook_repo, rev))

    # 1. as documented: both hooks fail on the same files, tests/migrations left out
    failed = pre_commit("run", "--all-files", "--config", str(config_file), cwd=sample, home=home)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    by_hook = hook_outputs(output)
    flake8_found = flake8_findings(by_hook["flake8-dbsec"])
    semgrep_files, semgrep_ids = semgrep_report(by_hook["semgrep-dbsec"])
    assert {path for path, _, _ in flake8_found} == set(CHECKED), flake8_found
    assert semgrep_files == set(CHECKED), by_hook["semgrep-dbsec"]
    assert semgrep_ids and semgrep_ids <= PACK_IDS, f"rule ids rewritten: {semgrep_ids}"
    assert not semgrep_ids & OFF_IDS and not {c for _, _, c in flake8_found} & set(DEFAULT_OFF)
    assert ("app.py", 7, "DBS401") in flake8_found
    assert "notes.txt" not in output
    assert (sample / ".dbsec-cache").is_dir(), "the hook ignored dbsec-cache-dir"

    # 2. fixed: both pass
    write(sample, {name: FIXED for name in CHECKED})
    commit_all(sample, "fixed")
    passed = pre_commit("run", "--all-files", "--config", str(config_file), cwd=sample, home=home)
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert output.count("Passed") == 2, output
