"""A release never ships a pass as gold, and reports the agreement measured from the passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus_pkg.release.build import build

from .cases import PASS_A, PASS_B, make_corpus


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same corpus built with and without passes/."""
    base = tmp_path_factory.mktemp("rel")
    with_passes = make_corpus(base / "with", gold=PASS_A, passes={"a": PASS_A, "b": PASS_B})
    without = base / "without"
    shutil.copytree(with_passes, without, ignore=shutil.ignore_patterns("passes"))
    out_with = build(with_passes, out=base / "out-with", cache=False).out
    out_without = build(without, out=base / "out-without", cache=False).out
    return Path(out_with), Path(out_without)


def test_passes_are_never_shipped(releases: tuple[Path, Path]):
    with_passes, without = releases
    data = sorted(p.relative_to(with_passes) for p in with_passes.rglob("*.parquet"))
    assert data and data == sorted(p.relative_to(without) for p in without.rglob("*.parquet"))
    for rel in data:
        assert (with_passes / rel).read_bytes() == (without / rel).read_bytes(), rel
    assert not any("passes" in p.parts for p in with_passes.rglob("*"))
