"""``python -m flake8_dbsec`` / ``flake8-dbsec`` and the installed wheel.

``explain``, ``list`` and ``docs`` as subprocesses; and ``pip install .`` into a
fresh venv, after which a plain ``flake8 path/`` reports DBS findings and
``flake8-dbsec explain`` prints the pages shipped inside the wheel.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import ROOT

from flake8_dbsec import docgen
from flake8_dbsec.catalog import IMPLEMENTED, RULES
from flake8_dbsec.sarif import DOCS_URI

pytestmark = pytest.mark.slow


def main(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8_dbsec", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )


def test_explain_prints_a_terminal_page():
    result = main("explain", "DBS301")
    assert result.returncode == 0, result.stderr
    assert result.stdout == docgen.explain_text(RULES["DBS301"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("DBS301: ") and set(lines[1]) == {"="}
    assert "dbs301-update-rowcount-unchecked" in result.stdout
    assert "CWE-362 <https://cwe.mitre.org/data/definitions/362.html>" in result.stdout
    assert f"Page      {DOCS_URI.format(code='DBS301')}" in result.stdout
    assert "<!--" not in result.stdout and "](" not in result.stdout


def test_explain_format_markdown_prints_the_page_source():
    result = main("explain", "DBS301", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert result.stdout == docgen.explain(RULES["DBS301"])
    assert result.stdout.startswith("# DBS301: ")
    assert docgen.HEADER_START in result.stdout


@pytest.mark.parametrize("code", sorted(IMPLEMENTED))
def test_terminal_page_lays_out_every_rule_page(code: str):
    """Headings underlined, code blocks indented, no comments, links absolute."""
    rule = RULES[code]
    text = docgen.explain_text(rule)
    markdown = docgen.explain(rule)
    lines = text.splitlines()
    assert "<!--" not in text and "```" not in text
    assert not re.search(r"\]\([^)]*\)", text), "a Markdown link was left as is"
    for section in docgen.PAGE_SECTIONS:
        title = section[3:]
        at = lines.index(title)
        assert lines[at + 1] == "-" * len(title), section
    for url in re.findall(r"<([^>\s]+)>", text):
        if url.startswith(("http://", "https://")):
            continue
        assert not url.endswith((".md", ".yaml")), f"relative link {url!r} left"
    for cwe_url in rule.cwe_urls:
        assert f"<{cwe_url}>" in text
    assert DOCS_URI.format(code=code) in text
    # every relative link of the page, resolved against the page's address
    for target in re.findall(r"\]\(([^)\s]+)\)", markdown):
        if not target.startswith(("http://", "https://")):
            resolved = urljoin(DOCS_URI.format(code=code), target)
            assert f"<{resolved}>" in text, target
    # the code of every fenced block is there, indented by four spaces
    for block in re.findall(r"```[a-z]*\n(.*?)```", markdown, re.S):
        for line in block.splitlines():
            if line.strip():
                assert "    " + line in lines, line


def test_explain_accepts_semgrep_ids_and_lowercase():
    by_id = main("explain", "dbs302-optimistic-lock-rowcount-unchecked")
    by_code = main("explain", "dbs302")
    assert by_id.returncode == by_code.returncode == 0
    assert by_id.stdout == by_code.stdout


def test_explain_opt_in_rule_and_unknown_code():
    opt_in = main("explain", "DBS701")
    assert opt_in.returncode == 0 and "--extend-select DBS701" in opt_in.stdout
    unknown = main("explain", "DBS999")
    assert unknown.returncode == 2
    assert unknown.stderr.count("\n") == 1 and "DBS999" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_list_prints_every_code():
    result = main("list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert any(line.split()[1:3] == ["policy", "off"] for line in lines if line.startswith("DBS303"))
    assert any(line.split()[1:3] == ["bug", "off"] for line in lines if line.startswith("DBS701"))
    kinds = {line.split()[0]: line.split()[1] for line in lines}
    assert kinds == {code: rule.kind for code, rule in RULES.items()}


def test_docs_check_exit_status_follows_the_problems():
    result = main("docs", "--check")
    problems = docgen.check(ROOT)
    assert result.returncode == (1 if problems else 0), result.stderr
    assert result.stderr.splitlines() == problems


def test_docs_needs_a_source_checkout(tmp_path: Path):
    result = main("docs", "--check", "--root", str(tmp_path))
    assert result.returncode == 2 and "source checkout" in result.stderr


# --- the wheel, installed like a user installs it ---------------------------------------


SHIPPED = ("pyproject.toml", "README.md", "flake8_dbsec", "docs", "semgrep-rules")
# flake8 and what flake8 itself needs: nothing else may come with the plugin.
ALLOWED = {"flake8", "mccabe", "pycodestyle", "pyflakes", "flake8-dbsec", "pip", "setuptools"}


def copy_source(target: Path) -> Path:
    """The sources a clean clone holds, without build leftovers."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    target.mkdir()
    for name in SHIPPED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, target / name, symlinks=True, ignore=ignore)
        elif path.exists():
            shutil.copy2(path, target / name)
    return target


