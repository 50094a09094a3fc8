"""Real data for the suites without running the gates under test: the shipped plan
extracted and normalised (a fraction of a second), and its release files written."""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import SUITES_DIR
from pipeline.extract import extract_documents
from pipeline.normalise import Normalised, normalise_rows
from pipeline.reference import load_reference
from pipeline.stages import RunInfo, write_release
from tests.conftest import CONFIG, SHIPPED_PLAN

EXPECTATIONS = SUITES_DIR


@pytest.fixture(scope="session")
def shipped_tables() -> tuple[pd.DataFrame, Normalised]:
    reference = load_reference()
    extraction = extract_documents([SHIPPED_PLAN], reference.labels)
    return extraction.rows, normalise_rows(extraction.rows, extraction.review, reference.normalise)


@pytest.fixture
def shipped_rows(shipped_tables) -> pd.DataFrame:
    return shipped_tables[0].copy()


@pytest.fixture
def shipped_actions(shipped_tables) -> pd.DataFrame:
    return shipped_tables[1].actions.copy()


@pytest.fixture(scope="session")
def shipped_files(shipped_tables, tmp_path_factory) -> Path:
    """The shipped plan's release files as publish writes them, before its gate."""
    folder = tmp_path_factory.mktemp("release") / "processed"
    folder.mkdir()
    write_release(shipped_tables[1], folder, RunInfo.start([SHIPPED_PLAN], CONFIG, "2022/23"))
    return folder
