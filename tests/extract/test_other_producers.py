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


_READ: dict[str, object] = {}  # each document read once per worker, for both checks


def _read(document: str, labels):
    if document not in _READ:
        _READ[document] = extract_document(PRODUCERS / document, labels)
    return _READ[document]


# The checks of one document side by side, so one worker reads it for both.
@pytest.mark.parametrize("check", ["rows", "review"])
@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_read_as_a_person_reads_it(labels, expected, check):
    """Every field of every row as written; the review list names what the layout
    left unsure."""
    spec = _expected(expected)
    extraction = _read(spec["document"], labels)
    if check == "rows":
        got = extraction.rows[FIELDS].to_dict("records")
        assert len(got) == len(spec["rows"])
        for row, want in zip(got, spec["rows"], strict=True):
            assert row == {field: want[field] for field in FIELDS}
    else:
        got = extraction.review[["reason", "source_locator", "value"]].to_dict("records")
        assert sorted(got, key=str) == sorted(spec["review"], key=str)
