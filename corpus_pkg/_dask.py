"""The Dask executor: the same :class:`~corpus_pkg._pool.Work` as the local pool, run as tasks on a
``dask.distributed`` cluster (an existing scheduler, or a LocalCluster started for the run).

Each item (a shard, or a chunk of documents to validate) is one task. The work's settings travel
pickled with every task, and a worker process builds its state from them once (cached under a
token), so a task can run on any worker, including one that joined or was restarted mid-run:
when a worker dies, the scheduler runs its tasks again elsewhere. Only the small summaries come
back to this process, in item order.

Needs the optional extra ``dask`` (``pip install 'corpus_pkg[dask]'``).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import threading
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from ._pool import Work, fewer_collections, in_order
from .corpus import CorpusError

__all__ = ("DEFAULT_LOCAL_WORKERS", "DaskExecutor", "require_dask")

T = TypeVar("T")
R = TypeVar("R")

#: Worker processes of the LocalCluster started when no scheduler address is given.
DEFAULT_LOCAL_WORKERS = 2
#: Seconds to wait for a scheduler before giving up (the environment variable overrides it).
CONNECT_TIMEOUT = float(os.environ.get("CORPUS_DASK_CONNECT_TIMEOUT", "10"))

#: Dask settings of the LocalCluster we start. Our tasks are long and CPU-bound, in workers with one
#: thread: the sampling profiler (every 10 ms), frequent monitors and memory trimming cost a worker's
#: task thread the GIL and the allocator's speed, which showed on a busy 2-core machine (a quarter
#: and more of the build's time). Memory stays bounded by the shard plan, so spilling is off too.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": False,
}
#: On Linux the LocalCluster's first worker processes are forked from this process, which has imported
#: our modules already: a spawned worker would start a new interpreter and import distributed, pydantic,
#: pyarrow and datasets again (about 1.5 s of CPU per worker, measured) before its first task. A worker
#: restarted after a crash is spawned (see DaskExecutor.__enter__).
if sys.platform.startswith("linux"):
    LOCAL_CLUSTER_CONFIG["distributed.worker.multiprocessing-method"] = "fork"

EXTRA_HINT = "the dask engine needs the optional extra 'dask': pip install 'corpus_pkg[dask]'"


def require_dask() -> Any:
    """The ``distributed`` module, or a :class:`CorpusError` naming the extra to install."""
    try:
        import distributed
    except ImportError as exc:
        raise CorpusError(f"{EXTRA_HINT} ({exc})") from None
    return distributed


class DaskExecutor:
    """Runs work on a Dask cluster: ``scheduler`` is an address such as ``tcp://10.0.0.5:8786``;
    without one, a LocalCluster of ``workers`` processes (default 2) runs for as long as the
    executor is open. Use as a context manager."""

    def __init__(
        self, scheduler: str | None = None, workers: int | None = None, connect_timeout: float = CONNECT_TIMEOUT
    ) -> None:
        self.scheduler = scheduler
        self.workers = workers or DEFAULT_LOCAL_WORKERS
        self.connect_timeout = connect_timeout
        self._cluster: Any = None
        self._client: Any = None

    def __enter__(self) -> DaskExecutor:
        distributed = require_dask()
        if self.scheduler is None:
            import dask

            # workers take their settings when they start; the nanny keeps the other settings for a
            # worker it restarts after a crash, but starts it with the method configured at that
            # moment: spawned, outside this block, as a fork from a build in full swing could copy a
            # lock some thread holds (the first workers are forked while this thread waits here)
            with dask.config.set(LOCAL_CLUSTER_CONFIG), warnings.catch_warnings():
                # Python >= 3.12 warns about fork() in a process with threads
                warnings.filterwarnings(
                    "ignore", message=r".*fork\(\) may lead to deadlocks", category=DeprecationWarning
                )
                self._cluster = distributed.LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    host="127.0.0.1",
                )
            self._client = distributed.Client(self._cluster)
            return self
        try:
            self._client = distributed.Client(self.scheduler, timeout=self.connect_timeout)
        except (OSError, TimeoutError) as exc:
            raise CorpusError(
                f"cannot reach the Dask scheduler at {self.scheduler} (waited {self.connect_timeout:g} s): {exc}; "
                "check the address (tcp://HOST:PORT) and that `dask scheduler` is running"
            ) from None
        try:
            self._client.wait_for_workers(1, timeout=self.connect_timeout)
        except (OSError, TimeoutError):
            self.__exit__()
            raise CorpusError(
                f"the Dask scheduler at {self.scheduler} has no workers (waited {self.connect_timeout:g} s); "
                f"start some with `dask worker {self.scheduler}`"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    @property
    def client(self) -> Any:
        if self._client is None:
            raise RuntimeError("DaskExecutor is not open; use it in a with block")
        return self._client

    def parallelism(self, n_docs: int) -> int:
        """Worker threads of the cluster (at least 1)."""
        return max(1, sum(self.client.nthreads().values()))

    def map_in_order(
        self,
        work: Work[Any, Any, T, R],
        items: Sequence[T],
        n_docs: int,
        prepare: Callable[[T], T] | None = None,
        seen: Callable[[R], None] | None = None,
    ) -> Iterator[R]:
        """One task per item, ``2 * parallelism + 2`` of them at work at a time (see :func:`in_order`)."""
        token = uuid.uuid4().hex
        blob = pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL)
        window = 2 * self.parallelism(n_docs) + 2
        pending: set[Any] = set()  # submitted and not consumed: cancelled if the caller stops early
        numbered = iter(range(len(items)))

        def submit(item: T) -> Any:
            key = f"corpus-{token[:12]}-{next(numbered)}"
            future = self.client.submit(_run_task, token, blob, prepare(item) if prepare else item, key=key, pure=False)
            pending.add(future)
            return future

        try:
            for future, result in in_order(submit, items, window, _first_done, seen):
                pending.discard(future)
                future.release()
                yield result
        finally:
            for future in pending:
                future.cancel()
            with contextlib.suppress(Exception):  # a worker that died meanwhile holds no state anyway
                self.client.run(_forget, token)


def _first_done(futures: set[Any]) -> set[Any]:
    """Those of ``futures`` (Dask's) that are done, once one is. Waits on a thread event their done
    callbacks set (Dask's own ``wait`` left a future rescheduled after a worker died bound to another
    event loop)."""
    done = {future for future in futures if future.done()}
    if not done and futures:
        one_done = threading.Event()
        for future in futures:
            future.add_done_callback(lambda _future: one_done.set())
        one_done.wait()
        done = {future for future in futures if future.done()}
    return done


_STATES: dict[str, tuple[Callable[[Any, Any], Any], Any]] = {}
_LOCK = threading.Lock()


def _run_task(token: str, blob: bytes, item: Any) -> Any:
    """Runs on a Dask worker: the work's state is built once per worker process and token."""
    with _LOCK:
        entry = _STATES.get(token)
        if entry is None:
            work: Work = pickle.loads(blob)
            entry = _STATES[token] = (work.run, work.setup(work.settings))
            gc.freeze()  # the modules just imported never become garbage: keep them out of collections
    run, state = entry
    with fewer_collections():
        return run(state, item)


def _forget(token: str) -> None:
    """Runs on every worker at the end of a job: drop its state."""
    with _LOCK:
        _STATES.pop(token, None)
