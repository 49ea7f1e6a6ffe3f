"""The build, release, diff and publish commands, run as real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

from corpus_pkg.release.build import build
from corpus_pkg.release.diff import diff


def test_build_prints_where_the_release_went(cli, rich_corpus: Path) -> None:
    out = rich_corpus / "dist" / "release"
    result = cli("build", "--no-cache", cwd=rich_corpus)  # default --out: ROOT/dist/release
    assert result.returncode == 0, result.stderr
    assert f"Release 0.1.0 written to {out} (" in result.stdout
    assert "  entities: train=5" in result.stdout
    assert "warning: ner: doc2 mention m3 not tagged: does not align to token boundaries" in result.stdout
    assert (out / "README.md").is_file()

    again = cli("build", "--root", str(rich_corpus), "--out", str(out))
    assert again.returncode == 1
    assert again.stderr == f"Error: {out} already exists; pass --overwrite (overwrite=True) to replace it\n"
    assert cli("build", "--root", str(rich_corpus), "--out", str(out), "--overwrite").returncode == 0


def test_build_shard_and_worker_options_match_the_api(cli, rich_corpus: Path, tmp_path: Path) -> None:
    result = cli(
        "build", "--root", str(rich_corpus), "--out", str(tmp_path / "cli"), "--docs-per-shard", "1", "--workers", "2"
    )
    assert result.returncode == 0, result.stderr
    api = build(rich_corpus, tmp_path / "api", docs_per_shard=1, workers=1, cache=False).out
    names = sorted(p.name for p in (tmp_path / "cli" / "data" / "entities").iterdir())
    assert names == ["train-00000-of-00002.parquet", "train-00001-of-00002.parquet"]
    files = sorted(p.relative_to(api) for p in api.rglob("*") if p.is_file())
    assert all((tmp_path / "cli" / f).read_bytes() == (api / f).read_bytes() for f in files)
    bad = cli("build", "--root", str(rich_corpus), "--out", str(tmp_path / "x"), "--docs-per-shard", "0")
    assert bad.returncode == 2 and "--docs-per-shard" in bad.stderr


def test_an_empty_corpus_is_refused_with_a_hint(cli, tmp_path: Path) -> None:
    assert cli("init", str(tmp_path / "empty"), "--name", "empty").returncode == 0
    result = cli("build", "--root", str(tmp_path / "empty"))
    assert result.returncode == 1
    assert "holds no documents, so there is nothing to release" in result.stderr
    assert "corpus add-article" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "empty" / "dist").exists()


def test_invalid_corpus_prints_the_report_and_builds_nothing(cli, rich_corpus: Path, tmp_path: Path) -> None:
    path = rich_corpus / "annotations" / "doc1.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"PERSON"', '"PER"', 1), encoding="utf-8")
    out = tmp_path / "release"
    result = cli("build", "--root", str(rich_corpus), "--out", str(out))
    assert result.returncode == 1
    assert "annotations/doc1.json:" in result.stderr and "error[undeclared-label]" in result.stderr
    assert result.stderr.rstrip().endswith("nothing was built. Run `corpus validate` for the full report.")
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_release_and_diff_commands(cli, rich_corpus: Path) -> None:
    first = cli("release", "--root", str(rich_corpus), "--message", "first")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Release 0.1.0 frozen at ")
    path = rich_corpus / "annotations" / "doc2.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"against"', '"favor"'), encoding="utf-8")
    second = cli("release", "--root", str(rich_corpus), "--bump", "patch", "-m", "fix stance")
    assert second.returncode == 0, second.stderr
    assert "## 0.1.1 (" in (rich_corpus / "CHANGELOG.md").read_text(encoding="utf-8")
    old, new = rich_corpus / "releases" / "0.1.0", rich_corpus / "releases" / "0.1.1"
    as_json = cli("diff", str(old), str(new), "--format", "json")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout) == json.loads(diff(old, new).model_dump_json())
    assert json.loads(as_json.stdout)["layers"]["stance"]["changed"] == ["doc2/s1"]


def test_publish_dry_run(cli, rich_corpus: Path, tmp_path: Path) -> None:
    out = build(rich_corpus, tmp_path / "rel").out
    result = cli("publish", "--repo-id", "my-org/terror-news", "--release", str(out), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"would upload release 0.1.0 from {out} to https://huggingface.co/datasets/my-org/")
    assert "  data/full/train-00000-of-00001.parquet  (" in result.stdout
    bad = cli("publish", "--repo-id", "nope", "--release", str(out), "--dry-run")
    assert bad.returncode == 1 and bad.stderr.startswith("Error: --repo-id 'nope' must look like ORG/NAME")
