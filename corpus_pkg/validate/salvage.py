"""The items of an annotation file that fit the schema when others do not, so that every item that
parsed still gets its span, reference and label checks (one schema error never hides the others)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..schema import ANNOTATION_LAYERS, AnnotationFile

_ITEM_PATH = re.compile(r"\b(segments|entities|quotes|numbers|stance)\[(\d+)\]")
_LIST_FIELDS = ("segments", *ANNOTATION_LAYERS)


@cache
def _item_adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(AnnotationFile.model_fields[name].annotation.__args__[0])  # type: ignore[union-attr]


def salvage(value: Any, exc: ValidationError) -> tuple[AnnotationFile, dict[str, list[int]], set[str]] | None:
    """The items of a file that failed the schema which do fit it, so that they can still be checked.

    Returns a partial AnnotationFile (built without validation; only its lists and raw_sha256 are
    meaningful), the original index of each kept item per list, and the ids of items that did not
    parse (references to them are not reported as dangling). None when the file is not a JSON object.
    """
    if not isinstance(value, dict):
        return None
    broken: dict[str, set[int]] = {}
    for err in exc.errors():
        loc = err["loc"]
        if len(loc) >= 2 and loc[0] in _LIST_FIELDS and isinstance(loc[1], int):
            broken.setdefault(str(loc[0]), set()).add(loc[1])
    fields: dict[str, Any] = {}
    indices: dict[str, list[int]] = {}
    unparsed: set[str] = set()
    for name in _LIST_FIELDS:
        items = value.get(name)
        kept, where = [], []
        for i, item in enumerate(items if isinstance(items, list) else []):
            if i in broken.get(name, ()):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    unparsed.add(item["id"])
                continue
            try:
                kept.append(_item_adapter(name).validate_python(item))
            except ValidationError:
                continue
            where.append(i)
        fields[name], indices[name] = kept, where
    sha = value.get("raw_sha256")
    partial = AnnotationFile.model_construct(
        raw_sha256=sha if isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha) else None, **fields
    )
    return partial, indices, unparsed


def original_indices(index_map: dict[str, list[int]], text: str) -> str:
    """``text`` with each ``layer[i]`` (an index among the items kept) replaced by the item's index in the file."""

    def replace(match: re.Match[str]) -> str:
        indices = index_map.get(match.group(1))
        i = int(match.group(2))
        return f"{match.group(1)}[{indices[i] if indices and i < len(indices) else i}]"

    return _ITEM_PATH.sub(replace, text)
