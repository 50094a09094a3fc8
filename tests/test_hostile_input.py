"""Broken and hostile input: a clear answer every time, and never a partly written release."""

import csv
import hashlib
import io
import zipfile

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.extract import extract_document
from pipeline.publish.write import FORMULA_STARTS
from pipeline.stages import PUBLISHED_TABLES
from tests.conftest import HEADER, PROJECT, SHIPPED_PLAN, tsv

FIXTURES = PROJECT / "tests" / "fixtures"
PLAN_TEXT = SHIPPED_PLAN.read_text(encoding="utf-8")


def fingerprint(folder):
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def _word_letter() -> bytes:
    from docx import Document

    letter, buffer = Document(), io.BytesIO()
    letter.add_paragraph("Dear colleague, the delivery plan will follow next week.")
    letter.save(buffer)
    return buffer.getvalue()


def _docx_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


DOCUMENT_PROBLEMS = [
    ("empty.txt", b"", "the file is empty"),
    ("noise.txt", bytes(range(256)) * 40, "binary content"),
    (
        "plan.pdf",
        (FIXTURES / "knowsley-2030-delivery-plan.pdf").read_bytes()[:50000],
        "a damaged or truncated PDF",
    ),
    ("plan.pdf", (FIXTURES / "password-protected.pdf").read_bytes(), "password-protected"),
    ("letter.pdf", (FIXTURES / "no-plan-table.pdf").read_bytes(), "no plan table found"),
    (
        "plan.docx",
        PLAN_TEXT.encode(),
        "named as DOCX but its content is not a PDF or Word document",
    ),
    ("plan.docx", _docx_without_document(), "a zip archive but not a Word document"),
    ("letter.txt", b"Dear colleague,\nthe plan follows.\n", "no plan table found"),
    ("letter.docx", _word_letter(), "no plan table found"),
]


