"""The converter report: its codes are entries of the one issue catalogue, text and JSON forms."""

from __future__ import annotations

import ast
from pathlib import Path

from corpus_pkg import ConvertWarning
from corpus_pkg.convert import FORMATS, ConvertReport
from corpus_pkg.validate.issues import CATALOGUE, Issue

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "converters.md"


def _codes_used_in(folder: Path) -> set[str]:
    """Every string literal passed as the first argument of ``.add(...)``/``.warn(...)`` or as ``code=``."""
    codes: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("add", "warn")
                )
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                codes.add(node.args[0].value)
            if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
                codes.add(node.value.value)
            if isinstance(node, ast.Tuple) and node.elts and isinstance(node.elts[0], ast.Constant):
                value = node.elts[0].value
                if isinstance(value, str) and value in CATALOGUE:
                    codes.add(value)
    return {c for c in codes if "-" in c}


def test_every_code_the_converters_use_is_in_the_catalogue_and_documented() -> None:
    used = _codes_used_in(REPO / "corpus_pkg" / "convert")
    assert used, "no codes found: the scan is broken"
    assert used <= set(CATALOGUE), used - set(CATALOGUE)
    issues_md = (REPO / "docs" / "issues.md").read_text(encoding="utf-8")
    assert all(f"### `{code}`" in issues_md for code in used)
    convert_codes = {c for c, e in CATALOGUE.items() if e.scope == "convert"}
    assert {"malformed-item", "not-exported", "unreadable-source", "document-exists"} <= convert_codes
    text = DOC.read_text(encoding="utf-8")
    headings = {line[3:].lower().replace(" ", "") for line in text.splitlines() if line.startswith("## ")}
    assert set(FORMATS) <= headings
    assert set(FORMATS) == {"brat", "labelstudio", "doccano", "conll"}


def test_convert_warning_is_the_catalogue_issue() -> None:
    assert ConvertWarning is Issue
    report = ConvertReport(format="brat", direction="import")
    issue = report.add("malformed-item", "1 line skipped", file="d.ann", doc_id="d", line=3, lines=["T1.5\tPER 0 1\tx"])
    assert issue.severity == "warning" and issue.hint == CATALOGUE["malformed-item"].hint
    assert issue.line == 3 and report.warnings == [issue] and report.errors == []
    report.add("unreadable-source", "bad JSON", file="x.json", line=1, column=2)
    assert [e.code for e in report.errors] == ["unreadable-source"]


def test_report_text_lists_issue_lines_and_truncates() -> None:
    report = ConvertReport(format="brat", direction="import", documents=["d"], valid=True, applied=True)
    report.count("entities", 3)
    report.add(
        "not-representable",
        "7 line(s) not imported",
        file="d.ann",
        doc_id="d",
        line=4,
        lines=[f"R{i}" for i in range(7)],
    )
    text = report.to_text()
    assert text.splitlines()[0] == "imported 1 document(s) (brat): 3 entities"
    assert "d.ann:4: warning[not-representable] 7 line(s) not imported" in text
    assert "    R4\n    ... and 2 more\n" in text
    assert text.endswith("corpus validates\n")
    assert ConvertReport.model_validate_json(report.model_dump_json()) == report


def test_refused_report_says_nothing_was_written() -> None:
    report = ConvertReport(format="doccano", direction="import")
    report.add("unreadable-source", "line 2: invalid JSON", file="x.jsonl", line=2)
    text = report.to_text()
    assert text.startswith("nothing imported (doccano): 1 error(s); nothing was written\n")
    assert "x.jsonl:2: error[unreadable-source] line 2: invalid JSON" in text


def test_lone_surrogates_in_messages_are_escaped() -> None:
    report = ConvertReport(format="labelstudio", direction="import")
    report.add("malformed-item", "label \ud800 skipped", lines=["\udc00"])
    assert "\\ud800" in report.to_text() and "\\udc00" in report.to_text()
    report.model_dump_json()  # no UnicodeEncodeError
