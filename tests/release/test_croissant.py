"""croissant.json passes mlcroissant's validator and its records match the Parquet rows."""

from __future__ import annotations

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
    configs = [rs["@id"] for rs in doc["recordSet"] if rs.get("dataType") != "sc:Enumeration"]
    assert configs == list(CONFIG_NAMES)
    files = [d for d in doc["distribution"] if d["@type"] == "cr:FileObject"]
    parquet = sorted(p.relative_to(rich_release).as_posix() for p in rich_release.glob("data/*/*.parquet"))
    assert sorted(f["contentUrl"] for f in files) == parquet
    for f in files:
        assert f["sha256"] == sha256_file(rich_release / f["contentUrl"])
    label = next(f for f in doc["recordSet"][1]["field"] if f["name"] == "label")
    assert label["description"].startswith("Class label index: 0=PERSON, 1=NORP")
    # label names as machine-readable enumerations, referenced by the ClassLabel columns
    assert label["references"] == {"field": {"@id": "entity_labels/index"}}
    enum = next(rs for rs in doc["recordSet"] if rs["@id"] == "entity_labels")
    assert enum["dataType"] == "sc:Enumeration"
    assert [row["entity_labels/name"] for row in enum["data"]][:2] == ["PERSON", "NORP"]
    # doc_id and entity ids link record sets
    by_id = {rs["@id"]: rs for rs in doc["recordSet"]}
    assert by_id["documents"]["key"] == {"@id": "documents/doc_id"}
    for name in ("entities", "quotes", "numbers", "stance", "ner", "full"):
        doc_id = next(f for f in by_id[name]["field"] if f["name"] == "doc_id")
        assert doc_id["references"] == {"field": {"@id": "documents/doc_id"}}, name
    speaker = next(f for f in by_id["quotes"]["field"] if f["name"] == "speaker_entity_id")
    assert speaker["references"] == {"field": {"@id": "registry/entity_id"}}


RAI_FIELDS = (
    "rai:dataCollection",
    "rai:dataCollectionTimeframe",
    "rai:dataAnnotationProtocol",
    "rai:dataAnnotationPlatform",
    "rai:annotationsPerItem",
    "rai:dataAnnotationAnalysis",
    "rai:personalSensitiveInformation",
    "rai:dataBiases",
    "rai:dataLimitations",
    "rai:dataUseCases",
    "rai:dataReleaseMaintenancePlan",
)


def test_repo_release_has_rai_and_citation_from_corpus_json(tmp_path: Path) -> None:
    from corpus_pkg.release.build import build
    from tests.conftest import REPO

    release = build(REPO, tmp_path / "release", cache=False).out
    doc = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    config = json.loads((REPO / "corpus.json").read_text(encoding="utf-8"))
    for key in RAI_FIELDS:
        assert doc.get(key), key
    assert doc["rai:dataBiases"] == config["rai"]["data_biases"]
    # measured from passes/annotator-a and passes/annotator-b at build time (docs/agreement.md)
    assert "stance F1 0.933 (same holder, target and label), kappa 0.946" in doc["rai:dataAnnotationAnalysis"]
    assert doc["rai:annotationsPerItem"].startswith("2 independent passes on 5 of 5 documents")
    assert doc["rai:dataAnnotationProtocol"].startswith(config["rai"]["data_annotation_protocol"])
    assert "passes/<annotator>/" in doc["rai:dataAnnotationProtocol"]
    published = sorted(
        json.loads(p.read_text(encoding="utf-8"))["meta"].get("published") or "9999"
        for p in (REPO / "annotations").glob("*.json")
    )
    dated = [d for d in published if d != "9999"]
    assert doc["rai:dataCollectionTimeframe"] == [dated[0], dated[-1]]  # computed from the articles
    assert doc["datePublished"] == config["date_published"]
    assert doc["creator"][0]["name"] == config["creators"][0]["name"]
    assert doc["publisher"]["name"] == config["publisher"]["name"]
    assert doc["citeAs"].startswith("@misc{") and f"version = {{{config['version']}}}" in doc["citeAs"]
    card = (release / "README.md").read_text(encoding="utf-8")
    assert f"Publication dates range from {dated[0]} to {dated[-1]}" in card
    assert doc["citeAs"] in card and "```bibtex" in card
    # rights: what is licensed how, and the other sections the ecosystem expects, from corpus.json
    assert f"licensed under **{config['license']}**" in card and config["rights"]["text"] in card
    assert "## Personal and sensitive information\n\n" + config["rai"]["personal_sensitive_information"] in card
    assert config["rai"]["data_biases"] in card and config["rai"]["data_use_cases"] in card
    assert "## Maintainers and contact" in card and config["maintainers"][0]["name"] in card
    for target in config["stance_targets"]:
        assert f"| `{target['id']}` | {target['description']} |" in card
    for record_set in doc["recordSet"]:  # every config of the real release, `full` included
        if record_set.get("dataType") != "sc:Enumeration":
            assert _records(release, record_set["@id"]), record_set["@id"]


def _records(release: Path, record_set: str) -> list[dict]:
    """Records of one record set, from a Dataset of its own: mlcroissant 1.1 keeps operation outputs in
    memory across ``records()`` calls of one Dataset, and with ``references`` between record sets a
    second call can come back empty."""
    return list(mlc.Dataset(str(release / "croissant.json")).records(record_set))


def test_mlcroissant_reads_every_record_set(rich_release: Path, load_release) -> None:
    doc = json.loads((rich_release / "croissant.json").read_text(encoding="utf-8"))
    for record_set in doc["recordSet"]:
        name = record_set["@id"]
        records = _records(rich_release, name)
        if record_set.get("dataType") == "sc:Enumeration":
            assert len(records) == len(record_set["data"]), name
            continue
        key = "entity_id" if name == "registry" else "doc_id"
        hf_ids = [i for split in load_release(rich_release, name).values() for i in split[key]]
        assert sorted(r[f"{name}/{key}"].decode() for r in records) == sorted(hf_ids), name
    records = _records(rich_release, "entities")
    hf = load_release(rich_release, "entities", split="train")
    assert [r["entities/mention_id"].decode() for r in records] == hf["mention_id"]
    assert [int(r["entities/start"]) for r in records] == hf["start"]
    # the doubly nested quote fragments of `full` come through with their offsets
    full = next(r for r in _records(rich_release, "full") if r["full/doc_id"] == b"doc2")
    fragments = full["full/quotes/fragments"]
    hf_full = next(r for r in load_release(rich_release, "full", split="train") if r["doc_id"] == "doc2")
    assert [list(map(int, x)) for x in fragments["full/quotes/fragments/start"]] == [
        q["fragments"]["start"] for q in hf_full["quotes"]
    ]