@pytest.mark.parametrize(("name", "data", "reason"), DOCUMENT_PROBLEMS)
def test_document_level_problem_stops_with_one_line_and_publishes_nothing(
    tmp_path, capsys, name, data, reason
):
    release = tmp_path / "processed"
    release.mkdir()
    (release / "actions.csv").write_text("the last good release\n")
    path = tmp_path / name
    path.write_bytes(data)
    before = fingerprint(tmp_path)
    assert main(["run", str(path), "--out", str(release)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {path}") or err.startswith(f"error: {name}")
    assert reason in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert fingerprint(tmp_path) == before  # nothing staged, archived or reported either


def _read_text(tmp_path, labels, text: str):
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    return extract_document(path, labels)


def _run_text(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / f"out-{name}"
    assert main(["run", str(path), "--out", str(out)]) == 0
    return out


def test_columns_in_another_order_are_read_by_their_header(tmp_path, labels):
    order = [3, 0, 7, 1, 6, 2, 5, 4]  # Headline first, Summary last, ...

    def reorder(line: str) -> str:
        cells = line.split("\t")
        if len(cells) == 8:
            return "\t".join(cells[i] for i in order)
        if len(cells) == 7:  # Priority 4: no Timescale column
            return "\t".join(cells[i] for i in order if i != 7)
        return line

    reordered = _read_text(tmp_path, labels, "\n".join(map(reorder, PLAN_TEXT.split("\n"))))
    pd.testing.assert_frame_equal(reordered.rows, _read_text(tmp_path, labels, PLAN_TEXT).rows)


def test_rows_with_too_many_or_too_few_cells_are_quarantined_and_the_rest_kept(tmp_path, labels):
    lines = PLAN_TEXT.split("\n")
    lines[10] += "\tstray cell"  # line 11: one cell too many
    lines[11] = "\t".join(lines[11].split("\t")[:5])  # line 12: three cells short
    extraction = _read_text(tmp_path, labels, "\n".join(lines))
    review = extraction.review
    quarantined = review[review.reason.isin(["too_many_cells", "too_few_cells"])]
    assert quarantined[["source_locator", "reason"]].values.tolist() == [
        ["line 11", "too_many_cells"],
        ["line 12", "too_few_cells"],
    ]
    assert len(extraction.rows) == 239 - 2
    assert not extraction.rows.source_locator.isin(["line 11", "line 12"]).any()


def test_a_priority_whose_header_row_is_missing_is_read_with_the_columns_before(tmp_path, labels):
    lines = PLAN_TEXT.split("\n")
    assert lines[81].startswith("Focus\t")  # Priority 2's header row, line 82
    del lines[81]
    extraction = _read_text(tmp_path, labels, "\n".join(lines))
    review = extraction.review
    assert review[review.reason == "header_assumed"].source_locator.tolist() == ["line 82"]
    assert len(extraction.rows) == 239


@pytest.mark.slow
def test_a_cell_of_several_megabytes_goes_through(tmp_path):
    huge = "Very long summary text; " * 250_000  # 6 MB in one cell
    text = tsv(
        "**Priority 1: Safe**",
        HEADER,
        (
            "Internal",
            "Strategic",
            "Strong community",
            "Huge cell",
            huge,
            "KMBC - C&N",
            "Caroline Holmes (KMBC)",
            "Mar-23",
        ),
    )
    out = _run_text(tmp_path, "plan-huge.txt", text.encode())
    summary = pd.read_parquet(out / "actions.parquet").summary[0]
    assert len(summary) > 5_000_000


@pytest.mark.slow
def test_formula_cells_are_defused_in_csv_and_kept_in_parquet(tmp_path):
    text = tsv(
        "**Priority 1: Safe**",
        HEADER,
        (
            "Internal",
            "Strategic",
            '=HYPERLINK("http://x")',
            "+cmd|' /C calc'!A0",
            "@SUM(1+1)",
            "-2+3",
            "=1+1",
            "Mar-23",
        ),
    )
    out = _run_text(tmp_path, "plan-formulas.txt", text.encode())
    csv_row = pd.read_csv(out / "actions.csv", dtype=str, keep_default_na=False).iloc[0]
    parquet_row = pd.read_parquet(out / "actions.parquet").iloc[0]
    for column in (
        "key_objective",
        "headline_action",
        "summary",
        "organisation_raw",
        "lead_officer_raw",
    ):
        assert csv_row[column] == "'" + parquet_row[column]
        assert parquet_row[column][0] in "=+-@"


def test_no_csv_cell_of_a_release_can_start_a_formula(shipped):
    for table in PUBLISHED_TABLES:
        with open(shipped / "processed" / f"{table}.csv", encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                assert not [cell for cell in row if cell.startswith(FORMULA_STARTS)], table


@pytest.mark.slow
def test_script_markup_never_reaches_any_output(tmp_path):
    script = "<script>alert('x')</script>"
    text = tsv(
        "**Priority 1: Safe**",
        HEADER,
        (
            "Internal",
            "Strategic",
            "Objective",
            f"Headline {script}",
            f"<p>Summary</p>{script}",
            "KMBC - C&N",
            "Caroline Holmes (KMBC)",
            "Mar-23",
        ),
        (
            "Internal",
            "Strategic",
            "Objective",
            "Other",
            script,
            "KMBC",
            "A B (KMBC)",
            "2022",
            "extra cell",
        ),
    )
    out = _run_text(tmp_path, "plan-script.txt", text.encode())
    for path in out.rglob("*"):
        if path.suffix in {".csv", ".md", ".json", ".html"}:
            assert "<script" not in path.read_text(encoding="utf-8"), path.name
    for table in PUBLISHED_TABLES:
        frame = pd.read_parquet(out / f"{table}.parquet")
        assert not frame.astype(str).apply(lambda c: c.str.contains("<script")).any().any(), table


def test_two_runs_on_the_same_input_give_byte_identical_tables(shipped, tmp_path):
    published, again = shipped / "processed", tmp_path / "again"
    assert main(["run", str(SHIPPED_PLAN), "--out", str(again)]) == 0
    for table in [*PUBLISHED_TABLES, "changes"]:
        if table == "action_history":  # names the release each row came from: compared below
            continue
        for suffix in (".csv", ".parquet") if table != "changes" else (".csv",):
            name = f"{table}{suffix}"
            assert (again / name).read_bytes() == (published / name).read_bytes(), name
    history = [
        pd.read_parquet(folder / "action_history.parquet").drop(columns="release_id")
        for folder in (published, again)
    ]
    pd.testing.assert_frame_equal(*history)
