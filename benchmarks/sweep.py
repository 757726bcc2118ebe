#!/usr/bin/env python3
"""Never-crash sweep: the plugin over everything Python we can find.

* ``--stdlib``: every ``.py`` file of the running interpreter's standard
  library (its tests included, site-packages excluded);
* ``--corpus``: every ``.py`` file of the pinned corpus releases
  (``benchmarks/corpus.py``; tests and migrations included here);
* ``--examples N``: the never-crash properties of ``tests/test_never_crash.py``
  (hypothesmith's grammar and node strategies, and the database-shaped
  sources), N examples each instead of CI's few dozen;
* ``--semgrep``: the Semgrep pack over every corpus file, checking that no rule
  hits Semgrep's default per-rule timeout (or runs out of memory).

Each file is decoded and parsed as flake8 does (coding cookie, else UTF-8);
files the interpreter cannot parse are flake8's E999 and are only counted.
Every code is enabled. Any exception out of the plugin, or a malformed
finding, is printed with its file and traceback and makes the exit status 1.

Usage::

    python benchmarks/sweep.py                    # stdlib + corpus
    python benchmarks/sweep.py --all --examples 2000 --write-docs
    python benchmarks/sweep.py --stdlib --slowest 20
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import sys
import sysconfig
import time
import tokenize
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

ROOT = corpus.ROOT
ROBUSTNESS_DOC = ROOT / "docs" / "robustness.md"
sys.path.insert(0, str(ROOT / "tests"))


@dataclass
class Sweep:
    name: str
    files: int = 0
    lines: int = 0
    unparsable: int = 0
    findings: int = 0
    seconds: float = 0.0
    errors: List[str] = field(default_factory=list)
    slowest: List[Tuple[float, str]] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Like flake8: the coding cookie or BOM, else UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def check_file(path: Path, label: str, sweep: Sweep, slowest: int) -> None:
    from flake8_dbsec.catalog import IMPLEMENTED
    from flake8_dbsec.checker import DbsecChecker

    try:
        source = decode(path.read_bytes())
        tree = ast.parse(source, str(path))
    except (SyntaxError, ValueError, UnicodeDecodeError, LookupError, RecursionError, MemoryError):
        sweep.unparsable += 1
        return
    lines = source.splitlines(True)
    sweep.files += 1
    sweep.lines += len(lines)
    start = time.thread_time()
    try:
        found = list(DbsecChecker(tree, str(path), lines).run())
    except BaseException as exc:  # noqa: B036 - the point is to see everything
        if isinstance(exc, KeyboardInterrupt):
            raise
        sweep.errors.append(f"{label}: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        print(f"PLUGIN ERROR {label}\n{traceback.format_exc()}", file=sys.stderr)
        return
    elapsed = time.thread_time() - start
    sweep.seconds += elapsed
    sweep.findings += len(found)
    for line, col, message, _ in found:
        code = message.split(" ", 1)[0]
        if code not in IMPLEMENTED or not (1 <= line <= len(lines) + 1) or col < 0:
            sweep.errors.append(f"{label}: malformed finding {(line, col, message)!r}")
    sweep.slowest.append((elapsed, label))
    sweep.slowest.sort(reverse=True)
    del sweep.slowest[slowest:]


def run_files(name: str, files: Iterable[Tuple[Path, str]], slowest: int) -> Sweep:
    sweep = Sweep(name)
    for path, label in files:
        check_file(path, label, sweep, slowest)
    return sweep


def stdlib_files() -> List[Tuple[Path, str]]:
    root = Path(sysconfig.get_paths()["stdlib"])
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "dist-packages", "__pycache__"))
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = Path(dirpath, name)
                out.append((path, f"stdlib/{path.relative_to(root)}"))
    return out


def corpus_files(names: Optional[Sequence[str]], max_files: Optional[int]) -> List[Tuple[Path, str]]:
    out = []
    for pf in corpus.load(names, all_files=True, max_files=max_files):
        for rel, path in zip(pf.files, pf.paths()):
            out.append((path, f"{pf.project.name}/{rel}"))
    return out


# --- properties --------------------------------------------------------------------------------


def run_properties(examples: int) -> Tuple[List[str], List[str]]:
    """The never-crash properties with ``examples`` examples per strategy."""
    import hypothesmith
    from hypothesis import HealthCheck, given, settings
    from never_crash_sources import db_modules
    from test_never_crash import assert_never_crashes

    strategies = {
        "hypothesmith.from_grammar()": hypothesmith.from_grammar(),
        "hypothesmith.from_node()": hypothesmith.from_node(),
        "db_modules()": db_modules(max_leaves=60),
    }
    warnings.filterwarnings("ignore", category=SyntaxWarning)  # hypothesmith's odd-but-valid code
    errors, done = [], []
    for label, strategy in strategies.items():
        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def prop(source: str) -> None:
            assert_never_crashes(source)

        start = time.perf_counter()
        try:
            prop()
        except Exception:  # hypothesis re-raises the minimal failing example
            errors.append(f"{label}:\n{traceback.format_exc()}")
            print(f"PROPERTY FAILED {label}\n{traceback.format_exc()}", file=sys.stderr)
        done.append(f"{label}: {examples} examples, {time.perf_counter() - start:.0f}s")
        print(f"  {done[-1]}", file=sys.stderr)
    return done, errors


# --- semgrep -------------------------------------------------------------------------------------

#: Semgrep error types that mean a rule did not finish on a file.
SEMGREP_FATAL = ("Timeout", "OutOfMemory", "Out of memory", "Stack overflow")


def run_semgrep(names: Optional[Sequence[str]], max_files: Optional[int], jobs: Optional[int]) -> dict:
    """The pack over every corpus file at Semgrep's default timeouts."""
    semgrep = corpus.tool("semgrep")
    rules = corpus.semgrep_rule_files()
    if not rules:
        return dict(skipped="no rules in semgrep-rules/")
    fatal, other, files = [], [], 0
    for pf in corpus.load(names, all_files=True, max_files=max_files):
        for chunk in corpus.chunks(pf.files, 500):
            payload = corpus.semgrep_json(semgrep, [corpus.SEMGREP_RULES], chunk, pf.root, jobs)
            files += len(payload.get("paths", {}).get("scanned", []))
            for err in payload.get("errors", ()):
                text = corpus.describe_semgrep_error(pf.project.name, err)
                (fatal if any(k in text for k in SEMGREP_FATAL) else other).append(text)
        print(f"  semgrep {pf.project.name}: {len(fatal)} timeouts so far", file=sys.stderr)
    return dict(rules=len(rules), files=files, fatal=fatal, other=other)


