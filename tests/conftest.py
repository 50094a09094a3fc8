from pathlib import Path

import pytest

from pipeline.extract.layout import label_index
from pipeline.reference import load_column_labels

PROJECT = Path(__file__).resolve().parents[1]
SHIPPED_PLAN = PROJECT / "raw" / "knowsley-2030-delivery-plan.txt"


@pytest.fixture(scope="session")
def labels() -> dict[str, str]:
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
