"""An installed wheel (not a source checkout) serves the release shipped as package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_ships_and_loads_the_release(rich_release: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(REPO / "corpus_pkg", src / "corpus_pkg", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copytree(rich_release, src / "corpus_pkg" / "data" / "release")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheel_dir, site = tmp_path / "wheels", tmp_path / "site"
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheel_dir), str(src)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheel_dir.glob("corpus_pkg-*.whl")
    installed = subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    assert (site / "corpus_pkg" / "data" / "release" / "SHA256SUMS").is_file()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import corpus_pkg; "
        "print(corpus_pkg.__file__); "
        "print(corpus_pkg.load('entities', split='train').num_rows); "
        "print(sorted(d.doc_id for d in corpus_pkg.load_documents()))"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    result = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    module_file, rows, doc_ids = result.stdout.splitlines()
    assert module_file.startswith(str(site))
    expected_rows = len(
        __import__("datasets").load_dataset(str(rich_release), "entities", split="train", cache_dir=str(tmp_path / "c"))
    )
    assert int(rows) == expected_rows
    assert doc_ids == "['doc1', 'doc2', 'doc3']"
