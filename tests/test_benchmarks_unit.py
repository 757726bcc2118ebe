"""The benchmark scripts' own logic: file selection, triage sampling, precision, docs.

The scripts download and time real tools; these tests only cover the parts
that decide what is measured and what is published, on tiny fake inputs.
"""

from __future__ import annotations

import ast
import csv
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench  # noqa: E402
import corpus  # noqa: E402

NOVA = corpus.BY_NAME["nova"]
BUILDBOT = corpus.BY_NAME["buildbot"]


@pytest.mark.parametrize(
    "path, project, selected",
    [
        ("nova/db/main/api.py", NOVA, True),
        ("nova/api/openstack/compute/migrations.py", NOVA, True),  # a file, not a migrations dir
        ("nova/tests/unit/test_db_api.py", NOVA, False),
        ("nova/test.py", NOVA, False),
        ("nova/db/main/migrations/versions/13863f4e1612_create_share_mapping_table.py", NOVA, False),
        ("neutron/db/migration/alembic_migrations/env.py", NOVA, False),
        ("mlflow/store/db_migrations/env.py", NOVA, False),
        ("buildbot/test/fakedb/builds.py", BUILDBOT, False),
        ("buildbot/db/test_results.py", BUILDBOT, True),  # product code, kept by name
        ("buildbot/db/test_result_sets.py", BUILDBOT, True),
        ("oslo_db/sqlalchemy/test_fixtures.py", NOVA, False),
        ("conftest.py", NOVA, False),
        ("nova-34.0.0.dist-info/foo.py", NOVA, False),
    ],
)
def test_file_selection(path: str, project: corpus.Project, selected: bool):
    assert corpus.is_selected(path, project) is selected


def test_subset_spreads_over_the_project():
    files = [f"f{i:03d}.py" for i in range(100)]
    picked = corpus.subset(files, 10)
    assert len(picked) == 10 and picked[0] == "f000.py" and picked[-1] == "f090.py"
    assert corpus.subset(files, None) == files


def test_find_archive_matches_wheels_and_sdists(tmp_path: Path):
    (tmp_path / "oslo_db-18.1.1-py3-none-any.whl").write_bytes(b"")
    (tmp_path / "nova-34.0.0.tar.gz").write_bytes(b"")
    (tmp_path / "nova-18.0.3-py2.py3-none-any.whl").write_bytes(b"")
    assert corpus.find_archive(corpus.BY_NAME["oslo.db"], tmp_path).name.startswith("oslo_db-18.1.1")
    assert corpus.find_archive(NOVA, tmp_path).name == "nova-34.0.0.tar.gz"
    assert corpus.find_archive(BUILDBOT, tmp_path) is None


def fake_results(out: Path, findings):
    out.mkdir()
    (out / "corpus.json").write_text(json.dumps({"subset": None, "projects": [], "engines": ["flake8"]}))
    corpus.write_jsonl(out / "flake8-findings.jsonl", findings)


def finding(file: str, line: int, code: str) -> dict:
    return dict(project="nova", file=file, line=line, col=1, code=code, message=f"{code} x", source="")


def read_rows(path: Path):
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_sample_appends_and_never_touches_labels(tmp_path: Path):
    out, triage = tmp_path / "results", tmp_path / "triage.csv"
    fake_results(out, [finding("a.py", n, "DBS101") for n in range(1, 30)]
                 + [finding("b.py", 7, "DBS301")])
    with triage.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(corpus.TRIAGE_COLUMNS)
        writer.writerow(["nova", "a.py", "3", "DBS101", "fp", "reads a dict, not a session, here"])
    args = ["--out", str(out), "--triage", str(triage), "sample", "--per-code", "5", "--seed", "1"]
    assert corpus.main(args) == 0
    rows = read_rows(triage)
    assert rows[0] == dict(project="nova", file="a.py", line="3", code="DBS101", label="fp",
                           reason="reads a dict, not a session, here")
    assert sum(r["code"] == "DBS101" for r in rows) == 5
    assert sum(r["code"] == "DBS301" for r in rows) == 1
    assert all(r["label"] == "" for r in rows[1:])
    corpus.main(args)  # already full: adds nothing, changes nothing
    assert read_rows(triage) == rows


