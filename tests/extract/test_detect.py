"""Format by content, and a clear refusal of anything that is none of the three."""

import io
import zipfile

import pytest

from pipeline.errors import InputError
from pipeline.extract.detect import detect_format
from tests.conftest import PROJECT

FIXTURES = PROJECT / "tests" / "fixtures"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("plan.pdf", (FIXTURES / "knowsley-2030-delivery-plan.pdf").read_bytes()[:2000], "pdf"),
        ("plan.docx", (FIXTURES / "knowsley-2030-delivery-plan.docx").read_bytes(), "docx"),
        ("plan.txt", b"Focus\tDelivery\n", "text"),
        (
            "plan-without-extension",
            (FIXTURES / "knowsley-2030-delivery-plan.docx").read_bytes(),
            "docx",
        ),
        ("plan.txt", b"%PDF-1.7 a PDF saved with the wrong name", "pdf"),
    ],
)
def test_format_is_told_by_content(name, data, kind):
    assert detect_format(data, name) == kind


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.docx", b"Focus\tDelivery\n", "named as DOCX but its content is not a PDF or Word"),
        (
            "plan.pdf",
            _zip(["word/document.xml"]),
            "named as PDF but its content is a Word document",
        ),
        ("plan.docx", _zip(["content.xml"]), "a zip archive but not a Word document"),
        ("plan.docx", b"PK\x03\x04 cut short", "a damaged or truncated zip/Word file"),
        (
            "plan.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "an Office 97-2003 file",
        ),
        (  # a password-protected .docx or .xlsx: an OLE file holding the encrypted package
            "plan.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "a password-protected Office file: save it without one",
        ),
    ],
)
def test_what_cannot_be_read_is_refused_with_the_reason(name, data, message):
    with pytest.raises(InputError, match=message) as caught:
        detect_format(data, name)
    assert caught.value.source == name


# The plan as LibreOffice saves it in formats the pipeline does not read
# (tests/fixtures/producers/make_tool_exports.py): each refused as what it is.
@pytest.mark.parametrize(
    ("extension", "message"),
    [
        ("rtf", r"an RTF document \(Rich Text Format\)"),
        ("html", r"a web page \(HTML\)"),
        ("odt", r"an OpenDocument file \(application/vnd.oasis.opendocument.text\)"),
        ("doc", r"an old binary Word document \(Word 97-2003 .doc\)"),
        ("xlsx", "an Excel workbook"),
        ("xls", r"an old binary Excel workbook \(Excel 97-2003 .xls\)"),
    ],
)
def test_other_formats_a_plan_is_saved_as_are_named(extension, message):
    name = f"one-table-merged-headings.{extension}"
    data = (FIXTURES / "producers" / name).read_bytes()
    advice = "its sheet as CSV" if extension.startswith("xls") else "it as .docx or PDF"
    with pytest.raises(InputError, match=f"{message}, not a .*: save {advice}"):
        detect_format(data, name)


def test_a_flat_opendocument_file_is_named():
    # LibreOffice's single-file XML save (the .fodt make_tool_exports.py saves as Word)
    name = "notes-comments-text-boxes.fodt"
    data = (FIXTURES / "producers" / name).read_bytes()
    with pytest.raises(InputError, match=r"an OpenDocument flat XML file \(.fodt\), not a"):
        detect_format(data, name)


def test_a_text_export_that_opens_with_markup_in_a_cell_is_still_text():
    assert detect_format(b"\xef\xbb\xbf<p>Focus</p>\tDelivery\n", "plan.txt") == "text"
