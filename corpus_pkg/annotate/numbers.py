"""Guessing what a number in a text is: kind, unit and qualifier from the words around it.

Used to prefill ``corpus add number`` and by the number suggester. The value itself comes from
:func:`corpus_pkg.text.numbers.parse_number`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.numbers import scan_numbers

__all__ = ("NumberGuess", "guess_number")


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
DETERMINERS = frozenset({"the", "a", "this", "that", "no", "every", "each", "any", "which", "another", "one"})


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
