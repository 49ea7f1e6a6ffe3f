"""Validate a corpus folder: ``validate(root) -> Report``. Raises only on unusable arguments."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .checks import CorpusContext, DocumentFiles, check_document, load_config_issues, pair_files
from .issues import CATALOGUE, Issue, IssueCode
from .report import Report

__all__ = ("CATALOGUE", "Issue", "IssueCode", "Report", "validate", "validate_documents")


def validate(
    root: str | Path = ".",
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> Report:
    """Check every file of the corpus at ``root`` and report all issues found.

    Args:
        root: corpus folder (holding corpus.json, raw/, annotations/).
        select: only keep issues with these codes.
        ignore: drop issues with these codes.

    Example:
        >>> report = validate("tests/data/minimal")  # doctest: +SKIP
        >>> report.valid
        True
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus root {str(root)!r} is not a folder")
    ctx, issues, _config = load_config_issues(root)
    docs, pairing = pair_files(root)
    issues.extend(pairing)
    issues.extend(validate_documents(docs, ctx))
    return make_report(issues, len(docs), select, ignore)


def validate_documents(docs: Iterable[DocumentFiles], ctx: CorpusContext) -> list[Issue]:
    """Run the per-document checks on already-read files."""
    out: list[Issue] = []
    for files in docs:
        out.extend(check_document(files, ctx))
    return out


def make_report(
    issues: list[Issue], n_documents: int, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> Report:
    """Filter issues by code and compute validity and counts."""
    unknown = sorted({*(select or ()), *(ignore or ())} - set(CATALOGUE))
    if unknown:
        raise ValueError(f"unknown issue code(s): {', '.join(unknown)}; known: {', '.join(CATALOGUE)}")
    if select:
        keep = set(select)
        issues = [i for i in issues if i.code in keep]
    if ignore:
        drop = set(ignore)
        issues = [i for i in issues if i.code not in drop]
    errors = sum(1 for i in issues if i.severity == "error")
    stats = {"documents": n_documents, "errors": errors, "warnings": len(issues) - errors}
    return Report(valid=errors == 0, stats=stats, issues=issues)
