"""Strict JSON reading for hostile files, and JSON-path -> line/column lookup for error reports.

``json`` in the standard library accepts duplicate keys (the last one wins), NaN and Infinity,
and raises RecursionError on deeply nested input. Annotation files must reject all three with
a clear message, so this module wraps it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import SchemaValidator

from ._jsonkeys import count_keys as count_keys  # re-exported: the key count the fast reader checks
from ._jsonkeys import key_marks

ModelT = TypeVar("ModelT", bound=BaseModel)


class JsonFileError(ValueError):
    """The bytes are not a valid annotation JSON document."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class ParsedJson:
    """A decoded JSON document plus what strict checks found along the way."""

    value: Any
    text: str
    duplicate_keys: list[str] = field(default_factory=list)  # JSON paths of repeated keys

    @cached_property
    def _locator(self) -> JsonLocator:
        return JsonLocator(self.text)

    def locate(self, path: str) -> tuple[int, int] | None:
        """1-based (line, column) where the value at ``path`` starts, or the nearest parent's."""
        return self._locator.locate(path)


class JsonLocator:
    """JSON path -> (line, column), found lazily: the text is scanned only as far as the paths asked
    for, once, whatever the number of questions (a file without reported issues is never scanned).
    The scan steps over whole strings in C, so its Python work is one step per JSON token.

    ``unique_keys``: the caller knows that each path names one place: no object repeats a key and
    no key holds ``.``, ``[`` or ``]`` (a file the fast reader took: its keys are field names).
    Then the first :data:`DIRECT_LOOKUPS` paths are looked up directly, along the path only, every
    value beside it skipped by the C decoder (a Python step per key or item passed at each level of
    the path, not per token of the text before it); later ones share the one scan."""

    def __init__(self, text: str | bytes, unique_keys: bool = False) -> None:
        self._source = text
        self._text: str | None = text if isinstance(text, str) else None
        self._walk: Iterator[tuple[str, int, bool]] | None = None
        self._seen: dict[str, int] = {}  # path -> offset of its first occurrence
        self._done = False
        self._line = 1  # line of ``_line_offset``
        self._line_offset = 0
        self._direct_left = DIRECT_LOOKUPS if unique_keys else 0

    def locate(self, path: str) -> tuple[int, int] | None:
        """1-based (line, column) where the value at ``path`` starts, or the nearest parent's."""
        offset = self._find(path)
        while offset is None and path:
            path = _parent_path(path)
            offset = self._find(path)
        return None if offset is None else self._line_column(offset)

    def _decoded(self) -> str | None:
        if self._text is None and not self._done:
            try:
                self._text = decode_text(bytes(self._source))
            except JsonFileError:
                self._done = True
        return self._text

    def _find(self, path: str) -> int | None:
        if path in self._seen:
            return self._seen[path]
        if self._done or self._decoded() is None:
            return None
        assert self._text is not None
        if self._direct_left > 0:
            self._direct_left -= 1
            try:
                return direct_offset(self._text, path)
            except (ValueError, IndexError, RecursionError):  # not a path as the walk writes them, or odd text
                pass
        if self._walk is None:
            self._walk = walk_json(self._text)
        seen = self._seen
        for found, offset, _is_key in self._walk:
            if found not in seen:
                seen[found] = offset
                if found == path:
                    return offset
        self._done = True
        return None

    def _line_column(self, offset: int) -> tuple[int, int]:
        text = self._text
        assert text is not None
        # lines are counted from the last answer (or back from it): linear in the text over all questions
        if offset >= self._line_offset:
            self._line += text.count("\n", self._line_offset, offset)
        else:
            self._line -= text.count("\n", offset, self._line_offset)
        self._line_offset = offset
        return self._line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def validate_json_fast(
    data: bytes, model: type[ModelT], rejects_nonfinite: bool = False, validator: SchemaValidator | None = None
) -> ModelT | None:
    """``model`` validated straight from ``data`` (pydantic's JSON parser, no Python dicts) when the
    strict reader would accept the bytes and give the same value; None when that is not sure (then
    use :func:`parse_json` and ``model_validate``, which report every problem precisely).

    Not sure means: a byte-order mark, the words NaN or Infinity anywhere, a validation error of any
    kind (invalid JSON included), or possibly a duplicate key: the bytes hold at least as many key
    marks (:func:`~corpus_pkg._jsonkeys.key_marks`) as the text has keys, and a repeated key is
    seen by the models once, so when the marks equal the keys the models saw, no key was repeated;
    more marks (a quote mark and colon inside a string, or a duplicate) means not sure.

    ``rejects_nonfinite``: the caller knows that ``model`` fails validation wherever a NaN or
    Infinity stands in the JSON (pydantic's parser reads them), so the bytes need not be searched
    for those words (a search costs about a tenth of the validation). ``validator``: one to use
    instead of ``model``'s own (built from its schema, so it makes instances of ``model``)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return None
    if not rejects_nonfinite and (b"NaN" in data or b"Infinity" in data):
        return None
    try:
        value = model.model_validate_json(data) if validator is None else validator.validate_json(data)
    except ValueError:
        return None
    if key_marks(data) != count_keys(value):
        return None
    return value


def _reject_constant(name: str) -> Any:
    raise JsonFileError(f"{name} is not valid JSON (numbers must be finite)")


def decode_text(data: bytes) -> str:
    """Decode UTF-8 bytes; a byte-order mark or undecodable bytes raise JsonFileError."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise JsonFileError("file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM", 1, 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise JsonFileError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}", line, None
        ) from None


