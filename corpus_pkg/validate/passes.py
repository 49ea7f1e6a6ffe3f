"""The files of several annotators, checked by ``corpus validate`` like the gold files:
``passes/<annotator>/<doc_id>.json`` (each against ``raw/<doc_id>.txt``) and ``assignments.json``.
Passes are validated but never released (the build reads only ``pair_paths``)."""

from __future__ import annotations

from pathlib import Path

from ..corpus import (
    ANNOTATION_SUFFIX,
    ANNOTATIONS_DIR,
    ASSIGNMENTS_FILE,
    GOLD_NAME,
    PASSES_DIR,
    RAW_DIR,
    RAW_SUFFIX,
    is_safe_id,
)
from ..schema.assignments import Assignments
from .checks import DocumentPaths
from .corpus_files import ids_in, load_model
from .issues import Issue

__all__ = ("check_assignments", "pass_paths")


def pass_paths(root: Path) -> tuple[list[DocumentPaths], list[Issue]]:
    """The annotators' passes, ``passes/<annotator>/<doc_id>.json``, each checked against
    ``raw/<doc_id>.txt`` like a gold file; folders with unsafe names are reported, not read.
    Passes are validated but never released (the build reads only :func:`pair_paths`)."""
    issues: list[Issue] = []
    folder = root / PASSES_DIR
    if not folder.is_dir():
        return [], issues
    docs: list[DocumentPaths] = []
    for sub in sorted(folder.iterdir(), key=lambda p: p.name):
        rel = f"{PASSES_DIR}/{sub.name}"
        if sub.name.startswith("."):
            continue
        if not is_safe_id(sub.name) or sub.name == GOLD_NAME or sub.is_symlink() or not sub.is_dir():
            issues.append(
                Issue.make(
                    "unsafe-id",
                    f"{rel!r} is not a safe annotator folder (or is a link or file); it was not read",
                    file=rel,
                    value=sub.name,
                    expected=f"a folder passes/<annotator>, the name not {GOLD_NAME!r}",
                )
            )
            continue
        for doc_id in sorted(ids_in(sub, ANNOTATION_SUFFIX, issues, prefix=f"{PASSES_DIR}/")):
            docs.append(DocumentPaths(doc_id, f"{rel}/{doc_id}{ANNOTATION_SUFFIX}", f"{RAW_DIR}/{doc_id}{RAW_SUFFIX}"))
    return docs, issues


def check_assignments(root: Path, issues: list[Issue]) -> None:
    """assignments.json (optional): the schema, and every assigned document must exist."""
    plan = load_model(root / ASSIGNMENTS_FILE, Assignments, issues, required=False)
    if plan is None:
        return
    for doc_id in plan.documents:
        if not (root / ANNOTATIONS_DIR / f"{doc_id}{ANNOTATION_SUFFIX}").is_file():
            issues.append(
                Issue.make(
                    "unresolved-reference",
                    f"assignments.json assigns document {doc_id!r}, which has no annotation file",
                    file=ASSIGNMENTS_FILE,
                    json_path=f"documents.{doc_id}",
                    value=doc_id,
                    expected="an existing document id",
                )
            )
