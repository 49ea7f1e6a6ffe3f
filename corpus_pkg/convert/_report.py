"""What an import or export did, and everything it could not carry over, as values."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

#: Closed set of converter warning codes.
WarningCode = Literal[
    "not-representable",
    "offset-mismatch",
    "utf16-offsets",
    "unverified-offsets",
    "reencoded",
    "label-dropped",
    "stance-target-adopted",
    "normalization-kept-in-note",
    "multiple-labels",
    "multiple-annotations",
    "quote-kind-guessed",
    "overlap-dropped",
    "token-boundary",
    "iob-repair",
    "not-exported",
]


class ConvertWarning(BaseModel):
    """One lossy or doubtful step, with where it happened and the source lines involved."""

    code: WarningCode
    message: str
    file: str | None = None
    doc_id: str | None = None
    lines: list[str] = Field(default_factory=list, description="Source lines or items concerned (verbatim).")

    def to_text(self, max_lines: int = 5) -> str:
        where = ":".join(p for p in (self.file, self.doc_id) if p)
        head = f"warning[{self.code}] {where + ': ' if where else ''}{self.message}"
        shown = [f"    {line}" for line in self.lines[:max_lines]]
        if len(self.lines) > max_lines:
            shown.append(f"    ... and {len(self.lines) - max_lines} more")
        return "\n".join([head, *shown])


class ConvertReport(BaseModel):
    """Result of :func:`corpus_pkg.convert.import_corpus` or :func:`~corpus_pkg.convert.export_corpus`."""

    format: str
    direction: Literal["import", "export"]
    documents: list[str] = Field(default_factory=list, description="Document ids imported or exported.")
    counts: dict[str, int] = Field(default_factory=dict, description="entities, quotes, numbers, stance.")
    files: list[str] = Field(default_factory=list, description="Files written (export) or read (import).")
    adopted_labels: list[str] = Field(default_factory=list)
    warnings: list[ConvertWarning] = Field(default_factory=list)
    valid: bool | None = Field(default=None, description="Import: whether the corpus validates afterwards.")

    def warn(
        self,
        code: WarningCode,
        message: str,
        *,
        file: str | None = None,
        doc_id: str | None = None,
        lines: list[str] | None = None,
    ) -> None:
        """Record a warning."""
        self.warnings.append(ConvertWarning(code=code, message=message, file=file, doc_id=doc_id, lines=lines or []))

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def to_text(self) -> str:
        """Human summary: one line of counts, then every warning."""
        counts = ", ".join(f"{v} {k}" for k, v in sorted(self.counts.items()))
        verb = "imported" if self.direction == "import" else "exported"
        lines = [f"{verb} {len(self.documents)} document(s) ({self.format}){': ' + counts if counts else ''}"]
        if self.adopted_labels:
            lines.append(f"adopted entity labels: {', '.join(self.adopted_labels)}")
        if self.direction == "export" and self.files:
            lines.append(f"wrote {len(self.files)} file(s)")
        lines.extend(w.to_text() for w in self.warnings)
        if self.valid is not None:
            lines.append("corpus validates" if self.valid else "corpus does NOT validate: run `corpus validate`")
        return "\n".join(lines) + "\n"
