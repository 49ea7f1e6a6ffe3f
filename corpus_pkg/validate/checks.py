"""The checks behind ``corpus validate``: each returns issues, none raises on bad input."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .._jsonfile import JsonFileError, JsonLocator, ParsedJson, parse_json, validate_json_fast
from ..corpus import (
    ANNOTATION_SUFFIX,
    ANNOTATIONS_DIR,
    CONFIG_FILE,
    RAW_DIR,
    RAW_SUFFIX,
    REGISTRY_FILE,
    is_safe_id,
)
from ..schema import ANNOTATION_LAYERS, AnnotationFile, CorpusConfig, EntityRegistry, Span
from .issues import Issue, IssueCode

#: Segment kinds whose text counts as article content.
CONTENT_SEGMENTS = frozenset({"title", "subtitle", "body"})


@dataclass
class CorpusContext:
    """What document checks need to know about the corpus as a whole."""

    labels: frozenset[str] | None = None  # None: config invalid, skip label checks
    targets: frozenset[str] | None = None
    registry_ids: frozenset[str] | None = None

    def fingerprint(self) -> str:
        """Stable digest of this context, for cache keys."""
        parts = [sorted(x) if x is not None else None for x in (self.labels, self.targets, self.registry_ids)]
        return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclass
class DocumentFiles:
    """The bytes of one document's files (None when the file is missing)."""

    doc_id: str
    annotation_file: str  # relative path used in reports
    raw_file: str
    annotation_bytes: bytes | None
    raw_bytes: bytes | None
    oversized: tuple[str, ...] = ()  # files not read because they exceed MAX_FILE_BYTES


@dataclass
class _DocChecker:
    files: DocumentFiles
    ctx: CorpusContext
    parsed: ParsedJson | JsonLocator | None = None  # where issues are located in the file
    issues: list[Issue] = field(default_factory=list)
    locate: bool = True  # find the line and column of each issue (a walk of the JSON text up to it)
    #: layer -> original index of each item that parsed (set when a file only partly fits the schema)
    index_map: dict[str, list[int]] | None = None

    def add(self, code: IssueCode, message: str, json_path: str | None = None, **extra: Any) -> None:
        if self.index_map is not None:
            json_path = _ITEM_PATH.sub(self._original_index, json_path) if json_path else json_path
            message = _ITEM_PATH.sub(self._original_index, message)
        line = column = None
        if json_path is not None and self.parsed is not None and self.locate:
            pos = self.parsed.locate(json_path)
            if pos:
                line, column = pos
        extra.setdefault("file", self.files.annotation_file)
        self.issues.append(
            Issue.make(code, message, doc_id=self.files.doc_id, json_path=json_path, line=line, column=column, **extra)
        )


    def _original_index(self, match: re.Match[str]) -> str:
        assert self.index_map is not None
        indices = self.index_map.get(match.group(1))
        i = int(match.group(2))
        return f"{match.group(1)}[{indices[i] if indices and i < len(indices) else i}]"


_ITEM_PATH = re.compile(r"\b(segments|entities|quotes|numbers|stance)\[(\d+)\]")
_LIST_FIELDS = ("segments", *ANNOTATION_LAYERS)


@cache
def _item_adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(AnnotationFile.model_fields[name].annotation.__args__[0])  # type: ignore[union-attr]


def salvage(value: Any, exc: ValidationError) -> tuple[AnnotationFile, dict[str, list[int]], set[str]] | None:
    """The items of a file that failed the schema which do fit it, so that they can still be checked.

    Returns a partial AnnotationFile (built without validation; only its lists and raw_sha256 are
    meaningful), the original index of each kept item per list, and the ids of items that did not
    parse (references to them are not reported as dangling). None when the file is not a JSON object.
    """
    if not isinstance(value, dict):
        return None
    broken: dict[str, set[int]] = {}
    for err in exc.errors():
        loc = err["loc"]
        if len(loc) >= 2 and loc[0] in _LIST_FIELDS and isinstance(loc[1], int):
            broken.setdefault(str(loc[0]), set()).add(loc[1])
    fields: dict[str, Any] = {}
    indices: dict[str, list[int]] = {}
    unparsed: set[str] = set()
    for name in _LIST_FIELDS:
        items = value.get(name)
        kept, where = [], []
        for i, item in enumerate(items if isinstance(items, list) else []):
            if i in broken.get(name, ()):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    unparsed.add(item["id"])
                continue
            try:
                kept.append(_item_adapter(name).validate_python(item))
            except ValidationError:
                continue
            where.append(i)
        fields[name], indices[name] = kept, where
    sha = value.get("raw_sha256")
    partial = AnnotationFile.model_construct(
        raw_sha256=sha if isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha) else None, **fields
    )
    return partial, indices, unparsed


