"""The project model: facts learned across files, cached, deterministic.

The multi-module fixture project ``tests/data/project`` (package ``shop``)
shows each learned fact at work; its annotations (``# ruleid:``/``# ok:``,
Semgrep's convention) say what flake8 must report. Every run here is the
real ``flake8`` program on real files.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Dict, Set, Tuple

import pytest
from annotations import read_annotations
from conftest import ROOT, tool

from flake8_dbsec.analysis.project.layout import find_root, module_name, python_files
from flake8_dbsec.analysis.project.names import resolve_import
from flake8_dbsec.catalog import BY_SEMGREP_ID

pytestmark = pytest.mark.slow

PROJECT = ROOT / "tests" / "data" / "project"
Finding = Tuple[str, int, str]


def copy_project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(PROJECT, target)
    return target


def flake8(cwd: Path, *args: str, stdin: str = None) -> Set[Finding]:
    result = subprocess.run(
        [tool("flake8"), "--format=%(path)s\t%(row)d\t%(code)s", *args],
        cwd=cwd, capture_output=True, text=True, input=stdin, timeout=600,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    found = set()
    for line in result.stdout.splitlines():
        path, row, code = line.split("\t")
        found.add((os.path.normpath(path), int(row), code))
    return found


def write_project(root: Path, files: Dict[str, str]) -> None:
    """A project at ``root`` (a ``pyproject.toml`` marks it) with ``files``."""
    (root / "pyproject.toml").write_text("")
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def annotated(root: Path) -> Set[Finding]:
    want = set()
    for path in sorted(root.rglob("*.py")):
        for note in read_annotations(path):
            if note.kind == "ruleid":
                rel = os.path.normpath(str(path.relative_to(root)))
                want.add((rel, note.line, BY_SEMGREP_ID[note.rule_id].code))
    return want


def test_fixture_project_gives_exactly_its_annotations(tmp_path):
    project = copy_project(tmp_path)
    found = flake8(project, f"--dbsec-cache-dir={tmp_path / 'cache'}", ".")
    assert found == annotated(project)


def test_same_findings_cold_warm_parallel_single_file_and_without_cache(tmp_path):
    project = copy_project(tmp_path)
    cache = tmp_path / "cache"
    cold = flake8(project, f"--dbsec-cache-dir={cache}", ".")
    assert list(cache.glob("*.sqlite3")), "the cold run wrote its summaries"
    warm = flake8(project, f"--dbsec-cache-dir={cache}", ".")
    parallel = flake8(project, f"--dbsec-cache-dir={tmp_path / 'cache2'}", "-j2", ".")
    memory = flake8(project, "--dbsec-cache-dir=off", ".")
    one_by_one: Set[Finding] = set()
    for path in sorted(project.rglob("*.py")):
        one_by_one |= flake8(project, f"--dbsec-cache-dir={cache}", str(path.relative_to(project)))
    assert cold == warm == parallel == memory == one_by_one
    assert cold


def test_read_only_or_absent_cache_directory_gives_the_same_findings(tmp_path):
    project = copy_project(tmp_path)
    reference = flake8(project, f"--dbsec-cache-dir={tmp_path / 'cache'}", ".")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):  # running as root: make the path unusable instead
            target = locked / "file-not-dir"
            target.write_text("x")
        else:
            target = locked / "cache"
        assert flake8(project, f"--dbsec-cache-dir={target}", ".") == reference
    finally:
        locked.chmod(stat.S_IRWXU)
    assert flake8(project, f"--dbsec-cache-dir={tmp_path / 'missing' / 'deeper'}", ".") == reference


def test_a_changed_file_is_never_answered_from_the_cache(tmp_path):
    project = copy_project(tmp_path)
    cache = f"--dbsec-cache-dir={tmp_path / 'cache'}"
    cancel_line = line_of(project / "shop/db/api.py", "session.execute(update(models.Order)")
    before = flake8(project, cache, ".")
    assert ("shop/db/api.py", cancel_line, "DBS101") not in before
    # the context manager stops handling DB errors: cancel_order's write is unhandled now
    errors = project / "shop/db/errors.py"
    errors.write_text(errors.read_text().replace(
        "    except sa_exc.SQLAlchemyError as error:\n        session.rollback()\n"
        "        raise ShopError(str(error)) from error\n",
        "    finally:\n        pass\n",
    ))
    after = flake8(project, cache, ".")
    assert ("shop/db/api.py", cancel_line, "DBS101") in after
    # a deleted module is forgotten too: without app.py there is no
    # application-wide handler, and the route's write is unhandled
    (project / "shop/web/app.py").unlink()
    views = project / "shop/web/views.py"
    views.write_text(views.read_text().replace("from shop.web.app import app\n", "app = None\n"))
    gone = flake8(project, cache, ".")
    patch_line = line_of(views, "Session.commit()")
    assert ("shop/web/views.py", patch_line, "DBS101") in gone


def test_stdin_with_display_name_sees_the_project(tmp_path):
    project = copy_project(tmp_path)
    cache = f"--dbsec-cache-dir={tmp_path / 'cache'}"
    source = (project / "shop/db/api.py").read_text()
    from_file = flake8(project, cache, "shop/db/api.py")
    from_stdin = flake8(project, cache, "--stdin-display-name=shop/db/api.py", "-", stdin=source)
    assert from_stdin == from_file
    # an unsaved edit of the buffer counts, the file on disk does not: without
    # the handling context manager, cancel_order's write is unhandled
    edited = source.replace("with errors.transaction(Session) as session:", "for session in [Session]:")
    cancel_line = line_of(project / "shop/db/api.py", "session.execute(update(models.Order)")
    unsaved = flake8(project, cache, "--stdin-display-name=shop/db/api.py", "-", stdin=edited)
    assert ("shop/db/api.py", cancel_line, "DBS101") in unsaved
    assert ("shop/db/api.py", cancel_line, "DBS101") not in from_file


def test_project_model_off_checks_each_file_alone(tmp_path):
    project = copy_project(tmp_path)
    on = flake8(project, f"--dbsec-cache-dir={tmp_path / 'cache'}", ".")
    off = flake8(project, "--dbsec-project-model=off", ".")
    # the scoped_session proxy imported from models.py is no session on its own
    api = project / "shop/db/api.py"
    rename = line_of(api, "def rename") + 3
    assert ("shop/db/api.py", rename, "DBS101") in on
    assert ("shop/db/api.py", rename, "DBS101") not in off
    # the quoting helper of errors.py is unknown: the f-string is SQL injection
    quoted = ("shop/db/api.py", line_of(api, "errors.quote_name(table)"), "DBS401")
    assert quoted in off and quoted not in on
    # the callers of maintenance.vacuum, all passing constants, are unseen
    maintenance = project / "shop/db/maintenance.py"
    vacuum = ("shop/db/maintenance.py", line_of(maintenance, 'f"VACUUM {table}"'), "DBS401")
    assert vacuum in off and vacuum not in on


def test_bad_project_model_value_is_one_line(tmp_path):
    result = subprocess.run(
        [tool("flake8"), "--dbsec-project-model=maybe", "."],
        cwd=copy_project(tmp_path), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "flake8-dbsec: error: --dbsec-project-model: expected on or off, got 'maybe'"
    ]


def test_model_command_prints_facts_with_their_place(tmp_path):
    project = copy_project(tmp_path)
    result = subprocess.run(
        [tool("flake8-dbsec"), "model", "--no-cache", "."],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    errors, models = project / "shop/db/errors.py", project / "shop/db/models.py"
    for fact in (
        f"shop/db/errors.py:{line_of(errors, 'def translate_db_errors')}: decorator "
        "shop.db.errors.translate_db_errors handles DB errors",
        f"shop/db/errors.py:{line_of(errors, 'def transaction')}: context manager "
        "shop.db.errors.transaction handles DB errors",
        f"shop/db/models.py:{line_of(models, 'Session = ')}: shop.db.models.Session is a scoped session proxy",
        f"shop/db/models.py:{line_of(models, 'class Line')}: model shop.db.models.Line is unique on order_no, sku",
        "shop/web/app.py:8: application-wide DB error handler registered",
        "shop/log.py:8: shop.log.get_logger returns a logger",
        f"shop/db/maintenance.py:{line_of(project / 'shop/db/maintenance.py', 'def name_clause')}: "
        "shop.db.maintenance.name_clause returns SQL text built from constants and column",
    ):
        assert any(line.startswith(fact) for line in lines), fact
    assert not any("log_errors handles" in line for line in lines)


# --- in-process units ------------------------------------------------------------------


def test_root_is_the_config_directory_else_the_nearest_marker(tmp_path):
    (tmp_path / "repo" / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "repo" / "pyproject.toml").write_text("")
    for folder in ("pkg", "pkg/sub"):
        (tmp_path / "repo" / folder / "__init__.py").write_text("")
    module = tmp_path / "repo" / "pkg" / "sub" / "m.py"
    module.write_text("")
    assert find_root(str(module)) == str(tmp_path / "repo")
    assert find_root(str(module), config_dir=str(tmp_path)) == str(tmp_path)
    # a config directory the file is not under does not count
    assert find_root(str(module), config_dir=str(tmp_path / "elsewhere")) == str(tmp_path / "repo")
    assert module_name(str(module), str(tmp_path / "repo")) == "pkg.sub.m"
    assert module_name(str(tmp_path / "repo/pkg/__init__.py"), str(tmp_path / "repo")) == "pkg"


def test_unpacked_wheel_without_markers_roots_at_the_package_base(tmp_path):
    (tmp_path / "wheel" / "pkg" / "db").mkdir(parents=True)
    for folder in ("pkg", "pkg/db"):
        (tmp_path / "wheel" / folder / "__init__.py").write_text("")
    module = tmp_path / "wheel" / "pkg" / "db" / "api.py"
    module.write_text("")
    assert find_root(str(module)) == str(tmp_path / "wheel")


def test_a_namespace_package_in_an_unpacked_wheel_roots_beside_its_metadata(tmp_path):
    wheel = tmp_path / "wheel"
    (wheel / "app" / "core").mkdir(parents=True)
    (wheel / "app-1.0.dist-info").mkdir()
    (wheel / "app" / "core" / "__init__.py").write_text("")
    module = wheel / "app" / "core" / "store.py"
    module.write_text("")
    assert find_root(str(module)) == str(wheel)
    # without the metadata the namespace directory is as far as it can tell
    (wheel / "app-1.0.dist-info").rmdir()
    assert find_root(str(module)) == str(wheel / "app")
    # a folder without __init__.py inside a package is part of it (open-webui's models/)
    (wheel / "app" / "core" / "models").mkdir()
    (wheel / "app" / "core" / "models" / "tables.py").write_text("")
    assert find_root(str(wheel / "app" / "core" / "models" / "tables.py")) == str(wheel / "app")
    # an installed environment is never one project
    site = tmp_path / "lib" / "site-packages"
    (site / "ns" / "pkg").mkdir(parents=True)
    (site / "ns-1.0.dist-info").mkdir()
    (site / "ns" / "pkg" / "__init__.py").write_text("")
    (site / "ns" / "pkg" / "m.py").write_text("")
    assert find_root(str(site / "ns" / "pkg" / "m.py")) == str(site / "ns")


NAMESPACE_MODEL = """\
from sqlalchemy import Column, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class JobState(Base):
    __tablename__ = "state"
    state_id = Column(String, primary_key=True)
