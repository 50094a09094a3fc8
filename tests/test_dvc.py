"""The quarterly routine's engine: dvc repro builds processed/ from a fresh copy, and only once."""

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


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """The working tree as git would commit it, in a repository of its own, no DVC remote."""
    folder = tmp_path_factory.mktemp("clone")
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


def test_dvc_repro_builds_processed_and_a_second_run_does_nothing(clone):
    first = _run([sys.executable, "-m", "dvc", "repro"], clone)
    for stage in ("extract", "normalise", "publish"):
        assert f"Running stage '{stage}'" in first
    assert (clone / "processed" / "actions.csv").exists()
    assert (clone / "processed" / "validation" / "index.html").exists()
    release = (clone / "processed" / "datapackage.json").read_text()

    second = _run([sys.executable, "-m", "dvc", "repro"], clone)
    assert "Running stage" not in second
    assert "Data and pipelines are up to date" in second
    assert (clone / "processed" / "datapackage.json").read_text() == release


def test_dvc_dag_shows_the_three_stages_in_order(clone):
    dag = _run([sys.executable, "-m", "dvc", "dag", "--md"], clone)
    nodes = dict(line.strip().rstrip('"]').split('["') for line in dag.splitlines() if '["' in line)
    edges = {tuple(line.strip().split("-->")) for line in dag.splitlines() if "-->" in line}
    assert {(nodes[a], nodes[b]) for a, b in edges} == {
        ("extract", "normalise"),
        ("normalise", "publish"),
    }
