"""Extract: documents into raw rows that remember where they came from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.extract.assemble import Extraction
from pipeline.extract.detect import PDF, WORD, detect_format
from pipeline.extract.text import read_text_export
from pipeline.review import combine_review


def extract_documents(paths: list[Path], labels: dict[str, str]) -> Extraction:
    """Rows of every document, in the order given; row_order runs across them."""
    parts = [extract_document(path, labels) for path in paths]
    rows = pd.concat([part.rows for part in parts], ignore_index=True)
    rows["row_order"] = range(1, len(rows) + 1)
    review = combine_review(*(part.review for part in parts))
    return Extraction(rows, review)


def extract_document(path: Path, labels: dict[str, str]) -> Extraction:
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
        raise InputError(
            str(path),
            "no plan table found (no priority heading followed by a header row "
            "naming Headline Action and the other columns)",
        )
    return extraction
