"""The result of a validation run and its renderings (text, JSON, GitHub annotations)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .issues import Issue


class Report(BaseModel):
    """``valid`` is true when no error (warnings allowed) was found."""

    valid: bool
    stats: dict[str, int] = Field(default_factory=dict)
    issues: list[Issue] = Field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def to_text(self, hints: bool = True) -> str:
        """Human-readable report: one line per issue, ``file:line:col: severity[code] message``."""
        lines = []
        for issue in self.issues:
            where = issue.file or "(corpus)"
            if issue.line is not None:
                where += f":{issue.line}"
                if issue.column is not None:
                    where += f":{issue.column}"
            lines.append(f"{where}: {issue.severity}[{issue.code}] {issue.message}")
            if issue.expected is not None and issue.code != "schema-violation":
                lines.append(f"    expected: {issue.expected}")
            if hints:
                lines.append(f"    hint: {issue.hint}")
        n_err, n_warn = len(self.errors), len(self.warnings)
        status = "valid" if self.valid else "INVALID"
        lines.append(f"{status}: {self.stats.get('documents', 0)} documents, {n_err} error(s), {n_warn} warning(s)")
        return "\n".join(lines) + "\n"

    def to_github(self) -> str:
        """GitHub Actions workflow commands (``::error file=...,line=...::msg``) plus a summary line."""
        out = []
        for issue in self.issues:
            props = [f"file={_prop(issue.file or '.')}"]
            if issue.line is not None:
                props.append(f"line={issue.line}")
                if issue.column is not None:
                    props.append(f"col={issue.column}")
            props.append(f"title={_prop(issue.code)}")
            out.append(f"::{issue.severity} {','.join(props)}::{_data(issue.message + ' — ' + issue.hint)}")
        out.append(
            f"{'valid' if self.valid else 'INVALID'}: {len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )
        return "\n".join(out) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
