#!/usr/bin/env python3
"""Benchmarks on the real-world corpus (a script, not timed tests).

Every number is a ratio of medians measured in one session, so the machine's
speed cancels out; run it on a quiet machine (the script prints the load
average and warns when it is high). Parts, selectable with ``--only``:

a  flake8   default ``flake8 -j1`` with vs. without the plugin. ``--select``
            cannot remove a plugin's cost (flake8 runs every installed plugin
            and filters afterwards), so the script builds two virtualenvs under
            the corpus cache with the *same* flake8/pyflakes/pycodestyle/mccabe
            versions as the running interpreter, one of them with this working
            tree installed (not editable: byte-compiled by pip like the rest)
            and one without, and checks with ``flake8 --version`` that they
            differ only by the plugin.
            With the plugin, three runs: the project model off
            (``--dbsec-project-model=off``), the model with a cold cache (an
            empty ``--dbsec-cache-dir`` before every run) and with a warm one
            (the same directory, filled by the cold run): warm is how a
            developer runs it, cold is a fresh CI machine.
b  pyflakes the plugin's own cost against pyflakes', in-process, per file:
            each file is parsed once per engine outside the timed region, then
            ``DbsecChecker(tree, ...).run()`` (all codes on) and
            ``pyflakes.checker.Checker(tree, ...)`` are timed.
c  tools    the plugin as a standalone run (interpreter start + parse +
            check, all codes), ``bandit -r`` and the Semgrep pack, each given
            the same file list, one process per project, one job each.
d  semgrep  the Semgrep pack against Semgrep with one trivial rule
            (``benchmarks/floor-rule.yaml``): the engine's floor.
e  scaling  the plugin on generated modules of 1k, 10k and 100k lines
            (realistic DB-code shapes, a very long function that keeps
            rebinding the same locals, 60-deep nested blocks, 900-term
            expressions); time per line must stay flat.
f  instructions  the same modules under ``valgrind --tool=cachegrind``:
            instructions executed by the check, per line. Unlike time, the
            count does not depend on the CPU caches or on other load, so a
            flat count with a rising time per line is the memory hierarchy,
            not the algorithm. Skipped (with a note) without valgrind.
g  one function  pathological shapes: one statement repeated 1k, 10k and
            100k times in a single function (cursors and connections for
            DBS601, rebinding chains, query chains, SQL built and executed,
            writes, handlers, log calls, and 1k/10k/100k findings in one
            statement filtered through a baseline); time per statement must
            stay flat (a per-resource or per-binding scan would make it grow
            with the function).
h  stdin    one file from stdin (``--stdin-display-name``, as editors and
            pre-commit-style tools run it) in a whole project, by default
            ``nova/compute/manager.py``: plain flake8 against the plugin with a
            warm model cache. Linting one file reads the whole project's
            summaries, so this is where a model costs most per finding.

Process timings are CPU time (user+sys of the child) with wall time beside it;
in-process timings use the thread's CPU clock. Both are far less sensitive to
other load than wall time, but a quiet machine is still the only honest one.

Usage::

    python benchmarks/bench.py                       # everything, whole corpus
    python benchmarks/bench.py --projects nova --max-files 50 --repeat 3
    python benchmarks/bench.py --only e,f --merge --write-docs   # add to the last run
    python benchmarks/bench.py --profile --projects nova [--profiler pyinstrument]
"""

from __future__ import annotations

import argparse
import ast
import gc
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import tokenize
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (the sibling script: corpus selection and engines)

ROOT = corpus.ROOT
PERFORMANCE_DOC = ROOT / "docs" / "performance.md"
FLOOR_RULE = corpus.HERE / "floor-rule.yaml"
PARSE_FLOOR_RULE = corpus.HERE / "floor-parse-rule.yaml"
#: one-pattern rules on the method names the pack's rules start from: N of them
#: (N = the pack's rule count) are the engine's floor for a pack of N rules
SIMPLE_PATTERNS = ("$S.flush(...)", "$S.commit()", "$LOG.debug(...)", "$O.save(...)",
                   "$C.execute(...)", "$R.rowcount", "text(...)", "$S.rollback()",
                   "$LOG.log(...)", "$Q.update(...)", "$Q.delete(...)", "$E.connect(...)",
                   "$C.executemany(...)", "$S.add(...)", "$C.cursor()", "$S.close()")


def simple_rules_yaml(count: int) -> str:
    """``count`` one-pattern rules (distinct patterns, cycled), for the per-rule floor."""
    lines = ["rules:"]
    for i in range(count):
        lines += [f"- id: dbsec-benchmark-simple-{i + 1}", "  languages: [python]",
                  "  severity: INFO", "  message: benchmark floor rule",
                  f"  pattern: {SIMPLE_PATTERNS[i % len(SIMPLE_PATTERNS)]}"]
    return "\n".join(lines) + "\n"
FLAKE8_DISTS = ("flake8", "pyflakes", "pycodestyle", "mccabe")
SIZES = (1_000, 10_000, 100_000)


# --- measuring -------------------------------------------------------------------


@dataclass
class Timing:
    cpu: float  # seconds, user + sys of the child process (or thread CPU)
    wall: float


