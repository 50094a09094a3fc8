"""Every word of a table ends up in a cell, or the run stops saying which words and where.

The browser-printed fixture is read with the rule that closes rows left open at
a page foot switched off: the Domestic Abuse row's first part then sits below
the table's last rule, in no cell, as it did before that rule existed.
"""

import pytest

from pipeline.cli import main
from pipeline.extract import pdf
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow

BROWSER_PDF = PROJECT / "tests" / "fixtures" / "producers" / "browser-printed-plan.pdf"


def test_a_fragment_in_no_cell_stops_the_run_and_names_its_words(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(pdf, "_open_row_rules", lambda edges: [])
    out = tmp_path / "processed"
    code = main(["run", str(BROWSER_PDF), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 3, err
    assert "unplaced_words: expect_column_values_to_be_null(value)" in err
    assert "Partnership Strategic Multi-agency - Knowsley Priorities:" in err
    assert "at page 1 row 3" in err
    assert not out.exists()


def test_the_same_document_read_whole_publishes(tmp_path):
    assert main(["run", str(BROWSER_PDF), "--out", str(tmp_path / "processed")]) == 0
