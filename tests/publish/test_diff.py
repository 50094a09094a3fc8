"""The change report on two quarters of a plan written for it (fixtures/refresh/README.md)."""

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from pipeline.cli import main
from tests.conftest import PROJECT, REFRESH


def ids_by_headline(folder) -> dict[str, str]:
    actions = pd.read_csv(folder / "actions.csv")
    return dict(zip(actions.headline_action, actions.action_id, strict=True))


def test_the_change_report_lists_exactly_the_changes_made(refreshed):
    (previous,) = (refreshed.parent / "processed.releases" / "archive").iterdir()
    old, new = ids_by_headline(previous), ids_by_headline(refreshed)
    changes = pd.read_csv(refreshed / "changes.csv", dtype=str, keep_default_na=False)
    volunteers, dementia = new["Volunteers - green spaces and parks"], new["Dementia Strategy"]
    target, pub_watch = new["Operation Target"], new["Pub Watch"]
    headlines = dict(zip(changes.action_id, changes.headline_action, strict=False))
    assert headlines[volunteers] == "Volunteers - green spaces and parks"
    assert headlines[old["Community Asset Transfers"]] == "Community Asset Transfers"  # removed
    changes = changes.drop(columns="headline_action")
    assert set(changes.itertuples(index=False, name=None)) == {
        (volunteers, "reworded", "action_id", old["Volunteers - green space"], volunteers),
        (
            volunteers,
            "reworded",
            "headline_action",
            "Volunteers - green space",
            "Volunteers - green spaces and parks",
        ),
        (dementia, "reworded", "action_id", old["Dementia Strategy"], dementia),
        (dementia, "reworded", "delivery_mode", "single", "partnership"),
        (dementia, "reworded", "lead_org_id", "kmbc-hasc", "health-and-wellbeing-board"),
        (dementia, "reworded", "org_ids", "kmbc-hasc", "health-and-wellbeing-board"),
        (target, "changed", "lead_officers", "Phil Mullally", "Karl Baldwin"),
        (target, "changed", "start_date", "2022-04-01", "2023-04-01"),
        (target, "changed", "end_date", "2023-03-31", "2024-03-31"),
        (pub_watch, "changed", "status", "scheduled", "complete"),
        (pub_watch, "changed", "end_date", "2022-10-31", ""),
        # the delivery status at each quarter's end, against the first target given
        (target, "changed", "delivery_status", "on track", "delayed (3 months or more)"),
        (pub_watch, "changed", "delivery_status", "overdue", "complete"),
        (new["Family Hubs"], "added", "", "", "Family Hubs"),
        (old["Community Asset Transfers"], "removed", "", "Community Asset Transfers", ""),
    }
    # Livv respelled to its alias "LIVV Housing Group", and "Mar-23" written "March 2023": no change.
    assert old["Social Impact Programmes"] == new["Social Impact Programmes"]
    assert new["Social Impact Programmes"] not in set(changes.action_id)
    assert new["Healthy Weight Strategy"] not in set(changes.action_id)


def test_callouts_come_first_in_the_report(refreshed):
    report = (refreshed / "changes.md").read_text(encoding="utf-8")
    called_out = report.split("## Called out")[1].split("## Reworded")[0]
    assert "### Now complete (1)\n- Pub Watch" in called_out
    assert "### End date later (1)\n- Operation Target" in called_out
    assert "2023-03-31 -> 2024-03-31" in called_out
    assert "### New lead organisation (1)\n- Dementia Strategy" in called_out
    assert "kmbc-hasc -> health-and-wellbeing-board" in called_out
    assert report.index("## Called out") < report.index("## Added")


def test_the_report_says_which_documents_and_periods_it_compares(refreshed):
    report = (refreshed / "changes.md").read_text(encoding="utf-8")
    assert "this release: plan-2022-23-q4.txt" in report and "2022/23 Q4" in report
    assert "plan-2022-23-q3.txt" in report and "2022/23 Q3" in report


