"""Facts stated in the docs are checked against the real data."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_schema_doc_offset_example_is_true() -> None:
    doc = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    assert "starts at code point 213 but at byte 218" in doc
    raw = (REPO / "raw" / "001_28aa80f870fd1738.txt").read_text(encoding="utf-8")
    start = raw.index("The French government") + len("The ")
    assert raw[start : start + 6] == "French"
    assert (start, len(raw[:start].encode("utf-8"))) == (213, 218)
