"""`corpus reanchor`: spans follow the corrected raw text; what cannot be placed is listed, not guessed."""

from __future__ import annotations

import json
from pathlib import Path

from corpus_pkg.annotate.add import add_quote
from corpus_pkg.validate import validate

from .conftest import load, raw

INSERT = "(עברית 🎉 “inserted”) "


def _edit(root: Path, doc_id: str, old: str, new: str) -> None:
    path = root / "raw" / f"{doc_id}.txt"
    text = path.read_bytes().decode("utf-8")
    assert text.count(old) == 1
    path.write_bytes(text.replace(old, new).encode("utf-8"))


def _all_spans_match(root: Path, doc_id: str) -> None:
    text, ann = raw(root, doc_id), load(root, doc_id)
    spans = [*ann["segments"], *ann["entities"], *ann["numbers"]]
    for quote in ann["quotes"]:
        spans += [*quote["fragments"], *([quote["cue"]] if "cue" in quote else [])]
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"], span


def test_insertion_before_spans_moves_them(mini_corpus: Path, cli) -> None:
    before = load(mini_corpus, "doc1")
    _edit(mini_corpus, "doc1", "ISIS posted", INSERT + "ISIS posted")
    result = cli("reanchor", "doc1", "--root", str(mini_corpus))
    assert result.returncode == 0, result.stdout + result.stderr
    after = load(mini_corpus, "doc1")
    shift = len(INSERT)  # code points, not bytes
    assert [(e["start"], e["end"]) for e in after["entities"]] == [(31, 41), (43 + shift, 47 + shift)]
    assert (after["numbers"][0]["start"], after["numbers"][0]["end"]) == (55 + shift, 61 + shift)
    assert after["quotes"] == before["quotes"]  # before the insertion: unchanged
    assert after["segments"][1]["end"] == 68 + shift and after["segments"][2]["start"] == 70 + shift
    assert "moved    e2 entities[1] 'ISIS' [43:47] -> " in result.stdout
    assert f"updated {mini_corpus}/annotations/doc1.json (4 moved, 4 unchanged, 0 could not be placed" in result.stdout
    _all_spans_match(mini_corpus, "doc1")
    assert validate(str(mini_corpus)).valid


def test_unplaceable_span_is_listed_and_file_left_unchanged(mini_corpus: Path, cli) -> None:
    _edit(mini_corpus, "doc1", "said Amber Rudd. ISIS posted", "said Amber Rudd. " + INSERT + "Daesh posted")
    ann_path = mini_corpus / "annotations" / "doc1.json"
    before = ann_path.read_bytes()
    result = cli("reanchor", "doc1", "--root", str(mini_corpus))
    assert result.returncode == 1
    assert "UNPLACED e2 entities[1] 'ISIS' was [43:47]: its text no longer occurs in the raw text" in result.stdout
    assert "left unchanged" in result.stdout and "pass --partial" in result.stdout
    assert ann_path.read_bytes() == before

    result = cli("reanchor", "doc1", "--partial", "--root", str(mini_corpus))
    assert result.returncode == 1
    assert "updated" in result.stdout
    after = load(mini_corpus, "doc1")
    assert after["entities"][1] == json.loads(before)["entities"][1]  # kept as it was, for a human to fix
    text = raw(mini_corpus, "doc1")
    assert text[after["numbers"][0]["start"] : after["numbers"][0]["end"]] == "90,000"
    report = validate(mini_corpus)
    assert [(i.code, i.annotation_id) for i in report.errors] == [("span-text-mismatch", "e2")]


def test_repeated_text_near_an_edit_is_not_guessed(tmp_path: Path, cli) -> None:
    from .conftest import make_corpus

    root = make_corpus(tmp_path, "Title\n\nhe said it and she said it too, they said.\n", doc_id="d")
    text = raw(root, "d")
    for k in (1, 2):
        add_quote(root, "d", "it", occurrence=k, speaker_unknown=True)
    # Rewrite the middle so both "it"s lose their context and two candidates sit close together.
    _edit(root, "d", "he said it and she said it too", "it, it")
    result = cli("reanchor", "d", "--root", str(root))
    assert result.returncode == 1
    assert result.stdout.count("UNPLACED") >= 2 and "ambiguous" in result.stdout
    assert raw(root, "d") != text


def test_unchanged_document_is_up_to_date(mini_corpus: Path, cli) -> None:
    ann_path = mini_corpus / "annotations" / "doc1.json"
    before = ann_path.read_bytes()
    result = cli("reanchor", "doc1", "--root", str(mini_corpus))
    assert result.returncode == 0 and "is up to date (0 moved, 8 unchanged" in result.stdout
    assert ann_path.read_bytes() == before
