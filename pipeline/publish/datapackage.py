"""processed/datapackage.json: the data dictionary, generated from pipeline/schema.py.

A Frictionless Data Package (v2): every resource a table with its Table Schema,
primary key and foreign keys, so `frictionless validate` checks the files and
every join. Lists are ``list`` fields with their delimiter, as CSV writes them;
``other_columns`` is an ``object`` (a JSON object in the CSV cell).
"""

from __future__ import annotations

from pipeline import __version__
from pipeline.publish.write import LIST_SEPARATOR
from pipeline.schema import LIST, SCHEMA_VERSION, Table

# What a reader of the tables needs to know that no single column says.
CONVENTIONS = (
    "One row per action of a council delivery plan (actions), with its dated milestones, "
    "the organisations it names and the values the pipeline was unsure of (review), and "
    "its delivery over the periods published (action_history, action_progress). "
    "Dates are ISO (YYYY-MM-DD); a period's start and end are inclusive. A financial year "
    "such as 2022/23 runs 1 April 2022 to 31 March 2023, and its quarters Q1 to Q4 are "
    "April-June to January-March. A season is three months: spring March-May, summer "
    "June-August, autumn September-November, winter December-February. Missing is one "
    "thing: an empty cell in CSV and null in Parquet, whether the document's cell was empty, "
    "its table had no such column (said once per table in review, reason missing_column) "
    "or the text states no such value; no text, list or list item is ever empty. A list is "
    "';'-separated in CSV and a list in Parquet; lead_officer_titles and other_columns are a "
    "JSON object in CSV and a map in Parquet. Each row's source_file and source_locator say "
    "where in the document it was read."
)
_PACKAGE_SCHEMA = "https://datapackage.org/profiles/2.0/datapackage.json"
_TABLE_SCHEMA = "https://datapackage.org/profiles/2.0/tableschema.json"


def table_resource(table: Table) -> dict:
    """One table's resource: its CSV file and every column's type and description."""
    fields = []
    for column in table.columns:
        field = {"name": column.name, "type": column.type, "description": column.description}
        if column.type == LIST:
            field.update(delimiter=LIST_SEPARATOR, itemType="string")
        fields.append(field)
    schema = {"$schema": _TABLE_SCHEMA, "fields": fields, "missingValues": [""]}
    if table.key:
        schema["primaryKey"] = list(table.key)
    if table.references:
        schema["foreignKeys"] = [
            {
                "fields": [reference.column],
                "reference": {"resource": reference.table, "fields": [reference.table_column]},
            }
            for reference in table.references
        ]
    return {
        "name": table.name,
        "type": "table",
        "path": f"{table.name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": table.description,
        "schema": schema,
        "sibling": {"path": f"{table.name}.parquet", "format": "parquet"},
    }


def build_datapackage(tables: list[Table], release: dict) -> dict:
    """The descriptor for a release: its tables, and where it came from.

    ``release`` says which run made it: id, created (ISO time) and sources (the
    documents read, with their sha256), recorded as given.
    """
    return {
        "$schema": _PACKAGE_SCHEMA,
        "name": "delivery-plan-actions",
        "description": CONVENTIONS,
        "title": "Delivery plan actions",
        "version": SCHEMA_VERSION,
        "pipeline_version": __version__,
        **release,
        "resources": [table_resource(table) for table in tables],
    }


def workbook_about(descriptor: dict) -> list[tuple[str, str]]:
    """What the workbook's first sheet says about the release, from its descriptor."""
    sources = "; ".join(f"{s['path']} (sha256 {s['sha256']})" for s in descriptor["sources"])
    return [
        ("release", descriptor["id"]),
        ("plan period", descriptor.get("period") or "not given"),
        ("created", descriptor["created"]),
        ("read from", sources),
        ("contract version", descriptor["version"]),
        (
            "this workbook",
            "A copy of the release for reading and filtering. Tools should read the CSV or "
            "Parquet files, described in datapackage.json. Text is text here (Mar-23 stays "
            "Mar-23), dates are dates, a list's items are on separate lines of a cell, a "
            "missing value is an empty cell, and text a spreadsheet would run as a formula "
            "is kept as text.",
        ),
        ("conventions", descriptor["description"]),
    ]


def data_dictionary(tables: list[Table]) -> str:
    """docs/outputs.md: the published contract as a person reads it, from the same
    declarations as datapackage.json (tests/test_docs.py keeps the two in step)."""
    lines = [
        "<!-- Made from pipeline/schema.py by "
        "`python -m pipeline.publish.datapackage > docs/outputs.md`; do not edit by hand. -->",
        "",
        "# The published dataset: the contract with its consumers",
        "",
        f"Contract version {SCHEMA_VERSION} (`version` in `processed/datapackage.json`): the "
        "major number changes when a column is renamed, removed or retyped, or when what a "
        "value means changes (2.0.0: missing is null, never an empty text or list), the minor "
        "number when a column is added. Each table is written as `NAME.csv` and `NAME.parquet`, with the same rows "
        "in the same order.",
        "",
        CONVENTIONS,
        "",
        "Timescales are read by the conventions in [timescales.md](timescales.md).",
    ]
    for table in tables:
        lines += ["", f"## {table.name}", "", table.description, ""]
        if table.key:
            lines += [f"Key: {', '.join(f'`{name}`' for name in table.key)}.", ""]
        lines += ["| column | type | meaning |", "| --- | --- | --- |"]
        lines += [
            f"| `{c.name}` | {c.type} | {c.description.replace('|', '/')} |" for c in table.columns
        ]
        for reference in table.references:
            target = reference.table or table.name
            lines.append("")
            lines.append(
                f"`{reference.column}` names a row of {target} (`{reference.table_column}`)."
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from pipeline.schema import CHANGES
    from pipeline.stages import PUBLISHED_TABLES

    print(data_dictionary([*PUBLISHED_TABLES.values(), CHANGES]), end="")
