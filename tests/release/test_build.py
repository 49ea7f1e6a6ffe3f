"""build(): real Parquet read back by real ``datasets.load_dataset``; determinism; atomicity."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from datasets import ClassLabel, Features, List, Value

from corpus_pkg.corpus import Corpus
from corpus_pkg.release.build import InvalidCorpusError, build
from corpus_pkg.release.verify import verify_release
from corpus_pkg.tables.features import CONFIG_NAMES, LabelSets, release_features
from tests.conftest import REPO

ENTITY_LABELS = ["PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"]


def tree_bytes(folder: Path) -> dict[str, str]:
    """release-relative path -> sha256 of every file."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def front_matter(release: Path) -> dict:
    text = (release / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_mini_release_layout(mini_release: Path) -> None:
    files = set(tree_bytes(mini_release))
    for config in CONFIG_NAMES:
        assert f"data/{config}/train-00000-of-00001.parquet" in files
    assert {"README.md", "croissant.json", "SHA256SUMS", "metadata/corpus.json", "metadata/entities.json"} <= files
    assert not any(name.endswith(".partial") for name in files)


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_every_config_loads_with_typed_features(mini_release: Path, load_release, config: str) -> None:
    ds = load_release(mini_release, config, split="train")
    expected = release_features(LabelSets.from_config(Corpus.at(REPO / "tests/data/mini").config))[config]
    assert ds.features == expected
    assert ds.num_rows >= 1
    # the features also travel inside every Parquet file, under the `huggingface` metadata key
    schema = pq.read_schema(mini_release / "data" / config / "train-00000-of-00001.parquet")
    assert b"huggingface" in schema.metadata
    assert Features.from_arrow_schema(schema) == expected


def test_mini_rows_have_the_annotated_values(mini_release: Path, load_release) -> None:
    ents = load_release(mini_release, "entities", split="train")
    assert ents.features["label"].names == ENTITY_LABELS
    assert [ents.features["label"].int2str(x) for x in ents["label"]] == ["PERSON", "ORG"]
    assert ents[0] | {"label": None, "origin": None} == {
        "doc_id": "doc1",
        "mention_id": "e1",
        "start": 31,
        "end": 41,
        "text": "Amber Rudd",
        "label": None,
        "entity_id": "amber_rudd",
        "entity_name": "Amber Rudd",
        "origin": None,
        "source": None,
    }
    quote = load_release(mini_release, "quotes", split="train")[0]
    assert (quote["text"], quote["speaker"], quote["speaker_entity_id"], quote["cue"]) == (
        "We will act,",
        "Amber Rudd",
        "amber_rudd",
        "said",
    )
    number = load_release(mini_release, "numbers", split="train")[0]
    assert (number["text"], number["value"], number["unit"]) == ("90,000", 90000.0, "posts")
    stance = load_release(mini_release, "stance", split="train")
    assert stance.features["label"].names == ["favor", "against", "neutral"]
    assert stance.features["target"].names == ["platform_action", "encryption_access"]
    assert (stance[0]["holder"], stance[0]["evidence_text"]) == ("Amber Rudd", "We will act,")
    doc = load_release(mini_release, "documents", split="train")[0]
    raw = (REPO / "tests/data/mini/raw/doc1.txt").read_text(encoding="utf-8")
    assert doc["text"] == raw
    assert doc["published"].isoformat() == "2017-08-01"


def test_ner_config_tokens_offsets_and_bio(mini_release: Path, load_release) -> None:
    ner = load_release(mini_release, "ner", split="train")
    tags = ner.features["ner_tags"]
    assert isinstance(tags, List) and isinstance(tags.feature, ClassLabel)
    assert tags.feature.names[:3] == ["O", "B-PERSON", "I-PERSON"]
    raw = (REPO / "tests/data/mini/raw/doc1.txt").read_text(encoding="utf-8")
    body = ner[1]
    for tok, start, end in zip(body["tokens"], body["token_starts"], body["token_ends"]):
        assert raw[start:end] == tok
    named = dict(zip(body["tokens"], (tags.feature.int2str(t) for t in body["ner_tags"])))
    assert (named["Amber"], named["Rudd"], named["ISIS"], named["said"]) == ("B-PERSON", "I-PERSON", "B-ORG", "O")
    assert "90,000" in body["tokens"]
    assert "Subscribe" not in sum(ner["tokens"], [])  # boilerplate is not tokenized


def test_rich_corpus_splits_origins_and_suggestions(rich_release: Path, load_release) -> None:
    docs = load_release(rich_release, "documents")
    assert sorted(docs) == ["test", "train"]
    assert docs["test"]["doc_id"] == ["doc3"]
    assert docs["train"]["doc_id"] == ["doc1", "doc2"]
    ents = load_release(rich_release, "entities", split="train")
    assert "m4" not in ents["mention_id"]  # origin=suggestion never enters a config
    origin = ents.features["origin"]
    assert origin.names == ["manual", "imported"]
    by_id = {row["mention_id"]: row for row in ents}
    assert origin.int2str(by_id["m2"]["origin"]) == "imported" and by_id["m2"]["source"] == "brat:T2"
    quotes = load_release(rich_release, "quotes", split="train")
    assert "q2" not in quotes["quote_id"]
    q1 = next(q for q in quotes if (q["doc_id"], q["quote_id"]) == ("doc2", "q1"))
    assert q1["text"] == "we remove content quickly within hours"
    assert [f["text"] for f in q1["fragments"]] == ["we remove content quickly", "within hours"]
    speaker_type = quotes.features["speaker_type"]
    assert (q1["speaker"], speaker_type.int2str(q1["speaker_type"]), q1["speaker_mention_id"]) == (
        "A spokesman",
        "nominal",
        None,
    )
    stance = {
        row["stance_id"]: row for row in load_release(rich_release, "stance", split="train") if row["doc_id"] == "doc2"
    }
    assert (stance["s1"]["holder"], stance["s1"]["holder_entity_id"]) == ("Facebook", "facebook")
    assert stance["s1"]["evidence_text"] == "disagreed"
    # split-quote evidence: fragments carry the offsets; the flat columns stay null, so wherever
    # evidence_start/evidence_end are set, raw[evidence_start:evidence_end] == evidence_text
    assert stance["s2"]["evidence_text"] is None and stance["s2"]["evidence_start"] is None
    assert [f["text"] for f in stance["s2"]["evidence_fragments"]] == ["we remove content quickly", "within hours"]
    assert [f["text"] for f in stance["s1"]["evidence_fragments"]] == ["disagreed"]
    evidence_type = load_release(rich_release, "stance", split="train").features["evidence_type"]
    assert evidence_type.names == ["span", "quote"]
    # a config/split without rows is left out (datasets cannot load an empty split)
    assert sorted(load_release(rich_release, "entities")) == ["train"]


def test_misaligned_mention_is_reported_not_widened(rich_release: Path, load_release) -> None:
    doc2 = next(d for d in load_release(rich_release, "documents", split="train") if d["doc_id"] == "doc2")
    assert [s["mention_id"] for s in doc2["ner_skipped"]] == ["m3"]
    assert "does not align to token boundaries" in doc2["ner_skipped"][0]["reason"]
    ner = load_release(rich_release, "ner", split="train")
    names = ner.features["ner_tags"].feature
    rows_with_jane = [row for row in ner if "Jane" in row["tokens"]]
    assert len(rows_with_jane) == 1
    tagged = dict(zip(rows_with_jane[0]["tokens"], names.int2str(rows_with_jane[0]["ner_tags"])))
    # 'Jan' (m3) must not turn 'Jane' into a mention of its own
    assert (tagged["Jane"], tagged["Doe"]) == ("B-PERSON", "I-PERSON")
    assert (tagged["Facebook"], tagged["million"]) == ("B-ORG", "O")
    assert "doc2` `m3`: does not align" in (rich_release / "README.md").read_text(encoding="utf-8")


def test_card_front_matter_matches_the_data(rich_release: Path) -> None:
    meta = front_matter(rich_release)
    # annotations under the corpus license, third-party article text not: `other`, with both named
    assert meta["license"] == "other" and meta["license_name"] == "cc-by-4.0-annotations-third-party-text"
    assert meta["language"] == ["en"] and meta["version"] == "0.1.0"
    assert meta["annotations_creators"] == ["expert-generated"] and meta["language_creators"] == ["found"]
    assert meta["multilinguality"] == ["monolingual"] and meta["source_datasets"] == ["original"]
    assert "token-classification" in meta["task_categories"] and meta["size_categories"] == ["n<1K"]
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert list(configs) == list(CONFIG_NAMES)
    assert configs["documents"]["data_files"] == [
        {"split": "train", "path": ["data/documents/train-00000-of-00001.parquet"]},
        {"split": "test", "path": ["data/documents/test-00000-of-00001.parquet"]},
    ]
    features = release_features(LabelSets.from_config(Corpus.at(rich_release.parent / "corpus").config))
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    for name in CONFIG_NAMES:
        assert Features._from_yaml_list(infos[name]["features"]) == features[name]
    assert {s["name"]: s["num_examples"] for s in infos["ner"]["splits"]} == {"train": 4, "test": 2}


def test_card_prose_sections(rich_release: Path) -> None:
    card = (rich_release / "README.md").read_text(encoding="utf-8")
    for heading in ("## Sources", "## Annotation process", "## Annotation guidelines", "## Statistics",
                    "## Inter-annotator agreement", "## Limitations"):  # fmt: skip
        assert heading in card
    assert "| `PERSON` | 3 | 1 |" in card  # mentions and linked entities per label
    assert "| `platform_action` | 1 | 1 | 0 |" in card  # stance per target and label
    assert "| entities | 4 | 1 | 1 |" in card  # manual, imported, suggestions excluded


def test_card_quotes_guidelines_and_agreement(rich_corpus: Path, tmp_path: Path) -> None:
    (rich_corpus / "annotations" / "GUIDELINES.md").write_text(
        "# Guidelines\n\nMark every named person.\n\n## Entities\n\nText.\n\n## Quotes\n", encoding="utf-8"
    )
    (rich_corpus / "docs").mkdir()
    (rich_corpus / "docs" / "agreement.md").write_text("# Agreement\n\nKappa 0.81 on entities.\n", encoding="utf-8")
    out = build(rich_corpus, tmp_path / "rel").out
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "> Mark every named person." in card and "- Entities\n- Quotes\n" in card
    assert "Kappa 0.81 on entities." in card and "### Agreement" in card
    assert (out / "metadata" / "GUIDELINES.md").read_text(encoding="utf-8").startswith("# Guidelines")


def test_checksums_cover_every_file(rich_release: Path) -> None:
    assert verify_release(rich_release).ok
    listed = [line.split("  ")[1] for line in (rich_release / "SHA256SUMS").read_text().splitlines()]
    assert sorted(listed) == sorted(set(tree_bytes(rich_release)) - {"SHA256SUMS"})
    result = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=rich_release)
    assert result.returncode == 0


