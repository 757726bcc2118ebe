"""Docs generated from the catalog, so the two cannot drift.

Generated parts (``python -m flake8_dbsec docs --write`` rewrites them,
``docs --check`` fails when they are stale):

* the title line and header block of every ``docs/rules/DBS###.md`` (the rule
  helpers write the sections below ``<!-- end header -->``);
* ``docs/rules/README.md``, the rule index, whole;
* the code table and the option table in the top-level ``README.md``,
  between ``<!-- codes: ... -->`` / ``<!-- options: ... -->`` markers, the
  plain-Semgrep command (``semgrep-command``: the flags
  ``flake8-dbsec-semgrep`` adds, default-off rules from the catalog) and the
  VS Code severity map (``vscode-severity``: the catalog's levels).

The pages live once, in ``docs/rules``; the wheel ships that folder as the
package ``flake8_dbsec.rule_docs`` (see ``pyproject.toml``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .catalog import IMPLEMENTED, NONE, POLICY, RULES, Rule
from .options import OPTION_DEFAULTS, OPTION_SPECS

PAGE_SECTIONS = (
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
    "## Options",
    "## References",
)
HEADER_START = "<!-- header: generated from flake8_dbsec/catalog.py; do not edit -->"
HEADER_END = "<!-- end header -->"
INDEX_NAME = "README.md"
REGENERATE = "python -m flake8_dbsec docs --write"


# --- where the pages are ------------------------------------------------------


def pages_dir() -> Path:
    """The folder holding ``DBS###.md``: the installed package, else the checkout."""
    try:
        from . import rule_docs  # type: ignore[attr-defined]

        return Path(next(iter(rule_docs.__path__)))
    except ImportError:  # running from a source tree that was never installed
        return Path(__file__).resolve().parent.parent / "docs" / "rules"


def read_page(code: str, folder: Optional[Path] = None) -> Optional[str]:
    path = (folder or pages_dir()) / f"{code}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


# --- one rule page --------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _cwe_links(rule: Rule) -> str:
    return ", ".join(
        f"[CWE-{n}]({url})" for n, url in zip(rule.cwe, rule.cwe_urls)
    )


def default_word(rule: Rule) -> str:
    """on | off | planned."""
    if not rule.implemented:
        return "planned"
    return "on" if rule.default_on else "off"


def default_text(rule: Rule) -> str:
    word = default_word(rule)
    if word == "off":
        return f"off (turn it on with `--extend-select {rule.code}`)"
    return "planned, not implemented yet" if word == "planned" else word


def kind_text(rule: Rule) -> str:
    """The catalog kind, said the way a user needs it."""
    if rule.kind == POLICY:
        return (
            "policy: a review rule a team adopts (see the README, \"Adopting "
            "policy codes\", to apply it to new code only)"
        )
    return "bug: the code is wrong whatever the team's conventions"


def semgrep_text(rule: Rule, rules_link: str) -> str:
    if rule.semgrep == NONE:
        return f"none: {rule.semgrep_reason}"
    link = f"[`{rule.semgrep_id}`]({rules_link}{rule.semgrep_id}.yaml)"
    return f"{link}, coverage **{rule.semgrep}**: {rule.semgrep_reason}"


def render_header(rule: Rule, extra_rows: Tuple[Tuple[str, str], ...] = ()) -> str:
    """Title line and generated block of a rule page (``extra_rows`` after the code)."""
    rows = [
        ("Code", f"`{rule.code}`"),
        *extra_rows,
        ("Kind", kind_text(rule)),
        ("Default", default_text(rule)),
        ("CWE", _cwe_links(rule)),
    ]
    if rule.owasp:
        rows.append(("OWASP", "; ".join(rule.owasp)))
    rows += [
        (
            "Severity",
            f"{rule.severity} (likelihood {rule.likelihood}, impact "
            f"{rule.impact}, confidence {rule.confidence})",
        ),
        ("Semgrep", semgrep_text(rule, "../../semgrep-rules/")),
        ("Message", f"`{rule.code} {rule.message}`"),
    ]
    table = ["| | |", "|---|---|"]
    table += [f"| **{key}** | {_cell(value)} |" for key, value in rows]
    return "\n".join(
        [f"# {rule.code}: {rule.title}", HEADER_START, "", *table, "", HEADER_END]
    )


