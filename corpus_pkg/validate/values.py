"""Values in reports: pydantic error locations as JSON paths, offending values as JSON-safe data and text."""

from __future__ import annotations

from typing import Any


def loc_to_path(loc: tuple[int | str, ...], data: Any) -> str:
    """Turn a pydantic error location into a JSON path over ``data``, dropping union tags
    (``('quotes', 3, 'speaker', 'mention', 'mention_id')`` -> ``quotes[3].speaker.mention_id``)."""
    path = ""
    current = data
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            current = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
        elif isinstance(current, dict) and part not in current and current.get("type") == part:
            continue  # discriminated-union tag
        elif "[" in str(part):
            continue  # validator name such as function-after[...]
        elif isinstance(current, dict) and part in current:
            path = f"{path}.{part}" if path else part
            current = current[part]
        elif isinstance(current, dict) or current is None:
            path = f"{path}.{part}" if path else part
            current = None
        else:
            continue
    return path


def jsonable(value: Any) -> Any:
    """Error input values as JSON-safe, size-bounded data for reports."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str) and len(value) > 200:
            return value[:200] + "..."
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else repr(value)
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


def shown(value: Any) -> str:
    """A report value as the text output shows it: JSON-like, with its type for scalars."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (boolean)"
    if isinstance(value, int):
        return f"{value} (integer)"
    if isinstance(value, float):
        return f"{value!r} (number)"
    if isinstance(value, str) and not value.startswith(("{", "[")):
        return f"{value!r} (string)"
    return str(value)
