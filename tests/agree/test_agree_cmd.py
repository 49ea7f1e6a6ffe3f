"""corpus agree in a subprocess: text tables, JSON equal to the API, --annotators, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg.agree import compare_passes

from ..conftest import run_cli
from .cases import PASS_A, PASS_B, doc, make_corpus


@pytest.fixture
def root(tmp_path: Path) -> Path:
    only_rudd = doc(entities=[PASS_A["entities"][0]])
    return make_corpus(tmp_path / "c", gold=PASS_A, passes={"b": PASS_B, "c": only_rudd})


def test_text_tables(root: Path):
    proc = run_cli("agree", str(root), str(root / "passes" / "b"), "--per-doc")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1] == "Documents compared: 1 (d1)"
    assert (
        "| entities | 3 | 3 | 1 | 0.333 | 0.333 | 0.333 | 0.333 | 0.466 | span F1 0.667, label 0.500, link 1.000 |"
        in lines
    )
    assert (
        "| stance | 2 | 3 | 1 | 0.333 | 0.500 | 0.400 | 0.333 | 0.400 | pair F1 0.800, label 0.500, evidence 0.500 |"
        in lines
    )
    assert "| entities | PRODUCT | 0 | 2 | 0 | 0.000 | – | 0.000 |" in lines
    assert "Metadata differs (not scored): d1 outlet: A 'o', B 'Other Outlet'" in lines
    assert any(line.startswith("| d1 | numbers | 2 | 2 | 1 | 0.500 |") for line in lines)


def test_json_is_the_api_report(root: Path):
    proc = run_cli("agree", str(root), str(root / "passes" / "b"), "--format", "json", "--layer", "entities")
    data = json.loads(proc.stdout)
    assert data == json.loads(json.dumps(compare_passes(root, root / "passes" / "b", ["entities"]).to_dict()))
    assert set(data) >= {"entities"} and "stance" not in data


def test_annotators_two_and_more(root: Path):
    two = json.loads(run_cli("agree", "--annotators", "gold,b", "--format", "json", "--root", str(root)).stdout)
    assert two["pass_a"] == "gold" and two["entities"]["f1"] == pytest.approx(1 / 3)
    proc = run_cli("agree", "--annotators", "gold,b,c", "--layer", "entities", "--root", str(root))
    lines = proc.stdout.splitlines()
    assert "| gold | · | 0.333 | 0.500 |" in lines and "| c | 0.500 | 0.500 | · |" in lines
    data = json.loads(run_cli("agree", "--annotators", "gold,b,c", "--format", "json", "--root", str(root)).stdout)
    assert data["matrix"]["entities"]["b"]["c"] == 0.5 and len(data["pairs"]) == 3


def test_usage_errors(root: Path):
    proc = run_cli("agree", str(root))
    assert proc.returncode == 2 and "give two passes" in proc.stderr
    proc = run_cli("agree", "--annotators", "gold,zz", "--root", str(root))
    assert proc.returncode == 1 and "annotator 'zz' has no pass" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("agree", str(root), str(root), "--layer", "segments")
    assert proc.returncode == 1 and "unknown layer" in proc.stderr
