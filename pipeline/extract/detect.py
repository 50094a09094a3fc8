"""Which reader a document needs, told by its content rather than its name.

A PDF starts with ``%PDF-``; a Word .docx is a zip archive holding
``word/document.xml``; anything else is read as a text export (which refuses
binary content). A file whose name claims one format and whose content is
another is refused: it is usually a mistake worth a person's look.
"""

from __future__ import annotations

import io
import zipfile

from pipeline.errors import InputError

PDF, WORD, TEXT = "pdf", "docx", "text"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, and any password-protected Office file
_CLAIMS = {".pdf": PDF, ".docx": WORD}


def detect_format(data: bytes, source: str) -> str:
    """``pdf``, ``docx`` or ``text``; an InputError for anything the pipeline cannot read."""
    if data.startswith(b"%PDF-"):
        found = PDF
    elif data.startswith(b"PK\x03\x04"):
        found = _zip_format(data, source)
    elif data.startswith(_OLE):
        raise InputError(
            source,
            "an old binary Word .doc or a password-protected Office file: "
            "save it as an unprotected .docx or PDF",
        )
    else:
        found = TEXT
    claimed = _CLAIMS.get(source[source.rfind(".") :].lower()) if "." in source else None
    if claimed and claimed != found:
        raise InputError(source, f"named as {claimed.upper()} but its content is {_kind(found)}")
    return found


def _zip_format(data: bytes, source: str) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        raise InputError(source, "a damaged or truncated zip/Word file") from None
    if "word/document.xml" not in names:
        raise InputError(source, "a zip archive but not a Word document (no word/document.xml)")
    return WORD


def _kind(found: str) -> str:
    return {PDF: "a PDF", WORD: "a Word document", TEXT: "not a PDF or Word document"}[found]