def test_build_is_byte_identical_twice(rich_source: Path, rich_release: Path, tmp_path: Path) -> None:
    again = build(rich_source, tmp_path / "again", row_group_size=1000).out
    assert tree_bytes(again) == tree_bytes(rich_release)


def test_build_does_not_depend_on_where_the_corpus_lives(rich_corpus: Path, rich_release: Path, tmp_path: Path) -> None:
    """A copy of the corpus at another path, built without the cache, gives the same bytes."""
    assert rich_corpus.resolve() != rich_release.parent.resolve()
    elsewhere = build(rich_corpus, tmp_path / "deep" / "other" / "release", cache=False).out
    assert tree_bytes(elsewhere) == tree_bytes(rich_release)


def test_row_groups_and_shards(rich_corpus: Path, tmp_path: Path, load_release) -> None:
    out = build(rich_corpus, tmp_path / "rel", row_group_size=2, docs_per_shard=1).out
    shards = sorted(p.name for p in (out / "data" / "entities").iterdir())
    # one shard per document of the split; a document without entities gives no file, not an empty one
    assert shards == ["train-00000-of-00002.parquet", "train-00001-of-00002.parquet"]
    first = pq.ParquetFile(out / "data" / "entities" / shards[0])
    assert [first.metadata.row_group(i).num_rows for i in range(first.metadata.num_row_groups)] == [2]
    second = pq.ParquetFile(out / "data" / "entities" / shards[1])
    assert [second.metadata.row_group(i).num_rows for i in range(second.metadata.num_row_groups)] == [2, 1]
    ents = load_release(out, "entities", split="train")
    assert ents["mention_id"] == ["e1", "e2", "m1", "m2", "m3"]  # fixed order: doc id, then file order
    assert not list(out.rglob("*.partial"))


