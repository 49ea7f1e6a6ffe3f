"""The result of a validation run and its renderings (text, JSON, GitHub annotations)."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, Field

from .issues import Issue

#: Version of the JSON report layout (``corpus validate --format json``); see docs/report.schema.json.
REPORT_SCHEMA_VERSION = "1.0"


class IssuesBySeverity:
    """Mixin for a report model with an ``issues`` list: its errors and its warnings, in order."""

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


class Report(IssuesBySeverity, BaseModel):
    """``valid`` is true when no error (warnings allowed) was found.

    ``stats`` counts every issue (documents, errors, warnings); ``issues`` may be cut to the first
    ``--max-issues``, in which case ``omitted`` says how many more were found.
    """

    schema_version: Literal["1.0"] = Field(default=REPORT_SCHEMA_VERSION, description="Version of this report layout.")
    valid: bool = Field(description="True when no error was found (warnings allowed).")
    stats: dict[str, int] = Field(
        default_factory=dict, description="documents checked, errors and warnings found (all of them)."
    )
    issues: list[Issue] = Field(default_factory=list, description="The issues, in corpus order.")
    omitted: int = Field(default=0, description="Issues found but not listed (beyond --max-issues).")

    def limited(self, max_issues: int | None) -> Report:
        """This report with at most ``max_issues`` issues listed (the rest counted in ``omitted``)."""
        if max_issues is None or len(self.issues) <= max_issues:
            return self
        return self.model_copy(
            update={"issues": self.issues[:max_issues], "omitted": self.omitted + len(self.issues) - max_issues}
        )

    def with_paths_under(self, prefix: str) -> Report:
        """This report with every file path prefixed (``news/annotations/x.json`` for ``--root news``)."""
        if not prefix or prefix == ".":
            return self
        prefix = prefix.rstrip("/") + "/"
        issues = [
            i.model_copy(update={"file": prefix + (i.file or "").lstrip("/") if i.file else prefix.rstrip("/")})
            for i in self.issues
        ]
        return self.model_copy(update={"issues": issues})

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
        if self.omitted:
            lines.append(f"... and {self.omitted} more issue(s) not shown (raise --max-issues to see them)")
        n_err, n_warn = self.stats.get("errors", len(self.errors)), self.stats.get("warnings", len(self.warnings))
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
        if self.omitted:
            out.append(f"... and {self.omitted} more issue(s) not shown (raise --max-issues to see them)")
        n_err, n_warn = self.stats.get("errors", len(self.errors)), self.stats.get("warnings", len(self.warnings))
        out.append(f"{'valid' if self.valid else 'INVALID'}: {n_err} error(s), {n_warn} warning(s)")
        return "\n".join(out) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def report_json_schema_text() -> str:
    """docs/report.schema.json: the JSON Schema of ``corpus validate --format json`` (generated)."""
    schema = Report.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "corpus validate report", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
