"""Write, audit, publish: nothing reaches processed/ unless every gate passed, and nothing is lost."""

import functools
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline import stages
from pipeline.cli import main
from pipeline.config import PARAMS_FILE
from pipeline.publish.release import archived_releases, exchange, releases_dir
from pipeline.schema import ACTIONS
from pipeline.stages import PUBLISHED_TABLES
from tests.conftest import PROJECT, REFRESH, SHIPPED_PLAN


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def broken_copy(tmp_path: Path, edit) -> Path:
    lines = SHIPPED_PLAN.read_text(encoding="utf-8").split("\n")
    path = tmp_path / "broken.txt"
    path.write_text("\n".join(edit(lines)), encoding="utf-8")
    return path


def without_summary_column(lines):
    return [
        "\t".join(c for n, c in enumerate(line.split("\t")) if n != 4) if "\t" in line else line
        for line in lines
    ]


def with_timescales_not_understood(lines):
    return [line.replace("\t2022/23", "\tTBC").replace("\tOngoing", "\tTBC") for line in lines]


@pytest.mark.parametrize(
    ("edit", "stage", "expectation"),
    [
        (without_summary_column, "extract", "expect_column_values_to_not_be_null(summary)"),
        (lambda lines: lines[:200], "publish", "expect_table_row_count_to_be_between"),
        (
            lambda lines: [line.replace("**Priority 3:", "**Priority 7:") for line in lines],
            "extract",
            "expect_column_distinct_values_to_equal_set(priority_number)",
        ),
        (
            lambda lines: [
                line.replace("Internal\tStrategic\tStrong", "Internel\tStrategic\tStrong")
                for line in lines
            ],
            "extract",
            "expect_column_values_to_be_in_set(focus)",
        ),
        (
            with_timescales_not_understood,
            "normalise",
            "expect_column_values_to_be_in_set(confidence)",
        ),
    ],
)
def test_broken_plan_is_stopped_and_the_release_left_byte_identical(
    published, tmp_path, capsys, edit, stage, expectation
):
    before = fingerprint(published)
    capsys.readouterr()
    assert main(["run", str(broken_copy(tmp_path, edit)), "--out", str(published)]) == 3
    err = capsys.readouterr().err
    assert f"{stage} gate failed" in err
    assert expectation in err
    assert "the last release is unchanged" in err
    assert fingerprint(published) == before
    (failed,) = (releases_dir(published) / "failed").iterdir()
    page = (failed / "validation" / "index.html").read_text(encoding="utf-8")
    assert expectation.split("(")[0] in page and "FAIL" in page
    assert str(failed / "validation" / "index.html") in err


def test_failure_names_the_offending_rows_with_their_lines(published, tmp_path, capsys):
    main(["run", str(broken_copy(tmp_path, without_summary_column)), "--out", str(published)])
    err = capsys.readouterr().err
    assert "(empty)  at line 9" in err
    assert "239 in all" in err


def test_a_second_run_archives_the_release_it_replaces_and_names_it(published):
    first = json.loads((published / "datapackage.json").read_text())["id"]
    first_files = fingerprint(published)
    assert main(["run", str(SHIPPED_PLAN), "--out", str(published)]) == 0
    (archived,) = archived_releases(published)
    assert archived.name == first
    assert fingerprint(archived) == first_files
    assert json.loads((published / "datapackage.json").read_text())["replaces"] == first


def _live(out: Path) -> str:
    return json.loads((out / "datapackage.json").read_text())["id"]


def test_rollback_puts_back_the_release_the_live_one_replaced_whatever_came_between(
    refreshed, tmp_path, capsys
):
    # Q3, then Q4 (a copy of refreshed); roll back (Q3 live); Q4 again; roll back: Q3
    # again, not the first Q4.
    for folder in ("processed", "processed.releases"):
        shutil.copytree(refreshed.parent / folder, tmp_path / folder)
    out, q4 = tmp_path / "processed", REFRESH / "plan-2022-23-q4.txt"
    (archived,) = archived_releases(out)
    first_q3, first_q4 = json.loads((archived / "datapackage.json").read_text())["id"], _live(out)
    assert main(["rollback", "--out", str(out)]) == 0
    assert _live(out) == first_q3
    assert main(["run", str(q4), "--out", str(out)]) == 0
    second_q4 = _live(out)
    capsys.readouterr()
    params = yaml.safe_load(PARAMS_FILE.read_text())
    params["extract"].update(plan=str(q4), period="2022/23 Q4")
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    assert main(["rollback", "--params", str(tmp_path / "params.yaml")]) == 0
    assert _live(out) == first_q3
    note = capsys.readouterr().out
    assert "params.yaml names plan-2022-23-q4.txt (2022/23 Q4) but the live release" in note

    assert main(["rollback", "--out", str(out)]) == 2  # Q3 replaced nothing
    assert f"release {first_q3} replaced none" in capsys.readouterr().err
    assert main(["rollback", "--out", str(out), "--to", second_q4]) == 0
    assert _live(out) == second_q4
    assert main(["rollback", "--out", str(out), "--to", "20990101T000000.000000Z-abc"]) == 2
    assert "is not in" in capsys.readouterr().err

    assert main(["releases", "--out", str(out)]) == 0
    listed = capsys.readouterr().out.splitlines()[1:]
    assert [line.split(" | ")[1] for line in listed] == [second_q4, first_q4, first_q3]
    assert [line.split(" | ")[0] for line in listed] == ["*", " ", " "]
    assert "2022/23 Q4 | plan-2022-23-q4.txt (" in listed[0]
    assert listed[0].endswith(f" | {first_q3}")  # the Q4 republished over Q3


