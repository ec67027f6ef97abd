"""Work spread over the machine's cores: forked processes that each do a share of a list of jobs.

The children are forks of the caller: they inherit everything it holds (the corpus, the compiled templates, the
closure doing the work) without pickling any of it; each sends back only its results, pickled through a pipe. The
caller does a share itself, then collects the children's, and returns every result in the order of the jobs: the
output does not depend on how the work was split (tests/test_parallel.py compares it with one process).
Only where fork exists (Linux, macOS) and the caller has no other thread (a fork copies only the calling thread: a
lock another thread holds would stay held in the child forever; `serve` runs its web server and file watcher in
threads, so its rebuilds, mostly a few pages each, render in its own process); otherwise, and for few jobs, everything
runs in the caller.
"""
from __future__ import annotations

import os
import pickle
import sys
import threading
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_JOBS = 48  # below this a fork (tens of ms for a big process) costs more than it saves: the caller does them all


def workers(requested: int | None = None) -> int:
    """How many processes to use: `requested`, else one per core this process may run on."""
    if requested:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def shares(n_jobs: int, n: int) -> list[list[int]]:
    """Job indexes for n processes, dealt round-robin: neighbouring jobs (pages of one kind, of similar cost) go to
    different processes."""
    return [list(range(i, n_jobs, n)) for i in range(n)]


def can_fork() -> bool:
    """Whether work may go to a forked process: fork exists and this process has no other thread (see the module)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked:
    """compute() in a forked child, whose result (or error) comes back pickled through a pipe: `outcome()`."""

    def __init__(self, compute: Callable[[], R]):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: the result, pickled to the pipe, then gone without running the parent's cleanup
            os.close(read)
            status = 0
            try:
                with os.fdopen(write, "wb") as out:
                    try:
                        payload = (True, compute())
                    except BaseException as e:  # noqa: BLE001 - handed to the parent, which raises it
                        payload = (False, _picklable(e))
                    pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001
                status = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        os.close(write)
        self.pid, self.read = pid, read

    def outcome(self) -> tuple[bool, object]:
        """(True, the result) or (False, the error), once the child is done."""
        with os.fdopen(self.read, "rb") as inp:
            try:
                ok, got = pickle.load(inp)
            except EOFError:
                ok, got = False, RuntimeError(f"a worker process (pid {self.pid}) died")
        os.waitpid(self.pid, 0)
        return ok, got


def run(work: Callable[[T], R], jobs: Sequence[T], processes: int | None = None) -> list[R]:
    """[work(job) for job in jobs], computed by `processes` forked processes (the caller being one of them)."""
    n = min(workers(processes), len(jobs))
    if n <= 1 or len(jobs) < MIN_JOBS or not can_fork():
        return [work(job) for job in jobs]
    parts = shares(len(jobs), n)
    children = [(Forked(lambda part=part: [work(jobs[i]) for i in part]), part) for part in parts[1:]]
    results: list = [None] * len(jobs)
    error: BaseException | None = None
    try:
        for i in parts[0]:
            results[i] = work(jobs[i])
    except BaseException as e:  # noqa: BLE001 - the children are collected first, then it is raised
        error = e
    for child, part in children:
        ok, got = child.outcome()
        if not ok:
            error = error or got
        elif error is None:
            for i, r in zip(part, got):
                results[i] = r
    if error is not None:
        raise error
    return results


def _picklable(e: BaseException) -> BaseException:
    try:
        pickle.dumps(e)
        return e
    except Exception:  # noqa: BLE001 - e.g. a Jinja error holding a traceback of unpicklable frames
        return RuntimeError(f"{type(e).__name__}: {e}")
