"""The flake8 engine against the shared annotated fixtures in ``semgrep-rules/``.

For every fixture, each code whose rule id is annotated in the file must be
reported exactly on the ``ruleid``/``todoruleid`` lines and nowhere else.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest
from annotations import read_annotations
from conftest import RULES_DIR

from flake8_dbsec.catalog import BY_SEMGREP_ID, IMPLEMENTED
from flake8_dbsec.checker import check_tree
from flake8_dbsec.options import DEFAULT_SETTINGS

ALL_CODES = replace(DEFAULT_SETTINGS, enabled_codes=frozenset(IMPLEMENTED))
FIXTURES = sorted(RULES_DIR.glob("dbs*.py"))


def test_every_implemented_rule_has_a_fixture():
    names = {p.stem for p in FIXTURES}
    missing = [r.semgrep_id for r in IMPLEMENTED.values() if r.semgrep_id not in names]
    assert not missing, f"rules without a fixture in semgrep-rules/: {missing}"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_matches_flake8(fixture: Path):
    annotations = read_annotations(fixture)
    assert annotations, f"{fixture.name} has no annotations"
    unknown = {a.rule_id for a in annotations} - set(BY_SEMGREP_ID)
    assert not unknown, f"unknown rule ids in {fixture.name}: {unknown}"
    owned = {BY_SEMGREP_ID[a.rule_id].code for a in annotations}
    source = fixture.read_text(encoding="utf-8")
    findings = check_tree(ast.parse(source), ALL_CODES)
    got = {(f.code, f.line) for f in findings if f.code in owned}
    want = {
        (BY_SEMGREP_ID[a.rule_id].code, a.line)
        for a in annotations
        if a.kind in ("ruleid", "todoruleid")
    }
    lines = source.splitlines()
    missing = sorted(want - got)
    extra = sorted(got - want)
    detail = [f"missing {c} at {l}: {lines[l - 1].strip()}" for c, l in missing]
    detail += [f"unexpected {c} at {l}: {lines[l - 1].strip()}" for c, l in extra]
    assert not detail, "\n".join(detail)
