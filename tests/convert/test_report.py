"""The converter report: warning codes documented, text and JSON forms."""

from __future__ import annotations

import typing
from pathlib import Path

from corpus_pkg.convert import FORMATS, ConvertReport
from corpus_pkg.convert._report import WarningCode

DOC = Path(__file__).resolve().parents[2] / "docs" / "converters.md"


def test_every_warning_code_and_format_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = {line.split("`")[1] for line in text.splitlines() if line.startswith("| `")}
    assert set(typing.get_args(WarningCode)) <= rows
    assert all(f"## {name}" in text.replace("## Label Studio", "## labelstudio") for name in ("brat", "doccano"))
    assert set(FORMATS) == {"brat", "labelstudio", "doccano", "conll"}


def test_report_text_lists_warning_lines_and_truncates() -> None:
    report = ConvertReport(format="brat", direction="import", documents=["d"], valid=True)
    report.count("entities", 3)
    report.warn(
        "not-representable", "7 line(s) not imported", file="d.ann", doc_id="d", lines=[f"R{i}" for i in range(7)]
    )
    text = report.to_text()
    assert text.splitlines()[0] == "imported 1 document(s) (brat): 3 entities"
    assert "warning[not-representable] d.ann:d: 7 line(s) not imported" in text
    assert "    R4\n    ... and 2 more\n" in text
    assert text.endswith("corpus validates\n")
    assert ConvertReport.model_validate_json(report.model_dump_json()) == report
