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


def test_card_and_croissant_report_the_measured_agreement(releases: tuple[Path, Path]):
    with_passes, without = releases
    card = (with_passes / "README.md").read_text(encoding="utf-8")
    section = card[card.index("## Inter-annotator agreement") : card.index("## Limitations")]
    # the hand-computed figures of test_compare.py (entities F1 1/3, kappa 1/3, token alpha 118/253)
    assert "| a | b | 1 | entities | 3 | 3 | 1 | 0.333 | 0.333 | 0.466 |" in section
    assert "| a | b | 1 | stance | 2 | 3 | 1 | 0.400 | 0.333 | 0.400 |" in section
    croissant = json.loads((with_passes / "croissant.json").read_text(encoding="utf-8"))
    assert croissant["rai:annotationsPerItem"].startswith("2 independent passes on 1 of 1 documents")
    assert "entities F1 0.333 (same span and label)" in croissant["rai:dataAnnotationAnalysis"]
    assert "passes/<annotator>/" in croissant["rai:dataAnnotationProtocol"]
    assert croissant["@context"]["rai"] == "http://mlcommons.org/croissant/RAI/"
    plain = json.loads((without / "croissant.json").read_text(encoding="utf-8"))
    assert "rai:dataAnnotationAnalysis" not in plain
    assert "No agreement study is recorded" in (without / "README.md").read_text(encoding="utf-8")


def test_croissant_with_agreement_passes_mlcroissant(releases: tuple[Path, Path]):
    import mlcroissant as mlc  # in the dev extra

    dataset = mlc.Dataset(jsonld=str(releases[0] / "croissant.json"))
    assert dataset.metadata.name
