"""What an import or export did, and everything it could not carry over, as issues of the one
catalogue (:mod:`corpus_pkg.validate.issues`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..corpus import CorpusError
from ..validate.issues import Issue, IssueCode
from ..validate.report import IssuesBySeverity

#: A converter warning is an :class:`~corpus_pkg.validate.issues.Issue` (code, severity, hint, location).
ConvertWarning = Issue


class ConvertReport(IssuesBySeverity, BaseModel):
    """Result of :func:`corpus_pkg.convert.import_corpus` or :func:`~corpus_pkg.convert.export_corpus`."""

    format: str
    direction: Literal["import", "export"]
    documents: list[str] = Field(default_factory=list, description="Document ids imported or exported.")
    counts: dict[str, int] = Field(default_factory=dict, description="entities, quotes, numbers, stance.")
    files: list[str] = Field(default_factory=list, description="Files written (export) or read (import).")
    adopted_labels: list[str] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list, description="Errors and warnings, in the order found.")
    applied: bool = Field(default=False, description="Import: whether anything was written (all or nothing).")
    valid: bool | None = Field(default=None, description="Import: whether the corpus validates afterwards.")

    def add(
        self,
        code: IssueCode,
        message: str,
        *,
        file: str | None = None,
        doc_id: str | None = None,
        lines: list[str] | None = None,
        **location: Any,
    ) -> Issue:
        """Record an issue; severity and hint come from the catalogue."""
        shown = [_printable(line) for line in lines] if lines else None
        issue = Issue.make(code, _printable(message), file=file, doc_id=doc_id, lines=shown, **location)
        self.issues.append(issue)
        return issue

    warn = add  # the name older callers use

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def to_text(self, max_lines: int = 5) -> str:
        """Human summary: one line of counts, then every issue with its location and lines."""
        counts = ", ".join(f"{v} {k}" for k, v in sorted(self.counts.items()))
        verb = "imported" if self.direction == "import" else "exported"
        if self.direction == "import" and not self.applied:
            head = f"nothing imported ({self.format}): {len(self.errors)} error(s); nothing was written"
        else:
            head = f"{verb} {len(self.documents)} document(s) ({self.format}){': ' + counts if counts else ''}"
        lines = [head]
        if self.adopted_labels and self.applied:
            lines.append(f"adopted entity labels: {', '.join(self.adopted_labels)}")
        if self.direction == "export" and self.files:
            lines.append(f"wrote {len(self.files)} file(s)")
        for issue in self.issues:
            lines.append(f"{_where(issue)}{issue.severity}[{issue.code}] {issue.message}")
            shown = issue.lines or []
            lines.extend(f"    {line}" for line in shown[:max_lines])
            if len(shown) > max_lines:
                lines.append(f"    ... and {len(shown) - max_lines} more")
        if self.valid is not None and self.applied:
            lines.append("corpus validates" if self.valid else "corpus does NOT validate: run `corpus validate`")
        return "\n".join(lines) + "\n"


def _printable(text: str) -> str:
    """``text`` with lone surrogates escaped, so a report can always be printed and dumped as JSON."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _where(issue: Issue) -> str:
    parts = [issue.file or ""]
    if issue.line is not None:
        parts.append(str(issue.line))
        if issue.column is not None:
            parts.append(str(issue.column))
    where = ":".join(p for p in parts if p)
    if issue.json_path:
        where = f"{where} {issue.json_path}" if where else issue.json_path
    if issue.doc_id and (not issue.file or Path(issue.file).stem != issue.doc_id):
        where = f"{where} ({issue.doc_id})" if where else issue.doc_id
    return f"{where}: " if where else ""


class ImportRefused(CorpusError):
    """An import found errors and wrote nothing; ``report`` lists them (and every warning)."""

    def __init__(self, report: ConvertReport) -> None:
        self.report = report
        errors = report.errors
        first = "; ".join(f"{_where(e)}{e.message}" for e in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"import refused, nothing was written: {first}{more}")


class SourceError(CorpusError):
    """A reader cannot go on with a file; becomes an ``unreadable-source`` (or the given code) error."""

    def __init__(self, message: str, *, code: IssueCode = "unreadable-source", **location: Any) -> None:
        super().__init__(message)
        self.code: IssueCode = code
        self.location = location
