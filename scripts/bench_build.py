"""Benchmark `corpus build` and `corpus validate` on synthetic corpora against in-run baselines.

For each size N, a synthetic corpus is generated (scripts/make_synthetic_corpus.py) and each path
runs in its own subprocess, so wall time and peak RSS belong to that path alone:

- floor: read every file and parse the JSON with orjson, nothing else;
- two component floors, to show what the build's unavoidable parts cost on their own (one
  process each): *schema* adds pydantic ``AnnotationFile.model_validate`` to the floor (no other
  check, no output); *write* only encodes the clean build's tables, already in memory, to Parquet
  with the build's writer settings;
- naive: json + pydantic model_validate + rows, then datasets.Dataset.from_list(rows).to_parquet()
  per config (all rows held in memory, one process);
- validate clean (empty cache) and incremental (after one document changed);
- build clean (empty caches) and incremental (after one document changed).

Times exclude interpreter start-up and imports (measured inside the subprocess). Results are
printed as a Markdown table with ratios to the floor of the same run (machines are noisy) and
written to docs/performance.md.

Usage:
    python scripts/bench_build.py --sizes 1000,5000,20000
    python scripts/bench_build.py --quick          # tiny sizes, for CI; writes no file unless --out
    python scripts/bench_build.py --engines --sizes 20000 --repeat 3   # local pool vs Dask only
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
#: The paths, in the order of the report's table.
PATHS = (
    "floor",
    "schema_floor",
    "naive",
    "validate_clean",
    "validate_incremental",
    "build_clean",
    "write_floor",
    "build_incremental",
)
#: The order they run in. The naive path runs last: it holds ~11 GB at 20,000 articles, and the
#: path run right after it was slowed (validate clean: 6.9 s, against 4.6-5.4 s alone).
RUN_ORDER = (*(path for path in PATHS if path != "naive"), "naive")
LABELS = {
    "floor": "parse floor (read + orjson)",
    "schema_floor": "schema floor (read + orjson + pydantic)",
    "write_floor": "write floor (tables in memory -> Parquet)",
    "naive": "naive (json + pydantic + Dataset.from_list)",
    "validate_clean": "`corpus validate`, clean",
    "validate_incremental": "`corpus validate`, 1 doc changed",
    "build_clean": "`corpus build`, clean",
    "build_incremental": "`corpus build`, 1 doc changed",
    "build_dask": "`corpus build --engine dask`, clean (LocalCluster, 2 workers)",
}
#: The engine comparison (--engines): these two paths, alternating.
ENGINE_PATHS = ("build_clean", "build_dask")
ENGINES_BEGIN, ENGINES_END = "<!-- engines: begin -->", "<!-- engines: end -->"
MARKER = ".bench-corpus"


# --- the measured paths (run inside a subprocess) -------------------------------------------------


def run_floor(root: Path, out: Path) -> None:
    import orjson

    for path in sorted((root / "annotations").iterdir()):
        orjson.loads(path.read_bytes())
        (root / "raw" / f"{path.stem}.txt").read_bytes()


def run_naive(root: Path, out: Path) -> None:
    from datasets import Dataset

    from corpus_pkg.corpus import Corpus
    from corpus_pkg.schema import AnnotationFile, Document
    from corpus_pkg.tables.features import LabelSets, encode_row, release_features
    from corpus_pkg.tables.rows import RowContext, document_rows, registry_rows

    corpus = Corpus.at(root)
    features = release_features(LabelSets.from_config(corpus.config))
    ctx = RowContext(entity_names={e.id: e.name for e in corpus.registry.entities})
    rows: dict[str, list[dict[str, Any]]] = {config: [] for config in features}
    for path in sorted((root / "annotations").iterdir()):
        ann = AnnotationFile.model_validate(json.loads(path.read_bytes()))
        text = (root / "raw" / f"{path.stem}.txt").read_bytes().decode("utf-8")
        for config, config_rows in document_rows(Document(text=text, annotations=ann), ctx).items():
            rows[config].extend(encode_row(features[config], row) for row in config_rows)
    rows["registry"] = [encode_row(features["registry"], row) for row in registry_rows(corpus.registry)]
    out.mkdir(parents=True, exist_ok=True)
    for config, config_rows in rows.items():
        if config_rows:  # like the build, a config without rows (an empty registry) gets no file
            Dataset.from_list(config_rows, features=features[config]).to_parquet(str(out / f"{config}.parquet"))


def run_schema_floor(root: Path, out: Path) -> None:
    import orjson

    from corpus_pkg.schema import AnnotationFile

    for path in sorted((root / "annotations").iterdir()):
        AnnotationFile.model_validate(orjson.loads(path.read_bytes()))
        (root / "raw" / f"{path.stem}.txt").read_bytes()


def run_write_floor(root: Path, out: Path) -> tuple[float, float]:
    """Encode the clean build's tables (read into memory first, not timed) to Parquet; returns the
    wall and CPU seconds of the encoding alone."""
    import io

    import pyarrow.parquet as pq

    from corpus_pkg.release.build import PARQUET_OPTIONS

    release = out.parent / out.name.replace("write-floor-", "release-")
    tables = [pq.read_table(path) for path in sorted((release / "data").rglob("*.parquet"))]
    started, cpu = time.perf_counter(), time.process_time()
    for table in tables:
        pq.write_table(table, io.BytesIO(), row_group_size=1000, **PARQUET_OPTIONS)
    return time.perf_counter() - started, time.process_time() - cpu


def run_validate(root: Path, out: Path) -> None:
    from corpus_pkg.validate import validate

    report = validate(root)
    if not report.valid:
        raise SystemExit(f"benchmark corpus is invalid: {report.stats}")


def run_build(root: Path, out: Path) -> None:
    from corpus_pkg.release.build import build

    build(root, out, overwrite=True)


def run_build_dask(root: Path, out: Path) -> None:
    """The clean build with the Dask engine: a LocalCluster of 2 worker processes, started (and
    stopped) inside the measured time, as `corpus build --engine dask` does."""
    from corpus_pkg.release.build import build

    build(root, out, overwrite=True, engine="dask", workers=2)


RUNNERS = {
    "floor": run_floor,
    "schema_floor": run_schema_floor,
    "write_floor": run_write_floor,
    "naive": run_naive,
    "validate_clean": run_validate,
    "validate_incremental": run_validate,
    "build_clean": run_build,
    "build_incremental": run_build,
    "build_dask": run_build_dask,
}


#: CPU time spent before the measured path (interpreter start-up and imports), subtracted.
CPU_AT_START = 0.0


def measure(path: str, root: Path, out: Path) -> dict[str, float]:
    """Run one path in this process; report its time and peak RSS (this process and its workers)."""
    started = time.perf_counter()
    timed = RUNNERS[path](root, out)  # a runner with untimed set-up returns its own (wall, CPU) seconds
    seconds = timed[0] if timed else time.perf_counter() - started
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + workers.ru_utime + workers.ru_stime - CPU_AT_START
    return {
        "seconds": seconds,
        "cpu_seconds": timed[1] if timed else cpu,
        "rss_main_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


# --- orchestration ---------------------------------------------------------------------------------


def touch_one_document(root: Path, index: int) -> None:
    """Make a small valid edit to one annotation file (flip one gold origin)."""
    path = sorted((root / "annotations").iterdir())[index]
    data = path.read_bytes()
    a, b = b'"origin": "manual"', b'"origin": "imported"'
    path.write_bytes(data.replace(a, b, 1) if a in data else data.replace(b, a, 1))


def make_corpus(workdir: Path, n: int, seed: int, reuse: bool = False) -> Path:
    """A fresh synthetic corpus of ``n`` articles; with ``reuse``, one this benchmark made before with the
    same ``n`` and ``seed`` (and never edited: only the engines comparison reuses) is kept."""
    sys.path.insert(0, str(REPO / "scripts"))
    from make_synthetic_corpus import make_corpus as generate

    root = workdir / f"n{n}"
    if reuse and (root / MARKER).is_file() and (root / MARKER).read_text() == f"{n} {seed}\n":
        return root
    if root.exists():
        if not (root / MARKER).exists():
            raise SystemExit(f"{root} exists and was not made by this benchmark; choose another --workdir")
        shutil.rmtree(root)
    generate(root, n, seed=seed, workers=2)
    (root / MARKER).write_text(f"{n} {seed}\n")
    return root


def warm_page_cache(root: Path) -> None:
    """Read every file of the corpus (not timed), so that each path starts with it in the page cache,
    whatever ran before it."""
    for folder in (root / "raw", root / "annotations"):
        for path in folder.rglob("*"):
            if path.is_file():
                path.read_bytes()


def run_path(path: str, root: Path, out: Path) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", path, "--root", str(root), "--to", str(out)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"{path} failed:\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_with_startup"] = time.perf_counter() - started
    return result


def bench_size(workdir: Path, n: int, seed: int) -> dict[str, Any]:
    root = make_corpus(workdir, n, seed)
    size_mb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
    out = workdir / f"release-n{n}"
    results: dict[str, Any] = {"n": n, "corpus_mb": size_mb}
    for path in RUN_ORDER:
        if path in ("validate_clean", "build_clean"):
            shutil.rmtree(root / ".corpus_cache", ignore_errors=True)
        if path == "validate_incremental":
            touch_one_document(root, 1)
        if path == "build_incremental":
            touch_one_document(root, 2)
        target = {"naive": workdir / f"naive-n{n}", "write_floor": workdir / f"write-floor-n{n}"}.get(path, out)
        warm_page_cache(root)
        results[path] = run_path(path, root, target)
        print(f"  N={n:>6} {path:<22} {results[path]['seconds']:8.2f} s", file=sys.stderr, flush=True)
    shutil.rmtree(workdir / f"naive-n{n}", ignore_errors=True)
    return results


def machine_facts() -> list[str]:
    import pyarrow
    import pydantic

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {platform.machine()}, {cores} usable cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, pydantic {pydantic.VERSION}, pyarrow {pyarrow.__version__}",
        f"- Load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


def render(results: list[dict[str, Any]], facts: list[str], seed: int) -> str:
    lines = [
        "# Performance",
        "",
        "<!-- Generated by scripts/bench_build.py; rerun it to refresh. -->",
        "",
        f"Synthetic corpora from `scripts/make_synthetic_corpus.py --seed {seed}` (3-8 KB articles, ~60 mentions,",
        "~8 quotes, ~10 numbers, ~3 stance rows each). Every path runs in its own subprocess; times exclude",
        "interpreter start-up and imports. Ratios are against the parse floor of the same run, because",
        "machines are noisy. CPU s is user + system time of the process and its workers (less sensitive",
        "to other load than wall time). Peak RSS is the main process; workers are listed apart.",
        "",
        *facts,
        "",
        "| N | corpus MB | path | wall s | × floor | CPU s | peak RSS main MiB | peak RSS worker MiB |",
        "|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        floor = r["floor"]["seconds"]
        for path in PATHS:
            m = r[path]
            lines.append(
                f"| {r['n']:,} | {r['corpus_mb']:.0f} | {LABELS[path]} | {m['seconds']:.2f} | "
                f"{m['seconds'] / floor:.1f} | {m.get('cpu_seconds', float('nan')):.1f} | "
                f"{m['rss_main_mib']:.0f} | {m['rss_worker_mib']:.0f} |"
            )
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {v} | {'yes' if ok else '**no**'} |" for t, v, ok in targets(results)]
    return "\n".join(lines) + "\n"


def targets(results: list[dict[str, Any]]) -> list[tuple[str, str, bool]]:
    """(target, measured value, met?) rows, computed at the largest N (and between the two largest)."""
    big = results[-1]
    n = f"{big['n']:,}"
    build, floor, naive = (big[k]["seconds"] for k in ("build_clean", "floor", "naive"))
    check = big["validate_clean"]["seconds"]
    rows = [
        (f"clean build <= 5x parse floor (N={n})", f"{build / floor:.1f}x", build <= 5 * floor),
        (f"stretch: clean build <= 4x parse floor (N={n})", f"{build / floor:.1f}x", build <= 4 * floor),
        (f"clean build >= 10x faster than naive (N={n})", f"{naive / build:.1f}x faster", naive >= 10 * build),
        (f"clean validate <= 3x parse floor (N={n})", f"{check / floor:.1f}x", check <= 3 * floor),
    ]
    for kind, share in (("build", 0.1), ("validate", 0.25)):
        inc, clean = big[f"{kind}_incremental"]["seconds"], big[f"{kind}_clean"]["seconds"]
        rows.append((f"incremental {kind} <= {share} of clean (N={n})", f"{inc / clean:.2f}", inc <= share * clean))
    if len(results) >= 2:
        small = results[-2]
        doublings = math.log2(big["n"] / small["n"]) if big["n"] > small["n"] else 1.0
        for path in ("build_clean", "validate_clean"):
            growth = big[path]["rss_main_mib"] / small[path]["rss_main_mib"]
            per_doubling = growth ** (1 / doublings)
            rows.append(
                (
                    f"{path.replace('_', ' ')}: peak RSS grows <= 1.3x per doubling of N",
                    f"{per_doubling:.2f}x per doubling ({small['n']:,} -> {big['n']:,}: {growth:.2f}x)",
                    per_doubling <= 1.3,
                )
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma-separated corpus sizes")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (50,100) for CI; no file unless --out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora go (default: a temp folder)")
    parser.add_argument("--out", type=Path, default=None, help="Markdown file to write (default docs/performance.md)")
    parser.add_argument(
        "--engines",
        action="store_true",
        help="only compare the clean build on the local pool and on Dask (alternating, --repeat times)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="--engines: runs of each engine")
    parser.add_argument("--measure", choices=[*PATHS, "build_dask"], help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        global CPU_AT_START
        import corpus_pkg.release.build  # noqa: F401  (imports are not part of the measurement)

        usage = resource.getrusage(resource.RUSAGE_SELF)
        CPU_AT_START = usage.ru_utime + usage.ru_stime
        print(json.dumps(measure(args.measure, args.root, args.to)))
        return 0
    sizes = [50, 100] if args.quick else [int(s) for s in args.sizes.split(",")]
    out = args.out if args.out or args.quick else REPO / "docs" / "performance.md"
    facts = machine_facts()
    if args.engines:
        return compare_engines(sizes, args, facts, out)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="corpus-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in sizes:
            results.append(bench_size(workdir, n, args.seed))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    text = render(results, facts, args.seed)
    print(text)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return 0


def compare_engines(sizes: list[int], args: argparse.Namespace, facts: list[str], out: Path | None) -> int:
    """Clean builds on the local pool and on Dask, alternating in one run (the machine is shared, so
    neighbours' load hits both alike); prints a table and replaces the engines section of ``out``."""
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="corpus-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for n in sizes:
            root = make_corpus(workdir, n, args.seed, reuse=True)
            runs: dict[str, list[float]] = {path: [] for path in ENGINE_PATHS}
            for i in range(args.repeat):
                for path in ENGINE_PATHS if i % 2 == 0 else reversed(ENGINE_PATHS):
                    shutil.rmtree(root / ".corpus_cache", ignore_errors=True)
                    runs[path].append(run_path(path, root, workdir / f"release-{path}-n{n}")["seconds"])
                    print(f"  N={n:>6} {path:<12} {runs[path][-1]:8.2f} s", file=sys.stderr, flush=True)
            rows.append((n, runs))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    text = render_engines(rows, facts, args.seed)
    print(text)
    if out:
        old = out.read_text(encoding="utf-8") if out.is_file() else ""
        if ENGINES_BEGIN in old and ENGINES_END in old:
            head, rest = old.split(ENGINES_BEGIN, 1)
            text = head + text + rest.split(ENGINES_END, 1)[1].lstrip("\n")
        else:
            text = old + ("\n" if old else "") + text
        out.write_text(text, encoding="utf-8")
    return 0


def render_engines(rows: list[tuple[int, dict[str, list[float]]]], facts: list[str], seed: int) -> str:
    """The engines section: each run's wall time, medians, and the Dask/local ratio per run pair."""
    lines = [
        ENGINES_BEGIN,
        "## Engines: local process pool vs Dask",
        "",
        f"Clean `corpus build` (empty caches) of `make_synthetic_corpus.py --seed {seed}` corpora, on the",
        "local process pool and with `--engine dask` (a LocalCluster of 2 worker processes, started and",
        "stopped inside the measured time), alternating in one run of `scripts/bench_build.py --engines`.",
        "",
        *facts,
        "",
        "| N | engine | runs (wall s) | median s | Dask / local (per pair) | median ratio |",
        "|---:|---|---|---:|---|---:|",
    ]
    for n, runs in rows:
        local, dask = runs["build_clean"], runs["build_dask"]
        ratios = [d / c for c, d in zip(local, dask)]
        for path, times in runs.items():
            pair = ", ".join(f"{r:.2f}" for r in ratios) if path == "build_dask" else ""
            median = f"{statistics.median(ratios):.2f}" if path == "build_dask" else ""
            lines.append(
                f"| {n:,} | {LABELS[path]} | {', '.join(f'{t:.1f}' for t in times)} | "
                f"{statistics.median(times):.2f} | {pair} | {median} |"
            )
    lines += [ENGINES_END, ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
