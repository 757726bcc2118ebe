"""``flake8-dbsec-semgrep``: run Semgrep with the rule pack shipped in this package.

pre-commit installs a hook repository as a package into its own environment;
the YAML rules then live in site-packages, not in the user's working tree.
This entry point finds them (``flake8_dbsec/semgrep_rules``: package data in
an installed wheel, a link to ``semgrep-rules/`` in a source checkout) and runs
Semgrep with them, so that every way of running the pack behaves the same:

``flake8-dbsec-semgrep [scan] [SEMGREP OPTIONS] [TARGETS]``
    ``semgrep scan --config <rules> --error`` (exit 1 on findings): the
    pre-commit hook, and local runs.
``flake8-dbsec-semgrep ci [SEMGREP OPTIONS]``
    ``semgrep ci --config <rules> --no-suppress-errors``: CI jobs (files
    tracked by git; on a pull request only the findings it adds).
``flake8-dbsec-semgrep --rules-path``
    prints the rules' directory (to vendor or inspect them).

Both modes add:

* ``--no-rewrite-rule-ids``: without it Semgrep prefixes every rule id with
  the config directory (``tmp.venv.lib.python3.11.site-packages.flake8_dbsec.
  semgrep_rules.dbs101-...``), so code-scanning alerts change identity with
  the runner's Python or path. The ids stay as the pack names them.
* ``--exclude-rule`` for each default-off code of the catalog (like the
  flake8 plugin, which keeps them in flake8's default-ignore list);
  ``--extend-select DBS303`` turns one back on (a code or prefix,
  comma-separated, as in flake8), ``--all-rules`` turns on all.
* ``--metrics=off --disable-version-check``: no network.
* a JSON copy of the results (``--json-output``, in a temporary file unless
  the command line names one), read after the run: Semgrep reports a rule that
  timed out or failed on a file only there (its text summary still says "Scan
  completed successfully"). Each such error is printed as one line on stderr
  and the command exits 2 (or Semgrep's own code when higher): a rule that
  did not run is not a pass. Files Semgrep could not fully parse are printed
  the same way but do not fail the run (flake8 reports real syntax errors).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

OFFLINE_FLAGS = ["--metrics=off", "--disable-version-check"]
MODES = {
    "scan": ["--error"],
    "ci": ["--no-suppress-errors"],
}
PROG = "flake8-dbsec-semgrep"
#: Semgrep error types about a target file it could not parse (fully): the
#: rules ran on what it could read; flake8 reports real syntax errors (E999).
PARSE_ERRORS = frozenset(
    {"Lexical error", "Syntax error", "Other syntax error", "AST builder error", "PartialParsing"}
)
#: exit code when Semgrep reported an error that means a rule did not check a file
ERROR_EXIT = 2


def rules_path() -> Optional[Path]:
    """The directory holding the pack's ``*.yaml`` rules, if installed."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "semgrep_rules", here.parent / "semgrep-rules"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return None


def semgrep_executable() -> Optional[str]:
    """``semgrep`` next to this interpreter (the hook's venv), else on PATH."""
    beside = Path(sys.executable).parent / "semgrep"
    if beside.exists():
        return str(beside)
    return shutil.which("semgrep")


def default_off_exclusions(selected: Iterable[str] = ()) -> List[str]:
    """``--exclude-rule`` flags for the catalog's default-off codes.

    A code matching one of ``selected`` (codes or prefixes, as flake8's
    ``--extend-select`` takes them) is left in.
    """
    from .catalog import DEFAULT_OFF, RULES

    prefixes = tuple(code.strip().upper() for code in selected if code.strip())
    flags: List[str] = []
    for code in DEFAULT_OFF:
        if prefixes and code.startswith(prefixes):
            continue
        flags += ["--exclude-rule", RULES[code].semgrep_id]
    return flags


def pack_flags(mode: str = "scan", selected: Iterable[str] = ()) -> List[str]:
    """What the wrapper adds after ``semgrep <mode> --config <rules>``."""
    return [*MODES[mode], "--no-rewrite-rule-ids", *OFFLINE_FLAGS, *default_off_exclusions(selected)]


def _fail(message: str) -> int:
    sys.stderr.write(f"{PROG}: error: {message}\n")
    return 2


