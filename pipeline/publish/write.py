"""Tables to files: typed Parquet, and CSV as the contract describes it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schema import BOOLEAN, DATE, INTEGER, LIST, OBJECT, STRING, Table

ARROW_TYPES = {
    STRING: pa.string(),
    INTEGER: pa.int64(),
    DATE: pa.date32(),
    LIST: pa.list_(pa.string()),
    BOOLEAN: pa.bool_(),
    OBJECT: pa.map_(pa.string(), pa.string()),
}
LIST_SEPARATOR = ";"
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP,
# "CSV injection"); the CSV gets a leading single quote, the Parquet the value.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)  # one character each: a set lookup is quicker


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in table.columns])


def write_parquet(frame: pd.DataFrame, table: Table, path: Path) -> None:
    """Parquet with the schema's types, whatever dtypes pandas inferred."""
    arrow = pa.Table.from_pandas(
        frame[table.names], schema=arrow_schema(table), preserve_index=False
    )
    pq.write_table(arrow, path)


def read_parquet(table: Table, path: Path) -> pd.DataFrame:
    """A table written by write_parquet, with lists as Python lists and dates as dates.

    A column the file lacks or holds with another type (a release from before the
    column was added or retyped, see SCHEMA_VERSION) reads as missing. Only the
    table's columns are read.
    """
    present = set(pq.read_schema(path).names)
    return arrow_to_frame(
        table, pq.read_table(path, columns=[n for n in table.names if n in present])
    )


def arrow_to_frame(table: Table, written: pa.Table) -> pd.DataFrame:
    """An Arrow table read from a Parquet file as ``table``'s frame (see read_parquet)."""
    columns = {
        field.name: _python_values(written.column(field.name))
        if written.schema.get_field_index(field.name) >= 0
        and written.schema.field(field.name).type == field.type
        else [None] * written.num_rows
        for field in arrow_schema(table)
    }
    for name, kind in table.types().items():
        if kind == OBJECT:  # Arrow gives a map back as (key, value) pairs
            columns[name] = [None if v is None else dict(v) for v in columns[name]]
    return table.frame(columns)


def _python_values(column: pa.ChunkedArray) -> list:
    """The column's values as Python objects. Dates by way of NumPy, whose day dates turn
    into datetime.date (NaT into None) twenty times as fast as Arrow's to_pylist."""
    if pa.types.is_date32(column.type):
        return column.to_numpy(zero_copy_only=False).tolist()
    return column.to_pylist()


def object_text(value: dict | None) -> str:
    """An object column's cell as CSV holds it: a JSON object, "" for missing."""
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def csv_cells(frame: pd.DataFrame, table: Table) -> list[list[str]]:
    """Every cell as the CSV writes it, column by column: ISO dates, lists joined,
    "" for missing, and text that a spreadsheet would run as a formula defused."""
    return [_csv_column(frame[name], kind) for name, kind in table.types().items()]


def to_csv_text(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """csv_cells as a frame of text."""
    columns = dict(zip(table.names, csv_cells(frame, table), strict=True))
    return pd.DataFrame(columns, columns=table.names, dtype=object)


def _csv_column(values: pd.Series, kind: str) -> list[str]:
    """Plain list comprehensions: pandas' string methods on objects cost four times as much."""
    cells = values.tolist()
    if kind == LIST:
        return _defused_all([LIST_SEPARATOR.join(v) if v is not None else "" for v in cells])
    if kind == STRING:  # nearly every cell is text or None: only the others are looked at
        return _defused_all(
            [v if v.__class__ is str else "" if v is None or pd.isna(v) else str(v) for v in cells]
        )
    if kind == OBJECT:
        return [object_text(v) for v in cells]
    missing = values.isna().tolist()
    if kind == DATE:
        return ["" if m else v.isoformat() for v, m in zip(cells, missing, strict=True)]
    if kind == BOOLEAN:
        return [
            "" if m else ("true" if v else "false") for v, m in zip(cells, missing, strict=True)
        ]
    return ["" if m else str(v) for v, m in zip(cells, missing, strict=True)]


def _defused_all(texts: list[str]) -> list[str]:
    return ["'" + t if t and t[0] in _FORMULA_FIRST else t for t in texts]


def write_csv(frame: pd.DataFrame, table: Table, path: Path) -> None:
    """UTF-8, comma-separated, header row, ISO dates, empty cell for missing; quoted only
    where a cell needs it (the csv module's minimal quoting, as pandas writes it, at a
    third of pandas' cost)."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(table.names)
        writer.writerows(zip(*csv_cells(frame, table), strict=True))


def write_json(data, path: Path) -> None:
    """A JSON document a person can read and diff: indented, UTF-8, newline-terminated."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
