"""numbers_parse: number text -> value, and scanning text for numbers."""

from __future__ import annotations

import pytest

from corpus_pkg.text.numbers import NumberParseError, parse_number, scan_numbers

TABLE = [
    ("fourteen million", 14_000_000),
    ("20,000", 20_000),
    ("fifty", 50),
    ("forty-five", 45),
    ("3,400", 3400),
    ("1.5 billion", 1.5e9),
    ("twenty-nine", 29),
    ("a hundred", 100),
    ("one hundred and five", 105),
    ("Fourteen Million", 14_000_000),
    ("two million three hundred thousand", 2_300_000),
    ("fifteen hundred", 1500),
    ("a dozen", 12),
    ("0.25", 0.25),
    ("45%", 45),
    ("45 percent", 45),
    ("$1.5 billion", 1.5e9),
    ("£300m", 3e8),
    ("14th", 14),
    ("twenty-first", 21),
]


@pytest.mark.parametrize(("text", "value"), TABLE)
def test_parse_number_table(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["five five", "twenty thirty", "a", "and", "million thousand", "one two", "x", ""])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    with pytest.raises(NumberParseError, match="cannot read"):
        parse_number(text)


def test_scan_finds_numbers_with_code_point_offsets() -> None:
    text = "עברית 🎉 “x”: ISIS posted 90,000 times in fourteen days; 45% of $1.5 billion, in 2017."
    found = scan_numbers(text)
    assert [(m.text, m.value) for m in found] == [
        ("90,000", 90000),
        ("fourteen", 14),
        ("45%", 45),
        ("$1.5 billion", 1.5e9),
        ("2017", 2017),
    ]
    for match in found:
        assert text[match.start : match.end] == match.text
    assert found[2].percent and found[3].currency == "USD"


def test_scan_skips_codes_and_word_ordinals() -> None:
    text = "G7 leaders met at 10:30 about COVID-19 for the first time; a 3D map."
    assert scan_numbers(text) == []
    assert [m.text for m in scan_numbers(text, word_ordinals=True)] == ["first"]


def test_scan_splits_runs_that_do_not_parse_together() -> None:
    assert [m.text for m in scan_numbers("five and six, one two")] == ["five", "six", "one", "two"]


def test_docstring_examples_run() -> None:
    import doctest

    import corpus_pkg.text.numbers as module

    result = doctest.testmod(module)
    assert result.attempted >= 3 and result.failed == 0
