"""Read numbers written in news text: "20,000" -> 20000, "fourteen million" -> 14000000, "45%" -> 45.

:func:`parse_number` turns one number expression into its value; :func:`scan_numbers` finds every
number expression in a text, with code-point offsets. Both are pure and deterministic.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ("NumberMatch", "NumberParseError", "parse_number", "scan_numbers")


class NumberParseError(ValueError):
    """The text is not a number expression this module can read."""


_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_ORDINAL_WORDS = {
    "first": "one",
    "second": "two",
    "third": "three",
    "fourth": "four",
    "fifth": "five",
    "sixth": "six",
    "seventh": "seven",
    "eighth": "eight",
    "ninth": "nine",
    "tenth": "ten",
    "eleventh": "eleven",
    "twelfth": "twelve",
    "thirteenth": "thirteen",
    "fourteenth": "fourteen",
    "fifteenth": "fifteen",
    "sixteenth": "sixteen",
    "seventeenth": "seventeen",
    "eighteenth": "eighteen",
    "nineteenth": "nineteen",
    "twentieth": "twenty",
    "thirtieth": "thirty",
    "fortieth": "forty",
    "fiftieth": "fifty",
    "sixtieth": "sixty",
    "seventieth": "seventy",
    "eightieth": "eighty",
    "ninetieth": "ninety",
    "hundredth": "hundred",
    "thousandth": "thousand",
    "millionth": "million",
    "billionth": "billion",
}
#: Words that may only follow "a"/"an": "a hundred", "a million", "a dozen".
_AFTER_ARTICLE = {"hundred", "dozen", *_SCALES}
_CURRENCIES = {"US$": "USD", "$": "USD", "£": "GBP", "€": "EUR"}
_SUFFIX_SCALES = {"k": 10**3, "m": 10**6, "bn": 10**9}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_DIGITS_RE = re.compile(rf"(?:{_DIGITS})")
_DIGIT_ORDINAL_RE = re.compile(r"(\d+)(?:st|nd|rd|th)")
_CARDINAL_WORDS = sorted([*_UNITS, *_TENS, *_SCALES, "hundred", "dozen"], key=len, reverse=True)
_ORDINALS_ALT = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
_WORD = rf"(?:{'|'.join(_CARDINAL_WORDS)}|{_ORDINALS_ALT})"

#: One candidate number phrase: optional currency, digits or number words joined by spaces,
#: hyphens or "and", optional scale suffix or percent sign. Candidates are then checked by
#: :func:`parse_number` and trimmed until they parse.
_CANDIDATE_RE = re.compile(
    rf"""
    (?P<currency>US\$|[$£€])?\s?
    (?P<body>
        (?:(?:a|an)\s+(?={"|".join(sorted(_AFTER_ARTICLE))}\b))?
        (?:\d+(?:st|nd|rd|th)\b|{_DIGITS}|\b{_WORD}\b)
        (?:(?:\s+and\s+|\s+|-)\b{_WORD}\b)*
    )
    (?P<suffix>(?<=\d)(?:bn|m|k)\b)?
    (?P<percent>\s?%|\s+per\s?cent\b)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_PERCENT_RE = re.compile(r"\s?%$|\s+per\s?cent$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMatch:
    """A number expression found in a text: ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    value: float
    percent: bool = False
    currency: str | None = None  # ISO code, e.g. "USD"
    ordinal: bool = False
    words: bool = False  # spelled out at least in part ("fourteen million")


@dataclass(frozen=True)
class _Parsed:
    value: float
    percent: bool
    currency: str | None
    ordinal: bool
    words: bool


def parse_number(text: str) -> float:
    """The value of a number expression.

    Reads digits ("3400", "3,400", "1.5"), number words ("fifty", "forty-five", "a hundred",
    "one hundred and five", "fourteen million"), mixes ("1.5 billion"), ordinals ("twenty-first",
    "14th"), percentages ("45%", "45 percent" -> 45) and currency amounts ("$2bn" -> 2e9).

    Raises:
        NumberParseError: the text is not a number expression.

    Example:
        >>> parse_number("fourteen million")
        14000000.0
        >>> parse_number("forty-five")
        45.0
    """
    return _parse(text).value


def _parse(text: str) -> _Parsed:
    original = text
    text = text.strip()
    currency = None
    for symbol in sorted(_CURRENCIES, key=len, reverse=True):
        if text.startswith(symbol):
            currency = _CURRENCIES[symbol]
            text = text[len(symbol) :].lstrip()
            break
    percent = False
    match = _PERCENT_RE.search(text)
    if match:
        percent = True
        text = text[: match.start()]
    scale = 1
    if currency:
        m = re.fullmatch(r"(.*\d)(bn|m|k)", text, re.IGNORECASE)
        if m:
            text, scale = m.group(1), _SUFFIX_SCALES[m.group(2).lower()]
    tokens = [t for t in re.split(r"[\s\-]+", text.lower()) if t]
    if not tokens:
        raise _error(original)
    value, ordinal, words = _parse_tokens(tokens, original)
    if not math.isfinite(value * scale):
        raise NumberParseError(f"{original!r} is too large to be a number value")
    return _Parsed(value=value * scale, percent=percent, currency=currency, ordinal=ordinal, words=words)


def _error(text: str) -> NumberParseError:
    return NumberParseError(
        f"cannot read {text!r} as a number: expected digits ('20,000', '1.5'), number words "
        "('forty-five', 'fourteen million', 'a hundred') or a mix ('1.5 billion'); give the value explicitly"
    )


def _parse_tokens(tokens: list[str], original: str) -> tuple[float, bool, bool]:
    """Value of a token list; enforces English number grammar so 'five five' is rejected."""
    ordinal = False
    if tokens[0] in ("a", "an"):
        if len(tokens) < 2 or tokens[1] not in _AFTER_ARTICLE:
            raise _error(original)
        tokens = ["one", *tokens[1:]]
    last = tokens[-1]
    if last in _ORDINAL_WORDS:
        tokens = [*tokens[:-1], _ORDINAL_WORDS[last]]
        ordinal = True
    elif _DIGIT_ORDINAL_RE.fullmatch(last):
        if len(tokens) != 1:
            raise _error(original)
        return float(int(_DIGIT_ORDINAL_RE.fullmatch(last).group(1))), True, False  # type: ignore[union-attr]
    total = 0.0
    current = 0.0
    last_scale = None  # smallest scale used so far: scales must decrease ("two million three thousand")
    words = False
    previous = None  # kind of the previous token
    for i, token in enumerate(tokens):
        if token == "and":
            if previous not in ("hundred", "scale") or i == len(tokens) - 1:
                raise _error(original)
            previous = "and"
            continue
        if _DIGITS_RE.fullmatch(token):
            if i != 0:
                raise _error(original)
            current = float(token.replace(",", ""))
            previous = "digits"
            continue
        words = True
        if token in _UNITS or token in _TENS:
            value = _UNITS.get(token, _TENS.get(token, 0))
            if previous == "digits":
                raise _error(original)
            below_hundred = current % 100
            if value >= 10 and below_hundred:
                raise _error(original)  # "twenty thirty", "five twelve"
            if value < 10 and below_hundred and not (below_hundred >= 20 and below_hundred % 10 == 0):
                raise _error(original)  # "five five", "twelve three"
            current += value
            previous = "tens" if token in _TENS else "unit"
        elif token == "hundred":
            if current == 0 and previous is not None and previous != "scale":
                raise _error(original)
            if current >= 100 or (previous not in ("unit", "tens", "digits", None) and current == 0):
                raise _error(original)
            current = (current or 1) * 100
            previous = "hundred"
        elif token == "dozen":
            if previous not in ("unit", "digits", None) or len(tokens) - 1 != i:
                raise _error(original)
            current = (current or 1) * 12
            previous = "dozen"
        elif token in _SCALES:
            scale = _SCALES[token]
            if current == 0 and previous is not None:
                raise _error(original)
            if last_scale is not None and scale >= last_scale:
                raise _error(original)
            total += (current or 1) * scale
            current = 0.0
            last_scale = scale
            previous = "scale"
        else:
            raise _error(original)
    return total + current, ordinal, words


def scan_numbers(text: str, word_ordinals: bool = False) -> list[NumberMatch]:
    """Every number expression in ``text``, left to right, with code-point offsets.

    Digits glued to letters ("G7", "COVID-19", "3D"), times ("10:30") and slashed dates are
    skipped. Ordinals written as words ("first", "second") are only returned with
    ``word_ordinals`` because they are usually not quantities.

    Example:
        >>> [(m.text, m.value) for m in scan_numbers("ISIS posted 90,000 times in fourteen days.")]
        [('90,000', 90000.0), ('fourteen', 14.0)]
    """
    out: list[NumberMatch] = []
    pos = 0
    while True:
        match = _CANDIDATE_RE.search(text, pos)
        if match is None:
            return out
        found = _best_prefix(text, match)
        if found is None:
            pos = match.start() + 1
            continue
        pos = found.end
        if _glued(text, found) or (found.ordinal and found.words and not word_ordinals):
            continue
        out.append(found)


def _best_prefix(text: str, match: re.Match[str]) -> NumberMatch | None:
    """The longest leading part of a candidate that parses as a number."""
    start = match.start("currency") if match.group("currency") else match.start("body")
    body_start, body_end = match.span("body")
    tail_end = match.end()
    # Cut points: the full match, then the body shortened one element at a time.
    ends = [tail_end]
    for cut in reversed(list(re.finditer(r"(?:\s+and\s+|\s+|-)", text[body_start:body_end], re.IGNORECASE))):
        ends.append(body_start + cut.start())
    for end in ends:
        piece = text[start:end]
        if not piece.strip() or piece.strip().lower() in ("a", "an"):
            continue
        try:
            parsed = _parse(piece)
        except NumberParseError:
            continue
        return NumberMatch(
            start=start,
            end=end,
            text=piece,
            value=parsed.value,
            percent=parsed.percent,
            currency=parsed.currency,
            ordinal=parsed.ordinal,
            words=parsed.words,
        )
    return None


def _glued(text: str, found: NumberMatch) -> bool:
    """True when the number is part of a code or token rather than a quantity."""
    before = text[found.start - 1] if found.start > 0 else " "
    after = text[found.end] if found.end < len(text) else " "
    if before.isalnum() or before in "_.:/" or after.isalnum() or after in "_:/":
        return True
    # COVID-19, F-16
    return before == "-" and found.start >= 2 and text[found.start - 2].isalpha() and found.text[0].isdigit()


def format_value(value: float) -> str:
    """A number value as people write it: 90000 rather than 90000.0."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
