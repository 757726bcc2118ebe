"""The plugin's own code is pyflakes-clean (dead code, undefined names)."""

from __future__ import annotations

from pathlib import Path

from pyflakes.api import checkPath
from pyflakes.reporter import Reporter


def test_package_has_no_pyflakes_warnings(tmp_path):
    package = Path(__file__).resolve().parent.parent / "flake8_dbsec"
    out = tmp_path / "out.txt"
    with out.open("w") as stream:
        reporter = Reporter(stream, stream)
        warnings = sum(checkPath(str(p), reporter) for p in sorted(package.rglob("*.py")))
    assert warnings == 0, out.read_text()
