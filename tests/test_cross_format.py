"""The text export, the Word file and two PDFs of the shipped plan publish the same dataset.

Only where a value came from differs: source_file and source_locator (and the
locators of collapsed repeats), the release a history row was read from, and
the title in the review list of the Word file and its prints (KNOWN_EXTRA_REVIEW). The PDFs are
LibreOffice's print of the Word file and Chromium's print of LibreOffice's HTML
of it (tests/fixtures/make_plan_renderings.py): rows broken across 30 pages,
some with no rule at the page foot, and bullets drawn as discs.
"""

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.stages import PUBLISHED_TABLES
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow

FIXTURES = PROJECT / "tests" / "fixtures"
RENDERINGS = {
    "word": FIXTURES / "knowsley-2030-delivery-plan.docx",
    "libreoffice pdf": FIXTURES / "knowsley-2030-delivery-plan.pdf",
    "browser pdf": FIXTURES / "knowsley-2030-delivery-plan-browser.pdf",
}
SOURCE_COLUMNS = {"source_file", "source_locator", "duplicate_locators", "release_id"}
# The one cell a rendering reads differently, and why: in the browser's print a
# sentence of the Merseyside Police summary ends exactly at a page foot and the
# next page opens with a capital, which the PDF reader takes for a new
# paragraph (README, Input formats: a page break inside a cell).
KNOWN_DIFFERENCES = {
    ("browser pdf", "actions", 209, "summary"): (
        "forces. Merseyside Police is working",
        "forces.\nMerseyside Police is working",
    ),
}

# Review entries a rendering has and the text export has not, and why: the Word file
# and its prints open with the plan's title, outside every table (the export has none).
TITLE = ("text_outside_tables", "Knowsley 2030 Strategy: Delivery Plan")
KNOWN_EXTRA_REVIEW = {"word": [TITLE], "libreoffice pdf": [TITLE], "browser pdf": [TITLE]}


class _Releases(dict):
    """Each rendering published when a test first asks for it: on both cores, a worker
    that takes over some of these tests publishes only the renderings they need. The
    LibreOffice PDF is the session's one run of it (conftest.pdf_published)."""

    def __init__(self, tmp_path_factory, request):
        super().__init__(text=request.getfixturevalue("shipped") / "processed")
        self.tmp_path_factory, self.request = tmp_path_factory, request

    def __missing__(self, name):
        if name == "libreoffice pdf":
            self[name] = self.request.getfixturevalue("pdf_published") / "processed"
            return self[name]
        out = self.tmp_path_factory.mktemp(name.replace(" ", "-")) / "release"
        # the text export's period (params.yaml), so delivery is judged on the same day
        assert main(["run", str(RENDERINGS[name]), "--out", str(out), "--period", "2022/23"]) == 0
        self[name] = out
        return out


@pytest.fixture(scope="module")
def releases(tmp_path_factory, request):
    return _Releases(tmp_path_factory, request)


def _read(folder, table):
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    return frame.drop(columns=[c for c in frame.columns if c in SOURCE_COLUMNS])


@pytest.mark.parametrize("table", list(PUBLISHED_TABLES))
@pytest.mark.parametrize("rendering", list(RENDERINGS))  # one rendering's tests together
def test_rendering_publishes_the_same_table(releases, rendering, table):
    expected, got = _read(releases["text"], table), _read(releases[rendering], table)
    if table == "review":
        extra = (
            got[["reason", "value"]]
            .apply(tuple, axis=1)
            .isin(KNOWN_EXTRA_REVIEW.get(rendering, []))
        )
        assert extra.sum() == len(KNOWN_EXTRA_REVIEW.get(rendering, []))
        got = got[~extra].reset_index(drop=True)
    assert got.columns.tolist() == expected.columns.tolist()
    assert len(got) == len(expected)
    for (name, in_table, row, column), (text, read) in KNOWN_DIFFERENCES.items():
        if (name, in_table) == (rendering, table):
            assert text in expected.at[row, column] and read in got.at[row, column]
            got.at[row, column] = expected.at[row, column]
    pd.testing.assert_frame_equal(got, expected)


def test_locators_say_page_for_pdf_and_table_for_word(releases):
    word = pd.read_csv(releases["word"] / "actions.csv")
    assert word.source_locator.str.match(r"^table \d+ row \d+$").all()
    for name in ("libreoffice pdf", "browser pdf"):
        pdf = pd.read_csv(releases[name] / "actions.csv")
        assert pdf.source_locator.str.match(r"^page \d+ row \d+").all()
        assert set(pdf.source_file) == {RENDERINGS[name].name}


def test_rows_the_browser_broke_at_a_page_foot_are_whole(releases):
    pdf = pd.read_csv(releases["browser pdf"] / "actions.csv")
    broken = pdf[pdf.source_locator.str.contains(" - page ")]
    # the print breaks 10 rows across pages; each is one action, the same as the text's
    assert len(broken) == 10
