"""Choosing where shard and chunk tasks run: the local process pool or a Dask cluster.

Dask is imported only when the ``dask`` engine is asked for (it is an optional extra).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ._pool import ENGINES, Executor, LocalPool

__all__ = ("ENGINES", "open_executor")


@contextlib.contextmanager
def open_executor(
    engine: str = "local", workers: int | None = None, scheduler: str | None = None
) -> Iterator[Executor]:
    """The executor of ``engine``: ``local`` (a :class:`LocalPool` of ``workers`` processes) or ``dask``
    (the cluster at ``scheduler``, or a LocalCluster of ``workers`` processes, default 2)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if engine == "local":
        if scheduler is not None:
            raise ValueError("a scheduler address needs the dask engine (--engine dask)")
        yield LocalPool(workers)
        return
    from ._dask import DaskExecutor

    with DaskExecutor(scheduler, workers) as executor:
        yield executor