def load_config_issues(root: Path) -> tuple[CorpusContext, list[Issue], CorpusConfig | None]:
    """Check corpus.json and entities.json; return the context for document checks."""
    issues: list[Issue] = link_issues(root)
    ctx = CorpusContext()
    config = _load_model(root / CONFIG_FILE, CorpusConfig, issues, required=True)
    registry = _load_model(root / REGISTRY_FILE, EntityRegistry, issues, required=False)
    if config is not None:
        ctx.labels = frozenset(config.entity_label_names)
        ctx.targets = frozenset(config.stance_target_ids)
        for split, ids in config.splits.items():
            for i, doc_id in enumerate(ids):
                if not (root / ANNOTATIONS_DIR / f"{doc_id}{ANNOTATION_SUFFIX}").is_file():
                    issues.append(
                        Issue.make(
                            "unresolved-reference",
                            f"split {split!r} lists document {doc_id!r}, which has no annotation file",
                            file=CONFIG_FILE,
                            json_path=f"splits.{split}[{i}]",
                            value=doc_id,
                            expected="an existing document id",
                        )
                    )
    if registry is not None:
        seen: set[str] = set()
        for i, entity in enumerate(registry.entities):
            if entity.id in seen:
                issues.append(
                    Issue.make(
                        "duplicate-id",
                        f"registry id {entity.id!r} is used more than once",
                        file=REGISTRY_FILE,
                        json_path=f"entities[{i}].id",
                        value=entity.id,
                    )
                )
            seen.add(entity.id)
            if ctx.labels is not None and entity.label not in ctx.labels:
                issues.append(
                    Issue.make(
                        "undeclared-label",
                        f"registry entity {entity.id!r} has undeclared label {entity.label!r}",
                        file=REGISTRY_FILE,
                        json_path=f"entities[{i}].label",
                        value=entity.label,
                        expected="one of " + ", ".join(sorted(ctx.labels)),
                    )
                )
        ctx.registry_ids = frozenset(seen)
    elif not (root / REGISTRY_FILE).exists():
        ctx.registry_ids = frozenset()
    return ctx, issues, config


#: Corpus paths that are read by validate or build and must never be links (they could point
#: outside the corpus, and a release or an upload would carry the target).
LINK_CHECKED = (CONFIG_FILE, REGISTRY_FILE, RAW_DIR, ANNOTATIONS_DIR, "annotations/GUIDELINES.md", "docs",
                "docs/agreement.md")
#: Files above this size are not read (a clear issue instead of exhausting memory).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Issues listed per document; the rest are counted in one too-many-issues issue.
MAX_DOCUMENT_ISSUES = 1000


def link_issues(root: Path) -> list[Issue]:
    """A linked-path issue for each corpus file or folder in :data:`LINK_CHECKED` that is a symbolic link."""
    issues = []
    for rel in LINK_CHECKED:
        if (root / rel).is_symlink():
            issues.append(
                Issue.make(
                    "linked-path",
                    f"{rel} is a symbolic link; it was not read",
                    file=rel,
                    expected="a regular file or folder inside the corpus",
                )
            )
    return issues


