"""The quarterly routine's engine: dvc repro builds processed/ from a fresh copy, and only once."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import PROJECT

pytestmark = pytest.mark.slow


def _run(command: list[str], cwd) -> str:
    env = {
        **os.environ,
        "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture
def clone(tmp_path):
    """The working tree as git would commit it, in a repository of its own, no DVC remote."""
    folder = tmp_path / "clone"
    listed = _run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], PROJECT)
    for name in listed.splitlines():
        if (PROJECT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, folder / name)
    _run(["git", "init", "-q"], folder)
    _run(["git", "add", "-A"], folder)
    _run(
        [
            "git",
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.org",
            "commit",
            "-q",
            "-m",
            "copy",
        ],
        folder,
    )
    return folder


def test_the_committed_dvc_lock_matches_the_code_and_params_of_a_fresh_clone(clone):
    # Only the outputs are missing (they are not committed): no dep, param or
    # command differs from dvc.lock, so the first `dvc repro` of a clone is
    # exactly the run the lock file records.
    done = subprocess.run(
        [sys.executable, "-m", "dvc", "status", "--json"], cwd=clone, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert set(status) == {"extract", "normalise", "publish"}
    outputs = {"interim/extract", "interim/normalise", "processed"}
    missing = {"deleted", "not in cache"}  # how DVC words an output never made here
    for stage, changes in status.items():
        for change in changes:
            for kind, paths in change.items():
                assert kind in ("changed outs", "changed deps"), (stage, change)
                assert set(paths) <= outputs and set(paths.values()) <= missing, (stage, change)


def test_refresh_points_params_at_the_new_plan_runs_dvc_and_a_second_repro_does_nothing(
    clone,
):
    shutil.copy(clone / "tests" / "fixtures" / "refresh" / "plan-2022-23-q4.txt", clone / "raw")
    before = (clone / "params.yaml").read_text()
    command = ["refresh", "raw/plan-2022-23-q4.txt", "--period", "2022/23 Q4"]
    out = _run([sys.executable, "-m", "pipeline", *command], clone)
    for stage in ("extract", "normalise", "publish"):
        assert f"Running stage '{stage}'" in out
    assert "(2022/23 Q4), 7 actions; changes: 7 added; " in out
    assert "commit params.yaml, dvc.lock and raw/plan-2022-23-q4.txt" in out
    params = (clone / "params.yaml").read_text()
    assert '  plan: "raw/plan-2022-23-q4.txt"\n' in params
    assert '  period: "2022/23 Q4"\n' in params
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in params.splitlines() if line.lstrip().startswith("#")]
    assert (clone / "processed" / "validation" / "index.html").exists()

    second = _run([sys.executable, "-m", "dvc", "repro"], clone)
    assert "Running stage" not in second
    assert "Data and pipelines are up to date" in second


def test_a_refresh_that_stops_puts_the_params_file_back(clone):
    (clone / "raw" / "letter.txt").write_text("Dear colleague,\nthe plan follows.\n")
    before = (clone / "params.yaml").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "refresh", "raw/letter.txt", "--period", "2023/24 Q1"],
        cwd=clone,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}",
        },
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "letter.txt: no plan table found" in done.stderr
    assert "refresh stopped: " in done.stderr and "is as it was" in done.stderr
    assert (clone / "params.yaml").read_text() == before
    assert not (clone / "processed").exists()


def test_dvc_dag_shows_the_three_stages_in_order(clone):
    dag = _run([sys.executable, "-m", "dvc", "dag", "--md"], clone)
    nodes = dict(line.strip().rstrip('"]').split('["') for line in dag.splitlines() if '["' in line)
    edges = {tuple(line.strip().split("-->")) for line in dag.splitlines() if "-->" in line}
    assert {(nodes[a], nodes[b]) for a, b in edges} == {
        ("extract", "normalise"),
        ("normalise", "publish"),
    }
