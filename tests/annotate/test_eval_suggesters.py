"""scripts/eval_suggesters.py on the real gold corpus: the floors hold and docs/suggesters.md is current."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "eval_suggesters.py"

_spec = importlib.util.spec_from_file_location("eval_suggesters", SCRIPT)
eval_suggesters = importlib.util.module_from_spec(_spec)
sys.modules["eval_suggesters"] = eval_suggesters
_spec.loader.exec_module(eval_suggesters)


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    return {s.suggester: s for s in eval_suggesters.evaluate(REPO, "registry-ruler")}


def test_floors_on_the_seed_articles(scores) -> None:
    registry = scores["registry"]
    assert registry.gold >= 200  # every registry-linked gold mention of the five articles is scored
    assert registry.precision >= 0.85 and registry.recall >= 0.75
    quotes = scores["quotes"]
    assert quotes.gold == 9  # the direct quotes of the gold corpus
    assert quotes.recall >= 0.8  # found
    assert quotes.extra >= 0.6  # right speaker entity among those found
    machine_only = scores["registry + quotes"]
    assert machine_only.recall >= 0.8 and machine_only.extra >= 0.6


def test_doc_table_matches_a_fresh_run(scores) -> None:
    fresh = eval_suggesters.table(list(scores.values()))
    assert eval_suggesters.doc_table() == fresh, (
        "docs/suggesters.md is stale: run python scripts/eval_suggesters.py --spacy-model registry-ruler --write-doc"
    )


def test_script_leaves_the_corpus_alone_and_prints_json() -> None:
    before = {p: p.read_bytes() for p in (REPO / "annotations").glob("*.json")}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(REPO), "--json"], capture_output=True, text=True, check=True
    )
    rows = json.loads(result.stdout)
    assert [r["suggester"] for r in rows] == ["registry", "registry (leave one out)", "quotes", "registry + quotes"]
    assert all(0.0 <= r["precision"] <= 1.0 and 0.0 <= r["recall"] <= 1.0 for r in rows)
    assert {p: p.read_bytes() for p in (REPO / "annotations").glob("*.json")} == before
