"""No lost updates: N processes x M writes to one document leave exactly N x M annotations.

Every writer holds the document's inter-process lock from read to write, so concurrent
writers wait for each other instead of overwriting each other's changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from corpus_pkg.annotate.articles import add_article, init_corpus
from corpus_pkg.web.serve import make_server
from tests.conftest import REPO
from tests.web.conftest import Client

WORDS = [f"Word{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(60)]


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    init_corpus(root, name="news", entity_labels=["ORG", "PERSON"])
    add_article(root, "doc", (" ".join(WORDS) + "\n").encode(), outlet="Test")
    return root


def _entities(root: Path) -> list[str]:
    data = json.loads((root / "annotations" / "doc.json").read_text(encoding="utf-8"))
    ids = [e["id"] for e in data["entities"]]
    assert len(ids) == len(set(ids)), "ids stay unique"
    return sorted(e["text"] for e in data["entities"])


def _api_worker(root: Path, words: list[str]) -> subprocess.Popen[str]:
    code = (
        "import sys\nfrom corpus_pkg import add_entity\n"
        "for w in sys.argv[2:]:\n    add_entity(sys.argv[1], 'doc', w, 'ORG')\n"
    )
    return subprocess.Popen([sys.executable, "-c", code, str(root), *words], cwd=REPO, text=True)


def test_three_api_processes_lose_no_entity(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    groups = [WORDS[i * 15 : (i + 1) * 15] for i in range(3)]
    procs = [_api_worker(root, words) for words in groups]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    assert _entities(root) == sorted(WORDS[:45])


def test_three_cli_processes_lose_no_entity(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    script = (
        "import subprocess, sys\n"
        "for w in sys.argv[2:]:\n"
        "    subprocess.run([sys.executable, '-m', 'corpus_pkg', 'add', 'entity', 'doc', w, '--label', 'PERSON',"
        " '--root', sys.argv[1]], check=True, capture_output=True)\n"
    )
    groups = [WORDS[45 + i * 4 : 45 + (i + 1) * 4] for i in range(3)]
    procs = [subprocess.Popen([sys.executable, "-c", script, str(root), *g], cwd=REPO) for g in groups]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    assert _entities(root) == sorted(WORDS[45:57])


def test_serve_accept_racing_an_api_adder_loses_nothing(tmp_path: Path) -> None:
    """The workbench writes through the same locked API the adder uses; a click on an older version
    is refused (409) and retried on the version the answer carries, so both sides' changes survive."""
    root = _corpus(tmp_path)
    data = json.loads((root / "annotations" / "doc.json").read_text(encoding="utf-8"))
    start = 0
    for i, word in enumerate(WORDS[:10]):  # ten suggestions for the page to accept
        data["entities"].append(
            {
                "id": f"e{i + 1}",
                "origin": "suggestion",
                "start": start,
                "end": start + len(word),
                "text": word,
                "label": "ORG",
            }
        )
        start += len(word) + 1
    (root / "annotations" / "doc.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    conflicts = 0
    with make_server(root, port=0, annotator="alice", gold=True).start() as srv:  # gold, credited to alice
        client = Client(srv).login()
        adder = _api_worker(root, WORDS[20:35])
        for i in range(10):
            version = client.state("doc")["version"]
            for _attempt in range(100):
                status, answer = client.post("accept", {"version": version, "ids": [f"e{i + 1}"]}, doc_id="doc")
                if status != 409:
                    break
                conflicts += 1
                version = answer["state"]["version"]
            assert status == 200, answer
        assert adder.wait(timeout=300) == 0
    final = json.loads((root / "annotations" / "doc.json").read_text(encoding="utf-8"))
    origins = {e["text"]: e["origin"] for e in final["entities"]}
    assert all(origins[w] != "suggestion" for w in WORDS[:10]), "every accept survived"
    assert set(WORDS[20:35]) <= set(origins), "every added entity survived"
    assert len(final["entities"]) == 25
