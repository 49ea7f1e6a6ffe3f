"""Rule-based pre-annotation: ``corpus suggest numbers``.

Suggestions are stored with ``origin="suggestion"`` and ``source="rule:numbers"``: they are
machine pre-labels awaiting review (``corpus validate`` warns about them) and never gold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import ANNOTATED_SEGMENTS, NumberMention
from ..text.numbers import NumberMatch, scan_numbers
from ..validate import Issue
from .add import format_value, next_id, open_document, save_annotations

__all__ = ("RULE_SOURCE", "NumberGuess", "SuggestResult", "guess_number", "suggest_numbers")

RULE_SOURCE = "rule:numbers"

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+$", re.IGNORECASE)
_AGE_AFTER = re.compile(r"^(?:-|\s)years?-old\b|^\s+years?\s+old\b", re.IGNORECASE)
_DURATION_AFTER = re.compile(
    r"^[\s-]+(seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|decades?|centuries|century)\b",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"^\s+([a-z][a-z\-]*[a-z])\b")
_APPROXIMATE = re.compile(
    r"\b(?:about|around|roughly|approximately|some|nearly|almost|an estimated|estimated|close to|"
    r"more or less|circa)\s+$",
    re.IGNORECASE,
)
_LOWER = re.compile(r"\b(?:at least|more than|over|upwards of|in excess of|no fewer than|no less than)\s+$", re.I)
_UPPER = re.compile(r"\b(?:up to|fewer than|less than|under|at most|no more than|within)\s+$", re.IGNORECASE)
#: Words after a number that are not what it counts.
_NOT_UNITS = frozenset(
    {"and", "or", "of", "the", "a", "an", "to", "in", "on", "at", "by", "for", "from", "with", "as", "is", "are"}
    | {"was", "were", "be", "has", "have", "had", "that", "which", "who", "than", "per", "percent", "cent", "more"}
    | {"less"}
)
_DETERMINERS = frozenset({"the", "a", "this", "that", "no", "every", "each", "any", "which", "another", "one"})


@dataclass(frozen=True)
class NumberGuess:
    """Kind, unit and qualifier guessed from a number's form and surrounding words."""

    kind: str
    unit: str | None
    qualifier: str


def guess_number(raw: str, start: int, end: int) -> NumberGuess:
    """Guess kind, unit and qualifier of the number at ``raw[start:end]``.

    Rules, first match wins: currency sign -> money (unit = ISO code); percent -> percent;
    ordinal -> ordinal; month name before a day 1-31 -> date; "-year-old" after -> age;
    a standalone 4-digit number 1900-2099 -> year; a time word after -> duration; else count
    with the next word as unit. "about", "at least" and "up to" before it set the qualifier.

    Example:
        >>> guess_number("It cost $5 million.", 8, 18)
        NumberGuess(kind='money', unit='USD', qualifier='exact')
    """
    matches = scan_numbers(raw[start:end], word_ordinals=True)
    found = matches[0] if matches and matches[0].end - matches[0].start == end - start else None
    before, after = raw[max(0, start - 40) : start], raw[end : end + 40]
    qualifier = "exact"
    if _APPROXIMATE.search(before):
        qualifier = "approximate"
    elif _LOWER.search(before):
        qualifier = "lower_bound"
    elif _UPPER.search(before):
        qualifier = "upper_bound"
    if found is None:
        return NumberGuess("other", None, qualifier)
    if found.currency:
        return NumberGuess("money", found.currency, qualifier)
    if found.percent:
        return NumberGuess("percent", None, qualifier)
    if found.ordinal:
        return NumberGuess("ordinal", None, qualifier)
    integral = found.value.is_integer()
    if integral and 1 <= found.value <= 31 and not found.words and _MONTH_BEFORE.search(before):
        return NumberGuess("date", None, qualifier)
    if _AGE_AFTER.search(after):
        return NumberGuess("age", "years", qualifier)
    if re.fullmatch(r"\d{4}", found.text) and 1900 <= found.value <= 2099:
        return NumberGuess("year", None, qualifier)
    duration = _DURATION_AFTER.search(after)
    if duration:
        return NumberGuess("duration", duration.group(1).lower(), qualifier)
    word = _NEXT_WORD.search(after)
    unit = word.group(1) if word and word.group(1) not in _NOT_UNITS else None
    return NumberGuess("count", unit, qualifier)


