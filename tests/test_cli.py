"""The command line: one command, clear failures, nothing written where it was not asked."""

import shutil

import pandas as pd
import pytest

from pipeline.cli import main
from tests.conftest import HEADER, SHIPPED_PLAN, tsv


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project folder with the shipped plan and params.yaml, as the working directory."""
    (tmp_path / "raw").mkdir()
    shutil.copy(SHIPPED_PLAN, tmp_path / "raw" / SHIPPED_PLAN.name)
    (tmp_path / "params.yaml").write_text(f"extract:\n  plan: raw/{SHIPPED_PLAN.name}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_run_with_no_input_reads_the_plan_in_params_and_writes_processed(project, capsys):
    assert main(["run"]) == 0
    out = capsys.readouterr().out
    assert "done: 238 actions written, 1 duplicate row(s) collapsed" in out
    for stage in ("extract", "normalise", "publish"):
        assert f"{stage} done in" in out
    assert (project / "processed" / "actions.csv").exists()
    assert (project / "processed" / "actions.parquet").exists()
    assert (project / "interim" / "extract" / "rows.parquet").exists()


def test_run_with_out_writes_there_and_nowhere_else(project):
    # Besides DIR itself, only DIR.releases/: where a release is staged and the one it replaces kept.
    before = sorted(path.relative_to(project) for path in project.rglob("*"))
    assert main(["run", f"raw/{SHIPPED_PLAN.name}", "--out", "elsewhere"]) == 0
    after = sorted(path.relative_to(project) for path in project.rglob("*"))
    assert {path.parts[0] for path in set(after) - set(before)} == {
        "elsewhere",
        "elsewhere.releases",
    }


def test_stage_commands_give_the_same_actions_as_run(project):
    assert main(["run", "--out", "together"]) == 0
    assert main(["extract", f"raw/{SHIPPED_PLAN.name}", "--out", "stages/extract"]) == 0
    assert main(["normalise", "stages/extract", "--out", "stages/normalise"]) == 0
    assert main(["publish", "stages/normalise", "--out", "stages/release"]) == 0
    together = (project / "together" / "actions.csv").read_bytes()
    assert (project / "stages" / "release" / "actions.csv").read_bytes() == together


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty.txt: the file is empty"),
        (b"%PDF-1.4\x00\x00garbage", "empty.txt: a damaged or truncated PDF"),
        (b"\x00\x01\x02random bytes\xff", "empty.txt: binary content"),
        (b"Just a letter, no tables.\n", "empty.txt: no plan table found"),
    ],
)
def test_bad_input_is_one_line_naming_the_file_and_reason(project, capsys, content, message):
    (project / "empty.txt").write_bytes(content)
    assert main(["run", "empty.txt", "--out", "release"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not (project / "release").exists()


def test_missing_input_file_is_a_clear_error(project, capsys):
    assert main(["run", "raw/nope.txt", "--out", "release"]) == 2
    assert "raw/nope.txt: cannot be read (No such file or directory)" in capsys.readouterr().err


def test_missing_params_is_a_clear_error(project, capsys):
    (project / "params.yaml").unlink()
    assert main(["run"]) == 2
    assert "params.yaml: not found" in capsys.readouterr().err


def test_rows_it_cannot_place_are_counted_and_listed_for_review(project, capsys):
    text = tsv(
        "**Priority 1: Safe**",
        HEADER,
        (
            "Internal",
            "Strategic",
            "Objective",
            "Headline",
            "Summary",
            "KMBC",
            "Ann Lee (KMBC)",
            "2022",
            "stray cell",
        ),
        (
            "Internal",
            "Strategic",
            "Objective",
            "Other",
            "Summary",
            "KMBC",
            "Ann Lee (KMBC)",
            "2022",
        ),
    )
    (project / "odd.txt").write_text(text)
    assert main(["run", "odd.txt", "--out", "release"]) == 0
    assert "1 actions written, 0 duplicate row(s) collapsed, 1 value(s) sent to review" in (
        capsys.readouterr().out
    )
    review = pd.read_csv(project / "release" / "review.csv")
    assert review.reason.tolist() == ["too_many_cells"]
    assert review.source_locator.tolist() == ["line 3"]


def test_help_carries_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "python -m pipeline run" in capsys.readouterr().out
