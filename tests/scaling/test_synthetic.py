"""scripts/make_synthetic_corpus.py: valid, realistic, deterministic."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson

from corpus_pkg import validate
from corpus_pkg.corpus import Corpus
from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "make_synthetic_corpus.py"


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def test_synthetic_corpus_is_valid_with_zero_errors(synth_corpus: Path) -> None:
    report = validate(synth_corpus, cache=False)
    assert report.stats["documents"] == 40
    assert report.stats["errors"] == 0, report.to_text()
    # the only warnings are the deliberate machine pre-labels (docs 7, 27: one in twenty)
    assert Counter(i.code for i in report.issues) == {"unreviewed-suggestion": 2}


def test_articles_look_like_news(synth_corpus: Path) -> None:
    corpus = Corpus.at(synth_corpus)
    sizes, mentions, quotes, numbers, stance = [], [], [], [], []
    text = ""
    for doc in corpus.iter_documents():
        raw = corpus.raw_path(doc.doc_id).read_bytes()
        sizes.append(len(raw))
        text += doc.text
        ann = doc.annotations
        mentions.append(len(ann.entities))
        quotes.append(len(ann.quotes))
        numbers.append(len(ann.numbers))
        stance.append(len(ann.stance))
    assert all(3000 <= s <= 8192 for s in sizes), sizes
    assert 50 <= sum(mentions) / 40 <= 70
    assert 6 <= sum(quotes) / 40 <= 10
    assert 8 <= sum(numbers) / 40 <= 12
    assert 2 <= sum(stance) / 40 <= 3
    for needle in ("“", "”", "’", "é", "ü", "ø"):
        assert needle in text, needle
    assert any("\u0590" <= ch <= "\u05ff" for ch in text), "no Hebrew"
    assert any(ord(ch) > 0xFFFF for ch in text), "no astral (non-BMP) character"


def test_every_layer_and_reference_kind_is_used(synth_corpus: Path) -> None:
    seen: Counter[str] = Counter()
    for path in sorted((synth_corpus / "annotations").glob("*.json")):
        data = orjson.loads(path.read_bytes())
        seen.update(f"segment:{s['kind']}" for s in data["segments"])
        seen.update(f"origin:{e['origin']}" for e in data["entities"])
        seen.update("entity_id" for e in data["entities"] if "entity_id" in e)
        seen.update("unlinked-mention" for e in data["entities"] if "entity_id" not in e)
        for q in data["quotes"]:
            seen[f"quote:{q['kind']}"] += 1
            seen[f"speaker:{q['speaker']['type']}"] += 1
            seen[f"fragments:{len(q['fragments'])}"] += 1
            seen["cue"] += "cue" in q
        for n in data["numbers"]:
            seen[f"number:{n['kind']}"] += 1
            seen[f"qualifier:{n['qualifier']}"] += 1
        for s in data["stance"]:
            seen[f"holder:{s['holder']['type']}"] += 1
            seen[f"evidence:{s['evidence']['type']}"] += 1
            seen[f"label:{s['label']}"] += 1
            seen[f"target:{s['target']}"] += 1
    expected = (
        [f"segment:{k}" for k in ("title", "subtitle", "byline", "body", "caption", "boilerplate")]
        + [f"origin:{k}" for k in ("manual", "imported", "suggestion")]
        + ["entity_id", "unlinked-mention", "cue", "fragments:1", "fragments:2"]
        + [f"quote:{k}" for k in ("direct", "indirect", "mixed")]
        + [f"speaker:{k}" for k in ("mention", "nominal", "unknown")]
        + [f"number:{k}" for k in ("count", "money", "percent", "year", "duration", "ordinal", "age")]
        + [f"qualifier:{k}" for k in ("exact", "approximate", "lower_bound")]
        + [f"holder:{k}" for k in ("mention", "nominal", "entity")]
        + [f"evidence:{k}" for k in ("quote", "span")]
        + [f"label:{k}" for k in ("favor", "against", "neutral")]
        + ["target:platform_action", "target:encryption_access"]
    )
    missing = [k for k in expected if not seen[k]]
    assert not missing, missing


def test_same_seed_gives_byte_identical_output_whatever_the_workers(tmp_path: Path, synth) -> None:
    one = synth.make_corpus(tmp_path / "one", 30, seed=5, workers=1)
    result = run_script("--docs", "30", "--out", str(tmp_path / "two"), "--seed", "5", "--workers", "2")
    assert result.returncode == 0, result.stderr
    other = run_script("--docs", "30", "--out", str(tmp_path / "three"), "--seed", "6")
    assert other.returncode == 0, other.stderr
    first, second, third = tree_bytes(one), tree_bytes(tmp_path / "two"), tree_bytes(tmp_path / "three")
    assert len(first) == 2 + 2 * 30
    assert first == second
    assert first.keys() == third.keys()
    changed = [k for k in first if first[k] != third[k]]
    assert len(changed) > 50  # a different seed changes (nearly) every document


def test_script_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("data")
    result = run_script("--docs", "2", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "exists and is not empty" in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "data"
