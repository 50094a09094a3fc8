"""datapackage.json as consumers' tools read it: frictionless validates every file and join."""

import json
import shutil

import pyarrow.parquet as pq
import pytest
from frictionless import Package, validate

from pipeline.publish.write import FORMULA_STARTS


def errors(folder):
    report = validate(folder / "datapackage.json")
    return [error.type for task in report.tasks for error in task.errors] + [
        error.type for error in report.errors
    ]


def test_the_shipped_release_is_a_valid_data_package(shipped):
    assert errors(shipped / "processed") == []


@pytest.mark.slow
def test_a_refreshed_release_is_a_valid_data_package(refreshed):
    assert errors(refreshed) == []


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
        ("action_progress", "action_id", "actions"),
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


def _as_the_csv_holds(value, kind):
    """A Parquet value as the CSV's typed reading should give it back: a map as a dict,
    and text a spreadsheet would run as a formula with its leading quote (write.py)."""
    if kind == "object" and value is not None:
        return dict(value)
    if kind == "string" and value and value[0] in FORMULA_STARTS:
        return "'" + value
    if kind == "list" and value and value[0][:1] in FORMULA_STARTS:
        return ["'" + value[0], *value[1:]]
    return value


@pytest.mark.parametrize("release", ["shipped", pytest.param("refreshed", marks=pytest.mark.slow)])
def test_every_csv_read_with_its_declared_types_equals_the_parquet_cell_by_cell(release, request):
    folder = request.getfixturevalue(release)
    folder = folder / "processed" if release == "shipped" else folder
    package = Package(folder / "datapackage.json")
    for resource in package.resources:
        kinds = {field.name: field.type for field in resource.schema.fields}
        with resource:
            from_csv = [row.to_dict() for row in resource.row_stream]
        parquet = pq.read_table(folder / resource.path.replace(".csv", ".parquet")).to_pylist()
        assert len(from_csv) == len(parquet), resource.name
        for number, (csv_row, parquet_row) in enumerate(zip(from_csv, parquet, strict=True)):
            expected = {name: _as_the_csv_holds(v, kinds[name]) for name, v in parquet_row.items()}
            assert csv_row == expected, f"{resource.name} row {number + 1}"