"""

NAMESPACE_STORE = """\
from app.core.job_state import JobState


def clear(session, ids):
    session.query(JobState).filter(JobState.state_id.in_(ids)).delete()
"""


def test_imports_through_a_namespace_package_resolve(tmp_path):
    """``app/`` has no ``__init__.py`` (PEP 420): ``app.core.job_state`` is
    the module the index names ``core.job_state``; the DELETE pins its
    primary key (DBS303), not a bulk statement (DBS304)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "app" / "core").mkdir(parents=True)
    (tmp_path / "app" / "core" / "__init__.py").write_text("")
    (tmp_path / "app" / "core" / "job_state.py").write_text(NAMESPACE_MODEL)
    (tmp_path / "app" / "core" / "store.py").write_text(NAMESPACE_STORE)
    found = flake8(tmp_path, "--isolated", "--select=DBS303,DBS304", "app/core/store.py")
    assert found == {(os.path.join("app", "core", "store.py"), 5, "DBS303")}


NAMESPACE_PORTION_STORE = """\
from sqlalchemy.exc import SQLAlchemyError


class MessageTable:
    def delete_message(self, session, message_id):
        session.query(Message).filter_by(id=message_id).delete()
        session.commit()


Messages = MessageTable()
"""

NAMESPACE_PORTION_ROUTER = """\
import logging

from app.models.messages import Messages

log = logging.getLogger(__name__)


def delete_route(session, message_id):
    try:
        Messages.delete_message(session, message_id)
    except Exception:
        log.exception("could not delete %s", message_id)
        raise
"""


