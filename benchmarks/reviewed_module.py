#!/usr/bin/env python3
"""Lint the module the five security reviews were written about.

Downloads the ``nova==18.0.3`` wheel (``pip download --no-deps``), extracts
OpenStack placement's ``objects/consumer.py`` and its caller ``util.py``, runs
flake8 with this plugin over them (all codes, DBS303 included) and prints the
findings.  ``--check`` also asserts the findings the spec promises.

    python benchmarks/reviewed_module.py [--cache DIR] [--check] [--markdown]

This is a script, not a unit test: it needs the package index.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL_REQ = "nova==18.0.3"
MODULES = (
    "nova/api/openstack/placement/objects/consumer.py",
    "nova/api/openstack/placement/util.py",
)
#: (module suffix, code, text that must be on the reported line) the spec promises
EXPECTED = (
    ("consumer.py", "DBS101", "res = ctx.session.execute(ins_stmt)"),
    ("consumer.py", "DBS101", "ctx.session.execute(del_stmt)"),
    ("consumer.py", "DBS101", "res = ctx.session.execute(upd_stmt)"),
    ("consumer.py", "DBS102", "db_obj.save(ctx.session)"),
    ("consumer.py", "DBS302", "ctx.session.execute(upd_stmt)"),
    ("consumer.py", "DBS303", "ctx.session.execute(del_stmt)"),
    ("util.py", "DBS201", 'LOG.debug("Supplied project or user ID for consumer %s was "'),
)
#: (module suffix, code, line text) that must NOT be reported
NOT_EXPECTED = (
    ("consumer.py", "DBS301", "res = ctx.session.execute(upd_stmt)"),
    ("consumer.py", "DBS302", "res = ctx.session.execute(upd_stmt)"),
)


def fetch_tree(cache: Path) -> Path:
    """The whole nova 18.0.3 tree (the project model sees every module)."""
    fetch(cache)
    wheels = sorted(cache.glob("nova-18.0.3-*.whl"))
    target = cache / "nova-18.0.3-tree"
    if not (target / "nova" / "__init__.py").exists():
        with zipfile.ZipFile(wheels[0]) as archive:
            archive.extractall(target)
    return target


def fetch(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob("nova-18.0.3-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", WHEEL_REQ, "-d", str(cache)],
            check=True,
        )
        wheels = sorted(cache.glob("nova-18.0.3-*.whl"))
    target = cache / "nova-18.0.3"
    with zipfile.ZipFile(wheels[0]) as archive:
        for member in MODULES:
            archive.extract(member, target)
    return target


def lint(root: Path) -> list:
    fmt = "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s"
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "DBS", "--extend-select", "DBS303",
         f"--format={fmt}", *MODULES],
        cwd=root, capture_output=True, text=True,
    )
    if proc.returncode not in (0, 1) or proc.stderr.strip():
        sys.exit(f"flake8 failed ({proc.returncode}):\n{proc.stderr}")
    rows = []
    for line in proc.stdout.splitlines():
        path, row, col, code, text = line.split("\t", 4)
        source = (root / path).read_text().splitlines()[int(row) - 1].strip()
        rows.append((path, int(row), int(col), code, text, source))
    return rows


def check(rows: list) -> list:
    problems = []
    for suffix, code, text in EXPECTED:
        if not any(p.endswith(suffix) and c == code and s.startswith(text) for p, _, _, c, _, s in rows):
            problems.append(f"missing {code} on `{text}` in {suffix}")
    for suffix, code, text in NOT_EXPECTED:
        if any(p.endswith(suffix) and c == code and s.startswith(text) for p, _, _, c, _, s in rows):
            problems.append(f"unexpected {code} on `{text}` in {suffix}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get(
        "DBSEC_CORPUS", Path(tempfile.gettempdir()) / "flake8-dbsec-reviewed")))
    parser.add_argument("--check", action="store_true", help="assert the spec's expected findings")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--whole-tree", action="store_true",
                        help="lint the two modules inside the whole nova 18.0.3 tree too; --check "
                             "then also asserts the same findings as the modules alone")
    args = parser.parse_args(argv)
    rows = lint(fetch(args.cache))
    if args.whole_tree:
        in_tree = lint(fetch_tree(args.cache))
        alone = sorted((path, row, code) for path, row, _, code, _, _ in rows)
        together = sorted((path, row, code) for path, row, _, code, _, _ in in_tree)
        if alone != together:
            print("FAIL: the whole tree gives other findings than the modules alone:",
                  sorted(set(alone) ^ set(together)), file=sys.stderr)
            return 1
        print(f"the whole nova 18.0.3 tree gives the same {len(together)} findings", file=sys.stderr)
    if args.markdown:
        print("| file:line | code | statement |\n|---|---|---|")
        for path, row, _, code, _, source in rows:
            print(f"| `{path.split('placement/')[-1]}:{row}` | {code} | `{source}` |")
    else:
        for path, row, col, code, text, _ in rows:
            print(f"{path}:{row}:{col + 1}: {code} {text}")
    if args.check:
        problems = check(rows)
        for problem in problems:
            print("FAIL:", problem, file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
