"""The generated Semgrep YAMLs are what their generators produce today.

DBS101-104, DBS602 (``tools/gen_semgrep_error_rules.py``), DBS601
(``tools/gen_semgrep_resource_rule.py``) and DBS301-304
(``tools/gen_semgrep_rowcount_rules.py``) are committed output: an edit to a
generator without re-running it, or a hand edit of the YAML, fails here.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import ROOT, RULES_DIR

GENERATORS = ("gen_semgrep_error_rules", "gen_semgrep_resource_rule", "gen_semgrep_rowcount_rules")


def load(name: str):
    tools = str(ROOT / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)  # the resource generator imports the error one
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", GENERATORS)
def test_generated_yaml_is_up_to_date(name, tmp_path, monkeypatch):
    gen = load(name)
    (tmp_path / "semgrep-rules").mkdir()
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    gen.main()
    written = sorted((tmp_path / "semgrep-rules").glob("*.yaml"))
    assert written, f"tools/{name}.py wrote nothing"
    for path in written:
        committed = RULES_DIR / path.name
        assert committed.exists(), f"{path.name}: generated but not committed"
        assert committed.read_text() == path.read_text(), (
            f"semgrep-rules/{path.name} differs from what tools/{name}.py generates: "
            f"run 'python tools/{name}.py' and commit the YAML (never edit it by hand)"
        )
