"""Extract: documents into raw rows that remember where they came from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.extract.assemble import Extraction
from pipeline.extract.detect import PDF, WORD, detect_format
from pipeline.extract.layout import HeaderLabels
from pipeline.extract.text import read_text_export
from pipeline.review import combine_review
from pipeline.schema import DOCUMENT_FIELDS


def extract_documents(paths: list[Path], labels: HeaderLabels) -> Extraction:
    """Rows of every document, in the order given; row_order runs across them."""
    parts = [extract_document(path, labels) for path in paths]
    rows = pd.concat([part.rows for part in parts], ignore_index=True)
    rows["row_order"] = range(1, len(rows) + 1)
    review = combine_review(*(part.review for part in parts))
    return Extraction(rows, review)


def extract_document(path: Path, labels: HeaderLabels) -> Extraction:
    """Rows of one document; a document with no plan table is an InputError."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from None
    kind = detect_format(data, path.name)
    # python-docx and pdfplumber take a second to import; a text export needs neither.
    if kind == WORD:
        from pipeline.extract.docx import read_word

        extraction = read_word(data, path.name, labels)
    elif kind == PDF:
        from pipeline.extract.pdf import read_pdf

        extraction = read_pdf(data, path.name, labels)
    else:
        extraction = read_text_export(data, path.name, labels)
    if extraction.rows.empty:
        raise InputError(str(path), f"no plan table found: {_why_no_rows(extraction, labels)}")
    return Extraction(_as_listed(extraction.rows), extraction.review)


def _as_listed(rows: pd.DataFrame) -> pd.DataFrame:
    """Each cell of a field whose values the contract lists, spelt as listed when it is
    one of them in another case: a table style in capitals prints "INTERNAL"."""
    for field in DOCUMENT_FIELDS:
        if field.values:
            listed = {value.casefold(): value for value in field.values}
            rows[field.name] = [
                listed.get(cell.casefold(), cell) if isinstance(cell, str) else cell
                for cell in rows[field.name]
            ]
    return rows


def _why_no_rows(extraction: Extraction, labels: HeaderLabels) -> str:
    """The cause, in the document's own words: the row that should have been a header."""
    review = extraction.review
    unplaced = review[review.reason.isin(["no_header_row", "no_priority_heading"])]
    expected = ", ".join(labels.examples.values())
    heading = f"'{labels.heading_words[0]} N: title' heading"
    if unplaced.empty:
        return (
            f"no {heading} followed by a table whose header row names "
            f"Headline Action and two more of: {expected}"
        )
    first = unplaced.iloc[0]
    if first.reason == "no_priority_heading":
        return (
            f"table rows but no {heading} before them (first row, "
            f"{first.source_locator}: {first.value[:120]!r}); a priority heading's word is "
            "one of the priority labels in reference/columns.yaml"
        )
    return (
        f"the first row under a priority heading ({first.source_locator}) reads "
        f"{first.value[:160]!r}, but a header row names Headline Action and two more of: "
        f"{expected} (reference/columns.yaml)"
    )
