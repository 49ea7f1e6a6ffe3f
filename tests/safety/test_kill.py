"""kill -9 at random points of build, add and edit never leaves a partial release or a broken file.

Each test runs a real writer in a subprocess, kills it with SIGKILL after a (seeded, so repeatable)
random delay, and checks what is on disk: a release that verifies against SHA256SUMS or none at all,
annotation files that validate. Bounded to 5 trials each.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from corpus_pkg import validate, verify_release
from corpus_pkg.annotate.articles import add_article, init_corpus
from corpus_pkg.release.build import build
from tests.conftest import REPO

TRIALS = 5
WORDS = [f"Name{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(200)]


def _kill_after(cmd: list[str], delay: float, after_first_line: bool = False) -> None:
    """Run ``cmd``; SIGKILL it ``delay`` seconds after start (or after it printed its first line,
    so that the kill lands among its writes however slowly it starts on a busy machine)."""
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if after_first_line:
        assert proc.stdout is not None
        proc.stdout.readline()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    if proc.stdout is not None:
        proc.stdout.close()


def _corpus(tmp_path: Path, docs: int = 1) -> Path:
    root = tmp_path / "news"
    init_corpus(root, name="news", entity_labels=["ORG", "PERSON"])
    for d in range(docs):
        add_article(root, f"doc{d}", (" ".join(WORDS) + "\n").encode(), outlet="Test")
    return root


def test_killed_builds_leave_no_partial_release(tmp_path: Path) -> None:
    root = _corpus(tmp_path, docs=40)
    out = tmp_path / "release"
    rng = random.Random(12)
    outcomes = []
    for trial in range(TRIALS):
        overwrite = trial >= 2  # the first trials build afresh; later ones replace a release
        cmd = [sys.executable, "-m", "corpus_pkg", "build", "--root", str(root), "--out", str(out), "--no-cache"]
        _kill_after(cmd + (["--overwrite"] if overwrite else []), rng.uniform(0.5, 4.0))
        if out.exists():
            result = verify_release(out)
            assert result.ok, result.summary()  # an old or a new release, never a half one
        outcomes.append(out.exists())
        if trial == 1 and not out.exists():
            build(root, out, cache=False)
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".release.")]
    build(root, out, overwrite=True, cache=False)  # the next build cleans up after the killed ones
    assert verify_release(out).ok
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".release.")] == []
    assert leftovers or any(outcomes), "the kills landed during builds"


def _annotation_files_are_valid(root: Path) -> dict:
    report = validate(root, cache=False)
    assert report.valid, report.to_text()
    return json.loads((root / "annotations" / "doc0.json").read_text(encoding="utf-8"))


def test_killed_adders_leave_valid_files(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    code = (
        "import sys\nfrom corpus_pkg import add_entity\n"
        "for w in sys.argv[2:]:\n    add_entity(sys.argv[1], 'doc0', w, 'ORG')\n    print(w, flush=True)\n"
    )
    rng = random.Random(7)
    before: list[str] = []
    partial = 0
    for trial in range(TRIALS):
        words = WORDS[trial * 40 : (trial + 1) * 40]
        _kill_after([sys.executable, "-c", code, str(root), *words], rng.uniform(0.0, 0.4), after_first_line=True)
        texts = [e["text"] for e in _annotation_files_are_valid(root)["entities"]]
        assert texts[: len(before)] == before, "nothing written earlier is lost"
        added = texts[len(before) :]
        assert added == words[: len(added)], "each write is whole and in order"
        partial += 0 < len(added) < len(words)
        before = texts
    assert partial, "at least one kill landed in the middle of a run of writes"


def test_killed_editors_leave_valid_files(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    from corpus_pkg import add_entity

    for word in WORDS[:5]:
        add_entity(root, "doc0", word, "ORG")
    code = (
        "import sys\nfrom corpus_pkg import edit_annotation\n"
        "for i in range(10000):\n"
        "    edit_annotation(sys.argv[1], 'doc0', f'e{i % 5 + 1}', {'label': 'PERSON' if i % 2 else 'ORG'})\n"
        "    print(i, flush=True)\n"
    )
    rng = random.Random(3)
    for _trial in range(TRIALS):
        _kill_after([sys.executable, "-c", code, str(root)], rng.uniform(0.0, 0.5), after_first_line=True)
        data = _annotation_files_are_valid(root)
        assert [e["text"] for e in data["entities"]] == WORDS[:5]
        assert {e["label"] for e in data["entities"]} <= {"ORG", "PERSON"}
