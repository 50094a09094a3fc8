"""Work done in a forked process while this one goes on, where a second core can run it:
the release's writers and about half of each gate's checks."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class WorkFailed(RuntimeError):
    """Work done alongside raised; the message names the work and its error."""


@contextmanager
def alongside(work: Callable[..., Any], *arguments) -> Iterator[Callable[[], Any]]:
    """``work(*arguments)`` in a forked process while the body runs; yields ``result``,
    which waits for it and returns what it returned, or raises its failure here as
    WorkFailed. The end of the body waits too, and raises the failure if the body never
    asked for the result, so a failure is never lost; when the body raises, its error wins.

    Forked, so it starts with this process's data and only the result is copied back.
    The work is done first, here, where forking cannot help or cannot be done: one
    core to run on, no fork, or a daemon process (which may have no children: a
    worker of a multiprocessing pool).
    """
    if not forking_helps():
        try:
            value = work(*arguments)
        except Exception as error:  # the same failure as from a forked process
            raise WorkFailed(_named(work, f"{type(error).__name__}: {error}")) from error
        yield lambda: value
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_report_to, args=(send, work, arguments), daemon=True)
    with _collector_set_aside():
        process.start()
        send.close()
        yield from _until_done(work, process, receive)


def _until_done(work: Callable[..., Any], process, receive) -> Iterator[Callable[[], Any]]:
    """alongside's body, waited for and answered as its docstring says."""
    said: list[tuple[str, Any]] = []  # the child's word, once read: ("", value) when done
    asked: list[bool] = []

    def read() -> None:
        if not said:
            try:  # read before joining: a large result fills the pipe until it is read
                said.append(receive.recv())
            except EOFError:
                process.join()
                said.append((f"it ended with exit code {process.exitcode}", None))

    def result() -> Any:
        asked.append(True)
        read()
        failure, value = said[0]
        if failure:
            raise WorkFailed(_named(work, failure))
        return value

    try:
        yield result
    finally:
        read()
        process.join()
        receive.close()
    if not asked:
        result()


_SET_ASIDE = [0]  # how many forked processes are alive with the collector set aside


@contextmanager
def _collector_set_aside() -> Iterator[None]:
    """Every object there is now left out of garbage collection while a forked process
    lives. A collection writes to each object it walks, and a page either process
    writes to stops being shared: on the 100-times corpus the run's collections
    during the release check cost about 50 MiB held twice. The objects go back to the
    collector when the last forked process ends."""
    gc.freeze()
    _SET_ASIDE[0] += 1
    try:
        yield
    finally:
        _SET_ASIDE[0] -= 1
        if not _SET_ASIDE[0]:
            gc.unfreeze()


def forking_helps() -> bool:
    """Whether forked work runs beside this process: a second core to run on, fork to
    start it with, and a process that may have children (a pool's worker, a daemon,
    may not)."""
    return (
        usable_cores() > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than
    the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _named(work: Callable[..., Any], failure: str) -> str:
    return f"{getattr(work, '__name__', work)}: {failure}"


def _report_to(send, work: Callable[..., Any], arguments: tuple) -> None:
    try:
        value = work(*arguments)
    except BaseException as error:  # said to the parent, which raises it there
        send.send((f"{type(error).__name__}: {error}", None))
    else:
        send.send(("", value))
