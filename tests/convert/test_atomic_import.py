"""Imports are all or nothing, also when the process is killed (kill -9) at any point."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from corpus_pkg.convert import import_corpus, recover_imports
from corpus_pkg.convert._staging import STAGING_PREFIX
from corpus_pkg.corpus import Corpus
from corpus_pkg.validate import validate

from .helpers import fresh_corpus

N_DOCS = 40


def _source(tmp_path: Path, n: int = N_DOCS) -> Path:
    src = tmp_path / "many.jsonl"
    lines = []
    for k in range(n):
        text = f"Doc {k}: Amber Rudd met officials in London.\n"
        start = text.index("Amber")
        lines.append(
            json.dumps(
                {"doc_id": f"d{k:03}", "text": text, "label": [[start, start + 10, "PERSON"]]}, ensure_ascii=False
            )
        )
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def _state(root: Path) -> tuple[list[str], list[str]]:
    corpus = Corpus.at(root)
    return sorted(p.stem for p in corpus.raw_dir.glob("*.txt")), sorted(
        p.stem for p in corpus.annotations_dir.glob("*.json")
    )


#: Runs an import in a child process that kills itself with SIGKILL after ``moves`` files were moved into place.
_KILL_AFTER_MOVES = textwrap.dedent(
    """
    import os, signal, sys
    from corpus_pkg.convert import import_corpus
    limit, seen, real = int(sys.argv[3]), [0], os.replace
    def replace(src, dst):
        if ".corpus_import-" in str(src):  # a move out of the staging folder
            if seen[0] == limit:
                os.kill(os.getpid(), signal.SIGKILL)
            seen[0] += 1
        real(src, dst)
    os.replace = replace
    import_corpus("doccano", sys.argv[1], root=sys.argv[2])
    """
)


@pytest.mark.parametrize("moves", [0, 1, 2, 41, 80])
def test_kill_while_moving_files_into_place_is_rolled_back(tmp_path: Path, moves: int) -> None:
    src, root = _source(tmp_path), fresh_corpus(tmp_path)
    child = subprocess.run(
        [sys.executable, "-c", _KILL_AFTER_MOVES, str(src), str(root), str(moves)], capture_output=True
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    raw, ann = _state(root)
    assert len(raw) + len(ann) + ("corpus.json" in os.listdir(root)) >= min(moves, 1)  # it did move files
    assert list(root.glob(f"{STAGING_PREFIX}*")), "the journal of the killed import is gone"
    restored = recover_imports(root)
    assert len(restored) == moves
    assert _state(root) == ([], []) and not list(root.glob(f"{STAGING_PREFIX}*"))
    assert json.loads((root / "corpus.json").read_text(encoding="utf-8"))["entity_labels"] == []  # as before
    report = import_corpus("doccano", src, root=root)  # the re-run works
    assert report.applied and len(report.documents) == N_DOCS and validate(root, cache=False).valid


def test_kill_at_random_moments_never_leaves_a_half_import(tmp_path: Path) -> None:
    n = 150
    src = _source(tmp_path, n)
    everything = ([f"d{k:03}" for k in range(n)],) * 2
    for trial, delay in enumerate((0.1, 0.7, 1.1, 1.5)):
        root = fresh_corpus(tmp_path, f"c{trial}")
        child = subprocess.Popen(
            [sys.executable, "-m", "corpus_pkg", "import", "doccano", str(src), "--root", str(root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        report = None
        if _state(root) != everything:
            report = import_corpus("doccano", src, root=root)  # recovers, then imports everything
            assert report.applied
        assert _state(root) == everything, trial
        assert not list(root.glob(f"{STAGING_PREFIX}*"))
        assert validate(root, cache=False).valid


def test_an_error_while_moving_undoes_the_moves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus_pkg.convert import _staging

    src, root = _source(tmp_path), fresh_corpus(tmp_path)
    config_before = (root / "corpus.json").read_bytes()
    calls = []
    real = os.replace

    def failing(a, b):
        calls.append(b)
        if len(calls) == 10:
            raise OSError(28, "No space left on device")
        real(a, b)

    monkeypatch.setattr(_staging.os, "replace", failing)
    with pytest.raises(OSError, match="No space"):
        import_corpus("doccano", src, root=root)
    monkeypatch.undo()
    assert _state(root) == ([], []) and (root / "corpus.json").read_bytes() == config_before
    assert not list(root.glob(f"{STAGING_PREFIX}*"))


def test_concurrent_imports_wait_for_each_other(tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    sources = []
    for n in range(3):
        src = tmp_path / f"part{n}.jsonl"
        records = [
            {"doc_id": f"p{n}-{k}", "text": f"Amber Rudd spoke ({n}/{k}).", "label": [[0, 10, "PERSON"]]}
            for k in range(5)
        ]
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        sources.append(src)
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "corpus_pkg", "import", "doccano", str(src), "--root", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for src in sources
    ]
    results = [(child.wait(timeout=300), child.stdout.read(), child.stderr.read()) for child in children]
    assert [code for code, _, _ in results] == [0, 0, 0], results
    raw, ann = _state(root)
    assert raw == ann == sorted(f"p{n}-{k}" for n in range(3) for k in range(5))
    assert json.loads((root / "corpus.json").read_text(encoding="utf-8"))["entity_labels"] == [
        {"name": "PERSON", "description": ""}
    ]
    assert validate(root, cache=False).valid


def test_a_staging_folder_named_with_an_absurd_pid_is_kept_not_a_crash(tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    odd = root / f"{STAGING_PREFIX}{'9' * 30}-x"
    odd.mkdir()
    assert recover_imports(root) == []  # os.kill raises OverflowError for such a number
    assert odd.is_dir()  # a process that cannot be checked keeps its folder
