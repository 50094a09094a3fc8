"""The text export, the Word file and the PDF of the shipped plan publish the same dataset.

Only where a value came from differs: source_file and source_locator (and the
locators of collapsed repeats).
"""

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.stages import PUBLISHED_TABLES
from tests.conftest import PROJECT, SHIPPED_PLAN

pytestmark = pytest.mark.slow

RENDERINGS = [
    PROJECT / "tests" / "fixtures" / "knowsley-2030-delivery-plan.docx",
    PROJECT / "tests" / "fixtures" / "knowsley-2030-delivery-plan.pdf",
]
SOURCE_COLUMNS = {"source_file", "source_locator", "duplicate_locators"}


@pytest.fixture(scope="module")
def releases(tmp_path_factory, shipped):
    folders = {SHIPPED_PLAN.suffix: shipped / "processed"}
    for path in RENDERINGS:
        out = tmp_path_factory.mktemp(path.suffix.lstrip(".")) / "release"
        assert main(["run", str(path), "--out", str(out)]) == 0
        folders[path.suffix] = out
    return folders


@pytest.mark.parametrize("rendering", [".docx", ".pdf"])
@pytest.mark.parametrize("table", list(PUBLISHED_TABLES))
def test_rendering_publishes_the_same_table(releases, rendering, table):
    def read(folder):
        frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
        return frame.drop(columns=[c for c in frame.columns if c in SOURCE_COLUMNS])

    expected, got = read(releases[".txt"]), read(releases[rendering])
    assert got.columns.tolist() == expected.columns.tolist()
    assert len(got) == len(expected)
    pd.testing.assert_frame_equal(got, expected)


def test_locators_say_page_for_pdf_and_table_for_word(releases):
    pdf = pd.read_csv(releases[".pdf"] / "actions.csv")
    word = pd.read_csv(releases[".docx"] / "actions.csv")
    assert pdf.source_locator.str.match(r"^page \d+ row \d+").all()
    assert word.source_locator.str.match(r"^table \d+ row \d+$").all()
    assert set(pdf.source_file) == {"knowsley-2030-delivery-plan.pdf"}
