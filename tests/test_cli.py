"""The command line: one command, the same from any folder, clear failures, nothing written
where it was not asked. Broken documents are in test_hostile_input.py."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from pipeline.cli import _config, _parser, main
from pipeline.config import PARAMS_FILE
from tests.conftest import CONFIG, PROJECT, SHIPPED_PLAN


@pytest.fixture
def project(tmp_path):
    """A project folder of its own: the shipped plan and a params file naming it."""
    folder = tmp_path / "project"
    (folder / "raw").mkdir(parents=True)
    shutil.copy(SHIPPED_PLAN, folder / "raw" / SHIPPED_PLAN.name)
    params = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))
    params["extract"]["plan"] = f"raw/{SHIPPED_PLAN.name}"
    (folder / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    return folder


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """An unrelated working directory: nothing may depend on it or be written to it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.slow
def test_run_from_any_folder_reads_the_params_plan_and_writes_where_they_say(
    project, elsewhere, capsys
):
    assert main(["run", "--params", str(project / "params.yaml")]) == 0
    out = capsys.readouterr().out
    assert "done: 238 actions written, 1 duplicate row(s) collapsed" in out
    for stage in ("extract", "normalise", "publish"):
        assert f"{stage} done in" in out
    assert (project / "processed" / "actions.parquet").exists()
    assert (project / "interim" / "extract" / "rows.parquet").exists()
    assert not list(elsewhere.iterdir())
    period = pd.read_json(project / "processed" / "datapackage.json", typ="series")["period"]
    assert period == "2022/23"


@pytest.mark.slow
def test_run_with_out_writes_there_and_nowhere_else(project, elsewhere, shipped):
    # Besides DIR itself, only DIR.releases/: where a release is staged and the one it replaces kept.
    params = str(project / "params.yaml")
    assert (
        main(["run", f"{project}/raw/{SHIPPED_PLAN.name}", "--out", "out", "--params", params]) == 0
    )
    assert {path.name for path in elsewhere.iterdir()} == {"out", "out.releases"}
    assert not (project / "processed").exists() and not (project / "interim").exists()
    published = (shipped / "processed" / "actions.parquet").read_bytes()
    assert (elsewhere / "out" / "actions.parquet").read_bytes() == published


@pytest.mark.slow
def test_stage_commands_give_the_same_actions_as_run(shipped, tmp_path):
    release = tmp_path / "release"
    stages = tmp_path / "stages"
    assert main(["extract", str(SHIPPED_PLAN), "--out", f"{stages}/extract"]) == 0
    assert main(["normalise", f"{stages}/extract", "--out", f"{stages}/normalise"]) == 0
    assert main(["publish", f"{stages}/normalise", "--out", str(release)]) == 0
    together = (shipped / "processed" / "actions.csv").read_bytes()
    assert (release / "actions.csv").read_bytes() == together


def test_missing_input_file_is_a_clear_error(elsewhere, capsys):
    assert main(["run", "raw/nope.txt", "--out", "release"]) == 2
    assert "raw/nope.txt: cannot be read (No such file or directory)" in capsys.readouterr().err
    assert not list(elsewhere.iterdir())


def test_a_missing_params_file_is_an_error_not_defaults(elsewhere, capsys):
    assert main(["run", "--params", "params.yaml"]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "error: params.yaml: not found: name a params file with --params (see the project's own)\n"
    )


def test_a_value_on_the_command_line_wins_over_the_params_file(project):
    params = ["--params", str(project / "params.yaml")]
    given = ["--similarity-threshold", "90", "--accept-fewer-rows", "--period", "2023/24 Q1"]
    config = _config(_parser().parse_args(["run", *params, *given]))
    assert config.similarity_threshold == 90 and config.accept_fewer_rows
    assert config.max_doubtful_timescale_share == CONFIG.max_doubtful_timescale_share
    assert config.release == project / "processed"


def test_a_value_out_of_range_on_the_command_line_is_one_line(project, capsys):
    params = ["--params", str(project / "params.yaml")]
    assert main(["run", *params, "--min-share-of-last-release", "80"]) == 2
    assert capsys.readouterr().err == (
        "error: command line, --min-share-of-last-release: must be a share between 0 and 1\n"
    )


def test_help_carries_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "python -m pipeline run" in capsys.readouterr().out


@pytest.mark.parametrize(
    "command",
    ["run", "extract", "normalise", "publish", "rollback", "releases", "diff", "refresh"],
)
def test_every_command_says_what_it_does_its_exit_codes_and_an_example(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"example: python -m pipeline {command}" in text
    assert "Exit codes: 0" in text


def test_a_document_that_is_no_plan_is_refused_before_the_gates_load(tmp_path):
    # a data team told within a second that it gave the wrong file, not after the
    # seconds Great Expectations takes to import: the first gate imports it
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear colleague,\nthe plan follows.\n", encoding="utf-8")
    script = (
        "import sys\nfrom pipeline.cli import main\n"
        f"code = main(['run', {str(letter)!r}, '--out', {str(tmp_path / 'out')!r}])\n"
        "print(code, 'great_expectations' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT, check=True
    )
    assert done.stdout.splitlines()[-1] == "2 False", done.stderr
    assert "letter.txt: no plan table found" in done.stderr
