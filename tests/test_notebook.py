"""The exploration notebook runs top to bottom on a fresh release, and its two forms agree."""

import os

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from pipeline.cli import main
from tests.conftest import PROJECT, SHIPPED_PLAN

NOTEBOOKS = PROJECT / "notebooks"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebook") / "processed"
    refresh = PROJECT / "tests" / "fixtures" / "refresh"
    assert main(["run", str(refresh / "plan-2022-23-q3.txt"), "--out", str(out)]) == 0
    assert main(["run", str(SHIPPED_PLAN), "--out", str(out)]) == 0
    return out


@pytest.mark.slow
def test_notebook_runs_top_to_bottom(release, monkeypatch):
    notebook = jupytext.read(NOTEBOOKS / "explore.py")
    monkeypatch.setenv("PROCESSED_DIR", str(release))
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 5  # priorities, organisations, confidence, timeline, delivery
    text = "".join(o.get("text", "") for o in outputs)
    assert "238 actions from knowsley-2030-delivery-plan.txt" in text


def test_script_and_notebook_are_the_same_cells_and_the_notebook_has_no_outputs():
    script = jupytext.read(NOTEBOOKS / "explore.py")
    notebook = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    assert [c.source for c in notebook.cells] == [c.source for c in script.cells]
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


def test_notebook_reads_the_project_release_by_default():
    assert (
        'os.environ.get("PROCESSED_DIR", "../processed")' in (NOTEBOOKS / "explore.py").read_text()
    )
    assert os.path.isdir(NOTEBOOKS)
