"""croissant.json passes mlcroissant's validator and its records match the Parquet rows."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import mlcroissant as mlc

from corpus_pkg.release.croissant import sha256_file
from corpus_pkg.tables.features import CONFIG_NAMES


def test_mlcroissant_validate_cli_accepts_it(rich_release: Path) -> None:
    exe = Path(sys.executable).parent / "mlcroissant"
    result = subprocess.run(
        [str(exe), "validate", "--jsonld", str(rich_release / "croissant.json")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()


def test_one_record_set_per_config_and_checksummed_files(rich_release: Path) -> None:
    doc = json.loads((rich_release / "croissant.json").read_text(encoding="utf-8"))
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1" and doc["version"] == "0.1.0"
    assert [rs["@id"] for rs in doc["recordSet"]] == list(CONFIG_NAMES)
    files = [d for d in doc["distribution"] if d["@type"] == "cr:FileObject"]
    parquet = sorted(p.relative_to(rich_release).as_posix() for p in rich_release.glob("data/*/*.parquet"))
    assert sorted(f["contentUrl"] for f in files) == parquet
    for f in files:
        assert f["sha256"] == sha256_file(rich_release / f["contentUrl"])
    label = next(f for f in doc["recordSet"][1]["field"] if f["name"] == "label")
    assert label["description"].startswith("Class label index: 0=PERSON, 1=NORP")


def test_mlcroissant_reads_the_records(rich_release: Path, load_release) -> None:
    dataset = mlc.Dataset(str(rich_release / "croissant.json"))
    records = list(itertools.islice(dataset.records("entities"), 100))
    hf = load_release(rich_release, "entities", split="train")
    assert [r["entities/mention_id"].decode() for r in records] == hf["mention_id"]
    assert [int(r["entities/start"]) for r in records] == hf["start"]