def read_corpus_file(path: Path, name: str) -> tuple[bytes | None, str | None]:
    """The bytes of a corpus file, or None and the reason it cannot be read (checked before opening:
    a folder, a pipe that would block, a link, an absurd size)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None, "not found"
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return None, "is a symbolic link; it was not read"
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, socket or device)"
        return None, f"is {kind}; expected a JSON file"
    if info.st_size > MAX_FILE_BYTES:
        return None, f"is {info.st_size} bytes; files over {MAX_FILE_BYTES} bytes are not read"
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"


def _load_model(path: Path, model: type[BaseModel], issues: list[Issue], required: bool) -> Any:
    name = path.name
    if not path.exists() and not path.is_symlink():
        if required:
            issues.append(
                Issue.make("invalid-config", f"{name} not found in the corpus root", file=name, expected=name)
            )
        return None
    data, problem = read_corpus_file(path, name)
    if data is None:
        if "symbolic link" not in (problem or ""):  # link_issues reported it
            issues.append(Issue.make("invalid-config", f"{name} {problem}", file=name, expected="a JSON file"))
        return None
    try:
        parsed = parse_json(data)
    except JsonFileError as exc:
        issues.append(Issue.make("invalid-json", exc.message, file=name, line=exc.line, column=exc.column))
        return None
    try:
        return model.model_validate(parsed.value)
    except ValidationError as exc:
        for err in exc.errors():
            json_path = loc_to_path(err["loc"], parsed.value)
            pos = parsed.locate(json_path)
            value = _jsonable(err.get("input"))
            issues.append(
                Issue.make(
                    "invalid-config",
                    f"{json_path or '(root)'}: {err['msg']} (got {_shown(value)})",
                    file=name,
                    json_path=json_path,
                    line=pos[0] if pos else None,
                    column=pos[1] if pos else None,
                    value=value,
                    expected=err["msg"],
                )
            )
        return None


@dataclass(frozen=True)
class DocumentPaths:
    """Where one document's files are, relative to the corpus root (read only when checked)."""

    doc_id: str
    annotation_file: str
    raw_file: str

    def read(self, root: Path) -> DocumentFiles:
        """The bytes of both files (``raw_bytes`` is None when the raw file is missing). Files over
        :data:`MAX_FILE_BYTES` are not read; they are named in ``oversized``."""
        raw_path, ann_path = root / self.raw_file, root / self.annotation_file
        try:
            raw_info = os.lstat(raw_path)
            raw_regular = stat.S_ISREG(raw_info.st_mode)
        except (FileNotFoundError, NotADirectoryError):
            raw_regular = False
        sizes = [(self.annotation_file, os.stat(ann_path).st_size)]
        if raw_regular:
            sizes.append((self.raw_file, raw_info.st_size))
        oversized = tuple(f"{rel} ({size} bytes)" for rel, size in sizes if size > MAX_FILE_BYTES)
        if oversized:
            return DocumentFiles(self.doc_id, self.annotation_file, self.raw_file, b"", None, oversized)
        return DocumentFiles(
            doc_id=self.doc_id,
            annotation_file=self.annotation_file,
            raw_file=self.raw_file,
            annotation_bytes=ann_path.read_bytes(),
            # a symlinked raw file was reported as unsafe-id and is never read
            raw_bytes=raw_path.read_bytes() if raw_regular else None,
        )


def pair_paths(root: Path) -> tuple[list[DocumentPaths], list[Issue]]:
    """Match raw/<id>.txt with annotations/<id>.json without reading them; report unsafe names
    and raw files that have no annotation file."""
    issues: list[Issue] = []
    raw_ids = _ids_in(root / RAW_DIR, RAW_SUFFIX, issues)
    ann_ids = _ids_in(root / ANNOTATIONS_DIR, ANNOTATION_SUFFIX, issues)
    for doc_id in sorted(raw_ids - ann_ids):
        issues.append(
            Issue.make(
                "missing-annotation-file",
                f"raw/{doc_id}{RAW_SUFFIX} has no annotations/{doc_id}{ANNOTATION_SUFFIX}",
                file=f"{RAW_DIR}/{doc_id}{RAW_SUFFIX}",
                doc_id=doc_id,
                expected=f"{ANNOTATIONS_DIR}/{doc_id}{ANNOTATION_SUFFIX}",
            )
        )
    docs = [
        DocumentPaths(doc_id, f"{ANNOTATIONS_DIR}/{doc_id}{ANNOTATION_SUFFIX}", f"{RAW_DIR}/{doc_id}{RAW_SUFFIX}")
        for doc_id in sorted(ann_ids)
    ]
    return docs, issues


