"""Label Studio import: tasks -> documents; each annotation/prediction's results -> regions,
relations and choices (checked against the text), then one builder per layer (:mod:`.layers`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..._jsonfile import ParsedJson, parse_json
from ...schema import Document, Span
from ...text.offsets import UnitConverter
from .._common import ImportBatch, ReadContext, is_int, json_error, new_document, safe_doc_id, short
from .._report import ConvertReport, SourceError
from .layers import LsRegion, ResultSet, build_layers

EXPORT_FILE = "tasks.json"


@dataclass
class _Where:
    """Where in the file a task is, for issue locations."""

    file: str
    parsed: ParsedJson
    path: str

    def loc(self, suffix: str = "") -> dict[str, Any]:
        pos = self.parsed.locate(self.path + suffix)
        out: dict[str, Any] = {"json_path": self.path + suffix}
        if pos:
            out["line"], out["column"] = pos
        return out


def read(path: Path, ctx: ReadContext) -> ImportBatch:
    """Read a Label Studio JSON export (a list of tasks, or one task object), or the folder that
    ``corpus export labelstudio`` wrote (its ``tasks.json``)."""
    path = Path(path)
    if path.is_dir():
        if not (path / EXPORT_FILE).exists():
            raise SourceError(f"{path.name}: a folder without {EXPORT_FILE}; give the Label Studio JSON file")
        path = path / EXPORT_FILE
    text = ctx.read_text(path)
    try:
        parsed = parse_json(text.encode("utf-8", "surrogatepass"))
    except ValueError as exc:
        raise json_error(exc) from None
    data = parsed.value
    tasks = data if isinstance(data, list) else [data]
    batch = ImportBatch()
    for index, task in enumerate(tasks):
        where = _Where(path.name, parsed, f"[{index}]" if isinstance(data, list) else "")
        with ctx.guard(path.name, **where.loc()):
            doc = _read_task(task, index, path, where, ctx)
            batch.documents.append(doc)
            batch.files[doc.doc_id] = path.name
    return batch


def _read_task(task: Any, index: int, path: Path, where: _Where, ctx: ReadContext) -> Document:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise SourceError(f"{where.path or 'the file'}: expected a task object with a 'data' object", **where.loc())
    raw = task["data"].get("text")
    if not isinstance(raw, str) or not raw.strip():
        raise SourceError(
            f"{where.path}.data.text: expected the task's text as a non-empty string", **where.loc(".data")
        )
    task_id = task.get("id", index + 1)
    if not (is_int(task_id) or isinstance(task_id, str)):
        task_id = index + 1
    wanted = task["data"].get("doc_id")
    base = wanted if isinstance(wanted, str) and wanted else f"{path.stem}-{task_id}"
    title = task["data"].get("title") if isinstance(task["data"].get("title"), str) else None
    doc = new_document(safe_doc_id(str(base)), raw, title=title or None)
    conv = UnitConverter(raw)
    sets: list[ResultSet] = []
    for kind, origin in (("annotations", "imported"), ("predictions", "suggestion")):
        items = task.get(kind)
        if items is None:
            continue
        if not isinstance(items, list):
            raise SourceError(
                f"task {task_id}: '{kind}' must be a list, got {type(items).__name__}", **where.loc(f".{kind}")
            )
        for n, item in enumerate(items):
            s = _result_set(item, n, kind, origin, task_id, raw, conv, doc.doc_id, where, ctx.report)
            if s is not None:
                sets.append(s)
    if len([s for s in sets if s.origin == "imported"]) > 1:
        ctx.report.add(
            "multiple-annotations",
            f"task {task_id} has several annotations; all were imported "
            "(ids prefixed where they collide), so mentions may be duplicated",
            file=path.name,
            doc_id=doc.doc_id,
            **where.loc(),
        )
    used: set[str] = set()
    for s in sets:
        build_layers(s, doc, used, ctx, path.name)
    return doc


def _result_set(
    item: Any,
    n: int,
    kind: str,
    origin: str,
    task_id: Any,
    raw: str,
    conv: UnitConverter,
    doc_id: str,
    where: _Where,
    report: ConvertReport,
) -> ResultSet | None:
    loc = where.loc(f".{kind}[{n}]")
    if not isinstance(item, dict):
        report.add(
            "malformed-item",
            f"task {task_id}: {kind}[{n}] is not an object; skipped",
            file=where.file,
            doc_id=doc_id,
            lines=[short(item)],
            **loc,
        )
        return None
    if item.get("was_cancelled"):
        report.add(
            "not-representable",
            f"task {task_id}: cancelled annotation {short(item.get('id'))} skipped",
            file=where.file,
            doc_id=doc_id,
            **loc,
        )
        return None
    ident = item.get("id", n + 1)
    ident = ident if is_int(ident) or isinstance(ident, str) else n + 1
    short_kind = "a" if kind == "annotations" else "p"
    s = ResultSet(origin, f"labelstudio:task{task_id}/{kind[:-1]}{ident}", f"{short_kind}{ident}")
    results = item.get("result") or []
    if not isinstance(results, list):
        report.add(
            "malformed-item",
            f"task {task_id}: {kind}[{n}].result is not a list; skipped",
            file=where.file,
            doc_id=doc_id,
            lines=[short(results)],
            **loc,
        )
        return s
    _collect(s, results, raw, conv, where.file, doc_id, report, loc)
    return s


def _collect(
    s: ResultSet,
    results: list[Any],
    raw: str,
    conv: UnitConverter,
    file: str,
    doc_id: str,
    report: ConvertReport,
    loc: dict[str, Any],
) -> None:
    mismatched, utf16, unverified, other = [], [], [], []
    for item in results:
        if not isinstance(item, dict):
            other.append(short(item))
            continue
        rtype = item.get("type")
        if rtype == "relation":
            s.relations.append(item)
            continue
        if rtype == "choices":
            s.choices.append(item)
            continue
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        labels = value.get("labels")
        if rtype != "labels" or not isinstance(labels, list) or "start" not in value:
            other.append(short(item))
            continue
        start, end, surface = value.get("start"), value.get("end"), value.get("text")
        if not is_int(start) or not is_int(end) or not 0 <= start < end:
            mismatched.append(short(item))
            continue
        if isinstance(surface, str):
            if end > len(raw) or raw[start:end] != surface:
                try:
                    s16, e16 = conv.utf16_to_cp(start), conv.utf16_to_cp(end)
                except ValueError:
                    s16 = e16 = -1
                if s16 >= 0 and raw[s16:e16] == surface:
                    utf16.append(f"{short(item.get('id'))}: [{start}, {end}) UTF-16 -> [{s16}, {e16}) {surface!r}")
                    start, end = s16, e16
                else:
                    mismatched.append(f"{short(item)}    (text[{start}:{end}] is {raw[start:end]!r})")
                    continue
        elif end <= len(raw):
            unverified.append(short(item))
        else:
            mismatched.append(short(item))
            continue
        meta = item.get("meta", {}).get("text", []) if isinstance(item.get("meta"), dict) else []
        rid = item.get("id")
        rid = str(rid) if (is_int(rid) or isinstance(rid, str)) and rid != "" else f"r{len(s.regions) + 1}"
        s.regions[rid] = LsRegion(
            rid,
            [_label(x) for x in labels],
            Span(start=start, end=end, text=raw[start:end]),
            [_label(m) for m in meta] if isinstance(meta, list) else [_label(meta)],
            short(item),
        )
    for code, lines, message in (
        ("offset-mismatch", mismatched, "region(s) skipped: offsets do not match their text"),
        ("utf16-offsets", utf16, "region(s) had UTF-16 offsets; converted to code points"),
        ("unverified-offsets", unverified, "region(s) have no value.text; offsets taken as code points unchecked"),
        ("not-representable", other, "result(s) of unsupported type skipped"),
    ):
        if lines:
            report.add(code, f"{len(lines)} {message}", file=file, doc_id=doc_id, lines=lines, **loc)  # type: ignore[arg-type]


def _label(value: Any) -> str:
    """A label or meta line as text (numbers and other JSON values shown as JSON)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return short(value)