def test_rollback_with_nothing_archived_is_a_clear_error(published, capsys):
    assert main(["rollback", "--out", str(published)]) == 2
    assert "replaced none: nothing earlier to put back" in capsys.readouterr().err


def test_release_ids_are_unique_within_one_instant():
    import datetime as dt

    from pipeline.publish.release import new_release_id

    now = dt.datetime(2026, 11, 24, 1, 2, 3, 456789, tzinfo=dt.UTC)
    ids = {new_release_id(now) for _ in range(50)}  # 24 random bits: a clash 1 in 13,000
    assert len(ids) == 50
    assert all(i.startswith("20261124T010203.456789Z-") for i in ids)


_KILLED_RUN = """
import sys, time
from pathlib import Path
import pipeline.publish.release as release

def exchange_then_hang(a, b):
    Path(sys.argv[2]).write_text("staged")  # the new release is complete in staging
    time.sleep(60)

release.exchange = exchange_then_hang
from pipeline.cli import main
from pipeline.config import PARAMS_FILE
sys.exit(main(["run", sys.argv[1], "--out", sys.argv[3]]))
"""


def test_a_run_killed_between_staging_and_publish_leaves_the_old_release_intact(
    published, tmp_path
):
    before = fingerprint(published)
    marker = tmp_path / "staged"
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_RUN, str(SHIPPED_PLAN), str(marker), str(published)],
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, "the run ended before reaching the publish step"
            assert time.monotonic() < deadline
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert fingerprint(published) == before
    (staged,) = (releases_dir(published) / "staging").iterdir()
    assert (staged / "actions.csv").exists()  # left for inspection; never mistaken for a release


def test_exchange_swaps_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("from a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("from b")
    exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "x").read_text() == "from b"
    assert (tmp_path / "b" / "x").read_text() == "from a"


def test_datapackage_describes_every_table_and_column_from_the_schema(shipped):
    published = shipped / "processed"
    package = json.loads((published / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(PUBLISHED_TABLES)
    for name, table in PUBLISHED_TABLES.items():
        fields = resources[name]["schema"]["fields"]
        assert [(f["name"], f["type"]) for f in fields] == [(c.name, c.type) for c in table.columns]
        assert all(f["description"] for f in fields)
    org_ids = next(f for f in resources["actions"]["schema"]["fields"] if f["name"] == "org_ids")
    assert (org_ids["type"], org_ids["delimiter"]) == ("list", ";")
    assert resources["actions"]["schema"]["primaryKey"] == list(ACTIONS.key)
    assert package["sources"] == [
        {
            "path": SHIPPED_PLAN.name,
            "sha256": hashlib.sha256(SHIPPED_PLAN.read_bytes()).hexdigest(),
        }
    ]
    assert package["row_counts"]["actions"] == 238
    assert package["replaces"] is None  # the first release in its folder


def test_datapackage_names_every_reference_file_decision_file_and_suite_with_its_hash(shipped):
    settings = json.loads((shipped / "processed" / "datapackage.json").read_text())["settings"]
    files = [*settings["reference_files"], settings["decisions"], *settings["suites"]]
    assert {f["path"] for f in settings["reference_files"]} == {
        f"pipeline/reference/{name}.yaml"
        for name in ("columns", "organisations", "rag_ratings", "timescale_words", "vocabulary")
    }
    assert settings["decisions"]["path"] == "pipeline/reference/decisions.yaml"
    assert len(settings["suites"]) == 3
    for record in files:  # relative to the project, never a machine's absolute path
        path = PROJECT / record["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == record["sha256"]


def test_validation_report_shows_every_stage_the_input_and_the_software(shipped):
    published = shipped / "processed"
    page = (published / "validation" / "index.html").read_text(encoding="utf-8")
    assert "This run passed every blocking check" in page
    for stage in ("extract", "normalise", "publish"):
        assert f"Stage {stage}: passed" in page
        result = json.loads((published / "validation" / f"{stage}.json").read_text())
        assert result["success"] and result["results"]
    assert hashlib.sha256(SHIPPED_PLAN.read_bytes()).hexdigest() in page
    assert "great-expectations 1." in page
    assert (
        "<code>expect_column_values_to_be_unique</code><br>column = <code>action_id</code>" in page
    )


def test_a_review_entry_the_last_period_listed_is_not_new(published):
    # the same plan published as the next quarter: every entry was there last quarter
    assert main(["run", str(SHIPPED_PLAN), "--out", str(published), "--period", "2099/00 Q1"]) == 0
    review = pd.read_csv(published / "review.csv", dtype=str, keep_default_na=False)
    assert len(review) == 20 and set(review.new_since_last_period) == {"false"}


@pytest.mark.parametrize(
    ("writer", "work"),
    [("write_workbook", "write_for_people"), ("write_csv_files", "write_csv_files")],
)
def test_a_file_that_cannot_be_written_stops_the_run_and_publishes_nothing(
    shipped, published, monkeypatch, capsys, writer, work
):
    # the CSV files, the workbook and the chart are written by forked processes while
    # the tables are checked: a failure there must still stop the run, and say what failed
    @functools.wraps(getattr(stages, writer))
    def full_disk(*arguments):
        target = arguments[-1]  # the workbook's path, or the folder of the CSV files
        (target if target.is_dir() else target.parent).joinpath("half").write_bytes(b"PK")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(stages, writer, full_disk)
    before = fingerprint(published)
    normalised = shipped / "interim" / "normalise"  # the publish stage is where they are
    assert main(["publish", str(normalised), "--out", str(published)]) == 1
    error = capsys.readouterr().err
    assert f"{work}: OSError: [Errno 28] No space left on device" in error
    assert "nothing was published" in error
    assert fingerprint(published) == before
    assert not list((releases_dir(published) / "staging").iterdir())