def _ids_in(folder: Path, suffix: str, issues: list[Issue]) -> set[str]:
    ids: set[str] = set()
    if not folder.is_dir() or folder.is_symlink():  # a linked raw/ or annotations/ is reported by link_issues
        return ids
    with os.scandir(folder) as entries:  # file types come with the listing: no stat per file
        found = [(entry.name, entry.is_symlink(), not entry.is_file()) for entry in entries]
    for name, linked, not_regular in found:
        if not name.endswith(suffix):
            continue
        stem = name[: -len(suffix)]
        rel = f"{folder.name}/{name}"
        if linked:
            issues.append(
                Issue.make(
                    "linked-path",
                    f"{rel} is a symbolic link; it was not read",
                    file=rel,
                    doc_id=stem if is_safe_id(stem) else None,
                    expected="a regular file inside the corpus",
                )
            )
            continue
        if not is_safe_id(stem) or not_regular:
            issues.append(
                Issue.make(
                    "unsafe-id",
                    f"{rel!r} is not a safe document file name (or is a folder or pipe); it was not read",
                    file=rel,
                    value=stem,
                    expected="a regular file named <id>" + suffix,
                )
            )
            continue
        ids.add(stem)
    return ids


def check_document(files: DocumentFiles, ctx: CorpusContext, locate: bool = True) -> list[Issue]:
    """All checks of one document. Pure: depends only on the bytes and the context.

    ``locate=False`` leaves out line and column (writers that report messages only skip that cost)."""
    return check_document_model(files, ctx, locate)[0]


def check_document_model(
    files: DocumentFiles, ctx: CorpusContext, locate: bool = True
) -> tuple[list[Issue], AnnotationFile | None]:
    """Like :func:`check_document`, plus the parsed annotations (None when they fail the schema),
    so that a caller building rows from a valid document parses it only once."""
    checker = _DocChecker(files=files, ctx=ctx, locate=locate)
    assert files.annotation_bytes is not None
    if files.oversized:
        for what in files.oversized:
            checker.add("file-too-large", f"{what} exceeds {MAX_FILE_BYTES} bytes; it was not checked")
        return checker.issues, None
    issues, ann = _check_document_model(checker)
    if len(issues) > MAX_DOCUMENT_ISSUES:
        more = len(issues) - MAX_DOCUMENT_ISSUES
        checker.issues = issues[:MAX_DOCUMENT_ISSUES]
        checker.index_map = None
        checker.add("too-many-issues", f"{more} more issue(s) in this file are not listed", value=more)
    return checker.issues, ann


def _check_document_model(checker: _DocChecker) -> tuple[list[Issue], AnnotationFile | None]:
    files = checker.files
    assert files.annotation_bytes is not None
    ann = validate_json_fast(files.annotation_bytes, AnnotationFile)
    if ann is not None:  # valid, no duplicate key: positions are looked up only for issues reported
        checker.parsed = JsonLocator(files.annotation_bytes)
    else:
        ann = _strict_annotations(checker, files.annotation_bytes)
        if ann is None:
            return checker.issues, None
    if ann.doc_id != files.doc_id:
        checker.add(
            "doc-id-mismatch",
            f"doc_id is {ann.doc_id!r} but the file is named {files.doc_id}{ANNOTATION_SUFFIX}",
            "doc_id",
            value=ann.doc_id,
            expected=files.doc_id,
        )
    raw = _check_raw_presence(checker)
    spans = list(iter_spans(ann))
    if raw is not None and not _raw_changed_on_disk(checker, ann):
        digest = hashlib.sha256(files.raw_bytes or b"").hexdigest()
        if digest != ann.raw_sha256:
            checker.add(
                "raw-hash-mismatch",
                f"raw_sha256 does not match {files.raw_file} (sha256 {digest})",
                "raw_sha256",
                value=ann.raw_sha256,
                expected=digest,
            )
        _check_spans(checker, spans, raw)
    _check_ids_and_refs(checker, ann)
    _check_warnings(checker, ann, spans)
    return checker.issues, ann


