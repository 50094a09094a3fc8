"""The quarterly routine as a data team runs it, through the CLI, checking the live
release and the change report at every step: Q3, Q4, a decision settled and Q4 run
again, a rollback, and Q4 run once more (fixtures/refresh/)."""

import json

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.reference import REFERENCE_DIR
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow

REFRESH = PROJECT / "tests" / "fixtures" / "refresh"


def live(out):
    return json.loads((out / "datapackage.json").read_text())


def report(out):
    return (out / "changes.md").read_text(encoding="utf-8")


def corrections(out):
    return pd.read_csv(out / "corrections.csv", dtype=str, keep_default_na=False)


def test_q3_q4_decide_rerun_rollback_rerun(tmp_path, capsys):
    reference = tmp_path / "reference"
    reference.mkdir()
    for path in REFERENCE_DIR.glob("*.yaml"):
        (reference / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "processed"

    def run(plan, period):
        path = REFRESH / f"plan-2022-23-{plan}.txt"
        args = ["run", str(path), "--out", str(out), "--period", period]
        assert main([*args, "--reference", str(reference)]) == 0
        return live(out)["id"]

    q3 = run("q3", "2022/23 Q3")
    q4 = run("q4", "2022/23 Q4")
    assert f"compared with release {q3}, the last of the previous period" in report(out)
    assert corrections(out).empty

    # settle: Operation Target's timescale is 2024-25, not 2023-24
    target = (
        pd.read_csv(out / "actions.csv").set_index("headline_action").action_id["Operation Target"]
    )
    args = ["decide", "timescale", target, "2024-25", "--by", "A. Analyst", "--why", "owner"]
    assert main([*args, "--reference", str(reference), "--release", str(out)]) == 0
    q4_settled = run("q4", "2022/23 Q4")
    assert live(out)["replaces"] == q4
    assert f"compared with release {q3}, the last of the previous period" in report(out)
    assert f"corrections since this period's release {q4}" in report(out)
    assert set(corrections(out).field) == {"start_date", "end_date"}

    # roll back: the first Q4 is live again, with its own report
    assert main(["rollback", "--out", str(out)]) == 0
    assert live(out)["id"] == q4
    assert f"compared with release {q3}" in report(out) and corrections(out).empty

    # Q4 again: still compared with Q3; the corrections are since the live Q4
    q4_again = run("q4", "2022/23 Q4")
    assert live(out)["replaces"] == q4 and q4_again != q4_settled
    assert f"compared with release {q3}, the last of the previous period" in report(out)
    assert f"corrections since this period's release {q4}" in report(out)
    capsys.readouterr()
    assert main(["releases", "--out", str(out)]) == 0
    listed = capsys.readouterr().out
    assert f"* | {q4_again} | 2022/23 Q4" in listed
    assert all(release in listed for release in (q3, q4, q4_settled))
