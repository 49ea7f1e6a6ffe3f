"""Strict JSON reading for hostile files, and JSON-path -> line/column lookup for error reports.

``json`` in the standard library accepts duplicate keys (the last one wins), NaN and Infinity,
and raises RecursionError on deeply nested input. Annotation files must reject all three with
a clear message, so this module wraps it.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


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
    def positions(self) -> dict[str, tuple[int, int]]:
        """JSON path -> (line, column), computed once on first use."""
        return json_positions(self.text)

    def locate(self, path: str) -> tuple[int, int] | None:
        """1-based (line, column) where the value at ``path`` starts, or the nearest parent's."""
        positions = self.positions
        while True:
            if path in positions:
                return positions[path]
            if not path:
                return None
            path = _parent_path(path)


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
    duplicate key recorded (as a JSON path) rather than silently dropped."""
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
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _literal_position(text: str, pattern: re.Pattern[str]) -> tuple[int | None, int | None]:
    """1-based (line, column) of the first match of ``pattern`` outside strings."""
    for match in _SCAN.finditer(text):
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
    for match in _SCAN.finditer(text):
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
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]', re.DOTALL)


def _parent_path(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rpartition(".")[0]


# Tokens of valid JSON, whitespace skipped: strings, structural characters, scalar literals.
_SCAN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.DOTALL)


def _walk(text: str):
    """Yield (path, offset, is_key) for every value start and object key, iteratively."""
    stack: list[list[Any]] = []  # each: [kind, path, key_or_index, expecting_key]

    def child(frame: list[Any]) -> str:
        kind, base, key, _ = frame
        if kind == "{":
            return f"{base}.{key}" if base else str(key)
        return f"{base}[{key}]"

    current_path = ""
    for match in _SCAN.finditer(text):
        token = match.group()
        pos = match.start()
        ch = token[0]
        if ch == '"':
            if stack and stack[-1][0] == "{" and stack[-1][3]:
                stack[-1][2] = json.loads(token) if "\\" in token else token[1:-1]
                stack[-1][3] = False
                yield child(stack[-1]), pos, True
            else:
                yield current_path, pos, False
        elif ch in "[{":
            yield current_path, pos, False
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
            yield current_path, pos, False


def json_positions(text: str) -> dict[str, tuple[int, int]]:
    """Map each JSON path (``quotes[3].speaker.mention_id``) to the 1-based (line, column) where it
    appears: the key for object members, the value for array items."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out: dict[str, tuple[int, int]] = {}
    for path, offset, _is_key in _walk(text):
        if path not in out:
            line = bisect.bisect_right(line_starts, offset)
            out[path] = (line, offset - line_starts[line - 1] + 1)
    return out


def _duplicate_key_paths(text: str) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for path, _offset, is_key in _walk(text):
        if not is_key:
            continue
        if path in seen:
            dupes.append(path)
        seen.add(path)
    return dupes
