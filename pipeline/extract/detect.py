"""Which reader a document needs, told by its content rather than its name.

A PDF starts with ``%PDF-``; a Word .docx is a zip archive holding
``word/document.xml``; anything else is read as a text export (which refuses
binary content). A file whose name claims one format and whose content is
another is refused: it is usually a mistake worth a person's look. So is a
document in a format the plan is often saved as but the pipeline does not read
(RTF, a web page, OpenDocument, Excel), named as what it is.
"""

from __future__ import annotations

import io
import zipfile

from pipeline.errors import InputError

PDF, WORD, TEXT = "pdf", "docx", "text"
_CLAIMS = {".pdf": PDF, ".docx": WORD}
_SAVE_AS = "save it as .docx or PDF, which the pipeline reads"
_SAVE_SHEET_AS = "save its sheet as CSV or tab-separated text, which the pipeline reads"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003, and any password-protected Office file
# What such a file is, by the name of a stream in it (UTF-16 in its directory), and what
# to do with it.
_OLE_FORMATS = {
    "WordDocument": ("an old binary Word document (Word 97-2003 .doc)", _SAVE_AS),
    "Workbook": ("an old binary Excel workbook (Excel 97-2003 .xls)", _SAVE_SHEET_AS),
    "PowerPoint Document": ("an old binary PowerPoint file (PowerPoint 97-2003 .ppt)", _SAVE_AS),
}
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # a .docx or .xlsx saved with a password
# How other formats a plan is saved as begin (after any byte-order mark and spacing).
_TEXT_FORMATS = {
    b"{\\rtf": "an RTF document (Rich Text Format)",
    b"<!doctype html": "a web page (HTML)",
    b"<html": "a web page (HTML)",
}
# What a zip archive that is no Word document holds, when it is another office format.
_ZIP_FORMATS = {
    "xl/workbook.xml": ("an Excel workbook", _SAVE_SHEET_AS),
    "ppt/presentation.xml": ("a PowerPoint presentation", _SAVE_AS),
}
_OPENDOCUMENT = b"application/vnd.oasis.opendocument."


def detect_format(data: bytes, source: str) -> str:
    """``pdf``, ``docx`` or ``text``; an InputError for anything the pipeline cannot read."""
    if data.startswith(b"%PDF-"):
        found = PDF
    elif data.startswith(b"PK\x03\x04"):
        found = _zip_format(data, source)
    elif data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise InputError(source, "a password-protected Office file: save it without one")
        streams = (
            found for name, found in _OLE_FORMATS.items() if name.encode("utf-16-le") in data
        )
        kind, advice = next(streams, ("an Office 97-2003 file", _SAVE_AS))
        raise InputError(source, f"{kind}, not a format the pipeline reads: {advice}")
    else:
        opening = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        other = next(
            (kind for start, kind in _TEXT_FORMATS.items() if opening.startswith(start)), None
        )
        if other is None and opening.startswith(b"<?xml") and b"<office:document" in data[:4096]:
            other = "an OpenDocument flat XML file (.fodt)"  # LibreOffice's single-file save
        if other:
            raise InputError(source, f"{other}, not a format the pipeline reads: {_SAVE_AS}")
        found = TEXT
    claimed = _CLAIMS.get(source[source.rfind(".") :].lower()) if "." in source else None
    if claimed and claimed != found:
        raise InputError(source, f"named as {claimed.upper()} but its content is {_kind(found)}")
    return found


def _zip_format(data: bytes, source: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "word/document.xml" in names:
            return WORD
        mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except zipfile.BadZipFile:
        raise InputError(source, "a damaged or truncated zip/Word file") from None
    other = next((found for name, found in _ZIP_FORMATS.items() if name in names), None)
    if mimetype.startswith(_OPENDOCUMENT):
        other = (f"an OpenDocument file ({mimetype.decode('ascii', 'replace')})", _SAVE_AS)
    if other:
        kind, advice = other
        raise InputError(source, f"{kind}, not a Word document: {advice}")
    raise InputError(source, "a zip archive but not a Word document (no word/document.xml)")


def _kind(found: str) -> str:
    return {PDF: "a PDF", WORD: "a Word document", TEXT: "not a PDF or Word document"}[found]
