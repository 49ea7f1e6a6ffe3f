"""validate(): the content-hash cache and the worker pool never change the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg._cache import CacheStats
from corpus_pkg.validate import cached, make_report, validate
from corpus_pkg.validate.cached import plan_chunks
from corpus_pkg.validate.checks import check_document, load_config_issues, pair_paths


def break_some(root: Path) -> None:
    """Give the corpus a few errors of different kinds (issues must survive the cache)."""
    ann = root / "annotations" / "art000004.json"
    data = json.loads(ann.read_text(encoding="utf-8"))
    data["entities"][0]["text"] = "Wrong text"
    ann.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    hostile = root / "annotations" / "art000013.json"
    data = json.loads(hostile.read_text(encoding="utf-8"))
    data["numbers"][0]["end"] = 10**30  # beyond 64 bits: the cache must keep such values exact
    hostile.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (root / "annotations" / "art000011.json").write_bytes(b'{"schema_version": "1.0",\n  "doc_id": ')
    (root / "raw" / "art000020.txt").unlink()
    (root / "raw" / "orphan.txt").write_text("no annotations", encoding="utf-8")


def reference_report(root: Path):
    """validate() as it was before caching and workers: read everything, check in order."""
    ctx, issues, _ = load_config_issues(root)
    docs, pairing = pair_paths(root)
    issues.extend(pairing)
    for paths in docs:
        issues.extend(check_document(paths.read(root), ctx))
    return make_report(issues, len(docs))


def test_report_is_identical_with_and_without_cache_and_workers(synth_corpus: Path) -> None:
    break_some(synth_corpus)
    expected = reference_report(synth_corpus).model_dump_json()
    codes = {i.code for i in reference_report(synth_corpus).issues}
    assert {"span-text-mismatch", "invalid-json", "missing-raw-file", "missing-annotation-file"} <= codes
    cold, warm = CacheStats(), CacheStats()
    runs = {
        "no cache, inline": validate(synth_corpus, cache=False, workers=1),
        "no cache, 2 workers": validate(synth_corpus, cache=False, workers=2),
        "cold cache, 2 workers": validate(synth_corpus, workers=2, stats=cold),
        "warm cache, inline": validate(synth_corpus, workers=1, stats=warm),
        "warm cache, 2 workers": validate(synth_corpus, workers=2),
    }
    for name, report in runs.items():
        assert report.model_dump_json() == expected, name
    assert (cold.hits, cold.misses) == (0, 40)
    assert (warm.hits, warm.misses) == (40, 0)


def test_only_changed_documents_are_rechecked(synth_corpus: Path) -> None:
    first = CacheStats()
    validate(synth_corpus, stats=first)
    assert (first.hits, first.misses) == (0, 40)
    ann = synth_corpus / "annotations" / "art000007.json"
    ann.write_bytes(ann.read_bytes().replace(b'"origin": "suggestion"', b'"origin": "manual"'))
    raw = synth_corpus / "raw" / "art000030.txt"
    raw.write_bytes(raw.read_bytes() + b"Appended line.\n")
    second = CacheStats()
    report = validate(synth_corpus, stats=second)
    assert (second.hits, second.misses) == (38, 2)
    assert [i.doc_id for i in report.issues if i.code == "raw-hash-mismatch"] == ["art000030"]
    assert [i.doc_id for i in report.issues if i.code == "unreviewed-suggestion"] == ["art000027"]
    assert report.model_dump_json() == validate(synth_corpus, cache=False).model_dump_json()


def test_changed_corpus_context_rechecks_everything(synth_corpus: Path) -> None:
    validate(synth_corpus)
    config_path = synth_corpus / "corpus.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["entity_labels"] = [label for label in config["entity_labels"] if label["name"] != "GPE"]
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    stats = CacheStats()
    report = validate(synth_corpus, stats=stats)
    assert (stats.hits, stats.misses) == (0, 40)
    assert "undeclared-label" in {i.code for i in report.issues}


def test_corrupt_cache_entry_is_ignored_and_recomputed(synth_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cached, "CHUNK_DOCS", 8)  # several chunks (plan_chunks runs in this process)
    expected = validate(synth_corpus).model_dump_json()
    entries = sorted(p for p in (synth_corpus / ".corpus_cache" / "validate").rglob("*") if p.is_file())
    assert len(entries) == len(plan_chunks(pair_paths(synth_corpus)[0])) >= 3  # one file per chunk
    damaged = sum(len(entry.read_bytes().splitlines()) - 1 for entry in entries[:2])  # a line per document
    entries[0].write_bytes(entries[0].read_bytes()[:30])  # torn write
    entries[1].write_bytes(b"corpus-cache-1 " + b"0" * 64 + b"\n[]")  # checksum does not match
    stats = CacheStats()
    assert validate(synth_corpus, stats=stats).model_dump_json() == expected
    assert (stats.hits, stats.misses, stats.corrupt) == (40 - damaged, damaged, 2)
    again = CacheStats()
    validate(synth_corpus, stats=again)
    assert (again.hits, again.misses) == (40, 0)  # the corrupt entries were rewritten


def test_a_changed_document_is_rechecked_alone_and_old_entries_leave_its_chunk(synth_corpus: Path) -> None:
    validate(synth_corpus)
    (entry,) = [p for p in (synth_corpus / ".corpus_cache" / "validate").rglob("*") if p.is_file()]
    ann = synth_corpus / "annotations" / "art000007.json"
    for n in range(3):
        ann.write_bytes(ann.read_bytes().replace(b'"source": "', f'"source": "{n}'.encode(), 1))
        stats = CacheStats()
        validate(synth_corpus, stats=stats)
        assert (stats.hits, stats.misses) == (39, 1)
        assert len(entry.read_bytes().splitlines()) == 1 + 40  # header, one line per current document


def test_concurrent_validations_share_the_cache(synth_corpus: Path, cli) -> None:
    import subprocess
    import sys

    args = [sys.executable, "-m", "corpus_pkg", "validate", "--root", str(synth_corpus), "--format", "json"]
    runs = [subprocess.Popen([*args, "--workers", "2"], stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate()[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len(set(outputs)) == 1
    stats = CacheStats()
    assert json.loads(outputs[0]) == json.loads(validate(synth_corpus, stats=stats).model_dump_json())
    assert (stats.hits, stats.misses, stats.corrupt) == (40, 0, 0)


def test_unwritable_cache_does_not_break_validation(synth_corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    stats = CacheStats()
    report = validate(synth_corpus, cache=blocker, stats=stats)
    assert report.model_dump_json() == validate(synth_corpus, cache=False).model_dump_json()
    assert stats.misses == 40 and stats.write_errors >= 1  # one per chunk: writing stops after a failure


def test_cli_no_cache_flag(synth_corpus: Path, cli) -> None:
    plain = cli("validate", "--root", str(synth_corpus), "--format", "json", "--no-cache")
    assert plain.returncode == 0, plain.stderr
    assert not (synth_corpus / ".corpus_cache").exists()
    cached = cli("validate", "--root", str(synth_corpus), "--format", "json", "--workers", "2")
    assert cached.returncode == 0, cached.stderr
    assert (synth_corpus / ".corpus_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    chunks = len(plan_chunks(pair_paths(synth_corpus)[0]))
    assert len([p for p in (synth_corpus / ".corpus_cache" / "validate").rglob("*") if p.is_file()]) == chunks
    assert cached.stdout == plain.stdout
    assert json.loads(plain.stdout) == json.loads(validate(synth_corpus).model_dump_json())


def test_cache_keys_follow_the_code_that_computes_the_values() -> None:
    from corpus_pkg._cache import _import_closure, code_fingerprint

    validate_code = _import_closure("corpus_pkg.validate")
    assert {"corpus_pkg.validate.checks", "corpus_pkg._jsonfile", "corpus_pkg.schema.quotes"} <= set(validate_code)
    assert "corpus_pkg.release.build" not in validate_code  # editing the build does not invalidate validation results
    assert "corpus_pkg" not in validate_code  # nor does the package's re-exporting __init__
    rows_code = _import_closure("corpus_pkg.tables.shard")
    expected = {"corpus_pkg.tables.rows", "corpus_pkg.text.tokenize", "corpus_pkg.tables.features"}
    assert expected <= set(rows_code)
    assert code_fingerprint("corpus_pkg.validate") != code_fingerprint("corpus_pkg.tables.shard")


def test_the_import_scan_finds_what_the_syntax_tree_holds() -> None:
    """code_fingerprint reads imports with a regular expression; for every module of the package it
    must find the same imports as a walk of the module's syntax tree."""
    import ast

    from corpus_pkg._cache import _imported_names, _module_file

    package = Path(__file__).resolve().parents[2] / "corpus_pkg"
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        assert _module_file(name) == path
        pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
        expected = set()
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.Import):
                expected.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = pkg.rsplit(".", node.level - 1)[0] if node.level > 1 else pkg
                    base = f"{anchor}.{base}" if base else anchor
                expected.add(base)
                expected.update(f"{base}.{alias.name}" for alias in node.names)
        found = set(_imported_names(name, path))
        assert {n for n in found if n.startswith("corpus_pkg")} == {n for n in expected if n.startswith("corpus_pkg")}


