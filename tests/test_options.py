"""Options (issue 16): every bad value is one clear line, never a traceback;
user regexes are checked for catastrophic shapes and see capped names; the
values count the same on the command line, in every config file, through
flake8's legacy API and in repeated in-process runs.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace
from typing import List

import pytest
from conftest import tool

from flake8_dbsec import regex_safety
from flake8_dbsec.checker import check_source, configuration
from flake8_dbsec.options import (
    DEFAULT_CONCURRENCY_PATTERN,
    DEFAULT_IDENTIFIER_PATTERN,
    DEFAULT_SECRET_PATTERN,
    DEFAULT_SESSION_PATTERN,
    DEFAULT_SETTINGS,
    MAX_NAME_LENGTH,
    OPTION_SPECS,
    ConfigError,
    NamePattern,
    settings_from_options,
)

# --- the regex check ---------------------------------------------------------------------

SAFE = [
    (DEFAULT_SESSION_PATTERN, False),
    (DEFAULT_IDENTIFIER_PATTERN, True),
    (DEFAULT_SECRET_PATTERN, True),
    (DEFAULT_CONCURRENCY_PATTERN, True),
    (r"session|\w*_session|sess|conn|connection|\w*_conn|cursor|cur|db|store", False),
    (r"(?i)(uuids?|guids?|_id)$", True),
    (r"(?:_[a-z]+)*", True),  # each repetition starts at a '_' the inner one cannot match
    (r"[a-z]+(?:_[a-z]+)*_session", False),
    (r"(\w+\s)+$", True),  # the inner repetition stops at a character it cannot match
    (r"(\d{1,3}\.){3}", False),
    (r"(?:[A-Z][a-z]+)+Session", False),
    (r"(?:A|a)+", True),  # re turns single-character alternatives into a class
    (r"(?:ab|ac)+", True),  # the second character tells the alternatives apart
    (r"(a|ab)+$", True),  # 'a' can only be followed by another 'a'
    (r"\w*x", True),
    (r".*_id", True),
    (r"\w*\w*x", False),
]
UNSAFE = [
    (r"(a+)+$", True, "exponential"),
    (r"(a+)+", False, "exponential"),
    (r"(a|aa)+$", True, "exponential"),
    (r"(\w+\s?)+$", True, "exponential"),
    (r"(a?)*", False, "exponential"),
    (r"(.*)*", True, "exponential"),
    (r"(a{1,9}){1,9}", False, "exponential"),
    (r"(x+x+)+y", True, "exponential"),
    (r"(?i:(?:ab|AB?)+)$", True, "exponential"),
    (r"\w*\w*\w*x", True, "polynomial"),
    (r"\w*\w*x", True, "polynomial"),
    (r".*a.*b", True, "polynomial"),
    (r"\w*\w*\w*x", False, "polynomial"),
    (r"(?:a\w|\wa)" * 30 + "$", False, "polynomial"),  # 2**30 ways, whatever the name
]


@pytest.mark.parametrize("pattern, searched", SAFE)
def test_safe_patterns_are_accepted_and_fast_on_capped_names(pattern: str, searched: bool):
    regex_safety.check(pattern, searched)
    compiled = re.compile(pattern)
    apply = compiled.search if searched else compiled.fullmatch
    start = time.perf_counter()
    for char in "a_ 1.A":
        apply(char * MAX_NAME_LENGTH + "!")
        apply((char + "a_") * (MAX_NAME_LENGTH // 3) + "!")
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("pattern, searched, why", UNSAFE)
def test_catastrophic_patterns_are_rejected(pattern: str, searched: bool, why: str):
    with pytest.raises(regex_safety.UnsafePattern, match=why):
        regex_safety.check(pattern, searched)


def test_a_rejected_pattern_is_really_slow():
    """The check is not about taste: a rejected shape blows up on a name
    well under the cap."""
    slow = re.compile(r"(\w+\s?)+$")
    start = time.perf_counter()
    slow.match("a" * 20 + "!")
    assert time.perf_counter() - start > 0.01


def test_very_long_patterns_are_rejected():
    with pytest.raises(regex_safety.UnsafePattern, match="longer than"):
        regex_safety.check("a|" * 6000 + "b", True)


# --- settings from option values ------------------------------------------------------------


def options(**values: object) -> SimpleNamespace:
    namespace = {dest: None for _flag, dest, _help, _kind in OPTION_SPECS}
    namespace.update(values)
    return SimpleNamespace(**namespace)


BAD_VALUES = [
    ("dbsec_identifier_pattern", "(a+)+$", "exponential time"),
    ("dbsec_session_pattern", "a{4294967296}", "repetition number is too large"),
    ("dbsec_secret_pattern", "(" * 1000 + "a" + ")" * 1000, "nested too deeply"),
    ("dbsec_concurrency_pattern", "", "empty regular expression"),
    ("dbsec_session_pattern", "", "empty regular expression"),
    ("dbsec_identifier_pattern", "x|", "matches the empty string"),
    ("dbsec_identifier_pattern", "(", "invalid regular expression"),
    ("dbsec_db_errors", [".a"], "not a Python name"),
    ("dbsec_db_errors", ["a..b"], "not a Python name"),
    ("dbsec_handler_decorators", ["class"], "not a Python name"),
    ("dbsec_logger_names", ["a-b"], "not a Python name"),
]


@pytest.mark.parametrize("dest, value, why", BAD_VALUES)
def test_bad_values_are_one_line_config_errors(dest: str, value: object, why: str):
    with pytest.raises(ConfigError) as info:
        settings_from_options(options(**{dest: value}))
    message = str(info.value)
    flag = "--" + dest.replace("_", "-")
    assert message.startswith(flag + ":") and why in message
    assert "\n" not in message and len(message) < 300


def test_list_options_take_non_ascii_and_dotted_names():
    settings = settings_from_options(options(
        dbsec_db_errors=["Ошибка", "oslo_db.exception.DBBusy"],
        dbsec_handler_decorators=["ﬁx_errors"],  # NFKC: the ligature is "fi", as in Python code
    ))
    assert {"Ошибка", "DBBusy"} <= settings.db_errors
    assert settings.handler_decorators == frozenset({"fix_errors"})
    source = "@ﬁx_errors\ndef f(session):\n    session.flush()\n"
    assert [f.code for f in check_source(source, settings)] == []
    assert [f.code for f in check_source(source, DEFAULT_SETTINGS)] == ["DBS101"]


def test_unset_pattern_options_keep_the_defaults():
    assert settings_from_options(options()) == DEFAULT_SETTINGS


def test_patterns_never_see_names_longer_than_the_cap():
    pattern = NamePattern(r"(?i)uuid$")
    assert pattern.search("a" * (MAX_NAME_LENGTH - 4) + "uuid")
    assert pattern.search("a" * (MAX_NAME_LENGTH - 3) + "uuid") is None
    settings = settings_from_options(options(dbsec_identifier_pattern=r"uuid$"))
    long_key = "x" * MAX_NAME_LENGTH + "_uuid"
    source = f"def f(LOG, values):\n    LOG.debug('%s', values['{long_key}'])\n    LOG.debug('%s', values['x_uuid'])\n"
    assert [(f.code, f.line) for f in check_source(source, settings)] == [("DBS201", 3)]


def test_settings_pickle_for_worker_processes():
    import pickle

    settings = settings_from_options(options(dbsec_session_pattern="store|session"))
    assert pickle.loads(pickle.dumps(settings)) == settings


# --- flake8's legacy API and in-process runs ----------------------------------------------------

LEGACY_SOURCE = """\
def purge(store):
    store.query(M).filter_by(id=1).delete()
