"""Run one job over many items on local worker processes (or in this process), results in item order.

``validate`` (chunks of documents) and ``build`` (shards) both describe their job as a
:class:`Work`: ``setup(settings)`` builds a worker's state once per process, ``run(state, item)``
handles one item and returns a small summary. :class:`LocalPool` is the default executor; the
Dask executor (:mod:`corpus_pkg._dask`) runs the same ``Work`` on a cluster.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

__all__ = (
    "ENGINES",
    "MAX_WORKERS",
    "PARALLEL_MIN_DOCS",
    "Executor",
    "LocalPool",
    "Work",
    "collections_paused",
    "fewer_collections",
    "in_order",
    "worker_count",
)

#: Below this many documents, worker processes cost more than they save.
PARALLEL_MIN_DOCS = 200
#: Cap on worker processes by default.
MAX_WORKERS = 8

S = TypeVar("S")
W = TypeVar("W")
T = TypeVar("T")
R = TypeVar("R")


class FutureLike(Protocol):
    """What :func:`in_order` uses of a future (``concurrent.futures``' and Dask's have it)."""

    def done(self) -> bool: ...

    def cancelled(self) -> bool: ...

    def exception(self) -> BaseException | None: ...

    def result(self) -> Any: ...


F = TypeVar("F", bound=FutureLike)
#: Waits until one of the futures is done; returns those that are.
WaitAny = Callable[[set[Any]], set[Any]]
_END = object()


def _same(item: T) -> T:
    return item


@dataclass(frozen=True)
class Work(Generic[S, W, T, R]):
    """A job over many items. ``setup`` and ``run`` must be module-level (pickled by name);
    ``settings`` is pickled once per worker, not once per item."""

    run: Callable[[W, T], R]
    settings: S
    setup: Callable[[S], W] = _same  # type: ignore[assignment]  # default: the state is the settings

    def __call__(self, item: T) -> R:
        """Run one item with a fresh state (for executors that keep no state per process)."""
        return self.run(self.setup(self.settings), item)


class Executor(Protocol):
    """Runs ``work`` over ``items`` and yields the results in item order.

    ``n_docs`` is the number of documents behind the items (small jobs may stay in this process);
    ``prepare`` is applied to each item just before it is submitted, and ``seen`` to each result as
    soon as it is in, in any order (so a caller can change later items after seeing earlier results)."""

    def parallelism(self, n_docs: int) -> int:
        """How many items can run at once (callers size their chunks by it)."""
        ...

    def map_in_order(
        self,
        work: Work[Any, Any, T, R],
        items: Sequence[T],
        n_docs: int,
        prepare: Callable[[T], T] | None = None,
        seen: Callable[[R], None] | None = None,
    ) -> Iterator[R]: ...


#: The engines ``--engine`` accepts.
ENGINES = ("local", "dask")


def worker_count(workers: int | None, n_docs: int) -> int:
    """Processes to use: ``workers`` if given, else one per core (at most 8), none for small corpora."""
    if workers is not None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        return workers
    if n_docs < PARALLEL_MIN_DOCS:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS))


class LocalPool:
    """The default executor: ``workers`` processes on this machine (see :func:`worker_count`)."""

    def __init__(self, workers: int | None = None) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers

    def parallelism(self, n_docs: int) -> int:
        """Processes a job over ``n_docs`` documents runs on."""
        return worker_count(self.workers, n_docs)

    def map_in_order(
        self,
        work: Work[Any, Any, T, R],
        items: Sequence[T],
        n_docs: int,
        prepare: Callable[[T], T] | None = None,
        seen: Callable[[R], None] | None = None,
    ) -> Iterator[R]:
        """Results in item order, ``2 * processes`` items at work at a time (see :func:`in_order`)."""
        prepare = prepare or _same
        n_workers = min(self.parallelism(n_docs), len(items)) or 1
        if n_workers == 1:
            with fewer_collections():
                state = work.setup(work.settings)
                for item in items:
                    result = work.run(state, prepare(item))
                    if seen is not None:
                        seen(result)
                    yield result
            return
        with ProcessPoolExecutor(max_workers=n_workers, initializer=_init_worker, initargs=(work,)) as pool:
            try:
                submit = partial(_submit, pool, prepare)
                for _future, result in in_order(submit, items, 2 * n_workers, seen=seen):
                    yield result
            except BaseException:  # an error, Ctrl-C or the caller stopping early: queued items are not started
                pool.shutdown(wait=True, cancel_futures=True)
                raise


#: How many items ``in_order`` may have submitted and not yet handed back, per item at work.
AHEAD = 8


def in_order(
    submit: Callable[[T], F],
    items: Iterable[T],
    window: int,
    wait_any: WaitAny | None = None,
    seen: Callable[[Any], None] | None = None,
) -> Iterator[tuple[F, Any]]:
    """``submit(item)`` for every item; ``(future, result)`` pairs handed back in item order, with
    ``window`` futures at work at a time (unfinished). A slow item does not stop the next ones from
    being submitted (an incremental build's one rebuilt shard no longer holds back the copies of
    the others); the finished ones wait for their turn, at most ``AHEAD * window`` submitted and
    not handed back. ``wait_any(futures)`` returns those of ``futures`` that are done, once one is
    (default: :func:`concurrent.futures.wait`). ``seen(result)`` is called once with each result as
    soon as it is in, in any order, before more items are submitted; a failed or cancelled item
    raises when its turn comes."""
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    wait_any = wait_any or _first_done
    pending: deque[F] = deque()  # submitted, not handed back, in item order
    running: set[F] = set()  # of those, the ones not seen finished
    results: dict[F, Any] = {}  # results fetched for ``seen``, not handed back yet
    todo = iter(items)

    def finished(futures: Iterable[F]) -> None:
        for future in futures:
            if future not in running:  # seen before: a Dask future can finish again (lost, then recomputed)
                continue
            running.discard(future)
            if seen is not None and not future.cancelled() and future.exception() is None:
                results[future] = future.result()
                seen(results[future])

    def fill() -> None:
        while len(running) < window and len(pending) < AHEAD * window:
            item = next(todo, _END)
            if item is _END:
                return
            future = submit(item)  # type: ignore[arg-type]
            pending.append(future)
            running.add(future)

    fill()
    while pending:
        head = pending[0]
        while head not in results and not head.done():  # the head too: it may be done, then lost
            finished(wait_any(running | {head}))
            fill()
        finished([head])  # done before anything waited for it
        pending.popleft()
        fill()
        yield head, results.pop(head) if head in results else head.result()


def _submit(pool: ProcessPoolExecutor, prepare: Callable[[T], T], item: T) -> Future:
    return pool.submit(_run_in_worker, prepare(item))


def _first_done(futures: set[Any]) -> set[Any]:
    return wait(futures, return_when=FIRST_COMPLETED).done


_GC_LOCK = threading.Lock()
_gc_users = 0  # blocks inside fewer_collections, in any thread
_gc_saved: tuple[int, ...] = ()


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often: building rows allocates millions of short-lived,
    acyclic objects, and the default thresholds spend about a third of the time scanning them.
    The threshold is process-wide: the first block to enter raises it and the last to leave restores
    it, whatever the threads and their order (builds may run in threads of one server)."""
    global _gc_users, _gc_saved
    with _GC_LOCK:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(50_000, *_gc_saved[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)


@contextlib.contextmanager
def collections_paused() -> Iterator[None]:
    """No cyclic garbage collection for the duration (for one shard of a build). Its allocations are
    almost all acyclic and freed by reference counting; a collection would only scan the documents
    in flight, again and again. What cyclic garbage the block leaves (bounded by its work) goes at
    the next collection after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_STATE: tuple[Callable[[Any, Any], Any], Any] | None = None


def _init_worker(work: Work) -> None:
    global _STATE
    gc.freeze()  # the imported modules never become garbage: keep them out of every collection
    gc.set_threshold(50_000, *gc.get_threshold()[1:])
    _STATE = (work.run, work.setup(work.settings))


def _run_in_worker(item: Any) -> Any:
    assert _STATE is not None
    run, state = _STATE
    return run(state, item)