def page_body(text: str) -> str:
    """What the rule helper wrote: everything after the generated header."""
    if HEADER_END in text:
        return text.split(HEADER_END, 1)[1].strip("\n")
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(line for line in lines if line != HEADER_START).strip("\n")


def with_header(rule: Rule, text: str, extra_rows: Tuple[Tuple[str, str], ...] = ()) -> str:
    body = page_body(text)
    return render_header(rule, extra_rows) + ("\n\n" + body if body else "") + "\n"


def headings(body: str) -> List[str]:
    """The ``## `` headings of a markdown body, outside fenced code blocks."""
    found: List[str] = []
    fenced = False
    for line in body.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            found.append(line.rstrip())
    return found


def section_problems(rule: Rule, text: Optional[str]) -> List[str]:
    """Why a rule page's written part is not acceptable (empty when it is)."""
    if text is None:
        return [f"docs/rules/{rule.code}.md is missing"]
    found = headings(page_body(text))
    if found != list(PAGE_SECTIONS):
        return [
            f"docs/rules/{rule.code}.md: sections are {found}, expected exactly "
            f"{list(PAGE_SECTIONS)} in this order"
        ]
    return []


def explain(rule: Rule, folder: Optional[Path] = None) -> str:
    """A rule's page as Markdown: the catalog header plus the written text."""
    text = read_page(rule.code, folder)
    if text is None:
        note = "This rule is planned." if not rule.implemented else "No page yet."
        return render_header(rule) + "\n\n" + note + "\n"
    return with_header(rule, text)


def explain_text(rule: Rule, folder: Optional[Path] = None) -> str:
    """A rule's page for the terminal (``explain``): headings and code blocks
    laid out, no HTML comments, every link absolute, the page's own address
    in the header."""
    from .sarif import DOCS_URI
    from .terminal import render

    page = DOCS_URI.format(code=rule.code)
    text = read_page(rule.code, folder)
    if text is None:
        markdown = explain(rule, folder)
    else:
        markdown = with_header(rule, text, (("Page", page),))
    return render(markdown, base=page)


# --- tables -------------------------------------------------------------------


def codes_table(link_prefix: str) -> str:
    """The catalog as a markdown table; pages linked with ``link_prefix``."""
    lines = [
        "| Code | Finding | Kind | Default | CWE | Semgrep rule (coverage) |",
        "|---|---|---|---|---|---|",
    ]
    for rule in RULES.values():
        code = f"[{rule.code}]({link_prefix}{rule.code}.md)" if rule.implemented else rule.code
        semgrep = (
            "none" if rule.semgrep == NONE else f"`{rule.semgrep_id}` ({rule.semgrep})"
        )
        cwe = ", ".join(f"CWE-{n}" for n in rule.cwe)
        lines.append(
            f"| {code} | {_cell(rule.title)} | {rule.kind} | {default_word(rule)} | {cwe} "
            f"| {semgrep} |"
        )
    return "\n".join(lines)


def options_table() -> str:
    lines = [
        "| Option (config key without `--`) | Kind | Default | Meaning |",
        "|---|---|---|---|",
    ]
    for flag, _dest, help_text, kind in OPTION_SPECS:
        default = OPTION_DEFAULTS.get(flag, "")
        default_cell = f"`{_cell(default)}`" if kind == "regex" else _cell(default or "(none)")
        meaning = help_text.split("; default:", 1)[0]
        kind_text = {
            "regex": "regex",
            "list": "comma-separated names, added to the default",
            "names": "comma-separated names, replacing the default (empty: none)",
        }[kind]
        lines.append(f"| `{flag}` | {kind_text} | {default_cell} | {_cell(meaning)} |")
    return "\n".join(lines)


def render_index() -> str:
    return "\n".join(
        [
            "# Rules",
            "",
            f"<!-- generated from flake8_dbsec/catalog.py by `{REGENERATE}`; do not edit -->",
            "",
            "Every code flake8-dbsec reports, with its Semgrep twin. "
            "`python -m flake8_dbsec explain DBS301` prints a page in the terminal.",
            "",
            codes_table(""),
            "",
        ]
    )


# --- editors and Semgrep: settings made from the catalog -----------------------

#: The recommended exclude set (README, "Tests and migrations"): directories
#: of these names, at any depth, are left out of both engines.
EXCLUDED_DIRS = ("tests", "test", "migrations")