def test_a_folder_without_init_inside_a_package_is_part_of_module_names(tmp_path):
    """open-webui (heldout14): ``open_webui/`` is a package, ``models/`` and
    ``routers/`` have no ``__init__.py``; Python imports
    ``open_webui.models.messages`` (PEP 420), and so must the index, or no
    call across those folders resolves. The only caller of the write is
    inside a broad handler that logs and re-raises: handled (DBS101)."""
    write_project(tmp_path, {
        "app/__init__.py": "",
        "app/models/messages.py": NAMESPACE_PORTION_STORE,
        "app/routers/messages.py": NAMESPACE_PORTION_ROUTER,
        "tools/script.py": "",
    })
    root = str(tmp_path)
    assert module_name(str(tmp_path / "app/models/messages.py"), root) == "app.models.messages"
    assert module_name(str(tmp_path / "app/routers/messages.py"), root) == "app.routers.messages"
    # a folder of scripts under the root is no package: its modules keep their own names
    assert module_name(str(tmp_path / "tools/script.py"), root) == "script"
    found = flake8(tmp_path, "--isolated", "--select=DBS101", "app/models/messages.py")
    assert found == set()
    # the same write with a caller that does not handle it is reported
    router = tmp_path / "app/routers/messages.py"
    router.write_text(NAMESPACE_PORTION_ROUTER.replace("    try:\n        Messages", "    if True:\n        Messages")
                      .replace("    except Exception:\n        log.exception(\"could not delete %s\", message_id)\n        raise\n", ""))
    found = flake8(tmp_path, "--isolated", "--select=DBS101", "app/models/messages.py")
    store = os.path.join("app", "models", "messages.py")
    assert found == {(store, 6, "DBS101"), (store, 7, "DBS101")}


def test_a_file_whose_module_name_changes_is_summarised_again(tmp_path):
    """Adding an ``__init__.py`` above a file renames its module without
    touching it: its cached summary (its calls, resolved through relative
    imports against the old name) is stale and must not be used."""
    write_project(tmp_path, {
        "app/core/store.py": "def forget(session, label):\n"
                             "    session.query(Tag).filter_by(label=label).delete()\n"
                             "    session.commit()\n",
        "app/core/views.py": "import logging\n\nfrom .store import forget\n\n\n"
                             "def forget_view(session, label):\n    try:\n        forget(session, label)\n"
                             "    except Exception:\n        logging.exception('no')\n        raise\n",
    })
    cache = f"--dbsec-cache-dir={tmp_path / 'cache'}"
    store = os.path.join("app", "core", "store.py")
    # plain folders: "views" calls "store.forget" inside a broad handler; handled
    assert flake8(tmp_path, "--isolated", "--select=DBS101", cache, store) == set()
    (tmp_path / "app" / "core" / "__init__.py").write_text("")
    # now "core.views" calls "core.store.forget" (a stale summary still says "store.forget")
    assert flake8(tmp_path, "--isolated", "--select=DBS101", cache, store) == set()


