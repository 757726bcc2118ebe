"""One comment line silences both engines (issue 14).

Both engines report a finding on the same line (the first line of the
offending call, the ``except`` line, the ``try`` line, the literal), so
``# noqa: DBSnnn  # nosemgrep: <id>`` on that line silences flake8 and Semgrep
at once. Each case below marks its finding line with ``#@``; the test checks
that, unsuppressed, both engines report the same codes on that line and
nowhere else, and that the one comment removes every one of them.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import RULES_DIR, tool

from flake8_dbsec.catalog import BY_SEMGREP_ID, RULES

pytestmark = pytest.mark.slow

HEADER = '''\
import logging
import sqlite3

import sqlalchemy as sa
from oslo_db import exception as db_exc
from sqlalchemy import delete, text, update

LOG = logging.getLogger(__name__)
'''

#: name -> function body; the finding line ends with ``#@``
CASES = {
    "execute_by_id": '''
def f(session, Model, row_id):
    session.execute(update(Model).where(Model.id == row_id).values(a=1))  #@
''',
    "parenthesised_chain": '''
def f(session, Model, row_id):
    count = (
        session.query(Model)  #@
        .filter_by(id=row_id)
        .delete(synchronize_session=False)
    )
''',
    "multi_line_execute": '''
def f(conn, table, row_id, seen):
    conn.execute(  #@
        table.update()
        .where(table.c.id == row_id)
        .where(table.c.generation == seen)
        .values(a=1)
    )
''',
    "bulk": '''
def f(session, Model, before):
    session.execute(delete(Model).where(Model.deleted_at < before))  #@
''',
    "integrity_only": '''
def f(session, obj):
    try:
        obj.save(session)  #@
    except db_exc.DBDuplicateEntry:
        raise ValueError("exists")
''',
    "swallowed": '''
def f(session):
    try:
        session.commit()
    except db_exc.DBError:  #@
        pass
''',
    "dead_handler": '''
def f(session, obj):
    try:  #@
        session.add(obj)
    except db_exc.DBReferenceError:
        raise ValueError("bad reference")
''',
    "left_open": '''
def f(session):
    try:
        session.execute(text("INSERT INTO t (a) VALUES (1)"))
    except sa.exc.SQLAlchemyError:  #@
        LOG.warning("delete failed")
''',
    "logged": '''
def f(consumer_uuid, password):
    LOG.debug("consumer %s password %s", consumer_uuid, password)  #@
''',
    "sql_built": '''
def f(cursor, name):
    cursor.execute(  #@
        "SELECT * FROM users WHERE name = '%s'" % name
    )
''',
    "password_literal": '''
ENGINE_URL = (
    "postgresql://app:hunter2@db/app"  #@
)
''',
    "leak": '''
def f(path):
    conn = sqlite3.connect(path)  #@
    conn.execute("SELECT 1")
''',
}


def render(body: str, suppress: bool, codes=()) -> str:
    comment = ""
    if suppress:
        ids = ",".join(RULES[c].semgrep_id for c in codes)
        comment = f"  # noqa: {','.join(codes)}  # nosemgrep: {ids}"
    return HEADER + body.replace("  #@", comment)


def marked_line(body: str) -> int:
    lines = (HEADER + body).splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.endswith("#@"))


def flake8_findings(path: Path) -> set:
    out = subprocess.run(
        [tool("flake8"), "--isolated", "--select", "DBS", "--format", "%(row)d %(code)s", str(path)],
        capture_output=True, text=True,
    ).stdout
    return {(int(row), code) for row, code in (line.split() for line in out.splitlines())}


def semgrep_findings(path: Path) -> set:
    out = subprocess.run(
        [tool("semgrep"), "scan", "--metrics=off", "--disable-version-check", "--json", "--quiet",
         "--config", str(RULES_DIR), str(path)],
        capture_output=True, text=True, timeout=600,
    ).stdout
    found = set()
    for hit in json.loads(out)["results"]:
        rule_id = hit["check_id"].rsplit(".", 1)[-1]
        found.add((hit["start"]["line"], BY_SEMGREP_ID[rule_id].code))
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_comment_silences_both_engines(name, tmp_path):
    body = CASES[name]
    line = marked_line(body)
    plain = tmp_path / "plain.py"
    plain.write_text(render(body, suppress=False))
    f8, sg = flake8_findings(plain), semgrep_findings(plain)
    assert f8, "flake8 reports nothing: the case is broken"
    assert {row for row, _ in f8} == {line}, f"flake8 reports off the marked line: {sorted(f8)}"
    assert sg == f8, f"Semgrep {sorted(sg)} and flake8 {sorted(f8)} disagree"

    codes = sorted({code for _, code in f8})
    quiet = tmp_path / "quiet.py"
    quiet.write_text(render(body, suppress=True, codes=codes))
    assert re.search(r"# noqa: DBS\d{3}.*  # nosemgrep: dbs\d{3}-", quiet.read_text())
    assert flake8_findings(quiet) == set()
    assert semgrep_findings(quiet) == set()