#: The VS Code Flake8 extension's default ``flake8.severity`` (its
#: package.json); a user's value replaces it, so the map below repeats it.
VSCODE_DEFAULT_SEVERITY = {"E": "Error", "F": "Error", "I": "Information", "W": "Warning"}
#: catalog (SARIF) level -> VS Code diagnostic severity
VSCODE_LEVELS = {"error": "Error", "warning": "Warning", "note": "Information", "none": "Hint"}


def vscode_severity() -> Dict[str, str]:
    """``flake8.severity`` for VS Code: each DBS code at its catalog level.

    The extension looks a code up, then its prefixes (DBS302, DBS30, DBS3,
    DBS), then the first letter, else shows an Error; ``DBS`` makes a code
    added to the catalog later a Warning.
    """
    mapping = dict(VSCODE_DEFAULT_SEVERITY)
    mapping["DBS"] = "Warning"
    for code, rule in IMPLEMENTED.items():
        mapping[code] = VSCODE_LEVELS[rule.severity]
    return mapping


def vscode_severity_block() -> str:
    document = json.dumps({"flake8.severity": vscode_severity()}, indent=2)
    return f"```json\n{document}\n```"


def semgrep_command_block() -> str:
    """``semgrep scan`` with the pack as ``flake8-dbsec-semgrep`` runs it."""
    from .semgrep_hook import MODES, OFFLINE_FLAGS, default_off_exclusions

    exclusions = default_off_exclusions()
    lines = [
        "semgrep scan --config semgrep-rules/ " + " ".join([*MODES["scan"], "--no-rewrite-rule-ids"]),
        " ".join(OFFLINE_FLAGS),
        *(" ".join(exclusions[i : i + 2]) for i in range(0, len(exclusions), 2)),
        " ".join(f"--exclude={name}" for name in EXCLUDED_DIRS) + " src/",
    ]
    return "```sh\n" + " \\\n    ".join(lines) + "\n```"


# --- generated blocks in the top-level README -------------------------------


def block_markers(name: str, source: str) -> Tuple[str, str]:
    return (f"<!-- {name}: generated from {source}; do not edit -->", f"<!-- end {name} -->")


README_BLOCKS = {
    "codes": ("flake8_dbsec/catalog.py", lambda: codes_table("docs/rules/")),
    "options": ("flake8_dbsec/options.py", options_table),
    "semgrep-command": ("flake8_dbsec/semgrep_hook.py", semgrep_command_block),
    "vscode-severity": ("flake8_dbsec/catalog.py", vscode_severity_block),
}


def replace_block(text: str, name: str) -> str:
    """``text`` with the generated block ``name`` refreshed; ValueError if absent."""
    source, render = README_BLOCKS[name]
    start, end = block_markers(name, source)
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"README.md has no {start} ... {end} block")
    return pattern.sub(lambda _: f"{start}\n{render()}\n{end}", text, count=1)


def render_readme(text: str) -> str:
    for name in README_BLOCKS:
        text = replace_block(text, name)
    return text


# --- the whole tree -----------------------------------------------------------


def wanted_files(root: Path) -> Dict[Path, str]:
    """Every generated file under ``root`` with the content it should have."""
    folder = root / "docs" / "rules"
    out: Dict[Path, str] = {folder / INDEX_NAME: render_index()}
    for rule in RULES.values():
        text = read_page(rule.code, folder)
        if text is not None:
            out[folder / f"{rule.code}.md"] = with_header(rule, text)
    readme = root / "README.md"
    if readme.is_file():
        out[readme] = render_readme(readme.read_text(encoding="utf-8"))
    return out


def check(root: Path) -> List[str]:
    """Every reason the docs under ``root`` are stale or incomplete."""
    problems: List[str] = []
    if not (root / "README.md").is_file():
        problems.append("README.md is missing")
    for path, content in wanted_files(root).items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current is None:
            problems.append(f"{path.relative_to(root)} is missing")
        elif current != content:
            problems.append(f"{path.relative_to(root)} is out of date (run {REGENERATE})")
    folder = root / "docs" / "rules"
    for rule in RULES.values():
        if rule.implemented:
            problems += section_problems(rule, read_page(rule.code, folder))
    return problems


def write(root: Path) -> List[Path]:
    """Rewrite every stale generated part; return the files changed."""
    changed = []
    for path, content in wanted_files(root).items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != content:
            path.write_text(content, encoding="utf-8")
            changed.append(path)
    return changed
