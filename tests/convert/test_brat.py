"""brat import/export on the real files in ../shared/interop/brat and on our own corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg.convert import export_corpus, import_corpus
from corpus_pkg.corpus import Corpus, CorpusError
from corpus_pkg.validate import validate

from .helpers import fresh_corpus, non_ascii_corpus, signature

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


def _codes(report) -> list[str]:
    return [w.code for w in report.warnings]


def test_brat_tutorial_imports_entities_and_reports_every_other_line(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("brat", interop / "brat" / "brat_tutorial_news", root=root)
    assert report.valid and validate(root).valid
    assert report.documents == ["000-introduction", "060-relation_annotation"]
    # annotation.conf [entities] is adopted as the label set
    assert report.adopted_labels == ["Person", "Organization", "GPE", "Money"]
    assert Corpus.at(root).config.entity_label_names == ["Person", "Organization", "GPE", "Money"]
    corpus = Corpus.at(root)
    intro = corpus.read_annotations("000-introduction")
    # 7 T lines, of which T3 is the trigger of the Transfer-money event: 6 mentions
    assert [e.id for e in intro.entities] == ["T1", "T2", "T4", "T5", "T6", "T7"]
    money = next(e for e in intro.entities if e.id == "T2")
    assert (money.label, money.text, money.note, money.source) == ("Money", "$100 million", "100000000 USD", "brat:T2")
    salinas = next(e for e in intro.entities if e.id == "T5")
    assert "Wikipedia:64488 Carlos Salinas de Gortari" in salinas.note
    assert all(e.origin == "imported" for e in intro.entities)
    assert len(corpus.read_annotations("060-relation_annotation").entities) == 10
    lost = [w for w in report.warnings if w.code == "not-representable"]
    intro_lines = next(w.lines for w in lost if w.doc_id == "000-introduction")
    assert len(intro_lines) == 9  # E1 + its trigger T3 + R2 + R1 + A1..A5
    assert any(line.startswith("E1\tTransfer-money:T3") for line in intro_lines)
    assert any(line.startswith("A5\tConfidence E1 High") for line in intro_lines)
    rel_lines = next(w.lines for w in lost if w.doc_id == "060-relation_annotation")
    assert "*\tAlias T3 T4 T5" in rel_lines
    assert "normalization-kept-in-note" in _codes(report)
    # raw text is a byte-exact copy
    src = (interop / "brat" / "brat_tutorial_news" / "000-introduction.txt").read_bytes()
    assert corpus.raw_path("000-introduction").read_bytes() == src


def test_conll2002_esp_spans_land_on_accented_text(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("brat", interop / "brat" / "conll2002_esp", root=root)
    assert report.valid
    assert report.documents == ["esp-train-doc-989"]  # the '.' of the stem is not allowed in ids
    doc = Corpus.at(root).read_document("esp-train-doc-989")
    ents = {e.id: e for e in doc.annotations.entities}
    assert len(ents) == 34
    assert ents["T4"].text == "Abierto de España Villa de Madrid"
    assert ents["T22"].text == "María Antonia Sánchez Lorenzo"
    assert ents["T34"].text == "Martina"
    assert all(doc.text[e.start : e.end] == e.text for e in ents.values())
    assert {e.label for e in ents.values()} == {"PER", "ORG", "LOC", "MISC"}
    assert report.warnings == []


def test_polnear_attributions_become_quotes_with_speakers(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("brat", interop / "brat" / "polnear", root=root)
    assert report.valid
    (doc_id,) = report.documents
    doc = Corpus.at(root).read_document(doc_id)
    quotes = {q.id: q for q in doc.annotations.quotes}
    assert sorted(quotes) == [f"E{i}" for i in range(1, 8)]
    assert doc.annotations.entities == []  # Source/Cue/Content/Attribution are all consumed
    multi = {qid: q for qid, q in quotes.items() if len(q.fragments) > 1}
    assert sorted(multi) == ["E3", "E4", "E5"]  # T9, T16 and T15
    assert [(f.start, f.end) for f in quotes["E3"].fragments] == [(315, 448), (463, 553)]
    assert quotes["E3"].fragments[1].text.startswith("“Yesterday")
    assert quotes["E3"].cue.text == "said"
    assert all(q.speaker.type == "nominal" for q in quotes.values())
    assert quotes["E2"].speaker.text == "longtime Democratic pollster Pat Caddell"
    # T18 is the source of two events
    assert quotes["E4"].speaker == quotes["E7"].speaker
    assert quotes["E4"].speaker.text == "Caddell"
    assert quotes["E3"].kind == "direct" and quotes["E2"].kind == "indirect"
    assert "quote-kind-guessed" in _codes(report)
    for q in quotes.values():
        assert all(doc.text[f.start : f.end] == f.text for f in q.fragments)


@pytest.mark.parametrize("source", ["mini", "non_ascii"])
def test_round_trip_export_import_export(source: str, tmp_path: Path) -> None:
    src = MINI if source == "mini" else non_ascii_corpus(tmp_path)
    first = export_corpus("brat", tmp_path / "brat1", root=src)
    assert first.files[-1] == "annotation.conf"
    back = fresh_corpus(tmp_path, "back")
    report = import_corpus("brat", tmp_path / "brat1", root=back)
    assert report.valid
    assert signature(back) == signature(src)
    export_corpus("brat", tmp_path / "brat2", root=back)
    for path in sorted((tmp_path / "brat1").iterdir()):
        again = (tmp_path / "brat2" / path.name).read_bytes()
        if path.suffix == ".ann":  # registry links of the source corpus become notes in an empty registry
            drop = ("N", "#")
            keep = [ln for ln in path.read_text().splitlines() if not ln.startswith(drop)]
            assert keep == [ln for ln in again.decode().splitlines() if not ln.startswith(drop)]
        else:
            assert again == path.read_bytes(), path.name


def test_export_writes_our_convention(tmp_path: Path) -> None:
    export_corpus("brat", tmp_path / "out", root=MINI)
    ann = (tmp_path / "out" / "doc1.ann").read_text(encoding="utf-8").splitlines()
    assert "T3\tQuote 12 24\tWe will act," in ann
    assert "E1\tQuote:T3 Cue:T4 Speaker:T1" in ann
    assert "#1\tAnnotatorNotes T5\t90000 posts" in ann
    assert "N2\tReference T1 Wikidata:Q28962\tAmber Rudd" in ann
    assert "#2\tAnnotatorNotes R1\ttarget=platform_action label=favor" in ann
    assert (tmp_path / "out" / "doc1.txt").read_bytes() == (MINI / "raw" / "doc1.txt").read_bytes()


def test_discontinuous_quote_offsets_after_emoji(tmp_path: Path) -> None:
    src = non_ascii_corpus(tmp_path)
    export_corpus("brat", tmp_path / "out", root=src)
    ann = (tmp_path / "out" / "emoji.ann").read_text(encoding="utf-8")
    text = (tmp_path / "out" / "emoji.txt").read_text(encoding="utf-8")
    line = next(ln for ln in ann.splitlines() if "\tQuote " in ln)
    offsets = line.split("\t")[1].split(" ", 1)[1]
    (s1, e1), (s2, e2) = (map(int, f.split()) for f in offsets.split(";"))
    assert (text[s1:e1], text[s2:e2]) == ("We will act,", "and we will not wait.")


def test_normalization_resolves_to_registry(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "d.txt").write_text("Amber Rudd spoke.\n", encoding="utf-8")
    (src / "d.ann").write_text(
        "T1\tPERSON 0 10\tAmber Rudd\nN1\tReference T1 Wikidata:Q28962\tAmber Rudd\n", encoding="utf-8"
    )
    root = tmp_path / "c"
    import shutil

    shutil.copytree(MINI, root)
    for sub in ("raw", "annotations"):
        for f in (root / sub).iterdir():
            f.unlink()
    report = import_corpus("brat", src, root=root)
    assert report.valid
    (mention,) = Corpus.at(root).read_annotations("d").entities
    assert mention.entity_id == "amber_rudd"
    assert mention.note is None


def test_missing_labels_fail_before_writing(tmp_path: Path, interop: Path) -> None:
    root = fresh_corpus(tmp_path, labels=["PERSON", "ORG"])
    before = (root / "corpus.json").read_bytes()
    with pytest.raises(CorpusError) as err:
        import_corpus("brat", interop / "brat" / "conll2002_esp", root=root)
    message = str(err.value)
    assert "PER, LOC, MISC" in message or all(x in message for x in ("PER", "LOC", "MISC"))
    assert "--label-map" in message and "nothing was written" in message
    assert (root / "corpus.json").read_bytes() == before
    assert list((root / "raw").iterdir()) == [] and list((root / "annotations").iterdir()) == []


def test_label_map_maps_and_drops(tmp_path: Path, interop: Path) -> None:
    root = fresh_corpus(tmp_path, labels=["PERSON", "ORG", "GPE"])
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"PER": "PERSON", "LOC": "GPE", "MISC": None}), encoding="utf-8")
    report = import_corpus("brat", interop / "brat" / "conll2002_esp", root=root, label_map=mapping)
    assert report.valid
    ents = Corpus.at(root).read_annotations("esp-train-doc-989").entities
    assert {e.label for e in ents} == {"PERSON", "ORG", "GPE"}
    assert len(ents) == 34 - 5  # 5 MISC mentions dropped, and reported
    (dropped,) = [w for w in report.warnings if w.code == "label-dropped"]
    assert len(dropped.lines) == 5


def test_taken_document_id_fails_before_writing(tmp_path: Path, interop: Path) -> None:
    root = fresh_corpus(tmp_path)
    import_corpus("brat", interop / "brat" / "polnear", root=root)
    with pytest.raises(CorpusError, match="already in the corpus"):
        import_corpus("brat", interop / "brat" / "polnear", root=root)
    report = import_corpus("brat", interop / "brat" / "polnear", root=root, id_prefix="again-")
    assert report.documents[0].startswith("again-breitbart")


def test_unreadable_lines_and_bad_offsets_are_reported(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "d.txt").write_text("Hello World\n", encoding="utf-8")
    (src / "d.ann").write_text(
        "T1\tORG 0 5\tHello\nT2\tORG 6 11\tWrong\nT3\tORG 6 99\tWorld\n\nX9\tsomething\n", encoding="utf-8"
    )
    root = fresh_corpus(tmp_path)
    report = import_corpus("brat", src, root=root)
    assert report.valid
    assert [e.id for e in Corpus.at(root).read_annotations("d").entities] == ["T1"]
    lines = [ln for w in report.warnings for ln in w.lines]
    assert any(ln.startswith("T2\t") and "'World'" in ln for ln in lines)
    assert any(ln.startswith("T3\t") and "not a range inside the text" in ln for ln in lines)
    assert "X9\tsomething" in lines


def test_cli_import_and_export(cli, tmp_path: Path, interop: Path) -> None:
    root = fresh_corpus(tmp_path)
    result = cli("import", "brat", str(interop / "brat" / "polnear"), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported 1 document(s) (brat): 0 entities, 0 numbers, 7 quotes, 0 stance\n")
    assert "corpus validates" in result.stdout
    out = tmp_path / "out"
    result = cli("export", "brat", "--out", str(out), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".ann", ".conf", ".txt"]
    again = cli("export", "brat", "--out", str(out), "--root", str(root))
    assert again.returncode == 1
    assert again.stderr.startswith("Error: ") and "--overwrite" in again.stderr
    missing = cli("import", "brat", str(tmp_path / "nope"), "--root", str(root))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_unsafe_id_prefix_is_refused(tmp_path: Path, interop: Path) -> None:
    root = fresh_corpus(tmp_path)
    with pytest.raises(CorpusError, match="id-prefix"):
        import_corpus("brat", interop / "brat" / "polnear", root=root, id_prefix="../")
    assert list((root / "raw").iterdir()) == []


def test_crlf_text_is_kept_byte_exact_and_offsets_count_cr(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    data = "Title\r\nAmber Rudd said “yes”.\r\n".encode()
    (src / "d.txt").write_bytes(data)
    (src / "d.ann").write_bytes(b"T1\tPERSON 7 17\tAmber Rudd\r\nT2\tPERSON 7 18\tAmber Rudd \r\n")
    root = fresh_corpus(tmp_path)
    report = import_corpus("brat", src, root=root)
    assert report.valid
    assert Corpus.at(root).raw_path("d").read_bytes() == data
    mentions = Corpus.at(root).read_annotations("d").entities
    assert [(m.start, m.end, m.text) for m in mentions] == [(7, 17, "Amber Rudd"), (7, 18, "Amber Rudd ")]


def test_round_trip_with_the_registry_is_byte_identical(tmp_path: Path) -> None:
    export_corpus("brat", tmp_path / "brat1", root=MINI)
    back = fresh_corpus(tmp_path, "back")
    (back / "entities.json").write_bytes((MINI / "entities.json").read_bytes())
    report = import_corpus("brat", tmp_path / "brat1", root=back)
    assert report.valid
    assert "normalization-kept-in-note" not in _codes(report)
    assert [e.entity_id for e in Corpus.at(back).read_annotations("doc1").entities] == ["amber_rudd", "isis"]
    export_corpus("brat", tmp_path / "brat2", root=back)
    for path in sorted((tmp_path / "brat1").iterdir()):
        assert (tmp_path / "brat2" / path.name).read_bytes() == path.read_bytes(), path.name
