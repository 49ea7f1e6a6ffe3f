"""Where a clean build's CPU goes, stage by stage: one real build, timed from inside.

Builds the first N documents of a corpus (for example one made by scripts/make_synthetic_corpus.py)
with ``corpus_pkg.release.build.build(..., workers=1)``: the code a worker runs, in this process,
with empty caches. A timer wraps the function behind each stage; a row is the CPU time spent in
that stage and not in another timed stage inside it, so the rows add up to the build's CPU (the
last row holds what no timer covers). Next to it, the parse floor (read + orjson) of the same
documents in the same process, so the ratios hold on a noisy machine.

Usage:
    python scripts/make_synthetic_corpus.py --docs 1000 --out /tmp/synth
    python scripts/build_stages.py /tmp/synth --docs 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: (row, module, attribute): the function each stage's time is spent in. Rows marked "fixed" are
#: what the task fixes (pydantic's validation of the schema, Parquet with the release's settings).
STAGES: tuple[tuple[str, str, str], ...] = (
    ("read the files", "corpus_pkg.tables.shard", "read_documents"),
    ("sha256 of the input files", "corpus_pkg.tables.shard", "file_hashes"),
    ("validate cache keys and lookups", "corpus_pkg.validate.cached", "DocumentChecker.check"),
    ("pydantic: the annotation JSON validated into models (fixed)", "corpus_pkg.validate.checks", "validate_json_fast"),
    ("duplicate-key guard: key marks", "corpus_pkg._jsonfile", "key_marks"),
    ("duplicate-key guard: keys of the models", "corpus_pkg._jsonfile", "count_keys"),
    ("checks: spans (bounds, text, order, overlaps)", "corpus_pkg.validate.checks", "check_spans"),
    ("checks: warnings (outside body, whitespace)", "corpus_pkg.validate.checks", "check_warnings"),
    ("checks: ids and references", "corpus_pkg.validate.checks", "_check_ids_and_refs"),
    ("checks: the rest of the document check", "corpus_pkg.validate.cached", "check_document_model"),
    ("gold items per layer", "corpus_pkg.tables.batch", "GoldDocument.of"),
    ("ner: tokens, BIO tags, Arrow batch", "corpus_pkg.tables.ner", "NerBuilder.build"),
    ("columns of the six other configs", "corpus_pkg.tables.batch", "DocumentBatch.columns"),
    ("release statistics", "corpus_pkg.tables.batch", "DocumentBatch.count"),
    ("freeing a batch's parsed documents", "corpus_pkg.tables.batch", "DocumentBatch.clear"),
    ("Arrow conversion of the columns", "corpus_pkg.tables.parquet", "ConfigWriter._encode"),
    ("row groups: joining converted pieces", "corpus_pkg.tables.parquet", "ConfigWriter._write_group"),
    ("Parquet encoding + zstd (fixed)", "pyarrow.parquet", "ParquetWriter.write_table"),
    ("Parquet encoding + zstd (fixed)", "pyarrow.parquet", "ParquetWriter.close"),
    ("sha256 of the output files", "corpus_pkg.tables.shard", "_facts"),
    ("shard cache: pack and write", "corpus_pkg.tables.shard_cache", "pack"),
    ("shard cache: pack and write", "corpus_pkg._cache", "ContentCache.put"),
    ("the rest of a shard (writers, batches, results)", "corpus_pkg.release.build", "build_shard"),
    ("main process: validate cache chunks", "corpus_pkg.release.build", "_save_checks"),
)
UNTIMED = "main process: plan, report, card, checksums, renames"
FIXED = "(fixed)"


class StageTimer:
    """CPU time per stage, each call's time less that of the timed calls inside it."""

    def __init__(self) -> None:
        self.cpu: Counter[str] = Counter()
        self._inner: list[float] = []  # per open call: CPU of the timed calls inside it

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            self._inner.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.process_time() - started
                self.cpu[label] += spent - self._inner.pop()
                if self._inner:
                    self._inner[-1] += spent

        return timed

    def install(self) -> Callable[[], None]:
        """Wrap every stage's function in place; returns the function that undoes it."""
        undo: list[tuple[Any, str, Any]] = []

        def restore() -> None:
            for owner, name, raw in reversed(undo):
                setattr(owner, name, raw)

        try:
            for label, module_name, attribute in STAGES:
                module = importlib.import_module(module_name)
                *outer, name = attribute.split(".")
                owner = functools.reduce(getattr, outer, module)
                raw = vars(owner)[name]  # a missing stage fails loudly: the table would be wrong
                if isinstance(raw, classmethod):
                    wrapped: Any = classmethod(self.wrap(label, raw.__func__))
                else:
                    wrapped = self.wrap(label, raw)
                setattr(owner, name, wrapped)
                undo.append((owner, name, raw))
        except BaseException:
            restore()
            raise
        return restore