def test_sample_tops_up_codes_whose_rows_are_no_longer_reported(tmp_path: Path):
    """A fixed false positive leaves its labelled row behind (stale); the
    sample for that code is topped up from what the rules report now."""
    out, triage = tmp_path / "results", tmp_path / "triage.csv"
    fake_results(out, [finding("a.py", n, "DBS401") for n in range(1, 10)])
    with triage.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(corpus.TRIAGE_COLUMNS)
        writer.writerow(["nova", "gone.py", "5", "DBS401", "fp", "a constant, now fixed"])
        writer.writerow(["nova", "a.py", "1", "DBS401", "tp", "request data in the SQL"])
    args = ["--out", str(out), "--triage", str(triage), "sample", "--per-code", "3", "--seed", "1"]
    assert corpus.main(args) == 0
    rows = read_rows(triage)
    assert [r["label"] for r in rows[:2]] == ["fp", "tp"]
    current = [r for r in rows if r["file"] == "a.py"]
    assert len(current) == 3 and len(rows) == 4


def test_sample_is_reproducible(tmp_path: Path):
    picks = []
    for run in range(2):
        out, triage = tmp_path / f"r{run}", tmp_path / f"t{run}.csv"
        fake_results(out, [finding("a.py", n, "DBS101") for n in range(1, 200)])
        corpus.main(["--out", str(out), "--triage", str(triage), "sample", "--per-code", "20"])
        picks.append(read_rows(triage))
    assert picks[0] == picks[1]


def test_precision_counts_only_current_findings():
    findings = [finding("a.py", n, "DBS101") for n in range(1, 5)]
    triage = [
        dict(project="nova", file="a.py", line="1", code="DBS101", label="tp", reason=""),
        dict(project="nova", file="a.py", line="2", code="DBS101", label="intended", reason=""),
        dict(project="nova", file="a.py", line="3", code="DBS101", label="fp", reason=""),
        dict(project="nova", file="a.py", line="4", code="DBS101", label="", reason=""),
        dict(project="nova", file="gone.py", line="9", code="DBS101", label="fp", reason=""),
    ]
    rows, stale = corpus.precision_rows(triage, findings)
    row = next(r for r in rows if r[0] == "DBS101")
    # code, kind, default, corpus findings, labelled, tp, intended, fp, actionable, spec-precision
    assert row[1:] == ["policy", "on", 4, 3, 1, 1, 1, "0.33", "0.67"]
    assert [s["file"] for s in stale] == ["gone.py"]
    # the headline: default selection + DBS303, per kind, by sample and by volume
    head = {r[0]: r for r in corpus.headline(triage, findings)}
    assert head["default + DBS303"][1:4] == [3, "0.33", "0.67"]
    assert head["policy codes"][4:] == [4, "0.33", "0.67"]
    assert head["bug codes"][1] == 0


def test_configured_precision_drops_rows_the_setting_removes():
    triage = [
        dict(project="mlflow", file="a.py", line="1", code="DBS102", label="fp", reason=""),
        dict(project="mlflow", file="a.py", line="2", code="DBS102", label="tp", reason=""),
    ]
    configured = [dict(finding("a.py", 2, "DBS102"), project="mlflow")]  # line 1 removed
    meta = {"projects": [{"name": "mlflow", "config": ["--dbsec-handler-context-managers=M"]},
                         {"name": "nova"}]}
    text = corpus.render_configured_precision(meta, triage, configured)
    assert "mlflow: `--dbsec-handler-context-managers=M`" in text
    assert "| DBS102 | policy | on | 1 | 1 | 1 | 0 | 0 | 1.00 | 1.00 |" in text
    assert "(1 in all" in text


def test_every_project_setting_is_a_known_dbsec_option():
    from flake8_dbsec.options import OPTION_DEFAULTS

    for project in corpus.PROJECTS:
        for option in project.config:
            assert option.split("=", 1)[0] in OPTION_DEFAULTS, option


def test_replace_section_keeps_the_rest():
    text = "intro\n<!-- x:begin -->\nold\n<!-- x:end -->\noutro\n"
    assert corpus.replace_section(text, "x", "new") == "intro\n<!-- x:begin -->\nnew\n<!-- x:end -->\noutro\n"
    with pytest.raises(SystemExit):
        corpus.replace_section(text, "y", "new")