def _take_selection(args: List[str]) -> Tuple[List[str], List[str], bool]:
    """Remove the wrapper's own options from ``args``.

    Returns (the remaining args, --extend-select values, --all-rules given).
    """
    rest: List[str] = []
    selected: List[str] = []
    all_rules = False
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--all-rules":
            all_rules = True
        elif arg.startswith("--extend-select="):
            selected += arg.split("=", 1)[1].split(",")
        elif arg == "--extend-select" and index + 1 < len(args):
            index += 1
            selected += args[index].split(",")
        else:
            rest.append(arg)
        index += 1
    return rest, selected, all_rules


def _json_output_of(args: Sequence[str]) -> Optional[str]:
    """The ``--json-output`` path the command line names, if any."""
    for index, arg in enumerate(args):
        if arg.startswith("--json-output="):
            return arg.split("=", 1)[1]
        if arg == "--json-output" and index + 1 < len(args):
            return args[index + 1]
    return None


def _error_type(error: Dict[str, Any]) -> str:
    kind = error.get("type", "error")
    if isinstance(kind, list):  # e.g. ["PartialParsing", [locations]]
        kind = kind[0] if kind else "error"
    return str(kind)


def _where(error: Dict[str, Any]) -> str:
    path = error.get("path")
    spans = error.get("spans") or []
    if not path and spans:
        path = spans[0].get("file")
    if path and spans and spans[0].get("start"):
        return f"{path}:{spans[0]['start'].get('line', '?')}"
    return str(path or "")


def describe(error: Dict[str, Any]) -> Tuple[bool, str]:
    """(does it fail the run, one line saying what happened) for a Semgrep error."""
    kind = _error_type(error)
    where = _where(error)
    rule = error.get("rule_id")
    if kind in PARSE_ERRORS:
        return False, (
            f"warning: Semgrep could not fully parse {where or 'a file'} ({kind}); "
            "the rules checked only what it could read"
        )
    if kind.lower().startswith("timeout") and rule:
        return True, (
            f"error: rule {rule} timed out on {where or 'a file'} and did not check it "
            "(raise --timeout, or exclude the file)"
        )
    message = " ".join(str(error.get("message", "")).split())
    subject = f"rule {rule}" + (f" on {where}" if where else "") if rule else where
    return True, f"error: {kind}" + (f" ({subject})" if subject else "") + (
        f": {message}" if message else ""
    )


def report_errors(document: Dict[str, Any], stream: Any = None) -> bool:
    """Print one line per Semgrep error; True if any means a rule did not run."""
    stream = stream or sys.stderr
    failed = False
    seen = set()
    for error in document.get("errors") or []:
        fails, line = describe(error)
        if line in seen:
            continue
        seen.add(line)
        failed = failed or fails
        stream.write(f"{PROG}: {line}\n")
    if failed:
        stream.write(
            f"{PROG}: error: Semgrep reported the errors above (its summary may still "
            f"say the scan completed): some files were not checked by every rule\n"
        )
    return failed


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    rules = rules_path()
    if rules is None:
        return _fail("the Semgrep rules are not installed with this package")
    if args[:1] == ["--rules-path"]:
        print(rules)
        return 0
    mode = "scan"
    if args[:1] and args[0] in MODES:
        mode = args.pop(0)
    semgrep = semgrep_executable()
    if semgrep is None:
        return _fail("semgrep is not installed (pip install 'flake8-dbsec[semgrep]')")
    args, selected, all_rules = _take_selection(args)
    if all_rules:
        selected = ["DBS"]
    env = dict(os.environ, SEMGREP_ENABLE_VERSION_CHECK="0")
    command = [semgrep, mode, "--config", str(rules), *pack_flags(mode, selected)]
    with tempfile.TemporaryDirectory(prefix="dbsec-semgrep-") as tmp:
        json_output = _json_output_of(args)
        if json_output is None:
            json_output = os.path.join(tmp, "semgrep.json")
            command.append(f"--json-output={json_output}")
        code = subprocess.call([*command, *args], env=env)
        try:
            with open(json_output, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError):
            return code  # Semgrep stopped before writing results; it said why
    if report_errors(document):
        return max(code, ERROR_EXIT)
    return code


if __name__ == "__main__":
    sys.exit(main())
