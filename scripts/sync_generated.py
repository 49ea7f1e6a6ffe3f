"""Regenerate the committed files derived from code: docs/issues.md, annotation.schema.json, docs/cli.md,
docs/report.schema.json.

Usage: python scripts/sync_generated.py [--check]
With --check, exit 1 and name the stale files instead of writing them (tests run this).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus_pkg.cli.reference import cli_reference_markdown
from corpus_pkg.schema.export import annotation_json_schema_text
from corpus_pkg.validate.issues import issues_markdown
from corpus_pkg.validate.report import report_json_schema_text

REPO = Path(__file__).resolve().parent.parent


def generated_files() -> dict[Path, str]:
    """Path -> the content it must have."""
    return {
        REPO / "docs" / "issues.md": issues_markdown(),
        REPO / "annotation.schema.json": annotation_json_schema_text(),
        REPO / "docs" / "cli.md": cli_reference_markdown(),
        REPO / "docs" / "report.schema.json": report_json_schema_text(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, content in generated_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != content:
            stale.append(path.relative_to(REPO))
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
    if args.check and stale:
        print("stale generated files (run python scripts/sync_generated.py):", *stale, sep="\n  ")
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
