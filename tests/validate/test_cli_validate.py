"""`corpus validate` and `corpus schema` through a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from corpus_pkg import validate
from corpus_pkg.schema.export import annotation_json_schema_text

from .helpers import load_ann, save_ann


def _break(root: Path) -> None:
    data = load_ann(root)
    data["entities"][0]["label"] = "PER"
    data["quotes"][0]["speaker"]["mention_id"] = "e99"
    save_ann(root, data)


def test_valid_corpus_exits_zero(cli, mini_corpus: Path) -> None:
    result = cli("validate", "--root", str(mini_corpus))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "valid: 1 documents, 0 error(s), 0 warning(s)\n"


def test_default_root_is_current_directory(cli, mini_corpus: Path) -> None:
    result = cli("validate", cwd=mini_corpus)
    assert result.returncode == 0 and "valid: 1 documents" in result.stdout


def test_text_format_names_file_line_and_hint(cli, mini_corpus: Path) -> None:
    _break(mini_corpus)
    result = cli("validate", "--root", str(mini_corpus))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    label_line = next(line for line in lines if "undeclared-label" in line)
    report = validate(mini_corpus)
    issue = next(i for i in report.issues if i.code == "undeclared-label")
    assert label_line == (
        f"annotations/doc1.json:{issue.line}:{issue.column}: error[undeclared-label] "
        "entities[0].label: 'PER' is not a declared entity label"
    )
    assert any(line.strip().startswith("hint: Use a label listed under entity_labels") for line in lines)
    assert lines[-1] == "INVALID: 1 documents, 2 error(s), 0 warning(s)"
    assert "Traceback" not in result.stderr


def test_json_format_equals_python_report(cli, mini_corpus: Path) -> None:
    _break(mini_corpus)
    result = cli("validate", "--root", str(mini_corpus), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == json.loads(validate(mini_corpus).model_dump_json())
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert {i["json_path"] for i in payload["issues"]} == {"entities[0].label", "quotes[0].speaker.mention_id"}


def test_github_format_emits_workflow_commands(cli, mini_corpus: Path) -> None:
    _break(mini_corpus)
    result = cli("validate", "--root", str(mini_corpus), "--format", "github")
    assert result.returncode == 1
    report = validate(mini_corpus)
    issue = next(i for i in report.issues if i.code == "unresolved-reference")
    expected_prefix = (
        f"::error file=annotations/doc1.json,line={issue.line},col={issue.column},title=unresolved-reference::"
    )
    assert any(line.startswith(expected_prefix) for line in result.stdout.splitlines())
    text = (Path(mini_corpus) / "annotations" / "doc1.json").read_text(encoding="utf-8").splitlines()
    assert '"mention_id": "e99"' in text[issue.line - 1]


def test_warnings_alone_exit_zero(cli, mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["numbers"][0]["origin"] = "suggestion"
    save_ann(mini_corpus, data)
    result = cli("validate", "--root", str(mini_corpus), "--format", "github")
    assert result.returncode == 0
    assert result.stdout.startswith("::warning file=annotations/doc1.json,")


def test_select_unknown_code_is_a_clean_error(cli, mini_corpus: Path) -> None:
    result = cli("validate", "--root", str(mini_corpus), "--select", "no-such-code")
    assert result.returncode == 2  # a usage error, not an invalid corpus
    assert result.stderr.startswith("Error: --select: unknown issue code(s) 'no-such-code'")
    assert result.stdout == ""


def test_missing_root_is_a_clean_error(cli, tmp_path: Path) -> None:
    result = cli("validate", "--root", str(tmp_path / "absent"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"Error: corpus root {str(tmp_path / 'absent')!r} is not a folder"


def test_bad_format_is_a_usage_error(cli, mini_corpus: Path) -> None:
    result = cli("validate", "--root", str(mini_corpus), "--format", "xml")
    assert result.returncode == 2
    assert "xml" in result.stderr


def test_schema_command_prints_committed_schema(cli) -> None:
    result = cli("schema")
    assert result.returncode == 0
    assert result.stdout == annotation_json_schema_text()
    schema = json.loads(result.stdout)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) >= {"schema_version", "doc_id", "raw_sha256", "meta"}
