"""Where a clean build's time goes: CPU milliseconds per article for each stage, in one process.

Runs the stages of ``corpus build`` one after the other on the first N documents of a corpus
(for example one made by scripts/make_synthetic_corpus.py) and prints milliseconds per article,
next to the parse floor of the same run (read + orjson), as a ratio. Stages are measured apart,
so their sum is close to, but not exactly, what one worker spends per article.

Usage:
    python scripts/make_synthetic_corpus.py --docs 1000 --out /tmp/synth
    python scripts/build_stages.py /tmp/synth --docs 500
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="corpus folder")
    parser.add_argument("--docs", type=int, default=500, help="documents to measure (the first N)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each stage N times and keep the fastest (on a shared machine)"
    )
    args = parser.parse_args(argv)

    import orjson

    from corpus_pkg._jsonfile import parse_json, validate_json_fast
    from corpus_pkg.corpus import Corpus
    from corpus_pkg.schema import AnnotationFile, Document
    from corpus_pkg.tables.batch import DocumentBatch, GoldDocument
    from corpus_pkg.tables.columns import column_builders
    from corpus_pkg.tables.features import DOCUMENT_CONFIGS, LabelSets, release_features
    from corpus_pkg.tables.ner import NerBuilder
    from corpus_pkg.tables.parquet import ConfigWriter
    from corpus_pkg.tables.rows import RowContext, document_rows
    from corpus_pkg.tables.shard import NER_DOCS
    from corpus_pkg.tables.stats import ReleaseStats
    from corpus_pkg.text.tokenize import paragraphs
    from corpus_pkg.validate.checks import check_document_model, load_config_issues, pair_paths
    from corpus_pkg.validate.fast_model import FAST_VALIDATOR

    gc.freeze()  # as in the build's workers, which build a shard without cyclic garbage collection
    gc.disable()
    corpus = Corpus.at(args.root)
    ctx, _, _ = load_config_issues(corpus.root)
    paths = pair_paths(corpus.root)[0][: args.docs]
    features = release_features(LabelSets.from_config(corpus.config))
    row_ctx = RowContext({e.id: e.name for e in corpus.registry.entities})
    n = len(paths)
    timings: list[tuple[str, float]] = []

    def stage(name: str, fn: Callable[[], Any], repeat: int | None = None) -> Any:
        best = float("inf")
        for _ in range(max(1, args.repeat if repeat is None else repeat)):
            started = time.process_time()
            value = fn()
            best = min(best, time.process_time() - started)
        timings.append((name, best / n * 1e3))
        return value

    files = stage("read both files", lambda: [p.read(corpus.root) for p in paths])
    stage("parse floor: orjson", lambda: [orjson.loads(f.annotation_bytes) for f in files])
    stage("strict JSON (duplicate keys, positions kept)", lambda: [parse_json(f.annotation_bytes) for f in files])
    values = [orjson.loads(f.annotation_bytes) for f in files]

    def check_all(files: list) -> list:
        return [check_document_model(f, ctx) for f in files]

    stage("pydantic AnnotationFile.model_validate", lambda: [AnnotationFile.model_validate(v) for v in values])
    stage(
        "pydantic model_validate_json + duplicate-key count (the build's reader)",
        lambda: [validate_json_fast(f.annotation_bytes, AnnotationFile, True, FAST_VALIDATOR) for f in files],
    )
    checked = stage(
        "check_document_model (the build's reader + every check)", lambda: [check_document_model(f, ctx) for f in files]
    )
    texts = [f.raw_bytes.decode("utf-8") for f in files]
    docs = [Document(text=t, annotations=ann) for t, (_, ann) in zip(texts, checked)]
    # the plain reference path, not what the build runs (not in the total)
    stage("reference: tokens by paragraphs()", lambda: [list(paragraphs(d.text, d.annotations)) for d in docs])
    stage("reference: document_rows (7 configs)", lambda: [document_rows(d, row_ctx) for d in docs])
    gold = stage("gold items per layer", lambda: [GoldDocument.of(t, ann) for t, (_, ann) in zip(texts, checked)])
    ner = NerBuilder(features["ner"], features["ner"].arrow_schema)
    started = time.process_time()
    ner.build(gold[:1])  # type: ignore[arg-type]  # once per process: the classes of the code points met
    setup_ms = (time.process_time() - started) * 1e3
    chunks = stage(
        f"ner batch (tables/ner.py: tokens, BIO tags, Arrow; {NER_DOCS} documents a batch)",
        lambda: [ner.build(gold[i : i + NER_DOCS]) for i in range(0, n, NER_DOCS)],  # type: ignore[arg-type]
    )
    for doc, skipped in zip(gold, (s for chunk in chunks for s in chunk.skipped)):
        doc.skipped = skipped

    def make_batches() -> list:  # fresh each run: a batch reads its documents' fields once, then keeps them
        batches = []
        for first in range(0, n, NER_DOCS):
            batch = DocumentBatch(row_ctx)
            for doc in gold[first : first + NER_DOCS]:
                batch.add(doc)
            batches.append(batch)
        return batches

    batches = make_batches()

    def all_columns() -> list:
        nonlocal batches
        batches = make_batches()
        return [b.columns() for b in batches]

    columns = stage("columns of 6 configs (batches of documents)", all_columns)

    def add_stats() -> None:
        stats = ReleaseStats(splits=["train"])
        for batch, chunk in zip(batches, chunks):
            batch.count(stats, "train", sum(chunk.paragraphs), sum(chunk.tokens))

    stage("release statistics", add_stats)
    with tempfile.TemporaryDirectory() as tmp:
        _warm_up(Path(tmp))
        for config, feats in features.items():
            if config not in DOCUMENT_CONFIGS:  # the registry is written once per release, not per document
                continue
            schema = feats.arrow_schema

            def write(feats: Any = feats, schema: Any = schema, config: str = config) -> None:
                writer = ConfigWriter(Path(tmp) / config, schema, column_builders(feats, schema), 1000)
                if config == "ner":
                    for chunk in chunks:
                        writer.add_batch(chunk.batch)
                else:
                    for batch_columns in columns:
                        writer.add_columns(*batch_columns[config])
                writer.close()

            # once: Arrow keeps the UTF-8 form of each string it converts, so a second run is cheaper than a build
            stage(f"Arrow + Parquet: {config}", write, repeat=1)

    floor = dict(timings)["parse floor: orjson"] + dict(timings)["read both files"]
    print(f"{n} documents of {args.root}; CPU ms per article (ratio to read + orjson = {floor:.3f} ms)\n")
    print("| stage | ms/article | x floor |\n|---|---:|---:|")
    for name, ms in timings:
        print(f"| {name} | {ms:.3f} | {ms / floor:.1f} |")
    in_build = ("read", "check_", "gold", "ner batch", "columns", "release", "Arrow")
    total = sum(ms for name, ms in timings if name.startswith(in_build))
    print(f"| **what one worker does per article** | **{total:.3f}** | **{total / floor:.1f}** |")
    print(f"\nOnce per process, not in the table: the ner batch's set-up (character classes) {setup_ms:.0f} ms.")
    return 0


def _warm_up(folder: Path) -> None:
    """Write a throwaway Parquet file of about the size of the stages' files: the first large Arrow
    allocations of a process cost system time (pages of the memory pool) that a worker pays once,
    not per article; a stage should not carry it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from corpus_pkg.tables.parquet import PARQUET_OPTIONS

    table = pa.table({"text": pa.array([f"{i:08d}" * 1500 for i in range(2000)])})
    pq.write_table(table, folder / "warm-up.parquet", **PARQUET_OPTIONS)


if __name__ == "__main__":
    sys.exit(main())
