#!/usr/bin/env python3
"""Never-crash sweep: the plugin over everything Python we can find.

* ``--stdlib``: every ``.py`` file of the running interpreter's standard
  library (its tests included, site-packages excluded);
* ``--python PATH`` (repeatable): the same for another interpreter, e.g. a
  newer one that parses syntax the running one cannot (PEP 695, 701): this
  script runs again under ``PATH`` with ``--stdlib`` only, so the plugin (from
  this checkout, which needs nothing but the standard library) runs under
  that interpreter and parses that stdlib as it does;
* ``--corpus``: every ``.py`` file of the pinned corpus releases
  (``benchmarks/corpus.py``; tests and migrations included here);
* ``--examples N``: the never-crash properties of ``tests/test_never_crash.py``
  (hypothesmith's grammar and node strategies, and the database-shaped
  sources), N examples each instead of CI's few dozen;
* ``--semgrep``: the Semgrep pack over every corpus file, checking that no rule
  hits Semgrep's default per-rule timeout (or runs out of memory);
* ``--adversarial``: every class of ``tests/adversarial_sources.py`` (SQL
  comment runs, huge literals, long identifiers and SET/WHERE lists through
  every sink, ``%(`` and URL runs, thousands of cursors or rebindings in one
  function) at 10 KB, 100 KB and 1 MB: ``flake8 -j1`` on the file with the
  plugin against flake8 without it (the same interpreter and flake8, the
  plugin's entry point hidden), as a ratio of CPU times; ``--before DIR``
  also times an older checkout of the plugin (``git archive <rev> | tar -x
  -C DIR``), each run cut at ``--timeout`` seconds.

Each file is decoded and parsed as flake8 does (coding cookie, else UTF-8);
files the interpreter cannot parse are flake8's E999 and are only counted.
Every code is enabled. Any exception out of the plugin, or a malformed
finding, is printed with its file and traceback and makes the exit status 1.

``--write-docs`` merges into the generated section of ``docs/robustness.md``:
a row replaces the row of the same sweep (stdlib rows by ``X.Y``), other rows,
the property runs and the Semgrep line stay unless this run redid them, and
each run's stamp lists what it produced.

Usage::

    python benchmarks/sweep.py                    # stdlib + corpus
    python benchmarks/sweep.py --all --examples 2000 --write-docs
    python benchmarks/sweep.py --stdlib --slowest 20
    python benchmarks/sweep.py --python python3.12 --python python3.13 --write-docs
    python benchmarks/sweep.py --adversarial --before /tmp/before --write-docs
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import tokenize
import traceback
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

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


def run_under(python: str, slowest: int) -> Sweep:
    """``--stdlib`` of another interpreter: this script again, under it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    cmd = [python, str(Path(__file__).resolve()), "--stdlib", "--slowest", str(slowest), "--json"]
    print(f"  {' '.join(cmd)}", file=sys.stderr)
    try:
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, timeout=3600)
        data = json.loads(proc.stdout)[0]
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError) as exc:
        sweep = Sweep(f"{python} stdlib")
        sweep.errors.append(f"{python}: the sweep did not run: {type(exc).__name__}: {exc}")
        print(f"SWEEP FAILED {python}: {exc}", file=sys.stderr)
        return sweep
    data["slowest"] = [tuple(pair) for pair in data["slowest"]]
    return Sweep(**data)


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


# --- adversarial classes: the plugin against plain flake8 ------------------------------------------

#: flake8 in a fresh interpreter, optionally with the plugin's entry points
#: hidden (argv[1] == "plain"): plain flake8 with the same flake8 and Python
_FLAKE8_RUNNER = """
import sys
if sys.argv[1] == "plain":
    from flake8.plugins import finder
    original = finder._find_importlib_plugins
    def without_dbsec():
        for plugin in original():
            if plugin.package.replace("_", "-") != "flake8-dbsec":
                yield plugin
    finder._find_importlib_plugins = without_dbsec
from flake8.main.cli import main
sys.exit(main(sys.argv[2:]))
"""
ADVERSARIAL_SIZES = (10_000, 100_000, 1_000_000)


@dataclass
class AdversarialRow:
    name: str
    size: int
    plain: float  # CPU s, flake8 without the plugin
    with_plugin: Optional[float]  # None: cut at the timeout
    before: Optional[float] = None
    before_ran: bool = False

    def ratio(self, seconds: Optional[float], timeout: float) -> str:
        if seconds is None:
            return f"> {timeout / self.plain:,.0f}×"
        return f"{seconds / self.plain:.2f}×"


