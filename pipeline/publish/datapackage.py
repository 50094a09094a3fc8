"""processed/datapackage.json: the data dictionary, generated from pipeline/schema.py.

Frictionless Data Package style. Lists are Table Schema v2 ``list`` fields with
their delimiter, as they are written to CSV.
"""

from __future__ import annotations

from pipeline import __version__
from pipeline.publish.write import LIST_SEPARATOR
from pipeline.schema import LIST, SCHEMA_VERSION, Table


def table_resource(table: Table) -> dict:
    """One table's resource: its CSV file and every column's type and description."""
    fields = []
    for column in table.columns:
        field = {"name": column.name, "type": column.type, "description": column.description}
        if column.type == LIST:
            field.update(delimiter=LIST_SEPARATOR, itemType="string")
        fields.append(field)
    schema = {"fields": fields}
    if table.key:
        schema["primaryKey"] = list(table.key)
    return {
        "name": table.name,
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
        "profile": "tabular-data-package",
        "name": "delivery-plan-actions",
        "title": "Delivery plan actions",
        "version": SCHEMA_VERSION,
        "pipeline_version": __version__,
        **release,
        "resources": [table_resource(table) for table in tables],
    }