UNIQUE_INDEX_MODEL = """\
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Token(Base):
    __tablename__ = "tokens"
    __table_args__ = (sa.Index("tokens_value_idx", "value", unique=True),)
    pk = sa.Column(sa.Integer, primary_key=True)
    value = sa.Column(sa.String(64))
    owner = sa.Column(sa.String(64))
"""

UNIQUE_INDEX_STORE = """\
from pkg.models import Token


def revoke(session, value):
    session.query(Token).filter(Token.value == value).delete()


def revoke_all(session, owner):
    session.query(Token).filter(Token.owner == owner).delete()
"""


def test_a_unique_index_gives_row_identity(tmp_path):
    """rally's ``Index("task_uuid", "uuid", unique=True)`` in
    ``__table_args__``: the database enforces it like a unique constraint,
    so a DELETE pinning that column targets one row (DBS303), while one on a
    plain column stays a bulk statement (DBS304)."""
    write_project(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": UNIQUE_INDEX_MODEL,
                             "pkg/store.py": UNIQUE_INDEX_STORE})
    found = flake8(tmp_path, "--isolated", "--select=DBS303,DBS304", "pkg/store.py")
    assert found == {(os.path.join("pkg", "store.py"), 5, "DBS303"),
                     (os.path.join("pkg", "store.py"), 9, "DBS304")}