def _strict_annotations(checker: _DocChecker, data: bytes) -> AnnotationFile | None:
    """The strict reader and ``model_validate``: every JSON and schema problem reported with its place."""
    files = checker.files
    try:
        parsed = parse_json(data)
    except JsonFileError as exc:
        checker.issues.append(
            Issue.make(
                "invalid-json",
                exc.message,
                file=files.annotation_file,
                doc_id=files.doc_id,
                line=exc.line,
                column=exc.column,
            )
        )
        return None
    checker.parsed = parsed
    for path in parsed.duplicate_keys:
        checker.add("duplicate-key", f"key {path.rpartition('.')[2]!r} appears more than once", path)
    try:
        return AnnotationFile.model_validate(parsed.value)
    except ValidationError as exc:
        for err in exc.errors():
            path = loc_to_path(err["loc"], parsed.value)
            value = _jsonable(err.get("input"))
            checker.add(
                "schema-violation",
                f"{path or '(root)'}: {err['msg']} (got {_shown(value)})",
                path,
                value=value,
                expected=err["msg"],
            )
        raw = _check_raw_presence(checker)
        partial = salvage(parsed.value, exc)
        if partial is not None:  # every item that did parse still gets its span, reference and label checks
            ann, checker.index_map, unparsed_ids = partial
            if raw is not None and not _raw_changed_on_disk(checker, ann):
                _check_spans(checker, list(iter_spans(ann)), raw)
            _check_ids_and_refs(checker, ann, unparsed_ids)
        return None


def _raw_changed_on_disk(checker: _DocChecker, ann: AnnotationFile) -> bool:
    """Report a raw file that only gained a byte-order mark or CRLF line endings (an editor or a
    Windows checkout did it) as one issue, instead of one span error per annotation. True if so."""
    data = checker.files.raw_bytes or b""
    pinned = ann.raw_sha256 if isinstance(ann.raw_sha256, str) else None
    if pinned is None or not (data.startswith(_BOM) or b"\r\n" in data):
        return False
    if hashlib.sha256(data).hexdigest() == pinned:
        return False
    what, fixed = [], data
    if fixed.startswith(_BOM):
        what.append("a UTF-8 byte-order mark (BOM) at the start")
        fixed = fixed[len(_BOM) :]
    if b"\r\n" in fixed:
        what.append("Windows (CRLF) line endings")
        fixed = fixed.replace(b"\r\n", b"\n")
    if hashlib.sha256(fixed).hexdigest() != pinned:
        return False
    checker.add(
        "raw-hash-mismatch",
        f"{checker.files.raw_file} gained {' and '.join(what)} after it was pinned; the text is otherwise "
        "unchanged. Restore the original bytes (remove the BOM, convert the line endings back to LF; "
        "`.gitattributes` marks raw/** as -text so git keeps them); spans were not checked",
        "raw_sha256",
        value=ann.raw_sha256,
        expected="the pinned bytes (" + " and ".join(what) + " removed)",
    )
    return True


_BOM = b"\xef\xbb\xbf"




def _check_raw_presence(checker: _DocChecker) -> str | None:
    files = checker.files
    if files.raw_bytes is None:
        checker.add(
            "missing-raw-file",
            f"{files.annotation_file} has no raw text {files.raw_file}",
            expected=files.raw_file,
        )
        return None
    try:
        return files.raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        checker.add(
            "raw-not-utf8",
            f"{files.raw_file} is not valid UTF-8 (byte 0x{files.raw_bytes[exc.start]:02x} at offset {exc.start})",
            file=files.raw_file,
            expected="UTF-8 text",
        )
        return None


def iter_spans(ann: AnnotationFile) -> Iterator[tuple[str, str | None, Span]]:
    """Every span in the file as (json_path, annotation_id, span)."""
    for i, seg in enumerate(ann.segments):
        yield f"segments[{i}]", None, seg
    for i, ent in enumerate(ann.entities):
        yield f"entities[{i}]", ent.id, ent
    for i, quote in enumerate(ann.quotes):
        for j, frag in enumerate(quote.fragments):
            yield f"quotes[{i}].fragments[{j}]", quote.id, frag
        if quote.cue is not None:
            yield f"quotes[{i}].cue", quote.id, quote.cue
        if quote.speaker.type == "nominal":
            yield f"quotes[{i}].speaker", quote.id, quote.speaker
    for i, num in enumerate(ann.numbers):
        yield f"numbers[{i}]", num.id, num
    for i, st in enumerate(ann.stance):
        if st.holder.type == "nominal":
            yield f"stance[{i}].holder", st.id, st.holder
        if st.evidence.type == "span":
            yield f"stance[{i}].evidence", st.id, st.evidence