def test_invalid_corpus_builds_nothing_and_keeps_the_old_release(rich_corpus: Path, tmp_path: Path) -> None:
    out = build(rich_corpus, tmp_path / "rel").out
    before = tree_bytes(out)
    path = rich_corpus / "annotations" / "doc2.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["label"] = "PER"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidCorpusError) as info:
        build(rich_corpus, out, overwrite=True)
    assert "undeclared-label" in info.value.report.to_text()
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rel", "rich"]  # no temp folders left behind
    with pytest.raises(InvalidCorpusError):
        build(rich_corpus, tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()


def test_existing_release_is_refused_then_swapped_with_overwrite(rich_corpus: Path, tmp_path: Path) -> None:
    out = build(rich_corpus, tmp_path / "rel", cache=False).out  # a previous release
    (out / "keep.txt").write_text("old", encoding="utf-8")
    with pytest.raises(FileExistsError, match="--overwrite"):
        build(rich_corpus, out)
    assert (out / "keep.txt").read_text(encoding="utf-8") == "old"
    build(rich_corpus, out, overwrite=True, cache=False)
    assert not (out / "keep.txt").exists() and (out / "README.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rel", "rich"]


def test_out_may_not_contain_the_corpus(rich_corpus: Path) -> None:
    with pytest.raises(Exception, match="would replace the corpus"):
        build(rich_corpus, rich_corpus.parent, overwrite=True)
    assert (rich_corpus / "corpus.json").is_file()


def test_real_corpus_builds_and_loads(tmp_path: Path, load_release) -> None:
    """The project's own five articles (annotated by the team) build into a loadable release."""
    out = build(REPO, tmp_path / "real").out
    config = Corpus.at(REPO).config
    features = release_features(LabelSets.from_config(config))
    for name in CONFIG_NAMES:
        if not (out / "data" / name).exists() or not any((out / "data" / name).iterdir()):
            continue
        ds = load_release(out, name)
        for split in ds.values():
            assert split.features == features[name]
    docs = load_release(out, "documents")
    assert sum(d.num_rows for d in docs.values()) == len(Corpus.at(REPO).doc_ids()) == 5
    ents = load_release(out, "entities", split="train")
    assert ents.features["label"].names == config.entity_label_names
    raw = {d: Corpus.at(REPO).read_raw(d) for d in Corpus.at(REPO).doc_ids()}
    for row in ents:
        assert raw[row["doc_id"]][row["start"] : row["end"]] == row["text"]


def test_value_types_in_parquet(mini_release: Path) -> None:
    schema = Features.from_arrow_schema(pq.read_schema(mini_release / "data/numbers/train-00000-of-00001.parquet"))
    assert schema["value"] == Value("float64") and schema["start"] == Value("int64")
    assert shutil.which("sha256sum")
