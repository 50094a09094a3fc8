from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import PROJECT, SHIPPED_PLAN

EXPECTATIONS = PROJECT / "expectations"


@pytest.fixture(scope="session")
def shipped_release(tmp_path_factory) -> Path:
    """The shipped plan run once, interim outputs kept: the passing data for every suite."""
    folder = tmp_path_factory.mktemp("shipped")
    argv = ["run", str(SHIPPED_PLAN), "--out", str(folder / "processed")]
    assert main([*argv, "--interim", str(folder / "interim")]) == 0
    return folder