def _check_spans(checker: _DocChecker, spans: list[tuple[str, str | None, Span]], raw: str) -> None:
    length = len(raw)
    for path, ann_id, span in spans:
        if span.end > length:
            checker.add(
                "offset-out-of-bounds",
                f"{path}: span [{span.start}, {span.end}) ends past the end of the raw text ({length} code points)",
                f"{path}.end",
                annotation_id=ann_id,
                char_start=span.start,
                char_end=span.end,
                value=span.end,
                expected=f"end <= {length}",
            )
            continue
        actual = raw[span.start : span.end]
        if actual != span.text:
            checker.add(
                "span-text-mismatch",
                f"{path}: text is {span.text!r} but raw[{span.start}:{span.end}] is {actual!r}",
                f"{path}.text",
                annotation_id=ann_id,
                char_start=span.start,
                char_end=span.end,
                value=span.text,
                expected=actual,
            )
        elif actual != actual.strip():
            checker.add(
                "span-whitespace",
                f"{path}: span text {actual!r} starts or ends with whitespace",
                f"{path}.text",
                annotation_id=ann_id,
                char_start=span.start,
                char_end=span.end,
                value=actual,
                expected=actual.strip(),
            )


def _check_ids_and_refs(
    checker: _DocChecker, ann: AnnotationFile, unparsed: frozenset[str] | set[str] = frozenset()
) -> None:
    ctx = checker.ctx
    seen: dict[str, tuple[str, int]] = {}
    for layer in ("entities", "quotes", "numbers", "stance"):
        for i, item in enumerate(getattr(ann, layer)):
            if item.id in seen:
                first_layer, first = seen[item.id]
                checker.add(
                    "duplicate-id",
                    f"id {item.id!r} is already used by {first_layer}[{first}]",
                    f"{layer}[{i}].id",
                    annotation_id=item.id,
                    value=item.id,
                    expected="an id not used elsewhere in this document",
                )
            else:
                seen[item.id] = (layer, i)
    mention_ids = {e.id for e in ann.entities} | unparsed  # an item that failed the schema is reported already
    quote_ids = {q.id for q in ann.quotes} | unparsed

    def ref(kind: str, value: str, known: frozenset[str] | set[str] | None, path: str, ann_id: str) -> None:
        if known is None or value in known:
            return
        checker.add(
            "unresolved-reference",
            f"{path}: {kind} {value!r} does not exist",
            path,
            annotation_id=ann_id,
            value=value,
            expected=f"an existing {kind}",
        )

    def declared(
        code: IssueCode, what: str, value: str, allowed: frozenset[str] | None, path: str, ann_id: str
    ) -> None:
        if allowed is None or value in allowed:
            return
        checker.add(
            code,
            f"{path}: {value!r} is not a declared {what}",
            path,
            annotation_id=ann_id,
            value=value,
            expected="one of " + ", ".join(sorted(allowed)),
        )

    labels, registry = ctx.labels, ctx.registry_ids
    if (labels is not None and not labels.issuperset(e.label for e in ann.entities)) or (
        registry is not None and not registry.issuperset(e.entity_id for e in ann.entities if e.entity_id is not None)
    ):  # only then walk the mentions one by one, to report each problem in file order
        for i, ent in enumerate(ann.entities):
            declared("undeclared-label", "entity label", ent.label, labels, f"entities[{i}].label", ent.id)
            if ent.entity_id is not None:
                ref("registry entity", ent.entity_id, registry, f"entities[{i}].entity_id", ent.id)
    for i, quote in enumerate(ann.quotes):
        if quote.speaker.type == "mention":
            ref("entity mention", quote.speaker.mention_id, mention_ids, f"quotes[{i}].speaker.mention_id", quote.id)
    for i, st in enumerate(ann.stance):
        if st.holder.type == "mention":
            ref("entity mention", st.holder.mention_id, mention_ids, f"stance[{i}].holder.mention_id", st.id)
        elif st.holder.type == "entity":
            ref("registry entity", st.holder.entity_id, ctx.registry_ids, f"stance[{i}].holder.entity_id", st.id)
        if st.evidence.type == "quote":
            ref("quote", st.evidence.quote_id, quote_ids, f"stance[{i}].evidence.quote_id", st.id)
        declared("undeclared-stance-target", "stance target", st.target, ctx.targets, f"stance[{i}].target", st.id)