@dataclass
class SuggestResult:
    """Suggestions made for one document."""

    doc_id: str
    path: str
    suggestions: list[NumberMention] = field(default_factory=list)
    skipped: int = 0  # numbers already covered by an annotation
    outside: int = 0  # numbers outside the title/body segments (boilerplate, bylines)
    written: bool = False
    warnings: list[Issue] = field(default_factory=list)

    def to_text(self) -> str:
        """One line per suggestion plus a summary line."""
        lines = []
        for s in self.suggestions:
            extra = f" {s.unit}" if s.unit else ""
            lines.append(
                f"{s.id}  [{s.start}:{s.end}]  {s.text!r} -> {format_value(s.value)} {s.kind}{extra} ({s.qualifier})"
            )
        verb = "wrote" if self.written else "would write (pass --write to save)"
        lines.append(
            f"{len(self.suggestions)} number suggestion(s) for {self.doc_id} ({self.skipped} already annotated, "
            f"{self.outside} outside title/body skipped); "
            f"{verb if self.suggestions else 'nothing to write'}"
        )
        return "\n".join(lines) + "\n"


def _is_pronoun_one(raw: str, match: NumberMatch) -> bool:
    """'one' used as a pronoun ('the second one', 'no one', 'one another') is not a quantity."""
    if match.text.lower() != "one":
        return False
    previous = re.search(r"(\w+)\s+$", raw[max(0, match.start - 20) : match.start])
    following = re.match(r"\s+(\w+)", raw[match.end : match.end + 20])
    return bool(
        (previous and previous.group(1).lower() in _DETERMINERS)
        or (following and following.group(1).lower() == "another")
        or re.match(r"\s*[.,;:!?)]", raw[match.end : match.end + 2])
    )


def suggest_numbers(root: str | Path, doc_id: str, write: bool = False) -> SuggestResult:
    """Find numbers in document ``doc_id`` that no number annotation covers yet.

    Each becomes a NumberMention with the parsed value, a guessed kind/unit/qualifier,
    ``origin="suggestion"`` and ``source="rule:numbers"``. With ``write`` they are validated
    and appended to the annotation file; otherwise nothing is written.

    Example:
        >>> suggest_numbers("corpus", "doc1").suggestions[0].value  # doctest: +SKIP
        90000.0
    """
    doc = open_document(root, doc_id)
    result = SuggestResult(doc_id=doc_id, path=doc.display(doc.ann_rel))
    taken = [(n.start, n.end) for n in doc.ann.numbers]
    content = [(s.start, s.end) for s in doc.ann.segments if s.kind in ANNOTATED_SEGMENTS]
    for match in scan_numbers(doc.raw):
        if any(match.start < e and s < match.end for s, e in taken):
            result.skipped += 1
            continue
        if content and not any(s <= match.start and match.end <= e for s, e in content):
            result.outside += 1
            continue
        if _is_pronoun_one(doc.raw, match):
            continue
        guess = guess_number(doc.raw, match.start, match.end)
        item = NumberMention(
            id=next_id(doc.ann, "numbers"),
            origin="suggestion",
            source=RULE_SOURCE,
            start=match.start,
            end=match.end,
            text=match.text,
            value=match.value,
            kind=guess.kind,  # type: ignore[arg-type]
            unit=guess.unit,
            qualifier=guess.qualifier,  # type: ignore[arg-type]
        )
        doc.ann.numbers.append(item)
        result.suggestions.append(item)
    if write and result.suggestions:
        result.warnings = save_annotations(doc.root, doc.ann, doc.raw_bytes, expected=doc.ann_bytes)
        result.written = True
    return result
