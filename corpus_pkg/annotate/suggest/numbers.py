"""The number suggester ``numbers@1``: every number the scanner finds, with a guessed kind and unit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ...schema import ANNOTATED_SEGMENTS, Span
from ...text.numbers import NumberMatch, scan_numbers
from ..numbers import DETERMINERS, guess_number
from .registry import Candidate, Suggester, SuggestInput, register
from .run import SuggestResult, run_suggester

__all__ = ("NUMBERS", "suggest_numbers")


def _is_pronoun_one(raw: str, match: NumberMatch) -> bool:
    """'one' used as a pronoun ('the second one', 'no one', 'one another') is not a quantity."""
    if match.text.lower() != "one":
        return False
    previous = re.search(r"(\w+)\s+$", raw[max(0, match.start - 20) : match.start])
    following = re.match(r"\s+(\w+)", raw[match.end : match.end + 20])
    return bool(
        (previous and previous.group(1).lower() in DETERMINERS)
        or (following and following.group(1).lower() == "another")
        or re.match(r"\s*[.,;:!?)]", raw[match.end : match.end + 2])
    )


def _numbers(inp: SuggestInput) -> Iterator[Candidate]:
    for match in scan_numbers(inp.raw):
        if _is_pronoun_one(inp.raw, match):
            continue
        guess = guess_number(inp.raw, match.start, match.end)
        span = Span(start=match.start, end=match.end, text=match.text)
        fields = {
            "start": match.start,
            "end": match.end,
            "text": match.text,
            "value": match.value,
            "kind": guess.kind,
            "unit": guess.unit,
            "qualifier": guess.qualifier,
        }
        yield Candidate(fields, [span])


NUMBERS = register(
    Suggester(
        name="numbers",
        layer="numbers",
        version=1,
        run=_numbers,
        description="Digits, grouped digits, decimals and number words with their values; kind, unit and "
        "qualifier guessed from the words around them.",
        segments=frozenset(ANNOTATED_SEGMENTS),  # the segments the guidelines annotate
    )
)


def suggest_numbers(root: str | Path, doc_id: str, write: bool = False) -> SuggestResult:
    """Find numbers in document ``doc_id`` that no number annotation covers yet.

    Each becomes a NumberMention with the parsed value, a guessed kind/unit/qualifier,
    ``origin="suggestion"`` and ``source="numbers@1"``. With ``write`` they are validated
    and appended to the annotation file; otherwise nothing is written.

    Example:
        >>> suggest_numbers("corpus", "doc1").suggestions[0].value  # doctest: +SKIP
        90000.0
    """
    return run_suggester(root, doc_id, "numbers", write=write)
