"""`corpus stats`: counts per layer, label, origin and document; CLI JSON equals the API."""

from __future__ import annotations

import json
from pathlib import Path

from corpus_pkg.annotate.add import add_number
from corpus_pkg.annotate.stats import stats
from corpus_pkg.annotate.suggest import suggest_numbers


def test_stats_json_matches_api_on_mini(mini_corpus: Path, cli) -> None:
    result = cli("stats", "--format", "json", "--root", str(mini_corpus))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == json.loads(stats(mini_corpus).model_dump_json())
    assert data["documents"] == 1
    assert data["layers"]["entities"] == {"total": 2, "by_label": {"ORG": 1, "PERSON": 1}, "by_origin": {"manual": 2}}
    assert data["layers"]["stance"]["by_label"] == {"platform_action:favor": 1}
    assert data["per_document"] == {"doc1": {"characters": 85, "entities": 2, "quotes": 1, "numbers": 1, "stance": 1}}


def test_stats_text_counts_suggestions_separately(news: Path, cli) -> None:
    root = str(news)
    add_number(news, "rudd", "2017")
    suggest_numbers(news, "rudd", write=True)
    result = cli("stats", "--root", root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1 document(s), ") and lines[0].endswith(" 5 annotation(s)")
    assert ["numbers", "5", "1", "0", "4"] in [line.split() for line in lines]
    assert "numbers by kind: count 2, duration 1, percent 1, year 1" in lines
    assert any(line.split() == ["rudd", str(len((news / "raw" / "rudd.txt").read_text("utf-8"))), "0", "0", "5", "0"]
               for line in lines)  # fmt: skip


def test_stats_on_missing_corpus_is_an_error(tmp_path: Path, cli) -> None:
    result = cli("stats", "--root", str(tmp_path))
    assert result.returncode == 1 and "is not a corpus (no corpus.json)" in result.stderr
