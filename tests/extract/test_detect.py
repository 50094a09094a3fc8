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
            "password-protected Office",
        ),
    ],
)
def test_what_cannot_be_read_is_refused_with_the_reason(name, data, message):
    with pytest.raises(InputError, match=message) as caught:
        detect_format(data, name)
    assert caught.value.source == name