def test_pip_install_then_plain_flake8_reports_findings(tmp_path: Path):
    source = copy_source(tmp_path / "src")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(source)],
        capture_output=True, text=True, timeout=600, env=environ,
    )
    assert install.returncode == 0, install.stderr[-3000:]

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(ROOT / "examples" / "consumer_example.py", project / "consumer.py")
    lint = subprocess.run(
        [str(bin_dir / "flake8"), "."], cwd=project,
        capture_output=True, text=True, timeout=300, env=environ,
    )
    codes = {line.split()[1] for line in lint.stdout.splitlines() if " DBS" in line}
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert {"DBS101", "DBS102", "DBS201", "DBS302"} <= codes
    assert "DBS303" not in codes, "DBS303 is off by default"

    # pyproject.toml settings without Flake8-pyproject: one warning, not silence
    (project / "pyproject.toml").write_text(
        '[tool.flake8]\ndbsec-baseline = ".dbsec-baseline.json"\n'
        'dbsec-handler-decorators = ["handle_conflicts"]\n')
    shutil.copy2(project / "consumer.py", project / "consumer_copy.py")
    warned = subprocess.run(
        [str(bin_dir / "flake8"), "-j", "2", "."], cwd=project,
        capture_output=True, text=True, timeout=300, env=environ,
    )
    assert warned.returncode == 1 and " DBS101 " in warned.stdout
    lines = warned.stderr.strip().splitlines()
    assert len(lines) == 1, warned.stderr
    assert lines[0].startswith("flake8-dbsec: warning: pyproject.toml sets dbsec-baseline, "
                               "dbsec-handler-decorators under [tool.flake8]")
    assert "Flake8-pyproject" in lines[0]

    listed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True, text=True, timeout=300, env=environ,
    )
    installed = {line.split("==")[0].lower() for line in listed.stdout.splitlines()}
    assert installed <= ALLOWED, f"runtime dependencies besides flake8: {installed - ALLOWED}"

    explain = subprocess.run(
        [str(bin_dir / "flake8-dbsec"), "explain", "DBS101"], cwd=project,
        capture_output=True, text=True, timeout=120, env=environ,
    )
    assert explain.returncode == 0, explain.stderr
    assert explain.stdout == docgen.explain_text(RULES["DBS101"]), "pages not shipped in the wheel"
    assert "## What it does" not in explain.stdout and "What it does\n------------" in explain.stdout
    raw = subprocess.run(
        [str(bin_dir / "flake8-dbsec"), "explain", "DBS101", "--format=markdown"], cwd=project,
        capture_output=True, text=True, timeout=120, env=environ,
    )
    assert raw.stdout == docgen.explain(RULES["DBS101"])