def run_timed(cmd: Sequence[str], cwd: Optional[Path] = None, env: Optional[dict] = None,
              ok_codes: Tuple[int, ...] = (0,), stdin: Optional[Path] = None) -> Timing:
    """Run a command to completion; its CPU time (children's rusage delta) and wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as source:
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdin=source, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok_codes:
        raise SystemExit(f"{cmd[0]} failed (exit {proc.returncode}):\n{proc.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(cpu, wall)


def median_timing(samples: List[Timing]) -> Timing:
    return Timing(statistics.median(t.cpu for t in samples), statistics.median(t.wall for t in samples))


def interleaved(commands: Dict[str, Callable[[], Timing]], repeat: int) -> Dict[str, Timing]:
    """Run each measurement ``repeat`` times, alternating, and take medians
    (alternation spreads any drift in machine load over all candidates)."""
    samples: Dict[str, List[Timing]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, measure in commands.items():
            samples[name].append(measure())
    return {name: median_timing(s) for name, s in samples.items()}


def sum_timings(timings: Sequence[Timing]) -> Timing:
    return Timing(sum(t.cpu for t in timings), sum(t.wall for t in timings))


def read_source(path: Path) -> str:
    """Decode like flake8 does (coding cookie, else UTF-8)."""
    with tokenize.open(path) as fh:
        return fh.read()


def machine() -> dict:
    load = os.getloadavg()
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return dict(python=sys.version.split()[0], platform=platform.platform(), cpu=cpu,
                cores=os.cpu_count(), loadavg=[round(x, 2) for x in load])


def warn_if_busy(info: dict) -> None:
    cores = info["cores"] or 1
    if info["loadavg"][0] > 0.5 * cores:
        print(f"WARNING: load average {info['loadavg'][0]} on {cores} cores: the machine is busy, "
              "timings are not publishable", file=sys.stderr)


# --- (a) flake8 with vs. without the plugin ---------------------------------------------


def pinned_flake8() -> List[str]:
    return [f"{name}=={metadata.version(name)}" for name in FLAKE8_DISTS]


def ensure_venv(kind: str) -> Path:
    """A cached venv with the running interpreter's flake8 stack; ``dbsec``
    also has this working tree installed.

    Not editable: pip byte-compiles what it installs, as it did flake8 and
    pyflakes, so both venvs start from ``.pyc`` files. An editable tree
    would be compiled from source in every process when bytecode writing is
    off (``PYTHONDONTWRITEBYTECODE``), which charges the plugin ~40 ms per
    run that an installed plugin never pays. Reinstalled whenever the
    package's sources change."""
    pins = pinned_flake8()
    key = "-".join(p.replace("==", "") for p in pins[:1]) + f"-py{sys.version_info[0]}{sys.version_info[1]}"
    venv = corpus.cache_dir() / "bench-venvs" / f"{kind}-{key}"
    marker = venv / "dbsec-bench.json"
    # the entry points come from pyproject.toml: a change there needs a reinstall
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    if kind == "dbsec":
        for path in sorted((ROOT / "flake8_dbsec").rglob("*")) + sorted((ROOT / "docs" / "rules").glob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    project = digest.hexdigest()
    want = dict(pins=pins, kind=kind, root=str(ROOT), pyproject=project)
    if marker.exists() and json.loads(marker.read_text()) == want:
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    print(f"creating {venv} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run(pip + pins, check=True)
    if kind == "dbsec":
        subprocess.run(pip + ["--no-deps", str(ROOT)], check=True)
    marker.write_text(json.dumps(want))
    return venv


def flake8_versions(venv: Path) -> str:
    return corpus.tool_version([str(venv / "bin" / "flake8"), "--version"])


def check_venv_pair(plain: Path, dbsec: Path) -> Tuple[str, str]:
    v_plain, v_dbsec = flake8_versions(plain), flake8_versions(dbsec)
    if "flake8-dbsec" in v_plain or "flake8-dbsec" not in v_dbsec:
        raise SystemExit(f"venvs are not a clean pair:\n  {v_plain}\n  {v_dbsec}")
    if re.sub(r"flake8-dbsec: [^,)]+(, )?", "", v_dbsec) != v_plain:
        raise SystemExit(f"flake8 versions differ:\n  {v_plain}\n  {v_dbsec}")
    return v_plain, v_dbsec


#: the plugin's runs in part (a), beside plain flake8 ("without")
MODEL_VARIANTS = ("off", "cold", "warm")


def model_flags(variant: str, cache: Path) -> List[str]:
    if variant == "off":
        return ["--dbsec-project-model=off"]
    if variant == "cold":
        shutil.rmtree(cache, ignore_errors=True)
    return [f"--dbsec-cache-dir={cache}"]


def bench_flake8(projects: List[corpus.ProjectFiles], repeat: int) -> dict:
    plain, dbsec = ensure_venv("plain"), ensure_venv("dbsec")
    v_plain, v_dbsec = check_venv_pair(plain, dbsec)
    per_project = {}
    with tempfile.TemporaryDirectory(prefix="dbsec-bench-cache-") as tmp:
        for pf in projects:
            cache = Path(tmp) / pf.project.name

            def make(venv: Path, variant: Optional[str] = None) -> Callable[[], Timing]:
                def measure() -> Timing:
                    extra = model_flags(variant, cache) if variant else []
                    cmd = [str(venv / "bin" / "flake8"), "-j1", "--isolated", "--exit-zero", *extra, *pf.files]
                    return run_timed(cmd, cwd=pf.root)
                return measure

            # dict order is run order: "cold" empties the cache and fills it, "warm" reads it
            commands = {"without": make(plain)}
            commands.update((variant, make(dbsec, variant)) for variant in MODEL_VARIANTS)
            per_project[pf.project.name] = t = interleaved(commands, repeat)
            print(f"  (a) {pf.project.name}: without {t['without'].cpu:.2f}s, "
                  + ", ".join(f"{v} {t[v].cpu:.2f}s" for v in MODEL_VARIANTS) + " CPU", file=sys.stderr)
    totals = {name: sum_timings([t[name] for t in per_project.values()])
              for name in ("without",) + MODEL_VARIANTS}
    without, with_ = totals["without"], totals["warm"]
    return dict(
        without=vars(without), with_plugin=vars(with_),
        variants={v: vars(totals[v]) for v in MODEL_VARIANTS},
        overhead_cpu=with_.cpu / without.cpu - 1, overhead_wall=with_.wall / without.wall - 1,
        per_project={k: {name: vars(timing) for name, timing in v.items()} for k, v in per_project.items()},
        flake8_without=v_plain, flake8_with=v_dbsec,
    )


def bench_stdin(projects: List[corpus.ProjectFiles], repeat: int, target: str) -> Optional[dict]:
    """Part (h): one file from stdin in its whole project, warm model cache."""
    project, _, relative = target.partition(":")
    found = [pf for pf in projects if pf.project.name == project]
    if not found:
        print(f"  (h) skipped: project {project} is not in this run", file=sys.stderr)
        return None
    pf = found[0]
    path = pf.root / relative
    plain, dbsec = ensure_venv("plain"), ensure_venv("dbsec")
    with tempfile.TemporaryDirectory(prefix="dbsec-bench-cache-") as tmp:
        def make(venv: Path, extra: List[str]) -> Callable[[], Timing]:
            cmd = [str(venv / "bin" / "flake8"), "-j1", "--isolated", "--exit-zero", *extra,
                   f"--stdin-display-name={relative}", "-"]
            return lambda: run_timed(cmd, cwd=pf.root, stdin=path)

        warm = make(dbsec, [f"--dbsec-cache-dir={tmp}"])
        warm()  # fills the cache: every later run is warm
        t = interleaved({"without": make(plain, []), "warm": warm,
                         "off": make(dbsec, ["--dbsec-project-model=off"])}, repeat)
    print(f"  (h) {target}: without {t['without'].cpu:.2f}s, warm {t['warm'].cpu:.2f}s, "
          f"model off {t['off'].cpu:.2f}s CPU", file=sys.stderr)
    return dict(file=f"{pf.project.label}: {relative}", lines=corpus.nonblank_lines(path),
                project_files=len(pf.files), **{k: vars(v) for k, v in t.items()},
                ratio=t["warm"].cpu / t["without"].cpu)


# --- (b) in-process: plugin vs pyflakes ------------------------------------------------------


def time_in_process(sources: List[Tuple[str, str]], repeat: int) -> dict:
    """Per file: median thread-CPU time of each engine over ``repeat`` runs,
    each on a freshly parsed tree (parsing is not timed)."""
    import pyflakes.checker

    from flake8_dbsec.checker import DbsecChecker

    def dbsec(tree: ast.AST, name: str, lines: List[str]) -> None:
        list(DbsecChecker(tree, name, lines).run())

    def pyflakes_(tree: ast.AST, name: str, lines: List[str]) -> None:
        pyflakes.checker.Checker(tree, filename=name, withDoctest=False)

    engines = {"dbsec": dbsec, "pyflakes": pyflakes_}
    totals = {name: 0.0 for name in engines}
    ratios = []
    lines_total = 0
    for name, source in sources:
        lines = source.splitlines(True)
        lines_total += sum(1 for line in lines if line.strip())
        per = {}
        for engine, run in engines.items():
            samples = []
            for _ in range(repeat):
                tree = ast.parse(source, name)
                start = time.thread_time()
                run(tree, name, lines)
                samples.append(time.thread_time() - start)
            per[engine] = statistics.median(samples)
            totals[engine] += per[engine]
        if per["pyflakes"] > 0:
            ratios.append(per["dbsec"] / per["pyflakes"])
        gc.collect()
    return dict(
        files=len(sources), lines=lines_total,
        dbsec_seconds=totals["dbsec"], pyflakes_seconds=totals["pyflakes"],
        ratio=totals["dbsec"] / totals["pyflakes"] if totals["pyflakes"] else None,
        median_file_ratio=statistics.median(ratios) if ratios else None,
        dbsec_us_per_line=1e6 * totals["dbsec"] / max(lines_total, 1),
        pyflakes_us_per_line=1e6 * totals["pyflakes"] / max(lines_total, 1),
    )


def load_sources(projects: List[corpus.ProjectFiles]) -> List[Tuple[str, str]]:
    out = []
    for pf in projects:
        for rel, path in zip(pf.files, pf.paths()):
            try:
                source = read_source(path)
                ast.parse(source)
            except (SyntaxError, ValueError, UnicodeDecodeError):
                continue  # flake8 reports E999; neither engine runs
            out.append((f"{pf.project.name}/{rel}", source))
    return out


# --- (c, d) standalone tools -------------------------------------------------------------------

STANDALONE = """
import ast, sys, tokenize
sys.path.insert(0, sys.argv[2])
from flake8_dbsec.checker import DbsecChecker
for name in open(sys.argv[1]).read().splitlines():
    with tokenize.open(name) as fh:
        source = fh.read()
    try:
        tree = ast.parse(source, name)
    except (SyntaxError, ValueError):
        continue
    list(DbsecChecker(tree, name, source.splitlines(True)).run())
"""


def default_off_rule_flags() -> List[str]:
    """``--exclude-rule`` for the catalog's default-off codes, as
    ``flake8-dbsec-semgrep`` passes them."""
    from flake8_dbsec.catalog import DEFAULT_OFF, RULES

    flags: List[str] = []
    for code in DEFAULT_OFF:
        if RULES[code].semgrep != "none":
            flags += ["--exclude-rule", RULES[code].semgrep_id]
    return flags


def bench_tools(projects: List[corpus.ProjectFiles], repeat: int, parts: str) -> dict:
    semgrep = corpus.tool("semgrep")
    rules = corpus.semgrep_rule_files()
    env = corpus.semgrep_env()
    per_project: Dict[str, Dict[str, Timing]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for pf in projects:
            listing = Path(tmp) / f"{pf.project.name}.txt"
            listing.write_text("\n".join(pf.files))
            commands: Dict[str, Callable[[], Timing]] = {}

            def add(name: str, cmd: List[str], ok: Tuple[int, ...] = (0,), env_=None) -> None:
                commands[name] = lambda: run_timed(cmd, cwd=pf.root, env=env_, ok_codes=ok)

            sg = [semgrep, "scan", "--metrics=off", "--disable-version-check", "--quiet", "--json",
                  "--jobs", "1", "--output", os.devnull]
            if "c" in parts:
                add("dbsec", [sys.executable, "-c", STANDALONE, str(listing), str(ROOT)])
                add("bandit", [corpus.tool("bandit"), "-q", "-r", "-f", "json", "-o", os.devnull,
                               *pf.files], ok=(0, 1))
            if rules:
                add("semgrep pack", sg + ["--config", str(corpus.SEMGREP_RULES), *pf.files], (0, 1), env)
            if "d" in parts:
                add("semgrep floor", sg + ["--config", str(FLOOR_RULE), *pf.files], (0, 1), env)
                add("semgrep parse floor", sg + ["--config", str(PARSE_FLOOR_RULE), *pf.files], (0, 1), env)
                simple = Path(tmp) / "simple-rules.yaml"
                simple.write_text(simple_rules_yaml(len(rules)))
                add("semgrep simple rules", sg + ["--config", str(simple), *pf.files], (0, 1), env)
                # the pack as flake8-dbsec-semgrep runs it: default-off codes
                # left out, against as many one-pattern rules as it runs
                default_simple = Path(tmp) / "simple-default-rules.yaml"
                default_simple.write_text(simple_rules_yaml(len(rules) - len(default_off_rule_flags()) // 2))
                add("semgrep default pack", sg + ["--config", str(corpus.SEMGREP_RULES),
                                                  *default_off_rule_flags(), *pf.files], (0, 1), env)
                add("semgrep default simple rules", sg + ["--config", str(default_simple), *pf.files],
                    (0, 1), env)
            per_project[pf.project.name] = interleaved(commands, repeat)
            print(f"  (c/d) {pf.project.name}: " + ", ".join(
                f"{k} {v.cpu:.2f}s" for k, v in per_project[pf.project.name].items()), file=sys.stderr)
    names = list(next(iter(per_project.values())).keys()) if per_project else []
    totals = {n: sum_timings([p[n] for p in per_project.values()]) for n in names}
    return dict(
        totals={n: vars(t) for n, t in totals.items()},
        per_project={p: {n: vars(t) for n, t in v.items()} for p, v in per_project.items()},
        semgrep_rules=len(rules),
        bandit=corpus.tool_version([corpus.tool("bandit"), "--version"]).split(" python")[0] if "c" in parts else None,
        semgrep=corpus.tool_version([semgrep, "--version"]),
    )


# --- (e) scaling ----------------------------------------------------------------------------------

HEADER = '''\
"""Generated benchmark module: realistic database code shapes."""
import logging
import sqlite3

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from sqlalchemy import text, update
from sqlalchemy.orm import sessionmaker

LOG = logging.getLogger(__name__)
DB_URL = "mysql+pymysql://nova:{password}@db.example.org/nova"
CONSUMERS = sa.Table("consumers", sa.MetaData(), sa.Column("uuid"), sa.Column("generation"))
'''

SHAPES = (
    '''
@enginefacade.writer
def increment_generation_{i}(ctx, consumer_uuid, generation):
    upd = CONSUMERS.update().where(
        sa.and_(CONSUMERS.c.uuid == consumer_uuid, CONSUMERS.c.generation == generation)
    ).values(generation=generation + 1)
    res = ctx.session.execute(upd)
    if res.rowcount != 1:
        raise ConcurrentUpdate(consumer_uuid)
    LOG.debug("Incremented generation of consumer %s", consumer_uuid)
''',
    '''
def instance_destroy_{i}(context, instance_uuid, constraint=None):
    query = model_query(context, models.Instance).filter_by(uuid=instance_uuid)
    if constraint is not None:
        query = constraint.apply(models.Instance, query)
    count = query.soft_delete()
    model_query(context, models.InstanceInfoCache).filter_by(instance_uuid=instance_uuid).delete()
    stmt = update(models.Instance).where(models.Instance.uuid == instance_uuid).values(deleted=1)
    context.session.execute(stmt)
    return count
''',
    '''
def resource_class_create_{i}(context, values):
    rc = models.ResourceClass()
    rc.update(values)
    try:
        rc.save(context.session)
    except db_exc.DBDuplicateEntry:
        raise exception.ResourceClassExists(name=values["name"])
    except db_exc.DBError:
        pass
    return rc
''',
    '''
def lookup_rows_{i}(path, table, name, limit):
    conn = sqlite3.connect(path)
    cursor = conn.cursor()
    cursor.execute(f"SELECT * FROM {{table}} WHERE name = '%s' LIMIT %d" % (name, limit))
    rows = cursor.fetchall()
    cursor.execute("DELETE FROM audit WHERE name = ?", (name,))
    conn.commit()
    return [dict(zip([c[0] for c in cursor.description], row)) for row in rows]
''',
    '''
class TrackingStore{i}:
    def __init__(self, db_uri):
        self.engine = sa.create_engine(db_uri)
        self.SessionMaker = sessionmaker(bind=self.engine)

    def set_tag(self, run_id, key, value):
        with self.SessionMaker() as session:
            try:
                session.merge(SqlTag(run_uuid=run_id, key=key, value=value))
                session.commit()
            except sa.exc.IntegrityError:
                session.rollback()
                raise

    def connect(self, password, token):
        LOG.info("connecting as %s with token %s", password, token)
        return self.engine.connect()

    async def fetch(self, run_id):
        async with self.async_session() as session:
            result = await session.execute(text("SELECT * FROM runs WHERE id = :id"), {{"id": run_id}})
            return [row async for row in result] if result else None
''',
    '''
def summarize_{i}(items, mapping, *, strict=False):
    result = []
    for item in items:
        if item.get("name") in mapping:
            result.append({{k: v for k, v in item.items() if v is not None}})
        elif isinstance(item, dict) and (size := len(item)) > 2:
            result.extend(sorted(item)[:size])
        else:
            match item:
                case {{"kind": kind, **rest}}:
                    result.append((kind, rest))
                case _:
                    continue
    data = {{"items": result, "count": len(result), "strict": strict}}
    data.update(mapping)
    return data
''',
)

LONG_FUNCTION_STEP = '''\
    stmt{m} = sa.update(CONSUMERS).where(CONSUMERS.c.uuid == uuids[{j}]).values(generation={j})
    result = session.execute(stmt{m})
    q = session.query(Consumer).filter_by(uuid=uuids[{j}])
    q = q.filter(Consumer.generation == {j})
    rows = q.all()
    LOG.debug("consumer %s has %d rows", consumer_uuid, len(rows))
'''


def deep_block(i: int, depth: int) -> str:
    """A function nested ``depth`` blocks deep (if/for/with/try in turn)."""
    lines = [f"def deeply_nested_{i}(session, items, consumer_uuid):"]
    indent = 1
    for level in range(depth):
        pad = "    " * indent
        kind = level % 4
        if kind == 0:
            lines.append(f"{pad}if items:")
        elif kind == 1:
            lines.append(f"{pad}for item{level} in items:")
        elif kind == 2:
            lines.append(f"{pad}with session.begin():")
        else:
            lines.append(f"{pad}try:")
            lines.append(f"{pad}    session.add(item{level - 2})")
            # the handler of each try is appended after the body closes
        indent += 1
    pad = "    " * indent
    lines.append(f"{pad}session.flush()")
    lines.append(f'{pad}LOG.debug("flushed %s", consumer_uuid)')
    # close the try blocks from the inside out
    for level in reversed(range(depth)):
        if level % 4 == 3:
            pad = "    " * (level + 1)
            lines.append(f"{pad}except db_exc.DBError:")
            lines.append(f"{pad}    session.rollback()")
    return "\n".join(lines) + "\n"


def deep_expression(i: int, terms: int) -> str:
    chain = " + ".join(f"values[{k % 10}]" for k in range(terms))
    attrs = "ctx" + ".parent" * terms
    return (f"def deep_expression_{i}(ctx, values, cursor):\n"
            f"    total = {chain}\n"
            f"    owner = {attrs}.session\n"
            f"    cursor.execute(\"UPDATE totals SET v = \" + str(total) + \" WHERE o = \" + owner.name)\n"
            f"    return total\n")


def generate_module(target_lines: int) -> str:
    """About ``target_lines`` lines: 70% DB-code shapes, a long function of 20%
    (one scope rebinding the same names over and over), and per 1,000 lines
    one 60-deep nested block and one 900-term expression."""
    parts = [HEADER]
    count = HEADER.count("\n")
    per_k = max(1, target_lines // 1000)
    for i in range(per_k):
        block = deep_block(i, 60) + "\n\n" + deep_expression(i, 900) + "\n\n"
        parts.append(block)
        count += block.count("\n")
    long_lines = target_lines // 5
    body = ["def long_function(session, uuids, consumer_uuid):"]
    j = 0
    while len(body) < long_lines:
        body.extend(LONG_FUNCTION_STEP.format(j=j, m=j % 7).splitlines())
        j += 1
    body.append("    return result")
    parts.append("\n".join(body) + "\n\n")
    count += len(body) + 1
    i = 0
    while count < target_lines:
        shape = textwrap.dedent(SHAPES[i % len(SHAPES)]).format(i=i) + "\n"
        parts.append(shape)
        count += shape.count("\n")
        i += 1
    return "".join(parts)


def scaling_source(size: int) -> str:
    """A scaling case's module: ``generate_module(size)``, or for size 0 the
    control, ten copies of the 1k module. Its per-line cost against the 10k
    row separates the algorithm (same shapes, same cost per line) from the
    memory hierarchy (a 1k module's facts stay in the CPU caches)."""
    return generate_module(size) if size else generate_module(SIZES[0]) * 10


def scaling_cases() -> List[Tuple[str, int, str]]:
    """(label, size, source) of every scaling case, the control last."""
    cases = []
    for size in SIZES + (0,):
        source = scaling_source(size)
        cases.append((f"{source.count(chr(10)):,}" if size else "10 × the 1k module", size, source))
    return cases


def bench_scaling(repeat: int) -> dict:
    """Check time per line on generated modules, with CPython's cyclic garbage
    collector as flake8 runs it, and paused (the plugin's own work); plus how
    many full (oldest-generation) collections fell inside the check."""
    from flake8_dbsec.checker import check_tree
    from flake8_dbsec.options import DEFAULT_SETTINGS

    rows = []
    for label, _size, source in scaling_cases():
        lines = source.count("\n")
        findings = len(check_tree(ast.parse(source), DEFAULT_SETTINGS))
        samples, paused, parse_samples, full_passes = [], [], [], []
        for _ in range(repeat):
            start = time.thread_time()
            tree = ast.parse(source)
            parse_samples.append(time.thread_time() - start)
            gc.collect()
            before = gc.get_stats()[2]["collections"]
            start = time.thread_time()
            check_tree(tree, DEFAULT_SETTINGS)
            samples.append(time.thread_time() - start)
            full_passes.append(gc.get_stats()[2]["collections"] - before)
            gc.collect()
            gc.disable()
            try:
                start = time.thread_time()
                check_tree(tree, DEFAULT_SETTINGS)
                paused.append(time.thread_time() - start)
            finally:
                gc.enable()
            del tree
        seconds, seconds_paused = statistics.median(samples), statistics.median(paused)
        rows.append(dict(label=label, lines=lines,
                         seconds=seconds, us_per_line=1e6 * seconds / lines,
                         seconds_gc_paused=seconds_paused,
                         us_per_line_gc_paused=1e6 * seconds_paused / lines,
                         full_gc_passes=statistics.median(full_passes),
                         parse_seconds=statistics.median(parse_samples), findings=findings))
        print(f"  (e) {lines} lines: {seconds:.3f}s ({rows[-1]['us_per_line']:.1f} µs/line; "
              f"GC paused {rows[-1]['us_per_line_gc_paused']:.1f})", file=sys.stderr)
    base, base_paused = rows[0]["us_per_line"], rows[0]["us_per_line_gc_paused"]
    for row in rows:
        row["relative"] = row["us_per_line"] / base if base else None
        row["relative_gc_paused"] = row["us_per_line_gc_paused"] / base_paused if base_paused else None
    return dict(rows=rows)


#: part f's child: build one scaling case, parse it, and check it only when
#: asked, so that two runs' instruction counts differ by the check alone
_INSTRUCTIONS_CHILD = """
import ast, sys
sys.path.insert(0, sys.argv[3])
from bench import scaling_source
from flake8_dbsec.checker import check_tree
from flake8_dbsec.options import DEFAULT_SETTINGS
size, check = int(sys.argv[1]), sys.argv[2] == "1"
tree = ast.parse(scaling_source(size))
if check:
    check_tree(tree, DEFAULT_SETTINGS)
"""
_IREFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def parse_instruction_count(valgrind_stderr: str) -> int:
    """The total of cachegrind's summary line ``==pid== I   refs:  1,234``."""
    found = _IREFS.search(valgrind_stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{valgrind_stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def count_instructions(size: int, check: bool) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no",
             f"--cachegrind-out-file={tmp}/cachegrind.out", sys.executable, "-c", _INSTRUCTIONS_CHILD,
             str(size), "1" if check else "0", str(corpus.HERE)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"valgrind failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return parse_instruction_count(proc.stderr)


def bench_instructions() -> Optional[dict]:
    """Instructions the check executes per line on the scaling cases (one run
    each: the count is deterministic). None when valgrind is not installed."""
    if shutil.which("valgrind") is None:
        print("  (f) skipped: valgrind is not installed", file=sys.stderr)
        return None
    rows = []
    for label, size, source in scaling_cases():
        lines = source.count("\n")
        instructions = count_instructions(size, True) - count_instructions(size, False)
        rows.append(dict(label=label, lines=lines, instructions=instructions,
                         per_line=instructions / lines))
        print(f"  (f) {rows[-1]['label']}: {instructions / lines / 1e3:.1f}k instructions/line", file=sys.stderr)
    for row in rows:
        row["relative"] = row["per_line"] / rows[0]["per_line"]
    return dict(rows=rows)


# --- (g) pathological shapes in one function ----------------------------------------------------

#: one statement (or a few) repeated in a single function: the shapes that
#: were quadratic in the statements of a function (DBS601 resources times
#: calls, rebinding chains) and their neighbours
ONE_FUNCTION_SHAPES: Dict[str, str] = {
    "cursors (DBS601)": "cur = conn.cursor()\ncur.execute('SELECT 1')",
    "connections (DBS601)": "c = engine.connect()\nc.execute(stmt)",
    "one name rebound": "cur = conn.cursor()",
    "query chain rebound": "q = q.filter(M.a == x)",
    "SQL rebound and executed": "sql = 'DELETE FROM t WHERE a = ' + x\ncursor.execute(sql)",
    "statement rebound": "stmt = stmt.where(T.c.generation == g)\nres = session.execute(stmt)",
    "+= SQL": "sql += ' AND a = ' + x\ncursor.execute(sql)",
    "appends and join": "parts.append(x)\ncursor.execute(' '.join(parts))",
    "writes": "session.flush()",
    "UPDATEs": "res = session.execute(update(T).where(T.c.generation == g).values(generation=g + 1))",
    "try/except": "try:\n    session.flush()\nexcept DBError:\n    pass",
    "log calls": "LOG.debug('%s %s', instance_uuid, password)",
}
ONE_FUNCTION_SIGNATURE = ("def f(session, conn, engine, cursor, q, sql, stmt, x, g, parts, "
                          "instance_uuid, password, LOG):\n")


def one_function_source(shape: str, statements: int) -> str:
    """``shape`` repeated in one function, ``statements`` statements in all."""
    per_copy = shape.count("\n") + 1 - shape.count("except") - shape.count("try")
    body = textwrap.indent(shape, "    ") + "\n"
    return ONE_FUNCTION_SIGNATURE + body * max(1, statements // max(per_copy, 1))


def one_statement_findings(count: int) -> str:
    """``count`` DBS101 findings in one statement (a list of writes)."""
    calls = ",\n".join("        session.flush()" for _ in range(count))
    return f"def f(session):\n    return [\n{calls}\n    ]\n"


def time_baseline_filter(source: str) -> float:
    """Thread CPU seconds of the baseline filter over every finding of ``source``
    (all recorded, so all are looked up)."""
    from flake8_dbsec.baseline import Baseline, baseline_document, filter_findings
    from flake8_dbsec.checker import check_tree
    from flake8_dbsec.options import DEFAULT_SETTINGS

    findings = check_tree(ast.parse(source), DEFAULT_SETTINGS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "module.py")
        path.write_text(source)
        document = baseline_document(((str(path), f.line, f.code) for f in findings), Path(tmp), "bench")
        baseline = Baseline(Path(tmp), {(e["code"], e["file"], e["statement"]): e["count"]
                                         for e in document["findings"]},
                            {(e["code"], e["file"], e["statement"]): e["contexts"]
                             for e in document["findings"]})
        lines = source.splitlines(True)
        start = time.thread_time()
        left = filter_findings(findings, baseline, str(path), lines)
        elapsed = time.thread_time() - start
    assert not left, "every finding was recorded"
    return elapsed


def bench_one_function(repeat: int) -> dict:
    """µs per statement of each shape at 1k, 10k and 100k statements in one
    function (and of the baseline filter at as many findings in one
    statement); the last column is the 100k row against the 1k row."""
    from flake8_dbsec.checker import check_tree
    from flake8_dbsec.options import DEFAULT_SETTINGS

    settings = DEFAULT_SETTINGS
    rows = []
    cases: List[Tuple[str, Callable[[int], float]]] = []
    for label, shape in ONE_FUNCTION_SHAPES.items():
        def check(size: int, shape: str = shape) -> float:
            tree = ast.parse(one_function_source(shape, size))
            start = time.thread_time()
            check_tree(tree, settings)
            return time.thread_time() - start
        cases.append((label, check))
    cases.append(("baseline filter, findings in one statement",
                  lambda size: time_baseline_filter(one_statement_findings(size))))
    for _label, measure in cases:  # warm up: imports, first-call caches
        measure(10)
    for label, measure in cases:
        per_statement = []
        for size in SIZES:
            seconds = statistics.median(measure(size) for _ in range(repeat))
            per_statement.append(1e6 * seconds / size)
        rows.append(dict(label=label, us_per_statement=per_statement,
                         relative=per_statement[-1] / per_statement[0] if per_statement[0] else None))
        print(f"  (g) {label}: " + " ".join(f"{x:.1f}" for x in per_statement) + " µs/statement",
              file=sys.stderr)
    return dict(sizes=list(SIZES), rows=rows)


# --- profile ----------------------------------------------------------------------------------------


def profile(sources: List[Tuple[str, str]], profiler: str, top: int) -> None:
    """Where the plugin spends its time on these files. Like flake8, one tree
    is alive at a time (a heap of every tree would inflate garbage-collection
    costs), and the profiler only runs around the check, not the parse."""
    from flake8_dbsec.checker import DbsecChecker

    if profiler == "pyinstrument":
        from pyinstrument import Profiler

        prof = Profiler(interval=0.0005)
        start, stop = prof.start, prof.stop  # sessions of start/stop pairs combine
    else:
        import cProfile

        prof = cProfile.Profile()
        start, stop = prof.enable, prof.disable
    for name, source in sources:
        tree = ast.parse(source, name)
        lines = source.splitlines(True)
        start()
        list(DbsecChecker(tree, name, lines).run())
        stop()
        del tree
    if profiler == "pyinstrument":
        print(prof.output_text(unicode=True, color=False, show_all=False))
        return
    import pstats

    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(r"flake8_dbsec", top)


# --- rendering ----------------------------------------------------------------------------------------


def fmt_ratio(x: Optional[float]) -> str:
    return "–" if x is None else f"{x:.2f}×"


def render_flake8(a: dict) -> str:
    """Part (a): per project, plain flake8 against the plugin's three runs."""
    def added(v: dict, name: str) -> str:
        return f"{100 * (v[name]['cpu'] / v['without']['cpu'] - 1):+.1f}%"

    variants = [v for v in MODEL_VARIANTS if v in a.get("variants", {})] or ["with"]
    headers = ["project", "flake8 -j1 without (s CPU)"] + [
        {"off": "model off", "cold": "cold cache", "warm": "warm cache", "with": "with"}[v] for v in variants]
    rows = []
    for project, v in a["per_project"].items():
        rows.append([project, f"{v['without']['cpu']:.2f}"]
                    + [f"{v[name]['cpu']:.2f} ({added(v, name)})" for name in variants])
    totals = dict(a.get("variants", {}), without=a["without"], **({"with": a["with_plugin"]}
                                                                  if "variants" not in a else {}))
    rows.append(["**total**", f"{a['without']['cpu']:.2f}"]
                + [f"{totals[name]['cpu']:.2f} (**{added(totals, name)}**)" for name in variants])
    walls = ", ".join(f"{v} {totals[v]['wall']:.1f}s" for v in variants)
    return (corpus._table(tuple(headers), rows)
            + f"\n\nWall clock: {a['without']['wall']:.1f}s without; {walls}. Targets: warm ≤ +5%, "
            f"cold ≤ +15%. Without: `{a['flake8_without']}`; with: `{a['flake8_with']}`.")


def render(results: dict) -> Dict[str, str]:
    """Markdown sections keyed by doc marker name."""
    out: Dict[str, str] = {}
    m = results["machine"]
    out["meta"] = (
        f"Measured {results['generated']} with `python benchmarks/bench.py --write-docs` on "
        f"{m['cpu'] or 'an unknown CPU'} ({m['cores']} cores), Python {m['python']}, "
        f"load average {m['loadavg'][0]} at start and {results.get('loadavg_end', ['?'])[0]} at end; "
        f"{results['files']} files, {results['lines']:,} non-blank lines "
        f"({', '.join(results['projects'])}); medians of {results['repeat']} runs."
        + (f" Subset: at most {results['subset']} files per project." if results.get("subset") else "")
        + "".join(f" Part(s) {', '.join(m['parts'])} measured again {m['generated']} (`--merge`, load "
                  f"average {m['loadavg']})." for m in results.get("merged", []))
    )
    if "flake8" in results:
        out["flake8"] = render_flake8(results["flake8"])
    if results.get("stdin"):
        h = results["stdin"]
        out["stdin"] = corpus._table(
            ("run", "s CPU", "against plain flake8"),
            [("plain flake8", f"{h['without']['cpu']:.2f}", "1.00×"),
             ("flake8-dbsec, project model off", f"{h['off']['cpu']:.2f}",
              fmt_ratio(h["off"]["cpu"] / h["without"]["cpu"])),
             ("flake8-dbsec, warm model cache", f"{h['warm']['cpu']:.2f}", f"**{fmt_ratio(h['ratio'])}**")],
        ) + (f"\n\n`{h['file']}` ({h['lines']:,} non-blank lines) from stdin with "
             f"`--stdin-display-name`, in its project ({h['project_files']} linted files; the model "
             f"reads every module's summary). Target: ≤ 1.2×.")
    if "pyflakes" in results:
        b = results["pyflakes"]
        out["pyflakes"] = corpus._table(
            ("engine", "CPU seconds", "µs per line"),
            [("flake8-dbsec (all codes)", f"{b['dbsec_seconds']:.2f}", f"{b['dbsec_us_per_line']:.1f}"),
             ("pyflakes", f"{b['pyflakes_seconds']:.2f}", f"{b['pyflakes_us_per_line']:.1f}")],
        ) + (f"\n\nflake8-dbsec / pyflakes: **{fmt_ratio(b['ratio'])}** over {b['files']} files "
             f"(median per file {fmt_ratio(b['median_file_ratio'])}). Target: ≤ 0.5×.")
    if "tools" in results:
        c = results["tools"]["totals"]
        base = c.get("dbsec", {}).get("cpu")
        rows = []
        for name, t in c.items():
            rel = fmt_ratio(t["cpu"] / base) if base else "–"
            rows.append((name, f"{t['cpu']:.2f}", f"{t['wall']:.2f}", rel))
        labels = {"dbsec": "flake8-dbsec standalone (python + parse + check)",
                  "bandit": f"bandit -r ({results['tools'].get('bandit') or ''})",
                  "semgrep pack": f"Semgrep pack ({results['tools']['semgrep_rules']} rules, --jobs 1)",
                  "semgrep floor": "Semgrep, one trivial rule (--jobs 1)",
                  "semgrep parse floor": "Semgrep, one trivial rule that parses every file (--jobs 1)",
                  "semgrep simple rules": f"Semgrep, {results['tools']['semgrep_rules']} one-pattern rules (--jobs 1)",
                  "semgrep default pack": "Semgrep pack as flake8-dbsec-semgrep runs it (default-off rules excluded, --jobs 1)",
                  "semgrep default simple rules": "Semgrep, as many one-pattern rules as that (--jobs 1)"}
        rows = [(labels.get(r[0], r[0]),) + r[1:] for r in rows]
        if "flake8" in results:
            a = results["flake8"]
            rows.append(("flake8 -j1 default, without / with the plugin",
                         f"{a['without']['cpu']:.2f} / {a['with_plugin']['cpu']:.2f}",
                         f"{a['without']['wall']:.2f} / {a['with_plugin']['wall']:.2f}", ""))
        out["tools"] = corpus._table(("tool", "CPU s", "wall s", "vs flake8-dbsec"), rows) + (
            "\n\nOne process per project, the same file list for every tool. "
            f"Semgrep {results['tools']['semgrep']}.")
        pack, floor = c.get("semgrep pack"), c.get("semgrep floor")
        if pack and floor:
            out["semgrep"] = (f"Semgrep pack / one trivial rule: **{fmt_ratio(pack['cpu'] / floor['cpu'])}** CPU "
                              f"({pack['cpu']:.2f}s / {floor['cpu']:.2f}s; wall "
                              f"{fmt_ratio(pack['wall'] / floor['wall'])}). Target: ≤ 1.5×.")
            parse_floor = c.get("semgrep parse floor")
            if parse_floor:
                out["semgrep"] += (
                    f"\n\nThat trivial rule is skipped by Semgrep's prefilter on every file, so it is "
                    f"start-up only. Against a trivial rule Semgrep has to run on every file "
                    f"(`$X == $X`: parse and one pass, {parse_floor['cpu']:.2f}s) the pack is "
                    f"**{fmt_ratio(pack['cpu'] / parse_floor['cpu'])}** CPU.")
            simple = c.get("semgrep simple rules")
            if simple and parse_floor:
                n = results["tools"]["semgrep_rules"]
                out["semgrep"] += (
                    f"\n\nThe engine's floor for a pack of {n} rules: {n} one-pattern rules "
                    f"(`$S.flush(...)`, `$LOG.debug(...)`, ...; `bench.py: simple_rules_yaml`) "
                    f"cost {simple['cpu']:.2f}s, **{fmt_ratio(simple['cpu'] / parse_floor['cpu'])}** "
                    f"the one trivial rule that parses every file; the pack is "
                    f"**{fmt_ratio(pack['cpu'] / simple['cpu'])}** of them.")
            dpack, dsimple = c.get("semgrep default pack"), c.get("semgrep default simple rules")
            if dpack and dsimple:
                out["semgrep"] += (
                    f"\n\nThe pack as `flake8-dbsec-semgrep` runs it (default-off rules excluded) "
                    f"costs {dpack['cpu']:.2f}s against {dsimple['cpu']:.2f}s for as many one-pattern "
                    f"rules: **{fmt_ratio(dpack['cpu'] / dsimple['cpu'])}**. Target (issue 14): ≤ 1.5×.")
    if "scaling" in results:
        rows = [(r.get("label", f"{r['lines']:,}"), f"{r['seconds']:.3f}", f"{r['us_per_line']:.1f}",
                 fmt_ratio(r["relative"]), f"{r.get('full_gc_passes', '–')}",
                 f"{r['us_per_line_gc_paused']:.1f}" if "us_per_line_gc_paused" in r else "–",
                 fmt_ratio(r["relative_gc_paused"]) if r.get("relative_gc_paused") else "–",
                 f"{r['parse_seconds']:.3f}", r["findings"])
                for r in results["scaling"]["rows"]]
        out["scaling"] = corpus._table(
            ("generated lines", "check s", "µs per line", "vs 1k", "full GC passes in the check",
             "µs per line, GC paused", "vs 1k, GC paused", "ast.parse s", "findings"), rows
        ) + ("\n\nTime per line should not grow with the module (no quadratic behaviour); the "
             "GC-paused columns are the plugin's own work, and the instruction counts below tell "
             "work per line from memory effects.")
    if results.get("instructions"):
        timed = {r.get("label"): r for r in results.get("scaling", {}).get("rows", [])}
        rows = []
        for r in results["instructions"]["rows"]:
            t = timed.get(r["label"])
            rate = f"{r['instructions'] / t['seconds'] / 1e9:.2f}" if t else "–"
            rows.append((r["label"], f"{r['instructions'] / 1e6:,.0f}", f"{r['per_line'] / 1e3:.1f}",
                         fmt_ratio(r["relative"]), rate))
        out["instructions"] = corpus._table(
            ("generated lines", "instructions in the check (millions)", "thousand instructions per line",
             "vs 1k", "instructions per ns of the timed check"), rows
        ) + ("\n\nCounted by `valgrind --tool=cachegrind --cache-sim=no`: a run that parses and "
             "checks the module minus one that only parses it. The last column divides the count by "
             "the scaling table's time: how fast the CPU got through the same work.")
    if results.get("one_function"):
        g = results["one_function"]
        header = ("shape, in one function",) + tuple(f"µs per statement at {size:,}" for size in g["sizes"]) + (
            f"{g['sizes'][-1]:,} vs {g['sizes'][0]:,}",)
        rows = [(r["label"],) + tuple(f"{x:.1f}" for x in r["us_per_statement"]) + (fmt_ratio(r["relative"]),)
                for r in g["rows"]]
        out["one-function"] = corpus._table(header, rows) + (
            "\n\nEach shape repeated in a single function (the baseline row: as many findings in one "
            "statement, all recorded, through `--dbsec-baseline`'s filter). Flat rows are linear; "
            "before the fix DBS601 cost resources × calls per function (2,500 cursors: 10 s) and a "
            "name rebound 20,000 times scanned its bindings at every use.")
    return out


def write_doc(sections: Dict[str, str]) -> None:
    text = PERFORMANCE_DOC.read_text(encoding="utf-8")
    for name, body in sections.items():
        text = corpus.replace_section(text, f"bench:{name}", body)
    PERFORMANCE_DOC.write_text(text, encoding="utf-8")
    print(f"updated {PERFORMANCE_DOC.relative_to(ROOT)}", file=sys.stderr)


#: results keys per part (c and d share one measurement)
PART_KEYS = {"a": "flake8", "b": "pyflakes", "c": "tools", "d": "tools", "e": "scaling", "f": "instructions",
             "g": "one_function", "h": "stdin"}


def merge_results(previous: dict, new: dict, parts: set) -> dict:
    """``previous`` with the parts run now replaced by ``new``'s; the corpus
    description stays the previous run's, and the merge is recorded."""
    merged = dict(previous)
    for part in sorted(parts):
        key = PART_KEYS.get(part)
        if key is not None and key in new:
            merged[key] = new[key]
    merged["merged"] = previous.get("merged", []) + [
        dict(parts=sorted(parts), generated=new["generated"], loadavg=new["machine"]["loadavg"][0])]
    return merged


# --- main -----------------------------------------------------------------------------------------------


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=corpus.project_list)
    parser.add_argument("--max-files", type=int, help="every k-th file, at most N per project")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--only", default="a,b,c,d,e,f,g,h", help="parts to run (default: all)")
    parser.add_argument("--stdin-file", default="nova:nova/compute/manager.py",
                        help="part h: PROJECT:PATH of the file linted from stdin")
    parser.add_argument("--write-docs", action="store_true", help="refresh docs/performance.md")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other parts' results in --out and replace only the parts run now")
    parser.add_argument("--out", default=str(corpus.RESULTS / "bench.json"))
    parser.add_argument("--profile", action="store_true", help="profile the plugin instead of timing")
    parser.add_argument("--profiler", choices=("cprofile", "pyinstrument"), default="cprofile")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)

    parts = set(args.only.split(","))
    needs_corpus = args.profile or parts & {"a", "b", "c", "d", "h"}
    projects = corpus.load(args.projects, max_files=args.max_files) if needs_corpus else []
    if args.profile:
        profile(load_sources(projects), args.profiler, args.top)
        return 0
    # A subset run may refresh the docs: the page states the subset (every
    # k-th file, at most N per project) in its "Measured" line.

    info = machine()
    warn_if_busy(info)
    results: dict = dict(
        generated=time.strftime("%Y-%m-%d %H:%M %Z"), machine=info, repeat=args.repeat,
        subset=args.max_files, projects=[p.project.label for p in projects],
        files=sum(len(p.files) for p in projects),
        lines=sum(corpus.nonblank_lines(path) for p in projects for path in p.paths()),
    )
    if "a" in parts:
        results["flake8"] = bench_flake8(projects, args.repeat)
    if "b" in parts:
        results["pyflakes"] = time_in_process(load_sources(projects), args.repeat)
    if parts & {"c", "d"}:
        results["tools"] = bench_tools(projects, args.repeat, "".join(sorted(parts)))
    if "e" in parts:
        results["scaling"] = bench_scaling(args.repeat)
    if "f" in parts:
        results["instructions"] = bench_instructions()
    if "g" in parts:
        results["one_function"] = bench_one_function(args.repeat)
    if "h" in parts:
        results["stdin"] = bench_stdin(projects, args.repeat, args.stdin_file)
    results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.merge and Path(args.out).exists():
        results = merge_results(json.loads(Path(args.out).read_text()), results, parts)

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    sections = render(results)
    for name, body in sections.items():
        print(f"\n## {name}\n\n{body}")
    if args.write_docs:
        write_doc(sections)
    return 0


if __name__ == "__main__":
    sys.exit(main())