def subset(root: Path, n: int, into: Path) -> int:
    """A corpus of the first ``n`` documents of ``root``: their files, entities.json, and corpus.json with
    its splits cut down to them."""
    from corpus_pkg.validate.checks import pair_paths

    into.mkdir(parents=True)
    if (root / "entities.json").is_file():
        shutil.copyfile(root / "entities.json", into / "entities.json")
    docs = pair_paths(root)[0][:n]
    config = json.loads((root / "corpus.json").read_bytes())
    kept = {doc.doc_id for doc in docs}  # the splits list only the documents kept
    config["splits"] = {split: [i for i in ids if i in kept] for split, ids in config.get("splits", {}).items()}
    (into / "corpus.json").write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    for doc in docs:
        for rel in (doc.annotation_file, doc.raw_file):
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, into / rel)
    return len(docs)


def parse_floor(root: Path) -> float:
    """CPU seconds to read every document's two files and parse the annotations with orjson."""
    import orjson

    started = time.process_time()
    for path in sorted((root / "annotations").glob("*.json")):
        orjson.loads(path.read_bytes())
        (root / "raw" / f"{path.stem}.txt").read_bytes()
    return time.process_time() - started


def measure(root: Path, out: Path) -> tuple[float, Counter[str]]:
    """One clean inline build of ``root``: its CPU seconds and the CPU per stage."""
    from corpus_pkg.release.build import build

    shutil.rmtree(root / ".corpus_cache", ignore_errors=True)
    timer = StageTimer()
    restore = timer.install()
    try:
        started = time.process_time()
        build(root, out, overwrite=True, workers=1)
        total = time.process_time() - started
    finally:
        restore()
    timer.cpu[UNTIMED] = total - sum(timer.cpu.values())
    return total, timer.cpu


def render(n: int, source: Path, floor: float, total: float, cpu: Counter[str]) -> str:
    per = 1e3 / n
    floor_ms = floor * per
    lines = [
        f"{n} documents of {source}: one clean build in one process, {total * per:.3f} CPU ms per article "
        f"= {total / floor:.1f}x the parse floor (read + orjson, {floor_ms:.3f} ms per article)",
        "",
        "| stage | ms/article | share | x floor |",
        "|---|---:|---:|---:|",
    ]
    for label in dict.fromkeys([label for label, _, _ in STAGES] + [UNTIMED]):
        ms = cpu[label] * per
        lines.append(f"| {label} | {ms:.3f} | {100 * cpu[label] / total:.0f}% | {ms / floor_ms:.2f} |")
    fixed = sum(seconds for label, seconds in cpu.items() if label.endswith(FIXED))
    lines.append(f"| **the build** | **{total * per:.3f}** | **100%** | **{total / floor:.2f}** |")
    lines += [
        "",
        f"Fixed by the task (rows marked fixed): {fixed * per:.3f} ms per article ({100 * fixed / total:.0f}%); "
        f"the rest: {(total - fixed) * per:.3f} ms.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="corpus folder")
    parser.add_argument("--docs", type=int, default=1000, help="documents to build (the first N)")
    parser.add_argument("--repeat", type=int, default=1, help="builds to run; the one with the least CPU is shown")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="build-stages-") as tmp:
        corpus = Path(tmp) / "corpus"
        n = subset(args.root, args.docs, corpus)
        if not n:
            raise SystemExit(f"{args.root} holds no documents")
        measure(corpus, Path(tmp) / "warm-up")  # imports, the tokenizer's tables, the allocators' first pages
        floor = min(parse_floor(corpus) for _ in range(3))
        total, cpu = min((measure(corpus, Path(tmp) / "release") for _ in range(max(1, args.repeat))), key=_first)
    if args.json:
        print(json.dumps({"documents": n, "floor_s": floor, "build_s": total, "stages_s": dict(cpu)}))
    else:
        print(render(n, args.root, floor, total, cpu))
    return 0


def _first(pair: tuple[float, Any]) -> float:
    return pair[0]


if __name__ == "__main__":
    sys.exit(main())