# --- report --------------------------------------------------------------------------------------


def render(sweeps: List[Sweep], props: Optional[List[str]], semgrep: Optional[dict]) -> str:
    rows = [(s.name, f"{s.files:,}", f"{s.lines:,}", s.unparsable, f"{s.findings:,}",
             f"{s.seconds:.1f}", f"**{len(s.errors)}**") for s in sweeps]
    text = corpus._table(("sweep", "files checked", "lines", "unparsable (E999)", "findings",
                          "plugin CPU s", "plugin errors"), rows) if rows else ""
    if props is not None:
        text += "\n\nProperty runs (no exception, well-formed findings, deterministic):\n\n"
        text += "\n".join(f"- {p}" for p in props)
    if semgrep is not None:
        if "skipped" in semgrep:
            text += f"\n\nSemgrep: skipped ({semgrep['skipped']})."
        else:
            text += (f"\n\nSemgrep pack ({semgrep['rules']} rules, default timeouts) over "
                     f"{semgrep['files']:,} corpus files: **{len(semgrep['fatal'])}** rule timeouts "
                     f"or out-of-memory; {len(semgrep['other'])} other errors (files Semgrep's "
                     "parser could not read).")
    return text


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stdlib", action="store_true")
    parser.add_argument("--corpus", action="store_true")
    parser.add_argument("--semgrep", action="store_true")
    parser.add_argument("--examples", type=int, default=0, help="property examples per strategy")
    parser.add_argument("--all", action="store_true", help="stdlib, corpus, semgrep (+ --examples)")
    parser.add_argument("--projects", type=corpus.project_list)
    parser.add_argument("--max-files", type=int, help="corpus: every k-th file, at most N per project")
    parser.add_argument("--semgrep-jobs", type=int)
    parser.add_argument("--slowest", type=int, default=5, help="list the N slowest files per sweep")
    parser.add_argument("--write-docs", action="store_true", help="refresh docs/robustness.md")
    args = parser.parse_args(argv)
    if not (args.stdlib or args.corpus or args.semgrep or args.examples or args.all):
        args.stdlib = args.corpus = True
    if args.all:
        args.stdlib = args.corpus = args.semgrep = True

    sweeps: List[Sweep] = []
    if args.stdlib:
        sweeps.append(run_files(f"CPython {sys.version.split()[0]} stdlib", stdlib_files(), args.slowest))
    if args.corpus:
        sweeps.append(run_files("corpus (all files)", corpus_files(args.projects, args.max_files), args.slowest))
    for s in sweeps:
        print(f"{s.name}: {s.files} files, {s.lines} lines, {s.unparsable} unparsable, "
              f"{s.findings} findings, {s.seconds:.1f}s plugin CPU, {len(s.errors)} errors", file=sys.stderr)
        for seconds, label in s.slowest:
            print(f"  slowest: {seconds:.3f}s {label}", file=sys.stderr)
    props, prop_errors = run_properties(args.examples) if args.examples else (None, [])
    semgrep = run_semgrep(args.projects, args.max_files, args.semgrep_jobs) if args.semgrep else None
    if semgrep:
        for err in semgrep.get("fatal", ()):
            print(f"SEMGREP TIMEOUT {err}", file=sys.stderr)

    text = render(sweeps, props, semgrep)
    print(text)
    if args.write_docs:
        if args.max_files:
            raise SystemExit("--write-docs needs the whole corpus (drop --max-files)")
        doc = ROBUSTNESS_DOC.read_text(encoding="utf-8")
        stamp = (f"Run {time.strftime('%Y-%m-%d')} with `python benchmarks/sweep.py "
                 f"{' '.join(argv if argv is not None else sys.argv[1:])}`.\n\n")
        doc = corpus.replace_section(doc, "sweep", stamp + text)
        ROBUSTNESS_DOC.write_text(doc, encoding="utf-8")
    failed = any(s.errors for s in sweeps) or prop_errors or (semgrep and semgrep.get("fatal"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
