"""A staged release read back from disk, as tables the publish gate can check.

What consumers will read is what gets checked: the CSV and Parquet files and
datapackage.json as written, not the frames that were meant to be written.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.publish.progress import whole_months
from pipeline.publish.write import ARROW_TYPES, LIST_SEPARATOR, arrow_to_frame, csv_cells
from pipeline.schema import Table

FILES_TABLE = "release_files"  # the first table: what the files say of each other

# Columns kept for the gate whatever its suite names: those that say where a failing
# row came from, and those the columns added below are worked out from.
_ALWAYS_KEPT = frozenset(
    {"action_id", "source_file", "source_locator", "org_id", "original_end_date"}
    | {"current_end_date", "slip_days", "slip_months"}
)


def release_check_tables(
    folder: Path,
    tables: list[Table],
    columns: Callable[[str, list[str]], list[str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """``release_files`` (one row per table: do its files agree with each other and with
    datapackage.json?) and every table as read from its Parquet file, the long
    tables with a column saying whether each row's action (and organisation) is
    published.

    Each table is read and compared whole, one at a time, and only the columns
    ``columns(table, names)`` gives (those the gate's suite reads; default all) are
    kept, with those naming where a row came from, so a large release is never held
    whole twice.
    """
    described = {
        resource["name"]: resource["schema"]["fields"]
        for resource in json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))[
            "resources"
        ]
    }
    files, frames = [], {}
    for table in tables:
        fields = described.get(table.name, [])
        written = pq.read_table(folder / f"{table.name}.parquet")  # read once, checked twice
        frame = arrow_to_frame(table, written)
        expected = pa.schema([pa.field(f["name"], ARROW_TYPES[f["type"]]) for f in fields])
        csv = _read_csv_as_text(folder / f"{table.name}.csv")
        files.append(
            {
                "table": table.name,
                "parquet_schema_matches": written.schema.remove_metadata().equals(expected),
                "parquet_rows": len(frame),
                **_cells_read_back(written),
                "csv_columns_match": csv.column_names == [f["name"] for f in fields],
                "csv_rows": csv.num_rows,
                "same_values": csv.column_names == table.names
                and all(
                    csv.column(name).to_pylist() == cells
                    for name, cells in zip(table.names, csv_cells(frame, table), strict=True)
                ),
            }
        )
        if columns:
            named = set(columns(table.name, table.names)) | _ALWAYS_KEPT
            frame = frame[[name for name in table.names if name in named]]
        frames[table.name] = frame
    # Whether each long-table row names a published action or organisation, as
    # a column: a value set of every id would cost GX time growing with the data.
    action_ids, org_ids = (
        set(frames["actions"]["action_id"]),
        set(frames["organisations"]["org_id"]),
    )
    for name in ("milestones", "action_organisations", "review", "action_progress"):
        frames[name] = frames[name].assign(
            action_published=[i is None or i in action_ids for i in frames[name]["action_id"]]
        )
    frames["action_progress"] = _with_slip_checked(frames["action_progress"])
    tracked = set(frames["action_progress"]["action_id"])
    frames["actions"] = frames["actions"].assign(
        progress_given=[i in tracked for i in frames["actions"]["action_id"]]
    )
    links = frames["action_organisations"]
    frames["action_organisations"] = links.assign(
        organisation_described=[i in org_ids for i in links["org_id"]]
    )
    return {FILES_TABLE: pd.DataFrame(files), **frames}


def _read_csv_as_text(path: Path) -> pa.Table:
    """Every cell as the text it holds ("" for an empty one), as a reader that takes no
    guesses sees it; Arrow's reader, a quarter of the time of pandas'."""
    with path.open(encoding="utf-8", newline="") as file:
        header = next(csv.reader(file), [])
    as_text = pa_csv.ConvertOptions(
        column_types=dict.fromkeys(header, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    parse = pa_csv.ParseOptions(newlines_in_values=True)
    # one block: a cell may be megabytes long, and no cell may straddle two blocks
    whole = pa_csv.ReadOptions(block_size=min(path.stat().st_size + 1, 2**31 - 1))
    return pa_csv.read_csv(path, whole, parse, as_text)


def _cells_read_back(arrow: pa.Table) -> dict[str, bool]:
    """Whether a reader of the CSV with the declared types gets the Parquet's values:
    missing is null, never "" or an empty list, object or list item (the CSV has an
    empty cell for both), and no list item holds the separator the CSV joins on."""
    missing_is_null, items_unsplit = True, True
    for column in arrow.columns:
        kind = column.type
        if pa.types.is_string(kind):
            missing_is_null &= not pc.any(pc.equal(column, "")).as_py()
        elif pa.types.is_list(kind) or pa.types.is_map(kind):
            for chunk in column.chunks:  # a map is a list of pairs: both have offsets
                offsets = chunk.offsets.to_numpy()
                valid = chunk.is_valid().to_numpy(zero_copy_only=False)
                missing_is_null &= not ((offsets[1:] == offsets[:-1]) & valid).any()
        if pa.types.is_list(kind):
            items = pc.list_flatten(column)
            missing_is_null &= not pc.any(pc.equal(items, "")).as_py()
            items_unsplit &= not pc.any(pc.match_substring(items, LIST_SEPARATOR)).as_py()
    return {"missing_is_null": missing_is_null, "list_items_unsplit": items_unsplit}


def _with_slip_checked(progress: pd.DataFrame) -> pd.DataFrame:
    """``slip_consistent``: the slip in days and months is what the two dates give, and
    missing exactly when one of them is."""
    consistent = []
    for original, current, days, months in zip(
        progress["original_end_date"],
        progress["current_end_date"],
        progress["slip_days"],
        progress["slip_months"],
        strict=True,
    ):
        if original is None or current is None:
            consistent.append(days is None and months is None)
        else:
            consistent.append(
                days == (current - original).days and months == whole_months(original, current)
            )
    return progress.assign(slip_consistent=consistent)