def _content_index(ann: AnnotationFile) -> Callable[[int, int], bool] | None:
    """A test "does [start, end) lie inside one title/subtitle/body segment?" in O(log segments), or
    None when the document has no such segment. Segments sorted by start, with the running maximum
    of their ends: among the segments starting at or before ``start``, one contains the span exactly
    when the largest of their ends reaches ``end``."""
    content = sorted((s.start, s.end) for s in ann.segments if s.kind in CONTENT_SEGMENTS)
    if not content:
        return None
    starts = [start for start, _ in content]
    reach = list(accumulate((end for _, end in content), max))

    def inside(start: int, end: int) -> bool:
        k = bisect_right(starts, start)
        return k > 0 and reach[k - 1] >= end

    return inside


def _check_warnings(checker: _DocChecker, ann: AnnotationFile, spans: list[tuple[str, str | None, Span]]) -> None:
    order = sorted(range(len(ann.entities)), key=lambda k: (ann.entities[k].start, -ann.entities[k].end))
    for a, b in zip(order, order[1:]):
        first, second = ann.entities[a], ann.entities[b]
        if second.start < first.end:
            checker.add(
                "overlapping-mentions",
                f"entities[{b}] ({second.text!r}) overlaps entities[{a}] ({first.text!r})",
                f"entities[{b}]",
                annotation_id=second.id,
                char_start=second.start,
                char_end=second.end,
            )
    segs = sorted(ann.segments, key=lambda s: (s.start, s.end))
    for first, second in zip(segs, segs[1:]):
        if second.start < first.end:
            checker.add(
                "overlapping-segments",
                f"segment {second.kind} [{second.start}, {second.end}) overlaps {first.kind} "
                f"[{first.start}, {first.end})",
                "segments",
            )
    inside = _content_index(ann)
    if inside is not None:
        for path, ann_id, span in spans:
            if path.startswith("segments"):
                continue
            if not inside(span.start, span.end):
                checker.add(
                    "span-outside-body",
                    f"{path} ({span.text!r}) is not inside a title or body segment",
                    path,
                    annotation_id=ann_id,
                    char_start=span.start,
                    char_end=span.end,
                )
    for layer in ("entities", "quotes", "numbers", "stance"):
        pending = [item.id for item in getattr(ann, layer) if item.origin == "suggestion"]
        if pending:
            checker.add(
                "unreviewed-suggestion",
                f"{len(pending)} {layer} suggestion(s) await review: {', '.join(pending[:10])}"
                + (" ..." if len(pending) > 10 else ""),
                layer,
                value=len(pending),
            )


def loc_to_path(loc: tuple[int | str, ...], data: Any) -> str:
    """Turn a pydantic error location into a JSON path over ``data``, dropping union tags
    (``('quotes', 3, 'speaker', 'mention', 'mention_id')`` -> ``quotes[3].speaker.mention_id``)."""
    path = ""
    current = data
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            current = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
        elif isinstance(current, dict) and part not in current and current.get("type") == part:
            continue  # discriminated-union tag
        elif "[" in str(part):
            continue  # validator name such as function-after[...]
        elif isinstance(current, dict) and part in current:
            path = f"{path}.{part}" if path else part
            current = current[part]
        elif isinstance(current, dict) or current is None:
            path = f"{path}.{part}" if path else part
            current = None
        else:
            continue
    return path


def _jsonable(value: Any) -> Any:
    """Error input values as JSON-safe, size-bounded data for reports."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str) and len(value) > 200:
            return value[:200] + "..."
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else repr(value)
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


def _shown(value: Any) -> str:
    """A report value as the text output shows it: JSON-like, with its type for scalars."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (boolean)"
    if isinstance(value, int):
        return f"{value} (integer)"
    if isinstance(value, float):
        return f"{value!r} (number)"
    if isinstance(value, str) and not value.startswith(("{", "[")):
        return f"{value!r} (string)"
    return str(value)
