"""Work spread over the machine's cores: forked processes that each do a share of a list of jobs.

The children are forks of the caller: they inherit everything it holds (the corpus, the compiled templates, the
closure doing the work) without pickling any of it; each hands back only its results, pickled, each as soon as it is
done (Results), and the caller takes them between its own jobs. The jobs wait in a queue (JobQueue: their numbers
in a pipe) from which every process, the caller included, takes the next
one when it is free: a process slowed by a costly page or by another process on its core takes fewer, and all end
together (dealt out in equal shares, one waited 0.4-0.7 s for the other at each of the two rendering rounds at 100x).
The caller returns every result in the order of the jobs: the output does not depend on who did which job
(tests/test_parallel.py compares it with one process).
Only where fork exists (Linux, macOS) and the caller has no other thread (a fork copies only the calling thread: a
lock another thread holds would stay held in the child forever; `serve` runs its web server and file watcher in
threads, so its rebuilds, mostly a few pages each, render in its own process); otherwise, and for few jobs, everything
runs in the caller.
"""
from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import tempfile
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


class JobQueue:
    """The numbers of n jobs in a pipe, for processes that share it to take the next job when free (`take`). Every
    number is written, and the writing end closed, before any process forks: a read takes one whole number (a pipe
    read of a few bytes is atomic) or, once the queue is empty, nothing. Jobs go in batches when there are more than
    the pipe holds without a reader (16 kB on macOS)."""

    SIZE = struct.Struct("<I")
    MAX_BATCHES = 4096

    def __init__(self, n_jobs: int):
        self.batch = -(-n_jobs // self.MAX_BATCHES) or 1
        self.n_jobs = n_jobs
        self.read, write = os.pipe()
        os.write(write, b"".join(self.SIZE.pack(b) for b in range(-(-n_jobs // self.batch))))
        os.close(write)

    def take(self):
        """The jobs left for this process, one batch at a time, until the queue is empty."""
        while len(got := os.read(self.read, self.SIZE.size)) == self.SIZE.size:
            start = self.SIZE.unpack(got)[0] * self.batch
            yield from range(start, min(start + self.batch, self.n_jobs))

    def empty(self) -> None:
        """Take every job left, doing none: the other processes stop after their current one (an error ends the run)."""
        while os.read(self.read, 1 << 16):
            pass

    def close(self) -> None:
        os.close(self.read)


def can_fork() -> bool:
    """Whether work may go to a forked process: fork exists and this process has no other thread (see the module)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked:
    """compute() in a forked child, whose result (or error) comes back pickled through a pipe: `outcome()`."""

    def __init__(self, compute: Callable[[], R], nice: int = 0):
        """`nice`: the child runs at this lower priority (os.nice): on cores the others leave idle."""
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: the result, pickled to the pipe, then gone without running the parent's cleanup
            os.close(read)
            status = 0
            if nice:
                try:
                    os.nice(nice)
                except OSError:  # not allowed: at the usual priority
                    pass
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

    def cancel(self) -> None:
        """The result is no longer wanted: the child is stopped and reaped (it would otherwise wait forever for the
        parent to read what it writes to the pipe)."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.read)
        os.waitpid(self.pid, 0)


class Results:
    """The results of a forked process's jobs, each put as soon as it is done into a file in memory that only grows
    (memfd; a temporary file where there is none), and taken by the caller between its own jobs. Handed back all at
    once at the end, they were unpickled by the caller while the other cores had nothing left to do (0.2 s of
    validating, 0.17 s of each round of pages at 100 times the corpus); taken as they come, their unpickling is one
    more share of the work, and the queue balances it. Each is a frame: its size, then the pickled (job number,
    result). The file's size grows only once a write's bytes are in it, so a frame read whole is whole."""

    HEAD = struct.Struct("<Q")

    def __init__(self):
        try:
            self.fd = os.memfd_create("briefing-results")
        except (AttributeError, OSError):  # not Linux, or memfd not allowed here: an unnamed temporary file
            with tempfile.TemporaryFile() as f:
                self.fd = os.dup(f.fileno())
        self.offset = 0  # where the caller's next frame starts
        self.taken = 0

    def put(self, i: int, result) -> None:
        """In the forked process: a job's result."""
        data = pickle.dumps((i, result), protocol=pickle.HIGHEST_PROTOCOL)
        frame = memoryview(self.HEAD.pack(len(data)) + data)
        while frame:
            frame = frame[os.write(self.fd, frame):]

    def take(self) -> list[tuple[int, object]]:
        """In the caller: the results put since the last take (the whole frames)."""
        size = os.fstat(self.fd).st_size
        if size - self.offset <= self.HEAD.size:
            return []
        data = memoryview(os.pread(self.fd, size - self.offset, self.offset))
        out, at = [], 0
        while at + self.HEAD.size <= len(data):
            (length,) = self.HEAD.unpack_from(data, at)
            end = at + self.HEAD.size + length
            if end > len(data):
                break  # still being written
            out.append(pickle.loads(data[at + self.HEAD.size:end]))
            at = end
        self.offset += at
        self.taken += len(out)
        return out

    def close(self) -> None:
        os.close(self.fd)


def run(work: Callable[[T], R], jobs: Sequence[T], processes: int | None = None, min_jobs: int = MIN_JOBS,
        received: Callable[[R], object] | None = None) -> list:
    """[work(job) for job in jobs], computed by `processes` forked processes (the caller being one of them), each
    taking the next job from a shared queue when it is free. Put the costliest jobs first if you know them: the last
    job taken is what the others wait for. Fewer than `min_jobs` jobs are done by the caller alone (a caller that
    knows its few jobs are big asks for less). `received`: applied in the caller to each result another process
    made, as it arrives (e.g. unpickling what that process pickled itself), while the others still work."""
    n = min(workers(processes), len(jobs))
    if n <= 1 or len(jobs) < max(2, min_jobs) or not can_fork():
        return [work(job) for job in jobs]
    queue = JobQueue(len(jobs))
    channels: list[Results] = []
    results: list = [None] * len(jobs)

    def child(out: Results) -> int:
        done = 0
        for i in queue.take():
            out.put(i, work(jobs[i]))
            done += 1
        return done

    def take(out: Results) -> None:
        for i, r in out.take():
            results[i] = r if received is None else received(r)

    try:
        children = []
        for _ in range(n - 1):
            channels.append(out := Results())
            children.append(Forked(lambda out=out: child(out)))
        error: BaseException | None = None
        try:
            for i in queue.take():
                results[i] = work(jobs[i])
                for out in channels:
                    take(out)
        except BaseException as e:  # noqa: BLE001 - the children are collected first, then it is raised
            error = e
            queue.empty()
        for forked, out in zip(children, channels):
            ok, got = forked.outcome()
            if not ok:
                error = error or got
                queue.empty()
            elif error is None:
                take(out)
                if out.taken != got:
                    error = RuntimeError(f"a worker process did {got} jobs and handed back {out.taken}")
    finally:
        queue.close()
        for out in channels:
            out.close()
    if error is not None:
        raise error
    return results


def _picklable(e: BaseException) -> BaseException:
    try:
        pickle.dumps(e)
        return e
    except Exception:  # noqa: BLE001 - e.g. a Jinja error holding a traceback of unpicklable frames
        return RuntimeError(f"{type(e).__name__}: {e}")
