"""``python -m flake8_dbsec`` / ``flake8-dbsec``: rule docs in the terminal and docs upkeep.

Subcommands:

* ``explain DBS301`` (or a Semgrep rule id): print the rule's page, laid
  out for the terminal (``--format markdown``: its Markdown source);
* ``list``: print the catalog, one line per code;
* ``baseline [PATHS] -o FILE``: record today's findings (see ``recorder.py``);
* ``lint [FLAKE8 ARGS]``: flake8 with the project's configuration, DBS
  findings only (see ``lint.py``; the pre-commit hook and CI recipes run it);
* ``model [PATH]``: what the project model learned, file:line per fact;
* ``docs --check`` / ``docs --write``: check or regenerate the parts of the
  docs generated from the catalog (rule page headers, rule index, README tables).

Linting itself is flake8's job: ``flake8 path/``, or ``flake8-dbsec lint path/``
for the DBS findings alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from . import __version__, docgen, recorder
from .catalog import BY_SEMGREP_ID, RULES, Rule


def find_rule(name: str) -> Optional[Rule]:
    """A rule by code (any case) or by Semgrep rule id."""
    return RULES.get(name.upper()) or BY_SEMGREP_ID.get(name.lower())


def cmd_explain(args: argparse.Namespace) -> int:
    rule = find_rule(args.code)
    if rule is None:
        known = ", ".join(RULES)
        print(f"flake8-dbsec: error: unknown rule {args.code!r} (known: {known})", file=sys.stderr)
        return 2
    if args.format == "markdown":
        sys.stdout.write(docgen.explain(rule))
    else:
        sys.stdout.write(docgen.explain_text(rule))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    for rule in RULES.values():
        default = docgen.default_word(rule)
        print(
            f"{rule.code}  {rule.kind:<6}  {default:<7}  semgrep:{rule.semgrep:<7}  {rule.title}"
        )
    return 0


def source_root(given: Optional[str]) -> Optional[Path]:
    """The checkout whose docs to check: ``--root``, else the one holding this package."""
    root = Path(given) if given else Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / "docs" / "rules").is_dir():
        return root
    return None


def cmd_docs(args: argparse.Namespace) -> int:
    root = source_root(args.root)
    if root is None:
        print(
            "flake8-dbsec: error: docs needs a source checkout (pyproject.toml and "
            "docs/rules/); pass --root",
            file=sys.stderr,
        )
        return 2
    if args.write:
        for path in docgen.write(root):
            print(f"wrote {path.relative_to(root)}")
    problems = docgen.check(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems and args.check:
        print(f"docs are up to date with the catalog ({len(RULES)} rules)")
    return 1 if problems else 0


def cmd_model(args: argparse.Namespace) -> int:
    """Print what the project model learned, with file:line per fact."""
    import os

    from .analysis.project.cache import default_cache_dir
    from .analysis.project.layout import find_root
    from .analysis.project.model import ProjectModel
    from .options import DEFAULT_SETTINGS

    path = args.path or "."
    if not os.path.exists(path):
        print(f"flake8-dbsec: error: no such file or directory: {path}", file=sys.stderr)
        return 2
    root = find_root(path)
    cache = None if args.no_cache else default_cache_dir()
    model = ProjectModel(root, DEFAULT_SETTINGS, cache)
    facts = model.facts()
    if args.grep:
        facts = [f for f in facts if args.grep in f[2]]
    for file, line, fact in facts:
        print(f"{os.path.relpath(file)}:{line}: {fact}")
    print(
        f"flake8-dbsec: {len(facts)} fact(s) from {len(model.by_path)} module(s) under {root} "
        f"({model.learned} summarised now, the rest from {model.cache.location})",
        file=sys.stderr,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flake8-dbsec",
        description="Rule documentation for flake8-dbsec. To lint, run: flake8 --select DBS PATH",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    explain = sub.add_parser("explain", help="print a rule's page (e.g. explain DBS301)")
    explain.add_argument("code", help="a code such as DBS301, or a Semgrep rule id")
    explain.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="text: laid out for the terminal, links absolute (default); "
        "markdown: the page's source",
    )
    explain.set_defaults(run=cmd_explain)

    listing = sub.add_parser("list", help="print the rule catalog")
    listing.set_defaults(run=cmd_list)

    docs = sub.add_parser(
        "docs", help="check (--check) or regenerate (--write) the docs made from the catalog"
    )
    mode = docs.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="fail if any generated part is stale")
    mode.add_argument("--write", action="store_true", help="rewrite the generated parts")
    docs.add_argument("--root", help="the source checkout (default: the one holding this package)")
    docs.set_defaults(run=cmd_docs)

    model = sub.add_parser(
        "model", help="print what the project model learned (file:line per fact)"
    )
    model.add_argument("path", nargs="?", help="a file or directory of the project (default: .)")
    model.add_argument("--grep", help="only facts containing this text")
    model.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    model.set_defaults(run=cmd_model)

    baseline = sub.add_parser(
        "baseline",
        help="record today's DBS findings so flake8 --dbsec-baseline reports only new ones",
    )
    recorder.add_arguments(baseline)
    baseline.set_defaults(run=recorder.main)

    sub.add_parser(
        "lint",
        help="flake8 with your configuration, DBS findings only (takes flake8's arguments)",
        add_help=False,
    )
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["lint"]:  # every later argument is flake8's
        from . import lint

        return lint.main(argv[1:])
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
