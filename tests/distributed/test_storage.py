"""Storage: a corpus and a release on S3 (fsspec/s3fs against moto's real S3 server on 127.0.0.1), and
releases that are never half there."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus_pkg.release.build import InvalidCorpusError, build
from corpus_pkg.validate import validate
from tests.conftest import run_cli

from .conftest import S3, release_digests

BUCKET = "corpus-test"


def upload_corpus(s3: S3, corpus: Path, prefix: str) -> str:
    fs = s3.filesystem()
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and ".corpus_cache" not in path.parts:
            fs.pipe_file(f"{BUCKET}/{prefix}/{path.relative_to(corpus).as_posix()}", path.read_bytes())
    return f"s3://{BUCKET}/{prefix}"


def remote_digests(s3: S3, prefix: str) -> dict[str, str]:
    fs = s3.filesystem()
    base = f"{BUCKET}/{prefix}/"
    return {p[len(base) :]: hashlib.sha256(fs.cat_file(p)).hexdigest() for p in sorted(fs.find(base))}


def test_s3_round_trip_on_dask_is_byte_identical(synth_corpus: Path, tmp_path: Path, s3_server: S3) -> None:
    build(synth_corpus, tmp_path / "local", cache=False, workers=1, docs_per_shard=10)
    root = upload_corpus(s3_server, synth_corpus, "corpus")
    env = s3_server.env
    assert os.environ["FSSPEC_S3_ENDPOINT_URL"] == env["FSSPEC_S3_ENDPOINT_URL"]  # the CLI and workers inherit it
    result = run_cli("build", "--root", root, "--out", f"s3://{BUCKET}/rel/0.3.0", "--docs-per-shard", "10",
                     "--engine", "dask")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"written to s3://{BUCKET}/rel/0.3.0" in result.stdout
    assert remote_digests(s3_server, "rel/0.3.0") == release_digests(tmp_path / "local")
    assert s3_server.filesystem().ls(f"{BUCKET}/rel") == [f"{BUCKET}/rel/0.3.0"]  # no temporary prefix left

    report = validate(root, workers=1)
    assert report.model_dump_json() == validate(synth_corpus, cache=False, workers=1).model_dump_json()
    with pytest.raises(FileExistsError, match="already exists"):
        build(root, f"s3://{BUCKET}/rel/0.3.0", workers=1)


def test_a_failed_build_leaves_no_release_marker_on_s3(synth_corpus: Path, s3_server: S3) -> None:
    art = synth_corpus / "annotations" / "art000031.json"
    data = json.loads(art.read_text(encoding="utf-8"))
    data["entities"][0]["text"] += "x"  # no longer the text at its span: an error found by a worker
    art.write_text(json.dumps(data), encoding="utf-8")
    root = upload_corpus(s3_server, synth_corpus, "broken")
    try:
        build(root, f"s3://{BUCKET}/rel/bad", docs_per_shard=10, workers=1)
    except InvalidCorpusError as exc:
        assert any(issue.doc_id == "art000031" for issue in exc.report.errors)
    else:
        raise AssertionError("the build should have failed")
    fs = s3_server.filesystem()
    assert not fs.exists(f"{BUCKET}/rel/bad/SHA256SUMS")
    assert fs.find(f"{BUCKET}/rel") == []  # neither the release nor its temporary prefix


def test_an_interrupted_build_leaves_no_release_in_a_folder(synth_corpus: Path, tmp_path: Path) -> None:
    """SIGKILL the build once its workers have written shards: no release appears at --out."""
    out = tmp_path / "rel"
    proc = subprocess.Popen(
        [sys.executable, "-m", "corpus_pkg", "build", "--root", str(synth_corpus), "--out", str(out),
         "--docs-per-shard", "2", "--workers", "1", "--no-cache"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if any(p.name.endswith(".partial") for p in tmp_path.glob(".rel.tmp-*/data/*/.*")):
                break
            time.sleep(0.005)
        assert proc.poll() is None, "the build finished before it could be interrupted"
        proc.kill()
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert not out.exists()
