"""A staged release read back from disk, as tables the publish gate can check.

What consumers will read is what gets checked: the CSV and Parquet files and
datapackage.json as written, not the frames that were meant to be written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.publish.write import ARROW_TYPES, read_parquet, to_csv_text
from pipeline.schema import Table


def release_check_tables(folder: Path, tables: list[Table]) -> dict[str, pd.DataFrame]:
    """``release_files`` (one row per table: do its files agree with each other and with
    datapackage.json?) and every table as read from its Parquet file, the long
    tables with a column saying whether each row's action (and organisation) is
    published."""
    described = {
        resource["name"]: resource["schema"]["fields"]
        for resource in json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))[
            "resources"
        ]
    }
    files, frames = [], {}
    for table in tables:
        fields = described.get(table.name, [])
        csv = pd.read_csv(folder / f"{table.name}.csv", dtype=str, keep_default_na=False)
        arrow_schema = pq.read_schema(folder / f"{table.name}.parquet")
        frame = read_parquet(table, folder / f"{table.name}.parquet")
        expected = pa.schema([pa.field(f["name"], ARROW_TYPES[f["type"]]) for f in fields])
        files.append(
            {
                "table": table.name,
                "csv_columns_match": list(csv.columns) == [f["name"] for f in fields],
                "parquet_schema_matches": arrow_schema.remove_metadata().equals(expected),
                "csv_rows": len(csv),
                "parquet_rows": len(frame),
                "same_values": csv.columns.tolist() == table.names
                and csv.astype(object).values.tolist() == to_csv_text(frame, table).values.tolist(),
            }
        )
        frames[table.name] = frame
    # Whether each long-table row names a published action or organisation, as
    # a column: a value set of every id would cost GX time growing with the data.
    action_ids, org_ids = (
        set(frames["actions"]["action_id"]),
        set(frames["organisations"]["org_id"]),
    )
    for name in ("milestones", "action_organisations", "review"):
        frames[name] = frames[name].assign(
            action_published=[i is None or i in action_ids for i in frames[name]["action_id"]]
        )
    links = frames["action_organisations"]
    frames["action_organisations"] = links.assign(
        organisation_described=[i in org_ids for i in links["org_id"]]
    )
    return {"release_files": pd.DataFrame(files), **frames}
