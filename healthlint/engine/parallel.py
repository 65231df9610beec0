"""Linting many files in worker processes, with output identical to a serial run.

Workers are forked from the process that already compiled the rules, so they
start in milliseconds; where fork is unavailable they are spawned and build the
linter once each. Results come back in input order, and the run sorts them anyway.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from healthlint.engine.linter import FileResult, Linter

# Below this many files per worker, starting processes costs more than it saves.
MIN_FILES_PER_WORKER = 24
CHUNK_SIZE = 8

_worker_linter: Linter | None = None


def default_jobs() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops them: no traceback from each worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _init_spawned(config: object, select: list[str] | None, ignore: list[str] | None) -> None:
    from healthlint.engine.linter import Linter

    _ignore_interrupt()
    global _worker_linter
    _worker_linter = Linter(config, select=select, ignore=ignore)  # type: ignore[arg-type]


def _lint_one(path: str) -> FileResult:
    assert _worker_linter is not None
    return _worker_linter.lint_file(path).pack()  # packed here: the parent never rebuilds the objects


def lint_files(linter: Linter, files: list[str], jobs: int | None = None) -> Iterator[FileResult]:
    """Per-file results for `files`, in order, using up to `jobs` processes."""
    jobs = default_jobs() if jobs is None else max(jobs, 1)
    jobs = min(jobs, len(files) // MIN_FILES_PER_WORKER)
    if jobs <= 1:
        yield from (linter.lint_file(path) for path in files)
        return
    global _worker_linter
    import multiprocessing  # here: a run of one file never starts a worker

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        _worker_linter = linter
        context = multiprocessing.get_context("fork")
        pool = context.Pool(jobs, initializer=_ignore_interrupt)
    else:
        context = multiprocessing.get_context("spawn")
        pool = context.Pool(jobs, initializer=_init_spawned,
                            initargs=(linter.config, linter.select, linter.ignore))
    try:
        yield from pool.imap(_lint_one, files, chunksize=CHUNK_SIZE)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _worker_linter = None


ProgressCallback = Callable[["FileResult"], None]