def time_flake8(path: Path, plain: bool, plugin_path: Optional[str], timeout: float) -> Optional[float]:
    """CPU seconds of ``flake8 -j1 --isolated path``; None when cut at ``timeout``."""
    import resource

    env = dict(os.environ)
    if plugin_path:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (plugin_path, env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-c", _FLAKE8_RUNNER, "plain" if plain else "dbsec",
               "--isolated", "-j1", "--exit-zero", "--select=E,F,W,C90,DBS", str(path)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        # in the file's directory: ``python -c`` puts the working directory
        # first on sys.path, and a checkout there would shadow ``plugin_path``
        subprocess.run(command, env=env, cwd=path.parent, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_adversarial(sizes: Sequence[int], names: Optional[Sequence[str]], before: Optional[str],
                    timeout: float, before_sizes: Optional[Sequence[int]] = None) -> List[AdversarialRow]:
    """Each class at each size: flake8 without the plugin, with it, and with
    the ``before`` checkout of it; a class that hits the timeout before is
    not tried at larger sizes before (it only gets slower)."""
    import tempfile

    from adversarial_sources import ADVERSARIAL

    rows: List[AdversarialRow] = []
    hung_before = set()
    with tempfile.TemporaryDirectory() as tmp:
        for name, case in ADVERSARIAL.items():
            if names and not any(part in name for part in names):
                continue
            for size in sizes:
                path = Path(tmp, name.replace("-", "_") + ".py")
                path.write_text(case.make(size), encoding="utf-8")
                plain = time_flake8(path, True, None, timeout)
                if plain is None:  # flake8 itself is over the timeout: no ratio, no larger sizes
                    print(f"  {name} {size:,} B: plain flake8 over {timeout:.0f} s", file=sys.stderr)
                    rows.append(AdversarialRow(name, size, float("nan"), None))
                    break
                row = AdversarialRow(name, size, plain, time_flake8(path, False, None, timeout))
                if before and name not in hung_before and (before_sizes is None or size in before_sizes):
                    row.before, row.before_ran = time_flake8(path, False, before, timeout), True
                    if row.before is None:
                        hung_before.add(name)
                rows.append(row)
                print(f"  {name} {size:,} B: plain {plain:.2f}s, with {row.ratio(row.with_plugin, timeout)}"
                      + (f", before {row.ratio(row.before, timeout)}" if row.before_ran else ""),
                      file=sys.stderr)
    return rows


def adversarial_class(name: str) -> str:
    """``sql-hex-in-set-fstring`` -> ``sql-hex-in-set`` (the sink folded in)."""
    from adversarial_sources import SINKS

    for sink in SINKS:
        if name.endswith("-" + sink):
            return name[: -len(sink) - 1]
    return name


def render_adversarial(rows: List[AdversarialRow], timeout: float, before: Optional[str]) -> str:
    """Per class (sinks folded in): the worst ratio over sizes and sinks."""
    worst: Dict[str, Tuple[float, str, float, str, int]] = {}
    too_slow = sorted({f"{row.name} at {row.size:,} B" for row in rows if row.plain != row.plain})
    for row in rows:
        if row.plain != row.plain:  # NaN: plain flake8 was cut at the timeout
            continue
        key = adversarial_class(row.name)
        after = (row.with_plugin if row.with_plugin is not None else timeout) / row.plain
        old = (row.before if row.before is not None else timeout) / row.plain if row.before_ran else -1.0
        entry = worst.get(key, (-1.0, "–", -1.0, "–", 0))
        if old > entry[0]:
            entry = (old, row.ratio(row.before, timeout), *entry[2:])
        if after > entry[2]:
            entry = (entry[0], entry[1], after, row.ratio(row.with_plugin, timeout), row.size)
        worst[key] = entry
    header = ("class", "worst before", "worst now", "at size")
    table = corpus._table(header, [(k, v[1], v[3], f"{v[4]:,} B") for k, v in worst.items()])
    overall = max((v[2] for v in worst.values()), default=0.0)
    sizes = sorted({row.size for row in rows})
    return (f"flake8 -j1 with the plugin / without it, CPU time, same file, sizes "
            f"{', '.join(f'{s:,}' for s in sizes)} bytes; SQL classes over six sinks "
            f"(execute, exec_driver_sql, text(), f-string, %, +); runs cut at {timeout:.0f} s"
            + (" (\"before\": the plugin as it was, from an older checkout)" if before else "")
            + f".\n\n{table}\n\nWorst ratio now: **{overall:.2f}×**."
            + (f" Not timed (flake8 without the plugin alone took over {timeout:.0f} s): "
               f"{'; '.join(too_slow)}." if too_slow else ""))


# --- report --------------------------------------------------------------------------------------


HEADER = ("sweep", "files checked", "lines", "unparsable (E999)", "findings", "plugin CPU s",
          "plugin errors")
PROPERTIES = "property runs"
SEMGREP = "Semgrep"


def sweep_row(s: Sweep) -> Tuple[str, ...]:
    return (s.name, f"{s.files:,}", f"{s.lines:,}", str(s.unparsable), f"{s.findings:,}",
            f"{s.seconds:.1f}", f"**{len(s.errors)}**")


def render_properties(props: List[str]) -> str:
    return ("Property runs (no exception, well-formed findings, deterministic):\n\n"
            + "\n".join(f"- {p}" for p in props))


def render_semgrep(semgrep: dict) -> str:
    if "skipped" in semgrep:
        return f"Semgrep: skipped ({semgrep['skipped']})."
    return (f"Semgrep pack ({semgrep['rules']} rules, default timeouts) over "
            f"{semgrep['files']:,} corpus files: **{len(semgrep['fatal'])}** rule timeouts "
            f"or out-of-memory; {len(semgrep['other'])} other errors (files Semgrep's "
            "parser could not read).")


def render(sweeps: List[Sweep], props: Optional[List[str]], semgrep: Optional[dict]) -> str:
    """This run's results alone (what is printed)."""
    parts = [corpus._table(HEADER, [sweep_row(s) for s in sweeps])] if sweeps else []
    if props is not None:
        parts.append(render_properties(props))
    if semgrep is not None:
        parts.append(render_semgrep(semgrep))
    return "\n\n".join(parts)


def row_key(name: str) -> str:
    """Rows replace rows of the same key: ``CPython 3.12.1 stdlib`` -> ``CPython 3.12 stdlib``."""
    return re.sub(r"^(CPython \d+\.\d+)\.\S+", r"\1", name)


_STAMP = re.compile(r"^Run (?P<head>.*?)(?:: (?P<items>[^`]*))?\.$")


def merge_section(old: str, stamp: str, sweeps: List[Sweep], props: Optional[List[str]],
                  semgrep: Optional[dict]) -> str:
    """The generated section of robustness.md with this run merged in.

    ``old`` is the section as generated before (stamps, table, property runs,
    Semgrep line); ``stamp`` is ``Run <date> with `<command>` (<python>)``.
    """
    rows: Dict[str, Tuple[str, ...]] = {}
    stamps: List[Tuple[str, List[str]]] = []
    blocks: Dict[str, str] = {}
    paragraphs = [p.strip() for p in old.strip().split("\n\n") if p.strip()]
    for i, para in enumerate(paragraphs):
        if para.startswith("Run "):
            for line in para.splitlines():
                match = _STAMP.match(line.strip())
                if match:
                    items = match.group("items")
                    # a stamp without a list (older format) made everything that is there
                    stamps.append((match.group("head"), items.split("; ") if items else []))
        elif para.startswith("|"):
            for line in para.splitlines()[2:]:
                cells = tuple(c.strip() for c in line.strip().strip("|").split(" | "))
                rows[row_key(cells[0])] = cells
        elif para.startswith("Property runs"):
            following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
            blocks[PROPERTIES] = para + ("\n\n" + following if following.startswith("- ") else "")
        elif para.startswith("Semgrep"):
            blocks[SEMGREP] = para
    everything = [r[0] for r in rows.values()] + sorted(blocks)
    stamps = [(head, items or everything) for head, items in stamps]

    made = [s.name for s in sweeps]
    for s in sweeps:
        rows[row_key(s.name)] = sweep_row(s)
    if props is not None:
        blocks[PROPERTIES] = render_properties(props)
        made.append(PROPERTIES)
    if semgrep is not None:
        blocks[SEMGREP] = render_semgrep(semgrep)
        made.append(SEMGREP)
    replaced = {row_key(item) for item in made}
    stamps = [(head, kept) for head, items in stamps
              if (kept := [item for item in items if row_key(item) not in replaced])]
    if made:
        stamps.append((stamp, made))

    def order(key: str) -> Tuple[int, Tuple[int, ...], int]:
        match = re.match(r"CPython (\d+)\.(\d+) stdlib$", key)
        if match:
            return (0, (int(match.group(1)), int(match.group(2))), 0)
        return (1, (), list(rows).index(key))

    parts = [f"Run {head}: {'; '.join(items)}." for head, items in stamps]
    if rows:
        parts.append(corpus._table(HEADER, [rows[k] for k in sorted(rows, key=order)]))
    parts += [blocks[name] for name in (PROPERTIES, SEMGREP) if name in blocks]
    return "\n\n".join(parts)


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
    parser.add_argument("--python", action="append", default=[], metavar="PATH",
                        help="also sweep the stdlib of this interpreter, under it (repeatable)")
    parser.add_argument("--write-docs", action="store_true",
                        help="merge the results into docs/robustness.md")
    parser.add_argument("--adversarial", action="store_true",
                        help="time flake8 with the plugin against flake8 without it on every adversarial class")
    parser.add_argument("--sizes", default=",".join(map(str, ADVERSARIAL_SIZES)),
                        help="--adversarial: file sizes in bytes (comma-separated)")
    parser.add_argument("--classes", help="--adversarial: only classes whose name holds one of these (comma-separated)")
    parser.add_argument("--before", metavar="DIR", help="--adversarial: also time the plugin from this older checkout")
    parser.add_argument("--before-sizes", help="--adversarial: sizes at which --before is timed (default: all)")
    parser.add_argument("--save", metavar="FILE", help="--adversarial: also write the timings as JSON")
    parser.add_argument("--before-from", metavar="FILE",
                        help="--adversarial: take the --before timings from an earlier --save")
    parser.add_argument("--timeout", type=float, default=120.0, help="--adversarial: seconds per flake8 run")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # for --python
    args = parser.parse_args(argv)
    if args.adversarial:
        return adversarial_main(args, argv)
    if not (args.stdlib or args.corpus or args.semgrep or args.examples or args.all or args.python):
        args.stdlib = args.corpus = True
    if args.all:
        args.stdlib = args.corpus = args.semgrep = True

    sweeps: List[Sweep] = []
    if args.stdlib:
        sweeps.append(run_files(f"CPython {sys.version.split()[0]} stdlib", stdlib_files(), args.slowest))
    if args.json:  # the child of --python: results to stdout, nothing else
        print(json.dumps([asdict(s) for s in sweeps]))
        return 1 if any(s.errors for s in sweeps) else 0
    for python in args.python:
        sweeps.append(run_under(python, args.slowest))
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
        begin, end = "<!-- sweep:begin -->", "<!-- sweep:end -->"
        old = doc.split(begin, 1)[1].split(end, 1)[0] if begin in doc and end in doc else ""
        stamp = (f"{time.strftime('%Y-%m-%d')} with `python benchmarks/sweep.py "
                 f"{' '.join(argv if argv is not None else sys.argv[1:])}` "
                 f"(Python {sys.version.split()[0]})")
        doc = corpus.replace_section(doc, "sweep", merge_section(old, stamp, sweeps, props, semgrep))
        ROBUSTNESS_DOC.write_text(doc, encoding="utf-8")
    failed = any(s.errors for s in sweeps) or prop_errors or (semgrep and semgrep.get("fatal"))
    return 1 if failed else 0


def adversarial_main(args: argparse.Namespace, argv: Optional[Sequence[str]]) -> int:
    sizes = [int(size) for size in args.sizes.split(",")]
    names = args.classes.split(",") if args.classes else None
    before_sizes = [int(size) for size in args.before_sizes.split(",")] if args.before_sizes else None
    rows = run_adversarial(sizes, names, args.before, args.timeout, before_sizes)
    if args.before_from:
        earlier = {(row["name"], row["size"]): row for row in json.loads(Path(args.before_from).read_text())}
        for row in rows:
            old = earlier.get((row.name, row.size))
            if old is not None and old.get("before_ran"):
                row.before, row.before_ran = old["before"], True
    if args.save:
        Path(args.save).write_text(json.dumps([asdict(row) for row in rows], indent=1))
    text = render_adversarial(rows, args.timeout, args.before or args.before_from)
    print(text)
    if args.write_docs:
        stamp = (f"Run {time.strftime('%Y-%m-%d')} with `python benchmarks/sweep.py "
                 f"{' '.join(argv if argv is not None else sys.argv[1:])}` (Python {sys.version.split()[0]}).")
        doc = ROBUSTNESS_DOC.read_text(encoding="utf-8")
        doc = corpus.replace_section(doc, "adversarial", stamp + "\n\n" + text)
        ROBUSTNESS_DOC.write_text(doc, encoding="utf-8")
    worst = max(((row.with_plugin if row.with_plugin is not None else args.timeout) / row.plain
                 for row in rows if row.plain == row.plain), default=0.0)
    return 1 if worst > 5 else 0


if __name__ == "__main__":
    sys.exit(main())
