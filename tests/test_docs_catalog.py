"""The docs made from the catalog: rule pages, the rule index, the README tables.

Every implemented code has a page with the six sections in order and the
header generated from the catalog; planned codes are in the index without a
page; the README's code and option tables match the catalog and options; the
README's test command is what CI runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from flake8_dbsec import docgen
from flake8_dbsec.catalog import IMPLEMENTED, RULES
from flake8_dbsec.options import OPTION_DEFAULTS, OPTION_SPECS

PAGES = ROOT / "docs" / "rules"
PLANNED = [rule for rule in RULES.values() if not rule.implemented]


def page_text(code: str) -> str:
    path = PAGES / f"{code}.md"
    assert path.is_file(), f"docs/rules/{code}.md is missing (the rule's helper writes it)"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(IMPLEMENTED))
def test_rule_page_has_the_sections_in_order(code: str):
    body = docgen.page_body(page_text(code))
    assert docgen.headings(body) == list(docgen.PAGE_SECTIONS)
    for section in re.split(r"^## .*$", body, flags=re.M)[1:]:
        assert section.strip(), f"{code}: an empty section"


@pytest.mark.parametrize("code", sorted(IMPLEMENTED))
def test_rule_page_header_is_generated_from_the_catalog(code: str):
    text = page_text(code)
    rule = RULES[code]
    assert text.startswith(f"# {code}: {rule.title}\n{docgen.HEADER_START}\n")
    assert text == docgen.with_header(rule, text), (
        f"stale header in docs/rules/{code}.md: run {docgen.REGENERATE}"
    )


def test_planned_rules_are_in_the_index_without_a_page():
    index = (PAGES / docgen.INDEX_NAME).read_text(encoding="utf-8")
    assert index == docgen.render_index(), f"stale rule index: run {docgen.REGENERATE}"
    for rule in PLANNED:
        assert re.search(rf"^\| {rule.code} \| .* \| planned \|", index, re.M)
        assert f"({rule.code}.md)" not in index
    for code in IMPLEMENTED:
        assert f"[{code}]({code}.md)" in index


def test_readme_tables_match_catalog_and_options():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == docgen.render_readme(readme), f"stale README tables: run {docgen.REGENERATE}"
    for code in RULES:
        assert f"| {code}" in readme or f"| [{code}]" in readme
    for flag, *_ in OPTION_SPECS:
        assert f"`{flag}`" in readme
        assert flag in OPTION_DEFAULTS, f"{flag} has no documented default"


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"^\.venv/bin/pip install -e '\.\[test\]' && (.+)$", readme, re.M)
    assert command, "README lost its test command"
    assert ".venv/bin/pip install -e '.[test]'" in ci
    assert command.group(1) in ci
    assert "docs --check" in ci


def test_docs_check_and_write_on_a_scratch_tree(tmp_path: Path):
    """``docs --write`` fills a new page's header and the README tables; ``--check`` agrees."""
    (tmp_path / "pyproject.toml").write_text("")
    folder = tmp_path / "docs" / "rules"
    folder.mkdir(parents=True)
    sections = "\n\n".join(f"{heading}\n\ntext" for heading in docgen.PAGE_SECTIONS)
    for code in IMPLEMENTED:
        (folder / f"{code}.md").write_text(f"# {code}: old title\n\n{sections}\n")
    blocks = [docgen.block_markers(name, source) for name, (source, _) in docgen.README_BLOCKS.items()]
    (tmp_path / "README.md").write_text(
        "# x\n" + "\n\n".join(f"{start}\nold\n{end}" for start, end in blocks) + "\n")
    problems = docgen.check(tmp_path)
    assert any("out of date" in p for p in problems)
    assert any("docs/rules/README.md is missing" in p for p in problems)
    changed = docgen.write(tmp_path)
    assert len(changed) == len(IMPLEMENTED) + 2
    assert docgen.check(tmp_path) == []
    assert docgen.write(tmp_path) == []
    page = (folder / "DBS101.md").read_text()
    assert page.startswith(f"# DBS101: {RULES['DBS101'].title}\n")
    assert page.count(docgen.HEADER_END) == 1 and page.rstrip().endswith("text")
    (folder / "DBS102.md").write_text("# DBS102: x\n\n## What it does\n\ntext\n")
    docgen.write(tmp_path)
    assert any("DBS102.md: sections are" in p for p in docgen.check(tmp_path))


def test_a_page_without_markers_keeps_its_text():
    rule = RULES["DBS301"]
    text = "# DBS301: whatever\n\n## What it does\n\nbody\n"
    result = docgen.with_header(rule, text)
    assert result.startswith(docgen.render_header(rule))
    assert result.endswith("## What it does\n\nbody\n")
    assert docgen.with_header(rule, result) == result


def test_headings_ignore_code_blocks():
    body = "## What it does\n\n```python\n## not a heading\n```\n\n## Example\n"
    assert docgen.headings(body) == ["## What it does", "## Example"]


def test_pages_are_shipped_from_the_one_folder():
    """``flake8_dbsec.rule_docs`` is docs/rules itself, not a copy."""
    assert docgen.pages_dir().resolve() == PAGES.resolve()
    copies = list((ROOT / "flake8_dbsec").rglob("DBS*.md"))
    assert copies == []
