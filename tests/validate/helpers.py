"""Helpers to break a copy of the mini corpus in one precise way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DOC = "doc1"


def ann_path(root: Path, doc_id: str = DOC) -> Path:
    return root / "annotations" / f"{doc_id}.json"


def load_ann(root: Path, doc_id: str = DOC) -> dict[str, Any]:
    return json.loads(ann_path(root, doc_id).read_text(encoding="utf-8"))


def save_ann(root: Path, data: dict[str, Any], doc_id: str = DOC) -> None:
    ann_path(root, doc_id).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def codes(report) -> list[str]:
    return [issue.code for issue in report.issues]


def only_error(report, code: str):
    """The single error of the report, checked to have ``code``."""
    errors = report.errors
    assert [e.code for e in errors] == [code], report.to_text()
    return errors[0]
