"""A monitoring version of a plan, end to end: its Ref, RAG and progress columns are
published in CSV, Parquet and datapackage.json, and a field declared once in
pipeline/schema.py reaches every output."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow

MONITORING = PROJECT / "tests" / "fixtures" / "producers" / "monitoring-q3-export.txt"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("monitoring") / "processed"
    # six actions: fewer doubtful timescales than the shipped plan's share would allow
    assert main(["run", str(MONITORING), "--out", str(out)]) == 0
    return out


def test_monitoring_columns_are_published_in_csv_and_parquet(release):
    csv = pd.read_csv(release / "actions.csv", dtype=str, keep_default_na=False)
    parquet = pd.read_parquet(release / "actions.parquet")
    assert csv.action_ref.tolist() == ["1.01", "1.02", "1.03", "1.04", "2.01", "2.02"]
    assert csv.rag_status_raw.tolist() == ["Green", "Amber", "G", "Purple", "Blue", "red"]
    assert csv.rag_status.tolist() == ["green", "amber", "green", "", "blue", "red"]
    assert parquet.progress_update.iloc[4] == (
        "Plan adopted in November.\nCampaign launched in December."
    )
    assert json.loads(csv.other_columns.iloc[0]) == {"Budget": "£45k"}
    assert csv.other_columns.iloc[1] == ""
    assert dict(parquet.other_columns.iloc[3]) == {"Budget": "£10k"}
    assert parquet.other_columns.iloc[1] is None


def test_datapackage_describes_the_monitoring_columns(release):
    package = json.loads((release / "datapackage.json").read_text())
    (actions,) = [r for r in package["resources"] if r["name"] == "actions"]
    types = {f["name"]: f["type"] for f in actions["schema"]["fields"]}
    assert types["action_ref"] == types["rag_status"] == types["progress_update"] == "string"
    assert types["other_columns"] == "object"


def test_what_the_pipeline_was_unsure_of_is_in_the_review_list(release):
    review = pd.read_csv(release / "review.csv", dtype=str, keep_default_na=False)
    reasons = dict(zip(review.reason, review.value, strict=False))
    assert reasons["rag_not_understood"] == "Purple"
    assert reasons["unknown_column"] == "Budget"
    assert reasons["header_close_match"] == "Timscale"
    assert reasons["row_without_focus_delivery"] == "Volunteer Centre relaunch"
    (unrated,) = review[review.reason == "rag_not_understood"].itertuples()
    assert unrated.source_locator == "line 11" and unrated.action_id


SCRATCH_FIELD = """    DocumentField(
        "risk_rating",
        "Risk cell as written",
        (_cell("risk_rating", "the action's risk rating, as written"),),
    ),
"""


def test_a_field_declared_once_reaches_the_published_tables_and_the_change_report(tmp_path):
    """Copy the package, declare one field in its schema.py and give it a label: nothing
    else is edited, and the field is read, published, described and compared."""
    package = tmp_path / "pipeline"
    shutil.copytree(PROJECT / "pipeline", package, ignore=shutil.ignore_patterns("__pycache__"))
    schema = package / "schema.py"
    text = schema.read_text(encoding="utf-8")
    end = text.index("\n)\n", text.index("DOCUMENT_FIELDS: tuple"))
    schema.write_text(text[: end + 1] + SCRATCH_FIELD + text[end + 1 :], encoding="utf-8")
    with (package / "reference" / "columns.yaml").open("a", encoding="utf-8") as labels:
        labels.write("risk_rating:\n  - Risk\n")

    plan = MONITORING.read_text(encoding="utf-8").replace("\tBudget\t", "\tRisk\t")
    quarters = {}
    for quarter, risk in (("q3", "£45k"), ("q4", "High")):
        quarters[quarter] = tmp_path / f"plan-{quarter}.txt"
        quarters[quarter].write_text(plan.replace(f"\t{'£45k'}\t", f"\t{risk}\t"))
    out = tmp_path / "processed"
    common = ["--params", str(PROJECT / "params.yaml"), "--out", str(out)]
    common += ["--reference", str(package / "reference")]
    runs = [["run", str(quarters[quarter]), *common] for quarter in ("q3", "q4")]
    # both quarters in one process of the copied package: the dependencies import once
    script = f"from pipeline.cli import main\nfor args in {runs!r}:\n    assert main(args) == 0\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr

    actions = pd.read_csv(out / "actions.csv", dtype=str, keep_default_na=False)
    assert actions.risk_rating.tolist()[:2] == ["High", ""]
    assert actions.other_columns.iloc[0] == ""  # read as the field, not kept as unknown
    assert pd.read_parquet(out / "actions.parquet").risk_rating.iloc[3] == "£10k"
    package_json = json.loads((out / "datapackage.json").read_text())
    (resource,) = [r for r in package_json["resources"] if r["name"] == "actions"]
    assert "risk_rating" in [f["name"] for f in resource["schema"]["fields"]]
    changes = pd.read_csv(out / "changes.csv", dtype=str, keep_default_na=False)
    assert changes[["field", "old", "new"]].values.tolist() == [["risk_rating", "£45k", "High"]]


def test_the_run_summary_names_each_new_or_misspelt_column_once_per_table(tmp_path, capsys):
    folder, release = tmp_path / "extract", tmp_path / "processed"
    assert main(["extract", str(MONITORING), "--out", str(folder), "--release", str(release)]) == 0
    out = capsys.readouterr().out
    assert out.count("as 'Budget'") == 1  # one table has it, with values on two rows
    assert out.count("column 13 has no label and no values: ignored") == 1
    assert "table 2 (Priority 2): column 9 read as timescale_raw" in out