def test_tests_and_virtualenvs_are_not_part_of_the_model(tmp_path):
    for path in ("pkg/a.py", "pkg/tests/test_a.py", "pkg/test_b.py", "pkg/conftest.py",
                 ".venv/lib/x.py", "build/lib/y.py", "pkg/migrations/m.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    found = [os.path.relpath(p, tmp_path) for p in python_files(str(tmp_path))]
    assert found == ["pkg/a.py", "pkg/migrations/m.py"]
    assert [os.path.relpath(p, tmp_path) for p in python_files(str(tmp_path), ("migrations",))] == [
        "pkg/a.py"
    ]


TEST_MODULE = """\
from oslo_db import exception as db_exc


def _save(session, obj):
    session.add(obj)
    session.flush()


def test_save(session, obj):
    try:
        _save(session, obj)
    except db_exc.DBError:
        raise
"""


def test_a_module_outside_the_index_answers_from_its_own_definitions_every_time(tmp_path):
    """A test module is not summarised on disk: its own summary comes from
    the check, made only when a rule asks, and the same on a second check
    of the same text (an editor linting again in one process)."""
    import ast

    from flake8_dbsec.analysis.project.model import ProjectModel
    from flake8_dbsec.checker import check_tree
    from flake8_dbsec.options import DEFAULT_SETTINGS

    (tmp_path / "setup.cfg").write_text("")
    (tmp_path / "pkg" / "tests").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    module = tmp_path / "pkg" / "tests" / "test_save.py"
    module.write_text(TEST_MODULE)
    files = python_files(str(tmp_path))
    assert str(module) not in files
    model = ProjectModel(str(tmp_path), DEFAULT_SETTINGS, cache_dir=None, files=files)
    lines = TEST_MODULE.splitlines(True)
    codes = []
    for _ in range(2):
        findings = check_tree(ast.parse(TEST_MODULE), DEFAULT_SETTINGS, model, str(module), lines)
        codes.append(sorted(f.message.split()[0] for f in findings))
    assert codes == [[], []]  # the caller's handler counts, both times
    edited = TEST_MODULE.replace("_save(session, obj)\n    except", "pass\n    except")
    alone = check_tree(ast.parse(edited), DEFAULT_SETTINGS, model, str(module), edited.splitlines(True))
    assert [f.message.split()[0] for f in alone] == ["DBS101"]


@pytest.mark.parametrize(
    "target, module, package, expected",
    [
        (".models", "shop.db.api", False, "shop.db.models"),
        ("..log", "shop.db.api", False, "shop.log"),
        (".api", "shop.db", True, "shop.db.api"),
        (".", "shop.db.api", False, "shop.db"),
        ("sqlalchemy.orm", "shop.db.api", False, "sqlalchemy.orm"),
    ],
)
def test_relative_imports_resolve_against_the_module(target, module, package, expected):
    assert resolve_import(target, module, package) == expected


def test_authorization_evidence_is_summarised_only_when_dbs701_is_selected():
    """DBS701 is the only code that asks which project functions authorize or
    destroy; gathering that evidence was half of a summary's cost, so a run
    without DBS701 leaves it out, and the cache keeps the two kinds apart."""
    from dataclasses import replace

    from flake8_dbsec.analysis.project.model import cache_key, summarize_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = (
        "def remove(context, session, consumer):\n"
        "    context.can('consumer:delete')\n"
        "    session.delete(consumer)\n"
        "    session.flush()\n"
    )
    without = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS101", "DBS201"}))
    with_701 = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS101", "DBS701"}))
    lean = summarize_source(source, "shop.api", False, without)["functions"]["remove"]
    full = summarize_source(source, "shop.api", False, with_701)["functions"]["remove"]
    assert "authz" not in lean and "destroys" not in lean
    assert full["authz"] == (2,) and full["destroys"]
    assert lean["writes"] == full["writes"]  # everything else is the same
    assert cache_key(without) != cache_key(with_701)


@pytest.mark.parametrize(
    "body, expected",
    [
        ("return f'<T {self.prefix}...>'", "hides"),
        ("return f'<T {self.id} {self.user.name}>'", "hides"),
        ("return f'<T {self.token}>'", "shows"),
        ("return f'<T {self._api_key}>'", "shows"),
        ("return f'<T {self.key_path}>'", "hides"),  # a path is not the secret
        ("return repr(self.__dict__)", "shows"),
        ("return str(vars(self))", "shows"),
        ("return super().__repr__()", "shows"),
        ("return getattr(self, 'x')", "shows"),
        ("return self.describe()", "shows"),
        ("return ', '.join(map(lambda k: k, self.fields))", "shows"),
    ],
)
def test_a_class_repr_is_summarised_as_hiding_or_showing_secrets(body, expected):
    from flake8_dbsec.analysis.project.model import summarize_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = f"class T:\n    def __repr__(self):\n        {body}\n"
    assert summarize_source(source, "m", False, DEFAULT_SETTINGS)["classes"]["T"]["repr"] == expected


def test_finders_are_summarised_by_what_they_return():
    from flake8_dbsec.analysis.project.model import summarize_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = (
        "class T(Base):\n"
        "    tokens = relationship('Token')\n"
        "    @classmethod\n"
        "    def rows(cls, db):\n"
        "        q = db.query(cls).filter_by(x=1)\n"
        "        return q.order_by(cls.id)\n"
        "    @classmethod\n"
        "    def one(cls, db):\n"
        "        return db.query(cls).first()\n"
        "    @classmethod\n"
        "    def via(cls, db, t):\n"
        "        for row in cls.rows(db):\n"
        "            if row.t == t:\n"
        "                return row\n"
        "        return None\n"
        "    @classmethod\n"
        "    def made(cls):\n"
        "        return cls()\n"
        "    @classmethod\n"
        "    def column(cls, db):\n"
        "        return db.query(cls).first().token\n"
        "    @classmethod\n"
        "    def names(cls, db):\n"
        "        return db.query(cls).with_entities(cls.name)\n"
    )
    summary = summarize_source(source, "m", False, DEFAULT_SETTINGS)
    functions = summary["functions"]
    assert functions["T.rows"]["returns"] == "rows" and "rows_via" not in functions["T.rows"]
    assert functions["T.one"]["returns"] == "instance"
    assert functions["T.via"]["returns"] == "instance" and functions["T.via"]["rows_via"] == ("rows",)
    assert functions["T.made"]["returns"] == "instance"
    assert "returns" not in functions["T.column"] and "returns" not in functions["T.names"]
    assert summary["classes"]["T"]["rels"] == {"tokens": "Token"}


def test_cache_key_follows_every_analysis_module(tmp_path):
    """Summaries are made by the whole analysis layer: an edit to any of its
    modules (``semantics/`` included) must start a new cache, or an
    editable install would answer from summaries an older version wrote."""
    from flake8_dbsec.analysis.project.model import fingerprint_of

    analysis = Path(__file__).resolve().parents[1] / "flake8_dbsec" / "analysis"
    copy = tmp_path / "analysis"
    shutil.copytree(analysis, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = fingerprint_of(str(copy))
    assert fingerprint_of(str(copy)) == before
    with open(copy / "semantics" / "writes.py", "a") as handle:
        handle.write("\n# edited\n")
    assert fingerprint_of(str(copy)) != before


@pytest.mark.parametrize(
    "body, expected",
    [
        # (clause, args) helpers: the first element of every returned tuple
        ("    clause = f'{column} IN ({marks})'\n    return clause, []\n", "0:column,marks"),
        ("    if not marks:\n        return 'FALSE', []\n    return f'{column} = ANY(?)', [marks]\n",
         "0:column"),
        ("    return '%s = ?' % column\n", "-1:column"),
        ("    return 'a = ?' + ' AND b = ?'\n", "-1:"),
        ("    return ', '.join('?' for _ in marks)\n", "-1:"),
        # not SQL-safe text: a call result, a mixed shape, a generator, no text built
        ("    return f'{column} = {quote(marks)}'\n", None),
        ("    if marks:\n        return 'x', []\n    return 'y'\n", None),
        ("    yield f'{column}'\n", None),
        ("    return column\n", None),
        ("    return marks + 1 if False else None\n", None),
        # an item of a module-level constant map (lightrag's namespace_to_table_name)
        ("    return TABLES[column]\n", "-1:"),
        ("    for key, table in TABLES.items():\n        if key == column:\n            return table\n", "-1:"),
        ("    for key, table in marks.items():\n        return table\n", None),  # a parameter's map
        ("    return changed[column]\n", None),  # a map the module changes
    ],
)
def test_functions_returning_sql_text_are_summarised_with_their_parameters(body, expected):
    from flake8_dbsec.analysis.project.model import summarize_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = ("TABLES = {'a': 'alpha', 'b': 'beta'}\nchanged = {'a': 'alpha'}\nchanged['b'] = input()\n"
              f"def helper(column, marks):\n{body}")
    info = summarize_source(source, "m", False, DEFAULT_SETTINGS)["functions"]["helper"]
    assert info.get("sql") == expected


def test_call_arguments_are_summarised_by_constness():
    from flake8_dbsec.analysis.project.model import summarize_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = (
        "from m2 import helper\n"
        "LIMIT = 3\n"
        "def caller(table, req):\n"
        "    helper('users', LIMIT, table, req.x, where='a', other=req)\n"
        "    helper(*req)\n"
        "    helper(**req)\n"
        "    helper()\n"
    )
    calls = summarize_source(source, "m", False, DEFAULT_SETTINGS)["calls"]
    assert [row[-1] if len(row) > 5 else "" for row in calls] == [
        "1,1,@table,0;where=1,other=@req", "", "", ""]  # nothing known: no string kept


@pytest.mark.parametrize(
    "decorator, body, expected",
    [
        ("@dataclass", "room_key: int\n    device_key: int", "hides"),
        ("@dataclass", "user: str\n    password: str", "shows"),
        ("@dataclass", "user: str\n    password: str = field(repr=False)", "hides"),
        ("@dataclass(repr=False)", "password: str", "hides"),
        ("@attr.s(slots=True, frozen=True)", "key = attr.ib()\n    api_key = attr.ib(repr=False)", "hides"),
        ("@attr.s", "token = attr.ib()", "shows"),
        ("@attrs.define", "session_id: str", "shows"),
        # not a generated repr: object's default repr, not summarised
        ("@total_ordering", "password: str", None),
        ("", "password: str", None),
    ],
)
def test_generated_reprs_are_summarised_by_their_fields(decorator, body, expected):
    from flake8_dbsec.analysis.project.model import summarize_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = f"{decorator}\nclass T:\n    {body}\n"
    assert summarize_source(source, "m", False, DEFAULT_SETTINGS)["classes"]["T"].get("repr") == expected


def test_named_tuples_render_their_fields():
    from flake8_dbsec.analysis.project.model import summarize_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = "class P(NamedTuple):\n    stream: str\n    token: str\n"
    assert summarize_source(source, "m", False, DEFAULT_SETTINGS)["classes"]["P"]["repr"] == "shows"


CONSTANT_ATTRIBUTE_FILES = {
    "backends/__init__.py": "",
    "backends/back_sqlite.py": """\
class Database:
    arg = "?"

    @property
    def timestamp_now(self):
        return "(strftime('%s', 'now'))"

    @property
    def timestamp_default(self):
        if self.strict:
            return self.timestamp_now
        return "NULL"
""",
    "backends/back_postgresql.py": """\
class Database:
    arg = "%s"
    label = "postgres"

    @property
    def timestamp_now(self):
        return "now()"
""",
    "backends/common.py": """\
class Indexer:
    def find(self, ids):
        a = self.db.arg
        sql = "select id from words where id in (%s)" % ",".join([a] * len(ids))
        self.db.cursor.execute(sql, ids)

    def create(self, db):
        db.execute(f"CREATE TABLE t (at TIMESTAMP DEFAULT {db.timestamp_default})")

    def labelled(self, db):
        db.execute("SELECT * FROM t WHERE kind = '%s'" % db.label)
""",
    "backends/admin.py": """\
def rename(db, request):
    db.label = request.args["label"]
""",
    "backends/config.py": """\
from typing import Final

from pydantic import BaseModel


class StoreConfig(BaseModel):
    keyspace: str = "feast_keyspace"


class EventTypes:
    Retention: Final = "m.room.retention"
""",
    "backends/store.py": """\
from backends.config import EventTypes


def create(session, config):
    session.execute(f'CREATE KEYSPACE IF NOT EXISTS "{config.keyspace}"')


def retention(txn):
    txn.execute("SELECT * FROM state WHERE type = '%s'" % EventTypes.Retention)
""",
}


def test_attributes_the_project_only_defines_as_literals_are_constants(tmp_path):
    """Round O: roundup's ``self.db.arg`` (each backend's class attribute
    ``arg = '%s'`` / ``'?'``) and lnbits' properties returning ``"now()"``
    (or another such property) are constants of the project (DBS401);
    ``label`` is stored from a request in another module, so it is not."""
    write_project(tmp_path, CONSTANT_ATTRIBUTE_FILES)
    found = flake8(tmp_path, "--isolated", "--select=DBS401", "backends/common.py",
                   "backends/store.py")
    common = tmp_path / "backends" / "common.py"
    # feast's pydantic setting ``keyspace: str = "..."`` is a field: whatever
    # the configuration gives, not a constant; synapse's ``Retention: Final =
    # "m.room.retention"`` is the class's own constant
    assert found == {(os.path.join("backends", "common.py"),
                      line_of(common, "SELECT * FROM t WHERE kind"), "DBS401"),
                     (os.path.join("backends", "store.py"), 5, "DBS401")}
    # the model off: one module alone knows nothing of the backends
    alone = flake8(tmp_path, "--isolated", "--select=DBS401", "--dbsec-project-model=off",
                   "backends/common.py")
    assert len(alone) == 3


INSTANCE_CM_FILES = {
    "pkg/__init__.py": "",
    "pkg/db.py": """\
from contextlib import contextmanager

from sqlalchemy.orm import sessionmaker


class DBManager:
    def __init__(self):
        self.maker = sessionmaker()

    @contextmanager
    def session_context(self, session=None):
        if session:
            yield session
            return
        session = self.maker()
        try:
            yield session
            session.commit()
        except:
            session.rollback()
            raise


db_manager = DBManager()
""",
    "pkg/api.py": """\
from pkg.db import db_manager


def save(obj):
    with db_manager.session_context() as session:
        session.add(obj)
        session.flush()


def save_plain(session, obj):
    session.add(obj)
    session.flush()
""",
}


def test_a_module_level_instance_resolves_to_its_class(tmp_path):
    """Round O: keylime's ``db_manager = DBManager()`` in one module and
    ``with db_manager.session_context() as session:`` in another: the
    context manager is the class's method, which rolls back and re-raises,
    so the write inside it is handled (DBS101); a write outside stays."""
    write_project(tmp_path, INSTANCE_CM_FILES)
    found = flake8(tmp_path, "--isolated", "--select=DBS101", "pkg/api.py")
    assert found == {(os.path.join("pkg", "api.py"), 12, "DBS101")}


LOOP_MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (sa.Index("task_uuid", "uuid", unique=True),)
    pk = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36))
    env_uuid = sa.Column(sa.String(36))


