"""The worker processes of a build: started when there is work for them, given maps in
chunks, ended with the build (or with its process, however that ends).

Processes, not threads: half of a map's work is Python. Each worker keeps one running
``dot`` for every map it draws (:func:`worker_dot`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from argmap.render.layout import DotRunner

T = TypeVar("T")
R = TypeVar("R")

# At most this many maps per task sent to a worker process. Each task costs some
# pickling, waking and polling in this process's helper threads, so maps go in chunks;
# chunks that shrink towards the end (guided scheduling) keep the workers' last tasks
# short, so that neither waits long for the other.
MAX_CHUNK = 8


def chunk_size(remaining: int, workers: int) -> int:
    """How many of the ``remaining`` maps go into the next task."""
    return max(1, min(MAX_CHUNK, remaining // (workers * 4)))


def chunks(items: list[T], workers: int) -> list[list[T]]:
    """``items`` in tasks of :func:`chunk_size`, in order."""
    made, start = [], 0
    while start < len(items):
        size = chunk_size(len(items) - start, workers)
        made.append(items[start : start + size])
        start += size
    return made


def start_method() -> str:
    """``fork`` (workers start at once, with argmap loaded) when this process runs no
    other thread; else ``spawn``: a forked child could inherit a lock that another
    thread holds (`argmap serve` builds while its web server runs in a thread)."""
    import multiprocessing
    import threading

    alone = threading.active_count() == 1
    return "fork" if alone and "fork" in multiprocessing.get_all_start_methods() else "spawn"


class Workers:
    """Worker processes, started on first use; none for one job, or where this system
    cannot start them (then :meth:`get` is None and everything runs in this process).
    Within ``with``, they end on leaving: jobs not started are dropped, running ones end.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.pool: ProcessPoolExecutor | None = None
        self.tried = count < 2

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        self.shutdown()

    def get(self) -> ProcessPoolExecutor | None:
        if not self.tried:
            self.tried = True
            # Imported here: multiprocessing is not needed for one job or `argmap check`.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                context = multiprocessing.get_context(start_method())
                self.pool = ProcessPoolExecutor(
                    max_workers=self.count,
                    mp_context=context,
                    initializer=_start_worker,
                    initargs=(os.getpid(),),
                )
            except (OSError, ImportError, NotImplementedError):  # no sem_open (sandboxes)
                self.pool = None
        return self.pool

    def submit(self, function: Callable[..., T], *args: object) -> Future[T]:
        pool = self.get()
        assert pool is not None
        return pool.submit(function, *args)

    def in_chunks(self, function: Callable[[list[T]], list[R]], items: list[T]) -> Iterator[R]:
        """``function`` of each chunk of ``items`` (:func:`chunks`), in the workers; the
        results as each chunk is done."""
        from concurrent.futures import as_completed  # not needed by one job (start-up)

        futures = [self.submit(function, part) for part in chunks(items, self.count)]
        return (one for future in as_completed(futures) for one in future.result())

    def shutdown(self) -> None:
        """After an error or Ctrl-C the jobs not started are dropped; running ones end."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    close = shutdown  # for contextlib.closing


# The running dot of this worker process (None in the build's own process).
_WORKER_DOT: DotRunner | None = None


def worker_dot() -> DotRunner | None:
    """The running ``dot`` of this worker process, for each map it draws."""
    return _WORKER_DOT


def _start_worker(parent: int) -> None:
    """Run in each worker process as it starts: the worker ends when the build process
    ``parent`` does, even by ``kill -9`` (:func:`argmap.render.layout.end_with`; its dot in
    turn ends with it); one dot draws every map the worker is given, and ends as the
    worker exits."""
    import multiprocessing.util

    from argmap.render.layout import DotRunner, end_with

    global _WORKER_DOT
    end_with(parent)
    _WORKER_DOT = DotRunner()
    multiprocessing.util.Finalize(None, _WORKER_DOT.close, exitpriority=10)
