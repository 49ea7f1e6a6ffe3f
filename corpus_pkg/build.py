"""``build(root, out)``: raw text + annotations -> a Hugging Face release folder.

The release holds ``data/<config>/<split>-00000-of-0000N.parquet`` for every config, a dataset
card (``README.md``), ``croissant.json``, ``metadata/`` (corpus.json, entities.json and the
guidelines) and ``SHA256SUMS``. Documents are streamed one at a time through the pure function
:func:`corpus_pkg.rows.document_rows` and written in row groups, so memory does not grow with
the corpus. The build is deterministic (same inputs, same bytes) and atomic: it writes into a
temporary folder beside ``out`` and renames it into place only when everything is written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from ._io import atomic_write_text, write_json
from .cache import CacheStats, default_cache_dir
from .card import ReleaseStats, dataset_card
from .corpus import Corpus, CorpusError
from .croissant import croissant_jsonld, sha256_file
from .features import CONFIG_NAMES, LabelSets, encode_row, release_features
from .row_stream import iter_document_rows, merge_stats
from .rows import RowContext
from .schema import CorpusConfig
from .validate import Report, validate

__all__ = (
    "DEFAULT_OUT",
    "PARQUET_OPTIONS",
    "BuildResult",
    "InvalidCorpusError",
    "assign_splits",
    "build",
    "sha256_file",
)

#: Where ``corpus build`` writes when no ``--out`` is given (relative to the corpus root).
DEFAULT_OUT = Path("dist") / "release"

#: Parquet writer settings, all explicit so two builds produce the same bytes.
PARQUET_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "write_page_index": False,
    "store_schema": True,
}

CHECKSUMS_FILE = "SHA256SUMS"
GUIDELINES = Path("annotations") / "GUIDELINES.md"
AGREEMENT = Path("docs") / "agreement.md"


class InvalidCorpusError(CorpusError):
    """The corpus did not validate; ``report`` holds every issue. Nothing was written."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(
            f"the corpus is invalid ({len(report.errors)} error(s)); nothing was built. "
            "Run `corpus validate` for the full report."
        )


@dataclass
class BuildResult:
    """What a build wrote."""

    out: Path
    version: str
    documents: int
    rows: dict[str, dict[str, int]]  # config -> split -> rows
    files: list[str]  # release-relative paths, sorted
    ner_skipped: list[tuple[str, str, str]]  # (doc_id, mention_id, reason)
    seconds: float = 0.0
    warnings: int = 0
    cache: CacheStats = field(default_factory=CacheStats)  # rows served from / added to the cache

    def summary(self) -> str:
        """One line per config, e.g. ``entities: train=1234``."""
        lines = [f"release {self.version}: {self.documents} document(s) -> {self.out}"]
        for config, splits in self.rows.items():
            lines.append(f"  {config}: " + ", ".join(f"{split}={n}" for split, n in splits.items()))
        return "\n".join(lines)


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


