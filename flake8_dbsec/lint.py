"""``flake8-dbsec lint [FLAKE8 ARGS]``: flake8 with your configuration, DBS findings only.

The pre-commit hook and the CI recipes run this. It is flake8 itself, run
in-process with exactly the arguments given and the project's configuration
(``.flake8``, ``setup.cfg``, ``tox.ini``, or ``pyproject.toml`` with
Flake8-pyproject): ``select``, ``extend-select``, ``ignore``,
``extend-ignore``, ``per-file-ignores``, ``# noqa``, every ``dbsec-*``
option and ``dbsec-baseline`` decide what is reported, as in a plain
``flake8`` run. Default-off codes stay off unless the configuration turns
them on.

What it changes: only DBS findings are reported (and flake8's own E902/E999,
a file that could not be read or parsed, so was not checked), whatever other
plugins the environment has; the exit status counts those alone. The usual
formatters apply (``--format=dbsec-sarif`` writes SARIF of the DBS findings).

Passing ``--select=DBS`` instead (what the hook did before) overrides the
project's ``select``/``extend-select``/``extend-ignore`` on the command line:
``extend-ignore = DBS201`` was not honoured and ``extend-select = DBS303``
was dropped.

When the configuration leaves no DBS code on (``select = E,F,W`` without
``extend-select = DBS``, or ``extend-ignore = D`` meant for pydocstyle), the
run stops with exit 2 and one line saying so, instead of passing silently.
"""

from __future__ import annotations

import sys
from typing import Any, List, Optional

PROG = "flake8-dbsec lint"
#: flake8's own errors: the file was not checked at all.
KEPT_OTHER_CODES = ("E902", "E999")


def is_reported(code: str) -> bool:
    return code.startswith("DBS") or code in KEPT_OTHER_CODES


def _filtering(formatter: Any) -> Any:
    """Let ``formatter`` see only DBS (and E902/E999) violations; count them."""
    handle = formatter.handle
    formatter.dbsec_reported = 0

    def handle_dbs_only(error: Any) -> None:
        if is_reported(error.code):
            formatter.dbsec_reported += 1
            handle(error)

    formatter.handle = handle_dbs_only
    return formatter


def main(argv: Optional[List[str]] = None) -> int:
    """Run flake8 on ``argv``; exit 1 when a DBS finding is reported."""
    from flake8.main.application import Application

    from .catalog import IMPLEMENTED
    from .options import enabled_codes

    class DbsOnly(Application):  # type: ignore[misc]
        nothing_selected = False

        def make_formatter(self) -> None:
            super().make_formatter()
            self.formatter = _filtering(self.formatter)

        def _run(self, argv: List[str]) -> None:
            self.initialize(argv)
            codes = enabled_codes(self.options, IMPLEMENTED)
            if codes is not None and not codes:
                self.nothing_selected = True
                return
            self.run_checks()
            self.report()

    app = DbsOnly()
    app.run(list(sys.argv[1:] if argv is None else argv))  # flake8's error handling
    if app.nothing_selected:
        sys.stderr.write(
            f"{PROG}: error: the flake8 configuration turns every DBS code off "
            "(a 'select' without DBS, or an 'ignore'/'extend-ignore' prefix such as D); "
            "add 'extend-select = DBS' to the [flake8] section, or name the ignored "
            "codes exactly\n"
        )
        return 2
    if app.catastrophic_failure:
        return 1
    if getattr(app.options, "exit_zero", False):
        return 0
    return int(getattr(app.formatter, "dbsec_reported", 0) > 0)


if __name__ == "__main__":
    sys.exit(main())