def test_diff_command_gives_the_same_report_for_the_two_releases(refreshed, tmp_path, capsys):
    (previous,) = (refreshed.parent / "processed.releases" / "archive").iterdir()
    assert main(["diff", str(previous), str(refreshed), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "changes.csv").read_bytes() == (refreshed / "changes.csv").read_bytes()
    assert (tmp_path / "changes.md").read_text() == (refreshed / "changes.md").read_text()
    capsys.readouterr()
    assert main(["diff", str(previous), str(refreshed)]) == 0
    assert capsys.readouterr().out.strip() == (refreshed / "changes.md").read_text().strip()


def test_diff_into_a_closed_pipe_ends_quietly(refreshed, shipped):
    # 238 actions added: a report larger than the pipe's buffer, so writing hits the closed end
    (previous,) = (refreshed.parent / "processed.releases" / "archive").iterdir()
    done = subprocess.run(
        f"{sys.executable} -m pipeline diff {previous} {shipped / 'processed'} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    assert done.stdout.startswith("#") and "Traceback" not in done.stderr, done.stderr


def test_a_release_compared_with_itself_has_no_changes(refreshed, tmp_path):
    assert main(["diff", str(refreshed), str(refreshed), "--out", str(tmp_path)]) == 0
    assert pd.read_csv(tmp_path / "changes.csv").empty


def test_first_release_says_every_action_is_new(refreshed):
    (first,) = (refreshed.parent / "processed.releases" / "archive").iterdir()
    assert "No previous release: all 7 actions are new." in (first / "changes.md").read_text()
    assert set(pd.read_csv(first / "changes.csv").change) == {"added"}


def test_diff_of_a_folder_without_a_release_is_a_clear_error(tmp_path, capsys):
    assert main(["diff", str(tmp_path), str(tmp_path)]) == 2
    assert "holds no release" in capsys.readouterr().err


@pytest.mark.slow
def test_period_comes_from_the_option_then_the_file_name(refreshed, tmp_path):
    (first,) = (refreshed.parent / "processed.releases" / "archive").iterdir()
    assert json.loads((first / "datapackage.json").read_text())["period"] == "2022/23 Q3"
    out = tmp_path / "processed"
    plan = str(REFRESH / "plan-2022-23-q3.txt")
    assert main(["run", plan, "--out", str(out), "--period", "Autumn 2022"]) == 0
    assert json.loads((out / "datapackage.json").read_text())["period"] == "Autumn 2022"


@pytest.fixture(scope="module")
def corrected(refreshed, tmp_path_factory):
    """Q3, Q4 (a copy of ``refreshed`` and its archive), then Q4 re-issued within Q4
    (fixtures/refresh/README.md)."""
    root = tmp_path_factory.mktemp("corrected")
    for folder in ("processed", "processed.releases"):
        shutil.copytree(refreshed.parent / folder, root / folder)
    path = REFRESH / "plan-2022-23-q4-corrected.txt"
    assert main(["run", str(path), "--out", str(root / "processed"), "--period", "2022/23 Q4"]) == 0
    return root / "processed"


def _read_changes(folder, name="changes.csv"):
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def test_a_period_run_again_is_still_compared_with_the_last_quarter(corrected):
    archived = {
        package["period"]: package["id"]
        for package in (
            json.loads(path.read_text())
            for path in (corrected.parent / "processed.releases" / "archive").glob(
                "*/datapackage.json"
            )
        )
    }
    report = (corrected / "changes.md").read_text(encoding="utf-8")
    assert (
        f"compared with release {archived['2022/23 Q3']}, the last of the previous period" in report
    )
    assert (
        f"corrections since this period's release {archived['2022/23 Q4']} (3 change(s))" in report
    )
    # what Q4 changed since Q3 is all still there, with the corrections on top
    since = _read_changes(corrected)
    assert {"Volunteers - green spaces and parks", "Family Hubs", "Pub Watch"} <= set(
        since.headline_action
    )
    assert ("Operation Target", "end_date", "2023-03-31", "2025-03-31") in set(
        zip(since.headline_action, since.field, since.old, since.new, strict=True)
    )


def test_corrections_within_the_period_are_listed_apart(corrected):
    corrections = _read_changes(corrected, "corrections.csv")
    assert sorted(set(zip(corrections.headline_action, corrections.field, strict=True))) == [
        ("Dementia Strategy", "summary"),
        ("Operation Target", "end_date"),
        ("Operation Target", "start_date"),
    ]
    report = (corrected / "changes.md").read_text(encoding="utf-8")
    section = report.split("## Corrections within 2022/23 Q4 since release ")[1]
    assert "| Operation Target (`" in section
    assert "2024-03-31 (from “2023-24”) | 2025-03-31 (from “2024-25”)" in section
    assert "**with a SMART action plan and an associated performance dashboard" in section


def test_the_same_words_in_new_paragraphs_are_no_change(corrected):
    for name in ("changes.csv", "corrections.csv"):
        assert "Healthy Weight Strategy" not in set(_read_changes(corrected, name).headline_action)


def test_a_long_text_is_shown_as_its_changed_words():
    from pipeline.publish.diff import word_difference

    old = "Develop a new Dementia Strategy for Knowsley and keep it under review each year"
    new = "Develop a new Dementia Strategy for the borough and keep it under review each year"
    assert word_difference(old, new) == (
        "new Dementia Strategy for ~~Knowsley~~ and keep it under",
        "new Dementia Strategy for **the borough** and keep it under",
    )
    assert word_difference("a b\nc", "a  b c") == ("a b\nc", "a  b c")  # spacing only
