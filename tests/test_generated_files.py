"""Committed files generated from code (schema, issue catalogue docs, CLI reference) stay in sync."""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from pathlib import Path

import jsonschema
import pytest

from corpus_pkg.cli.reference import cli_reference_markdown, iter_commands, root_command
from corpus_pkg.validate.issues import CATALOGUE, IssueCode

REPO = Path(__file__).resolve().parent.parent


def test_generated_files_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "sync_generated.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_codes_catalogue_and_docs_agree() -> None:
    codes = set(typing.get_args(IssueCode))
    assert codes == set(CATALOGUE)
    docs = (REPO / "docs" / "issues.md").read_text(encoding="utf-8")
    assert {line[5:-1] for line in docs.splitlines() if line.startswith("### `")} == codes


@pytest.mark.parametrize("root", [REPO / "tests" / "data" / "mini", REPO], ids=["mini", "repo"])
def test_committed_json_schema_accepts_real_annotation_files(root: Path) -> None:
    schema = json.loads((REPO / "annotation.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((root / "annotations").glob("*.json"))
    assert files, f"no annotation files under {root}"
    for path in files:
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert errors == [], f"{path}: {errors[0].message}"


def test_committed_json_schema_rejects_unknown_keys() -> None:
    schema = json.loads((REPO / "annotation.schema.json").read_text(encoding="utf-8"))
    data = json.loads((REPO / "tests/data/mini/annotations/doc1.json").read_text(encoding="utf-8"))
    data["entities"][0]["colour"] = "red"
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_every_command_has_help_and_is_in_the_reference() -> None:
    reference = cli_reference_markdown()
    commands = list(iter_commands(root_command(), ["corpus"]))
    assert len(commands) > 2
    for path, command in commands[1:]:
        name = " ".join(path)
        assert command.help, f"{name} has no help text"
        assert f"## `{name}`" in reference
