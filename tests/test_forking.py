"""Work done alongside: in a forked process, its result or its failure brought back here."""

import gc
import os

import pytest

from pipeline import forking
from pipeline.forking import WorkFailed, alongside


def _write_pid(path):
    path.write_text(str(os.getpid()))
    return os.getpid()


def _fail(path):
    path.write_text("half")
    raise OSError(28, "No space left on device")


def _die():
    os._exit(9)


def _rows(count):
    return [{"value": f"row {n}", "where": n} for n in range(count)]


def test_the_work_runs_in_another_process_and_its_result_comes_back(tmp_path):
    done = tmp_path / "done"
    with alongside(_write_pid, done) as result:
        child = result()
        assert done.read_text() == str(child) != str(os.getpid())
        assert result() == child  # asked again: the same answer, not a second wait


def test_a_result_larger_than_a_pipe_holds_comes_back_whole():
    with alongside(_rows, 50_000) as result:
        assert result() == _rows(50_000)


def test_a_failure_is_raised_when_asked_for_and_names_the_work(tmp_path):
    failed = r"_fail: OSError: \[Errno 28\] No space"
    with pytest.raises(WorkFailed, match=failed), alongside(_fail, tmp_path / "x") as result:
        result()
    # never asked for in the body: raised at its end
    with pytest.raises(WorkFailed, match=failed), alongside(_fail, tmp_path / "y"):
        pass


def test_a_failure_the_body_dealt_with_is_not_raised_again(tmp_path):
    with alongside(_fail, tmp_path / "x") as result, pytest.raises(WorkFailed):
        result()


def test_a_process_that_dies_without_a_word_is_a_failure():
    with pytest.raises(WorkFailed, match="_die: it ended with exit code 9"), alongside(_die):
        pass


def test_the_body_failing_still_waits_for_the_work_and_its_error_wins(tmp_path):
    done = tmp_path / "done"
    with pytest.raises(KeyError), alongside(_write_pid, done):
        raise KeyError("gate")
    assert done.exists()  # finished before the error went on: nothing writes after


def test_without_fork_the_work_is_done_first_here(tmp_path, monkeypatch):
    monkeypatch.setattr(forking.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    done = tmp_path / "done"
    with alongside(_write_pid, done) as result:
        assert done.read_text() == str(os.getpid())
        assert result() == os.getpid()


def test_without_fork_a_failure_is_the_same_error(tmp_path, monkeypatch):
    monkeypatch.setattr(forking.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    failed = r"_fail: OSError: \[Errno 28\] No space"
    with pytest.raises(WorkFailed, match=failed), alongside(_fail, tmp_path / "x"):
        pass


def test_in_a_daemon_process_the_work_is_done_first_here(tmp_path, monkeypatch):
    # a pool's worker is a daemon, and a daemon may not start processes of its own
    worker = forking.multiprocessing.current_process()
    monkeypatch.setattr(worker, "daemon", True, raising=False)
    done = tmp_path / "done"
    with alongside(_write_pid, done) as result:
        assert done.read_text() == str(os.getpid())
        assert result() == os.getpid()


def test_with_one_core_to_run_on_the_work_is_done_first_here(tmp_path, monkeypatch):
    # a second process would only take turns with this one, and cost a fork
    monkeypatch.setattr(forking, "usable_cores", lambda: 1)
    done = tmp_path / "done"
    with alongside(_write_pid, done) as result:
        assert done.read_text() == str(os.getpid())
        assert result() == os.getpid()


def _freeze_count():
    return gc.get_freeze_count()


def test_the_collector_leaves_the_objects_of_the_time_of_the_fork_alone_until_the_last_ends():
    # a collection writes to every object it walks, and each page written to stops being
    # shared with the forked process: the run's heap would be held twice
    assert gc.get_freeze_count() == 0
    with alongside(_freeze_count) as outer:
        assert gc.get_freeze_count() > 0 and outer() > 0  # the child sees them set aside
        with alongside(_freeze_count) as inner:
            inner()
        assert gc.get_freeze_count() > 0  # the outer process is still alive
    assert gc.get_freeze_count() == 0


def test_a_failure_gives_the_objects_back_to_the_collector(tmp_path):
    with pytest.raises(WorkFailed), alongside(_fail, tmp_path / "x"):
        pass
    assert gc.get_freeze_count() == 0
