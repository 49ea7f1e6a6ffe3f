"""`corpus add entity|quote|number|stance`: labels added by text, validated, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg.annotate.add import add_entity
from corpus_pkg.annotate.errors import AnnotationError
from corpus_pkg.annotate.locate import AmbiguousTextError, find_occurrences, locate
from corpus_pkg.annotate.session import open_document, save_annotations
from corpus_pkg.schema import EntityMention
from corpus_pkg.validate import validate

from .conftest import load, raw


def _ann_bytes(root: Path, doc_id: str = "rudd") -> bytes:
    return (root / "annotations" / f"{doc_id}.json").read_bytes()


def test_add_entity_offsets_are_code_points(news: Path, cli) -> None:
    result = cli("add", "entity", "rudd", "Amber Rudd", "--label", "PERSON", "--occurrence", "1", "--root", str(news))
    assert result.returncode == 0, result.stderr
    text = raw(news)
    [ent] = load(news)["entities"]
    assert ent["id"] == "e1" and ent["origin"] == "manual" and ent["label"] == "PERSON"
    assert text[ent["start"] : ent["end"]] == "Amber Rudd"
    # Emoji and Hebrew come first: code points, not UTF-8 bytes or UTF-16 units.
    assert ent["start"] == text.index("Amber Rudd")
    assert ent["start"] != text.encode("utf-8").index(b"Amber Rudd")
    assert ent["start"] != text.encode("utf-16-le").index("Amber Rudd".encode("utf-16-le")) // 2
    assert f"Added entity e1 [{ent['start']}:{ent['end']}] 'Amber Rudd' PERSON" in result.stdout
    assert validate(str(news)).valid


def test_ambiguous_text_lists_occurrences_and_writes_nothing(news: Path, cli) -> None:
    before = _ann_bytes(news)
    result = cli("add", "entity", "rudd", "Amber Rudd", "--label", "PERSON", "--root", str(news))
    assert result.returncode == 1
    text = raw(news)
    first = text.index("Amber Rudd")
    second = text.index("Amber Rudd", first + 1)
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 'Amber Rudd' occurs 2 times in " + str(news / "raw" / "rudd.txt") + (
        "; choose one with --occurrence N:"
    )
    assert lines[1].startswith(f"  1  [{first}:{first + 10}]  …")
    assert "act,” said [Amber Rudd]. “Companies" in lines[1]
    assert lines[2].startswith(f"  2  [{second}:{second + 10}]  …") and "[Amber Rudd] left.⏎" in lines[2]
    assert _ann_bytes(news) == before
    result = cli("add", "entity", "rudd", "Amber Rudd", "--label", "PERSON", "--occurrence", "2", "--root", str(news))
    assert result.returncode == 0, result.stderr
    assert load(news)["entities"][0]["start"] == second
    result = cli("add", "entity", "rudd", "Amber Rudd", "--label", "PERSON", "--occurrence", "3", "--root", str(news))
    assert result.returncode == 1 and "--occurrence 3 is out of range" in result.stderr


def test_absent_text_undeclared_label_and_partial_word_are_refused(news: Path, cli) -> None:
    before = _ann_bytes(news)
    result = cli("add", "entity", "rudd", "Amber Ruud", "--label", "PERSON", "--root", str(news))
    assert result.returncode == 1 and "'Amber Ruud' does not occur in" in result.stderr
    result = cli("add", "entity", "rudd", "amber rudd", "--label", "PERSON", "--occurrence", "1", "--root", str(news))
    assert result.returncode == 1 and "case differs: 'Amber Rudd'" in result.stderr
    result = cli("add", "entity", "rudd", "ISIS", "--label", "TERROR_GROUP", "--root", str(news))
    assert result.returncode == 1
    assert "label 'TERROR_GROUP' is not declared in corpus.json; declared labels: PERSON, NORP, FAC, ORG" in (
        result.stderr
    )
    result = cli("add", "entity", "rudd", "IS", "--label", "ORG", "--root", str(news))
    assert result.returncode == 1 and "inside longer words" in result.stderr
    result = cli("add", "entity", "rudd", "ISIS", "--label", "ORG", "--entity-id", "isis", "--root", str(news))
    assert result.returncode == 1 and "'isis' is not in entities.json" in result.stderr
    assert _ann_bytes(news) == before
    assert "Traceback" not in result.stderr


def test_dry_run_prints_json_and_writes_nothing(news: Path, cli) -> None:
    before = _ann_bytes(news)
    result = cli("add", "entity", "rudd", "ISIS", "--label", "ORG", "--dry-run", "--root", str(news))
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    start = raw(news).index("ISIS")
    assert item == {"id": "e1", "origin": "manual", "start": start, "end": start + 4, "text": "ISIS", "label": "ORG"}
    assert "Would add entity e1" in result.stderr
    assert _ann_bytes(news) == before


def test_ids_continue_per_layer_on_mini_corpus(mini_corpus: Path, cli) -> None:
    result = cli("add", "entity", "doc1", "Café", "--label", "GPE", "--inside-word", "--root", str(mini_corpus))
    assert result.returncode == 0, result.stderr
    result = cli("add", "number", "doc1", "90,000", "--root", str(mini_corpus))
    assert result.returncode == 1 and "n1 already marks" in result.stderr
    ann = load(mini_corpus, "doc1")
    assert [e["id"] for e in ann["entities"]] == ["e1", "e2", "e3"]
    # "Café" is in the title segment: valid, no warning about leaving the body.
    assert validate(str(mini_corpus)).valid


def test_add_quote_with_cue_speaker_and_fragments(news: Path, cli) -> None:
    root = str(news)
    add_entity(news, "rudd", "Amber Rudd", "PERSON", occurrence=1)
    result = cli("add", "quote", "rudd", "We will act,", "--cue", "said", "--speaker-mention", "e1", "--root", root)
    assert result.returncode == 0, result.stderr
    text = raw(news)
    [quote] = load(news)["quotes"]
    assert quote["id"] == "q1" and quote["kind"] == "direct"
    assert quote["speaker"] == {"type": "mention", "mention_id": "e1"}
    frag, cue = quote["fragments"][0], quote["cue"]
    assert text[frag["start"] : frag["end"]] == "We will act," and frag["start"] == text.index("We will act,")
    assert cue["start"] == text.index("said") and text[cue["start"] : cue["end"]] == "said"
    # Two fragments, nominal speaker; the cue nearest the quote is the second "said".
    result = cli(
        "add", "quote", "rudd", "Companies", "--fragment", "do more,", "--kind", "mixed",
        "--cue", "said", "--speaker-text", "she", "--root", root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    quote = load(news)["quotes"][1]
    assert [f["text"] for f in quote["fragments"]] == ["Companies", "do more,"]
    assert quote["cue"]["start"] == text.index("she said") + 4
    assert quote["speaker"]["type"] == "nominal" and text[quote["speaker"]["start"] :].startswith("she said")
    result = cli("add", "quote", "rudd", "We will act,", "--cue", "said", "--root", root)
    assert result.returncode == 1 and "give exactly one speaker" in result.stderr
    result = cli("add", "quote", "rudd", "We will act,", "--speaker-mention", "e9", "--root", root)
    assert result.returncode == 1 and "no entity mention 'e9'" in result.stderr and "e1 'Amber Rudd'" in result.stderr
    assert validate(root).valid


def test_add_number_parses_value_and_guesses_kind(news: Path, cli) -> None:
    root = str(news)
    assert cli("add", "number", "rudd", "fourteen", "--root", root).returncode == 0
    assert cli("add", "number", "rudd", "3,400", "--unit", "accounts", "--root", root).returncode == 0
    assert cli("add", "number", "rudd", "2017", "--root", root).returncode == 0
    result = cli("add", "number", "rudd", "90,000", "--value", "90001", "--kind", "count", "--root", root)
    assert result.returncode == 0, result.stderr
    nums = load(news)["numbers"]
    text = raw(news)
    got = [(n["id"], n["text"], n["value"], n["kind"], n.get("unit"), n["qualifier"]) for n in nums]
    assert got == [
        ("n1", "fourteen", 14.0, "duration", "days", "exact"),
        ("n2", "3,400", 3400.0, "count", "accounts", "approximate"),
        ("n3", "2017", 2017.0, "year", None, "exact"),
        ("n4", "90,000", 90001.0, "count", None, "exact"),
    ]
    assert all(text[n["start"] : n["end"]] == n["text"] for n in nums)
    result = cli("add", "number", "rudd", "Companies", "--root", root)
    assert result.returncode == 1 and "cannot read 'Companies' as a number" in result.stderr
    assert "--value" in result.stderr


def test_add_stance_checks_target_and_references(news: Path, cli) -> None:
    root = str(news)
    result = cli(
        "add", "stance", "rudd", "--holder-text", "a spokesman", "--target", "encryption", "--label", "favor",
        "--evidence-text", "accounts were closed", "--root", root,
    )  # fmt: skip
    assert result.returncode == 1
    assert "stance target 'encryption' is not declared in corpus.json; declared targets: platform_action" in (
        result.stderr
    )
    result = cli(
        "add", "stance", "rudd", "--holder-text", "a spokesman", "--target", "platform_action", "--label", "favor",
        "--evidence-text", "accounts were closed", "--root", root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    result = cli(
        "add", "stance", "rudd", "--holder-mention", "e1", "--target", "platform_action", "--label", "against",
        "--evidence-quote", "q1", "--root", root,
    )  # fmt: skip
    assert result.returncode == 1 and "no quote 'q1' in rudd; quotes: (none yet)" in result.stderr
    [stance] = load(news)["stance"]
    text = raw(news)
    assert stance["id"] == "s1" and stance["label"] == "favor" and stance["target"] == "platform_action"
    assert text[stance["holder"]["start"] : stance["holder"]["end"]] == "a spokesman"
    assert text[stance["evidence"]["start"] : stance["evidence"]["end"]] == "accounts were closed"
    assert validate(root).valid


def test_result_is_validated_before_writing(news: Path, cli) -> None:
    """A doc whose raw text changed fails validation: the add is refused and nothing written."""
    raw_path = news / "raw" / "rudd.txt"
    raw_path.write_bytes(raw_path.read_bytes() + b"Appended line.\n")
    before = _ann_bytes(news)
    result = cli("add", "entity", "rudd", "ISIS", "--label", "ORG", "--root", str(news))
    assert result.returncode == 1
    assert "would not be valid, nothing was written" in result.stderr
    assert "raw-hash-mismatch" in result.stderr and "corpus reanchor rudd" in result.stderr
    assert _ann_bytes(news) == before


def test_unknown_document_is_a_clear_error(news: Path, cli) -> None:
    result = cli("add", "entity", "nope", "ISIS", "--label", "ORG", "--root", str(news))
    assert result.returncode == 1 and "no document 'nope'" in result.stderr and "known documents: rudd" in result.stderr
    result = cli("add", "entity", "../rudd", "ISIS", "--label", "ORG", "--root", str(news))
    assert result.returncode == 1 and "unsafe id" in result.stderr


def test_locate_api() -> None:
    text = "aa IS ISIS is IS."
    assert [o.start for o in find_occurrences(text, "IS")] == [3, 14]
    assert [o.start for o in find_occurrences(text, "IS", inside_words=True)] == [3, 6, 8, 14]
    assert locate(text, "IS", occurrence=2).start == 14
    try:
        locate(text, "IS")
    except AmbiguousTextError as exc:
        assert [o.start for o in exc.occurrences] == [3, 14]
    else:  # pragma: no cover
        raise AssertionError("expected AmbiguousTextError")


def test_concurrent_edit_is_not_overwritten(news: Path) -> None:
    """A file changed between reading and writing (another annotator) is left alone."""
    doc = open_document(news, "rudd")
    add_entity(news, "rudd", "ISIS", "ORG")  # someone else writes first
    current = _ann_bytes(news)
    doc.ann.entities.append(EntityMention(id="e9", origin="manual", start=0, end=4, text="Rudd", label="PERSON"))
    with pytest.raises(AnnotationError, match="changed while this command ran"):
        save_annotations(news, doc.ann, doc.raw_bytes, expected=doc.ann_bytes)
    assert _ann_bytes(news) == current