def build(
    root: str | Path = ".",
    out: str | Path | None = None,
    overwrite: bool = False,
    cache: bool = True,
    version: str | None = None,
    row_group_size: int = 1000,
    max_rows_per_shard: int | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> BuildResult:
    """Validate the corpus at ``root`` and write its release folder to ``out``.

    Args:
        root: corpus folder.
        out: release folder (default ``<root>/dist/release``). Refused if it exists, unless ``overwrite``.
        overwrite: replace an existing ``out`` (atomically: the old folder is renamed away, the new one
            renamed in, then the old one deleted).
        cache: reuse the rows (and validation issues) of documents whose bytes did not change, from
            ``<root>/.corpus_cache/`` (``--no-cache`` turns it off). The output is byte-identical either way.
        version: version to stamp on the release (default: ``version`` in corpus.json).
        row_group_size: rows per Parquet row group.
        max_rows_per_shard: start a new Parquet shard after this many rows (default: one shard per split).
        progress: called with one line per document (for the CLI's ``--verbose``).
        workers: processes computing rows (default: one per core for 200 documents or more; 1 = none).

    Raises:
        InvalidCorpusError: validation found errors (nothing is written).
        FileExistsError: ``out`` exists and ``overwrite`` is false.

    Example:
        >>> result = build("tests/data/mini", "/tmp/mini-release", overwrite=True)  # doctest: +SKIP
        >>> result.rows["entities"]
        {'train': 2}
    """
    started = time.perf_counter()
    corpus = Corpus.at(root)
    out = Path(out) if out is not None else corpus.root / DEFAULT_OUT
    out = out.resolve()
    if out == corpus.root or corpus.root.is_relative_to(out):
        raise CorpusError(f"--out {out} would replace the corpus itself; choose a folder inside or beside it")
    for source in (corpus.raw_dir, corpus.annotations_dir):
        if out == source or out.is_relative_to(source):
            raise CorpusError(f"--out {out} lies inside the corpus's {source.name}/ folder; choose another folder")
    _refuse_existing(out, overwrite)
    report = validate(corpus.root, cache=cache, workers=workers)
    if not report.valid:
        raise InvalidCorpusError(report)

    config, registry = corpus.config, corpus.registry
    version = version or config.version
    features = release_features(LabelSets.from_config(config))
    ctx = RowContext(entity_names={e.id: e.name for e in registry.entities})
    doc_ids = corpus.doc_ids()
    assignment = assign_splits(config, doc_ids)
    splits = split_names(config, assignment)
    stats = ReleaseStats(splits=splits)
    cache_stats = CacheStats()
    rows_cache = default_cache_dir(corpus.root, "build") if cache else None

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        tmp.chmod(0o755)
        with _DataWriter(tmp, features, splits, row_group_size, max_rows_per_shard) as writer:
            docs = [(doc_id, assignment[doc_id]) for doc_id in doc_ids]
            for item in iter_document_rows(corpus.root, docs, features, ctx, rows_cache, workers, cache_stats):
                merge_stats(stats, item.stats)
                writer.add_batches(item.split, item.batches)
                if progress:
                    progress(f"{item.doc_id} -> {item.split}")
        data_files = writer.files
        for config_name, sizes in writer.nbytes.items():
            stats.nbytes[config_name].update(sizes)
        _write_metadata(corpus, tmp, version)
        card = dataset_card(
            config=config,
            version=version,
            features=features,
            data_files=data_files,
            stats=stats,
            release=tmp,
            guidelines=_read_optional(corpus.root / GUIDELINES),
            agreement=_read_optional(corpus.root / AGREEMENT),
        )
        atomic_write_text(tmp / "README.md", card)
        write_json(tmp / "croissant.json", croissant_jsonld(config, version, features, data_files, tmp))
        files = _write_checksums(tmp)
        _swap_into_place(tmp, out, overwrite)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(
        out=out,
        version=version,
        documents=len(doc_ids),
        rows={c: dict(stats.rows[c]) for c in CONFIG_NAMES},
        files=files,
        ner_skipped=list(stats.ner_skipped),
        seconds=time.perf_counter() - started,
        warnings=len(report.warnings),
        cache=cache_stats,
    )


def _refuse_existing(out: Path, overwrite: bool) -> None:
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} already exists; pass --overwrite (overwrite=True) to replace it")
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder; refusing to replace it")
    if out.is_dir() and any(out.iterdir()) and not (out / "SHA256SUMS").is_file():
        raise FileExistsError(
            f"{out} is not empty and is not a release (no SHA256SUMS); refusing to replace it even with --overwrite"
        )


