"""``flake8-dbsec-semgrep``: run Semgrep with the rule pack shipped in this package.

pre-commit installs a hook repository as a package into its own environment;
the YAML rules then live in site-packages, not in the user's working tree.
This entry point finds them (``flake8_dbsec/semgrep_rules``: package data in
an installed wheel, a link to ``semgrep-rules/`` in a source checkout) and
runs ``semgrep scan --config <rules> --error`` on the given files, offline
(``--metrics=off --disable-version-check``).

Like the flake8 plugin, it leaves the default-off codes (DBS303) out, with
``--exclude-rule``; ``--all-rules`` runs them too.

``flake8-dbsec-semgrep --rules-path`` prints the directory, for CI recipes:
``semgrep ci --config "$(flake8-dbsec-semgrep --rules-path)"``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

OFFLINE_FLAGS = ["--metrics=off", "--disable-version-check"]


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


def default_off_exclusions() -> List[str]:
    """``--exclude-rule`` flags for the catalog's default-off codes."""
    from .catalog import DEFAULT_OFF, RULES

    flags: List[str] = []
    for code in DEFAULT_OFF:
        flags += ["--exclude-rule", RULES[code].semgrep_id]
    return flags


def _fail(message: str) -> int:
    sys.stderr.write(f"flake8-dbsec-semgrep: error: {message}\n")
    return 2


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    rules = rules_path()
    if rules is None:
        return _fail("the Semgrep rules are not installed with this package")
    if args[:1] == ["--rules-path"]:
        print(rules)
        return 0
    semgrep = semgrep_executable()
    if semgrep is None:
        return _fail("semgrep is not installed (pip install 'flake8-dbsec[semgrep]')")
    env = dict(os.environ, SEMGREP_ENABLE_VERSION_CHECK="0")
    command = [semgrep, "scan", "--config", str(rules), "--error", "--no-rewrite-rule-ids", *OFFLINE_FLAGS]
    if "--all-rules" in args:
        args.remove("--all-rules")
    else:
        command += default_off_exclusions()
    command += args
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
