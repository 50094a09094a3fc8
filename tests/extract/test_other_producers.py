"""Documents made by other producers, read exactly as a person reads them.

Each fixture in tests/fixtures/producers/ has an expected-rows file written by
hand from the document (see make_word_fixtures.py for how the Word files were
made). Every field of every row is compared, and the review entries the
layout calls for.
"""

import json
from pathlib import Path

import pytest

from pipeline.extract import extract_document
from pipeline.schema import CELL_FIELDS

PRODUCERS = Path(__file__).resolve().parents[1] / "fixtures" / "producers"
EXPECTED = sorted(PRODUCERS.glob("*.expected.json"))
FIELDS = ["source_locator", "priority_number", "priority_title", *CELL_FIELDS, "other_columns"]


def _expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_every_field_of_every_row_is_read_as_written(labels, expected):
    spec = _expected(expected)
    extraction = extract_document(PRODUCERS / spec["document"], labels)
    got = extraction.rows[FIELDS].to_dict("records")
    assert len(got) == len(spec["rows"])
    for row, want in zip(got, spec["rows"], strict=True):
        assert row == {field: want[field] for field in FIELDS}


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_the_review_list_names_what_the_layout_left_unsure(labels, expected):
    spec = _expected(expected)
    review = extract_document(PRODUCERS / spec["document"], labels).review
    got = review[["reason", "source_locator", "value"]].to_dict("records")
    assert sorted(got, key=str) == sorted(spec["review"], key=str)