def parse_json(data: bytes) -> ParsedJson:
    """Parse bytes as strict JSON: UTF-8 without BOM, no NaN/Infinity, bounded depth, and every
    duplicate key recorded (as a JSON path) rather than silently dropped.

    A string holding a lone surrogate (``"\\ud800"``, half of a UTF-16 pair: no Unicode character)
    is an error with its position.
    """
    text = decode_text(data)
    if not text.strip():
        raise JsonFileError("file is empty; expected a JSON object", 1, 1)
    duplicates: list[list[tuple[str, Any]]] = []  # objects that repeat a key

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            duplicates.append(pairs)
        return obj

    try:
        value = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JsonFileError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except JsonFileError as exc:  # NaN / Infinity: json gives no position, find the literal
        raise JsonFileError(exc.message, *_literal_position(text, _CONSTANT)) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        line, column = _literal_position(text, _HUGE_NUMBER)
        raise JsonFileError(f"number too large to read: {str(exc).split(';')[0]}", line, column) from None
    except RecursionError:
        # The C decoder stops at Python's recursion limit; shallower oddities fail schema checks.
        raise JsonFileError(
            f"JSON nesting is {_max_depth(text)} levels deep; annotation files need fewer than 10", 1, 1
        ) from None
    if _SURROGATE_ESCAPE.search(text):
        _reject_lone_surrogates(text, value)
    parsed = ParsedJson(value=value, text=text)
    if duplicates:
        parsed.duplicate_keys = _duplicate_key_paths(text)
    return parsed