@pytest.mark.parametrize("doc", ["accuracy.md", "performance.md", "robustness.md"])
def test_docs_have_the_markers_the_scripts_fill(doc: str):
    text = (corpus.ROOT / "docs" / doc).read_text()
    names = {"accuracy.md": ["corpus", "findings", "precision", "precision-configured"],
             "performance.md": [f"bench:{n}" for n in ("meta", "flake8", "pyflakes", "tools", "semgrep", "scaling",
                                                               "instructions")],
             "robustness.md": ["sweep"]}[doc]
    for name in names:
        assert f"<!-- {name}:begin -->" in text and f"<!-- {name}:end -->" in text


def test_generated_scaling_module_parses_at_the_requested_size():
    source = bench.generate_module(3000)
    ast.parse(source)
    assert 2900 <= source.count("\n") <= 3300


def test_scaling_cases_share_one_definition_with_the_instruction_counts():
    cases = bench.scaling_cases()
    assert [size for _, size, _ in cases] == list(bench.SIZES) + [0]
    label, size, source = cases[-1]
    assert label == "10 × the 1k module" and source == bench.scaling_source(size)
    assert source == bench.generate_module(bench.SIZES[0]) * 10


def test_instruction_count_read_off_cachegrind_summary():
    stderr = ("==16432== Cachegrind, a high-precision tracing profiler\n"
              "==16432== \n==16432== I   refs:      837,860,267\n")
    assert bench.parse_instruction_count(stderr) == 837_860_267
    with pytest.raises(SystemExit):
        bench.parse_instruction_count("==1== valgrind: no such file\n")


def test_merge_replaces_only_the_parts_run_and_records_it():
    previous = {"generated": "t0", "files": 4393, "flake8": {"x": 1}, "scaling": {"rows": ["old"]}}
    new = {"generated": "t1", "files": 0, "machine": {"loadavg": [0.1, 0, 0]},
           "scaling": {"rows": ["new"]}, "instructions": {"rows": ["counted"]}}
    merged = bench.merge_results(previous, new, {"e", "f"})
    assert merged["files"] == 4393 and merged["flake8"] == {"x": 1}
    assert merged["scaling"] == {"rows": ["new"]} and merged["instructions"] == {"rows": ["counted"]}
    assert merged["merged"] == [{"parts": ["e", "f"], "generated": "t1", "loadavg": 0.1}]
    meta_only = dict(generated="t0", machine={"cpu": "c", "cores": 2, "python": "3", "loadavg": [0]},
                     repeat=3, files=4393, lines=1, projects=[], merged=merged["merged"])
    assert "Part(s) e, f measured again t1" in bench.render(meta_only)["meta"]


def test_simple_rules_floor_has_one_distinct_rule_per_pack_rule():
    import yaml

    rules = yaml.safe_load(bench.simple_rules_yaml(13))["rules"]
    assert len(rules) == 13
    assert len({r["id"] for r in rules}) == 13
    assert len({r["pattern"] for r in rules}) == 13  # no rule Semgrep could share with another
    assert all(r["languages"] == ["python"] for r in rules)


def test_sweep_merge_keeps_other_rows_and_replaces_the_same_interpreter():
    import sweep

    old_rows = [sweep.Sweep("CPython 3.11.7 stdlib", files=10, lines=100),
                sweep.Sweep("corpus (all files)", files=5, lines=50)]
    old = sweep.merge_section("", "2026-01-01 with `x` (3.11.7)", old_rows, ["grammar: 10 examples"], None)
    new = sweep.merge_section(old, "2026-02-02 with `y` (3.12.1)",
                              [sweep.Sweep("CPython 3.12.1 stdlib", files=20, lines=200),
                               sweep.Sweep("CPython 3.11.9 stdlib", files=11, lines=110)], None, None)
    table = [line for line in new.splitlines() if line.startswith("| CPython") or line.startswith("| corpus")]
    assert [line.split(" | ")[0] for line in table] == [
        "| CPython 3.11.9 stdlib", "| CPython 3.12.1 stdlib", "| corpus (all files)"]
    assert "- grammar: 10 examples" in new  # the property runs of the earlier run stay
    assert "Run 2026-01-01 with `x` (3.11.7): corpus (all files); property runs." in new
    assert "Run 2026-02-02 with `y` (3.12.1): CPython 3.12.1 stdlib; CPython 3.11.9 stdlib." in new
