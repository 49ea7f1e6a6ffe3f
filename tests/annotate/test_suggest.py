"""`corpus suggest numbers`: rule-based number pre-annotation, stored as suggestions, never gold."""

from __future__ import annotations

from pathlib import Path

from corpus_pkg.annotate.numbers import guess_number
from corpus_pkg.validate import validate

from .conftest import load, raw


def test_suggest_prints_without_writing_then_writes(news: Path, cli) -> None:
    root = str(news)
    ann_path = news / "annotations" / "rudd.json"
    before = ann_path.read_bytes()
    result = cli("suggest", "numbers", "rudd", "--root", root)
    assert result.returncode == 0, result.stderr
    assert ann_path.read_bytes() == before
    text = raw(news)
    start = text.index("90,000")
    assert f"n1  [{start}:{start + 6}]  '90,000' -> 90000 count times (exact)" in result.stdout
    assert "would write (pass --write to save)" in result.stdout

    result = cli("suggest", "numbers", "rudd", "--write", "--root", root)
    assert result.returncode == 0, result.stderr
    nums = load(news)["numbers"]
    got = [(n["text"], n["value"], n["kind"], n.get("unit"), n["qualifier"]) for n in nums]
    assert got == [
        ("90,000", 90000.0, "count", "times", "exact"),
        ("fourteen", 14.0, "duration", "days", "exact"),
        ("3,400", 3400.0, "count", "accounts", "approximate"),
        ("2017", 2017.0, "year", None, "exact"),
        ("45%", 45.0, "percent", None, "exact"),
    ]
    assert all(n["origin"] == "suggestion" and n["source"] == "numbers@1" for n in nums)
    assert all(text[n["start"] : n["end"]] == n["text"] for n in nums)
    assert [n["id"] for n in nums] == ["n1", "n2", "n3", "n4", "n5"]
    report = validate(news)
    assert report.valid  # suggestions are warnings, not errors
    assert [i.message for i in report.warnings] == ["5 numbers suggestion(s) await review: n1, n2, n3, n4, n5"]

    # Everything is now covered: a second run suggests nothing and writes nothing.
    after = ann_path.read_bytes()
    result = cli("suggest", "numbers", "rudd", "--write", "--root", root)
    assert "0 number suggestion(s) from numbers@1 for rudd (5 already annotated" in result.stdout
    assert ann_path.read_bytes() == after


def test_suggest_skips_manual_numbers(news: Path, cli) -> None:
    root = str(news)
    assert cli("add", "number", "rudd", "3,400", "--root", root).returncode == 0
    result = cli("suggest", "numbers", "rudd", "--write", "--root", root)
    assert result.returncode == 0, result.stderr
    nums = load(news)["numbers"]
    assert [n["text"] for n in nums if n["origin"] == "manual"] == ["3,400"]
    assert sorted(n["text"] for n in nums if n["origin"] == "suggestion") == ["2017", "45%", "90,000", "fourteen"]


def test_suggest_skips_boilerplate_on_mini(mini_corpus: Path, cli) -> None:
    # The only number of doc1 ("90,000") is annotated already; nothing else is suggested.
    result = cli("suggest", "numbers", "doc1", "--root", str(mini_corpus))
    assert result.stdout.startswith("0 number suggestion(s) from numbers@1 for doc1 (1 already annotated")


def test_guess_number_rules() -> None:
    cases = {
        ("It cost $5 million in total.", "$5 million"): ("money", "USD", "exact"),
        ("In 2015, at least 45 percent of users", "2015"): ("year", None, "exact"),
        ("In 2015, at least 45 percent of users", "45 percent"): ("percent", None, "lower_bound"),
        ("on Dec. 7, 2015 he said", "7"): ("date", None, "exact"),
        ("a 29-year-old man", "29"): ("age", "years", "exact"),
        ("up to 300 videos", "300"): ("count", "videos", "upper_bound"),
        ("2,000 people", "2,000"): ("count", "people", "exact"),
        ("the 14th attack", "14th"): ("ordinal", None, "exact"),
    }
    for (text, number), expected in cases.items():
        start = text.index(number)
        guess = guess_number(text, start, start + len(number))
        assert (guess.kind, guess.unit, guess.qualifier) == expected, (text, number)


def test_docstring_examples_run() -> None:
    import doctest

    import corpus_pkg.annotate.numbers as module

    result = doctest.testmod(module)
    assert result.attempted >= 1 and result.failed == 0
