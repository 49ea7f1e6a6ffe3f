"""Cut a sorted list of ids into runs whose ends depend on the ids, not on their positions.

Shards of the build (:mod:`corpus_pkg.tables.plan`) and chunks of the validate cache
(:mod:`corpus_pkg.validate.cached`) are such runs, so that adding or removing one document changes
its own run only (about one edit in eight also moves the next boundary) and the other runs keep
their cache entries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ("cut_runs", "id_hash")


def cut_runs(ids: Sequence[str], size: int) -> list[range]:
    """Positions of runs of about ``size`` ids (on average), in order.

    Once a run holds just over half of ``size`` ids, it ends after any id that hashes to 0 modulo
    half of ``size`` (and at twice ``size`` at the latest)."""
    if size < 1:
        raise ValueError(f"run size must be at least 1, got {size}")
    half = (size + 1) // 2
    least = size - half + 1  # with boundaries 1 in ``half`` after it: a mean of ``size``
    runs = []
    start = 0
    for i, doc_id in enumerate(ids):
        length = i + 1 - start
        if (length >= least and id_hash(doc_id) % half == 0) or length >= 2 * size:
            runs.append(range(start, i + 1))
            start = i + 1
    if start < len(ids):
        runs.append(range(start, len(ids)))
    return runs


def id_hash(doc_id: str) -> int:
    """A stable hash of a document id (never Python's salted ``hash()``)."""
    return int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:8], "big")
