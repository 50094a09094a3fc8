"""Published files as the contract describes them."""

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given
from hypothesis import strategies as st

from pipeline.publish.write import _python_values, read_parquet
from pipeline.schema import DATE, INTEGER, LIST, STRING, Column, Table
from tests.conftest import write_as_published

TABLE = Table(
    "sample",
    "a table with one column of each type",
    (
        Column("name", STRING, ""),
        Column("count", INTEGER, ""),
        Column("due", DATE, ""),
        Column("ids", LIST, ""),
    ),
)


def frame() -> pd.DataFrame:
    return TABLE.frame(
        {
            "name": ["Net Zero Plan\nsecond line", None],
            "count": [1, 2],
            "due": [dt.date(2023, 3, 31), None],
            "ids": [["kmbc", "kmbc-cn"], []],
        }
    )


def test_csv_has_iso_dates_joined_lists_and_empty_missing_cells(tmp_path):
    write_as_published(frame(), TABLE, tmp_path)
    text = (tmp_path / "sample.csv").read_text(encoding="utf-8")
    assert text == (
        'name,count,due,ids\n"Net Zero Plan\nsecond line",1,2023-03-31,kmbc;kmbc-cn\n,2,,\n'
    )


def test_parquet_keeps_types_lists_and_dates(tmp_path):
    write_as_published(frame(), TABLE, tmp_path)
    schema = pq.read_schema(tmp_path / "sample.parquet")
    assert str(schema.field("ids").type) == "list<element: string>"
    assert str(schema.field("due").type) == "date32[day]"
    assert str(schema.field("count").type) == "int64"
    back = read_parquet(TABLE, tmp_path / "sample.parquet")
    assert back.ids.tolist() == [["kmbc", "kmbc-cn"], None]  # an empty list is missing
    assert back.due.tolist() == [dt.date(2023, 3, 31), None]
    assert back.name.tolist() == ["Net Zero Plan\nsecond line", None]


def test_csv_and_parquet_hold_the_same_rows_in_the_same_order(tmp_path):
    write_as_published(frame(), TABLE, tmp_path)
    csv = pd.read_csv(tmp_path / "sample.csv", keep_default_na=False, dtype=str)
    parquet = read_parquet(TABLE, tmp_path / "sample.parquet")
    assert csv.name.tolist() == [value or "" for value in parquet.name]
    assert csv["count"].astype(int).tolist() == parquet["count"].tolist()


@given(st.lists(st.one_of(st.none(), st.dates()), max_size=30), st.integers(0, 30))
def test_dates_read_back_by_way_of_numpy_are_the_dates_arrow_gives(days, split):
    # read_parquet takes day dates through NumPy (twenty times as fast): the same values,
    # None for a missing one, across chunks, from year 1 to 9999
    column = pa.chunked_array(
        [pa.array(days[:split], pa.date32()), pa.array(days[split:], pa.date32())]
    )
    values = _python_values(column)
    assert values == column.to_pylist() == days
    assert [type(v) for v in values] == [type(v) for v in days]
