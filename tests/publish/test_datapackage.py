"""datapackage.json as consumers' tools read it: frictionless validates every file and join."""

import json
import shutil

import pytest
from frictionless import validate

from pipeline.cli import main
from tests.conftest import PROJECT

REFRESH = PROJECT / "tests" / "fixtures" / "refresh"


def errors(folder):
    report = validate(folder / "datapackage.json")
    return [error.type for task in report.tasks for error in task.errors] + [
        error.type for error in report.errors
    ]


def test_the_shipped_release_is_a_valid_data_package(shipped):
    assert errors(shipped / "processed") == []


@pytest.mark.slow
def test_a_refreshed_release_is_a_valid_data_package(tmp_path):
    out = tmp_path / "processed"
    for plan in ("q3", "q4"):
        assert main(["run", str(REFRESH / f"plan-2022-23-{plan}.txt"), "--out", str(out)]) == 0
    assert errors(out) == []


def test_every_id_column_is_declared_a_foreign_key_and_checked(shipped, tmp_path):
    package = json.loads((shipped / "processed" / "datapackage.json").read_text())
    declared = {
        (resource["name"], key["fields"][0], key["reference"]["resource"] or resource["name"])
        for resource in package["resources"]
        for key in resource["schema"].get("foreignKeys", [])
    }
    assert declared == {
        ("actions", "lead_org_id", "organisations"),
        ("milestones", "action_id", "actions"),
        ("organisations", "parent_org_id", "organisations"),
        ("action_organisations", "action_id", "actions"),
        ("action_organisations", "org_id", "organisations"),
        ("review", "action_id", "actions"),
    }
    broken = tmp_path / "processed"
    shutil.copytree(shipped / "processed", broken)
    lines = (broken / "milestones.csv").read_text(encoding="utf-8").split("\n")
    lines[1] = "P9-nosuchaction" + lines[1][lines[1].index(",") :]
    (broken / "milestones.csv").write_text("\n".join(lines), encoding="utf-8")
    assert errors(broken) == ["foreign-key"]


def test_the_conventions_a_reader_needs_travel_in_the_descriptor(shipped):
    description = json.loads((shipped / "processed" / "datapackage.json").read_text())[
        "description"
    ]
    for convention in ("1 April 2022 to 31 March 2023", "winter December-February", "empty cell"):
        assert convention in description
