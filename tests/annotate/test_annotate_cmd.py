"""`corpus init` and `corpus add-article`: the CLI over articles.init_corpus / add_article."""

from __future__ import annotations

import hashlib
from pathlib import Path

from corpus_pkg.validate import validate

from .conftest import load


def test_init_then_add_article_copies_bytes_exactly(tmp_path: Path, cli) -> None:
    root = tmp_path / "c"
    result = cli("init", str(root), "--name", "news", "--label", "PERSON", "--target", "t1=A target")
    assert result.returncode == 0, result.stderr
    data = "Title\r\n\r\n“Café” עברית 🎉\r\nline two\n".encode()
    article = tmp_path / "a.txt"
    article.write_bytes(data)
    result = cli(
        "add-article", str(article), "--id", "doc-1", "--outlet", "CNET", "--author", "A", "--author", "B",
        "--published", "2017-08-01", "--url", "https://example.org/a", "--root", str(root),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (root / "raw" / "doc-1.txt").read_bytes() == data
    ann = load(root, "doc-1")
    assert ann["raw_sha256"] == hashlib.sha256(data).hexdigest()
    assert ann["meta"] == {
        "title": "Title",
        "outlet": "CNET",
        "authors": ["A", "B"],
        "url": "https://example.org/a",
        "published": "2017-08-01",
        "language": "en",
    }
    assert validate(str(root)).valid


def test_add_article_refuses_unsafe_and_taken_ids(news: Path, tmp_path: Path, cli) -> None:
    article = tmp_path / "other.txt"
    article.write_text("Other text\n", encoding="utf-8")
    before = sorted(p.name for p in (news / "raw").iterdir())
    for bad in ("../x", "a/b", ".hidden", ""):
        result = cli("add-article", str(article), "--id", bad, "--root", str(news))
        assert result.returncode == 1, bad
        assert result.stderr.startswith("Error: unsafe id"), result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.txt").exists() and not (news / "x.txt").exists()
    result = cli("add-article", str(article), "--id", "rudd", "--root", str(news))
    assert result.returncode == 1
    assert "already exists; document id 'rudd' is taken" in result.stderr
    assert sorted(p.name for p in (news / "raw").iterdir()) == before
    assert "Rudd presses" in (news / "raw" / "rudd.txt").read_text(encoding="utf-8")


def test_init_refuses_non_empty_folder_and_bad_target(tmp_path: Path, cli) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    result = cli("init", str(tmp_path / "full"))
    assert result.returncode == 1 and "is not empty" in result.stderr
    result = cli("init", str(tmp_path / "new"), "--target", "no-description")
    assert result.returncode == 1 and "expected ID=DESCRIPTION" in result.stderr
    assert not (tmp_path / "new").exists()


def test_add_article_rejects_bad_date_and_non_utf8(news: Path, tmp_path: Path, cli) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("Café".encode("latin-1"))
    result = cli("add-article", str(article), "--id", "latin", "--root", str(news))
    assert result.returncode == 1 and "not valid UTF-8" in result.stderr
    result = cli("add-article", str(article), "--id", "latin", "--published", "August 2017", "--root", str(news))
    assert result.returncode == 1 and "expected YYYY-MM-DD" in result.stderr
    assert not (news / "raw" / "latin.txt").exists()


def test_init_no_labels_lets_import_adopt_labels(cli, tmp_path, interop) -> None:
    import json

    root = tmp_path / "empty"
    assert cli("init", str(root), "--no-labels").returncode == 0
    assert json.loads((root / "corpus.json").read_text(encoding="utf-8"))["entity_labels"] == []
    result = cli("import", "brat", str(interop / "brat" / "conll2002_esp"), "--root", str(root))
    assert result.returncode == 0, result.stderr
    labels = {x["name"] for x in json.loads((root / "corpus.json").read_text(encoding="utf-8"))["entity_labels"]}
    assert {"PER", "ORG", "LOC", "MISC"} <= labels
    assert cli("validate", "--root", str(root)).returncode == 0


def test_rewritten_files_keep_integer_values(cli, mini_corpus) -> None:
    result = cli("add", "entity", "doc1", "Café", "--label", "ORG", "--root", str(mini_corpus))
    assert result.returncode == 0, result.stderr
    text = (mini_corpus / "annotations" / "doc1.json").read_text(encoding="utf-8")
    assert '"text": "Café"' in text
    assert '"value": 90000,' in text and "90000.0" not in text
