"""Work done alongside the publish check: in a forked process, waited for, its failure
raised here."""

import os

import pytest

from pipeline import stages
from pipeline.stages import ReleaseNotWritten, alongside


def _write_pid(path):
    path.write_text(str(os.getpid()))


def _fail(path):
    path.write_text("half")
    raise OSError(28, "No space left on device")


def test_the_work_runs_in_another_process_and_wait_returns_when_it_is_done(tmp_path):
    done = tmp_path / "done"
    with alongside(_write_pid, done) as wait:
        wait()
        assert done.read_text() != str(os.getpid())


def test_a_failure_is_raised_when_waited_for_and_names_the_work(tmp_path):
    failed = r"_fail: OSError: \[Errno 28\] No space"
    with pytest.raises(ReleaseNotWritten, match=failed), alongside(_fail, tmp_path / "x") as wait:
        wait()
    # not waited for in the body: raised at its end
    with pytest.raises(ReleaseNotWritten, match=failed), alongside(_fail, tmp_path / "y"):
        pass


def test_the_body_failing_still_waits_for_the_work_and_its_error_wins(tmp_path):
    done = tmp_path / "done"
    with pytest.raises(KeyError), alongside(_write_pid, done):
        raise KeyError("gate")
    assert done.exists()  # finished before the error went on: nothing writes after


def test_without_fork_the_work_is_done_first_here(tmp_path, monkeypatch):
    monkeypatch.setattr(stages.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    done = tmp_path / "done"
    with alongside(_write_pid, done) as wait:
        assert done.read_text() == str(os.getpid())
        wait()


def test_without_fork_a_failure_is_the_same_error(tmp_path, monkeypatch):
    monkeypatch.setattr(stages.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    failed = r"_fail: OSError: \[Errno 28\] No space"
    with pytest.raises(ReleaseNotWritten, match=failed), alongside(_fail, tmp_path / "x"):
        pass