"""


def test_legacy_api_options_count_as_on_the_command_line(tmp_path: Path, monkeypatch):
    """``get_style_guide(select=..., dbsec_session_pattern=...)`` sets options
    after the plugin parsed them: they must still count."""
    from flake8.api import legacy

    monkeypatch.chdir(tmp_path)
    (tmp_path / "module.py").write_text(LEGACY_SOURCE)
    guide = legacy.get_style_guide(select=["DBS303"], dbsec_session_pattern="store")
    assert [s.split()[1] for s in guide.check_files(["module.py"]).get_statistics("DBS")] == ["DBS303"]
    guide = legacy.get_style_guide(select=["DBS303"])
    assert guide.check_files(["module.py"]).get_statistics("DBS") == []


def test_legacy_api_bad_value_raises_the_one_line_error(tmp_path: Path, monkeypatch):
    from flake8.api import legacy

    monkeypatch.chdir(tmp_path)
    (tmp_path / "module.py").write_text(LEGACY_SOURCE)
    guide = legacy.get_style_guide(dbsec_session_pattern="(a+)+")
    with pytest.raises(Exception, match="--dbsec-session-pattern: regular expression"):
        guide.check_files(["module.py"])


def test_configuration_follows_option_changes():
    namespace = options(dbsec_baseline=None, dbsec_project_model="off")
    first = configuration(namespace).settings
    assert configuration(namespace).settings is first  # computed once per set of values
    namespace.dbsec_session_pattern = "store"
    assert configuration(namespace).settings.session_pattern.fullmatch("store")
    assert not first.session_pattern.fullmatch("store")


def test_in_process_runs_each_read_their_own_options(tmp_path: Path, capsys):
    from flake8.main.application import Application

    (tmp_path / "module.py").write_text(LEGACY_SOURCE)
    outputs: List[str] = []
    for extra in (["--dbsec-session-pattern=store"], [], ["--dbsec-session-pattern=store"]):
        app = Application()
        app.run(["--isolated", "--select=DBS", *extra, str(tmp_path / "module.py")])
        outputs.append(capsys.readouterr().out)
    assert "DBS303" in outputs[0] and outputs[1] == "" and outputs[2] == outputs[0]


# --- real flake8: CLI and every config file ----------------------------------------------------------

CLI_BAD = [
    ("--dbsec-session-pattern", "(a+)+$"),
    ("--dbsec-identifier-pattern", "a{4294967296}"),
    ("--dbsec-secret-pattern", "(" * 1000 + "a" + ")" * 1000),
    ("--dbsec-concurrency-pattern", ""),
    ("--dbsec-db-errors", "a..b"),
]


def run_flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([tool("flake8"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def assert_one_line(result: subprocess.CompletedProcess, flag: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"flake8-dbsec: error: {flag}:"), result.stderr
    assert result.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize("where", ["command line", ".flake8", "setup.cfg", "tox.ini"])
@pytest.mark.parametrize("flag, value", CLI_BAD, ids=[f for f, _ in CLI_BAD])
def test_bad_value_is_one_line_everywhere(tmp_path: Path, where: str, flag: str, value: str):
    (tmp_path / "module.py").write_text(LEGACY_SOURCE)
    if where == "command line":
        result = run_flake8(tmp_path, f"{flag}={value}", "module.py")
    else:
        (tmp_path / where).write_text(f"[flake8]\n{flag[2:]} = {value}\n")
        result = run_flake8(tmp_path, "module.py")
    assert_one_line(result, flag)


def test_every_option_reaches_the_bad_value_table():
    """Each regex option is among the rejected-value tests above."""
    regex_flags = {flag for flag, _dest, _help, kind in OPTION_SPECS if kind == "regex"}
    assert regex_flags <= {flag for flag, _ in CLI_BAD}