def _swap_into_place(tmp: Path, out: Path, overwrite: bool) -> None:
    """Rename ``tmp`` to ``out``; an existing ``out`` is renamed away first and deleted last."""
    _refuse_existing(out, overwrite)
    if not out.exists():
        os.rename(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _read_optional(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _write_metadata(corpus: Corpus, tmp: Path, version: str) -> None:
    """Copy corpus.json (stamped with the release version), entities.json and the guidelines."""
    meta = tmp / "metadata"
    meta.mkdir()
    write_json(meta / "corpus.json", corpus.config.model_copy(update={"version": version}).model_dump(mode="json"))
    if corpus.registry_path.is_file():
        shutil.copyfile(corpus.registry_path, meta / "entities.json")
    guidelines = corpus.root / GUIDELINES
    if guidelines.is_file():
        shutil.copyfile(guidelines, meta / "GUIDELINES.md")


def _write_checksums(release: Path) -> list[str]:
    """Write ``SHA256SUMS`` (``sha256sum -c`` format) for every file; return all release-relative paths."""
    paths = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    lines = [f"{sha256_file(release / rel)}  {rel}\n" for rel in paths]
    atomic_write_text(release / CHECKSUMS_FILE, "".join(lines))
    return sorted([*paths, CHECKSUMS_FILE])


# --- Parquet writing -----------------------------------------------------------------------------


@dataclass
class _Shard:
    """Open Parquet writers of one (config, split)."""

    folder: Path
    split: str
    schema: pa.Schema
    max_rows: int | None
    parts: list[Path] = field(default_factory=list)
    writer: pq.ParquetWriter | None = None
    rows_in_part: int = 0
    pool: ThreadPoolExecutor | None = None  # write (compress) row groups in the background
    pending: deque[Future] = field(default_factory=deque)

    def write(self, table: pa.Table) -> None:
        """Write ``table`` as one row group; with a ``pool``, in a background thread, still in order
        (each write waits for the previous one of this shard; at most 3 are queued)."""
        if self.pool is None:
            self._write_now(table)
            return
        previous = self.pending[-1] if self.pending else None
        self.pending.append(self.pool.submit(self._write_after, previous, table))
        while len(self.pending) > 3:
            self.pending.popleft().result()

    def _write_after(self, previous: Future | None, table: pa.Table) -> None:
        if previous is not None:
            previous.result()  # FIFO pool: the previous write is already running or done
        self._write_now(table)

    def drain(self) -> None:
        """Wait for the queued writes (re-raising their errors)."""
        while self.pending:
            self.pending.popleft().result()

    def _write_now(self, table: pa.Table) -> None:
        if self.writer is None or (self.max_rows is not None and self.rows_in_part >= self.max_rows):
            self._open_next()
        assert self.writer is not None
        self.writer.write_table(table, row_group_size=table.num_rows)
        self.rows_in_part += table.num_rows

    def _open_next(self) -> None:
        self._close_writer()  # runs on the writer thread: must not wait for the queue it is part of
        path = self.folder / f".{self.split}-{len(self.parts):05d}.partial"
        self.parts.append(path)
        self.writer = pq.ParquetWriter(path, self.schema, **PARQUET_OPTIONS)
        self.rows_in_part = 0

    def close(self) -> None:
        self.drain()
        self._close_writer()

    def _close_writer(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def finish(self) -> list[Path]:
        """Close and rename parts to HF shard names. A split without rows gets no file: ``datasets``
        cannot load an empty split, so the card leaves it out of that config."""
        self.close()
        total = len(self.parts)
        final = []
        for i, part in enumerate(self.parts):
            target = self.folder / f"{self.split}-{i:05d}-of-{total:05d}.parquet"
            os.rename(part, target)
            final.append(target)
        return final


class _DataWriter:
    """Buffers encoded rows per (config, split) and writes them as Parquet row groups."""

    def __init__(
        self,
        release: Path,
        features: dict[str, Features],
        splits: list[str],
        row_group_size: int,
        max_rows_per_shard: int | None,
    ) -> None:
        if row_group_size < 1:
            raise ValueError(f"row_group_size must be at least 1, got {row_group_size}")
        self.release = release
        self.features = features
        self.row_group_size = row_group_size
        self.schemas = {name: feats.arrow_schema for name, feats in features.items()}
        self.shards: dict[tuple[str, str], _Shard] = {}
        # Parquet encoding and zstd run without the GIL: write shards on threads while documents stream in.
        self.pool = ThreadPoolExecutor(max_workers=min(4, len(features)), thread_name_prefix="parquet-writer")
        self.buffers: dict[tuple[str, str], list[pa.RecordBatch]] = {}
        self.counts: dict[tuple[str, str], int] = {}
        for config in features:
            folder = release / "data" / config
            folder.mkdir(parents=True)
            for split in splits:
                self.shards[config, split] = _Shard(
                    folder, split, self.schemas[config], max_rows_per_shard, pool=self.pool
                )
                self.buffers[config, split] = []
                self.counts[config, split] = 0
        self.files: dict[str, dict[str, list[str]]] = {}  # config -> split -> shard paths (non-empty only)
        self.nbytes: dict[str, dict[str, int]] = {config: dict.fromkeys(splits, 0) for config in features}

    def __enter__(self) -> _DataWriter:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        try:
            if exc_type is not None:
                for shard in self.shards.values():
                    with contextlib.suppress(Exception):  # the original error matters, not follow-ups
                        shard.close()
                return
            for key in self.buffers:
                self._flush(key, final=True)
            for (config, split), shard in self.shards.items():
                paths = shard.finish()
                if paths:
                    self.files.setdefault(config, {})[split] = [p.relative_to(self.release).as_posix() for p in paths]
        finally:
            self.pool.shutdown(wait=True)

    def add(self, split: str, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Add one document's rows (label names, as ``document_rows`` returns them)."""
        batches = {}
        for config, config_rows in rows.items():
            feats = self.features[config]
            try:
                encoded = [encode_row(feats, row) for row in config_rows]
            except ValueError as exc:
                raise CorpusError(f"config {config!r}: {exc}") from None
            batches[config] = pa.RecordBatch.from_pylist(encoded, schema=self.schemas[config])
        self.add_batches(split, batches)

    def add_batches(self, split: str, batches: dict[str, pa.RecordBatch]) -> None:
        """Add one document's rows, already encoded as Arrow record batches."""
        for config, batch in batches.items():
            if batch.num_rows:
                self.buffers[config, split].append(batch)
                self.counts[config, split] += batch.num_rows
                self._flush((config, split))

    def _flush(self, key: tuple[str, str], final: bool = False) -> None:
        """Write full row groups of exactly ``row_group_size`` rows (and, when ``final``, the remainder).

        Row-group boundaries depend only on the row count, never on how rows arrived in batches,
        and each group is written as one contiguous table, so the bytes are the same however the
        documents were computed (fresh, cached or in worker processes)."""
        while self.counts[key] >= self.row_group_size or (final and self.counts[key]):
            table = pa.Table.from_batches(self.buffers[key], schema=self.schemas[key[0]])
            n = min(self.row_group_size, table.num_rows)
            group = table.slice(0, n).combine_chunks()
            rest = table.slice(n)
            self.buffers[key] = [b for b in rest.to_batches() if b.num_rows]
            self.counts[key] = rest.num_rows
            self.shards[key].write(group)
            self.nbytes[key[0]][key[1]] += group.nbytes
