"""scripts/bench_build.py: the report's ratios and target verdicts (no benchmark is run here)."""

from __future__ import annotations

from tests.scaling.conftest import load_script


def fake(n: int, scale: float, rss: float) -> dict:
    seconds = {
        "floor": 1.0,
        "schema_floor": 3.0,
        "write_floor": 2.0,
        "naive": 30.0,
        "validate_clean": 8.0,
        "validate_incremental": 1.0,
        "build_clean": 10.0,
        "build_incremental": 3.0,
    }
    out = {"n": n, "corpus_mb": n / 30}
    for path, s in seconds.items():
        out[path] = {"seconds": s * scale, "cpu_seconds": 1.5 * s * scale, "rss_main_mib": rss, "rss_worker_mib": 50.0}
    return out


def test_targets_and_table() -> None:
    bench = load_script("bench_build")
    results = [fake(5000, 1.0, 200.0), fake(20000, 4.0, 260.0)]
    verdicts = {target: (value, ok) for target, value, ok in bench.targets(results)}
    assert verdicts["clean build <= 5x parse floor (N=20,000)"] == ("10.0x", False)
    assert verdicts["stretch: clean build <= 4x parse floor (N=20,000)"] == ("10.0x", False)
    assert verdicts["clean build >= 10x faster than naive (N=20,000)"] == ("3.0x faster", False)
    assert verdicts["clean validate <= 3x parse floor (N=20,000)"] == ("8.0x", False)
    assert verdicts["incremental build <= 0.1 of clean (N=20,000)"] == ("0.30", False)
    assert verdicts["incremental validate <= 0.25 of clean (N=20,000)"] == ("0.12", True)
    value, ok = verdicts["build clean: peak RSS grows <= 1.3x per doubling of N"]
    assert ok and value.startswith("1.14x per doubling")  # 1.3x over two doublings
    text = bench.render(results, ["- Machine: test"], seed=1)
    assert "| 20,000 | 667 | `corpus build`, clean | 40.00 | 10.0 | 60.0 | 260 | 50 |" in text
    assert "| clean build <= 5x parse floor (N=20,000) | 10.0x | **no** |" in text
    assert "| 20,000 | 667 | schema floor (read + orjson + pydantic) | 12.00 | 3.0 | 18.0 | 260 | 50 |" in text
    rows = [line for line in text.splitlines() if line.startswith("| 20,000 |")]
    assert [r.split(" | ")[2] for r in rows][:3] == [
        "parse floor (read + orjson)",
        "schema floor (read + orjson + pydantic)",
        "naive (json + pydantic + Dataset.from_list)",
    ]