class Platform(Base):
    __tablename__ = "platforms"
    __table_args__ = (sa.Index("platform_uuid", "uuid", unique=True),)
    pk = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36))
    env_uuid = sa.Column(sa.String(36))
"""

LOOP_STORE = """\
from pkg import models


def env_delete_cascade(session, env_uuid):
    for model in [models.Task, models.Platform]:
        session.query(model).filter_by(env_uuid=env_uuid).delete()


def forget(session, uuid):
    for model in (models.Task, models.Platform):
        session.query(model).filter_by(uuid=uuid).delete()
"""


def test_a_loop_over_models_targets_each_of_them(tmp_path):
    """Round O: rally's ``for model in [models.Task, ...]:
    session.query(model).filter_by(env_uuid=uuid).delete()`` targets each
    model; ``env_uuid`` is no key of either (a bulk statement, DBS304), while
    ``uuid`` is unique in both (identified rows, DBS303)."""
    write_project(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": LOOP_MODELS,
                             "pkg/store.py": LOOP_STORE})
    found = flake8(tmp_path, "--isolated", "--select=DBS303,DBS304", "pkg/store.py")
    assert found == {(os.path.join("pkg", "store.py"), 6, "DBS304"),
                     (os.path.join("pkg", "store.py"), 11, "DBS303")}


PROVIDE_SESSION_FILES = {
    "pkg/__init__.py": "",
    "pkg/session.py": """\