_CONSTANT = re.compile(r"-?(?:NaN|Infinity)\b")
_HUGE_NUMBER = re.compile(r"-?\d{4000,}")
# Strings (with escapes) and scalar literals, in order; structural characters and whitespace skipped.
_LEXEME = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[^\s\[\]{}:,"]+', re.DOTALL)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _literal_position(text: str, pattern: re.Pattern[str]) -> tuple[int | None, int | None]:
    """1-based (line, column) of the first match of ``pattern`` outside strings."""
    for match in _LEXEME.finditer(text):
        if match.group()[0] != '"' and pattern.match(match.group()):
            return _line_column(text, match.start())
    return None, None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _reject_lone_surrogates(text: str, value: Any) -> None:
    """A ``\\udXXX`` escape not paired with its partner decodes to a lone surrogate, which is no
    Unicode character (it cannot be written as UTF-8): reject it with its position."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return
    for match in _LEXEME.finditer(text):
        token = match.group()
        if token[0] == '"' and _SURROGATE_ESCAPE.search(token):
            try:
                json.loads(token).encode("utf-8")
            except UnicodeEncodeError:
                inner = _SURROGATE_ESCAPE.search(token)
                assert inner is not None
                line, column = _line_column(text, match.start() + inner.start())
                raise JsonFileError(
                    f"string holds a lone surrogate {inner.group()} (half of a UTF-16 pair), which is not a "
                    "Unicode character; remove it or give both halves",
                    line,
                    column,
                ) from None
    raise JsonFileError("a string holds a lone surrogate (half of a UTF-16 pair); remove it", None, None)


def _max_depth(text: str) -> int:
    """Deepest bracket nesting outside strings, measured on the text (used only for the error message)."""
    if "[" not in text and "{" not in text:
        return 0
    depth = best = 0
    for match in _TOKEN.finditer(text):
        tok = match.group(0)
        if tok in "[{":
            depth += 1
            best = max(best, depth)
        elif tok in "]}":
            depth -= 1
    return best


# Strings (with escapes) or single structural characters.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]', re.DOTALL)


def _parent_path(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rpartition(".")[0]


# One JSON token of valid JSON, whitespace skipped: a string's opening quote (the string itself is
# skipped by ``scanstring``, in C), a structural character, or a scalar literal.
_SCAN = re.compile(r'[\[\]{}:,"]|[^\s\[\]{}:,"]+')


def walk_json(text: str) -> Iterator[tuple[str, int, bool]]:
    """Yield (path, offset, is_key) for every value start and object key of valid JSON ``text``, in
    text order; one Python step per token (strings are skipped in C, whatever their length)."""
    stack: list[list[Any]] = []  # each: [kind, path, key_or_index, expecting_key]

    def child(frame: list[Any]) -> str:
        kind, base, key, _ = frame
        if kind == "{":
            return f"{base}.{key}" if base else str(key)
        return f"{base}[{key}]"

    current_path = ""
    search = _SCAN.search
    pos = 0
    while True:
        match = search(text, pos)
        if match is None:
            return
        token = match.group()
        start = match.start()
        pos = match.end()
        ch = token[0]
        if ch == '"':
            value, pos = scanstring(text, pos)
            if stack and stack[-1][0] == "{" and stack[-1][3]:
                stack[-1][2] = value
                stack[-1][3] = False
                yield child(stack[-1]), start, True
            else:
                yield current_path, start, False
        elif ch in "[{":
            yield current_path, start, False
            stack.append([ch, current_path, 0 if ch == "[" else None, ch == "{"])
            if ch == "[":
                current_path = child(stack[-1])
        elif ch in "]}":
            if stack:
                stack.pop()
        elif ch == ",":
            if stack:
                frame = stack[-1]
                if frame[0] == "[":
                    frame[2] += 1
                    current_path = child(frame)
                else:
                    frame[3] = True
        elif ch == ":":
            if stack:
                current_path = child(stack[-1])
        else:  # scalar literal
            yield current_path, start, False


#: Paths a :class:`JsonLocator` of a file with unique keys looks up directly before it scans.
DIRECT_LOOKUPS = 16
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_PATH_STEP = re.compile(r"(?:^|\.)([^.\[\]]+)|\[(\d+)\]")
_DECODER = json.JSONDecoder()


def direct_offset(text: str, path: str) -> int | None:
    """Where :func:`walk_json` first meets ``path`` in valid JSON ``text`` without repeated keys (the
    opening quote of an object member's key, the first character of a list item), or None when the
    path is not there; found along the path only, each value beside it skipped by the C decoder.
    ValueError: ``path`` is not keys and indices as the walk writes them."""
    steps = [(key, int(index) if index else None) for key, index in _PATH_STEP.findall(path)]
    if "".join(f"[{i}]" if i is not None else f".{k}" for k, i in steps).lstrip(".") != path:
        raise ValueError(f"not a path of keys and indices: {path!r}")
    skip, scan = _WHITESPACE.match, _DECODER.raw_decode
    pos = offset = skip(text, 0).end()  # type: ignore[union-attr]
    for key, index in steps:
        opening = text[pos]
        pos = skip(text, pos + 1).end()  # type: ignore[union-attr]
        n = 0
        while text[pos] not in "]}":
            if index is None:  # a member: its key, the colon, its value
                if opening != "{":
                    return None
                name, after = scanstring(text, pos + 1)
                if name == key:
                    offset, pos = pos, skip(text, skip(text, after).end() + 1).end()  # type: ignore[union-attr]
                    break
                pos = skip(text, skip(text, after).end() + 1).end()  # type: ignore[union-attr]
            elif opening != "[":
                return None
            elif n == index:
                offset = pos
                break
            pos = skip(text, scan(text, pos)[1]).end()  # type: ignore[union-attr]
            if text[pos] == ",":
                pos = skip(text, pos + 1).end()  # type: ignore[union-attr]
            n += 1
        else:
            return None
    return offset


def _duplicate_key_paths(text: str) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for path, _offset, is_key in walk_json(text):
        if not is_key:
            continue
        if path in seen:
            dupes.append(path)
        seen.add(path)
    return dupes
