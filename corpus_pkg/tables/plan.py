"""The shard plan: which split each document goes to, and the runs of documents (shards) each
split is cut into. A shard is the unit of parallel work, of the build cache and of the release's
Parquet files; where shards end depends on document ids, not on which worker builds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .._runs import cut_runs
from ..corpus import DOCS_PER_SHARD, CorpusError
from ..schema import CorpusConfig
from ..validate.checks import DocumentPaths

__all__ = ("ShardTask", "assign_splits", "plan_shards", "shard_plan", "split_names")


@dataclass(frozen=True)
class ShardTask:
    """Documents ``docs`` of ``split``: shard number ``index`` of that split."""

    split: str
    index: int
    docs: tuple[DocumentPaths, ...]
    convert: bool = True  # False: only check the documents (the build already failed elsewhere)
    #: (annotation, raw) sha256 of each document when the build already knows them all (see
    #: corpus_pkg._hashindex): a cached shard is then found without reading its files
    hashes: tuple[tuple[str | None, str | None], ...] = ()
    #: the validate-cache chunk of each document (see corpus_pkg.validate.cached); () for no cache
    chunks: tuple[str, ...] = ()

    def partial_name(self, config: str) -> str:
        """Release-relative path of this shard's file of ``config`` until ``build`` names it."""
        return f"data/{config}/.{self.split}-{self.index:05d}.partial"


def plan_shards(docs_by_split: dict[str, list[DocumentPaths]], docs_per_shard: int) -> list[ShardTask]:
    """Cut each split's documents (in order) into shards of about ``docs_per_shard`` documents.

    Where a shard ends depends mostly on the documents' ids, not on their positions: once a shard
    holds just over half of ``docs_per_shard`` documents, it ends after any document whose id
    hashes to 0 modulo half of ``docs_per_shard`` (and at twice ``docs_per_shard`` at the latest).
    Adding or removing a document usually changes its own shard only (about one edit in eight
    also moves the next boundary), so the other shards keep their cache entries. Shards average
    ``docs_per_shard`` documents."""
    if docs_per_shard < 1:
        raise ValueError(f"docs_per_shard must be at least 1, got {docs_per_shard}")
    tasks = []
    for split, docs in docs_by_split.items():
        runs = cut_runs([doc.doc_id for doc in docs], docs_per_shard)
        tasks += [ShardTask(split, i, tuple(docs[run.start : run.stop])) for i, run in enumerate(runs)]
    return tasks


def assign_splits(config: CorpusConfig, doc_ids: Iterable[str]) -> dict[str, str]:
    """doc_id -> split name. Documents listed under ``splits`` in corpus.json go there; others go to ``train``.

    Raises:
        CorpusError: a document is listed in two splits.
    """
    listed: dict[str, str] = {}
    for split, ids in config.splits.items():
        for doc_id in ids:
            if doc_id in listed and listed[doc_id] != split:
                raise CorpusError(
                    f"corpus.json: document {doc_id!r} is listed in splits {listed[doc_id]!r} and {split!r}; "
                    "a document belongs to one split"
                )
            listed[doc_id] = split
    return {doc_id: listed.get(doc_id, "train") for doc_id in doc_ids}


def split_names(config: CorpusConfig, assignment: dict[str, str]) -> list[str]:
    """Splits the release ships: ``train`` first when any document lands there, then declared splits in order."""
    names = ["train"] if "train" in assignment.values() or not config.splits else []
    names += [name for name in config.splits if name not in names]
    return names


def shard_plan(
    config: CorpusConfig, docs: list[DocumentPaths], docs_per_shard: int = DOCS_PER_SHARD
) -> tuple[list[str], list[ShardTask]]:
    """The splits a release ships, and the shards (runs of documents) each split is cut into."""
    assignment = assign_splits(config, [d.doc_id for d in docs])
    splits = split_names(config, assignment)
    by_split = {split: [d for d in docs if assignment[d.doc_id] == split] for split in splits}
    return splits, plan_shards(by_split, docs_per_shard)