import contextlib
from functools import wraps

from pkg import settings


@contextlib.contextmanager
def create_session():
    session = settings.Session()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def provide_session(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        if "session" in kwargs:
            return func(*args, **kwargs)
        with create_session() as session:
            return func(*args, session=session, **kwargs)

    return wrapper


def log_calls(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        with contextlib.suppress(KeyError):
            return func(*args, **kwargs)

    return wrapper
""",
    "pkg/settings.py": "Session = None\\n",
    "pkg/models.py": """\
from pkg.session import log_calls, provide_session


@provide_session
def clear(obj, session=None):
    session.delete(obj)
    session.flush()


@log_calls
def clear_logged(obj, session=None):
    session.delete(obj)
    session.flush()
""",
}


def test_a_decorator_that_runs_the_function_in_a_handling_context_manager(tmp_path):
    """Round P: airflow's ``@provide_session`` runs the function in
    ``with create_session() as session:``, which rolls back and re-raises:
    the decorator handles DB errors (DBS101); one whose ``with`` block
    handles nothing of the kind does not."""
    write_project(tmp_path, PROVIDE_SESSION_FILES)
    found = flake8(tmp_path, "--isolated", "--select=DBS101", "pkg/models.py")
    assert found == {(os.path.join("pkg", "models.py"), 13, "DBS101")}


DOUBLE_KEY_MODEL = """\
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Run(Base):
    __tablename__ = "runs"
    __table_args__ = (sa.PrimaryKeyConstraint("id", name="runs_pkey"),)
    id = sa.Column(sa.String(36), primary_key=True)
    state = sa.Column(sa.String(20))
"""

DOUBLE_KEY_STORE = """\
from pkg.models import Run


def finish(session, run_id):
    session.query(Run).filter(Run.id == run_id).update({"state": "done"})
"""


def test_a_key_declared_twice_is_named_once(tmp_path):
    """airflow's ``TaskInstance``: ``primary_key=True`` and a
    ``PrimaryKeyConstraint("id")`` name the same key; the message says
    "this id", not "this id, id"."""
    write_project(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": DOUBLE_KEY_MODEL,
                             "pkg/store.py": DOUBLE_KEY_STORE})
    result = subprocess.run(
        [tool("flake8"), "--isolated", "--select=DBS301", "pkg/store.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert "with this id executed" in result.stdout, result.stdout


def test_module_level_calls_of_any_shape_summarise(tmp_path):
    """A module-level binding to the result of a call whose callee has no
    name (``make()()``, ``factories["x"]()``, ``(lambda: 1)()``) is no
    instance of a class: the summary must not fail on it (it did, and
    airflow's whole project model was dropped with a warning)."""
    write_project(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/conf.py": (
            "factories = {}\n"
            "handler = factories['x']()\n"
            "made = make()()\n"
            "value = (lambda: 1)()\n"
            "Manager = type('Manager', (), {})\n"
            "manager = Manager()\n"
        ),
        "pkg/store.py": (
            "from pkg.conf import manager\n\n\n"
            "def save(session, obj):\n"
            "    session.add(obj)\n"
            "    session.flush()\n"
        ),
    })
    result = subprocess.run(
        [tool("flake8"), "--isolated", "--select=DBS", "pkg/store.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert "unavailable" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "DBS101" in result.stdout


TEARDOWN_FILES = {
    "app/__init__.py": "",
    "app/db.py": (
        "from sqlalchemy.orm import scoped_session, sessionmaker\n\n"
        "session = scoped_session(sessionmaker())\n"
    ),
    "app/server.py": (
        "from flask import Flask\n\nfrom app.db import session\n\napp = Flask(__name__)\n\n\n"
        "@app.teardown_request\ndef shutdown_session(exception=None):\n    session.remove()\n"
    ),
    "app/views.py": (
        "from sqlalchemy.exc import SQLAlchemyError\n\n"
        "from app.db import session\nfrom app.server import app\n\n\n"
        "@app.route('/recruit', methods=['POST'])\ndef recruit(user):\n"
        "    try:\n        session.add(user)\n        session.commit()\n"
        "    except SQLAlchemyError:\n        return 'failed', 500\n    return 'ok'\n"
    ),
}


def test_a_request_teardown_in_another_module_ends_the_routes_sessions(tmp_path):
    """dallinger (heldout14): the scoped session is removed after every
    request by a teardown registered in another module, so a route's handler
    that returns leaves no transaction open (DBS602); without the teardown
    it does. Cold and warm caches agree."""
    write_project(tmp_path, TEARDOWN_FILES)
    cache = f"--dbsec-cache-dir={tmp_path / 'cache'}"
    views = os.path.join("app", "views.py")
    for _run in ("cold", "warm"):
        assert flake8(tmp_path, "--isolated", "--select=DBS602", cache, views) == set()
    (tmp_path / "app" / "server.py").write_text(
        TEARDOWN_FILES["app/server.py"].replace("    session.remove()\n", "    pass\n"))
    assert flake8(tmp_path, "--isolated", "--select=DBS602", cache, views) == {(views, 12, "DBS602")}


def test_a_session_the_function_also_keeps_is_shared_not_new():
    """privacyidea's ``get_ca_session()`` caches the session for the request
    and closes it at teardown: its callers borrow one session, so a call of it
    creates nothing for DBS601 (it stays session-like for the other rules)."""
    from flake8_dbsec.analysis.project.model import summarize_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = (
        "from sqlalchemy.orm import Session\n"
        "STORE = {}\n"
        "_shared = None\n"
        "def fresh(engine):\n"
        "    session = Session(engine)\n"
        "    return session\n"
        "def cached(engine):\n"
        "    session = STORE.get('s')\n"
        "    if session is None:\n"
        "        session = Session(engine)\n"
        "        STORE['s'] = session\n"
        "    return session\n"
        "def on_g(engine, g):\n"
        "    session = Session(engine)\n"
        "    g.db = session\n"
        "    return session\n"
        "def global_one(engine):\n"
        "    global _shared\n"
        "    _shared = Session(engine)\n"
        "    return _shared\n"
    )
    summary = summarize_source(source, "m", False, DEFAULT_SETTINGS)
    functions = summary["functions"]
    assert functions["fresh"]["returns"] == "session"
    assert functions["cached"]["returns"] == "shared"
    assert functions["on_g"]["returns"] == "shared"
    assert functions["global_one"]["returns"] == "shared"


def test_partial_bindings_and_rowcount_readers_are_summarised():
    from flake8_dbsec.analysis.project.model import summarize_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = (
        "from functools import partial\n"
        "from . import utils\n"
        "wrap = partial(utils.wrap_exceptions, StorageError)\n"
        "def exactly_one(cursor, make_exc):\n"
        "    if cursor.rowcount == 0:\n"
        "        raise make_exc()\n"
        "def passes(cursor):\n"
        "    log(cursor)\n"
    )
    summary = summarize_source(source, "pkg.base", False, DEFAULT_SETTINGS)
    assert summary["attrs"]["wrap"]["kind"] == "alias"
    assert summary["attrs"]["wrap"]["value"] == "pkg.utils.wrap_exceptions"
    assert list(summary["functions"]["exactly_one"]["counts"]) == ["cursor"]
    assert "counts" not in summary["functions"]["passes"]