def test_validating_some_documents_keeps_the_other_entries_of_their_chunk(synth_corpus: Path) -> None:
    validate(synth_corpus)
    first = synth_corpus / "annotations" / "art000000.json"  # the first document: its chunk's name
    data = first.read_bytes()
    first.write_bytes(data.replace(b'"title": "', b'"title": "New: ', 1))
    assert first.read_bytes() != data
    some = CacheStats()
    validate(synth_corpus, documents=["art000000"], stats=some)
    assert (some.hits, some.misses) == (0, 1)
    every = CacheStats()
    assert validate(synth_corpus, stats=every) == validate(synth_corpus, cache=False)
    assert (every.hits, every.misses) == (40, 0)


def test_cache_keys_are_length_prefixed_parts_hashed_once() -> None:
    """The key format stays as it was (caches written before stay valid): each part tagged N, S or
    B, strings and bytes with an 8-byte little-endian length; no two part lists share a key."""
    import hashlib

    from corpus_pkg._cache import cache_key

    expected = hashlib.sha256(b"S" + (2).to_bytes(8, "little") + b"ab" + b"N" + b"B" + (1).to_bytes(8, "little") + b"c")
    assert cache_key("ab", None, b"c") == expected.hexdigest()
    assert len({cache_key("ab", "c"), cache_key("a", "bc"), cache_key("abc"), cache_key(b"abc"), cache_key()}) == 5
