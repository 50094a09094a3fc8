"""Shared fixtures. Tiers: ``pytest -m "not slow"`` runs the unit tests in well under a
minute; ``slow`` marks whatever runs the whole pipeline or reads a PDF, and every
test that uses a fixture doing so (SLOW_FIXTURES) is marked here, automatically."""

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.extract.layout import label_index
from pipeline.publish.write import write_csv, write_parquet
from pipeline.reference import load_column_labels
from pipeline.run import run_pipeline
from pipeline.schema import Table

PROJECT = Path(__file__).resolve().parents[1]
SHIPPED_PLAN = PROJECT / "raw" / "knowsley-2030-delivery-plan.txt"
REFRESH = PROJECT / "tests" / "fixtures" / "refresh"  # two quarters written for the change report
# The project's own params.yaml: the thresholds every test runs with.
CONFIG = load_config()
# Fixtures that run the whole pipeline or read a PDF: a test that uses one is slow.
SLOW_FIXTURES = {"shipped", "published", "pdf_rows", "refreshed", "pdf_published"}
PLAN_PDF = PROJECT / "tests" / "fixtures" / "knowsley-2030-delivery-plan.pdf"
# Modules whose tests run for tens of seconds (DVC's stages as processes, PDF renderings)
LONGEST_MODULES = {"test_dvc.py", "test_cross_format.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    # Longest first, each module's tests together: on both cores (pytest-xdist's
    # worksteal) a worker that runs out takes tests from the end of the other's list,
    # so the end should be many small tests, not a whole run that leaves a core idle.
    items.sort(
        key=lambda item: (
            item.path.name not in LONGEST_MODULES,
            item.get_closest_marker("slow") is None,
        )
    )


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> Path:
    """The shipped plan run once for the whole session: ``processed/`` and ``interim/``.

    Read it as it is; a test that changes a release takes ``published``, a copy.
    """
    folder = tmp_path_factory.mktemp("shipped")
    run_pipeline([SHIPPED_PLAN], CONFIG, folder / "processed", folder / "interim")
    return folder


@pytest.fixture(scope="session")
def pdf_published(tmp_path_factory) -> Path:
    """LibreOffice's PDF of the shipped plan run once for the session, as the text
    export's period: ``processed/`` and ``interim/``. Reading a PDF is the suite's
    costliest step; test_pdf.py looks at its rows, test_cross_format.py at its tables."""
    folder = tmp_path_factory.mktemp("pdf")
    run_pipeline([PLAN_PDF], CONFIG, folder / "processed", folder / "interim", period="2022/23")
    return folder


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory) -> Path:
    """A release refreshed once, for the session: the 2022/23 Q3 plan, then Q4 over it.
    Read it as it is; the Q3 release is in its archive."""
    out = tmp_path_factory.mktemp("refreshed") / "processed"
    for plan in ("q3", "q4"):
        assert main(["run", str(REFRESH / f"plan-2022-23-{plan}.txt"), "--out", str(out)]) == 0
    return out


@pytest.fixture
def published(shipped, tmp_path) -> Path:
    """A copy of the shipped plan's release, for a test that runs again over it."""
    shutil.copytree(shipped / "processed", tmp_path / "processed")
    return tmp_path / "processed"


@pytest.fixture(scope="session")
def labels():
    return label_index(load_column_labels())


def tsv(*rows: tuple[str, ...] | str) -> str:
    """A text export from lines: a tuple is a tab-separated row, a string a line as is."""
    return "\n".join(row if isinstance(row, str) else "\t".join(row) for row in rows) + "\n"


HEADER = (
    "Focus",
    "Delivery",
    "Key Objective",
    "Headline Action",
    "Summary",
    "Partnership/ Organisation",
    "Lead Officer/ Organisation",
    "Timescale",
)

# A data row of the plan (text export line 12), for snippets.
ROW = (
    "Internal",
    "Strategic",
    "Strong community",
    "Community Asset Transfers",
    "Implementation plan",
    "KMBC - C&N",
    "Andrea Cooper (KMBC)",
    "Mar-23",
)


def write_as_published(frame, table: Table, folder: Path) -> None:
    """NAME.parquet and NAME.csv in ``folder`` as the publish stage writes them
    (stages.write_tables, then write_csv_files): missing as null in both."""
    frame = table.missing_as_null(frame)
    write_parquet(frame, table, folder / f"{table.name}.parquet")
    write_csv(frame, table, folder / f"{table.name}.csv")
