"""A release never ships a pass as gold, and reports the agreement measured from the passes."""

from __future__ import annotations

import json
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


def test_remote_root_validates_passes_and_assignments(tmp_path: Path):
    """A corpus behind an fsspec URL (memory://, in process): its passes and assignments.json are
    mirrored and checked like a local corpus's."""
    import fsspec

    from corpus_pkg.validate import validate

    local = make_corpus(tmp_path / "c", gold=PASS_A, passes={"a": PASS_A, "b": PASS_B})
    broken = json.loads((local / "passes" / "b" / "d1.json").read_text(encoding="utf-8"))
    broken["entities"][0]["label"] = "NOPE"
    (local / "passes" / "b" / "d1.json").write_text(json.dumps(broken), encoding="utf-8")
    (local / "assignments.json").write_text(
        json.dumps({"annotators": ["a"], "overlap": 1, "documents": {"ghost": ["a"]}}), encoding="utf-8"
    )
    fs = fsspec.filesystem("memory")
    for path in sorted(local.rglob("*")):
        if path.is_file():
            fs.pipe_file(f"/agree-remote/{path.relative_to(local).as_posix()}", path.read_bytes())
    found = {(i.code, i.file) for i in validate("memory://agree-remote", cache=False, workers=1).issues}
    assert ("undeclared-label", "passes/b/d1.json") in found
    assert ("unresolved-reference", "assignments.json") in found
