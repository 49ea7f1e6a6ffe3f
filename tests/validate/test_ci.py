"""CI ergonomics: exit codes, --strict, PATH..., comma lists, GitHub paths, report schema, CI files, CLI errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from corpus_pkg._cache import default_cache_dir
from tests.conftest import REPO

from .helpers import load_ann, save_ann


def _break(root: Path) -> None:
    data = load_ann(root)
    data["entities"][0]["label"] = "PER"
    data["quotes"][0]["speaker"]["mention_id"] = "e99"
    save_ann(root, data)


def _second_document(root: Path, doc_id: str = "doc2") -> None:
    shutil.copyfile(root / "raw" / "doc1.txt", root / "raw" / f"{doc_id}.txt")
    data = load_ann(root)
    data["doc_id"] = doc_id
    save_ann(root, data, doc_id)


def test_comma_lists_select_and_ignore(cli, mini_corpus: Path) -> None:
    _break(mini_corpus)
    result = cli(
        "validate", "--root", str(mini_corpus), "--format", "json", "--select", "undeclared-label,duplicate-id"
    )
    assert [i["code"] for i in json.loads(result.stdout)["issues"]] == ["undeclared-label"]
    result = cli(
        "validate", "--root", str(mini_corpus), "--format", "json", "--ignore", "undeclared-label, unresolved-reference"
    )
    assert result.returncode == 0 and json.loads(result.stdout)["issues"] == []
    bad = cli("validate", "--root", str(mini_corpus), "--ignore", "undeclared-label,bogus")
    assert bad.returncode == 2 and "'bogus'" in bad.stderr and bad.stdout == ""


def test_strict_makes_warnings_fail(cli, mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["numbers"][0]["origin"] = "suggestion"  # an unreviewed suggestion is a warning
    save_ann(mini_corpus, data)
    assert cli("validate", "--root", str(mini_corpus)).returncode == 0
    strict = cli("validate", "--root", str(mini_corpus), "--strict")
    assert strict.returncode == 1 and "warning[unreviewed-suggestion]" in strict.stdout


def test_paths_check_only_those_documents(cli, mini_corpus: Path) -> None:
    _second_document(mini_corpus)
    _break(mini_corpus)  # doc1 is broken, doc2 is fine
    root = str(mini_corpus)
    good = cli("validate", "--root", root, "raw/doc2.txt", "annotations/doc2.json", cwd=mini_corpus)
    assert good.returncode == 0 and "valid: 1 documents" in good.stdout, good.stdout
    bad = cli("validate", "--root", root, str(mini_corpus / "annotations" / "doc1.json"))
    assert bad.returncode == 1 and "1 documents" in bad.stdout
    everything = cli("validate", "--root", root, "corpus.json", cwd=mini_corpus)  # the config touches every document
    assert everything.returncode == 1 and "2 documents" in everything.stdout
    unrelated = cli("validate", "--root", root, "README.md", cwd=mini_corpus)
    assert unrelated.returncode == 0 and "0 documents" in unrelated.stdout


def test_github_paths_are_relative_to_the_git_top_level(cli, mini_corpus: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    news = repo / "news"
    shutil.copytree(mini_corpus, news)
    _break(news)
    for cwd, root in ((repo, "news"), (news, "."), (repo / "news" / "raw", "..")):
        result = cli("validate", "--root", root, "--format", "github", cwd=cwd)
        assert result.returncode == 1
        assert "::error file=news/annotations/doc1.json,line=" in result.stdout, (cwd, result.stdout)


def test_json_report_has_a_version_and_a_published_schema(cli, mini_corpus: Path) -> None:
    _break(mini_corpus)
    report = json.loads(cli("validate", "--root", str(mini_corpus), "--format", "json").stdout)
    assert report["schema_version"] == "1.0" and report["omitted"] == 0
    schema = json.loads((REPO / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    report["valid"] = "no"
    assert not jsonschema.Draft202012Validator(schema).is_valid(report)


def test_ci_validate_script_keeps_the_validators_exit_code(mini_corpus: Path) -> None:
    script = REPO / ".ci" / "validate"
    assert subprocess.run([script, "--root", str(mini_corpus)], capture_output=True).returncode == 0
    _break(mini_corpus)
    assert subprocess.run([script, "--root", str(mini_corpus)], capture_output=True).returncode == 1
    assert subprocess.run([script, "--select", "nope"], capture_output=True).returncode == 2


def test_ci_workflow_and_hooks() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    assert "group" in workflow["concurrency"] and workflow["concurrency"]["cancel-in-progress"] is True
    steps = workflow["jobs"]["test"]["steps"]
    runs = [step.get("run", "") for step in steps]
    validate_at = next(i for i, run in enumerate(runs) if run.startswith(".ci/validate"))
    tests_at = next(i for i, run in enumerate(runs) if ".ci/run" in run)
    assert validate_at < tests_at, "validation runs before the slow tests"
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert Path(cache["with"]["path"]) == default_cache_dir(Path("."), "validate")
    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(h for repo in hooks["repos"] for h in repo["hooks"] if h["id"] == "corpus-validate")
    assert hook["entry"] == ".ci/validate" and hook["pass_filenames"] is True


def test_gitattributes_keep_raw_bytes_exact() -> None:
    result = subprocess.run(
        ["git", "check-attr", "text", "raw/x.txt", "tests/data/mini/raw/doc1.txt"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == ["raw/x.txt: text: unset", "tests/data/mini/raw/doc1.txt: text: unset"]


def _run_patched(patch: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = f"import sys\n{patch}\nfrom corpus_pkg.cli import main\nsys.argv = ['corpus', *sys.argv[1:]]\nmain()\n"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO)


def test_unexpected_exceptions_show_a_short_traceback_and_ask_for_a_report(mini_corpus: Path) -> None:
    patch = (
        "import corpus_pkg.cli.validate_cmd as v\n"
        "def boom(*a, **k):\n    import json; json.loads('{')  # a ValueError raised inside a library\n"
        "v.validate = boom"
    )
    result = _run_patched(patch, "validate", "--root", str(mini_corpus))
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "JSONDecodeError" in result.stderr
    assert "this is a bug in corpus_pkg" in result.stderr and "report it" in result.stderr
    assert len(result.stderr.splitlines()) < 30


def test_invalid_config_is_a_one_line_error_not_a_pydantic_dump(cli, mini_corpus: Path) -> None:
    config = json.loads((mini_corpus / "corpus.json").read_text(encoding="utf-8"))
    config["version"] = 3
    (mini_corpus / "corpus.json").write_text(json.dumps(config), encoding="utf-8")
    result = cli("add", "entity", "doc1", "Amber Rudd", "--label", "PERSON", "--root", str(mini_corpus))
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and "corpus.json is invalid: version:" in line and "(got 3)" in line
    assert "pydantic" not in line and "For further information" not in line
