"""Read a release's ``full`` config back: rows with label names, or pydantic documents, one at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..corpus import CorpusError

if TYPE_CHECKING:
    from ..schema import Document

__all__ = ("iter_full_rows", "iter_release_documents")


def iter_full_rows(release: str | Path, split: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows of a release folder's ``full`` config (label names, not integers), one at a time."""
    import pyarrow.parquet as pq
    from datasets import Features

    from .features import decode_row

    folder = Path(release) / "data" / "full"
    shard = re.compile(rf"{re.escape(split) if split else '[^/]+'}-\d{{5}}-of-\d{{5}}\.parquet")
    files = sorted(p for p in folder.glob("*.parquet") if shard.fullmatch(p.name))
    if not files:
        raise CorpusError(f"{folder}: no Parquet files{f' for split {split!r}' if split else ''}")
    for path in files:
        parquet = pq.ParquetFile(path)
        features = Features.from_arrow_schema(parquet.schema_arrow)
        for batch in parquet.iter_batches(batch_size=256):
            for row in batch.to_pylist():
                yield decode_row(features, row)


def iter_release_documents(release: str | Path, split: str | None = None) -> Iterator[Document]:
    """Documents of a release folder's ``full`` config, one at a time, as pydantic objects.

    Raises:
        CorpusError: the release is text-free (``corpus build --no-text``): rehydrate it first.
    """
    from .rows import document_from_full

    for row in iter_full_rows(release, split):
        if row["text"] is None:
            raise CorpusError(
                f"{release} is a text-free release (no article text); "
                "run `corpus rehydrate` with your copies of the articles first"
            )
        yield document_from_full(row)
